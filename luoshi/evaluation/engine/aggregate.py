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
