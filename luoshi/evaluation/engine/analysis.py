"""After scoring: roll-up over periods, the statistical audit, and the per-unit explanation."""

from dataclasses import dataclass

import numpy as np

from . import aggregate, ranking


def roll_up(period_scores, weights, missing: str = "renormalise") -> np.ndarray:
    """Month → quarter → year: units × periods with declared weights.

    ``missing``: "renormalise" (the other periods' weights rescale), "zero" (a
    missing period counts 0), or "fail" (the roll-up is missing too).
    """
    s = np.asarray(period_scores, dtype=np.float64)
    if missing == "zero":
        s = np.nan_to_num(s, nan=0.0)
    elif missing == "fail":
        return np.where(np.isnan(s).any(axis=1), np.nan, s @ np.asarray(weights) / np.sum(weights))
    return aggregate.arithmetic(s, weights)


@dataclass
class AuditReport:
    mean: np.ndarray
    sd: np.ndarray
    missing_share: np.ndarray
    correlations: np.ndarray
    flagged_pairs: list[tuple[int, int, float, str]]
    rank_shift_without: np.ndarray  # indicators: mean absolute rank shift when left out


def audit(scores, weights, areas=None, high: float = 0.9, negative: float = -0.4) -> AuditReport:
    """Item statistics, correlations (flag |r| > ``high``, and r < ``negative`` inside one
    area: items of one area should pull the same way; a slightly negative r between
    unrelated items is noise, hence a threshold), and the mean rank shift when each item
    is left out."""
    x = np.asarray(scores, dtype=np.float64)
    complete = x[~np.isnan(x).any(axis=1)]
    r = (
        np.corrcoef(complete, rowvar=False)
        if complete.shape[0] > 2
        else np.full((x.shape[1],) * 2, np.nan)
    )
    flagged = []
    for i in range(x.shape[1]):
        for j in range(i + 1, x.shape[1]):
            if abs(r[i, j]) > high:
                flagged.append((i, j, float(r[i, j]), "redundant"))
            elif areas is not None and areas[i] == areas[j] and r[i, j] < negative:
                flagged.append((i, j, float(r[i, j]), "negative inside an area"))
    base = ranking.competition_rank(aggregate.arithmetic(x, weights))
    shifts = np.zeros(x.shape[1])
    for j in range(x.shape[1]):
        w = np.array(weights, dtype=np.float64)
        w[j] = 0.0
        shifts[j] = np.nanmean(np.abs(ranking.competition_rank(aggregate.arithmetic(x, w)) - base))
    return AuditReport(
        np.nanmean(x, axis=0),
        np.nanstd(x, axis=0, ddof=1),
        np.isnan(x).mean(axis=0),
        r,
        flagged,
        shifts,
    )


def fairness(scores, covariate, groups=None) -> dict:
    """Does the score follow size (population, area) or class more than performance?
    Correlation with the covariate, and each class's mean score."""
    s, c = np.asarray(scores, dtype=np.float64), np.asarray(covariate, dtype=np.float64)
    ok = ~np.isnan(s) & ~np.isnan(c)
    out = {
        "correlation_with_size": float(np.corrcoef(s[ok], c[ok])[0, 1])
        if ok.sum() > 2
        else float("nan")
    }
    if groups is not None:
        g = np.asarray(groups)
        out["class_means"] = {str(k): float(np.nanmean(s[g == k])) for k in np.unique(g)}
    return out


@dataclass
class Explanation:
    won: np.ndarray  # points won per item (units × items)
    lost: np.ndarray
    contribution: np.ndarray  # share of the total
    strengths: list[list[int]]  # items where the unit is in its class's top 3
    weaknesses: list[list[int]]  # bottom 3
    gap_to_above: np.ndarray  # points behind the unit ranked just above (0 for the first)


def explain(item_scores, item_points, groups=None) -> Explanation:
    """Per unit and item: item_scores are 0–100, item_points the item's full points.
    Points won = points × score / 100; lost = points − won (missing: neither)."""
    s = np.asarray(item_scores, dtype=np.float64)
    p = np.asarray(item_points, dtype=np.float64)
    won = np.where(np.isnan(s), 0.0, p * s / 100.0)
    lost = np.where(np.isnan(s), 0.0, p - won)
    total = won.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        contribution = np.where(total[:, None] > 0, won / total[:, None], 0.0)
    item_ranks = np.column_stack([ranking.rank_within(s[:, j], groups) for j in range(s.shape[1])])
    size = (
        np.array([np.sum(groups == g) for g in groups])
        if groups is not None
        else np.full(len(s), len(s))
    )
    strengths = [list(np.flatnonzero(item_ranks[i] <= 3)) for i in range(len(s))]
    weaknesses = [list(np.flatnonzero(item_ranks[i] > size[i] - 3)) for i in range(len(s))]
    ranks = ranking.rank_within(total, groups)
    gap = np.zeros(len(s))
    for i in range(len(s)):
        peers = np.flatnonzero(
            (np.asarray(groups) == groups[i]) if groups is not None else np.ones(len(s), bool)
        )
        above = total[peers][ranks[peers] < ranks[i]]
        gap[i] = (above.min() - total[i]) if above.size else 0.0
    return Explanation(won, lost, contribution, strengths, weaknesses, gap)
