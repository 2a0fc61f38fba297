"""Shared helpers of the browser tests: one headless Chromium per test module, a
fresh browser context (cookies, localStorage) per test, signing in through the real
login form, and screenshots under ``<repo>/test-artifacts/screenshots/``.

A test module binds the fixtures for pytest to find (an import of the names would
be flagged by ruff as redefined by every test's argument)::

    from hamseda.core.tests import browser

    chromium_browser = browser.chromium_browser
    web = browser.web

and requests ``django_db_serialized_rollback`` (pytest-django's live server needs
transactional data, and each test's flush would otherwise remove the provinces).

pytest-playwright's own ``page``/``browser`` fixtures are not used: they launch a
browser downloaded by ``playwright install``, which cannot download here; ours
launch Debian's Chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from playwright.sync_api import Browser, Page, expect, sync_playwright

from hamseda.conftest import PASSWORD

if TYPE_CHECKING:
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


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium, launched once per test module.

    Skipped when it is not installed, unless ``HAMSEDA_REQUIRE_BROWSER=1`` (CI), where
    a missing browser fails the tests instead of silently skipping them.

    Module-scoped, not session-scoped: while Playwright's sync API is started it
    leaves its asyncio loop marked as running in this thread, which changes how
    every later test in the process behaves (asgiref's ``async_to_sync`` refuses to
    run, Django sees an async context). It is stopped at the end of the module.
    """
    if not CHROMIUM.exists():
        reason = f"the browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("HAMSEDA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; HAMSEDA_REQUIRE_BROWSER=1 forbids skipping", pytrace=False)
        pytest.skip(reason)
    # With the loop marked as running, Django refuses ORM calls of fixtures and tests
    # (SynchronousOnlyOperation) although they are plain synchronous code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    originals = {alias: connections[alias] for alias in connections}
    try:
        with sync_playwright() as playwright:
            _carry_over_test_databases(originals)
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
                # Opened in the loop's context; the test databases cannot be
                # dropped at the end of the session while they are open.
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _carry_over_test_databases(originals: dict[str, BaseDatabaseWrapper]) -> None:
    """Django keeps its connections per thread, and per asyncio context when a loop
    runs: once Playwright has started, the ORM works through new connection objects
    to the same test databases. Give them what the test-database setup stored on the
    old ones, so that ``django_db_serialized_rollback`` brings back the rows of the
    data migrations (the 31 provinces) that each transactional test's flush removes."""
    for alias, original in originals.items():
        contents = getattr(original, "_test_serialized_contents", None)
        if contents is not None:
            connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]


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
