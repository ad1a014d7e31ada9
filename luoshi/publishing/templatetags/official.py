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
    LibreOffice space them, so the PDF breaks lines where the Word copy does:

    - a gap of a fifth of the font size next to a Chinese character (their default, which
      LibreOffice cannot turn off in a Word file), none next to punctuation such as （ or ，.
      The gap is a space (class ``gap``, sized in CSS) because, like theirs, it must vanish
      where a line breaks;
    - where the text is tracked, no tracking either side of the run (LibreOffice tracks within
      a run of one script only): classes ``bl``/``br`` for a neighbour on the left/right.
    """
    text = "" if value is None else str(value)
    out, last = [], 0
    gap = '<span class="gap"> </span>'
    for match in _LATIN.finditer(text):
        start, end = match.span()
        out.append(escape(text[last:start]))
        classes, before, after = ["w"], "", ""
        if start > 0:
            if _IDEOGRAPH.match(text[start - 1]):
                before = gap
            classes.append("bl")
        if end < len(text):
            if _IDEOGRAPH.match(text[end]):
                after = gap
            classes.append("br")
        out.append(
            f'{before}<span class="{" ".join(classes)}">{escape(match.group())}</span>{after}'
        )
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
