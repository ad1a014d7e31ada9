"""A full disk during an upload: the person is told, nothing of the new submission is kept,
and every file stored before is still there and unchanged."""

import errno
from datetime import date

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from luoshi.supervision.actions import do_submit_report
from luoshi.supervision.models import ProgressReport, ReportFile
from luoshi.supervision.tests.conftest import make_task, source  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_full_disk_is_reported_and_loses_nothing_already_stored(
    people,
    make_task,  # noqa: F811
    login,
    monkeypatch,
):
    task = make_task()
    earlier = do_submit_report(
        task, unit=task.lead_unit, week=date(2026, 11, 9), text="上周进展", percent=30,
        files=[("上周.pdf", PDF)], actor=people.liaison_a,
    )  # fmt: skip
    stored = earlier.files.get()

    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    response = login(people.liaison_a).post(
        reverse("supervision:report_submit", args=[task.pk]),
        {"text": "本周进展", "percent": 50, "week": "2026-11-16",
         "files": SimpleUploadedFile("本周.pdf", PDF)},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert "无法保存「本周.pdf」" in response.content.decode()
    assert list(ProgressReport.objects.values_list("pk", flat=True)) == [earlier.pk]
    assert ReportFile.objects.count() == 1
    with stored.file.open("rb") as f:
        assert f.read() == PDF
