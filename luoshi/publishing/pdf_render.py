"""A bulletin as a PDF in the GB/T 9704-2012 layout, rendered on the server by WeasyPrint.

The layout lives in templates/publishing/document_pdf.html (CSS @page rules); charts are
embedded as SVG with their text turned into paths.
"""

import base64

from django.template.loader import render_to_string
from weasyprint import HTML

from .bulletin import OfficialDocument, cn_date
from .charts import score_bars

TYPE_WIDTH_PT = 442.2  # 156 mm


def issuer_size(issuer: str) -> float:
    """The issuer's mark fills at most the type width on one line, at most 42 pt."""
    return round(min(42.0, TYPE_WIDTH_PT / (len(issuer) + 1)), 1)


def render_html(bulletin: OfficialDocument) -> str:
    for section in bulletin.sections:
        # As data URIs, not inline: WeasyPrint then draws them with its SVG renderer instead
        # of reading their style attributes as page CSS.
        section.svgs = [
            (
                caption,
                "data:image/svg+xml;base64,"
                + base64.b64encode(
                    score_bars(chart["labels"], chart["values"], chart["mean"], fmt="svg")
                ).decode(),
            )
            for caption, chart in section.charts
        ]
    return render_to_string(
        "publishing/document_pdf.html",
        {
            "b": bulletin,
            "signed_on": cn_date(bulletin.signed_on),
            "issuer_size": issuer_size(bulletin.issuer),
        },
    )


def render_pdf(bulletin: OfficialDocument) -> bytes:
    return HTML(string=render_html(bulletin)).write_pdf()
