"""A year of supervision work for the demo district, relative to the day it is built.

Tasks, reports and decisions go through the real actions. Afterwards their
timestamps are moved into the past (a report "submitted last Friday"), which
only generated data may do; the audit trail keeps the true build time.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import Membership, Role, User
from luoshi.directives.actions import do_create_source
from luoshi.directives.models import Source
from luoshi.orgs.models import Unit
from luoshi.supervision import actions
from luoshi.supervision.calendar import latest_due_week, load_calendar, monday_of
from luoshi.supervision.models import (
    ProgressReport,
    SupervisionSettings,
    Task,
    TaskCategory,
    TaskEvent,
)

SOURCES = [
    (Source.Kind.MEETING, "区委常委会2026年第3次会议", 40, "区委"),
    (Source.Kind.SPEECH, "在全区经济工作会议上的讲话", 320, "区委书记"),
    (
        Source.Kind.DOCUMENT,
        "关于印发《2026年区政府工作报告重点任务分解方案》的通知",
        300,
        "区政府办公室",
    ),
    (Source.Kind.MEETING, "区政府第18次常务会议", 120, "区政府"),
    (Source.Kind.INSTRUCTION, "区长关于加快城区积水点整治的批示", 75, "区长"),
    (Source.Kind.MEETING, "全区项目建设推进会", 200, "区政府"),
    (Source.Kind.SPEECH, "在全区优化营商环境大会上的讲话", 260, "区长"),
    (Source.Kind.INSTRUCTION, "区委书记关于安全生产的批示", 30, "区委书记"),
]

# (title, category code, who leads: "department:<name>" or "townships")
TASK_TEMPLATES = [
    ("规模以上工业增加值增速达到7%以上", "economy", "department:区工业和信息化局"),
    ("固定资产投资增长8%", "economy", "department:区发展和改革局"),
    ("社会消费品零售总额增长6%", "economy", "department:区商务局"),
    ("新引进亿元以上项目10个", "projects", "department:区投资促进局"),
    ("完成老旧小区改造12个", "livelihood", "department:区住房和城乡建设局"),
    ("新建改建农村公路50公里", "projects", "department:区交通运输局"),
    ("城区积水点整治", "safety", "department:区城市管理局"),
    ("高标准农田建设2万亩", "economy", "department:区农业农村局"),
    ("新增城镇就业3000人", "livelihood", "department:区人力资源和社会保障局"),
    ("学前教育普惠率达到90%", "livelihood", "department:区教育局"),
    ("“一网通办”事项办理率达到95%", "reform", "department:区行政审批服务局"),
    ("安全生产专项整治三年行动", "safety", "department:区应急管理局"),
    ("中央环保督察反馈问题整改", "ecology", "department:区生态环境分局"),
    ("信访积案化解", "safety", "department:区信访局"),
    ("基层党组织标准化建设", "party", "department:区委组织部"),
    ("农村人居环境整治提升", "ecology", "townships"),
    ("森林防火责任落实", "safety", "townships"),
    ("耕地“非农化”问题排查整改", "economy", "townships"),
    ("村级集体经济收入全部超过10万元", "economy", "townships"),
    ("网格化社会治理全覆盖", "safety", "townships"),
]

PROGRESS_LINES = [
    "召开专题推进会，明确责任分工和时间节点。",
    "完成现场摸底调查，建立问题清单和整改台账。",
    "项目进场施工，完成计划工程量的一部分。",
    "对照节点逐项推进，协调解决资金和用地问题。",
    "组织专项督查，发现问题已当场交办整改。",
    "完成阶段性验收，正在整理佐证材料。",
]


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def build_demo_supervision(today=None) -> int:
    """Create the demo's sources, tasks and reports once; return how many tasks were created."""
    if Task.objects.filter(source__title=SOURCES[0][1]).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(2026)
    office = User.objects.get(username="office")
    root = Unit.objects.get(code="SL")
    leaders = list(User.objects.filter(username__startswith="fqz").order_by("username"))
    categories = {c.code: c for c in TaskCategory.objects.all()}
    by_name = {u.name: u for u in Unit.objects.filter(code__startswith="SL-", depth=2)}
    townships = [u for u in by_name.values() if u.unit_class.code in ("township", "park")]
    staff = {
        (m.unit_id, m.role): m.user
        for m in Membership.objects.filter(role__in=[Role.LIAISON, Role.UNIT_HEAD]).select_related(
            "user"
        )
    }
    created = 0
    with transaction.atomic():
        sources = [
            do_create_source(
                kind=kind,
                title=title,
                date=today - timedelta(days=ago),
                issuer=issuer,
                owner_unit=root,
                actor=office,
            )
            for kind, title, ago, issuer in SOURCES
        ]
        for i, (title, category, who) in enumerate(TASK_TEMPLATES):
            source = sources[i % len(sources)]
            units = townships if who == "townships" else [by_name[who.split(":", 1)[1]]]
            for unit in units:
                _build_task(
                    rng,
                    today,
                    office,
                    source,
                    title,
                    categories[category],
                    unit,
                    rng.choice(leaders),
                    staff,
                )
                created += 1
        actions.do_refresh_lights()
    return created


def _build_task(rng, today, office, source, title, category, unit, leader, staff):
    start = source.date + timedelta(days=rng.randint(3, 20))
    if start >= today:
        start = today - timedelta(days=7)
    span = rng.choice([60, 90, 120, 180, 240, 300, 400])
    deadline = start + timedelta(days=span)
    months = []
    month = start.replace(day=1)
    while month <= deadline.replace(day=1) and len(months) < 4:
        month = (month + timedelta(days=32)).replace(day=1)
        if month <= deadline.replace(day=1):
            months.append((month, f"完成第{len(months) + 1}阶段任务"))
    task = actions.do_create_task(
        source=source,
        title=title,
        requirement=f"{title}，按节点推进，按月报送进展。",
        lead_unit=unit,
        deadline=deadline,
        start_date=start,
        leader=leader,
        category=category,
        milestones=months,
        actor=office,
    )
    task = actions.do_assign_task(task, actor=office)
    liaison, head = staff.get((unit.pk, Role.LIAISON)), staff.get((unit.pk, Role.UNIT_HEAD))
    roll = rng.random()
    if roll < 0.06:
        _backdate(task, start)
        return task  # still waiting to be signed for
    task = actions.do_accept_task(task, actor=liaison)
    # Weekly reports from the first full week to last week; a careless unit skips some.
    diligence = rng.choice([1.0, 1.0, 1.0, 0.95, 0.9, 0.8, 0.6])
    week = monday_of(start) + timedelta(days=7)
    last_week = latest_due_week(_aware(today, 18), SupervisionSettings.current(), load_calendar())
    elapsed = max((today - start).days, 1)
    percent = 0
    weeks = []
    while week <= min(last_week, deadline):
        # Never backwards: a unit's reported progress only grows.
        percent = max(
            percent, min(99, int(100 * (week - start).days / max(span, 1) * rng.uniform(0.6, 1.15)))
        )
        if rng.random() < diligence:
            weeks.append((week, percent))
        week += timedelta(days=7)
    for n, (week, percent) in enumerate(weeks[-8:]):
        report = actions.do_submit_report(
            task,
            unit=unit,
            week=week,
            text=rng.choice(PROGRESS_LINES),
            percent=percent,
            actor=liaison,
        )
        if n == len(weeks[-8:]) - 1 and rng.random() < 0.06:
            actions.do_return_report(
                report, reason="进展描述过于笼统，请补充具体数据和照片。", actor=office
            )
            continue
        report = actions.do_approve_report(report, actor=head)
        if n < len(weeks[-8:]) - 1 or rng.random() < 0.6:
            actions.do_accept_report(report, actor=office)
        submitted = _aware(
            week + timedelta(days=4 if rng.random() < 0.9 else 7), rng.randint(9, 16)
        )
        ProgressReport.objects.filter(pk=report.pk).update(
            submitted_at=submitted, late=submitted.weekday() >= 5
        )
    if deadline < today or (elapsed / span > 0.8 and rng.random() < 0.5):
        if rng.random() < 0.9:
            task = actions.do_request_completion(
                task, note="已按要求完成，佐证材料已上传。", actor=head
            )
            if rng.random() < 0.1:
                task = actions.do_send_back_task(
                    task, reason="缺少验收材料，请补充后重新申请。", actor=office
                )
            elif rng.random() < 0.9:
                task = actions.do_complete_task(task, actor=office)
                late = rng.random() < 0.25
                done_on = (
                    deadline + timedelta(days=rng.randint(1, 20))
                    if late
                    else deadline - timedelta(days=rng.randint(0, 20))
                )
                done_on = min(done_on, today)
                Task.objects.filter(pk=task.pk).update(
                    completed_on=done_on, completed_late=done_on > deadline
                )
    elif rng.random() < 0.08 and deadline > today:
        extension = actions.do_request_extension(
            task,
            new_deadline=deadline + timedelta(days=60),
            reason="受汛期影响施工暂停，申请延期两个月。",
            actor=head,
        )
        if rng.random() < 0.5:
            actions.do_decide_extension(extension, approve=True, actor=office)
    _backdate(task, start)
    return task


def _backdate(task, start):
    """Move the generated history to when it would have happened."""
    Task.objects.filter(pk=task.pk).update(assigned_at=_aware(start, 9))
    TaskEvent.objects.filter(
        task=task, kind__in=[TaskEvent.Kind.CREATED, TaskEvent.Kind.ASSIGNED]
    ).update(at=_aware(start, 9))
    for report in ProgressReport.objects.filter(task=task):
        TaskEvent.objects.filter(report=report).update(at=report.submitted_at)
