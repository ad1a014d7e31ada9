"""The weekly loop in a real browser: a liaison reports with a file, the office sends it
back with a reason, the liaison fixes and resubmits, and the task's history shows it all."""

import pytest

from luoshi.conftest import PASSWORD
from luoshi.supervision.models import ProgressReport
from luoshi.tests.browser import PHONE, browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_submit_send_back_fix_resubmit(live_server, people, make_task, tmp_path):
    task = make_task(title="推进甲镇污水管网改造")
    evidence = tmp_path / "现场照片说明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    with browser_page(PHONE) as page:
        # The liaison finds the task under "my work" and reports, with a file.
        log_in(page, live_server, "liaison_a")
        page.goto(f"{live_server.url}/supervision/my/")
        card = page.locator(f"#task-{task.pk}")
        card.locator("textarea[name=text]").fill("完成管网铺设1.2公里")
        card.locator("input[name=percent]").fill("35")
        card.locator("input[name=files]").set_input_files(str(evidence))
        card.locator("button[type=submit]").click()
        page.get_by_text("进度已报送").wait_for()
        screenshot(page, "phone-liaison-submitted")

        # The unit head approves it; the office sends it back with a reason.
        log_in(page, live_server, "head_a")
        page.goto(f"{live_server.url}/supervision/my/")
        page.get_by_role("button", name="同意").click()
        page.get_by_text("已同意，报送督查室").wait_for()
        log_in(page, live_server, "office")
        page.goto(f"{live_server.url}/supervision/review/")
        page.get_by_text("退回").first.click()  # opens the reason form
        page.locator("textarea[name=reason]").first.fill("请补充现场照片")
        page.locator("button.danger").first.click()
        page.get_by_text("已退回").wait_for()

        # The liaison sees why, fixes and resubmits.
        log_in(page, live_server, "liaison_a")
        page.goto(f"{live_server.url}/supervision/my/")
        card = page.locator(f"#task-{task.pk}")
        card.get_by_text("请补充现场照片").wait_for()
        card.locator("textarea[name=text]").fill("完成管网铺设1.2公里，附现场照片")
        card.locator("button[type=submit]").click()
        page.get_by_text("进度已报送").wait_for()

        # The task's history shows every step.
        page.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
        timeline = page.locator(".timeline").inner_text()
        for step in ["报送进度", "单位负责人审核通过", "进度被退回", "请补充现场照片"]:
            assert step in timeline
        assert timeline.count("报送进度") == 2
        assert "现场照片说明.pdf" in page.content()
        screenshot(page, "phone-task-history")
    report = ProgressReport.objects.get(task=task)
    assert report.revision == 2 and report.state == ProgressReport.State.SUBMITTED
    assert report.files.count() == 1
