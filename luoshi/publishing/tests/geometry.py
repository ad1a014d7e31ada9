"""Measuring a printed page from its text boxes (poppler's ``pdftotext -bbox-layout``): where
the lines are, how many characters a full line holds, how far apart lines are, how many pages.

Used on the WeasyPrint PDF and on the PDF LibreOffice makes from the Word copy, so the two can
be held to the same numbers. Lengths are in points; the page's origin is its top-left corner.
"""

import re
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from xml.etree import ElementTree

from luoshi.publishing import layout as L

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’—…·]")


@dataclass(frozen=True)
class Line:
    page: int  # from 1
    x0: float
    y0: float
    x1: float
    y1: float
    text: str  # without the spaces pdftotext puts between words

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def all_cjk(self) -> bool:
        return bool(self.text) and all(CJK.match(c) for c in self.text)


@dataclass
class Geometry:
    pages: int
    lines: list[Line]
    body_height: float = 0.0  # the height pdftotext gives a line of 3号 body text
    body: list[Line] = field(default_factory=list)

    @property
    def left(self) -> float:
        """The left edge of the type area: where unindented body lines start."""
        return min(line.x0 for line in self.body)

    def full_lines(self) -> list[Line]:
        """Body lines that run from the left edge to the right edge of the type area."""
        left = self.left
        right = max(line.x1 for line in self.body)
        return [
            line for line in self.body if abs(line.x0 - left) < 1 and abs(line.x1 - right) < 2.5
        ]

    @property
    def text_width(self) -> float:
        return statistics.median(line.x1 for line in self.full_lines()) - self.left

    def chars_per_full_line(self) -> Counter:
        """How many characters the full lines of Chinese text hold (digits and Latin letters
        are narrower, so lines holding them are left out)."""
        return Counter(len(line.text) for line in self.full_lines() if line.all_cjk)

    def line_pitches(self) -> list[float]:
        """Distances between consecutive body lines of one paragraph on one page."""
        out = []
        for a, b in zip(self.body, self.body[1:], strict=False):
            if a.page == b.page and 0 < b.y0 - a.y0 < 1.5 * L.PITCH_PT:
                out.append(b.y0 - a.y0)
        return out

    def body_lines_per_page(self) -> list[int]:
        return [sum(1 for line in self.body if line.page == p) for p in range(1, self.pages + 1)]

    def find(self, text: str) -> list[Line]:
        return [line for line in self.lines if text in line.text]

    def page_numbers(self) -> list[Line]:
        return [line for line in self.lines if re.fullmatch(r"—\d+—", line.text)]


def measure(pdf_path) -> Geometry:
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    root = ElementTree.fromstring(re.sub(r'\sxmlns="[^"]+"', "", xml, count=1))
    lines = []
    pages = root.findall(".//page")
    for number, page in enumerate(pages, start=1):
        for line in page.iter("line"):
            text = "".join((w.text or "").strip() for w in line.iter("word"))
            if text:
                lines.append(
                    Line(
                        number,
                        float(line.get("xMin")),
                        float(line.get("yMin")),
                        float(line.get("xMax")),
                        float(line.get("yMax")),
                        text,
                    )
                )
    lines.sort(key=lambda line: (line.page, line.y0, line.x0))
    geometry = Geometry(len(pages), lines)
    # Body text: the lines that start at the type area's left edge (the leftmost text there
    # is), and the first lines of paragraphs two characters in, at the height pdftotext gives
    # those: 3号, not the 4号 of tables or page numbers, the 2号 title or the red mark.
    left = min(line.x0 for line in lines)
    at_left = [line for line in lines if line.x0 - left < 1]
    geometry.body_height = Counter(round(line.height, 1) for line in at_left).most_common(1)[0][0]
    indent = 2 * (L.BODY_PT + L.TRACKING_PT)
    geometry.body = [
        line
        for line in lines
        if abs(line.height - geometry.body_height) < 0.3
        and (line.x0 - left < 1 or abs(line.x0 - left - indent) < 1.5)
    ]
    return geometry
