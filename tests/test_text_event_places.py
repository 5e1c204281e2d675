"""Where an event is placed, and at which ACLED geo precision (short notes written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo_events.gazetteer import Gazetteer, PlaceRecord
from geo_events.text.article import Article
from geo_events.text.extract import Extractor
from geo_events.text.toponyms import find_mentions

# geonameid, name, lat, lon, class, code, cc, admin1, admin2, population, alternate names
PLACES = [
    (192950, "Kenya", 0.5, 37.9, "A", "PCLI", "KE", "", "", 50_000_000, ()),
    (51537, "Somalia", 6.0, 47.0, "A", "PCLI", "SO", "", "", 15_000_000, ()),
    (690791, "Ukraine", 49.0, 32.0, "A", "PCLI", "UA", "", "", 41_000_000, ()),
    (163843, "Syria", 35.0, 38.0, "A", "PCLI", "SY", "", "", 22_000_000, ()),
    (187585, "Mandera", 3.937, 41.867, "P", "PPLA", "KE", "24", "", 87_000, ()),
    (187586, "Mandera", 3.5, 40.9, "A", "ADM1", "KE", "24", "", 0, ("Mandera County",)),
    (187900, "Narok", -1.08, 35.87, "P", "PPLA", "KE", "25", "", 40_000, ()),
    (187901, "Narok", -1.5, 35.5, "A", "ADM1", "KE", "25", "", 0, ("Narok County",)),
    (187902, "Trans Mara District", -1.1, 34.6, "A", "ADM2", "KE", "25", "TM", 0, ("Trans Mara",)),
    (187903, "Kilgoris", -1.0, 34.88, "P", "PPL", "KE", "25", "TM", 20_000, ()),
    (184742, "Nairobi", -1.283, 36.817, "P", "PPLC", "KE", "30", "", 2_750_000, ()),
    (709716, "Donetska oblast", 48.0, 37.8, "A", "ADM1", "UA", "14", "", 0, ("Donetsk",)),
    (713174, "Avdiyivka", 48.139, 37.743, "P", "PPL", "UA", "14", "", 30_000, ("Avdiivka",)),
    (170792, "Dayr az Zawr", 35.0, 40.5, "A", "ADM1", "SY", "07", "", 0, ("Deir ez-Zor",)),
    (170794, "Deir ez-Zor", 35.336, 40.141, "P", "PPLA", "SY", "07", "", 271_800, ()),
    (2542007, "Morocco", 32.0, -6.0, "A", "PCLI", "MA", "", "", 36_000_000, ("Mar",)),
    (3347719, "Luena", -11.78, 19.92, "P", "PPL", "AO", "20", "", 21_000, ("Luo",)),
    (3161000, "Jubilee", 49.0, -122.0, "P", "PPL", "CA", "02", "", 1_000, ()),
]


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    records = [
        PlaceRecord(gid, name, lat, lon, fc, code, cc, a1, a2, pop, alts, "test")
        for gid, name, lat, lon, fc, code, cc, a1, a2, pop, alts in PLACES
    ]
    gaz = Gazetteer.from_records(
        records, tmp_path_factory.mktemp("event-places-gaz"), demonyms={"russian": "RU"}
    )
    return Extractor(gaz)


@pytest.fixture(scope="module")
def gaz(extractor: Extractor):
    return extractor.gazetteer


def places(text: str, gaz) -> list[str]:
    return [m.text for m in find_mentions(text, gaz) if m.role == "place"]


def placed(extractor: Extractor, text: str) -> tuple[str | None, int | None]:
    article = Article(id="t", title="", text=text, published=dt.date(2020, 1, 1))
    event = extractor.extract(article).events[0]
    return event.location, event.geo_precision


def test_a_town_in_the_region_the_sentence_names_is_the_place(extractor):
    text = "On 5 March 2023, Russian forces shelled Avdiivka in the Donetsk region, killing 2."
    assert placed(extractor, text) == ("Avdiivka", 1)


def test_a_finer_place_wins_over_the_country_of_the_sentence(extractor):
    text = "On 3 June 2018, gunmen attacked a bus in Somalia near Mandera."
    location, precision = placed(extractor, text)
    assert location == "Mandera" and precision == 2  # near it


def test_a_district_is_precision_2(extractor):
    text = "On 9 May 2019, a police officer shot dead a driver in Trans Mara, Narok County."
    assert placed(extractor, text) == ("Trans Mara", 2)


def test_a_town_in_its_county_is_precision_1(extractor):
    text = "On 9 May 2019, a police officer shot dead a driver in Kilgoris, Narok County."
    assert placed(extractor, text) == ("Kilgoris", 1)


def test_a_country_alone_is_precision_3(extractor):
    assert placed(extractor, "On 9 May 2019, police shot dead two men in Kenya.") == ("Kenya", 3)


def test_a_country_is_no_point_when_the_article_names_a_finer_place_in_it(extractor):
    text = "On 9 May 2019, police shot dead two men in Kenya. Both men came from Mandera."
    location, precision = placed(extractor, text)
    assert location == "Mandera" and precision == 2


def test_an_abbreviated_month_before_a_day_is_a_date(gaz):
    assert places("On Mar 11th 2019, workers protested in Mandera.", gaz) == ["Mandera"]


def test_a_name_before_a_group_or_organisation_noun_is_no_place(gaz):
    text = "Luo tribe members clashed with Jubilee Party supporters in Mandera."
    assert places(text, gaz) == ["Mandera"]


def test_a_country_people_come_from_is_not_where_the_event_is(extractor):
    text = "On 9 May 2019, militias from Somalia attacked herders in Mandera, killing 3."
    assert placed(extractor, text) == ("Mandera", 1)
    alone = "On 9 May 2019, militias from Somalia attacked herders, killing 3."
    assert placed(extractor, alone) == (None, None)  # not Somalia: no place is said
    # "in" still places an event in a country
    assert placed(extractor, "On 9 May 2019, militias attacked herders in Somalia.") == (
        "Somalia",
        3,
    )
