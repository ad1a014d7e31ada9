"""The speech import in Chromium on a phone: upload, check, accept two items as tasks."""

from datetime import date

import pytest

from luoshi.conftest import PASSWORD
from luoshi.directives.actions import do_create_source
from luoshi.directives.models import Source
from luoshi.supervision.models import Task
from luoshi.tests.browser import PHONE, browser_page, screenshot

from .test_speech_review import SPEECH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_turns_a_speech_into_tasks_on_a_phone(live_server, people, tree, tmp_path):
    source = do_create_source(
        kind=Source.Kind.MEETING,
        title="全区项目建设推进会",
        date=date(2025, 3, 2),
        owner_unit=tree.root,
        actor=people.office,
    )
    file = tmp_path / "讲话.txt"
    file.write_bytes(SPEECH)
    with browser_page(PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/sources/{source.pk}/")
        page.set_input_files("#speech-file", str(file))
        page.get_by_role("button", name="导入", exact=True).click()
        screenshot(page, "phone-speech-after-upload")
        page.get_by_text("建议的工作任务").wait_for()
        assert page.get_by_text("待填").first.is_visible()
        rows = page.locator("input[name=pick]")
        for k in range(2):
            row = rows.nth(k).locator("xpath=ancestor::tr")
            row.locator("select[name^=unit-]").select_option(label="甲镇")
            row.locator("input[type=date]").fill("2027-06-30")
            rows.nth(k).check()
        page.get_by_role("button", name="所选转为任务").click()
        page.get_by_text("已在此来源下立项 2 项任务").wait_for()
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        screenshot(page, "phone-speech-accepted")
    assert Task.objects.filter(source=source, lead_unit=tree.town_a).count() == 2


def test_folded_proposals_open_on_a_phone(live_server, people, tree, tmp_path):
    from .test_speech_review import UNTITLED

    source = do_create_source(
        kind=Source.Kind.MEETING,
        title="全区秋粮收购工作会议",
        date=date(2025, 9, 20),
        owner_unit=tree.root,
        actor=people.office,
    )
    file = tmp_path / "秋粮.txt"
    file.write_bytes(UNTITLED)
    with browser_page(PHONE) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/sources/{source.pk}/")
        page.set_input_files("#speech-file", str(file))
        page.get_by_role("button", name="导入", exact=True).click()
        page.get_by_text("原文没有标题").wait_for()
        assert page.get_by_text("可信度 ").first.is_visible()
        unsure = page.get_by_text("要加强收购资金保障，提升服务水平。").last
        assert not unsure.is_visible()  # folded away
        page.locator("details.folded > summary").click()
        unsure.wait_for()
        assert unsure.is_visible()
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        screenshot(page, "phone-speech-folded-open")
