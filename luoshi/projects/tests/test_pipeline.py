"""The project pipeline's rules: leads step by step, stages in order, investment entry, obstacles."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.notify.models import Notification
from luoshi.projects.actions import (
    do_create_lead,
    do_create_project,
    do_enter_investment,
    do_move_lead,
    do_raise_obstacle,
    do_set_stage,
    do_solve_obstacle,
    escalate_overdue_obstacles,
    project_light,
    refresh_lead_lights,
)
from luoshi.projects.models import Investment, Lead, Obstacle, Project
from luoshi.supervision.models import Light

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def project(people, tree):
    return do_create_project(
        name="甲镇新材料产业园",
        kind=Project.Kind.INDUSTRY,
        level=Project.Level.DISTRICT,
        total_investment="50000",
        year_plan="12000",
        lead_unit=tree.town_a,
        leader=people.deputy,
        actor=people.office,
    )


def test_a_lead_moves_one_dated_step_at_a_time_and_lands_as_a_project(people, tree):
    start = TODAY - timedelta(days=60)
    lead = do_create_lead(
        investor="某新能源公司",
        industry="储能电池",
        intended_investment="80000",
        source_unit=tree.town_a,
        on=start,
        actor=people.liaison_a,
    )
    with pytest.raises(ActionError) as e:
        do_move_lead(lead, on=start + timedelta(days=5), evidence="", actor=people.liaison_a)
    assert e.value.field == "evidence"
    with pytest.raises(ActionError) as e:
        do_move_lead(
            lead, on=TODAY + timedelta(days=1), evidence="洽谈纪要", actor=people.liaison_a
        )
    assert e.value.field == "on"
    with pytest.raises(ActionError) as e:
        do_move_lead(
            lead, on=start - timedelta(days=1), evidence="洽谈纪要", actor=people.liaison_a
        )
    assert e.value.field == "on"
    for k, (step, evidence) in enumerate(
        [("talks", "洽谈纪要"), ("signed", "投资协议"), ("landed", "营业执照")]
    ):
        lead = do_move_lead(
            lead, on=start + timedelta(days=10 * (k + 1)), evidence=evidence, actor=people.liaison_a
        )
        assert lead.stage == step
    assert lead.project.lead_unit == tree.town_a and lead.project.total_investment == Decimal(
        "80000"
    )
    assert [s.stage for s in lead.steps.all()] == ["clue", "talks", "signed", "landed"]
    with pytest.raises(NotAllowed):
        do_create_lead(
            investor="x",
            industry="y",
            intended_investment="1",
            source_unit=tree.town_a,
            actor=people.liaison_b,
        )


def test_a_stalled_lead_turns_yellow_then_red(people, tree):
    lead = do_create_lead(
        investor="某物流公司",
        industry="冷链",
        intended_investment="3000",
        source_unit=tree.town_a,
        on=date(2025, 9, 1),
        actor=people.office,
    )
    refresh_lead_lights(date(2025, 9, 20))
    lead.refresh_from_db()
    assert lead.light == Light.GREEN
    refresh_lead_lights(date(2025, 10, 15))  # 20+ working days, the National Day week not counted
    lead.refresh_from_db()
    assert lead.light == Light.YELLOW
    refresh_lead_lights(date(2025, 11, 20))
    lead.refresh_from_db()
    assert lead.light == Light.RED


def test_stages_happen_in_order_and_never_in_the_future(people, project):
    with pytest.raises(ActionError) as e:
        do_set_stage(project, "producing", actual_on=TODAY - timedelta(days=5), actor=people.office)
    assert e.value.field == "actual_on" and "开工" in e.value.message  # no 投产 before 开工
    with pytest.raises(ActionError) as e:
        do_set_stage(project, "started", actual_on=TODAY + timedelta(days=1), actor=people.office)
    assert e.value.field == "actual_on"
    do_set_stage(project, "started", actual_on=TODAY - timedelta(days=30), actor=people.office)
    with pytest.raises(ActionError):
        do_set_stage(project, "building", actual_on=TODAY - timedelta(days=40), actor=people.office)
    project = do_set_stage(
        project, "building", actual_on=TODAY - timedelta(days=20), actor=people.office
    )
    assert project.stage == "building"
    assert project.stages.get(stage="producing").actual_on is None


@pytest.mark.parametrize(
    "amount, explanation, field, words",
    [
        ("-5", "", "amount", "负"),
        ("一千万", "", "amount", "不是数字"),
        ("60000", "", "explanation", "说明"),
    ],
)
def test_bad_investment_entries_are_refused_and_change_nothing(
    people, project, amount, explanation, field, words
):
    month = f"{TODAY.year}-{TODAY.month:02d}"
    with pytest.raises(ActionError) as e:
        do_enter_investment(project, month, amount, explanation=explanation, actor=people.liaison_a)
    assert e.value.field == field and words in e.value.message
    assert not Investment.objects.exists()


def test_investment_beyond_the_total_needs_an_explanation(people, project):
    month = f"{TODAY.year}-{TODAY.month:02d}"
    entry = do_enter_investment(
        project, month, "60000", explanation="总投资调增，已报发改局备案", actor=people.liaison_a
    )
    assert entry.amount == Decimal("60000")
    corrected = do_enter_investment(project, month, "2000", actor=people.liaison_a)
    assert Investment.objects.get().amount == Decimal("2000") and corrected.pk == entry.pk
    with pytest.raises(NotAllowed):
        do_enter_investment(project, month, "1", actor=people.liaison_b)


def test_light_follows_stage_delays_and_the_time_proportional_plan(people, project):
    today = date(project.year, 7, 15)
    do_set_stage(project, "started", planned_on=date(project.year, 3, 1), actor=people.office)
    light, reason = project_light(Project.objects.get(pk=project.pk), today)
    assert light == Light.RED and "开工" in reason  # planned in March, not started by July
    do_set_stage(
        project, "started", actual_on=min(date(project.year, 3, 5), TODAY), actor=people.office
    )
    for month in range(1, 7):
        Investment.objects.create(
            project=project, month=f"{project.year}-{month:02d}", amount=Decimal(1000)
        )
    # Plan 12,000 for the year → 7,000 expected by July; 6,000 done is 86 %: green.
    light, _ = project_light(Project.objects.get(pk=project.pk), today)
    assert light == Light.GREEN
    Investment.objects.filter(month=f"{project.year}-06").delete()
    light, reason = project_light(Project.objects.get(pk=project.pk), today)
    assert light == Light.YELLOW and "序时" in reason or "%" in reason  # 5,000 of 7,000: 71 %


def test_obstacle_clock_counts_working_days_across_a_holiday(people, tree, project):
    obstacle = do_raise_obstacle(
        project,
        category="land",
        description="园区二期用地指标未落实",
        addressed_to=tree.town_b,
        raised_by=tree.town_a,
        days=3,
        on=date(2025, 9, 30),
        actor=people.liaison_a,
    )
    # 1–8 October 2025 is the National Day holiday; Saturday 11 October is a working day.
    assert obstacle.due_on == date(2025, 10, 11)
    assert Notification.objects.filter(kind="obstacle").exists()
    assert escalate_overdue_obstacles(date(2025, 10, 11)) == 0
    assert escalate_overdue_obstacles(date(2025, 10, 13)) == 1
    obstacle.refresh_from_db()
    assert obstacle.state == Obstacle.State.ESCALATED
    assert Notification.objects.filter(recipient=people.deputy, kind="obstacle").exists()
    with pytest.raises(NotAllowed):
        do_solve_obstacle(obstacle, resolution="已协调", actor=people.liaison_a)  # not its unit
    with pytest.raises(ActionError):
        do_solve_obstacle(obstacle, resolution=" ", actor=people.office)
    solved = do_solve_obstacle(obstacle, resolution="区自然资源局调剂指标20亩", actor=people.office)
    assert solved.state == Obstacle.State.SOLVED
    assert Lead.objects.count() == 0


def test_the_units_pipeline_indicators_for_the_month_reflect_it_all(people, tree, project):
    from luoshi.indicators.models import IndicatorValue
    from luoshi.projects.indicators import do_compute_pipeline_indicators

    month = TODAY.replace(day=1)
    lead = do_create_lead(
        investor="某医药公司", industry="生物医药", intended_investment="20000",
        source_unit=tree.town_a, on=month, actor=people.office,
    )  # fmt: skip
    lead = do_move_lead(lead, on=month, evidence="洽谈纪要", actor=people.office)
    lead = do_move_lead(lead, on=month, evidence="投资协议", actor=people.office)
    lead = do_move_lead(lead, on=TODAY, evidence="营业执照", actor=people.office)
    do_enter_investment(project, f"{TODAY.year}-01", "1000", actor=people.office)
    obstacle = do_raise_obstacle(
        project, category="power", description="专线电力接入", addressed_to=tree.town_a,
        raised_by=tree.town_a, on=TODAY, actor=people.office,
    )  # fmt: skip
    do_solve_obstacle(obstacle, resolution="供电公司完成接入", actor=people.office)
    period = f"{TODAY.year}-{TODAY.month:02d}"
    result = do_compute_pipeline_indicators(period)
    assert result["written"] > 0
    values = dict(
        IndicatorValue.objects.current()
        .filter(unit=tree.town_a, period=period)
        .values_list("indicator__code", "value")
    )
    assert values["p-leads-signed"] == 1 and values["p-projects-landed"] == 1
    assert values["p-obstacles-on-time"] == 100
    # 1,000 of this year's 12,000 plan, against 12,000 × month / 12 expected.
    expected = Decimal(12000) * TODAY.month / 12
    assert values["p-investment-plan"] == (Decimal(1000) / expected * 100).quantize(Decimal("0.1"))
