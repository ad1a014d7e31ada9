"""Incentives and fairness: fault tolerance (容错免责) applications decided with a checklist
and kept as anonymised precedents; awards (骏马奖/蜗牛奖) chosen from evidence."""

from django.conf import settings
from django.db import models
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
    # The precedent as others may read it: no unit, no person.
    precedent = models.TextField(blank=True)

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
