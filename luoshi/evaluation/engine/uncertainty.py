"""Monte Carlo over the modelling choices, vectorised.

Each draw perturbs every weight by up to ±spread, picks a normalisation and an
aggregation. All draws sharing a normalisation and an aggregation are computed
with one matrix product, so 1,000 draws cost a handful of products, not 1,000
rebuilds. The result per unit: the median rank and the 5–95 % rank interval,
which tells a reader which rank differences are real.
"""

from dataclasses import dataclass

import numpy as np

from . import normalise
from .groups import by_group


@dataclass
class RankInterval:
    median: np.ndarray
    low: np.ndarray  # 5th percentile of the rank
    high: np.ndarray  # 95th percentile
    ranks: np.ndarray  # units × draws


def _positive(v: np.ndarray) -> np.ndarray:
    # Geometric means need positive values: rescale each column to [1, 100], order kept.
    return normalise.minmax(v, low=1.0, high=100.0)


def _normalised(x, direction, method, groups):
    return by_group(normalise.METHODS[method], x, groups, direction=direction)


def _ordinal_ranks(scores: np.ndarray, groups) -> np.ndarray:
    """Ranks per column (1 = highest score), within groups; NaN scores stay NaN.

    Ties get consecutive ranks in no declared order: with continuous perturbed
    weights they occur with probability zero, and the interval is a spread, not
    a published rank.
    """
    ranks = np.full(scores.shape, np.nan)
    blocks = (
        [np.arange(scores.shape[0])]
        if groups is None
        else [np.flatnonzero(groups == g) for g in np.unique(groups)]
    )
    for rows in blocks:
        block = scores[rows]
        keyed = np.where(np.isnan(block), -np.inf, block)
        order = np.argsort(-keyed, axis=0)
        block_ranks = np.empty(block.shape)
        np.put_along_axis(
            block_ranks, order, np.arange(1, len(rows) + 1, dtype=np.float64)[:, None], axis=0
        )
        ranks[rows] = np.where(np.isnan(block), np.nan, block_ranks)
    return ranks


def monte_carlo(
    x,
    direction,
    weights,
    *,
    draws: int = 1000,
    seed: int = 0,
    spread: float = 0.25,
    normalisations=("minmax", "zscore", "rank"),
    aggregations=("arithmetic", "geometric"),
    groups=None,
) -> RankInterval:
    x = np.asarray(x, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    rng = np.random.default_rng(seed)
    drawn_weights = weights * rng.uniform(1 - spread, 1 + spread, size=(draws, weights.size))
    which_norm = rng.integers(len(normalisations), size=draws)
    which_agg = rng.integers(len(aggregations), size=draws)
    scores = np.full((x.shape[0], draws), np.nan)
    for n, method in enumerate(normalisations):
        values = _normalised(x, direction, method, groups)
        present = ~np.isnan(values)
        for a, aggregation in enumerate(aggregations):
            chosen = np.flatnonzero((which_norm == n) & (which_agg == a))
            if chosen.size == 0:
                continue
            w = drawn_weights[chosen].T  # indicators × chosen draws
            denominator = present @ w
            if aggregation == "geometric":
                logs = np.where(present, np.log(np.where(present, _positive(values), 1.0)), 0.0)
                scores[:, chosen] = np.exp(logs @ w / denominator)
            else:
                scores[:, chosen] = np.where(present, values, 0.0) @ w / denominator
    ranks = _ordinal_ranks(scores, groups)
    return _interval(ranks)


def _interval(ranks: np.ndarray) -> RankInterval:
    # np.percentile on complete rows is one partition; nanpercentile loops row by row.
    low, median, high = np.full((3, ranks.shape[0]), np.nan)
    complete = ~np.isnan(ranks).any(axis=1)
    low[complete], median[complete], high[complete] = np.percentile(
        ranks[complete], [5, 50, 95], axis=1
    )
    partial = np.flatnonzero(~complete & ~np.isnan(ranks).all(axis=1))
    if partial.size:
        low[partial], median[partial], high[partial] = np.nanpercentile(
            ranks[partial], [5, 50, 95], axis=1
        )
    return RankInterval(median=median, low=low, high=high, ranks=ranks)


def monte_carlo_loop(
    x,
    direction,
    weights,
    *,
    draws=1000,
    seed=0,
    spread=0.25,
    normalisations=("minmax", "zscore", "rank"),
    aggregations=("arithmetic", "geometric"),
    groups=None,
) -> RankInterval:
    """The straightforward version, rebuilding everything for every draw: the benchmark's baseline
    and the tests' reference (same random draws, so the same answer)."""
    from . import aggregate

    x = np.asarray(x, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    rng = np.random.default_rng(seed)
    drawn_weights = weights * rng.uniform(1 - spread, 1 + spread, size=(draws, weights.size))
    which_norm = rng.integers(len(normalisations), size=draws)
    which_agg = rng.integers(len(aggregations), size=draws)
    scores = np.full((x.shape[0], draws), np.nan)
    for d in range(draws):
        values = _normalised(x, direction, normalisations[which_norm[d]], groups)
        if aggregations[which_agg[d]] == "geometric":
            scores[:, d] = aggregate.geometric(_positive(values), drawn_weights[d])
        else:
            scores[:, d] = aggregate.arithmetic(values, drawn_weights[d])
    return _interval(_ordinal_ranks(scores, groups))
