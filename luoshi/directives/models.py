from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit


class SourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sources of the jurisdictions the person sees, and those with a task they see."""
        from luoshi.accounts.scope import scope_for
        from luoshi.supervision.models import Task

        scope = scope_for(user)
        if scope.everything:
            return self
        with_visible_tasks = Task.objects.visible_to(user).values("source_id")
        return self.filter(scope.unit_q("owner_unit__") | models.Q(pk__in=with_visible_tasks))


class Source(models.Model):
    """Where tasks come from: a meeting, a speech, a document, a leader's instruction (批示)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        SPEECH = "speech", _("speech")
        DOCUMENT = "document", _("document")
        INSTRUCTION = "instruction", _("leader's instruction")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    text = models.TextField(_("text"), blank=True)
    # The jurisdiction that registered it (the office's unit); bounds who sees it.
    owner_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.title


class SourceFile(models.Model):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="sources/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
