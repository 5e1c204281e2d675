"""Render the README's map screenshot: the sample article's events, offline, in Chromium.

Usage: python docs/make_screenshot.py [-o docs/map.png]

Needs Debian's chromium (bash .ci/browser.sh) and the Python playwright client. The page
is the one ``geo-events map --demo`` writes; every request that is not for a file is
refused, so what the picture shows is what a machine without network shows.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from importlib.resources import files
from pathlib import Path

#: The README shows the map at the size the issue asks every map to work at.
VIEWPORT = {"width": 1280, "height": 800}
#: Zoom of the picture: the region around the events, with its borders and cities.
ZOOM = 6


def main() -> None:
    """Render the sample article's map, open the northernmost event's popup, save a PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/map.png"))
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from geo_events.events.from_articles import events_from_articles
    from geo_events.maps import events_map, save_map
    from geo_events.text.article import article_from_text

    raw = (files("geo_events") / "data" / "samples" / "sample_article.txt").read_text("utf-8")
    article = article_from_text(raw, id="sample", published=date(2025, 3, 4))
    events = events_from_articles(article)
    with tempfile.TemporaryDirectory() as tmp:
        html = save_map(events_map(events), Path(tmp) / "map.html")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport=VIEWPORT)
            page.route(
                "**/*",
                lambda route: (
                    route.continue_() if route.request.url.startswith("file:") else route.abort()
                ),
            )
            page.goto(html.as_uri())
            page.wait_for_function("window.geoEventsMaps && window.geoEventsMaps.length > 0")
            x, y = page.evaluate(
                """(zoom) => {
                const g = window.geoEventsMaps[0], E = g.layer.E;
                let top = 0;
                for (let i = 1; i < E.n; i++) { if (E.lat[i] > E.lat[top]) { top = i; } }
                const ll = [E.lat[top] / 1e5, E.lon[top] / 1e5];
                g.map.setView([ll[0] - 2, ll[1] + 1], zoom, {animate: false});
                const p = g.map.latLngToContainerPoint(ll);
                const r = g.map.getContainer().getBoundingClientRect();
                return [p.x + r.left, p.y + r.top];
                }""",
                ZOOM,
            )
            page.wait_for_timeout(300)
            page.mouse.click(x, y)
            page.locator(".leaflet-popup-content").wait_for(timeout=5000)
            page.wait_for_timeout(600)
            page.screenshot(path=str(args.output))
            browser.close()
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
