"""Playwright fixtures: Debian's headless Chromium, offline, CDN requests answered from npm copies.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``) and ``npm install`` in
``.ci/browser-assets`` (``bash .ci/browser.sh`` does both). Without them the browser tests
skip, unless ``GEO_EVENTS_REQUIRE_BROWSER=1`` (set by CI) turns the skip into a failure.
Tile requests are aborted; any other request with no local copy is aborted and recorded.
A screenshot of every failing test lands in ``test-artifacts/``.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo_events.maps.assets import OPTIONAL_ASSETS, resolve_asset

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / ".ci" / "browser-assets"
CHROMIUM = Path(os.environ.get("GEO_EVENTS_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts"
TILE_HOSTS = ("tile.openstreetmap.org", "basemaps.cartocdn.com", "arcgisonline.com")


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} not found (apt-get install chromium, or run bash .ci/browser.sh)"
    if not (ASSETS / "node_modules" / "leaflet" / "dist" / "leaflet.js").exists():
        return f"npm assets missing in {ASSETS} (run npm install there, or bash .ci/browser.sh)"
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
    """A page plus what happened on it: dialogs, page errors, aborted requests."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.served: list[str] = []

    def open(self, html_path: Path, *, wait_for: str = ".leaflet-container") -> None:
        self.page.goto(html_path.resolve().as_uri())
        self.page.wait_for_selector(wait_for, timeout=10_000)


@pytest.fixture
def offline_page(browser: object, request: pytest.FixtureRequest) -> Iterator[OfflinePage]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    op = OfflinePage(page)
    page.on("dialog", lambda d: (op.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: op.errors.append(str(e)))

    def handle(route: object) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
            return
        if any(h in url for h in TILE_HOSTS) or "{z}" in url:
            op.blocked.append(url)
            route.abort()
            return
        local = resolve_asset(url, ASSETS)
        if local is not None:
            op.served.append(url)
            ctype = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            route.fulfill(status=200, body=local.read_bytes(), content_type=ctype)
        elif url in OPTIONAL_ASSETS:
            route.fulfill(status=200, body="", content_type="text/css")
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
