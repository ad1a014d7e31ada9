from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditIsPermanent(Exception):
    """Audit events are never deleted: no pruning, no clean-up (等保 2.0 asks for at least
    180 days; Luoshi keeps them all). Only restoring a whole backup replaces them."""


class AuditEventQuerySet(models.QuerySet):
    def delete(self):
        raise AuditIsPermanent("audit events are never deleted")

    def update(self, **kwargs):
        raise AuditIsPermanent("audit events are never changed")

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

    Events form a hash chain: each event's hash covers its own content and the
    previous event's hash, so editing or deleting any row breaks every hash
    after it, and `luoshi audit verify` names the first broken one.
    """

    seq = models.PositiveBigIntegerField(unique=True)
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
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_repr}"

    def delete(self, *args, **kwargs):
        raise AuditIsPermanent("audit events are never deleted")


class AuditChainHead(models.Model):
    """The single row that holds the end of the chain.

    Appending locks this row (SELECT … FOR UPDATE), which serialises writers on
    PostgreSQL; SQLite already serialises them with IMMEDIATE transactions. It
    also lets `verify` notice that the newest events were deleted.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    def __str__(self):
        return f"chain head #{self.seq}"
