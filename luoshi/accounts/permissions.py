"""Checks an action makes before it writes. Actor None is the system (demo, CLI)."""

from django.utils.translation import gettext as _

from luoshi.lib.errors import NotAllowed

from .models import Role
from .scope import scope_for


def require_office(actor, unit=None) -> None:
    """The actor must be office staff for ``unit`` (or anywhere, if unit is None)."""
    if actor is None:
        return
    scope = scope_for(actor)
    allowed = scope.is_office_for(unit) if unit is not None else scope.has_role(Role.OFFICE)
    if not allowed:
        raise NotAllowed(_("Only the supervision office responsible for this unit may do this."))


def require_superuser(actor) -> None:
    if actor is not None and not actor.is_superuser:
        raise NotAllowed(_("Only a system administrator may do this."))


def is_unit_or_office(actor, unit) -> bool:
    """The unit's own head or liaison, or the office responsible for it (actor None: the system)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    return scope.is_office_for(unit) or any(
        (role, unit.pk) in scope.memberships for role in (Role.UNIT_HEAD, Role.LIAISON)
    )


def require_unit_or_office(actor, unit) -> None:
    if is_unit_or_office(actor, unit):
        return
    raise NotAllowed(_("Only %(unit)s itself or the office may do this.") % {"unit": unit})
