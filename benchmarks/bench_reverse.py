"""Benchmark: reverse geocoding, single calls and batches, against a scan and reverse_geocoder.

Usage: python benchmarks/bench_reverse.py [N]   (default N = 1,000,000 batch points)

Points are uniform over land-ish latitudes (-60..75) and all longitudes, seeded. Measured:
``Gazetteer.reverse`` single calls per second (a Candidate each, admin names included; its
fields are read on first access, so also reading two of them), on these points and on points
jittered ~5 km around random places (as event coordinates are);
``Gazetteer.reverse_many`` points per second (a DataFrame with names and admin areas);
the previous implementation, a haversine scan of every place per call, as the baseline;
and, when installed (``pip install reverse_geocoder``), reverse_geocoder's single and batch
``query`` (its own GeoNames cities1000 set; mode 1 one process, mode 2 its multiprocess
k-d tree). Peer
numbers are for orientation: its answers carry fewer fields and its place set differs.
The gazetteer is the default one (``GEO_EVENTS_CACHE_DIR`` chooses where it lives).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from geo_events.gazetteer import Kind, default_gazetteer
from geo_events.gazetteer.records import haversine_km
from geo_events.gazetteer.store import KIND_CODES


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s"


def main() -> None:
    n_batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    rng = np.random.default_rng(42)
    lat, lon = rng.uniform(-60, 75, n_batch), rng.uniform(-180, 180, n_batch)
    gaz = default_gazetteer()

    t0 = time.perf_counter()
    tree = gaz._place_tree()
    print(f"tree over {len(tree.rows):,} places built in {time.perf_counter() - t0:.2f} s")
    if hasattr(tree, "_grid_of"):
        t0 = time.perf_counter()
        tree._grid_of()
        print(f"grid for single points built in {time.perf_counter() - t0:.2f} s")

    singles = [(float(a), float(b)) for a, b in zip(lat[:20_000], lon[:20_000], strict=True)]
    gaz.reverse(singles[0])
    t0 = time.perf_counter()
    found = sum(gaz.reverse(p) is not None for p in singles)
    print(f"reverse (single): {_rate(len(singles), time.perf_counter() - t0)} ({found:,} found)")
    t0 = time.perf_counter()
    for p in singles:
        place = gaz.reverse(p)
        if place is not None:
            _ = place.name, place.admin1  # its fields are read on first access
    print(
        f"reverse (single), reading .name and .admin1: {_rate(len(singles), time.perf_counter() - t0)}"
    )
    rows = gaz._place_tree().rows
    pick = rng.integers(0, len(rows), len(singles))
    near = [(float(np.clip(a, -90, 90)), float((b + 180) % 360 - 180)) for a, b in zip(
        gaz.index.latitude[rows[pick]] + rng.normal(0, 0.05, len(pick)),
        gaz.index.longitude[rows[pick]] + rng.normal(0, 0.05, len(pick)), strict=True)]  # fmt: skip
    t0 = time.perf_counter()
    found = sum(gaz.reverse(p) is not None for p in near)
    print(f"reverse (single), points within ~5 km of a place: "
          f"{_rate(len(near), time.perf_counter() - t0)} ({found:,} found)")  # fmt: skip

    t0 = time.perf_counter()
    table = gaz.reverse_many(np.column_stack([lat, lon]))
    seconds = time.perf_counter() - t0
    print(
        f"reverse_many ({n_batch:,} points): {_rate(n_batch, seconds)} "
        f"({seconds:.2f} s, {int(table['geonameid'].notna().sum()):,} within 200 km)"
    )

    ix = gaz.index
    rows = np.flatnonzero(np.asarray(ix.kind) == KIND_CODES.index(Kind.PLACE))
    plats, plons = ix.latitude[rows], ix.longitude[rows]
    t0 = time.perf_counter()
    for p in singles[:300]:
        np.argmin(haversine_km(p[0], p[1], plats, plons))
    print(f"scan of every place (the previous reverse): {_rate(300, time.perf_counter() - t0)}")

    try:
        import reverse_geocoder as rg
    except ImportError:
        print("reverse_geocoder not installed: peer skipped")
        return
    points = list(zip(lat.tolist(), lon.tolist(), strict=True))
    for mode in (1, 2):  # 1: one process; 2: its multiprocess k-d tree
        geocoder = rg.RGeocoder(mode=mode, verbose=False)
        geocoder.query([singles[0]])
        t0 = time.perf_counter()
        for p in singles[:2_000]:
            geocoder.query([p])
        print(f"reverse_geocoder mode {mode} single: {_rate(2_000, time.perf_counter() - t0)}")
        t0 = time.perf_counter()
        geocoder.query(points)
        print(f"reverse_geocoder mode {mode} batch: {_rate(n_batch, time.perf_counter() - t0)}")


if __name__ == "__main__":
    main()
