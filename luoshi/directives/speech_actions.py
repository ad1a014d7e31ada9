"""Writes of the speech import: reading a speech into a source, and a person's decisions on
each proposal; accepted proposals become tasks of the source in one action."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError
from luoshi.lib.uploads import check_upload
from luoshi.orgs.models import Unit

from .models import Proposal, Source, SpeechImport
from .speech import import_speech
from .speech.proposals import targets_in

P = Proposal.State
SPEECH_TYPES = (".txt", ".docx", ".pdf")


def unit_dictionary(owner: Unit) -> list[tuple[int, str]]:
    """The district's units the speech may name, for suggesting lead units."""
    return list(
        Unit.objects.subtree(owner)
        .active()
        .filter(depth__lte=owner.depth + 1)
        .values_list("pk", "name")
    )


def _occasion(source: Source) -> str:
    """The meeting a speech is filed under names its occasion ("全区项目建设推进会")."""
    title = re.sub(r"(?:上的)?(?:讲话|发言|致辞|报告)$", "", source.title.strip())
    return title if source.kind in (Source.Kind.MEETING, Source.Kind.SPEECH) else ""


@transaction.atomic
def do_import_speech(source: Source, *, name: str, data: bytes, actor) -> SpeechImport:
    require_office(actor, source.owner_unit)
    checked = check_upload(name, data, field="file")
    if not checked.name.lower().endswith(SPEECH_TYPES):
        raise ActionError(
            _("A speech is read from .txt, .docx or a text PDF; “%(name)s” is none of these.")
            % {"name": checked.name},
            field="file",
        )
    try:
        result = import_speech(
            checked.name, data, unit_dictionary(source.owner_unit), occasion=_occasion(source)
        )
    except (ValueError, KeyError) as e:
        raise ActionError(
            _("“%(name)s” could not be read: %(why)s") % {"name": checked.name, "why": e},
            field="file",
        ) from e
    if not result.cleaned.paragraphs:
        raise ActionError(
            _("No text was found in “%(name)s” (a scanned PDF has none).") % {"name": checked.name},
            field="file",
        )
    speech = SpeechImport.objects.create(
        source=source,
        file_name=checked.name,
        read_as=result.how,
        title=result.cleaned.title[:200],
        title_proposed=result.cleaned.title_proposed,
        text=result.cleaned.text,
        removed=[{"line": r.line, "reason": r.reason} for r in result.cleaned.removed],
        repairs=result.cleaned.repairs,
        traditional=result.cleaned.traditional,
        outline=result.outline.as_dict()["children"],
        created_by=actor,
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                speech=speech,
                order=p.order,
                path=p.path,
                sentence=p.sentence,
                title=p.title[:200],
                confidence=p.confidence,
                reasons=p.reasons,
                targets=[t.__dict__ for t in p.targets],
                deadline_text=p.deadline[:60],
                placeholders=p.placeholders,
                suggested_unit_id=p.unit_id,
                lead_unit_id=p.unit_id,
            )
            for p in result.proposals
        ]
    )
    record(
        actor=actor,
        action="speech.import",
        obj=speech,
        after={
            "source": source.pk,
            "file": checked.name,
            "paragraphs": len(result.cleaned.paragraphs),
            "removed": len(result.cleaned.removed),
            "proposals": len(result.proposals),
            "shown": sum(p.shown for p in result.proposals),
            "title_proposed": result.cleaned.title_proposed,
        },
    )
    return speech


def _open(proposal: Proposal) -> None:
    if proposal.state != P.PROPOSED:
        raise ActionError(
            _("“%(title)s” has already been decided (%(state)s).")
            % {"title": proposal.title, "state": proposal.get_state_display()}
        )


@transaction.atomic
def do_edit_proposal(
    proposal: Proposal,
    *,
    title: str,
    lead_unit=None,
    leader=None,
    deadline: date | None = None,
    actor,
) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update().select_related("speech__source").get(pk=proposal.pk)
    )
    require_office(actor, proposal.speech.source.owner_unit)
    _open(proposal)
    if not title.strip():
        raise ActionError(_("A work item needs a title."), field="title")
    before = {"title": proposal.title}
    proposal.title, proposal.lead_unit, proposal.leader, proposal.deadline = (
        title.strip()[:200],
        lead_unit,
        leader,
        deadline,
    )
    proposal.save(update_fields=["title", "lead_unit", "leader", "deadline"])
    record(
        actor=actor,
        action="proposal.edit",
        obj=proposal,
        before=before,
        after={"title": proposal.title},
    )
    return proposal


@transaction.atomic
def do_drop_proposal(proposal: Proposal, *, actor) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update().select_related("speech__source").get(pk=proposal.pk)
    )
    require_office(actor, proposal.speech.source.owner_unit)
    _open(proposal)
    proposal.state = P.DROPPED
    proposal.save(update_fields=["state"])
    record(actor=actor, action="proposal.drop", obj=proposal)
    return proposal


@transaction.atomic
def do_merge_proposals(proposals: list[Proposal], *, actor) -> Proposal:
    """The first absorbs the others' sentences and targets; the others are kept as merged."""
    if len(proposals) < 2:
        raise ActionError(_("Choose at least two proposals to merge."), field="proposals")
    rows = list(
        Proposal.objects.select_for_update()
        .select_related("speech__source")
        .filter(pk__in=[p.pk for p in proposals])
        .order_by("order", "pk")
    )
    if len({r.speech_id for r in rows}) != 1:
        raise ActionError(
            _("Only proposals from the same speech can be merged."), field="proposals"
        )
    require_office(actor, rows[0].speech.source.owner_unit)
    for row in rows:
        _open(row)
    first, rest = rows[0], rows[1:]
    for row in rest:
        first.sentence += row.sentence
        first.targets += row.targets
        first.placeholders = sorted(set(first.placeholders) | set(row.placeholders))
        row.state, row.merged_into = P.MERGED, first
        row.save(update_fields=["state", "merged_into"])
    first.save(update_fields=["sentence", "targets", "placeholders"])
    record(actor=actor, action="proposal.merge", obj=first, after={"merged": [r.pk for r in rest]})
    return first


@transaction.atomic
def do_split_proposal(proposal: Proposal, *, actor) -> list[Proposal]:
    """One proposal per clause (split at ；and ，), each with its own targets."""
    proposal = (
        Proposal.objects.select_for_update().select_related("speech__source").get(pk=proposal.pk)
    )
    require_office(actor, proposal.speech.source.owner_unit)
    _open(proposal)
    clauses = [
        c for c in re.split(r"(?<=[；，;,])", proposal.sentence) if len(c.strip("；，;,。 ")) >= 4
    ]
    if len(clauses) < 2:
        raise ActionError(_("This sentence has only one part; edit its title instead."))
    parts = []
    for clause in clauses:
        target = targets_in(clause)
        parts.append(
            Proposal(
                speech=proposal.speech,
                order=proposal.order,
                path=proposal.path,
                sentence=clause,
                title=clause.strip("；，;,。 ")[:40],
                confidence=proposal.confidence,
                targets=[t.__dict__ for t in target],
                deadline_text=proposal.deadline_text,
                placeholders=proposal.placeholders,
                suggested_unit=proposal.suggested_unit,
                lead_unit=proposal.lead_unit,
                leader=proposal.leader,
                deadline=proposal.deadline,
            )
        )
    Proposal.objects.bulk_create(parts)
    proposal.state = P.MERGED  # replaced by its parts; kept for the record
    proposal.save(update_fields=["state"])
    record(actor=actor, action="proposal.split", obj=proposal, after={"parts": len(parts)})
    return parts


def _target_fields(targets: list[dict]) -> dict:
    """The first target with a number becomes the task's target; placeholders stay text."""
    for t in targets:
        try:
            value = Decimal(t["value"])
        except (InvalidOperation, KeyError):
            continue
        return {
            "target_indicator": t["indicator"][:100],
            "target_comparison": t["comparison"],
            "target_value": value,
            "target_unit": t["unit"][:20],
        }
    return {}


@transaction.atomic
def do_accept_proposals(speech: SpeechImport, proposals: list[Proposal], *, actor) -> list:
    """Each chosen proposal becomes a task of the speech's source, all or none; the proposal
    keeps the task it became. A proposal without a lead unit or a deadline stops them all."""
    from luoshi.supervision.actions import do_create_task

    require_office(actor, speech.source.owner_unit)
    rows = list(
        Proposal.objects.select_for_update(
            of=("self",)
        )  # lead_unit may be empty: no outer-join lock
        .filter(speech=speech, pk__in=[p.pk for p in proposals])
        .select_related("lead_unit")
        .order_by("order", "pk")
    )
    if not rows:
        raise ActionError(_("Choose the proposals to accept."), field="proposals")
    tasks = []
    for row in rows:
        _open(row)
        if row.lead_unit is None or row.deadline is None:
            raise ActionError(
                _("“%(title)s” needs a lead unit and a deadline before it can become a task.")
                % {"title": row.title},
                field="proposals",
            )
        task = do_create_task(
            source=speech.source,
            title=row.title,
            lead_unit=row.lead_unit,
            deadline=row.deadline,
            leader=row.leader,
            requirement=row.sentence,
            actor=actor,
            **_target_fields(row.targets),
        )
        row.state, row.task = P.ACCEPTED, task
        row.save(update_fields=["state", "task"])
        tasks.append(task)
    record(
        actor=actor,
        action="speech.accept",
        obj=speech,
        after={"tasks": [t.pk for t in tasks], "proposals": [r.pk for r in rows]},
    )
    return tasks
