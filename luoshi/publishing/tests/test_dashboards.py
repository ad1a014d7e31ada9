"""Dashboards: what each role sees, targets against actuals, tables behind charts, queries."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.indicators.actions import do_create_indicator, do_record_values, do_set_targets
from luoshi.lib.errors import ActionError, NotAllowed

pytestmark = pytest.mark.django_db


def test_each_role_sees_its_own_tasks_and_the_office_sees_states(people, tree, make_task, login):
    make_task(title="甲镇任务", deadline=date(2026, 1, 5), start=date(2025, 12, 1))  # long overdue
    make_task(
        title="乙街道任务", unit=tree.town_b, deadline=date(2026, 2, 5), start=date(2025, 12, 1)
    )
    office = login(people.office).get(reverse("publishing:dashboard")).content.decode()
    assert "甲镇" in office and "乙街道" in office and "按状态" in office
    liaison = login(people.liaison_a).get(reverse("publishing:dashboard")).content.decode()
    assert "甲镇" in liaison and "乙街道" not in liaison and "按状态" not in liaison
    # A unit's own page; another unit's answers 404.
    client = login(people.liaison_a)
    assert (
        client.get(reverse("publishing:unit_dashboard", args=[tree.town_a.pk])).status_code == 200
    )
    assert (
        client.get(reverse("publishing:unit_dashboard", args=[tree.town_b.pk])).status_code == 404
    )


def test_key_indicators_are_plotted_against_target(people, tree, classes, login):
    gdp = do_create_indicator(
        code="gdp",
        name="地区生产总值",
        unit_of_measure="亿元",
        frequency="quarter",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    do_set_targets(gdp, "2026-Q2", [(tree.town_a, "10"), (tree.town_b, "20")], actor=people.office)
    do_record_values(
        gdp,
        "2026-Q2",
        [(tree.town_a, "12"), (tree.town_b, "15")],
        source="form",
        actor=people.office,
    )
    html = login(people.office).get(reverse("publishing:dashboard")).content.decode()
    # District total 27 against 30: 90.0 %.
    assert "地区生产总值（亿元）" in html and "<td>27.0</td>" in html and "<td>90.0</td>" in html
    unit = (
        login(people.liaison_a)
        .get(reverse("publishing:unit_dashboard", args=[tree.town_a.pk]))
        .content.decode()
    )
    assert "<td>12.0</td>" in unit and "<td>120.0</td>" in unit


def test_targets_are_set_by_the_office_all_or_nothing(people, tree, classes):
    gdp = do_create_indicator(
        code="gdp",
        name="地区生产总值",
        frequency="quarter",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    with pytest.raises(ActionError) as e:
        do_set_targets(
            gdp, "2026-Q2", [(tree.town_a, "10"), (tree.town_b, "二十")], actor=people.office
        )
    assert e.value.field == "value" and not gdp.targets.exists()
    with pytest.raises(ActionError) as e:
        do_set_targets(gdp, "2026-07", [(tree.town_a, "10")], actor=people.office)
    assert e.value.field == "period"
    with pytest.raises(NotAllowed):
        do_set_targets(gdp, "2026-Q2", [(tree.town_a, "10")], actor=people.provider)
    assert do_set_targets(gdp, "2026-Q2", [(tree.town_a, "10")], actor=people.office) == {
        "written": 1,
        "unchanged": 0,
    }


def test_targets_api(people, tree, classes, login):
    do_create_indicator(
        code="gdp",
        name="地区生产总值",
        frequency="quarter",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    client = login(people.office)
    url = "/api/v1/indicators/gdp/targets/2026-Q2"
    body = {"targets": [{"unit_code": tree.town_a.code, "value": "10"}]}
    assert client.put(url, body, content_type="application/json").status_code == 200
    assert client.get(url).json() == [{"unit_code": tree.town_a.code, "value": 10.0}]
    bad = {"targets": [{"unit_code": "NOPE", "value": "1"}]}
    assert client.put(url, bad, content_type="application/json").status_code == 422


@pytest.mark.parametrize("extra", [0, 5])
def test_dashboard_query_counts(people, tree, make_task, login, django_assert_num_queries, extra):
    for i in range(extra):
        make_task(title=f"任务{i}", deadline=date(2026, 1, 5 + i), start=date(2025, 12, 1))
    client = login(people.office)
    with django_assert_num_queries(12):
        assert client.get(reverse("publishing:dashboard")).status_code == 200
    with django_assert_num_queries(10):
        url = reverse("publishing:unit_dashboard", args=[tree.town_a.pk])
        assert client.get(url).status_code == 200
