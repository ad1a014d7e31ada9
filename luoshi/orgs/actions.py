"""Every write to the unit tree, each in one transaction with its audit event."""

import uuid

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office, require_superuser
from luoshi.audit.chain import record, snapshot
from luoshi.lib.errors import ActionError, require_fits

from . import paths
from .models import LeaderOversight, Unit, UnitClass, UnitName


def _check_code_free(code: str, exclude_pk=None) -> None:
    clash = Unit.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if clash:
        raise ActionError(
            _("Unit code “%(code)s” is already used by %(name)s.") % {"code": code, "name": clash},
            field="code",
        )


@transaction.atomic
def do_create_unit_class(
    *, code: str, name: str, order: int = 0, builtin=False, actor
) -> UnitClass:
    require_office(actor)
    if UnitClass.objects.filter(code=code).exists():
        raise ActionError(_("Class code “%(code)s” already exists.") % {"code": code}, field="code")
    if UnitClass.objects.filter(name=name).exists():
        raise ActionError(_("Class “%(name)s” already exists.") % {"name": name}, field="name")
    unit_class = UnitClass.objects.create(code=code, name=name, order=order, builtin=builtin)
    record(actor=actor, action="unit_class.create", obj=unit_class, after=snapshot(unit_class))
    return unit_class


@transaction.atomic
def do_create_unit(
    *,
    code: str,
    name: str,
    unit_class: UnitClass,
    parent: Unit | None = None,
    order: int = 0,
    is_demo: bool = False,
    actor,
) -> Unit:
    if parent is None:
        require_superuser(actor)
    else:
        require_office(actor, parent)
        if not parent.is_active:
            raise ActionError(
                _("Parent unit “%(name)s” is no longer active.") % {"name": parent}, field="parent"
            )
    code, name = code.strip(), name.strip()
    if not code:
        raise ActionError(_("Unit code is required."), field="code")
    if not name:
        raise ActionError(_("Unit name is required."), field="name")
    require_fits(Unit, code=code, name=name)
    _check_order(order)
    _check_code_free(code)
    # The path needs the new row's id, so insert with a unique placeholder first.
    unit = Unit.objects.create(
        code=code,
        name=name,
        unit_class=unit_class,
        parent=parent,
        order=order,
        is_demo=is_demo,
        path=f"~{uuid.uuid4().hex}",
    )
    unit.path = paths.child_path(parent.path if parent else "", unit.pk)
    unit.depth = paths.depth_of(unit.path)
    unit.save(update_fields=["path", "depth"])
    record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


def _move_subtree(unit: Unit, new_parent: Unit | None) -> None:
    if new_parent is not None and new_parent.path.startswith(unit.path):
        raise ActionError(
            _("“%(unit)s” cannot be placed under itself or a unit below it.") % {"unit": unit},
            field="parent",
        )
    old_path = unit.path
    new_path = paths.child_path(new_parent.path if new_parent else "", unit.pk)
    depth_change = paths.depth_of(new_path) - paths.depth_of(old_path)
    # One UPDATE rewrites the whole subtree; order matters for the unique index
    # only on the placeholder-free new values, which never collide with old ones.
    Unit.objects.subtree(unit).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    unit.path, unit.depth = new_path, unit.depth + depth_change


MAX_ORDER = 999_999


def _check_order(order: int) -> None:
    if not 0 <= order <= MAX_ORDER:
        raise ActionError(
            _("The display order is a number from 0 to %(max)d.") % {"max": MAX_ORDER},
            field="order",
        )


@transaction.atomic
def do_update_unit(
    unit: Unit,
    *,
    name: str | None = None,
    code: str | None = None,
    parent: Unit | None | type(...) = ...,
    unit_class: UnitClass | None = None,
    order: int | None = None,
    actor,
) -> Unit:
    """Rename, re-code, move, re-class or re-order a unit. ``parent=...`` leaves it in place."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_office(actor, unit)
    before = snapshot(unit)
    now = timezone.now()
    require_fits(Unit, name=(name or "").strip(), code=(code or "").strip())
    if name is not None and name.strip() != unit.name:
        if not name.strip():
            raise ActionError(_("Unit name is required."), field="name")
        UnitName.objects.create(unit=unit, name=unit.name, until=now)
        unit.name = name.strip()
    if code is not None and code.strip() != unit.code:
        if not code.strip():
            raise ActionError(_("Unit code is required."), field="code")
        _check_code_free(code.strip(), exclude_pk=unit.pk)
        unit.code = code.strip()
    if parent is not ... and (parent.pk if parent else None) != unit.parent_id:
        if parent is None:
            require_superuser(actor)
        else:
            require_office(actor, parent)
        _move_subtree(unit, parent)
        unit.parent = parent
    if unit_class is not None:
        unit.unit_class = unit_class
    if order is not None:
        _check_order(order)
        unit.order = order
    unit.save()
    after = snapshot(unit)
    if after != before:
        record(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit


def _require_no_active_children(unit: Unit) -> None:
    if unit.children.filter(status=Unit.Status.ACTIVE).exists():
        raise ActionError(
            _("“%(unit)s” still has active units under it; move or retire them first.")
            % {"unit": unit}
        )


@transaction.atomic
def do_retire_unit(unit: Unit, *, on=None, actor) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_office(actor, unit)
    if not unit.is_active:
        raise ActionError(_("“%(unit)s” is already retired.") % {"unit": unit})
    _require_no_active_children(unit)
    before = snapshot(unit)
    unit.status = Unit.Status.RETIRED
    unit.ended_on = on or timezone.localdate()
    unit.save(update_fields=["status", "ended_on"])
    record(actor=actor, action="unit.retire", obj=unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def do_merge_unit(unit: Unit, *, into: Unit, on=None, actor) -> Unit:
    """Merge ``unit`` into ``into``: the unit stops, its past records stay with it."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    require_office(actor, unit)
    require_office(actor, into)
    if unit.pk == into.pk or into.path.startswith(unit.path):
        raise ActionError(
            _("A unit cannot be merged into itself or a unit below it."), field="into"
        )
    if not unit.is_active or not into.is_active:
        raise ActionError(_("Both units must be active to merge."), field="into")
    _require_no_active_children(unit)
    before = snapshot(unit)
    unit.status = Unit.Status.MERGED
    unit.merged_into = into
    unit.ended_on = on or timezone.localdate()
    unit.save(update_fields=["status", "merged_into", "ended_on"])
    record(actor=actor, action="unit.merge", obj=unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def do_set_oversight(*, leader, unit: Unit, area: str = "", actor) -> LeaderOversight:
    require_office(actor, unit)
    oversight, created = LeaderOversight.objects.get_or_create(
        leader=leader, unit=unit, defaults={"area": area}
    )
    before = None if created else snapshot(oversight)
    if not created and oversight.area != area:
        oversight.area = area
        oversight.save(update_fields=["area"])
    record(
        actor=actor, action="oversight.set", obj=oversight, before=before, after=snapshot(oversight)
    )
    return oversight


@transaction.atomic
def do_remove_oversight(oversight: LeaderOversight, *, actor) -> None:
    require_office(actor, oversight.unit)
    before = snapshot(oversight)
    record(actor=actor, action="oversight.remove", obj=oversight, before=before)
    oversight.delete()
