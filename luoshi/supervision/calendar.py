"""The working calendar with the office's own entries, and the weekly report windows."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from luoshi.lib.workdays import WorkCalendar

from .models import CalendarDay, CalendarYear, SupervisionSettings


def load_calendar() -> WorkCalendar:
    overrides = dict(CalendarDay.objects.values_list("day", "is_workday"))
    return WorkCalendar(overrides, CalendarYear.objects.values_list("year", flat=True))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def report_due(week: date, rules: SupervisionSettings, calendar: WorkCalendar) -> datetime:
    """When the report for the week starting ``week`` is due.

    The office's weekday and hour; a due day that is a holiday moves to the next
    working day, so the National Day week's report is due after the holiday.
    """
    day = week + timedelta(days=rules.report_weekday)
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(rules.report_hour)))


def latest_due_week(now: datetime, rules: SupervisionSettings, calendar: WorkCalendar) -> date:
    """The most recent week whose report window has closed by ``now``."""
    week = monday_of(timezone.localtime(now).date())
    while report_due(week, rules, calendar) > now:
        week -= timedelta(days=7)
    return week
