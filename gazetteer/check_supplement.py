#!/usr/bin/env python3
"""Validate a geo_events gazetteer supplement CSV (standard library only).

Usage:
    python gazetteer/check_supplement.py [path/to/supplement.csv ...]

With no argument, checks gazetteer/supplement.csv next to this script.
Prints one line per problem and exits with status 1 if there is any problem,
0 if every file is clean.
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

COLUMNS = [
    "name",
    "alternate_names",
    "latitude",
    "longitude",
    "country_code",
    "admin1_code",
    "feature_class",
    "feature_code",
    "population",
    "geonameid",
    "source",
    "precision_km",
    "note",
]

REQUIRED_VALUES = [
    "name",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "source",
    "precision_km",
]

FEATURE_CLASSES = set("AHLPRSTUV")

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max), generous by a few
# tenths of a degree. They catch swapped coordinates and sign errors, not
# points a few km over a border.
COUNTRY_BOXES = {
    "SY": (32.3, 37.4, 35.6, 42.45),
    "IQ": (29.0, 37.45, 38.7, 48.7),
    "YE": (12.0, 19.1, 41.8, 54.6),
    "UA": (44.3, 52.45, 22.1, 40.3),
    "SD": (8.6, 22.3, 21.8, 38.7),
    "LY": (19.5, 33.25, 9.3, 25.2),
    "ML": (10.1, 25.05, -12.3, 4.3),
    "BF": (9.35, 15.1, -5.6, 2.45),
    "NE": (11.6, 23.55, 0.1, 16.0),
    "TD": (7.4, 23.5, 13.4, 24.05),
}


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def check_file(path: Path) -> list[str]:
    """Return every problem found in one supplement file."""
    problems: list[str] = []

    def problem(line: int, message: str) -> None:
        problems.append(f"{path}:{line}: {message}")

    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        return [f"{path}: cannot open: {exc}"]

    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
        except UnicodeDecodeError as exc:
            return [f"{path}: not valid UTF-8: {exc}"]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            problem(1, f"missing columns: {', '.join(missing)}")
            return problems
        if header != COLUMNS:
            problem(1, f"columns should be exactly, in order: {','.join(COLUMNS)}")

        seen: dict[tuple[str, str], int] = {}
        rows = 0
        try:
            for row in reader:
                rows += 1
                line = reader.line_num
                if None in row:
                    problem(line, f"more fields than columns: {row[None]!r}")
                if any(v is None for v in row.values()):
                    problem(line, "fewer fields than columns")
                    continue

                for column in REQUIRED_VALUES:
                    if not row[column].strip():
                        problem(line, f"empty {column}")

                name = row["name"].strip()
                country = row["country_code"].strip()

                lat = _number(row["latitude"])
                lon = _number(row["longitude"])
                if lat is None or not -90 <= lat <= 90:
                    problem(line, f"latitude {row['latitude']!r} is not a number in [-90, 90]")
                    lat = None
                if lon is None or not -180 <= lon <= 180:
                    problem(line, f"longitude {row['longitude']!r} is not a number in [-180, 180]")
                    lon = None

                if country and not (
                    len(country) == 2
                    and country.isascii()
                    and country.isalpha()
                    and country.isupper()
                ):
                    problem(
                        line, f"country_code {country!r} is not two upper-case letters or empty"
                    )

                fclass = row["feature_class"].strip()
                if fclass and fclass not in FEATURE_CLASSES:
                    problem(
                        line,
                        f"feature_class {fclass!r} is not one of {','.join(sorted(FEATURE_CLASSES))}",
                    )
                fcode = row["feature_code"].strip()
                if fcode and not (
                    fcode.isascii() and fcode.isalnum() and fcode.isupper() and len(fcode) <= 10
                ):
                    problem(line, f"feature_code {fcode!r} does not look like a GeoNames code")

                precision = _number(row["precision_km"])
                if row["precision_km"].strip() and (precision is None or precision <= 0):
                    problem(line, f"precision_km {row['precision_km']!r} is not a positive number")

                population = row["population"].strip()
                if population and not population.isdigit():
                    problem(line, f"population {population!r} is not a non-negative integer")
                geonameid = row["geonameid"].strip()
                if geonameid and not geonameid.isdigit():
                    problem(line, f"geonameid {geonameid!r} is not an integer")

                if (
                    any(
                        part != part.strip() or not part
                        for part in row["alternate_names"].split("|")
                    )
                    and row["alternate_names"]
                ):
                    problem(line, "alternate_names has an empty or space-padded entry")

                key = (name.casefold(), country)
                if name:
                    if key in seen:
                        problem(
                            line,
                            f"duplicate (name, country) {name!r}/{country or '-'} (first on line {seen[key]})",
                        )
                    else:
                        seen[key] = line

                box = COUNTRY_BOXES.get(country)
                if box and lat is not None and lon is not None:
                    lat_min, lat_max, lon_min, lon_max = box
                    if not (lat_min <= lat <= lat_max and lon_min <= lon <= lon_max):
                        problem(
                            line,
                            f"{name!r} at ({lat}, {lon}) lies outside the rough box of {country}",
                        )
        except csv.Error as exc:
            problem(reader.line_num, f"CSV error: {exc}")
        except UnicodeDecodeError as exc:
            problem(reader.line_num, f"not valid UTF-8: {exc}")

        if rows == 0:
            problem(1, "no data rows")
    return problems


def main(argv: list[str]) -> int:
    """Check the files given (default: the shipped supplement); exit 1 on problems."""
    paths = [Path(a) for a in argv] or [Path(__file__).resolve().parent / "supplement.csv"]
    problems: list[str] = []
    for path in paths:
        problems.extend(check_file(path))
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    print(f"OK: {', '.join(str(p) for p in paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
