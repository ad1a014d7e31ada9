"""Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil
from contextlib import contextmanager

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@contextmanager
def browser_page(viewport=DESKTOP):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        raise RuntimeError(
            f"Chromium not found at {CHROMIUM}: run `make system` (apt-get install chromium)"
        )
    # The sync API runs an event loop in this thread; the ORM calls made by
    # the test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport=viewport, locale="zh-CN")
            yield page
        finally:
            browser.close()


def screenshot(page, name: str) -> None:
    """Keep a picture of what the person saw, for review (test-artifacts/, ignored by git)."""
    folder = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)
