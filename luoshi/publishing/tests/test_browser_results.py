"""League table and scorecard in Debian's Chromium, on a desktop and on a phone."""

import pytest

from luoshi.conftest import PASSWORD
from luoshi.tests.browser import DESKTOP, PHONE, browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_league_table_to_scorecard(live_server, people, published, tree, viewport):
    with browser_page(viewport) as page:
        log_in(page, live_server, "office")
        page.goto(f"{live_server.url}/results/runs/{published.pk}/")
        page.get_by_role("link", name="乙街道").first.wait_for()
        page.locator("[data-chart] svg").first.wait_for()  # ECharts drew the bars
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, "the page scrolls sideways"
        # Filter to the units above the class mean.
        page.select_option("select[name=side]", "above")
        page.get_by_role("button", name="筛选").click()
        page.wait_for_url("**side=above**")
        assert page.get_by_role("link", name="丙1镇").count() == 0
        screenshot(page, f"league-{viewport['width']}")
        # Drill down to a unit's scorecard: items, rank in class, the trend chart.
        page.get_by_role("link", name="甲镇").first.click()
        page.get_by_text("逐项得分").wait_for()
        page.locator("[data-chart] svg").first.wait_for()
        assert page.get_by_text("与前一名的差距").is_visible()
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        screenshot(page, f"scorecard-{viewport['width']}")


def test_dashboard_charts_and_their_tables_on_a_phone(live_server, people, tree, make_task):
    from datetime import date

    make_task(title="甲镇任务", deadline=date(2026, 1, 5), start=date(2025, 12, 1))
    with browser_page(PHONE) as page:
        log_in(page, live_server, "office")
        page.goto(f"{live_server.url}/results/dashboard/")
        page.locator("[data-chart] svg").first.wait_for()
        assert page.locator("[data-chart] svg").count() >= 3
        assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        # The table behind a chart is one click away, and links to the tasks it counts.
        page.get_by_text("查看数据表").nth(2).click()
        page.get_by_role("link", name="甲镇").click()
        page.wait_for_url("**/supervision/?unit=*")
        assert page.get_by_text("甲镇任务").first.is_visible()
        screenshot(page, "dashboard-phone-drilldown")
