"""What an article says around its place names: its countries and hierarchy cues.

Resolution scores each name's candidates against these (see
:mod:`geo_events.text.resolution`):

- the article's countries: country names, first-level divisions and towns whose
  name leaves no doubt, and demonyms ("Syrian"), each a vote;
- hierarchy cues: "X, Syria", "X, Ga.", "X in Deir ez-Zor province", "the
  Syrian town of X", "X province" — but "Louisiana, Missouri, California" is a
  list, not a hierarchy.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo_events.gazetteer import Candidate, Kind, MatchType
from geo_events.text.toponyms import Mention

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = ["ADMIN_KINDS", "PLACE_VOTE", "Cues", "country_votes", "hierarchy_cues", "surface_key"]

#: How much an unambiguous town counts toward the article's countries (a country: 1).
PLACE_VOTE = 0.25
#: How much a name's best reading counts toward the article's countries, by kind.
_VOTE = {Kind.COUNTRY: 1.0, Kind.ADMIN1: 0.5, Kind.PLACE: PLACE_VOTE}
#: How much a demonym in the text counts.
_DEMONYM_VOTE = 0.5
#: The kinds of administrative areas.
ADMIN_KINDS = (Kind.ADMIN1, Kind.ADMIN2)
#: How large a unit each kind is, for telling "X, Y" nesting from a list.
_LEVEL = {Kind.ADMIN2: 1, Kind.ADMIN1: 2, Kind.COUNTRY: 3, Kind.REGION: 4}

# Capitalised words, candidates for demonyms. No \b anchors: they stop the regex
# engine from skipping ahead to capitals (3x slower), and a capitalised run glued
# to other letters ("aBrazil") is no demonym anyway.
_DEMONYM_WORD = re.compile(r"[A-Z][a-zA-Z]+(?:-[A-Z][a-z]+)?")
_COMMA_BETWEEN = re.compile(r"\s*,\s*$")
_LIST_GAP = re.compile(r"\s*(?:,|,?\s+(?:and|or))\s*")
_IN_BETWEEN = re.compile(r"\s+(?:in|of|near)\s+(?:the\s+)?$")
#: "X (Y", "X (Z, Y": an aside that says where X is (Z a name the gazetteer may lack).
_ASIDE = re.compile(r"\s*\(\s*(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}\s*,\s*)?")
#: "X area of Y", "X estate in Y", "X village, Y": a part of Y, named with what it is.
_PART_OF = re.compile(
    r"\s+(?:area|estate|village|ward|location|market|neighbou?rhood|suburb|sub-?county|division)"
    r"(?:\s*,\s*|\s+(?:in|of)\s+(?:the\s+)?)$",
    re.IGNORECASE,
)
#: "X in Y", "X near Y": Y is where X is, whatever Y is.
_LOCATIVE_IN = re.compile(r"\s+(?:in|near)\s+(?:the\s+)?")
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
class Cues:
    """What the text says around the mentions of one name."""

    countries: set[str]
    admins: set[tuple[str, str]]
    admin_candidates: list[Candidate]
    prefer_admin: bool = False
    #: The text names an admin area holding the name in so many words ("X, Y
    #: County", "X (Y district)", "X in Y province"): readings outside its
    #: country are homonyms, not this place.
    area_said: bool = False


def country_votes(
    text: str,
    ms: Sequence[Mention],
    cands: Sequence[list[Candidate]],
    keys: Sequence[str],
    gazetteer: PlaceLookup,
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """The article's countries, as votes, and each name's own share of them.

    A name does not vote for itself: scoring a name subtracts its own votes.
    """
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
                # typeshed's Counter holds int counts only; the votes are float weights
                votes[top.country_code] += weight  # type: ignore[assignment]
                own[keys[i]][top.country_code] += weight  # type: ignore[assignment]
    demonyms = gazetteer.demonyms
    words = _DEMONYM_WORD.findall(text[:200_000])
    for cc in filter(None, map(demonyms.get, map(str.casefold, words))):  # in text order
        votes[cc] += _DEMONYM_VOTE  # type: ignore[assignment]  # float weight, as above
    return votes, own


def hierarchy_cues(
    text: str,
    ms: Sequence[Mention],
    cands: Sequence[list[Candidate]],
    keys: Sequence[str],
    gazetteer: PlaceLookup,
) -> dict[str, Cues]:
    """Per name (one sense per discourse), what the text says contains it."""
    demonyms = gazetteer.demonyms
    cues: dict[str, Cues] = defaultdict(lambda: Cues(set(), set(), []))
    for i, m in enumerate(ms):
        cue = cues[keys[i]]
        # "X, Y" and "X in Y province"
        for j in range(i + 1, min(i + 3, len(ms))):
            between = text[m.end : ms[j].start]
            # "X, Y" and "X (Y)" / "X (Z, Y)"
            comma = _COMMA_BETWEEN.fullmatch(between) is not None or between.strip() in (",", "(")
            inside = _IN_BETWEEN.fullmatch(between) is not None
            part = _PART_OF.fullmatch(between) is not None
            aside = _ASIDE.fullmatch(between) is not None
            if (part or aside) and cands[j]:
                # "Dallas estate in Embu town", "Pangani (Starehe, Nairobi)": X is in Y,
                # whatever its readings elsewhere; a town Y is where X falls back to
                admin_word = _ADMIN_AFTER.match(text, ms[j].end) is not None
                _add_container(cue, cands[j], admin_word, locative=not admin_word, fallback=True)
                cue.area_said = True
                break
            if not (comma or inside) or len(between) > 12:
                break
            admin_word = _ADMIN_AFTER.match(text, ms[j].end) is not None
            if inside and not admin_word and not _LOCATIVE_IN.fullmatch(between):
                break  # "X of Y" nests only as "X of Y province"
            if (between.strip() == "(" or inside) and not admin_word and not cands[i]:
                # "Atlantic Avenue (Singapore)", "the 500 block in Peru": for a name
                # the gazetteer lacks, an aside, unless "(Y county)", "in Y province"
                break
            if comma and not admin_word and _is_list(text, ms, cands, i, j):
                break
            _add_container(cue, cands[j], admin_word, locative=inside and not admin_word)
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
        before = _cue_before(text, m.start)
        if before is not None and before.end() == m.start:
            word = before.group("demonym")
            cc = demonyms.get(word.casefold()) if word else None
            if cc is None and word:
                cc = gazetteer.country_code(word) if word[0].isupper() else None
            if cc:
                cue.countries.add(cc)
    return cues


def _cue_before(text: str, start: int) -> re.Match[str] | None:
    """``_CUE_BEFORE`` searched in the 60 characters before ``start``.

    Every match ends in "of" and white space up to ``start``: where the last "of" there
    is not so followed (most names), the regex is not run.
    """
    lo = max(0, start - 60)
    i = text.rfind("of", lo, start)
    if i < 0 or i + 2 >= start or not text[i + 2 : start].isspace():
        return None
    return _CUE_BEFORE.search(text, lo, start)


def surface_key(query: tuple[str, str | None]) -> str:
    """The key that pools a name's mentions: the looked-up name and country hint."""
    return f"{query[0].casefold()}|{query[1] or ''}"


def _is_list(
    text: str, ms: Sequence[Mention], cands: Sequence[list[Candidate]], i: int, j: int
) -> bool:
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


def _add_container(
    cue: Cues,
    found: list[Candidate],
    admin_word: bool,
    *,
    locative: bool = False,
    fallback: bool = False,
) -> None:
    """Record what the container in "X, Y" / "X in Y province" / "X in Y" may be.

    ``fallback``: the text says X is a part of Y ("X estate in Y", "X (Y)"), so a
    town Y is where X falls back to if the gazetteer lacks X (ACLED codes such a
    place at the town, geo_precision 2).
    """
    if not found:
        return
    top = found[0]
    if locative and top.kind is not Kind.COUNTRY and top.kind not in ADMIN_KINDS:
        # "X in Y", Y a town: X is in Y's country and province, but (unless the text
        # says X is part of Y) no area to fall back on
        cue.admins.add((top.country_code, top.admin1_code))
        cue.countries.add(top.country_code)
        if fallback and not admin_word:
            cue.admin_candidates.append(top)
        return
    if top.kind is Kind.COUNTRY and not admin_word:
        cue.countries.add(top.country_code)
        return
    admins = [c for c in found if c.kind in ADMIN_KINDS]
    if admins and admin_word:
        cue.area_said = True
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
