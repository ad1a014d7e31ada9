"""The unit tree as an .xlsx table: export, and an all-or-nothing import.

Column headers are the Chinese ones offices use in their own files, so a
table exported here, edited in WPS and imported again round-trips.
"""

import difflib
from collections import Counter

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.lib.errors import ActionError
from luoshi.lib.xlsx import ImportRejected, RowError, read_table, write_table

from .actions import do_create_unit, do_update_unit
from .models import Unit, UnitClass

CODE, NAME, PARENT, PARENT_CODE, CLASS, ORDER, STATUS = (
    "单位编码",
    "单位名称",
    "上级单位",
    "上级单位编码",
    "单位类别",
    "排序",
    "状态",
)
HEADER = [CODE, NAME, PARENT, PARENT_CODE, CLASS, ORDER, STATUS]
REQUIRED = [CODE, NAME, CLASS]


def export_units(units) -> bytes:
    units = units.select_related("parent", "unit_class").order_by("path")
    rows = (
        (
            u.code,
            u.name,
            u.parent.name if u.parent else "",
            u.parent.code if u.parent else "",
            u.unit_class.name,
            u.order,
            u.get_status_display(),
        )
        for u in units
    )
    return write_table("单位", HEADER, rows)


def _suggest(name: str, names) -> str:
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    return _("; did you mean “%(name)s”?") % {"name": close[0]} if close else ""


class _Plan:
    """Everything the file asks for, checked before anything is written."""

    def __init__(self, rows, actor, visible):
        self.rows, self.actor, self.visible = rows, actor, visible
        self.errors: list[RowError] = []
        self.classes = {c.name: c for c in UnitClass.objects.all()}
        self.classes.update({c.code: c for c in self.classes.values()})
        file_codes = [cells[CODE] for _n, cells in rows if cells[CODE]]
        self.existing = {u.code: u for u in Unit.objects.filter(code__in=file_codes)}
        self.visible_ids = set(visible.filter(code__in=file_codes).values_list("pk", flat=True))
        self.file_rows = {}
        self.parent_of: dict[str, str | None] = {}

    def error(self, row, column, message):
        self.errors.append(RowError(row, column, message))

    def check(self):
        counts = Counter(cells[CODE] for _n, cells in self.rows if cells[CODE])
        first_row = {}
        for number, cells in self.rows:
            code = cells[CODE]
            if not code:
                self.error(number, CODE, _("Row %(row)d: unit code is empty.") % {"row": number})
                continue
            if counts[code] > 1 and code in first_row:
                self.error(
                    number,
                    CODE,
                    _("Row %(row)d: unit code “%(code)s” repeats row %(first)d.")
                    % {"row": number, "code": code, "first": first_row[code]},
                )
                continue
            first_row[code] = number
            self.file_rows[code] = (number, cells)
            if not cells[NAME]:
                self.error(number, NAME, _("Row %(row)d: unit name is empty.") % {"row": number})
            if cells[CLASS] not in self.classes:
                choices = "、".join(sorted({c.name for c in self.classes.values()}))
                self.error(
                    number,
                    CLASS,
                    _(
                        "Row %(row)d: unit class “%(value)s” does not exist "
                        "(choose from %(choices)s)."
                    )
                    % {"row": number, "value": cells[CLASS], "choices": choices},
                )
            if cells[ORDER] and not cells[ORDER].isdigit():
                self.error(
                    number,
                    ORDER,
                    _("Row %(row)d: order “%(value)s” is not a whole number.")
                    % {"row": number, "value": cells[ORDER]},
                )
            unit = self.existing.get(code)
            if unit is not None and unit.pk not in self.visible_ids:
                self.error(
                    number,
                    CODE,
                    _(
                        "Row %(row)d: unit code “%(code)s” belongs to a unit "
                        "outside your jurisdiction."
                    )
                    % {"row": number, "code": code},
                )
        for code, (number, cells) in self.file_rows.items():
            self.parent_of[code] = self._resolve_parent(number, cells)
        self._check_cycles()

    def _resolve_parent(self, number, cells) -> str | None:
        parent_code, parent_name = cells[PARENT_CODE], cells[PARENT]
        if parent_code:
            if parent_code in self.file_rows:
                return parent_code
            unit = self.visible.filter(code=parent_code).first()
            if unit is None:
                self.error(
                    number,
                    PARENT_CODE,
                    _("Row %(row)d: parent unit code “%(code)s” does not exist.")
                    % {"row": number, "code": parent_code},
                )
            return parent_code
        if not parent_name:
            unit = self.existing.get(cells[CODE])
            already_top = unit is not None and unit.parent_id is None
            if not already_top and self.actor is not None and not self.actor.is_superuser:
                self.error(
                    number,
                    PARENT,
                    _(
                        "Row %(row)d: parent unit is empty; only a system "
                        "administrator may add a top-level unit."
                    )
                    % {"row": number},
                )
            return None
        in_file = [c for c, (_n, cl) in self.file_rows.items() if cl[NAME] == parent_name]
        in_db = list(
            self.visible.filter(name=parent_name)
            .exclude(code__in=self.file_rows)
            .values_list("code", flat=True)
        )
        matches = in_file + in_db
        if len(matches) == 1:
            return matches[0]
        if not matches:
            names = [cl[NAME] for _n, cl in self.file_rows.values()]
            names += list(self.visible.values_list("name", flat=True)[:5000])
            self.error(
                number,
                PARENT,
                _("Row %(row)d: parent unit “%(name)s” does not exist")
                % {"row": number, "name": parent_name}
                + _suggest(parent_name, names),
            )
        else:
            self.error(
                number,
                PARENT,
                _(
                    "Row %(row)d: several units are called “%(name)s”; "
                    "fill in the parent unit code instead."
                )
                % {"row": number, "name": parent_name},
            )
        return None

    def _check_cycles(self):
        for code, (number, _cells) in self.file_rows.items():
            seen, current = {code}, self.parent_of.get(code)
            while current is not None:
                if current in seen:
                    self.error(
                        number,
                        PARENT,
                        _("Row %(row)d: “%(code)s” would end up under itself.")
                        % {"row": number, "code": code},
                    )
                    break
                seen.add(current)
                if current in self.parent_of:
                    current = self.parent_of[current]
                else:
                    unit = self.existing.get(current) or Unit.objects.filter(code=current).first()
                    current = unit.parent.code if unit and unit.parent_id else None

    def ordered_codes(self) -> list[str]:
        """Codes with every parent from the file before its children."""
        done, ordered = set(), []

        def visit(code):
            if code in done:
                return
            done.add(code)
            parent = self.parent_of.get(code)
            if parent in self.file_rows:
                visit(parent)
            ordered.append(code)

        for code in self.file_rows:
            visit(code)
        return ordered


def import_units(data: bytes, *, actor) -> dict:
    """Create or update units from an .xlsx table, all or nothing.

    Rows are matched by unit code: a new code creates a unit, a known code
    renames, moves or re-classes it. The 状态 column is informational and
    ignored (retiring and merging are deliberate acts on the unit's page).
    Raises ImportRejected with every bad row; writes nothing in that case.
    """
    rows = read_table(data, required=REQUIRED, known=HEADER)
    if not rows:
        raise ImportRejected([RowError(2, "", _("The table has no rows."))])
    visible = Unit.objects.visible_to(actor) if actor is not None else Unit.objects.all()
    plan = _Plan(rows, actor, visible)
    plan.check()
    if plan.errors:
        raise ImportRejected(sorted(plan.errors, key=lambda e: e.row))
    created = updated = 0
    with transaction.atomic():
        units = dict(plan.existing)
        for code in plan.ordered_codes():
            number, cells = plan.file_rows[code]
            parent_code = plan.parent_of[code]
            parent = units.get(parent_code) or (
                Unit.objects.get(code=parent_code) if parent_code else None
            )
            fields = {
                "name": cells[NAME],
                "unit_class": plan.classes[cells[CLASS]],
                "order": int(cells[ORDER] or 0),
            }
            try:
                if code in units:
                    before = units[code]
                    units[code] = do_update_unit(before, parent=parent, actor=actor, **fields)
                    updated += 1
                else:
                    units[code] = do_create_unit(code=code, parent=parent, actor=actor, **fields)
                    created += 1
            except ActionError as e:
                # Raising inside atomic() rolls back every row written so far.
                message = _("Row %(row)d: %(message)s") % {"row": number, "message": e.message}
                raise ImportRejected([RowError(number, "", message)]) from e
    return {"created": created, "updated": updated}
