"""What checking the gazetteer index costs: on open (preloaded, mapped) and on lookups.

Usage: python benchmarks/bench_index_verify.py [--cache-dir DIR] [--repeats 5]

Builds the default gazetteer into DIR (a temp dir by default; reused when current),
then measures, each open in a fresh process so nothing is warm but the OS page cache:

- the index's size, and CRC-32 over all of it held in memory (the raw checksum rate);
- ``Index(preload=True)`` (reads every file, checks each file's CRC-32 and the
  structure, then turns three columns into lists as before) against reading the
  same files without any check or decoding;
- ``Index(preload=False)`` (maps the files, checks tries, meta.json and the small
  columns whole, every other block on first touch) and ``preload=False, verify=True``;
- single cold lookups (50,000 distinct names) on a mapped index with lazy block
  checks against one checked whole at open, and on a preloaded index.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OPEN = """
import sys, time
from pathlib import Path
from geo_events.gazetteer.store import Index  # imports are not the open's cost
directory = Path(sys.argv[1]); mode = sys.argv[2]
t = time.perf_counter()
if mode == "raw":
    data = [p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()]
else:
    index = Index(directory, preload=(mode == "preload"), verify=(mode == "mapped-verify"))
print(time.perf_counter() - t)
"""

LOOKUPS = """
import sys, time, random
from geo_events.gazetteer import Gazetteer
from geo_events.gazetteer.store import Index
directory, mode = sys.argv[1], sys.argv[2]
names = open(sys.argv[3], encoding="utf-8").read().split("\\n")
index = Index(directory, preload=(mode == "preload"), verify=(mode == "mapped-verify"))
gaz = Gazetteer(index)
t = time.perf_counter()
gaz.geocode(names[0])
first = time.perf_counter() - t
t = time.perf_counter()
for name in names[1:]:
    gaz.geocode(name)
print(first, (len(names) - 1) / (time.perf_counter() - t))
"""


def child(code: str, *args: str) -> list[float]:
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    ).stdout
    return [float(x) for x in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    cache = args.cache_dir or Path(tempfile.mkdtemp(prefix="geo-events-bench-"))

    import zlib

    from geo_events.gazetteer import Gazetteer
    from geo_events.gazetteer.store import check_index

    gaz = Gazetteer.open(cache, progress=False)
    directory = gaz.index.directory
    files = [p for p in sorted(directory.iterdir()) if p.is_file()]
    blobs = [p.read_bytes() for p in files]
    size = sum(map(len, blobs))
    big = max(files, key=lambda p: p.stat().st_size)
    print(f"machine: {os.cpu_count()} cores; index {size / 1e6:.1f} MB in {len(files)} files "
          f"(largest {big.name}, {big.stat().st_size / 1e6:.1f} MB), "
          f"{len(gaz):,} places")  # fmt: skip
    best = min(_timed(lambda: [zlib.crc32(b) for b in blobs]) for _ in range(5))
    print(f"CRC-32 over the whole index in memory: {best * 1000:.0f} ms "
          f"({size / best / 1e9:.2f} GB/s)")  # fmt: skip
    best = min(_timed(lambda: check_index(directory, None, verify=True)) for _ in range(3))
    print(f"check_index(verify=True), files read again: {best * 1000:.0f} ms")

    import numpy as np

    from geo_events.gazetteer.store import Index

    index = Index(directory)
    best_row = np.asarray(index.exact_best_row)
    best = min(_timed(lambda: index._check_structure(best_row)) for _ in range(5))
    print(f"structure checks of a preloaded index (offsets, row ids, codes): {best * 1000:.1f} ms")

    r = args.repeats
    for mode, label in (
        ("raw", "read every file, no checks"),
        ("preload", "Index(preload=True): read + CRC-32 of every byte + structure"),
        ("mapped", "Index(preload=False): map, check tries/meta/kind/prior, rest lazily"),
        ("mapped-verify", "Index(preload=False, verify=True): map + CRC-32 of every byte"),
    ):
        times = sorted(child(OPEN, str(directory), mode)[0] for _ in range(r))
        print(f"open, fresh process, {label}: best {times[0] * 1000:.0f} ms, "
              f"median {times[len(times) // 2] * 1000:.0f} ms (of {r})")  # fmt: skip

    import random

    rng = random.Random(1)
    rows = rng.sample(range(len(gaz)), 50_000)
    names = [gaz.index.record(row)["name"] for row in rows]
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(names))
    try:
        for mode, label in (
            ("preload", "preloaded (checked at open)"),
            ("mapped", "mapped, blocks checked on first touch"),
            ("mapped-verify", "mapped, checked whole at open"),
        ):
            first, rate = child(LOOKUPS, str(directory), mode, f.name)
            print(f"cold exact lookups, {label}: first {first * 1000:.2f} ms, "
                  f"then {rate:,.0f}/s over 50,000 distinct names")  # fmt: skip
    finally:
        os.unlink(f.name)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
