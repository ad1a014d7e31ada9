from datetime import datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from luoshi.accounts.models import Role, User
from luoshi.accounts.scope import scope_for

from .forms import EventFilterForm
from .models import AuditCheckpoint, AuditEvent
from .verify import verify as verify_trail


def _require_office(request):
    # The trail spans the whole installation; only the office reads it.
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def events(request):
    _require_office(request)
    form = EventFilterForm(request.GET or None)
    qs = AuditEvent.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        actor = User.objects.filter(username=data["actor"]).first() if data["actor"] else None
        if data["actor"] and actor is None:
            qs = qs.none()
        qs = qs.search(
            actor=actor,
            action=data["action"],
            object_type=data["object_type"],
            text=data["text"],
            since=_day_start(data["since"]) if data["since"] else None,
            until=_day_start(data["until"] + timedelta(days=1)) if data["until"] else None,
        )
    page = Paginator(qs.select_related("actor"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/events.html", {"form": form, "page": page, "query": query.urlencode()}
    )


def event_detail(request, pk):
    _require_office(request)
    event = get_object_or_404(AuditEvent.objects.select_related("actor"), pk=pk)
    keys = sorted(set(event.before or {}) | set(event.after or {}))
    changes = [
        (
            k,
            (event.before or {}).get(k),
            (event.after or {}).get(k),
            (event.before or {}).get(k) != (event.after or {}).get(k),
        )
        for k in keys
    ]
    return render(request, "audit/event.html", {"event": event, "changes": changes})


def verify(request):
    _require_office(request)
    result = verify_trail()
    return render(
        request,
        "audit/verify.html",
        {
            "result": result,
            # With a problem: the events before it (the walk may have gone on past it).
            "checked": result.problem.seq - 1 if result.problem else result.checked,
            "problem": result.problem,
            "latest": AuditCheckpoint.objects.order_by("-seq", "-id").first(),
            "anchors_held": sum(1 for _c, outcome in result.anchors if outcome == "holds"),
        },
    )
