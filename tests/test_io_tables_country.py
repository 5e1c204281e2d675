"""Given coordinates are checked against the row's country (Natural Earth boundaries)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from geo_events.gazetteer.boundaries import country_boundaries, outside_country_km
from geo_events.io.tables import events_from_table


def test_outside_country_km_inside_near_the_coast_and_far():
    km = outside_country_km(
        ["SY", "SY", "KE", "sy", None, "XX", "SY"],
        [35.93, 48.85, -4.05, 35.93, 35.93, 35.93, np.nan],
        [36.63, 2.35, 39.70, 36.63, 36.63, 36.63, 36.63],
    )
    assert km[0] == 0 and km[3] == 0  # Idlib, in Syria (codes are case-insensitive)
    assert 3000 < km[1] < 4500  # Paris is far from Syria
    assert km[2] == 0  # Mombasa's shore: within the tolerance of the 1:10m coastline
    assert np.isnan(km[4:]).all()  # no country, unknown country, no point


def test_every_conflict_country_has_a_boundary():
    codes = set(country_boundaries()["iso2"])
    assert {"SY", "IQ", "YE", "UA", "SD", "SO", "ML", "BF", "NE", "MM", "AF", "FR", "NO"} <= codes


def test_a_swap_that_stays_in_range_is_found_and_fixed(tmp_path, gazetteer):
    path = tmp_path / "t.csv"
    path.write_text(
        "location,country,latitude,longitude\n"
        "Idlib,Syria,36.63,35.93\n"  # swapped: in range, but in Turkey
        "Idlib,Syria,35.93,36.63\n"
        "Elsewhere,Syria,48.85,2.35\n"  # outside Syria either way
        "Mombasa,Kenya,-4.05,39.66\n",
        encoding="utf-8",
    )
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert len(events) == 4  # every row kept
    assert events["geocode_status"].tolist() == ["swapped", "given", "given", "given"]
    assert events.loc[0, ["latitude", "longitude"]].tolist() == [35.93, 36.63]
    assert events.geometry[0].x == 36.63 and events.geometry[0].y == 35.93
    assert "swapped in the input" in events.loc[0, "geocode_reason"]
    assert "km outside SY" in events.loc[2, "geocode_reason"]
    assert events.loc[2, ["latitude", "longitude"]].tolist() == [48.85, 2.35]  # kept, flagged
    assert pd.isna(events.loc[1, "geocode_reason"]) and pd.isna(events.loc[3, "read_issues"])
    assert report.n_issues == 2
    assert any("outside the row's country" in str(i) for i in report.issues)
