from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import paths


class UnitClass(models.Model):
    """A class of units ranked against each other (镇街, 园区, 区直部门, 村, 社区 …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("unit class")

    def __str__(self):
        return self.name


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Unit.Status.ACTIVE)

    def subtree(self, unit: "Unit"):
        """The unit and everything under it, as one indexed range scan."""
        return self.filter(path__gte=unit.path, path__lt=paths.upper_bound(unit.path))

    def descendants(self, unit: "Unit"):
        return self.subtree(unit).exclude(pk=unit.pk)

    def visible_to(self, user):
        from luoshi.accounts.scope import scope_for

        return self.filter(scope_for(user).unit_q(""))

    def search(self, text: str):
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(code__iexact=text))


class Unit(models.Model):
    """A unit of the organisation tree, at any depth (province … village).

    Units are never deleted: a renamed unit keeps its old names in
    UnitName, a retired or merged unit keeps its records and its place.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        RETIRED = "retired", _("retired")
        MERGED = "merged", _("merged")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    unit_class = models.ForeignKey(
        UnitClass, on_delete=models.PROTECT, related_name="units", verbose_name=_("unit class")
    )
    order = models.PositiveIntegerField(_("display order"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_units"
    )
    ended_on = models.DateField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def ancestor_paths(self) -> list[str]:
        step = paths.SEGMENT
        return [self.path[:i] for i in range(step, len(self.path), step)]

    def ancestors(self):
        """Ancestors from the root down, in one query."""
        return Unit.objects.filter(path__in=self.ancestor_paths()).order_by("path")


class UnitName(models.Model):
    """A name a unit carried before it was renamed, with when it stopped."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="former_names")
    name = models.CharField(max_length=100)
    until = models.DateTimeField()

    class Meta:
        ordering = ["-until"]

    def __str__(self):
        return self.name


class LeaderOversightQuerySet(models.QuerySet):
    def for_leader(self, user):
        return self.filter(leader=user)


class LeaderOversight(models.Model):
    """分管: a leader oversees a unit (and everything under it), for an area of work."""

    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oversights"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="overseen_by")
    area = models.CharField(_("area of work"), max_length=100, blank=True)

    objects = LeaderOversightQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["leader", "unit"], name="unique_oversight"),
        ]

    def __str__(self):
        return f"{self.leader} → {self.unit}"
