"""The office's register of bonuses, deductions and vetoes (加减分 · 一票否决) and exemptions."""

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

from .adjustments import do_grant_exemption, do_record_adjustment, do_withdraw_adjustment
from .models import Adjustment, Scheme


class AdjustmentForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Adjustment.Kind.choices)
    category = forms.CharField(
        label=gettext_lazy("Category"),
        max_length=40,
        help_text=gettext_lazy("E.g. 安全生产, 招商引资; caps apply per category."),
    )
    points = forms.CharField(
        label=gettext_lazy("Points"),
        required=False,
        help_text=gettext_lazy("Not needed for a veto that fails or caps the grade."),
    )
    achievement = forms.CharField(
        label=gettext_lazy("Achievement (bonuses)"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "The same achievement praised at several levels counts once, at the highest."
        ),
    )
    level = forms.TypedChoiceField(
        label=gettext_lazy("Level"), choices=Adjustment.Level.choices, coerce=int
    )
    cap_grade = forms.CharField(
        label=gettext_lazy("Grade at most (capping veto)"), max_length=20, required=False
    )
    happened_on = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason and document"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only units some scheme ranks: villages and communities are not in the list
        # unless a scheme evaluates them.
        self.fields["unit"].queryset = (
            Unit.objects.active()
            .filter(scope_for(user).unit_q(""))
            .filter(unit_class__in=Scheme.objects.values("classes"))
            .order_by("unit_class__order", "path")
        )


def _require_office(request):
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied


def _visible(request):
    _require_office(request)
    return Adjustment.objects.filter(scope_for(request.user).unit_q("unit__"))


def adjustment_list(request):
    adjustments = _visible(request)
    form = AdjustmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            do_record_adjustment(actor=request.user, **form.cleaned_data)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except ActionError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, _("Recorded; it counts in the next run of its period."))
            return redirect("evaluation:adjustments")
    rows = adjustments.select_related("unit", "exemption", "created_by")[:300]
    return render(request, "evaluation/adjustments.html", {"rows": rows, "form": form})


@require_POST
def adjustment_decide(request, pk):
    adjustment = get_object_or_404(_visible(request), pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if request.POST.get("do") == "exempt":
            do_grant_exemption(adjustment, reason=reason, actor=request.user)
            messages.success(request, _("Exemption granted; the next run leaves this out."))
        else:
            do_withdraw_adjustment(adjustment, reason=reason, actor=request.user)
            messages.success(request, _("Withdrawn."))
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
    return redirect("evaluation:adjustments")
