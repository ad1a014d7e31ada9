"""Every list page and list endpoint answers in a fixed number of queries, however many rows."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.lib.throttle import RATE_LIMIT_QUERIES
from luoshi.notify.actions import do_notify
from luoshi.supervision.actions import (
    do_approve_report,
    do_chase_task,
    do_issue_notice,
    do_submit_report,
)

pytestmark = pytest.mark.django_db


def grow(people, make_task, n):
    for i in range(n):
        task = make_task(title=f"任务{i}")
        report = do_submit_report(
            task,
            unit=task.lead_unit,
            week=date(2026, 11, 16),
            text="x",
            percent=10,
            actor=people.liaison_a,
        )
        do_approve_report(report, actor=people.head_a)
        do_chase_task(task, actor=people.office)
        do_issue_notice(task, actor=people.office)
        do_notify([people.office], kind="x", title=f"消息{i}")


PAGES = [
    ("office", "supervision:board", 6),
    ("office", "supervision:review", 9),
    ("office", "supervision:interviews", 6),
    ("office", "directives:sources", 7),
    ("office", "notify:inbox", 8),
    ("deputy", "supervision:leader", 7),
]


@pytest.mark.parametrize("username, name, queries", PAGES)
@pytest.mark.parametrize("extra", [1, 8])
def test_list_pages(
    people, make_task, login, django_assert_num_queries, username, name, queries, extra
):
    grow(people, make_task, extra)
    client = login(getattr(people, username))
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("extra", [1, 8])
def test_list_endpoints(people, make_task, login, django_assert_num_queries, extra):
    grow(people, make_task, extra)
    client = login(people.office)
    with django_assert_num_queries(6 + RATE_LIMIT_QUERIES):
        assert client.get("/api/v1/tasks").status_code == 200
    with django_assert_num_queries(5 + RATE_LIMIT_QUERIES):
        assert client.get("/api/v1/sources").status_code == 200
