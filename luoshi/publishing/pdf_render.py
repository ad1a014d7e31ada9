"""An official document as a PDF, rendered on the server by WeasyPrint in the layout of
``layout.py`` (the same numbers the Word copy uses).

The template is templates/publishing/document_pdf.html (CSS @page rules). Charts are embedded
as SVG with their text turned into paths. The 版记 is a footnote-float, which WeasyPrint places
at the foot of the page where the document ends (moving it to a page of its own when it does
not fit), as the Word copy's frames do. The document's properties become PDF metadata.
"""

import base64
from datetime import datetime, time

import pydyf
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from . import layout as L
from .bulletin import Fact, OfficialDocument, cn_date
from .charts import score_bars

issuer_size = L.issuer_size  # kept for callers of the old name


def _css_values() -> dict:
    return {
        "top": L.TOP_MM,
        "right": L.RIGHT_MM,
        "bottom": L.BOTTOM_MM,
        "left": L.LEFT_MM,
        "pitch": L.PITCH_PT,
        "body": L.BODY_PT,
        "tracking": L.TRACKING_PT,
        "title": L.TITLE_PT,
        "title_line": L.TITLE_LINE_PT,
        "table": L.TABLE_PT,
        "table_line": L.TABLE_LINE_PT,
        "pad_v": L.CELL_PAD_V_PT,
        # Word's cell margins do not count the rules; here the left rule is inside the cell.
        # (And LibreOffice sets glyphs on whole twips, which leaves its cells a tenth of a
        # point roomier than their width says.)
        "pad_h": L.CELL_PAD_H_PT - L.RULE_PT / 2 - 0.1,
        "rule": L.RULE_PT,
        "red_rule": L.RED_RULE_PT,
        "red_gap": L.RED_RULE_GAP_PT,
        "colophon": L.COLOPHON_PT,
        "colophon_line": L.COLOPHON_LINE_PT,
        "colophon_indent": L.COLOPHON_PT * 4,  # one character, then 抄送：
        "colophon_hang": L.COLOPHON_PT * 3,
        "outer_rule": L.COLOPHON_OUTER_RULE_PT,
        "inner_rule": L.COLOPHON_INNER_RULE_PT,
        "page_number": L.PAGE_NUMBER_PT,
        "page_number_gap": L.PAGE_NUMBER_GAP_MM,
        # The gap next to a Latin run in tracked body text, as a space: a quarter em of
        # Liberation Serif, tracked, plus this word spacing, makes a fifth of the font size.
        "tracked_gap_word_spacing": round(
            L.AUTOSPACE_EM * L.BODY_PT - (0.25 * L.BODY_PT + L.TRACKING_PT), 2
        ),
        "untrack": -L.TRACKING_PT,
        "latin": f'"{L.LATIN}", "{L.LATIN_SERVER}"',
        "chart_width": L.CHART_WIDTH_MM,
        "fangsong": L.css_family(L.FANGSONG),
        "xiaobiaosong": L.css_family(L.XIAOBIAOSONG),
        "heiti": L.css_family(L.HEITI),
        "kaiti": L.css_family(L.KAITI),
        "songti": L.css_family(L.SONGTI),
    }


def _text(paragraph) -> str:
    return "".join(s.text if isinstance(s, Fact) else s for s in paragraph)


def render_html(document: OfficialDocument) -> str:
    sections = []
    for section in document.sections:
        tables = []
        for caption, table in section.tables:
            weights = table.widths or [1] * len(table.header)
            tables.append(
                {
                    "caption": caption,
                    "table": table,
                    "widths": [round(100 * w / sum(weights), 3) for w in weights],
                }
            )
        charts = [
            {
                "caption": caption,
                "height": L.chart_height_mm(len(chart["labels"])),
                # As data URIs, not inline: WeasyPrint then draws them with its SVG renderer
                # instead of reading their style attributes as page CSS.
                "src": "data:image/svg+xml;base64,"
                + base64.b64encode(
                    score_bars(chart["labels"], chart["values"], chart["mean"], fmt="svg")
                ).decode(),
            }
            for caption, chart in section.charts
        ]
        sections.append(
            {
                "heading": section.heading,
                "paragraphs": [_text(p) for p in section.paragraphs],
                "tables": tables,
                "charts": charts,
                "notes": [_text(p) for p in section.notes],
            }
        )
    created = timezone.make_aware(datetime.combine(document.signed_on, time(9)))
    return render_to_string(
        "publishing/document_pdf.html",
        {
            "b": document,
            "sections": sections,
            "signed_on": cn_date(document.signed_on),
            "issuer_size": L.issuer_size(document.issuer),
            "issuer_line": round(L.issuer_size(document.issuer) * 1.3, 1),
            "copy_lines": L.colophon_lines(document.copy_to),
            "title_lines": L.title_lines(document.title),
            "created": created.isoformat(),
            "L": _css_values(),
        },
    )


def render_pdf(document: OfficialDocument) -> bytes:
    def properties(_document, pdf):
        # In the document information dictionary under the same names as in the Word copy
        # (WeasyPrint's own custom metadata would lower-case them and drop the dots).
        for name, value in document.properties.items():
            pdf.info[name] = pydyf.String(value)

    return HTML(string=render_html(document)).write_pdf(finisher=properties)
