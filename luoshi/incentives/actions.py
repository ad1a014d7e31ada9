"""Fault tolerance (容错免责) as a procedure: a unit applies on a named deduction, the office
decides with the "三个区分开来" checklist, an approval grants the exemption that the next run
applies, and every decision — approved or refused — is kept as an anonymised precedent."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.evaluation.adjustments import do_grant_exemption
from luoshi.evaluation.models import Adjustment
from luoshi.lib.errors import ActionError
from luoshi.supervision.permissions import require_unit_staff

from .models import ExemptionApplication
from .redaction import directory, leftovers, redact

A = ExemptionApplication.State
CHECKS = ("public_good", "followed_procedure", "no_personal_gain", "reported_and_remedied")


@transaction.atomic
def do_apply_for_exemption(
    adjustment: Adjustment, *, facts: str, evidence: str = "", actor
) -> ExemptionApplication:
    """The unit's head or liaison applies, on a deduction or veto of its own unit only."""
    adjustment = Adjustment.objects.select_for_update().select_related("unit").get(pk=adjustment.pk)
    require_unit_staff(actor, adjustment.unit)  # the unit that lost the points, nobody else
    if adjustment.kind == Adjustment.Kind.BONUS:
        raise ActionError(
            _("An exemption cancels a deduction or a veto, not a bonus."), field="adjustment"
        )
    if adjustment.withdrawn_at is not None or hasattr(adjustment, "exemption"):
        raise ActionError(_("This deduction is withdrawn or already exempted."), field="adjustment")
    if adjustment.applications.filter(state=A.PENDING).exists():
        raise ActionError(_("An application on this deduction is already awaiting a decision."))
    if len(facts.strip()) < 20:
        raise ActionError(
            _("Say what happened, why, and what was done about it (at least 20 characters)."),
            field="facts",
        )
    application = ExemptionApplication.objects.create(
        adjustment=adjustment,
        unit=adjustment.unit,
        facts=facts.strip(),
        evidence=evidence.strip(),
        applied_by=actor,
    )
    record(
        actor=actor, action="exemption.apply", obj=application, after={"adjustment": adjustment.pk}
    )
    return application


@transaction.atomic
def do_decide_exemption(
    application: ExemptionApplication, *, approve: bool, reason: str, answers: dict, actor
) -> ExemptionApplication:
    """Decide with all four tests answered. Approval needs all four to pass; the exemption
    then cancels exactly the named deduction in the runs that follow."""
    application = (
        ExemptionApplication.objects.select_for_update()
        .select_related("adjustment__unit", "unit", "applied_by")
        .get(pk=application.pk)
    )
    require_office(actor, application.unit)
    if application.state != A.PENDING:
        raise ActionError(_("This application has been decided already."))
    missing = [c for c in CHECKS if answers.get(c) is None]
    if missing:
        raise ActionError(_("Answer every question of the checklist."), field=missing[0])
    if not reason.strip():
        raise ActionError(_("Give the reasons for the decision."), field="decision_reason")
    if approve and not all(answers[c] for c in CHECKS):
        raise ActionError(
            _("An exemption needs all four tests passed; refuse it, or correct the answers."),
            field="approve",
        )
    for check in CHECKS:
        setattr(application, check, bool(answers[check]))
    application.state = A.APPROVED if approve else A.REFUSED
    application.decision_reason = reason.strip()
    application.decided_by, application.decided_at = actor, timezone.now()
    if approve:
        application.exemption = do_grant_exemption(
            application.adjustment, reason=reason, actor=actor
        )
    a = application.adjustment
    # Drafted by structure now, read by nobody but the office until a person reviews it.
    application.precedent = redact(
        f"【{a.get_kind_display()}·{a.category}】{a.reason}\n"
        f"申请理由：{application.facts}\n"
        f"决定：{application.get_state_display()}。{application.decision_reason}",
        **directory(),
    )
    application.precedent_state = ExemptionApplication.Precedent.REVIEW
    application.save()
    record(
        actor=actor,
        action="exemption.decide",
        obj=application,
        after={"state": application.state, **{c: answers[c] for c in CHECKS}},
    )
    return application


@transaction.atomic
def do_review_precedent(
    application: ExemptionApplication, *, text: str, public: bool, actor
) -> ExemptionApplication:
    """A person of the office reads the redacted precedent, edits it, and releases it: to the
    office and reviewers over the unit, or (``public``) to every user. The text is checked once
    more for any name, code or number left in it."""
    application = ExemptionApplication.objects.select_for_update().get(pk=application.pk)
    require_office(actor, application.unit)
    if application.precedent_state == ExemptionApplication.Precedent.NONE:
        raise ActionError(_("Only a decided application is a precedent."))
    text = text.strip()
    if len(text) < 10:
        raise ActionError(_("Keep what the precedent teaches: the facts and the decision."),
                          field="precedent")  # fmt: skip
    left = leftovers(text, **directory())
    if left:
        raise ActionError(
            _("The text still names or numbers someone: %(found)s. Remove it and save again.")
            % {"found": "、".join(dict.fromkeys(left))},
            field="precedent",
        )
    before = {"state": application.precedent_state, "public": application.precedent_public}
    application.precedent = text
    application.precedent_state = ExemptionApplication.Precedent.REVIEWED
    application.precedent_public = public
    application.precedent_reviewed_by, application.precedent_reviewed_at = actor, timezone.now()
    application.save()
    record(
        actor=actor,
        action="exemption.precedent_review",
        obj=application,
        before=before,
        after={"state": application.precedent_state, "public": public},
    )
    return application
