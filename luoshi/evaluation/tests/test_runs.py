import math

import numpy as np
import pytest

from luoshi.evaluation.actions import do_create_run, do_publish_run, do_supersede_run
from luoshi.evaluation.models import Run, RunItem, SchemeNode, SchemeVersion
from luoshi.evaluation.service import compute, inputs_hash
from luoshi.indicators.actions import do_create_indicator, do_record_values
from luoshi.lib.errors import ActionError, NotAllowed
from luoshi.lib.throttle import RATE_LIMIT_QUERIES
from luoshi.orgs.actions import do_create_unit

from .conftest import BANDS

pytestmark = pytest.mark.django_db


def test_a_run_scores_ranks_grades_and_traces_every_item(people, scheme):
    run = do_create_run(scheme, "2026-Q3", actor=people.office)
    results = {r.unit.code: r for r in run.results.select_related("unit")}
    # By hand: revenue min-max 100,75,50,25,0 (×70); accidents (lower better) 0,100,50,75,missing (×30).
    # A: 0.7·100 + 0.3·0 = 70;  B: 52.5 + 30 = 82.5;  T0: 35 + 15 = 50;  T1: 17.5 + 22.5 = 40;
    # T2: accidents missing → revenue alone, renormalised: 0.
    expected = {"A": 70.0, "B": 82.5, "T0": 50.0, "T1": 40.0, "T2": 0.0}
    for code, total in expected.items():
        assert math.isclose(results[code].total, total, abs_tol=1e-9), code
    assert [results[c].rank_class for c in ("B", "A", "T0", "T1", "T2")] == [1, 2, 3, 4, 5]
    assert results["B"].grade == "良好" and results["A"].grade == "一般"
    item = RunItem.objects.get(run=run, unit=results["A"].unit, node__code="rev")
    assert (item.value, item.score, item.points) == (100.0, 100.0, 70.0)
    assert all(r.rank_low <= r.median_rank <= r.rank_high for r in results.values())
    scheme.refresh_from_db()
    assert scheme.frozen_at is not None


def test_rerunning_the_stored_inputs_reproduces_every_number(people, scheme):
    run = do_create_run(scheme, "2026-Q3", actor=people.office)
    assert inputs_hash(run.inputs) == run.inputs_hash
    again = compute(run.inputs)
    stored = [r.total for r in run.results.order_by("unit__path")]
    order = [u["id"] for u in run.inputs["units"]]
    by_id = {r.unit_id: r.total for r in run.results.all()}
    assert [by_id[i] for i in order] == list(again["totals"]) and len(stored) == 5
    np.testing.assert_array_equal(
        again["interval"].median,
        [r.median_rank for r in sorted(run.results.all(), key=lambda r: order.index(r.unit_id))],
    )


def test_published_results_are_superseded_never_edited(people, scheme):
    first = do_publish_run(
        do_create_run(scheme, "2026-Q3", actor=people.office), actor=people.office
    )
    second = do_create_run(scheme, "2026-Q3", actor=people.office)
    with pytest.raises(ActionError, match="supersede|取代|更正"):
        do_publish_run(second, actor=people.office)
    with pytest.raises(ActionError):
        do_supersede_run(first, reason=" ", actor=people.office)
    correction = do_supersede_run(first, reason="区统计局更正了丙1镇的数据", actor=people.office)
    first.refresh_from_db()
    assert first.state == Run.State.SUPERSEDED and correction.supersedes == first
    assert Run.objects.filter(state=Run.State.PUBLISHED).get() == correction


@pytest.mark.parametrize(
    "break_it, message",
    [
        (
            lambda v: v.nodes.filter(code="safe").update(points=20),
            "合计为 90.00 分，不等于总分 100.00 分",
        ),
        (
            lambda v: SchemeVersion.objects.filter(pk=v.pk).update(
                bands=BANDS + [{"grade": "x", "text": "85分以上"}]
            ),
            "良好（75分以上不满90分）与x（85分以上）重叠",
        ),
        (lambda v: v.nodes.filter(code="safe").update(indicator=None), "「安全生产」没有数据来源"),
    ],
)
def test_a_broken_scheme_is_refused_naming_the_problem(people, scheme, break_it, message):
    break_it(scheme)
    with pytest.raises(ActionError) as e:
        do_create_run(SchemeVersion.objects.get(pk=scheme.pk), "2026-Q3", actor=people.office)
    assert message in e.value.message
    assert not Run.objects.exists()


def test_only_the_office_runs_evaluations(people, scheme):
    for outsider in (people.liaison_a, people.deputy, people.provider):
        with pytest.raises(NotAllowed):
            do_create_run(scheme, "2026-Q3", actor=outsider)


def test_luoshi_evaluate_prints_the_league_table(people, scheme, capsys):
    from django.core.management import call_command

    call_command("evaluate", scheme="q-town", period="2026-Q3", publish=True)
    out = capsys.readouterr().out
    assert "镇街季度考核" in out and "乙街道" in out and "82.5" in out


def test_task_item_scores_supervision_facts(people, tree, classes, login):
    """督考合一: a unit with a late, chased task scores below one with an on-time task."""
    from datetime import date

    from luoshi.directives.actions import do_create_source
    from luoshi.evaluation.service import _task_scores
    from luoshi.lib.periods import Period
    from luoshi.supervision.actions import (
        do_accept_task,
        do_assign_task,
        do_chase_task,
        do_complete_task,
        do_create_task,
        do_request_completion,
    )

    source = do_create_source(
        kind="meeting",
        title="会议",
        date=date(2026, 7, 1),
        owner_unit=tree.root,
        actor=people.office,
    )
    on_time = do_create_task(
        source=source,
        title="按时",
        lead_unit=tree.town_b,
        start_date=date(2026, 7, 1),
        deadline=date(2026, 12, 31),
        actor=people.office,
    )
    late = do_create_task(
        source=source,
        title="逾期",
        lead_unit=tree.town_a,
        start_date=date(2026, 7, 1),
        deadline=date(2026, 8, 31),
        actor=people.office,
    )
    on_time, late = (
        do_accept_task(do_assign_task(t, actor=people.office), actor=None) for t in (on_time, late)
    )
    do_chase_task(late, actor=people.office)
    do_request_completion(on_time, actor=None)
    do_complete_task(on_time, actor=people.office)
    # Both deadlines fall in or before 2026-Q4; 乙街道 finished on time, 甲镇 is late and was chased.
    (a, b), detail = _task_scores([tree.town_a, tree.town_b], Period.parse("2026-Q4"))
    assert b == 100.0 and a < 100.0
    (facts,) = detail[str(tree.town_a.pk)]
    assert facts[0] == late.pk and facts[3] == 1  # the task, chased once
    # The unit's page lists the task that counted, with its facts, linked to its timeline.
    from django.urls import reverse

    from luoshi.evaluation.models import Scheme

    s = Scheme.objects.create(code="tasks", name="督考合一", period_kind="quarter", owner=tree.root)
    s.classes.set([tree.town_a.unit_class, tree.town_b.unit_class])
    version = SchemeVersion.objects.create(scheme=s, number=1, bands=BANDS)
    SchemeNode.objects.create(version=version, code="t", name="督办", kind="task", points=100)
    run = do_create_run(version, "2026-Q4", actor=people.office)
    page = (
        login(people.office)
        .get(reverse("publishing:scorecard", args=[run.pk, tree.town_a.pk]))
        .content.decode()
    )
    assert reverse("supervision:task", args=[late.pk]) in page and "逾期" in page


def test_pages_trace_a_result_and_hide_what_a_role_may_not_see(people, scheme, login, tree):
    from django.urls import reverse

    office = login(people.office)
    response = office.post(
        reverse("evaluation:runs"), {"scheme": scheme.scheme.pk, "period": "2026-Q3"}
    )
    run = Run.objects.get()
    assert response.url == reverse("evaluation:run", args=[run.pk])
    assert "乙街道" in office.get(reverse("evaluation:run", args=[run.pk])).content.decode()
    # A draft is the office's alone.
    assert login(people.liaison_a).get(reverse("evaluation:run", args=[run.pk])).status_code == 404
    office = login(people.office)  # one test client: log the office back in
    office.post(reverse("evaluation:publish", args=[run.pk]))
    liaison = login(people.liaison_a)
    page = liaison.get(reverse("evaluation:run", args=[run.pk])).content.decode()
    assert "甲镇" in page and "乙街道" not in page  # only the units the liaison may see
    detail = liaison.get(
        reverse("publishing:scorecard", args=[run.pk, tree.town_a.pk])
    ).content.decode()
    assert reverse("indicators:grid", args=["revenue", "2026-Q3"]) in detail and "70.00" in detail
    assert (
        liaison.get(reverse("publishing:scorecard", args=[run.pk, tree.town_b.pk])).status_code
        == 404
    )
    office = login(people.office)
    bad = office.post(
        reverse("evaluation:runs"), {"scheme": scheme.scheme.pk, "period": "2026-07"}
    ).content.decode()
    assert "不是这样的期间" in bad


@pytest.mark.parametrize("extra", [0, 5])
def test_run_pages_query_counts(
    people, scheme, classes, tree, login, django_assert_num_queries, extra
):
    from django.urls import reverse

    for i in range(extra):
        do_create_unit(
            code=f"X{i}",
            name=f"戊{i}镇",
            unit_class=classes["township"],
            parent=tree.root,
            actor=None,
        )
    run = do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=people.office)
    client = login(people.office)
    with django_assert_num_queries(11):
        assert client.get(reverse("evaluation:run", args=[run.pk])).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("evaluation:runs")).status_code == 200
    with django_assert_num_queries(15):
        assert (
            client.get(reverse("publishing:scorecard", args=[run.pk, tree.town_a.pk])).status_code
            == 200
        )


def test_results_api_follows_the_pages_rules(people, scheme, tree, login):
    run = do_publish_run(do_create_run(scheme, "2026-Q3", actor=people.office), actor=people.office)
    client = login(people.liaison_a)
    assert [r["id"] for r in client.get("/api/v1/runs").json()] == [run.pk]
    results = client.get(f"/api/v1/runs/{run.pk}/results").json()
    assert [r["unit_id"] for r in results] == [tree.town_a.pk] and results[0][
        "total"
    ] == pytest.approx(70.0)
    items = client.get(f"/api/v1/runs/{run.pk}/units/{tree.town_a.pk}/items").json()
    assert {i["node_code"] for i in items} == {"rev", "safe"}
    assert client.get(f"/api/v1/runs/{run.pk}/units/{tree.town_b.pk}/items").status_code == 404


def test_office_builds_a_scheme_in_the_editor(people, classes, tree, login):
    from django.urls import reverse

    revenue = do_create_indicator(
        code="rev2",
        name="税收",
        frequency="year",
        classes=[classes["township"]],
        provider=tree.finance,
        actor=people.office,
    )
    client = login(people.office)
    response = client.post(
        reverse("evaluation:schemes"),
        {
            "code": "year-town",
            "name": "镇街年度考核",
            "period_kind": "year",
            "classes": [classes["township"].pk],
            "total_points": "100",
        },
    )
    assert response.url == reverse("evaluation:scheme", args=["year-town"])
    url = response.url
    page = client.get(url).content.decode()
    assert "本版本尚不能用于考评" in page and "没有考核项目" in page
    client.post(
        url,
        {
            "form": "node",
            "code": "eco",
            "name": "经济",
            "kind": "area",
            "points": "100",
            "rule": "minmax",
            "missing": "none",
        },
    )
    area = SchemeNode.objects.get(code="eco")
    client.post(
        url,
        {
            "form": "node",
            "parent": area.pk,
            "code": "tax",
            "name": "税收",
            "kind": "quantitative",
            "points": "100",
            "indicator": revenue.pk,
            "rule": "minmax",
            "missing": "none",
        },
    )
    overlap = client.post(
        url,
        {"form": "bands", "bands": "优秀 90分以上\n良好 85分以上不满95分\n其他 不满85分"},
        follow=True,
    ).content.decode()
    assert "等次划分有误" in overlap
    client.post(url, {"form": "bands", "bands": "优秀 90分以上\n其他 不满90分"})
    assert "可以使用" in client.get(url).content.decode()
    version = SchemeVersion.objects.get(scheme__code="year-town")
    do_record_values(
        revenue,
        "2026",
        [(tree.town_a, "5"), (tree.town_b, "7")],
        source="form",
        actor=people.office,
    )
    do_create_run(version, "2026", actor=people.office)
    frozen = client.post(
        url,
        {
            "form": "node",
            "code": "x",
            "name": "x",
            "kind": "area",
            "points": "1",
            "rule": "minmax",
            "missing": "none",
        },
        follow=True,
    ).content.decode()
    assert "已冻结" in frozen
    client.post(reverse("evaluation:new_version", args=["year-town"]))
    assert SchemeVersion.objects.filter(scheme__code="year-town").count() == 2
    assert SchemeVersion.objects.get(scheme__code="year-town", number=2).nodes.count() == 2
    assert login(people.liaison_a).get(url).status_code == 403


def test_missed_weekly_reports_cost_points(people, tree):
    """Two identical tasks in 2026-Q3; only 甲镇 reported every week, so only 乙街道 loses points."""
    from datetime import date, datetime, timedelta

    from django.utils import timezone

    from luoshi.directives.actions import do_create_source
    from luoshi.evaluation.service import _task_scores
    from luoshi.lib.periods import Period
    from luoshi.supervision.actions import (
        do_accept_task,
        do_assign_task,
        do_create_task,
        do_submit_report,
    )
    from luoshi.supervision.models import Task

    source = do_create_source(
        kind="meeting",
        title="会议",
        date=date(2026, 7, 1),
        owner_unit=tree.root,
        actor=people.office,
    )
    tasks = []
    for unit in (tree.town_a, tree.town_b):
        task = do_create_task(
            source=source,
            title="周报考核",
            lead_unit=unit,
            start_date=date(2026, 7, 1),
            deadline=date(2026, 9, 30),
            actor=people.office,
        )
        task = do_accept_task(do_assign_task(task, actor=people.office), actor=None)
        Task.objects.filter(pk=task.pk).update(
            assigned_at=timezone.make_aware(datetime(2026, 8, 20, 9))
        )
        tasks.append(task)
    week = date(2026, 8, 24)  # the first week that began after assignment
    while week <= date(2026, 9, 28):
        do_submit_report(
            tasks[0], unit=tree.town_a, week=week, text="进展", percent=50, actor=people.liaison_a
        )
        week += timedelta(days=7)
    (a, b), _detail = _task_scores([tree.town_a, tree.town_b], Period.parse("2026-Q3"))
    # Six weeks owed (08-24 … 09-28); 09-28's report falls due 10-08, after the quarter: five missed, 1 point each.
    assert a == 100.0 and b == 95.0


def test_schemes_api_shows_a_unit_the_scheme_that_ranks_it(
    people, scheme, tree, classes, login, django_assert_num_queries
):
    from luoshi.evaluation.models import Scheme

    elsewhere = do_create_unit(
        code="Y", name="邻区", unit_class=classes["district"], parent=None, actor=None
    )
    Scheme.objects.create(code="other", name="邻区方案", period_kind="quarter", owner=elsewhere)
    client = login(people.liaison_a)
    listed = client.get("/api/v1/schemes").json()
    assert [s["code"] for s in listed] == ["q-town"] and listed[0]["latest_version"] == 1
    with django_assert_num_queries(7 + RATE_LIMIT_QUERIES):  # none per version or node
        detail = client.get("/api/v1/schemes/q-town").json()
    nodes = {n["code"]: n for n in detail["versions"][0]["nodes"]}
    assert nodes["rev"]["parent"] == "eco" and nodes["rev"]["indicator"] == "revenue"
    assert detail["versions"][0]["bands"][0]["grade"] == "优秀"
    assert client.get("/api/v1/schemes/other").status_code == 404
    assert login(people.nobody).get("/api/v1/schemes/q-town").status_code == 404
