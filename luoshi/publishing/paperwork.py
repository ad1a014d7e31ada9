"""The other official papers, in the same structure as the bulletin (and so the same Word and
PDF layout): a unit's statement of results (对账单), a supervision order for a late task
(督办单), and the meeting pack (会议材料: what a meeting decided and is still open, plus
every red item)."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from luoshi.directives.models import Source
from luoshi.evaluation.models import Run
from luoshi.lib.periods import Period, period_name
from luoshi.orgs.models import Unit
from luoshi.supervision.calendar import load_calendar
from luoshi.supervision.models import Chase, Light, ProgressReport, Task

from .bulletin import (
    Fact,
    OfficialDocument,
    Section,
    Table,
    cn_date,
    doc_prefix,
    issuer_name,
    issuer_of,
    overdue_items,
    points_text,
    quoted,
)
from .results import scorecard


def compose_statement(run: Run, unit: Unit, *, today: date) -> OfficialDocument:
    """对账单: the unit's result item by item, as the scorecard page shows it."""
    card = scorecard(run, unit, None)
    r = card.result
    words = Period.parse(run.period).chinese
    scheme = run.version.scheme
    here = reverse("publishing:scorecard", args=[run.pk, unit.pk])
    league = reverse("publishing:league", args=[run.pk])
    peers = run.results.filter(unit__unit_class=unit.unit_class_id, total__isnull=False).count()
    summary = [
        Fact(words, league),
        f"，你单位在{scheme.name}中得分",
        Fact(points_text(r.total) if r.total is not None else "—", here),
        "分，在",
        Fact(str(peers), league),
        f"个{unit.unit_class.name}中排第",
        Fact(str(r.rank_class or "—"), league),
        "位，等次为",
        Fact(r.grade or "—", here),
        "。",
    ]
    if r.rank_change:
        summary += [
            "比上期" + ("进位" if r.rank_change > 0 else "退位"),
            Fact(str(abs(r.rank_change)), here),
            "位。",
        ]
    if card.above is not None and card.gap is not None:
        summary += [
            "与前一名",
            Fact(
                card.above.unit.name,
                reverse("publishing:scorecard", args=[run.pk, card.above.unit_id]),
            ),
            "相差",
            Fact(points_text(card.gap), here),
            "分。",
        ]
    items = Table(
        ["考核项目", "分值", "数值", "得分", "失分", "同类名次"],
        [
            [
                line.item.node.name,
                f"{float(line.item.node.points):g}",
                f"{line.item.value:.2f}" if line.item.value is not None else "—",
                points_text(line.item.points) if line.item.points is not None else "—",
                points_text(line.lost) if line.lost is not None else "—",
                f"{line.rank}/{line.peers}" if line.rank else "—",
            ]
            for line in card.lines
        ],
        [3, 1, 1.4, 1.2, 1.2, 1.2],
    )
    sections = [
        Section("一、总体情况", [summary]),
        Section("二、逐项得分", tables=[("逐项得分", items)]),
    ]
    if card.adjustments:
        sections.append(
            Section(
                "三、加减分与一票否决",
                tables=[
                    (
                        "加减分与一票否决",
                        Table(
                            ["日期", "类型", "计入", "事由"],
                            [
                                [
                                    cn_date(a.adjustment.happened_on),
                                    a.adjustment.get_kind_display(),
                                    f"{a.points:+g}" + (f"（{note}）" if note else ""),
                                    a.adjustment.reason,
                                ]
                                for a, note in card.adjustments
                            ],
                            [2.7, 1.5, 1.3, 3.6],
                            left=(3,),
                        ),
                    )
                ],
            )
        )
    losing = sorted((line for line in card.lines if line.lost), key=lambda line: -line.lost)[:3]
    if losing:
        paragraph = ["失分较多的项目："]
        for k, line in enumerate(losing):
            paragraph += [
                line.item.node.name,
                "（失分",
                Fact(points_text(line.lost), here),
                "分",
            ]
            if line.rank:
                paragraph += ["，同类第", Fact(str(line.rank), here), "位"]
            paragraph.append("）" + ("；" if k < len(losing) - 1 else "。"))
        paragraph.append("请对照查找原因，明确整改措施。")
        sections.append(
            Section(f"{'四' if card.adjustments else '三'}、需要关注的项目", [paragraph])
        )
    trend = Table(
        ["考核期", "得分", "名次", "等次"],
        [
            [period_name(p), points_text(t) if t is not None else "—", str(k or "—"), g or "—"]
            for p, t, k, g, _ in card.trend
        ],
        [2.4, 1.5, 1, 1],
    )
    sections[-1].tables.append(("历次考评结果", trend))
    return OfficialDocument(
        kind="statement",
        issuer=issuer_of(run),
        number="",
        title=f"{unit.name}{words}{scheme.name}对账单",
        addressee=f"{unit.name}：",
        sections=sections,
        signature=issuer_of(run),
        signed_on=today,
        copy_to="",
        printed_by=issuer_of(run),
        source_note=f"{scheme.name}第{run.version.number}版",
    )


def _latest_report(task) -> ProgressReport | None:
    return (
        ProgressReport.objects.counted()
        .filter(task=task, unit=task.lead_unit)
        .order_by("-week", "-pk")
        .first()
    )


def compose_order(task: Task, *, owner: Unit, sequence: int, today: date) -> OfficialDocument:
    """督办单 for a late or red task, to its lead unit."""
    calendar = load_calendar()
    overdue = max(calendar.workdays_between(task.deadline, today), 0)
    here = reverse("supervision:task", args=[task.pk])
    report = _latest_report(task)
    chases = Chase.objects.filter(task=task).count()
    paragraph = [
        f"{task.source.title}确定的{quoted(task.title)}事项由你单位牵头办理，办结时限为",
        Fact(cn_date(task.deadline), here),
        "。截至",
        cn_date(today),
        "，该事项",
        Fact(task.get_state_display(), here),
    ]
    if overdue:
        paragraph += ["，已逾期", Fact(str(overdue), here), "个工作日"]
    paragraph += ["，亮", Fact(task.get_light_display(), here), "。"]
    if chases:
        paragraph += ["此前已催办", Fact(str(chases), here), "次。"]
    facts = Table(
        ["项目", "内容"],
        [
            ["事项编号", task.code],
            ["任务来源", f"{task.source.title}（{cn_date(task.source.date)}）"],
            ["牵头单位", task.lead_unit.name],
            ["配合单位", "、".join(u.name for u in task.co_units.all()) or "—"],
            ["责任领导", str(task.leader) if task.leader else "—"],
            ["工作要求", task.requirement or "—"],
            ["办结时限", cn_date(task.deadline)],
            [
                "最近进展",
                f"{cn_date(report.week)}当周：{report.text}" if report else "未报送",
            ],
        ],
        [1.3, 5],
        left=(1,),
    )
    return OfficialDocument(
        kind="order",
        issuer=issuer_name(owner),
        number=f"{doc_prefix(owner)}督办〔{today.year}〕{sequence}号",
        title=f"关于督促办理{quoted(task.title)}事项的通知",
        addressee=f"{task.lead_unit.name}：",
        sections=[
            Section("一、事项情况", [paragraph], tables=[("督办事项", facts)]),
            Section(
                "二、督办要求",
                [
                    [
                        "请你单位主要负责同志亲自过问，接此通知后",
                        f"{settings.LUOSHI_BULLETIN_REPLY_DAYS}个工作日内",
                        "将办理情况、存在问题和下一步措施书面报送督查室；"
                        "确需调整时限的，按程序申请延期。逾期未办结的，将在考评中按规定扣分并通报。",
                    ]
                ],
            ),
        ],
        signature=issuer_name(owner),
        signed_on=today,
        copy_to=f"{task.leader}同志。" if task.leader else "",
        printed_by=issuer_name(owner),
        source_note=f"督办事项 {task.code}",
    )


def compose_meeting_pack(source: Source, *, owner: Unit, today: date) -> OfficialDocument:
    """会议材料: what the meeting decided, how far each item got, and every red item now."""
    decided = list(
        Task.objects.filter(source=source, parent__isnull=True)
        .select_related("lead_unit")
        .order_by("deadline", "pk")
    )
    done = [t for t in decided if t.state == Task.State.DONE]
    open_ = [t for t in decided if t.state not in (Task.State.DONE, Task.State.DRAFT)]
    red_open = [t for t in open_ if t.light == Light.RED]
    here = reverse("directives:source", args=[source.pk])
    summary = [
        f"{cn_date(source.date)}{source.title}议定事项共",
        Fact(str(len(decided)), here),
        "项，已办结",
        Fact(str(len(done)), here),
        "项，正在推进",
        Fact(str(len(open_)), here),
        "项，其中亮红灯",
        Fact(str(len(red_open)), here),
        "项。",
    ]
    reports = {t.pk: _latest_report(t) for t in open_}
    still_open = Table(
        ["事项", "牵头单位", "时限", "亮灯", "最近进展"],
        [
            [
                t.title,
                t.lead_unit.name,
                cn_date(t.deadline),
                t.get_light_display(),
                (reports[t.pk].text[:60] if reports[t.pk] else "未报送"),
            ]
            for t in open_
        ],
        [2.6, 1.5, 2.8, 0.8, 2.6],
        left=(0, 4),
    )
    red = list(
        Task.objects.open()
        .filter(light=Light.RED, lead_unit__path__startswith=owner.path)
        .select_related("lead_unit", "source")
        .order_by("deadline", "pk")
    )
    overdue = overdue_items(red, today)
    red_table = Table(
        ["事项", "来源", "牵头单位", "逾期工作日"],
        [[t.title, t.source.title, t.lead_unit.name, str(n)] for t, n in overdue],
        [3, 2.4, 1.6, 1],
        left=(0, 1),
    )
    tasks_page = reverse("supervision:tasks")
    return OfficialDocument(
        kind="meeting",
        issuer=issuer_name(owner),
        number="",
        title=f"{source.title}议定事项落实情况和红灯事项清单",
        addressee="",
        sections=[
            Section(
                "一、上次会议议定事项落实情况",
                [summary],
                tables=[("尚未办结的议定事项", still_open)] if open_ else [],
            ),
            Section(
                "二、当前红灯事项",
                [
                    [
                        "全区亮红灯的督办事项共",
                        Fact(str(len(red)), f"{tasks_page}?light=red"),
                        "项，其中逾期未办结",
                        Fact(str(len(overdue)), f"{tasks_page}?light=red"),
                        "项。",
                    ]
                ],
                tables=[("逾期未办结的红灯事项", red_table)] if overdue else [],
            ),
        ],
        signature=issuer_name(owner),
        signed_on=today,
        copy_to="",
        printed_by=issuer_name(owner),
        source_note=f"{source.title}，截至{cn_date(today)}的系统数据",
    )
