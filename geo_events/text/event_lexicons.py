"""Deprecated: the event lexicons moved to :mod:`geo_events.text.lexicons`.

This module keeps the old import path working for one release; it will be removed.
``Lexicons`` here is the one :class:`geo_events.text.lexicons.Lexicons`, which now
also holds the recognition word lists.
"""

from __future__ import annotations

import warnings

from geo_events.text.lexicons import (
    ActorEntry,
    Lexicons,
    ReportingVerb,
    TriggerEntry,
    load_actor_entries,
    load_reporting_verbs,
    load_trigger_entries,
)

__all__ = [
    "ActorEntry",
    "Lexicons",
    "ReportingVerb",
    "TriggerEntry",
    "load_actor_entries",
    "load_reporting_verbs",
    "load_trigger_entries",
]

warnings.warn(
    "geo_events.text.event_lexicons is deprecated and will be removed in the next release; "
    "import from geo_events.text.lexicons instead",
    DeprecationWarning,
    stacklevel=2,
)
