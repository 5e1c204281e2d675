"""Benchmark: one process vs dask workers reading + geocoding an ACLED-like table.

Usage: python benchmarks/bench_dask.py [--rows 4000000] [--places 5000] [--workers 2]
       [--blocksize 33554432] [--gazetteer DIR] [--write]

Generates the CSV of ``bench_tables.make_csv`` (ids, dates, ACLED event types,
actors, fatalities, notes, a location + country from ``--places`` gazetteer places,
no coordinates: every row is geocoded), then times, each in a fresh child process:

1. one process: ``geo_events.io.tables.events_from_table`` (CPU seconds, peak RSS);
2. dask: ``geo_events.io.dask_tables.events_from_table`` on a
   ``LocalCluster(n_workers=--workers, threads_per_worker=1, processes=True)``,
   computing every partition in the workers and bringing back only its row count
   (so the time is reading + geocoding, as in 1, not moving frames between
   processes); the cluster's start is timed apart. Workers' CPU seconds and peak
   RSS come from the workers themselves;
3. with ``--write``: both again, writing the events: one process to one GeoParquet
   file (``write_events``), dask to GeoParquet partitioned by country and year
   (``write_partitioned``).

The machine's load average (1 min) is printed before and after each run: the
speed-up means something only on a quiet machine (``os.getloadavg()`` well under
the core count before a run).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_tables import make_csv


def _gazetteer(gazetteer_dir: str | None):
    from geo_events.gazetteer import Gazetteer, default_gazetteer

    return Gazetteer.open(gazetteer_dir) if gazetteer_dir else default_gazetteer()


def _one_process(csv_path: str, out: str | None, gazetteer_dir: str | None, queue) -> None:
    from geo_events.io.tables import events_from_table
    from geo_events.io.writers import write_events

    gaz = _gazetteer(gazetteer_dir)
    t0, c0 = time.perf_counter(), time.process_time()
    events = events_from_table(csv_path, gazetteer=gaz)
    t1 = time.perf_counter()
    if out:
        write_events(events, out)
    t2, c2 = time.perf_counter(), time.process_time()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    queue.put({"read_geocode_s": t1 - t0, "total_s": t2 - t0, "cpu_s": c2 - c0,
               "peak_rss_gb": rss, "rows": events.attrs["report"].rows_read})  # fmt: skip


def _worker_usage() -> dict:
    import resource
    import time

    return {"cpu_s": time.process_time(),
            "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2}  # fmt: skip


def _dask(csv_path: str, out: str | None, gazetteer_dir: str | None, workers: int,
          blocksize: int, queue) -> None:  # fmt: skip
    from geo_events import scale

    gaz = _gazetteer(gazetteer_dir)
    t0 = time.perf_counter()
    with scale.dask_client(workers) as client:
        t1 = time.perf_counter()
        before = client.run(_worker_usage)
        t2 = time.perf_counter()
        events = scale.events_from_table(csv_path, gazetteer=gaz, blocksize=blocksize)
        t3 = time.perf_counter()
        if out:
            report = scale.write_partitioned(events, out)
            rows = report.rows_read
        else:
            rows = int(sum(events.map_partitions(len).compute()))
        t4 = time.perf_counter()
        after = client.run(_worker_usage)
    cpu = sum(after[w]["cpu_s"] - before[w]["cpu_s"] for w in after)
    rss = max(after[w]["peak_rss_gb"] for w in after)
    queue.put({"cluster_start_s": t1 - t0, "graph_s": t3 - t2, "total_s": t4 - t2,
               "workers_cpu_s": cpu, "worker_peak_rss_gb": rss, "rows": rows,
               "partitions": events.npartitions, "workers": workers})  # fmt: skip


def _child(target, *args) -> dict:
    context = mp.get_context("spawn")
    queue = context.Queue()
    proc = context.Process(target=target, args=(*args, queue))
    load = os.getloadavg()[0]
    proc.start()
    result = queue.get()
    proc.join()
    result["load_before"] = round(load, 2)
    result["load_after"] = round(os.getloadavg()[0], 2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--places", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--blocksize", type=int, default=32 * 2**20)
    parser.add_argument("--gazetteer", default=None, help="gazetteer cache dir")
    parser.add_argument("--write", action="store_true", help="also time writing the events")
    parser.add_argument("--csv", default=None, help="reuse this generated CSV")
    args = parser.parse_args(argv)
    print(f"cores {os.cpu_count()}, load average {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(args.csv) if args.csv else Path(tmp) / "events.csv"
        if not csv_path.exists():
            t0 = time.perf_counter()
            make_csv(csv_path, args.rows, args.places, args.gazetteer)
            print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) "
                  f"in {time.perf_counter() - t0:.0f} s", flush=True)  # fmt: skip
        runs = [("one process", _one_process, (str(csv_path), None, args.gazetteer)),
                (f"dask x{args.workers}", _dask,
                 (str(csv_path), None, args.gazetteer, args.workers, args.blocksize))]  # fmt: skip
        if args.write:
            runs += [
                ("one process + write", _one_process,
                 (str(csv_path), str(Path(tmp) / "one.parquet"), args.gazetteer)),
                (f"dask x{args.workers} + write", _dask,
                 (str(csv_path), str(Path(tmp) / "parts"), args.gazetteer, args.workers,
                  args.blocksize)),
            ]  # fmt: skip
        results = {}
        for name, target, targs in runs:
            results[name] = _child(target, *targs)
            print(name, json.dumps(results[name]), flush=True)
        one = results["one process"]["read_geocode_s"]
        many = results[f"dask x{args.workers}"]["total_s"]
        print(f"speed-up (read + geocode): {one / many:.2f}x", flush=True)
        rows = results["one process"]["rows"]
        cpu = results[f"dask x{args.workers}"]["workers_cpu_s"]
        print(f"CPU-seconds per million rows: one process "
              f"{results['one process']['cpu_s'] / rows * 1e6:.1f}, dask workers "
              f"{cpu / rows * 1e6:.1f}", flush=True)  # fmt: skip
        if args.write:
            w1 = results["one process + write"]["total_s"]
            w2 = results[f"dask x{args.workers} + write"]["total_s"]
            print(f"speed-up (read + geocode + write): {w1 / w2:.2f}x", flush=True)


if __name__ == "__main__":
    main()
