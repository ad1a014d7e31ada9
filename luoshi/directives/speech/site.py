"""What makes a line (or the head of a line) site text rather than speech: what it is, never
which site it came from. A web copy of a speech carries the page around it: breadcrumbs,
publication stamps, the site's notices and adverts, paywall and preview notices, share and
comment blocks, addresses; document sites add preview chunk numbers and summaries. Speeches
do not say these things, so each is recognised by its shape or by the words only a site
uses, and each removal carries a reason a person can check."""

import re

CJK = "\u4e00-\u9fff"

# Reasons, as the review page lists them (translated there).
WEB_ADDRESS = "web address"
ADVERT = "ghost-writing advert"
PAYWALL = "paywall or preview notice"
SITE_NOTICE = "site notice"
METADATA = "article metadata"
BREADCRUMB = "breadcrumb"
STAMP = "date and time stamp"
VIEW_COUNT = "date and view count"
SHARE = "share block"
COMMENTS = "comments"
TIP_BOX = "tip box"
READ_MORE = "“read more” link"
FOOTER = "article footer"
RELATED = "related links"
NAVIGATION = "site navigation"
PAGE_TOOLS = "page tools"
GREETING = "greeting to the visitor"
PAGE_MARK = "page mark"
HEAD = "page text before the speech"
TAIL = "after the end of the speech"
TITLE_REPEATED = "title repeated"
PAGE_TITLE = "page title"

URL = re.compile(
    r"https?://\S+|www\.[\w.-]+|\b[\w-]+\.(?:com|cn|net|org|gov|edu|top|cc|xyz|info|tw|hk|vip)"
    r"(?:\.cn)?\b(?:/\S*)?",
    re.I,
)
# Anywhere, at any length: only adverts and paywalls say these.
STRONG = [
    (
        re.compile(
            r"代写|代笔|写作服务|专业写手|加微信|微信号|加V|联系老师|扫码联系|请扫码|[👉👈]|"
            r"定制(?:代笔|写作|范文|此类)|原创(?:范文|文章)(?:咨询|定制)|咨询客服老师|"
            r"公文写作神器|写作范文宝典"
        ),
        ADVERT,
    ),
    (
        re.compile(
            r"全文共\s*[\d,]+\s*字|省略\s*[\d,]+\s*字|当前(?:仅)?显示\s*[\d,]+\s*字|预览结束|"
            r"正式会员|开通会员|免费获取全文|想预览更多|点击预览全文|想阅读完全部|阅读完整|"
            r"付费前请|请先登录|登录后(?:查看|阅读|下载)"
        ),
        PAYWALL,
    ),
    (re.compile(r"^(?:您好|欢迎(?:您|访问|来到|光临)|亲爱的(?:用户|读者|网友))"), GREETING),
]
# Words only a site uses about itself; weak alone (a speech may say 分享 or 下载), so they
# count where the line is short, at the head or tail, or where two come together.
SITE_WORDS = re.compile(
    r"本站|本网|网站|网友|用户上传|会员|上传|下载|登录|注册|收藏|小编|范文|文库|素材|资料库|"
    r"版权|侵权|投诉|免责|声明|仅供参考|供大家参考|参考价值|客服|阅读全文|全文|预览|付费|"
    r"分享|转载|浏览|点击|复制|在线阅读|珍藏版|文档|发表评论|留言|打赏|赞赏|热门|推荐"
)
# Labels that open a site's own block: a note about the text, or its metadata.
NOTE_LABEL = re.compile(
    r"^(?:编者按|导语|导读|文章导读|摘要|内容摘要|本文简介|内容简介|本文内容|内容预览|文档介绍|"
    r"温馨提示|申明敬告|免责声明|前言|相关推荐|相关文章|相关阅读|猜你喜欢|推荐阅读|精选留言|"
    r"我要留言|发表评论|网友评论|本文标题|链接地址|本文链接|原文链接|文章地址|本文地址)\s*[:：]?"
)
SUMMARY_LABEL = re.compile(r"^(?:编者按|导语|导读|文章导读|摘要|内容摘要|本文简介|内容简介|前言)")
CONTENT_LABEL = re.compile(r"(?:本文内容|正文内容|全文内容)\s*[:：]")
METADATA_LABEL = re.compile(
    r"^(?:来源|作者|编辑|责任编辑|发布时间|发布日期|发表时间|更新时间|时间|日期|浏览|浏览量|阅读|阅读量|"
    r"点击|点击量|字体|字号|分类|栏目|标签|关键词|所在栏目)\s*[:：]"
)
SOURCE_PREFIX = re.compile(r"^(?:来源|出处|作者)[:：]?")
BREADCRUMB_SEP = re.compile(r"\s*(?:>>?|›|»|→|/)\s*")
DATE_ISO = re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}-\d{1,2}\b")
TIME_OF_DAY = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
BULLET = re.compile(r"^[-•·*]\s")
# A line that opens with a heading marker is the speech's, whatever words it has.
HEADING_START = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|第[一二三四五六七八九十]{1,3}|[①-⑳]|——)"
)
SENTENCE_END = "。！？；!?;"
LINE_END = SENTENCE_END + "：:”’」』…)）"

# Older line patterns (kept: each describes a kind of page furniture).
PATTERNS = [
    (re.compile(r"^阅读全文|^全文阅读|^查看全文|^展开全文"), READ_MORE),
    (re.compile(r"赏赞|打赏|赞赏|^[¥￥]\s*[\d.]+$"), TIP_BOX),
    (
        re.compile(
            r"^分享[:：]?$|^分享到|扫一扫|^微信订阅号$|^二维码$|^(?:微信|微博|QQ空间|朋友圈)$"
        ),
        SHARE,
    ),
    (re.compile(r"^精选留言$|^我要留言$|^发表评论|^评论\s*\d*$|^网友评论"), COMMENTS),
    (re.compile(r"^关于本文$|^本文标题[:：]|^链接地址[:：]|^本文链接[:：]|^原文链接[:：]"), FOOTER),
    (
        re.compile(
            r"^相关(?:内容|文章|阅读|推荐)$|热门推荐|^•?\s*本[周月日]热门$|^猜你喜欢|^推荐阅读"
        ),
        RELATED,
    ),
    (
        re.compile(r"^联系客服$|^客服|^在线咨询|^返回顶部|^回到顶部|^返回$|^上一篇|^下一篇"),
        NAVIGATION,
    ),
    (re.compile(r"^查看更多|如果喜欢本篇内容"), NAVIGATION),
    (re.compile(r"^(?:首页|当前位置|您的位置|您的当前位置)"), BREADCRUMB),
    (re.compile(r"^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s+\d+$"), VIEW_COUNT),
    (
        re.compile(
            r"^(?:浏览|阅读|点击)(?:量|次数)?[:：]?\s*\d+|^\d+\s*(?:次阅读|人阅读|次浏览|阅读)$"
        ),
        VIEW_COUNT,
    ),
    (
        re.compile(
            r"^(?:字体|字号)[:：]?\s*[大中小]|^【?(?:打印本页|关闭窗口|打印|关闭|正文复制|复制)】?$"
        ),
        PAGE_TOOLS,
    ),
]


def cjk_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def is_prose(line: str) -> bool:
    """A sentence or more of running text (a speech's paragraph, or a site's notice)."""
    return cjk_count(line) >= 20 and any(p in line for p in "，,。；;！!？?")


def site_reason(line: str, zone: str = "body") -> str | None:
    """Why ``line`` is site text, or None. ``zone`` is head (before the speech starts),
    body, or tail (after its last paragraph): outside the body weaker evidence suffices."""
    text = line.strip()
    if not text:
        return None
    for pattern, why in STRONG:
        if pattern.search(text):
            return why
    if NOTE_LABEL.match(text):
        return (
            FOOTER
            if re.match(r"^(?:本文标题|链接地址|本文链接|原文链接|文章地址|本文地址)", text)
            else SITE_NOTICE
        )
    if METADATA_LABEL.match(text) and (zone != "body" or cjk_count(text) <= 30):
        return METADATA
    for pattern, why in PATTERNS:
        if pattern.search(text):
            return why
    url = URL.search(text)
    if url and (not is_prose(URL.sub("", text)) or zone != "body"):
        return WEB_ADDRESS
    if _stamp(text):
        return STAMP
    if _breadcrumb(text):
        return BREADCRUMB
    if zone != "body" and BULLET.match(text):
        return SITE_NOTICE
    if zone == "body" and cjk_count(text) >= 80:
        return None  # a paragraph of the speech: only the strong signs above remove it
    words = set(SITE_WORDS.findall(text))
    short = cjk_count(text) < 30
    heading = zone == "body" and HEADING_START.match(text)
    # In the speech a short sentence may say 分享 or 下载; the page's own lines end unstopped.
    stopped = text[-1] in SENTENCE_END + "”"
    if words and not heading and (zone != "body" or (short and not stopped) or len(words) >= 2):
        return SITE_NOTICE
    if not any("\u4e00" <= c <= "\u9fff" or c.isalnum() for c in text) and zone != "body":
        return HEAD if zone == "head" else TAIL
    return None


def _breadcrumb(text: str) -> bool:
    parts = [p for p in BREADCRUMB_SEP.split(text) if p]
    seps = len(BREADCRUMB_SEP.findall(text))
    if seps >= 2 and all(len(p) <= 16 for p in parts) and not any(c in text for c in "。，,"):
        return True
    # "某网 资料文库 某某范文": short words side by side, none of them a sentence.
    tokens = text.split()
    return (
        len(tokens) >= 3
        and all(2 <= len(t) <= 12 for t in tokens)
        and not any(c in text for c in SENTENCE_END + "，,")
        and not all(len(t) == 1 for t in tokens)
    )


def _stamp(text: str) -> bool:
    """A publication stamp: a numeric date or a time of day on a short line of no sentence."""
    if any(c in text for c in SENTENCE_END):
        return False
    if cjk_count(text) > 20:
        return False
    return bool(TIME_OF_DAY.search(text) or DATE_ISO.search(text)) and not re.search(
        r"\d{4}年|\d{1,2}月\d{1,2}日", text
    )


# Where a page's footer starts when it was copied onto the speech's last line.
INLINE_FOOTER = re.compile(
    r"(?<=[。！？!?…])\s*(?:阅读全文|展开全文|查看全文|分享[:：]|本文标题[:：]|链接地址[:：]|本文链接[:：]|"
    r"相关(?:内容|推荐|文章|阅读)|上一篇[:：]|下一篇[:：]|预览结束|[（(]未完|……[（(])"
)


def split_inline_footer(line: str) -> tuple[str, str]:
    """(the speech, the footer glued to its end) for a long line; footer empty if none."""
    if len(line) < 200:
        return line, ""
    m = INLINE_FOOTER.search(line, len(line) // 2)
    return (line[: m.start()], line[m.start() :]) if m else (line, "")


def strip_url_spans(line: str) -> tuple[str, list[str]]:
    """A paragraph of the speech with an address pasted into it: the address goes alone."""
    found = URL.findall(line)
    return (URL.sub("", line).strip(), found) if found else (line, [])
