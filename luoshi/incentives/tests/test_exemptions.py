"""容错免责 end to end: apply → decide with the checklist → exemption applied in a run."""

import math
from datetime import date

import pytest
from django.urls import reverse

from luoshi.evaluation.actions import do_create_run
from luoshi.evaluation.adjustments import do_record_adjustment
from luoshi.evaluation.tests.conftest import scheme  # noqa: F401  (fixture)
from luoshi.incentives.actions import (
    do_apply_for_exemption,
    do_decide_exemption,
    do_review_precedent,
)
from luoshi.incentives.models import ExemptionApplication
from luoshi.lib.errors import ActionError, NotAllowed

pytestmark = pytest.mark.django_db
YES = dict.fromkeys(
    ("public_good", "followed_procedure", "no_personal_gain", "reported_and_remedied"), True
)
FACTS = "暴雨导致施工中断，工期顺延十天；已第一时间报告并制定赶工方案，现已完工。"


def deduction(people, unit, points="3", kind="deduction"):
    return do_record_adjustment(
        unit=unit, kind=kind, points=points, category="重点任务", happened_on=date(2026, 8, 10),
        reason="防汛工程未按期完工", actor=people.office,
    )  # fmt: skip


def test_apply_decide_and_the_next_run_leaves_the_deduction_out(people, tree, scheme, login):  # noqa: F811
    named = deduction(people, tree.town_a)
    other = deduction(people, tree.town_a, points="1")
    client = login(people.liaison_a)
    client.post(
        reverse("incentives:apply", args=[named.pk]),
        {"facts": FACTS, "evidence": "气象预警单、整改报告"},
    )
    application = ExemptionApplication.objects.get()
    office = login(people.office)
    office.post(
        reverse("incentives:decide", args=[application.pk]),
        {c: "yes" for c in YES} | {"reason": "符合容错情形", "do": "approve"},
    )
    application.refresh_from_db()
    assert application.state == "approved" and application.exemption.adjustment == named
    run = do_create_run(scheme, "2026-Q3", actor=people.office)
    a = run.results.get(unit=tree.town_a)
    assert math.isclose(a.total, 70.0 - 1.0)  # only the named 3 points came back
    assert (
        "甲镇" not in application.precedent
        and "某单位" in application.precedent
        or "甲镇" not in application.precedent
    )
    other.refresh_from_db()
    assert not hasattr(other, "exemption")


def test_an_application_cannot_name_another_units_deduction_or_a_bonus(people, tree):
    theirs = deduction(people, tree.town_b)
    with pytest.raises(NotAllowed):
        do_apply_for_exemption(theirs, facts=FACTS, actor=people.liaison_a)
    bonus = deduction(people, tree.town_a, kind="bonus")
    with pytest.raises(ActionError):
        do_apply_for_exemption(bonus, facts=FACTS, actor=people.liaison_a)
    with pytest.raises(ActionError) as e:
        do_apply_for_exemption(deduction(people, tree.town_a), facts="太短", actor=people.liaison_a)
    assert e.value.field == "facts"
    assert not ExemptionApplication.objects.exists()


def test_the_checklist_decides_and_refusals_are_precedents_too(people, tree, login):
    application = do_apply_for_exemption(
        deduction(people, tree.town_a), facts=FACTS, actor=people.liaison_a
    )
    with pytest.raises(ActionError):  # a question left unanswered
        do_decide_exemption(
            application,
            approve=True,
            reason="x",
            answers={"public_good": True},
            actor=people.office,
        )
    with pytest.raises(ActionError):  # approval with a failed test
        do_decide_exemption(
            application,
            approve=True,
            reason="x",
            answers=YES | {"no_personal_gain": False},
            actor=people.office,
        )
    with pytest.raises(NotAllowed):
        do_decide_exemption(
            application, approve=False, reason="x", answers=YES, actor=people.liaison_a
        )
    refused = do_decide_exemption(
        application,
        approve=False,
        reason="未按程序报批",
        answers=YES | {"followed_procedure": False},
        actor=people.office,
    )
    assert refused.state == "refused" and refused.exemption is None
    do_review_precedent(refused, text=refused.precedent, public=True, actor=people.office)
    page = (
        login(people.liaison_b)
        .get(reverse("incentives:precedents"), {"q": "程序"})
        .content.decode()
    )
    assert "未按程序报批" in page and "甲镇" not in page
