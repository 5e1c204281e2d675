"""Candidates per name, cached per gazetteer, with what each list says about itself.

Resolution looks every distinct name up once per gazetteer (``gaz.search``, no
fuzzy matching: recognition already found the name); a stream of articles about
the same places then costs dictionary lookups.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo_events.gazetteer import Candidate, Kind, MatchType

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = ["CANDIDATES", "CandidateCache", "Readings", "candidate_cache"]

#: How many candidates a name is looked up with.
CANDIDATES = 20
_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class Readings:
    """What a name's candidate list says about itself, the same in every article.

    Computed once per cached name: the scoring of every article that names it
    then reads these instead of walking the candidates again.
    """

    seats: frozenset[tuple[str, str]]
    provinces: frozenset[tuple[str, str]]
    province_countries: frozenset[str]
    capital: bool
    primary: bool
    own: frozenset[int]
    lat: np.ndarray  # radians
    lon: np.ndarray
    ids: np.ndarray
    former: np.ndarray  # matched only by an alternate name

    @classmethod
    def of(cls, found: list[Candidate]) -> Readings:
        provinces = frozenset(
            (c.country_code, c.admin1_code) for c in found if c.kind is Kind.ADMIN1
        )
        return cls(
            seats=frozenset(
                (c.country_code, c.admin1_code) for c in found if c.kind is not Kind.ADMIN1
            ),
            provinces=provinces,
            province_countries=frozenset(cc for cc, _ in provinces),
            capital=any(c.feature_code == "PPLC" for c in found),
            primary=any(c.match_type is MatchType.EXACT for c in found),
            own=frozenset(c.geonameid for c in found),
            lat=np.radians([c.latitude for c in found]),
            lon=np.radians([c.longitude for c in found]),
            ids=np.array([c.geonameid for c in found], dtype=np.int64),
            former=np.array([c.match_type is MatchType.ALTERNATE for c in found], dtype=bool),
        )


class CandidateCache:
    """Per-gazetteer caches: candidates per name, and their :class:`Readings`."""

    def __init__(self, gazetteer: PlaceLookup) -> None:
        self.gaz = gazetteer
        self._search: dict[tuple[str, str | None], tuple[list[Candidate], str]] = {}
        #: id of a cached candidate list -> what it says about itself
        self.readings: dict[int, Readings] = {}

    def candidates(self, name: str, country: str | None = None) -> tuple[list[Candidate], str]:
        key = (name, country)
        hit = self._search.get(key)
        if hit is None:
            if len(self._search) > _CACHE_SIZE:
                self._search.clear()
                self.readings.clear()
            found = self.gaz.search(name, country=country or None, limit=CANDIDATES, fuzzy=False)
            reason = ""
            if not found:
                cc = self.gaz.demonym_country(
                    name.rstrip("sS") if name.endswith(("'s", "’s")) else name
                )
                country = (
                    self.gaz.country_candidate(cc, MatchType.NORMALIZED, 0.85, 2.0, name)
                    if cc
                    else None
                )
                if country is not None:  # "Russian" as a mention: the country it names
                    found = [country]
                else:
                    reason = self.gaz.resolve(name, fuzzy=False).reason or "no candidate"
            hit = (found, reason)
            self._search[key] = hit
            self.readings[id(found)] = Readings.of(found)
        return hit


_caches: weakref.WeakKeyDictionary[PlaceLookup, CandidateCache] = weakref.WeakKeyDictionary()


def candidate_cache(gazetteer: PlaceLookup) -> CandidateCache:
    cache = _caches.get(gazetteer)
    if cache is None:
        cache = _caches[gazetteer] = CandidateCache(gazetteer)
    return cache
