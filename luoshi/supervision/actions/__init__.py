"""Every write in supervision, each one transaction with its audit event.

tasks.py: create, assign, sign for, complete, send back, extensions, splitting.
reports.py: weekly progress, its approval and review; monthly reports.
chasing.py: lights, reminders, 催办 and 督办单.
"""

from .chasing import do_chase_task, do_issue_notice, do_refresh_lights, run_scheduler_tick
from .reports import (
    do_accept_report,
    do_approve_report,
    do_return_report,
    do_submit_monthly_report,
    do_submit_report,
)
from .tasks import (
    do_accept_task,
    do_assign_task,
    do_complete_task,
    do_create_task,
    do_decide_extension,
    do_request_completion,
    do_request_extension,
    do_send_back_task,
    do_split_task,
    do_start_review,
    do_update_task,
)

__all__ = [
    "do_accept_report",
    "do_accept_task",
    "do_approve_report",
    "do_assign_task",
    "do_chase_task",
    "do_complete_task",
    "do_create_task",
    "do_decide_extension",
    "do_issue_notice",
    "do_refresh_lights",
    "do_request_completion",
    "do_request_extension",
    "do_return_report",
    "do_send_back_task",
    "do_split_task",
    "do_start_review",
    "do_submit_monthly_report",
    "do_submit_report",
    "do_update_task",
    "run_scheduler_tick",
]
