"""A choropleth of event counts per admin area (polygons the user supplies)."""

from __future__ import annotations

from typing import Any

import folium
import numpy as np

from geo_events.errors import MapError
from geo_events.maps.options import MapOptions
from geo_events.maps.popups import escape_text

__all__ = ["add_choropleth"]


def add_choropleth(m: folium.Map, locations: np.ndarray, opts: MapOptions) -> folium.GeoJson:
    """Add a layer counting the events (``[lat, lon]`` rows) inside each of ``opts.admin_areas``.

    Raises
    ------
    MapError
        When the areas are not a GeoDataFrame with a CRS, or the name column is missing.
    """
    import geopandas as gpd

    areas = opts.admin_areas
    if not isinstance(areas, gpd.GeoDataFrame):
        raise MapError("admin_areas must be a GeoDataFrame of polygons")
    if areas.crs is None:
        raise MapError("admin_areas has no CRS; set it with admin_areas.set_crs(...)")
    areas = areas.to_crs(4326)
    col = opts.admin_name_column
    if col is None:
        col = next(
            (
                c
                for c in ("name", "admin1", "admin2", "shapeName", "NAME_1", "NAME_2")
                if c in areas.columns
            ),
            None,
        )
    elif col not in areas.columns:
        raise MapError(f"admin_name_column {col!r} is not a column of admin_areas")
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(locations[:, 1], locations[:, 0]), crs=4326
    )
    areas = areas.reset_index(drop=True)
    joined = gpd.sjoin(points, areas[[areas.geometry.name]], predicate="within", how="inner")
    counts = joined.groupby("index_right").size().reindex(areas.index, fill_value=0)
    top = max(int(counts.max()), 1)
    names = [str(v) for v in areas[col]] if col else [f"area {i}" for i in areas.index]
    shapes = gpd.GeoDataFrame(
        {
            "ge_name": [escape_text(n) for n in names],  # GeoJsonTooltip uses innerHTML
            "ge_count": counts.astype(int).tolist(),
        },
        geometry=areas.geometry.values,
        crs=4326,
    )
    colors = ["#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026"]

    def style(feature: dict[str, Any]) -> dict[str, str | float]:  # feature: parsed GeoJSON
        n = feature["properties"]["ge_count"]
        idx = 0 if n == 0 else min(len(colors) - 1, 1 + int(3 * n / top))
        return {"fillColor": colors[idx], "color": "#666", "weight": 1, "fillOpacity": 0.45}

    layer = folium.GeoJson(
        shapes.__geo_interface__,
        name="Events per area",
        style_function=style,
        tooltip=folium.GeoJsonTooltip(["ge_name", "ge_count"], aliases=["Area", "Events"]),
        show=True,
    )
    layer.add_to(m)
    return layer
