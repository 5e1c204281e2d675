"""Reverse geocoding through the k-d tree agrees with a brute-force scan of every place."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point

from geo_events.errors import GazetteerQueryError
from geo_events.gazetteer import Kind
from geo_events.gazetteer.nearest import PlaceTree
from geo_events.gazetteer.records import haversine_km
from geo_events.gazetteer.store import KIND_CODES

DEIR_EZ_ZOR_CITY = 170794


def _brute(lat, lon, lats, lons):
    km = haversine_km(lat, lon, lats, lons)
    best = int(np.argmin(km))
    return best, float(km[best])


def test_tree_finds_the_nearest_across_the_antimeridian_and_the_pole():
    lats = np.array([0.0, 0.0, 89.9, -10.0])
    lons = np.array([179.9, 170.0, 10.0, -179.5])
    tree = PlaceTree(np.array([10, 11, 12, 13]), lats, lons)
    assert tree.nearest(0.0, -179.95, 1000)[0] == 10  # across the antimeridian: 17 km
    assert tree.nearest(89.95, -170.0, 1000)[0] == 12  # over the pole
    assert tree.nearest(-10.0, 179.9, 1000)[0] == 13
    assert tree.nearest(45.0, 0.0, 100) is None
    rows, km = tree.nearest_many(
        np.array([0.0, 45.0, np.nan, 91.0]), np.array([-179.95, 0.0, 0.0, 0.0]), 1000
    )
    assert rows.tolist() == [10, -1, -1, -1]
    assert km[0] == pytest.approx(_brute(0.0, -179.95, lats, lons)[1], rel=1e-9)
    assert np.isnan(km[1:]).all()


def test_an_empty_tree_answers_nothing():
    tree = PlaceTree(np.array([], dtype=np.int64), np.array([]), np.array([]))
    assert tree.nearest(0, 0, 1e9) is None
    rows, _ = tree.nearest_many(np.array([1.0]), np.array([1.0]), 1e9)
    assert rows.tolist() == [-1]


def test_reverse_many_equals_brute_force_over_every_place(gazetteer):
    ix = gazetteer.index
    # Every populated place, as the scan before the tree saw them.
    rows = np.flatnonzero(np.asarray(ix.kind) == KIND_CODES.index(Kind.PLACE))
    assert len(rows) > 100_000
    rng = np.random.default_rng(7)
    lat = np.concatenate([rng.uniform(-60, 75, 150), [35.34, 89.0, -89.0, 0.0]])
    lon = np.concatenate([rng.uniform(-180, 180, 150), [40.14, 179.99, -179.99, -179.999]])
    table = gazetteer.reverse_many(np.column_stack([lat, lon]), max_km=1e9)
    assert len(table) == len(lat) and table["geonameid"].notna().all()
    for i in range(len(lat)):
        best, km = _brute(lat[i], lon[i], ix.latitude[rows], ix.longitude[rows])
        assert table["distance_km"][i] == pytest.approx(km, abs=1e-6)
        if table["geonameid"][i] != int(ix.geonameid[rows[best]]):  # only a tie may differ
            other = haversine_km(lat[i], lon[i], table["latitude"][i], table["longitude"][i])
            assert float(other) == pytest.approx(km, abs=1e-6)


def test_reverse_many_matches_reverse_and_keeps_every_point_in_order(gazetteer):
    points = [(35.34, 40.14), (0.0, -160.0), (float("nan"), 1.0), (36.2, 37.16), (95.0, 0.0)]
    table = gazetteer.reverse_many(points)
    assert len(table) == len(points)
    for i, point in enumerate(points):
        single = gazetteer.reverse(point)
        if single is None:
            assert table.loc[i].isna().all(), point
        else:
            assert table["geonameid"][i] == single.geonameid
            assert table["name"][i] == single.name
            assert table["admin1"][i] == single.admin1 and table["country"][i] == single.country
            assert table["distance_km"][i] == pytest.approx(-single.rank)
    assert table["geonameid"][0] == DEIR_EZ_ZOR_CITY
    assert table["country"][0] == "Syria"


def test_reverse_many_takes_shapely_points_and_geoseries_in_any_crs(gazetteer):
    pts = [Point(40.14, 35.34), Point(37.16, 36.2)]
    by_points = gazetteer.reverse_many(pts)
    by_series = gazetteer.reverse_many(gpd.GeoSeries(pts, crs=4326).to_crs(3857))
    assert by_points["geonameid"].tolist() == by_series["geonameid"].tolist()
    assert by_points["geonameid"][0] == DEIR_EZ_ZOR_CITY
    assert by_points["geonameid"][1] == 170063  # Aleppo


def test_reverse_many_max_km_and_bad_input(gazetteer):
    table = gazetteer.reverse_many([(35.34, 40.14), (35.34, 40.9)], max_km=5)
    assert table["geonameid"].notna().tolist() == [True, False]
    assert len(gazetteer.reverse_many([])) == 0
    assert list(gazetteer.reverse_many([]).columns)[-1] == "distance_km"
    with pytest.raises(GazetteerQueryError, match="shape"):
        gazetteer.reverse_many([(1.0, 2.0, 3.0)])
    with pytest.raises(GazetteerQueryError, match="pairs"):
        gazetteer.reverse_many([("a", "b")])
    with pytest.raises(GazetteerQueryError):
        gazetteer.reverse_many([(1.0, 2.0)], max_km=-1)
    assert isinstance(table["name"].dtype, pd.StringDtype)
