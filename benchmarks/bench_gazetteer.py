"""Gazetteer speed and memory: build, import, open, lookups (exact, vectorized, fuzzy).

Usage: python benchmarks/bench_gazetteer.py [--cache-dir DIR] [--skip-build]

Each figure is measured in a fresh process where it matters (import, open, RSS).
Lookup names are sampled from the index itself, so every lookup is a real hit;
single-lookup rates are measured cold (a new Gazetteer, empty result cache) on
distinct names, and warm (the same names again). A candidate's place fields are read
on first access, so cold lookups are also timed reading two of them (``name`` and
``latitude``), and against the plain way of answering them: a dict of every place's
casefolded name built from the index's records, its build time included.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_py(code: str, env_cache: Path) -> str:
    env = {"GEO_EVENTS_CACHE_DIR": str(env_cache), "PATH": "/usr/bin:/bin"}
    import os

    env = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()


# One build in a fresh process and cache: wall time of Gazetteer.open, each stage's
# wall time (from its first progress call to the next stage's) and the peak RSS of the
# process (VmHWM; its helpers on the second core are separate processes, not counted).
_BUILD_CODE = """
import json, re, time
from geo_events.gazetteer import Gazetteer
stages, current = {}, [None, 0.0]
def progress(stage, done, total):
    now = time.perf_counter()
    if stage != current[0]:
        if current[0] is not None:
            stages[current[0]] = now - current[1]
        current[:] = [stage, now]
start = time.perf_counter()
Gazetteer.open(progress=progress)
end = time.perf_counter()
stages[current[0]] = end - current[1]
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024
print(json.dumps({"wall": end - start, "stages": stages, "rss": peak}))
"""


def build_report(runs: int) -> str:
    """Time ``runs`` builds of the default index, each in a fresh process and cache."""
    import json
    import os
    import statistics

    results = []
    for _ in range(runs):
        load = os.getloadavg()[0]
        with tempfile.TemporaryDirectory(prefix="geo-events-build-") as fresh:
            results.append({**json.loads(run_py(_BUILD_CODE, Path(fresh))), "load": load})
    walls = [r["wall"] for r in results]
    median = sorted(results, key=lambda r: r["wall"])[len(results) // 2]
    stages = ", ".join(f"{name} {t:.1f} s" for name, t in median["stages"].items())
    loads = ", ".join(f"{r['load']:.1f}" for r in results)
    return (
        f"build default index (fresh process and cache, {runs} runs): median "
        f"{statistics.median(walls):.1f} s (runs {', '.join(f'{w:.1f}' for w in walls)} s; "
        f"1-min load before each {loads} "
        f"on {os.cpu_count()} cores)\n"
        f"  stages of the median run: {stages}\n"
        f"  peak RSS of the building process: {max(r['rss'] for r in results)} MB"
    )


def sample_names(gaz, n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    rows = rng.sample(range(len(gaz)), n)
    return [gaz.index.record(r)["name"] for r in rows]


def misspell(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, max(2, len(name) - 1))
    return name[:i] + name[i - 1] + name[i:]  # double one letter


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--build-runs", type=int, default=3, help="fresh builds to time (median)")
    args = parser.parse_args()
    cache = args.cache_dir or Path(tempfile.mkdtemp(prefix="geo-events-bench-"))

    from geo_events.gazetteer import Gazetteer

    if not args.skip_build:
        print(build_report(args.build_runs))
        Gazetteer.open(cache, rebuild=True, progress=False)

    imports = [
        float(run_py("import time; t=time.perf_counter(); import geo_events; "
                     "print(time.perf_counter()-t)", cache))
        for _ in range(5)
    ]  # fmt: skip
    print(f"import geo_events: {min(imports) * 1000:.0f} ms (best of 5)")
    opens = [
        float(run_py("import geo_events, time; from geo_events.gazetteer import Gazetteer; "
                     "t=time.perf_counter(); g=Gazetteer.open(); g.geocode('Aleppo'); "
                     "print(time.perf_counter()-t)", cache))
        for _ in range(5)
    ]  # fmt: skip
    print(f"open index + first lookup in a fresh process: {min(opens) * 1000:.0f} ms (best of 5)")
    rss = run_py(
        # VmHWM, not ru_maxrss: after fork+exec, ru_maxrss still holds the parent's peak
        "import re; r=lambda: int(re.search(r'VmHWM:\\s+(\\d+)', "
        "open('/proc/self/status').read()).group(1)) // 1024; "
        "from geo_events.gazetteer import Gazetteer; g=Gazetteer.open(); "
        "[g.geocode(n) for n in ('Aleppo','Deir Ezzor','Paris','Kyiv')]; a=r(); "
        "g.geocode('Deir ez-Zorr'); b=r(); import geo_events.gazetteer.batch, pandas; "
        "geo_events.gazetteer.batch.geocode_table(pandas.Series(['Homs']*1000), gazetteer=g); "
        "print(a, b, r())",
        cache,
    ).split()
    print(f"peak RSS: {rss[0]} MB loaded gazetteer with lookups; {rss[1]} MB after the first "
          f"fuzzy lookup (its buckets); {rss[2]} MB with pandas and a vectorized call")  # fmt: skip

    gaz = Gazetteer.open(cache)
    names = sample_names(gaz, 50_000)
    fresh = Gazetteer.open(cache)
    start = time.perf_counter()
    for name in names:
        fresh.geocode(name)
    cold = len(names) / (time.perf_counter() - start)
    start = time.perf_counter()
    for name in names:
        fresh.geocode(name)
    warm = len(names) / (time.perf_counter() - start)
    print(f"single exact lookups: {cold:,.0f}/s cold (50,000 distinct names), {warm:,.0f}/s warm")
    fresh = Gazetteer.open(cache)
    start = time.perf_counter()
    for name in names:
        place = fresh.geocode(name)
        if place is not None:
            _ = place.name, place.latitude
    read = len(names) / (time.perf_counter() - start)
    start = time.perf_counter()
    by_name: dict[str, tuple[int, float, float]] = {}
    ix = gaz.index
    for row in range(len(ix)):
        gid, name, lat, lon = ix.head(row)[:4]
        by_name.setdefault(name.casefold(), (gid, lat, lon))
    built = time.perf_counter() - start
    found = sum(by_name.get(name.casefold()) is not None for name in names)
    both = time.perf_counter() - start
    print(f"  cold, reading .name and .latitude: {read:,.0f}/s; a dict of every place's name: "
          f"built in {built:.2f} s, then {len(names):,} lookups: {len(names) / both:,.0f}/s with "
          f"its build ({found / len(names):.0%} found)")  # fmt: skip

    rng = random.Random(2)
    variants = [n.upper().replace(" ", "-") for n in names[:20_000]]
    fresh = Gazetteer.open(cache)
    start = time.perf_counter()
    hits = sum(fresh.geocode(n, fuzzy=False) is not None for n in variants)
    rate = len(variants) / (time.perf_counter() - start)
    print(
        f"single normalized lookups (upper-cased, hyphenated): {rate:,.0f}/s cold, hit {hits / len(variants):.0%}"
    )

    import pandas as pd

    from geo_events.gazetteer.batch import geocode_table

    distinct = names[:5_000]
    series = pd.Series([distinct[i % 5_000] for i in range(1_000_000)])
    fresh = Gazetteer.open(cache)
    start = time.perf_counter()
    out = geocode_table(series, gazetteer=fresh)
    elapsed = time.perf_counter() - start
    print(f"vectorized: 1,000,000 rows, 5,000 distinct names: {elapsed:.2f} s "
          f"({len(series) / elapsed:,.0f} rows/s), placed {out['geonameid'].notna().mean():.1%}")  # fmt: skip

    typos = [misspell(n, rng) for n in names[20_000:25_000] if len(n) >= 5]
    fresh = Gazetteer.open(cache)
    start = time.perf_counter()
    fresh.geocode("Deir ez-Zorr")  # the first fuzzy lookup groups the keys into buckets
    print(f"fuzzy buckets built on first use: {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    found = sum(fresh.geocode(n) is not None for n in typos)
    rate = len(typos) / (time.perf_counter() - start)
    print(f"fuzzy lookups (one doubled letter): {rate:,.0f}/s cold, found {found / len(typos):.0%}")
    print(
        f"this process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
