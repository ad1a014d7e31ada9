"""Recording the audit trail, and sealing it into a signed hash chain.

Two steps, so that no write waits for another:

1. ``record()`` inserts the event in the action's own transaction, unsealed (no seq, no
   hash). Nothing is locked but the new row, so concurrent actions append freely, and the
   event is visible with its change the moment the action commits.
2. ``seal_pending()`` (one sealer at a time, holding the chain head row for milliseconds)
   takes the committed unsealed events in the order it finds them, gives each the next seq,
   the previous event's hash, its own hash and an Ed25519 signature with the audit key
   (signing.py). It runs right after each writing transaction commits, in the process that
   wrote (AUDIT_SEAL=after-commit, the default on PostgreSQL), and in every scheduler pass
   and ``luoshi audit seal`` for whatever a crash left behind.

With AUDIT_SEAL=inline (the default on SQLite, where writers already queue for the one
database write lock, so a later seal would only add a second write transaction) ``record()``
seals inside the action's transaction, as Luoshi did before: the head row is then held from
record() to commit.
"""

import hashlib
import json
import logging

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from luoshi.lib.request_context import get_request_id

from . import signing
from .models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

# Events sealed per transaction; a backlog is sealed in several.
SEAL_BATCH = 2000
# Rounds the after-commit sealer makes while it keeps finding newly committed events.
AFTER_COMMIT_ROUNDS = 20

# Fields never copied into the trail.
_SECRET_FIELDS = {"password", "key_hash"}


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The instance's concrete field values as JSON-ready data (FKs as ids)."""
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in _SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        data[field.attname] = field.value_from_object(instance)
    return _jsonable(data)


def _jsonable(value):
    # Stored exactly as hashed: round-trip through JSON once, up front.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder)) if value is not None else None


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "request_id": event.request_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def event_message(seq: int, hash_: str) -> bytes:
    """What the sealer signs for an event: its place and its hash (which covers its content,
    its time and the hash before it)."""
    return f"luoshi-audit-event/1\n{seq}\n{hash_}".encode()


def _new_event(actor, request_id, now, *, action, obj=None, object_type="", object_id="",
               object_repr="", before=None, after=None) -> AuditEvent:  # fmt: skip
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    person = actor if actor is not None and actor.pk else None
    return AuditEvent(
        created_at=now,
        actor=person,
        actor_label=person.get_username() if person is not None else "system",
        request_id=request_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_jsonable(before),
        after=_jsonable(after),
    )


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction.

    Refuses to run outside a transaction: an event written apart from its
    change could survive a rollback of the change, or the other way round.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the action's transaction.atomic()")
    event = _new_event(
        actor, get_request_id(), timezone.now(), action=action, obj=obj, object_type=object_type,
        object_id=object_id, object_repr=object_repr, before=before, after=after,
    )  # fmt: skip
    event.save(force_insert=True)
    _arrange_seal()
    return event


def record_many(*, actor, events: list[dict]) -> list[AuditEvent]:
    """Append several events in order with one insert: for actions that write many objects at a
    time (a grid of values). Each dict takes ``record``'s keyword arguments other than the actor."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the action's transaction.atomic()")
    if not events:
        return []
    request_id, now = get_request_id(), timezone.now()
    built = AuditEvent.objects.bulk_create(
        [_new_event(actor, request_id, now, **e) for e in events]
    )
    _arrange_seal()
    return built


def _arrange_seal() -> None:
    if settings.AUDIT_SEAL == "inline":
        seal_pending()
        return
    # Once per transaction: a rolled-back savepoint drops its callbacks, so the list is the truth.
    # (Entries are (savepoint ids, callback, robust) since Django 4.2.)
    if not any(entry[1] is _seal_after_commit for entry in connection.run_on_commit):
        transaction.on_commit(_seal_after_commit, robust=True)


def _seal_after_commit() -> None:
    try:
        seal_pending(wait=False, rounds=AFTER_COMMIT_ROUNDS)
    except Exception:  # noqa: BLE001 — the action has committed; the next seal catches up
        logger.exception("sealing the audit trail after commit failed; the next seal retries")


def lock_head(wait: bool) -> AuditChainHead | None:
    """The head row, locked; None when another sealer holds it and ``wait`` is False."""
    head = AuditChainHead.objects.select_for_update(skip_locked=not wait).filter(pk=1).first()
    if head is None and not AuditChainHead.objects.filter(pk=1).exists():
        # The migration creates the row; a test's flush empties the table.
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _seal_batch(wait: bool) -> int | None:
    """Seal up to SEAL_BATCH committed events; None if another sealer is at work."""
    with transaction.atomic():
        head = lock_head(wait)
        if head is None:
            return None
        pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
        if not pending:
            return 0
        seq, prev = head.seq, head.hash
        for event in pending:
            seq += 1
            event.seq, event.prev_hash = seq, prev
            event.hash = prev = compute_hash(event)
            event.signature = signing.sign(event_message(seq, event.hash))
        # The base manager: the application's own manager refuses every update of an event.
        AuditEvent._base_manager.bulk_update(pending, ["seq", "prev_hash", "hash", "signature"])
        AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev)
        return len(pending)


def seal_pending(*, wait: bool = True, rounds: int | None = None) -> int:
    """Seal every committed unsealed event into the chain; returns how many were sealed.

    ``wait=False`` gives way to a sealer already at work: that one looks again after its
    commit, so it also seals what committed while it held the head. ``rounds`` bounds how
    long one caller keeps sealing others' events (the scheduler seals what is left).
    """
    total, done = 0, 0
    while rounds is None or done < rounds:
        done += 1
        sealed = _seal_batch(wait)
        if sealed is None:
            break
        total += sealed
        if sealed == SEAL_BATCH:
            continue  # a backlog (or a large record_many): seal the next batch
        if connection.in_atomic_block:
            break  # inline, in the action's transaction: nothing else can have committed
        if not AuditEvent.objects.filter(seq__isnull=True).exists():
            break
    return total


# Verification lives in verify.py; re-exported here for the callers that predate it.
from .verify import ChainProblem, verify_chain  # noqa: E402, F401
