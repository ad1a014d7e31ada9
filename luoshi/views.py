"""The home page: what each role needs to see first, with real counts."""

from datetime import timedelta

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from luoshi.accounts.models import Membership, Role, User
from luoshi.accounts.scope import scope_for
from luoshi.audit.models import AuditEvent
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Light, Task


def home(request):
    user = request.user
    scope = scope_for(user)
    visible = Unit.objects.visible_to(user).active()
    by_class = (
        visible.values("unit_class__name", "unit_class__order")
        .annotate(n=Count("pk"))
        .order_by("unit_class__order")
    )
    own = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("unit", "unit__unit_class")
        .annotate(sub_units=Count("unit__children"))
    )
    lights = dict(
        Task.objects.visible_to(user).open().values_list("light").annotate(n=Count("pk")).order_by()
    )
    context = {
        "task_lights": [
            (light, lights.get(light, 0)) for light in (Light.RED, Light.YELLOW, Light.GREEN)
        ],
        "own_memberships": own,
        "units_by_class": by_class,
        "unit_total": sum(row["n"] for row in by_class),
    }
    if scope.has_role(Role.OFFICE):
        since = timezone.now() - timedelta(days=1)
        people = User.objects.visible_to(user)
        context["office"] = {
            "people": people.filter(is_active=True).count(),
            "locked": people.filter(locked_until__gt=timezone.now()).count(),
            "never_logged_in": people.filter(is_active=True, last_login__isnull=True).count(),
            "events_24h": AuditEvent.objects.filter(created_at__gte=since).count(),
        }
    if scope.has_role(Role.LEADER):
        context["overseen"] = user.oversights.select_related("unit", "unit__unit_class").order_by(
            "unit__unit_class__order", "unit__order"
        )
    return render(request, "home.html", context)
