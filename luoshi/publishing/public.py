"""Published rankings and scorecards without log-in (让群众来评判), when the installation
switches them on (LUOSHI_PUBLIC_RESULTS). Only published results, never drafts; no link
into the working system (indicator grids, task pages) that would need a log-in."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from luoshi.evaluation.models import Run
from luoshi.orgs.models import Unit

from .results import league, scorecard


def _public_runs():
    if not settings.LUOSHI_PUBLIC_RESULTS:
        raise Http404
    return Run.objects.filter(state__in=[Run.State.PUBLISHED, Run.State.SUPERSEDED]).select_related(
        "version__scheme"
    )


def _demo() -> bool:
    return Unit.objects.filter(is_demo=True, depth=1).exists()


@login_not_required
def index(request):
    runs = (
        _public_runs()
        .filter(state=Run.State.PUBLISHED)
        .order_by("version__scheme__name", "-period")
    )
    schemes: dict = {}
    for run in runs:
        schemes.setdefault(run.version.scheme.name, []).append(run)
    return render(
        request, "publishing/public_index.html", {"schemes": schemes, "public_demo": _demo()}
    )


@login_not_required
def public_league(request, pk):
    run = get_object_or_404(_public_runs(), pk=pk)
    tables = league(run, Unit.objects.all())
    for t in tables:
        t.chart = json.dumps(
            {
                "labels": [r.unit.name for r in t.rows],
                "series": [
                    {"name": "得分", "data": [round(r.total, 2) if r.total is not None else None for r in t.rows],
                     "mean": round(t.mean, 2) if t.mean is not None else None}
                ],
                "meanLabel": "平均",
            },
            ensure_ascii=False,
        )  # fmt: skip
    return render(
        request,
        "publishing/league.html",
        {"run": run, "tables": tables, "public": True, "public_demo": _demo()},
    )


@login_not_required
def public_scorecard(request, pk, unit_pk):
    run = get_object_or_404(_public_runs(), pk=pk)
    unit = get_object_or_404(Unit.objects.all(), pk=unit_pk)
    card = scorecard(run, unit, None)
    for line in card.lines:
        line.tasks = []  # task titles are working material, not results
    trend = {
        "labels": [t[0] for t in card.trend],
        "series": [{"name": "得分", "data": [round(t[1], 2) if t[1] is not None else None for t in card.trend]}],
    }  # fmt: skip
    return render(
        request,
        "publishing/scorecard.html",
        {
            "card": card,
            "run": run,
            "unit": unit,
            "trend": json.dumps(trend, ensure_ascii=False),
            "public": True,
            "public_demo": _demo(),
        },
    )
