"""A speech's structure as a tree, from the markers speeches use and from parallel sentences.

Markers, in the order offices nest them: 第一个问题 / 一、 / （一） / 1、 / （1）, and the
inline ones: 第一， / 一是 / 一要 / 首先 其次 最后 / ——. A marker's depth is decided by
the order the speech uses them (the first kind met is the top), so unusual nestings work.
A list may restart inside a paragraph ("一是… 二是…" again in the next section); a text
that arrives as one long line is split before its headings first.
"""

import re
from dataclasses import dataclass, field

NUM = "一二三四五六七八九十"
_N = f"[{NUM}]{{1,3}}"


def cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUM.index(text[1]) + 1
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (NUM.index(tens) + 1) * 10 + (NUM.index(ones) + 1 if ones else 0)
    return NUM.index(text) + 1


# (kind, pattern at the start of a paragraph); group 1 is the number where there is one.
BLOCK_MARKERS = [
    ("question", re.compile(rf"^第({_N})个?(?:问题|部分|方面)[：:，,、]?\s*")),
    ("cn_dun", re.compile(rf"^({_N})、\s*")),
    ("cn_paren", re.compile(rf"^[（(]({_N})[)）]\s*")),
    ("num_dun", re.compile(r"^(\d{1,2})[、.．](?!\d)\s*")),
    ("num_paren", re.compile(r"^[（(](\d{1,2})[)）]\s*")),
    ("ordinal", re.compile(rf"^第({_N})[，,、：:]\s*")),
    ("shi", re.compile(rf"^({_N})是[，,：:]?")),
    ("yao", re.compile(rf"^({_N})要[，,：:]?")),
    ("sequence", re.compile(r"^(首先|其次|再次|第三|最后)[，,：:]")),
    ("dash", re.compile(r"^——\s*")),
]
# The same markers met inside a paragraph, after the end of a clause.
INLINE = re.compile(
    rf"(?<=[。；！？：:，,])\s*(?=(?:{_N}是|{_N}要|第{_N}[，,]|首先[，,]|其次[，,]|再次[，,]|最后[，,]|——))"
)
# Headings inside a text that came as one line.
HEADING_SPLIT = re.compile(
    rf"(?<=[。！？；])\s*(?=(?:第{_N}个?(?:问题|部分|方面)|{_N}、|[（(]{_N}[)）]|\d{{1,2}}[、．](?!\d)))"
)
INLINE_KINDS = {"ordinal", "shi", "yao", "sequence", "dash"}
SEQUENCE = {"首先": 1, "其次": 2, "再次": 3, "第三": 3, "最后": 9}


@dataclass
class Node:
    kind: str  # root | heading | item | paragraph
    marker: str = ""  # the marker's kind, e.g. "shi"
    label: str = ""  # as printed: "一是", "（二）", "第一个问题"
    number: int = 0
    text: str = ""
    children: list["Node"] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The heading's words: up to the first full stop."""
        first = re.split(r"[。；！？]", self.text, maxsplit=1)[0]
        return first[:60]

    def walk(self, path=()):
        here = (*path, self) if self.kind != "root" else path
        yield here, self
        for child in self.children:
            yield from child.walk(here)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "label": self.label,
            "title": self.title,
            "text": self.text,
            "children": [c.as_dict() for c in self.children],
        }


def _marker(text: str):
    for kind, pattern in BLOCK_MARKERS:
        m = pattern.match(text)
        if m:
            number = SEQUENCE.get(m.group(1), 0) if kind == "sequence" else 0
            if kind not in ("dash", "sequence"):
                number = cn_number(m.group(1))
            return kind, m.group(0).strip().rstrip("：:，,"), number, text[m.end() :].strip()
    return None


def split_long_lines(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        out.extend(part for part in HEADING_SPLIT.split(p) if part.strip())
    return out


def _inline_items(node: Node) -> None:
    """ "一是… 二是…" inside a paragraph: the intro stays the paragraph's text, the items
    become its children; a list that starts again at 一 inside the same paragraph restarts."""
    parts = [p for p in INLINE.split(node.text) if p.strip()]
    if len(parts) < 2:
        return
    items = []
    for part in parts[1:]:
        found = _marker(part)
        if found is None:
            if items:
                items[-1].text += part
            continue
        kind, label, number, rest = found
        items.append(Node("item", kind, label, number, rest))
    # One item is enough when it continues the paragraph's own list ("第一，… 第二，…").
    if len(items) >= 2 or (items and items[0].marker == node.marker):
        node.text = parts[0]
        node.children.extend(items)


def _parallel(children: list[Node]) -> list[Node]:
    """Unmarked paragraphs in a row that open with the same words (or whose first clauses
    end with the same words) are a list, even without numbers."""
    out: list[Node] = []
    i = 0
    while i < len(children):
        run = [children[i]]
        if children[i].kind == "paragraph" and not children[i].marker:
            j = i + 1
            while j < len(children) and children[j].kind == "paragraph" and not children[j].marker:
                if not _same_opening(run[-1].text, children[j].text):
                    break
                run.append(children[j])
                j += 1
        if len(run) >= 2:
            for k, node in enumerate(run, start=1):
                node.kind, node.marker, node.number, node.label = "item", "parallel", k, ""
            out.extend(run)
            i += len(run)
        else:
            out.append(children[i])
            i += 1
    return out


def _first_clause(text: str) -> str:
    return re.split(r"[，。；：！？,]", text, maxsplit=1)[0]


def _same_opening(a: str, b: str) -> bool:
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    if prefix >= 6:
        return True
    ca, cb = _first_clause(a), _first_clause(b)
    return len(ca) <= 20 and len(cb) <= 20 and len(ca) >= 4 and ca[-2:] == cb[-2:]


def build_outline(paragraphs: list[str]) -> Node:
    root = Node("root")
    stack: list[Node] = [root]  # the open nodes, root first
    for text in split_long_lines(paragraphs):
        found = _marker(text)
        if found is None:
            # A plain paragraph after 一是/二是… items belongs to the section, not to the last item.
            while stack[-1].marker in INLINE_KINDS:
                stack.pop()
            node = Node("paragraph", text=text)
            stack[-1].children.append(node)
            _inline_items(node)
            continue
        kind, label, number, rest = found
        node = Node(
            "heading" if kind in ("question", "cn_dun", "cn_paren") else "item",
            kind,
            label,
            number,
            rest,
        )
        kinds = [n.marker for n in stack]
        if kind in kinds:
            while stack[-1].marker != kind:
                stack.pop()
            stack.pop()  # its sibling closes; the new one opens under the same parent
        elif kind in INLINE_KINDS:
            # A paragraph opening with 首先/——/第一… after another kind of short list starts
            # a new list beside it, not inside its last item.
            while stack[-1].marker in INLINE_KINDS:
                stack.pop()
        stack[-1].children.append(node)
        stack.append(node)
        _inline_items(node)
        if kind in INLINE_KINDS:
            # "第一，… 第二，…" in one paragraph: the later items are the first one's siblings.
            same = [c for c in node.children if c.marker == kind]
            if same:
                node.children = [c for c in node.children if c.marker != kind]
                parent = stack[-2]
                parent.children.extend(same)
                stack[-1] = same[-1]
    for _path, node in root.walk():
        node.children = _parallel(node.children)
    return root
