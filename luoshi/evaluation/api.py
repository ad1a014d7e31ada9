"""Evaluation results in the JSON API, with the pages' access rules."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from luoshi.accounts.scope import scope_for
from luoshi.lib.api_types import ObjectId
from luoshi.orgs.models import Unit

from .models import RunItem, RunResult, Scheme, SchemeNode, SchemeVersion
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
def run_results(request, run_id: ObjectId):
    run = get_object_or_404(_runs_for(request.user), pk=run_id)
    return RunResult.objects.filter(
        run=run, unit__in=Unit.objects.visible_to(request.user).values("pk")
    ).order_by("unit__path")


@router.get("/runs/{run_id}/units/{unit_id}/items", response=list[ItemOut])
def unit_items(request, run_id: ObjectId, unit_id: ObjectId):
    run = get_object_or_404(_runs_for(request.user), pk=run_id)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_id)
    return RunItem.objects.filter(run=run, unit=unit).select_related("node").order_by("node__order")


def schemes_visible_to(user):
    """Schemes owned inside the person's scope or above it: a unit can read the scheme that
    ranks it (the rules are public to those they apply to)."""
    scope = scope_for(user)
    return Scheme.objects.filter(scope.unit_q("owner__") | scope.ancestors_q("owner__"))


class NodeOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    points: float
    indicator: str | None
    rule: str
    params: dict
    missing: str

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator.code if obj.indicator_id else None


class VersionOut(Schema):
    number: int
    frozen: bool
    bands: list
    rules: dict
    nodes: list[NodeOut]

    @staticmethod
    def resolve_frozen(obj):
        return obj.frozen_at is not None

    @staticmethod
    def resolve_nodes(obj):
        return list(obj.nodes.all())


class SchemeOut(Schema):
    code: str
    name: str
    period_kind: str
    total_points: float
    classes: list[str]
    latest_version: int | None

    @staticmethod
    def resolve_classes(obj):
        return [c.code for c in obj.classes.all()]

    @staticmethod
    def resolve_latest_version(obj):
        numbers = [v.number for v in obj.versions.all()]
        return max(numbers) if numbers else None


class SchemeDetailOut(SchemeOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())


@router.get("/schemes", response=list[SchemeOut])
def list_schemes(request):
    return schemes_visible_to(request.user).prefetch_related("classes", "versions").order_by("code")


@router.get("/schemes/{code}", response=SchemeDetailOut)
def scheme_detail(request, code: str):
    return get_object_or_404(
        schemes_visible_to(request.user).prefetch_related(
            "classes",
            Prefetch("versions", SchemeVersion.objects.order_by("-number")),
            Prefetch(
                "versions__nodes",
                SchemeNode.objects.select_related("parent", "indicator").order_by("order", "pk"),
            ),
        ),
        code=code,
    )
