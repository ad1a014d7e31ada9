"""The checkpoint routine: seal, verify, sign a checkpoint, keep a copy, send it out of band.

The scheduler runs ``audit_tick`` every pass: it seals whatever a crash left unsealed and,
once AUDIT_CHECKPOINT_HOURS have passed since the last checkpoint, takes a new one and sends
it to the people who should hold it: every observer of a top-level unit (人大, 纪检 …), plus
AUDIT_CHECKPOINT_EMAILS and AUDIT_CHECKPOINT_WEBHOOKS (a 纪检 group robot), through the notify
channels. A chain that does not verify is never signed: the same people are told instead.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.models import Membership, Role, User
from luoshi.notify.actions import do_notify
from luoshi.notify.models import Delivery

from .chain import lock_head, seal_pending
from .checkpoint import Checkpoint
from .models import AuditChainHead, AuditCheckpoint
from .verify import ChainProblem, verify

_ALERT_KEY = "luoshi:audit-alert"


class ChainBroken(Exception):
    def __init__(self, problem: ChainProblem):
        super().__init__(f"audit chain broken at event #{problem.seq}: {problem.reason}")
        self.problem = problem


def latest_checkpoint_id() -> str:
    """The id of the newest checkpoint ("seq:head prefix"), or "" before the first one.
    Documents carry it, so a printed bulletin names the state of the trail it came from."""
    row = AuditCheckpoint.objects.order_by("-seq", "-id").only("seq", "head").first()
    return row.label if row is not None else ""


def take_checkpoint(out: Path | None = None, *, due_at=None) -> Checkpoint | None:
    """Seal, verify and sign the chain as it stands; store the checkpoint, write it to
    ``out`` and to AUDIT_CHECKPOINT_DIR. Raises ChainBroken rather than sign a damaged chain.
    With ``due_at`` (a time), returns None if no checkpoint is due then any more: another
    scheduler took one meanwhile."""
    seal_pending()
    result = verify()
    if result.problem is not None:
        raise ChainBroken(result.problem)
    checkpoint = Checkpoint.create(result.head_seq, result.head_hash, timezone.now())
    with transaction.atomic():
        lock_head(wait=True)  # several schedulers: one checkpoint per interval, not one each
        if due_at is not None and not checkpoint_due(due_at):
            return None
        AuditCheckpoint.objects.create(
            seq=checkpoint.seq,
            head=checkpoint.head,
            created_at=checkpoint.time,
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
        )
    text = checkpoint.to_json() + "\n"
    directory = Path(settings.AUDIT_CHECKPOINT_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = (
        f"checkpoint-{checkpoint.seq:09d}-{timezone.localtime(checkpoint.time):%Y%m%dT%H%M%S}.json"
    )
    (directory / name).write_text(text, encoding="utf-8")
    if out is not None:
        Path(out).write_text(text, encoding="utf-8")
    return checkpoint


def checkpoint_due(now=None) -> bool:
    """An interval has passed since the latest checkpoint and the chain has grown since."""
    now = now or timezone.now()
    latest = AuditCheckpoint.objects.order_by("-created_at").only("created_at", "seq").first()
    head = AuditChainHead.objects.filter(pk=1).first()
    sealed = head.seq if head is not None else 0
    if latest is None:
        return sealed > 0
    interval = timedelta(hours=settings.AUDIT_CHECKPOINT_HOURS)
    return latest.created_at <= now - interval and sealed > latest.seq


def holders() -> list[User]:
    """The people who keep the checkpoints: observers (人大, 纪检 …) of a top-level unit."""
    memberships = Membership.objects.active().filter(role=Role.OBSERVER, unit__parent__isnull=True)
    return list(User.objects.filter(is_active=True, pk__in=memberships.values("user_id")))


def _robot_kind(url: str) -> str:
    return Delivery.Channel.DINGTALK if "dingtalk" in url else Delivery.Channel.WECOM


@transaction.atomic
def send_to_holders(title: str, body: str) -> int:
    """Inbox and channels of every holder, plus the configured addresses; returns how many."""
    people = holders()
    do_notify(people, kind="audit", title=title, body=body)
    extra = [
        Delivery(channel=Delivery.Channel.EMAIL, address=a, subject=title, body=body)
        for a in settings.AUDIT_CHECKPOINT_EMAILS
    ] + [
        Delivery(channel=_robot_kind(u), address=u, subject=title, body=body)
        for u in settings.AUDIT_CHECKPOINT_WEBHOOKS
    ]
    if extra:
        Delivery.objects.bulk_create(extra)
        from luoshi.notify.jobs import deliver_pending

        transaction.on_commit(lambda: deliver_pending.enqueue())
    return len(people) + len(extra)


def send_checkpoint(checkpoint: Checkpoint) -> int:
    time = timezone.localtime(checkpoint.time)
    title = _("Luoshi audit checkpoint %(id)s") % {"id": checkpoint.label}
    body = (
        _(
            "At %(time)s Luoshi's audit trail held %(seq)d events. Keep this message as it is: "
            "with it anyone can later prove that none of those events was changed or removed "
            "(luoshi audit verify --checkpoint). Checkpoint:"
        )
        % {"time": f"{time:%Y-%m-%d %H:%M}", "seq": checkpoint.seq}
        + "\n"
        + checkpoint.to_json()
    )
    return send_to_holders(title, body)


def audit_tick(now=None) -> dict:
    """One scheduler pass: seal stragglers; take and send a checkpoint when one is due."""
    counts = {"audit_sealed": seal_pending()}
    if not checkpoint_due(now):
        return counts
    try:
        checkpoint = take_checkpoint(due_at=now or timezone.now())
    except ChainBroken as broken:
        # Told once per interval, not every pass, until someone looks.
        if cache.add(_ALERT_KEY, 1, timeout=int(settings.AUDIT_CHECKPOINT_HOURS * 3600)):
            send_to_holders(
                _("Luoshi audit trail FAILED verification"),
                _("No checkpoint was signed. First damaged event: #%(seq)d (%(reason)s).")
                % {"seq": broken.problem.seq, "reason": broken.problem.reason},
            )
        counts["audit_broken_at"] = broken.problem.seq
        return counts
    if checkpoint is not None:
        counts["audit_checkpoint"] = checkpoint.label
        counts["audit_checkpoint_sent"] = send_checkpoint(checkpoint)
    return counts
