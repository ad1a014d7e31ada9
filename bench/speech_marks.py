"""Turn hand-marking worksheets into the committed marks of the speech corpus.

The corpus files (var/speech-corpus/sNN.txt) and the worksheets beside them
(var/speech-corpus/work/sNN.marks) stay out of git: a worksheet quotes the speech to say
where each mark is, so it cannot be committed. This script finds each quoted snippet in the
saved file and writes bench/speech_corpus/marks/sNN.json with character offsets and a short
hash of each span instead of the text, against the file whose sha256 the manifest records.

    .venv/bin/python bench/speech_marks.py [sNN ...]

Worksheet lines (one mark a line, # starts a comment):
    title: <the whole title as printed>      or   title: none
    site: L3                                  the whole of line 3
    site: L3 <snippet>                        a span inside line 3
    site: L3 <start>...<end>                  from <start> through <end> inside line 3
    site: L3 #2 <snippet>                     the second occurrence (works in every snippet)
    h2: <snippet>                             a heading of depth 2 starting at <snippet>
                                              (the first occurrence after the previous heading)
    item: <start>...<end> | target: <snippet> | deadline: <snippet>
                                              a work item from <start> through <end> (may run
                                              over lines), searched after the previous item
    note: <words that do not quote the speech>
"""

import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "var" / "speech-corpus"
MARKS = ROOT / "bench" / "speech_corpus" / "marks"
MANIFEST = ROOT / "bench" / "speech_corpus" / "manifest.json"


def span_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class Marker:
    def __init__(self, text: str, name: str):
        self.text = text
        self.name = name
        self.line_starts = [0]
        for k, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(k + 1)

    def line_of(self, offset: int) -> int:
        line = 0
        for k, start in enumerate(self.line_starts):
            if start <= offset:
                line = k
        return line + 1

    def line_span(self, n: int) -> tuple[int, int]:
        start = self.line_starts[n - 1]
        end = self.line_starts[n] - 1 if n < len(self.line_starts) else len(self.text)
        return start, end

    def find(self, snippet: str, start: int = 0, end: int | None = None) -> int:
        end = len(self.text) if end is None else end
        at = self.text.find(snippet, start, end)
        if at < 0:
            raise SystemExit(f"{self.name}: not found after {start}: {snippet!r}")
        return at

    def span(self, spec: str, start: int = 0, end: int | None = None) -> tuple[int, int]:
        nth = re.match(r"#(\d+) ", spec)
        if nth:  # "#2 <snippet>": the second occurrence
            spec = spec[nth.end() :]
            for _ in range(int(nth.group(1)) - 1):
                start = self.find(spec.split("...", 1)[0], start, end) + 1
        if "..." in spec:
            head, tail = spec.split("...", 1)
            a = self.find(head, start, end)
            b = self.find(tail, a + len(head), end) + len(tail)
            return a, b
        a = self.find(spec, start, end)
        return a, a + len(spec)

    def mark(self, a: int, b: int) -> dict:
        return {"span": [a, b], "line": self.line_of(a), "hash": span_hash(self.text[a:b])}


def convert(name: str) -> dict:
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    sheet = (CORPUS / "work" / f"{name}.marks").read_text(encoding="utf-8")
    m = Marker(text, name)
    out = {"id": name, "title": None, "site": [], "headings": [], "items": [], "notes": []}
    heading_cursor = item_cursor = 0
    for raw in sheet.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "title":
            if value == "none":
                out["title"] = {"none": True}
            else:
                a, b = m.span(value)
                out["title"] = m.mark(a, b)
        elif key == "site":
            found = re.match(r"L(\d+)(?:-L(\d+))?(?:\s+(.*))?$", value)
            if not found:
                raise SystemExit(f"{name}: bad site mark {value!r}")
            first = int(found.group(1))
            last = int(found.group(2) or first)
            if found.group(3):
                lo, hi = m.line_span(first)
                a, b = m.span(found.group(3), lo, hi)
                out["site"].append(m.mark(a, b))
            else:
                for n in range(first, last + 1):
                    a, b = m.line_span(n)
                    if text[a:b].strip():
                        out["site"].append(m.mark(a, b))
        elif re.fullmatch(r"h\d", key):
            a, b = m.span(value, heading_cursor)
            heading_cursor = a + 1
            out["headings"].append({**m.mark(a, b), "depth": int(key[1:])})
        elif key == "item":
            parts = [p.strip() for p in value.split("|")]
            a, b = m.span(parts[0], item_cursor)
            item_cursor = a + 1
            item = m.mark(a, b)
            for part in parts[1:]:
                what, _, snippet = part.partition(":")
                ta, tb = m.span(snippet.strip(), a, b)
                item[what.strip()] = m.mark(ta, tb)
            out["items"].append(item)
        elif key == "note":
            out["notes"].append(value)
        else:
            raise SystemExit(f"{name}: unknown mark {key!r}")
    if out["title"] is None:
        raise SystemExit(f"{name}: no title mark (write 'title: none' when there is none)")
    out["headings"].sort(key=lambda h: h["span"][0])
    return out


def main(names: list[str]) -> None:
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in manifest["speeches"]}
    names = names or sorted(p.stem for p in (CORPUS / "work").glob("s*.marks"))
    MARKS.mkdir(parents=True, exist_ok=True)
    for name in names:
        data = (CORPUS / f"{name}.txt").read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if entries[name]["sha256"] != digest:
            raise SystemExit(f"{name}: the saved file is not the one the manifest records")
        marks = {"sha256": digest, **convert(name)}
        (MARKS / f"{name}.json").write_text(
            json.dumps(marks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(
            f"{name}: title {'none' if 'none' in marks['title'] else 'marked'}, "
            f"{len(marks['site'])} site, {len(marks['headings'])} headings, "
            f"{len(marks['items'])} items"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
