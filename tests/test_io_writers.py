from __future__ import annotations

import csv
import itertools
import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Polygon

from geo_events.errors import InputError
from geo_events.events.schema import SCHEMA_COLUMNS, empty_events, to_events_frame, validate_events
from geo_events.io.events_files import read_events
from geo_events.io.writers import (
    ACLED_CSV_COLUMNS,
    EventsWriter,
    write_events,
    write_events_chunks,
)

FORMATS = ["geojson", "gpkg", "parquet", "csv"]
SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv"}


@pytest.fixture
def events():
    return to_events_frame(
        pd.DataFrame(
            {
                "event_id_cnty": ["SYR1", "SYR2", "SYR3", "IRQ4"],
                "event_date": ["2024-01-01", "2024-01-02", None, "2023-12-31"],
                "time_precision": [1, 2, None, 3],
                "event_type": ["Battles", "Protests", None, "Battles"],
                "actor1": ['Army "A"', "Students, union", None, "Ünïcödé – ﺍﻟﺟﻳﺵ"],
                "iso": [760, 760, None, 368],
                "country": ["Syria", "Syria", None, "Iraq"],
                "location": ["Deir ez-Zor", "Damascus", "Nowhere", "Mosul"],
                "latitude": [35.33588, 33.5102, None, 36.335],
                "longitude": [40.14084, 36.29128, None, 43.118889],
                "geo_precision": [1, 2, None, 3],
                "notes": ["line one\nline two", 'a "quoted" \\ backslash\ttab', None, "bell\x07char"],
                "fatalities": [3, 0, None, 12],
                "geonameid": [170794, None, None, 99072],
                "match_type": ["exact", None, None, "fuzzy"],
                "match_score": [1.0, None, None, 0.85],
                "geocode_status": ["matched", "given", "unmatched", "matched"],
                "geocode_reason": [None, None, "no place named 'Nowhere'", None],
                "confidence": [None, 0.5, None, 0.25],
                "source_line": [2, 3, 4, 5],
                "my_column": ["x", None, "z", "w"],
            }
        )
    )  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip(tmp_path, events, fmt):
    path = write_events(events, tmp_path / f"events{SUFFIX[fmt]}")
    back = read_events(path)
    assert validate_events(back) == []
    assert_geodataframe_equal(back, events)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_of_an_empty_frame(tmp_path, fmt):
    path = write_events(empty_events(), tmp_path / f"none{SUFFIX[fmt]}")
    back = read_events(path)
    assert len(back) == 0 and list(back.columns) == list(SCHEMA_COLUMNS)


def test_round_trip_keeps_times_of_day(tmp_path, events):
    events["event_date"] = events["event_date"] + pd.Timedelta(hours=13, minutes=5)
    path = write_events(events, tmp_path / "t.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["event_date"] == "2024-01-01T13:05:00"
    assert_geodataframe_equal(read_events(path), events)


def _check_rfc7946(doc):
    """The RFC 7946 rules that apply to a FeatureCollection of points."""
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc  # section 4: no crs member
    assert isinstance(doc["features"], list)
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) >= {"type", "properties", "geometry"}
        assert feature["properties"] is None or isinstance(feature["properties"], dict)
        geom = feature["geometry"]
        if geom is None:
            continue
        if geom["type"] == "Point":
            positions = [geom["coordinates"]]
        else:
            positions = [p for ring in geom["coordinates"] for p in ring]
        for position in positions:
            assert len(position) in (2, 3) and all(isinstance(v, int | float) for v in position)
            lon, lat = position[:2]
            assert -180 <= lon <= 180 and -90 <= lat <= 90  # longitude first, WGS84
    for value in _all_values(doc):
        assert not (isinstance(value, float) and value != value)  # no NaN


def _all_values(node):
    if isinstance(node, dict):
        for v in node.values():
            yield from _all_values(v)
    elif isinstance(node, list):
        for v in node:
            yield from _all_values(v)
    else:
        yield node


def test_geojson_follows_rfc7946(tmp_path, events):
    path = write_events(events, tmp_path / "e.geojson")
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)  # strict JSON (NaN would fail json.loads with parse_constant below)
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    _check_rfc7946(doc)
    first = doc["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [40.14084, 35.33588]}
    assert first["properties"]["event_date"] == "2024-01-01"
    assert first["properties"]["fatalities"] == 3 and first["properties"]["event_type"] == "Battles"
    assert doc["features"][2]["geometry"] is None
    assert doc["features"][3]["properties"]["notes"] == "bell\x07char"
    # six decimals at most in coordinates
    for number in re.findall(r'"coordinates":\[([^\]]*)\]', text):
        for part in number.split(","):
            assert len(part.split(".")[1]) <= 6 if "." in part else True
    assert "geometry" not in first["properties"]
    # geopandas reads it
    read = gpd.read_file(path)
    assert len(read) == 4 and read.crs.to_epsg() == 4326
    assert read.geometry.iloc[0].x == pytest.approx(40.14084)


def test_geojson_rounds_coordinates_and_orients_polygons(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"name": ["p", "q"]},
        geometry=[Polygon([(0, 0), (0, 1), (1, 1), (1, 0)]), None],  # clockwise ring
        crs=4326,
    )
    gdf.loc[0, "geometry"] = Polygon([(0.1234567891, 0), (0, 1), (1, 1), (1, 0)])
    path = write_events(gdf, tmp_path / "poly.geojson")
    doc = json.loads(path.read_text())
    _check_rfc7946(doc)
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    assert 0.123457 in [x for x, _ in ring]
    # counter-clockwise exterior (RFC 7946 section 3.1.6): positive shoelace area
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    assert area > 0


def test_geojson_reprojects(tmp_path, events):
    path = write_events(events.to_crs(3857), tmp_path / "e.geojson")
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["features"][0]["geometry"]["coordinates"] == pytest.approx([40.14084, 35.33588])


def test_csv_uses_acled_layout(tmp_path, events):
    events["disorder_type"] = "Political violence"  # an ACLED column outside our schema
    path = write_events(events, tmp_path / "e.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    acled_present = [c for c in ACLED_CSV_COLUMNS if c in header]
    assert header[: len(acled_present)] == acled_present
    assert header.index("disorder_type") < header.index("event_type")
    assert "geometry" not in header
    assert rows[1][header.index("event_date")] == "2024-01-01"
    assert rows[1][header.index("latitude")] == "35.33588"
    assert len(rows) == 5  # the newline in notes is quoted, not a new row


def test_bad_format(tmp_path, events):
    with pytest.raises(InputError, match="suffix"):
        write_events(events, tmp_path / "e.xyz")
    with pytest.raises(InputError, match="unknown format"):
        write_events(events, tmp_path / "e.csv", format="shp")
    with pytest.raises(InputError, match="GeoDataFrame"):
        write_events(pd.DataFrame(events), tmp_path / "e.csv")
    with pytest.raises(InputError, match="no such file"):
        read_events(tmp_path / "missing.gpkg")
    write_events(events, tmp_path / "e.data", format="parquet")
    assert len(read_events(tmp_path / "e.data", format="parquet")) == 4


# --------------------------------------------------------------------- streaming


def _chunks(gdf, size):
    return [gdf.iloc[i : i + size] for i in range(0, len(gdf), size)]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("size", [1, 3])
def test_streamed_write_reads_back_as_the_one_shot_write(events, tmp_path, fmt, size):
    one = write_events(events, tmp_path / f"one{SUFFIX[fmt]}")
    streamed = write_events_chunks(_chunks(events, size), tmp_path / f"streamed{SUFFIX[fmt]}")
    assert streamed == tmp_path / f"streamed{SUFFIX[fmt]}"
    assert_geodataframe_equal(read_events(streamed), read_events(one))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([one.name, streamed.name])
    if fmt == "geojson":  # RFC 7946 text, feature by feature: the same bytes
        assert streamed.read_bytes() == one.read_bytes()
        assert len(json.loads(streamed.read_text())["features"]) == len(events)
    if fmt == "csv":
        assert streamed.read_text().count("event_id_cnty") == 1  # one header


def test_streamed_geoparquet_metadata_is_valid(events, tmp_path):
    import pyarrow.parquet as pq

    path = write_events_chunks(_chunks(events, 1), tmp_path / "e.parquet")
    geo = json.loads(pq.read_metadata(path).metadata[b"geo"])
    column = geo["columns"][geo["primary_column"]]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"]
    placed = events[events.geometry.notna()]
    assert column["bbox"] == pytest.approx(list(placed.total_bounds))
    back = gpd.read_parquet(path)
    assert back.crs.to_epsg() == 4326 and len(back) == len(events)
    assert back.geometry.equals(events.geometry)


def test_streamed_write_accepts_the_reader_chunks(tmp_path, gazetteer):
    from geo_events.io.tables import events_from_table, iter_events

    table = tmp_path / "t.csv"
    table.write_text(
        'id,location,country,notes\n1,Homs,SY,a\n2,Hama,SY,"b\nc"\n3,Nowhere,,d\n4,Aleppo,SY,e\n',
        encoding="utf-8",
    )
    events = events_from_table(table, gazetteer=gazetteer)
    for fmt in FORMATS:
        one = write_events(events, tmp_path / f"one{SUFFIX[fmt]}")
        chunks = iter_events(table, gazetteer=gazetteer, chunksize=1)
        streamed = write_events_chunks(chunks, tmp_path / f"streamed{SUFFIX[fmt]}")
        assert_geodataframe_equal(read_events(streamed), read_events(one))


def test_failed_stream_leaves_no_file(events, tmp_path):
    def broken():
        yield events.iloc[:2]
        raise RuntimeError("reader failed")

    target = tmp_path / "e.gpkg"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="reader failed"):
        write_events_chunks(broken(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["e.gpkg"]


def test_streamed_write_rejects_mismatched_chunks(events, tmp_path):
    with pytest.raises(InputError, match="columns differ"):
        write_events_chunks([events.iloc[:2], events.iloc[2:].drop(columns="notes")],
                            tmp_path / "e.csv")  # fmt: skip
    assert not (tmp_path / "e.csv").exists()
    with pytest.raises(InputError, match="unknown format"):
        write_events_chunks([events], tmp_path / "e.csv", format="shp")
    with EventsWriter(tmp_path / "none.geojson") as writer:
        pass
    assert json.loads(writer.path.read_text()) == {"type": "FeatureCollection", "features": []}


def test_parquet_chunks_written_in_the_background_come_out_in_order(events, tmp_path):
    chunks = [events.iloc[i : i + 1] for i in range(len(events))] * 3
    path = write_events_chunks(iter(chunks), tmp_path / "e.parquet")
    back = read_events(path)
    assert back["event_id_cnty"].tolist() == [c["event_id_cnty"].iloc[0] for c in chunks]


@pytest.mark.parametrize("fail_in", ["reading", "writing"])
def test_an_error_on_either_side_of_the_background_writer_leaves_no_file(events, tmp_path,
                                                                         fail_in):  # fmt: skip
    def chunks():
        yield events.iloc[:2]
        if fail_in == "reading":
            raise InputError("the table broke half way")
        yield events.iloc[2:].drop(columns="notes")  # refused by the writer thread
        yield events.iloc[2:]

    message = "half way" if fail_in == "reading" else "columns differ"
    with pytest.raises(InputError, match=message):
        write_events_chunks(chunks(), tmp_path / "e.parquet")
    assert not (tmp_path / "e.parquet").exists()
    assert list(tmp_path.iterdir()) == []
