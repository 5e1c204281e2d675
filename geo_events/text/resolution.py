"""Toponym resolution in context: which place each mention means, or none.

Each distinct name in the text is looked up once (``gaz.search``, no fuzzy
matching: recognition already found the name; see :mod:`._candidates`) and its
candidates are scored by

    the gazetteer's rank (match score + a prior from kind and population)
    + hierarchy cues: "X, Syria", "X, Ga.", "X in Deir ez-Zor province",
      "the Syrian town of X" (+1.0 for candidates inside, -0.5 outside; the
      cues and the article's countries are read in :mod:`._context`)
    + the article's countries, from country names and demonyms (up to +0.6, by
      each country's share of the article's country votes)
    + an admin-area reading when a lowercase admin word follows ("X province")
    + closeness to the other places the article resolved (up to +0.5; for a
      province: another of the article's places inside it; none for a town
      named like a province of its country it lies outside of)
    + for a province, +0.5 when the text names its siblings ("Alberta, Manitoba
      and Ontario")
    - 0.2 for a place that only once bore the name, when another bears it now

The text's own evidence rules out readings it contradicts. Per name, the
countries of the containers the text gives it ("X, Y County", "X in Y", "X (Y)"),
of the other names' own country votes (not demonyms: "Russian forces shelled
Avdiivka" names an actor's country), and, on the second pass, of the places
confidently chosen for the other names. A town read only by a loose spelling (a
transliteration fold that does not fit the name's length, or a small town's
alternate name unlike its own, see :mod:`._candidates`) outside those countries
is dropped ("Likoni" next to Mombasa is not Lékoni, Gabon); an exact homonym in
them beats a town abroad (``HOMONYM_ABROAD_PENALTY``) unless that one is a capital
or ten times bigger (London); a name with no reading in the country of the admin
area the text puts it in ("Pangani (Nairobi county)") is a place the gazetteer
lacks, placed in that area. Such names are never placed by a guess (the
article's focus or country) unless locative evidence recognised them.

One sense per discourse: every mention of a name shares its cues and its answer.
A best score under :data:`NULL_THRESHOLD` (a weak, transliteration-only match
with no support from the text) gives the NULL choice. A name the gazetteer lacks
falls back to the admin area the text names for it ("the village of X in Deir
ez-Zor province" → the province, ``geo_precision=2`` or ``3``), else to the
place the article is mostly about (a street, an estate: ``geo_precision=2``),
else to the one country the text names for it, else to the country the article
names most (``geo_precision=3``); the reason says which.

``geo_precision`` follows ACLED: 1 for a town or a point feature, 2 for a
second-level division or a named region, 3 for a first-level division or a
country.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from geo_events.gazetteer import Candidate, Kind, MatchType
from geo_events.text._candidates import FAR_SPELLING, CandidateCache, Readings, candidate_cache
from geo_events.text._context import (
    ADMIN_KINDS,
    PLACE_VOTE,
    Cues,
    country_votes,
    hierarchy_cues,
    surface_key,
)
from geo_events.text.lexicons import Lexicons
from geo_events.text.toponyms import Mention

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

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
#: Taken from a country whose name is also a first-level division of the country
#: the article is about, when nothing else in the article points to that country.
HOMONYM_COUNTRY_PENALTY = 1.2
#: Taken from a place the name matched by an alternate name when another
#: candidate bears it as its own name.
FORMER_NAME_PENALTY = 0.2

#: Taken from a place abroad when the name has an exact homonym in a country the
#: text's other evidence names ("Kwale" next to Mombasa is the Kenyan one).
HOMONYM_ABROAD_PENALTY = 0.6
#: ... unless it is this many times bigger than the homonym there (or a capital).
HOMONYM_SIZE_RATIO = 10
#: A country is the text's evidence for a name when it holds this share of the
#: other names' country votes.
EVIDENCE_SHARE = 0.34

#: Under firm evidence (a container the text gives, or the caller's country hint), a
#: reading abroad is a homonym, not this place, unless it is a capital, a province's
#: seat or a city this big (a village's name matching a town abroad is no answer).
FIRM_ABROAD_POPULATION = 200_000

#: The country votes a country hint (``countries=``) adds: as much as one more
#: unambiguous town named in that country.
HINT_VOTE = PLACE_VOTE

#: What can be an article's focus, for the names the gazetteer lacks.
_FOCUS_KINDS = (Kind.PLACE, Kind.FEATURE, Kind.ADMIN2)
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


def resolve_mentions(
    text: str,
    mentions: list[Mention],
    gazetteer: PlaceLookup | None = None,
    *,
    lexicons: Lexicons | None = None,
    countries: Iterable[str] = (),
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
    countries
        ISO2 codes of the countries the text is known to be about (the caller's or
        the feed's): soft evidence, as if the text named another place in each
        ("Kwale" alone is the Kenyan one with ``countries=("KE",)``); the text's
        own evidence still wins ("Kwale, Delta State" is in Nigeria).

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
    lex = lexicons or Lexicons.default()
    res = candidate_cache(gazetteer)
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
    keys = [surface_key(query) for query in queries]

    # 2. the article's countries, 3. hierarchy cues (see geo_events.text._context)
    votes, own = country_votes(text, ms, cands, keys, gazetteer)
    if isinstance(countries, str):
        countries = (countries,)
    hinted = frozenset(cc.strip().upper() for cc in countries if isinstance(cc, str) and cc.strip())
    # the fallbacks' guess stays the text's own: a hint places no name at a country
    text_votes = Counter(votes)
    for cc in hinted:  # the hint counts as one more unambiguous place in that country
        # typeshed's Counter holds int counts only; float weights work (and are meant)
        votes[cc] += HINT_VOTE  # type: ignore[assignment]
    cues = hierarchy_cues(text, ms, cands, keys, gazetteer)

    # 4. score, then score again with the places found as anchors
    chosen: dict[str, tuple[list[tuple[float, Candidate]], str]] = {}
    firsts: dict[str, int] = {}
    for i, key in enumerate(keys):
        if cands[i]:
            firsts.setdefault(key, i)
    everyone = _votes(votes, None)
    seen = {key: _votes(votes, own[key]) if key in own else everyone for key in firsts}
    # the countries the text's evidence names for each name: the containers it
    # gives ("X, Y County", "X in Y", "X (Y)"), the countries the other names
    # vote for, and (second pass) the countries of the places chosen for them
    said = {
        key: frozenset(cues[key].countries | {cc for cc, _ in cues[key].admins}) for key in firsts
    }
    # (demonyms are no veto: they name the actors' countries as often as the
    # places' — "Russian forces shelled Avdiivka")
    named: Counter[str] = sum(own.values(), Counter())
    evidence = {key: said[key] | _named_countries(named, own.get(key)) | hinted for key in firsts}
    for second in (False, True):
        anchors = _anchors(chosen) if second else {}
        if second and not anchors.get("*"):
            break
        if second:
            placed = _confident_countries(chosen)
            evidence = {key: evidence[key] | placed.get(key, frozenset()) for key in firsts}
        # a second look only where there is something to choose between
        todo = {key: cands[i] for key, i in firsts.items() if not second or len(cands[i]) > 1}
        near = _nearest_km(todo, chosen, res.readings) if second else {}
        for key, found in todo.items():
            chosen[key] = _score(
                found, cues[key], seen[key], anchors.get(key, []), near.get(key),
                res.readings[id(found)], evidence[key], said[key] | hinted,
            )  # fmt: skip

    # 5. answers, in the caller's order; names the gazetteer lacks last, as they
    # may fall back on the place the article is about
    result: list[ResolvedMention | None] = [None] * len(ms)
    missing = []
    for i, m in enumerate(ms):
        if cands[i]:
            scored, why = chosen[keys[i]]
            if scored:
                answer = _answer(m, scored, why)
                if answer.candidate is not None or not cues[keys[i]].admin_candidates:
                    result[order[i]] = answer
                    continue
                reasons[i] = answer.reason
            else:
                reasons[i] = why
        missing.append(i)
    # the country the text is mostly about, by the names that kept a reading (a
    # name whose readings the evidence ruled out votes for none)
    for key in {keys[i] for i in missing}:
        for cc, weight in own.get(key, Counter()).items():
            text_votes[cc] -= weight
    text_votes = +text_votes
    leader = max(text_votes, key=text_votes.__getitem__) if text_votes else None
    focus = _focus(result, leader) if missing else None
    for i in missing:
        m = ms[i]
        # a name whose readings the text contradicts, or spelled only like faraway
        # places, is placed by what the text names with it, never by a guess
        located = not cands[i] and not reasons[i].startswith(FAR_SPELLING)
        result[order[i]] = _fallback(
            m, cues[keys[i]], reasons[i], res, focus if located or m.role == "unknown" else None,
            leader if located or m.role == "unknown" else None,
        )  # fmt: skip
    return [r for r in result if r is not None]  # every slot is filled above


def _small_abroad(c: Candidate) -> bool:
    """Whether a reading is too small a place to be meant against firm evidence elsewhere.

    Districts count as small; a name that is only another name of the place (an
    alternate) must be a far bigger city to stand against the evidence.
    """
    if c.kind is Kind.ADMIN2:
        return True
    if c.kind not in (Kind.PLACE, Kind.FEATURE) or c.feature_code in ("PPLC", "PPLA"):
        return False
    limit = FIRM_ABROAD_POPULATION * (1 if c.match_type is MatchType.EXACT else 5)
    return (c.population or 0) < limit


def _named_countries(named: Counter[str], own: Counter[str] | None) -> frozenset[str]:
    """The countries the *other* names of the text vote for, by their own names."""
    shares, _ = _votes(named, own)
    return frozenset(cc for cc, share in shares.items() if share >= EVIDENCE_SHARE)


def _confident_countries(
    chosen: dict[str, tuple[list[tuple[float, Candidate]], str]],
) -> dict[str, frozenset[str]]:
    """Per name, the countries of the places confidently chosen for the *other* names.

    Confident: the place's own name, well above the NULL threshold, and clearly
    ahead of any reading in another country.
    """
    countries: dict[str, str] = {}
    for key, (scored, _) in chosen.items():
        if not scored:
            continue
        best_score, best = scored[0]
        if best.match_type is not MatchType.EXACT or best_score < NULL_THRESHOLD + 0.3:
            continue
        rival = next((s for s, c in scored[1:] if c.country_code != best.country_code), None)
        if rival is None or best_score - rival >= 0.3:
            countries[key] = best.country_code
    every = frozenset(countries.values())
    return {
        key: frozenset(cc for k, cc in countries.items() if k != key) if key in countries else every
        for key in chosen
    }


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


#: The article's countries as a name sees them: each country's share of the
#: votes, and the leading country.
_Votes = tuple[dict[str, float], "str | None"]


def _votes(votes: Counter[str], own: Counter[str] | None) -> _Votes:
    """The article's country votes as a name sees them, and the leading country.

    Without the name's own votes (a name does not vote for itself), as shares
    of their total.
    """
    counts = votes - own if own else votes
    positive = {cc: v for cc, v in counts.items() if v > 0}
    if not positive:
        return {}, None
    total = sum(positive.values())
    leader = max(positive, key=positive.__getitem__)
    return {cc: v / total for cc, v in positive.items()}, leader


def _score(
    found: list[Candidate],
    cue: Cues,
    votes: _Votes,
    anchors: list[Candidate],
    near: np.ndarray | list[float] | None,
    r: Readings,
    evidence: frozenset[str] = frozenset(),
    firm: frozenset[str] = frozenset(),
) -> tuple[list[tuple[float, Candidate]], str]:
    """Score a name's candidates; ``firm`` are the countries a container or the hint gives."""
    shares, leader = votes
    # The text's countries rule out what a loose spelling alone suggests abroad
    # ("Likoni" next to Mombasa is not Lékoni, Gabon), and an exact homonym in one
    # of them beats a bigger one elsewhere.
    loose = r.loose or (False,) * len(found)
    here = [c for c in found if c.match_type is MatchType.EXACT and c.country_code in evidence]
    exact_here = bool(here)
    # ... unless the one abroad is a capital or far bigger (London, not London, Ohio)
    big = HOMONYM_SIZE_RATIO * max([c.population or 0 for c in here] + [1000])
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
    local_admin = leader in province_countries
    # A place whose own name this is beats one that merely once bore it
    # ("Franklin": the Tennessee city, not Columbus, Ohio, once Franklinton).
    primary = r.primary
    contradicted = []
    # "Pangani (Nairobi county)": a name with no reading in the country of the area
    # the text puts it in is a place the gazetteer lacks, not a homonym abroad
    if cue.area_said:
        held = {cc for cc, _ in cue.admins}
        if held and not any(c.country_code in held for c in found):
            c = found[0]
            return [], (
                f"its readings ({c.name}, {c.country_code}) lie outside the area the text "
                "names for it"
            )
    # With firm evidence and no reading in its countries, a small place abroad is a
    # homonym of a place the gazetteer lacks ("Fora" in a Kenyan feed is not Farah,
    # Afghanistan; "Lari" not the Italian village).
    firm_only = bool(firm) and not any(c.country_code in evidence for c in found)
    for idx, c in enumerate(found):
        s = c.rank
        notes = why[c.geonameid]
        if evidence and c.country_code not in evidence and c.kind is not Kind.COUNTRY:
            if loose[idx] or (firm_only and _small_abroad(c)):
                contradicted.append(c)
                continue
            if (
                exact_here
                and c.kind in (Kind.PLACE, Kind.FEATURE)
                and (c.population or 0) < big
                and c.feature_code not in ("PPLC", "PPLA")
            ):
                s -= HOMONYM_ABROAD_PENALTY
        if primary and c.match_type is not MatchType.EXACT:
            s -= FORMER_NAME_PENALTY
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
        share = shares.get(c.country_code)
        if share:
            s += COUNTRY_BONUS * share
            notes.append(("{} named in the text", c.country_code))
        if local_admin and c.kind is Kind.COUNTRY and not share:
            s -= HOMONYM_COUNTRY_PENALTY  # "Georgia" in a story about Atlanta and Macon
        if cue.prefer_admin and c.kind in ADMIN_KINDS:
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
    if not scored:
        c = contradicted[0]
        how = "are spelled only loosely like it and lie" if loose[0] else "are small places"
        return [], (
            f"its readings ({c.name}, {c.country_code}) {how} outside the text's countries "
            f"({', '.join(sorted(evidence))})"
        )
    scored.sort(key=lambda item: -item[0])
    if exact_here and scored[0][1].country_code in evidence:
        why[scored[0][1].geonameid].append(
            ("the homonym in {}, named in the text", scored[0][1].country_code)
        )
    best = scored[0][1]
    reason = "; ".join(template.format(value) for template, value in why[best.geonameid])
    return scored, reason or "most likely reading of the name (population, kind)"


def _nearest_km(
    todo: dict[str, list[Candidate]],
    chosen: dict[str, tuple[list[tuple[float, Candidate]], str]],
    readings: dict[int, Readings],
) -> dict[str, np.ndarray] | dict[str, list[float]]:
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
    if sum(map(len, todo.values())) * len(anchors) <= _SMALL_MATRIX:
        return _nearest_km_small(todo, anchor_keys, anchors, readings)
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
    # another of its names: "Mecca" is not Medina, Ohio (once Mecca) because
    # "Medina" was read as Medina, Ohio, nor is "Hall County" the one in Nebraska
    # because "Hall" was read as it.
    same = (
        np.concatenate([r.ids for r in rs])[:, None]
        == np.array([x.geonameid for x in anchors], dtype=np.int64)[None, :]
    )
    km[(row_key[:, None] == column_key[None, :]) | same] = np.inf
    nearest = km.min(axis=1)
    bounds = np.cumsum([0] + [len(todo[key]) for key in keys])
    return {key: nearest[bounds[j] : bounds[j + 1]] for j, key in enumerate(keys)}


#: Below this many candidate-anchor pairs, plain floats beat numpy's per-call cost.
_SMALL_MATRIX = 256


def _nearest_km_small(
    todo: dict[str, list[Candidate]],
    anchor_keys: list[str],
    anchors: list[Candidate],
    readings: dict[int, Readings],
) -> dict[str, list[float]]:
    """:func:`_nearest_km` for a few candidates and anchors, without numpy.

    The same haversine; libm's and numpy's sin may differ in the last bit.
    """
    points = []
    for key, a in zip(anchor_keys, anchors, strict=True):
        lat = math.radians(a.latitude)
        points.append((key, a.geonameid, lat, math.radians(a.longitude), math.cos(lat)))
    sin, asin, sqrt, inf = math.sin, math.asin, math.sqrt, math.inf
    out: dict[str, list[float]] = {}
    for key, found in todo.items():
        r = readings[id(found)]
        row = []
        for lat1, lon1, gid in zip(r.lat.tolist(), r.lon.tolist(), r.ids.tolist(), strict=True):
            cos1 = math.cos(lat1)
            best = inf
            for k2, g2, lat2, lon2, cos2 in points:
                if k2 == key or g2 == gid:
                    continue  # no anchor for itself, nor under another of its names
                h = sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * sin((lon2 - lon1) / 2) ** 2
                km = 2 * 6371.0088 * asin(sqrt(min(h, 1.0)))
                if km < best:
                    best = km
            row.append(best)
        out[key] = row
    return out


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
    mentioned = sorted((r for r in resolved if r is not None), key=lambda r: r.start)
    ordered = [c for r in mentioned if (c := r.candidate)]
    named = {(c.country_code, c.admin1_code) for c in ordered if c.kind is Kind.ADMIN1}
    weight: dict[int, float] = {}
    places: dict[int, Candidate] = {}
    for c in ordered:
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


def _missing(m: Mention, reason: str) -> str:
    """Why a name needs a fallback: the gazetteer lacks it, or the text rules out its readings."""
    if reason.startswith("its readings"):
        return f"{m.text!r}: {reason}"
    return f"{m.text!r} is not in the gazetteer"


def _fallback(
    m: Mention,
    cue: Cues,
    reason: str,
    res: CandidateCache,
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
        precision = 3 if area.kind in (Kind.ADMIN1, Kind.COUNTRY) else 2
        return ResolvedMention(
            m.start, m.end, m.text, area, tuple(cue.admin_candidates[1:]), 0.3, precision,
            f"{_missing(m, reason)}; placed in {area.name}, the area the text names",
            role,
        )  # fmt: skip
    if focus is not None and (not cue.countries or focus.country_code in cue.countries):
        return ResolvedMention(
            m.start, m.end, m.text, focus, (), 0.15, 2,
            f"{_missing(m, reason)}; placed at {focus.name}, "
            "the place the article is mostly about",
            role,
        )  # fmt: skip
    if len(cue.countries) == 1 or (not cue.countries and leader):
        cc, whose = (
            (next(iter(cue.countries)), "the country the text names for it")
            if cue.countries
            else (leader, "the country the article is mostly about")
        )
        # cc is set here: one country the text names, else the (truthy) leader
        country = res.gaz.country_candidate(cc, MatchType.EXACT, 1.0, 0.0, cc) if cc else None
        if country is not None:
            return ResolvedMention(
                m.start, m.end, m.text, country, (), 0.2 if cue.countries else 0.1, 3,
                f"{_missing(m, reason)}; placed in {country.name}, {whose}",
                role,
            )  # fmt: skip
    return ResolvedMention(
        m.start, m.end, m.text, None, (), 0.0, None, reason or "no candidate", role
    )
