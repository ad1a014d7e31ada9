"""Green, yellow, red: a pure function of the task's facts and the calendar.

Red: past the deadline, or the latest weekly report is missing.
Yellow: within N working days of the deadline, a monthly milestone overdue, or
progress trailing the time elapsed (序时进度) by the declared number of points.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from luoshi.lib.rounding import half_up
from luoshi.lib.workdays import WorkCalendar

from .models import Light, SupervisionSettings, Task


@dataclass(frozen=True)
class LightFacts:
    state: str
    start_date: date
    deadline: date
    percent: int
    overdue_milestones: tuple[str, ...] = ()
    missing_week: date | None = None  # the latest due week, if its report is missing


def compute_light(
    facts: LightFacts, *, today: date, calendar: WorkCalendar, rules: SupervisionSettings
):
    """Return (light, reason in the user's language)."""
    if facts.state in (Task.State.DRAFT, Task.State.DONE):
        return Light.NONE, ""
    if today > facts.deadline:
        late = calendar.workdays_between(facts.deadline, today)
        if late == 0:  # deadline on a Friday, today the weekend
            return Light.RED, _("Past the deadline of %(d)s") % {
                "d": facts.deadline.strftime("%m-%d")
            }
        return Light.RED, _("Overdue by %(n)d working days") % {"n": late}
    if facts.missing_week is not None:
        return Light.RED, _("Report for the week of %(week)s is missing") % {
            "week": facts.missing_week.strftime("%m-%d")
        }
    left = calendar.workdays_between(today, facts.deadline)
    if left <= rules.warn_workdays:
        return Light.YELLOW, _("%(n)d working days to the deadline") % {"n": left}
    if facts.overdue_milestones:
        return Light.YELLOW, _("Milestone overdue: %(m)s") % {"m": facts.overdue_milestones[0]}
    total = calendar.workdays_between(facts.start_date, facts.deadline)
    if total > 0:
        elapsed = 100 * calendar.workdays_between(facts.start_date, today) / total
        if elapsed - facts.percent >= rules.lag_points:
            return Light.YELLOW, _("%(time)d%% of the time gone, %(done)d%% done") % {
                "time": int(half_up(elapsed)),
                "done": facts.percent,
            }
    return Light.GREEN, ""
