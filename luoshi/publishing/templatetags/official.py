"""Filters for official text: periods in words, and Chinese-Latin spacing for the PDF copy."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from luoshi.lib.periods import period_name as _period_name

register = template.Library()

_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z0-9.,%+\-/:_#@&'()]+")


@register.filter
def period_name(value) -> str:
    """2026-Q3 → 2026年第三季度."""
    return _period_name(value)


@register.filter
def autospace(value) -> SafeString:
    """Set digits and Latin letters in the Latin face, spaced from their neighbours as Word and
    LibreOffice space them, so the PDF breaks lines where the Word copy does: a gap of a fifth
    of the font size next to a Chinese character (their default, which LibreOffice cannot turn
    off in a Word file; none next to punctuation such as （ or ，), and, where the text is
    tracked, no tracking on either side of the run (LibreOffice tracks within a run of one
    script only). Classes: gl/gr a gap on the left/right, bl/br any neighbour there."""
    text = "" if value is None else str(value)
    out, last = [], 0
    for match in _LATIN.finditer(text):
        start, end = match.span()
        out.append(escape(text[last:start]))
        classes = ["w"]
        if start > 0:
            classes.append("gl" if _IDEOGRAPH.match(text[start - 1]) else "bl")
        if end < len(text):
            classes.append("gr" if _IDEOGRAPH.match(text[end]) else "br")
        out.append(f'<span class="{" ".join(classes)}">{escape(match.group())}</span>')
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
