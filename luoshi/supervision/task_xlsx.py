"""The 任务分解表 as .xlsx: import (all or nothing, every cell checked) and export,
plus the progress ledger (台账)."""

import difflib
import re
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.lib.errors import ActionError
from luoshi.lib.xlsx import ImportRejected, RowError, read_table, write_table
from luoshi.orgs.models import Unit

from .actions import do_create_task
from .forms import leaders_queryset
from .models import ProgressReport, Task

SERIAL, TITLE, REQUIREMENT, LEADER, LEAD, CO, DEADLINE, MILESTONES = (
    "序号",
    "工作任务",
    "具体要求/目标",
    "责任领导",
    "牵头单位",
    "配合单位",
    "完成时限",
    "节点安排",
)
HEADER = [SERIAL, TITLE, REQUIREMENT, LEADER, LEAD, CO, DEADLINE, MILESTONES]
REQUIRED = [TITLE, LEAD, DEADLINE]
_SPLIT = re.compile(r"[、，,；;\s]+")
_DATE_PATTERNS = [
    (re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+00:00:00)?$"), "ymd"),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"), "ymd"),
    (re.compile(r"^(\d{4})年(\d{1,2})月[底末]$"), "ym_end"),
    (re.compile(r"^(\d{4})年[底末]$"), "y_end"),
]
_MILESTONE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*[:：]?\s*(.+)$")


def parse_deadline(text: str) -> date | None:
    text = text.strip().replace(" ", "") if "年" in text else text.strip()
    for pattern, kind in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        numbers = [int(g) for g in match.groups()]
        try:
            if kind == "ymd":
                return date(*numbers)
            if kind == "ym_end":
                year, month = numbers
                if not 1 <= month <= 12:
                    return None
                first_of_next = date(year + month // 12, month % 12 + 1, 1)
                return date.fromordinal(first_of_next.toordinal() - 1)
            return date(numbers[0], 12, 31)
        except ValueError:
            return None
    return None


def _suggest(value: str, names: list[str]) -> str:
    containing = [n for n in names if value and value in n]
    close = containing[:1] or difflib.get_close_matches(value, names, n=1, cutoff=0.5)
    return _("; did you mean “%(name)s”?") % {"name": close[0]} if close else ""


class _Checker:
    def __init__(self, actor):
        units = Unit.objects.visible_to(actor).active() if actor else Unit.objects.active()
        self.units: dict[str, list[Unit]] = {}
        for unit in units:
            self.units.setdefault(unit.name, []).append(unit)
        self.leaders = {}
        for leader in leaders_queryset():
            self.leaders.setdefault(leader.full_name, leader)
            self.leaders.setdefault(leader.username, leader)
        self.errors: list[RowError] = []

    def error(self, row, column, text):
        self.errors.append(
            RowError(
                row,
                column,
                _("Row %(row)d, column “%(column)s”: %(text)s")
                % {"row": row, "column": column, "text": text},
            )
        )

    def unit(self, row, column, name):
        found = self.units.get(name)
        if not found:
            self.error(
                row,
                column,
                _("unit “%(name)s” does not exist") % {"name": name}
                + _suggest(name, list(self.units)),
            )
            return None
        if len(found) > 1:
            self.error(row, column, _("several units are called “%(name)s”") % {"name": name})
            return None
        return found[0]

    def row(self, number, cells) -> dict | None:
        before = len(self.errors)
        if not cells[TITLE]:
            self.error(number, TITLE, _("the task is empty"))
        lead = self.unit(number, LEAD, cells[LEAD]) if cells[LEAD] else None
        if not cells[LEAD]:
            self.error(number, LEAD, _("the lead unit is empty"))
        co_units = [self.unit(number, CO, n) for n in _SPLIT.split(cells.get(CO, "")) if n]
        leader = None
        if cells.get(LEADER):
            leader = self.leaders.get(cells[LEADER])
            if leader is None:
                self.error(
                    number,
                    LEADER,
                    _("leader “%(name)s” is not in the leader list") % {"name": cells[LEADER]}
                    + _suggest(cells[LEADER], [k for k in self.leaders if not k.isascii()]),
                )
        deadline = parse_deadline(cells[DEADLINE]) if cells[DEADLINE] else None
        if deadline is None:
            self.error(
                number,
                DEADLINE,
                _("“%(value)s” is not a date (write 2026-12-31 or 2026年12月底)")
                % {"value": cells[DEADLINE]},
            )
        milestones = []
        for line in (cells.get(MILESTONES) or "").splitlines():
            if not line.strip():
                continue
            match = _MILESTONE.match(line)
            if not match or not 1 <= int(match.group(2)) <= 12:
                self.error(
                    number, MILESTONES, _("write each milestone as “2026-10 what is done by then”")
                )
                break
            milestones.append(
                (date(int(match.group(1)), int(match.group(2)), 1), match.group(3).strip())
            )
        if len(self.errors) > before:
            return None
        return {
            "title": cells[TITLE],
            "requirement": cells.get(REQUIREMENT, ""),
            "lead_unit": lead,
            "co_units": [u for u in co_units if u],
            "leader": leader,
            "deadline": deadline,
            "milestones": milestones,
        }


def import_tasks(data: bytes, *, source, start_date: date, actor) -> list[Task]:
    """Create one task per row for ``source``; every cell checked first; all or nothing."""
    rows = read_table(data, required=REQUIRED, known=HEADER)
    if not rows:
        raise ImportRejected([RowError(2, "", _("The table has no rows."))])
    checker = _Checker(actor)
    planned = [(number, checker.row(number, cells)) for number, cells in rows]
    if checker.errors:
        raise ImportRejected(checker.errors)
    created = []
    with transaction.atomic():
        for number, fields in planned:
            try:
                created.append(
                    do_create_task(
                        source=source,
                        start_date=min(start_date, fields["deadline"]),
                        actor=actor,
                        **fields,
                    )
                )
            except ActionError as e:
                raise ImportRejected(
                    [
                        RowError(
                            number,
                            "",
                            _("Row %(row)d: %(message)s") % {"row": number, "message": e.message},
                        )
                    ]
                ) from e
    return created


def export_tasks(tasks) -> bytes:
    tasks = tasks.select_related("leader", "lead_unit").prefetch_related("co_units", "milestones")
    rows = []
    for i, task in enumerate(tasks, start=1):
        rows.append(
            [
                i,
                task.title,
                task.requirement,
                task.leader.full_name if task.leader else "",
                task.lead_unit.name,
                "、".join(u.name for u in task.co_units.all()),
                task.deadline.isoformat(),
                "\n".join(f"{m.month:%Y-%m} {m.description}" for m in task.milestones.all()),
                task.code,
                task.get_state_display(),
                task.get_light_display(),
                task.percent,
            ]
        )
    return write_table("任务分解表", HEADER + ["编号", "状态", "亮灯", "进度%"], rows)


def export_ledger(tasks) -> bytes:
    reports = (
        ProgressReport.objects.filter(task__in=tasks)
        .select_related("task", "unit", "submitted_by")
        .order_by("task__code", "week", "unit__path")
    )
    rows = [
        [
            r.task.code,
            r.task.title,
            r.unit.name,
            r.week.isoformat(),
            r.text,
            r.percent,
            r.get_state_display(),
            "是" if r.late else "",
            r.submitted_by.full_name or r.submitted_by.username,
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
            r.return_reason,
        ]
        for r in reports
    ]
    header = [
        "编号",
        "工作任务",
        "报送单位",
        "周（起）",
        "本周进展",
        "进度%",
        "状态",
        "逾期报送",
        "报送人",
        "报送时间",
        "退回原因",
    ]
    return write_table("进度台账", header, rows)
