"""Render the README's map screenshot: the sample article's events, in headless Chromium.

Usage: python docs/make_screenshot.py [--assets .ci/browser-assets] [-o docs/map.png]

Needs Debian's chromium and the npm copies of the map assets (bash .ci/browser.sh).
The map is written self-contained, without tiles, so no network is used.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from importlib.resources import files
from pathlib import Path


def main() -> None:
    """Render the sample article's map and save the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=Path, default=Path(".ci/browser-assets"))
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/map.png"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from geo_events.events.from_articles import events_from_results
    from geo_events.maps import events_map, save_map
    from geo_events.text.article import article_from_text
    from geo_events.text.extract import extract_events

    raw = (files("geo_events") / "data" / "samples" / "sample_article.txt").read_text("utf-8")
    article = article_from_text(raw, id="sample", published=date(2025, 3, 4))
    events, _ = events_from_results([extract_events(article)])
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "map.html"
        save_map(events_map(events, tiles=None), html, self_contained=True, assets_dir=args.assets)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1000, "height": 600})
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            page.goto(html.as_uri())
            page.wait_for_selector(".leaflet-marker-icon, .marker-cluster", timeout=15_000)
            page.locator(".leaflet-marker-icon").first.click()
            page.wait_for_timeout(500)
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
