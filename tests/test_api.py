"""The public API's names: what each returns, the reports in ``attrs``, the deprecated aliases."""

from __future__ import annotations

import copy
import importlib
import inspect
import json
import pickle
import sys
import warnings

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, Polygon

import geo_events
from geo_events.errors import (
    ExtractionError,
    GeoEventsWarning,
    InputError,
    apply_on_error,
    check_on_error,
)
from geo_events.io.tables import ReadReport, ReadResult

TABLE = "location,country,event_date,fatalities\nAleppo,Syria,2024-01-05,2\nHoms,Syria,bad,1\n"


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "acled_like.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


# ------------------------------------------------------------------ events_from_table


def test_events_from_table_returns_the_frame_with_its_report(table, gazetteer):
    events = geo_events.events_from_table(table, gazetteer=gazetteer)
    assert isinstance(events, gpd.GeoDataFrame) and len(events) == 2
    report = events.attrs["report"]
    assert isinstance(report, ReadReport)
    assert report.rows_read == 2 and report.n_issues == 1  # the unreadable date
    assert report["rows_read"] == 2  # a mapping too
    assert "event_date" in str(report.issues[0])


def test_the_report_survives_frame_operations_and_parquet(table, gazetteer, tmp_path):
    events = geo_events.events_from_table(table, gazetteer=gazetteer)
    subset = events[events["fatalities"] > 1].copy()
    assert subset.attrs["report"] is events.attrs["report"]  # shared, not deep-copied
    with pytest.raises(TypeError, match="read-only"):
        events.attrs["report"]["rows_read"] = 5
    assert pickle.loads(pickle.dumps(events.attrs["report"])) == events.attrs["report"]
    assert copy.deepcopy(events.attrs["report"]) is events.attrs["report"]
    # pandas stores attrs as JSON in Parquet: our writer and geopandas' both work
    geo_events.write_events(events, tmp_path / "ours.parquet")
    events.to_parquet(tmp_path / "theirs.parquet")
    back = gpd.read_parquet(tmp_path / "theirs.parquet").attrs["report"]
    assert back["rows_read"] == 2 and json.loads(json.dumps(back)) == back


def test_events_from_table_takes_a_data_frame(gazetteer):
    frame = pd.DataFrame({"place": ["Aleppo", "Nowhere-at-all-xq"], "iso2": ["SY", "SY"]})
    events = geo_events.events_from_table(
        frame, location="place", country="iso2", gazetteer=gazetteer
    )
    assert events["geocode_status"].tolist()[0] == "matched"
    assert events["geocode_status"].tolist()[1] in ("unmatched", "country")
    assert events["source_line"].tolist() == [1, 2]  # rows numbered from 1, as Parquet's
    assert events.attrs["report"].path == "<data frame>"
    assert list(frame.columns) == ["place", "iso2"]  # the caller's frame is untouched


def test_events_from_table_takes_a_geodataframe_points_as_coordinates(gazetteer):
    gdf = gpd.GeoDataFrame(
        {"location": ["A", "B", "Aleppo"]},
        geometry=[Point(40.14, 35.33), Polygon([(0, 0), (1, 0), (1, 1)]), Point()],
        crs=4326,
    )
    events = geo_events.events_from_table(gdf, gazetteer=gazetteer)
    assert events.loc[0, "latitude"] == pytest.approx(35.33)
    assert events["geocode_status"].tolist()[0] == "given"
    # a polygon or an empty point gives no coordinates: the row is geocoded by its name
    assert pd.isna(events.loc[1, "latitude"]) or events.loc[1, "geocode_status"] != "given"
    assert events.loc[2, "geocode_status"] == "matched"


def test_events_from_table_refuses_what_is_no_table():
    with pytest.raises(InputError, match=r"file name .* or a DataFrame"):
        geo_events.events_from_table(42)  # type: ignore[arg-type]


# ------------------------------------------------------------------ read_events / write_events


def test_read_events_is_the_reading_half_of_write_events(table, gazetteer, tmp_path):
    events = geo_events.events_from_table(table, gazetteer=gazetteer)
    for suffix in (".csv", ".parquet", ".geojson", ".gpkg"):
        back = geo_events.read_events(geo_events.write_events(events, tmp_path / f"e{suffix}"))
        assert isinstance(back, gpd.GeoDataFrame) and len(back) == 2, suffix
        assert back["location"].tolist() == ["Aleppo", "Homs"], suffix


def test_read_events_on_a_foreign_table_still_works_and_warns(table, gazetteer):
    with pytest.warns(DeprecationWarning, match="events_from_table"):
        result = geo_events.read_events(table)
    assert isinstance(result, ReadResult)
    events, report = result
    assert len(events) == 2 and report.rows_read == 2
    with pytest.warns(DeprecationWarning, match="events_from_table"):
        events, _ = geo_events.read_events(table, gazetteer=gazetteer, location="location")
    assert len(events) == 2


@pytest.mark.parametrize(
    ("module", "name", "call"),
    [
        ("geo_events.io.tables", "read_events", lambda f, t, g, w: f(t, gazetteer=g)),
        ("geo_events.io.writers", "read_events_file", lambda f, t, g, w: f(w)),
        (
            "geo_events.events.schema",
            "check_events",
            lambda f, t, g, w: f(geo_events.empty_events()),
        ),
    ],
)
def test_old_names_warn_and_still_work(module, name, call, table, gazetteer, tmp_path):
    written = geo_events.write_events(geo_events.empty_events(), tmp_path / "e.parquet")
    function = getattr(importlib.import_module(module), name)
    with pytest.warns(DeprecationWarning, match=name):
        call(function, table, gazetteer, written)


def test_the_old_text_events_module_warns_and_re_exports():
    sys.modules.pop("geo_events.text.events", None)
    with pytest.warns(DeprecationWarning, match="geo_events.text.extracted"):
        old = importlib.import_module("geo_events.text.events")
    from geo_events.text.extracted import EVENT_COLUMNS, ExtractionResult

    assert old.ExtractionResult is ExtractionResult and old.SCHEMA_COLUMNS == EVENT_COLUMNS
    assert set(EVENT_COLUMNS) <= set(geo_events.events.SCHEMA_COLUMNS)


# ------------------------------------------------------------------ validation


def test_validate_events_raises_with_the_problems_and_event_problems_lists_them():
    good = geo_events.empty_events()
    assert geo_events.validate_events(good) == []
    assert geo_events.event_problems(good) == []
    bad = pd.DataFrame({"x": [1]})
    problems = geo_events.event_problems(bad)
    assert problems and problems[0].startswith("not a GeoDataFrame")
    with pytest.raises(geo_events.ValidationError) as caught:
        geo_events.validate_events(bad)
    assert caught.value.problems == problems


# ------------------------------------------------------------------ the gazetteer functions


@pytest.mark.parametrize("name", ["search", "geocode", "resolve"])
def test_root_gazetteer_functions_have_explicit_keywords(name):
    params = inspect.signature(getattr(geo_events, name)).parameters
    assert {"country", "admin1", "admin2", "kinds", "near", "fuzzy"} <= set(params)
    assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in params.values())
    with pytest.raises(TypeError, match="contry"):
        getattr(geo_events, name)("Aleppo", contry="SY")


def test_root_geocode_passes_its_hints_on(gazetteer):
    assert geo_events.geocode("Aleppo", country="SY").country_code == "SY"
    assert geo_events.resolve("Aleppo", country="SY", alternatives=2).candidate is not None
    assert geo_events.geocode("Aleppo", country="SY", kinds="admin1").kind.value == "admin1"
    assert geo_events.reverse((35.33, 40.14), max_km=50).name == "Deir ez-Zor"
    assert "max_km" in inspect.signature(geo_events.reverse).parameters


# ------------------------------------------------------------------ one error policy


def test_one_error_policy_checked_and_applied_the_same_everywhere():
    assert check_on_error("warn") == "warn"
    with pytest.raises(InputError, match="on_error must be one of 'raise', 'warn', 'keep'"):
        check_on_error("ignore")
    with pytest.raises(InputError, match="on_unmappable"):
        check_on_error("skip", "on_unmappable")
    with pytest.raises(ExtractionError, match="boom"):
        apply_on_error("raise", "boom", error=ExtractionError)
    with pytest.warns(GeoEventsWarning, match="boom"):
        apply_on_error("warn", "boom")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        apply_on_error("keep", "boom")


@pytest.mark.parametrize(
    "call",
    [
        lambda: geo_events.events_from_table(pd.DataFrame({"location": ["x"]}), on_error="skip"),
        lambda: list(geo_events.extract_many([], on_error="skip")),
        lambda: geo_events.events_from_articles([], on_error="skip"),
        lambda: geo_events.MapOptions(on_error="skip"),
    ],
)
def test_every_entry_point_refuses_an_unknown_policy_the_same_way(call):
    with pytest.raises(ValueError, match="on_error must be one of 'raise', 'warn', 'keep'"):
        call()


def test_root_exports_resolve():
    for name in geo_events.__all__:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert getattr(geo_events, name) is not None, name
