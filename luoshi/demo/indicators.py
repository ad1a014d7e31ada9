"""The demo's indicator library (100 indicators) with two years of values (generated data).

Values go in through the same actions a data provider uses, and every past
collection round is submitted, accepted and closed; the latest month and quarter
stay open, so the demo shows a round in progress.
"""

import math
import random

from django.db import transaction

from luoshi.accounts.models import User
from luoshi.indicators.actions import (
    do_accept_round,
    do_close_round,
    do_create_indicator,
    do_record_values,
    do_set_targets,
    do_submit_round,
)
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit, UnitClass

from .catalogue import CATALOGUE, Spec

MONTHS = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)][:22]  # to 2026-10
QUARTERS = [f"{y}-Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)][:7]  # to 2026-Q3
YEARS = ["2024", "2025"]
PERIODS = {"month": MONTHS, "quarter": QUARTERS, "year": YEARS}
OPEN = {"2026-10", "2026-Q3"}  # collection still in progress
# Key indicators with quarterly targets per township (the leader's overview plots them).
TARGETED = {"gdp", "fiscal-revenue", "fixed-investment", "industrial-output"}


class _Generator:
    """Plausible values: each unit has a size and a standing that drifts slowly, so rankings
    are stable enough to mean something and still change from period to period."""

    def __init__(self, units, seed=2026):
        self.rng = random.Random(seed)
        self.size = {u.pk: self.rng.uniform(0.5, 2.0) for u in units}
        self.standing = {u.pk: self.rng.uniform(-1, 1) for u in units}
        self.phase = {u.pk: self.rng.uniform(0, 2 * math.pi) for u in units}

    def target(self, spec: Spec, unit_pk: int, n: int) -> str:
        """What the district asked for: the unit's trend plus a stretch of a few percent."""
        return f"{spec.base * self.size[unit_pk] * (1.012**n) * 1.03:.2f}"

    def value(self, spec: Spec, unit_pk: int, n: int) -> str:
        rng = self.rng
        quality = self.standing[unit_pk] + 0.4 * math.sin(n / 3 + self.phase[unit_pk])
        if spec.shape == "amount":
            value = spec.base * self.size[unit_pk] * (1.012**n) * rng.uniform(0.85, 1.15)
            value *= 1 + 0.05 * quality * spec.direction
            return f"{max(value, 0):.2f}"
        if spec.shape == "count":
            mean = spec.base * self.size[unit_pk] * (1 - 0.3 * quality * spec.direction)
            return str(max(0, round(rng.gauss(mean, math.sqrt(max(mean, 0.5))))))
        room = max(1.0, min(spec.base, 100 - spec.base) / 4)
        value = spec.base + (quality * 2.5 * spec.direction + rng.gauss(0, 1)) * room
        return f"{min(max(value, 0), 100):.1f}"


def build_demo_indicators() -> int:
    if Indicator.objects.filter(code="gdp").exists():
        return 0
    office = User.objects.get(username="office")
    classes = {c.code: c for c in UnitClass.objects.all()}
    groups = {
        "town": [classes["township"], classes["park"]],
        "dept": [classes["department"]],
    }
    units = {
        group: list(
            Unit.objects.filter(code__startswith="SL-", depth=2, unit_class__in=cls).order_by(
                "path"
            )
        )
        for group, cls in groups.items()
    }
    generator = _Generator(units["town"] + units["dept"])
    providers = {u.name: u for u in Unit.objects.filter(code__startswith="SL-D")}
    with transaction.atomic():
        for spec in CATALOGUE:
            indicator = do_create_indicator(
                code=spec.code,
                name=spec.name,
                unit_of_measure=spec.measure,
                direction=spec.direction,
                frequency=spec.frequency,
                classes=groups[spec.group],
                provider=providers[spec.provider],
                actor=office,
            )
            for n, period in enumerate(PERIODS[spec.frequency]):
                entries = [(u, generator.value(spec, u.pk, n)) for u in units[spec.group]]
                if spec.code in TARGETED:
                    do_set_targets(
                        indicator,
                        period,
                        [(u, generator.target(spec, u.pk, n)) for u in units[spec.group]],
                        actor=office,
                    )
                do_record_values(indicator, period, entries, source="upload", actor=office)
                if period not in OPEN:
                    do_submit_round(indicator, period, actor=office)
                    do_accept_round(indicator, period, actor=office)
                    do_close_round(indicator, period, actor=office)
    return len(CATALOGUE)
