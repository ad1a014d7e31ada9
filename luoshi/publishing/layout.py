"""One layout for every official document, drawn twice: as Word (docx_render) and as PDF
(pdf_render, WeasyPrint). Every length either renderer uses comes from here, so the two copies
break lines and pages at the same places.

GB/T 9704-2012 on A4: top margin (天头) 37 mm, left (订口) 28 mm, type area 156 × 225 mm; body
3号 (16 pt) 仿宋 on 22 lines of 28 characters; title 2号 (22 pt) 小标宋; headings 黑体 then
楷体; page numbers "— 1 —" in 4号 (14 pt) 宋体 7 mm under the type area, right on odd pages and
left on even ones; 版记 (抄送, 印发机关 and 印发日期) in 4号 between rules at the foot of the
last page.

Why these numbers and not others:
- 22 lines: 225 mm / 22 = 28.99 pt, but Word stores line heights in twentieths of a point and
  22 × 29 pt overflows the type area, so the pitch is 28.95 pt (579 twips) in both copies.
- 28 characters: 156 mm / 28 = 15.79 pt per character, narrower than a 16 pt character. Word
  reaches it with a character grid, but LibreOffice gives a character wider than the grid two
  cells (15 characters a line). Tracking every character by −0.25 pt (15.75 × 28 = 441 pt)
  does the same in Word, WPS, LibreOffice and WeasyPrint, so the grid is a line grid only.
- Punctuation may not hang past the margin (Word's default "允许标点溢出边界" would make
  29-character lines).
"""

import math
import re
from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre

LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
PITCH_TWIPS = 579
PITCH_PT = PITCH_TWIPS / 20  # 28.95 pt: one line of the grid

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, RIGHT_MM, LEFT_MM = 37, 26, 28
TYPE_WIDTH_PT = (PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM) * MM  # 442.2 pt
# Exactly 22 grid lines high (224.7 mm, the bottom margin 35.3 mm rather than 35): LibreOffice
# centres a line grid in the type area, so any height left over would move every line down.
TYPE_HEIGHT_PT = LINES_PER_PAGE * PITCH_PT  # 636.9 pt
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TYPE_HEIGHT_PT / MM
BODY_PT = 16  # 3号
TRACKING_PT = -0.25  # 28 × (16 − 0.25) = 441 pt ≤ 442.2 pt
TITLE_PT, TITLE_LINE_PT = 22, 36  # 2号
PAGE_NUMBER_PT = 14  # 4号
PAGE_NUMBER_GAP_MM = 7  # from the type area to the top of the page number

TABLE_PT, TABLE_LINE_PT = 14, 20  # 4号 in tables
CELL_PAD_V_PT, CELL_PAD_H_PT = 2, 3
RULE_PT = 0.75  # table borders

COLOPHON_PT = 14  # 版记: 4号
COLOPHON_OUTER_RULE_PT, COLOPHON_INNER_RULE_PT = 1.0, 0.75  # 0.35 mm and 0.25 mm
# A 版记 line with its rules is a little under a grid line, so a 版记 of n lines fits exactly
# where n lines of body text would.
COLOPHON_LINE_PT = 27.4

ISSUER_MAX_PT = 42
RED_RULE_PT = 1.5  # the red line under the document number
RED_RULE_GAP_PT = 11  # 4 mm between the number and the red line
CHART_WIDTH_MM = 150
RED = "FF0000"


@dataclass(frozen=True)
class Face:
    """An official typeface: the names offices' computers know, first choice first, then the
    free font the server draws the PDF with."""

    names: tuple[str, ...]
    server: str

    @property
    def official(self) -> str:
        return self.names[0]


FANGSONG = Face(("仿宋_GB2312", "仿宋", "FangSong"), "Noto Serif CJK SC")
XIAOBIAOSONG = Face(("方正小标宋简体", "小标宋", "宋体", "SimSun"), "Noto Serif CJK SC")
HEITI = Face(("黑体", "SimHei"), "Noto Sans CJK SC")
KAITI = Face(("楷体_GB2312", "楷体", "KaiTi"), "AR PL UKai CN")
SONGTI = Face(("宋体", "SimSun"), "Noto Serif CJK SC")
FACES = (FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI)
# Digits and Latin letters: Times New Roman, as in the Word copy (its styles name it for
# Latin text); Liberation Serif has the same widths on the server.
LATIN, LATIN_SERVER = "Times New Roman", "Liberation Serif"


# Word and LibreOffice put a little space between a Chinese character and a digit or Latin
# letter next to it (LibreOffice always: it ignores Word's switch for it): a fifth of the font
# size, as measured in LibreOffice 7.4. LibreOffice also tracks within a run of one script
# only, so the characters either side of a script change keep their full width. The PDF copy
# does both (templatetags/official.py), so the copies break lines alike.
AUTOSPACE_EM = 0.2


def css_family(face: Face) -> str:
    """The CSS font-family list: the official names, then the server's font."""
    return ", ".join(f'"{name}"' for name in (*face.names, face.server))


def issuer_size(issuer: str) -> float:
    """The red issuer mark fills at most the type width on one line, at most 42 pt."""
    return round(min(ISSUER_MAX_PT, TYPE_WIDTH_PT / (len(issuer) + 1)), 1)


CHART_MAX_HEIGHT_MM = 150  # two thirds of the type area: a chart and its caption fit a page


def chart_height_in(bars: int) -> float:
    """Drawn height of a score chart of ``bars`` bars (charts.score_bars draws 6.1 in wide):
    0.28 in a bar, at most CHART_MAX_HEIGHT_MM when printed at CHART_WIDTH_MM."""
    most = 6.1 * CHART_MAX_HEIGHT_MM / CHART_WIDTH_MM
    return round(min(max(2.2, 0.28 * bars + 0.8), most), 3)


def chart_height_mm(bars: int) -> float:
    """Printed height of that chart at CHART_WIDTH_MM."""
    return round(CHART_WIDTH_MM * chart_height_in(bars) / 6.1, 2)


def colophon_lines(copy_to: str, *, prefix: str = "抄送：") -> list[str]:
    """The 抄送 text cut into the lines it prints on, between names (、 or ，) and never
    inside one, so no office suite has to wrap it. A line holds the type width less one
    character each side; continuation lines start under the first name (GB/T 9704 7.4.2)."""
    if not copy_to:
        return []
    per_line = int(TYPE_WIDTH_PT // COLOPHON_PT) - 2  # one character's space each side
    names, current = [], ""
    for ch in copy_to:
        current += ch
        if ch in "、，,；":
            names.append(current)
            current = ""
    if current:
        names.append(current)
    lines, line = [], prefix
    width = per_line
    for name in names:
        if line and len(line) + len(name) > width and line != prefix:
            lines.append(line)
            line, width = "", per_line - len(prefix)
        line += name
    lines.append(line)
    return lines


_OPENING, _CLOSING = "（《〈「『“‘〔【", "，。、；：？！）》〉」』”’…—〕】"
_LATIN_PAIR = re.compile(r"[A-Za-z0-9.%]{2}")


def _may_break_before(text: str, i: int) -> bool:
    return not (
        text[i] in _CLOSING or text[i - 1] in _OPENING or _LATIN_PAIR.fullmatch(text[i - 1 : i + 1])
    )


def title_lines(title: str) -> list[str]:
    """The title cut into balanced lines that each fit the type width in 2号 (GB/T 9704 7.3.1:
    回行时词意完整、排列对称、长短适宜): as few lines as fit, the first no shorter than the
    next, never inside a number or before a closing mark. Cut here, not by the office suite,
    so that no line is left with one character and the Word copy and the PDF agree."""
    per_line = int(TYPE_WIDTH_PT // TITLE_PT)
    if len(title) <= per_line:
        return [title]
    n = math.ceil(len(title) / per_line)
    lines, start = [], 0
    for k in range(1, n):
        rest = len(title) - start
        ideal = start + math.ceil(rest / (n - k + 1))
        candidates = sorted(
            range(start + 1, min(start + per_line, len(title) - 1) + 1),
            key=lambda i: (abs(i - ideal), -i),
        )
        cut = next((i for i in candidates if _may_break_before(title, i)), ideal)
        lines.append(title[start:cut])
        start = cut
    lines.append(title[start:])
    return lines
