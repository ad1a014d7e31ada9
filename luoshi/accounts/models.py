import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit


class Role(models.TextChoices):
    OFFICE = "office", _("supervision office")
    LEADER = "leader", _("leader")
    UNIT_HEAD = "unit_head", _("unit head")
    LIAISON = "liaison", _("liaison")
    DATA_PROVIDER = "data_provider", _("data provider")
    REVIEWER = "reviewer", _("reviewer")
    OBSERVER = "observer", _("observer")


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """People with a membership in a unit the user may see, and the user."""
        from luoshi.accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        member_ids = Membership.objects.filter(scope.unit_q("unit__")).values("user_id")
        visible = models.Q(pk__in=member_ids) | models.Q(pk=user.pk)
        if scope.has_role(Role.OFFICE):
            # A person just created has no unit yet; the office must find them to assign one.
            visible |= ~models.Exists(Membership.objects.filter(user=models.OuterRef("pk")))
        return self.filter(visible)

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(
            models.Q(username__icontains=text)
            | models.Q(full_name__icontains=text)
            | models.Q(mobile__startswith=text)
        )


class LuoshiUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who logs in. What they may see and do comes from memberships."""

    full_name = models.CharField(_("name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=20, unique=True, null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    must_change_password = models.BooleanField(default=False)

    objects = LuoshiUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("person")

    def __str__(self):
        return self.full_name or self.username

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True, unit__status=Unit.Status.ACTIVE)

    def visible_to(self, user):
        from luoshi.accounts.scope import scope_for

        return self.filter(scope_for(user).unit_q("unit__"))


class Membership(models.Model):
    """A person holds a role in a unit. The unit bounds what the role sees.

    For the office the unit is the jurisdiction it supervises (the district);
    for a leader with ``sees_all`` likewise; other leaders see the units they
    oversee (LeaderOversight).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(_("position"), max_length=50, blank=True)
    sees_all = models.BooleanField(_("sees everything under the unit"), default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


def hash_token_key(key: str) -> str:
    # Tokens are long random strings, so a fast hash is enough; the point is
    # that a copy of the database does not hand out working keys.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A key for an integration, acting as one user in one role and unit only."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
