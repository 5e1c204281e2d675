"""Playwright fixtures: Debian's headless Chromium with the network off.

Needs ``/usr/bin/chromium`` (``bash .ci/browser.sh`` installs it). Without it the browser
tests skip, unless ``GEO_EVENTS_REQUIRE_BROWSER=1`` (set by CI) turns the skip into a
failure. Maps must render offline: every request that is not for a ``file:``, ``data:``
or ``blob:`` URL is refused and recorded. A screenshot of every failing test lands in
``test-artifacts/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("GEO_EVENTS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium, or run bash .ci/browser.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _missing()
    if reason:
        if os.environ.get("GEO_EVENTS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    rep = yield
    setattr(item, f"rep_{rep.when}", rep)
    return rep


class OfflinePage:
    """A page plus what happened on it: dialogs, page errors, refused requests."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.blocked: list[str] = []

    def open(self, html_path: Path, *, wait_for: str = ".leaflet-container") -> None:
        self.page.goto(html_path.resolve().as_uri())
        self.page.wait_for_selector(wait_for, timeout=10_000)


@pytest.fixture
def offline_page(browser: object, request: pytest.FixtureRequest) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    op = OfflinePage(page)
    page.on("dialog", lambda d: (op.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: op.errors.append(str(e)))

    def handle(route: object) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            op.blocked.append(url)
            route.abort()

    page.route("**/*", handle)
    yield op
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")  # shown in the failure report
    context.close()
