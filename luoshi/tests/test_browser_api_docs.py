"""Finding 12: the interactive API docs come from Luoshi's own static files (swagger-ui-dist,
from package.json) and work under the content security policy, in a real browser."""

import pytest

from luoshi.tests.browser import DESKTOP, browser_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_the_policy(live_server, people, client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower() and "/static/vendor/swagger-ui/" in html
    with browser_page(DESKTOP) as page:
        violations, outside = [], []
        page.on("console", lambda m: m.type == "error" and violations.append(m.text))
        page.on(
            "request",
            lambda r: not r.url.startswith(live_server.url) and outside.append(r.url),
        )
        page.goto(f"{live_server.url}/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=30_000)  # every operation listed
        assert page.locator(".opblock").count() >= 10
        assert "Luoshi API" in page.locator(".info .title").inner_text()
        screenshot(page, "api-docs")
        assert not [v for v in violations if "Content Security Policy" in v], violations
        assert outside == []  # nothing fetched from anywhere else
