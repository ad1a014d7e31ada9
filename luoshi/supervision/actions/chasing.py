"""Lights, reminders, 催办 and 督办单, and the scheduler tick that drives them.

The tick is safe to run on several machines at once: every automatic message
is keyed by a Chase row with a unique (task, unit, kind, key); the process that
inserts the row sends the message, the others find it there and send nothing.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.staff import unit_staff
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError
from luoshi.notify.actions import do_notify

from ..calendar import latest_due_week, load_calendar
from ..lights import LightFacts, compute_light
from ..models import Chase, Light, LightSpan, ProgressReport, SupervisionSettings, Task, TaskEvent
from ..permissions import require_task_office
from .common import add_event

E = TaskEvent.Kind


def _light_facts(tasks, now, rules, calendar):
    """LightFacts for many tasks in three queries."""
    today = timezone.localtime(now).date()
    week = latest_due_week(now, rules, calendar)
    due_at = timezone.make_aware(timezone.datetime.combine(week, timezone.datetime.min.time()))
    reported = set(
        ProgressReport.objects.counted()
        .filter(task__in=tasks, week=week)
        .values_list("task_id", "unit_id")
    )
    milestones: dict[int, list[str]] = {}
    for task_id, description, month in Task.milestones.rel.related_model.objects.filter(
        task__in=tasks, done_on__isnull=True
    ).values_list("task_id", "description", "month"):
        month_end = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if month_end < today:
            milestones.setdefault(task_id, []).append(description)
    facts = {}
    for task in tasks:
        # A report is owed for a week only if the task was out with the unit before that week began.
        owes = (
            task.state in (Task.State.ACCEPTED, Task.State.IN_PROGRESS)
            and task.assigned_at
            and task.assigned_at < due_at
        )
        missing = week if owes and (task.pk, task.lead_unit_id) not in reported else None
        facts[task.pk] = LightFacts(
            state=task.state,
            start_date=task.start_date,
            deadline=task.deadline,
            percent=task.percent,
            overdue_milestones=tuple(milestones.get(task.pk, ())),
            missing_week=missing,
        )
    return facts


@transaction.atomic
def do_refresh_lights(tasks=None, *, now=None) -> int:
    """Recompute lights; record each change with its span. Returns how many changed."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules, calendar = SupervisionSettings.current(), load_calendar()
    qs = Task.objects.all() if tasks is None else Task.objects.filter(pk__in=[t.pk for t in tasks])
    tasks = list(qs.exclude(state=Task.State.DRAFT, light=Light.NONE).select_for_update())
    facts = _light_facts(tasks, now, rules, calendar)
    changed = 0
    for task in tasks:
        light, reason = compute_light(facts[task.pk], today=today, calendar=calendar, rules=rules)
        if (light, reason) == (task.light, task.light_reason):
            continue
        if light != task.light:
            LightSpan.objects.filter(task=task, end__isnull=True).update(end=now)
            if light != Light.NONE:
                LightSpan.objects.create(task=task, light=light, start=now, reason=reason)
            add_event(
                task, E.LIGHT, actor=None, note=f"{Light(light).label} {reason}".strip(), at=now
            )
            record(
                actor=None,
                action="task.light",
                obj=task,
                before={"light": task.light},
                after={"light": light, "reason": reason},
            )
            changed += 1
        task.light, task.light_reason = light, reason
        task.save(update_fields=["light", "light_reason"])
    return changed


def _once(task, unit, kind, key, *, actor=None, note="", number="", at=None) -> Chase | None:
    """Insert the keyed Chase row; None if someone already did (then send nothing)."""
    try:
        with transaction.atomic():
            return Chase.objects.create(
                task=task,
                unit=unit,
                kind=kind,
                key=key,
                note=note,
                number=number,
                created_by=actor,
                created_at=at or timezone.now(),
            )
    except IntegrityError:
        return None


def _next_notice_number(year: int) -> str:
    count = Chase.objects.filter(kind=Chase.Kind.NOTICE, created_at__year=year).count()
    return _("Supervision notice [%(year)d] No. %(n)d") % {"year": year, "n": count + 1}


@transaction.atomic
def do_chase_task(task: Task, *, note: str = "", actor, now=None) -> Chase:
    """催办 by hand: a notice to the lead unit, on the record."""
    require_task_office(actor, task)
    if not task.is_open:
        raise ActionError(_("Only an open task can be chased."))
    now = now or timezone.now()
    chase = _once(
        task,
        task.lead_unit,
        Chase.Kind.CHASE,
        f"manual-{now.isoformat()}",
        actor=actor,
        note=note,
        at=now,
    )
    _after_chase(task, chase, actor, now)
    return chase


def _after_chase(task, chase, actor, now):
    add_event(task, E.CHASED, actor=actor, unit=task.lead_unit, note=chase.note, at=now)
    record(
        actor=actor, action="task.chase", obj=task, after={"chase": chase.pk, "note": chase.note}
    )
    do_notify(
        unit_staff(task.lead_unit),
        kind="chase",
        title=_("Chased: %(task)s") % {"task": task.title},
        body=chase.note or task.light_reason,
        url=reverse("supervision:task", args=[task.pk]),
    )


@transaction.atomic
def do_issue_notice(task: Task, *, note: str = "", actor, now=None) -> Chase:
    """督办单: the formal, numbered, printable notice after repeated lateness."""
    require_task_office(actor, task)
    if not task.is_open:
        raise ActionError(_("Only an open task can get a supervision notice."))
    now = now or timezone.now()
    notice = _once(
        task,
        task.lead_unit,
        Chase.Kind.NOTICE,
        f"notice-{now.isoformat()}",
        actor=actor,
        note=note,
        number=_next_notice_number(now.year),
        at=now,
    )
    _after_notice(task, notice, actor, now)
    return notice


def _after_notice(task, notice, actor, now):
    add_event(
        task,
        E.NOTICE,
        actor=actor,
        unit=task.lead_unit,
        note=f"{notice.number} {notice.note}".strip(),
        at=now,
    )
    record(
        actor=actor,
        action="task.notice",
        obj=task,
        after={"notice": notice.pk, "number": notice.number},
    )
    do_notify(
        unit_staff(task.lead_unit),
        kind="notice",
        title=_("Supervision notice: %(task)s") % {"task": task.title},
        body=notice.number,
        url=reverse("supervision:notice", args=[notice.pk]),
    )


def run_scheduler_tick(now=None) -> dict:
    """One pass of the periodic work: lights, reminders, automatic 催办 and 督办单."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    rules, calendar = SupervisionSettings.current(), load_calendar()
    counts = {"lights": do_refresh_lights(now=now), "reminders": 0, "chases": 0, "notices": 0}
    open_tasks = (
        Task.objects.open()
        .exclude(state=Task.State.COMPLETION_REQUESTED)
        .select_related("lead_unit")
    )
    for task in open_tasks.exclude(state=Task.State.UNDER_REVIEW):
        with transaction.atomic():
            left = calendar.workdays_between(today, task.deadline)
            if 0 <= left <= rules.warn_workdays:
                # One reminder per deadline: an approved extension earns a new one.
                chase = _once(
                    task, task.lead_unit, Chase.Kind.REMINDER, f"deadline-{task.deadline}", at=now
                )
                if chase:
                    counts["reminders"] += 1
                    add_event(
                        task,
                        E.REMINDED,
                        actor=None,
                        unit=task.lead_unit,
                        at=now,
                        note=_("%(n)d working days to the deadline") % {"n": left},
                    )
                    do_notify(
                        unit_staff(task.lead_unit),
                        kind="reminder",
                        title=_("Due soon: %(task)s") % {"task": task.title},
                        body=_("Deadline %(d)s") % {"d": task.deadline},
                        url=reverse("supervision:task", args=[task.pk]),
                    )
            elif task.light == Light.RED:
                counts["chases"] += _auto_chase(task, today, now, rules, calendar, counts)
    return counts


def _auto_chase(task, today, now, rules, calendar, counts) -> int:
    """A late task is chased every N working days; after M chases it gets a 督办单."""
    # The key is the chase "slot": which N-working-day period since the task turned red we are in.
    red_since = (
        LightSpan.objects.filter(task=task, light=Light.RED, end__isnull=True)
        .values_list("start", flat=True)
        .first()
    )
    start = timezone.localtime(red_since).date() if red_since else today
    slot = calendar.workdays_between(start, today) // max(rules.chase_after_workdays, 1)
    chase = _once(
        task,
        task.lead_unit,
        Chase.Kind.CHASE,
        f"auto-{start}-{slot}",
        note=task.light_reason,
        at=now,
    )
    if not chase:
        return 0
    _after_chase(task, chase, None, now)
    chases = Chase.objects.filter(task=task, kind=Chase.Kind.CHASE).count()
    if chases >= rules.notice_after_chases:
        notice = _once(
            task,
            task.lead_unit,
            Chase.Kind.NOTICE,
            f"auto-notice-{start}",
            note=task.light_reason,
            number=_next_notice_number(now.year),
            at=now,
        )
        if notice:
            counts["notices"] += 1
            _after_notice(task, notice, None, now)
    return 1
