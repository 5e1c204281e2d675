"""Event coding against ACLED's human coders: extract each row's notes, compare with its coding.

Usage::

    python benchmarks/bench_events_acled.py PATH_TO_GOLD_CSV [--limit N] [--misses K] [--json OUT]

PATH_TO_GOLD_CSV is an ACLED export (ACLED's column layout: ``notes``, ``event_date``,
``event_type``, ``sub_event_type``, ``actor1``, ``actor2``, ``latitude``, ``longitude``,
``geo_precision``, ``fatalities``, ``location``), e.g.
``../shared/eval/acled_kenya2019/acled_export.csv``. ACLED data is used for evaluation
only (acleddata.com; Raleigh et al. 2010).

Each row is one human-coded event; its ``notes`` (the coder's summary of the report)
are read as an article published on the row's ``event_date``. The *main* event is the
first event the article yields (notes are written "On <date>, <who> <did what> in
<place>"). Every rate is over all rows: a row that yields no event counts as a miss
everywhere, so the rates cannot be raised by answering less.

- fatalities: a row whose event states no figure (None) counts as 0, ACLED's convention
  for "none reported";
- actors: ACLED's names with the date suffix dropped ("Police Forces of Kenya (2013-)"
  → "Police Forces of Kenya"); an empty gold actor2 agrees with an event without one;
- places: great-circle distance from the gold point; "named" rows are those whose coded
  location is written in the notes (elsewhere ACLED coded a village the notes name to
  a nearby location, or a county).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo_events.gazetteer import default_gazetteer
from geo_events.text.article import Article
from geo_events.text.extract import Extractor

csv.field_size_limit(sys.maxsize)

_SUFFIX = re.compile(r"\s*\((?:\d{4})-(?:\d{4})?\)")
_DATE_FORMATS = ("%d-%m-%y", "%Y-%m-%d", "%d %B %Y", "%d-%b-%y", "%m/%d/%Y")


def acled_actor(name: str | None) -> str:
    """ACLED's actor name without its date suffix; "" for none."""
    return " ".join(_SUFFIX.sub("", name or "").split())


def parse_date(raw: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(raw.strip(), fmt).date()
        except ValueError:
            continue
    return None


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def number(raw: str | None) -> float | None:
    try:
        return float(raw) if raw not in (None, "") else None
    except ValueError:
        return None


def _getter(event: object) -> Callable[[str], Any]:
    """A field reader for an event that may be missing (a row without an event)."""
    return lambda attr: getattr(event, attr, None) if event is not None else None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path, help="an ACLED export CSV")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N rows")
    parser.add_argument("--misses", type=int, default=0, help="print K misses per measure")
    parser.add_argument("--json", type=Path, default=None, help="write the rates as JSON here")
    args = parser.parse_args()

    with args.gold.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if args.limit:
        rows = rows[: args.limit]
    t0 = time.perf_counter()
    gaz = default_gazetteer()
    print(f"gazetteer: {time.perf_counter() - t0:.1f} s to open", file=sys.stderr)

    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    misses: dict[str, list[str]] = {}
    reasons: Counter[str] = Counter()

    def score(measure: str, ok: bool, detail: str) -> None:
        totals[measure] += 1
        hits[measure] += ok
        if not ok and len(misses.setdefault(measure, [])) < args.misses:
            misses[measure].append(detail)

    articles = [
        Article(
            id=str(row.get("event_id_cnty") or n),
            title="",
            text=row.get("notes") or "",
            published=parse_date(row.get("event_date") or ""),
        )
        for n, row in enumerate(rows)
    ]
    # the rows are one feed, streamed as a user would: the feed's country names the
    # actors of notes that name no place (those events stay unplaced)
    start = time.perf_counter()
    results = list(Extractor(gaz).extract_many(articles))
    elapsed = time.perf_counter() - start
    for row, article, result in zip(rows, articles, results, strict=True):
        notes = article.text
        gold_date = article.published
        event = result.events[0] if result.events else None
        if event is None:
            reasons[result.reason] += 1
        short = notes[:160].replace("\n", " ")
        score("yield", event is not None, f"{result.reason}: {short}")
        got = _getter(event)
        score(
            "event_type",
            got("event_type") == row["event_type"],
            f"{got('event_type')} != {row['event_type']}: {short}",
        )
        score(
            "sub_event_type",
            got("sub_event_type") == row["sub_event_type"],
            f"{got('sub_event_type')} != {row['sub_event_type']}: {short}",
        )
        lat, lon = number(row.get("latitude")), number(row.get("longitude"))
        named = bool(row.get("location")) and row["location"].casefold() in notes.casefold()
        distance = (
            km(event.latitude, event.longitude, lat, lon)
            if event is not None
            and event.latitude is not None
            and lat is not None
            and lon is not None
            else math.inf
        )
        place = f"{got('location')} ({distance:.0f} km) vs {row.get('location')}, {row.get('admin1')}: {short}"
        for limit in (25, 161):
            score(f"within_{limit}km", distance <= limit, place)
            if named:
                score(f"within_{limit}km_named", distance <= limit, place)
        score(
            "geo_precision",
            str(got("geo_precision")) == str(row.get("geo_precision")),
            f"{got('geo_precision')} != {row.get('geo_precision')}: {place}",
        )
        gold_deaths = number(row.get("fatalities")) or 0
        deaths = got("fatalities")
        deaths = 0 if deaths is None and event is not None else deaths
        score("fatalities", deaths == gold_deaths, f"{deaths} != {gold_deaths:.0f}: {short}")
        if gold_deaths > 0:
            score(
                "fatalities_gold_gt0",
                deaths == gold_deaths,
                f"{deaths} != {gold_deaths:.0f}: {short}",
            )
        for key in ("actor1", "actor2"):
            mine = acled_actor(got(key)) if event is not None else None
            score(
                key,
                mine == acled_actor(row.get(key)),
                f"{mine!r} != {acled_actor(row.get(key))!r}: {short}",
            )
        score(
            "date", got("event_date") == gold_date, f"{got('event_date')} != {gold_date}: {short}"
        )

    rates = {m: round(hits[m] / totals[m], 3) for m in totals}
    print(f"ACLED notes: {args.gold} ({len(rows):,} rows)")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    width = max(map(len, rates))
    for measure, rate in rates.items():
        print(f"  {measure:<{width}}  {rate:.3f}  ({hits[measure]:,} / {totals[measure]:,})")
    print(f"  speed: {len(rows) / elapsed:,.0f} rows/s ({elapsed:.1f} s extracting, one core)")
    if reasons:
        print("  rows without an event, by reason:")
        for reason, count in reasons.most_common(8):
            print(f"    {count:>6,}  {reason}")
    for measure, items in misses.items():
        if not items:
            continue
        print(f"\nmisses: {measure}")
        for item in items:
            print(f"  - {item}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {"rows": len(rows), "rates": rates, "rows_per_s": len(rows) / elapsed}, indent=2
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
