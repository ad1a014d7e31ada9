"""Redacting a fault-tolerance precedent by structure, before a person reviews it.

The probe found the "anonymised" library still naming villages and units, a head's full name, a
phone number and most of an ID number: the old code replaced only the applicant unit's own name
and an 11-digit run. Here every name Luoshi knows is removed — every unit in the tree with its
former names and codes, every person's name and user name — and then what Luoshi cannot know by
pattern: ID numbers (whole or partly masked), phone numbers in their usual spellings, e-mail
addresses, credit codes, long numbers, and a name written next to a title (张某某书记, 村支书李四).
What remains is shown to the office to read and edit before anyone else sees it
(`do_review_precedent`), which checks the patterns again.
"""

import re

UNIT = "某单位"
PERSON = "某某"
NUMBER = "（号码已隐去）"

_PATTERNS = [
    # ID numbers, whole or with some digits masked: 18 (or 15) places of digits, * and X.
    (re.compile(r"(?<![0-9A-Za-z])[0-9]{6}[0-9*＊xX]{8,11}[0-9xX*＊](?![0-9A-Za-z])"), NUMBER),
    # 统一社会信用代码 (18 places) and other long codes mixing digits and capitals.
    (re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{2}[0-9]{6}[0-9A-Z]{10}(?![0-9A-Za-z])"), NUMBER),
    # Mobile numbers, also spelled 138-0000-0000, 138 0000 0000, +86 13800000000, 138****0000.
    (re.compile(r"(?:\+?86[-\s]?)?1[3-9][0-9][-\s]?[0-9*＊]{4}[-\s]?[0-9]{4}(?![0-9])"), NUMBER),
    # Landlines: 0571-88888888, (0571)8888888, 021 6666 6666.
    (re.compile(r"[(（]?0[0-9]{2,3}[)）]?[-\s]?[0-9]{3,4}[-\s]?[0-9]{4}(?![0-9])"), NUMBER),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"), NUMBER),
    # Any other run of 11 or more digits (bank cards, account numbers).
    (re.compile(r"[0-9][0-9\s-]{9,}[0-9]"), NUMBER),
]

_TITLES = (
    "书记|副书记|支书|主任|副主任|镇长|副镇长|乡长|村长|组长|局长|副局长|科长|股长|站长|所长|"
    "队长|社长|经理|董事长|负责人|联络员|同志|网格员|村医|会计|出纳|文书|委员"
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤"
)
# A surname and one or two more characters, written after a title (村支书李四, 主任：王五) or
# before one (王建国书记, 张三同志).
# The third character is left out when it starts the next word (李四同意 is 李四 + 同意).
_GIVEN = (
    r"[\u4e00-\u9fff](?:(?![同到在说等和及与对为的已表称向将把被带了是也都就经因])[\u4e00-\u9fff])?"
)
_AFTER_TITLE = re.compile(rf"({_TITLES})([：:\s]?)([{_SURNAMES}]{_GIVEN})")
_BEFORE_TITLE = re.compile(rf"([{_SURNAMES}][\u4e00-\u9fff]{{1,2}})(?=(?:{_TITLES}))")


def _titled_names(text: str) -> list[str]:
    return [m.group(3) for m in _AFTER_TITLE.finditer(text)] + [
        m.group(1) for m in _BEFORE_TITLE.finditer(text)
    ]


def _redact_titled(text: str) -> str:
    text = _AFTER_TITLE.sub(lambda m: m.group(1) + m.group(2) + PERSON, text)
    return _BEFORE_TITLE.sub(PERSON, text)


_SUFFIXES = ("社区", "街道", "村", "镇", "乡", "局", "委", "办")


def _known_names(units, people) -> list[tuple[str, str]]:
    """(text, replacement) for every unit name, its short form (张家湾村 → 张家湾), former
    name and code, and every person's name and user name."""
    found = []
    for name in units:
        if not name or len(name) < 2:
            continue
        found.append((name, UNIT))
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                found.append((name[: -len(suffix)], UNIT))
                break
    for name in people:
        if name and len(name) >= 2:
            found.append((name, PERSON))
    # Longest first, so 甲一村 goes before a shorter name inside it could split it.
    return sorted(set(found), key=lambda pair: len(pair[0]), reverse=True)


def _occurrences(name: str) -> re.Pattern:
    """A Chinese name anywhere; a Latin one (a code, a user name) only as a whole word."""
    if name.isascii():
        return re.compile(rf"(?<![A-Za-z0-9_.-]){re.escape(name)}(?![A-Za-z0-9_-])", re.I)
    return re.compile(re.escape(name))


def redact(text: str, *, units, people) -> str:
    """The text with every known unit and person, and every identifying pattern, removed."""
    for name, replacement in _known_names(units, people):
        text = _occurrences(name).sub(replacement, text)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _redact_titled(text)


def leftovers(text: str, *, units, people) -> list[str]:
    """What in an edited precedent still looks identifying (empty when none)."""
    found = [n for n, _r in _known_names(units, people) if _occurrences(n).search(text)]
    for pattern, _r in _PATTERNS:
        found += [m.group(0) for m in pattern.finditer(text)]
    found += _titled_names(text)
    return [f for f in found if f not in (UNIT, PERSON, NUMBER) and PERSON not in f]


def directory():
    """Every unit name (current and former) and code, and every person's name and user name."""
    from luoshi.accounts.models import User
    from luoshi.orgs.models import Unit, UnitName

    units = list(Unit.objects.values_list("name", flat=True))
    units += list(Unit.objects.values_list("code", flat=True))
    units += list(UnitName.objects.values_list("name", flat=True))
    people = list(User.objects.exclude(full_name="").values_list("full_name", flat=True))
    people += list(User.objects.values_list("username", flat=True))
    return {"units": units, "people": people}
