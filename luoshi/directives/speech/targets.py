"""Quantitative targets and deadlines in a sentence: "到2027年末，全区森林覆盖率达到62.5%以上",
"确保全市前X"; placeholders (X, XX, 20xx) are kept as written and flagged for a person."""

import re
from dataclasses import dataclass

DEADLINE = re.compile(
    r"到\s*(?:\d{4}|20[xX×]{2})\s*年(?:末|底)?|(?:\d{4}|20[xX×]{2})年(?:底|末)前?|年底前|今年(?:内|底)|"
    r"[“\"]?十[三四五]五[”\"]?(?:期间|末|时期)|用\s*\d+(?:\s*[-至到~～]\s*\d+)?\s*年(?:的)?时间|"
    r"\d{1,2}月(?:底|末|初|上旬|中旬|下旬)前?|[上下]半年|\d+\s*至\s*\d+\s*年|"
    r"(?:\d{2,4}|今|明)年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:前|之前)?|年内|季度末|本季度|本月底"
)
PLACEHOLDER = re.compile(r"20[xX×]{2}|[xX×]{1,3}(?![a-zA-Z])")
UNIT = (
    r"%|‰|亿立方米|万立方米|立方米|平方公里|平方米|万平方米|亿元|万元|元|万美元|万人|人次|人|万户|户|"
    r"万亩|亩|公里|千米|米|万吨|吨|千瓦|兆瓦|个|家|所|座|条|项|件|场|次|台|辆|套|张|名|位|类|倍|天|小时|年"
)
VALUE = r"(\d+(?:\.\d+)?|[xX×]{1,3}|XX)"
# comparison words around a value: (pattern, comparison)
TARGET = re.compile(
    rf"(?P<before>[^，。；：,]*?)(?P<verb>达到|达|不低于|不少于|超过|突破|增长|提高到|提升到|控制在|不超过|不高于|降低到|降到|下降到|减少到)?"
    rf"\s*{VALUE}\s*(?P<unit>{UNIT})(?P<after>以上|以内|以下|左右|之内)?"
)
COUNT_VERBS = re.compile(r"新增|新建|新培育|建成|引进|培育|创建|打造")
COMMIT = re.compile(r"确保|力争|争取")
GE, LE, EQ = "ge", "le", "eq"
LE_WORDS = {"控制在", "不超过", "不高于", "降低到", "降到", "下降到", "减少到"}


@dataclass
class Target:
    text: str  # the words as the speech has them: "全区森林覆盖率达到60%以上"
    indicator: str
    comparison: str  # ge | le | eq
    value: str  # as written: "60", "XX"
    unit: str
    deadline: str = ""
    placeholder: bool = False


RANK = re.compile(
    r"(?P<scope>全[省市区县]|全[省市]各县[（(]?[市区]?[)）]?)(?P<how>前|第)\s*(?P<value>\d+|[xX×]{1,3}|[一二三四五六七八九十]{1,2})"
    r"|(?P<bottom>不垫底|不落后|走在[全前]\w{0,4}前列|进入[^，。；]{0,8}(?:第一方阵|前列|优秀等次))"
)


def rank_targets(sentence: str, deadline: str = "") -> list[Target]:
    """Places in a ranking: "确保全市前X", "力争全市第X", "在全市不垫底"."""
    out = []
    for m in RANK.finditer(sentence):
        if m.group("bottom"):
            text = m.group("bottom")
            out.append(Target(text, "排名", GE, text, "", deadline))
            continue
        value = m.group("value")
        out.append(
            Target(
                m.group(0),
                f"{m.group('scope')}排名",
                LE,
                value,
                "名",
                deadline,
                placeholder=bool(PLACEHOLDER.fullmatch(value)),
            )
        )
    return out


def _strip_deadline(text: str) -> str:
    """The words without their deadline ("要在10月底前完成" → "要完成")."""
    text = re.sub(r"在\s*(?=" + DEADLINE.pattern + ")", "", text)
    return DEADLINE.sub("", text).strip("，, ")


def targets_in(sentence: str) -> list[Target]:
    deadline = (DEADLINE.search(sentence) or [""])[0]
    out = []
    for m in TARGET.finditer(sentence):
        verb, after = m.group("verb") or "", m.group("after") or ""
        # "新增城镇就业X万人", "确保脱贫XX万人": the count is the target even without 达到.
        counted = COUNT_VERBS.search(m.group("before")) or COMMIT.search(sentence[: m.start(3)])
        if sentence[m.end() : m.end() + 1].isdigit() or m.group("before").endswith(("“", '"')):
            continue  # part of a name: "5个100工程"
        if not verb and not after and not counted:
            continue  # a number that is no target ("三大战略", "第X届")
        value, unit = m.group(3), m.group("unit")
        if unit == "年" and not verb:
            continue
        comparison = LE if verb in LE_WORDS or after in ("以内", "以下", "之内") else GE
        if verb in ("达到", "达") and not after:
            comparison = GE
        indicator = _strip_deadline(m.group("before"))
        indicator = re.sub(r"^(力争|确保|实现|争取|使|全面|基本|努力)", "", indicator).strip()
        out.append(
            Target(
                text=_strip_deadline(m.group(0)).strip("、，, "),
                indicator=indicator[-30:],
                comparison=comparison,
                value=value,
                unit=unit,
                deadline=deadline,
                placeholder=bool(PLACEHOLDER.fullmatch(value)),
            )
        )
    return out


def deadline_in(sentence: str) -> str:
    return (DEADLINE.search(sentence) or [""])[0]
