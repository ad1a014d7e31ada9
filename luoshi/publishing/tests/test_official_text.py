"""The text of an official document is official: no internal ids or checksums (those are in
the document's properties), periods in words, notes after their table, only overdue items in
the red list, a 版记 that never breaks a name; and one document has one number whatever
formats are made from it."""

import io
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn

from luoshi.publishing import layout as L
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.bulletin import RED_TABLE_ROWS, compose
from luoshi.publishing.jobs import build_document
from luoshi.publishing.models import GeneratedDocument
from luoshi.supervision.models import Light, Task

pytestmark = pytest.mark.django_db
K = GeneratedDocument.Kind


def _word_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdf_text(path) -> str:
    """The PDF's text without the spaces pdftotext reads into the gaps around digits."""
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")


def test_no_ids_or_checksums_in_the_text_but_in_the_properties(published, people, tree, tmp_path):
    bulletin = do_request_document(published, actor=people.office)
    statement = do_request_document(
        published, kind=K.STATEMENT, unit=tree.town_a, actor=people.office
    )
    for document in (bulletin, statement):
        document = build_document(document.pk)
        word = document.docx.read()
        pdf = tmp_path / f"{document.pk}.pdf"
        pdf.write_bytes(document.pdf.read())
        for text in (_word_text(word), _pdf_text(pdf)):
            assert published.inputs_hash[:8] not in text and "#" not in text
            assert "校验码" not in text and "2026-Q3" not in text
            assert "2026年第三季度" in text
        with zipfile.ZipFile(io.BytesIO(word)) as z:
            custom = z.read("docProps/custom.xml").decode()
            core = z.read("docProps/core.xml").decode()
        assert published.inputs_hash in custom and f">{published.pk}<" in custom
        assert f'name="LuoshiDocument"><vt:lpwstr>{document.pk}<' in custom
        assert "<dc:language>zh-CN</dc:language>" in core
        info = subprocess.run(
            ["pdfinfo", "-custom", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(rf"LuoshiInputsHash:\s*{published.inputs_hash}", info), info
        assert re.search(rf"LuoshiRun:\s*{published.pk}\n", info), info
    assert document.title.endswith("2026年第三季度对账单")


def test_red_list_holds_overdue_items_only_and_its_note_follows_it(district):
    run, today = district
    # A red light that is not 逾期: a missing weekly report on a task not yet due.
    not_due = Task.objects.filter(light=Light.RED).order_by("-deadline").first()
    Task.objects.filter(pk=not_due.pk).update(deadline=today + timedelta(days=10))
    bulletin = compose(run, sequence=1, today=today)
    section = bulletin.sections[2]
    caption, table = section.tables[0]
    days = [int(row[-1]) for row in table.rows]
    assert len(days) == RED_TABLE_ROWS and min(days) > 0 and days == sorted(days, reverse=True)
    assert not_due.title not in {row[0] for row in table.rows}
    red = Task.objects.filter(light=Light.RED).count()
    text = "".join(s if isinstance(s, str) else s.text for s in section.paragraphs[0])
    assert f"亮红灯的事项{red}项，其中逾期未办结{red - 1}项" in text
    note = "".join(s if isinstance(s, str) else s.text for s in section.notes[0])
    assert (
        note
        == f"表中为逾期最久的{RED_TABLE_ROWS}项，其余{red - 1 - RED_TABLE_ROWS}项见系统红灯清单。"
    )
    # In the Word copy the note comes after the table it speaks of.
    from luoshi.publishing.docx_render import render_docx

    body = Document(io.BytesIO(render_docx(bulletin))).element.body
    order = [
        "table" if el.tag == qn("w:tbl") else "".join(t.text or "" for t in el.iter(qn("w:t")))
        for el in body.iterchildren()
        if el.tag in (qn("w:tbl"), qn("w:p"))
    ]
    tables = [k for k, item in enumerate(order) if item == "table"]
    assert order.index(note) > tables[1]  # the ranking table, then the red list


def test_one_document_one_number_whatever_the_format(published, tmp_path, capsys):
    """The command line made Word then PDF of the same bulletin as 〔2026〕1号 and 2号."""
    word, pdf = tmp_path / "通报.docx", tmp_path / "通报.pdf"
    call_command("publish", "bulletin", run=published.pk, format="docx", out=str(word))
    call_command("publish", "bulletin", run=published.pk, format="pdf", out=str(pdf))
    document = GeneratedDocument.objects.get()
    out = capsys.readouterr().out
    assert out.count(f"〔{document.year}〕1号 →") == 2 and "2号" not in out
    number = f"〔{document.year}〕1号"
    assert number in _word_text(word.read_bytes()) and number in _pdf_text(pdf)
    # Issued again, deliberately, it is another document with the next number, in both formats.
    call_command("publish", "bulletin", run=published.pk, format="pdf", out=str(pdf))
    assert GeneratedDocument.objects.count() == 1  # the command line reuses the one made
    again = do_request_document(published, actor=None)
    assert again.sequence == document.sequence + 1


def test_colophon_lines_break_between_names_only():
    names = "、".join(f"区{'某' * (k % 4)}委员会办公室" for k in range(12)) + "。"
    lines = L.colophon_lines(names)
    assert lines[0].startswith("抄送：") and "".join(lines) == "抄送：" + names
    per_line = int(L.TYPE_WIDTH_PT // L.COLOPHON_PT) - 2
    assert all(len(line) <= per_line for line in lines)
    assert all(line.endswith(("、", "。")) for line in lines)
    assert L.colophon_lines("") == []
