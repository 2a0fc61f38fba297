"""Shared helpers of the browser tests: one headless Chromium per test session, a
fresh browser context (cookies, localStorage) per test, signing in through the real
login form, and screenshots under ``<repo>/test-artifacts/screenshots/``.

A test module uses them by importing the fixtures it names::

    from hamseda.core.tests.browser import chromium_browser, web  # noqa: F401

pytest-playwright's own ``page``/``browser`` fixtures are not used: they launch a
browser downloaded by ``playwright install``, which cannot download here; ours
launch Debian's Chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from hamseda.conftest import PASSWORD
from hamseda.directory.models import Person

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
# src/hamseda/core/tests/browser.py -> the repository root is four folders up.
REPO_ROOT = Path(__file__).resolve().parents[4]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once for the whole session.

    Skipped when it is not installed, unless ``HAMSEDA_REQUIRE_BROWSER=1`` (CI), where
    a missing browser fails the tests instead of silently skipping them.
    """
    if not CHROMIUM.exists():
        reason = f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("HAMSEDA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; HAMSEDA_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    # Playwright's sync API keeps an asyncio loop alive in this thread for as long
    # as the browser is open; Django would then refuse the ORM calls of fixtures and
    # tests (SynchronousOnlyOperation) although they are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def web(chromium_browser: Browser, live_server) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies, empty localStorage) whose
    relative URLs go to pytest-django's live server; desktop-sized, Tehran time."""
    context = chromium_browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="fa-IR",
        timezone_id="Asia/Tehran",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save ``name`` (a .png file name) under test-artifacts/screenshots/, once the
    web fonts are in, and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=path, full_page=full_page)
    return path


def log_in(page: Page, person: Person, password: str = PASSWORD) -> None:
    """Sign ``person`` in through the login form, as a user would, and wait for the
    dashboard."""
    page.goto("/accounts/login/")
    page.get_by_label("نام کاربری").fill(person.username)
    page.get_by_label("گذرواژه").fill(password)
    page.get_by_role("button", name="ورود").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    expect(page.locator("h1")).to_contain_text("خوش آمدید")


def is_local(url: str) -> bool:
    """Whether a request to ``url`` stays on this machine (data: and blob: URLs never
    leave the browser)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS
