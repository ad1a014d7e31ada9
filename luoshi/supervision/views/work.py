from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Membership, Role
from luoshi.accounts.scope import scope_for
from luoshi.orgs.models import Unit

from .. import actions
from ..calendar import load_calendar, monday_of, report_due
from ..forms import ReasonForm, ReportForm
from ..models import (
    Extension,
    Light,
    MonthlyReport,
    ProgressReport,
    ReportFile,
    SupervisionSettings,
    Task,
)
from .common import get_report_for_user, get_task_for_user, run_action, uploaded_files

R = ProgressReport.State
LIGHT_RANK = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, Light.NONE: 3}


def _my_units(user, roles=(Role.LIAISON, Role.UNIT_HEAD)):
    ids = Membership.objects.active().filter(user=user, role__in=roles).values("unit_id")
    return Unit.objects.filter(pk__in=ids)


def my_work(request):
    """A unit's week on one page: what to sign for, what to report, what was sent back, what to approve."""
    user = request.user
    units = list(_my_units(user))
    week = monday_of(timezone.localdate())
    due = report_due(week, SupervisionSettings.current(), load_calendar())
    open_states = [Task.State.ACCEPTED, Task.State.IN_PROGRESS]
    this_week = ProgressReport.objects.filter(unit__in=units, week=week)
    tasks = (
        Task.objects.filter(lead_unit__in=units, state__in=open_states)
        .select_related("lead_unit")
        .prefetch_related(Prefetch("reports", queryset=this_week, to_attr="this_week"))
        .order_by("deadline")
    )
    to_report = [t for t in tasks if not t.this_week or t.this_week[0].state == R.RETURNED]
    reported = [t for t in tasks if t.this_week and t.this_week[0].state != R.RETURNED]
    head_units = list(_my_units(user, (Role.UNIT_HEAD,)))
    context = {
        "units": units,
        "week": week,
        "due": due,
        "overdue": due < timezone.now(),
        "to_sign": Task.objects.filter(
            lead_unit__in=units, state=Task.State.ASSIGNED
        ).select_related("lead_unit"),
        "to_report": to_report,
        "reported": reported,
        "returned": ProgressReport.objects.filter(unit__in=units, state=R.RETURNED).select_related(
            "task"
        ),
        "to_approve": ProgressReport.objects.filter(unit__in=head_units, state=R.SUBMITTED)
        .select_related("task", "submitted_by")
        .prefetch_related("files"),
        "report_form": ReportForm(),
        "reason_form": ReasonForm(),
    }
    return render(request, "supervision/my_work.html", context)


@require_POST
def report_submit(request, pk):
    task = get_task_for_user(request, pk)
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user), pk=request.POST.get("unit") or task.lead_unit_id
    )
    form = ReportForm(request.POST, request.FILES)
    week = (
        monday_of(date.fromisoformat(request.POST["week"]))
        if request.POST.get("week")
        else monday_of(timezone.localdate())
    )
    if form.is_valid():
        data = form.cleaned_data
        run_action(
            request,
            lambda: actions.do_submit_report(
                task,
                unit=unit,
                week=week,
                text=data["text"],
                percent=data["percent"],
                files=uploaded_files(data["files"]),
                actor=request.user,
            ),
            _("Progress submitted; it now waits for your unit head."),
        )
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errors)}")
    return _back(request, task.pk)


def _back(request, task_id):
    """Back to the page the form was on (my work, review), or to the task."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("supervision:task", pk=task_id)


def _report_action(request, pk, action, success):
    report = get_report_for_user(request, pk)
    run_action(request, lambda: action(report), success)
    return _back(request, report.task_id)


@require_POST
def report_approve(request, pk):
    return _report_action(
        request,
        pk,
        lambda r: actions.do_approve_report(r, actor=request.user),
        _("Approved; sent to the supervision office."),
    )


@require_POST
def report_accept(request, pk):
    return _report_action(
        request, pk, lambda r: actions.do_accept_report(r, actor=request.user), _("Accepted.")
    )


@require_POST
def report_return(request, pk):
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    return _report_action(
        request,
        pk,
        lambda r: actions.do_return_report(r, reason=reason, actor=request.user),
        _("Sent back with your reason."),
    )


def review(request):
    """The office's queue: approved reports, completion claims, extension requests."""
    scope = scope_for(request.user)
    if not scope.has_role(Role.OFFICE):
        raise PermissionDenied
    tasks = Task.objects.visible_to(request.user)
    context = {
        "reports": ProgressReport.objects.filter(task__in=tasks, state=R.APPROVED)
        .select_related("task", "unit", "submitted_by")
        .prefetch_related("files")[:200],
        "claims": tasks.filter(
            state__in=[Task.State.COMPLETION_REQUESTED, Task.State.UNDER_REVIEW]
        ).select_related("lead_unit"),
        "extensions": Extension.objects.filter(
            task__in=tasks, state=Extension.State.PENDING
        ).select_related("task", "task__lead_unit", "requested_by"),
        "reason_form": ReasonForm(),
    }
    return render(request, "supervision/review.html", context)


def leader(request):
    """A leader's page: tasks they answer for and tasks of the units they oversee, red first."""
    tasks = Task.objects.visible_to(request.user).open().select_related("lead_unit", "leader")
    rows = sorted(tasks[:1000], key=lambda t: (LIGHT_RANK.get(t.light, 9), t.deadline))
    counts = {
        light: sum(1 for t in rows if t.light == light)
        for light in (Light.RED, Light.YELLOW, Light.GREEN)
    }
    return render(request, "supervision/leader.html", {"rows": rows, "counts": counts})


def monthly(request, unit_pk, month):
    """月专报: the unit's weekly entries for the month, assembled; the unit writes the summary only."""
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError as e:
        raise PermissionDenied from e
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    reports = (
        ProgressReport.objects.counted()
        .filter(unit=unit, week__gte=monday_of(first), week__lt=last)
        .select_related("task")
        .order_by("task__deadline", "task_id", "week")
    )
    by_task: dict = {}
    for report in reports:
        by_task.setdefault(report.task, []).append(report)
    existing = MonthlyReport.objects.filter(unit=unit, month=first).first()
    if request.method == "POST":
        run_action(
            request,
            lambda: actions.do_submit_monthly_report(
                unit=unit, month=first, summary=request.POST.get("summary", ""), actor=request.user
            ),
            _("Monthly report submitted."),
        )
        return redirect("supervision:monthly", unit_pk=unit.pk, month=month)
    can_edit = any(
        (r, unit.pk) in scope_for(request.user).memberships for r in (Role.LIAISON, Role.UNIT_HEAD)
    )
    context = {
        "unit": unit,
        "month": first,
        "by_task": by_task,
        "existing": existing,
        "can_edit": can_edit,
        # The projects the unit leads, as in the monthly 调度表.
        "projects": _project_rows(unit, first),
        "prev": (first - timedelta(days=1)).strftime("%Y-%m"),
        "next": last.strftime("%Y-%m"),
    }
    return render(request, "supervision/monthly.html", context)


def _project_rows(unit, first):
    from luoshi.projects.models import Project
    from luoshi.projects.views import schedule_rows

    return schedule_rows(Project.objects.filter(lead_unit=unit), first.strftime("%Y-%m"))


def evidence_download(request, pk):
    """An evidence file, only for those who may see its report; always as a download."""
    evidence = get_object_or_404(
        ReportFile.objects.filter(report__in=ProgressReport.objects.visible_to(request.user)), pk=pk
    )
    return protected_file(evidence)


def protected_file(stored) -> FileResponse:
    # Served as an attachment with its checked type: the browser never runs it in our origin.
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
