"""The scheduler's checkpoint routine: daily, signed, kept, and sent to the people who hold it."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.audit.checkpoint import Checkpoint
from luoshi.audit.models import AuditCheckpoint, AuditEvent
from luoshi.audit.routine import audit_tick, latest_checkpoint_id
from luoshi.audit.verify import verify
from luoshi.conftest import make_person
from luoshi.notify.models import Delivery, Notification, Preference
from luoshi.orgs.actions import do_update_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def renda(tree):
    """An observer of the district (区人大) who wants messages by e-mail."""
    person = make_person("renda", tree.root, Role.OBSERVER)
    Preference.objects.create(user=person, email="renda@example.gov.cn")
    return person


def test_the_scheduler_takes_a_checkpoint_and_sends_it_out(people, renda, settings):
    settings.AUDIT_CHECKPOINT_EMAILS = ["jiwei@example.gov.cn"]
    settings.AUDIT_CHECKPOINT_WEBHOOKS = ["https://oapi.dingtalk.com/robot/send?access_token=x"]
    assert latest_checkpoint_id() == ""
    counts = audit_tick()
    row = AuditCheckpoint.objects.get()
    assert counts["audit_checkpoint"] == row.label == latest_checkpoint_id()
    # Observers of a top-level unit hold it (inbox, and their e-mail); a township's does not.
    assert Notification.objects.filter(recipient=renda, kind="audit").count() == 1
    assert not Notification.objects.filter(recipient=people.observer, kind="audit").exists()
    deliveries = {d.address: d for d in Delivery.objects.all()}
    assert set(deliveries) == {
        "renda@example.gov.cn",
        "jiwei@example.gov.cn",
        "https://oapi.dingtalk.com/robot/send?access_token=x",
    }
    assert deliveries["https://oapi.dingtalk.com/robot/send?access_token=x"].channel == "dingtalk"
    # What they receive is enough to verify against later, and a copy stays on this host.
    sent = Checkpoint.from_json(deliveries["renda@example.gov.cn"].body, "mail")
    assert (sent.seq, sent.head) == (row.seq, row.head)
    assert verify([sent]).problem is None
    kept = list(settings.AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))
    assert len(kept) == 1 and json.loads(kept[0].read_text())["id"] == row.label


def test_one_checkpoint_per_interval_and_only_when_the_chain_grew(people, renda, tree):
    audit_tick()
    assert "audit_checkpoint" not in audit_tick()  # same pass again: nothing new
    tomorrow = timezone.now() + timedelta(hours=25)
    assert "audit_checkpoint" not in audit_tick(tomorrow)  # a day later, but nothing happened
    do_update_unit(tree.town_a, name="甲街道", actor=people.office)
    assert "audit_checkpoint" in audit_tick(tomorrow)
    assert AuditCheckpoint.objects.count() == 2


def test_a_broken_chain_is_reported_once_instead_of_signed(people, renda):
    audit_tick()
    AuditEvent._base_manager.filter(seq=3).update(object_repr="改过的")  # behind its back
    later = timezone.now() + timedelta(hours=25)
    do_update_unit(people.office.memberships.get().unit, name="新区", actor=people.office)
    counts = audit_tick(later)
    assert counts["audit_broken_at"] == 3 and AuditCheckpoint.objects.count() == 1
    # The alert is the holder's second message, the one without a checkpoint in it.
    alert = Notification.objects.filter(recipient=renda, kind="audit").exclude(body__contains="{")
    assert alert.count() == 1 and " 3 " in alert.get().body.replace("#", " ")
    audit_tick(later)
    assert alert.count() == 1  # not again every pass
