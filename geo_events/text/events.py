"""Deprecated module name: the extraction's records are in :mod:`geo_events.text.extracted`.

``geo_events.text.events`` read like the :mod:`geo_events.events` package; it stays
for one release. ``SCHEMA_COLUMNS`` here is
:data:`geo_events.text.extracted.EVENT_COLUMNS` (the schema's own list is
:data:`geo_events.events.schema.SCHEMA_COLUMNS`).
"""

from __future__ import annotations

import warnings

from geo_events.text.extracted import (
    EVENT_COLUMNS,
    EXTRA_FIELDS,
    Event,
    ExtractionResult,
    describe,
    summary,
)

SCHEMA_COLUMNS = EVENT_COLUMNS

__all__ = ["EXTRA_FIELDS", "SCHEMA_COLUMNS", "Event", "ExtractionResult", "describe", "summary"]

warnings.warn(
    "geo_events.text.events is deprecated: import from geo_events.text.extracted "
    "(SCHEMA_COLUMNS there is EVENT_COLUMNS)",
    DeprecationWarning,
    stacklevel=2,
)
