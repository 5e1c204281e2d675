from __future__ import annotations

import pytest

from geo_events.errors import InputError
from geo_events.text.actors import ActorMatcher, normalize_alias
from geo_events.text.lexicons import Lexicons, load_actor_entries

DEMONYMS = {"syrian": "SY", "russian": "RU", "turkish": "TR", "american": "US"}
COUNTRIES = {"syria": "SY", "russia": "RU", "turkey": "TR", "united states": "US"}


@pytest.fixture(scope="module")
def matcher() -> ActorMatcher:
    return ActorMatcher(Lexicons.default().actors, demonyms=DEMONYMS, countries=COUNTRIES)


def names(matcher: ActorMatcher, text: str) -> list[str]:
    return [e.canonical for e in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Russian warplanes hit the town.", "Military Forces of Russia"),
        ("the Russian Aerospace Forces said", "Military Forces of Russia"),
        ("Russian aircraft were seen", "Military Forces of Russia"),
        ("fighters of the Syrian Democratic Forces", "SDF: Syrian Democratic Forces"),
        ("the SDF advanced", "SDF: Syrian Democratic Forces"),
        ("US-backed Syrian militias said", "SDF: Syrian Democratic Forces"),
        ("Islamic State claimed it", "Islamic State"),
        ("IS fighters", "Islamic State"),
        ("ISIL and", "Islamic State"),
        ("Daesh cells", "Islamic State"),
    ],
)
def test_aliases_map_to_acled_names(matcher, text, canonical):
    assert names(matcher, text) == [canonical]


def test_short_capitals_aliases_match_only_in_capitals(matcher):
    assert names(matcher, "This is what it is.") == []
    assert names(matcher, "the sdf said") == []
    assert names(matcher, "the IS group") == ["Islamic State"]


def test_longest_alias_wins_and_spans_are_offsets(matcher):
    text = "Reports said US-backed Syrian militias were hit."
    (match,) = matcher.find(text)
    assert text[match.start : match.end] == "US-backed Syrian militias"
    assert match.text == "US-backed Syrian militias"


def test_fallback_demonym_and_force_noun(matcher):
    assert names(matcher, "Turkish drones struck") == ["Military Forces of Turkey"]
    assert names(matcher, "Syrian government forces advanced") == ["Military Forces of Syria"]
    assert names(matcher, "American troops left") == ["Military Forces of the United States"]
    (m,) = matcher.find("Turkish drones struck")
    assert m.fallback


def test_fallback_needs_a_capitalised_demonym_and_a_force_noun(matcher):
    assert names(matcher, "turkish drones") == []
    assert names(matcher, "Syrian opposition units") == []
    assert names(matcher, "Syrian refugees") == []


def test_country_possessive_source_fallback_speaks_for_its_forces(matcher):
    (m,) = matcher.find("Turkey's defence ministry said")
    assert m.kind == "source"
    assert m.canonical == "Ministry of Defence of Turkey"
    assert m.affiliation == "Military Forces of Turkey"


def test_curly_apostrophe_matches_straight_alias(matcher):
    (m,) = matcher.find("Russia\u2019s defense ministry denied it")
    assert m.canonical == "Ministry of Defence of Russia"
    assert m.affiliation == "Military Forces of Russia"


def test_country_actor(matcher):
    assert matcher.country_actor("Russia") == "Military Forces of Russia"
    assert matcher.country_actor("Atlantis") is None


def test_without_demonym_tables_only_the_dictionary_matches():
    bare = ActorMatcher(Lexicons.default().actors)
    assert [e.canonical for e in bare.find("Turkish drones and Daesh")] == ["Islamic State"]


def test_user_dictionary_extends_the_packaged_one(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "canonical,alias,kind,affiliation\n# a comment\nWagner Group,Wagner mercenaries,actor,\n",
        encoding="utf-8",
    )
    lex = Lexicons.from_files(actors=path)
    m = ActorMatcher(lex.actors)
    assert [e.canonical for e in m.find("Wagner mercenaries and Daesh")] == [
        "Wagner Group",
        "Islamic State",
    ]
    only = ActorMatcher(Lexicons.from_files(actors=path, replace=True).actors)
    assert [e.canonical for e in only.find("Wagner mercenaries and Daesh")] == ["Wagner Group"]


def test_bad_dictionary_names_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("canonical,alias,kind\nA,,actor\nB,b,villain\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_actor_entries(path)
    assert "row 2" in str(info.value) and "row 3" in str(info.value)
    missing = tmp_path / "nohead.csv"
    missing.write_text("name,alias\nA,a\n", encoding="utf-8")
    with pytest.raises(InputError, match="canonical"):
        load_actor_entries(missing)
    with pytest.raises(InputError, match="does not exist"):
        load_actor_entries(tmp_path / "absent.csv")


def test_normalize_alias():
    assert normalize_alias("Russia\u2019s  Aerospace-Forces") == "russia's aerospace forces"
