"""The evaluation tests' five-township scheme (A 70, B 82.5, T0 50, T1 40, T2 0), published;
and a district of 30 townships with overdue work, for documents of several pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.evaluation.tests.conftest import scheme  # noqa: F401  (a fixture, used by name)
from luoshi.indicators.actions import do_record_values
from luoshi.indicators.models import Indicator
from luoshi.orgs.actions import do_create_unit
from luoshi.supervision.actions import do_assign_task, do_create_task, do_refresh_lights


@pytest.fixture
def published(people, scheme):  # noqa: F811
    return do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=None)


from luoshi.supervision.tests.conftest import make_task, source  # noqa: E402, F401

TOWNS = [
    "东山镇",
    "西河镇",
    "南湖街道",
    "北关街道",
    "青石镇",
    "白马镇",
    "红旗街道",
    "金沙镇",
    "银杏镇",
    "桃源镇",
    "柳林街道",
    "松溪镇",
    "梅岭镇",
    "竹园街道",
    "荷塘镇",
    "枫桥镇",
    "石桥镇",
    "龙泉街道",
    "凤凰镇",
    "麒麟镇",
    "双溪镇",
    "清水街道",
    "长岭镇",
    "古城街道",
    "新村镇",
]
WORKS = [
    "农贸市场提升改造",
    "老旧小区雨污分流改造",
    "高标准农田建设",
    "集镇污水管网延伸",
    "中小学校舍维修加固",
    "村级集体经济增收项目",
]


@pytest.fixture
def district(people, tree, classes, scheme, source):  # noqa: F811
    """The five townships of the evaluation tests and 25 more, a published quarter, and
    two overdue tasks (red) for most townships, one for the rest, from one meeting."""
    revenue = Indicator.objects.get(code="revenue")
    towns = [
        do_create_unit(
            code=f"X{k:02d}",
            name=name,
            unit_class=classes["township"],
            parent=tree.root,
            actor=None,
        )
        for k, name in enumerate(TOWNS)
    ]
    do_record_values(
        revenue,
        "2026-Q3",
        [(town, str(97 - 3 * k)) for k, town in enumerate(towns)],
        source="form",
        actor=people.office,
    )
    run = do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=None)
    today = timezone.localdate()
    for k, town in enumerate([tree.town_a, tree.town_b, *towns]):
        for n in range(2 if k % 4 else 1):
            task = do_create_task(
                source=source,
                title=f"推进{town.name}{WORKS[(k + n) % len(WORKS)]}",
                lead_unit=town,
                deadline=today - timedelta(days=9 + 5 * k + 17 * n),
                start_date=today - timedelta(days=200),
                actor=people.office,
            )
            do_assign_task(task, actor=people.office)  # out with the unit: open, lit
    do_refresh_lights()
    return run, today
