"""Every write of evaluation: runs created, published, superseded; each with its audit event."""

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.accounts.permissions import require_office
from luoshi.audit.chain import record
from luoshi.lib.errors import ActionError

from .models import Run, RunAdjustment, RunItem, RunResult, SchemeVersion
from .service import band_problem, compute, gather, inputs_hash, validate_version


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
                base=_num(out["base"][k]),
                bonus=float(out["bonus"][k]),
                deduction=float(out["deduction"][k]),
                credit=float(out["credit"][k]),
                veto=out["vetoed"][k] or "",
            )
        )
    RunResult.objects.bulk_create(results)
    RunAdjustment.objects.bulk_create(
        [
            RunAdjustment(run=run, adjustment_id=pk, points=points, note=note)
            for pk, points, note in out["applied"]
        ]
    )
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


def _require_editable(version: SchemeVersion) -> None:
    if version.frozen_at is not None:
        raise ActionError(
            _("Version %(n)d has been used for an evaluation and is frozen; start a new version.")
            % {"n": version.number}
        )


@transaction.atomic
def do_create_scheme(
    *, code, name, period_kind, classes, owner, total_points=100, actor
) -> SchemeVersion:
    """A new scheme with an empty first version."""
    from .models import Scheme

    require_office(actor, owner)
    if Scheme.objects.filter(code=code).exists():
        raise ActionError(
            _("Scheme code “%(code)s” already exists.") % {"code": code}, field="code"
        )
    if not classes:
        raise ActionError(_("Say which unit classes the scheme ranks."), field="classes")
    scheme = Scheme.objects.create(
        code=code,
        name=name.strip(),
        period_kind=period_kind,
        owner=owner,
        total_points=total_points,
    )
    scheme.classes.set(classes)
    version = SchemeVersion.objects.create(scheme=scheme, number=1, bands=[])
    record(actor=actor, action="scheme.create", obj=scheme, after={"code": code, "name": name})
    return version


@transaction.atomic
def do_add_node(
    version: SchemeVersion,
    *,
    code,
    name,
    kind,
    points=0,
    parent=None,
    indicator=None,
    rule="minmax",
    params=None,
    missing="none",
    actor,
):
    from .models import SchemeNode

    version = (
        SchemeVersion.objects.select_for_update().select_related("scheme__owner").get(pk=version.pk)
    )
    require_office(actor, version.scheme.owner)
    _require_editable(version)
    if version.nodes.filter(code=code).exists():
        raise ActionError(
            _("Code “%(code)s” is already used in this version.") % {"code": code}, field="code"
        )
    if parent is not None and (
        parent.version_id != version.pk or parent.kind != SchemeNode.Kind.AREA
    ):
        raise ActionError(_("Items go under an area of the same version."), field="parent")
    if kind == SchemeNode.Kind.QUANTITATIVE and indicator is None:
        raise ActionError(_("Choose the indicator this item scores."), field="indicator")
    if kind == SchemeNode.Kind.ROLLUP and not (params or {}).get("scheme"):
        raise ActionError(_("Choose the shorter scheme this item sums up."), field="rollup")
    if missing not in ("none", "zero", "mean", "median", "carry"):
        raise ActionError(_("Unknown missing-data policy."), field="missing")
    node = SchemeNode.objects.create(
        version=version,
        parent=parent,
        code=code,
        name=name.strip(),
        kind=kind,
        points=points,
        indicator=indicator,
        rule=rule,
        params=params or {},
        missing=missing,
        order=version.nodes.count() + 1,
    )
    record(
        actor=actor,
        action="scheme.add_node",
        obj=node,
        after={"code": code, "points": str(points), "kind": kind},
    )
    return node


@transaction.atomic
def do_remove_node(node, *, actor) -> None:
    version = (
        SchemeVersion.objects.select_for_update()
        .select_related("scheme__owner")
        .get(pk=node.version_id)
    )
    require_office(actor, version.scheme.owner)
    _require_editable(version)
    record(
        actor=actor,
        action="scheme.remove_node",
        obj=node,
        before={"code": node.code, "points": str(node.points)},
    )
    node.delete()


@transaction.atomic
def do_set_bands(version: SchemeVersion, text: str, *, actor) -> SchemeVersion:
    """Bands from lines like "优秀 90分以上"; refused whole if any line is unclear or they leave a gap or overlap."""
    from .engine.grades import BandError, check_bands, parse_band

    version = (
        SchemeVersion.objects.select_for_update().select_related("scheme__owner").get(pk=version.pk)
    )
    require_office(actor, version.scheme.owner)
    _require_editable(version)
    bands = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        grade, _sep, wording = line.strip().partition(" ")
        if not wording.strip():
            raise ActionError(
                _("Line %(n)d: write the grade, a space, then its range, e.g. “优秀 90分以上”.")
                % {"n": number},
                field="bands",
            )
        bands.append({"grade": grade, "text": wording.strip()})
    try:
        check_bands([parse_band(b["grade"], b["text"]) for b in bands])
    except BandError as e:
        raise ActionError(band_problem(e), field="bands") from e
    before = list(version.bands)
    version.bands = bands
    version.save(update_fields=["bands"])
    record(
        actor=actor,
        action="scheme.set_bands",
        obj=version,
        before={"bands": before},
        after={"bands": bands},
    )
    return version


@transaction.atomic
def do_new_version(version: SchemeVersion, *, actor) -> SchemeVersion:
    """Copy a (frozen) version into the next one, to change the scheme without rewriting history."""
    from .models import SchemeNode

    require_office(actor, version.scheme.owner)
    latest = version.scheme.versions.order_by("-number").first()
    new = SchemeVersion.objects.create(
        scheme=version.scheme, number=latest.number + 1, bands=version.bands, rules=version.rules
    )
    mapping = {}
    for node in version.nodes.order_by("order", "pk"):
        mapping[node.pk] = SchemeNode.objects.create(
            version=new,
            parent=mapping.get(node.parent_id),
            code=node.code,
            name=node.name,
            kind=node.kind,
            points=node.points,
            indicator=node.indicator,
            rule=node.rule,
            params=node.params,
            missing=node.missing,
            order=node.order,
        )
    record(
        actor=actor,
        action="scheme.new_version",
        obj=new,
        after={"from": version.number, "number": new.number},
    )
    return new
