"""Every write to indicators and their values, each in one transaction with its audit events."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Role
from luoshi.accounts.permissions import require_office
from luoshi.accounts.scope import scope_for
from luoshi.audit.chain import record, record_many, snapshot
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.periods import Period
from luoshi.orgs.models import Unit

from .models import CollectionRound, Indicator, IndicatorValue, Target

NOT_APPLICABLE_WORDS = {"不适用", "NA", "N/A", "n/a", "na"}


# IndicatorValue.value holds 20 digits, 6 after the point: 14 before it.
MAX_MAGNITUDE = Decimal(10) ** 14


def parse_value(text) -> tuple[Decimal | None, bool]:
    """(value, not_applicable) from a cell; ValueError for anything else, including numbers
    too large for the column (PostgreSQL would refuse the whole batch with a server error)."""
    if isinstance(text, int | float | Decimal):
        value = Decimal(str(text))
    else:
        text = str(text or "").strip().replace(",", "").replace("，", "")
        if text in NOT_APPLICABLE_WORDS:
            return None, True
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
        raise ValueError(text)
    return value, False


def _require_provider(actor, indicator: Indicator) -> None:
    """The office, or a data provider of the unit that provides this indicator."""
    if actor is None:
        return
    scope = scope_for(actor)
    if scope.has_role(Role.OFFICE) and (
        indicator.provider is None or scope.is_office_for(indicator.provider)
    ):
        return
    if indicator.provider_id and (Role.DATA_PROVIDER, indicator.provider_id) in scope.memberships:
        return
    raise NotAllowed(
        _("Only the unit that provides “%(name)s” or the office may enter its values.")
        % {"name": indicator.name}
    )


def jurisdiction_units(indicator: Indicator, actor):
    """The units whose values ``actor`` may enter for ``indicator``.

    A data provider (统计局, 财政局 …) reports for every unit of its jurisdiction,
    not only for itself: the subtree of its unit's parent (the district). The
    office reports within its own scope.
    """
    units = Unit.objects.active().filter(unit_class__in=indicator.classes.all())
    if actor is None:
        return units
    scope = scope_for(actor)
    if indicator.provider_id and (Role.DATA_PROVIDER, indicator.provider_id) in scope.memberships:
        provider = indicator.provider
        return units.filter(pk__in=Unit.objects.subtree(provider.parent or provider).values("pk"))
    return units.filter(scope.unit_q(""))


def check_period(indicator: Indicator, period_text: str) -> Period:
    try:
        period = Period.parse(period_text)
    except ValueError as e:
        raise ActionError(str(e), field="period") from e
    if period.kind != indicator.frequency:
        raise ActionError(
            _("“%(name)s” is collected %(frequency)s; %(period)s is not such a period.")
            % {
                "name": indicator.name,
                "frequency": indicator.get_frequency_display(),
                "period": period,
            },
            field="period",
        )
    return period


@transaction.atomic
def do_create_indicator(
    *,
    code,
    name,
    unit_of_measure="",
    direction=1,
    frequency="month",
    classes=(),
    provider=None,
    definition="",
    denominator=None,
    actor,
) -> Indicator:
    require_office(actor)
    if Indicator.objects.filter(code=code).exists():
        raise ActionError(
            _("Indicator code “%(code)s” already exists.") % {"code": code}, field="code"
        )
    if not classes:
        raise ActionError(_("Say which unit classes the indicator applies to."), field="classes")
    indicator = Indicator.objects.create(
        code=code,
        name=name.strip(),
        unit_of_measure=unit_of_measure,
        direction=direction,
        frequency=frequency,
        provider=provider,
        definition=definition,
        denominator=denominator,
    )
    indicator.classes.set(classes)
    record(actor=actor, action="indicator.create", obj=indicator, after=snapshot(indicator))
    return indicator


def _locked_round(indicator, period) -> CollectionRound:
    round_, _created = CollectionRound.objects.select_for_update().get_or_create(
        indicator=indicator, period=str(period)
    )
    return round_


@transaction.atomic
def do_record_values(
    indicator: Indicator, period_text: str, entries, *, source: str, note: str = "", actor
) -> dict:
    """Record values for many units at once, all or nothing.

    ``entries`` is an iterable of (unit, raw value) where the raw value is a
    number, a numeric text, or 不适用/NA. An unchanged value writes nothing; a
    changed one keeps the old row in the history. Returns counts.
    """
    _require_provider(actor, indicator)
    period = check_period(indicator, period_text)
    round_ = _locked_round(indicator, period)
    if round_.locked:
        raise ActionError(
            _("%(period)s of “%(name)s” is %(state)s and locked; ask the office to reopen it.")
            % {"period": period, "name": indicator.name, "state": round_.get_state_display()}
        )
    class_ids = set(indicator.classes.values_list("pk", flat=True))
    allowed = set(jurisdiction_units(indicator, actor).values_list("pk", flat=True))
    parsed = []
    for unit, raw in entries:
        if unit.unit_class_id not in class_ids:
            raise ActionError(
                _("“%(name)s” does not apply to %(unit)s (%(cls)s).")
                % {"name": indicator.name, "unit": unit, "cls": unit.unit_class},
                field="unit",
            )
        if unit.pk not in allowed:
            raise NotAllowed(_("%(unit)s is outside your jurisdiction.") % {"unit": unit})
        try:
            value, not_applicable = parse_value(raw)
        except ValueError:
            raise ActionError(
                _("%(unit)s: “%(text)s” is not a number (write a number, or 不适用).")
                % {"unit": unit, "text": raw},
                field="value",
            ) from None
        parsed.append((unit, value, not_applicable))
    current = {
        v.unit_id: v
        for v in IndicatorValue.objects.select_for_update().filter(
            indicator=indicator,
            period=str(period),
            unit__in=[u for u, *_ in parsed],
            is_current=True,
        )
    }
    now, replaced, created = timezone.now(), [], []
    for unit, value, not_applicable in parsed:
        old = current.get(unit.pk)
        if old is not None and old.value == value and old.not_applicable == not_applicable:
            continue
        if old is not None:
            replaced.append(old.pk)
        created.append(
            IndicatorValue(
                indicator=indicator,
                unit=unit,
                period=str(period),
                value=value,
                not_applicable=not_applicable,
                source=source,
                note=note,
                entered_by=actor,
                entered_at=now,
                replaces=old,
            )
        )
    # Retire the old rows first: at most one current value per unit and period.
    IndicatorValue.objects.filter(pk__in=replaced).update(is_current=False)
    created = IndicatorValue.objects.bulk_create(created)
    record_many(
        actor=actor,
        events=[
            {
                "action": "value.correct" if new.replaces_id else "value.enter",
                "obj": new,
                "before": {
                    "value": current[new.unit_id].value,
                    "not_applicable": current[new.unit_id].not_applicable,
                }
                if new.replaces_id
                else None,
                "after": snapshot(
                    new, ["indicator", "unit", "period", "value", "not_applicable", "source"]
                ),
            }
            for new in created
        ],
    )
    written = len(created)
    return {"written": written, "unchanged": len(parsed) - written}


def _move_round(indicator, period_text, *, to, allowed, actor, office: bool):
    period = check_period(indicator, period_text)
    if office:
        require_office(actor, indicator.provider)
    else:
        _require_provider(actor, indicator)
    round_ = _locked_round(indicator, period)
    if round_.state not in allowed:
        raise ActionError(
            _("This collection is “%(state)s”; it cannot move to “%(to)s”.")
            % {"state": round_.get_state_display(), "to": CollectionRound.State(to).label}
        )
    before = snapshot(round_)
    round_.state = to
    if to == CollectionRound.State.SUBMITTED:
        round_.submitted_by, round_.submitted_at = actor, timezone.now()
    elif to in (CollectionRound.State.ACCEPTED, CollectionRound.State.CLOSED):
        round_.reviewed_by, round_.reviewed_at = actor, timezone.now()
    round_.save()
    record(actor=actor, action=f"round.{to}", obj=round_, before=before, after=snapshot(round_))
    return round_


S = CollectionRound.State


@transaction.atomic
def do_submit_round(indicator, period, *, actor):
    return _move_round(
        indicator, period, to=S.SUBMITTED, allowed={S.OPEN}, actor=actor, office=False
    )


@transaction.atomic
def do_accept_round(indicator, period, *, actor):
    return _move_round(
        indicator, period, to=S.ACCEPTED, allowed={S.SUBMITTED}, actor=actor, office=True
    )


@transaction.atomic
def do_return_round(indicator, period, *, actor):
    return _move_round(
        indicator, period, to=S.OPEN, allowed={S.SUBMITTED, S.ACCEPTED}, actor=actor, office=True
    )


@transaction.atomic
def do_close_round(indicator, period, *, actor):
    """A closed period is locked: evaluation runs read it, nobody writes it."""
    return _move_round(
        indicator, period, to=S.CLOSED, allowed={S.ACCEPTED}, actor=actor, office=True
    )


@transaction.atomic
def do_set_targets(indicator: Indicator, period_text: str, entries, *, actor) -> dict:
    """Set units' targets (目标值) for a period, all or nothing; the office sets them.

    ``entries`` is (unit, number). A changed target keeps its old value in the audit trail.
    """
    require_office(actor, indicator.provider)
    period = check_period(indicator, period_text)
    class_ids = set(indicator.classes.values_list("pk", flat=True))
    parsed = []
    for unit, raw in entries:
        if unit.unit_class_id not in class_ids:
            raise ActionError(
                _("“%(name)s” does not apply to %(unit)s (%(cls)s).")
                % {"name": indicator.name, "unit": unit, "cls": unit.unit_class},
                field="unit",
            )
        try:
            value, not_applicable = parse_value(raw)
        except ValueError:
            value, not_applicable = None, True
        if not_applicable or value is None:
            raise ActionError(
                _("%(unit)s: “%(text)s” is not a number.") % {"unit": unit, "text": raw},
                field="value",
            )
        parsed.append((unit, value))
    existing = {
        t.unit_id: t
        for t in Target.objects.select_for_update().filter(
            indicator=indicator, period=str(period), unit__in=[u for u, _v in parsed]
        )
    }
    events, written = [], 0
    for unit, value in parsed:
        old = existing.get(unit.pk)
        if old is not None and old.value == value:
            continue
        before = {"value": str(old.value)} if old else None
        target, _created = Target.objects.update_or_create(
            indicator=indicator, unit=unit, period=str(period), defaults={"value": value}
        )
        events.append(
            {
                "action": "target.set",
                "obj": target,
                "before": before,
                "after": {"unit": unit.code, "period": str(period), "value": str(value)},
            }
        )
        written += 1
    record_many(actor=actor, events=events)
    return {"written": written, "unchanged": len(parsed) - written}
