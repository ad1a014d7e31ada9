"""Verifying the audit trail against its hashes, its signatures and its checkpoints.

What each check catches (docs/OPERATIONS.md, "Audit trail"):

- hashes and links: an event edited, or removed from the middle, by someone who did not
  recompute the chain;
- signatures (Ed25519 with a key that is not in the database): an event edited by someone
  who recomputed every hash after it and fixed the head row;
- checkpoints (signed, held outside the database): the newest events deleted and the head
  reset, or the chain replaced after that point by freshly sealed events. A checkpoint that
  still holds also proves everything before it, so signatures are checked only after the
  newest checkpoint that holds (and, to name the event, between the last one that holds and
  the first that does not).

Events not sealed yet are counted and reported, never taken as damage: they have no hash to
check until the sealer reaches them.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import signing
from .chain import compute_hash, event_message
from .checkpoint import Checkpoint
from .models import GENESIS_HASH, AuditChainHead, AuditCheckpoint, AuditEvent

CHUNK = 2000


# What can be wrong at an event, by kind (stable, for programs and tests); the text is
# translated when the problem is made.
REASONS = {
    "missing": gettext_noop("missing (deleted) event"),
    "unlinked": gettext_noop("does not link to the event before it"),
    "edited": gettext_noop("content does not match its hash (edited)"),
    "unsigned": gettext_noop(
        "not signed (the signature was removed, or it was sealed by something else)"
    ),
    "signature": gettext_noop(
        "its signature does not match the audit key (rewritten without the key; or signed by "
        "a key this verification was not given: add its public key)"
    ),
    "after_checkpoint": gettext_noop(
        "made after checkpoint %(id)s, which had already counted an event at this place"
    ),
    "beyond": gettext_noop("missing (deleted): checkpoint %(id)s says the chain reached #%(seq)d"),
    "rewritten_with_key": gettext_noop(
        "the chain from here to #%(seq)d differs from checkpoint %(id)s although every event "
        "in it carries a valid signature: it was rewritten with the audit key"
    ),
    "forged_checkpoint": gettext_noop(
        "a stored checkpoint for this event carries a forged signature"
    ),
    "head_reset": gettext_noop("sealed events lie beyond the chain head (it was reset)"),
    "head_differs": gettext_noop("the chain head does not match the newest event"),
    "tail_missing": gettext_noop("newest events missing (deleted)"),
}


@dataclass
class ChainProblem:
    seq: int
    reason: str
    kind: str = ""

    @classmethod
    def of(cls, at: int, kind: str, **params) -> "ChainProblem":
        text = _(REASONS[kind])
        return cls(at, text % params if params else text, kind)


@dataclass
class Verification:
    checked: int = 0  # sealed events whose hashes and links were recomputed
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    problem: ChainProblem | None = None
    unsealed: int = 0
    oldest_unsealed: datetime | None = None
    anchors: list[tuple[Checkpoint, str]] = field(default_factory=list)  # (checkpoint, outcome)
    signatures_checked: int = 0
    keys_known: bool = True

    @property
    def intact(self) -> bool:
        return self.problem is None


class _Signatures:
    """Checks event signatures, trying the key that worked last first (keys change rarely)."""

    def __init__(self, keys):
        self.keys = list(keys.values())
        self.checked = 0

    def holds(self, event) -> bool:
        if not event.signature:
            return False
        self.checked += 1
        message = event_message(event.seq, event.hash)
        for i, key in enumerate(self.keys):
            if signing.signature_holds(key, event.signature, message):
                if i:
                    self.keys.insert(0, self.keys.pop(i))
                return True
        return False


def _stored_anchors(keys, problems) -> list[Checkpoint]:
    anchors = []
    for row in AuditCheckpoint.objects.order_by("seq"):
        checkpoint = Checkpoint.from_row(row)
        if checkpoint.key_id not in keys:
            continue  # made with a key this verification was not given: cannot judge it
        if checkpoint.signed_by(keys):
            anchors.append(checkpoint)
        else:
            problems.append(ChainProblem.of(row.seq, "forged_checkpoint"))
    return anchors


def verify(checkpoints: list[Checkpoint] = (), public_keys=()) -> Verification:
    """Verify the sealed chain; ``checkpoints`` (already read from files) must each be signed
    by a trusted key (CheckpointError otherwise). The result names the first event that
    differs, if any."""
    keys = signing.trusted_keys(public_keys)
    for checkpoint in checkpoints:
        checkpoint.check(keys)
    result = Verification(keys_known=bool(keys))
    problems: list[ChainProblem] = []
    anchors = sorted([*checkpoints, *_stored_anchors(keys, problems)], key=lambda c: c.seq)
    by_seq: dict[int, list[Checkpoint]] = {}
    for anchor in anchors:
        by_seq.setdefault(anchor.seq, []).append(anchor)
    outcome: dict[int, str] = {}  # id(anchor) → holds / differs / beyond
    newest_anchor = anchors[-1].seq if anchors else 0

    # One pass: hashes and links for every event; signatures only past the newest anchor
    # (an anchor that holds proves everything before it; one that does not is looked into below).
    signatures = _Signatures(keys)
    expected, prev, structural = 1, GENESIS_HASH, None
    holds_upto, first_differing = 0, None
    events = AuditEvent.objects.filter(seq__isnull=False).order_by("seq")
    for event in events.iterator(chunk_size=CHUNK):
        if event.seq != expected:
            structural = ChainProblem.of(expected, "missing")
            break
        if event.prev_hash != prev:
            structural = ChainProblem.of(event.seq, "unlinked")
            break
        if compute_hash(event) != event.hash:
            structural = ChainProblem.of(event.seq, "edited")
            break
        if keys and event.seq > newest_anchor and not signatures.holds(event):
            structural = _signature_problem(event)
            break
        for anchor in by_seq.get(event.seq, ()):
            if anchor.head == event.hash:
                outcome[id(anchor)] = "holds"
                if first_differing is None:
                    holds_upto = event.seq
            else:
                outcome[id(anchor)] = "differs"
                first_differing = first_differing or anchor
        prev, expected, result.checked = event.hash, expected + 1, result.checked + 1
    last = expected - 1
    result.head_seq, result.head_hash = last, prev

    if structural is None:
        problem = _head_problem(last, prev)
        if problem is not None:
            problems.append(problem)
    for anchor in anchors:
        if id(anchor) not in outcome and anchor.seq > last:
            outcome[id(anchor)] = "beyond"
            problems.append(ChainProblem.of(last + 1, "beyond", id=anchor.label, seq=anchor.seq))
    # Events the walk did not signature-check and no holding anchor covers: something
    # differs there (an anchor differs or was not reached); find the first event that does.
    skipped_to = min(last, newest_anchor)
    if holds_upto < skipped_to:
        found = _first_differing(holds_upto, skipped_to, anchors, signatures) if keys else None
        if found is None and first_differing is not None:
            found = ChainProblem.of(
                holds_upto + 1,
                "rewritten_with_key",
                seq=first_differing.seq,
                id=first_differing.label,
            )
        if found is not None:
            problems.append(found)
    if structural is not None:
        problems.append(structural)
    result.problem = min(problems, key=lambda p: p.seq) if problems else None
    result.anchors = [(a, outcome.get(id(a), "not reached")) for a in anchors]
    result.signatures_checked = signatures.checked
    pending = AuditEvent.objects.filter(seq__isnull=True)
    result.unsealed = pending.count()
    result.oldest_unsealed = pending.aggregate(t=Min("created_at"))["t"]
    return result


def _head_problem(last: int, last_hash: str) -> ChainProblem | None:
    """The head row against the end of the walk. Read after the walk: the sealer may have
    added events since, which is no damage as long as they are there."""
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead()
    if head.seq < last:
        return ChainProblem.of(head.seq + 1, "head_reset")
    if head.seq == last and head.hash != last_hash:
        return ChainProblem.of(last, "head_differs")
    if head.seq > last and not AuditEvent.objects.filter(seq=last + 1).exists():
        return ChainProblem.of(last + 1, "tail_missing")
    return None


def _signature_problem(event) -> ChainProblem:
    return ChainProblem.of(event.seq, "signature" if event.signature else "unsigned")


def _first_differing(after: int, upto: int, anchors, signatures) -> ChainProblem | None:
    """The first event in (after, upto] that cannot be the one the checkpoints saw: its
    signature fails, or it was made after a checkpoint that already counted an event at its
    place (a deleted tail sealed over by new events)."""
    rows = AuditEvent.objects.filter(seq__gt=after, seq__lte=upto).order_by("seq")
    later = [a for a in anchors if a.seq > after]  # sorted by seq
    # earliest[i]: the checkpoint taken first among later[i:], all of which counted this place.
    earliest, best = [None] * len(later), None
    for i in range(len(later) - 1, -1, -1):
        best = later[i] if best is None or later[i].time < best.time else best
        earliest[i] = best
    i = 0
    for event in rows.only("seq", "hash", "signature", "created_at").iterator(chunk_size=CHUNK):
        while i < len(later) and later[i].seq < event.seq:
            i += 1
        if not signatures.holds(event):
            return _signature_problem(event)
        if i < len(later) and event.created_at > earliest[i].time:
            return ChainProblem.of(event.seq, "after_checkpoint", id=earliest[i].label)
    return None


def verify_chain() -> tuple[int, ChainProblem | None]:
    """Walk the sealed chain with the stored checkpoints; (events checked, first problem or None)."""
    result = verify()
    return result.checked, result.problem
