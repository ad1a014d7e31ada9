"""Reading a speech into a source and reviewing what it proposes (office)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from luoshi.accounts.models import Membership, Role, User
from luoshi.accounts.scope import scope_for
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.orgs.models import Unit
from luoshi.supervision.views.common import run_action

from . import speech_actions as act
from .models import Proposal, Source, SpeechImport
from .speech.proposals import SHOWN

# Why a line was removed (the cleaner's words), as the reviewer reads it.
REASONS = {
    "“read more” link": gettext_lazy("“read more” link"),
    "tip box": gettext_lazy("tip box"),
    "share block": gettext_lazy("share block"),
    "comments": gettext_lazy("comments"),
    "article footer": gettext_lazy("article footer"),
    "related links": gettext_lazy("related links"),
    "site navigation": gettext_lazy("site navigation"),
    "breadcrumb": gettext_lazy("breadcrumb"),
    "ghost-writing advert": gettext_lazy("ghost-writing advert"),
    "date and view count": gettext_lazy("date and view count"),
    "view count": gettext_lazy("view count"),
    "page tools": gettext_lazy("page tools"),
    "article metadata": gettext_lazy("article metadata"),
    "web address": gettext_lazy("web address"),
    "after the end of the article": gettext_lazy("after the end of the article"),
    "title repeated": gettext_lazy("title repeated"),
    "paywall or preview notice": gettext_lazy("paywall or preview notice"),
    "site notice": gettext_lazy("site notice"),
    "date and time stamp": gettext_lazy("date and time stamp"),
    "greeting to the visitor": gettext_lazy("greeting to the visitor"),
    "page mark": gettext_lazy("page mark"),
    "page text before the speech": gettext_lazy("page text before the speech"),
    "after the end of the speech": gettext_lazy("after the end of the speech"),
    "page title": gettext_lazy("page title"),
}
# Why the reading thinks a sentence is (or is not) a work item.
GROUNDS = {
    "said of the future": gettext_lazy("said of the future"),
    "under an item that says what to do": gettext_lazy("under an item that says what to do"),
    "said as an order": gettext_lazy("said as an order"),
    "a thing to do": gettext_lazy("a thing to do"),
    "a deadline": gettext_lazy("a deadline"),
    "a target": gettext_lazy("a target"),
    "someone to do it": gettext_lazy("someone to do it"),
    "held regularly": gettext_lazy("held regularly"),
    "attitude, not a task": gettext_lazy("attitude, not a task"),
    "a principle": gettext_lazy("a principle"),
    "commentary": gettext_lazy("commentary"),
    "describes a problem": gettext_lazy("describes a problem"),
    "about the meeting": gettext_lazy("about the meeting"),
    "opened by words about the meeting": gettext_lazy("opened by words about the meeting"),
    "names nothing in particular": gettext_lazy("names nothing in particular"),
}


def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, reason))


def grounds(proposal: Proposal) -> str:
    return "、".join(str(GROUNDS.get(r, r)) for r in proposal.reasons)


@require_POST
def speech_upload(request, pk):
    source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the speech file (.txt, .docx or PDF)."))
        return redirect("directives:source", pk=source.pk)
    created = {}

    def action():
        created["speech"] = act.do_import_speech(
            source, name=upload.name, data=upload.read(), actor=request.user
        )

    if run_action(
        request, action, _("Read. Check what was removed, then decide on each proposal.")
    ):
        return redirect("directives:speech", pk=created["speech"].pk)
    return redirect("directives:source", pk=source.pk)


def _speech_for(request, pk) -> SpeechImport:
    return get_object_or_404(
        SpeechImport.objects.filter(
            source__in=Source.objects.visible_to(request.user)
        ).select_related("source"),
        pk=pk,
    )


def _date(text: str):
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise ActionError(
            _("“%(text)s” is not a date.") % {"text": text}, field="deadline"
        ) from None


def speech_review(request, pk):
    speech = _speech_for(request, pk)
    office = scope_for(request.user).is_office_for(speech.source.owner_unit)
    proposals = list(
        speech.proposals.select_related("lead_unit", "leader", "suggested_unit", "task").order_by(
            "order", "pk"
        )
    )
    if request.method == "POST":
        if not office:
            raise PermissionDenied
        try:
            _decide(request, speech, proposals)
        except NotAllowed as e:
            raise PermissionDenied(e.message) from e
        except ActionError as e:
            messages.error(request, e.message)
        return redirect("directives:speech", pk=speech.pk)
    units = Unit.objects.filter(
        pk__in=[pk for pk, _n in act.unit_dictionary(speech.source.owner_unit)]
    )
    leaders = User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(role=Role.LEADER, unit__in=Unit.objects.subtree(speech.source.owner_unit))
        .values("user")
    )
    for p in proposals:
        p.grounds = grounds(p)
        p.percent = round(p.confidence * 100)
        p.low = p.confidence < SHOWN
    # Undecided proposals the reading is unsure of are folded away below the likely ones.
    folded = [p for p in proposals if p.state == Proposal.State.PROPOSED and p.confidence < SHOWN]
    return render(
        request,
        "directives/speech.html",
        {
            "speech": speech,
            "source": speech.source,
            "proposals": [p for p in proposals if p not in folded],
            "folded": folded,
            "open": [p for p in proposals if p.state == Proposal.State.PROPOSED],
            "office": office,
            "units": units.order_by("path"),
            "leaders": leaders.order_by("username"),
            "paragraphs": speech.text.split("\n"),
            "removed": [(reason_label(r["reason"]), r["line"]) for r in speech.removed],
        },
    )


def _decide(request, speech, proposals) -> None:
    """Save every open row's edits, then do what the button says with the ticked rows."""
    post = request.POST
    by_pk = {p.pk: p for p in proposals}
    units = {
        u.pk: u
        for u in Unit.objects.filter(
            pk__in=[pk for pk, _n in act.unit_dictionary(speech.source.owner_unit)]
        )
    }
    leaders = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[v for k, v in post.items() if k.startswith("leader-") and v.isdigit()]
        )
    }
    for p in proposals:
        if p.state != Proposal.State.PROPOSED or f"title-{p.pk}" not in post:
            continue
        unit = units.get(int(post.get(f"unit-{p.pk}") or 0))
        leader = leaders.get(int(post.get(f"leader-{p.pk}") or 0))
        deadline = _date(post.get(f"deadline-{p.pk}", ""))
        title = post.get(f"title-{p.pk}", "")
        if (title, unit, leader, deadline) != (p.title, p.lead_unit, p.leader, p.deadline):
            act.do_edit_proposal(
                p, title=title, lead_unit=unit, leader=leader, deadline=deadline, actor=request.user
            )
    picked = [by_pk[int(v)] for v in post.getlist("pick") if v.isdigit() and int(v) in by_pk]
    what = post.get("do", "save")
    if what.startswith("split-"):
        act.do_split_proposal(by_pk[int(what.removeprefix("split-"))], actor=request.user)
        messages.success(request, _("Split into its parts."))
    elif what == "drop":
        for p in picked:
            act.do_drop_proposal(p, actor=request.user)
        messages.success(request, _("Dropped."))
    elif what == "merge":
        act.do_merge_proposals(picked, actor=request.user)
        messages.success(request, _("Merged."))
    elif what == "accept":
        tasks = act.do_accept_proposals(speech, picked, actor=request.user)
        messages.success(
            request, _("%(n)d tasks registered under this source.") % {"n": len(tasks)}
        )
    else:
        messages.success(request, _("Saved."))
