from __future__ import annotations

import pytest

from geo_events.gazetteer import Gazetteer, Kind, PlaceRecord
from geo_events.text.geoparse import geoparse
from geo_events.text.resolution import ResolvedMention, resolve_mentions
from geo_events.text.toponyms import Mention, find_mentions

# geonameid, name, lat, lon, class, code, cc, admin1, admin2, population, alternate names
PLACES = [
    (163843, "Syria", 35.0, 38.0, "A", "PCLI", "SY", "", "", 22_000_000, ()),
    (6252001, "United States", 39.76, -98.5, "A", "PCLI", "US", "", "", 327_000_000, ("US",)),
    (6251999, "Canada", 60.0, -95.0, "A", "PCLI", "CA", "", "", 37_000_000, ()),
    (3017382, "France", 46.0, 2.0, "A", "PCLI", "FR", "", "", 67_000_000, ()),
    (170792, "Dayr az Zawr", 35.0, 40.5, "A", "ADM1", "SY", "07", "", 0, ("Deir ez-Zor",)),
    (170794, "Deir ez-Zor", 35.336, 40.141, "P", "PPLA", "SY", "07", "", 271_800, ()),
    (2988507, "Paris", 48.853, 2.349, "P", "PPLC", "FR", "11", "", 2_138_551, ()),
    (4717560, "Paris", 33.661, -95.556, "P", "PPLA2", "US", "TX", "", 24_782, ()),
    (4736286, "Texas", 31.254, -99.250, "A", "ADM1", "US", "TX", "", 29_000_000, ()),
    (6058560, "London", 42.984, -81.233, "P", "PPL", "CA", "08", "", 346_765, ()),
    (2643743, "London", 51.509, -0.126, "P", "PPLC", "GB", "ENG", "", 8_961_989, ()),
    (6093943, "Ontario", 49.250, -84.500, "A", "ADM1", "CA", "08", "", 13_000_000, ()),
    (4314550, "Alexandria", 31.311, -92.445, "P", "PPLA2", "US", "LA", "", 47_723, ()),
    (361058, "Alexandria", 31.198, 29.919, "P", "PPLA", "EG", "06", "", 3_811_516, ()),
    (4331987, "Louisiana", 31.0, -92.0, "A", "ADM1", "US", "LA", "", 4_600_000, ()),
    (4398678, "Missouri", 38.25, -92.5, "A", "ADM1", "US", "MO", "", 6_100_000, ()),
    (5332921, "California", 37.25, -119.75, "A", "ADM1", "US", "CA", "", 39_000_000, ()),
    (4381072, "California", 38.628, -92.567, "P", "PPL", "US", "MO", "", 4_400, ()),
    (4393217, "Kansas City", 39.1, -94.58, "P", "PPL", "US", "MO", "", 508_000, ()),
    (4409896, "Springfield", 37.215, -93.298, "P", "PPL", "US", "MO", "", 169_000, ()),
    (4250542, "Springfield", 39.802, -89.644, "P", "PPLA", "US", "IL", "", 114_000, ()),
    (4896861, "Illinois", 40.0, -89.0, "A", "ADM1", "US", "IL", "", 12_800_000, ()),
    (4509177, "Columbus", 39.961, -82.999, "P", "PPLA", "US", "OH", "", 900_000, ("Franklinton",)),
    (9999003, "Franklinton", 30.847, -90.155, "P", "PPL", "US", "LA", "", 10_000, ()),
    (5379439, "Ontario", 34.063, -117.651, "P", "PPL", "US", "CA", "", 175_000, ()),
    (5883102, "Alberta", 52.28, -113.78, "A", "ADM1", "CA", "01", "", 4_000_000, ()),
    (6065171, "Manitoba", 55.0, -97.0, "A", "ADM1", "CA", "03", "", 1_300_000, ()),
    (5368361, "Los Angeles", 34.052, -118.244, "P", "PPLA2", "US", "CA", "", 3_900_000, ()),
    (99999001, "Tiny Hamlet", 10.0, 10.0, "P", "PPL", "NG", "", "", 0, ()),
    (4846834, "Atlantic", 41.403, -95.013, "P", "PPLA2", "US", "IA", "", 6_792, ()),
    (99999002, "Atlantic Ocean", 0.0, -25.0, "H", "OCN", "", "", "", 0, ("Atlantic",)),
]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    records = [
        PlaceRecord(gid, name, lat, lon, fc, code, cc, a1, a2, pop, alts, "test")
        for gid, name, lat, lon, fc, code, cc, a1, a2, pop, alts in PLACES
    ]
    demonyms = {
        "syrian": "SY",
        "american": "US",
        "canadian": "CA",
        "french": "FR",
        "egyptian": "EG",
    }
    return Gazetteer.from_records(records, tmp_path_factory.mktemp("res-gaz"), demonyms=demonyms)


def resolved(text: str, gaz: Gazetteer) -> dict[str, ResolvedMention]:
    return {r.text: r for r in geoparse(text, gaz)}


def test_population_decides_without_context(gaz):
    r = resolved("Tourists love Paris in spring.", gaz)["Paris"]
    assert r.candidate.geonameid == 2988507
    assert r.geo_precision == 1
    assert [c.geonameid for c in r.alternatives] == [4717560]
    assert 0 < r.confidence <= 1


def test_hierarchy_cue_country_and_state(gaz):
    r = resolved("A storm hit Paris, Texas, overnight.", gaz)["Paris"]
    assert r.candidate.geonameid == 4717560
    assert "as the text says" in r.reason
    r = resolved("Rain fell on London, Ontario, all week.", gaz)["London"]
    assert r.candidate.geonameid == 6058560


def test_article_country_from_demonyms(gaz):
    text = "American officials said a plant near Alexandria closed; American workers left."
    assert resolved(text, gaz)["Alexandria"].candidate.country_code == "US"
    text = "Egyptian officials said a plant near Alexandria closed."
    assert resolved(text, gaz)["Alexandria"].candidate.country_code == "EG"


def test_admin_word_prefers_the_province(gaz):
    r = resolved("Clashes spread across Deir ez-Zor province.", gaz)["Deir ez-Zor"]
    assert r.candidate.kind is Kind.ADMIN1
    assert r.geo_precision == 3
    r = resolved("Clashes in the city of Deir ez-Zor went on.", gaz)["Deir ez-Zor"]
    assert r.candidate.geonameid == 170794


def test_one_sense_per_discourse(gaz):
    text = "Paris, Texas, is small. Later that day Paris was calm."
    rs = [r for r in geoparse(text, gaz) if r.text == "Paris"]
    assert {r.candidate.geonameid for r in rs} == {4717560}


def test_unknown_village_falls_back_to_the_named_province(gaz):
    text = "Jets hit the village of Khasham in Deir ez-Zor province."
    r = resolved(text, gaz)["Khasham"]
    assert r.role == "unknown"
    assert r.candidate.geonameid == 170792
    assert r.geo_precision == 3
    assert "not in the gazetteer" in r.reason


def test_unknown_village_falls_back_to_the_country(gaz):
    r = resolved("Jets hit the Syrian town of Khasham at dawn.", gaz)["Khasham"]
    assert r.candidate.geonameid == 163843
    assert r.geo_precision == 3


def test_unknown_street_falls_back_to_the_place_the_article_is_about(gaz):
    text = (
        "Flooding closed Elm Harbour Street in Alexandria, Louisiana. "
        "Alexandria officials said the water in Alexandria would recede."
    )
    start = text.index("Elm Harbour Street")
    mentions = [*find_mentions(text, gaz), Mention(start, start + 18, "Elm Harbour Street")]
    street = resolve_mentions(text, mentions, gaz)[-1]
    assert street.candidate.geonameid == 4314550
    assert street.geo_precision == 2
    assert street.confidence < 0.3
    assert "mostly about" in street.reason
    # with no place to lean on, the NULL choice stays
    alone = resolve_mentions("Elm Harbour Street.", [Mention(0, 18, "Elm Harbour Street")], gaz)
    assert alone[0].candidate is None


def test_a_region_of_no_country_outranks_a_small_town_named_like_it(gaz):
    # an American story: the US bonus does not turn the ocean into Atlantic, Iowa
    text = "American sailors crossed the Atlantic after leaving Alexandria, Louisiana."
    r = resolved(text, gaz)["Atlantic"]
    assert r.candidate.geonameid == 99999002
    # ... while the text can still say it means the town
    r = resolved("Storms hit the American town of Atlantic on Monday.", gaz)["Atlantic"]
    assert r.candidate.geonameid == 4846834


def test_a_list_of_provinces_is_not_a_hierarchy(gaz):
    # "Missouri, California" lists two states; California is not inside Missouri,
    # and the town of California near the middle of Missouri is not meant (a
    # province weighs by the people of its places: Los Angeles is in the list)
    text = "Cases rose in Louisiana, Missouri, California and Texas, US officials said."
    r = resolved(text, gaz)["California"]
    assert r.candidate.geonameid == 5332921
    assert "as the text says" not in r.reason
    # ... while the text can still nest a town in its state
    r = resolved("A tornado hit California, Missouri, on Monday.", gaz)["California"]
    assert r.candidate.geonameid == 4381072


def test_a_province_counts_the_places_inside_it(gaz):
    # alone, "Springfield" is Illinois' capital; the text is about Missouri
    assert (
        resolved("Flooding hit Springfield overnight.", gaz)["Springfield"].candidate.geonameid
        == 4250542
    )
    text = "Flooding hit Springfield overnight, Missouri officials said."
    r = resolved(text, gaz)["Springfield"]
    assert r.candidate.geonameid == 4409896
    assert "named in the text" in r.reason


def test_a_name_means_the_place_that_bears_it_not_one_that_once_did(gaz):
    r = resolved("Storms reached Franklinton overnight.", gaz)["Franklinton"]
    assert r.candidate.geonameid == 9999003
    assert [c.geonameid for c in r.alternatives] == [4509177]
    # ... even when the text also names the place that once bore it: Columbus
    # does not vouch for itself as "Franklinton"
    r = resolved("Columbus and Franklinton were flooded.", gaz)["Franklinton"]
    assert r.candidate.geonameid == 9999003


def test_the_focus_leans_to_the_country_the_article_is_about(gaz):
    # Paris and Alexandria are each named twice; the article is Egyptian, so an
    # unknown street goes to Alexandria, not to the Paris mentioned first
    text = "Paris and Alexandria were calm. Egyptian police said Corniche Road flooded in Paris and Alexandria."
    start = text.index("Corniche Road")
    mentions = [*find_mentions(text, gaz), Mention(start, start + 13, "Corniche Road")]
    road = resolve_mentions(text, mentions, gaz)[-1]
    assert road.candidate.geonameid == 361058
    assert "mostly about" in road.reason


def test_a_province_among_its_siblings(gaz):
    # the Californian city of Ontario is in a state the text names; but the text
    # lists Canadian provinces, and Ontario is one
    text = "Canadian officials said cases rose in Alberta, Manitoba and Ontario; California was spared."
    r = resolved(text, gaz)["Ontario"]
    assert r.candidate.geonameid == 6093943
    assert "other provinces of CA" in r.reason


def test_unknown_village_falls_back_to_the_country_the_article_is_about(gaz):
    text = "Syrian and Canadian officials met. Syria said Khasham was flooded."
    start = text.index("Khasham")
    out = resolve_mentions(
        text, [*find_mentions(text, gaz), Mention(start, start + 7, "Khasham")], gaz
    )
    village = out[-1]
    assert village.candidate.geonameid == 163843
    assert village.geo_precision == 3
    assert "mostly about" in village.reason


def test_null_choice_when_nothing_fits(gaz):
    text = "Nothing here."
    out = resolve_mentions(text, [Mention(0, 7, "Nothing")], gaz)
    assert out[0].candidate is None and out[0].confidence == 0.0 and out[0].geo_precision is None
    assert out[0].reason


def test_demonym_span_resolves_to_its_country(gaz):
    text = "Syrian forces advanced."
    out = resolve_mentions(text, [Mention(0, 6, "Syrian", "modifier")], gaz)
    assert out[0].candidate.geonameid == 163843
    assert out[0].role == "modifier"


def test_results_keep_the_callers_order(gaz):
    text = "Paris and Alexandria."
    mentions = [Mention(10, 20, "Alexandria"), Mention(0, 5, "Paris")]
    out = resolve_mentions(text, mentions, gaz)
    assert [r.text for r in out] == ["Alexandria", "Paris"]


def test_empty_inputs(gaz):
    assert resolve_mentions("", [], gaz) == []
    assert geoparse("", gaz) == []
    assert geoparse("   ", gaz) == []
    assert geoparse("\x00\xff" * 100, gaz) == []


@pytest.mark.slow
def test_seed_phenomena_with_the_default_gazetteer(gazetteer):
    text = (
        "BREAKING: Russia denies striking SDF militia in Deir Ezzor\n\n"
        "Russia’s defense ministry denied that Russian aircraft struck the Syrian Democratic "
        "Forces near Deir ez-Zor, official spokesman Igor Konashenkov said on Monday. "
        "Fighting went on in Deir ez-Zor, eastern Syria."
    )
    rs = geoparse(text, gazetteer)
    ids = {r.text: r.candidate.geonameid for r in rs if r.candidate}
    assert ids["Deir Ezzor"] == 170794
    assert ids["Deir ez-Zor"] == 170794
    # "eastern Syria" is one name when the supplement has the region, else "Syria" is
    syria = [r for r in rs if r.text in ("Syria", "eastern Syria")]
    assert len(syria) == 1 and syria[0].candidate.country_code == "SY"
    if syria[0].text == "Syria":
        assert syria[0].candidate.geonameid == 163843
    assert {r.text for r in rs} <= {"Russia", "Deir Ezzor", "Deir ez-Zor", "Syria", "eastern Syria"}
    assert [r.role for r in rs if r.text == "Russia"][-1] == "actor"
    assert all(text[r.start : r.end] == r.text for r in rs)
    assert find_mentions(text, gazetteer)  # the default gazetteer works without a build step
