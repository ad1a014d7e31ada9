"""Before scoring: screening, denomination, missing data and outliers (steps 1–4).

Each function returns what it changed alongside the data, so a run can store
which cells were imputed or treated and a scorecard can say so.
"""

from dataclasses import dataclass

import numpy as np

from .groups import by_group


def availability(x, applicable=None) -> np.ndarray:
    """Share of the applicable indicators each unit has a value for (0–1)."""
    x = np.asarray(x, dtype=np.float64)
    applicable = (
        np.ones(x.shape, dtype=bool) if applicable is None else np.asarray(applicable, dtype=bool)
    )
    counts = applicable.sum(axis=1)
    present = (~np.isnan(x) & applicable).sum(axis=1)
    return np.where(counts > 0, present / np.maximum(counts, 1), 0.0)


def screen(x, threshold: float, applicable=None) -> np.ndarray:
    """Units below the declared data availability: flagged, never silently scored."""
    return availability(x, applicable) < threshold


def denominate(x, denominators, factors=1.0) -> np.ndarray:
    """Per capita, per km², per 万元: x / denominator × factor, column by column where declared.

    ``denominators`` is units × indicators (NaN where an indicator is not denominated).
    """
    x, d = np.asarray(x, dtype=np.float64), np.asarray(denominators, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isnan(d), x, x / d * factors)


@dataclass
class Imputed:
    values: np.ndarray
    imputed: np.ndarray  # bool mask of the cells that were filled


def impute(x, policies: list[str], groups=None, previous=None) -> Imputed:
    """Fill missing cells by each column's declared policy.

    "none" leaves it missing (the aggregate then drops it), "zero" scores it 0
    after normalisation (filled here with the column's worst value, which
    min-max turns into 0), "mean" / "median" use the unit's class, "carry"
    takes the previous period's value (``previous``, same shape).
    """
    x = np.asarray(x, dtype=np.float64).copy()
    missing = np.isnan(x)
    for j, policy in enumerate(policies):
        column = x[:, j]
        holes = np.isnan(column)
        if not holes.any() or policy == "none":
            continue
        if policy == "zero":
            column[holes] = np.nanmin(column) if (~holes).any() else 0.0
        elif policy in ("mean", "median"):
            stat = np.nanmean if policy == "mean" else np.nanmedian
            filled = by_group(_fill_with, column[:, None], groups, stat=stat)[:, 0]
            column[holes] = filled[holes]
        elif policy == "carry":
            if previous is None:
                raise ValueError(f"column {j}: 'carry' needs the previous period's values")
            column[holes] = np.asarray(previous, dtype=np.float64)[holes, j]
        else:
            raise ValueError(f"column {j}: unknown missing-data policy {policy!r}")
    return Imputed(x, missing & ~np.isnan(x))


def _fill_with(block, stat):
    return np.where(np.isnan(block), stat(block, axis=0), block)


def skew_kurtosis(column) -> tuple[float, float]:
    """Sample skewness and excess kurtosis with the usual bias corrections (as R's e1071 type 2)."""
    v = np.asarray(column, dtype=np.float64)
    v = v[~np.isnan(v)]
    n = v.size
    if n < 4:
        return 0.0, 0.0
    d = v - v.mean()
    m2, m3, m4 = (d**2).mean(), (d**3).mean(), (d**4).mean()
    if m2 == 0:
        return 0.0, 0.0
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3
    skew = g1 * np.sqrt(n * (n - 1)) / (n - 2)
    kurt = ((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(skew), float(kurt)


@dataclass
class Treated:
    values: np.ndarray
    treatment: list[str]  # per column: "", "winsorised N", "log"


def treat_outliers(
    x, groups=None, *, skew_limit=2.0, kurt_limit=3.5, max_winsor=5, min_class=10
) -> Treated:
    """COINr's default: while |skew| > 2 and kurtosis > 3.5, winsorise the most extreme
    value (up to 5 points); if that is not enough, log-transform instead. Skipped for
    classes under 10 units, where one unit is not an outlier but a tenth of the class."""
    x = np.asarray(x, dtype=np.float64).copy()
    notes = [""] * x.shape[1]
    blocks = (
        [np.arange(x.shape[0])]
        if groups is None
        else [np.flatnonzero(np.asarray(groups) == g) for g in np.unique(groups)]
    )
    for rows in blocks:
        if rows.size < min_class:
            continue
        for j in range(x.shape[1]):
            column = x[rows, j].copy()
            treated = 0
            skew, kurt = skew_kurtosis(column)
            while abs(skew) > skew_limit and kurt > kurt_limit and treated < max_winsor:
                present = column[~np.isnan(column)]
                ordered = np.sort(present)
                if skew > 0:  # cap the highest at the next highest
                    column[column == ordered[-1]] = ordered[-2]
                else:
                    column[column == ordered[0]] = ordered[1]
                treated += 1
                skew, kurt = skew_kurtosis(column)
            if abs(skew) > skew_limit and kurt > kurt_limit:
                original = x[rows, j]
                shift = 1 - np.nanmin(original) if np.nanmin(original) < 1 else 0.0
                x[rows, j] = np.log(original + shift)
                notes[j] = "log"
            elif treated:
                x[rows, j] = column
                notes[j] = f"winsorised {treated}"
    return Treated(x, notes)
