"""The pipeline as indicators, per unit and month, so schemes and award criteria use them
like any other indicator (values recorded with source "computed by Luoshi")."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from luoshi.indicators.actions import do_create_indicator, do_record_values
from luoshi.indicators.models import Indicator
from luoshi.lib.periods import Period
from luoshi.orgs.models import Unit, UnitClass

from .models import Investment, Lead, LeadStep, Obstacle, Project, ProjectStage

# code, name, unit of measure, direction
PIPELINE = [
    ("p-leads-signed", "招商项目签约数", "个", 1),
    ("p-projects-landed", "招商项目落地数", "个", 1),
    ("p-investment-plan", "重点项目投资序时完成率", "%", 1),
    ("p-stage-delays", "重点项目节点滞后数", "个", -1),
    ("p-obstacles-on-time", "项目问题按期解决率", "%", 1),
]
CLASSES = ["township", "park", "department"]


def pipeline_facts(unit: Unit, period: Period) -> dict[str, Decimal | None]:
    """The five figures for one unit and month (None where there is nothing to measure)."""
    start, end = period.start, period.end
    steps = LeadStep.objects.filter(lead__source_unit=unit, on__range=(start, end))
    facts: dict[str, Decimal | None] = {
        "p-leads-signed": Decimal(steps.filter(stage=Lead.Stage.SIGNED).count()),
        "p-projects-landed": Decimal(steps.filter(stage=Lead.Stage.LANDED).count()),
    }
    projects = Project.objects.filter(lead_unit=unit, year=period.year, year_plan__gt=0)
    plan = projects.aggregate(s=Sum("year_plan"))["s"]
    if plan:
        done = (
            Investment.objects.filter(
                project__in=projects, month__gte=f"{period.year}-01", month__lte=str(period)
            ).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        expected = plan * period.index / 12
        facts["p-investment-plan"] = (Decimal(done) / expected * 100).quantize(Decimal("0.1"))
    else:
        facts["p-investment-plan"] = None
    late = ProjectStage.objects.filter(project__lead_unit=unit, planned_on__lte=end).exclude(
        actual_on__lte=end
    )
    late_done = ProjectStage.objects.filter(
        project__lead_unit=unit, planned_on__lte=end, actual_on__gt=end
    )
    facts["p-stage-delays"] = (
        Decimal(late.count()) if late.exists() or not late_done else Decimal(0)
    )
    solved = Obstacle.objects.filter(
        addressed_to=unit, state=Obstacle.State.SOLVED, solved_on__range=(start, end)
    )
    n = solved.count()
    facts["p-obstacles-on-time"] = (
        (Decimal(sum(o.solved_on <= o.due_on for o in solved)) / n * 100).quantize(Decimal("0.1"))
        if n
        else None
    )
    return facts


@transaction.atomic
def do_compute_pipeline_indicators(month: str, *, actor=None) -> dict:
    """Create the pipeline indicators if missing and record every unit's values for ``month``."""
    period = Period.parse(month)
    if period.kind != "month":
        raise ValueError("the pipeline indicators are monthly: give a month, e.g. 2026-10")
    classes = list(UnitClass.objects.filter(code__in=CLASSES))
    indicators = {}
    for code, name, measure, direction in PIPELINE:
        indicators[code] = Indicator.objects.filter(code=code).first() or do_create_indicator(
            code=code,
            name=name,
            unit_of_measure=measure,
            direction=direction,
            frequency="month",
            classes=classes,
            definition="由项目调度数据自动计算",
            actor=actor,
        )
    units = list(Unit.objects.active().filter(unit_class__in=classes).order_by("path"))
    facts = {u.pk: pipeline_facts(u, period) for u in units}
    written = 0
    for code, indicator in indicators.items():
        entries = [(u, facts[u.pk][code]) for u in units if facts[u.pk][code] is not None]
        if entries:
            written += do_record_values(
                indicator, str(period), entries, source="pipeline", actor=actor
            )["written"]
    return {"units": len(units), "written": written}
