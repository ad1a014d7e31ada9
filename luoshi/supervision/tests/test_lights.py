"""Lights on the right working day, on the official calendar (2026: National Day 10-01..07,
adjusted workday Saturday 10-10; Mid-autumn 09-25..27)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from luoshi.lib.workdays import WorkCalendar
from luoshi.supervision.actions import do_refresh_lights, do_submit_report
from luoshi.supervision.calendar import latest_due_week, load_calendar, report_due
from luoshi.supervision.lights import LightFacts, compute_light
from luoshi.supervision.models import (
    CalendarDay,
    CalendarYear,
    Light,
    LightSpan,
    SupervisionSettings,
    Task,
)

pytestmark = pytest.mark.django_db


def at(y, m, d, hour=9, minute=0):
    return timezone.make_aware(datetime(y, m, d, hour, minute))


def light_on(day, *, deadline, start=date(2026, 9, 1), percent=100, missing_week=None):
    facts = LightFacts(
        state=Task.State.IN_PROGRESS,
        start_date=start,
        deadline=deadline,
        percent=percent,
        missing_week=missing_week,
    )
    return compute_light(
        facts, today=day, calendar=load_calendar(), rules=SupervisionSettings.current()
    )


def test_yellow_counts_working_days_across_national_day():
    deadline = date(2026, 10, 9)  # three working days before it: 09-30, 10-08, 10-09
    assert light_on(date(2026, 9, 28), deadline=deadline)[0] == Light.GREEN
    light, reason = light_on(date(2026, 9, 29), deadline=deadline)
    assert light == Light.YELLOW and "3" in reason
    # A calendar that ignored the holiday would stay green until 10-06.
    naive = WorkCalendar({date(2026, 10, d): date(2026, 10, d).weekday() < 5 for d in range(1, 8)})
    assert naive.workdays_between(date(2026, 9, 29), deadline) == 8


def test_adjusted_saturday_counts_as_a_working_day():
    calendar = load_calendar()
    assert (
        calendar.workdays_between(date(2026, 10, 9), date(2026, 10, 12)) == 2
    )  # 10-10 (Sat) and 10-12
    assert light_on(date(2026, 10, 9), deadline=date(2026, 10, 12))[0] == Light.YELLOW


def test_red_the_day_after_the_deadline_counting_late_working_days():
    assert light_on(date(2026, 9, 30), deadline=date(2026, 9, 30))[0] == Light.YELLOW
    light, reason = light_on(date(2026, 10, 8), deadline=date(2026, 9, 30))
    assert light == Light.RED and "1" in reason  # only 10-08 is a working day after 09-30


def test_behind_time_proportional_progress_is_yellow():
    # Roughly half the working days of the span gone, 20 % done: yellow; 40 % done: green.
    start, deadline, today = date(2026, 3, 2), date(2026, 6, 30), date(2026, 5, 1)
    assert light_on(today, start=start, deadline=deadline, percent=20)[0] == Light.YELLOW
    assert light_on(today, start=start, deadline=deadline, percent=40)[0] == Light.GREEN


def test_report_due_moves_past_a_holiday_friday():
    rules, calendar = SupervisionSettings.current(), load_calendar()
    # The week of 09-28: Friday 10-02 is National Day, so the report is due on 10-08 at 17:00.
    assert report_due(date(2026, 9, 28), rules, calendar) == at(2026, 10, 8, 17)
    assert latest_due_week(at(2026, 10, 8, 16, 59), rules, calendar) == date(2026, 9, 21)
    assert latest_due_week(at(2026, 10, 8, 17, 1), rules, calendar) == date(2026, 9, 28)


def test_a_missing_report_turns_the_task_red_and_a_late_one_clears_it(people, make_task):
    task = make_task(deadline=date(2026, 12, 31))
    # Out with the unit since before the week of 08-31 began, so that week's report is owed.
    Task.objects.filter(pk=task.pk).update(
        assigned_at=at(2026, 8, 28), start_date=date(2026, 8, 28), percent=30
    )
    do_refresh_lights(now=at(2026, 9, 11, 16))  # Friday before 17:00: last week's window
    task.refresh_from_db()
    assert task.light == Light.RED  # the week of 08-31 was due 09-04 and nothing came
    do_submit_report(
        task,
        unit=task.lead_unit,
        week=date(2026, 8, 31),
        text="进场施工",
        percent=30,
        actor=people.liaison_a,
    )
    do_refresh_lights(now=at(2026, 9, 11, 16))
    task.refresh_from_db()
    assert task.light == Light.GREEN
    do_refresh_lights(now=at(2026, 9, 11, 17, 1))  # this week's window closes, no report
    task.refresh_from_db()
    assert task.light == Light.RED and "09-07" in task.light_reason


def test_light_history_records_how_long_a_task_was_red(people, make_task):
    task = make_task(deadline=date(2026, 10, 9))
    Task.objects.filter(pk=task.pk).update(assigned_at=at(2026, 9, 1), percent=90)
    do_refresh_lights(now=at(2026, 10, 13))  # overdue
    do_refresh_lights(now=at(2026, 10, 13))  # unchanged: no new span
    spans = list(LightSpan.objects.filter(task=task))
    assert [s.light for s in spans] == [Light.RED] and spans[0].end is None


def test_unknown_year_falls_back_to_weekends_until_the_office_enters_it():
    calendar = load_calendar()
    assert calendar.unknown_years(date(2027, 10, 1)) == [2027]
    assert calendar.is_workday(date(2027, 10, 1))  # a Friday; no data yet, so a working day
    CalendarDay.objects.create(day=date(2027, 10, 1), is_workday=False, name="国庆节")
    CalendarYear.objects.create(year=2027)
    calendar = load_calendar()
    assert (
        not calendar.is_workday(date(2027, 10, 1))
        and calendar.unknown_years(date(2027, 10, 1)) == []
    )
