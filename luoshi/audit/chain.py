"""Recording and verifying the hash-chained audit trail."""

import hashlib
import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone

from luoshi.lib.request_context import get_request_id

from .models import GENESIS_HASH, AuditChainHead, AuditEvent

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
    """Append one event to the chain, inside the caller's transaction.

    Refuses to run outside a transaction: an event written apart from its
    change could survive a rollback of the change, or the other way round.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record() must run inside the action's transaction.atomic()")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    # The migration creates the head row; get_or_create covers a database
    # emptied by a test flush.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.get_username() if actor is not None and actor.pk else "system",
        request_id=get_request_id(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        before=_jsonable(before),
        after=_jsonable(after),
        prev_hash=head.hash,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


def record_many(*, actor, events: list[dict]) -> list[AuditEvent]:
    """Append several events in order, locking the chain head once: for actions that write
    many objects at a time (a grid of values). Each dict takes ``record``'s keyword arguments
    other than the actor."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many() must run inside the action's transaction.atomic()")
    if not events:
        return []
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    seq, prev_hash, now = head.seq, head.hash, timezone.now()
    actor_id = actor if actor is not None and actor.pk else None
    label = actor.get_username() if actor_id is not None else "system"
    request_id = get_request_id()
    built = []
    for e in events:
        obj = e.get("obj")
        seq += 1
        event = AuditEvent(
            seq=seq,
            created_at=now,
            actor=actor_id,
            actor_label=label,
            request_id=request_id,
            action=e["action"],
            object_type=obj._meta.label_lower if obj is not None else e.get("object_type", ""),
            object_id=str(obj.pk) if obj is not None else e.get("object_id", ""),
            object_repr=(str(obj) if obj is not None else e.get("object_repr", ""))[:200],
            before=_jsonable(e.get("before")),
            after=_jsonable(e.get("after")),
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = compute_hash(event)
        built.append(event)
    AuditEvent.objects.bulk_create(built)
    AuditChainHead.objects.filter(pk=1).update(seq=seq, hash=prev_hash)
    return built


@dataclass
class ChainProblem:
    seq: int
    reason: str


def verify_chain() -> tuple[int, ChainProblem | None]:
    """Walk the chain from the start; return (events checked, first problem or None)."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return checked, ChainProblem(expected_seq, "missing (deleted) event")
        if event.prev_hash != prev_hash:
            return checked, ChainProblem(event.seq, "does not link to the event before it")
        if compute_hash(event) != event.hash:
            return checked, ChainProblem(event.seq, "content does not match its hash (edited)")
        prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
    if head.seq != checked or head.hash != prev_hash:
        return checked, ChainProblem(checked + 1, "newest events missing (deleted)")
    return checked, None
