from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count

from luoshi.accounts.models import Membership, Role, User
from luoshi.audit.chain import verify_chain
from luoshi.orgs.models import Unit
from luoshi.supervision.models import Extension, ProgressReport, Task

pytestmark = pytest.mark.django_db


def census():
    units = dict(Unit.objects.values_list("unit_class__code").annotate(n=Count("pk")))
    return units, User.objects.count(), Membership.objects.count(), Task.objects.count()


def test_demo_builds_the_district_and_a_second_run_changes_nothing(capsys, client):
    call_command("demo", no_serve=True)
    first = census()
    units, _users, _memberships, tasks = first
    assert tasks > 100
    assert units == {
        "district": 1,
        "township": 18,
        "park": 1,
        "department": 60,
        "village": 272,
        "community": 48,
    }
    assert all(u.is_demo for u in Unit.objects.all())
    # Every unit below the district has a head and a liaison.
    for role in (Role.UNIT_HEAD, Role.LIAISON):
        staffed = Membership.objects.filter(role=role).values("unit").distinct().count()
        assert staffed == Unit.objects.exclude(depth=1).count()
    output = capsys.readouterr().out
    assert "luoshi-demo-2026" in output and "office" in output and "t01v01.liaison" in output

    call_command("demo", no_serve=True)
    assert census() == first
    assert verify_chain()[1] is None

    # The printed log-ins work and show their role's view.
    deputy = User.objects.get(username="fqz2")
    assert 0 < Unit.objects.visible_to(deputy).count() < Unit.objects.count()
    assert Unit.objects.visible_to(User.objects.get(username="t01v01.liaison")).count() == 1

    # A year of supervision work, in every state and light, built once.
    states = set(Task.objects.values_list("state", flat=True))
    assert {"assigned", "in_progress", "done"} <= states
    lights = dict(Task.objects.values_list("light").annotate(n=Count("pk")))
    assert lights.get("red", 0) > 0 and lights.get("yellow", 0) > 0 and lights.get("green", 0) > 0
    assert Task.objects.filter(completed_late=True).exists() and Extension.objects.exists()
    assert ProgressReport.objects.filter(state=ProgressReport.State.RETURNED).exists()

    # The indicator library: 100 indicators, two years of values, past rounds locked.
    from luoshi.indicators.models import CollectionRound, Indicator, IndicatorValue

    assert Indicator.objects.count() == 106  # 100 collected, 5 from the pipeline, 1 from ratings
    assert set(Indicator.objects.values_list("frequency", flat=True)) == {
        "month",
        "quarter",
        "year",
    }
    assert IndicatorValue.objects.filter(indicator__code="gdp", period="2026-Q3").count() == 19
    assert (
        IndicatorValue.objects.filter(indicator__code="dq-budget", period="2025-Q1").count() == 60
    )
    assert CollectionRound.objects.get(indicator__code="gdp", period="2026-Q2").locked
    assert not CollectionRound.objects.get(indicator__code="gdp", period="2026-Q3").locked

    # Monthly, quarterly and annual schemes with a published history to rank against.
    from luoshi.evaluation.models import Adjustment, Run, RunResult

    published = Run.objects.filter(state=Run.State.PUBLISHED)
    assert set(published.values_list("version__scheme__period_kind", flat=True)) == {
        "month",
        "quarter",
        "year",
    }
    assert published.filter(version__scheme__code="town-monthly").count() == 21
    assert RunResult.objects.filter(run__period="2026-Q2", rank_change__isnull=False).exists()
    annual = published.get(version__scheme__code="town-annual", period="2025")
    assert annual.results.exclude(bonus=0).exists() and annual.results.exclude(veto="").exists()
    assert Adjustment.objects.filter(exemption__isnull=False).exists()

    # The office evaluates this quarter and publishes it; a township's result traces to the
    # indicator values, the months it sums up, and the tasks that counted.
    call_command("evaluate", scheme="town-quarterly", period="2026-Q3", publish=True)
    q3 = published.get(version__scheme__code="town-quarterly", period="2026-Q3")
    assert q3.results.filter(total__isnull=False).count() == 18
    client.post("/login/", {"username": "office", "password": "luoshi-demo-2026"})
    (tasks_item,) = [i for i in q3.inputs["items"] if i["kind"] == "task"]
    unit_pk, counted = next(iter(tasks_item["tasks"].items()))
    page = client.get(f"/results/runs/{q3.pk}/units/{unit_pk}/").content.decode()
    july = published.get(version__scheme__code="town-monthly", period="2026-07")
    assert "/indicators/gdp/2026-Q3/" in page
    assert f"/results/runs/{july.pk}/units/{unit_pk}/" in page
    assert f"/supervision/tasks/{counted[0][0]}/" in page

    # … and makes the quarterly bulletin, downloading it as Word and PDF.
    import io as _io

    from docx import Document

    from luoshi.publishing.jobs import build_document
    from luoshi.publishing.models import GeneratedDocument

    client.post(f"/results/runs/{q3.pk}/documents/")
    document = GeneratedDocument.objects.get(run=q3)
    build_document(document.pk)  # what `luoshi worker` runs
    docx = client.get(f"/results/documents/{document.pk}/docx/")
    pdf = client.get(f"/results/documents/{document.pk}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    word = Document(_io.BytesIO(b"".join(docx.streaming_content)))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    from luoshi.lib.rounding import half_up

    first = q3.results.filter(rank_class=1).first()
    assert first.unit.name in cells and f"{half_up(first.total, 2):.2f}" in cells
    client.post("/logout/")

    # The project pipeline: fifty key projects in every stage, leads, obstacles open and solved.
    from luoshi.projects.models import Lead, Obstacle, Project

    assert (
        Project.objects.count() >= 50 and Lead.objects.count() == 100
    )  # landed leads add projects
    assert set(Project.objects.values_list("stage", flat=True)) >= {"prep", "started", "building"}
    assert (
        Project.objects.filter(light="red").exists()
        and Project.objects.filter(light="green").exists()
    )
    assert set(Obstacle.objects.values_list("state", flat=True)) >= {"open", "solved"} or set(
        Obstacle.objects.values_list("state", flat=True)
    ) >= {"escalated", "solved"}

    # Incentives: each mechanism has its data to work on.
    from luoshi.incentives.models import ExemptionApplication, Highlight, Rating, RatingFix

    assert Highlight.objects.filter(state="accepted").count() == 6
    assert set(ExemptionApplication.objects.values_list("state", flat=True)) == {
        "pending",
        "refused",
    }
    assert Rating.objects.count() == 52 and RatingFix.objects.exists()
    assert Rating.objects.filter(state="held").count() == 1  # the burst's last one waits
    assert Indicator.objects.filter(code="c-satisfaction").exists()
    call_command("evaluate", scheme="town-highlights", period=str(date.today().year))

    # Every page says the data is generated.
    client.post("/login/", {"username": "t01.liaison", "password": "luoshi-demo-2026"})
    page = client.get("/").content.decode()
    assert "演示数据" in page and "青山镇" in page
    assert client.get("/supervision/my/").status_code == 200
