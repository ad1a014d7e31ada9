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
from django.utils.translation import gettext_lazy

from luoshi.indicators.models import IndicatorValue, Target
from luoshi.lib.errors import ActionError
from luoshi.lib.periods import KINDS, Period
from luoshi.lib.rounding import half_up
from luoshi.orgs.models import Unit
from luoshi.supervision.calendar import load_calendar, monday_of, report_due
from luoshi.supervision.models import Chase, ProgressReport, SupervisionSettings, Task, TaskEvent

from .engine import normalise, prepare, ranking
from .engine.aggregate import arithmetic
from .engine.analysis import roll_up
from .engine.grades import (
    BandError,
    apply_quota,
    apply_vetoes,
    assign_grades,
    check_bands,
    parse_band,
)
from .engine.groups import by_group
from .engine.items import TaskRule, appraisal, task_points
from .engine.rules import Adjustment as RuleAdjustment
from .engine.rules import apply_rules, rank_change_credit
from .engine.uncertainty import monte_carlo
from .models import Adjustment, Run, Scheme, SchemeNode, SchemeVersion

N = SchemeNode.Kind
DRAWS, SEED, AVAILABILITY = 1000, 2026, 0.5

# The rule layer of a version (SchemeVersion.rules); absent keys take these values.
RULE_DEFAULTS = {
    "adjustments": True,  # apply the bonuses, deductions and vetoes recorded for the period
    "bonus_total_cap": None,  # most bonus points a unit can earn in a period
    "bonus_category_cap": None,  # … within one category
    "deduction_category_cap": None,  # most deduction points within one category (vetoes excepted)
    "escalation": [1.0],  # factor for the 1st, 2nd, … deduction in a category; the last repeats
    "quotas": [],  # [{"grade", "share", "demote_to", "rounding", "ties"}]
    "rank_change": None,  # {"per_place": points per place gained or lost, "cap": most either way}
}


def version_rules(version_rules: dict) -> dict:
    return {**RULE_DEFAULTS, **(version_rules or {})}


BAND_PROBLEMS = {
    "no_bound": gettext_lazy("“%(text)s” has no bound; write e.g. 90分以上 or 不满60分"),
    "empty": gettext_lazy("there are no grade bands"),
    "gap_below": gettext_lazy("scores below %(band)s have no grade"),
    "gap": gettext_lazy("scores between %(below)s and %(above)s have no grade"),
    "overlap": gettext_lazy("%(below)s and %(above)s overlap"),
    "both": gettext_lazy("a score of %(value)s falls in both %(below)s and %(above)s"),
    "neither": gettext_lazy(
        "a score of exactly %(value)s falls in neither %(below)s nor %(above)s"
    ),
    "gap_above": gettext_lazy("scores above %(band)s have no grade"),
    "order": gettext_lazy("capping a grade needs the grades in order"),
}


def band_problem(error: BandError) -> str:
    """The engine's band error in the user's language, naming the bands concerned."""
    return _("Grade bands: %(problem)s") % {"problem": BAND_PROBLEMS[error.kind] % error.params}


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
        if item.kind == N.ROLLUP:
            problems.extend(_rollup_problems(item, scheme))
        if not 0 <= float((item.params or {}).get("floor", 0)) < 100:
            problems.append(
                _("Item “%(item)s”: the base score must be at least 0 and below 100.")
                % {"item": item.name}
            )
    grades = {b.get("grade") for b in version.bands}
    for quota in version_rules(version.rules)["quotas"]:
        missing = {quota.get("grade"), quota.get("demote_to")} - grades
        if missing:
            problems.append(
                _("Grade quota: %(grades)s is not one of the grade bands.")
                % {"grades": "、".join(sorted(str(g) for g in missing))}
            )
    try:
        check_bands([parse_band(b["grade"], b["text"]) for b in version.bands])
    except BandError as e:
        problems.append(band_problem(e))
    except KeyError:
        problems.append(_("Grade bands: each band needs a grade and its range."))
    return problems


def _rollup_problems(item: SchemeNode, scheme: Scheme) -> list[str]:
    code = (item.params or {}).get("scheme")
    source = Scheme.objects.filter(code=code).first() if code else None
    if source is None:
        return [
            _("Item “%(item)s” rolls up no scheme (choose the shorter scheme it sums up).")
            % {"item": item.name}
        ]
    shorter = KINDS.index(source.period_kind) < KINDS.index(scheme.period_kind)
    if not shorter or source.period_kind == "week":
        return [
            _(
                "Item “%(item)s”: “%(source)s” is not evaluated over shorter periods than this scheme."
            )
            % {"item": item.name, "source": source.name}
        ]
    return []


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


TASK_FACTS = ["task", "late", "overdue", "chases", "notices", "missed", "send_backs", "points"]


def _task_scores(units, period: Period) -> tuple[list, dict]:
    """Each unit's task item (督考合一): the mean of its tasks' points over the period; and,
    per unit, each task's facts and points (TASK_FACTS), so a scorecard can show them."""
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
    detail: dict[str, list] = {}
    rule = TaskRule()
    for t in tasks:
        finished = t.completed_on or limit
        overdue = max(calendar.workdays_between(t.deadline, min(finished, limit)), 0)
        missed = _missed_reports(t, start, limit, reported, rules, calendar)
        facts = [int(t.completed_late), overdue, t.n_chases, t.n_notices, missed, t.n_send_backs]
        points = float(task_points(np.array([facts], dtype=np.float64), rule)[0])
        by_unit.setdefault(t.lead_unit_id, []).append(points)
        detail.setdefault(str(t.lead_unit_id), []).append([t.pk, *facts, points])
    column = [float(np.mean(by_unit[u.pk])) if u.pk in by_unit else None for u in units]
    return column, detail


def _rolled_up_scores(item: SchemeNode, units, period: Period) -> tuple[list, dict]:
    """Each unit's published totals in the shorter scheme for every part of the period, on a
    0–100 scale; with the run each part came from (None where no result is published yet)."""
    source = Scheme.objects.get(code=item.params["scheme"])
    parts = period.parts(source.period_kind)
    published = {
        run.period: run
        for run in Run.objects.filter(
            version__scheme=source,
            period__in=[str(p) for p in parts],
            state=Run.State.PUBLISHED,
        )
    }
    if not published:
        raise ActionError(
            _("“%(item)s” sums up “%(source)s”, which has no published result within %(period)s.")
            % {"item": item.name, "source": source.name, "period": period},
            field="period",
        )
    scale = 100.0 / float(source.total_points)
    totals = {}
    for p, run in published.items():
        for unit_id, total in run.results.values_list("unit_id", "total"):
            totals[(p, unit_id)] = None if total is None else total * scale
    column = [[totals.get((str(p), u.pk)) for p in parts] for u in units]
    return column, {str(p): (published[str(p)].pk if str(p) in published else None) for p in parts}


def _adjustments(units, period: Period) -> list[dict]:
    """The bonuses, deductions and vetoes of the period that were not withdrawn, with exemptions."""
    index = {u.pk: k for k, u in enumerate(units)}
    rows = (
        Adjustment.objects.filter(
            unit__in=units,
            happened_on__range=(period.start, period.end),
            withdrawn_at__isnull=True,
        )
        .select_related("exemption")
        .order_by("happened_on", "pk")
    )
    out = []
    for a in rows:
        exemption = getattr(a, "exemption", None)
        out.append(
            {
                "id": a.pk,
                "unit": index[a.unit_id],
                "kind": a.kind,
                "category": a.category,
                "points": float(a.points),
                "achievement": a.achievement,
                "level": a.level,
                "cap_grade": a.cap_grade,
                "exempted": exemption is not None,
            }
        )
    return out


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
    columns, targets, sources, task_detail = [], [], {}, {}
    for item in items:
        if item.kind == N.TASK:
            column, task_detail[str(item.pk)] = _task_scores(units, period)
            columns.append(column)
            targets.append(None)
            continue
        if item.kind == N.ROLLUP:
            column, sources[str(item.pk)] = _rolled_up_scores(item, units, period)
            columns.append(column)
            targets.append(None)
            continue
        if item.kind == N.APPRAISAL:
            from luoshi.incentives.highlights import appraisal_inputs

            columns.append(appraisal_inputs(units, period.year))
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
    rules = version_rules(version.rules)
    adjustments = _adjustments(units, period) if rules["adjustments"] else []
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
                **({"runs": sources[str(i.pk)]} if str(i.pk) in sources else {}),
                **({"tasks": task_detail[str(i.pk)]} if str(i.pk) in task_detail else {}),
            }
            for i in items
        ],
        "values": columns,
        "targets": targets,
        "previous_ranks": {str(k): v for k, v in previous_ranks.items()},
        "bands": version.bands,
        "rules": rules,
        "adjustments": adjustments,
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


APPRAISAL_WEIGHTS = {"leader": 0.6, "other": 0.4}


def _raw_column(item: dict, column) -> np.ndarray:
    if item["kind"] == N.APPRAISAL:
        # Each highlight: trimmed mean per reviewer group, groups weighed; a unit's value is
        # the mean over its highlights.
        weights = item["params"].get("weights", APPRAISAL_WEIGHTS)
        out = []
        for highlights in column:
            values = [appraisal(h, weights) for h in highlights or []]
            values = [v for v in values if v == v]
            out.append(float(np.mean(values)) if values else np.nan)
        return np.array(out, dtype=np.float64)
    if item["kind"] == N.ROLLUP:
        parts = np.array(
            [[np.nan if v is None else v for v in row] for row in column], dtype=np.float64
        ).reshape(len(column), -1)
        missing = item["params"].get("missing", "renormalise")
        return roll_up(parts, np.ones(parts.shape[1]), missing)
    return _array(column)


def _compute(inputs: dict) -> dict:
    classes = np.array([u["class"] for u in inputs["units"]])
    n = len(classes)
    scores = np.full((n, len(inputs["items"])), np.nan)
    raw = (
        np.column_stack(
            [_raw_column(i, c) for i, c in zip(inputs["items"], inputs["values"], strict=True)]
        )
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
        if item["kind"] in (N.TASK, N.ROLLUP, N.APPRAISAL):
            column = x  # already points on a 0–100 scale
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
            # 基础分: with a floor, the last in class still earns floor % of the item's points.
            column = by_group(
                normalise.minmax, x, classes, direction=direction, low=params.get("floor", 0.0)
            )
        scores[:, j] = column[:, 0]
    points = np.array([i["points"] for i in inputs["items"]], dtype=np.float64)
    base = arithmetic(scores, points) * inputs["total_points"] / 100.0
    rules = {**RULE_DEFAULTS, **inputs.get("rules", {})}
    layer = _rule_layer(inputs, rules, n)
    previous = inputs["previous_ranks"]
    previous_rank = np.array(
        [
            np.nan if previous.get(str(u["id"])) is None else previous[str(u["id"])]
            for u in inputs["units"]
        ],
        dtype=np.float64,
    )
    credit = np.zeros(n)
    if rules["rank_change"]:
        # Places gained on the weighted score, before any credit is added.
        gained = previous_rank - ranking.rank_within(base + layer.total, classes)
        credit = rank_change_credit(
            np.nan_to_num(gained, nan=0.0),
            per_place=rules["rank_change"]["per_place"],
            cap=rules["rank_change"]["cap"],
        )
    totals = base + layer.total + credit
    rank_class = ranking.rank_within(totals, classes)
    rank_overall = ranking.competition_rank(totals)
    shown = [float(half_up(t, 2)) if not np.isnan(t) else np.nan for t in totals]
    bands = [parse_band(b["grade"], b["text"]) for b in inputs["bands"]]
    grades = assign_grades(shown, bands)
    for quota in rules["quotas"]:
        grades = apply_quota(
            shown,
            grades,
            classes,
            grade=quota["grade"],
            share=quota["share"],
            demote_to=quota["demote_to"],
            rounding=quota.get("rounding", "floor"),
            ties=quota.get("ties", "exclude"),
        )
    before_veto = grades.copy()
    order = [b.grade for b in sorted(bands, key=lambda b: -b.lower)]  # best first
    present = ~np.isnan(totals)
    grades = apply_vetoes(
        grades,
        fail={k for k in layer.fail if present[k]},
        caps={k: g for k, g in layer.caps.items() if present[k] and g in order},
        order=order,
        fail_grade=order[-1] if order else "",
    )
    vetoed = [before_veto[k] if grades[k] != before_veto[k] else "" for k in range(n)]
    change = [
        None
        if np.isnan(previous_rank[k]) or np.isnan(rank_class[k])
        else int(previous_rank[k] - rank_class[k])
        for k in range(n)
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
        "base": base,
        "bonus": layer.bonus,
        "deduction": layer.deduction,
        "credit": credit,
        "applied": layer.applied,
        "totals": totals,
        "rank_class": rank_class,
        "rank_overall": rank_overall,
        "grades": grades,
        "vetoed": vetoed,
        "change": change,
        "interval": interval,
        "flagged": flagged,
    }


class _Layer:
    """The rule layer's outcome: points per unit, vetoes, and how each adjustment counted."""

    def __init__(self, n: int):
        self.bonus, self.deduction = np.zeros(n), np.zeros(n)
        self.fail: set[int] = set()
        self.caps: dict[int, str] = {}
        self.applied: list[tuple[int, float, str]] = []  # (adjustment id, points, note)

    @property
    def total(self) -> np.ndarray:
        return self.bonus + self.deduction


def _rule_layer(inputs: dict, rules: dict, n: int) -> _Layer:
    layer = _Layer(n)
    pointed, exempted = [], set()
    for a in inputs.get("adjustments", []):
        if a["kind"] in ("veto_fail", "veto_cap"):
            if a["exempted"]:
                layer.applied.append((a["id"], 0.0, "exempted"))
            elif a["kind"] == "veto_fail":
                layer.fail.add(a["unit"])
                layer.applied.append((a["id"], 0.0, "veto: failed"))
            else:
                # Two caps on one unit: the stricter (lower) grade is set last by apply_vetoes' order.
                layer.caps[a["unit"]] = _stricter(layer.caps.get(a["unit"]), a["cap_grade"], inputs)
                layer.applied.append((a["id"], 0.0, "veto: grade capped"))
            continue
        if a["exempted"]:
            exempted.add(str(a["id"]))
        pointed.append(
            RuleAdjustment(
                id=str(a["id"]),
                unit=a["unit"],
                item=a["category"],
                points=a["points"],
                kind=a["kind"],
                achievement=a["achievement"],
                level=a["level"],
            )
        )
    categories = {a.item for a in pointed}

    def caps(key):
        return {c: rules[key] for c in categories} if rules[key] is not None else None

    result = apply_rules(
        n,
        pointed,
        bonus_item_caps=caps("bonus_category_cap"),
        bonus_total_cap=rules["bonus_total_cap"],
        deduction_item_caps=caps("deduction_category_cap"),
        escalation=tuple(rules["escalation"]) or (1.0,),
        exemptions=exempted,
    )
    layer.bonus, layer.deduction = result.bonus, result.deduction
    for applied in result.applied:
        layer.applied.append((int(applied.adjustment.id), float(applied.points), applied.note))
    return layer


def _stricter(current: str | None, new: str, inputs: dict) -> str:
    if current is None:
        return new
    order = [
        b.grade
        for b in sorted(
            (parse_band(b["grade"], b["text"]) for b in inputs["bands"]), key=lambda b: -b.lower
        )
    ]
    rank = {g: i for i, g in enumerate(order)}
    return max(current, new, key=lambda g: rank.get(g, -1))


def run_audit(run: Run) -> dict:
    """The statistical audit of a run (METHODOLOGY step 12), from its stored item scores:
    per item mean, spread, share missing and how much ranks move without it; item pairs
    that say the same thing (|r| > 0.9) or pull against each other inside one area."""
    from .engine.analysis import audit

    items = [i for i in run.inputs["items"]]
    if not items or not run.inputs["units"]:
        return {"items": [], "pairs": []}
    column = {item["id"]: j for j, item in enumerate(items)}
    row = {u["id"]: k for k, u in enumerate(run.inputs["units"])}
    scores = np.full((len(row), len(items)), np.nan)
    for unit_id, node_id, score in run.items.values_list("unit_id", "node_id", "score"):
        if score is not None and node_id in column and unit_id in row:
            scores[row[unit_id], column[node_id]] = score
    parents = dict(SchemeNode.objects.filter(pk__in=column).values_list("pk", "parent_id"))
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        report = audit(
            scores,
            [i["points"] for i in items],
            areas=[parents.get(i["id"]) for i in items],
        )
    kinds = {
        "redundant": _("they say the same thing"),
        "negative inside an area": _("they pull against each other inside one area"),
    }
    return {
        "items": [
            {
                "name": item["name"],
                "mean": report.mean[j],
                "sd": report.sd[j],
                "missing": report.missing_share[j] * 100,
                "shift": report.rank_shift_without[j],
            }
            for j, item in enumerate(items)
        ],
        "pairs": [
            {"a": items[i]["name"], "b": items[j]["name"], "r": r, "why": kinds[kind]}
            for i, j, r, kind in report.flagged_pairs
        ],
    }


_NOTES = {
    "capped": gettext_lazy("capped"),
    "exempted": gettext_lazy("exempted (容错免责)"),
    "exempted (容错免责)": gettext_lazy("exempted (容错免责)"),
    "counted once, at its highest level": gettext_lazy("counted once, at its highest level"),
    "veto: fixed deduction": gettext_lazy("veto: fixed deduction"),
    "veto: failed": gettext_lazy("veto: graded as failed"),
    "veto: grade capped": gettext_lazy("veto: grade capped"),
}


def adjustment_note(note: str) -> str:
    """The engine's note on how an adjustment counted, in the user's language."""
    words = []
    for part in filter(None, (p.strip() for p in note.split(","))):
        if part.startswith("repeat ×"):
            words.append(_("repeat ×%(factor)s") % {"factor": part.removeprefix("repeat ×")})
        else:
            words.append(str(_NOTES.get(part, part)))
    return "，".join(words)
