"""The demo's quarterly township scheme and its published history (generated data)."""

from decimal import Decimal

from django.db import transaction

from luoshi.accounts.models import User
from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.evaluation.models import Scheme, SchemeNode, SchemeVersion
from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit, UnitClass

BANDS = [
    {"grade": "优秀", "text": "90分以上"},
    {"grade": "良好", "text": "80分以上不满90分"},
    {"grade": "合格", "text": "60分以上不满80分"},
    {"grade": "不合格", "text": "不满60分"},
]
# (area code, area name, area points, [(item code, item name, points, indicator code or None for 督考合一)])
TREE = [
    (
        "economy",
        "经济发展",
        80,
        [
            ("gdp", "地区生产总值", 25, "gdp"),
            ("revenue", "一般公共预算收入", 20, "fiscal-revenue"),
            ("investment", "固定资产投资", 20, "fixed-investment"),
            ("industry", "规模以上工业总产值", 15, "industrial-output"),
        ],
    ),
    ("safety", "安全稳定", 10, [("incidents", "生产安全事故起数", 10, "safety-incidents")]),
    ("tasks", "重点任务落实（督考合一）", 10, [("supervision", "督办事项办理", 10, None)]),
]
PUBLISHED = ["2025-Q4", "2026-Q1", "2026-Q2"]


def build_demo_evaluation() -> int:
    if Scheme.objects.filter(code="town-quarterly").exists():
        return 0
    office = User.objects.get(username="office")
    with transaction.atomic():
        scheme = Scheme.objects.create(
            code="town-quarterly",
            name="镇街季度综合考评",
            period_kind="quarter",
            owner=Unit.objects.get(code="SL"),
            total_points=Decimal(100),
        )
        # The high-tech zone is a class of one: min-max within it would have nothing to compare.
        scheme.classes.set(UnitClass.objects.filter(code="township"))
        version = SchemeVersion.objects.create(scheme=scheme, number=1, bands=BANDS)
        order = 0
        for area_code, area_name, area_points, items in TREE:
            area = SchemeNode.objects.create(
                version=version,
                code=area_code,
                name=area_name,
                kind="area",
                points=area_points,
                order=order,
            )
            for code, name, points, indicator in items:
                order += 1
                SchemeNode.objects.create(
                    version=version,
                    parent=area,
                    code=code,
                    name=name,
                    points=points,
                    order=order,
                    kind="quantitative" if indicator else "task",
                    indicator=Indicator.objects.get(code=indicator) if indicator else None,
                )
        for period in PUBLISHED:
            do_publish_run(do_create_run(version, period, actor=office), actor=office)
    return len(PUBLISHED)
