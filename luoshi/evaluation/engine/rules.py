"""The rule layer Chinese schemes put on top of the weighted score.

Bonuses (加分) are capped per item and in total, and one achievement counts
once, at its highest level (a project praised by both the city and the
province earns the province's points only). Deductions (扣分) are capped per
item and escalate on repeat. An approved exemption (容错免责) cancels exactly
the deduction it names. A fixed-deduction veto is a deduction that no cap
limits. Every adjustment comes back with what was actually applied and why,
so a scorecard can explain each point.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Adjustment:
    id: str
    unit: int  # row index of the unit
    item: str
    points: float  # positive; the kind says which way
    kind: str  # "bonus" | "deduction" | "veto_deduction"
    achievement: str = ""  # bonuses: the same achievement at several levels counts once
    level: int = 0  # bonuses: higher level wins (区 1 < 市 2 < 省 3 < 国家 4)


@dataclass
class Applied:
    adjustment: Adjustment
    points: float  # signed, as it counts in the total
    note: str = ""


@dataclass
class RuleResult:
    bonus: np.ndarray
    deduction: np.ndarray  # negative numbers
    applied: list[Applied] = field(default_factory=list)

    @property
    def total(self) -> np.ndarray:
        return self.bonus + self.deduction


def apply_rules(
    n_units: int,
    adjustments: list[Adjustment],
    *,
    bonus_item_caps: dict[str, float] | None = None,
    bonus_total_cap: float | None = None,
    deduction_item_caps: dict[str, float] | None = None,
    escalation: tuple[float, ...] = (1.0,),
    exemptions: set[str] = frozenset(),
) -> RuleResult:
    """Apply every adjustment to its unit; ``escalation[k]`` multiplies the (k+1)-th deduction
    on the same item (the last factor repeats)."""
    bonus_item_caps = bonus_item_caps or {}
    deduction_item_caps = deduction_item_caps or {}
    bonus, deduction = np.zeros(n_units), np.zeros(n_units)
    applied: list[Applied] = []

    # Bonuses: keep the highest level of each (unit, achievement), then cap per item, then in total.
    best: dict[tuple, Adjustment] = {}
    for a in (a for a in adjustments if a.kind == "bonus"):
        key = (a.unit, a.achievement or a.id)
        if key not in best or (a.level, a.points) > (best[key].level, best[key].points):
            best[key] = a
    per_item: dict[tuple, float] = defaultdict(float)
    for a in adjustments:
        if a.kind != "bonus":
            continue
        if best[(a.unit, a.achievement or a.id)] is not a:
            applied.append(Applied(a, 0.0, "counted once, at its highest level"))
            continue
        room = bonus_item_caps.get(a.item, np.inf) - per_item[(a.unit, a.item)]
        room = min(
            room, (bonus_total_cap if bonus_total_cap is not None else np.inf) - bonus[a.unit]
        )
        points = max(0.0, min(a.points, room))
        per_item[(a.unit, a.item)] += points
        bonus[a.unit] += points
        applied.append(Applied(a, points, "" if points == a.points else "capped"))

    # Deductions: exemptions first, then escalation on repeat, then the item cap.
    repeats: dict[tuple, int] = defaultdict(int)
    taken: dict[tuple, float] = defaultdict(float)
    for a in adjustments:
        if a.kind not in ("deduction", "veto_deduction"):
            continue
        if a.id in exemptions:
            applied.append(Applied(a, 0.0, "exempted (容错免责)"))
            continue
        if a.kind == "veto_deduction":
            deduction[a.unit] -= a.points
            applied.append(Applied(a, -a.points, "veto: fixed deduction"))
            continue
        k = repeats[(a.unit, a.item)]
        repeats[(a.unit, a.item)] += 1
        factor = escalation[min(k, len(escalation) - 1)]
        wanted = a.points * factor
        room = deduction_item_caps.get(a.item, np.inf) - taken[(a.unit, a.item)]
        points = max(0.0, min(wanted, room))
        taken[(a.unit, a.item)] += points
        deduction[a.unit] -= points
        note = f"repeat ×{factor:g}" if factor != 1 else ""
        if points < wanted:
            note = (note + ", " if note else "") + "capped"
        applied.append(Applied(a, -points, note))
    return RuleResult(bonus, deduction, applied)


def exemption_targets(exemptions: dict[str, str], adjustments: list[Adjustment]) -> set[str]:
    """Check that every approved exemption names a deduction of its own unit.

    ``exemptions`` maps exemption id → adjustment id. Raises ValueError naming
    any exemption that points at a bonus, at another unit's deduction, or at nothing.
    """
    by_id = {a.id: a for a in adjustments}
    for exemption, target in exemptions.items():
        adjustment = by_id.get(target)
        if adjustment is None or adjustment.kind != "deduction":
            raise ValueError(
                f"exemption {exemption} names {target}, which is not a deduction in this run"
            )
    return set(exemptions.values())


def rank_change_credit(change, *, per_place: float, cap: float) -> np.ndarray:
    """Points for places gained (进位) and, symmetrically, lost (退位), capped both ways."""
    return np.clip(np.asarray(change, dtype=np.float64) * per_place, -cap, cap)


def improvement_credit(current, last_year, *, per_percent: float, cap: float) -> np.ndarray:
    """Points for year-on-year improvement of a score, per percent improved, capped; none for decline."""
    current, last_year = (
        np.asarray(current, dtype=np.float64),
        np.asarray(last_year, dtype=np.float64),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = 100.0 * (current - last_year) / np.abs(last_year)
    # No base last year (zero or missing): no measurable improvement, no credit.
    return np.clip(np.where(np.isfinite(growth), growth, 0.0) * per_percent, 0.0, cap)
