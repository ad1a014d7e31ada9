"""述亮点: declare → accept → reviewers score → the appraisal item scores the unit in a run."""

import math

import pytest
from django.urls import reverse

from luoshi.accounts.models import Role
from luoshi.conftest import make_person
from luoshi.evaluation.actions import do_create_run
from luoshi.evaluation.models import Scheme, SchemeNode, SchemeVersion
from luoshi.incentives.highlights import (
    do_declare_highlight,
    do_review_highlight,
    do_score_highlight,
)
from luoshi.lib.errors import ActionError, NotAllowed

pytestmark = pytest.mark.django_db
BANDS = [{"grade": "好", "text": "60分以上"}, {"grade": "差", "text": "不满60分"}]


def test_highlights_are_declared_reviewed_scored_and_counted(people, tree, classes, login):
    client = login(people.liaison_a)
    client.post(
        reverse("incentives:highlights") + "?year=2026",
        {"do": "declare", "unit": tree.town_a.pk, "title": "全域土地综合整治试点", "target": "全省前列",
         "milestones": "2026-03 完成规划编制\n2026-09 完成一期整治"},
    )  # fmt: skip
    from luoshi.incentives.models import Highlight

    h = Highlight.objects.get()
    assert h.milestones[1] == {"month": "2026-09", "what": "完成一期整治"}
    with pytest.raises(ActionError):  # not accepted yet
        do_score_highlight(h, score=90, actor=people.reviewer)
    with pytest.raises(NotAllowed):
        do_review_highlight(h, accept=True, actor=people.liaison_a)
    do_review_highlight(h, accept=True, actor=people.office)
    h.refresh_from_db()
    # Leaders 90, 80, 70 → trimmed mean 80; others 60, 100, 50, 70 → 65. 0.6·80 + 0.4·65 = 74.
    leaders = [people.secretary, people.deputy, make_person("leader3", tree.root, Role.LEADER)]
    others = [people.reviewer] + [make_person(f"r{k}", tree.root, Role.REVIEWER) for k in range(3)]
    for who, score in zip(leaders, (90, 80, 70), strict=True):
        do_score_highlight(h, score=score, actor=who)
    for who, score in zip(others, (60, 100, 50, 70), strict=True):
        do_score_highlight(h, score=score, actor=who)
    with pytest.raises(ActionError):
        do_score_highlight(h, score=120, actor=people.reviewer)
    with pytest.raises(NotAllowed):
        do_score_highlight(h, score=100, actor=people.liaison_a)

    s = Scheme.objects.create(code="annual", name="年度述亮点", period_kind="year", owner=tree.root)
    s.classes.set([classes["township"]])
    version = SchemeVersion.objects.create(scheme=s, number=1, bands=BANDS)
    SchemeNode.objects.create(
        version=version, code="hl", name="述亮点", kind="appraisal", points=100
    )
    run = do_create_run(version, "2026", actor=people.office)
    a = run.results.get(unit=tree.town_a)
    assert math.isclose(a.total, 74.0)
    assert run.results.get(unit=tree.town_b).total is None  # nothing declared: not scored


def test_at_most_two_highlights_and_milestones_must_be_dated(people, tree):
    for k in range(2):
        do_declare_highlight(
            unit=tree.town_a,
            year=2026,
            title=f"亮点{k}",
            target="全市第一",
            milestones="",
            actor=people.liaison_a,
        )
    with pytest.raises(ActionError):
        do_declare_highlight(
            unit=tree.town_a,
            year=2026,
            title="第三项",
            target="全市第一",
            milestones="",
            actor=people.liaison_a,
        )
    with pytest.raises(ActionError) as e:
        do_declare_highlight(
            unit=tree.town_b,
            year=2026,
            title="x",
            target="y",
            milestones="三月 完成",
            actor=people.liaison_b,
        )
    assert e.value.field == "milestones"
    with pytest.raises(NotAllowed):
        do_declare_highlight(
            unit=tree.town_b,
            year=2026,
            title="x",
            target="y",
            milestones="",
            actor=people.liaison_a,
        )
