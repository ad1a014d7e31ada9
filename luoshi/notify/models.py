from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_user(self, user):
        return self.filter(recipient=user)


class Notification(models.Model):
    """One message in a person's inbox; other channels deliver copies of it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """How a person wants messages beyond the inbox: at once, or one digest a day."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("immediately")
        DIGEST = "digest", _("one daily digest")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preference"
    )
    mode = models.CharField(
        _("send messages"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    email = models.EmailField(_("e-mail"), blank=True)
    sms = models.BooleanField(_("also by SMS to my mobile"), default=False)

    def __str__(self):
        return f"{self.user}: {self.mode}"


class UnitWebhook(models.Model):
    """A unit's WeCom or DingTalk group robot: messages for the unit are posted to the group."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("WeCom group robot")
        DINGTALK = "dingtalk", _("DingTalk group robot")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="webhooks")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = models.URLField(max_length=500)
    active = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.unit} {self.kind}"


class Delivery(models.Model):
    """One attempt-tracked copy of a message on one channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")
        WECOM = "wecom", _("WeCom")
        DINGTALK = "dingtalk", _("DingTalk")

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    address = models.CharField(max_length=500)  # e-mail, mobile or webhook URL
    subject = models.CharField(max_length=200)
    body = models.TextField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.channel} → {self.address}"
