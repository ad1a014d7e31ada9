from decimal import Decimal

import pytest

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEvent
from luoshi.conftest import make_person
from luoshi.indicators.actions import (
    do_accept_round,
    do_close_round,
    do_create_indicator,
    do_record_values,
    do_return_round,
    do_submit_round,
)
from luoshi.indicators.models import IndicatorValue
from luoshi.indicators.value_xlsx import HEADER, export_grid, import_grid
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.throttle import RATE_LIMIT_QUERIES
from luoshi.lib.xlsx import ImportRejected, read_table, write_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(people, tree, classes):
    # 区财政局 provides it; it applies to townships.
    return do_create_indicator(
        code="fiscal",
        name="一般公共预算收入",
        unit_of_measure="万元",
        frequency="quarter",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )


def values(indicator, period):
    return {
        v.unit.code: v
        for v in IndicatorValue.objects.current().filter(indicator=indicator, period=period)
    }


def test_provider_enters_values_and_a_correction_keeps_the_old_one(people, tree, indicator):
    do_record_values(
        indicator,
        "2026-Q3",
        [(tree.town_a, "1200.5"), (tree.town_b, "不适用")],
        source="form",
        actor=people.provider,
    )
    current = values(indicator, "2026-Q3")
    assert current["A"].value == Decimal("1200.5") and current["B"].not_applicable
    result = do_record_values(
        indicator,
        "2026-Q3",
        [(tree.town_a, "1250"), (tree.town_b, "不适用")],
        source="form",
        actor=people.provider,
    )
    assert result == {"written": 1, "unchanged": 1}
    corrected = values(indicator, "2026-Q3")["A"]
    assert corrected.value == Decimal("1250") and corrected.replaces.value == Decimal("1200.5")
    assert IndicatorValue.objects.filter(unit=tree.town_a).count() == 2
    assert AuditEvent.objects.filter(action="value.correct").count() == 1


def test_bad_input_names_what_is_wrong_and_changes_nothing(people, tree, indicator):
    cases = [
        ("2026-Q3", [(tree.town_a, "12O0")], "value"),  # letter O
        ("2026-07", [(tree.town_a, "1")], "period"),  # a month for a quarterly indicator
        ("2026-Q9", [(tree.town_a, "1")], "period"),
        ("2026-Q3", [(tree.finance, "1")], "unit"),  # a department: the indicator is for townships
    ]
    for period, entries, field in cases:
        with pytest.raises(ActionError) as e:
            do_record_values(indicator, period, entries, source="form", actor=people.provider)
        assert e.value.field == field
    assert not IndicatorValue.objects.exists()


def test_only_the_provider_or_the_office_may_enter(people, tree, indicator):
    for outsider in (people.liaison_a, people.head_a, people.deputy, people.reviewer):
        with pytest.raises(NotAllowed):
            do_record_values(
                indicator, "2026-Q3", [(tree.town_a, "1")], source="form", actor=outsider
            )
    other_provider = make_person("other_provider", tree.commerce, Role.DATA_PROVIDER)
    with pytest.raises(NotAllowed):
        do_record_values(
            indicator, "2026-Q3", [(tree.town_a, "1")], source="form", actor=other_provider
        )
    do_record_values(indicator, "2026-Q3", [(tree.town_a, "1")], source="form", actor=people.office)


def test_a_closed_period_is_locked_until_reopened(people, tree, indicator):
    do_record_values(
        indicator, "2026-Q3", [(tree.town_a, "1")], source="form", actor=people.provider
    )
    do_submit_round(indicator, "2026-Q3", actor=people.provider)
    with pytest.raises(NotAllowed):
        do_accept_round(indicator, "2026-Q3", actor=people.provider)
    do_accept_round(indicator, "2026-Q3", actor=people.office)
    do_close_round(indicator, "2026-Q3", actor=people.office)
    with pytest.raises(ActionError, match="locked|锁定"):
        do_record_values(
            indicator, "2026-Q3", [(tree.town_a, "2")], source="form", actor=people.provider
        )
    with pytest.raises(ActionError):
        do_submit_round(indicator, "2026-Q3", actor=people.provider)
    assert values(indicator, "2026-Q3")["A"].value == 1


def test_grid_upload_is_all_or_nothing_and_reports_every_bad_cell(people, tree, indicator):
    grid = export_grid(indicator, "2026-Q3", people.provider)
    rows = [list(cells.values()) for _n, cells in read_table(grid, required=HEADER, known=HEADER)]
    assert [r[0] for r in rows] == ["A", "B"]
    bad = write_table(
        "x", HEADER, [["A", "甲镇", "一千", ""], ["ZZ", "无", "5", ""], ["B", "乙街道", "8", ""]]
    )
    with pytest.raises(ImportRejected) as rejected:
        import_grid(bad, indicator, "2026-Q3", actor=people.provider)
    messages = {e.row: e.message for e in rejected.value.errors}
    assert "「一千」不是数字" in messages[2] and "ZZ" in messages[3] and sorted(messages) == [2, 3]
    assert not IndicatorValue.objects.exists()
    good = write_table("x", HEADER, [["A", "甲镇", "1,200", ""], ["B", "乙街道", "不适用", ""]])
    assert import_grid(good, indicator, "2026-Q3", actor=people.provider) == {
        "written": 2,
        "unchanged": 0,
    }
    assert values(indicator, "2026-Q3")["A"].source == "upload"


def test_return_reopens_a_submitted_round(people, tree, indicator):
    do_submit_round(indicator, "2026-Q3", actor=people.provider)
    do_return_round(indicator, "2026-Q3", actor=people.office)
    do_record_values(
        indicator, "2026-Q3", [(tree.town_a, "3")], source="form", actor=people.provider
    )


def test_provider_fills_the_grid_page_and_others_get_404(people, tree, indicator, login):
    from django.urls import reverse

    url = reverse("indicators:grid", args=["fiscal", "2026-Q3"])
    client = login(people.provider)
    page = client.get(url).content.decode()
    assert "甲镇" in page and "乙街道" in page and "已填 0 / 2 个单位" in page
    response = client.post(url, {f"v{tree.town_a.pk}": "88.5", f"v{tree.town_b.pk}": "不适用"})
    assert response.status_code == 302 and values(indicator, "2026-Q3")["A"].value == Decimal(
        "88.5"
    )
    bad = client.post(url, {f"v{tree.town_a.pk}": "八十"}, follow=True).content.decode()
    assert "「八十」不是数字" in bad and values(indicator, "2026-Q3")["A"].value == Decimal("88.5")
    client.post(reverse("indicators:move", args=["fiscal", "2026-Q3", "submit"]))
    assert (
        client.post(reverse("indicators:move", args=["fiscal", "2026-Q3", "accept"])).status_code
        == 403
    )
    for outsider in (people.liaison_a, people.deputy, people.observer):
        assert login(outsider).get(url).status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_grid_and_list_query_counts(
    people, tree, classes, indicator, login, django_assert_num_queries, extra
):
    from django.urls import reverse

    from luoshi.orgs.actions import do_create_unit

    for i in range(extra):
        unit = do_create_unit(
            code=f"T{i}",
            name=f"新{i}镇",
            unit_class=classes["township"],
            parent=tree.root,
            actor=None,
        )
        do_record_values(indicator, "2026-Q3", [(unit, str(i))], source="form", actor=people.office)
    client = login(people.provider)
    with django_assert_num_queries(10):
        assert client.get(reverse("indicators:grid", args=["fiscal", "2026-Q3"])).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("indicators:list")).status_code == 200
    with django_assert_num_queries(7 + RATE_LIMIT_QUERIES):
        assert client.get("/api/v1/indicators/fiscal/values/2026-Q3").status_code == 200


def test_a_provider_pushes_values_with_a_token_all_or_nothing(people, tree, indicator, client):
    from luoshi.accounts.actions import do_create_api_token

    _t, key = do_create_api_token(
        user=people.provider,
        name="财政系统",
        role=Role.DATA_PROVIDER,
        unit=tree.finance,
        actor=people.provider,
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    url = "/api/v1/indicators/fiscal/values/2026-Q3"
    ok = client.put(
        url,
        {"values": [{"unit_code": "A", "value": "12.5"}, {"unit_code": "B", "value": "不适用"}]},
        content_type="application/json",
        **headers,
    )
    assert ok.status_code == 200 and ok.json() == {"written": 2, "unchanged": 0}
    bad = client.put(
        url,
        {"values": [{"unit_code": "A", "value": "13"}, {"unit_code": "B", "value": "x"}]},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and "value" in bad.json()["detail"]
    assert values(indicator, "2026-Q3")["A"].value == Decimal("12.5")  # nothing changed
    listed = client.get(url, **headers).json()
    assert [(v["unit_code"], v["value"], v["not_applicable"]) for v in listed] == [
        ("A", 12.5, False),
        ("B", None, True),
    ]
    assert (
        client.put(
            "/api/v1/indicators/fiscal/values/2026-07",
            {"values": []},
            content_type="application/json",
            **headers,
        ).status_code
        == 422
    )
    _t2, liaison_key = do_create_api_token(
        user=people.liaison_a, name="x", role=Role.LIAISON, unit=tree.town_a, actor=people.liaison_a
    )
    assert (
        client.put(
            url,
            {"values": []},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {liaison_key}",
        ).status_code
        == 404
    )
