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


# ------------------------------------- single points: the grid, against brute force and the tree


def _points(rng, lat, lon):
    """Random points: anywhere, near places, near the poles, across the antimeridian."""
    n = 120
    pick = rng.integers(0, len(lat), n)
    near = (np.clip(lat[pick] + rng.normal(0, 0.05, n), -90, 90),
            (lon[pick] + rng.normal(0, 0.05, n) + 180) % 360 - 180)  # fmt: skip
    pole = np.where(rng.random(40) < 0.5, 1, -1) * (90 - rng.exponential(1.5, 40).clip(0, 90))
    edge = np.clip(rng.choice([-180.0, 180.0], 40) + rng.normal(0, 0.02, 40), -180, 180)
    exact = np.array([90.0, -90.0, 0.0, 0.0, 45.0, 35.3125, -0.0625])  # poles, edges, cell lines
    return (np.concatenate([rng.uniform(-90, 90, n), near[0], pole, rng.uniform(-70, 70, 40),
                            exact]),
            np.concatenate([rng.uniform(-180, 180, n), near[1], rng.uniform(-180, 180, 40), edge,
                            [0.0, 180.0, 180.0, -180.0, 40.0625, 40.0, 179.9375]]))  # fmt: skip


@pytest.mark.parametrize("max_km", [5.0, 200.0, 1e9])
def test_single_nearest_equals_brute_force_and_the_tree(gazetteer, max_km):
    tree = gazetteer._place_tree()
    ix = gazetteer.index
    lats, lons = ix.latitude[tree.rows], ix.longitude[tree.rows]
    qlat, qlon = _points(np.random.default_rng(int(max_km) % 97), lats, lons)
    for la, lo in zip(qlat.tolist(), qlon.tolist(), strict=True):
        got = tree.nearest(la, lo, max_km)
        assert got == tree._tree_nearest(la, lo, max_km), (la, lo)  # the tree's answer, exactly
        best, km = _brute(la, lo, lats, lons)
        if km > max_km + 1e-6:
            assert got is None, (la, lo)
            continue
        if got is None:  # only a place at the very bound may be missed by rounding
            assert km == pytest.approx(max_km, abs=1e-6)
            continue
        row, got_km = got
        assert got_km == pytest.approx(km, abs=1e-6), (la, lo)
        if row != int(tree.rows[best]):  # only a tie may differ
            other = float(haversine_km(la, lo, ix.latitude[row], ix.longitude[row]))
            assert other == pytest.approx(km, abs=1e-6)


def test_the_grid_on_small_trees_at_the_poles_and_the_antimeridian():
    rng = np.random.default_rng(3)
    for lats, lons in (
        (np.array([89.99, -89.99, 0.0, 0.0]), np.array([0.0, 180.0, 179.999, -179.999])),
        (rng.uniform(-90, 90, 500), rng.uniform(-180, 180, 500)),
        (np.clip(88 + rng.normal(0, 1, 300), -90, 90), rng.uniform(-180, 180, 300)),
    ):
        tree = PlaceTree(np.arange(len(lats)) + 100, lats, lons)
        qlat, qlon = _points(rng, lats, lons)
        for la, lo in zip(qlat.tolist(), qlon.tolist(), strict=True):
            for max_km in (1.0, 50.0, 20_000.0):
                got = tree.nearest(la, lo, max_km)
                assert got == tree._tree_nearest(la, lo, max_km), (la, lo, max_km)
                _, km = _brute(la, lo, lats, lons)
                if got is not None:
                    assert got[1] == pytest.approx(km, abs=1e-6)
                else:
                    assert km > max_km - 1e-6


def test_places_at_one_point_are_kept_once_the_most_populous():
    lats = np.array([10.0, 10.0, 10.0, 20.0])
    lons = np.array([5.0, 5.0, 5.0, 5.0])
    tree = PlaceTree(np.array([1, 2, 3, 4]), lats, lons, np.array([10, 500, 500, 1]))
    assert tree.rows.tolist() == [2, 4]  # of the three at (10, 5): the most populous, first
    assert tree.nearest(10.001, 5.0, 10)[0] == 2
    assert tree.nearest_many(np.array([10.001]), np.array([5.0]), 10)[0].tolist() == [2]
