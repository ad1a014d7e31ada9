"""Indicators and their values in the JSON API; providers push values with a token."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from luoshi.accounts.permissions import require_office
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import Unit

from . import actions
from .models import IndicatorValue, Target
from .views import _indicators_for

router = Router(tags=["indicators"])


class IndicatorOut(Schema):
    code: str
    name: str
    unit_of_measure: str
    direction: int
    frequency: str
    provider_id: int | None


class ValueOut(Schema):
    unit_id: int
    unit_code: str
    period: str
    value: float | None
    not_applicable: bool
    source: str

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_value(obj):
        return float(obj.value) if obj.value is not None else None


class ValueIn(Schema):
    unit_code: str
    value: str  # a number, or 不适用 / NA


class ValuesIn(Schema):
    values: list[ValueIn]


@router.get("/indicators", response=list[IndicatorOut])
def list_indicators(request):
    return _indicators_for(request.user).order_by("code")


@router.get("/indicators/{code}/values/{period}", response=list[ValueOut])
def get_values(request, code: str, period: str):
    indicator = get_object_or_404(_indicators_for(request.user), code=code)
    units = actions.jurisdiction_units(indicator, request.user).values("pk")
    return (
        IndicatorValue.objects.current()
        .filter(indicator=indicator, period=period, unit__in=units)
        .select_related("unit")
        .order_by("unit__path")
    )


@router.put("/indicators/{code}/values/{period}")
def put_values(request, code: str, period: str, payload: ValuesIn):
    """Record many values at once, all or nothing; unchanged values write nothing."""
    indicator = get_object_or_404(_indicators_for(request.user), code=code)
    units = {u.code: u for u in Unit.objects.filter(code__in=[v.unit_code for v in payload.values])}
    missing = [v.unit_code for v in payload.values if v.unit_code not in units]
    if missing:
        raise HttpError(422, f"unit_code: no unit {', '.join(missing[:10])}")
    try:
        return actions.do_record_values(
            indicator,
            period,
            [(units[v.unit_code], v.value) for v in payload.values],
            source=IndicatorValue.Source.API,
            actor=request.user,
        )
    except NotAllowed as e:
        raise HttpError(403, e.message) from e
    except ActionError as e:
        raise HttpError(422, f"{e.field or 'values'}: {e.message}") from e


class TargetOut(Schema):
    unit_code: str
    value: float

    @staticmethod
    def resolve_unit_code(obj):
        return obj.unit.code

    @staticmethod
    def resolve_value(obj):
        return float(obj.value)


class TargetIn(Schema):
    unit_code: str
    value: str


class TargetsIn(Schema):
    targets: list[TargetIn]


@router.get("/indicators/{code}/targets/{period}", response=list[TargetOut])
def get_targets(request, code: str, period: str):
    indicator = get_object_or_404(_indicators_for(request.user), code=code)
    return (
        Target.objects.filter(
            indicator=indicator, period=period, unit__in=Unit.objects.visible_to(request.user)
        )
        .select_related("unit")
        .order_by("unit__path")
    )


@router.put("/indicators/{code}/targets/{period}")
def put_targets(request, code: str, period: str, payload: TargetsIn):
    """The office sets units' targets for a period, all or nothing."""
    indicator = get_object_or_404(_indicators_for(request.user), code=code)
    try:  # who may, before what: a data provider learns nothing from the unit codes it sends
        require_office(request.user, indicator.provider)
    except NotAllowed as e:
        raise HttpError(403, e.message) from e
    codes = [t.unit_code for t in payload.targets]
    units = {u.code: u for u in Unit.objects.visible_to(request.user).filter(code__in=codes)}
    missing = [c for c in codes if c not in units]
    if missing:
        raise HttpError(422, f"unit_code: no unit {', '.join(missing[:10])}")
    try:
        return actions.do_set_targets(
            indicator,
            period,
            [(units[t.unit_code], t.value) for t in payload.targets],
            actor=request.user,
        )
    except NotAllowed as e:
        raise HttpError(403, e.message) from e
    except ActionError as e:
        raise HttpError(422, f"{e.field or 'targets'}: {e.message}") from e
