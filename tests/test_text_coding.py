"""ACLED coding of one event: actor names from nouns, roles in every voice, types by roles."""

from __future__ import annotations

import pytest

from geo_events.text.coding import (
    Party,
    PartyFinder,
    acled_country,
    code_event,
    fill,
    party_group,
    roles,
)

NOUNS = [
    ("gunmen", "Unidentified Armed Group ({country})", ""),
    ("police", "Police Forces of {country}", ""),
    ("police officers", "Police Forces of {country}", ""),
    ("soldiers", "Military Forces of {country}", ""),
    ("a man", "Civilians ({country})", ""),
    ("traders", "Civilians ({country})", "Traders ({country})"),
    ("students", "Civilians ({country})", "Students ({country})"),
    ("a mob", "Rioters ({country})", ""),
    ("protesters", "Protesters ({country})", ""),
    ("raiders", "Unidentified Communal Militia ({country})", ""),
    ("herders", "Civilians ({country})", "Pastoralists ({country})"),
]
COMMUNITIES = [
    ("Pokot", "KE", "{name} Ethnic Militia ({country})", "{name} Ethnic Group ({country})")
]


@pytest.fixture(scope="module")
def finder() -> PartyFinder:
    return PartyFinder(NOUNS, COMMUNITIES)


def coded(
    finder: PartyFinder,
    sentence: str,
    trigger: str,
    event_type: str,
    sub: str,
    country: str = "Kenya",
):
    start = sentence.index(trigger)
    parties = finder.find(sentence)
    agent, victim, others = roles(sentence, start, start + len(trigger), parties)
    return code_event(event_type, sub, agent, victim, country=country, others=others)


def test_fill_writes_acled_names() -> None:
    assert fill("Police Forces of {country}", "Kenya") == "Police Forces of Kenya"
    assert fill("Military Forces of {country}", "Democratic Republic of Congo") == (
        "Military Forces of the Democratic Republic of Congo"
    )
    assert fill("Civilians ({country})", "Democratic Republic of Congo") == (
        "Civilians (Democratic Republic of Congo)"
    )
    assert fill("Military Forces of {country}", "") == "Military Forces"
    assert fill("Al Shabaab", "Kenya") == "Al Shabaab"


def test_acled_country_spellings() -> None:
    assert acled_country("ke") == "Kenya"
    assert acled_country("CI") == "Ivory Coast"
    assert acled_country("PS") == "Palestine"
    assert acled_country("ZZ") == ""


def test_party_groups() -> None:
    assert party_group("Military Forces of Ukraine") == "state"
    assert party_group("Rioters (Kenya)") == "rioters"
    assert party_group("Unidentified Communal Militia ({country})") == "militia"
    assert party_group("Islamic State") == "armed"


def test_finder_prefers_the_longest_noun_and_communities(finder: PartyFinder) -> None:
    parties = finder.find("Police officers said Pokot raiders attacked herders.")
    assert [p.text for p in parties] == ["Police officers", "Pokot raiders", "herders"]
    assert parties[1].name == "Pokot Ethnic Militia ({country})"
    assert parties[1].country == "KE"
    # a community with a civilian noun is civilians of that community
    victims = finder.find("Pokot herders were attacked.")
    assert victims[0].name == "Civilians ({country})"
    assert victims[0].assoc == "Pokot Ethnic Group ({country})"


def test_passive_agent_is_actor1(finder: PartyFinder) -> None:
    c = coded(
        finder,
        "A man was shot dead by gunmen in the town.",
        "shot dead",
        "Violence against civilians",
        "Attack",
    )
    assert (c.actor1, c.actor2) == ("Unidentified Armed Group (Kenya)", "Civilians (Kenya)")
    assert c.defaulted == ()


def test_attack_on_civilians_is_violence_against_civilians(finder: PartyFinder) -> None:
    c = coded(finder, "Gunmen attacked traders at a market.", "attacked", "Battles", "Armed clash")
    assert (c.event_type, c.sub_event_type) == ("Violence against civilians", "Attack")
    assert c.assoc_actor_2 == "Traders (Kenya)"


def test_attack_on_an_armed_party_is_a_battle(finder: PartyFinder) -> None:
    c = coded(
        finder,
        "Gunmen attacked soldiers at a checkpoint.",
        "attacked",
        "Violence against civilians",
        "Attack",
    )
    assert (c.event_type, c.sub_event_type) == ("Battles", "Armed clash")
    # ACLED lists the state's forces first in a battle, whoever attacked
    assert (c.actor1, c.actor2) == ("Military Forces of Kenya", "Unidentified Armed Group (Kenya)")


def test_clash_between_names_both_sides(finder: PartyFinder) -> None:
    c = coded(
        finder,
        "Clashes between police and raiders left two dead.",
        "Clashes",
        "Battles",
        "Armed clash",
    )
    assert (c.actor1, c.actor2) == (
        "Police Forces of Kenya",
        "Unidentified Communal Militia (Kenya)",
    )


def test_victims_without_agent_get_the_default_agent(finder: PartyFinder) -> None:
    c = coded(
        finder, "A man was killed on Sunday.", "killed", "Violence against civilians", "Attack"
    )
    assert c.actor1 == "Unidentified Armed Group (Kenya)"
    assert c.actor2 == "Civilians (Kenya)"
    assert c.defaulted == ("actor1",)


def test_protest_actor1_is_protesters_with_the_group_associated(finder: PartyFinder) -> None:
    c = coded(finder, "Students protested over fees.", "protested", "Protests", "Peaceful protest")
    assert (c.actor1, c.assoc_actor_1, c.actor2) == ("Protesters (Kenya)", "Students (Kenya)", None)


def test_an_intervention_names_the_force_and_police_named_alone_are_none(
    finder: PartyFinder,
) -> None:
    # the sentence's evidence (dispersed, tear gas) makes an intervention, upstream
    c = coded(
        finder,
        "Traders protested until police dispersed them.",
        "protested",
        "Protests",
        "Protest with intervention",
    )
    assert (c.actor1, c.actor2) == ("Protesters (Kenya)", "Police Forces of Kenya")
    # a protest against the police is no intervention by them
    c = coded(
        finder,
        "Traders protested against police harassment.",
        "protested",
        "Protests",
        "Peaceful protest",
    )
    assert (c.sub_event_type, c.actor2) == ("Peaceful protest", None)


def test_excessive_force_puts_the_force_first(finder: PartyFinder) -> None:
    c = coded(
        finder,
        "Police shot protesters during a march.",
        "shot",
        "Protests",
        "Excessive force against protesters",
    )
    assert (c.actor1, c.actor2) == ("Police Forces of Kenya", "Protesters (Kenya)")


def test_mob_violence_victim_defaults_to_civilians(finder: PartyFinder) -> None:
    c = coded(finder, "A mob lynched a suspect.", "lynched", "Riots", "Mob violence")
    assert (c.actor1, c.actor2) == ("Rioters (Kenya)", "Civilians (Kenya)")


def test_territory_by_the_state_is_regained(finder: PartyFinder) -> None:
    c = coded(
        finder,
        "Soldiers took control of the town.",
        "took control of",
        "Battles",
        "Non-state actor overtakes territory",
    )
    assert c.sub_event_type == "Government regains territory"


def test_no_country_gives_names_without_one() -> None:
    gunmen = Party(0, 6, "Gunmen", "Unidentified Armed Group ({country})", named=False)
    c = code_event("Violence against civilians", "Attack", gunmen, None)
    assert (c.actor1, c.actor2) == ("Unidentified Armed Group", "Civilians")


def test_packaged_finder_loads() -> None:
    parties = PartyFinder.default().find("Unknown gunmen shot dead a police officer.")
    assert parties and parties[0].group == "armed"


def _two_sided(finder: PartyFinder, sentence: str, trigger: str = "clashed"):
    start = sentence.index(trigger)
    parties = finder.find(sentence)
    agent, victim, others = roles(sentence, start, start + len(trigger), parties)
    return code_event(
        "Battles", "Armed clash", agent, victim, country="Kenya", others=others, two_sided=True
    )


def test_unarmed_sides_that_are_no_community_riot(finder: PartyFinder) -> None:
    c = _two_sided(finder, "Students clashed with traders in the market.")
    assert (c.event_type, c.sub_event_type) == ("Riots", "Mob violence")
    assert (c.actor1, c.assoc_actor_1) == ("Rioters (Kenya)", "Students (Kenya)")
    assert (c.actor2, c.assoc_actor_2) == ("Rioters (Kenya)", "Traders (Kenya)")


def test_herders_who_fight_are_a_communal_militia_in_a_battle(finder: PartyFinder) -> None:
    c = _two_sided(finder, "Clashes between herders and traders left two dead.", "Clashes")
    assert (c.event_type, c.sub_event_type) == ("Battles", "Armed clash")
    assert "Unidentified Communal Militia (Kenya)" in (c.actor1, c.actor2)
