"""The navigation each role sees, and the demo banner, for every page."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from luoshi.notify.models import Notification
from luoshi.orgs.models import Unit

from .models import Role
from .scope import scope_for

# (label, url name, roles that see it; empty = everyone logged in)
_ITEMS = [
    (_("Home"), "home", ()),
    (_("My work"), "supervision:my_work", (Role.LIAISON, Role.UNIT_HEAD)),
    (_("My overview"), "supervision:leader", (Role.LEADER,)),
    (_("Tasks"), "supervision:tasks", ()),
    (_("Review"), "supervision:review", (Role.OFFICE,)),
    (_("Sources"), "directives:sources", (Role.OFFICE, Role.LEADER)),
    (_("Interview list"), "supervision:interviews", (Role.OFFICE, Role.LEADER)),
    (_("Indicators"), "indicators:list", (Role.OFFICE, Role.DATA_PROVIDER)),
    (_("Key projects"), "projects:board", ()),
    (_("Dashboard"), "publishing:dashboard", ()),
    (_("Incentives"), "incentives:index", ()),
    (_("Evaluation"), "evaluation:runs", ()),
    (_("Units"), "orgs:tree", ()),
    (_("People"), "accounts:people", (Role.OFFICE,)),
    (_("Rules"), "supervision:rules", (Role.OFFICE,)),
    (_("Audit trail"), "audit:events", (Role.OFFICE,)),
    (_("API tokens"), "accounts:tokens", ()),
]


def _navigation(request) -> dict:
    user = request.user
    scope = scope_for(user)
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, roles in _ITEMS
        if not roles or scope.has_role(*roles)
    ]
    roles = [Role(r).label for r in sorted(scope.roles)]
    if scope.everything:
        roles = [_("system administrator")]
    return {
        "items": items,
        "roles": roles,
        "unread": Notification.objects.for_user(user).unread().count(),
        # Generated data must never pass for real data: every page says so.
        "is_demo": Unit.objects.filter(is_demo=True, depth=1).exists(),
    }


def navigation(request):
    """Lazy, so htmx fragments that never show the menu never pay for it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": SimpleLazyObject(lambda: _navigation(request))}
