"""Statements (对账单), supervision orders (督办单) and meeting packs (会议材料)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.jobs import build_document
from luoshi.publishing.models import GeneratedDocument

pytestmark = pytest.mark.django_db
K = GeneratedDocument.Kind


def text_of(document: GeneratedDocument) -> str:
    with document.docx.open("rb") as f:
        doc = Document(io.BytesIO(f.read()))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_a_unit_makes_its_own_statement_and_reads_it(published, people, tree, login):
    client = login(people.liaison_a)
    url = reverse("publishing:statement_request", args=[published.pk, tree.town_a.pk])
    response = client.post(url)
    document = GeneratedDocument.objects.get(kind=K.STATEMENT)
    assert response.url == reverse("publishing:document", args=[document.pk])
    build_document(document.pk)
    document.refresh_from_db()
    text = text_of(document)
    # 甲镇: 70.00 points, 2nd of 5, 12.50 behind 乙街道; lost all 30 points on safety.
    assert (
        "甲镇2026年第三季度镇街季度考核对账单" in text
        and "70.00" in text
        and "乙街道" in text
        and "12.50" in text
    )
    assert "安全生产" in text and "30.00" in text
    assert (
        client.get(reverse("publishing:document_file", args=[document.pk, "pdf"])).status_code
        == 200
    )
    # Not another unit's statement, and town B's people cannot read town A's.
    other = reverse("publishing:statement_request", args=[published.pk, tree.town_b.pk])
    assert client.post(other).status_code == 404
    b = login(people.liaison_b)
    assert b.get(reverse("publishing:document", args=[document.pk])).status_code == 404


def test_supervision_order_for_a_late_task(people, tree, make_task, login):
    task = make_task(
        title="推进甲镇污水管网改造", deadline=date(2026, 3, 31), start=date(2026, 1, 1)
    )
    client = login(people.office)
    client.post(reverse("publishing:order_request", args=[task.pk]))
    document = GeneratedDocument.objects.get(kind=K.ORDER)
    build_document(document.pk)
    document.refresh_from_db()
    text = text_of(document)
    assert "推进甲镇污水管网改造" in text and "甲镇：" in text and "督办〔" in text
    assert "已逾期" in text and document.sequence == 1
    # The lead unit reads its order; it cannot issue one.
    liaison = login(people.liaison_a)
    assert liaison.get(reverse("publishing:document", args=[document.pk])).status_code == 200
    assert liaison.post(reverse("publishing:order_request", args=[task.pk])).status_code == 403
    second = do_request_document(kind=K.ORDER, task=task, actor=people.office)
    assert second.sequence == 2


def test_meeting_pack_lists_open_decisions_and_red_items(people, tree, make_task, source, login):
    make_task(title="已完成前的事项", deadline=date(2026, 3, 31), start=date(2026, 1, 1))
    make_task(title="按期推进的事项", unit=tree.town_b)
    client = login(people.office)
    client.post(reverse("publishing:meeting_request", args=[source.pk]))
    document = GeneratedDocument.objects.get(kind=K.MEETING)
    build_document(document.pk)
    document.refresh_from_db()
    text = text_of(document)
    assert source.title in text and "按期推进的事项" in text and "已完成前的事项" in text
    assert document.sequence is None
    with pytest.raises(NotAllowed):
        do_request_document(kind=K.MEETING, source=source, actor=people.liaison_a)
    with pytest.raises(ActionError):
        do_request_document(kind=K.MEETING, source=None, actor=people.office)
