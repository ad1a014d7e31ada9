"""Periods as values: Period.parse("2026-Q3"), never loose strings.

Kinds: year "2026", half "2026-H1", quarter "2026-Q3", month "2026-07",
ISO week "2026-W47". Periods compare by start date and know what they contain,
so month → quarter → year roll-ups ask the period, not string prefixes.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

_FORMS = [
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "month"),
    (re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$"), "week"),
]
KINDS = ["week", "month", "quarter", "half", "year"]  # finest first
_MONTHS = {"year": 12, "half": 6, "quarter": 3, "month": 1}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    index: int = 1

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = str(text).strip().upper()
        for pattern, kind in _FORMS:
            match = pattern.match(text)
            if match:
                index = int(match.group(2)) if match.lastindex and match.lastindex > 1 else 1
                period = cls(kind, int(match.group(1)), index)
                if kind == "week" and date(period.year, 12, 28).isocalendar().week < index:
                    break  # a 53rd week the year does not have
                return period
        raise ValueError(
            f"“{text}” is not a period (write 2026, 2026-H1, 2026-Q3, 2026-07 or 2026-W47)"
        )

    @property
    def chinese(self) -> str:
        """The name a person reads: 2026年第三季度, 2026年10月, 2026年上半年, 2026年度,
        2026年第47周. Codes such as 2026-Q3 are for forms, addresses and files only."""
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "half":
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        if self.kind == "week":
            return f"{self.year}年第{self.index}周"
        return f"{self.year}年度"

    def __str__(self) -> str:
        return {
            "year": f"{self.year}",
            "half": f"{self.year}-H{self.index}",
            "quarter": f"{self.year}-Q{self.index}",
            "month": f"{self.year}-{self.index:02d}",
            "week": f"{self.year}-W{self.index:02d}",
        }[self.kind]

    @property
    def start(self) -> date:
        if self.kind == "week":
            return date.fromisocalendar(self.year, self.index, 1)
        return date(self.year, (self.index - 1) * _MONTHS[self.kind] + 1, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.kind == "week":
            return self.start + timedelta(days=6)
        month = self.index * _MONTHS[self.kind]
        return date(self.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)

    def __lt__(self, other: "Period") -> bool:
        return (self.start, -KINDS.index(self.kind)) < (other.start, -KINDS.index(other.kind))

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list["Period"]:
        if self.kind == "week":
            raise ValueError("a week is not made of months")
        first = self.start.month
        return [Period("month", self.year, m) for m in range(first, first + _MONTHS[self.kind])]

    def previous(self) -> "Period":
        if self.kind == "week":
            prev = self.start - timedelta(days=7)
            iso = prev.isocalendar()
            return Period("week", iso.year, iso.week)
        if self.kind == "year":
            return Period("year", self.year - 1)
        per_year = 12 // _MONTHS[self.kind]
        return (
            Period(self.kind, self.year - 1, per_year)
            if self.index == 1
            else Period(self.kind, self.year, self.index - 1)
        )

    @classmethod
    def of(cls, kind: str, day: date) -> "Period":
        if kind == "week":
            iso = day.isocalendar()
            return cls("week", iso.year, iso.week)
        if kind == "year":
            return cls("year", day.year)
        return cls(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)

    def parts(self, kind: str) -> list["Period"]:
        """The shorter periods that make up this one, e.g. a year's four quarters."""
        if kind == "week" or KINDS.index(kind) > KINDS.index(self.kind):
            raise ValueError(f"a {self.kind} is not made of {kind}s")
        out, day = [], self.start
        while day <= self.end:
            part = Period.of(kind, day)
            out.append(part)
            day = part.end + timedelta(days=1)
        return out


def period_name(text) -> str:
    """A stored period code in words (see ``Period.chinese``); anything else unchanged."""
    try:
        return Period.parse(text).chinese
    except (TypeError, ValueError):
        return "" if text is None else str(text)
