from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import Unit

from .actions import do_create_run, do_publish_run, do_supersede_run
from .models import Run, RunResult, Scheme
from .service import run_audit


def _runs_for(user):
    """Published runs of schemes over units the person sees; drafts for the office only."""
    scope = scope_for(user)
    runs = Run.objects.select_related("version__scheme")
    visible_units = Unit.objects.visible_to(user).values("pk")
    runs = runs.filter(results__unit__in=visible_units).distinct()
    return runs if scope.has_role(Role.OFFICE) else runs.exclude(state=Run.State.DRAFT)


def _get_run_for_user(request, pk) -> Run:
    return get_object_or_404(_runs_for(request.user), pk=pk)


class RunForm(forms.Form):
    scheme = forms.ModelChoiceField(label=gettext_lazy("Scheme"), queryset=Scheme.objects.none())
    period = forms.CharField(
        label=gettext_lazy("Period"), max_length=10, help_text=gettext_lazy("e.g. 2026-Q3")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = Scheme.objects.filter(
            owner__in=Unit.objects.visible_to(user)
        )


def run_list(request):
    office = scope_for(request.user).has_role(Role.OFFICE)
    form = RunForm(request.POST or None, user=request.user) if office else None
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        if form.is_valid():
            version = form.cleaned_data["scheme"].versions.order_by("-number").first()
            try:
                run = do_create_run(version, form.cleaned_data["period"], actor=request.user)
            except NotAllowed as e:
                raise PermissionDenied(e.message) from e
            except ActionError as e:
                form.add_error("period" if e.field == "period" else None, e.message)
            else:
                messages.success(request, _("Evaluated as a draft: check it, then publish."))
                return redirect("evaluation:run", pk=run.pk)
    runs = _runs_for(request.user).order_by("-period", "-created_at")[:100]
    return render(request, "evaluation/runs.html", {"runs": runs, "form": form})


def run_detail(request, pk):
    run = _get_run_for_user(request, pk)
    results = (
        RunResult.objects.filter(
            run=run, unit__in=Unit.objects.visible_to(request.user).values("pk")
        )
        .select_related("unit", "unit__unit_class")
        .order_by("unit__unit_class__order", "rank_class", "unit__path")
    )
    classes: dict = {}
    adjusted = False
    for r in results:
        classes.setdefault(r.unit.unit_class.name, []).append(r)
        adjusted = adjusted or bool(r.bonus or r.deduction or r.credit or r.veto)
    office = scope_for(request.user).is_office_for(run.version.scheme.owner)
    return render(
        request,
        "evaluation/run.html",
        {
            "run": run,
            "classes": classes,
            "adjusted": adjusted,
            "audit": run_audit(run) if office else None,
            "office": office,
            "history": Run.objects.filter(
                version__scheme=run.version.scheme, period=run.period
            ).exclude(pk=run.pk),
        },
    )


@require_POST
def run_publish(request, pk):
    run = _get_run_for_user(request, pk)
    try:
        if run.state == Run.State.PUBLISHED:
            run = do_supersede_run(run, reason=request.POST.get("reason", ""), actor=request.user)
        else:
            run = do_publish_run(run, actor=request.user)
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Published."))
    return redirect("evaluation:run", pk=run.pk)


def unit_result(request, pk, unit_pk):
    """Old address of a unit's result: the scorecard (publishing) now shows it in full."""
    return redirect("publishing:scorecard", pk=pk, unit_pk=unit_pk)
