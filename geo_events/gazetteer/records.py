"""The gazetteer's two record types: what goes in, and what comes out.

:class:`PlaceRecord` is one place as a source provides it, in GeoNames' own terms
(feature class and code, admin codes). Every source — the packaged defaults, the
curated supplement, a full GeoNames dump — yields these, and the index is built
from them only.

:class:`Candidate` is one answer to a lookup: the place, how its name matched and
with what score, and the raw record it came from (as geopy's ``Location.raw``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Protocol, SupportsIndex

import numpy as np

__all__ = [
    "Candidate",
    "Kind",
    "MatchType",
    "PlaceRecord",
    "Resolution",
    "haversine_km",
    "kind_of",
]


class Kind(str, Enum):
    """What sort of place a record is; used to filter and rank."""

    COUNTRY = "country"
    ADMIN1 = "admin1"
    ADMIN2 = "admin2"
    PLACE = "place"  # a populated place (GeoNames class P)
    REGION = "region"  # a named region without admin status (L.RGN, L.AREA, ...)
    FEATURE = "feature"  # anything else: an oil field, an air base, a dam, ...

    def __str__(self) -> str:
        return self.value


class MatchType(str, Enum):
    """How a query's name met a place's name, best first."""

    EXACT = "exact"  # the place's primary name, casefolded
    ALTERNATE = "alternate"  # one of its alternate names, casefolded
    NORMALIZED = "normalized"  # equal once transliteration differences are folded
    FUZZY = "fuzzy"  # close, by edit distance, to a normalized name

    def __str__(self) -> str:
        return self.value


#: The match score each match type starts from (fuzzy scales by similarity).
MATCH_SCORES: dict[MatchType, float] = {
    MatchType.EXACT: 1.0,
    MatchType.ALTERNATE: 0.95,
    MatchType.NORMALIZED: 0.85,
    MatchType.FUZZY: 0.75,
}

_COUNTRY_CODES = frozenset({"PCLI", "PCLD", "PCLF", "PCLS", "PCLIX", "PCL", "TERR", "PCLH"})
_REGION_CODES = frozenset(
    {"RGN", "RGNE", "AREA", "ZN", "RGNH", "PRK", "DSRT", "VAL", "PLN", "CONT", "OCN", "SEA", "GULF"}
)


def kind_of(feature_class: str, feature_code: str) -> Kind:
    """Return the :class:`Kind` of a GeoNames feature class and code.

    Examples
    --------
    >>> kind_of("A", "ADM1"), kind_of("P", "PPLA"), kind_of("L", "OILF")
    (<Kind.ADMIN1: 'admin1'>, <Kind.PLACE: 'place'>, <Kind.FEATURE: 'feature'>)
    """
    if feature_class == "A":
        if feature_code in _COUNTRY_CODES:
            return Kind.COUNTRY
        if feature_code.startswith("ADM1"):
            return Kind.ADMIN1
        if feature_code.startswith("ADM"):
            return Kind.ADMIN2
        return Kind.REGION
    if feature_class == "P":
        return Kind.PLACE
    if feature_class in "LTH" and feature_code in _REGION_CODES:
        return Kind.REGION
    return Kind.FEATURE


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One place as a source gives it, in GeoNames' terms.

    ``point_source`` says where the coordinates come from: ``"geonames"`` for
    GeoNames' own point, or how a representative point was chosen for an area
    without one (``"most populous place: Deir ez-Zor (170794)"``).
    """

    geonameid: int
    name: str
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str
    admin1_code: str = ""
    admin2_code: str = ""
    population: int = 0
    alternate_names: tuple[str, ...] = ()
    source: str = ""
    point_source: str = "geonames"

    @property
    def kind(self) -> Kind:
        """The record's :class:`Kind`."""
        return kind_of(self.feature_class, self.feature_code)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One answer to a gazetteer lookup.

    Attributes
    ----------
    geonameid, name, latitude, longitude
        The place (WGS84 degrees).
    country_code, country
        ISO 3166-1 alpha-2 code and English name ("SY", "Syria").
    admin1, admin2
        Names of the first- and second-level divisions the place lies in, or "".
    admin1_code, admin2_code
        GeoNames admin codes ("07"; "170793"), or "".
    feature_class, feature_code, kind
        GeoNames feature class/code, and the coarse :class:`Kind`.
    population
        As GeoNames gives it (0 when unknown).
    match_type, score
        How the query's name matched (:class:`MatchType`) and the match score in
        [0, 1]: 1.0 for the primary name, less for alternate, normalized and fuzzy.
    matched_name
        The name of the place the query matched.
    rank
        The ranking score that ordered the candidates (match, population, kind
        and hints together); comparable only within one result list.
    raw
        The gazetteer row this candidate came from.

    A candidate a lookup returns fills its place fields (:data:`DEFERRED_FIELDS`: the
    place, its codes and its areas' names) from the index when one of them is first
    read, compared or copied; it is a plain :class:`Candidate` from then on.
    """

    geonameid: int
    name: str
    latitude: float
    longitude: float
    country_code: str
    country: str
    admin1: str
    admin2: str
    admin1_code: str
    admin2_code: str
    feature_class: str
    feature_code: str
    kind: Kind
    population: int
    match_type: MatchType
    score: float
    matched_name: str
    rank: float = 0.0
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def point(self) -> tuple[float, float]:
        """``(latitude, longitude)``, the order geopy and folium use."""
        return (self.latitude, self.longitude)

    @property
    def address(self) -> str:
        """A readable address: "Deir ez-Zor, Dayr az Zawr, Syria"."""
        parts = [self.name, self.admin2, self.admin1, self.country]
        seen: list[str] = []
        for part in parts:
            if part and part not in seen:
                seen.append(part)
        return ", ".join(seen)


#: The fields of a candidate read from the index on first access (:func:`deferred_candidate`),
#: in the order the record's reader gives them.
DEFERRED_FIELDS = (
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "country_code",
    "country",
    "admin1",
    "admin2",
    "admin1_code",
    "admin2_code",
    "feature_class",
    "feature_code",
    "population",
)


class CandidateSource(Protocol):
    """What a deferred candidate's ``raw`` is: the record, and the fields it fills."""

    def candidate_fields(self) -> tuple[Any, ...]:
        """The values of :data:`DEFERRED_FIELDS`, in order."""
        ...


_SLOTS = {name: Candidate.__dict__[name] for name in Candidate.__dataclass_fields__}
_PUTS = tuple(_SLOTS[name].__set__ for name in DEFERRED_FIELDS)
_RAW = _SLOTS["raw"].__get__


class _Deferred(Candidate):
    """A :class:`Candidate` whose place fields are read on first access, then a plain one.

    A lookup ranks rows by arrays, and most callers read a few fields of the
    candidate it returns, or none; decoding a record and its three area names costs
    more than the whole lookup. So the candidate keeps its row (in ``raw``) and
    reads them when one is first read (or compared, hashed, shown, copied): it
    then becomes a plain :class:`Candidate` with every field set, and costs no
    more than one from then on.
    """

    __slots__ = ()

    def _load(self) -> None:
        values = _RAW(self, Candidate).candidate_fields()
        for put, value in zip(_PUTS, values, strict=True):
            put(self, value)
        object.__setattr__(self, "__class__", Candidate)  # same slots: the fields stay

    def __eq__(self, other: object) -> bool:
        self._load()
        return self == other

    def __hash__(self) -> int:
        self._load()
        return hash(self)

    def __repr__(self) -> str:
        self._load()
        return repr(self)

    def __reduce_ex__(self, protocol: SupportsIndex) -> Any:
        self._load()
        return self.__reduce_ex__(protocol)


def _read_on_access(name: str) -> property:
    get = _SLOTS[name].__get__

    def read(self: _Deferred) -> Any:
        self._load()
        return get(self, Candidate)

    return property(read, doc=f"The candidate's ``{name}`` (read from the index on first use).")


for _name in DEFERRED_FIELDS:
    setattr(_Deferred, _name, _read_on_access(_name))
del _name

_NEW = object.__new__
_PUT_KIND, _PUT_MATCH, _PUT_SCORE, _PUT_MATCHED, _PUT_RANK, _PUT_RAW = (
    _SLOTS[name].__set__ for name in ("kind", "match_type", "score", "matched_name", "rank", "raw")
)


def read_fields(candidate: Candidate) -> Candidate:
    """Read now the fields a :func:`deferred_candidate` would read on first access."""
    if type(candidate) is _Deferred:
        candidate._load()
    return candidate


def deferred_candidate(
    kind: Kind,
    match_type: MatchType,
    score: float,
    matched_name: str,
    rank: float,
    source: CandidateSource,
) -> Candidate:
    """A :class:`Candidate` whose :data:`DEFERRED_FIELDS` come from ``source`` on first access.

    ``source`` is also its ``raw``. Equal, once read, to the candidate built with all
    the fields at once; ``isinstance(c, Candidate)`` holds from the start.
    """
    candidate = _NEW(_Deferred)
    _PUT_KIND(candidate, kind)
    _PUT_MATCH(candidate, match_type)
    _PUT_SCORE(candidate, score)
    _PUT_MATCHED(candidate, matched_name)
    _PUT_RANK(candidate, rank)
    _PUT_RAW(candidate, source)
    return candidate


@dataclass(frozen=True, slots=True)
class Resolution:
    """The outcome of resolving one name: the chosen candidate, or why none.

    ``reason`` is empty when a candidate was chosen; otherwise it says why not
    ("empty name", "'Syrian' is a demonym of Syria (SY)", "no place named …").
    """

    query: str
    candidate: Candidate | None
    reason: str = ""
    alternatives: tuple[Candidate, ...] = ()

    def __bool__(self) -> bool:
        return self.candidate is not None


#: Mean Earth radius (IUGG), in km.
EARTH_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance in km (scalars or numpy arrays for the second point)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2) - lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
