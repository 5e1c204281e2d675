"""One event from one trigger: its ACLED coding, place, date, fatalities and evidence.

Extraction (:mod:`geo_events.text.extract`) finds the triggers and everything its
sentences name; this module puts one trigger's parts together as an ACLED coder
would:

- **type**: the trigger's lexicon type refined by its sentence's evidence (weapons,
  protest outcomes: :func:`~geo_events.text.trigger_senses.refined_sub_event`), then
  by the roles of its parties (:func:`~geo_events.text.coding.code_event`);
- **actors**: the agent is actor1 and the victim actor2 (:func:`~geo_events.text.coding.roles`),
  named by the dictionary or, when the text only describes them ("gunmen",
  "residents"), in ACLED's form with the event's country; when the text names
  no one, the type's default ("Protesters (Kenya)"), and the notes say so;
- **place**: the place the trigger governs (:mod:`geo_events.text.event_places`); a
  name the gazetteer lacks but the text gives as a place ("in Ikurungu, Kirinyaga")
  is the location, placed at the admin area named with it at geo_precision 2;
- **date**: the date expression nearest the trigger, else the publication date at
  time precision 2;
- **fatalities**: ACLED's count over the trigger's sentence and the sentences after
  it that report no other event ("… In the following days the toll rose to six.").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from geo_events.text.article import Article
from geo_events.text.attribution import AttributionTracker, VerbHit
from geo_events.text.coding import (
    ARMED,
    MILITIA,
    Party,
    acled_country,
    code_event,
    iso_numeric,
    roles,
)
from geo_events.text.dates import DateExpr
from geo_events.text.event_places import EventPlace, place_for, place_kind
from geo_events.text.extracted import Event, summary
from geo_events.text.trigger_senses import refined_sub_event
from geo_events.text.triggers import TriggerMatch
from geo_events.text.unknown_places import UnknownPlace

__all__ = ["SentenceParts", "build_event"]

_FIRST_PERSON = re.compile(r"\b(?:we|our|us)\b", re.I)
#: Between an unknown name and the admin area that holds it: "X, Y", "X in Y", "X (Y".
_HELD_BY = re.compile(
    r"^\s*(?:[a-z-]+\s*)?(?:,|\(|in\s+(?:the\s+)?|of\s+(?:the\s+)?|near\s+|,\s+(?:in\s+)?(?:the\s+)?)\s*"
    r"(?:(?:coded\s+as\s+)?[^,()]{0,40}?,\s*)?$",
    re.I,
)
#: Outcome words that say someone did it ("two herders were killed"), unlike "died".
_KILLING = re.compile(r"kill(?:ed|ing|s)?", re.I)
_REGION_KINDS = frozenset({"admin1", "admin2", "region", "country"})


@dataclass(frozen=True, slots=True)
class SentenceParts:
    """What one sentence names, read once for all its triggers."""

    start: int
    end: int
    parties: Sequence[Party]
    places: Sequence[EventPlace]
    unknown: Sequence[UnknownPlace]
    dates: Sequence[DateExpr]
    hits: Sequence[VerbHit]
    #: The fatalities of the sentence's report (it and the sentences after it that
    #: report no other event), counted once for all its triggers.
    fatalities: int | None
    #: State forces the rest of the report names ("Police later dispersed them"): who
    #: intervened in a protest or a riot.
    forces_after: Sequence[Party] = ()
    #: Whether the sentence says someone did violence (``Lexicons.violence_words``).
    violent: bool = False


def _nearest_date(dates: Sequence[DateExpr], trigger: TriggerMatch) -> DateExpr | None:
    if not dates:
        return None
    return min(dates, key=lambda d: abs((d.start + d.end) / 2 - (trigger.start + trigger.end) / 2))


def _unknown_at(
    text: str, trigger: TriggerMatch, parts: SentenceParts, found: tuple[EventPlace, int] | None
) -> tuple[UnknownPlace, EventPlace | None] | None:
    """An unknown place the trigger governs, with the known place that holds it (if any).

    The unknown name is taken when it follows the trigger (or no known place does)
    and, when a known place is also named, it is the admin area written right after
    the name ("Ikurungu, Kirinyaga County"), so the name is the more precise one.
    """
    if not parts.unknown:
        return None
    after = [u for u in parts.unknown if u.start >= trigger.end] or list(parts.unknown)
    name = after[0]
    if found is None:
        return name, None
    place = found[0]
    held = place.start > name.end and _HELD_BY.match(text[name.end : place.start])
    if held and (place.kind in _REGION_KINDS or place.kind == "place"):
        return name, place
    return None


def _one_named_armed_group(others: Sequence[Party], other_side: Party | None) -> Party | None:
    """The sentence's one named armed group besides the other side, or None (none or several)."""
    skip = other_side.name if other_side is not None else None
    named = {
        p.name: p for p in others if p.named and p.group in (ARMED, MILITIA) and p.name != skip
    }
    return next(iter(named.values())) if len(named) == 1 else None


def _named_suspect(
    agent: Party | None, victim: Party | None, others: Sequence[Party]
) -> Party | None:
    """The one named armed group of the sentence, when the agent is unnamed or an unnamed armed group."""
    if agent is not None and (agent.named or agent.group != ARMED):
        return None
    return _one_named_armed_group(others, victim)


def _named_for(victim: Party | None, agent: Party | None, others: Sequence[Party]) -> Party | None:
    """The one named armed group of the sentence, when the victim is an unnamed armed party."""
    if victim is None or victim.named or victim.group not in (ARMED, MILITIA):
        return None
    return _one_named_armed_group(others, agent)


def _party_country(parties: Sequence[Party | None]) -> str:
    return next((p.country for p in parties if p is not None and p.country), "")


def build_event(
    article: Article,
    text: str,
    trigger: TriggerMatch,
    parts: SentenceParts,
    *,
    tracker: AttributionTracker,
    main: EventPlace | None,
    number: int,
    cut_at: int,
    country_hint: str = "",
    two_sided: bool = False,
    outcome_only: bool = False,
) -> Event | None:
    """The event ``trigger`` reports, coded as ACLED does; None when the trigger needs an actor and has none."""
    notes: list[str] = []
    agent, victim, others = roles(
        text, trigger.start, trigger.end, parts.parties, two_sided=two_sided
    )
    killing = _KILLING.fullmatch(trigger.text) is not None and victim is not None
    if outcome_only and agent is None and not killing and not parts.violent:
        # "a soldier who died in Texas", "the strain killed 93": an outcome word is an
        # event when the sentence says someone did it or how (shot, a bomb, an attack)
        return None
    governs_place = place_for(trigger, parts.places, text) is not None
    if trigger.requires == "actor" and agent is None and victim is None and not governs_place:
        # "struck by a car", "a battle with cancer": a word that is often no conflict
        # event is one only with a party to it, named or described ("residents"), or a
        # known place it happened at ("an explosion went off at a market in X")
        return None
    sense = refined_sub_event(
        text, trigger.start, trigger.end, trigger.event_type, trigger.sub_event_type
    )
    found = place_for(trigger, parts.places, text)
    confidence = 0.5
    place: EventPlace | None
    location: str | None
    unknown = _unknown_at(text, trigger, parts, found)
    holder = unknown[1] if unknown is not None else None
    if unknown is not None and holder is not None:
        name, place = unknown[0], holder
        location, precision = name.text, 2
        place_reason = (
            f"{name.text!r} is not in the gazetteer: placed at {place.text!r}, named with it"
        )
        notes.append(place_reason)
        confidence += 0.1 * min(1.0, place.confidence)
    elif found is not None:
        place, precision = found
        location = place.text
        confidence += 0.15 * min(1.0, place.confidence)
        place_reason = f"the place the trigger {trigger.text!r} governs in its sentence"
    elif main is not None:
        place, precision = main, min(3, main.base_precision + 1)
        location = place.text
        if unknown is not None:
            location = unknown[0].text
            precision = max(precision, 2)
            place_reason = (
                f"{location!r} is not in the gazetteer: placed at the article's main place "
                f"{main.text!r}"
            )
        else:
            place_reason = (
                f"place inherited from the article's main place {main.text!r} "
                "(no place in the sentence)"
            )
        notes.append(place_reason)
        confidence += 0.05
    else:
        place, precision = None, None
        location = unknown[0].text if unknown is not None else None
        place_reason = (
            f"{location!r} is not in the gazetteer and no known place is named with it"
            if location
            else "no place named in the article"
        )
        notes.append(place_reason)

    candidate = place.candidate if place is not None else None
    cc = str(getattr(candidate, "country_code", "") or "") if candidate is not None else ""
    cc = (
        cc
        or _party_country((agent, victim))
        or (str(getattr(main.candidate, "country_code", "") or "") if main is not None else "")
    )
    actors_cc = cc
    if not cc and country_hint:
        # the text names no country at all: the actors' country is the one the caller
        # (or the feed the article came in) gives; the event stays unplaced
        actors_cc = country_hint
        notes.append(f"actors' country {country_hint} from the feed: the text names none")
        confidence -= 0.05
    country = acled_country(actors_cc)
    suspect = _named_suspect(agent, victim, others)
    if suspect is not None:
        # "gunmen suspected to belong to Al Shabaab", "(Al Shabaab claimed it)": the one
        # armed group the sentence names is who ACLED codes, not an unidentified one
        notes.append(f"actor1: {suspect.text!r}, the armed group the sentence names")
        others = [p for p in others if p is not suspect]
        agent = suspect
    named_victim = _named_for(victim, agent, others)
    if named_victim is not None:
        # "strikes against the terrorist facilities" of "the Islamic State group": the
        # one armed group the sentence names is who was struck
        others = [p for p in others if p is not named_victim]
        victim = named_victim
    others = [*others, *parts.forces_after]
    coded = code_event(
        sense.event_type,
        sense.sub_event_type,
        agent,
        victim,
        country=country,
        others=others,
        two_sided=two_sided,
    )
    named1 = None if "actor1" in coded.defaulted else coded.actor1
    attribution = tracker.attribute(parts.hits, trigger.start, named1)
    first_person = _FIRST_PERSON.search(text[parts.start : trigger.start])
    if named1 is None and attribution.speaker_affiliation and first_person:
        # "our forces struck …", said the ministry
        agent = Party(trigger.start, trigger.start, "", attribution.speaker_affiliation)
        coded = code_event(
            sense.event_type, sense.sub_event_type, agent, victim, country=country, others=others
        )
        attribution = tracker.attribute(parts.hits, trigger.start, coded.actor1)
        notes.append("first actor is the speaker's side ('we'/'our' in a quote)")
    if "actor1" not in coded.defaulted:
        confidence += 0.15
    if coded.actor2 and "actor2" not in coded.defaulted:
        confidence += 0.1
    if coded.defaulted:
        notes.append(
            f"{' and '.join(coded.defaulted)} not named in the text: ACLED's default for "
            f"{coded.sub_event_type}"
        )
    if sense.evidence:
        notes.append(f"type: {sense.evidence}")

    expr = _nearest_date(parts.dates, trigger)
    if expr is not None and expr.date is not None:
        date, time_precision = expr.date, expr.precision
        confidence += 0.05
    elif expr is not None:
        date, time_precision = None, None
        notes.append(f"date {expr.text!r} not resolvable without a publication date")
    elif article.published is not None:
        date, time_precision = article.published, 2
        notes.append("date: publication date (no date in the sentence)")
    else:
        date, time_precision = None, None
    if parts.start < article.body_offset:
        confidence *= 0.85
        notes.append("from the headline")
    if cut_at:
        notes.append(f"article cut to its first {cut_at:,} characters for length (max_chars)")
    line = summary(
        date, coded.sub_event_type or coded.event_type, coded.actor1, coded.actor2,
        location, precision, attribution.status, attribution.denied_by, attribution.reported_by,
    )  # fmt: skip
    evidence = text[parts.start : parts.end]
    return Event(
        event_id_cnty=f"{cc or 'XX'}-{article.id}-{number}",
        event_date=date,
        time_precision=time_precision,
        event_type=coded.event_type,
        sub_event_type=coded.sub_event_type,
        actor1=coded.actor1,
        assoc_actor_1=coded.assoc_actor_1,
        actor2=coded.actor2,
        assoc_actor_2=coded.assoc_actor_2,
        iso=iso_numeric(cc),
        country=_attr(candidate, "country") or (acled_country(cc) or None),
        admin1=_attr(candidate, "admin1"),
        admin2=_attr(candidate, "admin2"),
        location=location,
        latitude=float(candidate.latitude) if candidate is not None else None,
        longitude=float(candidate.longitude) if candidate is not None else None,
        geo_precision=precision,
        source=article.source,
        notes=" ".join([line, *(f"[{n}]" for n in notes)]),
        fatalities=parts.fatalities,
        geonameid=int(candidate.geonameid) if candidate is not None else None,
        match_type=_attr(candidate, "match_type"),
        match_score=float(getattr(candidate, "score", 0.0)) if candidate is not None else None,
        claim_status=attribution.status,
        reported_by=attribution.reported_by,
        denied_by=attribution.denied_by,
        evidence=evidence,
        article_id=article.id,
        confidence=round(min(confidence, 0.95), 3),
        evidence_start=parts.start,
        evidence_end=parts.end,
        sources=(f"{article.id}:{parts.start}-{parts.end}",),
        country_code=cc or None,
        matched_name=_attr(candidate, "matched_name"),
        place_kind=place_kind(candidate) if candidate is not None else None,
        geocode_status="matched" if candidate is not None else "unmatched",
        geocode_reason=place_reason,
    )


def _attr(candidate: Any, name: str) -> str | None:
    """A candidate's text field, None when missing or empty."""
    if candidate is None:
        return None
    value = getattr(candidate, name, None)
    return str(value) if value else None
