from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Role
from luoshi.audit.chain import record, snapshot
from luoshi.lib.errors import ActionError, require_fits

from ..models import Extension, Milestone, Task, TaskEvent
from ..permissions import require_task_office, require_unit_staff
from .chasing import do_refresh_lights
from .common import add_event, locked, require_state

S = Task.State
E = TaskEvent.Kind

_TASK_FIELDS = [
    "title",
    "requirement",
    "category_id",
    "leader_id",
    "lead_unit_id",
    "start_date",
    "deadline",
    "level",
    "tags",
    "target_indicator",
    "target_comparison",
    "target_value",
    "target_unit",
    "state",
]


def _snap(task):
    data = snapshot(task, [f.removesuffix("_id") for f in _TASK_FIELDS])
    data["co_units"] = sorted(task.co_units.values_list("pk", flat=True)) if task.pk else []
    return data


def _check_dates(start_date: date, deadline: date) -> None:
    if deadline < start_date:
        raise ActionError(_("The deadline is before the start date."), field="deadline")


def _set_milestones(task, milestones) -> None:
    task.milestones.all().delete()
    for month, description in milestones or ():
        if not description.strip():
            continue
        month = month.replace(day=1)
        if not (task.start_date.replace(day=1) <= month <= task.deadline.replace(day=1)):
            raise ActionError(
                _("Milestone month %(month)s is outside the task's time span.")
                % {"month": f"{month:%Y-%m}"},
                field="milestones",
            )
        Milestone.objects.create(task=task, month=month, description=description.strip())


@transaction.atomic
def do_create_task(
    *,
    source,
    title: str,
    lead_unit,
    deadline: date,
    start_date: date | None = None,
    requirement: str = "",
    co_units=(),
    leader=None,
    category=None,
    level: str = Task.Level.DISTRICT,
    tags: str = "",
    target_indicator: str = "",
    target_comparison: str = "",
    target_value=None,
    target_unit: str = "",
    milestones=(),
    parent=None,
    actor,
) -> Task:
    """Register a task (立项). It reaches the unit only when assigned (交办)."""
    if actor is not None:
        from luoshi.accounts.permissions import require_office

        require_office(actor, lead_unit)
    title = title.strip()
    if not title:
        raise ActionError(_("The task needs a title."), field="title")
    require_fits(Task, title=title)
    start_date = start_date or timezone.localdate()
    _check_dates(start_date, deadline)
    if target_value is not None and not target_comparison:
        raise ActionError(
            _("Say how the target compares (at least / at most)."), field="target_comparison"
        )
    if lead_unit in co_units:
        raise ActionError(_("The lead unit cannot also be a cooperating unit."), field="co_units")
    task = Task.objects.create(
        code=f"~{timezone.now().timestamp()}",
        source=source,
        title=title,
        requirement=requirement.strip(),
        lead_unit=lead_unit,
        deadline=deadline,
        start_date=start_date,
        leader=leader,
        category=category,
        level=level,
        tags=tags.strip(),
        target_indicator=target_indicator.strip(),
        target_comparison=target_comparison,
        target_value=target_value,
        target_unit=target_unit.strip(),
        parent=parent,
        created_by=actor,
    )
    # Numbers read "2026-00042": the year it was registered and a serial that never repeats.
    task.code = f"{start_date.year}-{task.pk:05d}"
    task.save(update_fields=["code"])
    task.co_units.set(co_units)
    _set_milestones(task, milestones)
    add_event(task, E.CREATED, actor=actor)
    record(actor=actor, action="task.create", obj=task, after=_snap(task))
    return task


@transaction.atomic
def do_update_task(task: Task, *, actor, milestones=None, co_units=None, **fields) -> Task:
    task = locked(task)
    require_task_office(actor, task)
    if task.state == S.DONE:
        raise ActionError(_("A finished task cannot be edited."))
    before = _snap(task)
    for name, value in fields.items():
        if name not in {f.removesuffix("_id") for f in _TASK_FIELDS} - {"state", "deadline"}:
            raise ActionError(f"unknown field {name}")
        setattr(task, name, value)
    require_fits(Task, **{k: v for k, v in fields.items() if k == "title"})
    if "deadline" in fields and task.state != S.DRAFT and fields["deadline"] != task.deadline:
        raise ActionError(
            _("Once assigned, a deadline changes only through an extension."), field="deadline"
        )
    _check_dates(task.start_date, task.deadline)
    task.save()
    if co_units is not None:
        task.co_units.set(co_units)
    if milestones is not None:
        _set_milestones(task, milestones)
    after = _snap(task)
    if after != before:
        add_event(task, E.EDITED, actor=actor)
        record(actor=actor, action="task.update", obj=task, before=before, after=after)
    return task


def _move(task, *, to, kind, actor, action, note="", **extra) -> Task:
    before = _snap(task)
    task.state = to
    for name, value in extra.items():
        setattr(task, name, value)
    task.save()
    add_event(task, kind, actor=actor, note=note, unit=task.lead_unit)
    record(actor=actor, action=action, obj=task, before=before, after=_snap(task))
    # The light follows the state at once, not at the next scheduler run.
    do_refresh_lights([task])
    task.refresh_from_db(fields=["light", "light_reason"])
    return task


@transaction.atomic
def do_assign_task(task: Task, *, actor) -> Task:
    """交办: the task goes to its lead unit (and its sub-tasks with it)."""
    task = locked(task)
    require_task_office(actor, task)
    require_state(task, {S.DRAFT}, _("assigned"))
    _move(
        task,
        to=S.ASSIGNED,
        kind=E.ASSIGNED,
        actor=actor,
        action="task.assign",
        assigned_at=timezone.now(),
    )
    for sub in task.subtasks.filter(state=S.DRAFT):
        do_assign_task(sub, actor=actor)
    return task


@transaction.atomic
def do_accept_task(task: Task, *, actor) -> Task:
    """签收: the lead unit acknowledges the task."""
    task = locked(task)
    require_unit_staff(actor, task.lead_unit)
    require_state(task, {S.ASSIGNED}, _("signed for"))
    return _move(task, to=S.ACCEPTED, kind=E.ACCEPTED, actor=actor, action="task.accept")


@transaction.atomic
def do_request_completion(task: Task, *, note: str = "", actor) -> Task:
    """申请办结: the lead unit says the work is done."""
    task = locked(task)
    require_unit_staff(actor, task.lead_unit)
    require_state(task, {S.ACCEPTED, S.IN_PROGRESS}, _("put forward as done"))
    return _move(
        task,
        to=S.COMPLETION_REQUESTED,
        kind=E.COMPLETION_REQUESTED,
        actor=actor,
        action="task.request_completion",
        note=note.strip(),
    )


@transaction.atomic
def do_start_review(task: Task, *, actor) -> Task:
    """复核: the office checks the claim."""
    task = locked(task)
    require_task_office(actor, task)
    require_state(task, {S.COMPLETION_REQUESTED}, _("reviewed"))
    return _move(
        task, to=S.UNDER_REVIEW, kind=E.REVIEW_STARTED, actor=actor, action="task.start_review"
    )


@transaction.atomic
def do_complete_task(task: Task, *, actor) -> Task:
    """办结. Finished late (逾期办结) when the unit's claim came after the deadline."""
    task = locked(task)
    require_task_office(actor, task)
    require_state(task, {S.COMPLETION_REQUESTED, S.UNDER_REVIEW}, _("closed as done"))
    claim = task.events.filter(kind=E.COMPLETION_REQUESTED).order_by("-at").first()
    claimed_on = timezone.localtime(claim.at).date() if claim else timezone.localdate()
    return _move(
        task,
        to=S.DONE,
        kind=E.COMPLETED,
        actor=actor,
        action="task.complete",
        completed_on=claimed_on,
        completed_late=claimed_on > task.deadline,
        percent=100,
    )


@transaction.atomic
def do_send_back_task(task: Task, *, reason: str, actor) -> Task:
    """退回 at review: the work goes back to the unit, with the reason."""
    task = locked(task)
    require_task_office(actor, task)
    if not reason.strip():
        raise ActionError(_("Say why the task is sent back."), field="reason")
    require_state(task, {S.COMPLETION_REQUESTED, S.UNDER_REVIEW}, _("sent back"))
    return _move(
        task,
        to=S.IN_PROGRESS,
        kind=E.SENT_BACK,
        actor=actor,
        action="task.send_back",
        note=reason.strip(),
    )


@transaction.atomic
def do_request_extension(task: Task, *, new_deadline: date, reason: str, actor) -> Extension:
    task = locked(task)
    require_unit_staff(actor, task.lead_unit)
    require_state(task, {S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS}, _("extended"))
    if new_deadline <= task.deadline:
        raise ActionError(
            _("The new deadline must be after the current one (%(d)s).") % {"d": task.deadline},
            field="new_deadline",
        )
    if not reason.strip():
        raise ActionError(_("Give the reason for the extension."), field="reason")
    if task.extensions.filter(state=Extension.State.PENDING).exists():
        raise ActionError(
            _("An extension request for this task is already waiting for a decision.")
        )
    extension = Extension.objects.create(
        task=task,
        old_deadline=task.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        requested_by=actor,
    )
    add_event(
        task,
        E.EXTENSION_REQUESTED,
        actor=actor,
        note=f"{task.deadline} → {new_deadline}：{reason.strip()}",
    )
    record(actor=actor, action="task.request_extension", obj=extension, after=snapshot(extension))
    return extension


@transaction.atomic
def do_decide_extension(extension: Extension, *, approve: bool, note: str = "", actor) -> Extension:
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    task = locked(extension.task)
    require_task_office(actor, task)
    if extension.state != Extension.State.PENDING:
        raise ActionError(_("This request has already been decided."))
    if not approve and not note.strip():
        raise ActionError(_("Say why the extension is refused."), field="note")
    before = snapshot(extension)
    extension.state = Extension.State.APPROVED if approve else Extension.State.REFUSED
    extension.decided_by, extension.decided_at, extension.decision_note = (
        actor,
        timezone.now(),
        note.strip(),
    )
    extension.save()
    if approve:
        task.deadline = extension.new_deadline
        task.save(update_fields=["deadline"])
        do_refresh_lights([task])
    kind = E.EXTENSION_APPROVED if approve else E.EXTENSION_REFUSED
    add_event(
        task,
        kind,
        actor=actor,
        note=note.strip() or f"{extension.old_deadline} → {extension.new_deadline}",
    )
    record(
        actor=actor,
        action="task.decide_extension",
        obj=extension,
        before=before,
        after=snapshot(extension),
    )
    return extension


@transaction.atomic
def do_split_task(task: Task, *, units, actor) -> list[Task]:
    """Split a task into one sub-task per unit (e.g. per township), same requirement and deadline."""
    require_task_office(actor, task)
    existing = set(task.subtasks.values_list("lead_unit_id", flat=True))
    created = []
    for unit in units:
        if unit.pk in existing:
            continue
        sub = do_create_task(
            source=task.source,
            title=task.title,
            requirement=task.requirement,
            lead_unit=unit,
            deadline=task.deadline,
            start_date=task.start_date,
            leader=task.leader,
            category=task.category,
            level=task.level,
            tags=task.tags,
            parent=task,
            actor=actor,
            milestones=[(m.month, m.description) for m in task.milestones.all()],
        )
        if task.state != S.DRAFT:
            sub = do_assign_task(sub, actor=actor)
        created.append(sub)
    return created


def require_reporting_unit(actor, task, unit) -> None:
    """Only the lead or a cooperating unit reports on a task."""
    if unit.pk != task.lead_unit_id and not task.co_units.filter(pk=unit.pk).exists():
        raise ActionError(
            _("%(unit)s is not responsible for this task.") % {"unit": unit}, field="unit"
        )
    require_unit_staff(actor, unit, Role.LIAISON, Role.UNIT_HEAD)
