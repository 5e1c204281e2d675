"""Benchmark: a table with given coordinates, 2 % of them swapped: found, fixed, how fast.

Usage: python benchmarks/bench_table_points.py [--rows 200000] [--swapped 0.02]

Generates a CSV in a temporary directory: each row a random populated place of the
default gazetteer (its name, its country's name, its latitude and longitude), with
``--swapped`` of the rows written latitude-for-longitude. Then ``events_from_table`` and counts:

* planted swaps fixed (status ``swapped``, the point back where it belongs);
* planted swaps left: their swapped pair still lies in the row's country (no check on the
  point alone can see them) — listed separately from misses;
* false alarms: unswapped rows swapped or flagged "outside the row's country";
* rows per second of the whole read (value checks, the country check included).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from geo_events.gazetteer import Kind, default_gazetteer
from geo_events.gazetteer.boundaries import outside_country_km
from geo_events.gazetteer.store import KIND_CODES
from geo_events.io.tables import events_from_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--swapped", type=float, default=0.02)
    args = parser.parse_args()

    gaz = default_gazetteer()
    ix = gaz.index
    places = np.flatnonzero(np.asarray(ix.kind) == KIND_CODES.index(Kind.PLACE))
    rng = np.random.default_rng(42)
    rows = rng.choice(places, size=args.rows)
    heads = {int(r): ix.head(int(r)) for r in np.unique(rows)}
    lat = np.array([heads[int(r)][2] for r in rows])
    lon = np.array([heads[int(r)][3] for r in rows])
    cc = np.array([heads[int(r)][6] for r in rows], dtype=object)
    ids = dict(ix.countries)  # ISO2 -> the country's row: its record's name, as ACLED writes it
    names = {c: str(ix.record(int(ids[c]))["name"]) if c in ids else c for c in set(cc)}
    country = [names[c] for c in cc]
    swap = rng.random(args.rows) < args.swapped
    frame = pd.DataFrame(
        {
            "location": [heads[int(r)][1] for r in rows],
            "country": country,
            "latitude": np.where(swap, lon, lat),
            "longitude": np.where(swap, lat, lon),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "points.csv"
        frame.to_csv(path, index=False)
        t0 = time.perf_counter()
        events = events_from_table(path)
        _report = events.attrs["report"]
        seconds = time.perf_counter() - t0
    status = events["geocode_status"].astype(str).to_numpy()
    fixed = swap & (status == "swapped")
    back_ok = np.isclose(events["latitude"].to_numpy(dtype=float), lat)
    invisible = outside_country_km(cc, lon, lat) == 0  # the swapped pair is in the country
    reason = events["geocode_reason"].astype("string").fillna("")
    flagged = reason.str.contains("outside", regex=False).to_numpy()
    print(f"rows {args.rows:,}, planted swaps {int(swap.sum()):,}; read {seconds:.2f} s "
          f"({args.rows / seconds:,.0f} rows/s)")  # fmt: skip
    print(f"fixed {int(fixed.sum()):,} (point restored: {int((fixed & back_ok).sum()):,}); "
          f"left, swapped pair inside the country: {int((swap & ~fixed & invisible).sum()):,}; "
          f"missed otherwise: {int((swap & ~fixed & ~invisible).sum()):,}")  # fmt: skip
    print(f"false alarms on unswapped rows: swapped {int((~swap & (status == 'swapped')).sum())}"
          f", flagged outside {int((~swap & flagged).sum())}")  # fmt: skip


if __name__ == "__main__":
    main()
