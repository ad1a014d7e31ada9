"""Advice on weights when a scheme is designed: AHP, entropy, CRITIC.

Offered as advice and frozen once chosen: weights that move with the cohort
reorder ranks when a unit is added.
"""

from dataclasses import dataclass

import numpy as np

# Saaty's random consistency index for n = 1..10.
RANDOM_INDEX = [0.0, 0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


@dataclass
class AHP:
    weights: np.ndarray
    consistency_ratio: float

    @property
    def consistent(self) -> bool:
        return self.consistency_ratio <= 0.1


def ahp(pairwise) -> AHP:
    """Principal eigenvector of a reciprocal pairwise matrix, and Saaty's consistency ratio."""
    a = np.asarray(pairwise, dtype=np.float64)
    n = a.shape[0]
    if a.shape != (n, n) or not np.allclose(a * a.T, 1.0):
        raise ValueError("the pairwise matrix must be square and reciprocal (a[j,i] = 1 / a[i,j])")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    w = np.abs(vectors[:, k].real)
    w /= w.sum()
    lam = values[k].real
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX[n] if n < len(RANDOM_INDEX) else RANDOM_INDEX[-1]
    return AHP(w, ci / ri if ri else 0.0)


def _shares(x):
    x = np.asarray(x, dtype=np.float64)
    shifted = x - np.nanmin(x, axis=0) + 1e-12  # entropy needs non-negative shares
    return shifted / np.nansum(shifted, axis=0)


def entropy(x) -> np.ndarray:
    """Entropy weights: indicators that separate units more weigh more."""
    p = _shares(x)
    n = np.sum(~np.isnan(p), axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = -np.nansum(np.where(p > 0, p * np.log(p), 0.0), axis=0) / np.log(n)
    d = 1 - e
    return d / d.sum()


def critic(x) -> np.ndarray:
    """CRITIC: contrast (standard deviation of min-max scores) × conflict (Σ 1 − r)."""
    from .normalise import minmax

    z = minmax(x, low=0.0, high=1.0)
    sd = np.nanstd(z, axis=0, ddof=1)
    complete = z[~np.isnan(z).any(axis=1)]
    r = np.corrcoef(complete, rowvar=False)
    c = sd * np.sum(1 - r, axis=0)
    return c / c.sum()
