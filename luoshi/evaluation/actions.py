"""Every write of evaluation: runs created, published, superseded; each with its audit event."""

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError

from .models import Run, RunItem, RunResult, SchemeVersion
from .service import compute, gather, inputs_hash, validate_version


def _num(value):
    return (
        None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
    )


def _store(run: Run, inputs: dict) -> None:
    out = compute(inputs)
    interval = out["interval"]
    results = []
    for k, unit in enumerate(inputs["units"]):
        results.append(
            RunResult(
                run=run,
                unit_id=unit["id"],
                total=_num(out["totals"][k]),
                rank_class=_num(out["rank_class"][k]),
                rank_overall=_num(out["rank_overall"][k]),
                rank_change=out["change"][k],
                grade=out["grades"][k] or "",
                median_rank=_num(interval.median[k]) if interval else None,
                rank_low=_num(interval.low[k]) if interval else None,
                rank_high=_num(interval.high[k]) if interval else None,
                flagged=bool(out["flagged"][k]),
            )
        )
    RunResult.objects.bulk_create(results)
    RunItem.objects.bulk_create(
        [
            RunItem(
                run=run,
                unit_id=unit["id"],
                node_id=item["id"],
                value=_num(out["raw"][k, j]),
                score=_num(out["scores"][k, j]),
                points=_num(out["won"][k, j]),
                imputed=bool(out["imputed"][k, j]),
            )
            for k, unit in enumerate(inputs["units"])
            for j, item in enumerate(inputs["items"])
        ]
    )


@transaction.atomic
def do_create_run(version: SchemeVersion, period: str, *, actor) -> Run:
    """Evaluate a version for a period as a draft run; the version is frozen from now on."""
    version = (
        SchemeVersion.objects.select_for_update()
        .select_related("scheme", "scheme__owner")
        .get(pk=version.pk)
    )
    require_office(actor, version.scheme.owner)
    problems = validate_version(version)
    if problems:
        raise ActionError(" ".join(problems), field="scheme")
    inputs = gather(version, period)
    if version.frozen_at is None:
        version.frozen_at = timezone.now()
        version.save(update_fields=["frozen_at"])
    run = Run.objects.create(
        version=version,
        period=inputs["period"],
        inputs=inputs,
        inputs_hash=inputs_hash(inputs),
        created_by=actor,
    )
    _store(run, inputs)
    record(
        actor=actor,
        action="run.create",
        obj=run,
        after={"period": run.period, "hash": run.inputs_hash},
    )
    return run


@transaction.atomic
def do_publish_run(run: Run, *, actor) -> Run:
    run = Run.objects.select_for_update().select_related("version__scheme__owner").get(pk=run.pk)
    require_office(actor, run.version.scheme.owner)
    if run.state != Run.State.DRAFT:
        raise ActionError(_("Only a draft run can be published."))
    if (
        Run.objects.filter(
            version__scheme=run.version.scheme, period=run.period, state=Run.State.PUBLISHED
        )
        .exclude(pk=run.supersedes_id)
        .exists()
    ):
        raise ActionError(
            _(
                "%(period)s already has a published result; publish a correction that supersedes it, with a reason."
            )
            % {"period": run.period}
        )
    run.state, run.published_at = Run.State.PUBLISHED, timezone.now()
    run.save(update_fields=["state", "published_at"])
    if run.supersedes_id:
        Run.objects.filter(pk=run.supersedes_id).update(state=Run.State.SUPERSEDED)
    record(
        actor=actor,
        action="run.publish",
        obj=run,
        after={"period": run.period, "supersedes": run.supersedes_id},
    )
    return run


@transaction.atomic
def do_supersede_run(published: Run, *, reason: str, actor) -> Run:
    """A correction: a new run from today's data that replaces a published one; both stay visible."""
    if not reason.strip():
        raise ActionError(_("Say why the published result is corrected."), field="reason")
    if published.state != Run.State.PUBLISHED:
        raise ActionError(_("Only a published run can be superseded."))
    run = do_create_run(published.version, published.period, actor=actor)
    run.supersedes, run.reason = published, reason.strip()
    run.save(update_fields=["supersedes", "reason"])
    return do_publish_run(run, actor=actor)
