"""Geoparsing short, regular event notes: the text's own places decide between readings.

The sentences are written for these tests (telegraphic, like coders' notes); the
gazetteer is a handful of made-up records with real-looking homonyms abroad.
"""

from __future__ import annotations

import pytest

from geo_events.gazetteer import Gazetteer, Kind, PlaceRecord
from geo_events.text import resolution
from geo_events.text._candidates import spelling_fits
from geo_events.text.geoparse import geoparse
from geo_events.text.resolution import ResolvedMention
from geo_events.text.toponyms import _ends_sentence, find_mentions

# geonameid, name, lat, lon, class, code, cc, admin1, admin2, population, alternate names
PLACES = [
    (192950, "Kenya", 0.5, 37.9, "A", "PCLI", "KE", "", "", 50_000_000, ()),
    (690791, "Ukraine", 49.0, 32.0, "A", "PCLI", "UA", "", "", 41_000_000, ()),
    (186301, "Mombasa", -4.055, 39.663, "P", "PPLA", "KE", "19", "", 800_000, ()),
    (186300, "Mombasa", -4.03, 39.62, "A", "ADM1", "KE", "19", "", 0, ("Mombasa County",)),
    (184742, "Nairobi", -1.283, 36.817, "P", "PPLC", "KE", "30", "", 2_750_000, ()),
    (184743, "Nairobi", -1.3, 36.85, "A", "ADM1", "KE", "30", "", 0, ("Nairobi County",)),
    (190000, "Kwale", 0.5, 35.0, "P", "PPL", "KE", "20", "", 10_000, ()),
    (2333000, "Kwale", 5.707, 6.434, "P", "PPLA2", "NG", "36", "", 90_000, ()),
    (2399831, "Lékoni", -1.584, 14.259, "P", "PPL", "GA", "02", "", 8_810, ()),
    (150000, "Pangani", -5.427, 38.977, "P", "PPL", "TZ", "27", "", 20_000, ()),
    (150001, "Pangani District", -5.4, 38.9, "A", "ADM2", "TZ", "27", "PG", 0, ("Pangani",)),
    (149590, "Tanzania", -6.0, 35.0, "A", "PCLI", "TZ", "", "", 60_000_000, ()),
    (232422, "Kampala", 0.316, 32.582, "P", "PPLC", "UG", "C", "", 1_350_000, ()),
    (4684888, "Dallas", 32.783, -96.807, "P", "PPLA2", "US", "TX", "", 1_300_000, ()),
    (5000000, "Milan", 42.08, -83.68, "P", "PPL", "US", "MI", "", 5_983, ("Farmers",)),
    (709717, "Donetsk", 48.023, 37.802, "P", "PPLA", "UA", "14", "", 988_000, ()),
    (709716, "Donetska oblast", 48.0, 37.8, "A", "ADM1", "UA", "14", "", 0, ("Donetsk",)),
    (713174, "Avdiyivka", 48.139, 37.743, "P", "PPL", "UA", "14", "", 30_000, ("Avdiivka",)),
]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    records = [
        PlaceRecord(gid, name, lat, lon, fc, code, cc, a1, a2, pop, alts, "test")
        for gid, name, lat, lon, fc, code, cc, a1, a2, pop, alts in PLACES
    ]
    demonyms = {"kenyan": "KE", "russian": "RU", "ukrainian": "UA"}
    return Gazetteer.from_records(records, tmp_path_factory.mktemp("notes-gaz"), demonyms=demonyms)


def resolved(text: str, gaz: Gazetteer) -> dict[str, ResolvedMention]:
    return {r.text: r for r in geoparse(text, gaz)}


def test_a_lower_case_unit_word_leaves_the_name(gaz):
    # "Mombasa county" is a key of the gazetteer, but a name ends on a capitalised word
    ms = find_mentions("Students protested in Mombasa county on Monday.", gaz)
    assert [m.text for m in ms] == ["Mombasa"]
    r = resolved("Students protested in Mombasa county on Monday.", gaz)["Mombasa"]
    assert r.candidate.kind is Kind.ADMIN1


def test_a_fold_match_abroad_yields_to_the_area_the_text_names(gaz):
    text = "A mob killed a thief in the area of Likoni, Mombasa county."
    r = resolved(text, gaz)["Likoni"]
    assert r.candidate.country_code == "KE"  # not Lékoni, Gabon
    assert r.candidate.geonameid == 186300
    assert r.geo_precision == 3
    assert "lie outside the area the text names" in r.reason


def test_a_fold_match_stands_without_contrary_evidence(gaz):
    r = resolved("A mob killed a thief in the area of Likoni.", gaz)["Likoni"]
    assert r.candidate.geonameid == 2399831


def test_an_exact_homonym_in_the_text_country_beats_a_bigger_one(gaz, monkeypatch):
    # (the country votes alone would do it here: leave the decision to the rule)
    monkeypatch.setattr(resolution, "COUNTRY_BONUS", 0.0)
    text = "Drivers held a demonstration in Kwale and Mombasa."
    r = resolved(text, gaz)["Kwale"]
    assert r.candidate.country_code == "KE"
    assert "the homonym in KE" in r.reason
    monkeypatch.setattr(resolution, "HOMONYM_ABROAD_PENALTY", 0.0)
    assert resolved(text, gaz)["Kwale"].candidate.country_code == "NG"


def test_a_parenthesised_county_places_a_name_known_only_abroad(gaz):
    r = resolved("Police shot two men in Pangani (Nairobi county).", gaz)["Pangani"]
    assert r.candidate is not None and r.candidate.country_code == "KE"
    assert r.candidate.geonameid == 184743
    assert r.geo_precision == 3


def test_a_small_town_known_by_a_common_word_yields_to_the_text_country(gaz):
    text = "Farmers clashed with herders in Kwale, Kenya."
    r = resolved(text, gaz)
    assert r["Farmers"].candidate is None  # not Milan, Michigan (alternate name "Farmers")
    assert r["Kwale"].candidate.country_code == "KE"


def test_a_common_word_alone_still_finds_its_town(gaz):
    r = resolved("Farmers is a small town.", gaz)["Farmers"]
    assert r.candidate is not None and r.candidate.geonameid == 5000000


def test_demonyms_are_no_veto_and_the_town_keeps_precision_1(gaz):
    text = "Russian forces shelled Avdiivka in the Donetsk region."
    r = resolved(text, gaz)
    assert r["Avdiivka"].candidate.geonameid == 713174
    assert r["Avdiivka"].geo_precision == 1
    assert r["Donetsk"].candidate.kind is Kind.ADMIN1


def test_spelling_fits_grows_with_the_length():
    assert spelling_fits("Deir Ezzor", "Deir ez-Zor")
    assert spelling_fits("Raqqa", "Ar-Raqqah")
    assert spelling_fits("Lamu County", "Lamu")
    assert spelling_fits("Avdiivka", "Avdiyivka")
    assert not spelling_fits("Tour", "Turkey")
    assert not spelling_fits("Orma", "Uruma")
    assert not spelling_fits("Kibera", "Canberra")
    assert not spelling_fits("Non", "Nyon")


def test_a_full_stop_ends_a_name():
    assert _ends_sentence("Lamu.") and _ends_sentence("Sep.")
    assert not _ends_sentence("St.") and not _ends_sentence("U.S.")
    assert not _ends_sentence("Lamu")


def test_the_country_hint_is_evidence_for_a_name_alone(gaz):
    # "Kwale" alone is the bigger Nigerian town; a Kenyan feed's note means the Kenyan one
    assert resolved("A mob lynched a thief in Kwale.", gaz)["Kwale"].candidate.country_code == "NG"
    hinted = {
        r.text: r for r in geoparse("A mob lynched a thief in Kwale.", gaz, countries=("KE",))
    }
    assert hinted["Kwale"].candidate.country_code == "KE"


def test_the_texts_own_evidence_beats_the_country_hint(gaz):
    text = "Gunmen attacked a bus near Donetsk, Ukraine."
    r = {m.text: m for m in geoparse(text, gaz, countries=("KE",))}
    assert r["Donetsk"].candidate.country_code == "UA"


def hinted(text: str, gaz: Gazetteer, *countries: str) -> dict[str, ResolvedMention]:
    return {r.text: r for r in geoparse(text, gaz, countries=countries)}


def test_a_feed_country_rules_out_small_homonyms_abroad(gaz):
    text = "Five people were shot in Pangani."
    assert resolved(text, gaz)["Pangani"].candidate.country_code == "TZ"  # nothing says otherwise
    r = hinted(text, gaz, "KE")["Pangani"]
    assert r.candidate is None  # neither the Tanzanian town nor its district
    assert "small places outside the text's countries (KE)" in r.reason


def test_a_feed_country_leaves_a_capital_abroad(gaz):
    r = hinted("Protesters marched in Kampala.", gaz, "KE")["Kampala"]
    assert r.candidate is not None and r.candidate.country_code == "UG"


def test_the_text_country_outweighs_the_feed_country(gaz):
    r = hinted("Five people were shot in Pangani, Tanzania.", gaz, "KE")["Pangani"]
    assert r.candidate is not None and r.candidate.geonameid == 150000


def test_a_part_of_a_town_falls_back_to_the_town(gaz):
    # "X estate in Y": X lies in Y, whatever its size abroad (Dallas, Texas)
    r = resolved("A mob lynched a thief at Dallas estate in Nairobi.", gaz)["Dallas"]
    assert r.candidate is not None and r.candidate.geonameid == 184742
    assert r.geo_precision == 2
    assert "its readings (Dallas, US)" in r.reason and "placed in Nairobi" in r.reason


def test_an_aside_with_an_unknown_name_still_says_where(gaz):
    r = resolved("Police shot two boys in Pangani (Starehe, Nairobi).", gaz)["Pangani"]
    assert r.candidate is not None and r.candidate.country_code == "KE"
    assert r.geo_precision == 2


def test_an_aside_naming_the_same_country_keeps_the_place(gaz):
    r = resolved("Fighting in Pangani (Tanzania) killed two.", gaz)["Pangani"]
    assert r.candidate is not None and r.candidate.country_code == "TZ"


def test_a_route_is_named_by_the_places_at_its_ends(gaz):
    ms = find_mentions("Truckers blocked the Nairobi-Mombasa highway on Monday.", gaz)
    assert [(m.text, m.role) for m in ms] == [("Nairobi", "place"), ("Mombasa", "place")]
    spaced = find_mentions("Traffic stopped on the Nairobi - Kwale road.", gaz)
    assert [m.text for m in spaced] == ["Nairobi", "Kwale"]
    # no route noun, or an end the gazetteer lacks: no such reading
    assert [m.text for m in find_mentions("The Nairobi-Mombasa talks failed.", gaz)] == []
    assert [m.text for m in find_mentions("They took the Nairobi-Zzyzx road.", gaz)] == ["Nairobi"]


def test_a_site_named_for_its_town_names_the_town(gaz):
    # (Kwale is a town only: a province's name passes the guard anyway)
    for text in (
        "Students of Kwale High School set fire to a dormitory.",
        "Kwale University students staged a protest.",
        "Two inmates at Kwale Prison were shot.",
    ):
        assert [m.text for m in find_mentions(text, gaz)] == ["Kwale"], text
    # another capitalised word still makes it part of a longer name
    assert [m.text for m in find_mentions("The Kwale Times said so.", gaz)] == []


def test_a_name_behind_a_place_preposition_is_a_place_even_after_a_persons_name(gaz):
    text = "Officers of Metro Kwale said so. A truck was stolen in Kwale on Monday."
    ms = find_mentions(text, gaz)
    assert [(m.text, m.start) for m in ms] == [("Kwale", text.rindex("Kwale"))]
    # without the preposition, one sense per discourse still drops it
    assert find_mentions("Officers of Metro Kwale said so. Kwale police agreed.", gaz) == []


def test_a_towns_services_name_the_town(gaz):
    for text in ("The Kwale Public Library opened.", "Officers of the Kwale Police said so."):
        assert [m.text for m in find_mentions(text, gaz)] == ["Kwale"], text
