from datetime import date

import pytest

from luoshi.directives.actions import do_create_source
from luoshi.directives.models import Source
from luoshi.supervision.actions import do_accept_task, do_assign_task, do_create_task


@pytest.fixture
def source(people, tree):
    return do_create_source(
        kind=Source.Kind.MEETING,
        title="区委常委会第12次会议",
        date=date(2026, 9, 1),
        owner_unit=tree.root,
        actor=people.office,
    )


@pytest.fixture
def make_task(people, tree, source):
    def _make(
        *,
        deadline=date(2026, 12, 31),
        start=date(2026, 9, 1),
        unit=None,
        assign=True,
        accept=True,
        **kw,
    ):
        task = do_create_task(
            source=source,
            title=kw.pop("title", "推进甲镇污水管网改造"),
            lead_unit=unit or tree.town_a,
            deadline=deadline,
            start_date=start,
            actor=people.office,
            **kw,
        )
        if assign:
            do_assign_task(task, actor=people.office)
        if assign and accept:
            staff = people.liaison_a if (unit or tree.town_a) == tree.town_a else None
            do_accept_task(task, actor=staff)
        task.refresh_from_db()
        return task

    return _make
