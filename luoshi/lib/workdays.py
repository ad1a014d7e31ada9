"""Working days on the official Chinese calendar.

chinese_calendar knows holidays and adjusted workdays (调休) for the years the
State Council has published. For a later year the office enters them itself;
until it has confirmed a year, weekends alone count and callers show a warning.
"""

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def _official_is_workday(day: date) -> bool | None:
    """The published answer for a day, or None for a year not yet published.

    Cached: the package validates every call, which made light computation for
    a year-long task cost milliseconds, and published calendars never change.
    """
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


class WorkCalendar:
    def __init__(
        self, overrides: Mapping[date, bool] | None = None, confirmed_years: Iterable[int] = ()
    ):
        # overrides: office-entered days, True = working day, False = holiday.
        self.overrides = dict(overrides or {})
        self.confirmed_years = set(confirmed_years)

    @staticmethod
    def official_knows(year: int) -> bool:
        return _official_is_workday(date(year, 6, 1)) is not None

    def is_known(self, year: int) -> bool:
        """Whether holidays for ``year`` are known (published, or confirmed by the office)."""
        return year in self.confirmed_years or self.official_knows(year)

    def unknown_years(self, *days: date) -> list[int]:
        return sorted({d.year for d in days if not self.is_known(d.year)})

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        official = _official_is_workday(day)
        return day.weekday() < 5 if official is None else official

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        return sum(
            1 for i in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(i))
        )

    def add_workdays(self, day: date, count: int) -> date:
        """The date ``count`` working days after ``day`` (before it, if negative)."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += timedelta(step)
            if self.is_workday(day):
                remaining -= 1
        return day
