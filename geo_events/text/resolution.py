"""Toponym resolution in context: which place each mention means, or none.

Each distinct name in the text is looked up once (``gaz.search``, no fuzzy
matching: recognition already found the name) and its candidates are scored by

    the gazetteer's rank (match score + a prior from kind and population)
    + hierarchy cues: "X, Syria", "X, Ga.", "X in Deir ez-Zor province",
      "the Syrian town of X" (+1.0 for candidates inside, -0.5 outside)
    + the article's countries, from country names and demonyms (up to +0.6, by
      each country's share of the article's country votes)
    + an admin-area reading when a lowercase admin word follows ("X province")
    + closeness to the other places the article resolved (up to +0.5; for a
      province: another of the article's places inside it)

One sense per discourse: every mention of a name shares its cues and its answer.
A best score under :data:`NULL_THRESHOLD` (a weak, transliteration-only match
with no support from the text) gives the NULL choice. A name the gazetteer lacks
falls back to the admin area the text names for it ("the village of X in Deir
ez-Zor province" → the province, ``geo_precision=2`` or ``3``), else to the
place the article is mostly about (a street, an estate: ``geo_precision=2``),
else to the one country the text names for it; the reason says which.

``geo_precision`` follows ACLED: 1 for a town or a point feature, 2 for a
second-level division or a named region, 3 for a first-level division or a
country.
"""

from __future__ import annotations

import math
import re
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo_events.gazetteer import Candidate, Kind, MatchType
from geo_events.text.toponym_lexicons import Lexicons, default_lexicons
from geo_events.text.toponyms import Mention

if TYPE_CHECKING:
    from geo_events.gazetteer import Gazetteer

__all__ = ["NULL_THRESHOLD", "ResolvedMention", "resolve_mentions"]

#: Below this score the best candidate is not taken (the NULL choice).
NULL_THRESHOLD = 1.42
#: Bonus for a candidate in a country the article names, times that country's share
#: of the article's country votes (an international story favours no country much).
COUNTRY_BONUS = 0.6
#: Bonus for a candidate next to another place of the article (decays over 200 km).
PROXIMITY_BONUS = 0.5
#: Bonus for a province when the text names other provinces of its country
#: ("Alberta, British Columbia and Ontario").
SIBLING_BONUS = 0.5
#: How much an unambiguous town counts toward the article's countries (a country: 1).
PLACE_VOTE = 0.25
#: Taken from a country whose name is also a first-level division of the country
#: the article is about, when nothing else in the article points to that country.
HOMONYM_COUNTRY_PENALTY = 1.2
#: Taken from a place the name matched by an alternate name when another
#: candidate bears it as its own name.
FORMER_NAME_PENALTY = 0.2
#: How many candidates a name is looked up with.
CANDIDATES = 20
_CACHE_SIZE = 20_000

_ADMIN_KINDS = (Kind.ADMIN1, Kind.ADMIN2)
#: How large a unit each kind is, for telling "X, Y" nesting from a list.
_LEVEL = {Kind.ADMIN2: 1, Kind.ADMIN1: 2, Kind.COUNTRY: 3, Kind.REGION: 4}
#: What can be an article's focus, for the names the gazetteer lacks.
_FOCUS_KINDS = (Kind.PLACE, Kind.FEATURE, Kind.ADMIN2)
#: How much a name's best reading counts toward the article's countries, by kind.
_VOTE = {Kind.COUNTRY: 1.0, Kind.ADMIN1: 0.5, Kind.PLACE: PLACE_VOTE}
_PRECISION = {
    Kind.PLACE: 1,
    Kind.FEATURE: 1,
    Kind.ADMIN2: 2,
    Kind.REGION: 2,
    Kind.ADMIN1: 3,
    Kind.COUNTRY: 3,
}


@dataclass(frozen=True)
class ResolvedMention:
    """A mention and the place it was resolved to (or why none).

    Attributes
    ----------
    start, end, text
        The span, as in :class:`~geo_events.text.toponyms.Mention`.
    candidate
        The chosen place, or None (the NULL choice).
    alternatives
        The other candidates considered, best first.
    confidence
        How sure the choice is, in [0, 1] (0 for the NULL choice).
    geo_precision
        ACLED-style: 1 town/point, 2 district or region, 3 province or country;
        None without a candidate.
    reason
        Why this candidate (the cues that decided), or why none.
    role
        The mention's role ("place", "actor", "unknown").
    """

    start: int
    end: int
    text: str
    candidate: Candidate | None
    alternatives: tuple[Candidate, ...]
    confidence: float
    geo_precision: int | None
    reason: str
    role: str = "place"


@dataclass(frozen=True)
class _Readings:
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
    def of(cls, found: list[Candidate]) -> _Readings:
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


class _Resolver:
    """Per-gazetteer caches: candidates per name."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._search: dict[tuple[str, str | None], tuple[list[Candidate], str]] = {}
        #: id of a cached candidate list -> what it says about itself
        self.readings: dict[int, _Readings] = {}

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
                row = self.gaz.index.countries.get(cc) if cc else None
                if row is not None:  # "Russian" as a mention: the country it names
                    found = [self.gaz.candidate(row, MatchType.NORMALIZED, 0.85, 2.0, name)]
                else:
                    reason = self.gaz.resolve(name, fuzzy=False).reason or "no candidate"
            hit = (found, reason)
            self._search[key] = hit
            self.readings[id(found)] = _Readings.of(found)
        return hit


_resolvers: weakref.WeakKeyDictionary[Gazetteer, _Resolver] = weakref.WeakKeyDictionary()


def _resolver(gazetteer: Gazetteer) -> _Resolver:
    res = _resolvers.get(gazetteer)
    if res is None:
        res = _resolvers[gazetteer] = _Resolver(gazetteer)
    return res


# Capitalised words, candidates for demonyms. No \b anchors: they stop the regex
# engine from skipping ahead to capitals (3x slower), and a capitalised run glued
# to other letters ("aBrazil") is no demonym anyway.
_DEMONYM_WORD = re.compile(r"[A-Z][a-zA-Z]+(?:-[A-Z][a-z]+)?")
_COMMA_BETWEEN = re.compile(r"\s*,\s*$")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")
_IN_BETWEEN = re.compile(r"\s+(?:in|of|near)\s+(?:the\s+)?$")
_ADMIN_AFTER = re.compile(
    r"\s*(?:province|governorate|region|district|oblast|county|parish|state|prefecture|municipality)\b",
    re.IGNORECASE,
)
_CUE_BEFORE = re.compile(
    r"(?:\b(?P<demonym>[A-Z][a-zA-Z-]+)\s+(?:[a-z-]+\s+)?)?"
    r"\b(?:town|city|village|hamlet|settlement|district|area|neighbou?rhood|suburb|province|governorate"
    r"|region|camp|oblast|municipality|county|capital|port|border town|stronghold)\s+of\s+$"
)


@dataclass
class _Cues:
    countries: set[str]
    admins: set[tuple[str, str]]
    admin_candidates: list[Candidate]
    prefer_admin: bool = False
    text: list[str] | None = None


def resolve_mentions(
    text: str,
    mentions: list[Mention],
    gazetteer: Gazetteer | None = None,
    *,
    lexicons: Lexicons | None = None,
) -> list[ResolvedMention]:
    """Resolve each mention to a place, using the rest of ``text`` as context.

    Parameters
    ----------
    text
        The text the mentions were found in (offsets point into it).
    mentions
        From :func:`~geo_events.text.toponyms.find_mentions`, or gold spans.
    gazetteer
        Default :func:`~geo_events.gazetteer.default_gazetteer`.
    lexicons
        For the abbreviations ("U.S.", "Calif."); default the packaged ones.

    Returns
    -------
    list of ResolvedMention
        One per mention, in the order given.

    Examples
    --------
    >>> from geo_events.text.toponyms import find_mentions
    >>> text = "Shelling hit Deir ez-Zor, eastern Syria."
    >>> [r.candidate.geonameid for r in resolve_mentions(text, find_mentions(text))]  # doctest: +SKIP
    [170794, 163843]
    """
    if not mentions:
        return []
    if gazetteer is None:
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    lex = lexicons or default_lexicons()
    res = _resolver(gazetteer)
    text = text if isinstance(text, str) else ""
    order = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    ms = [mentions[i] for i in order]

    # 1. candidates per mention
    queries: list[tuple[str, str | None]] = []
    cands: list[list[Candidate]] = []
    reasons: list[str] = []
    for m in ms:
        abbrev = lex.abbreviations.get(m.text)
        name, cc = (abbrev[0], abbrev[1] or None) if abbrev else (m.text, None)
        found, why = res.candidates(name, cc)
        if not found and name != m.text:
            found, why = res.candidates(m.text, None)
        queries.append((name, cc))
        cands.append(found)
        reasons.append(why)

    # 2. the article's countries: country names, first-level divisions, cities
    # whose name leaves no doubt, demonyms; a name does not vote for itself
    votes: Counter[str] = Counter()
    own: dict[str, Counter[str]] = defaultdict(Counter)
    for i, found in enumerate(cands):
        if found and found[0].match_type in (MatchType.EXACT, MatchType.ALTERNATE):
            top = found[0]
            weight = _VOTE.get(top.kind, 0.0)
            if (
                top.kind is Kind.PLACE
                and len(found) > 1
                and found[1].country_code != top.country_code
            ):
                weight = 0.0  # "Paris": which country is the question, not the answer
            if weight:
                votes[top.country_code] += weight
                own[_surface_key(ms[i], queries[i])][top.country_code] += weight
    demonyms = gazetteer.index.demonyms
    for word in _DEMONYM_WORD.findall(text[:200_000]):
        cc = demonyms.get(word.casefold())
        if cc:
            votes[cc] += 0.5

    # 3. hierarchy cues, per mention, pooled per name (one sense per discourse)
    cues: dict[str, _Cues] = defaultdict(lambda: _Cues(set(), set(), []))
    for i, m in enumerate(ms):
        cue = cues[_surface_key(m, queries[i])]
        # "X, Y" and "X in Y province"
        for j in range(i + 1, min(i + 3, len(ms))):
            between = text[m.end : ms[j].start]
            comma = _COMMA_BETWEEN.fullmatch(between) is not None or between.strip() in (",", ", ")
            inside = _IN_BETWEEN.fullmatch(between) is not None
            if not (comma or inside) or len(between) > 12:
                break
            admin_word = _ADMIN_AFTER.match(text, ms[j].end) is not None
            if inside and not admin_word:
                break
            if comma and not admin_word and _is_list(text, ms, cands, i, j):
                break
            _add_container(cue, cands[j], admin_word)
            if (
                comma
                and j + 1 < len(ms)
                and _COMMA_BETWEEN.fullmatch(text[ms[j].end : ms[j + 1].start])
            ):
                continue
            break
        # "X province"
        if _ADMIN_AFTER.match(text, m.end) and not text[m.end : m.end + 1].isalnum():
            cue.prefer_admin = True
        # "the Syrian town of X"
        before = _CUE_BEFORE.search(text, max(0, m.start - 60), m.start)
        if before is not None and before.end() == m.start:
            word = before.group("demonym")
            cc = demonyms.get(word.casefold()) if word else None
            if cc is None and word:
                cc = gazetteer.country_code(word) if word[0].isupper() else None
            if cc:
                cue.countries.add(cc)

    # 4. score, then score again with the places found as anchors
    chosen: dict[str, tuple[list[tuple[float, Candidate]], str]] = {}
    firsts: dict[str, int] = {}
    for i, m in enumerate(ms):
        if cands[i]:
            firsts.setdefault(_surface_key(m, queries[i]), i)
    for second in (False, True):
        anchors = _anchors(chosen) if second else {}
        if second and not anchors.get("*"):
            break
        # a second look only where there is something to choose between
        todo = {key: cands[i] for key, i in firsts.items() if not second or len(cands[i]) > 1}
        near = _nearest_km(todo, chosen, res.readings) if second else {}
        for key, found in todo.items():
            chosen[key] = _score(
                found, cues[key], votes - own[key], anchors.get(key, []), near.get(key),
                res.readings[id(found)],
            )  # fmt: skip

    # 5. answers, in the caller's order; names the gazetteer lacks last, as they
    # may fall back on the place the article is about
    result: list[ResolvedMention] = [None] * len(ms)  # type: ignore[list-item]
    for i, m in enumerate(ms):
        if cands[i]:
            scored, why = chosen[_surface_key(m, queries[i])]
            result[order[i]] = _answer(m, scored, why)
    leader = max(votes, key=votes.__getitem__) if votes else None
    focus = _focus(result, leader) if len(cands) > sum(map(bool, cands)) else None
    for i, m in enumerate(ms):
        if not cands[i]:
            cue = cues[_surface_key(m, queries[i])]
            result[order[i]] = _fallback(m, cue, reasons[i], res, focus, leader)
    return result


def _surface_key(m: Mention, query: tuple[str, str | None]) -> str:
    return f"{query[0].casefold()}|{query[1] or ''}"


def _is_list(text: str, ms: list[Mention], cands: list[list[Candidate]], i: int, j: int) -> bool:
    """Whether "X, Y" enumerates (two states, two countries) rather than nests.

    Y contains X only if it can: when both are best read as units of the same
    level ("Missouri, California"), it is a list, unless a reading of X lies
    inside Y ("California, Missouri": a town) and the enumeration goes no
    further ("Louisiana, Missouri, California and Texas" is a list all the same).
    """
    first, second = cands[i], cands[j]
    if not first or not second:
        return False
    if not _LEVEL.get(first[0].kind, 0) >= _LEVEL.get(second[0].kind, 0) > 0:
        return False
    area = second[0]
    nests = any(
        c.country_code == area.country_code
        and (area.kind is Kind.COUNTRY or c.admin1_code == area.admin1_code)
        and _LEVEL.get(c.kind, 0) < _LEVEL[area.kind]
        for c in first
    )
    if not nests:
        return True
    before = i > 0 and _LIST_GAP.fullmatch(text[ms[i - 1].end : ms[i].start]) is not None
    after = j + 1 < len(ms) and _LIST_GAP.fullmatch(text[ms[j].end : ms[j + 1].start]) is not None
    return before or after


def _add_container(cue: _Cues, found: list[Candidate], admin_word: bool) -> None:
    """Record what the container in "X, Y" / "X in Y province" may be."""
    if not found:
        return
    top = found[0]
    if top.kind is Kind.COUNTRY and not admin_word:
        cue.countries.add(top.country_code)
        return
    admins = [c for c in found if c.kind in _ADMIN_KINDS]
    if admins:
        for c in admins[:3]:
            cue.admins.add((c.country_code, c.admin1_code))
        cue.admin_candidates.extend(admins[:1])
        if not admin_word:
            cue.countries.update(c.country_code for c in admins[:3])
    elif top.kind is Kind.PLACE:
        # "X, Aleppo": the city names its province
        cue.admins.add((top.country_code, top.admin1_code))
        cue.countries.add(top.country_code)


def _anchors(
    chosen: dict[str, tuple[list[tuple[float, Candidate]], str]],
) -> dict[str, list[Candidate]]:
    """The places already chosen (countries excluded), as anchors for the others."""
    points = {
        key: scored[0][1]
        for key, (scored, _) in chosen.items()
        if scored and scored[0][1].kind is not Kind.COUNTRY
    }
    return {key: [c for k, c in points.items() if k != key] for key in chosen} | {
        "*": list(points.values())
    }


def _score(
    found: list[Candidate],
    cue: _Cues,
    votes: Counter[str],
    anchors: list[Candidate],
    near: np.ndarray | None,
    r: _Readings,
) -> tuple[list[tuple[float, Candidate]], str]:
    top_vote = max(votes.values(), default=0.0)
    total_vote = sum(v for v in votes.values() if v > 0)
    # the notes are (template, value) pairs, formatted for the winner only
    why: dict[int, list[tuple[str, object]]] = defaultdict(list)
    scored: list[tuple[float, Candidate]] = []
    # Distances count from towns, sites and districts only: a province's point is
    # just its middle, and the towns near the middle of Missouri are not near
    # anything the text says. Provinces count by what lies inside them; another
    # spelling of this very name ("Raqqah") is no evidence for it.
    inside_points = {
        (a.country_code, a.admin1_code)
        for a in anchors
        if a.kind in _FOCUS_KINDS and a.geonameid not in r.own
    }
    areas = {(a.country_code, a.admin1_code) for a in anchors if a.kind is Kind.ADMIN1}
    # Siblings do not tell a province from its own seat ("Idlib"), nor from a
    # national capital named like it ("Washington").
    sibling_countries = set() if r.capital else {cc for cc, _ in areas}
    # A town named like a province of its own country but outside it
    # ("California", Missouri) needs the text to say so ("California, Mo."):
    # nearness alone does not. The province's own seat keeps its bonus.
    provinces, province_countries = r.provinces, r.province_countries
    leader = max(votes, key=votes.__getitem__) if top_vote else None
    local_admin = leader is not None and any(
        c.kind is Kind.ADMIN1 and c.country_code == leader for c in found
    )
    # A place whose own name this is beats one that merely once bore it
    # ("Franklin": the Tennessee city, not Columbus, Ohio, once Franklinton).
    primary = r.primary
    for idx, c in enumerate(found):
        s = c.rank
        if primary and c.match_type is not MatchType.EXACT:
            s -= FORMER_NAME_PENALTY
        notes = why[c.geonameid]
        if cue.countries:
            if c.country_code in cue.countries:
                s += 1.0
                notes.append(("in {} as the text says", c.country_code))
            else:
                s -= 0.5
        if cue.admins:
            if (c.country_code, c.admin1_code) in cue.admins and c.kind is not Kind.ADMIN1:
                s += 1.0
                notes.append(("in {} as the text says", c.admin1 or c.admin1_code))
            elif (c.country_code, c.admin1_code) in cue.admins:
                s += 0.5
        if top_vote and votes.get(c.country_code):
            s += COUNTRY_BONUS * votes[c.country_code] / total_vote
            notes.append(("{} named in the text", c.country_code))
        if local_admin and c.kind is Kind.COUNTRY and not votes.get(c.country_code):
            s -= HOMONYM_COUNTRY_PENALTY  # "Georgia" in a story about Atlanta and Macon
        if cue.prefer_admin and c.kind in _ADMIN_KINDS:
            s += 0.5
            notes.append(("an admin area, as the text says", None))
        where = (c.country_code, c.admin1_code)
        if c.kind is Kind.ADMIN1:
            if where in inside_points:
                s += PROXIMITY_BONUS
                notes.append(("another place in the text lies inside it", None))
            if c.country_code in sibling_countries and where not in r.seats:
                s += SIBLING_BONUS
                notes.append(("the text names other provinces of {}", c.country_code))
        elif c.kind is not Kind.COUNTRY and (
            c.country_code not in province_countries or where in provinces
        ):
            km = float(near[idx]) if near is not None else math.inf
            if where in areas and c.admin1_code:
                km = 0.0
                notes.append(("in {}, named in the text", c.admin1 or c.admin1_code))
            s += PROXIMITY_BONUS * math.exp(-km / 200.0)
            if 0 < km < 200:
                notes.append(("{:.0f} km from another place in the text", km))
        scored.append((s, c))
    scored.sort(key=lambda item: -item[0])
    best = scored[0][1]
    reason = "; ".join(template.format(value) for template, value in why[best.geonameid])
    return scored, reason or "most likely reading of the name (population, kind)"


def _nearest_km(
    todo: dict[str, list[Candidate]],
    chosen: dict[str, tuple[list[tuple[float, Candidate]], str]],
    readings: dict[int, _Readings],
) -> dict[str, np.ndarray]:
    """Per name, each candidate's distance in km to the nearest point anchor.

    The anchors are the towns, sites and districts chosen for the *other* names
    (a province's or a country's point is just its middle). One matrix for the
    whole article: numpy's per-call cost dominates at these sizes.
    """
    anchor_keys, anchors = [], []
    for key, (scored, _) in chosen.items():
        if scored and scored[0][1].kind in _FOCUS_KINDS:
            anchor_keys.append(key)
            anchors.append(scored[0][1])
    if not anchors or not todo:
        return {}
    keys = list(todo)
    number = {key: j for j, key in enumerate(keys)}
    rs = [readings[id(todo[key])] for key in keys]
    row_key = np.repeat(np.arange(len(keys)), [len(todo[key]) for key in keys])
    column_key = np.array([number.get(k, -1) for k in anchor_keys])
    lat1 = np.concatenate([r.lat for r in rs])[:, None]
    lon1 = np.concatenate([r.lon for r in rs])[:, None]
    lat2 = np.radians([a.latitude for a in anchors])[None, :]
    lon2 = np.radians([a.longitude for a in anchors])[None, :]
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    km = 2 * 6371.0088 * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    # A name is no anchor for itself; and a place does not support itself under
    # a name it merely once bore: "Mecca" is not Medina, Ohio (once Mecca)
    # because "Medina" was read as Medina, Ohio.
    former = np.concatenate([r.former for r in rs])[:, None]
    same = (
        np.concatenate([r.ids for r in rs])[:, None]
        == np.array([x.geonameid for x in anchors], dtype=np.int64)[None, :]
    )
    km[(row_key[:, None] == column_key[None, :]) | (former & same)] = np.inf
    nearest = km.min(axis=1)
    bounds = np.cumsum([0] + [len(todo[key]) for key in keys])
    return {key: nearest[bounds[j] : bounds[j + 1]] for j, key in enumerate(keys)}


def _answer(m: Mention, scored: list[tuple[float, Candidate]], why: str) -> ResolvedMention:
    best_score, best = scored[0]
    # one candidate per place for the confidence (a city and its district are rivals)
    weights = [math.exp((s - best_score) / 0.3) for s, _ in scored]
    p_best = weights[0] / sum(weights)
    alternatives = tuple(c for _, c in scored[1:])
    role = getattr(m, "role", "place")
    if best_score < NULL_THRESHOLD:
        return ResolvedMention(
            m.start, m.end, m.text, None, tuple(c for _, c in scored), 0.0, None,
            f"no reading fits well enough (best {best.name}, {best.country_code}, "
            f"score {best_score:.2f} < {NULL_THRESHOLD})",
            role,
        )  # fmt: skip
    confidence = round(p_best * best.score, 3)
    return ResolvedMention(
        m.start,
        m.end,
        m.text,
        best,
        alternatives,
        confidence,
        _PRECISION.get(best.kind, 1),
        why,
        role,
    )


def _focus(resolved: list[ResolvedMention | None], leader: str | None) -> Candidate | None:
    """The place the article is about: its most mentioned town, district or site.

    Each mention counts 1; a place gains half a mention when the province it
    lies in is named too, and half when it lies in the country the article names
    most ("Cape Town" over a homonym abroad). Ties go to the place mentioned
    first. Countries and provinces are not a focus: a street "in the United
    States" is no better placed for it.
    """
    ordered = sorted((r for r in resolved if r is not None and r.candidate), key=lambda r: r.start)
    named = {(r.candidate.country_code, r.candidate.admin1_code)
             for r in ordered if r.candidate.kind is Kind.ADMIN1}  # fmt: skip
    weight: dict[int, float] = {}
    places: dict[int, Candidate] = {}
    for r in ordered:
        c = r.candidate
        if c.kind not in _FOCUS_KINDS:
            continue
        if c.geonameid not in places:
            places[c.geonameid] = c
            weight[c.geonameid] = 0.5 * ((c.country_code, c.admin1_code) in named) + 0.5 * (
                c.country_code == leader
            )
        weight[c.geonameid] += 1.0
    if not weight:
        return None
    return places[max(weight, key=weight.__getitem__)]  # max keeps the first of ties


def _fallback(
    m: Mention,
    cue: _Cues,
    reason: str,
    res: _Resolver,
    focus: Candidate | None,
    leader: str | None,
) -> ResolvedMention:
    """A name the gazetteer lacks: the area the text names for it, else the article's focus.

    "the village of X in Deir ez-Zor province" gives the province; a street, an
    estate or a church the gazetteer cannot know ("Royal Street") gives the place
    the article is about, as ACLED codes an event at the nearest known place
    (geo_precision 2); failing both, the one country the text names for it, else
    the country the article names most (geo_precision 3).
    """
    role = getattr(m, "role", "place")
    if cue.admin_candidates:
        area = cue.admin_candidates[0]
        precision = 2 if area.kind is Kind.ADMIN2 else 3
        return ResolvedMention(
            m.start, m.end, m.text, area, tuple(cue.admin_candidates[1:]), 0.3, precision,
            f"{m.text!r} is not in the gazetteer; placed in {area.name}, the area the text names",
            role,
        )  # fmt: skip
    if focus is not None and (not cue.countries or focus.country_code in cue.countries):
        return ResolvedMention(
            m.start, m.end, m.text, focus, (), 0.15, 2,
            f"{m.text!r} is not in the gazetteer; placed at {focus.name}, "
            "the place the article is mostly about",
            role,
        )  # fmt: skip
    if len(cue.countries) == 1 or (not cue.countries and leader):
        cc, whose = (
            (next(iter(cue.countries)), "the country the text names for it")
            if cue.countries
            else (leader, "the country the article is mostly about")
        )
        row = res.gaz.index.countries.get(cc)
        if row is not None:
            country = res.gaz.candidate(row, MatchType.EXACT, 1.0, 0.0, cc)
            return ResolvedMention(
                m.start, m.end, m.text, country, (), 0.2 if cue.countries else 0.1, 3,
                f"{m.text!r} is not in the gazetteer; placed in {country.name}, {whose}",
                role,
            )  # fmt: skip
    return ResolvedMention(
        m.start, m.end, m.text, None, (), 0.0, None, reason or "no candidate", role
    )
