from django.db import transaction
from django.utils import timezone

from .models import Delivery, Notification, Preference, UnitWebhook

MAX_ATTEMPTS = 5


def _deliveries_for(user, subject: str, body: str) -> list[Delivery]:
    preference = Preference.objects.filter(user=user).first()
    if preference is None or preference.mode != Preference.Mode.IMMEDIATE:
        return []
    out = []
    if preference.email:
        out.append(
            Delivery(
                channel=Delivery.Channel.EMAIL, address=preference.email, subject=subject, body=body
            )
        )
    if preference.sms and user.mobile:
        out.append(
            Delivery(channel=Delivery.Channel.SMS, address=user.mobile, subject=subject, body=body)
        )
    return out


@transaction.atomic
def do_notify(
    users, *, kind: str, title: str, body: str = "", url: str = "", unit=None
) -> list[Notification]:
    """Put a message in each person's inbox and queue their immediate channels (and the unit's robots).

    Deliveries are rows first and sent by the worker after commit, so a rolled
    back action never sends anything and a crash never loses a message.
    """
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, title=title[:200], body=body, url=url) for u in users]
    )
    deliveries = [d for u in users for d in _deliveries_for(u, title, body)]
    if unit is not None:
        for hook in UnitWebhook.objects.filter(unit=unit, active=True):
            deliveries.append(
                Delivery(channel=hook.kind, address=hook.url, subject=title, body=body)
            )
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        from .jobs import deliver_pending

        transaction.on_commit(lambda: deliver_pending.enqueue())
    return notifications


@transaction.atomic
def do_mark_read(user, notification_ids=None) -> int:
    qs = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
