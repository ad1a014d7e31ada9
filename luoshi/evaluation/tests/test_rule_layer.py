"""Bonuses, deductions, vetoes, exemptions, quotas and rank-change credit in runs.

The shared scheme (conftest) gives, before any adjustment: A 70, B 82.5, T0 50, T1 40, T2 0.
"""

import math
from datetime import date

import pytest
from django.urls import reverse

from luoshi.evaluation.actions import do_create_run, do_publish_run, do_supersede_run
from luoshi.evaluation.adjustments import (
    do_grant_exemption,
    do_record_adjustment,
    do_set_rules,
    do_withdraw_adjustment,
)
from luoshi.evaluation.models import Adjustment, RunAdjustment
from luoshi.evaluation.service import compute
from luoshi.lib.errors import ActionError, NotAllowed

pytestmark = pytest.mark.django_db
DAY = date(2026, 8, 10)  # inside 2026-Q3


def units(tree):
    return {u.code: u for u in tree.root.children.all()}


def adjust(people, unit, kind, points=None, category="安全生产", **kw):
    return do_record_adjustment(
        unit=unit,
        kind=kind,
        points=points,
        category=category,
        happened_on=kw.pop("happened_on", DAY),
        reason=kw.pop("reason", "区委督查通报〔2026〕3号"),
        actor=people.office,
        **kw,
    )


def results(run):
    return {r.unit.code: r for r in run.results.select_related("unit")}


def test_bonuses_and_deductions_count_with_caps_and_are_explained(people, scheme, tree, login):
    u = units(tree)
    do_set_rules(
        scheme, {"adjustments": True, "bonus_category_cap": 2, "escalation": "1, 2"}, actor=None
    )
    adjust(people, u["T0"], "bonus", "3", category="招商引资")
    adjust(people, u["B"], "deduction", "1")
    adjust(people, u["B"], "deduction", "1")  # a repeat in the same category counts double
    adjust(people, u["A"], "deduction", "4", happened_on=date(2026, 6, 30))  # Q2: not counted
    run = do_create_run(scheme, "2026-Q3", actor=people.office)
    r = results(run)
    assert math.isclose(r["T0"].total, 52.0) and r["T0"].bonus == 2.0 and r["T0"].base == 50.0
    assert math.isclose(r["B"].total, 79.5) and r["B"].deduction == -3.0
    assert r["A"].total == 70.0 and r["A"].deduction == 0
    notes = sorted(RunAdjustment.objects.filter(run=run).values_list("points", "note"))
    assert notes == [(-2.0, "repeat ×2"), (-1.0, ""), (2.0, "capped")]
    html = (
        login(people.office)
        .get(reverse("publishing:scorecard", args=[run.pk, u["B"].pk]))
        .content.decode()
    )
    assert "重复扣分 ×2" in html and "区委督查通报〔2026〕3号" in html and "79.50" in html


def test_one_achievement_counts_once_at_its_highest_level(people, scheme, tree):
    u = units(tree)
    adjust(people, u["T1"], "bonus", "1", category="表彰", achievement="示范镇", level=2)
    adjust(people, u["T1"], "bonus", "3", category="表彰", achievement="示范镇", level=3)
    r = results(do_create_run(scheme, "2026-Q3", actor=people.office))
    assert r["T1"].bonus == 3.0 and math.isclose(r["T1"].total, 43.0)


def test_an_exemption_cancels_exactly_the_deduction_it_names(people, scheme, tree):
    u = units(tree)
    named = adjust(people, u["B"], "deduction", "5")
    other = adjust(people, u["B"], "deduction", "2", category="信访")
    first = do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=None)
    assert math.isclose(results(first)["B"].total, 75.5)
    do_grant_exemption(named, reason="先行先试，程序合规，已整改", actor=people.office)
    corrected = do_supersede_run(first, reason="容错免责决定", actor=people.office)
    assert math.isclose(results(corrected)["B"].total, 80.5)  # only the named 5 points return
    applied = dict(RunAdjustment.objects.filter(run=corrected).values_list("adjustment", "points"))
    assert applied == {named.pk: 0.0, other.pk: -2.0}
    first.refresh_from_db()
    assert first.state == "superseded" and math.isclose(results(first)["B"].total, 75.5)
    bonus = adjust(people, u["B"], "bonus", "1", category="表彰")
    with pytest.raises(ActionError, match="加分"):
        do_grant_exemption(bonus, reason="x", actor=people.office)
    with pytest.raises(ActionError):
        do_grant_exemption(named, reason="again", actor=people.office)


def test_vetoes_fail_or_cap_the_grade_and_quotas_limit_the_top_grade(people, scheme, tree):
    u = units(tree)
    do_set_rules(
        scheme,
        {
            "adjustments": True,
            "quota_grade": "优秀",
            "quota_share": 20,  # of five townships: one
            "quota_demote_to": "良好",
        },
        actor=None,
    )
    adjust(people, u["A"], "bonus", "25", category="表彰")  # 95: 优秀
    adjust(people, u["B"], "bonus", "10", category="表彰")  # 92.5: 优秀, beyond the quota
    adjust(people, u["T0"], "bonus", "40", category="表彰")  # 90: 优秀, then …
    adjust(people, u["T0"], "veto_cap", category="安全生产", cap_grade="良好")  # … capped
    adjust(people, u["T1"], "veto_fail", category="安全生产")
    r = results(do_create_run(scheme, "2026-Q3", actor=people.office))
    assert (r["A"].grade, r["B"].grade) == ("优秀", "良好")
    assert r["T0"].grade == "良好"
    assert r["T1"].grade == "一般" and r["T1"].veto == "" and r["T1"].total == 40.0
    assert (r["T0"].veto, r["T0"].total) == ("", 90.0)  # the quota had already demoted it


def test_a_veto_is_recorded_with_the_grade_it_took_away(people, scheme, tree):
    u = units(tree)
    adjust(people, u["B"], "veto_fail", category="安全生产")
    r = results(do_create_run(scheme, "2026-Q3", actor=people.office))
    assert (r["B"].grade, r["B"].veto, r["B"].total) == ("一般", "良好", 82.5)


def test_withdrawn_adjustments_and_schemes_without_adjustments_count_nothing(people, scheme, tree):
    u = units(tree)
    a = adjust(people, u["B"], "deduction", "5")
    do_withdraw_adjustment(a, reason="录入错误", actor=people.office)
    assert results(do_create_run(scheme, "2026-Q3", actor=people.office))["B"].total == 82.5
    with pytest.raises(ActionError):
        do_withdraw_adjustment(a, reason="again", actor=people.office)


def test_rank_change_credit_rewards_places_gained(people, scheme):
    run = do_create_run(scheme, "2026-Q3", actor=people.office)
    inputs = dict(run.inputs)
    ids = {u["code"]: str(u["id"]) for u in inputs["units"]}
    # Last period T1 was 5th and is 4th now (one place up); B was 1st and still is.
    inputs["previous_ranks"] = {ids["T1"]: 5, ids["B"]: 1, ids["A"]: 1}
    inputs["rules"] = {**inputs["rules"], "rank_change": {"per_place": 0.5, "cap": 1}}
    out = compute(inputs)
    row = {u["code"]: k for k, u in enumerate(inputs["units"])}
    assert out["credit"][row["T1"]] == 0.5 and out["totals"][row["T1"]] == 40.5
    assert out["credit"][row["A"]] == -0.5  # 1st → 2nd: one place lost
    assert out["credit"][row["B"]] == 0.0 and out["credit"][row["T0"]] == 0.0
    assert out["change"][row["T1"]] == 1


@pytest.mark.parametrize(
    "kw, field",
    [
        ({"kind": "bonus", "points": "两分"}, "points"),
        ({"kind": "deduction", "points": "-1"}, "points"),
        ({"kind": "deduction", "points": "1", "happened_on": date(2099, 1, 1)}, "happened_on"),
        ({"kind": "deduction", "points": "1", "reason": " "}, "reason"),
        ({"kind": "deduction", "points": "1", "category": ""}, "category"),
        ({"kind": "veto_cap"}, "cap_grade"),
    ],
)
def test_bad_adjustments_are_refused_naming_the_field(people, tree, kw, field):
    u = units(tree)
    with pytest.raises(ActionError) as e:
        adjust(people, u["A"], **kw)
    assert e.value.field == field and not Adjustment.objects.exists()


def test_only_the_office_records_and_decides_adjustments(people, scheme, tree, login):
    u = units(tree)
    with pytest.raises(NotAllowed):
        do_record_adjustment(
            unit=u["A"],
            kind="bonus",
            points="1",
            category="x",
            happened_on=DAY,
            reason="自报",
            actor=people.head_a,
        )
    a = adjust(people, u["A"], "deduction", "1")
    with pytest.raises(NotAllowed):
        do_grant_exemption(a, reason="自己免自己", actor=people.head_a)
    for who in (people.head_a, people.liaison_a, people.secretary, people.observer):
        client = login(who)
        assert client.get(reverse("evaluation:adjustments")).status_code == 403
        assert (
            client.post(
                reverse("evaluation:adjustment_decide", args=[a.pk]),
                {"do": "exempt", "reason": "x"},
            ).status_code
            == 403
        )
    assert not RunAdjustment.objects.exists()
    client = login(people.office)
    page = client.get(reverse("evaluation:adjustments"))
    assert page.status_code == 200
    response = client.post(
        reverse("evaluation:adjustments"),
        {
            "unit": u["B"].pk,
            "kind": "bonus",
            "category": "招商引资",
            "points": "abc",
            "level": 1,
            "happened_on": "2026-08-01",
            "reason": "签约项目",
        },
    )
    assert response.status_code == 200 and Adjustment.objects.count() == 1
    client.post(
        reverse("evaluation:adjustment_decide", args=[a.pk]),
        {"do": "exempt", "reason": "符合容错情形"},
    )
    a.refresh_from_db()
    assert a.exemption.reason == "符合容错情形"
