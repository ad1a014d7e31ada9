"""The navigation each role sees, and the demo banner, for every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit

from .models import Role
from .scope import scope_for

# (label, url name, roles that see it; empty = everyone logged in)
_ITEMS = [
    (_("Home"), "home", ()),
    (_("Units"), "orgs:tree", ()),
    (_("People"), "accounts:people", (Role.OFFICE,)),
    (_("Audit trail"), "audit:events", (Role.OFFICE,)),
    (_("API tokens"), "accounts:tokens", ()),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
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
        "nav_items": items,
        "nav_roles": roles,
        # Generated data must never pass for real data: every page says so.
        "is_demo": Unit.objects.filter(is_demo=True, depth=1).exists(),
    }
