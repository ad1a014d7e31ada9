import threading
from datetime import date, datetime

import pytest
from django.db import connection
from django.utils import timezone

from luoshi.lib.errors import NotAllowed
from luoshi.notify.models import Notification
from luoshi.supervision.actions import do_chase_task, do_issue_notice, run_scheduler_tick
from luoshi.supervision.models import Chase, Task, TaskEvent


def at(y, m, d, hour=9):
    return timezone.make_aware(datetime(y, m, d, hour))


@pytest.mark.django_db
def test_manual_chase_and_notice_reach_the_unit(people, make_task):
    task = make_task()
    do_chase_task(task, note="请本周内报送进度", actor=people.office)
    notice = do_issue_notice(task, actor=people.office)
    assert notice.number.startswith("督办〔")
    inbox = Notification.objects.filter(recipient=people.liaison_a)
    assert inbox.filter(kind="chase").count() == 1 and inbox.filter(kind="notice").count() == 1
    assert not Notification.objects.filter(recipient=people.liaison_b).exists()
    with pytest.raises(NotAllowed):
        do_chase_task(task, actor=people.head_a)


@pytest.mark.django_db
def test_late_task_is_chased_then_gets_a_notice_and_nothing_twice(people, make_task):
    task = make_task(deadline=date(2026, 10, 9))
    Task.objects.filter(pk=task.pk).update(percent=50)
    run_scheduler_tick(now=at(2026, 10, 12))  # overdue: red, first 催办
    run_scheduler_tick(now=at(2026, 10, 12, 15))  # same slot: nothing new
    assert Chase.objects.filter(task=task, kind=Chase.Kind.CHASE).count() == 1
    run_scheduler_tick(now=at(2026, 10, 16))  # three working days later: second 催办 and the 督办单
    assert Chase.objects.filter(task=task, kind=Chase.Kind.CHASE).count() == 2
    assert Chase.objects.filter(task=task, kind=Chase.Kind.NOTICE).count() == 1
    assert task.events.filter(kind=TaskEvent.Kind.NOTICE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_each_reminder_once(people, make_task, tree):
    tasks = [make_task(deadline=date(2026, 11, 25), title=f"任务{i}") for i in range(5)]
    now = at(2026, 11, 23)  # Monday: deadlines two working days away
    barrier = threading.Barrier(2)
    errors = []

    def scheduler():
        try:
            barrier.wait()
            run_scheduler_tick(now=now)
        except Exception as e:  # noqa: BLE001
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for task in tasks:
        assert Chase.objects.filter(task=task, kind=Chase.Kind.REMINDER).count() == 1
        assert task.events.filter(kind=TaskEvent.Kind.REMINDED).count() == 1
    # Each of 甲镇's two people got exactly one reminder per task.
    assert Notification.objects.filter(kind="reminder", recipient=people.liaison_a).count() == len(
        tasks
    )
    assert Notification.objects.filter(kind="reminder", recipient=people.head_a).count() == len(
        tasks
    )


@pytest.mark.django_db
def test_scheduler_command_runs_one_pass(people, make_task, capsys):
    from django.core.management import call_command

    make_task(deadline=date(2026, 1, 30), start=date(2026, 1, 5))  # long overdue: red, chased
    call_command("scheduler", once=True)
    assert "'chases': 1" in capsys.readouterr().out
    assert Chase.objects.filter(kind=Chase.Kind.CHASE).count() == 1
