import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from luoshi.accounts.models import Membership, Role, User
from luoshi.directives.models import Source
from luoshi.orgs.models import Unit

from .models import Light, Task, TaskCategory

_MILESTONE_LINE = re.compile(r"^\s*(\d{4})[-./年](\d{1,2})月?\s*[:：]?\s*(.+)$")


def leaders_queryset():
    ids = Membership.objects.active().filter(role=Role.LEADER).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False)
    leader = forms.ModelChoiceField(
        label=_("Responsible leader"), queryset=User.objects.none(), required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=TaskCategory.objects.all(), required=False
    )
    light = forms.ChoiceField(label=_("Light"), choices=[("", "—")] + Light.choices, required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", "—")] + Task.State.choices, required=False
    )
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=Source.objects.none(), required=False
    )
    due_from = forms.DateField(
        label=_("Due from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_to = forms.DateField(
        label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.visible_to(user).active().filter(depth__lte=3)
        self.fields["leader"].queryset = leaders_queryset()
        self.fields["source"].queryset = Source.objects.visible_to(user)

    def apply(self, tasks):
        if not self.is_valid():
            return tasks
        d = self.cleaned_data
        if d["q"]:
            tasks = tasks.filter(title__icontains=d["q"]) | tasks.filter(code=d["q"])
        if d["unit"]:
            tasks = tasks.filter(pk__in=Task.objects.for_unit(d["unit"]).values("pk"))
        for name in ("leader", "category", "source"):
            if d[name]:
                tasks = tasks.filter(**{name: d[name]})
        for name in ("light", "state"):
            if d[name]:
                tasks = tasks.filter(**{name: d[name]})
        if d["due_from"]:
            tasks = tasks.filter(deadline__gte=d["due_from"])
        if d["due_to"]:
            tasks = tasks.filter(deadline__lte=d["due_to"])
        return tasks


def parse_milestones(text: str) -> list[tuple[date, str]]:
    out = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        match = _MILESTONE_LINE.match(line)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(
                _("Line %(n)d: write a milestone as “2026-10 what is done by then”.")
                % {"n": number}
            )
        out.append((date(int(match.group(1)), int(match.group(2)), 1), match.group(3).strip()))
    return out


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    requirement = forms.CharField(
        label=_("Requirement / target"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.none())
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=TaskCategory.objects.all(), required=False
    )
    leader = forms.ModelChoiceField(
        label=_("Responsible leader"), queryset=User.objects.none(), required=False
    )
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=Unit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("Cooperating units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    start_date = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(
        label=_("Supervision level"), choices=Task.Level.choices, initial=Task.Level.DISTRICT
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=200, required=False, help_text=_("Separate with commas")
    )
    milestones = forms.CharField(
        label=_("Monthly milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. “2026-10 complete the survey”"),
    )
    target_indicator = forms.CharField(label=_("Target indicator"), max_length=100, required=False)
    target_comparison = forms.ChoiceField(
        label=_("Comparison"), choices=[("", "—")] + Task.Comparison.choices, required=False
    )
    target_value = forms.DecimalField(
        label=_("Target value"), required=False, max_digits=20, decimal_places=4
    )
    target_unit = forms.CharField(label=_("Unit of measure"), max_length=20, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).active().filter(depth__lte=3)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["source"].queryset = Source.objects.visible_to(user)
        self.fields["leader"].queryset = leaders_queryset()

    def clean_milestones(self):
        return parse_milestones(self.cleaned_data["milestones"])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by content in the action."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Progress this week"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Overall progress %"), min_value=0, max_value=100)
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, photos, Word, Excel or WPS; up to 20 MB each"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtensionForm(forms.Form):
    new_deadline = forms.DateField(
        label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class SplitForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, parent_unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            Unit.objects.filter(parent=parent_unit).active().order_by("order")
        )
