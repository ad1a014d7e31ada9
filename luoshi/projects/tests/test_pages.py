"""Project pages: who sees what, entries through the page, the 调度表."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from luoshi.projects.actions import do_create_lead, do_create_project, do_raise_obstacle
from luoshi.projects.models import Investment, Lead, Obstacle, Project

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def project(people, tree):
    return do_create_project(
        name="甲镇智能制造产业园",
        kind="industry",
        level="district",
        total_investment="30000",
        year_plan="6000",
        lead_unit=tree.town_a,
        leader=people.deputy,
        actor=people.office,
    )


def test_a_unit_sees_its_projects_and_enters_its_investment(people, tree, project, login):
    client = login(people.liaison_a)
    assert "甲镇智能制造产业园" in client.get(reverse("projects:board")).content.decode()
    url = reverse("projects:detail", args=[project.pk])
    bad = client.post(url, {"form": "investment", "month": f"{TODAY:%Y-%m}", "amount": "abc"})
    assert bad.status_code == 200 and "不是数字" in bad.content.decode()
    assert not Investment.objects.exists()
    client.post(url, {"form": "investment", "month": f"{TODAY:%Y-%m}", "amount": "800"})
    assert Investment.objects.get().amount == 800
    client.post(
        url,
        {"form": "obstacle", "category": "permits", "description": "施工许可未办结", "addressed_to": tree.town_b.pk, "days": 5},
    )  # fmt: skip
    obstacle = Obstacle.objects.get()
    assert obstacle.raised_by == tree.town_a and obstacle.addressed_to == tree.town_b
    # Town B sees the project through its obstacle and solves it; others do not see it.
    b = login(people.liaison_b)
    assert b.get(url).status_code == 200
    b.post(reverse("projects:obstacle_solve", args=[obstacle.pk]), {"resolution": "已办结施工许可"})
    obstacle.refresh_from_db()
    assert obstacle.state == Obstacle.State.SOLVED
    assert login(people.nobody).get(url).status_code == 404


def test_leads_move_on_the_page_and_landing_opens_the_project(people, tree, login):
    lead = do_create_lead(
        investor="某装备公司", industry="智能制造", intended_investment="9000",
        source_unit=tree.town_a, actor=people.liaison_a,
    )  # fmt: skip
    client = login(people.liaison_a)
    for _ in range(3):
        response = client.post(
            reverse("projects:lead_move", args=[lead.pk]),
            {"on": TODAY.isoformat(), "evidence": "佐证材料"},
        )
    lead.refresh_from_db()
    assert lead.stage == Lead.Stage.LANDED and response.url == reverse(
        "projects:detail", args=[lead.project_id]
    )
    assert (
        login(people.liaison_b).post(reverse("projects:lead_move", args=[lead.pk])).status_code
        == 404
    )


def test_monthly_schedule_has_a_row_per_project(people, tree, project, login):
    do_raise_obstacle(
        project, category="land", description="用地未落实", addressed_to=tree.town_a,
        raised_by=tree.town_a, actor=people.office,
    )  # fmt: skip
    data = login(people.office).get(reverse("projects:schedule")).content
    rows = list(load_workbook(io.BytesIO(data)).active.values)
    assert rows[0][0] == "编号" and rows[1][1] == "甲镇智能制造产业园" and rows[1][-1] == 1
    assert Project.objects.count() == 1


@pytest.mark.parametrize("extra", [0, 4])
def test_query_counts(people, tree, project, login, django_assert_num_queries, extra):
    for i in range(extra):
        do_create_project(
            name=f"项目{i}", kind="infra", level="city", total_investment="100", year_plan="10",
            lead_unit=tree.town_a, actor=people.office,
        )  # fmt: skip
    client = login(people.office)
    with django_assert_num_queries(7):
        assert client.get(reverse("projects:board")).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("projects:leads")).status_code == 200


def test_the_units_monthly_report_carries_its_projects(people, tree, project, login):
    from luoshi.projects.actions import do_enter_investment

    do_enter_investment(project, f"{TODAY:%Y-%m}", "700", actor=people.office)
    page = (
        login(people.liaison_a)
        .get(reverse("supervision:monthly", args=[tree.town_a.pk, f"{TODAY:%Y-%m}"]))
        .content.decode()
    )
    assert "本月重点项目调度" in page and "甲镇智能制造产业园" in page and "700.0" in page


def test_the_office_registers_and_corrects_a_project(people, tree, login):
    client = login(people.office)
    data = {
        "name": "乙街道城市更新项目", "kind": "infra", "level": "city", "total_investment": "12000",
        "year_plan": "20000", "lead_unit": tree.town_b.pk, "leader": people.deputy.pk, "location": "老城片区",
    }  # fmt: skip
    refused = client.post(reverse("projects:new"), data)
    assert refused.status_code == 200 and "不能超过总投资" in refused.content.decode()
    assert not Project.objects.exists()
    response = client.post(reverse("projects:new"), data | {"year_plan": "3000"})
    project = Project.objects.get()
    assert (
        response.url == reverse("projects:detail", args=[project.pk])
        and project.stages.count() == 6
    )
    client.post(
        reverse("projects:edit", args=[project.pk]),
        data | {"year_plan": "3500", "name": "乙街道城市更新一期"},
    )
    project.refresh_from_db()
    assert (project.name, project.year_plan, project.lead_unit) == (
        "乙街道城市更新一期",
        3500,
        tree.town_b,
    )
    liaison = login(people.liaison_b)
    assert liaison.get(reverse("projects:new")).status_code == 403
    assert liaison.post(reverse("projects:edit", args=[project.pk]), data).status_code == 403
