"""Applying a per-column function within groups of rows (分类考核: within class)."""

import numpy as np


def by_group(function, x: np.ndarray, groups: np.ndarray | None, **kwargs) -> np.ndarray:
    """``function(x_block)`` for each group's rows; the whole matrix when groups is None."""
    if groups is None:
        return function(x, **kwargs)
    out = np.full(x.shape, np.nan)
    for group in np.unique(groups):
        rows = groups == group
        out[rows] = function(x[rows], **kwargs)
    return out
