"""Interactive folium maps of events that work offline.

:func:`events_map` turns an events (Geo)DataFrame into a ``folium.Map``: the built-in
geography as its base (online tiles as an extra), the events on one canvas layer
(:class:`EventsLayer`, which you can also add to your own map) with a panel of filters,
a date slider, halos for approximate places and downloads of the visible events.
:func:`save_map` writes a map as an HTML file that opens with the network off. See
``docs/maps.md``.

This package is the only part of geo_events that imports folium. The names below are
re-exported from the modules that define them.
"""

from __future__ import annotations

from geo_events.maps.assets import asset_urls, fetch_assets, inline_assets, resolve_asset
from geo_events.maps.build import events_map
from geo_events.maps.events_layer import EventsLayer, MapSummary, map_summary
from geo_events.maps.frame import folium_locations
from geo_events.maps.geography import BaseGeography, geography_data
from geo_events.maps.options import MapOptions
from geo_events.maps.popups import escape_text
from geo_events.maps.resources import external_urls, offline_resources
from geo_events.maps.save import NotebookMap, map_iframe, save_map
from geo_events.maps.style import event_style

__all__ = [
    "BaseGeography",
    "EventsLayer",
    "MapOptions",
    "MapSummary",
    "NotebookMap",
    "asset_urls",
    "escape_text",
    "event_style",
    "events_map",
    "external_urls",
    "fetch_assets",
    "folium_locations",
    "geography_data",
    "inline_assets",
    "map_iframe",
    "map_summary",
    "offline_resources",
    "resolve_asset",
    "save_map",
]
