from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditIsPermanent(Exception):
    """Audit events are never deleted: no pruning, no clean-up (等保 2.0 asks for at least
    180 days; Luoshi keeps them all). Only restoring a whole backup replaces them."""


class PermanentQuerySet(models.QuerySet):
    # The sealer writes seq, hash and signature through the plain base manager
    # (chain.seal_pending); nothing else in the application changes an audit row.
    def delete(self):
        raise AuditIsPermanent("audit events are never deleted")

    def update(self, **kwargs):
        raise AuditIsPermanent("audit events are never changed")


class AuditEventQuerySet(PermanentQuerySet):
    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def search(self, *, actor=None, action="", object_type="", since=None, until=None, text=""):
        qs = self
        if actor:
            qs = qs.filter(actor=actor)
        if action:
            qs = qs.filter(action__startswith=action)
        if object_type:
            qs = qs.filter(object_type=object_type)
        if since:
            qs = qs.filter(created_at__gte=since)
        if until:
            qs = qs.filter(created_at__lt=until)
        if text:
            qs = qs.filter(object_repr__icontains=text)
        return qs


class AuditEvent(models.Model):
    """One write, as it happened: who, when, which request, what changed.

    An action inserts its event unsealed (no seq, no hash), in its own transaction and
    without any shared lock. The sealer (chain.seal_pending) then gives each committed
    event the next seq, links it to the previous one by hash and signs it with the audit
    key, which is not in the database: editing a sealed event breaks its hash or, if the
    hashes are recomputed, its signature, and `luoshi audit verify` names it.
    """

    seq = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Kept as text too: the event must read the same after the user is renamed.
    actor_label = models.CharField(max_length=150, blank=True)
    request_id = models.CharField(max_length=64, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Ed25519 over (seq, hash), base64; see chain.event_message.
    signature = models.CharField(max_length=88, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # Newest first by insertion: an event waiting to be sealed has no seq yet.
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # What the sealer looks for, a handful of rows among millions.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"
            ),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    def delete(self, *args, **kwargs):
        raise AuditIsPermanent("audit events are never deleted")


class AuditChainHead(models.Model):
    """The single row that holds the end of the sealed chain.

    Only the sealer locks it (SELECT … FOR UPDATE, for the few milliseconds of a seal), so
    there is one sealer at a time; writers never wait for it unless AUDIT_SEAL=inline. It
    also lets `verify` notice that the newest events were deleted when no checkpoint is given.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self):
        return f"chain head #{self.seq}"


class AuditCheckpoint(models.Model):
    """A signed statement "the chain held `head` at `seq` at `created_at`".

    The copies that matter are the ones outside: files and messages sent to observers
    (纪检, 人大), which `luoshi audit verify --checkpoint` checks the database against. This
    row is the installation's own record (which one is latest, what was sent); its signature
    makes it a trustworthy anchor too, as long as it is still there.
    """

    seq = models.PositiveBigIntegerField()
    head = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=88)

    objects = PermanentQuerySet.as_manager()

    class Meta:
        ordering = ["-seq", "-id"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The checkpoint's id as printed in bulletins and messages: seq and head prefix."""
        return f"{self.seq}:{self.head[:16]}"

    def delete(self, *args, **kwargs):
        raise AuditIsPermanent("checkpoints are never deleted")
