"""Writes of publishing: requesting an official document, each with its audit event."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.accounts.scope import scope_for
from luoshi.accounts.staff import office_unit_of
from luoshi.audit.chain import record
from luoshi.evaluation.models import Run, RunResult
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Task

from .models import GeneratedDocument

K = GeneratedDocument.Kind


def next_sequence(issuer: Unit, year: int, kind: str) -> int:
    """The next 发文字号 of this kind for the issuer this year, allocated once per document
    (never per format). The caller holds the issuer's row lock. The one place a number is
    taken: the shared locked counter for every numbered thing replaces this body."""
    last = GeneratedDocument.objects.filter(issuer=issuer, year=year, kind=kind).aggregate(
        n=Max("sequence")
    )
    return (last["n"] or 0) + 1


def _again(document: GeneratedDocument, actor) -> GeneratedDocument:
    """The document asked for a second time: itself; a failed one is made again, same number."""
    from .jobs import generate_document

    if document.state == GeneratedDocument.State.FAILED:
        document.state, document.progress, document.step, document.error = (
            GeneratedDocument.State.QUEUED,
            0,
            "",
            "",
        )
        document.save(update_fields=["state", "progress", "step", "error"])
        record(
            actor=actor, action="document.retry", obj=document, after={"number": document.number}
        )
        transaction.on_commit(lambda: generate_document.enqueue(document.pk))
    return document


def _root_office_unit(actor) -> Unit:
    """The unit whose office issues a paper that has no run: the actor's office unit."""
    unit = office_unit_of(actor)
    if unit is None:
        raise NotAllowed(_("Only the supervision office issues this document."))
    return unit


@transaction.atomic
def do_request_document(
    run: Run | None = None,
    *,
    kind: str = K.BULLETIN,
    unit: Unit | None = None,
    task: Task | None = None,
    source=None,
    issuer: Unit | None = None,
    actor,
) -> GeneratedDocument:
    """Queue the generation of a document; a numbered kind takes the issuer's next number.

    Bulletins and supervision orders are the office's; a unit's statement (对账单) may also
    be made by the unit's own people, for the unit only.

    One document, one number: a run has one bulletin and a unit one statement of it, so asking
    again (for the other format, from the command line or the page) returns that document,
    requeued if it had failed, with its number; both formats are made from it. A supervision
    order or a meeting pack is a new paper each time it is asked for.
    """
    from .jobs import generate_document

    if kind in (K.BULLETIN, K.STATEMENT):
        if run is None or run.state != Run.State.PUBLISHED:
            raise ActionError(_("Documents are made from published results only."))
        issuer = run.version.scheme.owner
    if kind == K.BULLETIN:
        require_office(actor, issuer)
    elif kind == K.STATEMENT:
        if unit is None or not RunResult.objects.filter(run=run, unit=unit).exists():
            raise ActionError(_("This unit has no result in this evaluation."), field="unit")
        if actor is not None and not scope_for(actor).covers(unit):
            raise NotAllowed(_("A statement is for the unit itself or the office."))
    elif kind == K.ORDER:
        if task is None or task.state in (Task.State.DRAFT, Task.State.DONE):
            raise ActionError(_("A supervision order is for a task in progress."), field="task")
        issuer = issuer or (_root_office_unit(actor) if actor else task.source.owner_unit)
        require_office(actor, task.lead_unit)
    elif kind == K.MEETING:
        if source is None:
            raise ActionError(_("Choose the meeting."), field="source")
        issuer = issuer or (_root_office_unit(actor) if actor else source.owner_unit)
        require_office(actor, issuer)
    else:
        raise ActionError(_("Unknown kind of document."), field="kind")
    issuer = Unit.objects.select_for_update().get(pk=issuer.pk)  # numbers in order
    if kind in (K.BULLETIN, K.STATEMENT):
        existing = (
            GeneratedDocument.objects.filter(kind=kind, run=run, unit=unit).order_by("pk").first()
        )
        if existing is not None:
            return _again(existing, actor)
    year = timezone.localdate().year
    sequence = next_sequence(issuer, year, kind) if kind in GeneratedDocument.NUMBERED else None
    document = GeneratedDocument.objects.create(
        kind=kind,
        run=run,
        unit=unit,
        task=task,
        source=source,
        issuer=issuer,
        year=year,
        sequence=sequence,
        created_by=actor if actor is not None and actor.pk else None,
    )
    record(
        actor=actor,
        action="document.request",
        obj=document,
        after={
            "kind": kind,
            "run": run.pk if run else None,
            "unit": unit.pk if unit else None,
            "task": task.pk if task else None,
            "number": document.number,
        },
    )
    transaction.on_commit(lambda: generate_document.enqueue(document.pk))
    return document
