"""User text is escaped everywhere it is shown: a <script> typed into every kind of text
field never reaches a page as markup; and every page carries the security headers."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.directives.actions import do_create_source
from luoshi.evaluation.adjustments import do_record_adjustment
from luoshi.orgs.actions import do_create_unit
from luoshi.projects.actions import do_create_project, do_raise_obstacle
from luoshi.supervision.actions import do_create_task

pytestmark = pytest.mark.django_db
EVIL = '<script>alert("x")</script>'


def test_script_in_every_text_field_is_shown_as_text(people, tree, classes, login):
    unit = do_create_unit(
        code="EVIL", name=f"镇{EVIL}", unit_class=classes["township"], parent=tree.root, actor=None
    )
    source = do_create_source(
        kind="meeting", title=f"会议{EVIL}", date=date(2026, 9, 1), owner_unit=tree.root,
        text=f"讲话{EVIL}", actor=people.office,
    )  # fmt: skip
    task = do_create_task(
        source=source, title=f"任务{EVIL}", requirement=f"要求{EVIL}", lead_unit=unit,
        deadline=date(2026, 12, 31), actor=people.office,
    )  # fmt: skip
    do_record_adjustment(
        unit=unit, kind="deduction", points="1", category=f"类{EVIL}", happened_on=date(2026, 8, 1),
        reason=f"理由{EVIL}", actor=people.office,
    )  # fmt: skip
    project = do_create_project(
        name=f"项目{EVIL}", kind="industry", level="district", total_investment="10", year_plan="1",
        lead_unit=unit, location=EVIL, actor=people.office,
    )  # fmt: skip
    do_raise_obstacle(
        project,
        category="land",
        description=f"问题{EVIL}",
        addressed_to=unit,
        raised_by=unit,
        actor=people.office,
    )
    client = login(people.office)
    pages = [
        reverse("orgs:detail", args=[unit.pk]),
        reverse("supervision:tasks"),
        reverse("supervision:task", args=[task.pk]),
        reverse("directives:source", args=[source.pk]),
        reverse("evaluation:adjustments"),
        reverse("projects:board"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:obstacles"),
    ]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert EVIL not in html, url
        assert "&lt;script&gt;" in html, url
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert (
            response["X-Frame-Options"] == "DENY"
            and response["X-Content-Type-Options"] == "nosniff"
        )
    # Chart data carries names inside JSON attributes: still text, never markup.
    assert EVIL not in client.get(reverse("publishing:dashboard")).content.decode()


def test_production_settings_pass_the_deploy_check(monkeypatch):
    """`manage.py check --deploy` is clean with the documented production variables."""
    import subprocess
    import sys

    env = {
        "SECURE_COOKIES": "1",
        "ALLOWED_HOSTS": "luoshi.example.gov.cn",
        "SECRET_KEY": "x" * 20 + "production-secret-key-with-enough-entropy-1234567890",
        "PATH": "/usr/bin:/bin",
        "LUOSHI_VAR_DIR": "/tmp/luoshi-deploy-check",
    }
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env, cwd=__import__("pathlib").Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
