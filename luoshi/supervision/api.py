"""Tasks and weekly progress in the JSON API, with the pages' access rules."""

from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from luoshi.lib.api_types import ObjectId, Pages
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import Unit

from . import actions
from .calendar import monday_of
from .models import ProgressReport, Task

router = Router(tags=["supervision"])


class TaskOut(Schema):
    id: int
    code: str
    title: str
    requirement: str
    source_id: int
    parent_id: int | None
    category: str | None
    leader_id: int | None
    lead_unit_id: int
    co_unit_ids: list[int]
    start_date: date
    deadline: date
    level: str
    state: str
    light: str
    light_reason: str
    percent: int
    completed_on: date | None
    completed_late: bool
    target_indicator: str
    target_comparison: str
    target_value: float | None
    target_unit: str

    @staticmethod
    def resolve_category(obj):
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_co_unit_ids(obj):
        return [u.pk for u in obj.co_units.all()]

    @staticmethod
    def resolve_target_value(obj):
        return float(obj.target_value) if obj.target_value is not None else None


class ReportOut(Schema):
    id: int
    task_id: int
    unit_id: int
    week: date
    text: str
    percent: int
    state: str
    revision: int
    late: bool
    return_reason: str


class ReportIn(Schema):
    week: date | None = None
    unit_id: ObjectId | None = None
    text: str
    percent: int


def _tasks(request):
    return (
        Task.objects.visible_to(request.user)
        .select_related("category")
        .prefetch_related("co_units")
        .order_by("deadline", "pk")
    )


def _call(action):
    """Bad input → 422 with the message and field; not allowed → 403."""
    try:
        return action()
    except NotAllowed as e:
        raise HttpError(403, e.message) from e
    except ActionError as e:
        raise HttpError(422, f"{e.field or 'request'}: {e.message}") from e


@router.get("/tasks", response=list[TaskOut])
@paginate(Pages, page_size=100)
def list_tasks(
    request,
    light: str = "",
    state: str = "",
    unit: ObjectId | None = None,
    source: ObjectId | None = None,
):
    tasks = _tasks(request)
    if light:
        tasks = tasks.filter(light=light)
    if state:
        tasks = tasks.filter(state=state)
    if unit is not None:
        tasks = tasks.filter(lead_unit_id=unit)
    if source is not None:
        tasks = tasks.filter(source_id=source)
    return tasks


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: ObjectId):
    return get_object_or_404(_tasks(request), pk=task_id)


@router.get("/tasks/{task_id}/reports", response=list[ReportOut])
def task_reports(request, task_id: ObjectId):
    task = get_object_or_404(_tasks(request), pk=task_id)
    return ProgressReport.objects.filter(task=task).order_by("-week", "unit_id")


@router.post("/tasks/{task_id}/reports", response={201: ReportOut})
def submit_report(request, task_id: ObjectId, payload: ReportIn):
    """Submit (or, after a send-back, resubmit) a week's progress as the token's unit."""
    task = get_object_or_404(_tasks(request), pk=task_id)
    unit = get_object_or_404(
        Unit.objects.visible_to(request.user), pk=payload.unit_id or task.lead_unit_id
    )
    week = monday_of(payload.week or date.today())
    report = _call(
        lambda: actions.do_submit_report(
            task,
            unit=unit,
            week=week,
            text=payload.text,
            percent=payload.percent,
            actor=request.user,
        )
    )
    return Status(201, report)
