from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.periods import Period
from luoshi.lib.xlsx import ImportRejected

from . import actions
from .models import CollectionRound, Indicator, IndicatorValue
from .value_xlsx import export_grid, import_grid

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _indicators_for(user):
    """The office sees the library; a data provider sees the indicators its unit provides."""
    scope = scope_for(user)
    if scope.has_role(Role.OFFICE):
        return Indicator.objects.filter(active=True)
    provided = [unit for role, unit in scope.memberships if role == Role.DATA_PROVIDER]
    return Indicator.objects.filter(active=True, provider_id__in=provided)


def _get_indicator_for_user(request, code) -> Indicator:
    return get_object_or_404(_indicators_for(request.user).select_related("provider"), code=code)


def indicator_list(request):
    indicators = (
        _indicators_for(request.user).select_related("provider").prefetch_related("classes")
    )
    if not indicators.exists() and not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied
    today = timezone.localdate()
    rows = [(i, str(Period.of(i.frequency, today).previous())) for i in indicators]
    return render(request, "indicators/list.html", {"rows": rows})


def grid(request, code, period):
    indicator = _get_indicator_for_user(request, code)
    try:
        period = actions.check_period(indicator, period)
    except ActionError as e:
        raise PermissionDenied(e.message) from e
    units = list(
        actions.jurisdiction_units(indicator, request.user)
        .select_related("unit_class")
        .order_by("path")
    )
    current = {
        v.unit_id: v
        for v in IndicatorValue.objects.current()
        .filter(indicator=indicator, period=str(period))
        .select_related("entered_by")
    }
    if request.method == "POST":
        entries = [(u, request.POST.get(f"v{u.pk}", "").strip()) for u in units]
        entries = [(u, raw) for u, raw in entries if raw]
        try:
            result = actions.do_record_values(
                indicator,
                str(period),
                entries,
                source=IndicatorValue.Source.FORM,
                actor=request.user,
            )
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except ActionError as e:
            messages.error(request, e.message)
        else:
            messages.success(
                request, _("Saved: %(written)d changed, %(unchanged)d unchanged.") % result
            )
            return redirect("indicators:grid", code=code, period=str(period))
    round_ = CollectionRound.objects.filter(indicator=indicator, period=str(period)).first()
    rows = [
        (u, current.get(u.pk), request.POST.get(f"v{u.pk}") if request.method == "POST" else None)
        for u in units
    ]
    return render(
        request,
        "indicators/grid.html",
        {
            "indicator": indicator,
            "period": period,
            "rows": rows,
            "round": round_,
            "filled": sum(1 for u in units if u.pk in current),
            "office": scope_for(request.user).has_role(Role.OFFICE),
            "previous": period.previous(),
        },
    )


def grid_download(request, code, period):
    indicator = _get_indicator_for_user(request, code)
    data = export_grid(indicator, str(actions.check_period(indicator, period)), request.user)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}-{period}.xlsx"'
    return response


@require_POST
def grid_upload(request, code, period):
    indicator = _get_indicator_for_user(request, code)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an .xlsx file first."))
        return redirect("indicators:grid", code=code, period=period)
    try:
        result = import_grid(upload.read(), indicator, period, actor=request.user)
    except ImportRejected as e:
        for error in e.errors[:50]:
            messages.error(request, error.message)
        messages.error(request, _("Nothing was imported; fix the rows above and upload again."))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(
            request, _("Imported: %(written)d changed, %(unchanged)d unchanged.") % result
        )
    return redirect("indicators:grid", code=code, period=period)


_MOVES = {
    "submit": (actions.do_submit_round, _("Submitted to the office.")),
    "accept": (actions.do_accept_round, _("Accepted.")),
    "return": (actions.do_return_round, _("Returned for correction.")),
    "close": (actions.do_close_round, _("Closed: the period is locked.")),
}


@require_POST
def round_move(request, code, period, move):
    indicator = _get_indicator_for_user(request, code)
    if move not in _MOVES:
        raise PermissionDenied
    action, success = _MOVES[move]
    try:
        action(indicator, period, actor=request.user)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, success)
    return redirect("indicators:grid", code=code, period=period)
