"""Investment leads and key projects (项目为王): the pipeline from first contact with an
investor to full production, its monthly investment, and the obstacles raised on it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.orgs.models import Unit
from luoshi.supervision.models import Light


class _Visible(models.QuerySet):
    unit_field = ""

    def visible_to(self, user):
        """Within the units the person sees (another unit's answers 404)."""
        from luoshi.accounts.scope import scope_for

        return self.filter(scope_for(user).unit_q(f"{self.unit_field}__"))


class LeadQuerySet(_Visible):
    unit_field = "source_unit"


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects the person's units lead, or that have an obstacle addressed to them."""
        from luoshi.accounts.scope import scope_for

        scope = scope_for(user)
        return self.filter(
            scope.unit_q("lead_unit__")
            | models.Q(
                pk__in=Obstacle.objects.filter(scope.unit_q("addressed_to__")).values("project")
            )
        )


class ObstacleQuerySet(models.QuerySet):
    def visible_to(self, user):
        from luoshi.accounts.scope import scope_for

        scope = scope_for(user)
        return self.filter(scope.unit_q("addressed_to__") | scope.unit_q("project__lead_unit__"))


class Lead(models.Model):
    """招商线索: 线索 → 洽谈 → 签约 → 落地, each step dated with its evidence."""

    class Stage(models.TextChoices):
        CLUE = "clue", _("lead (线索)")
        TALKS = "talks", _("in talks (洽谈)")
        SIGNED = "signed", _("signed (签约)")
        LANDED = "landed", _("landed (落地)")

    code = models.CharField(_("number"), max_length=20, unique=True)
    investor = models.CharField(_("investor"), max_length=200)
    industry = models.CharField(_("industry"), max_length=60)
    intended_investment = models.DecimalField(
        _("intended investment (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    source_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="leads", verbose_name=_("source unit")
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("followed by"),
    )
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices, default=Stage.CLUE)
    moved_on = models.DateField(_("last step on"))
    light = models.CharField(max_length=8, choices=Light.choices, default=Light.GREEN)
    project = models.OneToOneField(
        "Project", null=True, blank=True, on_delete=models.PROTECT, related_name="lead"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LeadQuerySet.as_manager()

    class Meta:
        ordering = ["-moved_on", "pk"]

    def __str__(self):
        return f"{self.code} {self.investor}"


class LeadStep(models.Model):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(max_length=8, choices=Lead.Stage.choices)
    on = models.DateField()
    evidence = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]
        constraints = [models.UniqueConstraint(fields=["lead", "stage"], name="one_step_per_stage")]

    def __str__(self):
        return f"{self.lead_id} {self.stage} {self.on}"


class Project(models.Model):
    """重点项目 with its stages (前期 → 开工 → 在建 → 竣工 → 投产 → 达产) and its light."""

    class Kind(models.TextChoices):
        INDUSTRY = "industry", _("industry (产业)")
        INFRASTRUCTURE = "infra", _("infrastructure (基础设施)")
        LIVELIHOOD = "livelihood", _("livelihood (民生)")

    class Level(models.TextChoices):
        PROVINCE = "province", _("province key project")
        CITY = "city", _("city key project")
        DISTRICT = "district", _("district key project")

    class Stage(models.TextChoices):
        PREP = "prep", _("preparation (前期)")
        STARTED = "started", _("started (开工)")
        BUILDING = "building", _("under construction (在建)")
        COMPLETED = "completed", _("completed (竣工)")
        PRODUCING = "producing", _("in production (投产)")
        FULL = "full", _("at full capacity (达产)")

    code = models.CharField(_("number"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    total_investment = models.DecimalField(
        _("total investment (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    year_plan = models.DecimalField(
        _("planned investment this year (10,000 yuan)"), max_digits=14, decimal_places=2
    )
    year = models.PositiveIntegerField(_("plan year"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible leader"),
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="projects", verbose_name=_("lead unit")
    )
    location = models.CharField(_("location"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PREP)
    light = models.CharField(_("light"), max_length=8, choices=Light.choices, default=Light.GREEN)
    light_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


STAGE_ORDER = [s.value for s in Project.Stage]


class ProjectStage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=10, choices=Project.Stage.choices)
    planned_on = models.DateField(null=True, blank=True)
    actual_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="one_row_per_stage")
        ]

    def __str__(self):
        return f"{self.project_id} {self.stage}"


class Investment(models.Model):
    """Investment completed in a month (万元), entered once a month by the lead unit."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="investments")
    month = models.CharField(max_length=7)  # 2026-10
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    explanation = models.TextField(blank=True)  # required when the total would be exceeded
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_entry_per_month")
        ]

    def __str__(self):
        return f"{self.project_id} {self.month} {self.amount}"


class Obstacle(models.Model):
    """问题清单: raised on a project to the unit that must clear it, with a working-day clock."""

    class Category(models.TextChoices):
        LAND = "land", _("land")
        PERMITS = "permits", _("permits")
        POWER = "power", _("power and utilities")
        FINANCING = "financing", _("financing")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        ESCALATED = "escalated", _("escalated to the leader")
        SOLVED = "solved", _("solved")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="obstacles")
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    description = models.TextField(_("problem"))
    raised_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    addressed_to = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="obstacles", verbose_name=_("to be solved by")
    )
    raised_on = models.DateField()
    due_on = models.DateField(_("due"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    escalated_at = models.DateTimeField(null=True, blank=True)
    solved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)

    objects = ObstacleQuerySet.as_manager()

    class Meta:
        ordering = ["state", "due_on", "pk"]

    def __str__(self):
        return f"{self.project_id} {self.get_category_display()}"
