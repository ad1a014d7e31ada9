from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Role
from luoshi.audit.chain import record, snapshot
from luoshi.lib.errors import ActionError
from luoshi.lib.uploads import check_upload, store_upload

from ..calendar import load_calendar, monday_of, report_due
from ..models import MonthlyReport, ProgressReport, ReportFile, SupervisionSettings, Task, TaskEvent
from ..permissions import is_task_office, require_task_office, require_unit_staff
from .chasing import do_refresh_lights
from .common import add_event, locked
from .tasks import require_reporting_unit

R = ProgressReport.State
E = TaskEvent.Kind


def _check_report_input(text: str, percent, week: date) -> int:
    if not (text or "").strip():
        raise ActionError(_("Write what was done this week."), field="text")
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise ActionError(
            _("Progress must be a whole number from 0 to 100."), field="percent"
        ) from None
    if not 0 <= percent <= 100:
        raise ActionError(_("Progress must be a whole number from 0 to 100."), field="percent")
    if week > monday_of(timezone.localdate()):
        raise ActionError(_("You cannot report for a week that has not begun."), field="week")
    return percent


@transaction.atomic
def do_submit_report(
    task: Task, *, unit, week: date, text: str, percent, files=(), actor
) -> ProgressReport:
    """A liaison hands in (or, after a send-back, hands in again) a week's progress.

    ``files`` are (name, bytes) pairs, each checked by content before anything is stored.
    """
    task = locked(task)
    require_reporting_unit(actor, task, unit)
    if task.state not in (Task.State.ACCEPTED, Task.State.IN_PROGRESS):
        if task.state == Task.State.ASSIGNED:
            raise ActionError(
                _("Sign for the task before reporting progress on it."), field="state"
            )
        raise ActionError(
            _("This task is “%(state)s”; progress cannot be reported now.")
            % {"state": task.get_state_display()},
            field="state",
        )
    week = monday_of(week)
    percent = _check_report_input(text, percent, week)
    checked = [check_upload(name, data, field="files") for name, data in files]
    now = timezone.now()
    late = now > report_due(week, SupervisionSettings.current(), load_calendar())
    report = (
        ProgressReport.objects.select_for_update().filter(task=task, unit=unit, week=week).first()
    )
    before = snapshot(report) if report else None
    if report is None:
        report = ProgressReport(task=task, unit=unit, week=week)
    elif report.state in (R.APPROVED, R.ACCEPTED):
        raise ActionError(
            _("This week's report has already been approved; it can no longer be changed.")
        )
    elif report.state == R.RETURNED:
        report.revision += 1
    report.text, report.percent, report.state = text.strip(), percent, R.SUBMITTED
    report.submitted_by, report.submitted_at, report.late = actor, now, late
    report.save()
    for upload in checked:
        evidence = ReportFile(
            report=report,
            name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=actor,
        )
        store_upload(evidence, upload)
    if task.state == Task.State.ACCEPTED:
        task.state = Task.State.IN_PROGRESS
        task.save(update_fields=["state"])
    # Stored as data, not prose, so the timeline reads the same in any language.
    note = " · ".join([f"{percent}%", *(u.name for u in checked)])
    add_event(task, E.REPORT_SUBMITTED, actor=actor, unit=unit, report=report, note=note)
    record(actor=actor, action="report.submit", obj=report, before=before, after=snapshot(report))
    do_refresh_lights([task])
    return report


def _locked_report(report):
    return (
        ProgressReport.objects.select_for_update().select_related("task", "unit").get(pk=report.pk)
    )


@transaction.atomic
def do_approve_report(report: ProgressReport, *, actor) -> ProgressReport:
    """The unit head approves what the liaison wrote; it goes to the office."""
    report = _locked_report(report)
    require_unit_staff(actor, report.unit, Role.UNIT_HEAD)
    if report.state != R.SUBMITTED:
        raise ActionError(_("Only a report waiting for the unit head can be approved."))
    before = snapshot(report)
    report.state, report.approved_by, report.approved_at = R.APPROVED, actor, timezone.now()
    report.save()
    add_event(report.task, E.REPORT_APPROVED, actor=actor, unit=report.unit, report=report)
    record(actor=actor, action="report.approve", obj=report, before=before, after=snapshot(report))
    return report


@transaction.atomic
def do_accept_report(report: ProgressReport, *, actor) -> ProgressReport:
    """The office accepts the week's progress; the lead unit's percent becomes the task's."""
    report = _locked_report(report)
    task = locked(report.task)
    require_task_office(actor, task)
    if report.state != R.APPROVED:
        raise ActionError(_("Only a report approved by the unit head can be accepted."))
    before = snapshot(report)
    report.state, report.reviewed_by, report.reviewed_at = R.ACCEPTED, actor, timezone.now()
    report.save()
    if report.unit_id == task.lead_unit_id:
        task.percent = report.percent
        task.save(update_fields=["percent"])
    add_event(task, E.REPORT_ACCEPTED, actor=actor, unit=report.unit, report=report)
    record(actor=actor, action="report.accept", obj=report, before=before, after=snapshot(report))
    do_refresh_lights([task])
    return report


@transaction.atomic
def do_return_report(report: ProgressReport, *, reason: str, actor) -> ProgressReport:
    """Send a report back to the liaison with the reason (the office, or the unit head before approving)."""
    report = _locked_report(report)
    office = actor is None or is_task_office(actor, report.task)
    if not office:
        require_unit_staff(actor, report.unit, Role.UNIT_HEAD)
    allowed = (R.SUBMITTED, R.APPROVED) if office else (R.SUBMITTED,)
    if report.state not in allowed:
        raise ActionError(_("This report cannot be sent back now."))
    if not reason.strip():
        raise ActionError(_("Say what needs fixing."), field="reason")
    before = snapshot(report)
    report.state, report.return_reason = R.RETURNED, reason.strip()
    report.reviewed_by, report.reviewed_at = actor, timezone.now()
    report.save()
    add_event(
        report.task,
        E.REPORT_RETURNED,
        actor=actor,
        unit=report.unit,
        report=report,
        note=reason.strip(),
    )
    record(actor=actor, action="report.return", obj=report, before=before, after=snapshot(report))
    return report


@transaction.atomic
def do_submit_monthly_report(*, unit, month: date, summary: str, actor) -> MonthlyReport:
    require_unit_staff(actor, unit)
    if not summary.strip():
        raise ActionError(_("Write the month's summary."), field="summary")
    month = month.replace(day=1)
    report, created = MonthlyReport.objects.select_for_update().get_or_create(
        unit=unit,
        month=month,
        defaults={
            "summary": summary.strip(),
            "submitted_by": actor,
            "submitted_at": timezone.now(),
        },
    )
    before = None if created else snapshot(report)
    if not created:
        report.summary, report.submitted_by, report.submitted_at = (
            summary.strip(),
            actor,
            timezone.now(),
        )
        report.save()
    record(
        actor=actor,
        action="monthly_report.submit",
        obj=report,
        before=before,
        after=snapshot(report),
    )
    return report
