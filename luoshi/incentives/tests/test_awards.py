"""骏马奖 / 蜗牛奖: criteria → candidates with evidence → confirmed → applied in a run."""

import math
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from luoshi.evaluation.actions import do_create_run
from luoshi.evaluation.tests.conftest import scheme  # noqa: F401  (fixture)
from luoshi.incentives.awards import candidates, do_confirm_award, do_declare_criterion
from luoshi.incentives.models import Award
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.periods import Period
from luoshi.projects.actions import do_create_lead, do_create_project, do_move_lead

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_snail_award_from_a_late_project_applies_as_a_deduction(people, tree, scheme):  # noqa: F811
    do_create_project(
        name="甲镇污水处理厂", kind="infra", level="district", total_investment="8000", year_plan="2000",
        lead_unit=tree.town_a, planned={"started": date(2026, 7, 1)}, actor=people.office,
    )  # fmt: skip
    snail = do_declare_criterion(
        name="项目建设蜗牛奖",
        kind="snail",
        rule="project_delay",
        threshold=20,
        points="2",
        actor=people.office,
    )
    q3 = Period.parse("2026-Q3")
    found = candidates(snail, q3, tree.root)
    assert [c.unit for c in found] == [tree.town_a] and "开工滞后" in found[0].evidence[0]["text"]
    with pytest.raises(ActionError):  # not by popularity: only a unit the data names
        do_confirm_award(
            snail, tree.town_b, "2026-Q3", reasons="群众反映", actor=people.office, within=tree.root
        )
    with pytest.raises(NotAllowed):
        do_confirm_award(
            snail, tree.town_a, "2026-Q3", reasons="x", actor=people.liaison_a, within=tree.root
        )
    award = do_confirm_award(
        snail,
        tree.town_a,
        "2026-Q3",
        reasons="开工滞后两个月以上",
        actor=people.office,
        within=tree.root,
    )
    assert award.adjustment.kind == "deduction" and award.adjustment.happened_on == date(
        2026, 9, 30
    )
    a = do_create_run(scheme, "2026-Q3", actor=people.office).results.get(unit=tree.town_a)
    assert math.isclose(a.total, 70.0 - 2.0)
    with pytest.raises(ActionError):
        do_confirm_award(
            snail, tree.town_a, "2026-Q3", reasons="again", actor=people.office, within=tree.root
        )


def test_horse_award_for_landed_projects_on_the_page(people, tree, login):
    start = TODAY - timedelta(days=10)
    for investor in ("甲公司", "乙公司"):
        lead = do_create_lead(
            investor=investor, industry="新材料", intended_investment="5000", source_unit=tree.town_b,
            on=start, actor=people.office,
        )  # fmt: skip
        for evidence in ("洽谈", "签约", "落地"):
            lead = do_move_lead(lead, on=TODAY, evidence=evidence, actor=people.office)
    horse = do_declare_criterion(
        name="招商引资骏马奖",
        kind="horse",
        rule="projects_landed",
        threshold=2,
        points="1.5",
        actor=people.office,
    )
    period = f"{TODAY.year}-Q{(TODAY.month - 1) // 3 + 1}"
    client = login(people.office)
    page = client.get(reverse("incentives:awards"), {"period": period}).content.decode()
    assert "乙街道" in page and "甲公司" in page
    client.post(
        reverse("incentives:awards") + f"?period={period}",
        {
            "do": "confirm",
            "criterion": horse.pk,
            "unit": tree.town_b.pk,
            "reasons": "两个项目当季落地",
        },
    )
    award = Award.objects.get()
    assert (
        award.adjustment.kind == "bonus"
        and award.adjustment.points == 1.5
        and len(award.evidence) == 2
    )
    liaison = login(people.liaison_b)
    assert "两个项目当季落地" in liaison.get(reverse("incentives:awards")).content.decode()
    assert liaison.post(reverse("incentives:awards"), {"do": "criterion"}).status_code == 403


def test_bad_posts_are_refused_not_crashed(people, login):
    from luoshi.incentives.models import AwardCriterion

    client = login(people.office)
    url = reverse("incentives:awards")
    bad = {
        "do": "criterion",
        "name": "x",
        "kind": "horse",
        "rule": "rank_gain",
        "threshold": "三",
        "points": "1",
    }
    response = client.post(url, bad, follow=True)
    assert response.status_code == 200 and "须为数字" in response.content.decode()
    assert not AwardCriterion.objects.exists()
    assert client.post(url, {"do": "confirm", "criterion": "x", "unit": "y"}).status_code == 404
