"""Who may move a task or a report, by role and unit."""

from django.utils.translation import gettext as _

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.lib.errors import NotAllowed


def holds(actor, unit, *roles) -> bool:
    """The actor holds one of ``roles`` in exactly ``unit`` (actor None: the system)."""
    if actor is None:
        return True
    scope = scope_for(actor)
    return scope.everything or any((role, unit.pk) in scope.memberships for role in roles)


def require_unit_staff(actor, unit, *roles) -> None:
    roles = roles or (Role.UNIT_HEAD, Role.LIAISON)
    if not holds(actor, unit, *roles):
        names = "、".join(str(Role(r).label) for r in roles)
        raise NotAllowed(
            _("Only the %(roles)s of %(unit)s may do this.") % {"roles": names, "unit": unit}
        )


def require_task_office(actor, task) -> None:
    if actor is not None and not scope_for(actor).is_office_for(task.lead_unit):
        raise NotAllowed(_("Only the supervision office may do this."))


def is_task_office(actor, task) -> bool:
    return actor is not None and scope_for(actor).is_office_for(task.lead_unit)
