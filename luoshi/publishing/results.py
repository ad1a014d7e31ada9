"""League tables and scorecards (晾晒榜 · 成绩单), read from a run's stored results.

Everything here reads what a run stored; nothing is recomputed, so a page, an
export and a bulletin made from the same run show the same numbers.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.shortcuts import get_object_or_404

from luoshi.evaluation.engine.ranking import competition_rank
from luoshi.evaluation.models import Run, RunAdjustment, RunItem, RunResult
from luoshi.evaluation.service import TASK_FACTS, adjustment_note
from luoshi.orgs import paths
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Task


@dataclass
class ClassTable:
    name: str
    code: str
    rows: list  # RunResult with .unit, .above_average, .band
    mean: float | None
    size: int  # units in the class, before filters


def grade_order(run: Run) -> list[str]:
    """The run's grades, best first (the order the bands were declared in, by lower bound)."""
    from luoshi.evaluation.engine.grades import parse_band

    bands = [parse_band(b["grade"], b["text"]) for b in run.inputs.get("bands", [])]
    return [b.grade for b in sorted(bands, key=lambda b: -b.lower)]


def league(
    run: Run,
    visible_units,
    *,
    unit_class: str = "",
    parent: Unit | None = None,
    top: int | None = None,
    side: str = "",
) -> list[ClassTable]:
    """The run's results per class, with the class mean, filtered as the reader asks:
    one class, the units under a parent, the top N of each class, above or below the mean."""
    results = (
        RunResult.objects.filter(run=run, unit__in=visible_units)
        .select_related("unit", "unit__unit_class")
        .order_by("unit__unit_class__order", "rank_class", "unit__path")
    )
    order = grade_order(run)
    tables: dict[str, ClassTable] = {}
    for r in results:
        cls = r.unit.unit_class
        table = tables.setdefault(cls.code, ClassTable(cls.name, cls.code, [], None, 0))
        table.rows.append(r)
    for table in tables.values():
        totals = [r.total for r in table.rows if r.total is not None]
        table.mean = float(np.mean(totals)) if totals else None
        table.size = len(table.rows)
        for r in table.rows:
            r.above_average = (
                r.total is not None and table.mean is not None and r.total >= table.mean
            )
            r.band = order.index(r.grade) if r.grade in order else None
        rows = table.rows
        if parent is not None:
            rows = [r for r in rows if r.unit.path.startswith(parent.path)]
        if top:
            rows = [r for r in rows if r.rank_class is not None and r.rank_class <= top]
        if side == "above":
            rows = [r for r in rows if r.above_average]
        elif side == "below":
            rows = [r for r in rows if r.total is not None and not r.above_average]
        table.rows = rows
    return [t for code, t in tables.items() if not unit_class or code == unit_class]


@dataclass
class ItemLine:
    item: RunItem
    lost: float | None
    contribution: float | None  # share of the points the unit won, in percent
    rank: int | None  # rank within class on this item
    peers: int
    parts: list = field(default_factory=list)  # roll-up: (period, run id)
    tasks: list = field(default_factory=list)  # task-derived: facts per task


@dataclass
class Scorecard:
    run: Run
    unit: Unit
    result: RunResult
    lines: list[ItemLine]
    strengths: list[ItemLine]
    weaknesses: list[ItemLine]
    above: RunResult | None  # the unit ranked just above in the class
    gap: float | None
    trend: list  # (period, total, rank, grade, run id), oldest first
    adjustments: list  # (RunAdjustment, note)
    below_runs: list  # published runs of the same period that rank units under this one


def scorecard(run: Run, unit: Unit, user) -> Scorecard:
    result = get_object_or_404(
        RunResult.objects.select_related("unit__unit_class"), run=run, unit=unit
    )
    items = list(
        RunItem.objects.filter(run=run, unit=unit)
        .select_related("node", "node__parent", "node__indicator")
        .order_by("node__order")
    )
    # Each item's rank within the class, from the class's stored scores (one query).
    peers = RunItem.objects.filter(run=run, unit__unit_class=unit.unit_class_id).values_list(
        "node_id", "unit_id", "score"
    )
    by_node: dict[int, dict[int, float]] = {}
    for node_id, unit_id, score in peers:
        by_node.setdefault(node_id, {})[unit_id] = np.nan if score is None else score
    won = sum(i.points for i in items if i.points is not None)
    parts = {
        i["id"]: sorted(i["runs"].items()) for i in run.inputs["items"] if i["kind"] == "rollup"
    }
    counted = {
        i["id"]: [
            dict(zip(TASK_FACTS, row, strict=True)) for row in i["tasks"].get(str(unit.pk), [])
        ]
        for i in run.inputs["items"]
        if i["kind"] == "task" and "tasks" in i
    }
    # No reader (a document generated for the office): every task's title.
    titles = dict(
        (Task.objects.all() if user is None else Task.objects.visible_to(user))
        .filter(pk__in=[t["task"] for ts in counted.values() for t in ts])
        .values_list("pk", "title")
    )
    lines = []
    for i in items:
        scores = by_node.get(i.node_id, {})
        ids = list(scores)
        ranks = competition_rank(np.array([scores[u] for u in ids], dtype=np.float64))
        rank = ranks[ids.index(unit.pk)] if unit.pk in ids else np.nan
        tasks = counted.get(i.node_id, [])
        for t in tasks:
            t["title"] = titles.get(t["task"])
        lines.append(
            ItemLine(
                item=i,
                lost=float(i.node.points) - i.points if i.points is not None else None,
                contribution=100.0 * i.points / won if i.points is not None and won else None,
                rank=None if np.isnan(rank) else int(rank),
                peers=int(np.sum(~np.isnan(np.array(list(scores.values()), dtype=np.float64)))),
                parts=parts.get(i.node_id, []),
                tasks=tasks,
            )
        )
    ranked = [line for line in lines if line.rank is not None and line.peers > 3]
    strengths = [line for line in ranked if line.rank <= 3]
    weaknesses = [line for line in ranked if line.rank > line.peers - 3]
    above = None
    if result.rank_class and result.rank_class > 1:
        above = (
            RunResult.objects.filter(
                run=run,
                unit__unit_class=unit.unit_class_id,
                rank_class__lt=result.rank_class,
            )
            .select_related("unit")
            .order_by("-rank_class", "unit__path")
            .first()
        )
    history = (
        RunResult.objects.filter(
            unit=unit,
            run__version__scheme=run.version.scheme_id,
            run__state=Run.State.PUBLISHED,
            run__period__lte=run.period,
        )
        .exclude(run=run)
        .select_related("run")
        .order_by("-run__period")[:7]
    )
    trend = [(h.run.period, h.total, h.rank_class, h.grade, h.run_id) for h in reversed(history)]
    trend.append((run.period, result.total, result.rank_class, result.grade, run.pk))
    adjustments = (
        RunAdjustment.objects.filter(run=run, adjustment__unit=unit)
        .select_related("adjustment", "adjustment__exemption")
        .order_by("adjustment__happened_on", "pk")
    )
    below_runs = list(
        Run.objects.filter(period=run.period, state=Run.State.PUBLISHED)
        .exclude(pk=run.pk)
        .filter(
            Q(results__unit__path__gt=unit.path)
            & Q(results__unit__path__lt=paths.upper_bound(unit.path))
        )
        .select_related("version__scheme")
        .distinct()
    )
    return Scorecard(
        run=run,
        unit=unit,
        result=result,
        lines=lines,
        strengths=strengths,
        weaknesses=weaknesses,
        above=above,
        gap=(above.total - result.total)
        if above and above.total is not None and result.total is not None
        else None,
        trend=trend,
        adjustments=[(a, adjustment_note(a.note)) for a in adjustments],
        below_runs=below_runs,
    )
