from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from geo_events.errors import ValidationError
from geo_events.events.schema import (
    EVENTS_SCHEMA,
    GEOCODE_STATUSES,
    SCHEMA_COLUMNS,
    empty_events,
    event_problems,
    schema_markdown,
    to_events_frame,
    validate_events,
)

DOC = Path(__file__).resolve().parents[1] / "docs" / "events-schema.md"


def _frame(**overrides):
    data = {
        "event_id_cnty": ["SYR1", "SYR2", "SYR3"],
        "event_date": ["2024-01-01", "2024-01-02", None],
        "event_type": ["Battles", "Protests", None],
        "latitude": [35.33, 33.51, None],
        "longitude": [40.14, 36.29, None],
        "geo_precision": [1, 2, None],
        "fatalities": [3, 0, None],
        "geocode_status": ["given", "matched", "unmatched"],
        "geocode_reason": [None, None, "no place named 'x'"],
        "mine": ["a", "b", "c"],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_doc_matches_schema():
    assert DOC.read_text(encoding="utf-8") == schema_markdown(), (
        "docs/events-schema.md is stale: regenerate it with "
        "python -c 'from geo_events.events.schema import schema_markdown as m; "
        'open("docs/events-schema.md", "w").write(m())\''
    )


def test_schema_has_acled_and_our_columns():
    acled = [c.name for c in EVENTS_SCHEMA if c.origin == "acled"]
    assert acled == [
        "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
        "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "iso", "country", "admin1",
        "admin2", "location", "latitude", "longitude", "geo_precision", "source", "notes",
        "fatalities",
    ]  # fmt: skip
    ours = {c.name for c in EVENTS_SCHEMA if c.origin == "geo_events"}
    assert {"geonameid", "match_type", "match_score", "claim_status", "reported_by",
            "denied_by", "evidence", "article_id", "confidence", "geocode_status",
            "geocode_reason", "geometry"} <= ours  # fmt: skip
    assert len(set(SCHEMA_COLUMNS)) == len(SCHEMA_COLUMNS)
    assert all(c.meaning for c in EVENTS_SCHEMA)


def test_empty_events_is_valid():
    empty = empty_events()
    assert list(empty.columns) == list(SCHEMA_COLUMNS)
    assert empty.crs.to_epsg() == 4326
    assert validate_events(empty) == []
    assert event_problems(empty) == []


def test_to_events_frame_dtypes_and_geometry():
    gdf = to_events_frame(_frame())
    assert list(gdf.columns) == [*SCHEMA_COLUMNS, "mine"]
    assert str(gdf["event_date"].dtype) == "datetime64[us]"
    assert isinstance(gdf["event_type"].dtype, pd.CategoricalDtype)
    assert list(gdf["event_type"].cat.categories) == ["Battles", "Protests"]
    assert str(gdf["fatalities"].dtype) == "Int64" and str(gdf["geo_precision"].dtype) == "Int8"
    assert isinstance(gdf["country"].dtype, pd.StringDtype)
    assert gdf.loc[0, "geometry"] == Point(40.14, 35.33)
    assert gdf.loc[2, "geometry"] is None
    assert validate_events(gdf) == []
    assert "mine" not in to_events_frame(_frame(), extra="drop").columns


def test_to_events_frame_from_geodataframe_in_other_crs():
    pts = gpd.GeoDataFrame(
        {"event_id_cnty": ["a"]}, geometry=[Point(40.14, 35.33)], crs=4326
    ).to_crs(3857)
    gdf = to_events_frame(pts)
    assert gdf.crs.to_epsg() == 4326
    assert gdf.loc[0, "latitude"] == pytest.approx(35.33)
    assert gdf.loc[0, "longitude"] == pytest.approx(40.14)
    assert validate_events(gdf) == []


def test_to_events_frame_reports_every_bad_value():
    bad = _frame(fatalities=["three", 1.5, None], event_date=["2024-01-01", "not a date", None])
    with pytest.raises(ValidationError) as info:
        to_events_frame(bad)
    problems = info.value.problems
    assert len(problems) == 3
    assert any("'fatalities'" in p and "not numbers" in p and "rows 0" in p for p in problems)
    assert any("'fatalities'" in p and "whole" in p for p in problems)
    assert any("'event_date'" in p and "rows 1" in p for p in problems)


def test_validator_reports_every_problem_at_once():
    gdf = to_events_frame(_frame())
    gdf.loc[0, "latitude"] = 95.0  # out of range, and the point no longer agrees
    gdf.loc[1, "event_id_cnty"] = "SYR1"  # duplicate id
    gdf["fatalities"] = gdf["fatalities"].astype("float64")  # wrong dtype
    gdf.loc[1, "geo_precision"] = 7
    gdf["geocode_status"] = gdf["geocode_status"].cat.add_categories("weird")
    gdf.loc[2, "geocode_status"] = "weird"
    gdf = gdf.drop(columns="notes")
    problems = event_problems(gdf)
    text = "\n".join(problems)
    for expected in ("'latitude'", "disagrees", "share an id", "'fatalities' has dtype",
                     "'geo_precision'", "weird", "missing column(s): notes"):  # fmt: skip
        assert expected in text, expected
    with pytest.raises(ValidationError) as info:
        validate_events(gdf)
    assert info.value.problems == problems


def test_validator_placement_rules():
    gdf = to_events_frame(_frame(geocode_reason=[None, None, None]))
    assert any("without a geocode_reason" in p for p in event_problems(gdf))
    gdf = to_events_frame(_frame(geocode_status=["unmatched", "matched", "unmatched"]))
    assert any("unmatched have coordinates" in p for p in event_problems(gdf))
    gdf = to_events_frame(_frame())
    gdf.loc[0, "geometry"] = LineString([(0, 0), (1, 1)])
    assert any("non-point" in p for p in event_problems(gdf))
    assert event_problems(pd.DataFrame())[0].startswith("not a GeoDataFrame")
    assert any(
        "EPSG:4326" in p
        for p in event_problems(to_events_frame(_frame()).set_crs(3857, allow_override=True))
    )
    assert set(GEOCODE_STATUSES) >= {"given", "matched", "admin2", "admin1", "unmatched"}


def test_timezones_become_naive_utc():
    frame = _frame(
        event_date=pd.to_datetime(["2024-01-01 23:00", "2024-01-02 00:00", None]).tz_localize(
            "Asia/Damascus"
        )
    )
    gdf = to_events_frame(frame)
    assert gdf.loc[0, "event_date"] == pd.Timestamp("2024-01-01 20:00")


def test_importing_the_packages_stays_light():
    code = (
        "import sys, geo_events, geo_events.events, geo_events.io; "
        "heavy = [m for m in ('pandas', 'geopandas', 'shapely', 'pyarrow') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("column", ["location", "event_type"])  # a string and a category column
def test_lone_surrogates_are_a_schema_problem_naming_the_rows(column):
    # text decoded with surrogateescape (undecodable file names, bytes) cannot be stored as
    # Arrow strings; the error names the column and the row instead of failing in pyarrow
    values = pd.Series(["ok", "bad\udcff"], dtype=object)
    frame = pd.DataFrame({column: values, "latitude": [36.2, 36.2], "longitude": [37.1, 37.1]})
    with pytest.raises(ValidationError, match=rf"'{column}'.*lone surrogates.*rows 1"):
        to_events_frame(frame)
    frame[column] = ["ok", "bad\ufffd"]
    assert to_events_frame(frame)[column].tolist() == ["ok", "bad\ufffd"]


def test_a_geodataframe_of_other_shapes_keeps_them_without_coordinates():
    # one function gives both readers the points' coordinates: other shapes get none
    gdf = gpd.GeoDataFrame(
        {"location": ["a", "b", "c"]},
        geometry=[Point(40.1, 35.3), LineString([(0, 0), (1, 1)]), Point()],
        crs=4326,
    )
    events = to_events_frame(gdf)
    assert events.loc[0, "latitude"] == pytest.approx(35.3)
    assert events["latitude"].isna().tolist() == [False, True, True]
    assert events.geometry.geom_type.tolist()[:2] == ["Point", "LineString"]
    assert any("non-point" in p for p in event_problems(events.iloc[:2]))
