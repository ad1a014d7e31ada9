"""Background delivery of messages; run by `luoshi worker`."""

from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .actions import MAX_ATTEMPTS
from .channels import SENDERS
from .models import Delivery, Notification, Preference

# A worker killed mid-send leaves its rows "sending"; after this long they are tried again.
STALE_CLAIM = timedelta(minutes=10)


def _claim(limit: int) -> list[Delivery]:
    """Mark up to ``limit`` rows as this worker's. SKIP LOCKED plus the SENDING
    state mean two workers never take the same row."""
    now = timezone.now()
    with transaction.atomic():
        ready = Q(state=Delivery.State.PENDING) | Q(
            state=Delivery.State.SENDING, claimed_at__lt=now - STALE_CLAIM
        )
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(ready, attempts__lt=MAX_ATTEMPTS)
            .order_by("pk")[:limit]
        )
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
            state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return rows


def deliver_now(limit: int = 200) -> dict:
    sent = failed = 0
    for delivery in _claim(limit):
        try:
            SENDERS[delivery.channel](delivery.address, delivery.subject, delivery.body)
        except Exception as error:  # noqa: BLE001 — any failure is recorded and retried
            state = (
                Delivery.State.FAILED
                if delivery.attempts + 1 >= MAX_ATTEMPTS
                else Delivery.State.PENDING
            )
            Delivery.objects.filter(pk=delivery.pk).update(
                state=state, last_error=str(error)[:2000]
            )
            failed += 1
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                state=Delivery.State.SENT, sent_at=timezone.now()
            )
            sent += 1
    return {"sent": sent, "failed": failed}


@task()
def deliver_pending() -> dict:
    return deliver_now()


def queue_digests(now=None) -> int:
    """Gather each digest reader's unsent messages of the last day into one e-mail."""
    now = now or timezone.now()
    pending = defaultdict(list)
    digest_users = Preference.objects.filter(mode=Preference.Mode.DIGEST).exclude(email="")
    emails = dict(digest_users.values_list("user_id", "email"))
    with transaction.atomic():
        rows = Notification.objects.select_for_update(skip_locked=True).filter(
            recipient_id__in=emails,
            digested_at__isnull=True,
            created_at__gte=now - timedelta(days=7),
        )
        for n in rows:
            pending[n.recipient_id].append(n)
        for user_id, items in pending.items():
            body = "\n".join(f"· {n.title} {n.body}".strip() for n in items)
            Delivery.objects.create(
                channel=Delivery.Channel.EMAIL,
                address=emails[user_id],
                subject=_("Luoshi daily digest: %(n)d messages") % {"n": len(items)},
                body=body,
            )
        Notification.objects.filter(
            pk__in=[n.pk for items in pending.values() for n in items]
        ).update(digested_at=now)
    return len(pending)
