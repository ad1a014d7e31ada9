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


class SpeechImport(models.Model):
    """A speech read into a source: the cleaned text, what was removed and repaired, the
    outline, and the work items proposed from it (kept for the record once decided)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="speeches")
    file_name = models.CharField(max_length=200)
    read_as = models.CharField(max_length=20)
    title = models.CharField(max_length=200, blank=True)
    # The text had no title: this one was proposed from the occasion it names.
    title_proposed = models.BooleanField(default=False)
    text = models.TextField()  # cleaned, one paragraph per line
    removed = models.JSONField(default=list)
    repairs = models.JSONField(default=dict)
    traditional = models.BooleanField(default=False)
    outline = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title or self.file_name


class Proposal(models.Model):
    """One proposed work item; a person accepts (it becomes a task), edits, merges, splits or drops it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        DROPPED = "dropped", _("dropped")
        MERGED = "merged", _("merged into another")

    speech = models.ForeignKey(SpeechImport, on_delete=models.CASCADE, related_name="proposals")
    order = models.PositiveIntegerField()
    path = models.JSONField(default=list)  # outline labels from the top
    sentence = models.TextField()
    title = models.CharField(_("title"), max_length=200)
    # How sure the reading is that the sentence is a work item (0–1); below SHOWN it is
    # folded away on the review page, with the reasons the reading gave.
    confidence = models.FloatField(default=1.0)
    reasons = models.JSONField(default=list)
    targets = models.JSONField(default=list)
    deadline_text = models.CharField(max_length=60, blank=True)
    placeholders = models.JSONField(default=list)
    suggested_unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead unit"),
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task = models.ForeignKey(
        "supervision.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["speech", "order", "pk"]

    def __str__(self):
        return self.title
