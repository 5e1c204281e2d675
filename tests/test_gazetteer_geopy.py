import geopandas
import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.location import Location

import geo_events.gazetteer as gz
from geo_events.gazetteer.geopy_provider import LocalGeocoder


@pytest.fixture
def default_is_session(monkeypatch, gazetteer):
    monkeypatch.setattr(gz, "_default", gazetteer)


def test_geopandas_geocode_with_the_local_provider(default_is_session):
    frame = geopandas.tools.geocode(["Deir Ezzor", "Aleppo"], provider=LocalGeocoder)
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == 2
    assert frame.geometry.x.tolist() == pytest.approx([40.14084, 37.16117], abs=1e-4)
    assert frame.geometry.y.tolist() == pytest.approx([35.33588, 36.20124], abs=1e-4)
    assert frame.loc[0, "address"].startswith("Deir ez-Zor")


def test_geocoder_returns_geopy_locations_with_raw(gazetteer):
    coder = LocalGeocoder(gazetteer)
    location = coder.geocode("Dayr az Zawr")
    assert isinstance(location, Location)
    assert location.raw["geonameid"] == 170794
    assert location.raw["match_type"] == "alternate"
    many = coder.geocode("Paris", exactly_one=False, limit=3)
    assert len(many) == 3 and all(isinstance(loc, Location) for loc in many)
    assert coder.geocode("Zzqxv Wqyt") is None
    assert coder.geocode("") is None


def test_country_default_and_reverse(gazetteer):
    coder = LocalGeocoder(gazetteer, country="US")
    assert coder.geocode("Paris").raw["country_code"] == "US"
    place = coder.reverse((35.34, 40.14))
    assert place.raw["geonameid"] == 170794
    assert coder.reverse("35.34, 40.14").raw["geonameid"] == 170794


def test_rate_limiter_wraps_it_without_network(gazetteer):
    geocode = RateLimiter(LocalGeocoder(gazetteer).geocode, min_delay_seconds=0)
    assert geocode("Homs").raw["geonameid"] == 169577


@pytest.mark.parametrize(
    ("query", "country_code", "admin1"),
    [
        ("Paris, France", "FR", "Île-de-France"),
        ("Paris, Texas, United States", "US", "Texas"),
        ("Vancouver, British Columbia, Canada", "CA", "British Columbia"),
        ("Vancouver, Washington, US", "US", "Washington"),
        ("Deir ez-Zor, Syria", "SY", "Dayr az Zawr"),
        ("Springfield, Illinois", "US", "Illinois"),
    ],
)
def test_address_strings_become_a_name_and_hints(gazetteer, query, country_code, admin1):
    location = LocalGeocoder(gazetteer).geocode(query)
    assert location is not None, query
    assert location.raw["country_code"] == country_code
    assert admin1 in location.address


def test_names_with_a_comma_are_tried_whole_and_arguments_win(gazetteer):
    coder = LocalGeocoder(gazetteer)
    assert coder.geocode("Washington, D.C.").raw["country_code"] == "US"
    assert coder.geocode("Paris, France", country="US").raw["country_code"] == "US"
    assert len(coder.geocode("Paris, France", exactly_one=False)) >= 1
    assert coder.geocode("a, b, c, d, e") is None  # not an address: no guess from its parts
