"""The local gazetteer: GeoNames places, names that survive transliteration, lookup.

The default gazetteer is built from data installed with geo_events' dependencies
(GeoNames cities500, admin divisions and countries) plus the curated supplement,
and cached on first use. Module-level :func:`search`, :func:`geocode`,
:func:`resolve` and :func:`reverse` use it; open your own with
:meth:`Gazetteer.open` or :meth:`Gazetteer.from_records`.
"""

from __future__ import annotations

import threading
from typing import Any

from geo_events.gazetteer.arguments import check_names
from geo_events.gazetteer.boundaries import country_boundaries
from geo_events.gazetteer.lookup import RESOLVE_HINTS, Gazetteer
from geo_events.gazetteer.normalize import exact_key, name_key, normalized_key
from geo_events.gazetteer.protocol import PlaceLookup
from geo_events.gazetteer.records import Candidate, Kind, MatchType, PlaceRecord, Resolution
from geo_events.gazetteer.sources import admin1_centres

__all__ = [
    "Candidate",
    "Gazetteer",
    "Kind",
    "MatchType",
    "PlaceLookup",
    "PlaceRecord",
    "Resolution",
    "admin1_centres",
    "country_boundaries",
    "default_gazetteer",
    "exact_key",
    "geocode",
    "name_key",
    "normalized_key",
    "resolve",
    "reverse",
    "reverse_many",
    "search",
]

_default: Gazetteer | None = None
_lock = threading.Lock()


def default_gazetteer() -> Gazetteer:
    """Return the default gazetteer, opening (and on first use building) it once."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Gazetteer.open()
    return _default


def search(name: str, **hints: Any) -> list[Candidate]:
    """Search the default gazetteer; see :meth:`Gazetteer.search`."""
    check_names(hints, (RESOLVE_HINTS - {"alternatives"}) | {"limit"}, "search()")
    return default_gazetteer().search(name, **hints)


def geocode(name: str, **hints: Any) -> Candidate | None:
    """Geocode with the default gazetteer; see :meth:`Gazetteer.geocode`."""
    return default_gazetteer().geocode(name, **hints)


def resolve(name: str, **hints: Any) -> Resolution:
    """Resolve with the default gazetteer; see :meth:`Gazetteer.resolve`."""
    return default_gazetteer().resolve(name, **hints)


def reverse(point: tuple[float, float], **options: Any) -> Candidate | None:
    """Reverse-geocode with the default gazetteer; see :meth:`Gazetteer.reverse`."""
    check_names(options, ("max_km",), "reverse()")
    return default_gazetteer().reverse(point, **options)


def reverse_many(points: Any, *, max_km: float = 200.0, workers: int = -1) -> Any:
    """Reverse-geocode many points with the default gazetteer, one table row per point.

    See :meth:`Gazetteer.reverse_many`.
    """
    return default_gazetteer().reverse_many(points, max_km=max_km, workers=workers)
