"""Scoring rules that turn raw values into comparable scores, column by column.

Every function takes a 2-D array (units × indicators), returns one of the same
shape, and keeps missing values (NaN) missing. ``direction`` is +1 where higher
is better and -1 where lower is better; it is applied first, as COINr does.
"""

import warnings

import numpy as np


def _columns(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return x[:, None] if x.ndim == 1 else x


def _directed(x, direction) -> np.ndarray:
    return _columns(x) * np.asarray(direction if direction is not None else 1.0, dtype=np.float64)


def minmax(x, direction=None, low: float = 0.0, high: float = 100.0) -> np.ndarray:
    """Scale each column to [low, high] between its min and max (COINr n_minmax).

    A column with no spread has no information to scale: it comes out NaN, as in COINr.
    """
    x = _directed(x, direction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns, zero spread
        lo, hi = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
        return (x - lo) / (hi - lo) * (high - low) + low


def zscore(x, direction=None, mean: float = 0.0, sd: float = 1.0) -> np.ndarray:
    """Standardise each column: sample standard deviation, like R's sd() (COINr n_zscore)."""
    x = _directed(x, direction)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mu, sigma = np.nanmean(x, axis=0), np.nanstd(x, axis=0, ddof=1)
        return (x - mu) / sigma * sd + mean


def rank_min(x, direction=None) -> np.ndarray:
    """Rank each column ascending, ties sharing the lowest rank, missing kept (R rank ties='min')."""
    x = _directed(x, direction)
    out = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        column = x[:, j]
        present = ~np.isnan(column)
        values = column[present]
        # searchsorted on the sorted values gives, for each value, how many are smaller.
        out[present, j] = np.searchsorted(np.sort(values), values, side="left") + 1
    return out


def percentile_rank(x, direction=None) -> np.ndarray:
    """Share of other units scoring strictly lower, 0–100 (COINr n_prank scaled to 100)."""
    ranks = rank_min(x, direction)
    counts = np.sum(~np.isnan(ranks), axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return 100.0 * (ranks - 1) / (counts - 1)


def borda(x, direction=None) -> np.ndarray:
    """Borda points: how many units each one beats (rank − 1)."""
    return rank_min(x, direction) - 1


def goalposts(x, low, high, direction=None, scale: float = 100.0, clamp: bool = True) -> np.ndarray:
    """Scale between fixed goalposts for the year, so periods compare (and clamp, if declared)."""
    x = _columns(x)
    direction = np.asarray(direction if direction is not None else 1.0, dtype=np.float64)
    low, high = np.asarray(low, dtype=np.float64), np.asarray(high, dtype=np.float64)
    # For a lower-is-better indicator the "high" goalpost is the good end.
    score = np.where(direction >= 0, (x - low) / (high - low), (high - x) / (high - low)) * scale
    return np.clip(score, 0.0, scale) if clamp else score


def efficacy(
    x, unacceptable, satisfactory, clamp: bool = True, base: float = 60.0, span: float = 40.0
):
    """功效系数: 60 + 40 · (x − 不允许值) / (满意值 − 不允许值).

    The direction is carried by the two values themselves: for a lower-is-better
    indicator the satisfactory value is the smaller one. Clamping to [base,
    base + span] is a declared choice, not an assumption.
    """
    x = _columns(x)
    u, s = np.asarray(unacceptable, dtype=np.float64), np.asarray(satisfactory, dtype=np.float64)
    score = base + span * (x - u) / (s - u)
    return np.clip(score, base, base + span) if clamp else score


def target_ratio(x, target, cap: float = 100.0, direction=None) -> np.ndarray:
    """Completion against a target: min(cap, 100 · x / target); for lower-is-better, 100 · target / x."""
    x = _columns(x)
    target = np.asarray(target, dtype=np.float64)
    direction = np.asarray(direction if direction is not None else 1.0, dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ratio = np.where(direction >= 0, 100.0 * x / target, 100.0 * target / x)
    return np.minimum(cap, ratio)


def distance_to_target(x, target, direction=None) -> np.ndarray:
    """How far short of the target, as a share of the target (0 when met or exceeded)."""
    x = _columns(x)
    target = np.asarray(target, dtype=np.float64)
    direction = np.asarray(direction if direction is not None else 1.0, dtype=np.float64)
    shortfall = np.where(direction >= 0, target - x, x - target)
    return 100.0 * np.maximum(shortfall, 0.0) / np.abs(target)


def rank_points(x, direction=None, first: float = 60.0, step: float = 3.0, floor: float = 0.0):
    """Rank-to-points steps: rank 1 → first, rank 2 → first − step … never below floor."""
    ranks = rank_min(x, direction=-1.0 if direction is None else -np.asarray(direction))
    return np.maximum(first - step * (ranks - 1), floor)


METHODS = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank_min,
    "prank": percentile_rank,
    "borda": borda,
}
