"""Benchmark: events_map on N synthetic events -> HTML write time/size, headless load time.

Usage: python benchmarks/bench_map.py [N] [--no-browser]
The browser part needs /usr/bin/chromium and npm assets in .ci/browser-assets.
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
from geo_events.maps.assets import resolve_asset

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


def browser_load(path: Path) -> float:
    from playwright.sync_api import sync_playwright

    assets = REPO / ".ci" / "browser-assets"
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = b.new_page(viewport={"width": 1200, "height": 800})

        def handle(route):
            url = route.request.url
            if url.startswith("file:"):
                return route.continue_()
            local = resolve_asset(url, assets)
            if local is None:
                return route.abort()
            ctype = "text/css" if local.suffix == ".css" else "application/javascript"
            return route.fulfill(body=local.read_bytes(), content_type=ctype)

        page.route("**/*", handle)
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector(".marker-cluster", timeout=60_000)
        elapsed = time.perf_counter() - t0
        b.close()
    return elapsed


def main() -> None:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 100_000))
    gdf = synthetic(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "map.html"
        t0 = time.perf_counter()
        m = events_map(gdf)
        save_map(m, path)
        t_write = time.perf_counter() - t0
        size = path.stat().st_size
        print(
            f"events={n} mode={m.geo_events['mode']} write={t_write:.2f}s "
            f"size={size / 1e6:.1f}MB notebook_repr={len(m._repr_html_()) / 1e6:.1f}MB"
        )
        if "--no-browser" not in sys.argv:
            print(f"browser load until clusters shown={browser_load(path):.2f}s")


if __name__ == "__main__":
    main()
