"""A first slice of the demo's indicator library with two years of quarterly values (generated)."""

import random

from django.db import transaction

from luoshi.accounts.models import User
from luoshi.indicators.actions import (
    do_accept_round,
    do_close_round,
    do_create_indicator,
    do_record_values,
)
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit, UnitClass

# code, name, unit of measure, direction, provider, base value, growth per quarter
INDICATORS = [
    ("gdp", "地区生产总值", "亿元", 1, "区统计局", 40.0, 0.015),
    ("fiscal-revenue", "一般公共预算收入", "亿元", 1, "区财政局", 3.0, 0.01),
    ("fixed-investment", "固定资产投资", "亿元", 1, "区发展和改革局", 12.0, 0.02),
    ("industrial-output", "规模以上工业总产值", "亿元", 1, "区统计局", 25.0, 0.018),
    ("safety-incidents", "生产安全事故起数", "起", -1, "区应急管理局", 4.0, -0.01),
]
QUARTERS = [f"{year}-Q{q}" for year in (2025, 2026) for q in (1, 2, 3, 4)][:-1]  # up to 2026-Q3


def build_demo_indicators() -> int:
    if Indicator.objects.filter(code="gdp").exists():
        return 0
    rng = random.Random(2026)
    office = User.objects.get(username="office")
    township = UnitClass.objects.get(code="township")
    park = UnitClass.objects.get(code="park")
    units = list(
        Unit.objects.filter(
            code__startswith="SL-", depth=2, unit_class__in=[township, park]
        ).order_by("path")
    )
    providers = {u.name: u for u in Unit.objects.filter(code__startswith="SL-D")}
    size = {u.pk: rng.uniform(0.5, 2.0) for u in units}  # some townships are simply bigger
    with transaction.atomic():
        for code, name, measure, direction, provider, base, growth in INDICATORS:
            indicator = do_create_indicator(
                code=code,
                name=name,
                unit_of_measure=measure,
                direction=direction,
                frequency="quarter",
                classes=[township, park],
                provider=providers[provider],
                actor=office,
            )
            for n, quarter in enumerate(QUARTERS):
                entries = []
                for unit in units:
                    value = base * size[unit.pk] * (1 + growth) ** n * rng.uniform(0.85, 1.15)
                    entries.append(
                        (
                            unit,
                            f"{max(value, 0):.2f}" if direction > 0 else str(round(max(value, 0))),
                        )
                    )
                do_record_values(indicator, quarter, entries, source="upload", actor=office)
                if (
                    quarter != QUARTERS[-1]
                ):  # past quarters are reviewed and locked; the latest is open
                    _close(indicator, quarter, office)
    return len(INDICATORS)


def _close(indicator, quarter, office):
    from luoshi.indicators.actions import do_submit_round

    do_submit_round(indicator, quarter, actor=office)
    do_accept_round(indicator, quarter, actor=office)
    do_close_round(indicator, quarter, actor=office)
