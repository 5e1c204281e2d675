"""Taking an events frame as given: find its points, reproject, and report what can't be drawn.

The map accepts any events table: a GeoDataFrame in any CRS (reprojected to EPSG:4326), a
GeoDataFrame whose geometries are polygons (drawn at a representative point), or a plain
DataFrame with ``latitude``/``longitude`` columns. Rows without usable coordinates are
counted and reported, never dropped silently.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TypeGuard, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from geo_events.errors import MapError

logger = logging.getLogger(__name__)

__all__ = ["PreparedEvents", "folium_locations", "prepare_events"]


def folium_locations(points: gpd.GeoSeries) -> np.ndarray:
    """The one place where shapely ``(x=lon, y=lat)`` becomes folium's ``[lat, lon]``.

    Parameters
    ----------
    points : GeoSeries
        Points in EPSG:4326; missing or empty geometries give NaN rows.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``, columns latitude then longitude.

    Examples
    --------
    >>> from shapely import Point
    >>> folium_locations(gpd.GeoSeries([Point(37.1, 36.2)])).tolist()
    [[36.2, 37.1]]
    """
    out = np.full((len(points), 2), np.nan)
    if len(points) == 0:
        return out
    valid = ~(points.isna() | points.is_empty).to_numpy()
    if valid.any():
        # pandas-stubs type a masked GeoSeries as a plain Series; geopandas gives a GeoSeries
        good = cast(gpd.GeoSeries, points[valid])
        out[valid, 0] = good.y.to_numpy()
        out[valid, 1] = good.x.to_numpy()
    return out


@dataclass(frozen=True)
class PreparedEvents:
    """An events frame ready to draw.

    Attributes
    ----------
    frame : pandas.DataFrame
        The mappable rows (original index kept), without the geometry column.
    locations : numpy.ndarray
        ``(len(frame), 2)`` array of ``[lat, lon]``.
    n_input : int
        Rows given.
    unmappable : tuple
        Index labels of rows that could not be placed.
    """

    frame: pd.DataFrame
    locations: np.ndarray
    n_input: int
    unmappable: tuple[Hashable, ...]


def _has_geometry(df: pd.DataFrame) -> TypeGuard[gpd.GeoDataFrame]:
    """Whether ``df`` is a GeoDataFrame whose active geometry column is present."""
    if not isinstance(df, gpd.GeoDataFrame):
        return False
    # private and not in the stubs, but the public ``active_geometry_name`` needs
    # geopandas >= 1.0 and this package supports 0.14
    name: Hashable | None = getattr(df, "_geometry_column_name", None)
    return name in df.columns


def _points(df: pd.DataFrame) -> gpd.GeoSeries:
    """Points in EPSG:4326 for every row (None where the row has none)."""
    geom: gpd.GeoSeries | None = None
    if _has_geometry(df):
        geom = df.geometry
        if geom.crs is None:
            bounds = geom.total_bounds
            if len(geom.dropna()) and not (
                np.all(np.isnan(bounds))
                or (bounds[0] >= -180 and bounds[2] <= 180 and bounds[1] >= -90 and bounds[3] <= 90)
            ):
                raise MapError(
                    "the events GeoDataFrame has no CRS and its coordinates are not longitudes/"
                    "latitudes; set it with gdf.set_crs(...) so it can be reprojected to EPSG:4326"
                )
            logger.info("events GeoDataFrame has no CRS; assuming EPSG:4326")
            geom = geom.set_crs(4326)
        elif not geom.crs.equals("EPSG:4326"):
            try:
                geom = geom.to_crs(4326)
            except Exception as exc:
                raise MapError(
                    f"could not reproject the events from {geom.crs} to EPSG:4326: {exc}"
                ) from exc
        non_point = ~(geom.isna() | geom.is_empty) & (geom.geom_type != "Point")
        if non_point.any():
            geom = geom.copy()
            # a masked GeoSeries is a GeoSeries (pandas-stubs say a plain Series)
            geom[non_point] = cast(gpd.GeoSeries, geom[non_point]).representative_point()
    has_latlon = {"latitude", "longitude"} <= set(df.columns)
    if geom is None and not has_latlon:
        raise MapError(
            "cannot map the events: the frame has no geometry column and no latitude/"
            f"longitude columns (columns: {list(df.columns)[:20]})"
        )
    if has_latlon:
        lat = pd.to_numeric(df["latitude"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(df["longitude"], errors="coerce").to_numpy(dtype=float)
        from_cols = gpd.GeoSeries(gpd.points_from_xy(lon, lat), index=df.index, crs=4326)
        from_cols[np.isnan(lat) | np.isnan(lon)] = None
        if geom is None:
            geom = from_cols
        else:
            missing = (geom.isna() | geom.is_empty).to_numpy()
            if missing.any():
                geom = geom.copy()
                geom[missing] = from_cols[missing]
    assert geom is not None
    return geom


def prepare_events(df: pd.DataFrame) -> PreparedEvents:
    """Find the ``[lat, lon]`` of every event and separate the rows that have none.

    Parameters
    ----------
    df : DataFrame or GeoDataFrame
        The events.

    Returns
    -------
    PreparedEvents

    Raises
    ------
    MapError
        When the input is not a frame, or has neither geometry nor latitude/longitude.
    """
    if not isinstance(df, pd.DataFrame):
        raise MapError(f"events_map needs a (Geo)DataFrame of events, not {type(df).__name__}")
    if df.index.has_duplicates:
        df = df.reset_index(drop=True)
    locs = folium_locations(_points(df))
    ok = np.isfinite(locs).all(axis=1) & (np.abs(locs[:, 0]) <= 90) & (np.abs(locs[:, 1]) <= 180)
    frame = pd.DataFrame(df.drop(columns=df.geometry.name) if _has_geometry(df) else df)
    return PreparedEvents(
        frame=frame[ok],
        locations=locs[ok],
        n_input=len(df),
        unmappable=tuple(df.index[~ok]),
    )
