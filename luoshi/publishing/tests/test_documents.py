"""The bulletin as Word and PDF: its numbers come from the run, its layout from GB/T 9704."""

import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTCollection, TTFont
from PIL import Image

from luoshi.evaluation.actions import do_create_run
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.publishing.actions import do_request_document
from luoshi.publishing.bulletin import Fact, compose
from luoshi.publishing.docx_render import render_docx
from luoshi.publishing.jobs import build_document
from luoshi.publishing.models import GeneratedDocument
from luoshi.publishing.pdf_render import render_pdf

pytestmark = pytest.mark.django_db
MM = 72 / 25.4  # pixels per millimetre at 72 dpi


def prose(bulletin):
    for section in bulletin.sections:
        yield from section.paragraphs


def test_every_number_in_the_prose_is_a_fact_with_its_source(published):
    bulletin = compose(published, sequence=7)
    top = published.results.get(rank_class=1).unit_id
    assert Fact("82.50", reverse("publishing:scorecard", args=[published.pk, top])) in set(
        bulletin.facts()
    )
    for paragraph in prose(bulletin):
        for segment in paragraph:
            if isinstance(segment, Fact):
                assert segment.href.startswith("/")
                continue
            # Outside facts, digits appear only in the as-of date and the reply deadline.
            rest = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日|\d+个工作日内", "", segment)
            assert not re.search(r"\d", rest), segment
    assert bulletin.number.endswith(f"〔{bulletin.signed_on.year}〕7号")
    text = "".join(s.text if isinstance(s, Fact) else s for p in prose(bulletin) for s in p)
    assert "平均得分48.50分" in text and "最高的是乙街道（82.50分）" in text


def test_word_copy_holds_the_numbers_in_the_official_layout(published):
    data = render_docx(compose(published, sequence=1))
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    # Word stores lengths in twentieths of a point: equal to a tenth of a millimetre.
    for length, mm in [
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.left_margin, 28),
        (section.bottom_margin, 35.3),  # 22 lines of 28.95 pt exactly (layout.py)
        (section.right_margin, 26),
    ]:
        assert abs(length.mm - mm) < 0.1, (length.mm, mm)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == "579"  # 22 lines in the 225 mm type area
    body = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "乙街道" in cells and "82.50" in cells and "70.00" in cells
    assert "关于2026年第三季度\n镇街季度考核结果的通报" in body  # cut in balanced lines
    xml = data.decode("latin-1")
    for font in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"):
        assert font.encode().decode("latin-1") in xml or font in body or _docx_names(data, font)
    # Chinese by default, the fallbacks named, nothing left of python-docx's Japanese template.
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        styles, fonts = z.read("word/styles.xml").decode(), z.read("word/fontTable.xml").decode()
        settings = z.read("word/settings.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles and "ja-JP" not in styles + settings
    assert "ＭＳ" not in fonts and '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert '<w:font w:name="仿宋"><w:altName w:val="FangSong"/>' in fonts
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="小标宋"/>' in fonts
    assert '<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>' in fonts
    assert "docProps/thumbnail.jpeg" not in names
    assert [
        s.name for s in doc.styles if s.name in ("发文机关标志", "公文标题", "一级标题", "版记")
    ]
    assert grid.get(qn("w:type")) == "lines"


def _docx_names(data: bytes, font: str) -> bool:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return any(font in z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def _fonts_used(pdf_path) -> list[str]:
    out = subprocess.run(["pdffonts", pdf_path], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    return [name.split("+", 1)[-1].replace("-", " ") for name in names]


def _cmap(family: str) -> set[int]:
    path = subprocess.run(
        ["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True
    ).stdout
    fonts = TTCollection(path).fonts if path.endswith(".ttc") else [TTFont(path)]
    for font in fonts:
        names = {n.toUnicode() for n in font["name"].names if n.nameID in (1, 4, 16)}
        if any(family.startswith(n) or n.startswith(family) for n in names):
            return set(font.getBestCmap())
    return set(fonts[0].getBestCmap())


def test_pdf_is_a4_with_gbt_9704_margins_and_no_missing_glyph(published, tmp_path):
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(render_pdf(compose(published, sequence=1)))
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pages
    first = Image.open(pages[0]).convert("RGB")
    assert abs(first.size[0] - 595.3) <= 1 and abs(first.size[1] - 841.9) <= 1  # A4 at 72 dpi
    width, height = first.size
    px = first.load()
    dark = [(x, y) for y in range(height) for x in range(width) if sum(px[x, y]) < 600]
    red = [(x, y) for x, y in dark if px[x, y][0] > 200 and px[x, y][1] < 80]
    # The red rule under the document number spans the type area: 28 mm to 184 mm.
    rule_y = max(y for _x, y in red)
    rule = [x for x, y in red if y == rule_y]
    assert abs(min(rule) / MM - 28) < 1.5 and abs(max(rule) / MM - 184) < 1.5
    # Everything but the page number stays inside the type area (37 mm top, 35 mm bottom).
    body = [(x, y) for x, y in dark if y < (297 - 35) * MM]
    assert min(y for _x, y in body) / MM > 36
    assert min(x for x, _y in body) / MM > 27 and max(x for x, _y in body) / MM < 185
    number = [(x, y) for x, y in dark if y > (297 - 35) * MM]
    assert number and min(y for _x, y in number) / MM < 297 - 20  # page number near the text
    # No glyph missing: every character printed is in one of the fonts embedded.
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    covered = set().union(*(_cmap(f) for f in _fonts_used(str(pdf))))
    missing = {c for c in text if not c.isspace() and ord(c) not in covered}
    assert not missing, missing
    assert "82.50" in text and "乙街道" in text
    # 28 characters to a full line of prose (the next steps are all Chinese characters).
    lines = [
        line.strip()
        for line in text.splitlines()
        if re.fullmatch(r"[\u4e00-\u9fff，、；。]+", line.strip())
    ]
    assert 28 in {len(line) for line in lines}, lines


def test_office_requests_the_bulletin_and_downloads_both_copies(published, people, login, tree):
    client = login(people.office)
    response = client.post(reverse("publishing:document_request", args=[published.pk]))
    document = GeneratedDocument.objects.get()
    assert response.url == reverse("publishing:document", args=[document.pk])
    page = client.get(response.url).content.decode()
    assert "hx-trigger" in page  # queued: the page polls for progress
    build_document(document.pk)  # what `luoshi worker` runs
    page = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page and "100%" in page
    for fmt in ("docx", "pdf"):
        got = client.get(reverse("publishing:document_file", args=[document.pk, fmt]))
        assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    second = do_request_document(published, actor=people.office)  # issued again, deliberately
    assert second.sequence == document.sequence + 1  # numbers follow each other
    # A liaison sees the run (its own row) but neither makes nor reads the bulletin.
    liaison = login(people.liaison_a)
    assert liaison.get(reverse("publishing:document", args=[document.pk])).status_code == 404
    assert (
        liaison.get(reverse("publishing:document_file", args=[document.pk, "pdf"])).status_code
        == 404
    )
    assert (
        liaison.post(reverse("publishing:document_request", args=[published.pk])).status_code == 403
    )
    with pytest.raises(NotAllowed):
        do_request_document(published, actor=people.head_a)


def test_a_draft_has_no_bulletin(people, scheme):
    draft = do_create_run(scheme, "2026-Q3", actor=people.office)
    with pytest.raises(ActionError):
        do_request_document(draft, actor=people.office)
    assert not GeneratedDocument.objects.exists()


def test_publish_command_writes_the_requested_format(published, tmp_path, capsys):
    out = tmp_path / "通报.docx"
    call_command("publish", "bulletin", run=published.pk, format="docx", out=str(out))
    assert Document(str(out)).tables and "〔" in capsys.readouterr().out
