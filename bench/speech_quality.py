"""How well the speech import does on real speeches it was not written against.

Scores the import on the evaluation corpus (bench/speech_corpus/manifest.json; the texts
themselves live outside git in var/speech-corpus/) against the hand marks in
bench/speech_corpus/marks/:

- site text removed and speech kept: every line of the saved file is cut at the marked site
  spans; each piece is site text or speech. A piece counts as removed when less than half of
  its characters reach the cleaned text (the import's title and paragraphs, aligned with the
  file after folding width and Traditional characters);
- headings: a marked heading is found when an outline node starts on it, and its depth is
  right when the node sits as deep as the mark;
- work items: a shown proposal (confidence at least SHOWN) matches a marked item when their
  sentences overlap by at least half of the shorter; recall over the marks, precision over
  the shown proposals;
- title: the import's title equals the marked one, or, where the speech has none, the import
  proposed one and said so.

    .venv/bin/python bench/speech_quality.py              # development set (two thirds)
    .venv/bin/python bench/speech_quality.py --set held   # the third held out
    .venv/bin/python bench/speech_quality.py --set all --explain s07
"""

import argparse
import difflib
import hashlib
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from luoshi.directives.speech import import_speech  # noqa: E402
from luoshi.directives.speech.proposals import SHOWN  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "var" / "speech-corpus"
MARKS = ROOT / "bench" / "speech_corpus" / "marks"
MANIFEST = ROOT / "bench" / "speech_corpus" / "manifest.json"

# Done when (issue 16).
AIMS = {
    "site_kept": 0,
    "speech_kept": 0.90,
    "heading_recall": 0.85,
    "depth_right": 0.80,
    "item_recall": 0.80,
    "item_precision": 0.70,
    "titles": 0.90,
}
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}[)）]")
_T2S = None


def simplified(text: str) -> str:
    """OpenCC t2s, one character for one character (the offsets must stay put)."""
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    converted = _T2S.convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_T2S.convert(c) or c for c in text)


def skeleton(text: str) -> tuple[str, list[int]]:
    """The letters, digits and Chinese characters of ``text`` (width folded, Simplified,
    pinyin annotations dropped), with the offset of each in ``text``."""
    folded = "".join(unicodedata.normalize("NFKC", c)[:1] or c for c in text)
    folded = simplified(folded).lower()
    dropped = set()
    for m in _PINYIN.finditer(folded):
        dropped.update(range(m.start(), m.end()))
    chars, where = [], []
    for k, c in enumerate(folded):
        if k not in dropped and c.isalnum():
            chars.append(c)
            where.append(k)
    return "".join(chars), where


@dataclass
class Score:
    site: int = 0
    site_removed: int = 0
    speech: int = 0
    speech_kept: int = 0
    speech_chars: int = 0
    speech_chars_kept: int = 0
    headings: int = 0
    headings_found: int = 0
    depth_right: int = 0
    nodes: int = 0
    nodes_marked: int = 0
    items: int = 0
    items_found: int = 0
    items_found_any: int = 0  # shown or folded
    shown: int = 0
    shown_right: int = 0
    folded: int = 0
    title_right: int = 0
    titles: int = 1
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for name in self.__dataclass_fields__:
            if name not in ("failures", "titles"):
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.titles += other.titles


def ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def score_speech(entry: dict, marks: dict, explain: bool = False) -> Score:
    data = (CORPUS / f"{entry['id']}.txt").read_bytes()
    text = data.decode("utf-8")
    s = Score()
    start = time.perf_counter()
    result = import_speech(f"{entry['id']}.txt", data)
    s.seconds = time.perf_counter() - start
    cleaned = result.cleaned

    # Align the file with the cleaned text: first the speech (what the marks say is speech)
    # with all of the output, then the site text with what of the output is left over, so a
    # copy the page made of the speech (a repeated title, a summary) counts only if kept twice.
    in_sk, in_at = skeleton(text)
    in_site = [False] * len(in_sk)
    for m in marks["site"]:
        a, b = m["span"]
        for k, offset in enumerate(in_at):
            if a <= offset < b:
                in_site[k] = True
    pieces = ([] if cleaned.title_proposed else [cleaned.title]) + cleaned.paragraphs
    output = "\n".join(pieces)
    out_sk, _ = skeleton(output)
    kept = [False] * len(in_sk)
    out_to_in: list[int | None] = [None] * len(out_sk)
    speech_idx = [k for k in range(len(in_sk)) if not in_site[k]]
    site_idx = [k for k in range(len(in_sk)) if in_site[k]]
    matcher = difflib.SequenceMatcher(
        None, "".join(in_sk[k] for k in speech_idx), out_sk, autojunk=False
    )
    claimed = set()
    for a, b, size in matcher.get_matching_blocks():
        for k in range(size):
            kept[speech_idx[a + k]] = True
            out_to_in[b + k] = in_at[speech_idx[a + k]]
            claimed.add(b + k)
    rest_idx = [k for k in range(len(out_sk)) if k not in claimed]
    matcher = difflib.SequenceMatcher(
        None,
        "".join(in_sk[k] for k in site_idx),
        "".join(out_sk[k] for k in rest_idx),
        autojunk=False,
    )
    for a, _b, size in matcher.get_matching_blocks():
        for k in range(size):
            kept[site_idx[a + k]] = True
    index_of = {offset: k for k, offset in enumerate(in_at)}
    paragraphs = {p.strip() for p in pieces}

    def kept_share(lo: int, hi: int) -> float | None:
        ks = [kept[index_of[o]] for o in range(lo, hi) if o in index_of]
        return sum(ks) / len(ks) if ks else None

    def gone(lo: int, hi: int) -> bool:
        share = kept_share(lo, hi)
        if share is None:  # punctuation only: gone unless a paragraph is exactly it
            return text[lo:hi].strip() not in paragraphs
        return share < 0.5

    # Site text and speech, line by line.
    site = sorted(tuple(m["span"]) for m in marks["site"])
    offset = 0
    for line in text.split("\n"):
        lo, hi = offset, offset + len(line)
        offset = hi + 1
        cuts, cursor = [], lo
        for a, b in site:
            if b <= lo or a >= hi:
                continue
            if a > cursor:
                cuts.append(("speech", cursor, a))
            cuts.append(("site", max(a, lo), min(b, hi)))
            cursor = max(cursor, min(b, hi))
        if cursor < hi:
            cuts.append(("speech", cursor, hi))
        for kind, a, b in cuts:
            if not text[a:b].strip():
                continue
            removed = gone(a, b)
            if kind == "site":
                s.site += 1
                s.site_removed += removed
                if not removed:
                    s.failures.append(f"site text kept: {text[a:b][:60]!r}")
            else:
                s.speech += 1
                s.speech_kept += not removed
                ks = [kept[index_of[o]] for o in range(a, b) if o in index_of]
                s.speech_chars += len(ks)
                s.speech_chars_kept += sum(ks)
                if removed:
                    s.failures.append(f"speech removed: {text[a:b][:60]!r}")

    # Find the output skeleton position of a run of text, searching forward.
    def locate(words: str, cursor: int) -> tuple[int, int] | None:
        key, _ = skeleton(words)
        if not key:
            return None
        head = key[:12]
        at = out_sk.find(head, cursor)
        if at < 0:
            at = out_sk.find(head)
        if at < 0:
            return None
        return at, min(at + len(key), len(out_sk))

    def to_input(k: int) -> int | None:
        for j in range(k, len(out_to_in)):
            if out_to_in[j] is not None:
                return out_to_in[j]
        return None

    # Headings.
    nodes, cursor = [], 0
    for _path, node in result.outline.walk():
        if node.kind in ("root", "paragraph"):
            continue
        found = locate(node.label + node.text, cursor)
        if found is None:
            continue
        cursor = found[0] + 1
        at = to_input(found[0])
        nodes.append((at, node.level, node))
    s.nodes = len(nodes)
    used = set()
    for mark in marks["headings"]:
        s.headings += 1
        a, b = mark["span"]
        hit = next(
            (k for k, (at, _d, _n) in enumerate(nodes) if at is not None and a - 1 <= at <= b + 2),
            None,
        )
        if hit is None:
            s.failures.append(f"heading missed (depth {mark['depth']}): {text[a:b]!r}")
            continue
        used.add(hit)
        s.headings_found += 1
        if nodes[hit][1] == mark["depth"]:
            s.depth_right += 1
        else:
            s.failures.append(f"heading depth {nodes[hit][1]} for {mark['depth']}: {text[a:b]!r}")
    s.nodes_marked = len(used)
    if explain:
        for k, (_at, depth, node) in enumerate(nodes):
            if k not in used:
                s.failures.append(f"extra node depth {depth}: {node.label}{node.text[:24]!r}")

    # Work items.
    spans, cursor = [], 0
    for p in result.proposals:
        found = locate(p.sentence, cursor)
        if found is None:
            continue
        cursor = found[0] + 1
        lo, hi = to_input(found[0]), to_input(max(found[1] - 1, found[0]))
        if lo is None or hi is None:
            continue
        spans.append((lo, hi + 1, p))
    shown = [sp for sp in spans if sp[2].confidence >= SHOWN]
    s.shown, s.folded = len(shown), len(spans) - len(shown)

    def overlaps(lo, hi, a, b) -> bool:
        common = min(hi, b) - max(lo, a)
        return common > 0 and common >= 0.5 * min(hi - lo, b - a)

    for mark in marks["items"]:
        s.items += 1
        a, b = mark["span"]
        if any(overlaps(lo, hi, a, b) for lo, hi, _p in shown):
            s.items_found += 1
        else:
            s.failures.append(f"work item missed: {text[a:b][:60]!r}")
        s.items_found_any += any(overlaps(lo, hi, a, b) for lo, hi, _p in spans)
    for lo, hi, p in shown:
        if any(overlaps(lo, hi, *m["span"]) for m in marks["items"]):
            s.shown_right += 1
        else:
            s.failures.append(
                f"proposed, not a work item ({p.confidence:.2f}): {p.sentence[:60]!r}"
            )

    # Title.
    if marks["title"].get("none"):
        s.title_right = int(bool(cleaned.title) and cleaned.title_proposed)
        expected = "(none: proposed)"
    else:
        a, b = marks["title"]["span"]
        expected = text[a:b]
        s.title_right = int(
            not cleaned.title_proposed and skeleton(cleaned.title)[0] == skeleton(expected)[0]
        )
    if not s.title_right:
        s.failures.append(
            f"title {cleaned.title!r}{' (proposed)' if cleaned.title_proposed else ''}"
            f" for {expected!r}"
        )
    return s


def pct(value: float | None) -> str:
    return "   –  " if value is None else f"{value * 100:5.1f}%"


def row(name: str, s: Score) -> str:
    return (
        f"{name:<7} {s.site_removed:>3}/{s.site:<3} {pct(ratio(s.speech_kept, s.speech))} "
        f"{pct(ratio(s.headings_found, s.headings))} {pct(ratio(s.depth_right, s.headings_found))} "
        f"{s.items_found:>2}/{s.items:<2} {s.shown_right:>2}/{s.shown:<2} {s.folded:>3} "
        f"{s.title_right}/{s.titles}"
    )


HEADER = (
    "speech  site gone  speech  head.  depth  items shown folded title\n"
    "        removed    kept    recall right  found right"
)


def verdict(total: Score) -> list[tuple[str, float | None, str]]:
    return [
        ("site text kept (lines)", total.site - total.site_removed, "0"),
        ("speech lines kept", ratio(total.speech_kept, total.speech), "≥ 90 %"),
        ("heading recall", ratio(total.headings_found, total.headings), "≥ 85 %"),
        ("depth right", ratio(total.depth_right, total.headings_found), "≥ 80 %"),
        ("work-item recall", ratio(total.items_found, total.items), "≥ 80 %"),
        ("work-item precision", ratio(total.shown_right, total.shown), "≥ 70 %"),
        ("titles right", ratio(total.title_right, total.titles), "≥ 90 %"),
    ]


def met(total: Score) -> bool:
    checks = [
        total.site - total.site_removed <= AIMS["site_kept"],
        (ratio(total.speech_kept, total.speech) or 0) >= AIMS["speech_kept"],
        (ratio(total.headings_found, total.headings) or 0) >= AIMS["heading_recall"],
        (ratio(total.depth_right, total.headings_found) or 0) >= AIMS["depth_right"],
        (ratio(total.items_found, total.items) or 1) >= AIMS["item_recall"],
        (ratio(total.shown_right, total.shown) or 1) >= AIMS["item_precision"],
        (ratio(total.title_right, total.titles) or 0) >= AIMS["titles"],
    ]
    return all(checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=("dev", "held", "all"), default="dev")
    parser.add_argument("--explain", nargs="*", default=None, help="speech ids (none: every one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    chosen = [
        e
        for e in manifest["speeches"]
        if args.set == "all" or e["held_out"] == (args.set == "held")
    ]
    missing = [e["id"] for e in chosen if not (CORPUS / f"{e['id']}.txt").exists()]
    if missing:
        print(
            f"{len(missing)} corpus files are not in {CORPUS} (they are kept out of git; "
            f"see the manifest's addresses): {', '.join(missing)}"
        )
        chosen = [e for e in chosen if e["id"] not in missing]
        if not chosen:
            return 2
    total = Score(titles=0)
    rows, report = [], {}
    for entry in chosen:
        data = (CORPUS / f"{entry['id']}.txt").read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            print(f"{entry['id']}: the saved file differs from the one the marks refer to")
            return 2
        marks = json.loads((MARKS / f"{entry['id']}.json").read_text(encoding="utf-8"))
        explain = args.explain is not None and (not args.explain or entry["id"] in args.explain)
        s = score_speech(entry, marks, explain)
        total.add(s)
        tag = entry["id"] + ("*" if entry["held_out"] else "")
        rows.append(row(tag, s))
        report[entry["id"]] = {k: v for k, v in s.__dict__.items() if k != "failures"}
        if explain:
            rows.extend(f"    {f}" for f in s.failures)
    if args.json:
        print(json.dumps({"speeches": report, "total": total.__dict__}, ensure_ascii=False))
        return 0
    print(f"set: {args.set} ({len(chosen)} speeches; * held out)")
    print(HEADER)
    print("\n".join(rows))
    print(row("total", total))
    print()
    for name, value, aim in verdict(total):
        shown = value if isinstance(value, int) else pct(value)
        print(f"  {name:<24} {shown!s:>7}   aim {aim}")
    print(
        f"  speech characters kept   {pct(ratio(total.speech_chars_kept, total.speech_chars))}"
        f"   heading precision {pct(ratio(total.nodes_marked, total.nodes))}"
        f"   items found shown or folded {total.items_found_any}/{total.items}"
    )
    print(f"  import time {total.seconds * 1000:.0f} ms in all")
    print(f"  done-when figures {'met' if met(total) else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
