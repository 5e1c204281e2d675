"""What the text layer may ask of a gazetteer: the :class:`PlaceLookup` protocol.

Decisions, written down:

- Extraction and geoparsing depend on this typed surface, not on
  :class:`~geo_events.gazetteer.Gazetteer` or its index (as geopy's providers
  depend only on ``Geocoder``): the index's layout (tries, row tables) can change
  without touching ``geo_events.text``, and another gazetteer can stand in.
- The members are exactly those ``geo_events.text`` uses: the two country tables
  actor names are made from, the exact-name trie walk and the normalized-key test
  of toponym recognition, a country's candidate, and the lookups.
- It is ``runtime_checkable``: ``isinstance(gaz, PlaceLookup)`` checks that the
  members exist (not their signatures).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from geo_events.gazetteer.records import Candidate, MatchType, Resolution

__all__ = ["PlaceLookup"]


@runtime_checkable
class PlaceLookup(Protocol):
    """The gazetteer surface the text layer depends on (``Gazetteer`` implements it).

    Examples
    --------
    >>> from geo_events.gazetteer import Gazetteer
    >>> isinstance(Gazetteer.open(), PlaceLookup)  # doctest: +SKIP
    True
    """

    @property
    def demonyms(self) -> Mapping[str, str]:
        """Casefolded demonym → ISO2 code ("syrian" → "SY"); read-only."""
        ...

    def country_names(self) -> Mapping[str, str]:
        """Casefolded country name → ISO2 code ("russia" → "RU"); read-only."""
        ...

    def country_candidate(
        self,
        code: str,
        match_type: MatchType | str = ...,
        score: float = ...,
        rank: float = ...,
        matched: str = ...,
    ) -> Candidate | None:
        """The country whose ISO2 code is ``code`` as a candidate, or None."""
        ...

    def exact_prefixes(self, text: str) -> list[str]:
        """The exact-name keys that are prefixes of ``text`` (a folded text), shortest first."""
        ...

    def has_normalized_key(self, key: str) -> bool:
        """Whether ``key`` (a :func:`~geo_events.gazetteer.normalized_key`) names a place."""
        ...

    def search(
        self,
        name: str,
        *,
        country: str | None = ...,
        admin1: str | None = ...,
        admin2: str | None = ...,
        kinds: Any = ...,
        near: tuple[float, float] | None = ...,
        limit: int = ...,
        fuzzy: bool = ...,
    ) -> list[Candidate]:
        """The places ``name`` can mean, best first."""
        ...

    def resolve(self, name: Any, **hints: Any) -> Resolution:
        """One place for ``name``, or why not."""
        ...

    def demonym_country(self, word: str) -> str | None:
        """The ISO2 code a demonym names, or None."""
        ...

    def country_code(self, country: str | None) -> str | None:
        """The ISO2 code of a country given by code, name or demonym, or None."""
        ...
