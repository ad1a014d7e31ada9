"""The objects the access matrix points its URLs at: one of each kind, all owned by 甲镇.

Built through the real actions on top of the shared `people` and `tree` fixtures, so every
object sits where a real one would: 甲镇's task, report, evidence, extension, notice,
adjustment, exemption application, project, lead, obstacle and rating point; the district's
source, speech, scheme, published run and bulletin; liaison_a's saved filter and API token.
"""

from datetime import date
from types import SimpleNamespace

from luoshi.accounts.actions import do_create_api_token, do_revoke_api_token
from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEvent
from luoshi.directives.actions import do_create_source
from luoshi.directives.speech_actions import do_import_speech
from luoshi.evaluation.actions import do_create_run, do_publish_run
from luoshi.evaluation.adjustments import do_record_adjustment
from luoshi.incentives.actions import do_apply_for_exemption
from luoshi.incentives.ratings import do_create_point
from luoshi.orgs.models import LeaderOversight
from luoshi.projects.actions import do_create_lead, do_create_project, do_raise_obstacle
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.jobs import build_document
from luoshi.supervision.actions import (
    do_issue_notice,
    do_request_extension,
    do_submit_report,
)
from luoshi.supervision.models import SavedFilter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SPEECH = "同志们：\n今年要抓好三件事。\n一是甲镇要在年底前完成污水管网改造。\n".encode()


def build_world(people, tree, make_task, scheme):
    office, liaison_a = people.office, people.liaison_a
    task = make_task()
    report = do_submit_report(
        task, unit=tree.town_a, week=date(2026, 11, 16), text="完成管网铺设 1.2 公里",
        percent=40, files=[("现场说明.pdf", PDF)], actor=liaison_a,
    )  # fmt: skip
    extension = do_request_extension(
        task, new_deadline=date(2027, 3, 31), reason="雨季停工", actor=liaison_a
    )
    notice = do_issue_notice(task, note="请加快进度", actor=office)
    source = do_create_source(
        kind="meeting", title="区委常委会第13次会议", date=date(2026, 10, 9),
        owner_unit=tree.root, files=[("纪要.pdf", PDF)], actor=office,
    )  # fmt: skip
    speech = do_import_speech(source, name="讲话.txt", data=SPEECH, actor=office)
    run = do_publish_run(do_create_run(scheme, "2026-Q3", actor=office), actor=office)
    adjustment = do_record_adjustment(
        unit=tree.town_a, kind="deduction", points="2", category="重点任务",
        happened_on=date(2026, 8, 10), reason="防汛工程未按期完工", actor=office,
    )  # fmt: skip
    application = do_apply_for_exemption(
        adjustment, facts="暴雨导致停工，已第一时间报告并完成整改。", actor=liaison_a
    )
    project = do_create_project(
        name="甲镇智能制造产业园", kind="industry", level="district", total_investment="30000",
        year_plan="6000", lead_unit=tree.town_a, leader=people.deputy, actor=office,
    )  # fmt: skip
    lead = do_create_lead(
        investor="某装备公司", industry="智能制造", intended_investment="9000",
        source_unit=tree.town_a, actor=liaison_a,
    )  # fmt: skip
    obstacle = do_raise_obstacle(
        project, category="land", description="用地指标未落实", addressed_to=tree.finance,
        raised_by=tree.town_a, actor=office,
    )  # fmt: skip
    token, key = do_create_api_token(
        user=liaison_a, name="台账同步", role=Role.LIAISON, unit=tree.town_a, actor=liaison_a
    )
    revoked, revoked_key = do_create_api_token(
        user=liaison_a, name="旧脚本", role=Role.LIAISON, unit=tree.town_a, actor=liaison_a
    )
    do_revoke_api_token(revoked, actor=liaison_a)
    tokens = {"liaison_a": key, "revoked": revoked_key}
    for name, unit, role in [
        ("office", tree.root, Role.OFFICE),
        ("liaison_b", tree.town_b, Role.LIAISON),
        ("provider", tree.finance, Role.DATA_PROVIDER),
    ]:
        tokens[name] = do_create_api_token(
            user=getattr(people, name), name="矩阵", role=role, unit=unit, actor=office
        )[1]
    node = scheme.nodes.filter(parent__isnull=False).first()
    return SimpleNamespace(
        unit_a=tree.town_a,
        oversight=LeaderOversight.objects.filter(unit=tree.town_a).first(),
        person=liaison_a,
        membership=liaison_a.memberships.get(),
        token=token,
        tokens=tokens,
        event=AuditEvent.objects.order_by("pk").first(),
        saved_filter=SavedFilter.objects.create(user=liaison_a, name="红灯", query="light=red"),
        task=task,
        report=report,
        evidence=report.files.get(),
        extension=extension,
        notice=notice,
        month="2026-11",
        source=source,
        source_file=source.files.get(),
        speech=speech,
        indicator=scheme.nodes.exclude(indicator=None).first().indicator.code,
        period="2026-Q3",
        move="submit",
        run=run,
        village_a1=tree.village_a1,
        adjustment=adjustment,
        application=application,
        scheme=scheme.scheme.code,
        node=node,
        document=build_document(do_request_document(run, actor=office).pk),
        fmt="pdf",
        project=project,
        lead=lead,
        obstacle=obstacle,
        rating_token=do_create_point(unit=tree.town_a, name="便民服务中心", actor=office).token,
    )
