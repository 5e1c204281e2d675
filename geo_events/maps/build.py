"""``events_map``: an events frame to a folium map that works offline, in small steps.

The steps, each a function: read the options; put the events into an
:class:`~geo_events.maps.events_layer.EventsLayer`; make the folium ``Map`` (loading only
Leaflet: the layer draws on a canvas, so folium's jQuery, Bootstrap and icon fonts are not
needed); add the base layers (the built-in geography, online tiles as an extra); add the
events and the optional overlays (heat map, choropleth); add the layer control; fit the
view, leaving room for the panel; and make the page's scripts part of the page, so it
renders with the network off. Every map also carries the template guard.
"""

from __future__ import annotations

from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.plugins import HeatMap

from geo_events.maps.choropleth import add_choropleth
from geo_events.maps.events_layer import EventsLayer
from geo_events.maps.geography import BaseGeography
from geo_events.maps.guard import TemplateGuard
from geo_events.maps.options import MapOptions, resolve_options
from geo_events.maps.resources import offline_resources
from geo_events.maps.tiles import add_tiles

__all__ = ["events_map"]

#: Width the panel takes on the right of the map (CSS width plus margins), kept clear
#: when fitting the view so no event starts under it.
PANEL_WIDTH_PX = 270
#: Heat maps are folium's HeatMap: one JSON point per event, fine up to this many.
HEATMAP_MAX_EVENTS = 200_000


def _leaflet_only(m: folium.Map) -> folium.Map:
    """Load only Leaflet: folium's default jQuery, Bootstrap and icon sets go unused."""
    m.default_js = [(name, url) for name, url in m.default_js if name == "leaflet"]
    m.default_css = [(name, url) for name, url in m.default_css if name == "leaflet_css"]
    return m


def _base_map(locations: np.ndarray, opts: MapOptions) -> folium.Map:
    n = len(locations)
    center = [float(np.mean(locations[:, 0])), float(np.mean(locations[:, 1]))] if n else [20, 0]
    m = folium.Map(
        location=center,
        zoom_start=2 if n == 0 else 5,
        tiles=None,
        width=opts.width,
        height=opts.height,
        control_scale=True,
        prefer_canvas=True,
        maxZoom=18,
        worldCopyJump=True,
    )
    return _leaflet_only(m)


def _add_base_layers(m: folium.Map, opts: MapOptions) -> int:
    """The built-in geography first (shown), online tiles after it; return how many."""
    count = 0
    if opts.geography:
        BaseGeography().add_to(m)
        count += 1
    return count + add_tiles(m, opts, show_first=not opts.geography)


def _add_overlays(m: folium.Map, locations: np.ndarray, opts: MapOptions) -> int:
    count = 0
    if opts.heatmap and 0 < len(locations) <= HEATMAP_MAX_EVENTS:
        HeatMap(  # type: ignore[no-untyped-call]  # folium leaves HeatMap.__init__ unannotated
            np.round(locations, 4).tolist(),
            name="Heat map",
            show=False,
            radius=14,
            blur=18,
            min_opacity=0.3,
        ).add_to(m)
        count += 1
    if opts.admin_areas is not None and len(locations):
        add_choropleth(m, locations, opts)
        count += 1
    return count


def _fit(m: folium.Map, locations: np.ndarray, opts: MapOptions) -> None:
    if not (opts.fit_bounds and len(locations)):
        return
    sw = [float(locations[:, 0].min()), float(locations[:, 1].min())]
    ne = [float(locations[:, 0].max()), float(locations[:, 1].max())]
    right = PANEL_WIDTH_PX if opts.panel else 20
    m.fit_bounds(
        [sw, ne],
        max_zoom=opts.max_zoom,
        padding_top_left=(20, 20),
        padding_bottom_right=(right, 20),
    )


def events_map(
    gdf: pd.DataFrame, *, options: MapOptions | None = None, **overrides: Any
) -> folium.Map:
    """Draw events on an interactive folium map that renders with the network off.

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        Events in the geo_events schema (missing optional columns are fine). Points in any
        CRS (reprojected to EPSG:4326), or ``latitude``/``longitude`` columns.
    options : MapOptions, optional
        Drawing options; see :class:`~geo_events.maps.options.MapOptions`.
    **overrides
        Single options overriding ``options`` (``tiles=None``, ``title="..."``).

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; :func:`~geo_events.maps.map_summary` gives what was
        drawn (event counts, the index labels of rows that could not be placed).

    Raises
    ------
    MapError
        When the frame cannot be mapped (no geometry and no latitude/longitude, no CRS
        and non-degree coordinates), an option is invalid, or rows are unmappable and
        ``on_error="raise"``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> from geo_events.maps import map_summary
    >>> gdf = gpd.GeoDataFrame({"event_type": ["Battles"], "location": ["Aleppo"]},
    ...                        geometry=[Point(37.16, 36.2)], crs=4326)
    >>> m = events_map(gdf)
    >>> map_summary(m).n_mapped
    1
    """
    opts = resolve_options(options, overrides)
    layer = EventsLayer(gdf, opts)
    locations = layer.prepared.locations
    m = _base_map(locations, opts)
    # After the map in its figure: checks every template output before it is evaluated.
    TemplateGuard().add_to(m.get_root())
    n_base = _add_base_layers(m, opts)
    layer.add_to(m)
    n_overlays = _add_overlays(m, locations, opts)
    if n_base > 1 or n_overlays:
        folium.LayerControl(position="topleft", collapsed=opts.collapsed_control).add_to(m)
    _fit(m, locations, opts)
    offline_resources(m.get_root(), mode="cdn" if opts.cdn else "inline")
    return m
