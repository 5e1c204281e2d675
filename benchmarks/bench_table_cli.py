"""Benchmark: ``geo-events geocode in.csv -o out.parquet`` against the naive pipeline.

Usage: python benchmarks/bench_table_cli.py [--rows 1000000 4000000] [--places 5000]
       [--gazetteer DIR] [--repeat 1]

The naive pipeline is what a user would write instead, with no checks and no
accounting: ``pandas.read_csv`` + a dict from place name to coordinates
(``Series.map``) + ``geopandas.points_from_xy`` + ``GeoDataFrame.to_parquet``. Its
dict is built before the clock starts (from the same gazetteer), so it is timed at
its best. Both run as fresh processes, one after the other on the same CSV (the
ACLED-like table of ``bench_tables.make_csv``: ids, dates, types, actors, a location
and its country code, fatalities, notes; no coordinates, so every row is geocoded);
wall time and peak RSS are the child's own (``wait4``).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_tables import make_csv

NAIVE = """
import json, sys
import geopandas as gpd
import pandas as pd

csv_path, places_path, out = sys.argv[1:4]
places = json.load(open(places_path))
lat = {name: point[0] for name, point in places.items()}
lon = {name: point[1] for name, point in places.items()}
frame = pd.read_csv(csv_path)
geometry = gpd.points_from_xy(frame["location"].map(lon), frame["location"].map(lat))
gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326").to_parquet(out)
"""


def _run(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall time and peak RSS of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{command[:3]} failed: {proc.stderr.read().decode()[-2000:]}")
    return {"wall_s": round(wall, 2), "peak_rss_gb": round(usage.ru_maxrss / 1024**2, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2)}  # fmt: skip


def _places(csv_path: Path, out: Path, gazetteer_dir: str | None) -> None:
    """The naive pipeline's dict: each distinct location of the CSV → (lat, lon)."""
    import pandas as pd

    from geo_events.gazetteer import Gazetteer, default_gazetteer

    gaz = Gazetteer.open(gazetteer_dir) if gazetteer_dir else default_gazetteer()
    names = pd.read_csv(csv_path, usecols=["location"])["location"].dropna().unique()
    places = {}
    for name in names:
        hit = gaz.geocode(str(name))
        if hit is not None:
            places[str(name)] = (hit.latitude, hit.longitude)
    out.write_text(json.dumps(places))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 4_000_000])
    parser.add_argument("--places", type=int, default=5_000)
    parser.add_argument("--gazetteer", default=None, help="gazetteer cache dir")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each, alternating")
    args = parser.parse_args(argv)
    env = dict(os.environ)
    if args.gazetteer:
        env["GEO_EVENTS_CACHE_DIR"] = args.gazetteer
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            csv_path = Path(tmp) / f"events_{rows}.csv"
            places = Path(tmp) / "places.json"
            # made in a child, so this process stays small: a child forked from a large
            # parent would count the parent's pages in its own peak RSS
            with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
                pool.submit(make_csv, csv_path, rows, args.places, args.gazetteer).result()
                pool.submit(_places, csv_path, places, args.gazetteer).result()
            ours_out, naive_out = Path(tmp) / "ours.parquet", Path(tmp) / "naive.parquet"
            runs: dict[str, list[dict[str, float]]] = {"geo_events": [], "naive": []}
            for _ in range(args.repeat):
                runs["geo_events"].append(_run(
                    [sys.executable, "-m", "geo_events.cli", "-q", "geocode", str(csv_path), "-o",
                     str(ours_out)], env))  # fmt: skip
                runs["naive"].append(_run(
                    [sys.executable, "-c", NAIVE, str(csv_path), str(places), str(naive_out)],
                    env))  # fmt: skip
            best = {k: min(v, key=lambda r: r["wall_s"]) for k, v in runs.items()}
            results[f"{rows:,} rows"] = {
                **best,
                "ratio_wall": round(best["geo_events"]["wall_s"] / best["naive"]["wall_s"], 2),
                "csv_mb": round(csv_path.stat().st_size / 1e6),
                "load_before": os.getloadavg()[0],
            }
            print(json.dumps({f"{rows:,} rows": results[f"{rows:,} rows"]}), file=sys.stderr)
            csv_path.unlink()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
