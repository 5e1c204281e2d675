"""Benchmark: read + geocode + write a 1,000,000-row event table; write 1M points as GeoJSON.

Usage: python benchmarks/bench_tables.py [--rows 1000000] [--places 5000] [--gazetteer DIR]
       [--streaming] [--chunksize 250000]

Generates a CSV in a temporary directory (event ids, dates in ACLED's format,
ACLED event types, actors, fatalities, notes, and a location + country drawn
from ``--places`` distinct gazetteer places, no coordinates, so every row is
geocoded), then times:

1. ``events_from_table`` (chunked read, value checks, geocoding) + ``write_events`` to
   GeoParquet, with peak RSS;
2. ``write_events`` of the events as GeoJSON;
3. with ``--streaming``: ``iter_events`` + ``write_events_chunks`` to GeoParquet
   (chunk by chunk), to compare peak RSS and rows/s with step 1.

Each step runs in a fresh child process so peak RSS is that step's alone.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path


def make_csv(path: Path, rows: int, places: int, gazetteer_dir: str | None) -> None:
    import numpy as np
    import pandas as pd

    from geo_events.gazetteer import Gazetteer, default_gazetteer

    gaz = Gazetteer.open(gazetteer_dir) if gazetteer_dir else default_gazetteer()
    rng = np.random.default_rng(42)
    picked = rng.choice(len(gaz), size=places, replace=False)
    recs = [gaz.index.record(int(r)) for r in picked]
    names = np.array([r["name"] for r in recs], dtype=object)
    ccs = np.array([r["country_code"] for r in recs], dtype=object)
    which = rng.integers(0, places, size=rows)
    types = np.array(["Battles", "Explosions/Remote violence", "Violence against civilians",
                      "Protests", "Riots", "Strategic developments"], dtype=object)  # fmt: skip
    actors = np.array([f"Armed group {i}" for i in range(200)], dtype=object)
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, size=rows), unit="D")
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"EV{i}" for i in range(rows)],
            "event_date": dates.strftime("%Y-%m-%d"),
            "event_type": types[rng.integers(0, len(types), size=rows)],
            "actor1": actors[rng.integers(0, len(actors), size=rows)],
            "country": ccs[which],
            "location": names[which],
            "fatalities": rng.integers(0, 20, size=rows),
            "notes": "On this day, something was reported near the place.",
        }
    )
    frame.to_csv(path, index=False)


def _read_write(csv_path: str, out: str, gazetteer_dir: str | None, queue: mp.Queue) -> None:
    from geo_events.gazetteer import Gazetteer, default_gazetteer
    from geo_events.io.tables import events_from_table
    from geo_events.io.writers import write_events

    gaz = Gazetteer.open(gazetteer_dir) if gazetteer_dir else default_gazetteer()
    t0 = time.perf_counter()
    events = events_from_table(csv_path, gazetteer=gaz)
    report = events.attrs["report"]
    t1 = time.perf_counter()
    write_events(events, out)
    t2 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    queue.put({"read_geocode_s": t1 - t0, "write_parquet_s": t2 - t1, "total_s": t2 - t0,
               "peak_rss_gb": rss, "rows": report.rows_read, "placed": report.placed,
               "by_precision": {str(k): v for k, v in report.by_precision.items()}})  # fmt: skip


def _geojson(parquet: str, out: str, queue: mp.Queue) -> None:
    from geo_events.io.events_files import read_events
    from geo_events.io.writers import write_events

    events = read_events(parquet)
    t0 = time.perf_counter()
    write_events(events, out)
    t1 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    queue.put({"write_geojson_s": t1 - t0, "peak_rss_gb": rss,
               "geojson_mb": Path(out).stat().st_size / 1e6})  # fmt: skip


def _streamed(csv_path: str, out: str, gazetteer_dir: str | None, chunksize: int,
              queue: mp.Queue) -> None:  # fmt: skip
    from geo_events.gazetteer import Gazetteer, default_gazetteer
    from geo_events.io.tables import iter_events
    from geo_events.io.writers import write_events_chunks

    gaz = Gazetteer.open(gazetteer_dir) if gazetteer_dir else default_gazetteer()
    t0 = time.perf_counter()
    chunks = iter_events(csv_path, gazetteer=gaz, chunksize=chunksize)
    write_events_chunks(chunks, out)
    t1 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    report = chunks.report
    queue.put({"total_s": t1 - t0, "rows_per_s": report.rows_read / (t1 - t0),
               "peak_rss_gb": rss, "rows": report.rows_read, "placed": report.placed,
               "chunksize": chunksize})  # fmt: skip


def _child(target, *args) -> dict:
    queue: mp.Queue = mp.Queue()
    proc = mp.get_context("fork").Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--places", type=int, default=5_000)
    parser.add_argument(
        "--gazetteer", default=None, help="gazetteer cache dir (default: the default)"
    )
    parser.add_argument(
        "--streaming",
        action="store_true",
        help="also time iter_events + write_events_chunks (and skip GeoJSON)",
    )
    parser.add_argument("--chunksize", type=int, default=250_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "events.csv"
        t0 = time.perf_counter()
        make_csv(csv_path, args.rows, args.places, args.gazetteer)
        print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s", file=sys.stderr)  # fmt: skip
        parquet = str(Path(tmp) / "events.parquet")
        first = _child(_read_write, str(csv_path), parquet, args.gazetteer)
        first["rows_per_s"] = first["rows"] / first["total_s"]
        results = {"read_geocode_write_parquet": first}
        if args.streaming:
            streamed = str(Path(tmp) / "streamed.parquet")
            results["streamed_read_geocode_write_parquet"] = _child(
                _streamed, str(csv_path), streamed, args.gazetteer, args.chunksize
            )
        else:
            results["write_geojson"] = _child(_geojson, parquet, str(Path(tmp) / "events.geojson"))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
