"""Merging reports of one event into one event that keeps all its sources.

Two reports are of the same event when they have the same event type and
sub-type, compatible actors (each side equal, or unknown on one side; for battles
the sides may be swapped), places within ``max_km`` of each other (or one is a
region, precision 3, that holds the other), and dates whose windows overlap
(ACLED time precision 1 is ±1 day, 2 ±7 days, 3 ±31 days). A report without a
place or a date merges only with reports of the same article: across articles an
unknown is not evidence of sameness.

Clustering is complete-linkage: a report joins a group only if it is compatible
with every report already in it, so a chain of near neighbours never drags two
distant events together. The merged event takes its place and evidence from its
most confident report, its date from its most precise one, the lowest fatality
figure (ACLED's rule), the strongest status (denied over claimed over reported),
and every reporter, denier, outlet and source.

Distances are the gazetteer's (:func:`geo_events.gazetteer.lookup.haversine_km`):
extraction never computes one itself.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from geo_events.gazetteer.records import haversine_km
from geo_events.text.extracted import Event, describe

__all__ = ["merge_events", "same_event"]

_WINDOW = {1: 1, 2: 7, 3: 31}
_FLAG = re.compile(r"\[[^\]]*\]")
_STATUS_RANK = {"reported": 0, "claimed": 1, "denied": 2}
_LAST_DAY = dt.date.max.toordinal()


def _window(e: Event) -> tuple[dt.date, dt.date] | None:
    if e.event_date is None:
        return None
    half = _WINDOW.get(e.time_precision or 3, 31)
    day = e.event_date.toordinal()  # clamped: the window of 1 January of year 1 starts there
    return (
        dt.date.fromordinal(max(1, day - half)),
        dt.date.fromordinal(min(_LAST_DAY, day + half)),
    )


def _vague(name: str | None) -> bool:
    """Whether an actor name says only that someone acted ("Unidentified Armed Group (Syria)")."""
    return name is None or name.startswith("Unidentified ")


def _side_ok(x: str | None, y: str | None) -> bool:
    """Whether two reports' actors can be one: equal, or one unknown or unidentified."""
    if _vague(x) or _vague(y) or x == y:
        return True
    # "Civilians" (no country known) and "Civilians (Syria)"
    assert x is not None and y is not None  # for mypy: _vague(None) is True
    return (x.split(" (", 1)[0] == y) or (y.split(" (", 1)[0] == x)


def _actors_ok(a: Event, b: Event) -> bool:
    if _side_ok(a.actor1, b.actor1) and _side_ok(a.actor2, b.actor2):
        return True
    return (
        a.event_type == "Battles" and _side_ok(a.actor1, b.actor2) and _side_ok(a.actor2, b.actor1)
    )


def _places_ok(a: Event, b: Event, max_km: float) -> bool:
    placed_a = a.latitude is not None and a.longitude is not None
    placed_b = b.latitude is not None and b.longitude is not None
    if not (placed_a and placed_b):
        return a.article_id == b.article_id
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return True
    assert a.latitude is not None and a.longitude is not None  # for mypy: checked above
    assert b.latitude is not None and b.longitude is not None
    if float(haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)) <= max_km:
        return True
    for region, place in ((a, b), (b, a)):
        same_region = (
            region.admin1 and region.admin1 == place.admin1 and region.country == place.country
        )
        if region.geo_precision == 3 and same_region:
            return True
    return False


def _dates_ok(a: Event, b: Event) -> bool:
    wa, wb = _window(a), _window(b)
    if wa is None or wb is None:
        return a.article_id == b.article_id
    return wa[0] <= wb[1] and wb[0] <= wa[1]


def same_event(a: Event, b: Event, *, max_km: float = 10.0) -> bool:
    """True when ``a`` and ``b`` can be reports of one event (see the module docstring)."""
    return (
        a.event_type == b.event_type
        and a.sub_event_type == b.sub_event_type
        and _actors_ok(a, b)
        and _dates_ok(a, b)
        and _places_ok(a, b, max_km)
    )


def _join(values: Iterable[str | None]) -> str | None:
    seen: list[str] = []
    for value in values:
        for part in (value or "").split("; "):
            if part and part not in seen:
                seen.append(part)
    return "; ".join(seen) if seen else None


def _combine(group: Sequence[Event]) -> Event:
    if len(group) == 1:
        return group[0]
    rep = max(group, key=lambda e: (e.confidence, -group.index(e)))
    located = (
        rep
        if rep.latitude is not None
        else max(group, key=lambda e: (e.latitude is not None, e.confidence))
    )
    dated = [e for e in group if e.event_date is not None]
    when = min(dated, key=lambda e: (e.time_precision or 3, -e.confidence)) if dated else rep
    first = next((e.actor1 for e in [rep, *group] if not _vague(e.actor1)), rep.actor1)
    first = first or next((e.actor1 for e in group if e.actor1), None)
    seconds = [e.actor2 for e in [rep, *group] if e.actor2 and e.actor2 != first]
    second = next((a for a in seconds if not _vague(a)), seconds[0] if seconds else None)
    fatalities = [e.fatalities for e in group if e.fatalities is not None]
    status = max((e.claim_status for e in group), key=lambda s: _STATUS_RANK.get(s, 0))
    sources = tuple(
        dict.fromkeys(
            s
            for e in group
            for s in (e.sources or (f"{e.article_id}:{e.evidence_start}-{e.evidence_end}",))
        )
    )
    confidence = 1.0 - math.prod(1.0 - max(0.0, min(1.0, e.confidence)) for e in group)
    flags: dict[str, None] = {}
    for flag in _FLAG.findall(rep.notes or ""):
        if not flag.startswith(("[date", "[place", "[no place")):
            flags[flag] = None
    for flag in _FLAG.findall(when.notes or ""):
        if flag.startswith("[date"):
            flags[flag] = None
    for flag in _FLAG.findall(located.notes or ""):
        if flag.startswith(("[place", "[no place")):
            flags[flag] = None
    merged = replace(
        rep,
        event_date=when.event_date,
        time_precision=when.time_precision,
        actor1=first,
        actor2=second,
        assoc_actor_1=_join(e.assoc_actor_1 for e in group),
        assoc_actor_2=_join(e.assoc_actor_2 for e in group),
        iso=located.iso,
        country=located.country,
        admin1=located.admin1,
        admin2=located.admin2,
        location=located.location,
        latitude=located.latitude,
        longitude=located.longitude,
        geo_precision=located.geo_precision,
        geonameid=located.geonameid,
        match_type=located.match_type,
        match_score=located.match_score,
        source=_join(e.source for e in group),
        fatalities=min(fatalities) if fatalities else None,
        claim_status=status,
        reported_by=_join(e.reported_by for e in group),
        denied_by=_join(e.denied_by for e in group),
        confidence=round(min(confidence, 0.99), 3),
        sources=sources,
    )
    flags[f"[merged from {len(group)} reports]"] = None
    return replace(merged, notes=" ".join([describe(merged), *flags]))


def merge_events(events: Iterable[Event], *, max_km: float = 10.0) -> list[Event]:
    """Merge reports of the same event; return one event per group, in order of first report.

    Parameters
    ----------
    events
        Events from one or many articles (already merged ones too: their
        ``sources`` carry over).
    max_km
        How far apart two reports' places may be and still be one event.

    Examples
    --------
    >>> import datetime as dt
    >>> def ev(i, actor2, lat):
    ...     return Event(f"SY-a-{i}", dt.date(2017, 9, 25), 1, "Battles", "Armed clash",
    ...                  "Islamic State", None, actor2, None, 760, "Syria", None, None, "X",
    ...                  lat, 40.0, 1, "TASS", None, None, i, "exact", 1.0, "reported",
    ...                  None, None, "...", "a", 0.6, i * 10, i * 10 + 5)
    >>> len(merge_events([ev(1, "Military Forces of Syria", 35.0), ev(2, None, 35.01)]))
    1
    >>> len(merge_events([ev(1, "Military Forces of Syria", 35.0), ev(2, None, 36.0)]))
    2
    """
    groups: dict[tuple[str, str], list[list[Event]]] = {}
    order: list[list[Event]] = []
    for event in events:
        bucket = groups.setdefault((event.event_type, event.sub_event_type), [])
        for group in bucket:
            if all(same_event(event, member, max_km=max_km) for member in group):
                group.append(event)
                break
        else:
            group = [event]
            bucket.append(group)
            order.append(group)
    return [_combine(group) for group in order]
