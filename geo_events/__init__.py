"""geo_events: an offline conflict-event mapper.

Place names are geocoded against a local GeoNames gazetteer, events become
GeoDataFrames in one schema, and folium renders them as interactive maps.

Heavy libraries (geopandas, folium) load only when first needed, so
``import geo_events`` stays fast; the names below are imported on first access.
"""

from __future__ import annotations

from geo_events._lazy import lazy_exports

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "Gazetteer": "geo_events.gazetteer",
    "Candidate": "geo_events.gazetteer",
    "Resolution": "geo_events.gazetteer",
    "PlaceRecord": "geo_events.gazetteer",
    "Kind": "geo_events.gazetteer",
    "MatchType": "geo_events.gazetteer",
    "default_gazetteer": "geo_events.gazetteer",
    "search": "geo_events.gazetteer",
    "geocode": "geo_events.gazetteer",
    "resolve": "geo_events.gazetteer",
    "reverse": "geo_events.gazetteer",
    "reverse_many": "geo_events.gazetteer",
    "geocode_table": "geo_events.gazetteer.batch",
    "LocalGeocoder": "geo_events.gazetteer.geopy_provider",
    "events_from_table": "geo_events.io.tables",
    "iter_events": "geo_events.io.tables",
    "ReadOptions": "geo_events.io.read_options",
    "TableColumns": "geo_events.io.read_options",
    "read_events": "geo_events.io.events_files",
    "write_events_chunks": "geo_events.io.writers",
    "write_events": "geo_events.io.writers",
    "read_events_file": "geo_events.io.writers",
    "ReadReport": "geo_events.io.tables",
    "to_events_frame": "geo_events.events.schema",
    "validate_events": "geo_events.events.schema",
    "event_problems": "geo_events.events.schema",
    "check_events": "geo_events.events.schema",
    "empty_events": "geo_events.events.schema",
    "count_events": "geo_events.events.analysis",
    "filter_events": "geo_events.events.analysis",
    "h3_density": "geo_events.events.analysis",
    "grid_density": "geo_events.events.analysis",
    "Article": "geo_events.text",
    "article_from_text": "geo_events.text",
    "geoparse": "geo_events.text",
    "extract_events": "geo_events.text",
    "extract_many": "geo_events.text",
    "read_articles": "geo_events.io.articles",
    "events_from_articles": "geo_events.events.from_articles",
    "events_from_results": "geo_events.events.from_articles",
    "ArticlesReport": "geo_events.events.from_articles",
    "OnError": "geo_events.errors",
    "events_map": "geo_events.maps",
    "save_map": "geo_events.maps",
    "MapOptions": "geo_events.maps",
    "explore": "geo_events.maps.explore",
    "InputError": "geo_events.errors",
    "GeoEventsError": "geo_events.errors",
    "GazetteerError": "geo_events.errors",
    "ValidationError": "geo_events.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
