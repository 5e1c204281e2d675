from __future__ import annotations

from collections import Counter

import geopandas as gpd
import h3
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo_events.errors import ValidationError
from geo_events.events.analysis import count_events, filter_events, grid_density, h3_density
from geo_events.events.schema import to_events_frame


@pytest.fixture
def events():
    return to_events_frame(
        pd.DataFrame(
            {
                "event_id_cnty": [f"E{i}" for i in range(7)],
                "event_date": ["2024-01-01", "2024-01-07", "2024-01-08", "2024-02-15",
                               "2024-02-16", "2024-03-01", None],
                "event_type": ["Battles", "Battles", "Protests", "Battles", "Riots",
                               "Protests", "Battles"],
                "actor1": ["Army", "Army", "Students", "Rebels", "Army", None, "Rebels"],
                "actor2": ["Rebels", "Rebels", None, "Army", "Army", None, None],
                "assoc_actor_1": [None, "Militia A; Militia B", None, None, None, None, None],
                "country": ["Syria", "Syria", "Syria", "Iraq", "Iraq", None, "Syria"],
                "country_code": ["SY", "SY", "SY", "IQ", "IQ", None, "SY"],
                "admin1": ["Dayr az Zawr", "Dayr az Zawr", "Dimashq", "Ninawa", "Ninawa", None,
                           "Dayr az Zawr"],
                "latitude": [35.33, 35.34, 33.51, 36.34, 36.35, None, 35.33],
                "longitude": [40.14, 40.15, 36.29, 43.13, 43.14, None, 179.99],
                "fatalities": [3, 1, 0, 5, None, 0, 2],
                "geocode_status": ["given"] * 5 + ["unmatched", "given"],
                "geocode_reason": [None] * 5 + ["no place", None],
            }
        )
    )  # fmt: skip


def test_counts_by_country_add_up(events):
    out = count_events(events, "country")
    assert out["events"].sum() == len(events)
    row = out.set_index("country").loc["Syria"]
    assert row["events"] == 4 and row["fatalities"] == 6
    assert out["country"].isna().sum() == 1  # unknown country is its own group


def test_counts_by_admin_and_type(events):
    out = count_events(events, ["country", "admin1", "event_type"])
    key = ("Syria", "Dayr az Zawr", "Battles")
    assert out.set_index(["country", "admin1", "event_type"]).loc[key, "events"] == 3
    assert out["events"].sum() == len(events)


def test_counts_per_month_and_week(events):
    monthly = count_events(events, "event_type", freq="month")
    jan = monthly[
        (monthly["period"] == pd.Timestamp("2024-01-01")) & (monthly["event_type"] == "Battles")
    ]
    assert jan["events"].item() == 2
    assert monthly["events"].sum() == len(events)
    weekly = count_events(events, [], freq="week")
    # 2024-01-01 is a Monday and 2024-01-07 the Sunday of the same week
    first = weekly[weekly["period"] == pd.Timestamp("2024-01-01")]
    assert first["events"].item() == 2
    with pytest.raises(ValidationError, match="freq"):
        count_events(events, freq="fortnight")


def test_counts_per_actor(events):
    out = count_events(events, "actor")
    named = out.dropna(subset=["actor"]).set_index("actor")["events"]
    # E4 has Army as both actors: counted once for Army
    assert named.to_dict() == {"Army": 4, "Rebels": 4, "Students": 1}
    # E5 has no actor at all: it still counts, once, under <NA>
    assert out.loc[out["actor"].isna(), "events"].tolist() == [1]


def test_h3_density(events):
    grid = h3_density(events, resolution=5)
    assert isinstance(grid, gpd.GeoDataFrame) and grid.crs.to_epsg() == 4326
    assert grid["events"].sum() == 6 and grid.attrs["unplaced_events"] == 1
    placed = events[events["latitude"].notna()]
    expected = Counter(
        h3.latlng_to_cell(a, b, 5)
        for a, b in zip(placed["latitude"], placed["longitude"], strict=False)
    )
    assert grid.set_index("h3_cell")["events"].to_dict() == dict(expected)
    cell = h3.latlng_to_cell(36.34, 43.13, 5)
    row = grid.set_index("h3_cell").loc[cell]
    assert row["geometry"].contains(Point(43.13, 36.34))
    assert row["fatalities"] == sum(
        f
        for a, b, f in zip(
            placed["latitude"], placed["longitude"], placed["fatalities"].fillna(0), strict=False
        )
        if h3.latlng_to_cell(a, b, 5) == cell
    )
    assert (grid.geometry.geom_type == "Polygon").all()
    # the cell by the antimeridian stays a small polygon
    assert grid.geometry.bounds.eval("maxx - minx").max() < 5
    with pytest.raises(ValidationError):
        h3_density(events, resolution=16)


def test_regular_grid(events):
    grid = grid_density(events, cell_size=1.0)
    assert grid["events"].sum() == 6
    row = grid[grid.geometry.contains(Point(40.14, 35.33))]
    assert row["events"].item() == 2
    assert row.geometry.item().equals(box(40, 35, 41, 36))
    widths = grid.geometry.bounds.eval("maxx - minx")
    assert (widths == 1.0).all()
    with pytest.raises(ValidationError):
        grid_density(events, cell_size=0)


def test_filters(events):
    assert list(filter_events(events, start="2024-01-07", end="2024-02-15")["event_id_cnty"]) == [
        "E1",
        "E2",
        "E3",
    ]
    assert set(filter_events(events, event_types="battles")["event_id_cnty"]) == {
        "E0",
        "E1",
        "E3",
        "E6",
    }
    assert set(filter_events(events, actors=["Militia B"])["event_id_cnty"]) == {"E1"}
    assert set(filter_events(events, actors="students")["event_id_cnty"]) == {"E2"}
    assert set(filter_events(events, countries=["IQ"])["event_id_cnty"]) == {"E3", "E4"}
    assert set(filter_events(events, bbox=(40, 35, 41, 36))["event_id_cnty"]) == {"E0", "E1"}
    # a box across the antimeridian
    assert set(filter_events(events, bbox=(179, 35, -179, 36))["event_id_cnty"]) == {"E6"}
    poly = gpd.GeoSeries([box(36, 33, 41, 36)], crs=4326)
    assert set(filter_events(events, within=poly)["event_id_cnty"]) == {"E0", "E1", "E2"}
    both = filter_events(events, within=poly.iloc[0], event_types=["Protests"])
    assert list(both["event_id_cnty"]) == ["E2"]
    assert len(filter_events(events)) == len(events)
