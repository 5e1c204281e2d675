"""Where an event happened: the place mentions of its sentence, read for the trigger.

- **place** is the resolved place mention in the same sentence that the trigger
  governs: after the trigger and behind "in/near/at …" first. "near X" (or a
  site near X) gives ACLED geo precision 2, a region 3. A sentence without a
  place inherits the article's main place with its precision raised by one. A
  country named only as an actor (a subject, a possessive, "US-backed"), or as where
  people come from or go ("militias from Ethiopia", "fled into Somalia"), is never a
  place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from geo_events.text._anchors import re_lower
from geo_events.text.actors import EntityMatch
from geo_events.text.triggers import TriggerMatch

__all__ = ["EventPlace", "main_place", "place_for", "place_kind", "places_in"]

_LOCATIVE = re.compile(
    r"\b(?:in|near|at|outside|around|across|throughout|into|to|from|on|of|nearby)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|province|governorate|region|district|area|outskirts|vicinity|suburbs?|"
    r"countryside|eastern|western|northern|southern|central|north|south|east|west|northeastern|"
    r"northwestern|southeastern|southwestern|besieged|rebel-held|government-held|key|strategic)\s+(?:of\s+)?)*$"
    r"|\b(?:eastern|western|northern|southern|central|northeastern|northwestern|southeastern|southwestern)\s+$",
    re.I,
)
_NEAR = re.compile(
    r"\b(?:near|nearby|outside|outskirts|close\s+to|around|vicinity|(?:north|south|east|west|northeast|"
    r"northwest|southeast|southwest)\s+of|km\s+(?:from|of)|kilometres?\s+(?:from|of)|kilometers?\s+(?:from|of)|"
    r"miles?\s+(?:from|of))\b",
    re.I,
)
#: The words a match of ``_LOCATIVE`` can end with (before its trailing spaces), and
#: words one of which every match of ``_NEAR`` holds: cheap pre-checks, since most
#: windows cannot match.
_LOCATIVE_LAST = (
    "in",
    "near",
    "at",
    "outside",
    "around",
    "across",
    "throughout",
    "into",
    "to",
    "from",
    "on",
    "of",
    "nearby",
    "the",
    "city",
    "town",
    "village",
    "province",
    "governorate",
    "region",
    "district",
    "area",
    "outskirts",
    "vicinity",
    "suburb",
    "suburbs",
    "countryside",
    "besieged",
    "rebel-held",
    "government-held",
    "key",
    "strategic",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
)
_NEAR_NEEDS = (
    "near",
    "outside",
    "outskirts",
    "close",
    "around",
    "vicinity",
    "north",
    "south",
    "east",
    "west",
    "km",
    "kilomet",
    "mile",
)
#: A country behind these words is where people or things come from or go, not
#: where the event is ("militias from Ethiopia attacked …", "fled into Somalia").
_MOTION_BEFORE = re.compile(
    r"\b(?:from|to|into|towards?|back\s+to|across\s+the\s+border\s+(?:into|to|from))"
    r"\s+(?:the\s+)?$",
    re.I,
)
_ACTOR_USE_AFTER = re.compile(
    r"^(?:['’]s\b|-(?:backed|led|based|allied|supported|sponsored)\b)", re.I
)
_REGION_KINDS = frozenset({"admin1", "admin2", "region", "country"})
#: ACLED's geo precision by what the place is: 1 the place itself (a town, a site),
#: 2 a small region (a district, a named region), 3 a larger region (a province, a country).
_KIND_PRECISION = {"admin2": 2, "region": 2, "admin1": 3, "country": 3}


def place_kind(candidate: Any) -> str:
    """The kind of a candidate ("place", "admin1", "country", …)."""
    return str(getattr(candidate, "kind", "place"))


class EventPlace:
    """A resolved place mention as extraction reads it: its kind, locative cue and base precision."""

    __slots__ = (
        "base_precision",
        "candidate",
        "confidence",
        "end",
        "instead",
        "kind",
        "locative",
        "motion",
        "near",
        "start",
        "text",
    )

    def __init__(self, mention: Any, text: str) -> None:
        self.start: int = mention.start
        self.end: int = mention.end
        self.text: str = mention.text
        self.candidate = mention.candidate
        self.kind = place_kind(self.candidate)
        #: for a country: the finer place the article names in it, which stands for it
        self.instead: EventPlace | None = None
        self.confidence = float(
            getattr(mention, "confidence", None) or getattr(self.candidate, "score", 0.5) or 0.5
        )
        before = text[max(0, self.start - 60) : self.start]
        self.locative = _locative(before)
        #: behind "from", "to", "into": where someone came from or went, a weaker cue
        #: of where the event was than "in" or "at"
        self.motion = self.locative and _MOTION_BEFORE.search(before) is not None
        near = re_lower(before[-25:])
        self.near = any(w in near for w in _NEAR_NEEDS) and _NEAR.search(before[-25:]) is not None
        precision = _KIND_PRECISION.get(self.kind, 1)
        theirs = getattr(mention, "geo_precision", None)
        self.base_precision = max(precision, int(theirs)) if isinstance(theirs, int) else precision


def _locative(before: str) -> bool:
    """Whether ``before`` ends with a locative ("in the town of ", "near ", "eastern ")."""
    if not before or not before[-1].isspace():
        return False  # every match ends with white space
    words = before.split()
    if not words or not re_lower(words[-1]).endswith(_LOCATIVE_LAST):
        return False
    return _LOCATIVE.search(before) is not None


def places_in(
    mentions: Sequence[Any], entities: Sequence[EntityMatch], text: str
) -> list[EventPlace]:
    """The mentions that can be an event's place: resolved, not part of an actor's name, not a party."""
    out: list[EventPlace] = []
    # entities do not overlap and are in text order: their ends are sorted too
    starts = [e.start for e in entities]
    ends = [e.end for e in entities]
    for mention in mentions:
        if (
            getattr(mention, "candidate", None) is None
            or getattr(mention, "role", "place") == "actor"
        ):
            continue
        i = bisect_right(ends, mention.start)  # the first entity ending after the mention starts
        if i < len(starts) and starts[i] < mention.end:
            continue  # part of an actor's or a source's name ("US-backed militias")
        if _ACTOR_USE_AFTER.match(text[mention.end : mention.end + 12]):
            continue  # "Russia's", "US-led": a party, not a place
        place = EventPlace(mention, text)
        if place.kind == "country" and (not place.locative or place.motion):
            # a country as a subject ("Russia denies …") is an actor; one behind "from"
            # or "into" is where the parties come from or went
            continue
        out.append(place)
    # A country is no event's point when the text names a finer place in it: the
    # sentence that names only the country is placed at the article's main place there.
    finer: dict[str, list[EventPlace]] = {}
    for p in out:
        if p.kind != "country":
            finer.setdefault(_country(p), []).append(p)
    for p in out:
        if p.kind == "country" and _country(p) in finer:
            p.instead = main_place(finer[_country(p)])
    return out


def _country(place: EventPlace) -> str:
    return str(getattr(place.candidate, "country_code", "") or "")


def _inside(place: EventPlace, region: EventPlace) -> bool:
    """Whether ``place`` lies in ``region`` (a country, a province or a district)."""
    a, b = place.candidate, region.candidate
    if not _country(place) or _country(place) != _country(region):
        return False
    if region.kind == "country":
        return True
    if getattr(a, "admin1_code", None) != getattr(b, "admin1_code", None):
        return False
    if region.kind == "admin2":
        return bool(getattr(b, "admin2_code", None)) and getattr(a, "admin2_code", None) == getattr(
            b, "admin2_code", None
        )
    return region.kind == "admin1"


def main_place(places: Sequence[EventPlace]) -> EventPlace | None:
    """The article's main place: the one named most (countries count less), first on ties."""
    if not places:
        return None
    weight: dict[int, float] = {}
    first: dict[int, EventPlace] = {}
    for p in places:
        gid = int(getattr(p.candidate, "geonameid", 0) or 0)
        weight[gid] = weight.get(gid, 0.0) + (0.3 if p.kind == "country" else 1.0)
        first.setdefault(gid, p)
    best = max(weight, key=lambda g: (weight[g], -first[g].start))
    return first[best]


def place_for(
    trigger: TriggerMatch, places: Sequence[EventPlace], text: str
) -> tuple[EventPlace, int] | None:
    """The place the trigger governs in its sentence, with its ACLED geo precision (None: none)."""
    best: tuple[float, EventPlace] | None = None
    for p in places:
        after = p.start >= trigger.end
        score = (2.0 if after else 0.0) + (0.0 if p.motion else 2.0 if p.locative else 0.0)
        score -= abs((p.start - trigger.end) if after else (trigger.start - p.end)) / 400.0
        if p.kind == "country":
            score -= 1.0
        if best is None or score > best[0]:
            best = (score, p)
    if best is None:
        return None
    place = best[1]
    if place.kind in _REGION_KINDS:
        # "Avdiivka in the Donetsk region", "X, Y County", "in Somalia near Mandera":
        # the finer place the sentence names in the region (any, for a country) is
        # where it happened, the region only says where that is
        finer = [
            p
            for p in places
            if _KIND_PRECISION.get(p.kind, 1) < _KIND_PRECISION[place.kind]
            and (place.kind == "country" or _inside(p, place))
        ]
        if finer:
            place = min(finer, key=lambda p: abs(p.start - place.start))
        elif place.instead is not None:  # a country alone: the article's place in it
            return place.instead, min(3, place.instead.base_precision + 1)
    precision = place.base_precision
    gap = text[trigger.end : place.start] if place.start >= trigger.end else ""
    if place.near or (len(gap) < 150 and _NEAR.search(gap)):
        precision = max(precision, 2)
    return place, precision
