"""The shell in a real browser: log in, navigate by role, browse the tree, on a phone."""

import pytest

from luoshi.conftest import PASSWORD

from .browser import DESKTOP, PHONE, browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_liaison_on_a_phone_logs_in_opens_the_menu_and_expands_the_tree(live_server, people):
    with browser_page(PHONE) as page:
        log_in(page, live_server, "liaison_a")
        assert page.locator(".mainnav").is_hidden()  # folded behind the menu button on a phone
        page.click("label.nav-toggle-label")
        nav = page.locator(".mainnav")
        assert nav.is_visible()
        assert nav.get_by_text("人员").count() == 0  # not the office's menu
        nav.get_by_text("单位").click()
        page.wait_for_url("**/units/")
        page.locator("details summary").first.click()  # htmx loads the villages
        page.get_by_text("甲一村").wait_for()
        assert page.get_by_text("乙街道").count() == 0
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], "the page scrolls sideways on a phone"
        screenshot(page, "phone-liaison-tree")


def test_office_searches_units_and_sees_its_menu(live_server, people):
    with browser_page(DESKTOP) as page:
        log_in(page, live_server, "office")
        for label in ["首页", "单位", "人员", "操作日志", "接口令牌"]:
            assert page.locator(".mainnav").get_by_text(label, exact=True).is_visible()
        page.goto(f"{live_server.url}/units/")
        page.fill("input[name=q]", "社区")
        page.get_by_text("乙一社区").wait_for()  # live search through htmx
        assert page.get_by_text("甲一村").count() == 0
        screenshot(page, "desktop-office-search")
