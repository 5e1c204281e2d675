"""What users ask of an events table: counts, density grids, filters.

Every function takes an events GeoDataFrame (:mod:`geo_events.events.schema`).
Counts keep missing keys as their own group (``<NA>``), so they add up to the
number of events. Density grids count only placed events (a point is needed);
the number left out is in the result's ``attrs["unplaced_events"]``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from geo_events.errors import ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["count_events", "filter_events", "grid_density", "h3_density"]

logger = logging.getLogger(__name__)

_FREQS = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y",
          "D": "D", "W": "W-SUN", "M": "M", "MS": "M", "ME": "M", "Q": "Q", "Y": "Y", "YS": "Y"}  # fmt: skip
_ACTOR_COLUMNS = ("actor1", "actor2")


def _need(gdf: Any, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise ValidationError(
            f"column(s) {', '.join(missing)} not in the events table; build it with "
            "to_events_frame()",
            [f"missing column {c!r}" for c in missing],
        )


def count_events(
    gdf: pd.DataFrame,
    by: str | Sequence[str] = "country",
    *,
    freq: str | None = None,
    date: str = "event_date",
) -> pd.DataFrame:
    """Count events (and sum fatalities) per group and, optionally, per period.

    Parameters
    ----------
    gdf
        Events.
    by
        Column(s) to group by, e.g. ``"country"``, ``["country", "admin1"]``,
        ``"event_type"``. ``"actor"`` counts each event once for each of its
        distinct actors (``actor1``, ``actor2``), so those counts can add up to
        more than the number of events.
    freq
        ``"day"``, ``"week"`` (Monday to Sunday), ``"month"``, ``"quarter"`` or
        ``"year"`` (or the pandas aliases D, W, M, Q, Y): adds a ``period`` column
        with the first day of each period.
    date
        The date column.

    Returns
    -------
    pandas.DataFrame
        One row per group: the ``by`` columns, ``period`` (with ``freq``),
        ``events`` and ``fatalities`` (sum of known figures). Missing keys form
        their own group.

    Examples
    --------
    >>> count_events(events, ["country", "event_type"], freq="month")  # doctest: +SKIP
    """
    import pandas as pd

    keys = [by] if isinstance(by, str) else list(by)
    if not keys and freq is None:
        raise ValidationError("count_events needs by= columns or freq=", ["nothing to group by"])
    frame = pd.DataFrame(gdf)
    if "actor" in keys:
        _need(frame, _ACTOR_COLUMNS)
        import numpy as np

        rows = np.arange(len(frame))
        rest = frame.drop(columns=list(_ACTOR_COLUMNS))
        long = pd.concat(
            [rest.assign(actor=frame[c].to_numpy(), _row=rows) for c in _ACTOR_COLUMNS],
            ignore_index=True,
        ).drop_duplicates(["_row", "actor"])
        # an event without any actor still counts once, under <NA>
        has_actor = (frame["actor1"].notna() | frame["actor2"].notna()).to_numpy()
        long = long[long["actor"].notna().to_numpy() | ~has_actor[long["_row"].to_numpy()]]
        frame = long.drop(columns="_row")
    _need(
        frame, [k for k in keys if k != "actor"] + (["fatalities"] if "fatalities" in gdf else [])
    )
    group_keys = list(keys)
    if freq is not None:
        if freq not in _FREQS:
            raise ValidationError(
                f"unknown freq {freq!r}; use one of day, week, month, quarter, year",
                [f"unknown freq {freq!r}"],
            )
        _need(frame, [date])
        periods = pd.to_datetime(frame[date]).dt.to_period(_FREQS[freq])
        frame = frame.assign(period=periods.dt.start_time)
        group_keys.append("period")
    if "fatalities" not in frame.columns:
        frame = frame.assign(fatalities=pd.Series(pd.NA, index=frame.index, dtype="Float64"))
    fatalities = pd.to_numeric(frame["fatalities"], errors="coerce").astype("Float64")
    frame = frame.assign(_one=1, _fatalities=fatalities)
    grouped = frame.groupby(group_keys, dropna=False, observed=True, sort=True)
    out = grouped.agg(events=("_one", "sum"), fatalities=("_fatalities", "sum"))
    out["fatalities"] = out["fatalities"].round().astype("Int64")
    out["events"] = out["events"].astype("int64")
    # Any in pandas-stubs under Python 3.10 (their Self comes from typing, new in 3.11)
    counts: pd.DataFrame = out.reset_index()
    return counts


def _placed_points(gdf: gpd.GeoDataFrame) -> tuple[Any, Any, Any, int]:
    """Longitudes, latitudes and fatalities of placed events, and the unplaced count."""
    import numpy as np
    import pandas as pd

    geoms = gdf.geometry
    ok = (geoms.notna() & ~geoms.is_empty & (geoms.geom_type == "Point")).to_numpy()
    # pandas-stubs type a masked GeoSeries as Series[BaseGeometry]; it is a GeoSeries
    points = cast("gpd.GeoSeries", geoms[ok])
    lon = points.x.to_numpy()
    lat = points.y.to_numpy()
    if "fatalities" in gdf.columns:
        fat = pd.to_numeric(gdf["fatalities"], errors="coerce").to_numpy(
            dtype=float, na_value=np.nan
        )[ok]
    else:
        fat = np.full(int(ok.sum()), np.nan)
    return lon, lat, fat, int((~ok).sum())


def _density_frame(
    cells: Any, fat: Any, polygons: dict[Any, Any], key: str, unplaced: int
) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame({key: cells, "_fat": fat})
    grouped = frame.groupby(key, sort=True)
    counts = grouped.size().rename("events")
    deaths = grouped["_fat"].sum(min_count=0).round().astype("Int64").rename("fatalities")
    out = pd.concat([counts, deaths], axis=1).reset_index()
    geometry = [polygons[c] for c in out[key]]
    result = gpd.GeoDataFrame(out, geometry=geometry, crs="EPSG:4326")
    result.attrs["unplaced_events"] = unplaced
    if unplaced:
        logger.info("%d unplaced events left out of the density grid", unplaced)
    return result


def h3_density(gdf: gpd.GeoDataFrame, resolution: int = 5) -> gpd.GeoDataFrame:
    """Count events per H3 hexagon.

    Parameters
    ----------
    gdf
        Events.
    resolution
        H3 resolution, 0 (continents) to 15; 5 is about 250 km² per cell, 7 about 5 km².

    Returns
    -------
    geopandas.GeoDataFrame
        One row per occupied cell: ``h3_cell`` (hex id), ``events``, ``fatalities``
        and the hexagon polygon (EPSG:4326). Cells crossing the antimeridian get
        longitudes beyond 180 so the polygon stays whole.

    Examples
    --------
    >>> h3_density(events, resolution=6).plot(column="events")  # doctest: +SKIP
    """
    import h3
    import numpy as np
    from shapely.geometry import Polygon

    if not isinstance(resolution, int) or not 0 <= resolution <= 15:
        raise ValidationError(f"H3 resolution must be an integer 0..15, not {resolution!r}", [])
    lon, lat, fat, unplaced = _placed_points(gdf)
    pairs, inverse = np.unique(np.column_stack([lat, lon]), axis=0, return_inverse=True)
    distinct = np.array(
        [h3.latlng_to_cell(float(a), float(b), resolution) for a, b in pairs], dtype=object
    )
    cells = distinct[inverse.ravel()] if len(pairs) else np.array([], dtype=object)
    polygons = {}
    for cell in set(cells):
        ring = [(lng, la) for la, lng in h3.cell_to_boundary(cell)]
        xs = [x for x, _ in ring]
        if max(xs) - min(xs) > 180:
            ring = [(x + 360 if x < 0 else x, y) for x, y in ring]
        polygons[cell] = Polygon(ring)
    return _density_frame(cells, fat, polygons, "h3_cell", unplaced)


def grid_density(
    gdf: gpd.GeoDataFrame,
    cell_size: float = 1.0,
    *,
    origin: tuple[float, float] = (-180.0, -90.0),
) -> gpd.GeoDataFrame:
    """Count events per cell of a regular longitude/latitude grid.

    Parameters
    ----------
    gdf
        Events.
    cell_size
        Cell width and height in degrees.
    origin
        (longitude, latitude) of a grid corner; cells are aligned to it.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per occupied cell: ``cell`` (``"col_row"`` from the origin),
        ``events``, ``fatalities`` and the square polygon (EPSG:4326).
    """
    import numpy as np
    from shapely.geometry import box

    if not cell_size > 0:
        raise ValidationError(f"cell_size must be positive, not {cell_size!r}", [])
    lon, lat, fat, unplaced = _placed_points(gdf)
    col = np.floor((lon - origin[0]) / cell_size).astype(np.int64)
    row = np.floor((lat - origin[1]) / cell_size).astype(np.int64)
    cells = np.array([f"{c}_{r}" for c, r in zip(col, row, strict=True)], dtype=object)
    polygons = {}
    for name, c, r in zip(cells, col, row, strict=True):
        if name not in polygons:
            x0 = origin[0] + c * cell_size
            y0 = origin[1] + r * cell_size
            polygons[name] = box(x0, y0, x0 + cell_size, y0 + cell_size)
    return _density_frame(cells, fat, polygons, "cell", unplaced)


def _as_set(values: str | Iterable[str] | None) -> set[str] | None:
    if values is None:
        return None
    items = [values] if isinstance(values, str) else list(values)
    return {str(v).casefold() for v in items}


def filter_events(
    gdf: gpd.GeoDataFrame,
    *,
    start: Any = None,
    end: Any = None,
    event_types: str | Iterable[str] | None = None,
    sub_event_types: str | Iterable[str] | None = None,
    actors: str | Iterable[str] | None = None,
    countries: str | Iterable[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    within: Any = None,
) -> gpd.GeoDataFrame:
    """Select events by date range, type, actor, country, bounding box or polygon.

    All given conditions must hold. Text matches ignore case.

    Parameters
    ----------
    gdf
        Events.
    start, end
        Dates (anything :func:`pandas.Timestamp` takes), both inclusive.
    event_types, sub_event_types
        Values of ``event_type`` / ``sub_event_type`` to keep.
    actors
        Keep events where one of these is ``actor1``, ``actor2`` or one of the
        ``'; '``-separated associated actors.
    countries
        Country names or ISO alpha-2 codes.
    bbox
        (min lon, min lat, max lon, max lat); min lon > max lon crosses the antimeridian.
    within
        A shapely (multi)polygon in EPSG:4326, or a GeoSeries/GeoDataFrame whose
        union is used; points on its boundary are kept.

    Returns
    -------
    geopandas.GeoDataFrame
        The selected rows (a copy), index preserved. Unplaced events never pass
        ``bbox`` or ``within``.

    Examples
    --------
    >>> filter_events(events, start="2024-01-01", event_types="Battles")  # doctest: +SKIP
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    keep = np.ones(len(gdf), dtype=bool)
    if start is not None or end is not None:
        _need(gdf, ["event_date"])
        dates = pd.to_datetime(gdf["event_date"])
        if start is not None:
            keep &= (dates >= pd.Timestamp(start)).fillna(False).to_numpy(dtype=bool)
        if end is not None:
            keep &= (dates <= pd.Timestamp(end)).fillna(False).to_numpy(dtype=bool)
    for column, wanted in (("event_type", event_types), ("sub_event_type", sub_event_types)):
        values = _as_set(wanted)
        if values is not None:
            _need(gdf, [column])
            text = gdf[column].astype("string").str.casefold()
            keep &= text.isin(values).fillna(False).to_numpy(dtype=bool)
    names = _as_set(actors)
    if names is not None:
        hit = np.zeros(len(gdf), dtype=bool)
        for column in ("actor1", "actor2"):
            if column in gdf.columns:
                hit |= (
                    gdf[column]
                    .astype("string")
                    .str.casefold()
                    .isin(names)
                    .fillna(False)
                    .to_numpy(dtype=bool)
                )
        for column in ("assoc_actor_1", "assoc_actor_2"):
            if column in gdf.columns:
                parts = gdf[column].astype("string").str.casefold().str.split(";")
                hit |= parts.map(
                    lambda p: isinstance(p, list) and any(x.strip() in names for x in p)
                ).to_numpy(dtype=bool)
        keep &= hit
    places = _as_set(countries)
    if places is not None:
        hit = np.zeros(len(gdf), dtype=bool)
        for column in ("country", "country_code"):
            if column in gdf.columns:
                hit |= (
                    gdf[column]
                    .astype("string")
                    .str.casefold()
                    .isin(places)
                    .fillna(False)
                    .to_numpy(dtype=bool)
                )
        keep &= hit
    if bbox is not None or within is not None:
        geoms = gdf.geometry
        placed = (geoms.notna() & ~geoms.is_empty).to_numpy()
        # pandas-stubs type a masked GeoSeries as Series[BaseGeometry]; it is a GeoSeries
        placed_geoms = cast("gpd.GeoSeries", geoms[placed])
        if bbox is not None:
            if len(bbox) != 4:
                raise ValidationError(f"bbox must be (minx, miny, maxx, maxy), not {bbox!r}", [])
            minx, miny, maxx, maxy = map(float, bbox)
            if miny > maxy:
                raise ValidationError(f"bbox has min latitude above max latitude: {bbox!r}", [])
            x = np.full(len(gdf), np.nan)
            y = np.full(len(gdf), np.nan)
            x[placed], y[placed] = placed_geoms.x.to_numpy(), placed_geoms.y.to_numpy()
            in_x = (x >= minx) & (x <= maxx) if minx <= maxx else (x >= minx) | (x <= maxx)
            keep &= placed & in_x & (y >= miny) & (y <= maxy)
        if within is not None:
            if isinstance(within, gpd.GeoDataFrame | gpd.GeoSeries):
                if within.crs is not None and within.crs.to_epsg() != 4326:
                    within = within.to_crs(4326)
                within = within.union_all()
            inside = np.zeros(len(gdf), dtype=bool)
            inside[placed] = placed_geoms.covered_by(within).to_numpy()
            keep &= inside
    # Any in pandas-stubs under Python 3.10 (their Self comes from typing, new in 3.11)
    kept: gpd.GeoDataFrame = gdf[keep].copy()
    return kept
