"""Finding 9: the precedent library is redacted by structure, read by a person before anyone
else sees it, and visible to the office and reviewers only unless made public."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.evaluation.adjustments import do_record_adjustment
from luoshi.incentives.actions import (
    do_apply_for_exemption,
    do_decide_exemption,
    do_review_precedent,
)
from luoshi.lib.errors import ActionError, NotAllowed

pytestmark = pytest.mark.django_db
YES = dict.fromkeys(
    ("public_good", "followed_procedure", "no_personal_gain", "reported_and_remedied"), True
)
# What the probe found left in the "anonymised" text: a village and a unit, a head's full name,
# a phone number and most of an ID number.
FACTS = (
    "8月10日暴雨，甲一村村委会主任王建国带队抢险，区财政局同意先行垫付；甲镇已于次日报告。"
    "联系电话138-1234-5678，王建国身份证110101199003******，现场负责人李四同志。"
)


@pytest.fixture
def decided(people, tree):
    people.head_a.full_name = "王建国"
    people.head_a.save()
    adjustment = do_record_adjustment(
        unit=tree.town_a, kind="deduction", points="3", category="重点任务",
        happened_on=date(2026, 8, 10), reason="甲镇防汛工程未按期完工", actor=people.office,
    )  # fmt: skip
    application = do_apply_for_exemption(adjustment, facts=FACTS, actor=people.liaison_a)
    return do_decide_exemption(
        application, approve=True, reason="符合容错情形，联系人 liaison_a", answers=YES,
        actor=people.office,
    )  # fmt: skip


def test_names_codes_and_numbers_are_gone_from_the_draft(decided):
    text = decided.precedent
    for leaked in ("甲一村", "甲镇", "区财政局", "王建国", "李四", "1234", "110101", "liaison_a"):
        assert leaked not in text, leaked
    assert "某单位" in text and "某某" in text and "号码已隐去" in text
    assert "暴雨" in text and "抢险" in text  # what it teaches is kept
    assert decided.precedent_state == "review"


def test_nobody_reads_it_before_the_office_reviews_it(decided, people, login):
    for person in (people.office, people.reviewer, people.liaison_b, people.secretary):
        page = login(person).get(reverse("incentives:precedents")).content.decode()
        if person == people.office:
            assert "待您审核" in page  # the office sees the draft to review
        else:
            assert "暴雨" not in page


def test_the_review_refuses_a_name_left_in_and_only_the_office_reviews(decided, people):
    with pytest.raises(ActionError) as left:
        do_review_precedent(decided, text=decided.precedent + "甲镇王建国", public=False,
                            actor=people.office)  # fmt: skip
    assert "甲镇" in left.value.message and left.value.field == "precedent"
    with pytest.raises(NotAllowed):
        do_review_precedent(decided, text=decided.precedent, public=True, actor=people.reviewer)


def test_reviewed_it_reaches_office_and_reviewers_public_it_reaches_all(decided, people, login):
    do_review_precedent(decided, text=decided.precedent, public=False, actor=people.office)

    def sees(person):
        return "暴雨" in login(person).get(reverse("incentives:precedents")).content.decode()

    assert sees(people.office) and sees(people.reviewer)
    assert not sees(people.liaison_b) and not sees(people.secretary) and not sees(people.head_a)
    do_review_precedent(decided, text=decided.precedent, public=True, actor=people.office)
    assert sees(people.liaison_b) and sees(people.observer)


def test_the_review_page_releases_it(decided, people, login):
    client = login(people.office)
    client.post(
        reverse("incentives:review_precedent", args=[decided.pk]),
        {"precedent": decided.precedent, "public": "1"},
    )
    decided.refresh_from_db()
    assert decided.precedent_state == "reviewed" and decided.precedent_public
    assert decided.precedent_reviewed_by == people.office
