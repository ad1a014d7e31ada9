"""Screening, missing data, outliers, weights advice, TOPSIS/Borda/Copeland, items, roll-up, audit, explanation."""

import numpy as np
import pytest

from luoshi.evaluation.engine import aggregate, analysis, items, prepare, weights

nan = np.nan


def test_screening_flags_units_short_of_data():
    x = np.array([[1, nan, nan, 4], [1, 2, 3, 4.0]])
    assert list(prepare.availability(x)) == [0.5, 1.0]
    assert list(prepare.screen(x, threshold=0.75)) == [True, False]
    applicable = np.array([[1, 0, 0, 1], [1, 1, 1, 1]], dtype=bool)  # 不适用 is not missing
    assert list(prepare.screen(x, 0.75, applicable)) == [False, False]


def test_denominate_per_capita():
    np.testing.assert_allclose(
        prepare.denominate([[500.0, 7.0]], [[2.0, nan]], factors=10000), [[2_500_000.0, 7.0]]
    )


def test_missing_data_policies_mark_what_they_fill():
    x = np.array(
        [[10.0, nan, nan, nan], [20.0, 4.0, 1.0, 7.0], [30.0, 8.0, 3.0, nan], [nan, 6.0, 5.0, 9.0]]
    )
    groups = np.array(["a", "a", "b", "b"])
    out = prepare.impute(
        x, ["none", "mean", "zero", "carry"], groups=groups, previous=np.full(x.shape, 42.0)
    )
    assert np.isnan(out.values[3, 0])  # "none" leaves it
    assert out.values[0, 1] == 4.0  # class a mean of the present values
    assert out.values[0, 2] == 1.0  # the column's worst value: min-max makes it 0
    assert out.values[0, 3] == 42.0 and out.values[2, 3] == 42.0  # carried forward
    assert out.imputed.sum() == 4 and not out.imputed[3, 0]
    with pytest.raises(ValueError, match="unknown"):
        prepare.impute(x, ["guess"] * 4)


def test_one_extreme_value_is_winsorised_and_small_classes_are_left_alone():
    column = np.r_[np.arange(1.0, 20.0), 500.0][:, None]
    treated = prepare.treat_outliers(column)
    assert treated.treatment == ["winsorised 1"] and treated.values.max() == 19.0
    assert prepare.treat_outliers(column[-8:]).treatment == [""]  # 8 units: under 10, skipped
    # Eight extreme values: five winsorisations cannot tame them, so the column is logged.
    skewed = np.r_[np.ones(30), np.geomspace(10, 1e6, 8)][:, None]
    treated = prepare.treat_outliers(skewed)
    assert treated.treatment == ["log"] and treated.values.max() == pytest.approx(np.log(1e6))


def test_ahp_consistent_matrix_and_a_warning_when_inconsistent():
    result = weights.ahp([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    np.testing.assert_allclose(result.weights, [4 / 7, 2 / 7, 1 / 7])
    assert result.consistency_ratio == pytest.approx(0, abs=1e-9) and result.consistent
    bad = weights.ahp([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    assert bad.consistency_ratio > 0.1 and not bad.consistent
    with pytest.raises(ValueError, match="reciprocal"):
        weights.ahp([[1, 2], [2, 1]])


def test_entropy_and_critic_weights():
    x = np.array([[1, 5, 10], [1, 6, 30], [1, 7, 90.0]])
    w = weights.entropy(x)
    assert w.sum() == pytest.approx(1) and w[0] == pytest.approx(0, abs=1e-6) and w[2] > w[1]
    c = weights.critic(np.array([[1, 9, 2], [2, 7, 2.5], [3, 8, 9], [4, 1, 3.0]]))
    assert c.sum() == pytest.approx(1) and (c > 0).all()


def test_topsis_by_hand_and_the_two_normalisations():
    # Two units, two benefit criteria, equal weights: the unit best on both is at the ideal (1.0).
    np.testing.assert_allclose(aggregate.topsis([[3.0, 4.0], [1.0, 2.0]], [1, 1]), [1.0, 0.0])
    x = np.array([[7.0, 9.0, 9.0], [8.0, 7.0, 8.0], [9.0, 6.0, 8.0], [6.0, 7.0, 8.0]])
    for norm in ("vector", "minmax"):
        closeness = aggregate.topsis(x, [1, 1, 1], direction=[1, 1, -1], normalisation=norm)
        assert ((closeness >= 0) & (closeness <= 1)).all()
    with pytest.raises(ValueError):
        aggregate.topsis([[1.0, nan]], [1, 1])


def test_borda_and_copeland():
    x = np.array([[3.0, 1.0], [2.0, 3.0], [1.0, 2.0]])
    np.testing.assert_array_equal(aggregate.borda_count(x, [1, 1]), [2, 3, 1])
    np.testing.assert_array_equal(aggregate.copeland(x, [2, 1]), [2, 0, -2])


def test_appraisal_drops_extremes_and_weights_reviewer_groups():
    assert items.trimmed_mean([90, 80, 85, 10, 100]) == pytest.approx(85)
    # leaders: (80+90+85)/3 = 85 after dropping 70 and 95; others: 70 after dropping 60 and 80.
    score = items.appraisal(
        {"leaders": [70, 80, 90, 85, 95], "others": [60, 70, 80]}, {"leaders": 0.6, "others": 0.4}
    )
    assert score == pytest.approx(0.6 * 85 + 0.4 * 70)


def test_task_derived_points():
    facts = np.array([[0, 0, 0, 0, 0, 0], [1, 4, 2, 1, 3, 1], [1, 400, 0, 0, 0, 0]])
    np.testing.assert_allclose(
        items.task_points(facts, items.TaskRule()), [100, 100 - 10 - 2 - 4 - 10 - 3 - 2, 0]
    )
    np.testing.assert_allclose(
        items.unit_task_score(np.array([100.0, 80.0, 60.0]), np.array([0, 0, 2]), 3),
        [90.0, nan, 60.0],
    )


def test_roll_up_with_a_missing_period():
    months = np.array([[90.0, nan, 60.0]])
    assert analysis.roll_up(months, [1, 1, 2])[0] == pytest.approx((90 + 120) / 3)
    assert analysis.roll_up(months, [1, 1, 2], missing="zero")[0] == pytest.approx(
        (90 + 0 + 120) / 4
    )
    assert np.isnan(analysis.roll_up(months, [1, 1, 2], missing="fail")[0])


def test_audit_flags_redundant_and_conflicting_items():
    rng = np.random.default_rng(0)
    a = rng.normal(size=50)
    x = np.column_stack(
        [a, a * 2 + 0.01 * rng.normal(size=50), -a + rng.normal(size=50) * 0.5, rng.normal(size=50)]
    )
    report = analysis.audit(x, [1, 1, 1, 1], areas=["x", "y", "x", "z"])
    kinds = {(i, j): kind for i, j, _r, kind in report.flagged_pairs}
    assert kinds[(0, 1)] == "redundant" and kinds[(0, 2)] == "negative inside an area"
    assert report.rank_shift_without.shape == (4,) and (report.rank_shift_without >= 0).all()


def test_explanation_points_won_lost_strengths_and_gap():
    scores = np.array([[100.0, 50.0], [80.0, 90.0], [20.0, nan]])
    e = analysis.explain(scores, [60, 40], groups=np.array(["t", "t", "t"]))
    np.testing.assert_allclose(e.won, [[60, 20], [48, 36], [12, 0]])
    np.testing.assert_allclose(e.lost, [[0, 20], [12, 4], [48, 0]])
    # Totals 80, 84, 12: unit 1 leads; unit 0 is 4 behind it; unit 2 is 68 behind unit 0.
    np.testing.assert_allclose(e.gap_to_above, [4, 0, 68])
    assert e.contribution[0].sum() == pytest.approx(1)


@pytest.mark.parametrize("norm", ["vector", "minmax"])
def test_topsis_agrees_with_pymcdm(norm):
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import minmax_normalization, vector_normalization

    rng = np.random.default_rng(5)
    x = rng.lognormal(2, 1, size=(60, 7))
    w = rng.integers(1, 9, size=7).astype(float)
    d = np.array([1, 1, -1, 1, -1, 1, 1])
    theirs = TOPSIS(
        normalization_function={"vector": vector_normalization, "minmax": minmax_normalization}[
            norm
        ]
    )
    np.testing.assert_allclose(
        aggregate.topsis(x, w, d, norm), theirs(x, w / w.sum(), d), atol=1e-12
    )
