"""A speech's title: a line that reads as one (it names a speech, a report or an address
and is not a sentence), with what sites hang on it taken off; or, when the text has none,
one proposed from the occasion the speech itself names."""

import re

from . import site

# How the title of a speech, a report or an address ends.
TITLE_END = (
    r"(?:讲话稿|讲话提纲|讲话材料|讲话|讲稿|发言稿|发言材料|发言提纲|发言|致辞|答谢词|主持词|主持讲话|"
    r"工作报告|报告|汇报材料|汇报提纲)"
)
_ENDS = re.compile(TITLE_END + r"$")
# What sites put around a title: a file extension, a page code, a tag in brackets, a
# category after a bar, a page or article number.
_DECORATION = [
    re.compile(r"\.(?:docx?|pdf|wps|txt)$", re.I),
    re.compile(r"^\d{6,8}[:：]"),
    re.compile(r"^[\[【][^\]】]{1,20}[\]】]"),
    re.compile(r"[|｜].*$"),
    re.compile(r"[（(](?:\d{1,3}|范文推荐|精选|完整版|最新|推荐|全文|范文)[)）]$"),
    re.compile(r"篇\d{1,3}$"),
]


def title_like(line: str) -> str | None:
    """The title ``line`` holds, or None when it is no speech title."""
    text = line.strip()
    for pattern in _DECORATION:
        text = pattern.sub("", text).strip()
    if text and all(len(t) == 1 for t in text.split()):  # "政 府 工 作 报 告"
        text = text.replace(" ", "")
    if not 5 <= len(text) <= 60 or re.search(r"[。！？；!?;：:]", text):
        return None
    if site.SITE_WORDS.search(text) or site.SOURCE_PREFIX.match(text) or site.URL.search(text):
        return None
    if re.search(r"[>›»]|^首页|\s", text):  # a breadcrumb, or words side by side
        return None
    if not _ENDS.search(text) or text.startswith("《"):  # a cited document, not a title
        return None
    return text


# The occasion a speech names in its opening: "召开全县招商引资工作会议", "这次全区工作会议".
MEETING = r"(?:会议|大会|推进会|动员会|座谈会|例会|调度会|分析会|观摩会|部署会|讲评会|表彰会|总结会|培训会|全会|现场会|联席会|汇报会|誓师会|论坛|活动)"
OCCASION = [
    re.compile(rf"在([^，。；：、\s]{{4,40}}?{MEETING})上"),
    re.compile(rf"召开(?:了)?(?:这次|本次|今天的|此次)?([^，。；：、\s]{{4,40}}?{MEETING})"),
    re.compile(rf"(?:这次|本次|此次|今天的)([^，。；：、\s]{{4,40}}?{MEETING})"),
    re.compile(rf"举行([^，。；：、\s]{{4,40}}?{MEETING})"),
]


def proposed_title(paragraphs: list[str], occasion: str = "") -> str:
    """ "在<会议>上的讲话" from the occasion the opening names; else from the caller's
    (the meeting the speech is filed under); else a placeholder a person replaces."""
    for text in paragraphs[:4]:
        found = sorted(
            (m.start(), m.group(1)) for pattern in OCCASION for m in pattern.finditer(text)
        )
        for _at, name in found:
            name = re.sub(r"^(?:这次|本次|此次|今天的|了)", "", name)
            name = re.sub(r"^(?:在这里|在此|专题|隆重|专门|决定)", "", name)
            # "召开的一次重要会议" names no meeting.
            if len(name) >= 4 and not re.match(r"^(?:的|一次|一个|这个|那次)", name):
                return f"在{name}上的讲话"
    if occasion:
        return f"在{occasion}上的讲话"
    return "讲话（标题待定）"
