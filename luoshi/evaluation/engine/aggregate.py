"""Aggregation of scores into one per unit, with missing scores dropped.

A unit's weights are renormalised over the indicators it has a score for, so a
missing value neither counts as zero nor shifts the others' weight silently:
COINr's behaviour for a_amean / a_gmean with na.rm = TRUE.
"""

import warnings

import numpy as np


def _prepare(values, weights):
    values = np.asarray(values, dtype=np.float64)
    weights = np.broadcast_to(np.asarray(weights, dtype=np.float64), values.shape[-1:])
    present = ~np.isnan(values)
    return values, weights, present


def arithmetic(values, weights) -> np.ndarray:
    """Σ wᵢxᵢ / Σ wᵢ over the present values of each row; NaN where none is present."""
    values, weights, present = _prepare(values, weights)
    numerator = np.where(present, values, 0.0) @ weights
    denominator = present @ weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(denominator > 0, numerator / denominator, np.nan)


def geometric(values, weights) -> np.ndarray:
    """exp(Σ wᵢ ln xᵢ / Σ wᵢ); every present value must be positive (as COINr requires)."""
    values, weights, present = _prepare(values, weights)
    if np.any(values[present] <= 0):
        raise ValueError(
            "the geometric mean needs positive values; rescale (e.g. min-max to [1, 100]) first"
        )
    logs = np.where(present, np.log(np.where(present, values, 1.0)), 0.0)
    denominator = present @ weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(denominator > 0, np.exp(logs @ weights / denominator), np.nan)


def generalised(values, weights, p: float) -> np.ndarray:
    """(Σ wᵢxᵢᵖ / Σ wᵢ)^(1/p); p = 1 is arithmetic, p → 0 geometric, p = −1 harmonic."""
    if p == 0:
        return geometric(values, weights)
    values, weights, present = _prepare(values, weights)
    if p < 0 and np.any(values[present] <= 0):
        raise ValueError("a negative power needs positive values")
    powered = np.where(present, np.where(present, values, 1.0) ** p, 0.0)
    denominator = present @ weights
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(denominator > 0, (powered @ weights / denominator) ** (1.0 / p), np.nan)


METHODS = {"arithmetic": arithmetic, "geometric": geometric}


def topsis(values, weights, direction=None, normalisation: str = "vector") -> np.ndarray:
    """TOPSIS closeness to the ideal (0–1). Say which normalisation: "vector" (x/‖x‖) or
    "minmax"; they can disagree on the order. Missing values are not allowed here."""
    x = np.asarray(values, dtype=np.float64)
    if np.isnan(x).any():
        raise ValueError("TOPSIS needs complete data; impute first")
    direction = np.broadcast_to(
        np.asarray(1.0 if direction is None else direction, dtype=np.float64), x.shape[1:]
    )
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    if normalisation == "vector":
        r = x / np.sqrt((x**2).sum(axis=0))
    elif normalisation == "minmax":
        lo, hi = x.min(axis=0), x.max(axis=0)
        r = (x - lo) / np.where(hi > lo, hi - lo, 1.0)
    else:
        raise ValueError(f"unknown TOPSIS normalisation {normalisation!r}")
    v = r * w
    best = np.where(direction > 0, v.max(axis=0), v.min(axis=0))
    worst = np.where(direction > 0, v.min(axis=0), v.max(axis=0))
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.where(d_best + d_worst > 0, d_worst / (d_best + d_worst), 0.5)


def borda_count(values, weights) -> np.ndarray:
    """Weighted Borda: Σ wᵢ · (units beaten on indicator i); missing scores beat nobody."""
    x = np.asarray(values, dtype=np.float64)
    points = np.zeros(x.shape)
    for j in range(x.shape[1]):
        column = x[:, j]
        present = ~np.isnan(column)
        ordered = np.sort(column[present])
        points[present, j] = np.searchsorted(ordered, column[present], side="left")
    return points @ np.asarray(weights, dtype=np.float64)


def copeland(values, weights) -> np.ndarray:
    """Copeland: for each pair of units, who wins the weighted majority of indicators;
    score = wins − losses. Quadratic in units: meant for a class, not a province."""
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    both = ~np.isnan(x)[:, None, :] & ~np.isnan(x)[None, :, :]
    better = np.where(both & (x[:, None, :] > x[None, :, :]), w, 0.0).sum(axis=2)
    worse = np.where(both & (x[:, None, :] < x[None, :, :]), w, 0.0).sum(axis=2)
    return np.sign(better - worse).sum(axis=1)
