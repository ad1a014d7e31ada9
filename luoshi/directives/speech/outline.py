"""A speech's structure as a tree, from the markers speeches use and from parallel sentences.

Headings are numbered in families that official writing nests in a fixed order: 第一个问题 /
一、 / （一） / 1. / （1） / ①; an unnumbered short line between paragraphs is a heading too.
A heading's depth is decided by its family and the families the speech uses (so （一）
is second wherever the speech also uses 一、, even in a part whose 一、 is not in the text).

Lists sit inside whatever section they are in: 一是, 一要, 第一，, 其一, 一方面, 首先 … 最后,
—— blocks, run-in labels (“八个增长”：), runs of paragraphs that open alike, and runs of short
要… topic sentences. They are found at the start of a paragraph and inside one (a text
copied onto one line is split at its headings first). A list of one family met inside an
item of another nests in it while that item's list is still open (its next number is yet to
come); otherwise it starts beside it.
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


# Headings: (family, rank, pattern at the start of a paragraph); group 1 is the number.
BLOCK = [
    ("question", 0, re.compile(rf"^第({_N})个?(?:问题|部分)[：:，,、]?\s*")),
    ("cn_dun", 2, re.compile(rf"^({_N})、\s*")),
    ("cn_paren", 3, re.compile(rf"^[（(]({_N})[)）]\s*")),
    ("num_dun", 4, re.compile(r"^(\d{1,2})(?:、|[.．](?!\d))\s*")),
    ("num_paren", 5, re.compile(r"^[（(](\d{1,2})[)）]\s*")),
    ("circled", 6, re.compile(r"^([①-⑳])\s*")),
]
PLAIN_RANK = 1  # an unnumbered heading line: between 第一个问题 and 一、
# Lists: (family, pattern); group 1 is the number where there is one.
LIST = [
    ("ordinal", re.compile(rf"^第({_N})[，,、：:]\s*")),
    ("qi", re.compile(rf"^其({_N})[，,、：:]\s*")),
    ("shi", re.compile(rf"^({_N})是[，,：:]?")),
    ("yao", re.compile(rf"^({_N})要[，,：:]?")),
    ("fangmian", re.compile(r"^(一方面|另一方面)[，,：:]?")),
    ("sequence", re.compile(r"^(首先|其次|再次|最后)[，,：:]")),
    ("dash", re.compile(r"^——\s*")),
    ("label", re.compile(r"^[“\"]([^”\"]{2,12})[”\"][：:]")),
]
SEQUENCE = {"首先": 1, "其次": 2, "再次": 3, "最后": 9, "一方面": 1, "另一方面": 2}
# 首先 / 最后 that open a greeting, a wish or an agenda item are no list.
PROCEDURAL = re.compile(r"^(?:我代表|代表|请|进行|向|祝|感谢|谢谢|欢迎|宣布|介绍|让我们|再次感谢)")
_BLOCK_AHEAD = rf"第{_N}个?(?:问题|部分)|{_N}、|[（(]{_N}[)）]|\d{{1,2}}(?:、|[.．](?!\d))|[①-⑳]"
# Headings inside a paragraph (a text that came as one line): after a sentence, a colon or a
# space; a bracketed number also straight after a heading's words, which often have no stop.
HEADING_SPLIT = re.compile(
    rf"(?:(?<=[。！？；：:])|(?<=\s))\s*(?=(?:{_BLOCK_AHEAD})(?![{NUM}\d]{{1,3}}[、，,]))"
)
PAREN_SPLIT = re.compile(rf"(?<=[\u4e00-\u9fff])(?=[（(](?:{_N}|\d{{1,2}})[)）])")
# List items inside a paragraph.
INLINE = re.compile(
    rf"(?<=[。；！？：:，,])\s*(?=(?:{_N}是|{_N}要|其{_N}[，,、]|一方面|另一方面|"
    rf"第{_N}[，,、]|首先[，,]|其次[，,]|再次[，,]|最后[，,]|——))"
)
SENTENCE_END = re.compile(r"[。！？]")
FIRST_ITEM = re.compile(r"一是|一要|其一[，,]|第一[，,]|首先[，,]")


@dataclass
class Node:
    kind: str  # root | heading | item | paragraph
    marker: str = ""  # the family, e.g. "shi"
    label: str = ""  # as printed: "一是", "（二）", "第一个问题"
    number: int = 0
    text: str = ""
    children: list["Node"] = field(default_factory=list)
    level: int = 0  # depth in the outline (1 = top); paragraphs take their section's
    intro: str = ""  # for an item found inside a paragraph: the words that opened its list

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
            "level": self.level,
            "children": [c.as_dict() for c in self.children],
        }


@dataclass
class _Token:
    kind: str  # block | plain | list | para
    family: str = ""
    number: int = 0
    label: str = ""
    text: str = ""
    rank: int = 0
    intro: str = ""
    inside: bool = False  # found inside a list item's own paragraph: nests in that item


def _block(text: str) -> _Token | None:
    for family, rank, pattern in BLOCK:
        m = pattern.match(text)
        if m:
            number = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".find(m.group(1)) + 1 if family == "circled" else 0
            number = number or cn_number(m.group(1))
            label = m.group(0).strip().rstrip("：:，,")
            return _Token("block", family, number, label, text[m.end() :].strip(), rank)
    return None


def _list(text: str) -> _Token | None:
    for family, pattern in LIST:
        m = pattern.match(text)
        if not m:
            continue
        rest = text[m.end() :].strip()
        if family in ("sequence", "fangmian"):
            number = SEQUENCE[m.group(1)]
            if PROCEDURAL.match(rest):
                return None
        elif family in ("dash", "label"):
            number = 0
        else:
            number = cn_number(m.group(1))
        label = m.group(0).strip().rstrip("：:，,、") if family != "label" else m.group(0)
        return _Token("list", family, number, label, rest if family != "label" else rest)
    return None


def split_long_lines(paragraphs: list[str]) -> list[str]:
    out = []
    for p in paragraphs:
        parts = [part for part in HEADING_SPLIT.split(p) if part.strip()]
        for part in parts:
            if len(p) >= 150:  # one-line text: "…情况良好（1）经济指标…"
                out.extend(x for x in PAREN_SPLIT.split(part) if x.strip())
            else:
                out.append(part)
    return [o.strip() for o in out]


def _is_plain_heading(text: str) -> bool:
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return 4 <= cjk <= 24 and len(text) <= 30 and not re.search(r"[。！？；，,：:、（(“]", text)


def _inline(text: str) -> tuple[str, list[_Token]]:
    """ "一是… 二是…" inside a paragraph: (the intro, the items)."""
    parts = [p for p in INLINE.split(text) if p.strip()]
    if len(parts) < 2:
        return text, []
    # A list may start at once: "“五个突破”：一是…二是…" (the label opened it).
    lead = _list(parts[0]) if parts[0] is not text else None
    intro, items = ("", [lead]) if lead else (parts[0], [])
    if lead:
        lead.intro = ""
    opened: dict[str, str] = {}  # family → the words that opened its list
    for part in parts[1:]:
        token = _list(part)
        if token is None:
            if items:
                items[-1].text += part
            else:
                intro += part
            continue
        before = items[-1].text if items else intro
        if token.family not in opened or token.number == 1:
            opened[token.family] = re.split(r"[。！？；]", before.rstrip("。！？；"))[-1]
        token.intro = opened[token.family]
        items.append(token)
    return intro, items


def _lost_stop(text: str) -> str:
    """A heading copied onto one line often loses the break after its words: "（一）稳定
    面积一是落实补贴…". A list opening within the first words, with no stop before it,
    starts after the heading's words."""
    m = FIRST_ITEM.search(text[:40])
    if m and m.start() >= 4 and not re.search(r"[。；！？，,：:、]", text[: m.start()]):
        return text[: m.start()] + "：" + text[m.start() :]
    return text


def _tokens(paragraphs: list[str]) -> list[_Token]:
    pieces = split_long_lines(paragraphs)
    tokens: list[_Token] = []
    prose_seen = False
    for k, piece in enumerate(pieces):
        token = _block(piece) or _list(piece)
        if token is None:
            later = k + 1 < len(pieces)
            if prose_seen and later and _is_plain_heading(piece):
                token = _Token("plain", "plain", 0, "", piece, PLAIN_RANK)
            else:
                token = _Token("para", text=piece)
        prose_seen = prose_seen or bool(SENTENCE_END.search(piece))
        if token.kind == "block":
            token.text = _lost_stop(token.text)
        intro, items = _inline(token.text)
        first_item = items[0] if items else None
        # One item is enough where it is the first of a list ("第一，…" in a text cut short,
        # or the next item of the paragraph's own list).
        keep = len(items) >= 2 or (
            first_item is not None
            and (
                first_item.family == token.family
                or (
                    first_item.number == 1
                    and len(first_item.text) >= 10
                    and first_item.family != "dash"
                )
            )
        )
        if keep:
            token.text = intro
            tokens.append(token)
            for item in items:
                item.inside = token.kind == "list" and item.family != token.family
            tokens.extend(items)
        else:
            tokens.append(token)
    return _drop_lone_sequence(tokens)


def _drop_lone_sequence(tokens: list[_Token]) -> list[_Token]:
    """最后 (or 其次) with no 首先 before it in its section is a word, not an item: "最后，祝…"."""
    out: list[_Token] = []
    opened = False
    for token in tokens:
        if token.kind in ("block", "plain"):
            opened = False
        if token.kind == "list" and token.family == "sequence":
            if token.number == 1:
                opened = True
            elif not opened:
                if out:
                    out[-1].text += token.label + "，" + token.text
                    continue
                token = _Token("para", text=token.label + "，" + token.text)
        out.append(token)
    return out


def _next_comes(tokens: list[_Token], start: int, family: str, number: int) -> bool:
    """Does item ``number`` of ``family`` come before the section ends?"""
    for token in tokens[start : start + 200]:  # a section's list, not the whole speech
        if token.kind in ("block", "plain"):
            return False
        if token.kind == "list" and token.family == family and token.number == number:
            return True
    return False


def build_outline(paragraphs: list[str]) -> Node:
    tokens = _tokens(paragraphs)
    ranks = sorted({t.rank for t in tokens if t.kind in ("block", "plain")})
    level_of = {rank: k + 1 for k, rank in enumerate(ranks)}
    root = Node("root")
    stack: list[Node] = [root]
    count: dict[int, int] = {}  # items seen in the list an item belongs to, by id(node)

    def is_item(node: Node) -> bool:
        return node.kind == "item"

    for i, token in enumerate(tokens):
        if token.kind in ("block", "plain"):
            while len(stack) > 1 and (
                is_item(stack[-1]) or getattr(stack[-1], "_rank", -1) >= token.rank
            ):
                stack.pop()
            node = Node("heading", token.family, token.label, token.number, token.text)
            node._rank = token.rank  # type: ignore[attr-defined]
            node.level = level_of[token.rank]
            stack[-1].children.append(node)
            stack.append(node)
        elif token.kind == "list":
            node = Node("item", token.family, token.label, token.number, token.text)
            node.intro = token.intro
            open_items = []
            for n in reversed(stack):
                if not is_item(n):
                    break
                open_items.append(n)
            same = next((n for n in open_items if n.marker == token.family), None)
            if same is not None:
                while stack[-1] is not same:
                    stack.pop()
                stack.pop()
                count[id(node)] = count.get(id(same), 1) + 1
            else:
                while is_item(stack[-1]) and not (
                    token.inside
                    or count.get(id(stack[-1]), 1) == 1
                    or _next_comes(tokens, i + 1, stack[-1].marker, stack[-1].number + 1)
                ):
                    stack.pop()
                count[id(node)] = 1
            if token.family in ("dash", "label"):
                node.number = count[id(node)]
            node.level = stack[-1].level + 1
            stack[-1].children.append(node)
            stack.append(node)
        else:
            # A paragraph after a list belongs to the section, unless the item it follows is
            # only a topic ("一是抓项目。") that the paragraph goes on to explain.
            while is_item(stack[-1]) and len(stack[-1].text) > 30:
                stack.pop()
            node = Node("paragraph", text=token.text)
            node.level = stack[-1].level
            stack[-1].children.append(node)
    for _path, node in root.walk():
        node.children = _parallel(node, node.children)
    return root


def _parallel(parent: Node, children: list[Node]) -> list[Node]:
    """Unmarked paragraphs in a row that open with the same words (or whose first clauses
    end with the same words, or that each open with a short 要… topic sentence) are a list,
    even without numbers."""
    out: list[Node] = []
    i = 0
    while i < len(children):
        run = [children[i]]
        if children[i].kind == "paragraph":
            j = i + 1
            while j < len(children) and children[j].kind == "paragraph":
                if not _same_opening(run[-1].text, children[j].text):
                    break
                run.append(children[j])
                j += 1
        if len(run) >= 2:
            for k, node in enumerate(run, start=1):
                node.kind, node.marker, node.number, node.label = "item", "parallel", k, ""
                node.level = parent.level + 1
            out.extend(run)
            i += len(run)
        else:
            out.append(children[i])
            i += 1
    return out


def _first_clause(text: str) -> str:
    return re.split(r"[，。；：！？,]", text, maxsplit=1)[0]


def _topic(text: str) -> bool:
    first = SENTENCE_END.split(text, maxsplit=1)[0]
    return first.startswith("要") and 4 <= len(first) <= 24 and len(text) > len(first) + 1


def _same_opening(a: str, b: str) -> bool:
    if _topic(a) and _topic(b):
        return True
    prefix = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        prefix += 1
    if prefix >= 6:
        return True
    ca, cb = _first_clause(a), _first_clause(b)
    return len(ca) <= 20 and len(cb) <= 20 and len(ca) >= 4 and ca[-2:] == cb[-2:]
