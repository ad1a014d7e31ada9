"""Writes of the rule layer: bonuses, deductions and vetoes recorded for units, exemptions
granted on them, and a scheme version's caps, quotas and rank-change credit.

An adjustment is never edited. A mistaken one is withdrawn with a reason and stays on
record; a run already published keeps the points it applied (it is superseded, not edited).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError

from .actions import _require_editable
from .models import Adjustment, Exemption, SchemeVersion
from .service import RULE_DEFAULTS

K = Adjustment.Kind
POINTED = (K.BONUS, K.DEDUCTION, K.VETO_DEDUCTION)


def _points(value) -> Decimal:
    try:
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ActionError(_("Points must be a number, e.g. 2 or 0.5."), field="points") from None
    if not points.is_finite() or points <= 0 or points >= 1000:
        raise ActionError(_("Points must be above 0 and below 1000."), field="points")
    return points


@transaction.atomic
def do_record_adjustment(
    *,
    unit,
    kind: str,
    category: str,
    happened_on: date,
    reason: str,
    points=None,
    achievement: str = "",
    level: int = Adjustment.Level.DISTRICT,
    cap_grade: str = "",
    origin: str = "office",
    actor,
) -> Adjustment:
    require_office(actor, unit)
    if kind not in K.values:
        raise ActionError(_("Unknown kind of adjustment."), field="kind")
    if not category.strip():
        raise ActionError(
            _("Name the category (e.g. 安全生产), so caps can apply."), field="category"
        )
    if not reason.strip():
        raise ActionError(_("Say why, with the document or event it rests on."), field="reason")
    if happened_on > timezone.localdate():
        raise ActionError(_("The date cannot be in the future."), field="happened_on")
    if kind in POINTED:
        points = _points(points)
    else:
        points = Decimal(0)
    if kind == K.VETO_CAP and not cap_grade.strip():
        raise ActionError(_("Say the highest grade the unit may get."), field="cap_grade")
    if level not in Adjustment.Level.values:
        raise ActionError(_("Unknown level."), field="level")
    adjustment = Adjustment.objects.create(
        unit=unit,
        kind=kind,
        category=category.strip(),
        points=points,
        achievement=achievement.strip() if kind == K.BONUS else "",
        level=level,
        cap_grade=cap_grade.strip() if kind == K.VETO_CAP else "",
        happened_on=happened_on,
        reason=reason.strip(),
        origin=origin,
        created_by=actor,
    )
    record(
        actor=actor,
        action="adjustment.record",
        obj=adjustment,
        after={
            "unit": unit.code,
            "kind": kind,
            "category": adjustment.category,
            "points": str(points),
            "date": happened_on.isoformat(),
        },
    )
    return adjustment


@transaction.atomic
def do_withdraw_adjustment(adjustment: Adjustment, *, reason: str, actor) -> Adjustment:
    adjustment = Adjustment.objects.select_for_update().select_related("unit").get(pk=adjustment.pk)
    require_office(actor, adjustment.unit)
    if adjustment.withdrawn_at is not None:
        raise ActionError(_("This adjustment has already been withdrawn."))
    if not reason.strip():
        raise ActionError(_("Say why it is withdrawn."), field="reason")
    adjustment.withdrawn_at, adjustment.withdrawn_reason = timezone.now(), reason.strip()
    adjustment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    record(actor=actor, action="adjustment.withdraw", obj=adjustment, after={"reason": reason})
    return adjustment


@transaction.atomic
def do_grant_exemption(adjustment: Adjustment, *, reason: str, actor) -> Exemption:
    """容错免责: cancel exactly this deduction or veto in the runs that follow."""
    adjustment = Adjustment.objects.select_for_update().select_related("unit").get(pk=adjustment.pk)
    require_office(actor, adjustment.unit)
    if adjustment.kind == K.BONUS:
        raise ActionError(_("An exemption cancels a deduction or a veto, not a bonus."))
    if adjustment.withdrawn_at is not None:
        raise ActionError(_("This adjustment was withdrawn; there is nothing to exempt."))
    if Exemption.objects.filter(adjustment=adjustment).exists():
        raise ActionError(_("This deduction is already exempted."))
    if not reason.strip():
        raise ActionError(_("Say why the exemption is granted."), field="reason")
    exemption = Exemption.objects.create(
        adjustment=adjustment, reason=reason.strip(), decided_by=actor
    )
    record(
        actor=actor,
        action="adjustment.exempt",
        obj=exemption,
        after={"adjustment": adjustment.pk, "reason": exemption.reason},
    )
    return exemption


def _share(value, field) -> float:
    share = _number(value, field)
    if not 0 < share <= 100:
        raise ActionError(_("A quota is a share above 0 and at most 100 %."), field=field)
    return share / 100.0


def _number(value, field, *, optional=False):
    if optional and (value is None or str(value).strip() == ""):
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ActionError(_("Write a number here."), field=field) from None
    if number < 0 or number != number or number == float("inf"):
        raise ActionError(_("Write a number of zero or more."), field=field)
    return number


@transaction.atomic
def do_set_rules(version: SchemeVersion, form: dict, *, actor) -> SchemeVersion:
    """Caps, escalation, one grade quota and rank-change credit, from the editor's fields."""
    version = (
        SchemeVersion.objects.select_for_update().select_related("scheme__owner").get(pk=version.pk)
    )
    require_office(actor, version.scheme.owner)
    _require_editable(version)
    rules = dict(RULE_DEFAULTS)
    rules["adjustments"] = bool(form.get("adjustments"))
    for key in ("bonus_total_cap", "bonus_category_cap", "deduction_category_cap"):
        rules[key] = _number(form.get(key), key, optional=True)
    escalation = str(form.get("escalation") or "1").replace("，", ",")
    try:
        rules["escalation"] = [float(x) for x in escalation.split(",") if x.strip()] or [1.0]
    except ValueError:
        raise ActionError(
            _("Write the factors for repeated deductions as numbers, e.g. 1, 2."),
            field="escalation",
        ) from None
    if form.get("quota_grade"):
        grades = {b["grade"] for b in version.bands}
        grade, demote = form["quota_grade"].strip(), str(form.get("quota_demote_to", "")).strip()
        for field, value in (("quota_grade", grade), ("quota_demote_to", demote)):
            if value not in grades:
                raise ActionError(
                    _("“%(grade)s” is not one of the grade bands.") % {"grade": value},
                    field=field,
                )
        rules["quotas"] = [
            {
                "grade": grade,
                "share": _share(form.get("quota_share"), "quota_share"),
                "demote_to": demote,
                "rounding": form.get("quota_rounding") or "floor",
                "ties": form.get("quota_ties") or "exclude",
            }
        ]
    per_place = _number(form.get("rank_per_place"), "rank_per_place", optional=True)
    if per_place:
        rules["rank_change"] = {
            "per_place": per_place,
            "cap": _number(form.get("rank_cap"), "rank_cap", optional=True) or per_place,
        }
    before = dict(version.rules)
    version.rules = rules
    version.save(update_fields=["rules"])
    record(actor=actor, action="scheme.set_rules", obj=version, before=before, after=rules)
    return version
