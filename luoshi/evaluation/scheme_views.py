"""The office's scheme editor: a tree of areas and items with points, rules and grade bands."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.accounts.staff import office_unit_of
from luoshi.indicators.models import Indicator
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import UnitClass

from . import actions
from .adjustments import do_set_rules
from .models import Scheme, SchemeNode
from .service import validate_version, version_rules


class SchemeForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    period_kind = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=Indicator.Frequency.choices
    )
    classes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Unit classes"),
        queryset=UnitClass.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    total_points = forms.DecimalField(
        label=gettext_lazy("Total points"), initial=100, max_digits=7, decimal_places=2
    )


class NodeForm(forms.Form):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Area"), queryset=SchemeNode.objects.none(), required=False
    )
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SchemeNode.Kind.choices)
    points = forms.DecimalField(
        label=gettext_lazy("Points"), max_digits=7, decimal_places=2, min_value=0
    )
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Indicator"),
        queryset=Indicator.objects.filter(active=True),
        required=False,
    )
    rule = forms.ChoiceField(label=gettext_lazy("Scoring rule"), choices=SchemeNode.Rule.choices)
    floor = forms.FloatField(
        label=gettext_lazy("Base score (基础分), 0–100"),
        required=False,
        min_value=0,
        max_value=99,
        help_text=gettext_lazy(
            "Min-max only: the last in class still scores this much, e.g. 60; the rest is spread above it."
        ),
    )
    unacceptable = forms.FloatField(
        label=gettext_lazy("Unacceptable value (功效系数)"), required=False
    )
    satisfactory = forms.FloatField(
        label=gettext_lazy("Satisfactory value (功效系数)"), required=False
    )
    rollup = forms.ModelChoiceField(
        label=gettext_lazy("Scheme it sums up (roll-up items)"),
        queryset=Scheme.objects.none(),
        required=False,
        help_text=gettext_lazy(
            "E.g. the monthly scheme inside the quarterly one: the mean of its published totals."
        ),
    )
    missing = forms.ChoiceField(
        label=gettext_lazy("When a value is missing"),
        choices=[
            ("none", gettext_lazy("leave it out, rescale the others")),
            ("zero", gettext_lazy("score zero")),
            ("mean", gettext_lazy("class mean")),
            ("median", gettext_lazy("class median")),
            ("carry", gettext_lazy("last period's value")),
        ],
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = version.nodes.filter(kind=SchemeNode.Kind.AREA)
        self.fields["rollup"].queryset = Scheme.objects.filter(owner=version.scheme.owner).exclude(
            pk=version.scheme_id
        )

    def node_fields(self) -> dict:
        d = dict(self.cleaned_data)
        params = {
            k: d.pop(k) for k in ("floor", "unacceptable", "satisfactory") if d.get(k) is not None
        }
        for k in ("floor", "unacceptable", "satisfactory"):
            d.pop(k, None)
        rollup = d.pop("rollup", None)
        if rollup is not None and d["kind"] == SchemeNode.Kind.ROLLUP:
            params["scheme"] = rollup.code
        return {**d, "params": params}


class RulesForm(forms.Form):
    """The rule layer of a version. Blank caps mean no cap."""

    adjustments = forms.BooleanField(
        label=gettext_lazy("Apply the bonuses, deductions and vetoes recorded for the period"),
        required=False,
        initial=True,
    )
    bonus_total_cap = forms.FloatField(
        label=gettext_lazy("Most bonus points in all"), required=False, min_value=0
    )
    bonus_category_cap = forms.FloatField(
        label=gettext_lazy("Most bonus points per category"), required=False, min_value=0
    )
    deduction_category_cap = forms.FloatField(
        label=gettext_lazy("Most deduction points per category (vetoes are not capped)"),
        required=False,
        min_value=0,
    )
    escalation = forms.CharField(
        label=gettext_lazy("Repeated deductions in a category count ×"),
        required=False,
        initial="1",
        help_text=gettext_lazy("E.g. “1, 2”: the second and later deductions count double."),
    )
    quota_grade = forms.CharField(label=gettext_lazy("Quota on grade"), required=False)
    quota_share = forms.FloatField(
        label=gettext_lazy("At most this share of each class, in percent"),
        required=False,
        min_value=0,
    )
    quota_demote_to = forms.CharField(
        label=gettext_lazy("Units beyond the quota get"), required=False
    )
    quota_rounding = forms.ChoiceField(
        label=gettext_lazy("Quota rounding"),
        choices=[("floor", gettext_lazy("round down")), ("half_up", gettext_lazy("round half up"))],
        required=False,
    )
    quota_ties = forms.ChoiceField(
        label=gettext_lazy("Units tied at the quota's edge"),
        choices=[
            ("exclude", gettext_lazy("all lose the grade (quota never exceeded)")),
            ("include", gettext_lazy("all keep the grade")),
        ],
        required=False,
    )
    rank_per_place = forms.FloatField(
        label=gettext_lazy("Points per place gained (进位) or lost (退位)"),
        required=False,
        min_value=0,
    )
    rank_cap = forms.FloatField(
        label=gettext_lazy("Most rank-change points either way"), required=False, min_value=0
    )

    @staticmethod
    def initial_from(rules: dict) -> dict:
        rules = version_rules(rules)
        quota = (rules["quotas"] or [{}])[0]
        change = rules["rank_change"] or {}
        return {
            "adjustments": rules["adjustments"],
            "bonus_total_cap": rules["bonus_total_cap"],
            "bonus_category_cap": rules["bonus_category_cap"],
            "deduction_category_cap": rules["deduction_category_cap"],
            "escalation": ", ".join(f"{f:g}" for f in rules["escalation"]),
            "quota_grade": quota.get("grade", ""),
            "quota_share": quota["share"] * 100 if "share" in quota else None,
            "quota_demote_to": quota.get("demote_to", ""),
            "quota_rounding": quota.get("rounding", "floor"),
            "quota_ties": quota.get("ties", "exclude"),
            "rank_per_place": change.get("per_place"),
            "rank_cap": change.get("cap"),
        }


def _require_office(request):
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied


def _office_unit(user):
    unit = office_unit_of(user)
    if unit is None:
        raise PermissionDenied
    return unit


def _get_scheme_for_user(request, code) -> Scheme:
    _require_office(request)
    return get_object_or_404(
        Scheme.objects.filter(scope_for(request.user).unit_q("owner__")), code=code
    )


def _call(request, action, success) -> bool:
    try:
        action()
    except NotAllowed as e:
        raise PermissionDenied(e.message) from e
    except ActionError as e:
        messages.error(request, e.message)
        return False
    messages.success(request, success)
    return True


def scheme_list(request):
    _require_office(request)
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = {}

        def create():
            created["v"] = actions.do_create_scheme(
                owner=_office_unit(request.user), actor=request.user, **form.cleaned_data
            )

        if _call(request, create, _("Scheme created: add its areas, items and grade bands.")):
            return redirect("evaluation:scheme", code=created["v"].scheme.code)
    schemes = Scheme.objects.filter(scope_for(request.user).unit_q("owner__")).prefetch_related(
        "versions"
    )
    return render(request, "evaluation/schemes.html", {"schemes": schemes, "form": form})


def scheme_detail(request, code):
    scheme = _get_scheme_for_user(request, code)
    version = scheme.versions.order_by("-number").first()
    node_form = NodeForm(request.POST or None, version=version)
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "node" and node_form.is_valid():
            if _call(
                request,
                lambda: actions.do_add_node(version, actor=request.user, **node_form.node_fields()),
                _("Added."),
            ):
                return redirect("evaluation:scheme", code=code)
        elif which == "rules":
            rules_form = RulesForm(request.POST)
            if rules_form.is_valid() and _call(
                request,
                lambda: do_set_rules(version, rules_form.cleaned_data, actor=request.user),
                _("Rules saved."),
            ):
                return redirect("evaluation:scheme", code=code)
        elif which == "bands":
            if _call(
                request,
                lambda: actions.do_set_bands(
                    version, request.POST.get("bands", ""), actor=request.user
                ),
                _("Grade bands saved."),
            ):
                return redirect("evaluation:scheme", code=code)
    nodes = list(version.nodes.select_related("indicator", "parent"))
    areas = [n for n in nodes if n.kind == SchemeNode.Kind.AREA]
    tree = [(area, [n for n in nodes if n.parent_id == area.pk]) for area in areas]
    loose = [n for n in nodes if n.kind != SchemeNode.Kind.AREA and n.parent_id is None]
    return render(
        request,
        "evaluation/scheme.html",
        {
            "scheme": scheme,
            "version": version,
            "tree": tree,
            "loose": loose,
            "node_form": node_form,
            "problems": validate_version(version),
            "rules_form": RulesForm(initial=RulesForm.initial_from(version.rules)),
            "bands_text": "\n".join(f"{b['grade']} {b['text']}" for b in version.bands),
        },
    )


@require_POST
def node_remove(request, code, pk):
    scheme = _get_scheme_for_user(request, code)
    node = get_object_or_404(SchemeNode, pk=pk, version__scheme=scheme)
    _call(request, lambda: actions.do_remove_node(node, actor=request.user), _("Removed."))
    return redirect("evaluation:scheme", code=code)


@require_POST
def new_version(request, code):
    scheme = _get_scheme_for_user(request, code)
    version = scheme.versions.order_by("-number").first()
    _call(
        request,
        lambda: actions.do_new_version(version, actor=request.user),
        _("New version started."),
    )
    return redirect("evaluation:scheme", code=code)
