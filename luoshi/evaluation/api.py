"""Evaluation results in the JSON API, with the pages' access rules."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from luoshi.orgs.models import Unit

from .models import RunItem, RunResult
from .views import _runs_for

router = Router(tags=["evaluation"])


class RunOut(Schema):
    id: int
    scheme: str
    version: int
    period: str
    state: str
    inputs_hash: str
    supersedes_id: int | None

    @staticmethod
    def resolve_scheme(obj):
        return obj.version.scheme.code

    @staticmethod
    def resolve_version(obj):
        return obj.version.number


class ResultOut(Schema):
    unit_id: int
    total: float | None
    rank_class: int | None
    rank_overall: int | None
    rank_change: int | None
    grade: str
    median_rank: float | None
    rank_low: float | None
    rank_high: float | None


class ItemOut(Schema):
    node_code: str
    value: float | None
    score: float | None
    points: float | None
    imputed: bool

    @staticmethod
    def resolve_node_code(obj):
        return obj.node.code


@router.get("/runs", response=list[RunOut])
def list_runs(request):
    return _runs_for(request.user).order_by("-period", "-created_at")[:200]


@router.get("/runs/{run_id}/results", response=list[ResultOut])
def run_results(request, run_id: int):
    run = get_object_or_404(_runs_for(request.user), pk=run_id)
    return RunResult.objects.filter(
        run=run, unit__in=Unit.objects.visible_to(request.user).values("pk")
    ).order_by("unit__path")


@router.get("/runs/{run_id}/units/{unit_id}/items", response=list[ItemOut])
def unit_items(request, run_id: int, unit_id: int):
    run = get_object_or_404(_runs_for(request.user), pk=run_id)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    return RunItem.objects.filter(run=run, unit=unit).select_related("node").order_by("node__order")
