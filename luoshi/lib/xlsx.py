"""Reading and writing the plain one-sheet tables offices exchange (Excel, WPS)."""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from .cells import is_formula_like
from .errors import ActionError
from .file_checks import check_zip_budget

MAX_ROWS = 100_000


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it (header is row 1)
    column: str
    message: str


class ImportRejected(Exception):
    """The file was refused as a whole; ``errors`` lists every bad cell."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_table(data: bytes, *, required: list[str], known: list[str]) -> list[tuple[int, dict]]:
    """Rows of the first sheet as (row number, {header: text}); blank rows skipped."""
    if data[:4] == b"PK\x03\x04":
        try:  # before openpyxl parses anything: a small file may unpack to gigabytes
            check_zip_budget(data, _("the workbook"))
        except ActionError as e:
            raise ImportRejected([RowError(0, "", e.message)]) from e
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
        raise ImportRejected(
            [RowError(0, "", _("This is not an .xlsx file (%(e)s).") % {"e": e})]
        ) from e
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1, c, _("Column “%(column)s” is missing from the header row.") % {"column": c}
                )
                for c in missing
            ]
        )
    index = {name: header.index(name) for name in known if name in header}
    result = []
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ImportRejected(
                [RowError(number, "", _("More than %(n)d rows; split the file.") % {"n": MAX_ROWS})]
            )
        # Every known column is in the row, "" when the file leaves it out (optional columns).
        cells = {name: "" for name in known}
        cells.update({name: _text(values[i]) for name, i in index.items() if i < len(values)})
        if any(cells.values()):
            result.append((number, cells))
    workbook.close()
    return result


def write_table(title: str, header: list[str], rows) -> bytes:
    """One sheet; every text cell is stored as text, never as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for cell in sheet[sheet.max_row]:
            if is_formula_like(cell.value):
                # Kept as the same text (an import of the export reads it back unchanged), typed
                # as a string with Excel's quote prefix so editing the cell does not revive it.
                cell.data_type = "s"
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
