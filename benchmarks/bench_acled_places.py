"""Benchmark: geocode ACLED's own rows from their place columns, compared with ACLED's points.

Usage: python benchmarks/bench_acled_places.py [CSV] [--import]

Each row's ``location``, ``admin1``, ``admin2`` and ``country`` go through ``geocode_table``
with the default gazetteer (ACLED's coordinates are not given to it); the answer is
compared with ACLED's point. With ``--import`` the export is first imported as a gazetteer
source (``geo-events gazetteer import``) into a gazetteer built in a temporary cache, and
its own rows are geocoded with that: the import works end to end when nearly every row
lands within 25 km. Reported: rows within 25 km, rows answered at geo_precision 1
(the place itself) more than 161 km from ACLED's point — confident wrong answers — and
all rows more than 161 km off, with the status counts. ACLED data is used for evaluation
only (data: ACLED, acleddata.com).
"""

from __future__ import annotations

import sys
import tempfile
import time

import numpy as np
import pandas as pd

from geo_events import geocode_table
from geo_events.gazetteer.records import haversine_km

DEFAULT = "../shared/eval/acled_kenya2019/acled_export.csv"


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--import"]
    path = args[0] if args else DEFAULT
    acled = pd.read_csv(path)
    gazetteer = None
    if "--import" in sys.argv:
        from geo_events.gazetteer.named import import_source

        t0 = time.perf_counter()
        gazetteer, report = import_source(path, name="bench", cache_dir=tempfile.mkdtemp())
        print(f"imported in {time.perf_counter() - t0:.1f} s: {report.summary()}")
    t0 = time.perf_counter()
    out = geocode_table(
        acled[["location", "admin1", "admin2", "country"]].copy(),
        country="country",
        admin1="admin1",
        admin2="admin2",
        gazetteer=gazetteer,
    )
    seconds = time.perf_counter() - t0
    lat = out["latitude"].astype(float).to_numpy()
    lon = out["longitude"].astype(float).to_numpy()
    km = np.array(
        [
            haversine_km(a, b, c, d) if np.isfinite(c) else np.nan
            for a, b, c, d in zip(acled["latitude"], acled["longitude"], lat, lon, strict=True)
        ]
    )
    exact = (out["geo_precision"].astype("Float64") == 1).fillna(False).to_numpy()
    n = len(acled)
    print(f"{n:,} rows geocoded in {seconds:.2f} s; placed {int(np.isfinite(km).sum()):,}")
    print(f"within 25 km: {(km <= 25).sum() / n:.3f}")
    wrong = int(((km > 161) & exact).sum())
    print(f"geo_precision 1 and > 161 km off: {wrong} ({wrong / n:.2%})")
    print(f"all > 161 km off: {int((km > 161).sum())}")
    print("status:", out["geocode_status"].value_counts().to_dict())


if __name__ == "__main__":
    main()
