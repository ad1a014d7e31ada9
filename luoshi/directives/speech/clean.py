"""Cleaning a speech as it arrives from the web: site text out, conversion damage repaired,
Traditional characters converted, lines broken by a page rejoined, the title recovered (or
proposed from the occasion and marked so); every removal reported with its reason so a
person can check that no line of the speech itself went with it.

The file is read in three zones. The head runs up to where the speech starts (a salutation,
a heading, or the first paragraph of prose): there the title is the last line that reads as
a speech title, datelines and bylines stay, everything else is the page's. The body is the
speech: only what is site text by its shape goes. The tail follows the last paragraph: once
a line of site text appears there, what follows is the page's footer."""

import re
from dataclasses import dataclass, field

from . import site
from .read import common_ratio
from .title import TITLE_END, proposed_title, title_like

CJK = "\u4e00-\u9fff"


@dataclass
class Removed:
    line: str
    reason: str


@dataclass
class Cleaned:
    title: str
    paragraphs: list[str]
    removed: list[Removed] = field(default_factory=list)
    repairs: dict[str, int] = field(default_factory=dict)  # what was repaired, how often
    traditional: bool = False
    title_proposed: bool = False  # no title in the text: proposed from the occasion

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


SALUTATION = re.compile(
    r"^(?:同志们|各位(?:领导|代表|委员|同志|嘉宾|企业家|来宾)|尊敬的|女士们|先生们|老领导|朋友们)"
)
SALUTATION_INSIDE = re.compile(r"同志们[：:，,]|各位(?:领导|代表|委员)[、，,：:]|尊敬的")
# Where a speech starts without a salutation: a heading of any kind.
BODY_MARKER = re.compile(
    r"^(?:第[一二三四五六七八九十]{1,3}(?:个问题|部分|方面|[，,、：:])|[一二三四五六七八九十]{1,3}[、是要]|"
    r"[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|——|首先[，,]|[①-⑳])"
)
DATELINE = re.compile(
    r"^[（(]?\s*(?:──|——|—)?\s*(?:\d{4}|20[xX×*]{2}|[一二〇○零]{4})\s*年.{0,12}?(?:日|月)"
)
BYLINE = re.compile(rf"(?:县长|区长|市长|书记|主任|局长|镇长|乡长|主席)\s*[{CJK}*Xx×]{{1,4}}$")
DRAFT_NOTE = re.compile(r"^[（(](?:征求意见稿|讨论稿|送审稿|审议稿|草稿|初稿|修改稿|定稿)[)）]$")
# Page marks glued to the start of a line: a document site's page number ("1-"), a
# continuation note ("(续前)").
PAGE_MARK = re.compile(r"^(?:\d{1,3}-(?=[\u4e00-\u9fff])|[（(](?:续前|续上|接上页|上接|续)[)）])")
# "在…会议上的讲话": a title even where the speech runs straight on after it.
STRONG_TITLE = re.compile(r"^在.{2,40}(?:上|时|之际)的(?:讲话|发言|致辞|报告)$")
CHUNK = re.compile(r"^(\d{1,2})、\s*")

_PINYIN = re.compile(rf"(?<=[{CJK}])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêń]{{1,6}}[)）]")
_LINE_JUNK = re.compile(r"^[ \t]*(?:\?{2,}|？{2,}|\ufffd+|`{2,})[ \t]*")
_MISALIGNED = re.compile(r"\?([^?\n]{2,80}?)\?")
_FOLD = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_UNFOLD = str.maketrans(_FOLD)
_ASCII_PUNCT = re.compile(rf"(?<=[{CJK}“”‘’（）])([,:;?!()])|([,:;?!()])(?=[{CJK}“‘（])")
_CJK_SPACE = re.compile(rf"(?<=[{CJK}])[ \t]+(?=[{CJK}])")


def _count(repairs: dict, what: str, n: int) -> None:
    if n:
        repairs[what] = repairs.get(what, 0) + n


def _repair_misaligned(text: str, repairs: dict) -> str:
    """GBK bytes decoded one byte out of step read as rare characters between '?' marks
    (the bytes that did not decode). Re-encode the run, drop the stray byte, decode again,
    and keep the result only if it reads as far more ordinary Chinese."""

    def fix(match):
        run = match.group(1)
        try:
            # Folded punctuation was full-width (two bytes) when the bytes slipped.
            raw = run.translate(_UNFOLD).encode("gbk")
        except UnicodeEncodeError:
            return match.group(0)
        best = None
        for candidate in (raw[1:], raw[:-1], raw[1:-1]):
            decoded = candidate.decode("gbk", errors="replace").replace("\ufffd", "")
            if not decoded:
                continue
            if decoded.count("“") > decoded.count("”"):
                decoded += "”"
            score = common_ratio(decoded) + 0.2 * decoded.count("“")
            if best is None or score > best[0]:
                best = (score, decoded)
        if best is None or best[0] < common_ratio(run) + 0.3:
            return match.group(0)
        _count(repairs, "misaligned", 1)
        before = text[match.start() - 1] if match.start() else ""
        lead = "。" if re.match(rf"[{CJK}]", before) else ""
        return lead + best[1]

    return _MISALIGNED.sub(fix, text)


def _fold(text: str, repairs: dict) -> str:
    """ASCII punctuation next to Chinese characters back to the full-width forms."""
    out, n = _ASCII_PUNCT.subn(lambda m: _FOLD[m.group(1) or m.group(2)], text)
    _count(repairs, "punctuation", n)
    return out


def _to_simplified(text: str) -> tuple[str, bool]:
    """OpenCC t2s, only when the text is Traditional (t2s changes a noticeable share of it)."""
    import opencc

    converted = opencc.OpenCC("t2s").convert(text)
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b)
    if cjk and changed / cjk > 0.03:
        return converted, True
    return text, False


def _repair(text: str, repairs: dict) -> tuple[list[str], bool]:
    text = (
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    )
    lines = []
    for line in text.split("\n"):
        fixed, n = _LINE_JUNK.subn("", line)
        _count(repairs, "line_start_junk", n)
        lines.append(fixed.strip())
    text = "\n".join(lines)
    text, n = _PINYIN.subn("", text)
    _count(repairs, "pinyin", n)
    text = _repair_misaligned(text, repairs)
    text = _fold(text, repairs)
    text, traditional = _to_simplified(text)
    # A space between two characters is a line break of the page it was copied from.
    text, n = _CJK_SPACE.subn("", text)
    _count(repairs, "spaces", n)
    return text.split("\n"), traditional


def _ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in site.LINE_END


def _join_preview_chunks(lines: list[str], removed: list[Removed]) -> list[str]:
    """Document sites show a preview in numbered chunks ("1、… 2、…") cut anywhere, even
    mid-word. Numbers counting up at the starts of long lines, where each chunk after the
    first continues the sentence of the one before, are such chunks: join them."""
    out: list[str] = []
    k = 0
    while k < len(lines):
        m = CHUNK.match(lines[k])
        run = [k]
        if m and m.group(1) == "1":
            j = k + 1
            while (
                j < len(lines) and (c := CHUNK.match(lines[j])) and int(c.group(1)) == len(run) + 1
            ):
                run.append(j)
                j += 1
        cut = len(run) >= 2 and all(len(lines[i]) >= 80 for i in run[:-1])
        cut = cut and all(not _ends_sentence(lines[i - 1]) for i in run[1:])
        if not cut:
            out.append(lines[k])
            k += 1
            continue
        joined = ""
        for i in run:
            marker = CHUNK.match(lines[i])
            removed.append(Removed(marker.group(0).strip(), site.PAGE_MARK))
            joined += lines[i][marker.end() :]
        out.append(joined)
        k = run[-1] + 1
    return out


def _display_width(line: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in line)


def _join_hard_wraps(lines: list[str], repairs: dict) -> list[str]:
    """A speech printed to PDF and copied back arrives broken into lines of one width, and a
    long paragraph may be broken mid-word. Join a line to the next when it fills the width
    the file wraps at, or when it is prose that stops mid-word; never before a heading, a
    salutation or a blank line."""
    widths = [_display_width(line) for line in lines if len(line) >= 10]

    def near(x: int, w: int) -> bool:
        return abs(x - w) <= max(3, w // 10)

    wrap = 0
    if len(widths) >= 5:
        best = max(set(widths), key=lambda w: sum(1 for x in widths if near(x, w)))
        share = sum(1 for x in widths if near(x, best))
        # A printed page: most lines one width, and a narrow one (a screen line is wider).
        if share >= 5 and share >= len(widths) / 2 and best <= 120:
            wrap = best
    out: list[str] = []
    joins = 0
    physical = ""  # the previous line as the file has it (out[-1] may be lines joined)
    for line in lines:
        prev = out[-1] if out else ""
        mid_word = (
            prev
            and re.search(rf"[{CJK}]$", prev)
            and re.search(r"[。！？；]", prev)
            and len(prev) >= 30
        )
        at_width = wrap and physical and near(_display_width(physical), wrap)
        if (
            line
            and prev
            and (mid_word or at_width)
            and not BODY_MARKER.match(line)
            and not SALUTATION.match(line)
            and not (BODY_MARKER.match(prev) and not re.search(r"[。！？；]", prev))
            and not title_like(prev)
            and not site.site_reason(line, "tail")
        ):
            out[-1] = prev + line
            joins += 1
        else:
            out.append(line)
        physical = line
    _count(repairs, "rejoined_lines", joins)
    return out


@dataclass
class _Head:
    """What the head of a line held before the speech: title runs and site text."""

    titles: list[str] = field(default_factory=list)
    site: list[Removed] = field(default_factory=list)


_RUN_END = re.compile(TITLE_END)


def _peel(line: str, head: _Head) -> str:
    """Take the title runs, page marks and site notes off the start of a line copied onto one
    line ("某某讲话在…上的讲话同志们：…"); return what is left."""
    rest = line
    for _ in range(12):
        if m := PAGE_MARK.match(rest):
            head.site.append(Removed(m.group(0), site.PAGE_MARK))
            rest = rest[m.end() :].lstrip()
            continue
        if m := site.NOTE_LABEL.match(rest):
            end = _note_end(rest, m.end())
            head.site.append(Removed(rest[:end].strip(), site.SITE_NOTICE))
            rest = rest[end:].lstrip()
            continue
        if (m := site.SOURCE_PREFIX.match(rest)) and (run := _title_run(rest[m.end() :])):
            source = rest[: m.end() + len(run)]  # "来源某某讲话": the page's attribution
            head.site.append(Removed(source, site.METADATA))
            rest = rest[len(source) :].lstrip()
            continue
        run = _title_run(rest)
        if run and rest[len(run) :].strip():
            head.titles.append(run)
            rest = rest[len(run) :].lstrip()
            continue
        break
    return rest


def _note_end(text: str, start: int) -> int:
    """Where a site note that opens ``text`` ends: a summary runs to the content label that
    follows it; any note runs to the salutation, or to the end of the line."""
    if site.SUMMARY_LABEL.match(text) and (c := site.CONTENT_LABEL.search(text, start)):
        return c.start()
    s = re.search(r"同志们|各位(?:领导|代表|委员|同志)|尊敬的", text[start:])
    if s:
        return start + s.start()
    return len(text)


def _title_run(text: str) -> str | None:
    """A speech title at the start of ``text`` that the line goes on after (another title,
    a salutation, a site note or a space): "在…会议上的讲话同志们：…"."""
    for m in _RUN_END.finditer(text[:80]):
        run = text[: m.end()]
        if re.search(r"[。！？；，,：:]", run) or not title_like(run):
            continue
        after = text[m.end() :]
        stripped = after.lstrip()
        if (
            not stripped
            or after[:1].isspace()
            or SALUTATION.match(stripped)
            or site.NOTE_LABEL.match(stripped)
            or PAGE_MARK.match(stripped)
            or re.match(rf"[^{CJK}“‘（(]", stripped)
            or _title_run_ahead(stripped)
            or (STRONG_TITLE.match(run) and len(stripped) >= 20)
        ):
            return run
    return None


def _title_run_ahead(text: str) -> bool:
    m = _RUN_END.search(text[:80])
    return bool(m) and not re.search(r"[。！？；，,：:]", text[: m.end()])


def _starts_body(line: str) -> bool:
    if site.site_reason(line, "head"):
        return False
    if SALUTATION.match(line) or BODY_MARKER.match(line):
        return True
    return site.is_prose(line) and site.site_reason(line, "head") is None


def _keep_in_head(line: str) -> bool:
    """A dateline, a byline or a draft note belongs to the speech's document."""
    return bool(DATELINE.match(line) or BYLINE.search(line) or DRAFT_NOTE.match(line))


def clean(text: str, occasion: str = "") -> Cleaned:
    """``occasion`` (the meeting's name, when the caller knows it) helps propose a title
    when the text has none."""
    repairs: dict[str, int] = {}
    lines, traditional = _repair(text, repairs)
    removed: list[Removed] = []
    lines = _join_preview_chunks(lines, removed)
    lines = _join_hard_wraps(lines, repairs)

    # Head: up to where the speech starts.
    head = _Head()
    head_lines: list[str] = []
    body: list[str] = []
    started = False
    for line in lines:
        if started:
            body.append(line)
            continue
        if not line:
            continue
        reason = site.site_reason(line, "head")
        if reason and len(line) < 60 and not title_like(line):
            head_lines.append(line)  # a short line of the page: nothing to peel
            continue
        rest = _peel(line, head)
        if not rest:
            continue
        if len(rest) >= 200:
            # A text on one line: what comes before its salutation is the page's head,
            # the rest is the speech (never dropped whole for a word a site also uses).
            m = SALUTATION_INSIDE.search(rest[:300])
            if m and m.start() > 0:
                before = _peel(rest[: m.start()], head).strip()
                if before:
                    head_lines.append(before)
                rest = rest[m.start() :]
            started = True
            body.append(rest)
            continue
        if _starts_body(rest):
            started = True
            body.append(rest)
        elif title_like(rest) and not site.site_reason(rest, "body"):
            head.titles.append(rest)
        else:
            head_lines.append(rest)
    if not started:  # no salutation, heading or prose: nothing to tell the head by
        body, head_lines = head_lines, []

    kept_head: list[str] = []
    for line in head_lines:
        if _keep_in_head(line):
            kept_head.append(line)
        else:
            removed.append(Removed(line, site.site_reason(line, "head") or site.HEAD))
    removed.extend(head.site)

    title, title_proposed = _choose_title(head.titles, removed)

    paragraphs = kept_head + _clean_body([b for b in body if b], removed)
    if not title:
        footer = next(
            (
                re.split(r"[:：]", r.line, maxsplit=1)[-1].strip()
                for r in removed
                if r.line.startswith("本文标题")
            ),
            "",
        )
        if footer:
            title = footer
        else:
            title, title_proposed = proposed_title(paragraphs, occasion), True
    return Cleaned(
        title=title,
        paragraphs=paragraphs,
        removed=removed,
        repairs=repairs,
        traditional=traditional,
        title_proposed=title_proposed,
    )


def _choose_title(candidates: list[str], removed: list[Removed]) -> tuple[str, bool]:
    """The last distinct title before the speech starts (sites put their own page title, the
    document's name and a repeat above the speech's own); the others are reported."""
    if not candidates:
        return "", False
    cleaned = [title_like(c) or c for c in candidates]
    key = [re.sub(r"\s", "", c) for c in cleaned]
    last = key[-1]
    chosen = key.index(last)
    for k, original in enumerate(candidates):
        if k == chosen:
            continue
        removed.append(
            Removed(original, site.TITLE_REPEATED if key[k] == last else site.PAGE_TITLE)
        )
    return cleaned[chosen], False


def _clean_body(body: list[str], removed: list[Removed]) -> list[str]:
    # The last paragraph of the speech: after it, the page's footer.
    last = -1
    for k, line in enumerate(body):
        if site.site_reason(line, "body") is None and (
            site.is_prose(line) or BODY_MARKER.match(line) or line[-1] in site.SENTENCE_END
        ):
            last = k
    kept: list[str] = []
    footer = False
    for k, line in enumerate(body):
        zone = "tail" if k > last else "body"
        reason = site.site_reason(line, zone)
        if reason is None and zone == "tail" and footer and not _ends_sentence(line):
            reason = site.TAIL
        if reason is not None:
            footer = footer or zone == "tail"
            removed.append(Removed(line, reason))
            continue
        line, footer = site.split_inline_footer(line)
        if footer:
            removed.append(Removed(footer, site.TAIL))
        line, addresses = site.strip_url_spans(line)
        removed.extend(Removed(a, site.WEB_ADDRESS) for a in addresses)
        if line:
            kept.append(line)
    return kept
