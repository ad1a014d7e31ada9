from datetime import date

import pytest

from luoshi.audit.models import AuditEvent
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.supervision.actions import (
    do_accept_task,
    do_assign_task,
    do_complete_task,
    do_decide_extension,
    do_request_completion,
    do_request_extension,
    do_send_back_task,
    do_split_task,
    do_start_review,
)
from luoshi.supervision.models import Extension, Task, TaskEvent

pytestmark = pytest.mark.django_db
S = Task.State


def kinds(task):
    return list(task.events.exclude(kind=TaskEvent.Kind.LIGHT).values_list("kind", flat=True))


def test_the_whole_path_from_registered_to_done(people, make_task, freezer=None):
    task = make_task(assign=False)
    assert task.state == S.DRAFT and task.code.startswith("2026-")
    do_assign_task(task, actor=people.office)
    do_accept_task(task, actor=people.liaison_a)
    do_request_completion(task, note="管网已通水", actor=people.head_a)
    do_start_review(task, actor=people.office)
    do_complete_task(task, actor=people.office)
    task.refresh_from_db()
    assert task.state == S.DONE and task.completed_late is False and task.percent == 100
    assert kinds(task) == [
        "created",
        "assigned",
        "accepted",
        "completion_requested",
        "review_started",
        "completed",
    ]
    moves = AuditEvent.objects.filter(action__startswith="task.", object_id=str(task.pk))
    assert moves.exclude(action="task.light").count() == 6


def test_finished_late_is_kept_distinct(people, make_task):
    task = make_task(deadline=date(2026, 1, 31), start=date(2026, 1, 1))
    do_request_completion(task, actor=people.liaison_a)
    do_complete_task(task, actor=people.office)
    task.refresh_from_db()
    assert task.state == S.DONE and task.completed_late is True


def test_illegal_transitions_are_refused_with_the_reason(people, make_task):
    task = make_task(assign=False)
    with pytest.raises(ActionError) as e:
        do_accept_task(task, actor=people.liaison_a)
    assert "立项" in e.value.message and "签收" in e.value.message
    with pytest.raises(ActionError):
        do_complete_task(task, actor=people.office)
    assert Task.objects.get(pk=task.pk).state == S.DRAFT


def test_send_back_needs_a_reason_and_returns_the_work(people, make_task):
    task = make_task()
    do_request_completion(task, actor=people.liaison_a)
    with pytest.raises(ActionError) as e:
        do_send_back_task(task, reason=" ", actor=people.office)
    assert e.value.field == "reason"
    do_send_back_task(task, reason="缺少验收报告", actor=people.office)
    task.refresh_from_db()
    assert task.state == S.IN_PROGRESS
    assert task.events.get(kind=TaskEvent.Kind.SENT_BACK).note == "缺少验收报告"


def test_extension_keeps_the_old_deadline(people, make_task):
    task = make_task(deadline=date(2026, 12, 31))
    with pytest.raises(ActionError):
        do_request_extension(
            task, new_deadline=date(2026, 12, 1), reason="x", actor=people.liaison_a
        )
    extension = do_request_extension(
        task, new_deadline=date(2027, 3, 31), reason="冬季停工", actor=people.liaison_a
    )
    with pytest.raises(ActionError):
        do_request_extension(
            task, new_deadline=date(2027, 4, 30), reason="again", actor=people.liaison_a
        )
    with pytest.raises(ActionError):
        do_decide_extension(extension, approve=False, note="", actor=people.office)
    do_decide_extension(extension, approve=True, actor=people.office)
    task.refresh_from_db()
    extension.refresh_from_db()
    assert task.deadline == date(2027, 3, 31) and extension.old_deadline == date(2026, 12, 31)
    assert extension.state == Extension.State.APPROVED


def test_refused_extension_leaves_the_deadline(people, make_task):
    task = make_task()
    extension = do_request_extension(
        task, new_deadline=date(2027, 3, 31), reason="x", actor=people.liaison_a
    )
    do_decide_extension(extension, approve=False, note="理由不充分", actor=people.office)
    task.refresh_from_db()
    assert task.deadline == date(2026, 12, 31)


def test_who_may_move_a_task(people, make_task, tree):
    task = make_task(assign=False)
    for outsider in (people.liaison_b, people.liaison_a, people.deputy, people.observer):
        with pytest.raises(NotAllowed):
            do_assign_task(task, actor=outsider)
    do_assign_task(task, actor=people.office)
    for outsider in (people.liaison_b, people.liaison_a1, people.observer, people.deputy):
        with pytest.raises(NotAllowed):
            do_accept_task(task, actor=outsider)
    do_accept_task(task, actor=people.liaison_a)
    with pytest.raises(NotAllowed):
        do_complete_task(task, actor=people.head_a)


def test_split_into_one_subtask_per_township(people, make_task, tree):
    task = make_task(unit=tree.root, accept=False, milestones=[(date(2026, 10, 1), "完成摸底")])
    subs = do_split_task(task, units=[tree.town_a, tree.town_b], actor=people.office)
    assert {s.lead_unit for s in subs} == {tree.town_a, tree.town_b}
    assert all(s.state == S.ASSIGNED and s.parent == task for s in subs)
    assert all(s.milestones.get().description == "完成摸底" for s in subs)
    assert do_split_task(task, units=[tree.town_a], actor=people.office) == []  # no doubles
