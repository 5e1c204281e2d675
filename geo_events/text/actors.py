"""Actors and sources: the dictionary of aliases, and finding them in text.

Names are ACLED-style canonical names ("Military Forces of Russia", "SDF: Syrian
Democratic Forces", "Islamic State"). The dictionary (``geo_events/data/actors.csv``)
maps aliases to them; when no alias matches, a demonym (or a country's possessive)
followed by a force noun ("Syrian forces", "Turkish drones", "Russia's military") is
named from a template ("Military Forces of {country}"), with the country from the
gazetteer's demonym table. Sources (a ministry, a news agency) are found the same
way; they can say which actor they speak for (``affiliation``), which is how a
statement is told to be a claim rather than a report.

Aliases match as whole words and case-insensitively, except short words written
in capitals (IS, SDF, HTS), which match only in capitals, so "IS" never matches "is".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick  # type: ignore[import-not-found,unused-ignore]

from geo_events.text._anchors import fold
from geo_events.text.lexicons import ActorEntry, Lexicons

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = ["ActorMatcher", "EntityMatch", "actor_matcher", "country_tables", "normalize_alias"]

_MODIFIERS = (
    r"government|regime|pro-government|state|special|armed|security|military|elite|"
    r"special ops|special operations|air|naval"
)


@dataclass(frozen=True, slots=True)
class EntityMatch:
    """An actor or source named in a text.

    ``kind`` is ``"actor"`` or ``"source"``; ``affiliation`` the actor a source
    speaks for (an actor speaks for itself); ``fallback`` is True when the name
    came from a demonym + noun template rather than the dictionary.
    """

    start: int
    end: int
    text: str
    canonical: str
    kind: str
    affiliation: str
    fallback: bool = False


def normalize_alias(text: str) -> str:
    """Fold an alias for lookup: casefold, one space, straight apostrophes, no hyphens."""
    text = text.replace("’", "'").replace("‐", "-").replace("-", " ")
    return " ".join(text.casefold().split())


def _is_acronym(token: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", token)
    return bool(letters) and letters.isupper() and len(letters) <= 5


def _token_pattern(token: str) -> str:
    escaped = re.escape(token).replace("'", "['’]").replace(r"\-", "[-‐ ]")
    if _is_acronym(token):
        return f"(?-i:{escaped})"
    return escaped


def _alias_pattern(alias: str) -> str:
    return r"\s+".join(_token_pattern(t) for t in alias.split())


def _the(name: str, with_the: frozenset[str]) -> str:
    low = name.casefold()
    if low.startswith(("united ", "democratic republic")) or low.endswith(("republic", "islands")):
        return f"the {name}"
    return f"the {name}" if low in with_the else name


def country_tables(gazetteer: PlaceLookup | None) -> tuple[dict[str, str], dict[str, str]]:
    """Return ``(demonym → ISO2, country name → ISO2)`` from a gazetteer, or empty tables.

    The demonym table is the gazetteer's own (less entries that are not words);
    country names are those of its country records. Keys are casefolded.
    """
    if gazetteer is None:
        return {}, {}
    demonyms = {k: v for k, v in gazetteer.demonyms.items() if re.fullmatch(r"[^\W\d_][\w' -]*", k)}
    return demonyms, dict(gazetteer.country_names())


class ActorMatcher:
    """Find actors and sources in text.

    Parameters
    ----------
    entries
        Rows of the actor dictionary (:attr:`Lexicons.actors <geo_events.text.lexicons.Lexicons>`).
    demonyms
        Casefolded demonym → ISO2 code, for the fallback ("syrian" → "SY").
    countries
        Casefolded country name → ISO2 code, for possessives ("russia" → "RU").
    countries_with_the
        Casefolded country names that take "the" in an actor name ("netherlands");
        default :attr:`Lexicons.countries_with_the <geo_events.text.lexicons.Lexicons>`
        of the packaged lexicons.

    Examples
    --------
    >>> from geo_events.text.lexicons import Lexicons
    >>> m = ActorMatcher(Lexicons.default().actors, demonyms={"turkish": "TR"},
    ...                  countries={"turkey": "TR"})
    >>> [e.canonical for e in m.find("Daesh fighters and Turkish drones")]
    ['Islamic State', 'Military Forces of Turkey']
    """

    def __init__(
        self,
        entries: Iterable[ActorEntry],
        *,
        demonyms: Mapping[str, str] | None = None,
        countries: Mapping[str, str] | None = None,
        countries_with_the: Iterable[str] | None = None,
    ) -> None:
        entries = tuple(entries)
        with_the = (
            Lexicons.default().countries_with_the
            if countries_with_the is None
            else frozenset(countries_with_the)
        )
        self._alias: dict[str, ActorEntry] = {}
        self._nouns: dict[str, ActorEntry] = {}
        for e in entries:
            lookup = self._alias if e.kind in ("actor", "source") else self._nouns
            lookup.setdefault(normalize_alias(e.alias), e)
        countries = dict(countries or {})
        self._cc_name: dict[str, str] = {}
        for name, cc in countries.items():
            words = (w if w in ("of", "and", "the") else w.capitalize() for w in name.split())
            self._cc_name.setdefault(cc, _the(" ".join(words), with_the))
        self._demonyms = dict(demonyms or {})
        self._force_template = next((e.canonical for e in entries if e.kind == "force"), None)
        self._countries = countries
        self._verify: dict[str, re.Pattern[str]] = {}
        self._automaton = ahocorasick.Automaton()
        table: dict[str, list[tuple[str, int, object]]] = {}

        def add(key: str, value: tuple[str, int, object]) -> None:
            table.setdefault(key, []).append(value)

        for e in entries:
            if e.kind not in ("actor", "source"):
                continue
            key = fold(e.alias)
            for variant in {key, key.replace("-", " ")}:
                add(variant, ("alias", len(variant), e))
            if any(_is_acronym(t) for t in e.alias.split()):
                self._verify[e.alias] = re.compile(_alias_pattern(e.alias), re.I)
        nouns = sorted(
            {e.alias for e in entries if e.kind in ("force", "source_force")}, key=len, reverse=True
        )
        self._tail = None
        if nouns:
            noun_alt = "|".join(_alias_pattern(n) for n in nouns)
            self._tail = re.compile(rf"\s+(?:(?:{_MODIFIERS})\s+)?(?P<noun>{noun_alt})(?!\w)", re.I)
            for demonym, cc in self._demonyms.items():
                add(fold(demonym), ("dem", len(demonym), cc))
            for name, cc in countries.items():
                key = fold(name) + "'s"
                add(key, ("cty", len(key), cc))
        #: The keywords: folded alias, demonym or possessive → what they are.
        self.keywords: dict[str, tuple[tuple[str, int, object], ...]] = {
            key: tuple(values) for key, values in table.items()
        }
        for key, value in self.keywords.items():
            self._automaton.add_word(key, value)
        self._empty = not table
        if not self._empty:
            self._automaton.make_automaton()

    def country_name(self, cc: str) -> str:
        """The country name for an ISO2 code, as the fallback templates use it."""
        return self._cc_name.get(cc, cc)

    def country_actor(self, name: str) -> str | None:
        """The forces of the country ``name`` names ("Russia" → "Military Forces of Russia"), or None."""
        cc = self._countries.get(" ".join(name.casefold().split()))
        if cc is None or self._force_template is None:
            return None
        return self._force_template.replace("{country}", self.country_name(cc))

    def lookup(self, name: str) -> ActorEntry | None:
        """The dictionary row an alias names, or None ("Daesh" → Islamic State's row)."""
        return self._alias.get(normalize_alias(name))

    def find(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        folded: str | None = None,
        hits: Sequence[tuple[int, tuple[tuple[str, int, object], ...]]] | None = None,
    ) -> list[EntityMatch]:
        """Return the actors and sources named in ``text[start:end]``, in order, not overlapping.

        Offsets are into ``text``. The longest name wins where names overlap; a
        dictionary alias wins over a fallback of the same span. ``folded`` is
        :func:`geo_events.text._anchors.fold` of ``text``, when the caller has it;
        ``hits`` the :attr:`keywords` a :class:`~geo_events.text._anchors.KeywordScan`
        found in it.
        """
        end = len(text) if end is None else end
        found: list[tuple[int, int, int, EntityMatch]] = []
        if self._empty:
            return []
        folded = fold(text) if folded is None else folded
        n = len(folded)
        scanned: Iterable[tuple[int, tuple[tuple[str, int, object], ...]]]
        if hits is None:
            scanned = self._automaton.iter(folded, start, end)
        else:  # keywords lie within [start, end): keep those the automaton would find there
            scanned = (h for h in hits if h[0] < end and h[0] + 1 - h[1][0][1] >= start)
        for last, values in scanned:
            after = last + 1
            for kind, length, payload in values:
                pos = after - length
                if pos > 0 and (folded[pos - 1].isalnum() or folded[pos - 1] == "_"):
                    continue
                if kind == "alias":
                    if after < n and (folded[after].isalnum() or folded[after] == "_"):
                        continue
                    entry: ActorEntry = payload  # type: ignore[assignment]
                    verify = self._verify.get(entry.alias)
                    if verify is not None and verify.fullmatch(text, pos, after) is None:
                        continue
                    affiliation = entry.affiliation if entry.kind == "source" else entry.canonical
                    found.append(
                        (pos, pos - after, 0,
                         EntityMatch(pos, after, text[pos:after], entry.canonical, entry.kind, affiliation))
                    )  # fmt: skip
                    continue
                if self._tail is None or not text[pos].isupper():
                    continue
                tail = self._tail.match(text, after, end)
                if tail is None:
                    continue
                noun = self._nouns.get(normalize_alias(tail.group("noun")))
                if noun is None:
                    continue
                country = self.country_name(payload)  # type: ignore[arg-type]
                canonical = noun.canonical.replace("{country}", country)
                ekind = "actor" if noun.kind == "force" else "source"
                affiliation = (
                    noun.affiliation.replace("{country}", country)
                    if ekind == "source"
                    else canonical
                )
                found.append(
                    (pos, pos - tail.end(), 1,
                     EntityMatch(pos, tail.end(), text[pos : tail.end()], canonical, ekind, affiliation, True))
                )  # fmt: skip
        found.sort(key=lambda t: t[:3])
        out: list[EntityMatch] = []
        last_end = -1
        for s, _neg, _prio, match in found:
            if s >= last_end:
                out.append(match)
                last_end = match.end
        return out


def actor_matcher(
    lexicons: Lexicons | None = None, gazetteer: PlaceLookup | None = None
) -> ActorMatcher:
    """Compile an :class:`ActorMatcher` for a set of lexicons and a gazetteer's country tables.

    Nothing is cached: an :class:`~geo_events.text.extractor.Extractor` compiles
    its matchers once and keeps them.
    """
    lexicons = lexicons or Lexicons.default()
    demonyms, countries = country_tables(gazetteer)
    return ActorMatcher(
        lexicons.actors,
        demonyms=demonyms,
        countries=countries,
        countries_with_the=lexicons.countries_with_the,
    )
