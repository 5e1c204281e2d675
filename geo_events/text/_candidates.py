"""Candidates per name, cached per gazetteer, with what each list says about itself.

Resolution looks every distinct name up once per gazetteer (``gaz.search``, no
fuzzy matching: recognition already found the name); a stream of articles about
the same places then costs dictionary lookups.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo_events.gazetteer import Candidate, Kind, MatchType

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = ["CANDIDATES", "CandidateCache", "Readings", "candidate_cache", "spelling_fits"]

#: The reason's opening for a name whose only readings are spelled too differently.
FAR_SPELLING = "only far spelling matches"
#: Below this population, a town whose alternate name matched but whose own name
#: is spelled unlike the query is no reading of it.
SMALL_ALIAS_POPULATION = 20_000
#: How many candidates a name is looked up with.
CANDIDATES = 20
_CACHE_SIZE = 20_000


_ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|es|ez)[ -]")
_DOUBLED = re.compile(r"(.)\1+")


#: Words that say what kind of unit a name is: "Lamu County" is spelled like "Lamu".
_UNIT_WORDS = re.compile(
    r"\b(?:county|district|sub-?county|province|governorate|region|oblast|state|municipality"
    r"|prefecture|parish|department|division|city|town|village|island|islands)\b"
)


def _skeleton(name: str) -> str:
    """A name's letters, unaccented and casefolded, as spelling comparisons see them.

    No leading Arabic article, no unit word ("County"), doubled letters single,
    no final "h" after a vowel: "Ar-Raqqah" → "raqa".
    """
    plain = unicodedata.normalize("NFKD", _UNIT_WORDS.sub(" ", name.casefold()).strip())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = _ARTICLE.sub("", plain)
    plain = _DOUBLED.sub(r"\1", "".join(ch for ch in plain if ch.isalpha()))
    return plain[:-1] if plain.endswith(("ah", "eh")) else plain  # "Raqqah", "Raqqa"


def spelling_fits(query: str, name: str) -> bool:
    """Whether a folded (transliteration) match of ``query`` to ``name`` is close enough.

    The edit distance between their skeletons (letters, unaccented, no leading
    article, doubled letters single, no final "h" after a vowel) may grow with the longer one's length: none up to
    4 letters, 1 up to 7, 2 up to 11, 3 beyond. "Deir Ezzor" fits "Deir ez-Zor",
    "Raqqa" fits "Ar-Raqqah"; "Tour" does not fit "Turkey", nor "Orma" "Uruma".

    Examples
    --------
    >>> spelling_fits("Raqqa", "Ar-Raqqah"), spelling_fits("Tour", "Turkey")
    (True, False)
    """
    from rapidfuzz.distance import Levenshtein

    a, b = _skeleton(query), _skeleton(name)
    n = max(len(a), len(b))
    allowed = 0 if n <= 4 else 1 if n <= 7 else 2 if n <= 11 else 3
    return Levenshtein.distance(a, b, score_cutoff=allowed + 1) <= allowed


def _short(name: str) -> bool:
    """A name of at most 4 letters (once unaccented, no article, doubled letters single)."""
    return len(_skeleton(name)) <= 4


def _loose(c: Candidate, name: str) -> bool:
    """Whether ``c`` is a town read from ``name`` only by a spelling unlike its own.

    A folded (transliteration) match whose spelling does not fit, or a small
    town's alternate name unlike its own ("Farmers" for Milan, Michigan).
    Countries, provinces and sites keep their formal or descriptive names
    ("Dagestan, Respublika", "Al-Tanf garrison").
    """
    if c.kind is not Kind.PLACE:  # sites have descriptive names ("Al-Tanf garrison")
        return False
    if c.match_type is MatchType.ALTERNATE:
        if (c.population or 0) >= SMALL_ALIAS_POPULATION:
            return False
    elif c.match_type not in (MatchType.NORMALIZED, MatchType.FUZZY):
        return False
    return not spelling_fits(name, c.name)


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
    #: Per candidate: matched by a folded spelling or an alternate name unlike its
    #: own ("Likoni" for Lékoni, "Mob" for Mobile): a reading the text's other
    #: places must not contradict.
    loose: tuple[bool, ...] = ()

    @classmethod
    def of(cls, found: list[Candidate], name: str = "") -> Readings:
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
            loose=tuple(bool(name) and _loose(c, name) for c in found),
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
            # a folded match must still be spelled like the name: "Tour" is not Turkey
            # and a small place known by another name only by a spelling unlike its
            # own is a poor reading ("Non" for Nohn, "Farmers" for Milan, Michigan)
            # (a short name only: a longer one may match a place's other name
            # "Jbeil" for Byblos; its reading is loose, for the text to confirm)
            far = (
                [c for c in found if c.kind is Kind.PLACE and _loose(c, name)]
                if _short(name)
                else []
            )
            if far:
                found = [c for c in found if c not in far]
                if not found:
                    reason = (
                        f"{FAR_SPELLING}: {far[0].name} ({far[0].country_code}) "
                        f"is spelled too differently from {name!r}"
                    )
            if not found and not reason:
                cc = self.gaz.demonym_country(
                    name.rstrip("sS") if name.endswith(("'s", "’s")) else name
                )
                nation = (
                    self.gaz.country_candidate(cc, MatchType.NORMALIZED, 0.85, 2.0, name)
                    if cc
                    else None
                )
                if nation is not None:  # "Russian" as a mention: the country it names
                    found = [nation]
                else:
                    reason = self.gaz.resolve(name, fuzzy=False).reason or "no candidate"
            hit = (found, reason)
            self._search[key] = hit
            self.readings[id(found)] = Readings.of(found, name)
        return hit


_caches: weakref.WeakKeyDictionary[PlaceLookup, CandidateCache] = weakref.WeakKeyDictionary()


def candidate_cache(gazetteer: PlaceLookup) -> CandidateCache:
    cache = _caches.get(gazetteer)
    if cache is None:
        cache = _caches[gazetteer] = CandidateCache(gazetteer)
    return cache
