from __future__ import annotations

import dataclasses
import datetime as dt

from geo_events.text.extracted import Event
from geo_events.text.merge import merge_events, same_event

DAY = dt.date(2018, 3, 6)


def ev(**over) -> Event:
    base = {
        "event_id_cnty": "SY-a-1", "event_date": DAY, "time_precision": 1,
        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
        "actor1": "Military Forces of Russia", "assoc_actor_1": None, "actor2": "Islamic State", "assoc_actor_2": None,
        "iso": 760, "country": "Syria", "admin1": "Dayr az Zawr", "admin2": None, "location": "Deir ez-Zor",
        "latitude": 35.336, "longitude": 40.141, "geo_precision": 1, "source": "TASS", "notes": "n", "fatalities": None,
        "geonameid": 170794, "match_type": "exact", "match_score": 1.0, "claim_status": "reported",
        "reported_by": None, "denied_by": None, "evidence": "...", "article_id": "a", "confidence": 0.7,
        "evidence_start": 0, "evidence_end": 10,
    }  # fmt: skip
    base.update(over)
    if "sources" not in over:
        base["sources"] = (f"{base['article_id']}:{base['evidence_start']}-{base['evidence_end']}",)
    return Event(**base)


def test_reports_of_one_event_merge_and_keep_every_source():
    a = ev(
        claim_status="denied",
        denied_by="Ministry of Defence of Russia",
        confidence=0.9,
        geo_precision=2,
    )
    b = ev(
        article_id="b", evidence_start=50, evidence_end=90, source="Reuters", actor1=None,
        reported_by="Reuters citing SDF", fatalities=5, time_precision=2, event_date=DAY - dt.timedelta(days=2),
        latitude=35.36, longitude=40.12, geonameid=None, confidence=0.6,
    )  # fmt: skip
    c = ev(article_id="c", evidence_start=5, evidence_end=9, fatalities=3, confidence=0.5)
    (merged,) = merge_events([a, b, c])
    assert merged.sources == ("a:0-10", "b:50-90", "c:5-9")
    assert merged.claim_status == "denied"
    assert merged.denied_by == "Ministry of Defence of Russia"
    assert merged.reported_by == "Reuters citing SDF"
    assert merged.source == "TASS; Reuters"
    assert merged.fatalities == 3  # ACLED: the lowest figure
    assert merged.actor1 == "Military Forces of Russia"
    assert merged.event_date == DAY and merged.time_precision == 1  # the most precise date
    assert (
        merged.geo_precision == 2 and merged.evidence_start == 0
    )  # from the most confident report
    assert merged.confidence > 0.9
    assert "merged from 3 reports" in merged.notes


def test_different_types_actors_places_or_dates_stay_apart():
    base = ev()
    assert not same_event(base, ev(sub_event_type="Shelling/artillery/missile attack"))
    assert not same_event(base, ev(actor2="SDF: Syrian Democratic Forces"))
    assert not same_event(
        base, ev(latitude=36.2, longitude=37.15, geonameid=170063)
    )  # Aleppo, ~300 km
    assert not same_event(base, ev(event_date=DAY - dt.timedelta(days=5)))
    assert same_event(base, ev(event_date=DAY - dt.timedelta(days=5), time_precision=2))
    assert len(merge_events([base, ev(actor2="SDF: Syrian Democratic Forces")])) == 2


def test_unknown_actor_is_compatible_but_one_side_cannot_change():
    assert same_event(ev(), ev(actor1=None))
    assert not same_event(ev(actor1=None), ev(actor2="Civilians"))


def test_battle_sides_may_be_swapped():
    battle = {"event_type": "Battles", "sub_event_type": "Armed clash"}
    a = ev(**battle, actor1="Islamic State", actor2="Military Forces of Syria")
    b = ev(**battle, actor1="Military Forces of Syria", actor2="Islamic State")
    assert same_event(a, b)
    assert not same_event(ev(), ev(actor1="Islamic State", actor2="Military Forces of Russia"))


def test_region_holds_a_place_in_it():
    region = ev(
        geonameid=170792,
        latitude=35.0,
        longitude=40.5,
        geo_precision=3,
        location="Deir ez-Zor Governorate",
    )
    assert same_event(region, ev())
    elsewhere = dataclasses.replace(region, admin1="Ḩalab")
    assert not same_event(elsewhere, ev())


def test_unknown_place_or_date_merges_only_within_an_article():
    undated = ev(event_date=None, time_precision=None)
    assert same_event(undated, ev())
    assert not same_event(undated, ev(article_id="other"))
    unplaced = ev(latitude=None, longitude=None, geonameid=None)
    assert same_event(unplaced, ev())
    assert not same_event(unplaced, ev(article_id="other"))


def test_complete_linkage_never_chains_distant_reports():
    # each 8 km from the next, 16 km end to end: the third may not join the first
    a = ev(latitude=35.0, longitude=40.0, geonameid=1, evidence_start=0)
    b = ev(latitude=35.072, longitude=40.0, geonameid=2, evidence_start=1)
    c = ev(latitude=35.144, longitude=40.0, geonameid=3, evidence_start=2)
    groups = merge_events([a, b, c], max_km=10)
    assert [len(g.sources) for g in groups] == [2, 1]


def test_merging_merged_events_keeps_their_sources():
    first = merge_events([ev(), ev(evidence_start=20, evidence_end=30)])
    again = merge_events([*first, ev(article_id="z")])
    assert len(again) == 1
    assert set(again[0].sources) == {"a:0-10", "a:20-30", "z:0-10"}


def test_empty_input():
    assert merge_events([]) == []


def test_dates_at_the_ends_of_the_calendar_compare_without_overflow():
    for day in (dt.date.min, dt.date.max):
        a, b = ev(event_date=day, time_precision=3), ev(event_date=day, time_precision=1)
        assert same_event(a, b)
        assert len(merge_events([a, b])) == 1
