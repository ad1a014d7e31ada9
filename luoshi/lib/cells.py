"""Spreadsheet cells safe to open: exported text never becomes a formula (CSV and XLSX).

No Django here: `luoshi score` writes CSV without settings."""

# A text cell starting with one of these is a formula to Excel, WPS and LibreOffice (and "=" one
# to openpyxl too, which would write it as a live formula): a task title like
# =HYPERLINK("http://…","点此") or a DDE call would run on the office's desk.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text that would be read as a formula gets a
    leading apostrophe (the spreadsheet convention for "this is text"); numbers stay numbers."""
    return "'" + value if is_formula_like(value) else value
