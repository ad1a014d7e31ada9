"""The demo's project pipeline (generated): some fifty key projects in every stage, some late,
a hundred investment leads, obstacles open and solved; then the pipeline indicators."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import User
from luoshi.orgs.models import Unit
from luoshi.projects.actions import (
    do_create_lead,
    do_create_project,
    do_enter_investment,
    do_move_lead,
    do_raise_obstacle,
    do_set_stage,
    do_solve_obstacle,
)
from luoshi.projects.indicators import do_compute_pipeline_indicators
from luoshi.projects.jobs import project_tick
from luoshi.projects.models import STAGE_ORDER, Project

INDUSTRIES = [
    "新能源电池",
    "新材料",
    "生物医药",
    "智能制造",
    "电子信息",
    "冷链物流",
    "文旅康养",
    "农产品加工",
    "数字经济",
    "装配式建筑",
]
INVESTORS = [
    "华源",
    "中科",
    "鼎盛",
    "瑞丰",
    "恒达",
    "远景",
    "金桥",
    "天翼",
    "博远",
    "宏图",
    "嘉禾",
    "安泰",
]
NAMES = {
    "industry": ["{i}产业园", "{i}生产基地", "年产万吨{i}项目", "{i}研发中心"],
    "infra": [
        "城区道路提升改造工程",
        "污水处理厂扩建工程",
        "220千伏输变电工程",
        "物流园区配套道路",
    ],
    "livelihood": ["第二人民医院新院区", "实验中学新校区", "保障性租赁住房", "养老服务中心"],
}
KINDS = ["industry"] * 6 + ["infra"] * 2 + ["livelihood"] * 2
OBSTACLES = [
    ("land", "用地指标尚未落实，影响二期开工"),
    ("permits", "环评批复办理进度滞后"),
    ("power", "施工用电专线尚未接入"),
    ("financing", "项目贷款审批未通过，资金缺口较大"),
    ("other", "周边群众对施工噪声有意见，需协调"),
]


def build_demo_projects() -> int:
    if Project.objects.exists():
        return 0
    rng = random.Random(7)
    office = User.objects.get(username="office")
    today = timezone.localdate()
    towns = list(
        Unit.objects.filter(
            code__startswith="SL-", unit_class__code__in=["township", "park"]
        ).order_by("path")
    )
    depts = list(
        Unit.objects.filter(code__in=["SL-D10", "SL-D13", "SL-D21", "SL-D25", "SL-D41"]).order_by(
            "path"
        )
    )
    leaders = list(User.objects.filter(username__startswith="fqz").order_by("username"))
    with transaction.atomic():
        projects = [_project(k, rng, office, towns + depts[:2], leaders, today) for k in range(50)]
        _leads(rng, office, towns + depts, today)
        _obstacles(rng, office, projects, towns + depts, today)
        project_tick(today)
        for month in (
            f"{today.year}-{today.month - 1:02d}" if today.month > 1 else None,
            f"{today.year}-{today.month:02d}",
        ):
            if month:
                do_compute_pipeline_indicators(month, actor=office)
    return len(projects)


def _project(k, rng, office, units, leaders, today) -> Project:
    kind = KINDS[k % len(KINDS)]
    industry = rng.choice(INDUSTRIES)
    name = rng.choice(NAMES[kind]).format(i=industry)
    unit = units[k % len(units)]
    total = Decimal(rng.randrange(5000, 200000, 500))
    reach = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5])  # how far it has got
    # Actual dates of the stages reached, then plans: reached stages were planned around
    # when they happened (some slipped), the next one is due from a few weeks ago onwards.
    actual, day = {}, today - timedelta(days=rng.randint(90, 500))
    for stage in STAGE_ORDER[1 : reach + 1]:
        day = min(day + timedelta(days=rng.randint(40, 120)), today - timedelta(days=1))
        actual[stage] = day
    planned, day = {}, today + timedelta(days=rng.randint(-25, 150))
    for stage in STAGE_ORDER[1:]:
        if stage in actual:
            planned[stage] = actual[stage] - timedelta(days=rng.choice([0, 0, 7, 20, 45]))
        else:
            planned[stage] = day
            day += timedelta(days=rng.randint(60, 150))
    project = do_create_project(
        name=f"{unit.name[:2]}{name}",
        kind=kind,
        level=rng.choice(["province", "city", "district", "district"]),
        total_investment=total,
        year_plan=(total * Decimal(rng.uniform(0.15, 0.4))).quantize(Decimal("1")),
        lead_unit=unit,
        leader=leaders[k % len(leaders)] if leaders else None,
        location=f"{unit.name}{rng.choice(['工业园', '城南片区', '高铁新区', '滨河片区'])}",
        year=today.year,
        planned=planned,
        actor=office,
    )
    for stage, on in actual.items():
        do_set_stage(project, stage, actual_on=on, actor=office)
    if reach >= 1:
        monthly = project.year_plan / 12
        for month in range(1, today.month + 1):
            pace = Decimal(rng.uniform(0.7, 1.3)) if k % 5 else Decimal(rng.uniform(0.2, 0.7))
            do_enter_investment(
                project,
                f"{today.year}-{month:02d}",
                (monthly * pace).quantize(Decimal("0.1")),
                actor=office,
            )
    return project


def _leads(rng, office, units, today):
    for k in range(100):
        unit = units[k % len(units)]
        start = today - timedelta(days=rng.randint(10, 160))
        lead = do_create_lead(
            investor=f"{rng.choice(INVESTORS)}{rng.choice(['集团', '科技有限公司', '实业有限公司', '控股'])}",
            industry=rng.choice(INDUSTRIES),
            intended_investment=Decimal(rng.randrange(1000, 100000, 500)),
            source_unit=unit,
            on=start,
            actor=office,
        )
        steps = rng.choice([0, 0, 1, 1, 1, 2, 2, 3])
        day = start
        for n in range(steps):
            day = min(day + timedelta(days=rng.randint(10, 45)), today)
            evidence = ["首次洽谈纪要", "投资合作协议（已签约）", "项目公司营业执照、用地合同"][n]
            lead = do_move_lead(lead, on=day, evidence=evidence, actor=office)


def _obstacles(rng, office, projects, units, today):
    started = [p for p in projects if p.stage != "prep"] or projects
    for k in range(30):
        project = started[k % len(started)]
        category, text = OBSTACLES[k % len(OBSTACLES)]
        raised = today - timedelta(days=rng.randint(3, 90))
        obstacle = do_raise_obstacle(
            project,
            category=category,
            description=text,
            addressed_to=rng.choice(units),
            raised_by=project.lead_unit,
            days=rng.choice([5, 10, 15]),
            on=raised,
            actor=office,
        )
        if k % 3 != 0:  # two in three solved, some of them late
            do_solve_obstacle(obstacle, resolution="已现场协调解决，相关手续办结", actor=office)
