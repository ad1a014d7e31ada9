"""The quarterly bulletin (季通报) and monthly report (月专报), composed from a run and the
supervision data as a plain structure that the Word, PDF and web renderers all draw.

Every number in a sentence is a ``Fact``: its text as printed and the address of the page
it comes from, so the web preview links each one and a test can check that no number in
the prose was typed by hand.

The text is official: what a person reads names periods in words (2026年第三季度) and holds
no internal ids or checksums; those go in the document's properties (``properties``, filled
by ``publishing.properties``), which both the Word and the PDF copy carry.
"""

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from luoshi.evaluation.models import Run, RunResult
from luoshi.lib.periods import Period
from luoshi.lib.rounding import half_up
from luoshi.supervision.calendar import load_calendar
from luoshi.supervision.models import Light, Task

from .results import grade_order


@dataclass(frozen=True)
class Fact:
    text: str  # as printed, e.g. "82.35"
    href: str  # where the number comes from


Segment = str | Fact


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative column widths
    left: tuple[int, ...] = ()  # columns of running text, aligned left (others centred)


@dataclass
class Section:
    heading: str
    paragraphs: list[list[Segment]] = field(default_factory=list)
    tables: list[tuple[str, Table]] = field(default_factory=list)  # (caption, table)
    charts: list[tuple[str, dict]] = field(default_factory=list)  # (caption, chart data)
    # Paragraphs about the tables or charts above them, printed after them.
    notes: list[list[Segment]] = field(default_factory=list)


@dataclass
class OfficialDocument:
    kind: str  # "bulletin" (季通报) or "report" (月专报)
    issuer: str  # 发文机关标志
    number: str  # 发文字号
    title: str
    addressee: str  # 主送机关
    sections: list[Section]
    signature: str  # 落款
    signed_on: date
    copy_to: str  # 抄送
    printed_by: str  # 印发机关
    # Where the content comes from, for the properties only: never printed.
    source_note: str = ""
    # Traceability (run, inputs' checksum, document id …): the Word and PDF properties.
    properties: dict[str, str] = field(default_factory=dict)

    def facts(self):
        for section in self.sections:
            for paragraph in (*section.paragraphs, *section.notes):
                yield from (s for s in paragraph if isinstance(s, Fact))


def cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def quoted(text: str) -> str:
    """“text”, its own double quotes turned single (‘’), as quotes within quotes are set."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def period_words(period: Period) -> str:
    """2026-Q3 → 2026年第三季度 (kept for callers; see ``Period.chinese``)."""
    return period.chinese


def points_text(value: float) -> str:
    return f"{half_up(value, 2):.2f}"


def issuer_name(owner) -> str:
    """The red issuer mark: the setting, or the jurisdiction's 督查考评办公室."""
    return settings.LUOSHI_ISSUER or f"{owner.name}督查考评办公室"


def doc_prefix(owner) -> str:
    """The document numbers' prefix: the setting, or the jurisdiction's first two characters."""
    return settings.LUOSHI_DOC_PREFIX or owner.name[:2]


def issuer_of(run: Run) -> str:
    return issuer_name(run.version.scheme.owner)


def compose(run: Run, *, sequence: int, today: date | None = None) -> OfficialDocument:
    """The document for a published run; ``sequence`` is its number within the year."""
    today = today or timezone.localdate()
    scheme = run.version.scheme
    period = Period.parse(run.period)
    words = period_words(period)
    kind = "report" if period.kind == "month" else "bulletin"
    league = reverse("publishing:league", args=[run.pk])

    def card(unit_id):
        return reverse("publishing:scorecard", args=[run.pk, unit_id])

    results = list(
        RunResult.objects.filter(run=run, total__isnull=False)
        .select_related("unit", "unit__unit_class")
        .order_by("unit__unit_class__order", "rank_class", "unit__path")
    )
    by_class: dict[str, list[RunResult]] = {}
    for r in results:
        by_class.setdefault(r.unit.unit_class.name, []).append(r)
    order = grade_order(run)

    overview: list[list[Segment]] = []
    for name, rows in by_class.items():
        totals = [r.total for r in rows]
        top, bottom = rows[0], rows[-1]
        counts = {g: sum(r.grade == g for r in rows) for g in order}
        up = [r for r in rows if r.rank_change and r.rank_change > 0]
        down = [r for r in rows if r.rank_change and r.rank_change < 0]
        sentence: list[Segment] = [
            Fact(words, league),
            f"，{scheme.name}共考评{name}",
            Fact(str(len(rows)), league),
            "个，平均得分",
            Fact(points_text(float(np.mean(totals))), league),
            "分。得分最高的是",
            Fact(top.unit.name, card(top.unit_id)),
            "（",
            Fact(points_text(top.total), card(top.unit_id)),
            "分），最低的是",
            Fact(bottom.unit.name, card(bottom.unit_id)),
            "（",
            Fact(points_text(bottom.total), card(bottom.unit_id)),
            "分）。",
        ]
        graded = [(g, n) for g, n in counts.items() if n]
        if graded:
            sentence.append("评为")
            for k, (grade, n) in enumerate(graded):
                sentence += [f"{grade}的", Fact(str(n), league), "个"]
                sentence.append("，" if k < len(graded) - 1 else "。")
        if up or down:
            best = max(up, key=lambda r: r.rank_change, default=None)
            sentence += ["与上期相比，进位的", Fact(str(len(up)), league), "个，退位的"]
            sentence += [Fact(str(len(down)), league), "个"]
            if best is not None:
                sentence += [
                    "，其中",
                    Fact(best.unit.name, card(best.unit_id)),
                    "进位最多（",
                    Fact(str(best.rank_change), card(best.unit_id)),
                    "位）",
                ]
            sentence.append("。")
        overview.append(sentence)

    rankings = Section(heading="二、考评结果")
    for name, rows in by_class.items():
        rankings.tables.append(
            (
                f"{name}{words}考评结果",
                Table(
                    ["名次", "单位", "得分", "等次", "进退位"],
                    [
                        [
                            str(r.rank_class),
                            r.unit.name,
                            points_text(r.total),
                            r.grade + ("（否决）" if r.veto else ""),
                            _change(r.rank_change),
                        ]
                        for r in rows
                    ],
                    [1, 3, 1.5, 1.5, 1.2],
                ),
            )
        )
        rankings.charts.append(
            (
                f"{name}得分情况",
                {
                    "labels": [r.unit.name for r in rows],
                    "values": [round(r.total, 2) for r in rows],
                    "mean": float(np.mean([r.total for r in rows])),
                },
            )
        )

    supervision = _supervision_section(run, period, results, today)
    named = _named_section(run, by_class, order, supervision_red=supervision[1])
    return OfficialDocument(
        kind=kind,
        issuer=issuer_of(run),
        number=f"{doc_prefix(scheme.owner)}督考〔{today.year}〕{sequence}号",
        title=(
            f"关于{words}{scheme.name}结果的通报"
            if kind == "bulletin"
            else f"{words}{scheme.name}情况专报"
        ),
        addressee="各参评单位：",
        sections=[
            Section(heading="一、总体情况", paragraphs=overview),
            rankings,
            supervision[0],
            named,
            Section(
                heading="五、下一步工作要求",
                paragraphs=[
                    [
                        "各单位要对照考评结果和本单位成绩单，逐项查找失分原因，"
                        "制定整改措施，明确责任人和完成时限。"
                    ],
                    [
                        "被点名的单位要在",
                        f"{settings.LUOSHI_BULLETIN_REPLY_DAYS}个工作日内",
                        "向督查室书面说明原因和整改措施；红灯事项的牵头单位要倒排工期、"
                        "加快推进，办结后及时报送佐证材料。",
                    ],
                ],
            ),
        ],
        signature=issuer_of(run),
        signed_on=today,
        copy_to="区委、区政府领导。",
        printed_by=issuer_of(run),
        source_note=f"{scheme.name}第{run.version.number}版",
    )


def _change(change) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "—"


RED_TABLE_ROWS = 15


def overdue_items(tasks, today: date) -> list[tuple[Task, int]]:
    """The tasks past their deadline by at least one working day, with that number, longest
    overdue first. A red light without a working day overdue (a missing weekly report, a
    deadline on Friday read at the weekend) is not 逾期 and is not listed as such."""
    calendar = load_calendar()
    late = [(t, calendar.workdays_between(t.deadline, today)) for t in tasks if t.deadline < today]
    return sorted(((t, n) for t, n in late if n > 0), key=lambda item: (-item[1], item[0].pk))


def _supervision_section(run: Run, period: Period, results, today: date):
    """Tasks of the ranked units: finished in the period, on time or late; open red items."""
    units = [r.unit_id for r in results]
    tasks = Task.objects.filter(lead_unit__in=units)
    done = tasks.filter(completed_on__range=(period.start, period.end))
    n_done = done.count()
    n_late = done.filter(completed_late=True).count()
    red = list(
        tasks.open().filter(light=Light.RED).select_related("lead_unit").order_by("deadline", "pk")
    )
    overdue = overdue_items(red, today)
    tasks_page = reverse("supervision:tasks")
    paragraph: list[Segment] = [
        "本期参评单位牵头的督办事项中，办结",
        Fact(str(n_done), tasks_page),
        "项，其中逾期办结",
        Fact(str(n_late), tasks_page),
        "项。截至",
        cn_date(today),
        "，亮红灯的事项",
        Fact(str(len(red)), f"{tasks_page}?light=red"),
        "项",
    ]
    if overdue:
        paragraph += ["，其中逾期未办结", Fact(str(len(overdue)), f"{tasks_page}?light=red"), "项"]
    paragraph.append("。")
    section = Section(heading="三、督办落实情况", paragraphs=[paragraph])
    if overdue:
        shown = overdue[:RED_TABLE_ROWS]
        section.tables.append(
            (
                "逾期未办结的红灯事项",
                Table(
                    ["事项", "牵头单位", "办结时限", "逾期工作日"],
                    [[t.title, t.lead_unit.name, cn_date(t.deadline), str(n)] for t, n in shown],
                    [3.6, 2, 2.7, 1.2],  # a date (2026年12月31日) on one line
                    left=(0,),
                ),
            )
        )
        if len(overdue) > len(shown):
            section.notes.append(
                [
                    "表中为逾期最久的",
                    Fact(str(len(shown)), f"{tasks_page}?light=red"),
                    "项，其余",
                    Fact(str(len(overdue) - len(shown)), f"{tasks_page}?light=red"),
                    "项见系统红灯清单。",
                ]
            )
    red_by_unit: dict = {}
    for t in red:
        red_by_unit.setdefault(t.lead_unit, 0)
        red_by_unit[t.lead_unit] += 1
    return section, red_by_unit


def _named_section(run: Run, by_class, order, supervision_red) -> Section:
    """Units to be named (点名): the lowest grade or a veto; the last three of a class of
    more than six; and units leading two or more red items."""
    lowest = order[-1] if order else None
    named: dict[int, tuple] = {}
    for rows in by_class.values():
        for r in rows:
            reasons = []
            if r.veto:
                reasons.append("被一票否决")
            elif lowest and r.grade == lowest and len(order) > 1:
                reasons.append(f"评为{lowest}")
            if len(rows) > 6 and r.rank_class and r.rank_class > len(rows) - 3:
                reasons.append(f"排名{r.unit.unit_class.name}后三位")
            if reasons:
                named[r.unit_id] = (r.unit, reasons)
    for unit, n in supervision_red.items():
        if n >= 2:
            entry = named.setdefault(unit.pk, (unit, []))
            entry[1].append(f"牵头的{n}项督办事项亮红灯")
    section = Section(heading="四、通报点名")
    if not named:
        section.paragraphs.append(["本期没有需要点名的单位。"])
        return section
    for unit, reasons in named.values():
        section.paragraphs.append(
            [
                Fact(
                    unit.name,
                    reverse("publishing:scorecard", args=[run.pk, unit.pk])
                    if any(r.unit_id == unit.pk for rows in by_class.values() for r in rows)
                    else reverse("supervision:tasks") + f"?unit={unit.pk}",
                ),
                "：" + "，".join(reasons) + "。",
            ]
        )
    return section
