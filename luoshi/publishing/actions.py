"""Writes of publishing: requesting an official document, each with its audit event."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import is_unit_or_office, require_office
from luoshi.accounts.staff import office_unit_of
from luoshi.audit.chain import record
from luoshi.evaluation.models import Run, RunResult
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.throttle import RateLimit
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


def _root_office_unit(actor) -> Unit:
    """The unit whose office issues a paper that has no run: the actor's office unit."""
    unit = office_unit_of(actor)
    if unit is None:
        raise NotAllowed(_("Only the supervision office issues this document."))
    return unit


# New documents one person may ask for (de-duplicated requests do not count): each is a Word and
# a PDF rendering in the worker, so an unbounded stream of requests would starve the queue.
DOCUMENT_LIMIT = RateLimit("documents", "DOCUMENT_RATE")


class TooManyDocuments(ActionError):
    pass


def _identical_request(kind, *, run, unit, task, source, issuer) -> GeneratedDocument | None:
    """The document an identical request already made or queued, which a new request returns.

    A statement or meeting pack says the same whoever asks again (a meeting pack: the same day),
    so any copy not failed is returned. A numbered paper (bulletin, order) may be issued again
    deliberately under a new number once the first is made; only one still waiting is shared."""
    same = GeneratedDocument.objects.filter(
        kind=kind, run=run, unit=unit, task=task, source=source, issuer=issuer
    ).exclude(state=GeneratedDocument.State.FAILED)
    if kind in GeneratedDocument.NUMBERED:
        same = same.filter(
            state__in=[GeneratedDocument.State.QUEUED, GeneratedDocument.State.RUNNING]
        )
    elif kind == K.MEETING:
        same = same.filter(created_at__date=timezone.localdate())
    return same.order_by("-created_at").first()


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
    be made by the unit's own head and liaisons, for the unit only. An identical request
    returns the document already made or queued; new ones count against DOCUMENT_RATE.

    One document, one number: the number is taken once, here, and both formats (Word, PDF) are
    made from the one row; whoever wants the other format of a document asks for that row's
    file, not for a new document (the command line does so: management/commands/publish.py).
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
        if not is_unit_or_office(actor, unit):  # its head and liaisons; never an observer
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
    same = _identical_request(kind, run=run, unit=unit, task=task, source=source, issuer=issuer)
    if same is not None:
        return same
    if actor is not None and actor.pk and not DOCUMENT_LIMIT.hit(f"user-{actor.pk}"):
        raise TooManyDocuments(
            _(
                "You have asked for many documents in the last hour (the limit is %(rate)s); "
                "the ones asked for are being made. Try again later."
            )
            % {"rate": settings.DOCUMENT_RATE}
        )
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
