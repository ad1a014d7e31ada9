"""Every write of the project pipeline, each in one transaction with its audit event.

Rules a district actually enforces: a lead moves one step at a time, dated, never in the
future; a project's stages happen in order (no 投产 before 开工) and an actual date is
never in the future; monthly investment is a non-negative number and, beyond the total
investment, needs an explanation; an obstacle has a clock in working days (holidays and
调休 counted), and one that runs out goes to the responsible leader.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_unit_or_office
from luoshi.accounts.scope import scope_for
from luoshi.accounts.staff import unit_staff
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import Period
from luoshi.supervision.calendar import load_calendar
from luoshi.supervision.models import Light

from .models import STAGE_ORDER, Investment, Lead, LeadStep, Obstacle, Project, ProjectStage

LEAD_ORDER = [s.value for s in Lead.Stage]
LEAD_YELLOW_DAYS, LEAD_RED_DAYS = 20, 40  # working days without a step
STAGE_RED_DAYS = 10  # working days late on a planned stage date
PLAN_YELLOW, PLAN_RED = 0.85, 0.60  # investment against the time-proportional plan (序时进度)
OBSTACLE_DAYS = 10


def _past_or_today(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ActionError(_("An actual date cannot be in the future."), field=field)


def _amount(text, field: str) -> Decimal:
    try:
        value = Decimal(str(text).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ActionError(
            _("“%(text)s” is not a number (write the amount in 10,000 yuan, e.g. 1200.5).")
            % {"text": text},
            field=field,
        ) from None
    if not value.is_finite():
        raise ActionError(_("Write a number."), field=field)
    if value < 0:
        raise ActionError(_("An amount cannot be negative."), field=field)
    return value


def _next_code(model, prefix: str) -> str:
    year = timezone.localdate().year
    n = model.objects.filter(code__startswith=f"{prefix}{year}-").count() + 1
    return f"{prefix}{year}-{n:04d}"


# Leads ---------------------------------------------------------------------------------


@transaction.atomic
def do_create_lead(
    *, investor: str, industry: str, intended_investment, source_unit, follower=None, on=None, actor
) -> Lead:
    require_unit_or_office(actor, source_unit)
    if not investor.strip():
        raise ActionError(_("Name the investor."), field="investor")
    on = on or timezone.localdate()
    _past_or_today(on, "on")
    lead = Lead.objects.create(
        code=_next_code(Lead, "ZS"),
        investor=investor.strip(),
        industry=industry.strip(),
        intended_investment=_amount(intended_investment, "intended_investment"),
        source_unit=source_unit,
        follower=follower,
        moved_on=on,
    )
    LeadStep.objects.create(lead=lead, stage=Lead.Stage.CLUE, on=on, actor=actor)
    record(actor=actor, action="lead.create", obj=lead, after={"investor": lead.investor, "on": on})
    return lead


@transaction.atomic
def do_move_lead(lead: Lead, *, on: date, evidence: str, actor, project_fields=None) -> Lead:
    """One step forward (线索 → 洽谈 → 签约 → 落地), dated, with its evidence. Landing makes
    the key project it becomes (its fields, or a first sketch the office completes)."""
    lead = Lead.objects.select_for_update().select_related("source_unit").get(pk=lead.pk)
    require_unit_or_office(actor, lead.source_unit)
    k = LEAD_ORDER.index(lead.stage)
    if k == len(LEAD_ORDER) - 1:
        raise ActionError(_("This lead has landed already."))
    if not evidence.strip():
        raise ActionError(
            _(
                "Say what shows the step (a meeting record, the signed agreement, the registration)."
            ),
            field="evidence",
        )
    _past_or_today(on, "on")
    if on < lead.moved_on:
        raise ActionError(_("The step cannot come before the previous one."), field="on")
    stage = LEAD_ORDER[k + 1]
    LeadStep.objects.create(lead=lead, stage=stage, on=on, evidence=evidence.strip(), actor=actor)
    lead.stage, lead.moved_on, lead.light = stage, on, Light.GREEN
    if stage == Lead.Stage.LANDED:
        fields = {
            "name": f"{lead.investor}{lead.industry}项目",
            "kind": Project.Kind.INDUSTRY,
            "level": Project.Level.DISTRICT,
            "total_investment": lead.intended_investment,
            "year_plan": Decimal(0),
            "lead_unit": lead.source_unit,
            **(project_fields or {}),
        }
        lead.project = do_create_project(actor=actor, **fields)
    lead.save()
    record(actor=actor, action="lead.move", obj=lead, after={"stage": stage, "on": on})
    return lead


def refresh_lead_lights(today: date | None = None) -> int:
    """Yellow after 20 working days without a step, red after 40; landed leads are done."""
    today = today or timezone.localdate()
    calendar = load_calendar()
    changed = 0
    for lead in Lead.objects.exclude(stage=Lead.Stage.LANDED):
        idle = calendar.workdays_between(lead.moved_on, today)
        light = (
            Light.RED
            if idle >= LEAD_RED_DAYS
            else Light.YELLOW
            if idle >= LEAD_YELLOW_DAYS
            else Light.GREEN
        )
        if light != lead.light:
            Lead.objects.filter(pk=lead.pk).update(light=light)
            changed += 1
    return changed


# Projects ------------------------------------------------------------------------------


@transaction.atomic
def do_create_project(
    *,
    name,
    kind,
    level,
    total_investment,
    year_plan,
    lead_unit,
    leader=None,
    location="",
    year=None,
    planned=None,
    actor,
) -> Project:
    """A key project; ``planned`` maps stages to planned dates."""
    if actor is not None and not scope_for(actor).is_office_for(lead_unit):
        require_unit_or_office(actor, lead_unit)
    if not name.strip():
        raise ActionError(_("Name the project."), field="name")
    total = _amount(total_investment, "total_investment")
    plan = _amount(year_plan, "year_plan")
    if plan > total:
        raise ActionError(
            _("This year's plan cannot exceed the total investment."), field="year_plan"
        )
    project = Project.objects.create(
        code=_next_code(Project, "XM"),
        name=name.strip(),
        kind=kind,
        level=level,
        total_investment=total,
        year_plan=plan,
        year=year or timezone.localdate().year,
        leader=leader,
        lead_unit=lead_unit,
        location=location,
    )
    ProjectStage.objects.bulk_create(
        [
            ProjectStage(project=project, stage=s, planned_on=(planned or {}).get(s))
            for s in STAGE_ORDER
        ]
    )
    record(actor=actor, action="project.create", obj=project, after={"name": project.name})
    return project


@transaction.atomic
def do_set_stage(
    project: Project, stage: str, *, planned_on=None, actual_on=None, actor
) -> Project:
    """Plan or record a stage. Actual dates run in the stages' order and are never in the future."""
    project = Project.objects.select_for_update().select_related("lead_unit").get(pk=project.pk)
    require_unit_or_office(actor, project.lead_unit)
    if stage not in STAGE_ORDER:
        raise ActionError(_("Unknown stage."), field="stage")
    rows = {r.stage: r for r in project.stages.select_for_update()}
    row = rows[stage]
    if actual_on is not None:
        _past_or_today(actual_on, "actual_on")
        k = STAGE_ORDER.index(stage)
        for earlier in STAGE_ORDER[1:k]:  # 前期 has no date of its own to wait for
            before = rows[earlier].actual_on
            if before is None:
                raise ActionError(
                    _("“%(stage)s” cannot be recorded before “%(earlier)s” has happened.")
                    % {
                        "stage": Project.Stage(stage).label,
                        "earlier": Project.Stage(earlier).label,
                    },
                    field="actual_on",
                )
            if before > actual_on:
                raise ActionError(
                    _("“%(stage)s” cannot come before “%(earlier)s” (%(date)s).")
                    % {
                        "stage": Project.Stage(stage).label,
                        "earlier": Project.Stage(earlier).label,
                        "date": before.isoformat(),
                    },
                    field="actual_on",
                )
    before = {"planned_on": row.planned_on, "actual_on": row.actual_on}
    if planned_on is not None:
        row.planned_on = planned_on
    if actual_on is not None:
        row.actual_on = actual_on
    row.save()
    reached = [s for s in STAGE_ORDER if (rows[s].actual_on if s != stage else row.actual_on)]
    project.stage = reached[-1] if reached else Project.Stage.PREP
    project.save(update_fields=["stage"])
    record(
        actor=actor,
        action="project.stage",
        obj=project,
        before={"stage": stage, **before},
        after={"stage": stage, "planned_on": row.planned_on, "actual_on": row.actual_on},
    )
    refresh_project_light(project)
    return project


@transaction.atomic
def do_enter_investment(
    project: Project, month: str, amount, *, explanation: str = "", actor
) -> Investment:
    """The month's investment completed (万元); entering a month again corrects it."""
    project = Project.objects.select_for_update().select_related("lead_unit").get(pk=project.pk)
    require_unit_or_office(actor, project.lead_unit)
    try:
        period = Period.parse(month)
    except ValueError as e:
        raise ActionError(str(e), field="month") from e
    if period.kind != "month":
        raise ActionError(_("Investment is entered per month, e.g. 2026-10."), field="month")
    if period.start > timezone.localdate():
        raise ActionError(_("A month that has not begun has no investment yet."), field="month")
    value = _amount(amount, "amount")
    others = project.investments.exclude(month=str(period)).aggregate(s=Sum("amount"))["s"] or 0
    if others + value > project.total_investment and not explanation.strip():
        raise ActionError(
            _(
                "With this month the project would have %(sum)s against a total investment of "
                "%(total)s (10,000 yuan): explain why (a revised total, a reclassification) or correct the amount."
            )
            % {"sum": others + value, "total": project.total_investment},
            field="explanation",
        )
    old = project.investments.filter(month=str(period)).first()
    entry, _created = Investment.objects.update_or_create(
        project=project,
        month=str(period),
        defaults={"amount": value, "explanation": explanation.strip(), "entered_by": actor},
    )
    record(
        actor=actor,
        action="project.investment",
        obj=entry,
        before={"amount": str(old.amount)} if old else None,
        after={"month": str(period), "amount": str(value)},
    )
    refresh_project_light(project)
    return entry


def project_light(project: Project, today: date, calendar=None) -> tuple[str, str]:
    """The worse of two lights: stage dates missed, and investment against 序时进度."""
    calendar = calendar or load_calendar()
    light, reasons = Light.GREEN, []
    late = [
        (s, calendar.workdays_between(s.planned_on, today))
        for s in project.stages.all()
        if s.planned_on and not s.actual_on and s.planned_on < today
    ]
    if late:
        stage, days = max(late, key=lambda x: x[1])
        light = Light.RED if days >= STAGE_RED_DAYS else Light.YELLOW
        reasons.append(
            _("%(stage)s is %(days)d working days late")
            % {"stage": stage.get_stage_display(), "days": days}
        )
    if project.year_plan and today.year == project.year:
        expected = project.year_plan * Decimal(today.month) / 12
        done = sum(
            (i.amount for i in project.investments.all() if i.month.startswith(f"{project.year}-")),
            Decimal(0),
        )
        ratio = float(done / expected) if expected else 1.0
        if ratio < PLAN_RED:
            light = Light.RED
        elif ratio < PLAN_YELLOW and light != Light.RED:
            light = Light.YELLOW
        if ratio < PLAN_YELLOW:
            reasons.append(
                _("investment at %(pct).0f%% of the time-proportional plan") % {"pct": ratio * 100}
            )
    return light, "；".join(str(r) for r in reasons)


def refresh_project_light(project: Project, today: date | None = None, calendar=None) -> str:
    light, reason = project_light(project, today or timezone.localdate(), calendar)
    Project.objects.filter(pk=project.pk).update(light=light, light_reason=reason[:200])
    return light


# Obstacles -----------------------------------------------------------------------------


@transaction.atomic
def do_raise_obstacle(
    project: Project,
    *,
    category: str,
    description: str,
    addressed_to,
    raised_by,
    days: int = OBSTACLE_DAYS,
    on: date | None = None,
    actor,
) -> Obstacle:
    """Any unit on the project (or the office) raises it; the unit that must solve it has
    ``days`` working days."""
    from luoshi.notify.actions import do_notify

    require_unit_or_office(actor, raised_by)
    if category not in Obstacle.Category.values:
        raise ActionError(_("Choose what kind of obstacle it is."), field="category")
    if not description.strip():
        raise ActionError(_("Describe the obstacle."), field="description")
    if not 1 <= int(days) <= 60:
        raise ActionError(_("Give between 1 and 60 working days."), field="days")
    on = on or timezone.localdate()  # raised at yesterday's meeting: entered today
    _past_or_today(on, "on")
    obstacle = Obstacle.objects.create(
        project=project,
        category=category,
        description=description.strip(),
        raised_by=raised_by,
        addressed_to=addressed_to,
        raised_on=on,
        due_on=load_calendar().add_workdays(on, int(days)),
    )
    do_notify(
        unit_staff(addressed_to),
        kind="obstacle",
        title=_("Obstacle on %(project)s to solve by %(due)s")
        % {"project": project.name, "due": obstacle.due_on.isoformat()},
        body=obstacle.description,
        url=f"/projects/{project.pk}/",
        unit=addressed_to,
    )
    record(
        actor=actor,
        action="obstacle.raise",
        obj=obstacle,
        after={"project": project.pk, "to": addressed_to.code, "due": obstacle.due_on},
    )
    return obstacle


@transaction.atomic
def do_solve_obstacle(obstacle: Obstacle, *, resolution: str, actor) -> Obstacle:
    obstacle = (
        Obstacle.objects.select_for_update().select_related("addressed_to").get(pk=obstacle.pk)
    )
    require_unit_or_office(actor, obstacle.addressed_to)
    if obstacle.state == Obstacle.State.SOLVED:
        raise ActionError(_("This obstacle is solved already."))
    if not resolution.strip():
        raise ActionError(_("Say what was done to solve it."), field="resolution")
    obstacle.state, obstacle.solved_on, obstacle.resolution = (
        Obstacle.State.SOLVED,
        timezone.localdate(),
        resolution.strip(),
    )
    obstacle.save()
    record(actor=actor, action="obstacle.solve", obj=obstacle, after={"on": obstacle.solved_on})
    return obstacle


@transaction.atomic
def escalate_overdue_obstacles(today: date | None = None) -> int:
    """Obstacles past their clock go to the project's responsible leader (once)."""
    from luoshi.notify.actions import do_notify

    today = today or timezone.localdate()
    overdue = list(
        Obstacle.objects.select_for_update(of=("self",))
        .filter(state=Obstacle.State.OPEN, due_on__lt=today)
        .select_related("project__leader", "addressed_to")
    )
    for obstacle in overdue:
        obstacle.state, obstacle.escalated_at = Obstacle.State.ESCALATED, timezone.now()
        obstacle.save(update_fields=["state", "escalated_at"])
        if obstacle.project.leader:
            do_notify(
                [obstacle.project.leader],
                kind="obstacle",
                title=_("Overdue obstacle on %(project)s: %(unit)s has not solved it")
                % {"project": obstacle.project.name, "unit": obstacle.addressed_to.name},
                body=obstacle.description,
                url=f"/projects/{obstacle.project_id}/",
            )
        record(actor=None, action="obstacle.escalate", obj=obstacle, after={"due": obstacle.due_on})
    return len(overdue)


EDITABLE = ("name", "kind", "level", "total_investment", "year_plan", "leader", "location")


@transaction.atomic
def do_edit_project(project: Project, *, actor, **fields) -> Project:
    """The office corrects a project's particulars (a landed lead's first sketch, a revised total)."""
    from luoshi.accounts.permissions import require_office

    project = Project.objects.select_for_update().select_related("lead_unit").get(pk=project.pk)
    require_office(actor, project.lead_unit)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ActionError(_("Unknown field."), field=sorted(unknown)[0])
    if "name" in fields and not str(fields["name"]).strip():
        raise ActionError(_("Name the project."), field="name")
    for key in ("total_investment", "year_plan"):
        if key in fields:
            fields[key] = _amount(fields[key], key)
    total = fields.get("total_investment", project.total_investment)
    if fields.get("year_plan", project.year_plan) > total:
        raise ActionError(
            _("This year's plan cannot exceed the total investment."), field="year_plan"
        )
    before = {k: str(getattr(project, k)) for k in fields}
    for key, value in fields.items():
        setattr(project, key, value)
    project.save()
    record(
        actor=actor,
        action="project.edit",
        obj=project,
        before=before,
        after={k: str(v) for k, v in fields.items()},
    )
    refresh_project_light(project)
    return project
