"""亮点工作 (述亮点): declared by the unit, accepted by the office, scored by reviewers; the
scores enter evaluation through an appraisal item (drop the highest and lowest in each
reviewer group, then weigh the groups as the scheme declares)."""

import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from luoshi.accounts.models import Role
from luoshi.accounts.permissions import require_office
from luoshi.accounts.scope import scope_for
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.supervision.permissions import require_unit_staff

from .models import Highlight, HighlightScore

MAX_PER_YEAR = 2
_MILESTONE = re.compile(r"^\s*(\d{4}-\d{2})\s+(.+)$")


def parse_milestones(text: str) -> list[dict]:
    """Lines like "2026-03 完成项目签约"; any other line is refused naming it."""
    out = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        m = _MILESTONE.match(line)
        if not m or not 1 <= int(m.group(1)[5:]) <= 12:
            raise ActionError(
                _(
                    "Line %(n)d: write the month, a space, then the milestone, e.g. “2026-03 完成签约”."
                )
                % {"n": n},
                field="milestones",
            )
        out.append({"month": m.group(1), "what": m.group(2).strip()})
    return out


@transaction.atomic
def do_declare_highlight(
    *, unit, year: int, title: str, target: str, milestones: str, actor
) -> Highlight:
    require_unit_staff(actor, unit)  # a unit declares its own highlight work
    if not title.strip() or not target.strip():
        raise ActionError(_("Say what the highlight is and the rank it aims at."), field="title")
    if (
        Highlight.objects.filter(unit=unit, year=year)
        .exclude(state=Highlight.State.RETURNED)
        .count()
        >= MAX_PER_YEAR
    ):
        raise ActionError(_("A unit declares at most two highlights a year."), field="title")
    highlight = Highlight.objects.create(
        unit=unit,
        year=year,
        title=title.strip(),
        target=target.strip(),
        milestones=parse_milestones(milestones),
        declared_by=actor,
    )
    record(actor=actor, action="highlight.declare", obj=highlight, after={"title": highlight.title})
    return highlight


@transaction.atomic
def do_review_highlight(highlight: Highlight, *, accept: bool, note: str = "", actor) -> Highlight:
    highlight = Highlight.objects.select_for_update().select_related("unit").get(pk=highlight.pk)
    require_office(actor, highlight.unit)
    if highlight.state != Highlight.State.DECLARED:
        raise ActionError(_("Only a declared highlight can be accepted or returned."))
    if not accept and not note.strip():
        raise ActionError(_("Say why it is returned."), field="note")
    highlight.state = Highlight.State.ACCEPTED if accept else Highlight.State.RETURNED
    highlight.note = note.strip()
    highlight.save(update_fields=["state", "note"])
    record(actor=actor, action="highlight.review", obj=highlight, after={"state": highlight.state})
    return highlight


@transaction.atomic
def do_score_highlight(highlight: Highlight, *, score, actor) -> HighlightScore:
    """A reviewer (评议人) or a leader scores an accepted highlight, 0–100; scoring again corrects it."""
    scope = scope_for(actor)
    if not scope.has_role(Role.REVIEWER, Role.LEADER):
        raise NotAllowed(_("Only reviewers and leaders score highlight work."))
    if highlight.state != Highlight.State.ACCEPTED:
        raise ActionError(_("Only an accepted highlight is scored."))
    try:
        value = Decimal(str(score).strip())
    except (InvalidOperation, ValueError):
        raise ActionError(_("A score is a number from 0 to 100."), field="score") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ActionError(_("A score is a number from 0 to 100."), field="score")
    group = (
        HighlightScore.Group.LEADER if scope.has_role(Role.LEADER) else HighlightScore.Group.OTHER
    )
    entry, _created = HighlightScore.objects.update_or_create(
        highlight=highlight, reviewer=actor, defaults={"score": value, "group": group}
    )
    record(
        actor=actor,
        action="highlight.score",
        obj=entry,
        after={"score": str(value), "group": group},
    )
    return entry


def appraisal_inputs(units, year: int) -> list:
    """Per unit: its accepted highlights' scores by reviewer group, as the run stores them."""
    scores: dict[int, dict[int, dict[str, list[float]]]] = {}
    for unit_id, highlight_id, group, score in HighlightScore.objects.filter(
        highlight__unit__in=units, highlight__year=year, highlight__state=Highlight.State.ACCEPTED
    ).values_list("highlight__unit_id", "highlight_id", "group", "score"):
        scores.setdefault(unit_id, {}).setdefault(highlight_id, {}).setdefault(group, []).append(
            float(score)
        )
    return [list(scores.get(u.pk, {}).values()) or None for u in units]
