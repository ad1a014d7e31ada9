"""Cleaning a speech as it arrives from the web: site text out, conversion damage repaired,
Traditional characters converted, the title recovered; every removal reported so a person
can check that no line of the speech itself went with it."""

import re
from dataclasses import dataclass, field

from .read import common_ratio

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

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


# Site text, one line at a time: (pattern, why it goes).
BOILERPLATE = [
    (r"^阅读全文|想阅读完全部|^全文阅读|^查看全文|^展开全文", "“read more” link"),
    (r"赏赞|打赏|赞赏|^¥\s*[\d.]+$|^￥\s*[\d.]+$", "tip box"),
    (
        r"^分享[:：]?$|^分享到|扫一扫|^微信订阅号$|^二维码$|^(微信|微博|QQ空间|朋友圈)$",
        "share block",
    ),
    (r"^精选留言$|^我要留言$|^发表评论|^评论\s*\d*$|^网友评论", "comments"),
    (r"^关于本文$|^本文标题[:：]|^链接地址[:：]|^本文链接[:：]|^原文链接[:：]", "article footer"),
    (
        r"^相关(内容|文章|阅读|推荐)$|热门推荐|^•?\s*本[周月日]热门$|^猜你喜欢|^推荐阅读",
        "related links",
    ),
    (r"^联系客服$|^客服|^在线咨询|^返回顶部|^回到顶部", "site navigation"),
    (r"^查看更多|如果喜欢本篇内容|^上一篇[:：]|^下一篇[:：]", "site navigation"),
    (
        r"^(首页|当前位置|您的位置)\s*[>›»:：]|^[^。，]{1,16}\s*[>›»]\s*[^。，]{1,16}\s*[>›»]",
        "breadcrumb",
    ),
    (
        r"代写|代笔|写作服务|专业写手|原创范文|范文网|范文大全|免费下载|下载本文|复制全文|开通会员",
        "ghost-writing advert",
    ),
    (r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+\d+$", "date and view count"),
    (r"^(浏览|阅读|点击)(量|次数)?[:：]?\s*\d+|^\d+\s*(次阅读|人阅读|次浏览|阅读)$", "view count"),
    (r"^(字体|字号)[:：]?\s*[大中小]|^【?(打印本页|关闭窗口|打印|关闭)】?$", "page tools"),
    (r"^(责任编辑|编辑|来源|作者|发布时间|发布日期)[:：]\s*\S{0,30}$", "article metadata"),
    (r"^\s*(https?://|www\.)\S+\s*$", "web address"),
]
_BOILERPLATE = [(re.compile(p), why) for p, why in BOILERPLATE]
# After one of these the speech is over: what follows is the site's footer.
FOOTER_ANCHOR = re.compile(
    r"^(阅读全文|本文标题[:：]|链接地址[:：]|相关内容$|精选留言$|分享[:：]?$)"
)
SALUTATION = re.compile(r"^(同志们|各位(领导|代表|委员|同志)|女士们|先生们)")

_PINYIN = re.compile(rf"(?<=[{CJK}])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêń]{{1,6}}[)）]")
_LINE_JUNK = re.compile(r"^[ \t]*(?:\?{2,}|？{2,}|\ufffd+)[ \t]*")
_MISALIGNED = re.compile(r"\?([^?\n]{2,80}?)\?")
_FOLD = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_UNFOLD = str.maketrans(_FOLD)
_ASCII_PUNCT = re.compile(rf"(?<=[{CJK}“”‘’（）])([,:;?!()])|([,:;?!()])(?=[{CJK}“‘（])")


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


def _is_body(line: str) -> bool:
    """A line of the speech proper: long prose, or a salutation, or a numbered heading."""
    return len(line) >= 40 or bool(SALUTATION.match(line))


def clean(text: str) -> Cleaned:
    repairs: dict[str, int] = {}
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
    lines = [line for line in text.split("\n") if line]

    removed: list[Removed] = []
    kept: list[str] = []
    footer = False
    body_started = False
    for line in lines:
        if FOOTER_ANCHOR.match(line):
            footer = True
        reason = next((why for pattern, why in _BOILERPLATE if pattern.search(line)), None)
        if reason is None and footer and len(line) < 40:
            reason = "after the end of the article"
        if reason is not None and not (body_started and len(line) >= 60 and not footer):
            removed.append(Removed(line, reason))
            continue
        body_started = body_started or _is_body(line)
        kept.append(line)

    title = ""
    footer_title = next(
        (
            r.line.split("：", 1)[-1].split(":", 1)[-1].strip()
            for r in removed
            if r.line.startswith("本文标题")
        ),
        "",
    )
    if (
        kept
        and len(kept[0]) <= 40
        and not re.search(r"[。，；：！？]$", kept[0])
        and not SALUTATION.match(kept[0])
    ):
        title = kept.pop(0)
    elif footer_title:
        title = footer_title
    # The title again at the top of the body (sites print it twice) is not part of the speech.
    while kept and kept[0] == title:
        removed.append(Removed(kept.pop(0), "title repeated"))
    return Cleaned(
        title=title, paragraphs=kept, removed=removed, repairs=repairs, traditional=traditional
    )
