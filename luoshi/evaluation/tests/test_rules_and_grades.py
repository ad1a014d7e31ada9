import math

import numpy as np
import pytest

from luoshi.evaluation.engine.grades import (
    Band,
    BandError,
    apply_quota,
    apply_vetoes,
    assign_grades,
    check_bands,
    parse_band,
    quota_size,
)
from luoshi.evaluation.engine.rules import (
    Adjustment,
    apply_rules,
    exemption_targets,
    improvement_credit,
    rank_change_credit,
)

BANDS = [
    parse_band("优秀", "90分以上"),
    parse_band("良好", "80分以上不满90分"),
    parse_band("合格", "60分以上不满80分"),
    parse_band("不合格", "不满60分"),
]


def test_band_wording_decides_where_the_bound_belongs():
    assert list(assign_grades([90, 89.99, 80, 60, 59.99, math.nan], BANDS)) == [
        "优秀",
        "良好",
        "良好",
        "合格",
        "不合格",
        None,
    ]
    assert parse_band("x", "超过95分") == Band("x", 95, False, math.inf, False)
    assert parse_band("x", "60分以下") == Band("x", -math.inf, True, 60, True)


@pytest.mark.parametrize(
    "bands, message",
    [
        (
            [
                parse_band("优秀", "90分以上"),
                parse_band("良好", "80分以上不满85分"),
                parse_band("差", "不满80分"),
            ],
            "gap",
        ),
        (
            [
                parse_band("优秀", "85分以上"),
                parse_band("良好", "80分以上不满90分"),
                parse_band("差", "不满80分"),
            ],
            "overlap",
        ),
        ([parse_band("优秀", "90分以上"), parse_band("其他", "90分以下")], "belongs to both"),
        ([parse_band("优秀", "超过90分"), parse_band("其他", "不满90分")], "belongs to neither"),
    ],
)
def test_bands_with_a_gap_or_overlap_are_refused_naming_where(bands, message):
    with pytest.raises(BandError, match=message):
        check_bands(bands)


def test_quota_rounding_and_ties():
    assert quota_size(13, 0.2, "floor") == 2 and quota_size(13, 0.2, "half_up") == 3
    scores = np.array([98, 95, 95, 93, 70])
    grades = assign_grades(scores, BANDS)  # four 优秀
    groups = np.zeros(5)
    # 优秀 ≤ 40 % of 5 = 2: 98 fits; the two 95s tie for the last place.
    excluded = apply_quota(
        scores, grades, groups, grade="优秀", share=0.4, demote_to="良好", ties="exclude"
    )
    included = apply_quota(
        scores, grades, groups, grade="优秀", share=0.4, demote_to="良好", ties="include"
    )
    assert list(excluded) == ["优秀", "良好", "良好", "良好", "合格"]
    assert list(included) == ["优秀", "优秀", "优秀", "良好", "合格"]


def test_vetoes_override_the_score():
    grades = np.array(["优秀", "良好", "优秀"], dtype=object)
    out = apply_vetoes(grades, fail={1}, caps={2: "合格"}, order=["优秀", "良好", "合格", "不合格"])
    assert list(out) == ["优秀", "不合格", "合格"]


def test_bonus_counts_an_achievement_once_at_its_highest_level_and_is_capped():
    adjustments = [
        Adjustment("b1", 0, "创新", 1.0, "bonus", achievement="数字乡村试点", level=2),  # city
        Adjustment("b2", 0, "创新", 3.0, "bonus", achievement="数字乡村试点", level=3),  # province
        Adjustment("b3", 0, "创新", 2.0, "bonus", achievement="营商环境典型"),
        Adjustment("b4", 1, "争先", 4.0, "bonus"),
    ]
    result = apply_rules(2, adjustments, bonus_item_caps={"创新": 4.0}, bonus_total_cap=3.5)
    assert list(result.bonus) == [3.5, 3.5]  # 3 (province) + 2 → item cap 4 → total cap 3.5
    notes = {a.adjustment.id: a.note for a in result.applied}
    assert notes["b1"] == "counted once, at its highest level" and notes["b3"] == "capped"


def test_deductions_escalate_on_repeat_are_capped_and_exemptions_cancel_exactly_one():
    adjustments = [Adjustment(f"d{i}", 0, "信访", 1.0, "deduction") for i in range(4)]
    adjustments.append(Adjustment("v", 1, "安全生产", 10.0, "veto_deduction"))
    result = apply_rules(
        2, adjustments, deduction_item_caps={"信访": 4.0}, escalation=(1.0, 1.5, 2.0)
    )
    assert list(result.deduction) == [
        -4.0,
        -10.0,
    ]  # 1 + 1.5 + 1.5 (capped at 4) + 0; the veto ignores caps
    uncapped = apply_rules(2, adjustments, escalation=(1.0, 1.5, 2.0))
    assert uncapped.deduction[0] == -(1.0 + 1.5 + 2.0 + 2.0)
    # An exempted deduction is as if it never happened: it is not a repeat either.
    exempted = apply_rules(2, adjustments, escalation=(1.0, 1.5, 2.0), exemptions={"d0"})
    assert exempted.deduction[0] == -(1.0 + 1.5 + 2.0)
    assert [a.note for a in exempted.applied if a.adjustment.id == "d0"] == ["exempted (容错免责)"]


def test_an_exemption_cannot_cancel_what_it_does_not_name():
    adjustments = [
        Adjustment("d1", 0, "信访", 1.0, "deduction"),
        Adjustment("b1", 0, "x", 1.0, "bonus"),
    ]
    assert exemption_targets({"e1": "d1"}, adjustments) == {"d1"}
    with pytest.raises(ValueError, match="e2 names b1"):
        exemption_targets({"e2": "b1"}, adjustments)
    with pytest.raises(ValueError, match="e3 names d9"):
        exemption_targets({"e3": "d9"}, adjustments)


def test_rank_change_and_improvement_credit():
    np.testing.assert_array_equal(
        rank_change_credit([3, -1, 10], per_place=0.5, cap=2), [1.5, -0.5, 2]
    )
    np.testing.assert_allclose(
        improvement_credit([110, 90, 50], [100, 100, 0], per_percent=0.1, cap=0.5), [0.5, 0.0, 0.0]
    )
