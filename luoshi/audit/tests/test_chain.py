import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from luoshi.audit.chain import record, seal_pending, verify_chain
from luoshi.audit.models import AuditChainHead, AuditEvent
from luoshi.lib.errors import ActionError
from luoshi.orgs.actions import do_update_unit

pytestmark = pytest.mark.django_db


def test_every_action_leaves_an_event_with_before_and_after(people, tree):
    do_update_unit(tree.town_a, name="甲街道", actor=people.office)
    event = AuditEvent.objects.filter(action="unit.update").get()
    assert event.actor == people.office and event.actor_label == "office"
    assert event.before["name"] == "甲镇" and event.after["name"] == "甲街道"
    assert event.object_type == "orgs.unit" and event.object_id == str(tree.town_a.pk)


def test_secrets_never_enter_the_trail(people):
    for event in AuditEvent.objects.filter(object_type="accounts.user"):
        assert "password" not in (event.after or {})


def test_a_refused_action_leaves_no_event(people, tree):
    count = AuditEvent.objects.count()
    with pytest.raises(ActionError):
        do_update_unit(tree.town_a, parent=tree.village_a1, actor=people.office)
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        record(actor=None, action="x", object_type="x")


def test_intact_chain_verifies(people):
    seal_pending()
    checked, problem = verify_chain()
    assert problem is None and checked == AuditEvent.objects.count() > 10
    call_command("audit", "verify")


def test_an_edited_event_is_detected_and_named(people):
    seal_pending()
    victim = AuditEvent.objects.order_by("seq")[5]
    with connection.cursor() as cursor:  # behind the application's back, as only the DB allows
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET object_repr = %s WHERE id = %s",
            ["改过的", victim.pk],
        )
    _checked, problem = verify_chain()
    assert problem.seq == victim.seq and problem.kind == "edited"
    with pytest.raises(CommandError, match=f"#{victim.seq}"):
        call_command("audit", "verify")


def test_an_edited_event_with_a_recomputed_hash_is_named_by_its_signature(people):
    from luoshi.audit.chain import compute_hash

    seal_pending()
    victim = AuditEvent.objects.order_by("seq")[5]
    victim.after = {"forged": True}
    victim.hash = compute_hash(victim)
    victim.save()
    _checked, problem = verify_chain()
    assert problem.seq == victim.seq and problem.kind == "signature"


def test_a_deleted_event_is_detected(people):
    seal_pending()
    victim = AuditEvent.objects.order_by("seq")[3]
    delete_behind_the_applications_back(victim)
    _checked, problem = verify_chain()
    assert problem.seq == victim.seq and problem.kind == "missing"
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_deleting_the_newest_events_is_detected(people):
    seal_pending()
    last = AuditEvent.objects.order_by("-seq").first()
    delete_behind_the_applications_back(last)
    _checked, problem = verify_chain()
    assert problem is not None and problem.kind == "tail_missing"


def test_rolled_back_transaction_leaves_chain_consistent(people, tree):
    head_before = AuditChainHead.objects.get()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        do_update_unit(tree.town_a, name="回滚", actor=people.office)
        1 / 0  # noqa: B018
    assert AuditChainHead.objects.get().seq == head_before.seq
    assert verify_chain()[1] is None


def test_audit_pages_filter_and_verify(people, login):
    client = login(people.office)
    page = client.get("/audit/", {"action": "unit.create", "text": "甲一村"}).content.decode()
    assert "甲一村" in page and "乙一社区" not in page
    assert "完好" in client.get("/audit/verify/").content.decode()


def delete_behind_the_applications_back(event):
    """What only someone with direct database access could do: the application refuses."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [event.pk])


def test_the_application_never_deletes_or_rewrites_events_in_bulk(people):
    from luoshi.audit.models import AuditIsPermanent

    count = AuditEvent.objects.count()
    with pytest.raises(AuditIsPermanent):
        AuditEvent.objects.filter(seq__lte=3).delete()
    with pytest.raises(AuditIsPermanent):
        AuditEvent.objects.order_by("seq").first().delete()
    with pytest.raises(AuditIsPermanent):
        AuditEvent.objects.update(action="x")
    assert AuditEvent.objects.count() == count
