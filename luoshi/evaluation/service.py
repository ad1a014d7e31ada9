"""Evaluation = gather (database → plain inputs) + compute (inputs → numbers, engine only).

``compute`` reads nothing but its inputs, which a run stores whole with their
hash; computing them again gives the same numbers to the last digit.
"""

import hashlib
import json
import warnings
from datetime import timedelta

import numpy as np
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from luoshi.indicators.models import IndicatorValue, Target
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import Period
from luoshi.lib.rounding import half_up
from luoshi.orgs.models import Unit
from luoshi.supervision.calendar import load_calendar, monday_of, report_due
from luoshi.supervision.models import Chase, ProgressReport, SupervisionSettings, Task, TaskEvent

from .engine import normalise, prepare, ranking
from .engine.aggregate import arithmetic
from .engine.grades import BandError, assign_grades, check_bands, parse_band
from .engine.groups import by_group
from .engine.items import TaskRule, task_points
from .engine.uncertainty import monte_carlo
from .models import Run, SchemeNode, SchemeVersion

N = SchemeNode.Kind
DRAWS, SEED, AVAILABILITY = 1000, 2026, 0.5


def validate_version(version: SchemeVersion) -> list[str]:
    """Everything wrong with a version, in words that say which node; empty when it can be used."""
    scheme = version.scheme
    problems = []
    nodes = list(version.nodes.select_related("indicator"))
    items = [n for n in nodes if n.kind != N.AREA]
    if not items:
        problems.append(_("The scheme has no items."))
    total = sum(n.points for n in items)
    if total != scheme.total_points:
        problems.append(
            _("The items' points add up to %(sum)s, not %(total)s.")
            % {"sum": total, "total": scheme.total_points}
        )
    for area in (n for n in nodes if n.kind == N.AREA and n.points):
        children = sum(c.points for c in nodes if c.parent_id == area.pk)
        if children != area.points:
            problems.append(
                _("Area “%(area)s” has %(points)s points but its items add up to %(sum)s.")
                % {"area": area.name, "points": area.points, "sum": children}
            )
    for item in items:
        if item.kind == N.QUANTITATIVE:
            if item.indicator is None:
                problems.append(
                    _("Item “%(item)s” has no data source (choose an indicator).")
                    % {"item": item.name}
                )
            elif item.indicator.frequency != scheme.period_kind:
                problems.append(
                    _(
                        "Item “%(item)s”: its indicator is collected %(freq)s, the scheme is %(kind)s."
                    )
                    % {
                        "item": item.name,
                        "freq": item.indicator.get_frequency_display(),
                        "kind": scheme.get_period_kind_display(),
                    }
                )
            if item.rule == SchemeNode.Rule.EFFICACY and not {
                "unacceptable",
                "satisfactory",
            } <= set(item.params):
                problems.append(
                    _(
                        "Item “%(item)s”: the efficacy coefficient needs its unacceptable and satisfactory values."
                    )
                    % {"item": item.name}
                )
    try:
        check_bands([parse_band(b["grade"], b["text"]) for b in version.bands])
    except (BandError, KeyError) as e:
        problems.append(_("Grade bands: %(problem)s") % {"problem": e})
    return problems


def _missed_reports(task, start, limit, reported, rules, calendar) -> int:
    """Weekly reports owed in the period and never handed in, by the same rule as the lights:
    owed for each week that began after the task was assigned, until it was finished."""
    assigned = timezone.localtime(task.assigned_at).date()
    week = monday_of(max(start, assigned + timedelta(days=7)))
    missed = 0
    while week <= limit:
        if task.completed_on is not None and task.completed_on < week:
            break
        if report_due(week, rules, calendar).date() <= limit and (task.pk, week) not in reported:
            missed += 1
        week += timedelta(days=7)
    return missed


def _task_scores(units, period: Period) -> list:
    """Each unit's task item (督考合一): the mean of its tasks' points over the period."""
    start, end = period.start, period.end
    calendar = load_calendar()
    tasks = (
        Task.objects.filter(lead_unit__in=units, deadline__lte=end, assigned_at__isnull=False)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=start))
        .annotate(
            n_chases=Count(
                "chases",
                filter=Q(
                    chases__kind=Chase.Kind.CHASE, chases__created_at__date__range=(start, end)
                ),
                distinct=True,
            ),
            n_notices=Count(
                "chases",
                filter=Q(
                    chases__kind=Chase.Kind.NOTICE, chases__created_at__date__range=(start, end)
                ),
                distinct=True,
            ),
            n_send_backs=Count(
                "events",
                filter=Q(
                    events__kind=TaskEvent.Kind.SENT_BACK, events__at__date__range=(start, end)
                ),
                distinct=True,
            ),
        )
    )
    tasks = list(tasks)
    # Facts are counted up to the end of the period, or today for a period still running.
    limit = min(end, timezone.localdate())
    rules = SupervisionSettings.current()
    reported = set(
        ProgressReport.objects.counted()
        .filter(task__in=tasks, unit_id=F("task__lead_unit_id"))
        .values_list("task_id", "week")
    )
    by_unit: dict[int, list[float]] = {}
    rule = TaskRule()
    for t in tasks:
        finished = t.completed_on or limit
        overdue = max(calendar.workdays_between(t.deadline, min(finished, limit)), 0)
        missed = _missed_reports(t, start, limit, reported, rules, calendar)
        facts = np.array(
            [[float(t.completed_late), overdue, t.n_chases, t.n_notices, missed, t.n_send_backs]]
        )
        by_unit.setdefault(t.lead_unit_id, []).append(float(task_points(facts, rule)[0]))
    return [float(np.mean(by_unit[u.pk])) if u.pk in by_unit else None for u in units]


def gather(version: SchemeVersion, period_text: str) -> dict:
    """Everything the computation needs, as plain JSON-ready data."""
    scheme = version.scheme
    try:
        period = Period.parse(period_text)
    except ValueError as e:
        raise ActionError(str(e), field="period") from e
    if period.kind != scheme.period_kind:
        raise ActionError(
            _("“%(scheme)s” evaluates %(kind)s periods; %(period)s is not one.")
            % {"scheme": scheme.name, "kind": scheme.get_period_kind_display(), "period": period},
            field="period",
        )
    units = list(
        Unit.objects.active()
        .filter(unit_class__in=scheme.classes.all())
        .filter(pk__in=Unit.objects.subtree(scheme.owner).values("pk"))
        .select_related("unit_class")
        .order_by("path")
    )
    items = [n for n in version.nodes.select_related("indicator", "parent") if n.kind != N.AREA]
    columns, targets = [], []
    for item in items:
        if item.kind == N.TASK:
            columns.append(_task_scores(units, period))
            targets.append(None)
            continue
        current = dict(
            IndicatorValue.objects.current()
            .filter(indicator=item.indicator, period=str(period), not_applicable=False)
            .values_list("unit_id", "value")
        )
        columns.append([float(current[u.pk]) if u.pk in current else None for u in units])
        if item.rule == SchemeNode.Rule.TARGET:
            goal = dict(
                Target.objects.filter(indicator=item.indicator, period=str(period)).values_list(
                    "unit_id", "value"
                )
            )
            targets.append([float(goal[u.pk]) if u.pk in goal else None for u in units])
        else:
            targets.append(None)
    previous = Run.objects.filter(
        version__scheme=scheme, period=str(period.previous()), state=Run.State.PUBLISHED
    ).first()
    previous_ranks = dict(previous.results.values_list("unit_id", "rank_class")) if previous else {}
    return {
        "scheme": scheme.code,
        "version": version.number,
        "period": str(period),
        "total_points": float(scheme.total_points),
        "units": [
            {"id": u.pk, "code": u.code, "name": u.name, "class": u.unit_class.code} for u in units
        ],
        "items": [
            {
                "id": i.pk,
                "code": i.code,
                "name": i.name,
                "kind": i.kind,
                "points": float(i.points),
                "rule": i.rule,
                "params": i.params,
                "missing": i.missing,
                "direction": i.indicator.direction if i.indicator else 1,
            }
            for i in items
        ],
        "values": columns,
        "targets": targets,
        "previous_ranks": {str(k): v for k, v in previous_ranks.items()},
        "bands": version.bands,
        "draws": DRAWS,
        "seed": SEED,
        "availability": AVAILABILITY,
    }


def inputs_hash(inputs: dict) -> str:
    return hashlib.sha256(
        json.dumps(inputs, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def _array(column) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in column], dtype=np.float64)


def compute(inputs: dict) -> dict:
    """Item scores (0–100), points won, totals, ranks, grades and rank intervals.

    A class with no spread on an item, or an item nobody reported, yields NaN
    scores by design (nothing to compare); numpy's warnings about it are noise.
    """
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return _compute(inputs)


def _compute(inputs: dict) -> dict:
    classes = np.array([u["class"] for u in inputs["units"]])
    n = len(classes)
    scores = np.full((n, len(inputs["items"])), np.nan)
    raw = (
        np.column_stack([_array(c) for c in inputs["values"]])
        if inputs["items"]
        else np.empty((n, 0))
    )
    imputed = np.zeros(raw.shape, dtype=bool)
    for j, item in enumerate(inputs["items"]):
        x = raw[:, j : j + 1]
        if item["missing"] != "none":
            filled = prepare.impute(x, [item["missing"]], groups=classes)
            x, imputed[:, j] = filled.values, filled.imputed[:, 0]
        direction = np.array([item["direction"]], dtype=np.float64)
        rule, params = item["rule"], item["params"]
        if item["kind"] == N.TASK:
            column = x
        elif rule == SchemeNode.Rule.TARGET:
            column = normalise.target_ratio(
                x,
                _array(inputs["targets"][j])[:, None],
                cap=params.get("cap", 100.0),
                direction=direction,
            )
        elif rule == SchemeNode.Rule.EFFICACY:
            column = normalise.efficacy(
                x, params["unacceptable"], params["satisfactory"], clamp=params.get("clamp", True)
            )
        elif rule == SchemeNode.Rule.RANK_POINTS:
            column = by_group(
                normalise.rank_points,
                x,
                classes,
                direction=direction,
                first=100.0,
                step=params.get("step", 5.0),
            )
        else:
            column = by_group(normalise.minmax, x, classes, direction=direction)
        scores[:, j] = column[:, 0]
    points = np.array([i["points"] for i in inputs["items"]], dtype=np.float64)
    totals = arithmetic(scores, points) * inputs["total_points"] / 100.0
    rank_class = ranking.rank_within(totals, classes)
    rank_overall = ranking.competition_rank(totals)
    shown = [float(half_up(t, 2)) if not np.isnan(t) else np.nan for t in totals]
    grades = assign_grades(shown, [parse_band(b["grade"], b["text"]) for b in inputs["bands"]])
    previous = inputs["previous_ranks"]
    change = [
        previous[str(u["id"])] - rank_class[k]
        if str(u["id"]) in previous
        and previous[str(u["id"])] is not None
        and not np.isnan(rank_class[k])
        else None
        for k, u in enumerate(inputs["units"])
    ]
    complete = np.where(
        np.isnan(scores), np.nanmean(scores, axis=0, keepdims=True) if n else 0, scores
    )
    complete = np.nan_to_num(complete, nan=0.0)
    interval = (
        monte_carlo(
            complete,
            np.ones(len(points)),
            points,
            draws=inputs["draws"],
            seed=inputs["seed"],
            groups=classes,
        )
        if n and len(points)
        else None
    )
    flagged = prepare.screen(raw, inputs["availability"]) if raw.size else np.zeros(n, dtype=bool)
    return {
        "scores": scores,
        "won": np.where(np.isnan(scores), np.nan, scores * points / 100.0),
        "raw": raw,
        "imputed": imputed,
        "totals": totals,
        "rank_class": rank_class,
        "rank_overall": rank_overall,
        "grades": grades,
        "change": change,
        "interval": interval,
        "flagged": flagged,
    }
