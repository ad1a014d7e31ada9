from datetime import date

import pytest

from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.supervision.actions import (
    do_accept_report,
    do_approve_report,
    do_return_report,
    do_submit_report,
)
from luoshi.supervision.models import ProgressReport, Task, TaskEvent

pytestmark = pytest.mark.django_db
R = ProgressReport.State
WEEK = date(2026, 11, 16)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(task, people, **kw):
    values = {
        "unit": task.lead_unit,
        "week": WEEK,
        "text": "完成管网铺设 1.2 公里",
        "percent": 40,
        "actor": people.liaison_a,
    }
    values.update(kw)
    return do_submit_report(task, **values)


def test_submit_approve_return_fix_resubmit_accept(people, make_task):
    task = make_task()
    report = submit(task, people, files=[("现场照片说明.pdf", PDF)])
    assert report.state == R.SUBMITTED and report.files.get().sha256
    assert Task.objects.get(pk=task.pk).state == Task.State.IN_PROGRESS
    report = do_approve_report(report, actor=people.head_a)
    report = do_return_report(report, reason="请补充现场照片", actor=people.office)
    assert report.state == R.RETURNED and report.return_reason == "请补充现场照片"
    report = submit(task, people, text="完成管网铺设 1.2 公里，附照片", percent=45)
    assert report.state == R.SUBMITTED and report.revision == 2
    report = do_approve_report(report, actor=people.head_a)
    do_accept_report(report, actor=people.office)
    assert Task.objects.get(pk=task.pk).percent == 45
    kinds = list(task.events.filter(report__isnull=False).values_list("kind", flat=True))
    assert kinds == [
        "report_submitted",
        "report_approved",
        "report_returned",
        "report_submitted",
        "report_approved",
        "report_accepted",
    ]


def test_bad_input_names_the_field_and_stores_nothing(people, make_task):
    task = make_task()
    for kwargs, field in [
        ({"text": "  "}, "text"),
        ({"percent": 101}, "percent"),
        ({"percent": "四十"}, "percent"),
        ({"week": date(2030, 1, 7)}, "week"),
        ({"files": [("setup.exe", b"MZ\x90\x00")]}, "files"),
        ({"files": [("photo.jpg", PDF)]}, "files"),  # a PDF pretending to be a photo
        ({"files": [("empty.pdf", b"")]}, "files"),
    ]:
        with pytest.raises(ActionError) as e:
            submit(task, people, **kwargs)
        assert e.value.field == field, kwargs
    assert not ProgressReport.objects.exists()


def test_approved_reports_cannot_be_overwritten(people, make_task):
    task = make_task()
    do_approve_report(submit(task, people), actor=people.head_a)
    with pytest.raises(ActionError):
        submit(task, people, text="改一下")


def test_who_may_report_and_review(people, make_task, tree):
    task = make_task()
    for outsider in (people.liaison_b, people.liaison_a1, people.office, people.deputy):
        with pytest.raises((NotAllowed, ActionError)):
            submit(task, people, actor=outsider)
    with pytest.raises(ActionError):
        submit(
            task, people, unit=tree.town_b, actor=people.liaison_b
        )  # not responsible for the task
    report = submit(task, people)
    with pytest.raises(NotAllowed):
        do_approve_report(
            report, actor=people.liaison_a
        )  # the liaison cannot approve their own report
    with pytest.raises(ActionError):
        do_accept_report(report, actor=people.office)  # not yet approved by the head


def test_a_task_must_be_signed_for_first(people, make_task):
    task = make_task(accept=False)
    with pytest.raises(ActionError) as e:
        submit(task, people)
    assert e.value.field == "state"


def test_late_submission_is_marked(people, make_task):
    task = make_task()
    report = submit(task, people, week=date(2026, 10, 12))
    assert report.late is True
    assert task.events.filter(kind=TaskEvent.Kind.REPORT_SUBMITTED).count() == 1


def test_evidence_downloads_only_for_those_who_see_the_report(people, make_task, login):
    from django.urls import reverse

    task = make_task()
    report = submit(task, people, files=[("现场照片说明.pdf", PDF)])
    url = reverse("supervision:evidence", args=[report.files.get().pk])
    response = login(people.office).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert (
        response["Content-Type"] == "application/pdf"
        and "attachment" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    for outsider in (people.liaison_b, people.liaison_a1, people.observer):
        assert login(outsider).get(url).status_code == 404
    assert (
        url
        in login(people.office).get(reverse("supervision:task", args=[task.pk])).content.decode()
    )
