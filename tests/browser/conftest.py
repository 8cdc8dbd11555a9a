"""Browser-test harness: Playwright driving Debian's Chromium against pytest-django's live server.

Skipped, with the reason, where Chromium is not installed; CI installs it (see .ci/run).
"""

import contextlib
import os
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# The flags a root, offline, headless machine needs (see the env notes in the README).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 740}


class _OneRequestAtATimeOnSQLite(ThreadedWSGIServer):
    """The live server, answering one request at a time when the tests run on SQLite.

    On SQLite the server's threads share the test's single in-memory connection, and a page that
    asks for many files at once (the H5P player fetches its libraries in parallel) would use that
    connection from several threads together and fail now and then. The server still accepts every
    connection in its own thread; only the application runs in turn, its body read inside the lock.
    PostgreSQL runs keep Django's fully threaded server."""

    def set_app(self, application):
        from django.db import connection

        if connection.vendor != "sqlite":
            return super().set_app(application)
        lock = threading.Lock()

        def in_turn(environ, start_response):
            with lock:
                result = application(environ, start_response)
                try:
                    return [b"".join(result)]
                finally:
                    if hasattr(result, "close"):
                        result.close()

        return super().set_app(in_turn)


LiveServerThread.server_class = _OneRequestAtATimeOnSQLite


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"Chromium not found at {CHROMIUM}: `apt-get install chromium` (CI does) "
                        "or set CHROMIUM_PATH to run browser journeys"
                    )
                )


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
    # inside one unless told that this (test-only) use is fine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized page whose browser asks for English, as many phones here do."""
    context = browser.new_context(viewport=PHONE, locale="en-US", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    close_quietly(context)


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts on the live server; each is closed quietly at teardown, also when the
    test fails (a page left open keeps sending its timers' requests into the next test)."""
    opened = []

    def open_context(*, viewport=PHONE):
        context = browser.new_context(viewport=viewport, locale="en-US", base_url=live_server.url)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        with contextlib.suppress(Exception):  # already closed by the test
            close_quietly(context)


def close_quietly(context) -> None:
    """Close a browser context only once the live server has finished what its pages asked for.

    On SQLite the live server's thread shares the test's in-memory connection, so a request still
    in flight (the Wagtail editor's editing-session ping, an attempt's last save) would be inside a
    transaction when pytest-django flushes the database, breaking every test after it. Leaving each
    page for about:blank stops their timers; the short pause lets a request already sent finish."""
    for open_page in context.pages:
        with contextlib.suppress(Exception):  # a page that is already gone needs nothing more
            open_page.goto("about:blank")
    if context.pages:
        context.pages[0].wait_for_timeout(750)
    context.close()


@pytest.fixture
def own_media_root(settings, tmp_path):
    """Uploads of the test (H5P packages, videos) go to a folder of its own, removed with it."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fresh_content_types():
    """The database is restored with its original content type ids; drop ids an earlier flush cached."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
