"""Extraction codes events as ACLED's coders do: described actors, roles, places the gazetteer lacks.

Short reports written for these tests, in the style of conflict notes; places come
from a stub (the tests pass their own resolved mentions).
"""

from __future__ import annotations

import datetime as dt

import pytest

from geo_events.errors import InputError
from geo_events.text.article import Article
from geo_events.text.extract import Extractor, extract_events
from tests.test_text_extract import ALPHA, ALPHA_GOV, STUB_GAZ, mentions, run

DAY = dt.date(2021, 6, 14)


def first(body: str, places=None, **kw):
    result = run(
        "", body, places=places if places is not None else {"Alpha": ALPHA}, published=DAY, **kw
    )
    assert result.events, result.reason
    return result.events[0]


def test_described_killers_and_victims_get_acled_names_with_the_places_country() -> None:
    e = first("On 12 June 2021, a farmer and his son were shot dead by unknown gunmen in Alpha.")
    assert (e.event_type, e.sub_event_type) == ("Violence against civilians", "Attack")
    assert e.actor1 == "Unidentified Armed Group (Syria)"
    assert e.actor2 == "Civilians (Syria)"
    assert e.assoc_actor_2 == "Farmers (Syria)"
    assert e.event_date == dt.date(2021, 6, 12) and e.time_precision == 1
    assert e.fatalities == 2


def test_an_attack_on_police_is_a_battle_and_on_villagers_violence_against_civilians() -> None:
    battle = first("Militants attacked a police post in Alpha.")
    # a battle lists the state's forces first (ACLED's order), whoever attacked
    assert (battle.event_type, battle.actor1) == ("Battles", "Police Forces of Syria")
    assert battle.actor2 == "Unidentified Armed Group (Syria)"
    attack = first("Militants attacked villagers in Alpha.")
    assert (attack.event_type, attack.actor2) == ("Violence against civilians", "Civilians (Syria)")


def test_a_protest_is_by_protesters_and_the_group_is_associated() -> None:
    e = first("Teachers protested in Alpha over unpaid salaries.")
    assert (e.event_type, e.sub_event_type) == ("Protests", "Peaceful protest")
    assert (e.actor1, e.assoc_actor_1, e.actor2) == ("Protesters (Syria)", "Teachers (Syria)", None)


def test_police_dispersing_a_protest_is_an_intervention() -> None:
    e = first("Traders protested in Alpha until police fired tear gas to disperse them.")
    assert e.sub_event_type == "Protest with intervention"
    assert (e.actor1, e.actor2) == ("Protesters (Syria)", "Police Forces of Syria")


def test_residents_beating_a_man_are_a_mob() -> None:
    e = first("Residents beat a suspected thief to death in Alpha.")
    assert (e.event_type, e.sub_event_type) == ("Riots", "Mob violence")
    assert e.actor1 == "Rioters (Syria)"


def test_the_subject_is_the_actor_not_the_nearest_party() -> None:
    e = first(
        "Police officers in civilian clothes took two boys to a station in Alpha and shot them."
    )
    assert e.actor1 == "Police Forces of Syria"


def test_a_trigger_without_anyone_named_still_is_an_event_that_says_so() -> None:
    e = first("An explosion went off at a market in Alpha.")
    assert e.event_type == "Explosions/Remote violence"
    assert e.actor1 == "Unidentified Armed Group (Syria)"
    assert "actor1 not named in the text" in e.notes


def test_an_outcome_adds_to_its_sentence_event() -> None:
    result = run(
        "", "Militants attacked a checkpoint in Alpha, killing three soldiers.", published=DAY
    )
    (event,) = result.events
    assert event.event_type == "Battles" and event.fatalities == 3


def test_a_name_the_gazetteer_lacks_is_placed_at_the_admin_area_named_with_it() -> None:
    e = first(
        "Gunmen killed a trader in Kuvimbo village, Alpha Governorate.",
        places={"Alpha Governorate": ALPHA_GOV},
    )
    assert e.location == "Kuvimbo"
    assert (e.latitude, e.longitude) == (ALPHA_GOV.latitude, ALPHA_GOV.longitude)
    assert e.geo_precision == 2
    assert "not in the gazetteer" in e.notes


def test_a_name_the_gazetteer_lacks_alone_is_no_point() -> None:
    e = first("Gunmen killed a trader in Kuvimbo village.", places={})
    assert e.location == "Kuvimbo" and e.latitude is None and e.geo_precision is None
    assert e.geocode_status == "unmatched"


def test_a_country_hint_names_actors_of_notes_without_a_place() -> None:
    article = Article(id="n", title="", text="A mob lynched a suspected thief.", published=DAY)
    plain = extract_events(article, gazetteer=STUB_GAZ, mentions=[])
    assert plain.events[0].actor1 == "Rioters"
    hinted = Extractor(STUB_GAZ).extract(article, mentions=[], country="ke")
    assert hinted.events[0].actor1 == "Rioters (Kenya)"
    assert hinted.events[0].latitude is None  # the hint names actors; it places nothing
    assert "from the feed" in hinted.events[0].notes


def test_a_bad_country_hint_is_refused() -> None:
    article = Article(id="n", title="", text="A mob lynched a man.", published=DAY)
    with pytest.raises(InputError, match="ISO 3166"):
        Extractor(STUB_GAZ).extract(article, mentions=[], country="Kenya")


def _placing_extractor(monkeypatch) -> Extractor:
    """An extractor over the stub gazetteer that finds "Alpha" in every article."""
    extractor = Extractor(STUB_GAZ)
    real = extractor.extract

    def with_places(article, **kw):
        return real(article, mentions=mentions(article.full_text, {"Alpha": ALPHA}), **kw)

    monkeypatch.setattr(extractor, "extract", with_places)
    return extractor


def test_a_feed_learns_its_country_from_its_placed_events(monkeypatch) -> None:
    placed = "Gunmen killed a trader in Alpha."
    articles = [Article(id=f"p{i}", title="", text=placed, published=DAY) for i in range(6)]
    unplaced = Article(id="x", title="", text="A mob lynched a suspected thief.", published=DAY)
    *_, last = _placing_extractor(monkeypatch).extract_many([*articles, unplaced])
    assert last.events[0].actor1 == "Rioters (Syria)"
    # a feed too short to say stays silent
    *_, alone = _placing_extractor(monkeypatch).extract_many([*articles[:2], unplaced])
    assert alone.events[0].actor1 == "Rioters"


def test_a_one_sided_attack_on_nobody_named_is_on_civilians_and_a_clash_stays_a_battle() -> None:
    ambush = first("Gunmen ambushed a bus near Alpha.")
    assert (ambush.event_type, ambush.actor2) == ("Violence against civilians", "Civilians (Syria)")
    clash = first("Herders and farmers clashed in Alpha over grazing land.")
    assert clash.event_type == "Battles"


def test_the_speaker_of_reported_speech_is_not_the_agent() -> None:
    e = first("Local officials said soldiers shelled Alpha.")
    assert e.actor1 == "Military Forces of Syria"


def test_the_armed_group_a_sentence_names_is_the_agent_of_unnamed_attackers() -> None:
    e = first("Gunmen suspected to belong to Islamic State killed two farmers in Alpha.")
    assert e.actor1 == "Islamic State"
    assert "the armed group the sentence names" in e.notes


def test_the_force_that_met_a_riot_later_in_the_report_is_its_other_side() -> None:
    e = first(
        "Students rioted in Alpha and burnt tyres on the highway. Police later dispersed them."
    )
    assert e.event_type == "Riots"
    assert (e.actor1, e.actor2) == ("Rioters (Syria)", "Police Forces of Syria")


def test_an_outcome_word_needs_someone_or_some_violence_in_its_sentence() -> None:
    nothing = run("", "A retired teacher died in Alpha on Sunday.", published=DAY)
    assert nothing.events == ()
    shot = first("A retired teacher died in Alpha after he was shot on Sunday.")
    assert shot.event_type == "Violence against civilians"


def test_an_ambiguous_word_needs_a_party_or_a_place_it_governs() -> None:
    assert run("", "The car struck a tree.", places={}, published=DAY).events == ()


def test_a_later_sentence_that_only_adds_the_toll_counts_toward_the_event() -> None:
    e = first("Gunmen attacked a police camp in Alpha. Three attackers were killed in the fight.")
    assert e.event_type == "Battles" and e.fatalities == 3


def test_communities_that_clash_are_militias_in_a_battle_not_a_mob() -> None:
    e = first("Herders and farmers clashed in Alpha over a water point.")
    assert (e.event_type, e.sub_event_type) == ("Battles", "Armed clash")
    assert "Militia" in e.actor1
