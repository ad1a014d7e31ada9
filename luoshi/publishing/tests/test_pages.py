"""League table and scorecard pages: filters, export, what each role sees, query counts."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.orgs.actions import do_create_unit

pytestmark = pytest.mark.django_db


def names(html, candidates=("甲镇", "乙街道", "丙0镇", "丙1镇", "丙2镇")):
    return {n for n in candidates if n in html}


def test_league_table_filters_and_export(published, people, login):
    client = login(people.office)
    url = reverse("publishing:league", args=[published.pk])
    page = client.get(url).content.decode()
    assert names(page) == {"甲镇", "乙街道", "丙0镇", "丙1镇", "丙2镇"}
    assert "band-" in page and "data-chart" in page
    # Mean 48.5: above it B 82.5, A 70, T0 50.
    assert names(client.get(url, {"side": "above"}).content.decode()) == {"乙街道", "甲镇", "丙0镇"}
    assert names(client.get(url, {"side": "below"}).content.decode()) == {"丙1镇", "丙2镇"}
    assert names(client.get(url, {"top": 3}).content.decode()) == {"乙街道", "甲镇", "丙0镇"}
    assert len(names(client.get(url, {"unit_class": "township"}).content.decode())) == 5
    assert 'value="department"' not in page  # only the classes this run ranks are offered
    data = client.get(reverse("publishing:league_xlsx", args=[published.pk]), {"top": 3})
    rows = list(load_workbook(io.BytesIO(data.content)).active.values)
    assert rows[1][1:5] == (1, "乙街道", 82.5, "良好") and len(rows) == 4


def test_a_liaison_sees_its_own_row_and_scorecard_only(published, people, login, tree):
    client = login(people.liaison_a)
    page = client.get(reverse("publishing:league", args=[published.pk])).content.decode()
    assert names(page) == {"甲镇"} and "Generate" not in page and "生成通报" not in page
    card = client.get(reverse("publishing:scorecard", args=[published.pk, tree.town_a.pk]))
    assert card.status_code == 200
    other = reverse("publishing:scorecard", args=[published.pk, tree.town_b.pk])
    assert client.get(other).status_code == 404
    assert (
        login(people.nobody).get(reverse("publishing:league", args=[published.pk])).status_code
        == 404
    )


def test_scorecard_explains_the_points_and_the_gap(published, people, login, tree, scheme):
    html = (
        login(people.office)
        .get(reverse("publishing:scorecard", args=[published.pk, tree.town_a.pk]))
        .content.decode()
    )
    # A: revenue 100 → 70 points won of 70 (rank 1 of 5), accidents worst → 0 of 30 (5 of 4?).
    assert "70.00" in html and "1/5" in html and "4/4" in html
    assert "12.50" in html  # B, just above, is 12.5 points ahead
    assert "100.0%" in html  # all of A's points came from revenue


def test_trend_lists_earlier_published_periods(published, people, login, tree, scheme):
    from luoshi.indicators.actions import do_record_values
    from luoshi.indicators.models import Indicator

    units = {u.code: u for u in tree.root.children.all()}
    revenue = Indicator.objects.get(code="revenue")
    do_record_values(
        revenue,
        "2026-Q2",
        [(units[c], v) for c, v in [("A", "10"), ("B", "20"), ("T0", "30")]],
        source="form",
        actor=people.office,
    )
    earlier = do_publish_run(do_create_run(scheme, "2026-Q2", actor=people.office), actor=None)
    html = (
        login(people.office)
        .get(reverse("publishing:scorecard", args=[published.pk, tree.town_a.pk]))
        .content.decode()
    )
    assert reverse("publishing:scorecard", args=[earlier.pk, tree.town_a.pk]) in html


@pytest.mark.parametrize("extra", [0, 6])
def test_query_counts_do_not_grow_with_units(
    people, scheme, classes, tree, login, django_assert_num_queries, extra
):
    for i in range(extra):
        do_create_unit(
            code=f"X{i}",
            name=f"戊{i}镇",
            unit_class=classes["township"],
            parent=tree.root,
            actor=None,
        )
    run = do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=None)
    client = login(people.office)
    with django_assert_num_queries(10):
        assert client.get(reverse("publishing:league", args=[run.pk])).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("publishing:league_xlsx", args=[run.pk])).status_code == 200
    with django_assert_num_queries(15):
        url = reverse("publishing:scorecard", args=[run.pk, tree.town_a.pk])
        assert client.get(url).status_code == 200
