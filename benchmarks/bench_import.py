"""Benchmark: import a synthetic GeoNames dump of N rows with the default gazetteer.

Generates a GeoNames-format ``XX.zip`` (19 columns, realistic transliterated
names, admin codes, populations) and optionally an ``alternateNamesV2``-format
zip into a temporary folder (never committed), then builds
``Gazetteer.open(tmp, geonames=dump)`` in a fresh cache and reports wall time,
rows/s and peak RSS. Run one size per process, since peak RSS is per process::

    python benchmarks/bench_import.py 1000000
    python benchmarks/bench_import.py 1000000 --alternate-names 1.0
    python benchmarks/bench_import.py 1000000 --records-only   # parsing alone
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
import zipfile
from pathlib import Path

_ONSETS = ["", "b", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh",
           "t", "v", "z", "zh", "ch", "p", "y", "w", "br", "kr", "st", "gr", "dr"]  # fmt: skip
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ay", "aw", "ia", "ya"]
_CODAS = ["", "", "n", "r", "l", "m", "k", "d", "t", "s", "sh", "z", "v", "rk", "nd", "vka"]
_PREFIXES = ["", "", "", "", "Tall ", "Ayn ", "Deir ", "Kafr ", "Novo", "Staro", "Bir ", "Jabal "]
_ARTICLES = ["", "", "", "al-", "ad-", "as-", "ar-"]
_SUFFIXES = ["", "", "", "", "ivka", "ovo", "iyah", "abad", "pur", "ino", "sk", "ka"]
_LANGS = ["en", "ar", "ru", "fr", "de", "", "", "link", "wkdt", "post", "iata", "uk", "tr"]
_CLASSES = ["P"] * 6 + ["H"] * 2 + ["T"] * 2 + ["S", "L", "V", "A", "R", "U"]
_CODES = {"P": "PPL", "H": "STM", "T": "HLL", "S": "BLDG", "L": "LCTY", "V": "FRST",
          "A": "ADM3", "R": "RD", "U": "SMT"}  # fmt: skip


def _word(rng: random.Random) -> str:
    syllables = rng.choice((1, 2, 2, 3, 3, 4))
    word = "".join(
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    )
    return word.capitalize()


def synthetic_name(rng: random.Random) -> str:
    """Return a made-up but plausible transliterated place name."""
    name = rng.choice(_PREFIXES) + rng.choice(_ARTICLES) + _word(rng) + rng.choice(_SUFFIXES)
    if rng.random() < 0.1:
        name += " " + _word(rng)
    return name[0].upper() + name[1:]


def write_dump(
    folder: Path, n: int, alternate_ratio: float, seed: int = 7
) -> tuple[Path, Path | None]:
    """Write ``XX.zip`` with ``n`` rows (and an alternate-names zip); return both paths."""
    rng = random.Random(seed)
    places = folder / "XX.zip"
    first_id = 20_000_000  # above every real geonameid in the defaults: no merging
    with (
        zipfile.ZipFile(places, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("XX.txt", "w") as raw,
    ):
        lines = []
        for i in range(n):
            name = synthetic_name(rng)
            fclass = rng.choice(_CLASSES)
            alts = ",".join(synthetic_name(rng) for _ in range(rng.choice((0, 0, 1, 2))))
            population = int(rng.paretovariate(1.2) * 50) if fclass == "P" else 0
            row = [
                str(first_id + i), name, name, alts,
                f"{rng.uniform(-60, 70):.5f}", f"{rng.uniform(-180, 180):.5f}",
                fclass, _CODES[fclass], "XX", "", f"{rng.randint(1, 30):02d}",
                str(rng.randint(1, 400)), "", "", str(population), "", "250",
                "Asia/Damascus", "2024-01-01",
            ]  # fmt: skip
            lines.append("\t".join(row))
            if len(lines) == 50_000:
                raw.write(("\n".join(lines) + "\n").encode())
                lines.clear()
        raw.write(("\n".join(lines) + "\n").encode() if lines else b"")
    if alternate_ratio <= 0:
        return places, None
    alternates = folder / "alternateNamesV2.zip"
    with (
        zipfile.ZipFile(alternates, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("alternateNamesV2.txt", "w") as raw,
    ):
        lines = []
        # Half the rows name places outside the dump (as in the real file).
        for j in range(int(n * alternate_ratio * 2)):
            gid = first_id + rng.randrange(n * 2)
            lang = rng.choice(_LANGS)
            name = f"https://x/{j}" if lang == "link" else synthetic_name(rng)
            lines.append(f"{j + 1}\t{gid}\t{lang}\t{name}\t\t\t\t\t\t")
            if len(lines) == 50_000:
                raw.write(("\n".join(lines) + "\n").encode())
                lines.clear()
        raw.write(("\n".join(lines) + "\n").encode() if lines else b"")
    return places, alternates


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--alternate-names", type=float, default=0.0, metavar="RATIO",
                        help="kept alternate names per place (0: use the alternatenames column)")  # fmt: skip
    parser.add_argument("--records-only", action="store_true",
                        help="time GeoNamesDump.records() alone, no index build")  # fmt: skip
    args = parser.parse_args()

    from geo_events.gazetteer import Gazetteer
    from geo_events.gazetteer.geonames import GeoNamesDump

    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        places, alternates = write_dump(folder, args.rows, args.alternate_names)
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s "
              f"({places.stat().st_size / 1e6:.0f} MB zip)")  # fmt: skip
        dump = GeoNamesDump(places, alternate_names=alternates)
        started = time.perf_counter()
        if args.records_only:
            count = sum(1 for _ in dump.records())
            label = "parsed"
        else:
            gaz = Gazetteer.open(folder / "cache", geonames=dump, progress=False)
            count = len(gaz)
            label = "built (defaults + dump)"
        wall = time.perf_counter() - started
        report = dump.report
        print(f"{label}: {count:,} places in {wall:.1f} s = {args.rows / wall:,.0f} dump rows/s")
        print(f"peak RSS {peak_rss_mb():,.0f} MB")
        if report is not None:
            print(report.summary())


if __name__ == "__main__":
    main()
