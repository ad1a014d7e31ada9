"""Every official document's Word copy, opened in a real office suite, lays out like the PDF.

LibreOffice (Debian's libreoffice-writer-nogui, which `make test` installs when run as root)
converts each document type's Word copy to PDF in one headless run, with fontconfig aliases
that map the official font names to the free fonts the server has, as an office computer maps
them to its own. Then both PDFs, LibreOffice's and WeasyPrint's, are measured from their text
boxes (pdftotext -bbox-layout): left margin, text width, characters per full line, line pitch,
body lines per page, page count, the red issuer mark on one line, the 版记 at the foot of the
last page with no name broken, the page number under the type area.

The district of conftest.py (30 townships, a published quarter, 47 overdue tasks) makes
documents of several pages: tables that run over a page, a chart, a page of prose.
"""

import os
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass

import pytest

from luoshi.publishing import layout as L
from luoshi.publishing.bulletin import compose
from luoshi.publishing.docx_render import render_docx
from luoshi.publishing.paperwork import compose_meeting_pack, compose_order, compose_statement
from luoshi.publishing.pdf_render import render_pdf
from luoshi.supervision.models import Light, Task

from .geometry import Geometry, measure

pytestmark = pytest.mark.django_db

# What an office computer without the official fonts does, and what the server does for the
# PDF: each official name (and its fallbacks) resolves to a free font of the same kind.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
{aliases}
</fontconfig>
"""
ALIASES = {
    **{name: L.FANGSONG.server for name in L.FANGSONG.names},
    **{name: L.XIAOBIAOSONG.server for name in L.XIAOBIAOSONG.names},
    **{name: L.HEITI.server for name in L.HEITI.names},
    **{name: L.KAITI.server for name in L.KAITI.names},
    **{name: L.SONGTI.server for name in L.SONGTI.names},
    L.LATIN: L.LATIN_SERVER,
}

UNMAPPED = "LibreOffice is not installed (Debian: libreoffice-writer-nogui; `make test` installs it when run as root)"


@dataclass
class Copies:
    name: str
    issuer: str
    printed_by: str
    pdf: Geometry
    word: Geometry  # the Word copy as LibreOffice lays it out


# One entry per document type: how the test makes it. (A new type adds a line here.)
DOCUMENTS = {
    "通报": lambda run, today, tree, source: compose(run, sequence=1, today=today),
    "对账单": lambda run, today, tree, source: compose_statement(run, tree.town_a, today=today),
    "督办单": lambda run, today, tree, source: compose_order(
        Task.objects.filter(light=Light.RED).order_by("deadline").first(),
        owner=tree.root,
        sequence=1,
        today=today,
    ),
    "会议材料": lambda run, today, tree, source: compose_meeting_pack(
        source, owner=tree.root, today=today
    ),
}


def _start_libreoffice(paths, out_dir, tmp_path) -> subprocess.Popen:
    """One headless LibreOffice run for all the Word copies, in the background."""
    conf = tmp_path / "fonts.conf"
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer><family>{to}</family>'
        "</prefer></alias>"
        for name, to in ALIASES.items()
    )
    conf.write_text(FONTS_CONF.format(aliases=aliases), encoding="utf-8")
    return subprocess.Popen(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ],
        env={**os.environ, "FONTCONFIG_FILE": str(conf), "HOME": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.fixture
def copies(district, tree, source, tmp_path):
    if shutil.which("soffice") is None:
        pytest.skip(UNMAPPED)
    run, today = district
    documents = [make(run, today, tree, source) for make in DOCUMENTS.values()]
    words = []
    for k, document in enumerate(documents):
        words.append(tmp_path / f"{k}.docx")
        words[-1].write_bytes(render_docx(document))
    started = time.monotonic()
    office = _start_libreoffice(words, tmp_path / "lo", tmp_path)
    for k, document in enumerate(documents):  # while LibreOffice works
        (tmp_path / f"{k}.pdf").write_bytes(render_pdf(document))
    _, errors = office.communicate(timeout=300)
    assert office.returncode == 0, errors.decode()
    print(f"\nPDFs made and LibreOffice done in {time.monotonic() - started:.1f} s")
    if keep := os.environ.get("LUOSHI_KEEP_DOCUMENTS"):  # to look at them: pdftoppm, a viewer
        shutil.copytree(tmp_path, keep, dirs_exist_ok=True)
    return [
        Copies(
            name,
            document.issuer,
            document.printed_by,
            measure(tmp_path / f"{k}.pdf"),
            measure(tmp_path / "lo" / f"{k}.pdf"),
        )
        for k, (name, document) in enumerate(zip(DOCUMENTS, documents, strict=True))
    ]


TYPE_BOTTOM = (L.PAGE_HEIGHT_MM - L.BOTTOM_MM) * L.MM
LEFT = L.LEFT_MM * L.MM


def _check(g: Geometry, issuer: str, printed_by: str) -> dict:
    """The geometry of one copy; raises AssertionError naming what is off."""
    assert abs(g.left - LEFT) < 1, f"left margin {g.left:.1f} pt, not {LEFT:.1f}"
    full = g.full_lines()
    if full:
        # (28 characters of 15.75 pt leave 1.2 pt; the PDF does not stretch its lines)
        assert abs(g.text_width - L.TYPE_WIDTH_PT) < 2, f"text width {g.text_width:.1f} pt"
    counts = g.chars_per_full_line()
    if counts:
        assert max(counts) == L.CHARS_PER_LINE, f"characters per full line: {dict(counts)}"
        # A line one short is one whose next character may not start a line (，。 and such).
        assert set(counts) <= {L.CHARS_PER_LINE - 1, L.CHARS_PER_LINE}, dict(counts)
    pitches = g.line_pitches()
    assert pitches, "no two body lines in a row"
    assert abs(statistics.median(pitches) - L.PITCH_PT) < 0.2, statistics.median(pitches)
    assert all(abs(p - L.PITCH_PT) < 0.6 for p in pitches), sorted(set(map(round, pitches)))
    per_page = g.body_lines_per_page()
    assert max(per_page) <= L.LINES_PER_PAGE, per_page
    # The red issuer mark: one line on the first page, nothing else on it.
    marks = [line for line in g.lines if line.page == 1 and line.text == issuer]
    assert marks, f"the issuer mark is not on one line: {[x.text for x in g.find(issuer[:3])]}"
    # 版记 at the foot of the last page, 印发机关 and 印发日期 on its last line, names whole.
    # (pdftotext may cut the row at the gap between the two.)
    dates = [line for line in g.find("印发") if line.text.endswith("日印发")]
    assert dates, f"印发日期 broken: {[x.text for x in g.find('印')]}"
    foot = dates[-1]
    row = [line for line in g.lines if line.page == foot.page and abs(line.y0 - foot.y0) < 1]
    assert any(line.text.startswith(printed_by) for line in row), f"印发机关 broken: {row}"
    assert foot.page == g.pages, f"版记 on page {foot.page} of {g.pages}"
    assert TYPE_BOTTOM - L.PITCH_PT < foot.y1 <= TYPE_BOTTOM + 1, f"版记 ends at {foot.y1:.1f}"
    copy_lines = [line for line in g.lines if line.page == g.pages and "抄送" in line.text]
    for line in copy_lines:
        assert line.text[-1] in "、，。", f"a name broken in 抄送: {line.text}"
    # Page numbers: 7 mm under the type area.
    numbers = g.page_numbers()
    assert len(numbers) == g.pages, [n.text for n in numbers]
    gap = min(n.y0 for n in numbers) - TYPE_BOTTOM
    assert abs(gap - L.PAGE_NUMBER_GAP_MM * L.MM) < 2, f"page number {gap / L.MM:.1f} mm under"
    return {
        "pages": g.pages,
        "left_mm": round(g.left / L.MM, 1),
        "width_mm": round(g.text_width / L.MM, 1) if full else None,
        "chars": max(counts) if counts else None,
        "pitch": round(statistics.median(pitches), 2),
        "lines": max(per_page),
    }


def test_word_copy_in_libreoffice_lays_out_like_the_pdf(copies):
    report, failures = [], []
    for c in copies:
        row = {"document": c.name}
        for label, geometry in (("PDF", c.pdf), ("Word→LibreOffice", c.word)):
            try:
                row[label] = _check(geometry, c.issuer, c.printed_by)
            except AssertionError as e:
                failures.append(f"{c.name} ({label}): {e}")
        if c.word.pages != c.pdf.pages:
            failures.append(f"{c.name}: {c.word.pages} pages in LibreOffice, {c.pdf.pages} in PDF")
        report.append(row)
    for row in report:
        print(row)
    assert not failures, "\n".join(failures)
    # Somewhere a page is full of body text: 22 lines, in both copies.
    for attr in ("pdf", "word"):
        most = max(max(getattr(c, attr).body_lines_per_page()) for c in copies)
        assert most == L.LINES_PER_PAGE, f"{attr}: at most {most} body lines on a page"
    # Full lines of Chinese text were measured somewhere (28 characters).
    assert any(c.word.chars_per_full_line() for c in copies)
