"""Incentives and fairness: fault tolerance (容错免责) applications decided with a checklist
and kept as anonymised precedents; awards (骏马奖/蜗牛奖) chosen from evidence."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from luoshi.evaluation.models import Adjustment, Exemption
from luoshi.orgs.models import Unit


class ExemptionApplication(models.Model):
    """A unit asks that a named deduction or veto be cancelled, with the facts and evidence."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    adjustment = models.ForeignKey(
        Adjustment,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("deduction"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    facts = models.TextField(_("what happened"))
    evidence = models.TextField(_("evidence"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # The "三个区分开来" tests, answered by the office when it decides.
    public_good = models.BooleanField(_("it was done for the public good"), null=True)
    followed_procedure = models.BooleanField(_("it followed the decision procedure"), null=True)
    no_personal_gain = models.BooleanField(_("nobody sought personal gain"), null=True)
    reported_and_remedied = models.BooleanField(
        _("it was reported and remedied in time"), null=True
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    exemption = models.OneToOneField(
        Exemption, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    # The precedent as others may read it: no unit, no person, no number (redaction.py). It is
    # drafted at the decision and read by nobody but the office until a person has reviewed it;
    # then the office and reviewers over the unit read it, everyone once it is made public.
    precedent = models.TextField(blank=True)

    class Precedent(models.TextChoices):
        NONE = "", _("not decided")
        REVIEW = "review", _("awaiting review")
        REVIEWED = "reviewed", _("reviewed and released")

    precedent_state = models.CharField(
        max_length=10, choices=Precedent.choices, default=Precedent.NONE, blank=True
    )
    precedent_public = models.BooleanField(_("public to every user"), default=False)
    precedent_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    precedent_reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-applied_at"]

    def __str__(self):
        return f"{self.unit} {self.get_state_display()}"

    @property
    def checklist(self) -> list[tuple[str, bool | None]]:
        return [
            (self._meta.get_field(f).verbose_name, getattr(self, f))
            for f in (
                "public_good",
                "followed_procedure",
                "no_personal_gain",
                "reported_and_remedied",
            )
        ]


class AwardCriterion(models.Model):
    """A declared rule for 骏马奖 (the fastest and best) or 蜗牛奖 (the slowest): candidates
    come from the data, with the evidence, never from a popularity vote."""

    class Kind(models.TextChoices):
        HORSE = "horse", _("骏马奖 (fastest and best)")
        SNAIL = "snail", _("蜗牛奖 (slowest)")

    class Rule(models.TextChoices):
        PROJECT_DELAY = "project_delay", _("a key project stage late by at least N working days")
        TASK_CHASED = "task_chased", _("a task chased at least N times in the period")
        TASK_OVERDUE = "task_overdue", _("a task overdue by at least N working days")
        OBSTACLE_LATE = "obstacle_late", _("at least N obstacles past their clock")
        PROJECTS_LANDED = "projects_landed", _("at least N investment leads landed in the period")
        RANK_GAIN = "rank_gain", _("up at least N places in a published ranking of the period")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("award"), max_length=6, choices=Kind.choices)
    rule = models.CharField(_("rule"), max_length=20, choices=Rule.choices)
    threshold = models.PositiveIntegerField(_("N"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return self.name


class Award(models.Model):
    """A confirmed award: published with its reasons and applied as a bonus or deduction."""

    criterion = models.ForeignKey(AwardCriterion, on_delete=models.PROTECT, related_name="awards")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="awards")
    period = models.CharField(max_length=10)
    evidence = models.JSONField(default=list)  # [{"text": ..., "url": ...}]
    reasons = models.TextField()
    adjustment = models.OneToOneField(Adjustment, on_delete=models.PROTECT, related_name="award")
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confirmed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "unit", "period"], name="one_award_per_period"
            )
        ]

    def __str__(self):
        return f"{self.criterion} {self.unit} {self.period}"


class RatingPoint(models.Model):
    """Where citizens rate a unit or one of its services: a public link and its QR code."""

    class Check(models.TextChoices):
        CAPTCHA = "captcha", _("picture code (works offline)")
        SMS = "sms", _("SMS code to the citizen's mobile (one rating per mobile)")
        NONE = "none", _("none (a kiosk watched by staff)")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rating_points")
    name = models.CharField(_("service"), max_length=100)
    token = models.SlugField(max_length=32, unique=True)
    active = models.BooleanField(default=True)
    verification = models.CharField(
        _("check that a person rates"), max_length=8, choices=Check.choices, default=Check.CAPTCHA
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__path", "name"]

    def __str__(self):
        return f"{self.unit.name}·{self.name}"


class Rating(models.Model):
    """One citizen's rating (five levels) with a comment; one per device, point and month."""

    class Level(models.IntegerChoices):
        VERY_BAD = 1, _("very dissatisfied")
        BAD = 2, _("dissatisfied")
        FAIR = 3, _("fair")
        GOOD = 4, _("satisfied")
        VERY_GOOD = 5, _("very satisfied")

    point = models.ForeignKey(RatingPoint, on_delete=models.PROTECT, related_name="ratings")
    period = models.CharField(max_length=7)  # the month
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    comment = models.TextField(blank=True)
    device = models.CharField(max_length=64)  # hash of the device's random id, or of the mobile
    client = models.CharField(max_length=64)  # hash of the address, for the limits
    created_at = models.DateTimeField(default=timezone.now)

    class State(models.TextChoices):
        COUNTED = "counted", _("counted")
        HELD = "held", _("held for review")
        REJECTED = "rejected", _("not counted")

    # A rating from a burst or an unusual pattern is held: it counts toward no score and opens
    # no fix until the office accepts it.
    state = models.CharField(max_length=8, choices=State.choices, default=State.COUNTED)
    hold_reasons = models.CharField(max_length=100, blank=True)  # codes, see HOLD_REASONS
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    HOLD_REASONS = {
        "burst-address": _("several ratings from one address within minutes"),
        "burst-point": _("far more ratings at this point than usual"),
        "same-comment": _("the same words as another rating today"),
    }

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "period", "device"], name="one_rating_per_device"
            )
        ]

    def __str__(self):
        return f"{self.point_id} {self.level}"

    def hold_labels(self) -> list[str]:
        return [str(self.HOLD_REASONS.get(c, c)) for c in self.hold_reasons.split() if c]


class RatingFix(models.Model):
    """A bad rating (1 or 2) opens a fix with a clock in working days and a call-back."""

    class State(models.TextChoices):
        OPEN = "open", _("to fix")
        DONE = "done", _("fixed and called back")

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="fix")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="rating_fixes")
    due_on = models.DateField()
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    callback = models.TextField(_("call-back record"), blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["state", "due_on"]

    def __str__(self):
        return f"fix {self.rating_id}"


class Highlight(models.Model):
    """亮点工作: a unit declares one or two for the year, the office accepts them, and at
    review time reviewers score them; the result enters schemes as an appraisal item."""

    class State(models.TextChoices):
        DECLARED = "declared", _("declared")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned for changes")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="highlights")
    year = models.PositiveIntegerField()
    title = models.CharField(_("highlight work"), max_length=200)
    target = models.CharField(_("target"), max_length=100)  # 全市第一 / 全省前列
    milestones = models.JSONField(default=list)  # [{"month": "2026-03", "what": "..."}]
    state = models.CharField(max_length=10, choices=State.choices, default=State.DECLARED)
    note = models.TextField(blank=True)  # the office's reason when returning it
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "unit__path", "pk"]

    def __str__(self):
        return self.title


class HighlightScore(models.Model):
    """One reviewer's score (0–100) of a highlight; reviewers are grouped as the scheme weighs them."""

    class Group(models.TextChoices):
        LEADER = "leader", _("leaders")
        OTHER = "other", _("other reviewers")

    highlight = models.ForeignKey(Highlight, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(max_length=8, choices=Group.choices)
    score = models.DecimalField(max_digits=5, decimal_places=2)
    scored_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["highlight", "reviewer"], name="one_score_per_reviewer")
        ]

    def __str__(self):
        return f"{self.highlight_id} {self.reviewer_id} {self.score}"
