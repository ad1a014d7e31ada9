"""Appending without a lock, sealing after commit, on both databases and in both modes."""

import threading

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection, transaction

from luoshi.audit import chain
from luoshi.audit.chain import record, record_many, seal_pending
from luoshi.audit.models import AuditChainHead, AuditEvent
from luoshi.audit.routine import audit_tick
from luoshi.audit.verify import verify
from luoshi.orgs.actions import do_update_unit

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and lock_timeout are PostgreSQL's"
)


@pytest.fixture(params=["after-commit", "inline"])
def seal_mode(request, settings):
    settings.AUDIT_SEAL = request.param
    return request.param


@pytest.mark.django_db(transaction=True)
def test_an_action_is_sealed_once_it_commits(people, tree, seal_mode):
    with transaction.atomic():
        do_update_unit(tree.town_a, name="甲街道", actor=people.office)
        event = AuditEvent.objects.filter(action="unit.update").get()  # visible at once
        assert (event.seq is None) == (seal_mode == "after-commit")
    event.refresh_from_db()
    assert event.seq == AuditChainHead.objects.get().seq and event.signature
    result = verify()
    assert result.problem is None and result.unsealed == 0


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_leaves_no_event_and_no_seal(people, tree, seal_mode):
    head = AuditChainHead.objects.get().seq
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        do_update_unit(tree.town_a, name="回滚", actor=people.office)
        1 / 0  # noqa: B018
    assert not AuditEvent.objects.filter(action="unit.update").exists()
    assert AuditChainHead.objects.get().seq == head and verify().problem is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_each_get_one_place_in_the_chain(people, tree, seal_mode):
    before = AuditEvent.objects.count()
    errors = []

    def writer(n):
        try:
            for i in range(8):
                do_update_unit(tree.finance, name=f"区财政局{n}-{i}", actor=people.office)
        except Exception as e:  # noqa: BLE001 — reported below
            errors.append(e)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seal_pending()  # whatever a writer left to the next seal (it gives way to a busy sealer)
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert len(seqs) == before + 48 and seqs == list(range(1, len(seqs) + 1))
    assert verify().problem is None


@pytest.mark.django_db
def test_events_left_unsealed_are_reported_not_damage_and_the_scheduler_seals_them(
    people, tree, settings, capsys
):
    # After-commit sealing inside a test's transaction never runs: the same state as a
    # process killed between its commit and its seal.
    settings.AUDIT_SEAL = "after-commit"
    seal_pending()
    do_update_unit(tree.town_a, name="甲街道", actor=people.office)
    result = verify()
    assert result.problem is None and result.unsealed == 1 and result.oldest_unsealed
    call_command("audit", "verify")
    assert "1 newer events not sealed yet" in capsys.readouterr().out
    assert audit_tick()["audit_sealed"] == 1
    assert verify().unsealed == 0


@pytest.mark.django_db
def test_a_large_record_many_is_sealed_whole_inline(people, settings, monkeypatch):
    settings.AUDIT_SEAL = "inline"
    monkeypatch.setattr(chain, "SEAL_BATCH", 3)
    with transaction.atomic():
        built = record_many(
            actor=people.office,
            events=[{"action": "value.set", "object_type": "x", "object_id": str(i)} for i in range(10)],
        )  # fmt: skip
    assert len(built) == 10
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert verify().problem is None


@pytest.mark.django_db(transaction=True)
def test_record_still_refuses_to_run_outside_a_transaction(settings):
    settings.AUDIT_SEAL = "after-commit"
    with pytest.raises(RuntimeError):
        record(actor=None, action="x", object_type="x")
    with pytest.raises(RuntimeError):
        record_many(actor=None, events=[{"action": "x"}])


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_write_does_not_wait_for_the_chain_head(people, tree, settings):
    """The head row held by someone else (a sealer, a checkpoint) for as long as they like:
    with after-commit sealing an action still commits at once; inline, it would wait."""
    held, release, done = threading.Event(), threading.Event(), threading.Event()

    def hold_the_head():
        with transaction.atomic():
            AuditChainHead.objects.select_for_update().get(pk=1)
            held.set()
            release.wait(30)
        connection.close()
        done.set()

    holder = threading.Thread(target=hold_the_head)
    holder.start()
    held.wait(10)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        settings.AUDIT_SEAL = "after-commit"
        do_update_unit(tree.town_a, name="甲街道", actor=people.office)  # no wait, no error
        event = AuditEvent.objects.get(action="unit.update")
        assert event.seq is None  # the sealer gave way to the holder; the event waits
        settings.AUDIT_SEAL = "inline"
        from django.db.utils import OperationalError

        with pytest.raises(OperationalError, match="lock timeout"):
            do_update_unit(tree.town_a, name="甲镇", actor=people.office)
    finally:
        release.set()
        done.wait(10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")
    assert seal_pending() >= 1 and verify().problem is None
