"""Item rules that are not a normalisation of one value: appraisal (评议) and task-derived points (督考合一)."""

from dataclasses import dataclass

import numpy as np


def trimmed_mean(scores) -> float:
    """Mean after dropping one highest and one lowest (needs at least 3 scores)."""
    s = np.sort(np.asarray([v for v in scores if v == v], dtype=np.float64))
    if s.size < 3:
        return float(s.mean()) if s.size else float("nan")
    return float(s[1:-1].mean())


def appraisal(scores_by_group: dict[str, list[float]], group_weights: dict[str, float]) -> float:
    """评议: trimmed mean within each reviewer group, then the declared group weights
    (e.g. leaders 60 %, others 40 %), renormalised over the groups that scored."""
    total = weight = 0.0
    for group, scores in scores_by_group.items():
        mean = trimmed_mean(scores)
        if mean == mean and group_weights.get(group, 0) > 0:
            total += group_weights[group] * mean
            weight += group_weights[group]
    return total / weight if weight else float("nan")


@dataclass(frozen=True)
class TaskRule:
    """Points for supervision facts, per task: start from ``full`` and lose per event."""

    full: float = 100.0
    late_finish: float = 10.0  # finished after the deadline (逾期办结)
    per_day_overdue: float = 0.5  # per working day past the deadline, still open or finished late
    per_chase: float = 2.0  # each 催办
    per_notice: float = 10.0  # each 督办单
    per_missed_report: float = 1.0
    per_send_back: float = 2.0  # each 退回 at review
    floor: float = 0.0


def task_points(facts: np.ndarray, rule: TaskRule) -> np.ndarray:
    """Score each task 0–full from a facts array with columns:
    [finished_late (0/1), days_overdue, chases, notices, missed_reports, send_backs]."""
    f = np.asarray(facts, dtype=np.float64)
    lost = (
        f[:, 0] * rule.late_finish
        + f[:, 1] * rule.per_day_overdue
        + f[:, 2] * rule.per_chase
        + f[:, 3] * rule.per_notice
        + f[:, 4] * rule.per_missed_report
        + f[:, 5] * rule.per_send_back
    )
    return np.maximum(rule.full - lost, rule.floor)


def unit_task_score(task_scores, task_units, n_units: int) -> np.ndarray:
    """A unit's task item: the mean of its tasks' points (NaN for a unit with no task)."""
    sums = np.bincount(task_units, weights=task_scores, minlength=n_units)
    counts = np.bincount(task_units, minlength=n_units)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
