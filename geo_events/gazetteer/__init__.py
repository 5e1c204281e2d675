"""The local gazetteer: GeoNames places, names that survive transliteration, lookup.

The default gazetteer is built from data installed with geo_events' dependencies
(GeoNames cities500, admin divisions and countries) plus the curated supplement,
and cached on first use. Module-level :func:`search`, :func:`geocode`,
:func:`resolve` and :func:`reverse` use it; open your own with
:meth:`Gazetteer.open` or :meth:`Gazetteer.from_records`.

What users add — GeoNames dumps, supplements, the places of their ACLED and UCDP
exports (:func:`import_source`) — goes into a named gazetteer
(:mod:`.named`) that the default and every command then use.
"""

from __future__ import annotations

import threading
from typing import Any

from geo_events.gazetteer.boundaries import country_boundaries
from geo_events.gazetteer.lookup import Gazetteer, KindsLike
from geo_events.gazetteer.named import import_source, named_gazetteers, use_gazetteer
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
    "import_source",
    "name_key",
    "named_gazetteers",
    "normalized_key",
    "resolve",
    "reverse",
    "reverse_many",
    "search",
    "use_gazetteer",
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


def _given(**hints: Any) -> dict[str, Any]:
    """The hints a caller set (None and the defaults left out, so lookups share the cache).

    Compared by identity: any other value, garbage included, goes on to be checked.
    """
    defaults: dict[str, object] = {"fuzzy": True, "alternatives": 0}
    return {k: v for k, v in hints.items() if v is not None and v is not defaults.get(k)}


def search(
    name: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    kinds: KindsLike = None,
    near: tuple[float, float] | None = None,
    limit: int = 10,
    fuzzy: bool = True,
) -> list[Candidate]:
    """Search the default gazetteer: candidates for ``name``, best first.

    See :meth:`Gazetteer.search` for the hints: ``country`` (ISO2 code or name),
    ``admin1``/``admin2`` (names or codes; they filter), ``kinds`` (``"place"``,
    ``"admin1"``, ``"admin2"``, ``"country"``), ``near`` (a ``(lat, lon)`` the
    ranking favours), ``limit`` and ``fuzzy``.

    >>> search("Aleppo", country="SY", limit=1)[0].name  # doctest: +SKIP
    'Aleppo'
    """
    return default_gazetteer().search(name, country=country, admin1=admin1, admin2=admin2,
                                      kinds=kinds, near=near, limit=limit, fuzzy=fuzzy)  # fmt: skip


def geocode(
    name: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    kinds: KindsLike = None,
    near: tuple[float, float] | None = None,
    fuzzy: bool = True,
) -> Candidate | None:
    """Geocode ``name`` with the default gazetteer: the best place, or None when unsure.

    Takes the hints of :func:`search`; :func:`resolve` also says why there is no answer.

    >>> geocode("Deir Ezzor").admin1  # doctest: +SKIP
    'Deir ez-Zor'
    """
    return default_gazetteer().geocode(name, **_given(country=country, admin1=admin1,
                                       admin2=admin2, kinds=kinds, near=near, fuzzy=fuzzy))  # fmt: skip


def resolve(
    name: str,
    *,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    kinds: KindsLike = None,
    near: tuple[float, float] | None = None,
    fuzzy: bool = True,
    alternatives: int = 0,
) -> Resolution:
    """Resolve ``name`` with the default gazetteer: the answer, its confidence and the reason.

    Takes the hints of :func:`search`, plus ``alternatives`` (how many runner-up
    candidates to keep); see :meth:`Gazetteer.resolve`.

    >>> resolve("Syrian").reason  # doctest: +SKIP
    "'Syrian' is a demonym of Syria (SY), not a place"
    """
    hints = _given(country=country, admin1=admin1, admin2=admin2, kinds=kinds, near=near,
                   fuzzy=fuzzy, alternatives=alternatives)  # fmt: skip
    return default_gazetteer().resolve(name, **hints)


def reverse(point: tuple[float, float], *, max_km: float = 200.0) -> Candidate | None:
    """The populated place of the default gazetteer nearest ``(lat, lon)``, within ``max_km``.

    See :meth:`Gazetteer.reverse`.
    """
    return default_gazetteer().reverse(point, max_km=max_km)


def reverse_many(points: Any, *, max_km: float = 200.0, workers: int = -1) -> Any:
    """Reverse-geocode many points with the default gazetteer, one table row per point.

    See :meth:`Gazetteer.reverse_many`.
    """
    return default_gazetteer().reverse_many(points, max_km=max_km, workers=workers)
