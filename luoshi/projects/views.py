"""Project pages: the board by stage and light, a project with its timeline, investment and
obstacles, the leads, the obstacle list, and the monthly 调度表 as .xlsx."""

import json
from datetime import date

from django import forms
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Role
from luoshi.accounts.permissions import is_unit_or_office
from luoshi.accounts.scope import scope_for
from luoshi.lib.xlsx import write_table
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Light
from luoshi.supervision.views.common import run_action

from . import actions
from .models import Lead, Obstacle, Project

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ProjectForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=Project.Kind.choices)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=Project.Level.choices)
    total_investment = forms.CharField(
        label=gettext_lazy("Total investment (10,000 yuan)"), max_length=20
    )
    year_plan = forms.CharField(
        label=gettext_lazy("Planned investment this year (10,000 yuan)"), max_length=20
    )
    lead_unit = forms.ModelChoiceField(
        label=gettext_lazy("Lead unit"), queryset=Unit.objects.none()
    )
    leader = forms.ModelChoiceField(
        label=gettext_lazy("Responsible leader"), queryset=None, required=False
    )
    location = forms.CharField(label=gettext_lazy("Location"), max_length=100, required=False)

    def __init__(self, *args, user=None, **kwargs):
        from luoshi.accounts.models import Membership, Role, User

        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = (
            Unit.objects.active()
            .filter(scope_for(user).unit_q(""))
            .filter(depth__lte=2)
            .order_by("path")
        )
        self.fields["leader"].queryset = User.objects.filter(
            pk__in=Membership.objects.active().filter(role=Role.LEADER).values("user")
        ).order_by("username")


def project_form(request, pk=None):
    """New key project (office), or the office's corrections to one."""
    if not scope_for(request.user).has_role(Role.OFFICE):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    project = _project_for(request, pk) if pk else None
    initial = (
        {
            f: getattr(project, f)
            for f in (
                "name",
                "kind",
                "level",
                "total_investment",
                "year_plan",
                "lead_unit",
                "leader",
                "location",
            )
        }
        if project
        else {}
    )
    form = ProjectForm(request.POST or None, initial=initial, user=request.user)
    if project:
        form.fields["lead_unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        saved = {}

        def action():
            if project:
                d.pop("lead_unit")
                saved["p"] = actions.do_edit_project(project, actor=request.user, **d)
            else:
                saved["p"] = actions.do_create_project(actor=request.user, **d)

        if run_action(request, action, _("Saved."), form=form):
            return redirect("projects:detail", pk=saved["p"].pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


class InvestmentForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Month"), max_length=7, help_text="2026-10")
    amount = forms.CharField(
        label=gettext_lazy("Investment completed (10,000 yuan)"), max_length=20
    )
    explanation = forms.CharField(
        label=gettext_lazy("Explanation (needed beyond the total investment)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), choices=Project.Stage.choices)
    planned_on = forms.DateField(
        label=gettext_lazy("Planned"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    actual_on = forms.DateField(
        label=gettext_lazy("Actual"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ObstacleForm(forms.Form):
    category = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Obstacle.Category.choices)
    description = forms.CharField(
        label=gettext_lazy("Problem"), widget=forms.Textarea(attrs={"rows": 2})
    )
    addressed_to = forms.ModelChoiceField(
        label=gettext_lazy("To be solved by"), queryset=Unit.objects.none()
    )
    days = forms.IntegerField(
        label=gettext_lazy("Working days to solve it"), initial=10, min_value=1, max_value=60
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressed_to"].queryset = (
            Unit.objects.active().filter(depth__lte=2).order_by("path")
        )


class LeadMoveForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(
        label=gettext_lazy("Evidence"), widget=forms.Textarea(attrs={"rows": 2})
    )


def board(request):
    projects = Project.objects.visible_to(request.user).select_related("lead_unit")
    light = request.GET.get("light", "")
    if light in Light.values:
        projects = projects.filter(light=light)
    columns = [(s, [p for p in projects if p.stage == s.value]) for s in Project.Stage]
    counts = dict(projects.values_list("light").annotate(n=Count("pk")).order_by())
    return render(
        request,
        "projects/board.html",
        {
            "columns": columns,
            "counts": counts,
            "light": light,
            "total": len(projects),
            "office": scope_for(request.user).has_role(Role.OFFICE),
        },
    )


def _project_for(request, pk) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(request.user).select_related("lead_unit", "leader"), pk=pk
    )


def project_detail(request, pk):
    project = _project_for(request, pk)
    # The forms only for those the actions accept: the lead unit's staff and its office.
    can_edit = is_unit_or_office(request.user, project.lead_unit)
    forms_ = {
        "investment": InvestmentForm(
            request.POST if request.POST.get("form") == "investment" else None
        ),
        "stage": StageForm(request.POST if request.POST.get("form") == "stage" else None),
        "obstacle": ObstacleForm(request.POST if request.POST.get("form") == "obstacle" else None),
    }
    if request.method == "POST":
        which = request.POST.get("form")
        form = forms_.get(which)
        if form is not None and form.is_valid():
            d = form.cleaned_data
            action = {
                "investment": lambda: actions.do_enter_investment(
                    project,
                    d["month"],
                    d["amount"],
                    explanation=d["explanation"],
                    actor=request.user,
                ),
                "stage": lambda: actions.do_set_stage(
                    project,
                    d["stage"],
                    planned_on=d["planned_on"],
                    actual_on=d["actual_on"],
                    actor=request.user,
                ),
                "obstacle": lambda: actions.do_raise_obstacle(
                    project,
                    category=d["category"],
                    description=d["description"],
                    addressed_to=d["addressed_to"],
                    raised_by=project.lead_unit,
                    days=d["days"],
                    actor=request.user,
                ),
            }[which]
            if run_action(request, action, _("Saved."), form=form):
                return redirect("projects:detail", pk=project.pk)
    investments = list(project.investments.order_by("month"))
    cumulative, running = [], 0
    for i in investments:
        running += float(i.amount)
        cumulative.append(round(running, 2))
    chart = json.dumps(
        {
            "labels": [i.month for i in investments],
            "series": [
                {"name": _("Monthly investment"), "data": [float(i.amount) for i in investments]},
                {"name": _("Cumulative"), "data": cumulative},
            ],
        },
        ensure_ascii=False,
    )
    timeline = _timeline(project)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "stages": project.stages.all(),
            "investments": zip(investments, cumulative, strict=True),
            "chart": chart,
            "obstacles": project.obstacles.select_related("addressed_to", "raised_by"),
            "timeline": timeline,
            "forms": forms_,
            "can_edit": can_edit,
        },
    )


def _timeline(project: Project) -> list[tuple]:
    """Dated events: the lead's steps, the stages reached, obstacles raised and solved."""
    events = []
    lead = Lead.objects.filter(project=project).first()
    if lead:
        events += [(s.on, s.get_stage_display(), s.evidence) for s in lead.steps.all()]
    events += [
        (s.actual_on, s.get_stage_display(), "") for s in project.stages.all() if s.actual_on
    ]
    for o in project.obstacles.all():
        events.append((o.raised_on, _("obstacle raised"), o.description))
        if o.solved_on:
            events.append((o.solved_on, _("obstacle solved"), o.resolution))
    return sorted(events, key=lambda e: e[0])


@require_POST
def obstacle_solve(request, pk):
    obstacle = get_object_or_404(Obstacle.objects.visible_to(request.user), pk=pk)
    run_action(
        request,
        lambda: actions.do_solve_obstacle(
            obstacle, resolution=request.POST.get("resolution", ""), actor=request.user
        ),
        _("Marked as solved."),
    )
    return redirect("projects:detail", pk=obstacle.project_id)


def obstacle_list(request):
    obstacles = (
        Obstacle.objects.visible_to(request.user)
        .select_related("project", "addressed_to", "raised_by")
        .order_by("state", "due_on")
    )
    state = request.GET.get("state", "")
    if state in Obstacle.State.values:
        obstacles = obstacles.filter(state=state)
    return render(
        request, "projects/obstacles.html", {"obstacles": obstacles[:300], "state": state}
    )


def lead_list(request):
    leads = Lead.objects.visible_to(request.user).select_related("source_unit", "project")
    stage = request.GET.get("stage", "")
    if stage in Lead.Stage.values:
        leads = leads.filter(stage=stage)
    counts = dict(
        Lead.objects.visible_to(request.user)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "projects/leads.html",
        {
            "leads": leads[:300],
            "stage": stage,
            "counts": counts,
            "move_form": LeadMoveForm(initial={"on": date.today()}),
        },
    )


@require_POST
def lead_move(request, pk):
    lead = get_object_or_404(Lead.objects.visible_to(request.user), pk=pk)
    form = LeadMoveForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: actions.do_move_lead(
                lead,
                on=form.cleaned_data["on"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
            ),
            _("Moved to the next step."),
        )
    lead.refresh_from_db()
    if lead.project_id:
        return redirect("projects:detail", pk=lead.project_id)
    return redirect("projects:leads")


SCHEDULE_HEADER = [
    "编号", "项目名称", "类型", "级别", "牵头单位", "责任领导", "总投资（万元）", "年度计划（万元）",
    "本月完成（万元）", "年度累计（万元）", "序时进度%", "所处阶段", "亮灯", "未解决问题",
]  # fmt: skip


def schedule_rows(projects, month: str) -> list[list]:
    """The 调度表's rows for ``month`` (YYYY-MM): one per project."""
    projects = (
        projects.select_related("lead_unit", "leader")
        .annotate(
            this_month=Sum("investments__amount", filter=Q(investments__month=month)),
            this_year=Sum(
                "investments__amount",
                filter=Q(investments__month__gte=month[:4] + "-01", investments__month__lte=month),
            ),
            open_obstacles=Count(
                "obstacles", filter=~Q(obstacles__state=Obstacle.State.SOLVED), distinct=True
            ),
        )
        .order_by("code")
    )
    months = int(month[5:7])
    rows = []
    for p in projects:
        expected = float(p.year_plan) * months / 12 if p.year_plan else 0
        done = float(p.this_year or 0)
        rows.append(
            [
                p.code, p.name, p.get_kind_display(), p.get_level_display(), p.lead_unit.name,
                str(p.leader or ""), float(p.total_investment), float(p.year_plan),
                float(p.this_month or 0), done, round(100 * done / expected, 1) if expected else None,
                p.get_stage_display(), p.get_light_display(), p.open_obstacles,
            ]
        )  # fmt: skip
    return rows


def schedule_xlsx(request):
    """The monthly 调度表: one row per project, this year's plan against what was done."""
    today = timezone.localdate()
    month = request.GET.get("month") or f"{today.year}-{today.month:02d}"
    rows = schedule_rows(Project.objects.visible_to(request.user), month)
    response = HttpResponse(
        write_table(f"重点项目调度表{month}", SCHEDULE_HEADER, rows), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="projects-{month}.xlsx"'
    return response
