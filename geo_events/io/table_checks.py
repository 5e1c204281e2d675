"""The first steps of a chunk: flag undecodable text, parse dates, check every value.

Each step takes the chunk's :class:`~geo_events.io.table_values.ChunkWork`, records
what it finds in its issue log and leaves the table with values the schema accepts:
a value that breaks its column's rule (:attr:`geo_events.events.schema.Column.rule`,
the same rules :func:`~geo_events.events.schema.event_problems` checks) is dropped,
with the reason on its row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo_events.io.table_values import (
    ChunkWork,
    IssueLog,
    RowIssue,
    may_contain,
    parsed_dates,
    parsed_numbers,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["check_values", "flag_undecodable", "parse_event_dates"]

#: Columns read as numbers (coordinates are checked by :mod:`.table_coordinates`).
NUMERIC_COLUMNS = ("latitude", "longitude", "fatalities", "geo_precision", "time_precision",
                   "iso", "geonameid", "match_score", "confidence")  # fmt: skip
# a time of day followed by a UTC offset (+02, +0200, +02:00), and a zero offset
_ZONED = r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*[+-]\d\d(?::?\d\d)?$"
_UTC = r"[+-]00(?::?00)?$"
_NAIVE = "event_date is naive, see the events schema"
_ODD_CHARACTERS = ("\ufffd", "\x00")


def flag_undecodable(raw: pd.DataFrame, issues: IssueLog) -> pd.DataFrame:
    """Flag U+FFFD (undecodable bytes) and replace NUL characters by U+FFFD, flagged."""
    import pandas as pd

    out = raw
    for name in raw.columns:
        values = raw[name]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
            continue
        if not may_contain(values, _ODD_CHARACTERS):
            continue
        text = values.astype("string")
        odd = text.str.contains("[\ufffd\x00]", regex=True).fillna(False)
        nul = odd & text.str.contains("\x00", regex=False).fillna(False)
        issues.add(odd & ~nul, name, "undecodable bytes replaced by U+FFFD: {}", values)
        if nul.any():
            fixed = text.str.replace("\x00", "\ufffd", regex=False)
            issues.add(nul, name, "NUL character(s) replaced by U+FFFD: {}", fixed)
            if out is raw:
                out = raw.copy()
            out[name] = values.mask(nul, fixed) if values.dtype == object else fixed
    return out


def parse_event_dates(work: ChunkWork) -> None:
    """``event_date`` as naive UTC datetimes; ``time_precision`` from the format when unstated."""
    import pandas as pd

    table, issues = work.table, work.issues
    if "event_date" not in table.columns:
        return
    dates = table["event_date"]
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        zone = str(dates.dt.tz)
        if zone != "UTC" and dates.notna().any():
            note = f"times in zone {zone} converted to UTC and the zone dropped ({_NAIVE})"
            issues.items.append(RowIssue(None, "event_date", note))
    if pd.api.types.is_datetime64_any_dtype(dates):
        return
    parsed, implied, bad = parsed_dates(dates)
    issues.add(bad, "event_date", "not a date in a known format: {}", dates)
    text = dates.astype("string").str.strip()
    timed = text.str.contains(":", regex=False).fillna(False)  # the regexes only where a time is
    zoned = timed & False
    if timed.any():
        times = text[timed]
        zoned[timed] = times.str.contains(_ZONED, regex=True) & ~times.str.contains(_UTC,
                                                                                    regex=True)  # fmt: skip
    note = f"time zone offset converted to UTC and dropped ({_NAIVE}): {{}}"
    issues.add(~bad & zoned.fillna(False), "event_date", note, dates)
    table["event_date"] = parsed
    if "time_precision" not in table.columns:
        table["time_precision"] = implied
    else:
        stated, _ = parsed_numbers(table["time_precision"])
        table["time_precision"] = stated.fillna(implied.astype("Float64"))


def check_values(work: ChunkWork) -> None:
    """Numbers parsed, and each value held to its column's rule in the schema.

    Not a number, not finite, too large for the column's integer type, or
    against the column's rule (precisions 1-3, fatalities whole and not negative,
    ``iso`` 0-999, scores 0-1): dropped, with the reason. Coordinates are parsed
    here but their range is :func:`~geo_events.io.table_coordinates.repair_coordinates`'
    business (swapped pairs are put right, not dropped).
    """
    import numpy as np
    import pandas as pd

    from geo_events.events.schema import EVENTS_SCHEMA

    table, issues = work.table, work.issues
    columns = {c.name: c for c in EVENTS_SCHEMA}
    for name in NUMERIC_COLUMNS:
        if name not in table.columns:
            continue
        raw = table[name]
        values, bad = parsed_numbers(raw)
        issues.add(bad, name, "not a number: {}", raw)
        x = values.to_numpy(dtype="float64", na_value=np.nan)
        drop = ~np.isfinite(x) & ~np.isnan(x)
        issues.add(pd.Series(drop, index=values.index), name,
                   "not a finite number, dropped: {}", raw)  # fmt: skip
        column = columns[name]
        if column.whole:
            limit = float(np.iinfo(column.dtype.lower()).max) + 1
            with np.errstate(invalid="ignore"):
                huge = (np.abs(x) >= limit) & ~drop
            issues.add(pd.Series(huge, index=values.index), name,
                       "too large for the column, dropped: {}", raw)  # fmt: skip
            drop |= huge
        if name not in ("latitude", "longitude") and column.rule is not None:
            broken = column.breaks_rule(values.mask(pd.Series(drop, index=values.index))) & ~drop
            issues.add(pd.Series(broken, index=values.index), name,
                       f"not {column.rule}, dropped: {{}}", raw)  # fmt: skip
            drop |= broken
        table[name] = values.mask(pd.Series(drop, index=values.index)) if drop.any() else values
