"""The events layer: one schema for every event, its validation, and analyses.

Everything that produces events (table readers, article extraction) meets in one
GeoDataFrame whose columns are documented in :mod:`geo_events.events.schema`.
Names are imported lazily, so ``import geo_events.events`` does not load geopandas.
"""

from __future__ import annotations

from geo_events._lazy import lazy_exports

_EXPORTS = {
    "EVENTS_SCHEMA": "geo_events.events.schema",
    "SCHEMA_COLUMNS": "geo_events.events.schema",
    "ACLED_EVENT_TYPES": "geo_events.events.schema",
    "GEOCODE_STATUSES": "geo_events.events.schema",
    "Column": "geo_events.events.schema",
    "empty_events": "geo_events.events.schema",
    "to_events_frame": "geo_events.events.schema",
    "validate_events": "geo_events.events.schema",
    "check_events": "geo_events.events.schema",
    "event_problems": "geo_events.events.schema",
    "events_from_articles": "geo_events.events.from_articles",
    "ArticlesReport": "geo_events.events.from_articles",
    "schema_markdown": "geo_events.events.schema",
    "count_events": "geo_events.events.analysis",
    "h3_density": "geo_events.events.analysis",
    "grid_density": "geo_events.events.analysis",
    "filter_events": "geo_events.events.analysis",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
