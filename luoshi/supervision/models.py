from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from luoshi.directives.models import Source
from luoshi.orgs.models import Unit


class SupervisionSettings(models.Model):
    """The office's rules for reporting and lights (one row)."""

    report_weekday = models.PositiveSmallIntegerField(
        _("weekly report due on"), default=4
    )  # Friday
    report_hour = models.PositiveSmallIntegerField(_("by hour"), default=17)
    warn_workdays = models.PositiveSmallIntegerField(
        _("yellow this many working days before a deadline"), default=3
    )
    lag_points = models.PositiveSmallIntegerField(
        _("yellow when progress trails elapsed time by this many points"), default=20
    )
    chase_after_workdays = models.PositiveSmallIntegerField(
        _("chase again after working days"), default=3
    )
    notice_after_chases = models.PositiveSmallIntegerField(
        _("supervision notice after this many chases"), default=2
    )

    def __str__(self):
        return "supervision settings"

    @classmethod
    def current(cls) -> "SupervisionSettings":
        return cls.objects.get_or_create(pk=1)[0]


class CalendarDay(models.Model):
    """A holiday or adjusted workday the office entered for a year the official calendar lacks."""

    day = models.DateField(unique=True)
    is_workday = models.BooleanField()
    name = models.CharField(max_length=50, blank=True)

    def __str__(self):
        return f"{self.day} {self.name}"


class CalendarYear(models.Model):
    """The office confirms it has entered every holiday of this year."""

    year = models.PositiveSmallIntegerField(unique=True)
    confirmed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.year)


class TaskCategory(models.Model):
    """A category in the "3+N" layout: three core areas plus N others."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=50, unique=True)
    core = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.name


class Light(models.TextChoices):
    GREEN = "green", _("green")
    YELLOW = "yellow", _("yellow")
    RED = "red", _("red")
    NONE = "none", _("not lit")  # drafts and finished tasks


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks led by or shared with a unit the person sees, and tasks they are responsible leader of."""
        from luoshi.accounts.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        shared = Task.co_units.through.objects.filter(task=OuterRef("pk")).filter(
            scope.unit_q("unit__")
        )
        return self.filter(scope.unit_q("lead_unit__") | Exists(shared) | Q(leader=user))

    def open(self):
        return self.exclude(state__in=[Task.State.DRAFT, Task.State.DONE])

    def overdue(self, today: date):
        return self.open().filter(deadline__lt=today)

    def for_unit(self, unit):
        return self.filter(Q(lead_unit=unit) | Q(co_units=unit)).distinct()

    def with_light(self, light: str):
        return self.filter(light=light)


class Task(models.Model):
    """督办事项: one piece of work with an owner, a deadline and a light."""

    class State(models.TextChoices):
        DRAFT = "draft", _("registered")  # 立项
        ASSIGNED = "assigned", _("assigned")  # 交办
        ACCEPTED = "accepted", _("signed for")  # 签收
        IN_PROGRESS = "in_progress", _("in progress")  # 办理中
        COMPLETION_REQUESTED = "completion_requested", _("completion requested")  # 申请办结
        UNDER_REVIEW = "under_review", _("under review")  # 复核
        DONE = "done", _("done")  # 办结

    class Level(models.TextChoices):
        PROVINCE = "province", _("province-supervised")
        CITY = "city", _("city-supervised")
        DISTRICT = "district", _("district-supervised")

    class Comparison(models.TextChoices):
        AT_LEAST = "ge", _("at least")  # 达到 / 不低于 / 以上
        AT_MOST = "le", _("at most")  # 控制在 / 以内 / 不超过
        EQUAL = "eq", _("exactly")

    code = models.CharField(_("number"), max_length=20, unique=True)
    title = models.CharField(_("task"), max_length=200)
    requirement = models.TextField(_("requirement / target"), blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("source")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtasks"
    )
    category = models.ForeignKey(
        TaskCategory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("category")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("responsible leader"),
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("lead unit")
    )
    co_units = models.ManyToManyField(
        Unit, blank=True, related_name="shared_tasks", verbose_name=_("cooperating units")
    )
    start_date = models.DateField(_("start"))
    deadline = models.DateField(_("deadline"))
    level = models.CharField(
        _("supervision level"), max_length=16, choices=Level.choices, default=Level.DISTRICT
    )
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    target_indicator = models.CharField(_("target indicator"), max_length=100, blank=True)
    target_comparison = models.CharField(max_length=2, choices=Comparison.choices, blank=True)
    target_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    target_unit = models.CharField(_("unit of measure"), max_length=20, blank=True)
    state = models.CharField(
        _("state"), max_length=24, choices=State.choices, default=State.DRAFT, db_index=True
    )
    percent = models.PositiveSmallIntegerField(_("progress %"), default=0)
    light = models.CharField(
        _("light"), max_length=8, choices=Light.choices, default=Light.NONE, db_index=True
    )
    light_reason = models.CharField(max_length=200, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_late = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["lead_unit", "state"]), models.Index(fields=["deadline"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.DRAFT, self.State.DONE)

    def tag_list(self) -> list[str]:
        return [t for t in (s.strip() for s in self.tags.replace("，", ",").split(",")) if t]


class Milestone(models.Model):
    """节点: what must be done by the end of a month."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="milestones")
    month = models.DateField()  # first day of the month
    description = models.CharField(max_length=300)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["month", "pk"]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.description}"

    @property
    def due(self) -> date:
        next_month = (self.month.replace(day=28) + timedelta(days=4)).replace(day=1)
        return next_month - timedelta(days=1)


class Extension(models.Model):
    """延期申请: the old deadline stays on record whatever the decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="extensions")
    old_deadline = models.DateField()
    new_deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.task} → {self.new_deadline}"


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(task__in=Task.objects.visible_to(user))

    def counted(self):
        """Reports that count as handed in (not merely sent back)."""
        return self.filter(
            state__in=[
                ProgressReport.State.SUBMITTED,
                ProgressReport.State.APPROVED,
                ProgressReport.State.ACCEPTED,
            ]
        )


class ProgressReport(models.Model):
    """周推进: one unit's progress on one task for one week.

    Liaison submits → unit head approves → office accepts or sends back; a
    report sent back is fixed and submitted again (revision + 1).
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting unit head")
        APPROVED = "approved", _("awaiting office review")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("sent back")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="progress_reports")
    week = models.DateField(_("week of"))  # the Monday
    text = models.TextField(_("progress this week"))
    percent = models.PositiveSmallIntegerField(_("overall progress %"))
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    revision = models.PositiveSmallIntegerField(default=1)
    late = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)
    return_reason = models.TextField(blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-week", "task_id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "week"], name="one_report_per_week")
        ]

    def __str__(self):
        return f"{self.task} · {self.unit} · {self.week}"


class ReportFile(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to="evidence/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class TaskEvent(models.Model):
    """The task's own timeline, in the words of the work (the audit trail keeps the raw rows).

    Evaluation counts these: times chased, times sent back, reports missed.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("registered")
        ASSIGNED = "assigned", _("assigned")
        ACCEPTED = "accepted", _("signed for")
        REPORT_SUBMITTED = "report_submitted", _("progress submitted")
        REPORT_APPROVED = "report_approved", _("progress approved by unit head")
        REPORT_ACCEPTED = "report_accepted", _("progress accepted by office")
        REPORT_RETURNED = "report_returned", _("progress sent back")
        COMPLETION_REQUESTED = "completion_requested", _("completion requested")
        REVIEW_STARTED = "review_started", _("review started")
        SENT_BACK = "sent_back", _("sent back at review")
        COMPLETED = "completed", _("done")
        EXTENSION_REQUESTED = "extension_requested", _("extension requested")
        EXTENSION_APPROVED = "extension_approved", _("extension approved")
        EXTENSION_REFUSED = "extension_refused", _("extension refused")
        REMINDED = "reminded", _("reminder sent")
        CHASED = "chased", _("chased (催办)")
        NOTICE = "notice", _("supervision notice (督办单)")
        LIGHT = "light", _("light changed")
        EDITED = "edited", _("edited")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    report = models.ForeignKey(
        ProgressReport, null=True, on_delete=models.PROTECT, related_name="events"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.task_id} {self.kind}"


class LightSpan(models.Model):
    """How long a task held a light: the history behind "days spent red"."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="light_spans")
    light = models.CharField(max_length=8, choices=Light.choices)
    start = models.DateTimeField()
    end = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]

    def __str__(self):
        return f"{self.task_id} {self.light} {self.start:%Y-%m-%d}"


class Chase(models.Model):
    """催办 and 督办单 records; also the once-only key for automatic reminders.

    The unique key makes every scheduler on every machine agree: whoever
    inserts the row sends the message; everyone else finds it there.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("reminder")
        CHASE = "chase", _("chase (催办)")
        NOTICE = "notice", _("supervision notice (督办单)")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="chases")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="chases")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=64)
    number = models.CharField(max_length=40, blank=True)  # 督办单 number, e.g. 督办〔2026〕12号
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["task", "unit", "kind", "key"], name="chase_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.task}"


class MonthlyReport(models.Model):
    """月专报: a unit's month, assembled from its weekly entries; the unit writes only the summary."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="monthly_reports")
    month = models.DateField()  # first day
    summary = models.TextField(_("summary"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="one_monthly_report")]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}"


class SavedFilter(models.Model):
    """A person's named task-list filter, kept as the query string of the list page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("name"), max_length=50)
    query = models.CharField(max_length=1000)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="unique_saved_filter")]

    def __str__(self):
        return self.name
