from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.indicators.models import Indicator
from luoshi.orgs.models import Unit, UnitClass


class Scheme(models.Model):
    """An evaluation scheme (考核方案), e.g. the quarterly review of townships. Its content lives in versions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    period_kind = models.CharField(_("period"), max_length=10, choices=Indicator.Frequency.choices)
    classes = models.ManyToManyField(
        UnitClass, related_name="schemes", verbose_name=_("unit classes")
    )
    owner = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("jurisdiction")
    )
    total_points = models.DecimalField(
        _("total points"), max_digits=7, decimal_places=2, default=100
    )

    def __str__(self):
        return self.name


class SchemeVersion(models.Model):
    """One version of a scheme's tree and grade bands. Frozen once a period is evaluated with it."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    bands = models.JSONField(default=list)  # [{"grade": "优秀", "text": "90分以上"}, …]
    # The rule layer: caps on bonuses and deductions, escalation, grade quotas,
    # rank-change credit. See service.RULE_DEFAULTS for the keys.
    rules = models.JSONField(default=dict, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="unique_scheme_version")
        ]

    def __str__(self):
        return f"{self.scheme} v{self.number}"


class SchemeNode(models.Model):
    """An area (a group of items) or an item with its points and scoring rule."""

    class Kind(models.TextChoices):
        AREA = "area", _("area")
        QUANTITATIVE = "quantitative", _("indicator")
        TASK = "task", _("task-derived (督考合一)")
        ROLLUP = "rollup", _("roll-up of a shorter scheme")
        APPRAISAL = "appraisal", _("appraisal by reviewers (述亮点)")

    class Rule(models.TextChoices):
        MINMAX = "minmax", _("min-max within class")
        TARGET = "target", _("target completion")
        EFFICACY = "efficacy", _("efficacy coefficient (功效系数)")
        RANK_POINTS = "rank_points", _("rank to points")

    version = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    points = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=16, choices=Rule.choices, default=Rule.MINMAX)
    params = models.JSONField(default=dict, blank=True)
    missing = models.CharField(max_length=8, default="none")  # engine.prepare.impute policy
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_node_code")]

    def __str__(self):
        return self.name


class Run(models.Model):
    """Evaluating a scheme version for a period. Published runs are never edited, only superseded."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")

    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="runs")
    period = models.CharField(max_length=10)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    inputs = models.JSONField()  # everything the engine used
    inputs_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.version} {self.period} {self.state}"


class RunResult(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    total = models.FloatField(null=True)
    rank_class = models.PositiveIntegerField(null=True)
    rank_overall = models.PositiveIntegerField(null=True)
    rank_change = models.IntegerField(null=True)
    grade = models.CharField(max_length=20, blank=True)
    median_rank = models.FloatField(null=True)
    rank_low = models.FloatField(null=True)
    rank_high = models.FloatField(null=True)
    flagged = models.BooleanField(default=False)  # below the data availability threshold
    base = models.FloatField(null=True)  # the weighted score before the rule layer
    bonus = models.FloatField(default=0)
    deduction = models.FloatField(default=0)  # zero or negative
    credit = models.FloatField(default=0)  # rank-change credit (进位/退位)
    veto = models.CharField(max_length=40, blank=True)  # what a veto did to the grade

    class Meta:
        ordering = ["unit__unit_class__order", "rank_class"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="one_result_per_unit")]

    def __str__(self):
        return f"{self.run_id} {self.unit_id} {self.total}"


class RunItem(models.Model):
    """One unit's result on one item: the value used, its score, the points won."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="items")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(SchemeNode, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField(null=True)
    score = models.FloatField(null=True)
    points = models.FloatField(null=True)
    imputed = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.run_id} {self.unit_id} {self.node_id}"


class Adjustment(models.Model):
    """A bonus, deduction or veto for a unit (加分 / 扣分 / 一票否决), with its reason.

    It counts in every run of a scheme that applies adjustments and whose period
    contains ``happened_on``. It is never edited; a mistaken one is withdrawn with a reason.
    """

    class Kind(models.TextChoices):
        BONUS = "bonus", _("bonus (加分)")
        DEDUCTION = "deduction", _("deduction (扣分)")
        VETO_DEDUCTION = "veto_deduction", _("veto: fixed deduction")
        VETO_FAIL = "veto_fail", _("veto: graded as failed")
        VETO_CAP = "veto_cap", _("veto: grade capped")

    class Level(models.IntegerChoices):
        DISTRICT = 1, _("district")
        CITY = 2, _("city")
        PROVINCE = 3, _("province")
        NATIONAL = 4, _("national")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("unit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=40)  # caps apply per category
    points = models.DecimalField(_("points"), max_digits=6, decimal_places=2, default=0)
    achievement = models.CharField(_("achievement"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=Level.choices, default=Level.DISTRICT
    )
    cap_grade = models.CharField(_("grade at most"), max_length=20, blank=True)
    happened_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    origin = models.CharField(max_length=20, default="office")  # office, award, …
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} {self.points}"


class Exemption(models.Model):
    """An approved exemption (容错免责): cancels exactly the deduction or veto it names."""

    adjustment = models.OneToOneField(
        Adjustment, on_delete=models.PROTECT, related_name="exemption"
    )
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"exemption of {self.adjustment_id}"


class RunAdjustment(models.Model):
    """How one adjustment counted in a run: the points applied and why (capped, exempted…)."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="adjustments")
    adjustment = models.ForeignKey(Adjustment, on_delete=models.PROTECT, related_name="+")
    points = models.FloatField()
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.run_id} {self.adjustment_id} {self.points}"
