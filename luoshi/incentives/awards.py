"""骏马奖 / 蜗牛奖: candidates computed from the data under a declared criterion, each with its
evidence; the office confirms, and the award is published with its reasons and applied as a
bonus (骏马) or a deduction (蜗牛) dated at the end of the period."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.evaluation.adjustments import do_record_adjustment
from luoshi.evaluation.models import Adjustment, Run
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import Period
from luoshi.orgs.models import Unit
from luoshi.supervision.calendar import load_calendar
from luoshi.supervision.models import Chase, Task

from .models import Award, AwardCriterion

R = AwardCriterion.Rule


@dataclass
class Candidate:
    unit: Unit
    evidence: list[dict] = field(default_factory=list)  # {"text", "url"}


def _add(found: dict, unit, text: str, url: str) -> None:
    found.setdefault(unit.pk, Candidate(unit)).evidence.append({"text": text, "url": url})


def candidates(criterion: AwardCriterion, period: Period, within: Unit) -> list[Candidate]:
    """Units under ``within`` that meet the criterion in ``period``, with what shows it."""
    from luoshi.projects.models import Lead, LeadStep, Obstacle, ProjectStage

    start, end = period.start, min(period.end, timezone.localdate())
    n = criterion.threshold
    calendar = load_calendar()
    units = Unit.objects.subtree(within)
    found: dict[int, Candidate] = {}
    if criterion.rule == R.PROJECT_DELAY:
        for s in ProjectStage.objects.filter(
            project__lead_unit__in=units, planned_on__lt=end, actual_on__isnull=True
        ).select_related("project__lead_unit"):
            days = calendar.workdays_between(s.planned_on, end)
            if days >= n:
                _add(found, s.project.lead_unit, f"{s.project.name}：{s.get_stage_display()}滞后{days}个工作日",
                     reverse("projects:detail", args=[s.project_id]))  # fmt: skip
    elif criterion.rule == R.TASK_CHASED:
        tasks = (
            Task.objects.filter(lead_unit__in=units)
            .annotate(
                n=Count(
                    "chases",
                    filter=Q(
                        chases__kind=Chase.Kind.CHASE, chases__created_at__date__range=(start, end)
                    ),
                )
            )
            .filter(n__gte=n)
            .select_related("lead_unit")
        )
        for t in tasks:
            _add(
                found,
                t.lead_unit,
                f"{t.title}：本期被催办{t.n}次",
                reverse("supervision:task", args=[t.pk]),
            )
    elif criterion.rule == R.TASK_OVERDUE:
        for t in Task.objects.overdue(end).filter(lead_unit__in=units).select_related("lead_unit"):
            days = calendar.workdays_between(t.deadline, end)
            if days >= n:
                _add(
                    found,
                    t.lead_unit,
                    f"{t.title}：逾期{days}个工作日",
                    reverse("supervision:task", args=[t.pk]),
                )
    elif criterion.rule == R.OBSTACLE_LATE:
        late = (
            Obstacle.objects.filter(addressed_to__in=units, due_on__lt=end)
            .exclude(state=Obstacle.State.SOLVED, solved_on__lte=F("due_on"))
            .select_related("addressed_to", "project")
        )
        by_unit: dict = {}
        for o in late:
            by_unit.setdefault(o.addressed_to, []).append(o)
        for unit, items in by_unit.items():
            if len(items) >= n:
                for o in items:
                    _add(found, unit, f"{o.project.name}：{o.get_category_display()}问题逾期未解决",
                         reverse("projects:detail", args=[o.project_id]))  # fmt: skip
    elif criterion.rule == R.PROJECTS_LANDED:
        steps = LeadStep.objects.filter(
            lead__source_unit__in=units, stage=Lead.Stage.LANDED, on__range=(start, end)
        ).select_related("lead__source_unit", "lead")
        by_unit = {}
        for s in steps:
            by_unit.setdefault(s.lead.source_unit, []).append(s)
        for unit, items in by_unit.items():
            if len(items) >= n:
                for s in items:
                    url = (
                        reverse("projects:detail", args=[s.lead.project_id])
                        if s.lead.project_id
                        else ""
                    )
                    _add(found, unit, f"{s.lead.investor}（{s.lead.industry}）{s.on}落地", url)
    elif criterion.rule == R.RANK_GAIN:
        for run in Run.objects.filter(state=Run.State.PUBLISHED, period=str(period)).select_related(
            "version__scheme"
        ):
            for r in run.results.filter(unit__in=units, rank_change__gte=n).select_related("unit"):
                _add(found, r.unit, f"{run.version.scheme.name}{run.period}进位{r.rank_change}名",
                     reverse("publishing:scorecard", args=[run.pk, r.unit_id]))  # fmt: skip
    return sorted(found.values(), key=lambda c: -len(c.evidence))


@transaction.atomic
def do_confirm_award(
    criterion: AwardCriterion, unit: Unit, period: str, *, reasons: str, actor, within: Unit
) -> Award:
    """Confirm a candidate: the award is kept with its evidence and applied as points."""
    require_office(actor, unit)
    p = Period.parse(period)
    if not reasons.strip():
        raise ActionError(_("Publish the award with its reasons."), field="reasons")
    match = next((c for c in candidates(criterion, p, within) if c.unit.pk == unit.pk), None)
    if match is None:
        raise ActionError(
            _("%(unit)s does not meet “%(criterion)s” in %(period)s: awards follow the evidence.")
            % {"unit": unit.name, "criterion": criterion.name, "period": p},
            field="unit",
        )
    if Award.objects.filter(criterion=criterion, unit=unit, period=str(p)).exists():
        raise ActionError(_("This award has already been given for the period."))
    horse = criterion.kind == AwardCriterion.Kind.HORSE
    adjustment = do_record_adjustment(
        unit=unit,
        kind=Adjustment.Kind.BONUS if horse else Adjustment.Kind.DEDUCTION,
        category=criterion.get_kind_display()[:3],
        points=criterion.points,
        achievement=f"{criterion.name}{p}" if horse else "",
        happened_on=min(p.end, timezone.localdate()),
        reason=f"{criterion.name}（{p}）：{reasons.strip()}",
        origin="award",
        actor=actor,
    )
    award = Award.objects.create(
        criterion=criterion,
        unit=unit,
        period=str(p),
        evidence=match.evidence,
        reasons=reasons.strip(),
        adjustment=adjustment,
        confirmed_by=actor,
    )
    record(
        actor=actor, action="award.confirm", obj=award, after={"unit": unit.code, "period": str(p)}
    )
    return award


@transaction.atomic
def do_declare_criterion(*, name, kind, rule, threshold, points, actor) -> AwardCriterion:
    require_office(actor)
    if not str(name).strip():
        raise ActionError(_("Name the award."), field="name")
    if kind not in AwardCriterion.Kind.values or rule not in AwardCriterion.Rule.values:
        raise ActionError(_("Choose the award and its rule."), field="rule")
    try:
        points, threshold = Decimal(str(points).strip()), int(str(threshold).strip())
    except (ArithmeticError, ValueError):
        raise ActionError(_("Points and N must be numbers."), field="points") from None
    if not points.is_finite() or points <= 0 or threshold < 1:
        raise ActionError(_("Points and N must be above zero."), field="points")
    criterion = AwardCriterion.objects.create(
        name=str(name).strip(), kind=kind, rule=rule, threshold=threshold, points=points
    )
    record(
        actor=actor, action="award.criterion", obj=criterion, after={"rule": rule, "n": threshold}
    )
    return criterion
