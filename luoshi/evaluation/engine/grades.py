"""Grades from scores: bands with declared boundaries, quotas per class, vetoes.

Chinese schemes say where a boundary belongs in words: "以上 / 以下 / 以内"
include the bound, "超过 / 不满 / 低于" exclude it. A band is a half-open (or
closed) interval; a set of bands that leaves a gap or overlaps is refused with a
message that names where.
"""

import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

import numpy as np


class BandError(ValueError):
    """What is wrong with a set of bands, as a kind plus the bands it concerns, so the
    application can word it in the user's language; ``str()`` gives a plain English form."""

    ENGLISH = {
        "no_bound": "“{text}”: no bound found (write e.g. 90分以上, 不满60分)",
        "empty": "no grade bands",
        "gap_below": "gap below {band}: scores from {value} have no grade",
        "gap": "gap between {below} and {above}",
        "overlap": "{below} and {above} overlap",
        "both": "{value} belongs to both {below} and {above}",
        "neither": "{value} belongs to neither {below} nor {above}",
        "gap_above": "gap above {band}: scores up to {value} have no grade",
        "order": "capping a grade needs the grade order",
    }

    def __init__(self, kind: str, **params):
        self.kind, self.params = kind, params
        super().__init__(self.ENGLISH[kind].format(**params))


@dataclass(frozen=True)
class Band:
    grade: str
    lower: float = -math.inf
    lower_inclusive: bool = True
    upper: float = math.inf
    upper_inclusive: bool = False

    def contains(self, score: float) -> bool:
        above = score > self.lower or (self.lower_inclusive and score == self.lower)
        below = score < self.upper or (self.upper_inclusive and score == self.upper)
        return above and below

    text: str = field(default="", compare=False)  # the wording it came from

    def describe(self) -> str:
        if self.text:
            return f"{self.grade}（{self.text}）"
        left = "[" if self.lower_inclusive else "("
        right = "]" if self.upper_inclusive else ")"
        return f"{self.grade} {left}{self.lower:g}, {self.upper:g}{right}"


_INCLUDE_LOW = ("以上", "及以上")
_PHRASE = re.compile(
    r"(\d+(?:\.\d+)?)\s*分?\s*(及以上|以上|以下|以内|及以下)|(超过|不满|低于|不足|高于)\s*(\d+(?:\.\d+)?)\s*分?"
)


def parse_band(grade: str, text: str) -> Band:
    """A band from its wording, e.g. ("良好", "80分以上不满90分"), ("不合格", "低于60分")."""
    lower, lower_inc, upper, upper_inc = -math.inf, True, math.inf, False
    found = False
    for number_first, word_after, word_before, number_after in _PHRASE.findall(text):
        found = True
        if number_first:
            value = float(number_first)
            if word_after in _INCLUDE_LOW:
                lower, lower_inc = value, True
            else:  # 以下 / 以内 / 及以下: the bound belongs to the band
                upper, upper_inc = value, True
        else:
            value = float(number_after)
            if word_before in ("超过", "高于"):
                lower, lower_inc = value, False
            else:  # 不满 / 低于 / 不足: the bound is outside
                upper, upper_inc = value, False
    if not found:
        raise BandError("no_bound", text=text)
    return Band(grade, lower, lower_inc, upper, upper_inc, text)


def check_bands(bands: list[Band], low: float = -math.inf, high: float = math.inf) -> list[Band]:
    """Bands sorted from low to high, or BandError naming the first gap or overlap."""
    ordered = sorted(bands, key=lambda b: (b.lower, not b.lower_inclusive))
    if not ordered:
        raise BandError("empty")
    if ordered[0].lower > low or (
        ordered[0].lower == low and not ordered[0].lower_inclusive and low != -math.inf
    ):
        raise BandError("gap_below", band=ordered[0].describe(), value=f"{low:g}")
    for below, above in zip(ordered, ordered[1:], strict=False):
        if below.upper < above.lower:
            raise BandError("gap", below=below.describe(), above=above.describe())
        if below.upper > above.lower:
            raise BandError("overlap", below=below.describe(), above=above.describe())
        if below.upper_inclusive and above.lower_inclusive:
            raise BandError("both", value=f"{below.upper:g}", below=below.grade, above=above.grade)
        if not below.upper_inclusive and not above.lower_inclusive:
            raise BandError(
                "neither", value=f"{below.upper:g}", below=below.grade, above=above.grade
            )
    top = ordered[-1]
    if top.upper < high or (top.upper == high and not top.upper_inclusive and high != math.inf):
        raise BandError("gap_above", band=top.describe(), value=f"{high:g}")
    return ordered


def assign_grades(scores, bands: list[Band]) -> np.ndarray:
    bands = check_bands(bands)
    out = np.empty(len(scores), dtype=object)
    for i, score in enumerate(np.asarray(scores, dtype=np.float64)):
        out[i] = None if math.isnan(score) else next(b.grade for b in bands if b.contains(score))
    return out


_ROUNDING = {"floor": ROUND_FLOOR, "ceil": ROUND_CEILING, "half_up": ROUND_HALF_UP}


def quota_size(class_size: int, share: float, rounding: str = "floor") -> int:
    """How many units a quota admits: e.g. 优秀 ≤ 20 % of 13 units → 2 (floor) or 3 (half up)."""
    exact = Decimal(repr(share)) * class_size
    return int(exact.quantize(Decimal(1), rounding=_ROUNDING[rounding]))


def apply_quota(
    scores,
    grades,
    groups,
    *,
    grade: str,
    share: float,
    demote_to: str,
    rounding: str = "floor",
    ties: str = "exclude",
) -> np.ndarray:
    """Cap ``grade`` at ``share`` of each class; the lowest-scoring holders beyond it are demoted.

    ``ties``: units tied at the cut-off all keep the grade ("include", the quota
    may be exceeded) or all lose it ("exclude", the quota is never exceeded).
    """
    scores = np.asarray(scores, dtype=np.float64)
    out = np.array(grades, dtype=object)
    groups = np.asarray(groups)
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        limit = quota_size(len(members), share, rounding)
        holders = [i for i in members if out[i] == grade]
        holders.sort(key=lambda i: -scores[i])
        if len(holders) <= limit:
            continue
        cutoff = scores[holders[limit]]  # the best score that does not fit
        for i in holders:
            keeps = scores[i] > cutoff or (
                ties == "include" and scores[i] == cutoff and _within(holders, scores, i, limit)
            )
            if not keeps:
                out[i] = demote_to
    return out


def _within(holders, scores, i, limit) -> bool:
    # Under "include", a unit tied at the cut-off keeps the grade if the tie reaches into the quota.
    return any(scores[h] == scores[i] for h in holders[:limit])


def apply_vetoes(
    grades,
    *,
    fail: set[int] = frozenset(),
    caps: dict[int, str] | None = None,
    order: list[str] | None = None,
    fail_grade: str = "不合格",
) -> np.ndarray:
    """一票否决: force the fail grade, or cap a unit's grade at a declared level (order: best first)."""
    out = np.array(grades, dtype=object)
    for unit, cap in (caps or {}).items():
        if order is None:
            raise BandError("order")
        if order.index(out[unit]) < order.index(cap):
            out[unit] = cap
    for unit in fail:
        out[unit] = fail_grade
    return out
