"""A citizen rates on a phone in a real browser: the picture code shows under the content
security policy; the office then finds a burst's rating held on its ratings page."""

import pytest

from luoshi.conftest import PASSWORD
from luoshi.incentives.models import Rating
from luoshi.incentives.ratings import do_create_point
from luoshi.tests.browser import DESKTOP, PHONE, browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_rates_on_a_phone_and_the_office_reviews_a_burst(
    live_server, people, tree, monkeypatch
):
    monkeypatch.setattr("luoshi.incentives.ratings.new_challenge", lambda: "2345")
    monkeypatch.setattr("luoshi.incentives.ratings.MIN_SECONDS", 0)
    point = do_create_point(unit=tree.town_a, name="便民服务中心", actor=people.office)
    url = f"{live_server.url}/incentives/rate/{point.token}/"
    violations = []
    for k in range(4):  # four phones on one network, one after another
        with browser_page(PHONE) as page:
            page.on("console", lambda m: m.type == "error" and violations.append(m.text))
            page.goto(url)
            picture = page.locator("img[alt]")
            assert picture.evaluate("img => img.naturalWidth") == 200  # drawn, not blocked
            page.get_by_label("不满意", exact=True).check()
            page.fill("#comment", f"排队太久{k}")
            page.fill("#answer", "2345")
            page.get_by_role("button", name="提交").click()
            page.wait_for_selector("p.ok")
            if k == 0:
                screenshot(page, "rate-phone-done")
            assert not [v for v in violations if "Content Security Policy" in v], violations
    assert Rating.objects.filter(state="counted").count() == 3
    assert Rating.objects.filter(state="held").count() == 1
    with browser_page(DESKTOP) as page:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/incentives/ratings/")
        held = page.locator("#held")
        assert "同一网络地址几分钟内多次评价" in held.inner_text()
        held.get_by_role("button", name="不计入").click()
        page.wait_for_load_state()
        screenshot(page, "ratings-office")
    assert Rating.objects.filter(state="rejected").count() == 1
