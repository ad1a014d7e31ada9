"""The office's set-up: reporting rules, holidays for unpublished years, task tables in and out."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.accounts.models import Role
from luoshi.accounts.scope import scope_for
from luoshi.audit.chain import record, snapshot
from luoshi.directives.models import Source
from luoshi.lib.workdays import WorkCalendar
from luoshi.lib.xlsx import ImportRejected

from ..calendar import load_calendar
from ..forms import TaskFilterForm
from ..models import CalendarDay, CalendarYear, SupervisionSettings, Task
from ..task_xlsx import export_ledger, export_tasks, import_tasks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_office(request):
    if not scope_for(request.user).has_role(Role.OFFICE):
        raise PermissionDenied


class RulesForm(forms.ModelForm):
    report_weekday = forms.TypedChoiceField(
        label=gettext_lazy("Weekly report due on"),
        coerce=int,
        choices=[
            (0, gettext_lazy("Monday")),
            (1, gettext_lazy("Tuesday")),
            (2, gettext_lazy("Wednesday")),
            (3, gettext_lazy("Thursday")),
            (4, gettext_lazy("Friday")),
            (5, gettext_lazy("Saturday")),
            (6, gettext_lazy("Sunday")),
        ],
    )

    class Meta:
        model = SupervisionSettings
        fields = [
            "report_weekday",
            "report_hour",
            "warn_workdays",
            "lag_points",
            "chase_after_workdays",
            "notice_after_chases",
        ]

    def clean_report_hour(self):
        hour = self.cleaned_data["report_hour"]
        if not 0 <= hour <= 23:
            raise forms.ValidationError(gettext_lazy("An hour from 0 to 23."))
        return hour


class CalendarDayForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("Kind"),
        coerce=lambda v: v == "1",
        choices=[("0", gettext_lazy("holiday")), ("1", gettext_lazy("adjusted working day"))],
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50, required=False)


def rules(request):
    _require_office(request)
    current = SupervisionSettings.current()
    form = RulesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(SupervisionSettings.objects.get(pk=current.pk))
            saved = form.save()
            record(
                actor=request.user,
                action="supervision.settings",
                obj=saved,
                before=before,
                after=snapshot(saved),
            )
        messages.success(request, _("Saved. Lights are recomputed at the next scheduler run."))
        return redirect("supervision:rules")
    return render(request, "supervision/rules.html", {"form": form})


def calendar_view(request):
    _require_office(request)
    form = CalendarDayForm(request.POST or None)
    this_year = timezone.localdate().year
    if request.method == "POST":
        with transaction.atomic():
            if "confirm_year" in request.POST:
                year = int(request.POST["confirm_year"])
                entry, _created = CalendarYear.objects.get_or_create(year=year)
                record(
                    actor=request.user,
                    action="calendar.confirm_year",
                    obj=entry,
                    after={"year": year},
                )
                messages.success(request, _("Holidays of %(year)d confirmed.") % {"year": year})
                return redirect("supervision:calendar")
            if form.is_valid():
                day, _created = CalendarDay.objects.update_or_create(
                    day=form.cleaned_data["day"],
                    defaults={
                        "is_workday": form.cleaned_data["is_workday"],
                        "name": form.cleaned_data["name"],
                    },
                )
                record(actor=request.user, action="calendar.set_day", obj=day, after=snapshot(day))
                messages.success(request, _("Saved."))
                return redirect("supervision:calendar")
    years = [y for y in range(this_year, this_year + 2)]
    status = [
        (y, WorkCalendar.official_knows(y), CalendarYear.objects.filter(year=y).exists())
        for y in years
    ]
    return render(
        request,
        "supervision/calendar.html",
        {
            "form": form,
            "status": status,
            "days": CalendarDay.objects.filter(day__year__gte=this_year).order_by("day"),
            "unknown_years": load_calendar().unknown_years(
                date(this_year, 12, 31), date(this_year + 1, 12, 31)
            ),
        },
    )


def _filtered(request):
    form = TaskFilterForm(request.GET or None, user=request.user)
    return form.apply(Task.objects.visible_to(request.user)).order_by("deadline", "pk")


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response


def export_view(request):
    return _download(export_tasks(_filtered(request)), "tasks")


def ledger_view(request):
    return _download(export_ledger(_filtered(request)), "ledger")


class TaskImportForm(forms.Form):
    source = forms.ModelChoiceField(label=gettext_lazy("Source"), queryset=Source.objects.none())
    start_date = forms.DateField(
        label=gettext_lazy("Start"), widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(label=gettext_lazy(".xlsx file"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = Source.objects.visible_to(user)


def import_view(request):
    _require_office(request)
    form = TaskImportForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"start_date": timezone.localdate(), "source": request.GET.get("source")},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = import_tasks(
                form.cleaned_data["file"].read(),
                source=form.cleaned_data["source"],
                start_date=form.cleaned_data["start_date"],
                actor=request.user,
            )
        except ImportRejected as e:
            errors = e.errors
        else:
            messages.success(
                request,
                _("%(n)d tasks registered. Check them, then assign them.") % {"n": len(created)},
            )
            return redirect(
                f"{redirect('supervision:tasks').url}?source={form.cleaned_data['source'].pk}"
            )
    return render(request, "supervision/import.html", {"form": form, "errors": errors})
