"""A bulletin as an editable Word document in the GB/T 9704-2012 layout.

A4; top margin (天头) 37 mm, left (订口) 28 mm, type area 156 × 225 mm; body 3号 (16 pt)
仿宋_GB2312 on a grid of 22 lines of 28 characters; red issuer header and red rule; title
2号 (22 pt) 方正小标宋简体; headings 黑体 then 楷体_GB2312; page numbers "— 1 —" in 4号
宋体, right on odd pages and left on even ones; 版记 (抄送, 印发) between rules at the end.
The fonts are named as offices' computers have them; Word substitutes where one is missing.
"""

import io

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from luoshi.audit.stamp import stamp_docx

from .bulletin import Fact, OfficialDocument, cn_date
from .charts import score_bars
from .pdf_render import issuer_size

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI = (
    "仿宋_GB2312",
    "方正小标宋简体",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
RED = RGBColor(0xFF, 0x00, 0x00)
BODY = Pt(16)  # 3号
LINE = Pt(28.95)  # 225 mm / 22 lines
TYPE_WIDTH_PT = 442.2  # 156 mm


def _font(run, east_asia: str, size=BODY, *, bold=False, color=None, latin="Times New Roman"):
    run.font.name = latin
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(doc, text="", *, font=FANGSONG, size=BODY, indent=True, align=None, bold=False):
    p = doc.add_paragraph()
    f = p.paragraph_format
    f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    f.space_before = f.space_after = Pt(0)
    if indent:
        f.first_line_indent = Pt(size.pt * 2)  # two characters
    if align is not None:
        p.alignment = align
    if text:
        _font(p.add_run(text), font, size, bold=bold)
    return p


def _border(paragraph, edge: str, size_eighths: int, color: str = "FF0000"):
    borders = paragraph._p.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        paragraph._p.get_or_add_pPr().append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), "1")
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_number(footer, align):
    p = footer.paragraphs[0]
    p.alignment = align
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(14)  # one 4号 char
    _font(p.add_run("— "), SONGTI, Pt(14))
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    _font(p.add_run(" —"), SONGTI, Pt(14))


def _layout(doc):
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), "579")  # 28.95 pt in twentieths of a point
    # Character pitch = 16 pt + charSpace / 4096 pt; 28 characters in 156 mm → 15.79 pt.
    grid.set(qn("w:charSpace"), str(round((TYPE_WIDTH_PT / 28 - 16) * 4096)))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)


def _table(doc, caption, table):
    _paragraph(doc, caption, font=KAITI, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(table.widths) or len(table.header)
    widths = [Mm(156 * w / total) for w in (table.widths or [1] * len(table.header))]
    for cells in ([table.header], table.rows):
        for values in cells:
            row = t.rows[0] if values is table.header else t.add_row()
            for k, value in enumerate(values):
                cell = row.cells[k]
                cell.width = widths[k]
                p = cell.paragraphs[0]
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _font(p.add_run(value), HEITI if values is table.header else FANGSONG, Pt(14))


def render_docx(bulletin: OfficialDocument) -> bytes:
    doc = Document()
    _layout(doc)
    # 版头: issuer in red, number, red rule.
    size = Pt(issuer_size(bulletin.issuer))
    head = _paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    head.paragraph_format.line_spacing = Pt(size.pt * 1.3)
    _font(head.add_run(bulletin.issuer), XIAOBIAOSONG, size, color=RED)
    _paragraph(doc, indent=False)
    number = _paragraph(doc, bulletin.number or "", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    _border(number, "bottom", 18)
    _paragraph(doc, indent=False)
    # 主体.
    title = _paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _font(title.add_run(bulletin.title), XIAOBIAOSONG, Pt(22))
    _paragraph(doc, indent=False)
    if bulletin.addressee:
        _paragraph(doc, bulletin.addressee, indent=False)
    for section in bulletin.sections:
        _paragraph(doc, section.heading, font=HEITI)
        for paragraph in section.paragraphs:
            p = _paragraph(doc)
            for segment in paragraph:
                text = segment.text if isinstance(segment, Fact) else segment
                _font(p.add_run(text), FANGSONG)
        for caption, table in section.tables:
            _table(doc, caption, table)
        for caption, chart in section.charts:
            picture = _paragraph(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
            picture.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            png = score_bars(chart["labels"], chart["values"], chart["mean"], fmt="png")
            picture.add_run().add_picture(io.BytesIO(png), width=Mm(150))
            _paragraph(
                doc, f"图：{caption}", font=KAITI, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
            )
    _paragraph(doc, indent=False)
    _paragraph(doc, f"（{bulletin.source_note}）")
    _paragraph(doc, indent=False)
    for text in (bulletin.signature, cn_date(bulletin.signed_on)):
        p = _paragraph(doc, text, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        p.paragraph_format.right_indent = Pt(64)  # 4 characters
    # 版记: 抄送 and 印发 between a thick top rule, a thin middle one and a thick bottom one.
    _paragraph(doc, indent=False)
    if bulletin.copy_to:
        copy = _paragraph(doc, indent=False)
        copy.paragraph_format.left_indent = copy.paragraph_format.right_indent = Pt(14)
        _font(copy.add_run(f"抄送：{bulletin.copy_to}"), FANGSONG, Pt(14))
        _border(copy, "top", 8, "000000")
        _border(copy, "bottom", 6, "000000")
    printed = _paragraph(doc, indent=False)
    if not bulletin.copy_to:
        _border(printed, "top", 8, "000000")
    printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = Pt(14)
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(28))
    _font(
        printed.add_run(f"{bulletin.printed_by}\t{cn_date(bulletin.signed_on)}印发"),
        FANGSONG,
        Pt(14),
    )
    _border(printed, "bottom", 8, "000000")
    stamp_docx(doc)  # the latest audit checkpoint's id, as a custom document property
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
