from __future__ import annotations

import re

import pytest

from geo_events.gazetteer import Gazetteer, PlaceRecord
from geo_events.text.geoparse import geoparse
from geo_events.text.lexicons import Lexicons
from geo_events.text.toponyms import Mention, find_mentions, fold_text

PLACES = [
    # geonameid, name, lat, lon, class, code, cc, admin1, population, alternate names
    (163843, "Syria", 35.0, 38.0, "A", "PCLI", "SY", "", 22_000_000, ("Syrian Arab Republic",)),
    (2017370, "Russia", 60.0, 100.0, "A", "PCLI", "RU", "", 144_000_000, ()),
    (6252001, "United States", 39.76, -98.5, "A", "PCLI", "US", "", 327_000_000, ("US", "USA")),
    (3017382, "France", 46.0, 2.0, "A", "PCLI", "FR", "", 67_000_000, ()),
    (170794, "Deir ez-Zor", 35.336, 40.141, "P", "PPLA", "SY", "07", 271_800, ("Dayr az Zawr",)),
    (170063, "Aleppo", 36.202, 37.159, "P", "PPLA", "SY", "09", 1_602_264, ()),
    (2990440, "Nice", 43.703, 7.266, "P", "PPLA2", "FR", "93", 342_669, ()),
    (3190261, "Split", 43.508, 16.440, "P", "PPLA", "HR", "15", 149_830, ()),
    (3070291, "Most", 50.503, 13.636, "P", "PPLA2", "CZ", "78", 63_474, ()),
    (741240, "Of", 40.945, 40.264, "P", "PPLA2", "TR", "61", 31_951, ()),
    (4431410, "Jackson", 32.299, -90.185, "P", "PPLA", "US", "MS", 172_638, ()),
    (4436296, "Mississippi", 32.750, -89.750, "A", "ADM1", "US", "MS", 2_900_000, ()),
    (4140963, "Washington", 38.895, -77.036, "P", "PPLC", "US", "DC", 700_000, ()),
    (5128581, "New York City", 40.714, -74.006, "P", "PPL", "US", "NY", 8_000_000, ("New York",)),
    (4076598, "Mobile", 30.694, -88.043, "P", "PPLA2", "US", "AL", 183_289, ()),
    (4829764, "Alabama", 32.750, -86.750, "A", "ADM1", "US", "AL", 4_800_000, ()),
    (6167865, "Toronto", 43.701, -79.416, "P", "PPLA", "CA", "08", 2_600_000, ()),
    (1168579, "Pakistan", 30.0, 70.0, "A", "PCLI", "PK", "", 212_000_000, ()),
    (4297999, "Kelly", 37.9, -84.1, "P", "PPL", "US", "KY", 1_200, ()),
    (170001, "Eastern Ghouta", 33.55, 36.4, "L", "RGN", "SY", "", 0, ("Ghouta",)),
]


@pytest.fixture(scope="module")
def small_gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    records = [
        PlaceRecord(gid, name, lat, lon, fc, code, cc, a1, "", pop, alts, "test")
        for gid, name, lat, lon, fc, code, cc, a1, pop, alts in PLACES
    ]
    demonyms = {"syrian": "SY", "russian": "RU", "american": "US", "french": "FR"}
    return Gazetteer.from_records(records, tmp_path_factory.mktemp("small-gaz"), demonyms=demonyms)


def names(text: str, gaz: Gazetteer, **kw) -> list[str]:
    return [m.text for m in find_mentions(text, gaz, **kw)]


def test_offsets_point_into_the_text(small_gaz):
    text = "Shelling hit Aleppo and Deir ez-Zor on Tuesday."
    mentions = find_mentions(text, small_gaz)
    assert [m.text for m in mentions] == ["Aleppo", "Deir ez-Zor"]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_longest_match_and_spelling_variants(small_gaz):
    assert names("Jets struck Deir ez-Zor.", small_gaz) == ["Deir ez-Zor"]
    assert names("Jets struck Deir Ezzor.", small_gaz) == ["Deir Ezzor"]
    assert names("Fighting near Dayr az Zawr went on.", small_gaz) == ["Dayr az Zawr"]


def test_capitalisation_is_required(small_gaz):
    assert names("the split was nice and most of it was mobile", small_gaz) == []


def test_common_words_that_are_places(small_gaz):
    assert names("Most people said on Monday that Of course was a joke.", small_gaz) == []
    # mid-sentence, or with a hierarchy cue, they are places
    assert names("Ferries leave for Split daily; Mobile, Alabama, waits.", small_gaz) == [
        "Split",
        "Mobile",
        "Alabama",
    ]
    assert names("Nice, France, was calm.", small_gaz) == ["Nice", "France"]


def test_lowercase_elsewhere_marks_a_common_word(small_gaz):
    text = "The split in the party grew. Later the Split faction left."
    assert "Split" not in names(text, small_gaz)


def test_demonyms_are_context_not_mentions(small_gaz):
    text = "Syrian forces and Russian jets struck targets."
    assert names(text, small_gaz) == []
    mentions = find_mentions(text, small_gaz, demonyms=True)
    assert [(m.text, m.role) for m in mentions] == [("Syrian", "modifier"), ("Russian", "modifier")]


def test_organisations_are_not_places(small_gaz):
    text = "The Syrian Democratic Forces and the Free Syrian Army fought the Islamic State and IS cells."
    assert names(text, small_gaz) == []


def test_is_the_verb_is_not_blocked_as_the_group(small_gaz):
    text = "It is quiet in Aleppo."
    assert names(text, small_gaz) == ["Aleppo"]


def test_actors_keep_their_span_with_role(small_gaz):
    text = "Russia's defense ministry said US special ops forces and US-backed fighters left Syria."
    got = [(m.text, m.role) for m in find_mentions(text.replace("'", "’"), small_gaz)]
    assert got == [("Russia", "actor"), ("US", "actor"), ("US", "actor"), ("Syria", "place")]


def test_person_names_are_not_places(small_gaz):
    text = "President Jackson met George Washington at noon. Later, Washington said no."
    assert names(text, small_gaz) == []
    assert names("He flew to Jackson, Mississippi, with aides.", small_gaz) == [
        "Jackson",
        "Mississippi",
    ]


def test_proper_name_glued_to_a_place_is_not_a_place(small_gaz):
    assert names("He read the Washington Post in bed.", small_gaz) == []


def test_short_capitals_need_a_country_reading(small_gaz):
    assert names("US troops left. OF course.", small_gaz) == ["US"]


def test_unknown_village_is_recognised_from_its_cue(small_gaz):
    mentions = find_mentions("Jets hit the Syrian town of Khasham at dawn.", small_gaz)
    assert [(m.text, m.role) for m in mentions] == [("Khasham", "unknown")]


def test_user_stopwords_extend_the_list(small_gaz, tmp_path):
    extra = tmp_path / "stop.csv"
    extra.write_text("# mine\nword,policy\naleppo,always\n", encoding="utf-8")
    lex = Lexicons.from_files(stopwords=[extra])
    assert names("Shelling hit Aleppo.", small_gaz, lexicons=lex) == []
    assert names("Shelling hit Aleppo.", small_gaz) == ["Aleppo"]


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "\x00\x01\x02 binary \xff\xfe", "no places at all here, only words.",
     "Москва и Дамаск", "ß" * 50 + " Aleppo", "A" * 5000],
)  # fmt: skip
def test_odd_input_does_not_crash(small_gaz, text):
    for m in find_mentions(text, small_gaz):
        assert text[m.start : m.end] == m.text


def test_large_text(small_gaz):
    text = "Shelling hit Aleppo and Deir ez-Zor on Tuesday. " * 100_000  # ~5 MB
    mentions = find_mentions(text, small_gaz)
    assert len(mentions) == 200_000


def test_fold_text_keeps_length():
    text = "Straße İstanbul ǅ"
    assert len(fold_text(text)) == len(text)


def test_mention_is_frozen():
    m = Mention(0, 5, "Syria")
    assert m.role == "place"
    with pytest.raises(AttributeError):
        m.start = 3  # type: ignore[misc]


@pytest.mark.slow
def test_seed_phenomena_with_the_default_gazetteer(gazetteer):
    text = (
        "Russia denies strikes near Deir Ezzor\n\n"
        "Russia’s defense ministry denied that Russian aircraft struck the Syrian Democratic "
        "Forces near Deir ez-Zor, eastern Syria, on Monday. The Islamic State and IS fighters "
        "shelled Syrian forces. US special ops forces and the US Armed Forces said nothing."
    )
    got = [(m.text, m.role) for m in find_mentions(text, gazetteer)]
    texts = [t for t, _ in got]
    assert "Deir Ezzor" in texts and "Deir ez-Zor" in texts
    assert ("Russia", "actor") in got
    assert all(t not in texts for t in ("Monday", "Syrian", "IS", "Islamic State", "Russian"))
    assert [r for t, r in got if t == "US"] == ["actor", "actor"]


def test_ner_backend_adds_names_the_gazetteer_lacks(small_gaz):
    text = "Jets hit Khasham and Aleppo; the Syrian Democratic Forces left."

    def fake_ner(t: str) -> list[Mention]:
        spans = [
            (t.index("Khasham"), t.index("Khasham") + 7),
            (t.index("Aleppo"), t.index("Aleppo") + 6),
        ]
        spans.append((t.index("Syrian"), t.index("Syrian") + 24))  # an organisation: filtered
        spans.append((0, 10_000))  # out of range: ignored
        return [Mention(s, e, t[s:e]) for s, e in spans]

    got = [m.text for m in find_mentions(text, small_gaz, backend=fake_ner)]
    assert got == ["Khasham", "Aleppo"]


def test_spacy_backend_says_what_is_missing():
    from geo_events.errors import ExtractionError
    from geo_events.text.ner import spacy_backend

    try:
        import spacy  # noqa: F401
    except ImportError:
        with pytest.raises(ExtractionError, match="pip install spacy"):
            spacy_backend()
    else:  # spaCy present: a model name that cannot exist
        with pytest.raises(ExtractionError, match="not installed"):
            spacy_backend("no_such_model_xyz")


def test_a_place_in_a_compound_name_stays_a_place_elsewhere(small_gaz):
    # "Toronto Transit Commission" is a name, but it does not make Toronto a person
    text = "The Toronto Transit Commission met today. Buses in Toronto were running rather late."
    mentions = find_mentions(text, small_gaz)
    assert [(m.text, m.start) for m in mentions] == [("Toronto", text.rindex("Toronto"))]


def test_surname_evidence_still_spreads_through_the_text(small_gaz):
    text = "Reporters met Ann Kelly at noon. Later, Kelly left for Aleppo."
    assert names(text, small_gaz) == ["Aleppo"]


def test_a_place_before_a_title_is_a_place(small_gaz):
    assert names("Aleppo Governor Hassan spoke on the radio.", small_gaz) == ["Aleppo"]


def test_a_big_city_that_speaks_is_a_metonym(small_gaz):
    assert names("After the vote, Toronto said it would appeal.", small_gaz) == ["Toronto"]
    # a small place name before "said" is a surname
    assert names("After the vote, Kelly said she would appeal.", small_gaz) == []


def test_eu_is_a_place_name(small_gaz, gazetteer):
    assert names("The EU and France signed the deal.", small_gaz) == ["EU", "France"]
    # the default gazetteer knows the union (curated supplement); it is no organisation
    text = "Talks with the European Union went on in Nice; the EU said little."
    assert names(text, gazetteer) == ["European Union", "Nice", "EU"]
    resolved = {r.text: r.candidate for r in geoparse(text, gazetteer)}
    assert resolved["EU"].name == resolved["European Union"].name == "European Union"


def test_a_lower_case_direction_is_not_part_of_the_name(small_gaz):
    mentions = find_mentions("Jets struck eastern Ghouta again.", small_gaz)
    assert [m.text for m in mentions] == ["Ghouta"]
    assert names("Jets struck Eastern Ghouta again.", small_gaz) == ["Eastern Ghouta"]


def test_a_sentence_initial_common_word_does_not_make_a_person(small_gaz):
    text = "Though Aleppo was calm, fighting went on even though talks began."
    assert names(text, small_gaz) == ["Aleppo"]
    # a first name at a sentence start still does
    assert names("George Washington slept here.", small_gaz) == []


def test_a_national_army_makes_its_country_an_actor(small_gaz):
    got = [(m.text, m.role) for m in find_mentions("Pakistan Army engineers built it.", small_gaz)]
    assert got == [("Pakistan", "actor")]


@pytest.mark.parametrize(
    "text",
    [
        "Jets struck al-Bab and ash-Shaddadi near Al-Tabiya (as-Safira) on Monday.",
        "ÉTAT é élan Été İstanbul ǅungla Ⅻ ²Ab x’Abc ’Abc",
        "ad-as-Zor a-Éx ul-Ñ rebel-held Deir ez-Zor, north-east Syria",
        "",
    ],
)
def test_word_starts_are_those_of_the_reference_pattern(text: str) -> None:
    from geo_events.text.toponyms import _PARTICLE_RE, _word_starts

    # the specification: a word not starting lower case, or an article before a capital
    reference = re.compile(rf"(?<![\w'’-])(?:[^\W\d_a-z]|(?:{_PARTICLE_RE})-(?=[^\W\d_a-z]))")
    expected = [(m.start(), "-" in m.group(0)) for m in reference.finditer(text)]
    assert _word_starts(text) == expected


def test_a_multi_word_abbreviation_is_refused_with_the_fix(tmp_path):
    from geo_events.errors import ValidationError

    extra = tmp_path / "abbreviations.csv"
    extra.write_text("abbreviation,name,country\nDR Congo,Democratic Republic of the Congo,\n")
    with pytest.raises(ValidationError, match=r"one word at a time.*alternate name"):
        Lexicons.from_files(abbreviations=[extra])
    extra.write_text("abbreviation,name,country\nDRC,Democratic Republic of the Congo,\n")
    assert (
        Lexicons.from_files(abbreviations=[extra]).abbreviations["DRC"][0].startswith("Democratic")
    )


def test_lone_surrogates_keep_the_offsets(small_gaz):
    text = "Strikes hit Aleppo\ud800 and Deir ez-Zor\udcff."
    found = find_mentions(text, small_gaz)
    assert [m.text for m in found] == ["Aleppo", "Deir ez-Zor"]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert [r.text for r in geoparse(text, small_gaz)] == ["Aleppo", "Deir ez-Zor"]


@pytest.mark.timeout(60)
def test_a_long_run_without_spaces_is_read_in_linear_time(small_gaz):
    found = find_mentions("<p>Aleppo</p>" * 20_000, small_gaz)
    assert found and all(m.text == "Aleppo" for m in found)
