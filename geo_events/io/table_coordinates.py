"""The coordinate steps of a chunk: repair given coordinates, check them against the country.

:func:`repair_coordinates` runs before geocoding: a pair out of range that fits
swapped is swapped back, one that fits neither way is dropped (the row is then
geocoded by its place columns), and rows with a usable pair are ``given``.
:func:`check_points_in_country` runs once country codes are known: a given point
outside its row's country that lands inside once swapped is swapped back; one
outside either way is kept and flagged.
"""

from __future__ import annotations

from geo_events.io.table_values import ChunkWork, blank_cells

__all__ = ["check_points_in_country", "repair_coordinates"]


def repair_coordinates(work: ChunkWork) -> None:
    """Given coordinates checked and repaired; sets the chunk's ``status`` and ``reason``."""
    import pandas as pd

    from geo_events.events.schema import EVENTS_SCHEMA

    table, issues = work.table, work.issues
    index = table.index
    missing = pd.Series(pd.NA, index=index, dtype="Float64")
    lat = table["latitude"] if "latitude" in table.columns else missing
    lon = table["longitude"] if "longitude" in table.columns else missing
    lat = lat if lat.dtype == "Float64" else missing
    lon = lon if lon.dtype == "Float64" else missing
    status = pd.Series(pd.NA, index=index, dtype="string")
    reason = pd.Series(pd.NA, index=index, dtype="string")
    if "geocode_status" in table.columns:  # a file we wrote: keep its placement record
        given = table["geocode_status"]
        status = given.astype("string").str.strip().mask(blank_cells(given))
        if "geocode_reason" in table.columns:
            reason = table["geocode_reason"].astype("string")
    one_missing = lat.isna() != lon.isna()
    issues.add(one_missing & lat.isna(), "latitude", "missing while longitude is given{}")
    issues.add(one_missing & lon.isna(), "longitude", "missing while latitude is given{}")
    bounds = {c.name: c.bounds for c in EVENTS_SCHEMA if c.bounds is not None}
    (lat_low, lat_high), (lon_low, lon_high) = bounds["latitude"], bounds["longitude"]
    assert None not in (lat_low, lat_high, lon_low, lon_high)
    lat_bad = (lat < lat_low) | (lat > lat_high)
    lon_bad = (lon < lon_low) | (lon > lon_high)
    out_of_range = (lat_bad | lon_bad).fillna(False)
    if out_of_range.any():
        fits_swapped = lat.abs().le(lon_high).fillna(False) & lon.abs().le(lat_high).fillna(False)
        swappable = out_of_range & fits_swapped
        pair = lat.astype("string") + ", " + lon.astype("string")
        issues.add(swappable, "latitude",
                   "latitude/longitude out of range and swapped: ({}); swapped back", pair)  # fmt: skip
        issues.add(out_of_range & ~swappable, "latitude" if lat_bad.any() else "longitude",
                   "coordinates out of range: ({}); dropped", pair)  # fmt: skip
        reason = reason.mask(
            swappable, "latitude and longitude were swapped in the input: (" + pair + ")"
        )
        reason = reason.mask(
            out_of_range & ~swappable, "input coordinates out of range: (" + pair + ")"
        )
        lat, lon = (
            lat.mask(swappable, lon).mask(out_of_range & ~swappable),
            lon.mask(swappable, lat).mask(out_of_range & ~swappable),
        )
        status = status.mask(swappable, "swapped")
    has_xy = (lat.notna() & lon.notna()).fillna(False)
    status = status.mask(has_xy & (status.isna() | (status == "unmatched")), "given")
    table["latitude"], table["longitude"] = lat, lon
    work.status, work.reason = status, reason


def check_points_in_country(work: ChunkWork) -> None:
    """Check given points against the row's country; swap back what only fits swapped.

    Out-of-range pairs are swapped earlier; this finds the swaps that stay in range
    (Idlib given as 36.6 / 35.9 lands in Turkey): a point outside its country whose
    swapped pair is inside is swapped back (status ``swapped``, reported); one outside
    either way is kept, flagged in ``read_issues`` and ``geocode_reason``.
    """
    import pandas as pd

    from geo_events.gazetteer.boundaries import outside_country_km

    table, issues = work.table, work.issues
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
