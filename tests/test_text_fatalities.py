"""Fatalities counted as ACLED counts them, on short sentences written for these tests."""

from __future__ import annotations

import pytest

from geo_events.text.fatalities import fatalities_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a subset named with "including" is not added
        ("Ten civilians including three children were killed in the raid.", 10),
        ("Gunmen opened fire, killing 10 people, 3 of them children.", 10),
        ("at least five people were shot dead near the market", 5),
        ("1 soldier was killed at the checkpoint.", 1),
        # one person named with an article
        ("a man was killed in the village", 1),
        ("a woman was shot dead by unknown attackers", 1),
        ("the body of a man was found in a river", 1),
        ("Militants ambushed a patrol, killing a police officer.", 1),
        ("A 12-year-old boy was killed by a stray bullet.", 1),
        # coordinated groups are summed
        ("a man and his 12-year-old son were killed by raiders", 2),
        ("two police officers and a civilian were killed in the blast", 3),
        ("4 militants were killed and 2 soldiers died in the fighting", 6),
        ("Four guards and one driver killed, two guards missing.", 5),
        # the injured, arrested, missing are no deaths
        ("The attackers killed 4 and injured 10.", 4),
        ("Nine officers injured and one police officer killed in the explosion.", 1),
        ("5 people were wounded and 3 arrested.", None),
        ("At least 4 militants were killed in an air strike.", 4),
        # a stated toll replaces the running sum
        ("Two people were killed on Monday. The death toll later rose to six.", 6),
        # death in every voice and tense
        ("A man was shot and later died of his wounds.", 1),
        ("A soldier succumbed to injuries in hospital.", 1),
        ("Two suspected thieves were lynched by a mob.", 2),
        ("A trader was beaten to death by a crowd.", 1),
        ("Attackers hacked to death an elderly farmer.", 1),
        ("Three people were burnt to death in their house.", 3),
        ("The rebels stormed the town, killing 4.", 4),
        ("The militia has killed 7 civilians this year.", 7),
        ("Mob kills suspected thief", 1),
        ("Gunmen gunned down two traders at the market.", 2),
        ("A teacher was murdered in his home.", 1),
        ("Soldiers executed five prisoners.", 5),
        ("The bodies of 3 men were found by a road.", 3),
        ("An attack on the camp left 3 dead.", 3),
        # calibres, money, vehicles, ages, dates are no counts
        ("Forces fired 120mm mortars; 2 soldiers were killed.", 2),
        ("The raid cost Sh5.2 billion and killed 2 guards.", 2),
        ("Police seized 10 vehicles and killed 2 suspects.", 2),
        ("A man armed with an AK-47 was shot dead.", 1),
        ("On 12 April 2019, a herder was killed.", 1),
        # a restatement refers back
        ("Police killed 3 robbers. The three were wanted for murder.", 3),
        ("A priest was murdered. His body was found a week later.", 1),
        # the perpetrator's past deeds are not this event's dead
        ("A man accused of killing 5 people was arrested.", None),
        # another report's figure: the lowest
        ("A soldier was killed in the ambush. The militants claim eight dead.", 1),
        # no death stated
        ("There were no casualties.", 0),
        ("No one was killed.", 0),
        ("No fatalities reported.", 0),
        ("no deaths", 0),
        ("Between 6 and 10 casualties.", None),
        ("Jets struck the town.", None),
        # an age is no count: the group is one person
        ("Six year old boy killed near the well.", 1),
        ("A 45 year-old farmer was shot dead.", 1),
        ("Raiders killed a 9 yrs old girl.", 1),
        ("Gunmen fired on the bus, killing a 30 years old driver.", 1),
        # an attempt or a threat is no death
        ("Villagers tried to lynch a suspected thief.", None),
        ("The gang threatened to kill two witnesses.", None),
        # a group ends where a death phrase starts
        ("3 shot dead by soldiers at the checkpoint.", 3),
        # "dead" before a noun is an adjective
        ("Three dead bodies were found in a ditch.", 3),
        ("The body of a dead fisherman was found on the shore.", 1),
        # an apposition or a name after a comma is no second victim
        ("A suspected smuggler, said to be a foreigner, was killed by guards.", 1),
        ("A teacher, John Smith, was killed and his body was burnt.", 1),
        # a pronoun object: one ("him", "her"), or the group it refers back to ("them")
        ("Unknown men beat the watchman and killed him.", 1),
        ("The crowd caught a suspect and lynched her.", 1),
        ("Bandits abducted three herders and later killed them.", 3),
        # a suspect's relative clause closed by a comma: the subject is before "who"
        ("A 30-year-old robber, who had escaped from prison, was killed by police.", 1),
        # a death that caused the event is no victim of it
        ("Traders protested the killing of a colleague by police.", None),
        ("Students rioted after a classmate was killed by a driver.", None),
        ("Youths demonstrated demanding justice for a boy killed by a guard.", None),
        ("Police fired on protesters, killing two.", 2),
        ("Protesters marched after police shot dead 3 people.", None),
        # "many" is ACLED's 10; a possessive's relation is one more victim
        ("Many rebels were killed in the offensive.", 10),
        ("Raiders hacked to death a farmer and his nephew.", 2),
        ("Bodyguard shot dead outside a bar.", 1),
    ],
)
def test_fatalities_follow_acled_counting(text: str, expected: int | None) -> None:
    assert fatalities_in(text) == expected


def test_word_lists_are_data_files_with_comment_headers() -> None:
    from geo_events.text import fatalities

    lex = fatalities._lexicon()
    assert lex.numbers[("dozens",)] == 12
    assert lex.nouns["civilians"] == "plural"
    assert lex.verbs[("shot", "dead")] == "transitive"
