"""Ranks: 1 is best, tied units share the best of their places (1, 2, 2, 4)."""

import numpy as np


def competition_rank(scores, higher_is_better: bool = True, tiebreak=None) -> np.ndarray:
    """Standard competition ranking of a 1-D array; NaN scores get NaN ranks.

    ``tiebreak`` (optional, same length): among equal scores, a larger tiebreak
    value ranks first; ties that remain still share a rank.
    """
    scores = np.asarray(scores, dtype=np.float64)
    keyed = scores if higher_is_better else -scores
    ranks = np.full(scores.shape, np.nan)
    present = ~np.isnan(scores)
    values = keyed[present]
    if tiebreak is None:
        # How many present units score strictly better, plus one.
        ordered = np.sort(values)
        ranks[present] = len(values) - np.searchsorted(ordered, values, side="right") + 1
        return ranks
    breaker = np.asarray(tiebreak, dtype=np.float64)[present]
    pairs = np.stack([values, breaker], axis=1)
    better = (pairs[None, :, 0] > pairs[:, None, 0]) | (
        (pairs[None, :, 0] == pairs[:, None, 0]) & (pairs[None, :, 1] > pairs[:, None, 1])
    )
    ranks[present] = better.sum(axis=1) + 1
    return ranks


def rank_within(scores, groups=None, higher_is_better: bool = True, tiebreak=None) -> np.ndarray:
    """Competition ranks inside each group (分类考核), or overall when groups is None."""
    scores = np.asarray(scores, dtype=np.float64)
    if groups is None:
        return competition_rank(scores, higher_is_better, tiebreak)
    groups = np.asarray(groups)
    out = np.full(scores.shape, np.nan)
    for group in np.unique(groups):
        rows = groups == group
        breaker = None if tiebreak is None else np.asarray(tiebreak)[rows]
        out[rows] = competition_rank(scores[rows], higher_is_better, breaker)
    return out


def rank_change(current, previous) -> np.ndarray:
    """Places gained (进位, positive) or lost (退位, negative) since the previous period."""
    return np.asarray(previous, dtype=np.float64) - np.asarray(current, dtype=np.float64)
