"""One indicator's values for one period as an .xlsx grid: 单位编码, 单位名称, 数值, 备注."""

from django.utils.translation import gettext as _

from luoshi.lib.xlsx import ImportRejected, RowError, read_table, write_table

from .actions import do_record_values, jurisdiction_units, parse_value
from .models import Indicator, IndicatorValue

CODE, NAME, VALUE, NOTE = "单位编码", "单位名称", "数值", "备注"
HEADER = [CODE, NAME, VALUE, NOTE]


def units_for(indicator: Indicator, user):
    return jurisdiction_units(indicator, user).order_by("path")


def export_grid(indicator: Indicator, period: str, user) -> bytes:
    current = {
        v.unit_id: v
        for v in IndicatorValue.objects.current().filter(indicator=indicator, period=period)
    }
    rows = []
    for unit in units_for(indicator, user):
        v = current.get(unit.pk)
        cell = (
            ""
            if v is None
            else ("不适用" if v.not_applicable else format(v.value.normalize(), "f"))
        )
        rows.append([unit.code, unit.name, cell, v.note if v else ""])
    return write_table(indicator.name, HEADER, rows)


def import_grid(data: bytes, indicator: Indicator, period: str, *, actor) -> dict:
    """All or nothing; every bad cell reported with its row. Empty value cells are skipped."""
    rows = read_table(data, required=[CODE, VALUE], known=HEADER)
    allowed = {u.code: u for u in units_for(indicator, actor)}
    errors, entries = [], []
    seen = {}
    for number, cells in rows:
        unit = allowed.get(cells[CODE])
        if unit is None:
            errors.append(
                RowError(
                    number,
                    CODE,
                    _(
                        "Row %(row)d: unit code “%(code)s” is not a unit this indicator applies to in your jurisdiction."
                    )
                    % {"row": number, "code": cells[CODE]},
                )
            )
            continue
        if cells[CODE] in seen:
            errors.append(
                RowError(
                    number,
                    CODE,
                    _("Row %(row)d: unit code “%(code)s” repeats row %(first)d.")
                    % {"row": number, "code": cells[CODE], "first": seen[cells[CODE]]},
                )
            )
            continue
        seen[cells[CODE]] = number
        if not cells[VALUE]:
            continue
        try:
            parse_value(cells[VALUE])
        except ValueError:
            errors.append(
                RowError(
                    number,
                    VALUE,
                    _("Row %(row)d: “%(text)s” is not a number (write a number, or 不适用).")
                    % {"row": number, "text": cells[VALUE]},
                )
            )
            continue
        entries.append((unit, cells[VALUE]))
    if errors:
        raise ImportRejected(errors)
    return do_record_values(
        indicator, period, entries, source=IndicatorValue.Source.UPLOAD, actor=actor
    )
