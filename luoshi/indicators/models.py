from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit, UnitClass


class Indicator(models.Model):
    """An entry of the indicator library. A value entered once serves every scheme that uses it."""

    class Direction(models.IntegerChoices):
        HIGHER = 1, _("higher is better")
        LOWER = -1, _("lower is better")

    class Frequency(models.TextChoices):
        MONTH = "month", _("monthly")
        QUARTER = "quarter", _("quarterly")
        HALF = "half", _("half-yearly")
        YEAR = "year", _("yearly")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, blank=True)
    direction = models.SmallIntegerField(
        _("direction"), choices=Direction.choices, default=Direction.HIGHER
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTH
    )
    classes = models.ManyToManyField(
        UnitClass, related_name="indicators", verbose_name=_("applies to")
    )
    provider = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="provided_indicators",
        verbose_name=_("provided by"),
    )
    definition = models.TextField(_("definition"), blank=True)
    denominator = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("denominator"),
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.unit_of_measure}）" if self.unit_of_measure else self.name


class IndicatorValueQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def for_period(self, period):
        return self.filter(period=str(period))

    def visible_to(self, user):
        from luoshi.accounts.scope import scope_for

        return self.filter(scope_for(user).unit_q("unit__"))


class IndicatorValue(models.Model):
    """One unit's value of one indicator for one period, with where it came from.

    A correction never overwrites: the old row stays (is_current False) and
    the new one points back to it. "Not applicable" is a value state of its own,
    distinct from a value that is simply missing (no row at all).
    """

    class Source(models.TextChoices):
        FORM = "form", _("entered in the grid")
        UPLOAD = "upload", _("uploaded spreadsheet")
        API = "api", _("pushed through the API")
        PIPELINE = "pipeline", _("computed by Luoshi")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="indicator_values")
    period = models.CharField(max_length=10, db_index=True)
    value = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices)
    note = models.CharField(max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField()
    is_current = models.BooleanField(default=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "period"],
                condition=Q(is_current=True),
                name="one_current_value",
            ),
            models.CheckConstraint(
                condition=Q(not_applicable=True, value__isnull=True)
                | Q(not_applicable=False, value__isnull=False),
                name="value_or_not_applicable",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period", "is_current"])]

    def __str__(self):
        return f"{self.indicator.code} {self.unit_id} {self.period}"


class Target(models.Model):
    """A unit's target on an indicator for a period (target completion scoring)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10)
    value = models.DecimalField(max_digits=20, decimal_places=6)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], name="one_target")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.unit_id} {self.period}: {self.value}"


class CollectionRound(models.Model):
    """One indicator's collection for one period: open → submitted → accepted → closed (locked)."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        SUBMITTED = "submitted", _("submitted for review")
        ACCEPTED = "accepted", _("accepted")
        CLOSED = "closed", _("closed")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="rounds")
    period = models.CharField(max_length=10)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_round")]

    def __str__(self):
        return f"{self.indicator.code} {self.period} {self.state}"

    @property
    def locked(self) -> bool:
        return self.state in (self.State.ACCEPTED, self.State.CLOSED)
