"""Benchmark: events_map on N synthetic ACLED-like events, written offline, opened offline.

Usage: python benchmarks/bench_map.py [N ...] [--no-browser]   (default: 100000 1000000)

For each size: ``write`` = ``events_map`` + ``save_map`` (Leaflet and the geography in the
page, nothing linked); ``size`` of the HTML; then in headless Chromium with every
non-file request refused: ``load`` = ``goto(file://)`` until the events layer has drawn,
then zoom through 4..14 (each until the next frame is painted), drag, click an event
(popup must open), untick a type (filter over every event), each timed, and any page
error reported. Needs /usr/bin/chromium.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_events.maps import events_map, save_map

REPO = Path(__file__).resolve().parents[1]
TYPES = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
]
SUBS = [
    "Armed clash",
    "Air/drone strike",
    "Attack",
    "Peaceful protest",
    "Mob violence",
    "Looting/property destruction",
]


def synthetic(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    t = rng.integers(0, len(TYPES), n)
    actors = [f"Armed group {i}" for i in range(200)]
    places = [f"Village {i}" for i in range(5000)]
    lon = 36 + rng.normal(0, 1.2, n)
    lat = 35 + rng.normal(0, 1.0, n)
    df = pd.DataFrame(
        {
            "event_id_cnty": [f"SYR{i}" for i in range(n)],
            "event_date": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 730, n), "D"),
            "time_precision": rng.integers(1, 4, n),
            "event_type": np.array(TYPES)[t],
            "sub_event_type": np.array(SUBS)[t],
            "actor1": np.array(actors)[rng.integers(0, 200, n)],
            "actor2": np.array(actors)[rng.integers(0, 200, n)],
            "country": "Syria",
            "admin1": np.array([f"Gov {i}" for i in range(14)])[rng.integers(0, 14, n)],
            "location": np.array(places)[rng.integers(0, 5000, n)],
            "geo_precision": rng.integers(1, 4, n),
            "source": np.array(["Agency A", "Agency B", "Local media"])[rng.integers(0, 3, n)],
            "fatalities": pd.array(rng.integers(0, 20, n), dtype="Int64"),
            "claim_status": np.array(["reported", "claimed", "denied", None])[
                rng.integers(0, 4, n)
            ],
            "evidence": [
                f"Event {i}: residents said shelling hit the market near the mosque "
                f"and at least {i % 17} people were hurt."
                for i in range(n)
            ],
            "notes": [
                f"On the morning of day {i % 700}, clashes erupted between two armed groups "
                "near the village; local sources reported casualties and displacement. " * 2
                for i in range(n)
            ],
        }
    )
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=4326)


def browser_check(path: Path) -> dict[str, float | str]:
    """Open the page offline; time the load and the interactions; collect page errors."""
    from playwright.sync_api import sync_playwright

    out: dict[str, float | str] = {}
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = b.new_page(viewport={"width": 1280, "height": 800})
        errors: list[str] = []
        refused: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))

        def handle(route):
            url = route.request.url
            if url.startswith(("file:", "data:", "blob:")):
                return route.continue_()
            refused.append(url)
            return route.abort()

        page.route("**/*", handle)
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function(
            "window.geoEventsMaps && window.geoEventsMaps[0].layer._drawn", timeout=120_000
        )
        out["load"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        for zoom in (4, 6, 8, 11, 14):
            # A block body: returning the Map would make playwright serialise it (seconds).
            page.evaluate(
                f"() => {{ window.geoEventsMaps[0].map.setView([35, 36], {zoom}, "
                "{animate: false}); }"
            )
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        out["zoom 4..14 (5 redraws)"] = time.perf_counter() - t0
        page.mouse.move(640, 400)
        page.mouse.down()
        page.mouse.move(520, 330, steps=5)
        page.mouse.up()
        point = page.evaluate(
            """() => { const g = window.geoEventsMaps[0], d = g.layer._drawn;
            const r = g.map.getContainer().getBoundingClientRect();
            for (let k = 0; k < d.n; k++) if (d.x[k] > 40 && d.x[k] < 900 && d.y[k] > 40
                && d.y[k] < 760) return [d.x[k] + r.left, d.y[k] + r.top];
            return null; }"""
        )
        if point is None:
            out["popup"] = "no event in view"
        else:
            page.mouse.click(*point)
            page.wait_for_selector(".leaflet-popup-content", timeout=10_000)
            out["popup"] = "opened"
        t0 = time.perf_counter()
        page.locator(".ge-group").first.locator("input[type=checkbox]").first.uncheck()
        page.wait_for_timeout(50)
        out["filter (untick a type)"] = time.perf_counter() - t0
        out["page errors"] = "; ".join(errors) or "none"
        out["requests refused"] = str(len(refused))
        b.close()
    return out


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()] or [100_000, 1_000_000]
    for n in sizes:
        gdf = synthetic(n)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "map.html"
            t0 = time.perf_counter()
            m = events_map(gdf)
            save_map(m, path)
            t_write = time.perf_counter() - t0
            size = path.stat().st_size
            print(f"events={n:,} write={t_write:.2f}s size={size / 1e6:.1f}MB")
            if "--no-browser" not in sys.argv:
                for key, value in browser_check(path).items():
                    shown = f"{value:.2f}s" if isinstance(value, float) else value
                    print(f"  {key}: {shown}")


if __name__ == "__main__":
    main()
