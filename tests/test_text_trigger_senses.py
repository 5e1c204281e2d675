"""Trigger senses and refinements: each rule on short sentences of our own."""

from __future__ import annotations

import pytest

from geo_events.text.trigger_senses import Sense, actor_split, refined_sub_event, sense_problem

E = "Explosions/Remote violence"


def _span(text: str, word: str) -> tuple[int, int]:
    i = text.index(word)
    return i, i + len(word)


def problem(text: str, word: str) -> str:
    return sense_problem(text, *_span(text, word))


def refined(text: str, word: str, event_type: str, sub: str) -> tuple[str, str]:
    s = refined_sub_event(text, *_span(text, word), event_type, sub)
    assert isinstance(s, Sense)
    return s.event_type, s.sub_event_type


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("A fire broke out in the market on Monday.", "fire"),
        ("Fire destroyed forty stalls.", "Fire"),
        ("The lorry caught fire on the highway.", "fire"),
        ("Fire fighters arrived late.", "Fire"),
        ("The senator attacked the government's policy on fuel.", "attacked"),
        ("He died of a heart attack.", "attack"),
        ("She suffered a panic attack.", "attack"),
        ("The governor attacked him in a statement on Sunday.", "attacked"),
        ("The crew shot a video in the old town.", "shot"),
        ("His shot on goal went wide.", "shot"),
        ("The protest was held in March 2019.", "March"),
        ("Talks resumed in March.", "March"),
        ("Riot police stood by.", "Riot"),
        ("Anti-riot officers were deployed.", "riot"),
        ("The MP faces a long legal battle over the seat.", "battle"),
        ("Her battle with cancer ended.", "battle"),
        ("The minister clashed with the opposition over the budget.", "clashed"),
        ("A schedule clash forced a delay.", "clash"),
        ("Police said the bomb threat was a hoax.", "bomb"),
        ("The opposition blasted the government for the tax.", "blasted"),
        ("Voters cast a protest vote.", "protest"),
        ("He was struck by a speeding car.", "struck"),
        ("The ministry executed the plan quickly.", "executed"),
        ("The thieves were captured on CCTV.", "captured"),
        ("The minister came under fire from critics for the remarks.", "came under fire"),
        ("Two pupils were killed in a road accident.", "killed"),
        ("Floods destroyed two bridges.", "destroyed"),
        ("The striker injured his knee.", "injured"),
        ("The parties engaged in talks.", "engaged"),
        ("He posted offensive remarks online.", "offensive"),
        ("Police found an assault rifle.", "assault"),
        ("Profits rose at Shell plc.", "Shell"),
        ("Travellers faced traffic chaos.", "chaos"),
        ("The firm deployed new software.", "deployed"),
        ("He died of cardiac arrest.", "arrest"),
        ("The bill disappeared from the headlines.", "disappeared"),
        ("Experts demonstrated that the dam was safe.", "demonstrated"),
        ("Fans raided the fridge.", "raided"),
    ],
)
def test_non_event_senses_are_named(text: str, word: str) -> None:
    assert problem(text, word)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Gunmen opened fire on a bus.", "fire"),
        ("The patrol came under fire near the border.", "came under fire"),
        ("Rebels attacked an army post at dawn.", "attacked"),
        ("Police shot a man at the checkpoint.", "shot"),
        ("Hundreds marched to parliament on Friday.", "marched"),
        ("Residents protested in protest at the evictions.", "protested"),
        ("Troops captured the town after heavy fighting.", "captured"),
        ("Militants executed three hostages.", "executed"),
        ("Jets struck the depot.", "struck"),
        ("Rioters looted shops.", "Rioters"),
        ("Heavy fighting was reported in the district.", "fighting"),
    ],
)
def test_conflict_senses_pass(text: str, word: str) -> None:
    assert problem(text, word) == ""


def test_labour_strike_is_a_protest_not_an_air_strike() -> None:
    t = "Teachers began a strike over unpaid salaries."
    assert refined(t, "strike", E, "Air/drone strike") == ("Protests", "Peaceful protest")
    t = "A strike on the depot killed four militants."
    assert refined(t, "strike", E, "Air/drone strike") == (E, "Air/drone strike")


@pytest.mark.parametrize(
    ("text", "word", "sub"),
    [
        (
            "Separatist forces fired 120mm mortars at the village; the attack hit a school.",
            "attack",
            "Shelling/artillery/missile attack",
        ),
        ("A ballistic missile strike hit the port.", "strike", "Shelling/artillery/missile attack"),
        ("Grad rockets struck the suburb.", "struck", "Shelling/artillery/missile attack"),
        ("A drone strike hit the convoy.", "strike", "Air/drone strike"),
        (
            "An explosion hit the market after a warplane dropped bombs.",
            "explosion",
            "Air/drone strike",
        ),
        ("An explosion at the bar was caused by a hand grenade.", "explosion", "Grenade"),
        ("The blast came from a roadside bomb.", "blast", "Remote explosive/landmine/IED"),
        (
            "Unexploded ordnance detonated in a field, and the blast wounded two boys.",
            "blast",
            "Remote explosive/landmine/IED",
        ),
        (
            "A suicide bomber blew himself up; the explosion killed six.",
            "explosion",
            "Suicide bomb",
        ),
    ],
)
def test_weapons_decide_the_explosion_type(text: str, word: str, sub: str) -> None:
    assert (
        refined(
            text,
            word,
            E,
            "Remote explosive/landmine/IED"
            if word != "strike" and word != "struck"
            else "Air/drone strike",
        )[1]
        == sub
    )


def test_defused_or_seized_explosives_are_disrupted_weapons_use() -> None:
    t = "Police found explosives in a car and the bomb squad defused the device."
    assert refined(t, "explosives", E, "Remote explosive/landmine/IED") == (
        "Strategic developments",
        "Disrupted weapons use",
    )
    t = "Two men died when the bomb they were planting exploded prematurely."
    assert refined(t, "bomb", E, "Remote explosive/landmine/IED")[1] == "Disrupted weapons use"


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Traders protested over taxes. Police fired tear gas to disperse them.",
            "Protest with intervention",
        ),
        (
            "Students protested on campus, and officers arrested ten protesters.",
            "Protest with intervention",
        ),
        (
            "Residents protested the evictions; police shot dead two protesters.",
            "Excessive force against protesters",
        ),
        ("Youths protested and barricaded roads with burning tyres.", "Violent demonstration"),
        (
            "The protest turned violent as marchers pelted officers with stones.",
            "Violent demonstration",
        ),
        ("Farmers protested outside the ministry.", "Peaceful protest"),
        ("Residents protested after a man was killed by a motorist.", "Peaceful protest"),
    ],
)
def test_what_happens_at_a_protest_decides_its_type(text: str, sub: str) -> None:
    word = "protest"
    assert refined(text, word, "Protests", "Peaceful protest")[1] == sub


def test_mob_violence() -> None:
    t = "A mob lynched a suspected thief at the market."
    assert refined(t, "lynched", "Violence against civilians", "Attack") == (
        "Riots",
        "Mob violence",
    )
    t = "Irate residents killed a man accused of theft."
    assert refined(t, "killed", "Violence against civilians", "Attack") == ("Riots", "Mob violence")
    t = "Rival supporters clashed outside the tallying centre."
    assert refined(t, "clashed", "Battles", "Armed clash") == ("Riots", "Mob violence")
    t = "Villagers were killed by gunmen."
    assert refined(t, "killed", "Violence against civilians", "Attack")[1] == "Attack"


def test_attacks_that_are_rapes_or_abductions() -> None:
    t = "Gunmen attacked the farm and raped two women."
    assert refined(t, "attacked", "Battles", "Armed clash")[1] == "Sexual violence"
    t = "Militants attacked a bus and abducted five passengers."
    assert refined(t, "attacked", "Battles", "Armed clash")[1] == "Abduction/forced disappearance"


def test_raid_with_arrests_is_arrests_and_harm_makes_an_attack() -> None:
    t = "Police raided a house and arrested four suspects."
    assert refined(t, "raided", "Battles", "Armed clash") == ("Strategic developments", "Arrests")
    t = "Police raided a house and killed two suspects."
    assert refined(t, "raided", "Battles", "Armed clash") == ("Battles", "Armed clash")
    t = "Raiders torched homes and killed a herder."
    assert refined(t, "torched", "Strategic developments", "Looting/property destruction") == (
        "Violence against civilians",
        "Attack",
    )
    t = "Raiders torched ten homes; nobody was hurt."
    assert refined(t, "torched", "Strategic developments", "Looting/property destruction")[1] == (
        "Looting/property destruction"
    )


def test_territory_without_fighting_and_actor_notes() -> None:
    t = "The group took control of the town without a fight."
    s = refined_sub_event(
        t, *_span(t, "took control of"), "Battles", "Non-state actor overtakes territory"
    )
    assert s.sub_event_type == "Non-violent transfer of territory"
    t = "Rebels attacked the army base."
    s = refined_sub_event(t, *_span(t, "attacked"), "Battles", "Armed clash")
    assert s.sub_event_type == "Armed clash" and "actors decide" in s.evidence


def test_actor_split() -> None:
    s = Sense("Battles", "Armed clash", "x")
    assert actor_split(s, actor1_state=None, actor2_civilian=True) == Sense(
        "Violence against civilians", "Attack", "x"
    )
    s = Sense("Battles", "Non-state actor overtakes territory")
    assert actor_split(s, actor1_state=True, actor2_civilian=None).sub_event_type == (
        "Government regains territory"
    )
    s = Sense("Protests", "Peaceful protest")
    assert actor_split(s, actor1_state=True, actor2_civilian=True) is s


@pytest.mark.parametrize(
    ("text", "word", "no_event"),
    [
        ("Shares rallied 3 per cent on Monday.", "rallied", True),
        ("The party rallied behind its leader.", "rallied", True),
        ("The dollar rally continued.", "rally", True),
        ("Traders held a rally in the town.", "rally", False),
        ("Teachers rallied outside parliament over pay.", "rallied", False),
    ],
)
def test_rally_senses(text: str, word: str, no_event: bool) -> None:
    assert bool(problem(text, word)) is no_event


def test_a_mob_at_a_rally_stays_mob_violence() -> None:
    t = "A mob threw stones at the candidate during his campaign rally."
    assert refined(t, "mob", "Riots", "Mob violence") == ("Riots", "Mob violence")


def test_a_weapon_in_a_relative_clause_or_a_later_sentence_is_another_events() -> None:
    from geo_events.text.trigger_senses import refined_sub_event

    t = "Jets carried out strikes on rebel positions, which shelled the town overnight."
    i = t.index("strikes")
    sense = refined_sub_event(t, i, i + 7, "Explosions/Remote violence", "Air/drone strike")
    assert sense.sub_event_type == "Air/drone strike"
    t = "Jets carried out strikes on the rebels. The rebels shelled the town."
    i = t.index("strikes")
    sense = refined_sub_event(t, i, i + 7, "Explosions/Remote violence", "Air/drone strike")
    assert sense.sub_event_type == "Air/drone strike"
