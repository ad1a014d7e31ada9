"""An official document as an editable Word file in the layout of ``layout.py``.

Offices edit the Word copy before they send it, in Word, WPS or LibreOffice, so the layout is
carried by what all three read the same way: named paragraph styles on a zh-CN default (not
direct formatting on every run), a line grid of 22 lines, −0.25 pt tracking for 28
characters a line, the official font names with their fallbacks in the font table, and the
版记 in frames at the foot of the last page. python-docx's template is Japanese by default
(ja-JP, ＭＳ 明朝) and carries a thumbnail of another document: both are replaced.
"""

import io
from datetime import datetime, time

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from . import layout as L
from .bulletin import Fact, OfficialDocument, cn_date
from .charts import score_bars

CENTER, LEFT, RIGHT, BOTH = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)

# Style ids as offices see them in the style gallery.
ISSUER, NUMBER, TITLE, ADDRESSEE = "发文机关标志", "发文字号", "公文标题", "主送机关"
HEADING, CAPTION, CELL, HEAD_CELL = "一级标题", "表题", "表格文字", "表头文字"
FIGURE, SIGNATURE, COLOPHON, PAGE_NUMBER = "图", "落款", "版记", "页码"

# Font table: each official name, what it falls back to, and GB2312 (charset 86) so that a
# computer without it picks a Chinese face of the same kind rather than a Latin one.
_FALLBACKS = {
    face.names[k]: face.names[k + 1] for face in L.FACES for k in range(len(face.names) - 1)
}


def _twips(pt: float) -> int:
    return round(pt * 20)


# WordprocessingML fixes the order of a property element's children; Word refuses a file
# that breaks it ("unreadable content") where LibreOffice would not mind.
_ORDER = {
    "pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss "
    "imprint noProof snapToGrid vanish webHidden color spacing w kern position sz szCs "
    "highlight u effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish "
    "oMath",
    "tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize "
    "tblW jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "trPr": "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden",
}


def _put(parent, tag: str, children: str = "", **attrs):
    """Add (or replace) the child ``w:<tag>`` of a property element, at its place in the
    order; ``attrs`` become w: attributes, ``children`` is inner XML with the w: prefix."""
    attributes = "".join(f' w:{k}="{v}"' for k, v in attrs.items())
    element = parse_xml(f"<w:{tag} {nsdecls('w')}{attributes}>{children}</w:{tag}>")
    existing = parent.find(qn(f"w:{tag}"))
    if existing is not None:
        parent.replace(existing, element)
        return element
    order = _ORDER[parent.tag.split("}")[1]].split()
    later = {qn(f"w:{t}") for t in order[order.index(tag) + 1 :]}
    for k, child in enumerate(parent):
        if child.tag in later:
            parent.insert(k, element)
            return element
    parent.append(element)
    return element


def _set_fonts(rpr, face: L.Face, latin: str = L.LATIN) -> None:
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), face.official)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)


def _tracking(rpr, pt: float) -> None:
    _put(rpr, "spacing", val=_twips(pt))


def _off(ppr, *flags: str) -> None:
    for flag in flags:
        _put(ppr, flag, val=0)


def _defaults(doc) -> None:
    """docDefaults and Normal: 仿宋 3号 in zh-CN on the 28.95 pt line, justified, two-character
    first-line indent, −0.25 pt tracking, widow control, no hanging punctuation."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, L.FANGSONG)
    rpr.find(qn("w:sz")).set(qn("w:val"), str(L.BODY_PT * 2))
    rpr.find(qn("w:szCs")).set(qn("w:val"), str(L.BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr):
        ppr.remove(child)
    _put(ppr, "widowControl")
    _put(ppr, "spacing", before=0, after=0, line=L.PITCH_TWIPS, lineRule="exact")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(L.BODY_PT)
    _set_fonts(normal.element.get_or_add_rPr(), L.FANGSONG)
    _tracking(normal.element.get_or_add_rPr(), L.TRACKING_PT)
    f = normal.paragraph_format
    f.alignment = BOTH
    f.first_line_indent = Pt(L.BODY_PT * 2)
    f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(L.PITCH_PT)
    f.space_before = f.space_after = Pt(0)
    f.widow_control = True
    # Punctuation may not hang past the margin (it would make 29-character lines). Written as
    # overflowPunct="1": LibreOffice (7.4 and later) reads this switch the wrong way round and
    # hangs punctuation unless it is 1; Word allows hanging, its default. See PUBLISHING.md.
    _put(normal.element.get_or_add_pPr(), "overflowPunct", val=1)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "en-US")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _style(doc, name, face, size, *, align=None, indent=0, line=L.PITCH_PT, color=None,
           tracking=None, keep_next=False, outline=None, grid=True):  # fmt: skip
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    if color:
        style.font.color.rgb = RGBColor.from_string(color)
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, face)
    _tracking(rpr, L.TRACKING_PT if tracking is None else tracking)
    f = style.paragraph_format
    f.first_line_indent = Pt(indent)
    if align is not None:
        f.alignment = align
    if line is None:
        f.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    f.keep_with_next = keep_next
    if not grid:
        # Lines of another height than the grid's: LibreOffice would round each one up to
        # whole grid lines (a two-line title over four lines, table rows twice as high).
        _off(style.element.get_or_add_pPr(), "snapToGrid")
    if outline is not None:
        _put(style.element.get_or_add_pPr(), "outlineLvl", val=outline)
    return style


def _styles(doc, issuer_pt: float) -> None:
    _style(doc, ISSUER, L.XIAOBIAOSONG, issuer_pt, align=CENTER, line=round(issuer_pt * 1.3, 1),
           color=L.RED, tracking=0, grid=False)  # fmt: skip
    _style(doc, NUMBER, L.FANGSONG, L.BODY_PT, align=CENTER, tracking=0, grid=False)
    _style(doc, TITLE, L.XIAOBIAOSONG, L.TITLE_PT, align=CENTER, line=L.TITLE_LINE_PT, tracking=0,
           grid=False)  # fmt: skip
    _style(doc, ADDRESSEE, L.FANGSONG, L.BODY_PT)
    _style(doc, HEADING, L.HEITI, L.BODY_PT, indent=L.BODY_PT * 2, keep_next=True, outline=0)
    _style(doc, CAPTION, L.KAITI, L.BODY_PT, align=CENTER, keep_next=True, tracking=0)
    _style(doc, CELL, L.FANGSONG, L.TABLE_PT, align=CENTER, line=L.TABLE_LINE_PT, tracking=0,
           grid=False)  # fmt: skip
    _style(doc, HEAD_CELL, L.HEITI, L.TABLE_PT, align=CENTER, line=L.TABLE_LINE_PT, tracking=0,
           grid=False)  # fmt: skip
    _style(doc, FIGURE, L.FANGSONG, 1, align=CENTER, line=None, keep_next=True, tracking=0,
           grid=False)  # fmt: skip
    _style(doc, SIGNATURE, L.FANGSONG, L.BODY_PT, align=RIGHT)
    colophon = _style(doc, COLOPHON, L.FANGSONG, L.COLOPHON_PT, line=L.COLOPHON_LINE_PT,
                      tracking=0, grid=False)  # fmt: skip
    colophon.paragraph_format.left_indent = Pt(L.COLOPHON_PT)
    colophon.paragraph_format.right_indent = Pt(L.COLOPHON_PT)
    number = _style(doc, PAGE_NUMBER, L.SONGTI, L.PAGE_NUMBER_PT, line=None, tracking=0,
                    grid=False)  # fmt: skip
    number.paragraph_format.left_indent = number.paragraph_format.right_indent = Pt(
        L.PAGE_NUMBER_PT
    )


def _font_table(doc) -> None:
    """Replace the template's font table (Japanese faces) with the official ones."""
    entries = []
    for face in L.FACES:
        for name in face.names:
            if name in {e[0] for e in entries}:
                continue
            alt = _FALLBACKS.get(name)
            entries.append((name, alt))
    xml = [f"<w:fonts {nsdecls('w')}>"]
    for name, alt in entries:
        xml.append(f'<w:font w:name="{name}">')
        if alt:
            xml.append(f'<w:altName w:val="{alt}"/>')
        xml.append('<w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/>')
        xml.append("</w:font>")
    xml.append(
        f'<w:font w:name="{L.LATIN}"><w:panose1 w:val="02020603050405020304"/>'
        '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    )
    xml.append("</w:fonts>")
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + "".join(xml)).encode()
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = blob


def _drop_template_parts(doc) -> None:
    """The template's thumbnail (a picture of another document) and its Word 2010 copy of the
    styles (Japanese defaults that Word 2010 would prefer to ours)."""
    package = doc.part.package
    for rels in (package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype == RT.THUMBNAIL or rel.reltype.endswith("/stylesWithEffects"):
                del rels[rid]


def _page_number(footer, align) -> None:
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = PAGE_NUMBER
    p.alignment = align
    p.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    p._p.append(field)
    p.add_run(" —")


def _page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(L.PAGE_WIDTH_MM), Mm(L.PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(L.TOP_MM), Mm(L.BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(L.LEFT_MM), Mm(L.RIGHT_MM)
    # The page number 7 mm under the type area: the footer distance counts from the page's
    # bottom edge to the bottom of the footer's one line (single spaced, about 1.2 of its
    # size under the top of the text; set to put it where the PDF has it).
    section.footer_distance = Mm(L.BOTTOM_MM - L.PAGE_NUMBER_GAP_MM) - Pt(L.PAGE_NUMBER_PT * 1.2)
    section.header_distance = Mm(15)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.attrib.pop(qn("w:charSpace"), None)
    grid.set(qn("w:type"), "lines")  # 22 lines a page; characters by tracking (layout.py)
    grid.set(qn("w:linePitch"), str(L.PITCH_TWIPS))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, RIGHT)
    _page_number(section.even_page_footer, LEFT)


def _paragraph(doc, text="", style=None):
    p = doc.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


def _borders(paragraph, *edges: tuple[str, float], color: str = "000000", space: int = 0):
    """Paragraph rules: (edge, width in points), edges in the order top, bottom."""
    lines = "".join(
        f'<w:{edge} w:val="single" w:sz="{round(pt * 8)}" w:space="{space}" w:color="{color}"/>'
        for edge, pt in edges
    )
    _put(paragraph._p.get_or_add_pPr(), "pBdr", lines)


def _table(doc, caption, table) -> None:
    _paragraph(doc, caption, CAPTION)
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    weights = table.widths or [1] * len(table.header)
    widths = [round(_twips(L.TYPE_WIDTH_PT) * w / sum(weights)) for w in weights]
    tbl_pr = t._tbl.tblPr
    rule = round(L.RULE_PT * 8)
    _put(tbl_pr, "tblW", w=sum(widths), type="dxa")
    _put(
        tbl_pr,
        "tblBorders",
        "".join(
            f'<w:{e} w:val="single" w:sz="{rule}" w:space="0" w:color="000000"/>'
            for e in ("top", "left", "bottom", "right", "insideH", "insideV")
        ),
    )
    pad_v, pad_h = _twips(L.CELL_PAD_V_PT), _twips(L.CELL_PAD_H_PT)
    _put(
        tbl_pr,
        "tblCellMar",
        f'<w:top w:w="{pad_v}" w:type="dxa"/><w:left w:w="{pad_h}" w:type="dxa"/>'
        f'<w:bottom w:w="{pad_v}" w:type="dxa"/><w:right w:w="{pad_h}" w:type="dxa"/>',
    )
    for k, column in enumerate(t.columns):
        column.width = widths[k] * 635  # twips → EMU
    for values in [table.header, *table.rows]:
        header = values is table.header
        row = t.rows[0] if header else t.add_row()
        tr_pr = row._tr.get_or_add_trPr()
        _put(tr_pr, "cantSplit")
        if header:
            _put(tr_pr, "tblHeader")
        for k, value in enumerate(values):
            cell = row.cells[k]
            cell.width = widths[k] * 635
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.style = HEAD_CELL if header else CELL
            if not header and k in table.left:
                p.alignment = LEFT
            p.add_run(value)
    _paragraph(doc)  # one blank line after the table, as in the PDF


def _chart(doc, caption, chart) -> None:
    png = score_bars(chart["labels"], chart["values"], chart["mean"], fmt="png")
    picture = _paragraph(doc, style=FIGURE)
    height = Mm(L.chart_height_mm(len(chart["labels"])))
    picture.add_run().add_picture(io.BytesIO(png), width=Mm(L.CHART_WIDTH_MM), height=height)
    _paragraph(doc, f"图：{caption}", CAPTION).paragraph_format.keep_with_next = False
    _paragraph(doc)


def _colophon(doc, document: OfficialDocument) -> None:
    """版记 in two frames fixed to the foot of the type area, anchored to a 1 pt paragraph at
    the very end: the frames print on the page where that paragraph falls, and body text
    flows around them, so the 版记 always closes the last page. (One frame per line: Word and
    LibreOffice then agree on the rule between them.)"""
    copy_lines = L.colophon_lines(document.copy_to)
    outer, inner = L.COLOPHON_OUTER_RULE_PT, L.COLOPHON_INNER_RULE_PT
    printed_height = L.COLOPHON_LINE_PT + outer + (0 if copy_lines else outer)
    copy_height = len(copy_lines) * L.COLOPHON_LINE_PT + outer + inner if copy_lines else 0
    width = _twips(L.TYPE_WIDTH_PT)

    def frame(p, **position) -> None:
        _put(p._p.get_or_add_pPr(), "framePr", w=width, wrap="around", vAnchor="margin",
             hAnchor="margin", xAlign="center", **position)  # fmt: skip

    if copy_lines:
        copy = _paragraph(doc, style=COLOPHON)
        prefix = "抄送："
        copy.paragraph_format.left_indent = Pt(L.COLOPHON_PT * (1 + len(prefix)))
        copy.paragraph_format.first_line_indent = Pt(-L.COLOPHON_PT * len(prefix))
        for k, line in enumerate(copy_lines):
            run = copy.add_run(line)
            if k < len(copy_lines) - 1:
                run.add_break(WD_BREAK.LINE)
        top = _twips(L.TYPE_HEIGHT_PT - printed_height - copy_height)
        frame(copy, y=top)
        _borders(copy, ("top", outer), ("bottom", inner))
    printed = _paragraph(doc, style=COLOPHON)
    printed.paragraph_format.tab_stops.add_tab_stop(
        Pt(L.TYPE_WIDTH_PT - 2 * L.COLOPHON_PT),
        alignment=2,  # right-aligned tab
    )
    printed.add_run(f"{document.printed_by}\t{cn_date(document.signed_on)}印发")
    frame(printed, yAlign="bottom")
    _borders(printed, *([] if copy_lines else [("top", outer)]), ("bottom", outer))
    anchor = doc.add_paragraph()
    f = anchor.paragraph_format
    f.line_spacing_rule, f.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(1)
    f.first_line_indent = Pt(0)
    _put(anchor._p.get_or_add_pPr(), "rPr", '<w:sz w:val="2"/><w:szCs w:val="2"/>')


def _properties(doc, document: OfficialDocument) -> None:
    """Title, issuer, number and the traceability properties; nothing of these is printed."""
    core = doc.core_properties
    core.title = document.title
    core.author = core.last_modified_by = document.issuer
    core.subject = document.number or document.title
    core.keywords = document.number
    core.category = {
        "bulletin": "通报",
        "report": "专报",
        "statement": "对账单",
        "order": "督办单",
        "meeting": "会议材料",
    }.get(document.kind, document.kind)
    core.language = "zh-CN"
    core.comments = document.source_note
    core.identifier = document.properties.get("LuoshiDocument", "")
    signed = timezone.make_aware(datetime.combine(document.signed_on, time(9)))
    core.created = core.modified = signed
    core.revision = 1
    if document.properties:
        _custom_properties(doc, document.properties)


def _custom_properties(doc, properties: dict[str, str]) -> None:
    """docProps/custom.xml: Word shows these under 文件 → 属性 → 自定义, WPS and LibreOffice
    likewise."""
    from xml.sax.saxutils import escape, quoteattr

    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
    items = "".join(
        f'<property fmtid="{fmtid}" pid="{k}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(str(value))}</vt:lpwstr></property>"
        for k, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes">{items}</Properties>'
    )
    part = Part(
        PackURI("/docProps/custom.xml"),
        "application/vnd.openxmlformats-officedocument.custom-properties+xml",
        xml.encode(),
        doc.part.package,
    )
    doc.part.package.relate_to(part, RT.CUSTOM_PROPERTIES)


def render_docx(document: OfficialDocument) -> bytes:
    doc = Document()
    _drop_template_parts(doc)
    _defaults(doc)
    _styles(doc, L.issuer_size(document.issuer))
    _font_table(doc)
    _page(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    # 版头: issuer in red, number, red rule.
    _paragraph(doc, document.issuer, ISSUER)
    _paragraph(doc)
    number = _paragraph(doc, document.number or "", NUMBER)
    _borders(number, ("bottom", L.RED_RULE_PT), color=L.RED, space=L.RED_RULE_GAP_PT)
    _paragraph(doc)
    # 主体.
    title = _paragraph(doc, style=TITLE)
    for k, line in enumerate(L.title_lines(document.title)):
        run = title.add_run(line)
        if k < len(L.title_lines(document.title)) - 1:
            run.add_break(WD_BREAK.LINE)
    _paragraph(doc)
    if document.addressee:
        _paragraph(doc, document.addressee, ADDRESSEE)
    for section in document.sections:
        _paragraph(doc, section.heading, HEADING)
        for paragraph in section.paragraphs:
            _paragraph(doc, "".join(s.text if isinstance(s, Fact) else s for s in paragraph))
        for caption, table in section.tables:
            _table(doc, caption, table)
        for caption, chart in section.charts:
            _chart(doc, caption, chart)
        for paragraph in section.notes:
            _paragraph(doc, "".join(s.text if isinstance(s, Fact) else s for s in paragraph))
    _paragraph(doc)
    for k, text in enumerate((document.signature, cn_date(document.signed_on))):
        p = _paragraph(doc, text, SIGNATURE)
        p.paragraph_format.right_indent = Pt(L.BODY_PT * 4)  # 4 characters
        p.paragraph_format.keep_with_next = k == 0  # 署名 and 成文日期 on one page
    _colophon(doc, document)
    _properties(doc, document)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
