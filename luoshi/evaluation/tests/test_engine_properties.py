"""Properties the engine must hold whatever the data (hypothesis), and small worked examples."""

import subprocess
import sys

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from luoshi.evaluation.engine import aggregate, normalise, ranking
from luoshi.evaluation.engine.uncertainty import monte_carlo, monte_carlo_loop

# Values as offices report them: up to a million, to one decimal (no subnormal corner cases).
finite = st.integers(-10_000_000, 10_000_000).map(lambda v: v / 10)


def matrices(min_units=3, max_units=12, indicators=4):
    return st.integers(min_units, max_units).flatmap(
        lambda n: arrays(np.float64, (n, indicators), elements=finite, unique=False)
    )


def pipeline(x, weights, direction):
    scores = aggregate.arithmetic(normalise.minmax(x, direction), weights)
    return scores, ranking.competition_rank(scores)


@settings(max_examples=60, deadline=None)
@given(matrices(), st.randoms(use_true_random=False))
def test_the_order_of_units_never_changes_a_result(x, rnd):
    weights, direction = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, -1.0, 1.0, 1.0])
    order = list(range(x.shape[0]))
    rnd.shuffle(order)
    scores, ranks = pipeline(x, weights, direction)
    shuffled_scores, shuffled_ranks = pipeline(x[order], weights, direction)
    np.testing.assert_array_equal(shuffled_scores, scores[order])
    np.testing.assert_array_equal(shuffled_ranks, ranks[order])


@settings(max_examples=60, deadline=None)
@given(matrices(), st.integers(0, 11), st.floats(0.001, 1e5))
def test_improving_on_a_benefit_indicator_never_loses_points(x, unit, gain):
    unit %= x.shape[0]
    weights, direction = np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4)
    before = pipeline(x, weights, direction)[0][unit]
    better = x.copy()
    better[unit, 0] += gain
    after = pipeline(better, weights, direction)[0][unit]
    if not np.isnan(before):
        assert after >= before - 1e-9


@settings(max_examples=60, deadline=None)
@given(matrices(), st.floats(0.01, 1000), st.floats(-1e5, 1e5))
def test_rescaling_an_indicator_leaves_min_max_scores_unchanged(x, scale, shift):
    rescaled = x.copy()
    rescaled[:, 2] = rescaled[:, 2] * scale + shift
    np.testing.assert_allclose(
        normalise.minmax(rescaled), normalise.minmax(x), rtol=1e-6, atol=1e-6
    )


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 30), elements=st.sampled_from([1.0, 2.0, 3.0, 5.0, np.nan]))
)
def test_ranks_are_one_plus_the_number_strictly_better(scores):
    ranks = ranking.competition_rank(scores)
    for i, s in enumerate(scores):
        if np.isnan(s):
            assert np.isnan(ranks[i])
        else:
            assert ranks[i] == 1 + np.sum(scores[~np.isnan(scores)] > s)


def test_ties_share_the_best_place_and_a_tiebreak_splits_them():
    np.testing.assert_array_equal(ranking.competition_rank([90, 80, 80, 70]), [1, 2, 2, 4])
    np.testing.assert_array_equal(
        ranking.competition_rank([90, 80, 80, 70], tiebreak=[0, 1, 2, 0]), [1, 3, 2, 4]
    )
    np.testing.assert_array_equal(
        ranking.rank_within([5, 9, 7, 1], groups=["t", "t", "d", "d"]), [2, 1, 1, 2]
    )
    np.testing.assert_array_equal(ranking.rank_change(current=[1, 3], previous=[2, 1]), [1, -2])


def test_missing_values_drop_out_and_weights_renormalise():
    values = np.array([[80.0, np.nan, 60.0], [np.nan, np.nan, np.nan]])
    # (80·1 + 60·3) / (1 + 3) = 65: the missing middle indicator neither counts as zero nor keeps its weight.
    np.testing.assert_array_equal(aggregate.arithmetic(values, [1, 2, 3]), [65.0, np.nan])
    np.testing.assert_allclose(aggregate.geometric([[4.0, 16.0]], [1, 1]), [8.0])
    np.testing.assert_allclose(aggregate.generalised([[4.0, 16.0]], [1, 1], p=1), [10.0])


def test_scoring_rules_worked_by_hand():
    # 功效系数: x 80 between 不允许值 50 and 满意值 100 → 60 + 40 × 30/50 = 84; clamped above 100.
    np.testing.assert_allclose(normalise.efficacy([[80.0], [120.0]], 50, 100), [[84.0], [100.0]])
    np.testing.assert_allclose(normalise.efficacy([[120.0]], 50, 100, clamp=False), [[116.0]])
    # Lower is better (e.g. accidents): satisfactory 2, unacceptable 10; x 4 → 60 + 40 × (4−10)/(2−10) = 90.
    np.testing.assert_allclose(normalise.efficacy([[4.0]], 10, 2), [[90.0]])
    # Target completion capped at 120: 90/100 → 90; 150/100 → 120.
    np.testing.assert_allclose(
        normalise.target_ratio([[90.0], [150.0]], 100, cap=120), [[90.0], [120.0]]
    )
    # Goalposts fixed for the year: 0–50 % scale; 30 % → 60; 70 % clamps to 100.
    np.testing.assert_allclose(normalise.goalposts([[30.0], [70.0]], 0, 50), [[60.0], [100.0]])
    # Rank to points: 1st 60, 2nd 57, tied 2nd 57, 4th 51.
    np.testing.assert_allclose(
        normalise.rank_points([[9.0], [7.0], [7.0], [1.0]]), [[60], [57], [57], [51]]
    )
    np.testing.assert_allclose(
        normalise.distance_to_target([[80.0], [110.0]], 100), [[20.0], [0.0]]
    )


def test_monte_carlo_vectorised_equals_the_loop_that_recomputes_every_draw():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 6))
    x[rng.random(x.shape) < 0.05] = np.nan
    args = dict(direction=np.ones(6), weights=np.arange(1, 7.0), draws=120, seed=11)
    fast, slow = monte_carlo(x, **args), monte_carlo_loop(x, **args)
    np.testing.assert_allclose(fast.ranks, slow.ranks)
    assert np.all(fast.low <= fast.median) and np.all(fast.median <= fast.high)


def test_a_clear_leader_has_a_narrow_interval():
    x = np.array([[100.0, 100.0, 100.0]] + [[float(i), float(10 - i), 5.0] for i in range(9)])
    interval = monte_carlo(x, np.ones(3), np.ones(3), draws=300, seed=1)
    assert interval.median[0] == 1 and interval.high[0] == 1


def test_the_engine_never_imports_django():
    code = (
        "import sys, luoshi.evaluation.engine.coinr, luoshi.evaluation.engine.uncertainty; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
