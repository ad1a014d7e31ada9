"""Dashboards (数据看板): each chart is built with its table, so the numbers are one click away.

Everything is counted from querysets already narrowed to what the reader may see.
"""

import json
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min, Q, Sum
from django.utils.translation import gettext as _

from luoshi.indicators.models import Indicator, IndicatorValue, Target
from luoshi.lib.periods import Period, period_name
from luoshi.supervision.calendar import load_calendar
from luoshi.supervision.models import Light, Task

LIGHT_COLOURS = {Light.RED: "#c8102e", Light.YELLOW: "#e0a100", Light.GREEN: "#2e8b57"}
LIGHTS = [Light.RED, Light.YELLOW, Light.GREEN]


@dataclass
class Chart:
    title: str
    kind: str  # bar | hbar | line
    labels: list[str]
    series: list[dict]
    header: list[str]
    rows: list[list]
    note: str = ""
    links: list[str] = field(default_factory=list)  # per row, optional
    inverse: bool = False  # a rank axis: 1 at the top

    @property
    def spec(self) -> str:
        return json.dumps(
            {"labels": self.labels, "series": self.series, "inverse": self.inverse},
            ensure_ascii=False,
        )

    @property
    def table(self):
        return zip(self.rows, self.links or [""] * len(self.rows), strict=True)


def tasks_by_light(tasks) -> Chart:
    counts = dict(tasks.open().values_list("light").annotate(n=Count("pk")).order_by())
    labels = [Light(light).label for light in LIGHTS]
    return Chart(
        title=_("Open tasks by light"),
        kind="bar",
        labels=[str(label) for label in labels],
        series=[
            {
                "name": _("Tasks"),
                "data": [
                    {"value": counts.get(light, 0), "itemStyle": {"color": LIGHT_COLOURS[light]}}
                    for light in LIGHTS
                ],
            }
        ],
        header=[_("Light"), _("Tasks")],
        rows=[
            [str(label), counts.get(light, 0)] for label, light in zip(labels, LIGHTS, strict=True)
        ],
        links=[f"?light={light}" for light in LIGHTS],
    )


def tasks_by_area(tasks) -> Chart:
    rows = list(
        tasks.open()
        .values("category__name")
        .annotate(**{str(light): Count("pk", filter=Q(light=light)) for light in LIGHTS})
        .order_by("category__order", "category__name")
    )
    labels = [r["category__name"] or _("no area") for r in rows]
    return Chart(
        title=_("Open tasks by area and light"),
        kind="hbar",
        labels=labels,
        series=[
            {
                "name": str(Light(light).label),
                "data": [r[str(light)] for r in rows],
                "stack": "lights",
                "color": LIGHT_COLOURS[light],
            }
            for light in LIGHTS
        ],
        header=[_("Area"), *[str(Light(light).label) for light in LIGHTS]],
        rows=[
            [label, *[r[str(light)] for light in LIGHTS]]
            for label, r in zip(labels, rows, strict=True)
        ],
    )


def overdue_by_unit(tasks, today: date, limit: int = 15) -> Chart:
    rows = list(
        tasks.overdue(today)
        .values("lead_unit", "lead_unit__name")
        .annotate(n=Count("pk"), first_due=Min("deadline"))
        .order_by("-n", "lead_unit__name")[:limit]
    )
    calendar = load_calendar()
    return Chart(
        title=_("Overdue tasks by lead unit"),
        kind="hbar",
        labels=[r["lead_unit__name"] for r in rows],
        series=[{"name": _("Overdue"), "data": [r["n"] for r in rows], "color": "#c8102e"}],
        header=[_("Unit"), _("Overdue"), _("Longest delay (working days)")],
        rows=[
            [
                r["lead_unit__name"],
                r["n"],
                max(calendar.workdays_between(r["first_due"], today), 0),
            ]
            for r in rows
        ],
        links=[f"?unit={r['lead_unit']}" for r in rows],
    )


def indicator_trends(units, limit: int = 4) -> list[Chart]:
    """Key indicators (those with targets) summed over the reader's units, against target."""
    keys = list(
        Indicator.objects.filter(targets__unit__in=units).distinct().order_by("code")[:limit]
    )
    charts = []
    for indicator in keys:
        values = dict(
            IndicatorValue.objects.current()
            .filter(indicator=indicator, unit__in=units, not_applicable=False)
            .values_list("period")
            .annotate(total=Sum("value"))
            .order_by()
        )
        targets = dict(
            Target.objects.filter(indicator=indicator, unit__in=units)
            .values_list("period")
            .annotate(total=Sum("value"))
            .order_by()
        )
        periods = sorted(set(values) | set(targets), key=Period.parse)[-8:]
        actual = [round(float(values[p]), 2) if p in values else None for p in periods]
        goal = [round(float(targets[p]), 2) if p in targets else None for p in periods]
        charts.append(
            Chart(
                title=f"{indicator.name}（{indicator.unit_of_measure}）",
                kind="line",
                labels=periods,
                series=[
                    {"name": _("Actual"), "data": actual, "color": "#2f6fb5"},
                    {"name": _("Target"), "data": goal, "color": "#999999"},
                ],
                header=[_("Period"), _("Actual"), _("Target"), _("Completion %")],
                rows=[
                    [p, a, g, f"{100 * a / g:.1f}" if a is not None and g else "—"]
                    for p, a, g in zip(periods, actual, goal, strict=True)
                ],
            )
        )
    return charts


def tasks_by_state(tasks) -> Chart:
    counts = dict(tasks.values_list("state").annotate(n=Count("pk")).order_by())
    states = [s for s in Task.State if counts.get(s.value)]
    return Chart(
        title=_("Tasks by state"),
        kind="bar",
        labels=[str(s.label) for s in states],
        series=[{"name": _("Tasks"), "data": [counts[s.value] for s in states]}],
        header=[_("State"), _("Tasks")],
        rows=[[str(s.label), counts[s.value]] for s in states],
        links=[f"?state={s.value}" for s in states],
    )


def unit_results(unit, limit: int = 8) -> list[Chart]:
    """A unit's rank in each scheme over its last published periods (rank 1 at the top)."""
    from luoshi.evaluation.models import Run, RunResult

    rows = list(
        RunResult.objects.filter(unit=unit, run__state=Run.State.PUBLISHED)
        .select_related("run__version__scheme")
        .order_by("run__version__scheme__code", "-run__period")
    )
    by_scheme: dict = {}
    for r in rows:
        entries = by_scheme.setdefault(r.run.version.scheme, [])
        if len(entries) < limit:
            entries.append(r)
    charts = []
    for scheme, entries in by_scheme.items():
        entries.reverse()
        charts.append(
            Chart(
                title=scheme.name,
                kind="line",
                labels=[period_name(r.run.period) for r in entries],
                series=[{"name": _("Rank in class"), "data": [r.rank_class for r in entries]}],
                header=[_("Period"), _("Score"), _("Rank in class"), _("Grade")],
                rows=[
                    [
                        period_name(r.run.period),
                        f"{r.total:.2f}" if r.total is not None else "—",
                        r.rank_class or "—",
                        r.grade or "—",
                    ]
                    for r in entries
                ],
                links=[f"/results/runs/{r.run_id}/units/{unit.pk}/" for r in entries],
            )
        )
        charts[-1].inverse = True
    return charts
