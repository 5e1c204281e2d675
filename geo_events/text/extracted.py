"""What event extraction produces: one row of the events schema, with its evidence.

:class:`Event`'s fields map one to one onto the events schema's columns
(``geo_events.events.schema``: ACLED's columns plus ours), plus three that only
extraction knows: ``evidence_start`` and ``evidence_end`` (the evidence sentence's
character offsets into the article's ``full_text``) and ``sources`` (every report
merged into the event, as ``"article_id:start-end"``).

Missing values are None, never "" or 0: an unknown date, actor or fatality count
stays unknown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["EVENT_COLUMNS", "EXTRA_FIELDS", "Event", "ExtractionResult", "describe", "summary"]

#: The events-schema columns an :class:`Event` fills, in schema order.
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "country_code",
    "geonameid",
    "matched_name",
    "match_type",
    "match_score",
    "place_kind",
    "geocode_status",
    "geocode_reason",
    "claim_status",
    "reported_by",
    "denied_by",
    "evidence",
    "article_id",
    "confidence",
)
#: The fields an :class:`Event` has beyond the schema's columns.
EXTRA_FIELDS: tuple[str, ...] = ("evidence_start", "evidence_end", "sources")


@dataclass(frozen=True)
class Event:
    """One event found in text, as one row of the events schema.

    Attributes
    ----------
    event_id_cnty
        An identifier: ISO2 country code (or "XX"), article id, and a running number.
    event_date, time_precision
        The date (None when unknown) and ACLED time precision (1 day, 2 week, 3 month).
    event_type, sub_event_type
        ACLED's taxonomy ("Explosions/Remote violence", "Air/drone strike").
    actor1, assoc_actor_1, actor2, assoc_actor_2
        ACLED-style actor names; associated actors joined with "; ".
    iso, country, admin1, admin2
        ISO 3166-1 numeric code and names of the place's country and divisions.
    location, latitude, longitude, geo_precision
        The place name as written, its point (WGS84) and ACLED geo precision
        (1 the place itself, 2 near it or part of a region, 3 only the region).
    source
        The outlet(s) that published the report(s), joined with "; ".
    notes
        A one-line summary, and how the row was made (inherited place, merged reports).
    fatalities
        Deaths as stated (ACLED counting: the lowest figure), None when not stated.
    geonameid, match_type, match_score
        The gazetteer place and how its name matched.
    claim_status
        "reported", "claimed" (by the actor itself) or "denied".
    reported_by, denied_by
        Who reports it inside the article and through whom ("Reuters citing SDF"),
        and who denies it; several joined with "; ".
    evidence, article_id, confidence
        The sentence that says it, the article it is in, and a score in [0, 1].
    evidence_start, evidence_end
        The sentence's character offsets into the article's ``full_text``.
    sources
        Every report merged into this event, as ``"article_id:start-end"``.
    country_code, matched_name, place_kind
        The place's ISO2 country code, the gazetteer name it matched, its kind.
    geocode_status, geocode_reason
        ``"matched"`` (from the gazetteer) or ``"unmatched"``, and why the event is
        placed where it is (an inherited place says so) or not at all.
    """

    event_id_cnty: str
    event_date: dt.date | None
    time_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    assoc_actor_1: str | None
    actor2: str | None
    assoc_actor_2: str | None
    iso: int | None
    country: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    source: str | None
    notes: str | None
    fatalities: int | None
    geonameid: int | None
    match_type: str | None
    match_score: float | None
    claim_status: str
    reported_by: str | None
    denied_by: str | None
    evidence: str
    article_id: str
    confidence: float
    evidence_start: int = 0
    evidence_end: int = 0
    sources: tuple[str, ...] = ()
    country_code: str | None = None
    matched_name: str | None = None
    place_kind: str | None = None
    geocode_status: str | None = None
    geocode_reason: str | None = None

    def to_record(self, *, extra: bool = False) -> dict[str, Any]:
        """Return the event as ``{schema column: value}``, in schema order.

        With ``extra=True`` the record also holds ``evidence_start``,
        ``evidence_end`` and ``sources`` (joined with "; ").

        Examples
        --------
        >>> e = Event("SY-a-1", None, None, "Battles", "Armed clash", "A", None, None, None,
        ...           None, None, None, None, None, None, None, None, None, None, None, None,
        ...           None, None, "reported", None, None, "They fought.", "a", 0.5)
        >>> list(e.to_record())[:3], e.to_record()["event_date"] is None
        (['event_id_cnty', 'event_date', 'time_precision'], True)
        """
        values = asdict(self)
        record = {column: values[column] for column in EVENT_COLUMNS}
        if extra:
            record["evidence_start"] = self.evidence_start
            record["evidence_end"] = self.evidence_end
            record["sources"] = "; ".join(self.sources)
        return record


def describe(event: Event) -> str:
    """A one-line summary of an event, as its ``notes`` start.

    Examples
    --------
    >>> e = Event("SY-a-1", None, None, "Battles", "Armed clash", "A", None, "B", None,
    ...           None, None, None, None, "Idlib", None, None, 2, None, None, None, None,
    ...           None, None, "claimed", "A", None, "They fought.", "a", 0.5)
    >>> describe(e)
    'Undated: Armed clash by A on B near Idlib (claimed, reported by A).'
    """
    return summary(
        event.event_date, event.sub_event_type or event.event_type, event.actor1, event.actor2,
        event.location, event.geo_precision, event.claim_status, event.denied_by, event.reported_by,
    )  # fmt: skip


def summary(
    date: dt.date | None,
    what: str,
    actor1: str | None,
    actor2: str | None,
    location: str | None,
    geo_precision: int | None,
    status: str,
    denied_by: str | None,
    reported_by: str | None,
) -> str:
    """The one-line summary :func:`describe` writes, from its parts."""
    where = f" {'near' if geo_precision == 2 else 'in'} {location}" if location else ""
    if denied_by:
        status += f" by {denied_by}"
    if reported_by:
        status += f", reported by {reported_by}"
    return (
        f"{date.isoformat() if date else 'Undated'}: {what} by {actor1 or 'an unidentified actor'}"
        f"{' on ' + actor2 if actor2 else ''}{where} ({status})."
    )


assert {f.name for f in fields(Event)} == {*EVENT_COLUMNS, *EXTRA_FIELDS}


@dataclass(frozen=True)
class ExtractionResult:
    """What extraction found in one article: its events, or why there are none.

    ``reason`` is "" when there are events, and otherwise says why not ("empty
    text", "no event triggers", "not English", "unreadable article: …").
    """

    article_id: str
    events: tuple[Event, ...]
    reason: str = ""

    def __bool__(self) -> bool:
        return bool(self.events)
