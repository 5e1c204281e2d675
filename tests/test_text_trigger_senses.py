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


P = ("Protests", "Peaceful protest")
VD = ("Riots", "Violent demonstration")
PWI = ("Protests", "Protest with intervention")


@pytest.mark.parametrize(
    ("text", "word", "want"),
    [
        # property the protesters burn or destroy, whatever it is, makes the protest violent
        ("Students burned a dormitory in protest over fees.", "protest", VD),
        ("Residents destroyed water pipes as they protested against a dam.", "protested", VD),
        ("The demonstration led to destruction of property on campus.", "demonstration", VD),
        ("Youths protested, hitting a guard with a stone.", "protested", VD),
        ("Traders protested and lit fires along the highway.", "protested", VD),
        # a road blocked, however it is named, is a violent demonstration (ACLED's usual coding)
        ("Drivers protested and blocked the busy Thika highway.", "protested", VD),
        # property destroyed *by others* is the grievance, not the protesters' violence
        ("Traders protested after their stalls were destroyed by county officers.", "protested", P),
        ("Villagers protested the burning of their homes.", "protested", P),
        ("Farmers protested over a road damaged by heavy rains.", "protested", P),
        # the report says the protest was peaceful: what it did not do is not evidence
        ("The peaceful rally was devoid of running battles.", "rally", P),
        ("Supporters protested in the town. No reports of violence or clashes.", "protested", P),
        ("A peaceful protest turned violent when youths barricaded roads.", "protest", VD),
        # storming an office is no violence by itself
        ("Parents stormed the school to protest the transfer of a teacher.", "protest", P),
        # a march (lower-case) is a protest word for the outcome rules; the month is not
        ("Women held a peace march. Police intervened with gas canisters.", "march", PWI),
        # an intervention: shots in the air, arrests reported, a protest stopped or barred
        ("Police fired their weapons into the air to scatter the protesters.", "protesters", PWI),
        ("Teachers protested over pay. Six arrests reported.", "protested", PWI),
        ("Several student protesters are arrested during the demonstration.", "demonstration", PWI),
        ("Police stopped a demonstration by traders in the town.", "demonstration", PWI),
        ("Activists were turned away by police when they tried to protest.", "protest", PWI),
    ],
)
def test_protest_outcomes(text: str, word: str, want: tuple[str, str]) -> None:
    assert refined(text, word, *P) == want


def test_the_month_of_march_is_no_protest_word() -> None:
    text = "On 8 March police shot and killed a teacher in the town."
    want = ("Violence against civilians", "Attack")
    assert refined(text, "shot and killed", *want) == want


def test_needs_prefilter_is_exact() -> None:
    """A rule whose literals are absent is skipped; the outcome is that of the regex alone."""
    from geo_events.text import trigger_senses as ts

    texts = [
        ("Students burned a dormitory in protest over fees.", "protest", *P),
        ("Police fired tear gas to disperse the MARCHERS.", "MARCHERS", *P),
        ("Rebels fired 120mm mortars at army positions.", "fired", E, "Air/drone strike"),
        ("A drone struck the convoy.", "struck", E, "Shelling/artillery/missile attack"),
        ("An IED killed two soldiers.", "IED", E, "Air/drone strike"),
        ("The crowd lynched a suspected thief.", "lynched", "Violence against civilians", "Attack"),
    ]
    with_filter = [refined(t, w, e, s) for t, w, e, s in texts]
    real = ts._wanted
    ts._wanted = lambda rule, folded: True
    try:
        without = [refined(t, w, e, s) for t, w, e, s in texts]
    finally:
        ts._wanted = real
    assert with_filter == without
    assert with_filter[2] == (E, "Shelling/artillery/missile attack")
    # re.I matches these to ASCII letters; the fold keeps the literal check exact
    assert ts._folded("\u0130NDEED \u017fTRIKE \u212aILLED") == "indeed strike killed"
    with pytest.raises(ValueError, match="not lower-case"):
        ts._needs("Protest|march", 9)
