"""Writes of publishing: requesting an official document, each with its audit event."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.evaluation.models import Run
from luoshi.lib.errors import ActionError
from luoshi.orgs.models import Unit

from .models import GeneratedDocument


@transaction.atomic
def do_request_document(run: Run, *, actor) -> GeneratedDocument:
    """Number a new bulletin for a published run and queue its generation."""
    from .jobs import generate_document

    issuer = Unit.objects.select_for_update().get(
        pk=run.version.scheme.owner_id
    )  # numbers in order
    require_office(actor, issuer)
    if run.state != Run.State.PUBLISHED:
        raise ActionError(_("Documents are made from published results only."))
    year = timezone.localdate().year
    last = GeneratedDocument.objects.filter(issuer=issuer, year=year).aggregate(n=Max("sequence"))
    document = GeneratedDocument.objects.create(
        run=run,
        issuer=issuer,
        year=year,
        sequence=(last["n"] or 0) + 1,
        created_by=actor if actor is not None and actor.pk else None,
    )
    record(
        actor=actor,
        action="document.request",
        obj=document,
        after={"run": run.pk, "number": f"〔{year}〕{document.sequence}"},
    )
    transaction.on_commit(lambda: generate_document.enqueue(document.pk))
    return document
