"""Worked examples from published sources, each cited; the expected numbers are the
source's, recomputed by hand in the comments, never taken from the engine."""

import numpy as np
import pytest

from luoshi.evaluation.engine.aggregate import borda_count, copeland
from luoshi.evaluation.engine.grades import BandError, check_bands, parse_band
from luoshi.evaluation.engine.ranking import competition_rank
from luoshi.evaluation.engine.weights import ahp

# The Tennessee capital example of Wikipedia's "Borda count" and "Copeland's method"
# articles: 100 voters choose among four cities, preferences by where they live.
#   42 % Memphis > Nashville > Chattanooga > Knoxville
#   26 % Nashville > Chattanooga > Knoxville > Memphis
#   15 % Chattanooga > Knoxville > Nashville > Memphis
#   17 % Knoxville > Chattanooga > Nashville > Memphis
# As an evaluation: cities are units, each voter group an indicator weighted by its share,
# the value the number of cities ranked below (3 for first place … 0 for last).
CITIES = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
SHARES = [42, 26, 15, 17]
PLACES = np.array(
    [
        # Memphis voters, Nashville voters, Chattanooga voters, Knoxville voters
        [3, 0, 0, 0],  # Memphis
        [2, 3, 1, 1],  # Nashville
        [1, 2, 3, 2],  # Chattanooga
        [0, 1, 2, 3],  # Knoxville
    ],
    dtype=float,
)


def test_borda_count_tennessee():
    # By hand: Memphis 42·3 = 126; Nashville 42·2 + 26·3 + 15 + 17 = 194;
    # Chattanooga 42 + 26·2 + 15·3 + 17·2 = 173; Knoxville 26 + 15·2 + 17·3 = 107.
    assert borda_count(PLACES, SHARES).tolist() == [126, 194, 173, 107]
    ranks = competition_rank(borda_count(PLACES, SHARES))
    assert [CITIES[i] for i in np.argsort(ranks)] == [
        "Nashville",
        "Chattanooga",
        "Memphis",
        "Knoxville",
    ]


def test_copeland_tennessee():
    # Pairwise majorities: Nashville beats each of the others 58–42 or 68–32 (the Condorcet
    # winner); Chattanooga beats Memphis (58–42) and Knoxville (83–17); Knoxville beats
    # Memphis (58–42). Copeland score = wins − losses: 3, 1, −1, −3.
    assert copeland(PLACES, SHARES).tolist() == [-3, 3, 1, -1]


def test_standard_competition_ranking():
    # Wikipedia, "Ranking", standard competition ranking ("1224"): A ahead of B and C,
    # who compare equal, both ahead of D.
    assert competition_rank(np.array([4.0, 3.0, 3.0, 1.0])).tolist() == [1, 2, 2, 4]


@pytest.mark.parametrize(
    "wording, score, inside",
    [
        ("90分以上", 90, True),  # 以上 includes the number
        ("60分以下", 60, True),  # 以下 includes it
        ("100分以内", 100, True),  # 以内 includes it
        ("超过90分", 90, False),  # 超过 excludes it
        ("不满60分", 60, False),  # 不满 excludes it
    ],
)
def test_band_wording_follows_the_civil_code(wording, score, inside):
    # 《中华人民共和国民法典》第一千二百五十九条: 民法所称的“以上”、“以下”、“以内”、“届满”，
    # 包括本数；所称的“不满”、“超过”、“以外”，不包括本数。
    assert parse_band("x", wording).contains(score) is inside


def test_a_band_set_that_leaves_the_boundary_nowhere_is_refused():
    # Under the same article, "超过90分" and "不满90分" both exclude 90: a score of exactly
    # 90 would have no grade, a common drafting slip the editor must catch.
    with pytest.raises(BandError) as e:
        check_bands([parse_band("优秀", "超过90分"), parse_band("良好", "不满90分")])
    assert e.value.kind == "neither" and e.value.params["value"] == "90"


def test_ahp_consistency_ratio_uses_saatys_random_index():
    # Saaty, T.L. (1990), "How to make a decision: the analytic hierarchy process",
    # European Journal of Operational Research 48, 9–26: CI = (λmax − n) / (n − 1),
    # CR = CI / RI with RI = 0.58 for n = 3 and 0.90 for n = 4; CR ≤ 0.1 is acceptable.
    a = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    lam = max(np.linalg.eigvals(a).real)  # computed here, apart from the engine
    expected = ((lam - 3) / 2) / 0.58
    result = ahp(a)
    assert result.consistency_ratio == pytest.approx(expected, rel=1e-12)
    assert result.consistency_ratio < 0.1 and result.weights.argmax() == 0
    # A perfectly consistent matrix (a_ij = w_i / w_j) returns its weights and CR 0.
    w = np.array([0.5, 0.25, 0.125, 0.125])
    consistent = ahp(w[:, None] / w[None, :])
    np.testing.assert_allclose(consistent.weights, w, atol=1e-12)
    assert abs(consistent.consistency_ratio) < 1e-12
