from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.lib.rounding import half_up

from .. import actions
from ..calendar import load_calendar
from ..forms import (
    ExtensionForm,
    NoteForm,
    ReasonForm,
    ReportForm,
    SplitForm,
    TaskFilterForm,
    TaskForm,
)
from ..models import Chase, Extension, Light, SavedFilter, Task
from ..permissions import holds, is_task_office
from .common import get_task_for_user, run_action


def _calendar_warning():
    years = load_calendar().unknown_years(
        timezone.localdate(), timezone.localdate().replace(month=12, day=31)
    )
    return years


def task_list(request):
    user = request.user
    form = TaskFilterForm(request.GET or None, user=user)
    tasks = form.apply(Task.objects.visible_to(user))
    # Open work first, red before yellow before green, then by deadline.
    rank = Case(
        *(
            When(light=light, then=Value(i))
            for i, light in enumerate([Light.RED, Light.YELLOW, Light.GREEN])
        ),
        default=Value(9),
    )
    tasks = tasks.select_related("lead_unit", "leader", "category").order_by(rank, "deadline", "pk")
    summary = dict(tasks.values_list("light").annotate(n=Count("pk")).order_by())
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    if request.method == "POST" and request.POST.get("save_as"):
        SavedFilter.objects.update_or_create(
            user=user, name=request.POST["save_as"][:50], defaults={"query": query.urlencode()}
        )
        messages.success(request, _("Filter saved."))
        return redirect(f"{request.path}?{query.urlencode()}")
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "summary": summary,
        "saved": SavedFilter.objects.filter(user=user),
        "unknown_years": _calendar_warning(),
        "can_create": scope_for(user).has_role(Role.OFFICE),
    }
    return render(request, "supervision/task_list.html", context)


@require_POST
def saved_filter_delete(request, pk):
    get_object_or_404(SavedFilter, pk=pk, user=request.user).delete()
    return redirect("supervision:tasks")


def board(request):
    """The same tasks as columns by light: red first."""
    form = TaskFilterForm(request.GET or None, user=request.user)
    tasks = form.apply(Task.objects.visible_to(request.user).open()).select_related("lead_unit")
    columns = {Light.RED: [], Light.YELLOW: [], Light.GREEN: []}
    for task in tasks.order_by("deadline")[:600]:
        columns.get(task.light, columns[Light.GREEN]).append(task)
    return render(
        request,
        "supervision/board.html",
        {"form": form, "columns": [(Light(light), items) for light, items in columns.items()]},
    )


def task_new(request):
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied
    form = TaskForm(
        request.POST or None,
        user=request.user,
        initial={
            "start_date": timezone.localdate(),
            "source": request.GET.get("source"),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        created = {}

        def create():
            created["task"] = actions.do_create_task(actor=request.user, **data)

        if run_action(request, create, _("Task registered. Assign it when it is ready."), form):
            return redirect("supervision:task", pk=created["task"].pk)
    return render(request, "supervision/task_form.html", {"form": form})


def task_edit(request, pk):
    task = get_task_for_user(request, pk)
    if not is_task_office(request.user, task):
        raise PermissionDenied
    initial = {
        f: getattr(task, f)
        for f in [
            "title",
            "requirement",
            "source",
            "category",
            "leader",
            "lead_unit",
            "start_date",
            "deadline",
            "level",
            "tags",
            "target_indicator",
            "target_comparison",
            "target_value",
            "target_unit",
        ]
    }
    initial["co_units"] = list(task.co_units.all())
    initial["milestones"] = "\n".join(
        f"{m.month:%Y-%m} {m.description}" for m in task.milestones.all()
    )
    form = TaskForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if task.state != Task.State.DRAFT:
            data.pop("deadline")
        if run_action(
            request,
            lambda: actions.do_update_task(task, actor=request.user, **data),
            _("Saved."),
            form,
        ):
            return redirect("supervision:task", pk=task.pk)
    return render(request, "supervision/task_form.html", {"form": form, "task": task})


def task_detail(request, pk):
    task = get_task_for_user(request, pk)
    user = request.user
    office = is_task_office(user, task)
    unit_staff = (
        holds(user, task.lead_unit, Role.LIAISON, Role.UNIT_HEAD) and not scope_for(user).everything
    )
    reporting_units = [
        u
        for u in [task.lead_unit, *task.co_units.all()]
        if holds(user, u, Role.LIAISON, Role.UNIT_HEAD) and not scope_for(user).everything
    ]
    context = {
        "task": task,
        "office": office,
        "unit_staff": unit_staff,
        "reporting_units": reporting_units,
        "co_units": task.co_units.all(),
        "milestones": task.milestones.all(),
        "subtasks": task.subtasks.select_related("lead_unit"),
        "events": task.events.select_related("actor", "unit", "report"),
        "reports": task.reports.select_related("unit", "submitted_by").prefetch_related("files"),
        "extensions": task.extensions.all(),
        "pending_extension": task.extensions.filter(state=Extension.State.PENDING).first(),
        "chases": task.chases.exclude(kind=Chase.Kind.REMINDER),
        "red_days": _red_days(task),
        "report_form": ReportForm(),
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "extension_form": ExtensionForm(),
        "split_form": SplitForm(parent_unit=task.lead_unit) if office else None,
    }
    return render(request, "supervision/task_detail.html", context)


def _red_days(task) -> float:
    now = timezone.now()
    total = sum(
        ((s.end or now) - s.start).total_seconds() for s in task.light_spans.filter(light=Light.RED)
    )
    return half_up(total / 86400, 1)


def _transition(request, pk, action, success, *, form_class=None):
    task = get_task_for_user(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("supervision:task", pk=task.pk)
    data = form.cleaned_data if form is not None else {}
    run_action(request, lambda: action(task, request.user, data), success)
    return redirect("supervision:task", pk=task.pk)


@require_POST
def task_assign(request, pk):
    return _transition(
        request,
        pk,
        lambda t, u, d: actions.do_assign_task(t, actor=u),
        _("Assigned to the lead unit."),
    )


@require_POST
def task_accept(request, pk):
    return _transition(
        request, pk, lambda t, u, d: actions.do_accept_task(t, actor=u), _("Signed for.")
    )


@require_POST
def task_request_completion(request, pk):
    return _transition(
        request,
        pk,
        lambda t, u, d: actions.do_request_completion(t, note=d["note"], actor=u),
        _("Completion requested; the office will review it."),
        form_class=NoteForm,
    )


@require_POST
def task_start_review(request, pk):
    return _transition(
        request, pk, lambda t, u, d: actions.do_start_review(t, actor=u), _("Review started.")
    )


@require_POST
def task_complete(request, pk):
    return _transition(
        request, pk, lambda t, u, d: actions.do_complete_task(t, actor=u), _("Closed as done.")
    )


@require_POST
def task_send_back(request, pk):
    return _transition(
        request,
        pk,
        lambda t, u, d: actions.do_send_back_task(t, reason=d["reason"], actor=u),
        _("Sent back to the unit."),
        form_class=ReasonForm,
    )


@require_POST
def task_request_extension(request, pk):
    return _transition(
        request,
        pk,
        lambda t, u, d: actions.do_request_extension(
            t, new_deadline=d["new_deadline"], reason=d["reason"], actor=u
        ),
        _("Extension requested."),
        form_class=ExtensionForm,
    )


@require_POST
def extension_decide(request, pk):
    extension = get_object_or_404(
        Extension.objects.filter(task__in=Task.objects.visible_to(request.user)), pk=pk
    )
    approve = request.POST.get("approve") == "1"
    run_action(
        request,
        lambda: actions.do_decide_extension(
            extension, approve=approve, note=request.POST.get("note", ""), actor=request.user
        ),
        _("Extension approved.") if approve else _("Extension refused."),
    )
    return redirect("supervision:task", pk=extension.task_id)


@require_POST
def task_chase(request, pk):
    return _transition(
        request,
        pk,
        lambda t, u, d: actions.do_chase_task(t, note=d["note"], actor=u),
        _("Chased; the unit has been notified."),
        form_class=NoteForm,
    )


@require_POST
def task_notice(request, pk):
    return _transition(
        request,
        pk,
        lambda t, u, d: actions.do_issue_notice(t, note=d["note"], actor=u),
        _("Supervision notice issued."),
        form_class=NoteForm,
    )


@require_POST
def task_split(request, pk):
    task = get_task_for_user(request, pk)
    form = SplitForm(request.POST, parent_unit=task.lead_unit)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.do_split_task(
                task, units=form.cleaned_data["units"], actor=request.user
            ),
            _("Sub-tasks created."),
        )
    return redirect("supervision:task", pk=task.pk)


def notice_print(request, pk):
    """The printable 督办单."""
    notice = get_object_or_404(
        Chase.objects.filter(
            kind=Chase.Kind.NOTICE, task__in=Task.objects.visible_to(request.user)
        ).select_related("task", "unit", "task__leader", "task__source"),
        pk=pk,
    )
    return render(request, "supervision/notice_print.html", {"notice": notice, "task": notice.task})


def interviews(request):
    """约谈: units whose leaders must explain — several notices or red tasks."""
    if not scope_for(request.user).has_role(Role.OFFICE, Role.LEADER):
        raise PermissionDenied
    since = timezone.now() - timezone.timedelta(days=90)
    tasks = Task.objects.visible_to(request.user)
    rows = (
        tasks.values("lead_unit", "lead_unit__name", "lead_unit__unit_class__name")
        .annotate(
            red=Count("pk", filter=Q(light=Light.RED), distinct=True),
            notices=Count(
                "chases",
                filter=Q(chases__kind=Chase.Kind.NOTICE, chases__created_at__gte=since),
                distinct=True,
            ),
            chases=Count(
                "chases",
                filter=Q(chases__kind=Chase.Kind.CHASE, chases__created_at__gte=since),
                distinct=True,
            ),
        )
        .filter(Q(notices__gte=1) | Q(red__gte=3))
        .order_by("-notices", "-red")
    )
    return render(request, "supervision/interviews.html", {"rows": rows})
