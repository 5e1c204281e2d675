"""Property tests over the gazetteer's public API: only GeoEventsError escapes.

Every entry point gets generated names, hints and options (surrogates, NaN, inf,
NA, lists, dicts, wrong lengths, bad kinds, odd limits); each call either returns
a valid result or raises a :class:`GeoEventsError` subclass with a message.
Example counts come from the profiles in conftest.py ("ci" 200 per test,
``HYPOTHESIS_PROFILE=long`` 5,000).
"""

from __future__ import annotations

import inspect
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import geo_events
from geo_events.errors import GeoEventsError
from geo_events.gazetteer import Candidate, Kind, Resolution
from geo_events.gazetteer.batch import GEOCODE_COLUMNS, geocode_table
from geo_events.gazetteer.geopy_provider import LocalGeocoder

pytestmark = pytest.mark.fuzz

REAL = ["Aleppo", "Deir Ezzor", "Paris", "Syrian", "Aleppo Governorate", "Kyiv", "Homs",
        "deir ez-zorr", "Texas", "SY", "Syria", "دير الزور", "Новоселівка"]  # fmt: skip
SURROGATES = st.text(
    alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3
)
TEXT = st.one_of(
    st.sampled_from(REAL),
    st.text(max_size=30),
    st.builds(lambda a, s: a + s, st.sampled_from(REAL), SURROGATES),  # "Aleppo\udce9"
    SURROGATES,
    st.text(alphabet=" ,.;-0123456789", max_size=12),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)
ODD = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(pd.NA),
    st.just(pd.NaT),
    st.binary(max_size=8),
    st.lists(st.sampled_from(REAL), max_size=2),
    st.dictionaries(st.sampled_from(["a", "name"]), st.sampled_from(REAL), max_size=2),
    st.tuples(st.sampled_from(REAL)),
)
ANY = st.one_of(TEXT, NUMBERS, ODD)
NAMES = st.one_of(TEXT, TEXT, ANY)
HINTS = st.one_of(st.none(), TEXT, ANY)
FINITE = st.floats(min_value=-200, max_value=200, allow_nan=False)
POINTS = st.one_of(
    st.tuples(FINITE, FINITE),
    st.tuples(NUMBERS, NUMBERS),
    st.lists(NUMBERS, max_size=4),
    st.builds(lambda a, b: f"{a}, {b}", FINITE, FINITE),
    st.sampled_from(["a,b", "35.2,40.1", "35.2 40.1", "1,2,3", "", ",", "nan, nan", "inf,0"]),
    ANY,
)
KINDS = st.one_of(
    st.none(),
    st.sampled_from(list(Kind)),
    st.sampled_from([k.value for k in Kind] + ["city", "", "PLACE"]),
    st.lists(st.sampled_from([*Kind, "admin1", "town", 3]), max_size=3),
    ANY,
)
LIMITS = st.one_of(st.integers(min_value=-5, max_value=30), NUMBERS, ANY,
                   st.just(10**30), st.sampled_from([1.0, 2.5, "3"]))  # fmt: skip
FUZZY = st.one_of(st.booleans(), ANY)
UNKNOWN = st.dictionaries(st.sampled_from(["bogus", "lat", "countrycode", "max_km"]), ANY,
                          max_size=1)  # fmt: skip


@st.composite
def lookup_hints(draw, *, search: bool = False):
    """Keyword arguments for a lookup: each known hint present or not, garbage or not."""
    hints = {}
    for name, values in (("country", HINTS), ("admin1", HINTS), ("admin2", HINTS),
                         ("kinds", KINDS), ("near", POINTS), ("fuzzy", FUZZY)):  # fmt: skip
        if draw(st.booleans()):
            hints[name] = draw(values)
    if search and draw(st.booleans()):
        hints["limit"] = draw(LIMITS)
    if not search and draw(st.booleans()):
        hints["alternatives"] = draw(LIMITS)
    if draw(st.integers(0, 9)) == 0:
        hints.update(draw(UNKNOWN))
    return hints


def _valid_candidate(candidate: Candidate) -> None:
    assert isinstance(candidate, Candidate)
    assert -90 <= candidate.latitude <= 90 and -180 <= candidate.longitude <= 180
    assert 0.0 <= candidate.score <= 1.0
    assert isinstance(candidate.kind, Kind)
    assert math.isfinite(candidate.rank)
    assert candidate.raw["geonameid"] == candidate.geonameid


def _call(fn, *args, **kwargs):
    """Call ``fn``; a GeoEventsError (with a message) is a fine answer too."""
    try:
        return fn(*args, **kwargs), None
    except GeoEventsError as exc:
        assert str(exc), f"{type(exc).__name__} without a message"  # noqa: PT017
        return None, exc


def _call_root(fn, *args, **kwargs):
    """As :func:`_call`, for the root functions: an unknown keyword is Python's TypeError."""
    unknown = sorted(set(kwargs) - set(inspect.signature(fn).parameters))
    if unknown:
        with pytest.raises(TypeError, match=unknown[0]) as caught:
            fn(*args, **kwargs)
        return None, caught.value
    return _call(fn, *args, **kwargs)


def _check_resolution(res: Resolution | None) -> None:
    if res is None:
        return
    assert isinstance(res, Resolution)
    if res.candidate is None:
        assert res.reason, "no candidate and no reason"
    else:
        _valid_candidate(res.candidate)
        for alternative in res.alternatives:
            _valid_candidate(alternative)


# ------------------------------------------------------------- Gazetteer


@given(name=NAMES, hints=lookup_hints())
def test_resolve(gazetteer, name, hints):
    res, _ = _call(gazetteer.resolve, name, **hints)
    _check_resolution(res)


@given(name=NAMES, hints=lookup_hints())
def test_geocode(gazetteer, name, hints):
    found, _ = _call(gazetteer.geocode, name, **hints)
    if found is not None:
        _valid_candidate(found)


@given(name=NAMES, hints=lookup_hints(search=True))
def test_search(gazetteer, name, hints):
    hints.pop("bogus", None), hints.pop("lat", None), hints.pop("countrycode", None)
    hints.pop("max_km", None)  # search's keywords are its signature
    found, error = _call(gazetteer.search, name, **hints)
    if error is None:
        assert isinstance(found, list)
        limit = hints.get("limit", 10)
        assert len(found) <= limit
        for candidate in found:
            _valid_candidate(candidate)


@given(point=POINTS, max_km=st.one_of(st.just(200.0), NUMBERS, ANY))
def test_reverse(gazetteer, point, max_km):
    found, _ = _call(gazetteer.reverse, point, max_km=max_km)
    if found is not None:
        _valid_candidate(found)


@given(row=st.one_of(st.integers(-10, 10), st.integers(286_000, 10**12), ANY),
       match=st.one_of(st.just("exact"), ANY))  # fmt: skip
def test_candidate(gazetteer, row, match):
    found, _ = _call(gazetteer.candidate, row, match)
    if found is not None:
        _valid_candidate(found)


@given(country=HINTS)
def test_country_code(gazetteer, country):
    code, _ = _call(gazetteer.country_code, country)
    assert code is None or (isinstance(code, str) and len(code) == 2)


# ------------------------------------------------------ the package root


@given(name=NAMES, hints=lookup_hints())
def test_package_root_geocode_and_resolve(gazetteer, name, hints):
    found, _ = _call_root(geo_events.geocode, name, **hints)
    if found is not None:
        _valid_candidate(found)
    res, _ = _call_root(geo_events.resolve, name, **hints)
    _check_resolution(res)


@given(name=NAMES, hints=lookup_hints(search=True))
def test_package_root_search(gazetteer, name, hints):
    found, error = _call_root(geo_events.search, name, **hints)
    if error is None:
        for candidate in found:
            _valid_candidate(candidate)


@given(point=POINTS, options=st.dictionaries(st.sampled_from(["max_km", "radius"]), ANY))
def test_package_root_reverse(gazetteer, point, options):
    found, _ = _call_root(geo_events.reverse, point, **options)
    if found is not None:
        _valid_candidate(found)


# ------------------------------------------------------ geopy provider


@given(query=NAMES, exactly_one=st.one_of(st.booleans(), ANY),
       limit=LIMITS, hints=lookup_hints())  # fmt: skip
def test_local_geocoder_geocode(gazetteer, query, exactly_one, limit, hints):
    hints.pop("alternatives", None)
    coder = LocalGeocoder(gazetteer)
    found, _ = _call(coder.geocode, query, exactly_one=exactly_one, limit=limit, **hints)
    for location in found if isinstance(found, list) else [found] if found else []:
        assert -90 <= location.latitude <= 90 and -180 <= location.longitude <= 180


@given(query=POINTS, exactly_one=st.one_of(st.booleans(), ANY))
def test_local_geocoder_reverse(gazetteer, query, exactly_one):
    coder = LocalGeocoder(gazetteer)
    found, _ = _call(coder.reverse, query, exactly_one=exactly_one)
    for location in found if isinstance(found, list) else [found] if found else []:
        assert -90 <= location.latitude <= 90 and -180 <= location.longitude <= 180


# ------------------------------------------------------------- tables

CELLS = st.one_of(TEXT, NUMBERS, ODD, st.just(float("inf")))


@st.composite
def frames(draw):
    n = draw(st.integers(0, 12))
    columns = {"location": draw(st.lists(CELLS, min_size=n, max_size=n))}
    for name in ("country", "admin1", "admin2"):
        if draw(st.booleans()):
            columns[name] = draw(st.lists(CELLS, min_size=n, max_size=n))
    frame = pd.DataFrame({k: pd.Series(v, dtype="object") for k, v in columns.items()})
    if n and draw(st.booleans()):  # a typed column too: pandas' own string or float dtype
        column = draw(st.sampled_from(sorted(columns)))
        values = frame[column]
        frame[column] = (
            values.map(lambda v: v if isinstance(v, str) and v.isascii() else None).astype("string")
            if draw(st.booleans())
            else pd.to_numeric(values, errors="coerce")
        )
    return frame


@given(frame=frames(), fuzzy=FUZZY)
def test_geocode_table(gazetteer, frame, fuzzy):
    named = {c: c for c in frame.columns if c != "location"}
    out, error = _call(geocode_table, frame, gazetteer=gazetteer, fuzzy=fuzzy, **named)
    if error is not None:
        return
    assert list(out.columns) == list(GEOCODE_COLUMNS)
    assert out.index.equals(frame.index)
    for status, reason in zip(out["geocode_status"], out["geocode_reason"], strict=True):
        assert status in ("matched", "admin2", "admin1", "unmatched")
        if status == "unmatched":
            assert isinstance(reason, str) and reason
    placed = out["latitude"].notna()
    assert out.loc[placed, "latitude"].between(-90, 90).all()


@given(data=st.one_of(ANY, st.lists(TEXT, max_size=3)),
       location=st.one_of(st.just("location"), ANY))  # fmt: skip
def test_geocode_table_bad_arguments(gazetteer, data, location):
    table = pd.DataFrame({"location": ["Aleppo"]})
    _call(geocode_table, data, gazetteer=gazetteer)
    _call(geocode_table, table, location=location, gazetteer=gazetteer)
