"""Work items proposed from a speech: concrete commitments and quantitative targets, each with
its place in the outline and the sentence it came from. Exhortations and descriptions of
the past are not work items. People decide; this only proposes."""

import re
from dataclasses import asdict, dataclass, field

from .outline import Node

SENTENCE = re.compile(r"(?<=[。；！？])")
# Verbs that commit to something that can be checked.
CONCRETE = re.compile(
    r"建立健全|建立|健全|设立|制定|出台|编制|修订|建成|开工|投产|引进|培育|新增|组建|举办|启动|"
    r"挂牌|成立|完成|创建|构建|打造|拓展|实施|开展|推进|实现|覆盖|落地|提高|降低|减少|增加|申报|争取"
)
# Words of exhortation and attitude: "要敢于担当" is not a task.
EXHORTATION = re.compile(
    r"敢于|善于|勇于|坚定|信心|思想|意识|精神状态|作风|态度|氛围|心往一处|劲往一处|共同心愿|"
    r"团结一切|认识到|我认为|大家|同志们|必须要有|形势|机遇|不摇摆|不空谈|不折腾|担当|"
    r"执行力|狠抓落实|要做到|从实际出发|的过程|动员令|良方|态势|重要条件|如果不|否则"
)
# A sentence that tells what already happened.
PAST = re.compile(
    r"^(今年以来|去年|近年来|近几年|目前|现已|已经|已|过去|刚才|这次会议|截至)|已(实施|建成|完成|组建)|"
    r"(取得|得到|给予|保持|实现|完成|提出|部署|召开)了"
)
# What higher levels do is context for the district, not its work item.
HIGHER = re.compile(r"^(国家|中央|省委|省政府|市委|市政府)")
# Framing, description and questions: context, not commitments.
DESCRIPTIVE = re.compile(
    r"^(比如|例如|当前|因此|所以|但是|然而|如何|在这么|另外|这些|这是|我们在|国家|中央|省委|省政府|市委|市政府)"
)
DEADLINE = re.compile(
    r"到\s*(?:\d{4}|20[xX×]{2})\s*年(?:末|底)?|(?:\d{4}|20[xX×]{2})年(?:底|末)前?|年底前|今年(?:内|底)|"
    r"[“\"]?十[三四五]五[”\"]?(?:期间|末|时期)|用\s*\d+(?:\s*[-至到~～]\s*\d+)?\s*年(?:的)?时间|"
    r"\d{1,2}月(?:底|末)前|[上下]半年|\d+\s*至\s*\d+\s*年"
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


@dataclass
class Proposal:
    order: int
    path: list[str]  # outline labels from the top: ["第二个问题", "一是"]
    sentence: str
    title: str
    targets: list[Target] = field(default_factory=list)
    deadline: str = ""
    placeholders: list[str] = field(default_factory=list)
    unit_id: int | None = None  # suggested lead unit
    unit_name: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _strip_deadline(text: str) -> str:
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


def is_work_item(sentence: str, targets: list[Target]) -> bool:
    body = sentence.strip()
    if len(body) < 8 or PAST.search(body) or body.endswith(("？", "?")):
        return False
    if DESCRIPTIVE.match(body) and (not targets or HIGHER.match(body)):
        return False
    if targets:
        return True
    return bool(CONCRETE.search(body)) and not EXHORTATION.search(body) and len(body) <= 150


def short_title(sentence: str) -> str:
    text = re.sub(
        r"^[一二三四五六七八九十\d]+[是要、.．]|^第[一二三四五六七八九十]+[，,]|^——", "", sentence
    )
    text = re.sub(r"^(我们|各级各部门|各乡镇|各部门|全区上下|全区)?(要|必须|需要|将)", "", text)
    text = _strip_deadline(text).rstrip("。；！？")
    text = re.sub(r"^(力争|确保|争取|努力)", "", text)
    if len(text) > 30:
        clauses = [c for c in re.split(r"[，,]", text) if c]
        first = clauses[0]
        text = first if len(first) >= 8 or len(clauses) == 1 else first + "，" + clauses[1]
    return text[:40]


def suggest_unit(sentence: str, units: list[tuple[int, str]]) -> tuple[int | None, str]:
    """The first unit of the dictionary that the sentence names (with or without 区)."""
    for pk, name in sorted(units, key=lambda u: -len(u[1])):
        short = name[1:] if name.startswith("区") and len(name) > 3 else None
        if name in sentence or (short and short in sentence):
            return pk, name
    return None, ""


def propose(root: Node, units: list[tuple[int, str]] | None = None) -> list[Proposal]:
    units = units or []
    proposals: list[Proposal] = []
    for path, node in root.walk():
        if node.kind == "root" or not node.text:
            continue
        labels = [n.label or n.title[:12] for n in path if n.kind != "paragraph"]
        for sentence in (s.strip() for s in SENTENCE.split(node.text)):
            if not sentence:
                continue
            found = targets_in(sentence)
            if not is_work_item(sentence, found):
                continue
            unit_id, unit_name = suggest_unit(sentence, units)
            deadline = (DEADLINE.search(sentence) or [""])[0]
            title = short_title(sentence)
            if found and found[0].indicator and found[0].text not in title:
                title = re.sub(r"^(力争|确保|争取|实现)", "", found[0].text)[:40]
            proposals.append(
                Proposal(
                    order=len(proposals) + 1,
                    path=labels,
                    sentence=sentence,
                    title=title,
                    targets=found,
                    deadline=deadline,
                    placeholders=sorted(set(PLACEHOLDER.findall(sentence))),
                    unit_id=unit_id,
                    unit_name=unit_name,
                )
            )
    return proposals
