"""Roll-up (METHODOLOGY step 11): a quarterly scheme that sums up the published monthly totals."""

import math

import pytest

from luoshi.evaluation.actions import do_add_node, do_create_run, do_publish_run
from luoshi.evaluation.models import Scheme, SchemeNode, SchemeVersion
from luoshi.evaluation.service import validate_version
from luoshi.indicators.actions import do_create_indicator, do_record_values
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import Period

pytestmark = pytest.mark.django_db
BANDS = [{"grade": "好", "text": "60分以上"}, {"grade": "差", "text": "不满60分"}]


def _scheme(code, kind, tree, classes, total=100):
    s = Scheme.objects.create(
        code=code, name=code, period_kind=kind, owner=tree.root, total_points=total
    )
    s.classes.set([classes["township"]])
    return SchemeVersion.objects.create(scheme=s, number=1, bands=BANDS)


@pytest.fixture
def monthly(people, tree, classes):
    output = do_create_indicator(
        code="output",
        name="产值",
        frequency="month",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    version = _scheme("town-monthly", "month", tree, classes, total=50)
    SchemeNode.objects.create(
        version=version, code="out", name="产值", kind="quantitative", points=50, indicator=output
    )
    # Town A leads in July, B in August; September is not evaluated yet.
    for month, (a, b) in {"2026-07": ("10", "5"), "2026-08": ("4", "8")}.items():
        do_record_values(
            output,
            month,
            [(tree.town_a, a), (tree.town_b, b)],
            source="form",
            actor=people.office,
        )
        do_publish_run(do_create_run(version, month, actor=people.office), actor=None)
    return version


def test_a_quarter_rolls_up_its_published_months(people, tree, classes, monthly):
    quarterly = _scheme("town-quarterly", "quarter", tree, classes)
    do_add_node(
        quarterly,
        code="months",
        name="月度考评",
        kind="rollup",
        points=100,
        params={"scheme": "town-monthly"},
        actor=people.office,
    )
    assert validate_version(quarterly) == []
    run = do_create_run(quarterly, "2026-Q3", actor=people.office)
    totals = {r.unit_id: r.total for r in run.results.all()}
    # By hand, on the monthly scheme's 50 points: July A 50, B 0; August A 0, B 50.
    # As 0–100: A (100 + 0) / 2 = 50, B (0 + 100) / 2 = 50; September, unpublished, is left out.
    assert math.isclose(totals[tree.town_a.pk], 50.0) and math.isclose(totals[tree.town_b.pk], 50.0)
    item = run.inputs["items"][0]
    assert (
        set(item["runs"]) == {"2026-07", "2026-08", "2026-09"} and item["runs"]["2026-09"] is None
    )


def test_missing_months_count_zero_when_the_scheme_says_so(people, tree, classes, monthly):
    quarterly = _scheme("q-zero", "quarter", tree, classes)
    do_add_node(
        quarterly,
        code="months",
        name="月度考评",
        kind="rollup",
        points=100,
        params={"scheme": "town-monthly", "missing": "zero"},
        actor=people.office,
    )
    run = do_create_run(quarterly, "2026-Q3", actor=people.office)
    totals = {r.unit_id: r.total for r in run.results.all()}
    assert math.isclose(totals[tree.town_a.pk], 100 / 3)


def test_a_roll_up_needs_a_shorter_scheme_with_published_results(people, tree, classes, monthly):
    quarterly = _scheme("q-bad", "quarter", tree, classes)
    node = do_add_node(
        quarterly,
        code="months",
        name="月度考评",
        kind="rollup",
        points=100,
        params={"scheme": "q-bad"},
        actor=people.office,
    )
    assert any("月度考评" in p for p in validate_version(quarterly))
    node.params = {"scheme": "town-monthly"}
    node.save()
    with pytest.raises(ActionError) as e:
        do_create_run(quarterly, "2026-Q1", actor=people.office)
    assert e.value.field == "period"
    with pytest.raises(ActionError) as e:
        do_add_node(
            quarterly, code="x", name="x", kind="rollup", points=0, params={}, actor=people.office
        )
    assert e.value.field == "rollup"


def test_periods_split_into_their_parts():
    assert [str(p) for p in Period.parse("2026").parts("quarter")] == [
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    assert len(Period.parse("2026-Q2").parts("month")) == 3
    with pytest.raises(ValueError):
        Period.parse("2026-07").parts("quarter")


def test_the_unit_page_traces_a_roll_up_to_each_month(people, tree, classes, monthly, login):
    from django.urls import reverse

    from luoshi.evaluation.models import Run

    quarterly = _scheme("town-quarterly", "quarter", tree, classes)
    do_add_node(
        quarterly,
        code="months",
        name="月度考评",
        kind="rollup",
        points=100,
        params={"scheme": "town-monthly"},
        actor=people.office,
    )
    run = do_create_run(quarterly, "2026-Q3", actor=people.office)
    html = (
        login(people.office)
        .get(reverse("publishing:scorecard", args=[run.pk, tree.town_a.pk]))
        .content.decode()
    )
    july = Run.objects.get(version=monthly, period="2026-07")
    assert reverse("publishing:scorecard", args=[july.pk, tree.town_a.pk]) in html
    assert "2026年9月（未发布）" in html  # periods in words
