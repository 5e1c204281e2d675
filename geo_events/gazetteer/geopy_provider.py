"""A geopy geocoder backed by the local gazetteer: no network, no rate limit.

:class:`LocalGeocoder` is a thin geopy provider (geopy's ``Geocoder`` owns the
shared machinery), so code written for geopy — ``geopandas.tools.geocode``,
``geopy.extra.rate_limiter.RateLimiter`` — works offline unchanged::

    >>> import geopandas  # doctest: +SKIP
    >>> geopandas.tools.geocode(["Deir Ezzor", "Aleppo"], provider=LocalGeocoder)  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo_events.gazetteer.arguments import as_flag, check_names
from geo_events.gazetteer.lookup import RESOLVE_HINTS
from geo_events.gazetteer.records import Candidate

if TYPE_CHECKING:
    from geo_events.gazetteer.lookup import Gazetteer

__all__ = ["LocalGeocoder"]


def _location(candidate: Candidate) -> Location:
    raw = dict(candidate.raw)
    raw["match_type"] = candidate.match_type.value
    raw["score"] = candidate.score
    raw["kind"] = candidate.kind.value
    return Location(candidate.address, (candidate.latitude, candidate.longitude), raw)


class LocalGeocoder(Geocoder):  # type: ignore[misc]  # geopy is untyped: Geocoder is Any
    """geopy geocoder answering from a :class:`~geo_events.gazetteer.Gazetteer`.

    Parameters
    ----------
    gazetteer
        The gazetteer to query; default the shared default gazetteer.
    country
        Default country filter (ISO code or name) for every query.
    **kwargs
        Passed to geopy's ``Geocoder`` (``timeout``, ``user_agent``…); unused
        for lookups, accepted so callers written for other providers work.
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, *, country: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self._gazetteer = gazetteer
        self.country = country

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer answering the queries."""
        if self._gazetteer is None:
            from geo_events.gazetteer import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = None,
        limit: int = 10,
        country: str | None = None,
        **hints: Any,
    ) -> Location | list[Location] | None:
        """Return the best Location (or a list when ``exactly_one=False``), or None.

        ``hints`` are those of :meth:`Gazetteer.search` (``admin1``, ``near``…). A query
        written as an address, ``"name, admin1, country"`` or ``"name, admin2, admin1,
        country"`` (as GDELT and many tables write places), is looked up whole first
        (some names hold a comma: "Washington, D.C."), then as its first part with the
        rest as country and admin hints; hints given as arguments win over the string's.
        """
        single = as_flag(exactly_one, "exactly_one")
        if not single:
            check_names(hints, RESOLVE_HINTS - {"alternatives"}, "LocalGeocoder.geocode()")
        found = self._lookup(query, single, limit, country, hints)
        if found is None and isinstance(query, str) and "," in query:
            split = self._address(query)
            if split is not None:
                name, parsed = split
                if country is not None:
                    parsed.pop("country", None)
                found = self._lookup(name, single, limit, country, {**parsed, **hints})
        return found

    def _lookup(
        self, query: Any, single: bool, limit: int, country: str | None, hints: dict[str, Any]
    ) -> Location | list[Location] | None:
        hints = dict(hints)
        hints.setdefault("country", country if country is not None else self.country)
        if single:
            candidate = self.gazetteer.geocode(query, **hints)
            return None if candidate is None else _location(candidate)
        found = self.gazetteer.search(query, limit=limit, **hints)
        return [_location(c) for c in found] or None

    def _address(self, query: str) -> tuple[str, dict[str, str]] | None:
        """``"name, [admin2,] [admin1,] [country]"`` -> the name and its hints, or None."""
        parts = [p.strip() for p in query.split(",") if p.strip()]
        if len(parts) < 2 or len(parts) > 4:
            return None
        name, rest = parts[0], parts[1:]
        hints: dict[str, str] = {}
        code = self.gazetteer.country_code(rest[-1])
        if code:
            hints["country"] = code
            rest = rest[:-1]
        if len(rest) > 2:
            return None
        if rest:
            hints["admin1"] = rest[-1]
        if len(rest) == 2:
            hints["admin2"] = rest[0]
        return name, hints

    def reverse(
        self, query: Any, *, exactly_one: bool = True, timeout: Any = None, **options: Any
    ) -> Location | list[Location] | None:
        """Return the populated place nearest ``(lat, lon)`` as a Location, or None.

        ``query`` is a ``(lat, lon)`` pair, a ``"lat, lon"`` string or a geopy
        ``Point``; one that is no valid point finds nothing (None).
        """
        check_names(options, ("max_km",), "LocalGeocoder.reverse()")
        exactly_one = as_flag(exactly_one, "exactly_one")
        candidate = self.gazetteer.reverse(query, **options)
        if candidate is None:
            return None
        location = _location(candidate)
        return location if exactly_one else [location]
