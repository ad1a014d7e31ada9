"""League tables and scorecards as pages and spreadsheets, with the evaluation pages' access rules:
a run is fetched through the runs the person may see (drafts for the office only), a unit
through the units the person may see; anything else answers 404."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.permissions import is_unit_or_office
from luoshi.accounts.scope import scope_for
from luoshi.evaluation.views import _get_run_for_user
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.periods import period_name
from luoshi.lib.xlsx import write_table
from luoshi.orgs.models import Unit

from .actions import do_request_document
from .models import GeneratedDocument
from .results import league, scorecard

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LeagueFilter(forms.Form):
    unit_class = forms.ChoiceField(label=gettext_lazy("Class"), required=False)
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Under"), queryset=Unit.objects.none(), required=False
    )
    top = forms.TypedChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", gettext_lazy("all")), (3, "前3名"), (5, "前5名"), (10, "前10名")],
    )
    side = forms.ChoiceField(
        label=gettext_lazy("Against the class mean"),
        required=False,
        choices=[
            ("", gettext_lazy("all")),
            ("above", gettext_lazy("at or above the mean")),
            ("below", gettext_lazy("below the mean")),
        ],
    )

    def __init__(self, *args, classes=(), parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_class"].choices = [("", _("all classes")), *classes]
        self.fields["parent"].queryset = parents if parents is not None else Unit.objects.none()


def _league_for(request, run):
    visible = Unit.objects.visible_to(request.user).values("pk")
    everything = league(run, visible)
    classes = [(t.code, t.name) for t in everything]
    # Parents: units with evaluated units below them (e.g. a township over its villages).
    parents = Unit.objects.visible_to(request.user).filter(
        pk__in=[r.unit.parent_id for t in everything for r in t.rows if r.unit.parent_id]
    )
    form = LeagueFilter(request.GET or None, classes=classes, parents=parents)
    if form.is_valid():
        d = form.cleaned_data
        tables = league(
            run,
            visible,
            unit_class=d["unit_class"] or "",
            parent=d["parent"],
            top=d["top"],
            side=d["side"] or "",
        )
    else:
        tables = everything
    return form, tables


def league_table(request, pk):
    run = _get_run_for_user(request, pk)
    form, tables = _league_for(request, run)
    for t in tables:
        t.chart = json.dumps(
            {
                "labels": [r.unit.name for r in t.rows],
                "meanLabel": _("class mean"),
                "series": [
                    {
                        "name": _("Score"),
                        "data": [
                            round(r.total, 2) if r.total is not None else None for r in t.rows
                        ],
                        "mean": round(t.mean, 2) if t.mean is not None else None,
                    }
                ],
            },
            ensure_ascii=False,
        )
    scope = scope_for(request.user)
    return render(
        request,
        "publishing/league.html",
        {
            "run": run,
            "tables": tables,
            "form": form,
            "query": request.GET.urlencode(),
            "office": scope.is_office_for(run.version.scheme.owner),
            "documents": _documents_for(request.user).filter(run=run)[:10],
        },
    )


def league_xlsx(request, pk):
    run = _get_run_for_user(request, pk)
    _form, tables = _league_for(request, run)
    header = [
        _("Class"),
        _("Rank"),
        _("Unit"),
        _("Score"),
        _("Grade"),
        _("Change"),
        _("Rank interval (5–95 %)"),
        _("Bonus"),
        _("Deduction"),
    ]
    rows = [
        [
            t.name,
            r.rank_class,
            r.unit.name,
            round(r.total, 2) if r.total is not None else None,
            r.grade,
            r.rank_change,
            f"{r.rank_low:.0f}–{r.rank_high:.0f}" if r.rank_low is not None else "",
            r.bonus or None,
            r.deduction or None,
        ]
        for t in tables
        for r in t.rows
    ]
    data = write_table(f"{run.version.scheme.name} {period_name(run.period)}", header, rows)
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{run.version.scheme.code}-{run.period}.xlsx"'
    )
    return response


def unit_scorecard(request, pk, unit_pk):
    """成绩单 / 对账单: every item with points won and lost, its rank in class, the trend,
    and the values, tasks and adjustments behind each number."""
    run = _get_run_for_user(request, pk)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
    card = scorecard(run, unit, request.user)
    statements = _documents_for(request.user).filter(
        run=run, unit=unit, kind=GeneratedDocument.Kind.STATEMENT
    )[:5]
    trend = {
        "labels": [period_name(t[0]) for t in card.trend],
        "series": [
            {
                "name": _("Score"),
                "data": [round(t[1], 2) if t[1] is not None else None for t in card.trend],
            }
        ],
    }
    return render(
        request,
        "publishing/scorecard.html",
        {
            "card": card,
            "run": run,
            "unit": unit,
            "trend": json.dumps(trend, ensure_ascii=False),
            "statements": statements,
            "may_request": is_unit_or_office(request.user, unit),
        },
    )


def _documents_for(user):
    """Bulletins and meeting packs rank or list every unit: the office that issues them and
    leaders who see all. A statement also goes to its unit, an order to its task's lead unit."""
    scope = scope_for(user)
    K = GeneratedDocument.Kind
    return GeneratedDocument.objects.filter(
        scope.unit_q("issuer__")
        | (Q(kind=K.STATEMENT) & scope.unit_q("unit__"))
        | (Q(kind=K.ORDER) & scope.unit_q("task__lead_unit__"))
    ).select_related("run__version__scheme", "unit", "task")


def _request(request, back, **kwargs):
    try:
        document = do_request_document(actor=request.user, **kwargs)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
        return redirect(back)
    return redirect("publishing:document", pk=document.pk)


@require_POST
def document_request(request, pk):
    run = _get_run_for_user(request, pk)
    return _request(request, reverse("publishing:league", args=[run.pk]), run=run)


@require_POST
def statement_request(request, pk, unit_pk):
    run = _get_run_for_user(request, pk)
    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=unit_pk)
    back = reverse("publishing:scorecard", args=[run.pk, unit.pk])
    return _request(request, back, run=run, unit=unit, kind=GeneratedDocument.Kind.STATEMENT)


@require_POST
def order_request(request, pk):
    from luoshi.supervision.models import Task

    task = get_object_or_404(Task.objects.visible_to(request.user), pk=pk)
    back = reverse("supervision:task", args=[task.pk])
    return _request(request, back, task=task, kind=GeneratedDocument.Kind.ORDER)


@require_POST
def meeting_request(request, pk):
    from luoshi.directives.models import Source

    source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
    back = reverse("directives:source", args=[source.pk])
    return _request(request, back, source=source, kind=GeneratedDocument.Kind.MEETING)


def document_detail(request, pk):
    document = get_object_or_404(_documents_for(request.user), pk=pk)
    template = (
        "publishing/_document_status.html"
        if request.headers.get("HX-Request")
        else "publishing/document.html"
    )
    return render(request, template, {"document": document})


def document_file(request, pk, fmt):
    document = get_object_or_404(
        _documents_for(request.user), pk=pk, state=GeneratedDocument.State.DONE
    )
    stored = document.docx if fmt == "docx" else document.pdf
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{document.title}.{fmt}")


def dashboard(request):
    """The overview: tasks by light, by area and overdue by unit, key indicators against
    target; for the office also tasks by state. All within what the reader may see."""
    from django.utils import timezone

    from luoshi.supervision.models import Task

    from . import dashboards

    tasks = Task.objects.visible_to(request.user)
    today = timezone.localdate()
    sections = [
        (
            _("Supervision"),
            [
                dashboards.tasks_by_light(tasks),
                dashboards.tasks_by_area(tasks),
                dashboards.overdue_by_unit(tasks, today),
            ],
        ),
    ]
    if scope_for(request.user).has_role(Role.OFFICE):
        sections[0][1].append(dashboards.tasks_by_state(tasks))
    trends = dashboards.indicator_trends(Unit.objects.visible_to(request.user))
    if trends:
        sections.append((_("Key indicators against target"), trends))
    return render(
        request,
        "publishing/dashboard.html",
        {"title": _("Dashboard"), "sections": sections, "today": today},
    )


def unit_dashboard(request, pk):
    """A unit's own page: its tasks by light, its ranks over time, its key indicators."""
    from django.utils import timezone

    from luoshi.supervision.models import Task

    from . import dashboards

    unit = get_object_or_404(Unit.objects.visible_to(request.user), pk=pk)
    tasks = Task.objects.visible_to(request.user).filter(lead_unit=unit)
    today = timezone.localdate()
    sections = [(_("Tasks it leads"), [dashboards.tasks_by_light(tasks)])]
    results = dashboards.unit_results(unit)
    if results:
        sections.append((_("Evaluation results"), results))
    trends = dashboards.indicator_trends(Unit.objects.filter(pk=unit.pk))
    if trends:
        sections.append((_("Key indicators against target"), trends))
    for chart in sections[0][1]:
        chart.links = [f"{link}&unit={unit.pk}" for link in chart.links]
    return render(
        request,
        "publishing/dashboard.html",
        {"title": unit.name, "unit": unit, "sections": sections, "today": today},
    )
