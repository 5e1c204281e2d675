"""The chunk engine: one DataFrame of raw table rows in, events out.

:func:`events_from_chunk` maps a chunk's columns (:mod:`geo_events.io.table_formats`),
checks every value (:mod:`geo_events.io._table_values`), places the rows without
usable coordinates through the gazetteer (memoised across chunks by a
:class:`GeocodeCache`) and returns an events frame. It is a pure function of its
inputs and knows nothing of files, so the same work can run on any source of
chunks; reading files is :mod:`geo_events.io._table_files`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo_events.io._table_values import (
    RowIssue,
    _blank,
    _clean_cells,
    _country_tables,
    _Issues,
    _numbers,
    _parse_dates,
)
from geo_events.io.table_formats import TableSpec, _map_gdelt, _map_table, _map_ucdp

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer


_NUMERIC = ("latitude", "longitude", "fatalities", "geo_precision", "time_precision", "iso",
            "geonameid", "match_score", "confidence")  # fmt: skip
_GEOCODE_KEYS = ("location", "country", "admin1", "admin2")
# whole-number schema columns held as Int64: larger magnitudes do not fit
_TOO_LARGE = {"fatalities": 2.0**63, "geonameid": 2.0**63}
# a time of day followed by a UTC offset (+02, +0200, +02:00), and a zero offset
_ZONED = r"\d:\d\d(?::\d\d(?:\.\d+)?)?\s*[+-]\d\d(?::?\d\d)?$"
_UTC = r"[+-]00(?::?00)?$"
_NAIVE = "event_date is naive, see the events schema"


class GeocodeCache:
    """Memo of place-column keys already geocoded, shared across chunks.

    Only speeds things up: results are the same with or without it (for one
    gazetteer; do not share a cache between gazetteers).
    """

    def __init__(self) -> None:
        self.frame: pd.DataFrame | None = None

    def __len__(self) -> int:
        return 0 if self.frame is None else len(self.frame)


# --------------------------------------------------------------------------- the chunk


def _text_cells(raw: pd.DataFrame, issues: _Issues) -> pd.DataFrame:
    """Flag U+FFFD (undecodable bytes) and replace NUL characters by U+FFFD, flagged."""
    import pandas as pd

    out = raw
    for name in raw.columns:
        values = raw[name]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values.dtype)):
            continue
        text = values.astype("string")
        odd = text.str.contains("[\ufffd\x00]", regex=True).fillna(False)
        if not odd.any():
            continue
        nul = odd & text.str.contains("\x00", regex=False).fillna(False)
        issues.add(odd & ~nul, name, "undecodable bytes replaced by U+FFFD: {}", values)
        if nul.any():
            fixed = text.str.replace("\x00", "\ufffd", regex=False)
            issues.add(nul, name, "NUL character(s) replaced by U+FFFD: {}", fixed)
            if out is raw:
                out = raw.copy()
            out[name] = values.mask(nul, fixed) if values.dtype == object else fixed
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
    out: pd.DataFrame = cache.frame.reindex(pd.Index(key.to_numpy(), dtype="string"))
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
    raw = _text_cells(
        _clean_cells(df.drop(columns=["source_line"], errors="ignore"), issues), issues
    )
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
            present: pd.Series = table[name]
            return present
        missing: pd.Series = pd.Series(pd.NA, index=index, dtype="object")
        return missing

    # dates
    if "event_date" in table.columns and isinstance(table["event_date"].dtype, pd.DatetimeTZDtype):
        zone = str(table["event_date"].dt.tz)
        if zone != "UTC" and table["event_date"].notna().any():
            note = f"times in zone {zone} converted to UTC and the zone dropped ({_NAIVE})"
            issues.items.append(RowIssue(None, "event_date", note))
    if "event_date" in table.columns and not pd.api.types.is_datetime64_any_dtype(
        table["event_date"]
    ):
        dates, implied, bad = _parse_dates(table["event_date"])
        issues.add(bad, "event_date", "not a date in a known format: {}", table["event_date"])
        text = table["event_date"].astype("string").str.strip()
        zoned = text.str.contains(_ZONED, regex=True) & ~text.str.contains(_UTC, regex=True)
        note = f"time zone offset converted to UTC and dropped ({_NAIVE}): {{}}"
        issues.add(~bad & zoned.fillna(False), "event_date", note, table["event_date"])
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
            finite = np.isfinite(values.fillna(0).to_numpy(dtype="float64"))
            drop = pd.Series(~finite, index=values.index)
            issues.add(drop, name, "not a finite number, dropped: {}", table[name])
            if name in _TOO_LARGE:
                huge = (values.abs() >= _TOO_LARGE[name]).fillna(False) & ~drop
                issues.add(huge, name, "too large for the column, dropped: {}", table[name])
                drop |= huge
            table[name] = values.mask(drop)
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
        unplaced = (
            "no coordinates and no place column to geocode"
            if not place_cols or place_cols == ["country"]
            else "no coordinates and no place name"
        )
        status[rest] = "unmatched"
        reason[rest] = (reason[rest] + "; " + unplaced).fillna(unplaced)
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
    _check_points_in_country(table, issues)

    previous = table["read_issues"].astype("string") if "read_issues" in table.columns else None
    new_issues = issues.column(index)
    if previous is not None:
        new_issues = (previous + "; " + new_issues).fillna(previous).fillna(new_issues)
    table["read_issues"] = new_issues
    return to_events_frame(table), issues.items


def _check_points_in_country(table: pd.DataFrame, issues: _Issues) -> None:
    """Check given points against the row's country; swap back what only fits swapped.

    Out-of-range pairs are swapped earlier; this finds the swaps that stay in range
    (Idlib given as 36.6 / 35.9 lands in Turkey): a point outside its country whose
    swapped pair is inside is swapped back (status ``swapped``, reported); one outside
    either way is kept, flagged in ``read_issues`` and ``geocode_reason``.
    """
    import pandas as pd

    from geo_events.gazetteer.boundaries import outside_country_km

    status = table["geocode_status"].astype("string")
    given = (status == "given").fillna(False) & table["country_code"].notna()
    if not given.any():
        return
    lat, lon = table["latitude"], table["longitude"]
    rows = given[given].index
    off = pd.Series(outside_country_km(table.loc[rows, "country_code"], lat[rows], lon[rows]),
                    index=rows)  # fmt: skip
    outside = off[off > 0].index
    if len(outside) == 0:
        return
    back = pd.Series(outside_country_km(table.loc[outside, "country_code"], lon[outside],
                                        lat[outside]), index=outside)  # fmt: skip
    fix = back[back == 0].index
    flag = outside.difference(fix)
    pair = "(" + lat.astype("string") + ", " + lon.astype("string") + ")"
    country = table["country_code"].astype("string")
    mask_fix = pd.Series(table.index.isin(fix), index=table.index)
    mask_flag = pd.Series(table.index.isin(flag), index=table.index)
    issues.add(mask_fix, "latitude", "latitude and longitude swapped: {}; swapped back",
               pair + " is outside " + country + ", swapped it is inside")  # fmt: skip
    km = off.reindex(table.index).round().astype("Int64").astype("string")
    note = pair + " is " + km + " km outside " + country
    issues.add(mask_flag, "latitude", "point outside the row's country: {}; kept", note)
    reason = table["geocode_reason"].astype("string")
    why_fix = "latitude and longitude were swapped in the input: " + pair + " is outside " + country
    why_flag = "the given point " + note + " (kept as given)"
    reason = reason.mask(mask_fix, (reason + "; " + why_fix).fillna(why_fix))
    reason = reason.mask(mask_flag, (reason + "; " + why_flag).fillna(why_flag))
    table["geocode_reason"] = reason
    if len(fix):
        new_lat, new_lon = lat.mask(mask_fix, lon), lon.mask(mask_fix, lat)
        table["latitude"], table["longitude"] = new_lat, new_lon
        table["geocode_status"] = status.mask(mask_fix, "swapped")


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
