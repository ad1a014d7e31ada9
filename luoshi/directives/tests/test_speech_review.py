"""From a speech file to tasks: upload, review (edit, merge, split, drop), accept; and who may."""

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from luoshi.directives.actions import do_create_source
from luoshi.directives.models import Proposal, Source, SpeechImport
from luoshi.directives.speech_actions import (
    do_accept_proposals,
    do_import_speech,
    do_merge_proposals,
    do_split_proposal,
)
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.supervision.models import Task

pytestmark = pytest.mark.django_db

SPEECH = "\n".join(
    [
        "在全区项目建设推进会上的讲话",
        "2025-03-02 1024",
        "同志们:",
        "第一个问题:抓好项目谋划",
        "一是建立重点项目储备库,年底前入库项目不少于50个;二是设立项目建设骏马奖和蜗牛奖,每季度评选一次。",
        "第二个问题:推进乡村振兴",
        "到2026年,全区新建高标准农田X万亩以上,农村生活污水治理率达到60%以上。各级干部要敢于担当、善于作为。",
        "阅读全文",
        "分享:",
    ]
).encode("gb18030")


@pytest.fixture
def meeting(people, tree):
    return do_create_source(
        kind=Source.Kind.MEETING,
        title="全区项目建设推进会",
        date=date(2025, 3, 2),
        owner_unit=tree.root,
        actor=people.office,
    )


def test_office_reads_a_speech_and_turns_proposals_into_tasks(people, tree, meeting, login):
    client = login(people.office)
    response = client.post(
        reverse("directives:speech_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile("讲话.txt", SPEECH)},
    )
    speech = SpeechImport.objects.get()
    assert response.url == reverse("directives:speech", args=[speech.pk])
    assert speech.title == "在全区项目建设推进会上的讲话" and speech.read_as == "gb18030"
    assert {r["line"] for r in speech.removed} >= {"2025-03-02 1024", "阅读全文", "分享："}
    page = client.get(response.url).content.decode()
    assert "第一个问题" in page and "待填" in page  # the outline, and X flagged for a person
    proposals = list(speech.proposals.order_by("order"))
    titles = [p.title for p in proposals]
    assert any("重点项目储备库" in t for t in titles) and any("骏马奖" in t for t in titles)
    assert not any("敢于担当" in p.sentence for p in proposals)
    farmland = next(p for p in proposals if "农田" in p.sentence)
    assert farmland.targets[0]["placeholder"] and farmland.targets[1]["value"] == "60"

    # Give two a lead unit and a deadline on the page, then accept them in one go.
    first, second = proposals[0], proposals[1]
    data = {"do": "accept", "pick": [first.pk, second.pk]}
    for p in (first, second):
        data |= {
            f"title-{p.pk}": p.title,
            f"unit-{p.pk}": tree.town_a.pk,
            f"deadline-{p.pk}": "2027-06-30",
            f"leader-{p.pk}": "",
        }
    client.post(reverse("directives:speech", args=[speech.pk]), data)
    tasks = Task.objects.filter(source=meeting)
    assert tasks.count() == 2 and {t.lead_unit for t in tasks} == {tree.town_a}
    first.refresh_from_db()
    assert first.state == Proposal.State.ACCEPTED and first.task in tasks
    assert first.task.requirement == first.sentence
    target = Task.objects.get(pk=first.task_id)
    assert target.target_value == 50 and target.target_comparison == "ge"


def test_accepting_is_all_or_nothing(people, tree, meeting):
    speech = do_import_speech(meeting, name="讲话.txt", data=SPEECH, actor=people.office)
    proposals = list(speech.proposals.order_by("order"))
    ready = proposals[0]
    ready.lead_unit, ready.deadline = tree.town_a, date(2027, 6, 30)
    ready.save()
    with pytest.raises(ActionError):
        do_accept_proposals(
            speech, proposals[:2], actor=people.office
        )  # the second has no deadline
    assert not Task.objects.exists()
    assert not speech.proposals.filter(state=Proposal.State.ACCEPTED).exists()


def test_merge_and_split(people, meeting):
    speech = do_import_speech(meeting, name="讲话.txt", data=SPEECH, actor=people.office)
    a, b, *_ = speech.proposals.order_by("order")
    merged = do_merge_proposals([a, b], actor=people.office)
    b.refresh_from_db()
    assert b.state == Proposal.State.MERGED and b.merged_into == merged
    assert a.sentence in merged.sentence and b.sentence in merged.sentence
    farmland = speech.proposals.get(sentence__contains="农田")
    parts = do_split_proposal(farmland, actor=people.office)
    assert len(parts) >= 2 and all(p.state == Proposal.State.PROPOSED for p in parts)
    assert any(p.targets and p.targets[0]["value"] == "60" for p in parts)


def test_only_the_office_imports_and_decides(people, tree, meeting, login):
    with pytest.raises(NotAllowed):
        do_import_speech(meeting, name="讲话.txt", data=SPEECH, actor=people.liaison_a)
    speech = do_import_speech(meeting, name="讲话.txt", data=SPEECH, actor=people.office)
    assert (
        login(people.liaison_b).get(reverse("directives:speech", args=[speech.pk])).status_code
        == 404
    )
    secretary = login(people.secretary)
    assert secretary.get(reverse("directives:speech", args=[speech.pk])).status_code == 200
    assert (
        secretary.post(reverse("directives:speech", args=[speech.pk]), {"do": "drop"}).status_code
        == 403
    )


@pytest.mark.parametrize(
    "name, data",
    [("讲话.xlsx", b"PK\x03\x04"), ("讲话.txt", b""), ("讲话.pdf", b"%PDF-1.4\n%%EOF\n")],
)
def test_bad_files_are_refused_and_nothing_is_written(people, meeting, name, data):
    with pytest.raises(ActionError) as e:
        do_import_speech(meeting, name=name, data=data, actor=people.office)
    assert e.value.field == "file" and not SpeechImport.objects.exists()


def test_command_line_prints_without_writing(tmp_path, capsys):
    path = tmp_path / "讲话.txt"
    path.write_bytes(SPEECH)
    call_command("import_speech", str(path))
    out = capsys.readouterr().out
    assert "标题：在全区项目建设推进会上的讲话" in out and "第一个问题" in out and "待填" in out
    call_command("import_speech", str(path), json=True)
    found = json.loads(capsys.readouterr().out)
    assert found["title"] == "在全区项目建设推进会上的讲话" and found["proposals"]
    assert not SpeechImport.objects.exists()


UNTITLED = "\n".join(
    [
        "您好，欢迎访问本站",
        "同志们：",
        "今天召开全区秋粮收购工作会议，安排部署秋粮收购工作。",
        "粮食安全是国之大者，是经济社会发展的压舱石。",
        "区粮食和物资储备局要在10月底前完成全区12个收购网点的设备检修。",
        "要加强收购资金保障，提升服务水平。",
        "各级干部要切实增强责任意识，以更加务实的作风抓好落实。",
    ]
).encode("utf-8")


def test_review_page_shows_confidence_folds_the_unlikely_and_says_a_title_was_proposed(
    people, meeting, login
):
    speech = do_import_speech(meeting, name="讲话.txt", data=UNTITLED, actor=people.office)
    assert speech.title == "在全区秋粮收购工作会议上的讲话" and speech.title_proposed
    by_sentence = {p.sentence: p for p in speech.proposals.all()}
    likely = by_sentence["区粮食和物资储备局要在10月底前完成全区12个收购网点的设备检修。"]
    unsure = by_sentence["要加强收购资金保障，提升服务水平。"]
    assert likely.confidence >= 0.5 and "a deadline" in likely.reasons
    assert 0 < unsure.confidence < 0.5
    # Principle and exhortation are not proposed at all.
    assert not any("国之大者" in s or "责任意识" in s for s in by_sentence)
    html = login(people.office).get(reverse("directives:speech", args=[speech.pk])).content
    html = html.decode()
    assert "原文没有标题" in html and "可信度" in html and "有完成时限" in html
    # The proposals' table (the cleaned text above it shows every sentence).
    table, folded = html[html.index("建议的工作任务") :].split('<details class="folded">')
    assert likely.sentence in table and unsure.sentence not in table
    assert unsure.sentence in folded and "另有 1 项可能性较低的建议已折叠" in folded
