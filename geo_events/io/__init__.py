"""Reading and writing events: tables (ACLED, GDELT, UCDP, any CSV/XLSX/Parquet) and files.

Names are imported lazily, so ``import geo_events.io`` loads neither pandas nor
geopandas. Articles are read by :mod:`geo_events.io.articles`.
"""

from __future__ import annotations

from geo_events._lazy import lazy_exports

_EXPORTS = {
    "read_events": "geo_events.io.events_files",
    "events_from_table": "geo_events.io.tables",
    "ReadProgress": "geo_events.io.tables",
    "ReadOptions": "geo_events.io.read_options",
    "TableColumns": "geo_events.io.read_options",
    "iter_events": "geo_events.io.tables",
    "EventChunks": "geo_events.io.tables",
    "events_from_chunk": "geo_events.io.tables",
    "table_spec": "geo_events.io.tables",
    "TableSpec": "geo_events.io.tables",
    "ReadReport": "geo_events.io.tables",
    "ReadResult": "geo_events.io.tables",
    "RowIssue": "geo_events.io.tables",
    "GeocodeCache": "geo_events.io.tables",
    "GDELT_COLUMNS": "geo_events.io.tables",
    "CAMEO_TO_ACLED": "geo_events.io.tables",
    "write_events": "geo_events.io.writers",
    "write_events_chunks": "geo_events.io.writers",
    "EventsWriter": "geo_events.io.writers",
    "read_events_file": "geo_events.io.writers",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
