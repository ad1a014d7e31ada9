from datetime import date

import pytest

from luoshi.lib.periods import Period, period_name
from luoshi.lib.rounding import half_up
from luoshi.lib.workdays import WorkCalendar


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-w47", date(2026, 11, 16), date(2026, 11, 22)),
    ],
)
def test_parse_round_trip_and_bounds(text, start, end):
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)
    assert str(Period.parse(str(period))) == str(period)


@pytest.mark.parametrize(
    "code, words",
    [
        ("2026", "2026年度"),
        ("2026-H1", "2026年上半年"),
        ("2026-H2", "2026年下半年"),
        ("2026-Q3", "2026年第三季度"),
        ("2026-10", "2026年10月"),
        ("2026-W07", "2026年第7周"),
    ],
)
def test_periods_read_in_chinese(code, words):
    assert Period.parse(code).chinese == words == period_name(code)


def test_period_name_leaves_what_is_not_a_period():
    assert period_name("上次会议") == "上次会议" and period_name(None) == ""


@pytest.mark.parametrize("text", ["2026-Q5", "2026-13", "26-Q1", "2026Q3", "2025-W53", ""])
def test_bad_periods_are_refused_with_the_forms_that_work(text):
    with pytest.raises(ValueError, match="2026-Q3"):
        Period.parse(text)


def test_containment_previous_and_months():
    year, q3 = Period.parse("2026"), Period.parse("2026-Q3")
    assert year.contains(q3) and not q3.contains(year)
    assert [str(m) for m in q3.months()] == ["2026-07", "2026-08", "2026-09"]
    assert str(Period.parse("2026-Q1").previous()) == "2025-Q4"
    assert str(Period.parse("2026-W01").previous()) == "2025-W52"
    assert str(Period.of("quarter", date(2026, 11, 22))) == "2026-Q4"
    assert sorted([Period.parse("2026-Q2"), Period.parse("2026-01"), Period.parse("2026")])[
        0
    ] == Period.parse("2026")


def test_half_up_is_not_bankers_rounding():
    assert str(half_up(2.5)) == "3" and str(half_up(3.5)) == "4"
    assert str(half_up(2.675, 2)) == "2.68"  # round(2.675, 2) gives 2.67
    assert str(half_up(-1.25, 1)) == "-1.3"


def test_working_days_count_and_step():
    calendar = WorkCalendar()
    assert calendar.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)  # over National Day
    assert calendar.add_workdays(date(2026, 10, 8), -1) == date(2026, 9, 30)
    assert calendar.workdays_between(date(2026, 10, 12), date(2026, 10, 9)) == -2
