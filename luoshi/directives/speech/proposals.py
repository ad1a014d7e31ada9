"""Work items proposed from a speech: every sentence (or clause of a list) that may be a
concrete commitment, with its place in the outline, the sentence it came from, any target
and deadline, and a confidence (judge.py) that says how sure the reading is. The review page
shows the likely ones and folds the rest away; people decide."""

import re
from dataclasses import asdict, dataclass, field

from .judge import FRAMING, FUTURE, PAST, PAST_LE, Context, judge
from .outline import Node
from .targets import (  # noqa: F401 (targets_in and Target are this module's API too)
    DEADLINE,
    PLACEHOLDER,
    Target,
    _strip_deadline,
    deadline_in,
    rank_targets,
    targets_in,
)

SHOWN = 0.5  # a proposal at or above this is shown; below it, folded away
KEPT = 0.25  # below this a sentence is not proposed at all
SENTENCE = re.compile(r"(?<=[。！？])")
CLAUSE = re.compile(r"(?<=；)")


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
    confidence: float = 1.0
    reasons: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.confidence >= SHOWN

    def as_dict(self) -> dict:
        return asdict(self)


def is_work_item(sentence: str, targets: list[Target] | None = None) -> bool:
    """Would ``sentence`` alone be shown as a work item?"""
    found = targets if targets is not None else targets_in(sentence)
    return judge(sentence, Context(), bool(found), deadline_in(sentence)).confidence >= SHOWN


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


def _clauses(sentence: str) -> list[tuple[str, Context]]:
    """A sentence, or the clauses of a list it makes with ；, each with what its lead-in
    ("今年采取了一系列措施：…；…。") says of them all."""
    parts = [c for c in CLAUSE.split(sentence) if c.strip()]
    if len(parts) < 2:
        return [(sentence, Context())]
    lead = sentence.split("：", 1)[0] if "：" in parts[0] else ""
    context = Context(
        lead_past=bool(lead and (PAST.search(lead) or PAST_LE.search(lead))),
        lead_future=bool(lead and FUTURE.search(lead)),
    )
    return [(c, context) for c in parts]


def propose(root: Node, units: list[tuple[int, str]] | None = None) -> list[Proposal]:
    units = units or []
    proposals: list[Proposal] = []
    for path, node in root.walk():
        if node.kind == "root" or not node.text:
            continue
        labels = [n.label or n.title[:12] for n in path if n.kind != "paragraph"]
        # A heading's own words: a text on one line may have run its first sentence into it.
        headings = [n.title[:20] for n in path if n.kind == "heading"]
        items = [n for n in path if n.kind == "item"]
        topic = items[-1].title if items else ""
        # The opening of a list ("主要目的是：一是…") speaks for its items.
        framing = bool(node.kind == "item" and FRAMING.search(node.intro))
        for sentence in (s.strip() for s in SENTENCE.split(node.text)):
            for clause, context in _clauses(sentence):
                clause = clause.strip()
                if not clause:
                    continue
                context.heading = headings[-1] if headings else ""
                context.headings = " ".join(headings)
                context.topic_future = bool(topic and FUTURE.search(topic))
                context.framing = framing
                found = targets_in(clause)
                deadline = deadline_in(clause)
                found += rank_targets(clause, deadline)
                verdict = judge(clause, context, bool(found), deadline)
                if verdict.confidence < KEPT:
                    continue
                unit_id, unit_name = suggest_unit(clause, units)
                title = short_title(clause)
                if found and found[0].indicator and found[0].text not in title:
                    title = re.sub(r"^(力争|确保|争取|实现)", "", found[0].text)[:40]
                proposals.append(
                    Proposal(
                        order=len(proposals) + 1,
                        path=labels,
                        sentence=clause,
                        title=title,
                        targets=found,
                        deadline=deadline,
                        placeholders=sorted(set(PLACEHOLDER.findall(clause))),
                        unit_id=unit_id,
                        unit_name=unit_name,
                        confidence=verdict.confidence,
                        reasons=verdict.reasons,
                    )
                )
    return proposals
