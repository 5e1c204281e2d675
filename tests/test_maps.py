"""Unit tests of geo_events.maps: the payload, the layer, the map, saving (HTML output).

What a page does in a browser (filters, halos, downloads, a million events) is tested in
tests/browser; untrusted text in tests/test_maps_untrusted.py.
"""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from map_payload import decode_array, decode_columns, decode_numbers
from shapely import Point, box

from geo_events.errors import MapError
from geo_events.maps import (
    EventsLayer,
    MapOptions,
    MapSummary,
    events_map,
    external_urls,
    map_summary,
    save_map,
)
from geo_events.maps.frame import folium_locations
from geo_events.maps.payload import TEXT_COLUMNS, events_payload
from geo_events.maps.precision import NEAR_KM, REGION_DEFAULT_KM, uncertainty_km


def _gdf(n: int = 3, **cols) -> gpd.GeoDataFrame:
    data = {
        "event_type": (["Battles", "Protests", "Riots"] * n)[:n],
        "actor1": (["Army", "Protesters", "Rioters"] * n)[:n],
        "location": [f"Place {i}" for i in range(n)],
        "event_date": pd.date_range("2024-01-01", periods=n, freq="D"),
    }
    data.update(cols)
    return gpd.GeoDataFrame(
        data, geometry=[Point(36 + i * 0.01, 35 + i * 0.01) for i in range(n)], crs=4326
    )


def _texts(payload: dict, name: str) -> list[str]:
    return decode_columns(payload)[name]


# ---------------------------------------------------------------------------- payload


def test_folium_locations_swaps_to_lat_lon():
    locs = folium_locations(gpd.GeoSeries([Point(37.1, 36.2), None]))
    assert locs[0].tolist() == [36.2, 37.1]
    assert pd.isna(locs[1]).all()


def test_payload_round_trips_coordinates_texts_anddecode_numbers():
    gdf = _gdf(
        4,
        actor1=["Army", None, "Army", " Police "],
        fatalities=pd.array([0, None, 12, 300], dtype="Int64"),
        geo_precision=pd.array([1, 2, 3, None], dtype="Int8"),
        confidence=[0.5, None, 1.0, 7.0],  # 7.0 is out of range: missing, not 700 %
    )
    locations = folium_locations(gdf.geometry)
    data = events_payload(gdf, locations).data
    n = data["n"]
    assert n == 4
    lat = decode_array(data["lat"], n) / 1e5
    lon = decode_array(data["lon"], n) / 1e5
    assert np.allclose(lat, [35, 35.01, 35.02, 35.03]) and np.allclose(
        lon, [36, 36.01, 36.02, 36.03]
    )
    assert _texts(data, "actor1") == ["Army", "", "Army", "Police"]
    assert _texts(data, "event_type") == ["Battles", "Protests", "Riots", "Battles"]
    num = data["num"]
    assert decode_numbers(num["fatalities"], n) == [0, None, 12, 300]
    assert decode_numbers(num["geo_precision"], n) == [1, 2, 3, None]
    assert decode_numbers(num["confidence"], n) == [50, None, 100, None]
    days = decode_numbers(num["date"], n)
    assert [pd.Timestamp(d, unit="D").date().isoformat() for d in days] == [
        "2024-01-01",
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
    ]
    # A column with one value for every event costs no bytes.
    assert data["cols"]["admin1"]["codes"] == {"t": "c", "v": 0}


def test_payload_ships_the_schema_text_columns_and_can_leave_notes_out():
    assert {"actor1", "actor2", "claim_status", "denied_by", "notes"} <= set(TEXT_COLUMNS)
    assert "read_issues" not in TEXT_COLUMNS  # bookkeeping, not for the reader
    gdf = _gdf(2, notes=["a long note", "another"], evidence=["x", "y"])
    locations = folium_locations(gdf.geometry)
    with_notes = events_payload(gdf, locations).data["cols"]
    without = events_payload(gdf, locations, include_notes=False).data["cols"]
    assert _texts({"n": 2, "cols": with_notes}, "notes") == ["a long note", "another"]
    assert "notes" not in without and "evidence" not in without


def test_payload_cuts_long_notes_and_counts_types():
    gdf = _gdf(3, notes=["x" * 50, "short", None])
    payload = events_payload(gdf, folium_locations(gdf.geometry), max_text_length=10)
    notes = _texts(payload.data, "notes")
    assert notes[0] == "x" * 9 + "…" and notes[1:] == ["short", ""]
    assert payload.event_types == {"Battles": 1, "Protests": 1, "Riots": 1}


def test_uncertainty_grows_with_geo_precision_and_the_country():
    frame = pd.DataFrame(
        {
            "geo_precision": pd.array([1, 2, 3, 3, 3, None], dtype="Int8"),
            "country_code": ["SY", "SY", "SY", "RU", None, "SY"],
        }
    )
    km = uncertainty_km(frame).tolist()
    assert km[0] == 0 and km[5] == 0  # exact, and unknown precision: no halo
    assert km[1] == NEAR_KM
    assert NEAR_KM < km[2] < km[3]  # a Syrian governorate is smaller than a Russian oblast
    assert km[4] == REGION_DEFAULT_KM


# ------------------------------------------------------------------------------ layer


def test_events_layer_goes_on_any_folium_map_and_renders_offline():
    m = folium.Map(tiles=None)
    layer = EventsLayer(_gdf(3), name="My events").add_to(m)
    assert isinstance(layer.summary, MapSummary) and layer.summary.n_mapped == 3
    assert map_summary(m) is layer.summary
    page = m.get_root().render()
    assert "L.geoEventsLayer(" in page and f"{layer.get_name()}.addTo(" in page
    # Leaflet is in the page, not on a CDN: the map opens with the network off.
    assert external_urls(page) == []
    assert "L.version" in page or "Leaflet" in page


def test_events_layer_rendered_alone_says_what_to_do():
    with pytest.raises(MapError, match="add the EventsLayer to a folium Map"):
        EventsLayer(_gdf(1)).render()
    with pytest.raises(MapError, match="has no EventsLayer"):
        map_summary(folium.Map(tiles=None))


def test_summary_is_a_typed_object_with_counts_and_the_time_slider():
    summary = map_summary(events_map(_gdf(30), tiles=None))
    assert summary.n_input == summary.n_mapped == 30
    assert summary.event_types == {"Battles": 10, "Protests": 10, "Riots": 10}
    assert summary.time_slider
    undated = map_summary(events_map(_gdf(3).drop(columns="event_date"), tiles=None))
    assert not undated.time_slider


def test_large_maps_leave_notes_out_and_say_so():
    gdf = _gdf(5, notes=[f"note {i}" for i in range(5)])
    summary = map_summary(events_map(gdf, tiles=None, marker_threshold=2))
    assert any("notes and evidence left out" in note for note in summary.notes)
    kept = map_summary(events_map(gdf, tiles=None, marker_threshold=2, popup_notes=True))
    assert not kept.notes


# -------------------------------------------------------------------------------- map


def test_reprojects_other_crs():
    m = events_map(_gdf(2).to_crs(3857), tiles=None)
    lat, lon = m.location
    assert lat == pytest.approx(35.005, abs=1e-6)
    assert lon == pytest.approx(36.005, abs=1e-6)


def test_dataframe_with_lat_lon_and_unmappable_rows_are_reported():
    df = pd.DataFrame(
        {"event_type": ["Battles", "Riots"], "latitude": [35.0, None], "longitude": [36.0, None]}
    )
    with pytest.warns(UserWarning, match="1 of 2 events"):
        m = events_map(df, tiles=None)
    summary = map_summary(m)
    assert summary.unmappable == (1,) and summary.n_mapped == 1
    assert any("without coordinates" in note for note in summary.notes)
    with pytest.raises(MapError, match="no usable coordinates"):
        events_map(df, tiles=None, on_error="raise")


def test_no_geometry_raises_clear_error():
    with pytest.raises(MapError, match="no geometry column and no latitude/longitude"):
        events_map(pd.DataFrame({"event_type": ["Battles"]}))


def test_options_validation_unknown_and_deprecated_names():
    with pytest.raises(MapError, match="unknown map option"):
        events_map(_gdf(1), tilez=None)
    with pytest.raises(MapError, match="on_error must be one of"):
        MapOptions(on_error="ignore")
    with pytest.warns(DeprecationWarning, match="on_unmappable"):
        assert MapOptions(on_unmappable="keep").on_error == "keep"
    with pytest.raises(MapError, match="marker_threshold must be"):
        MapOptions(marker_threshold=-1)
    with pytest.raises(MapError, match="unknown tile provider"):
        events_map(_gdf(1), tiles="No.Such.Tiles")
    with pytest.warns(DeprecationWarning, match="use 'marker_threshold'"):
        m = events_map(_gdf(5, notes=["n"] * 5), tiles=None, fast_threshold=2)
    assert any("left out" in note for note in map_summary(m).notes)  # the new name applied


def test_default_map_has_the_geography_and_tiles_only_as_an_extra():
    m = events_map(_gdf(3))
    page = m.get_root().render()
    assert "L.geoEventsGeography(" in page
    assert "window.geoEventsGeographyData" in page
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1 and not tiles[0].show  # online tiles: an extra, off at start
    assert "L.control.layers" in page
    assert external_urls(page) == []
    plain = events_map(_gdf(3), geography=False).get_root().render()
    assert "L.geoEventsGeography(" not in plain and "tile.openstreetmap.org" in plain


def test_fit_leaves_room_for_the_panel_and_keeps_the_region_in_view():
    page = events_map(_gdf(1), tiles=None).get_root().render()
    fit = re.search(r"map_\w+\.fitBounds\((.*?)\);", page, re.S)
    assert fit is not None
    args = re.sub(r"\s", "", fit.group(1))
    assert '"paddingBottomRight":[270,20]' in args and '"maxZoom":7' in args


def test_choropleth_counts_and_escapes_names():
    areas = gpd.GeoDataFrame(
        {"name": ["<img src=x onerror=alert(2)>", "empty"]},
        geometry=[box(35.5, 34.5, 36.5, 35.5), box(0, 0, 1, 1)],
        crs=4326,
    )
    page = events_map(_gdf(3), tiles=None, admin_areas=areas).get_root().render()
    assert "<img src=x" not in page
    assert '"ge_count": 3' in page or '"ge_count":3' in page


def test_notebook_repr_is_offline_and_not_huge():
    html = events_map(_gdf(5), tiles=None)._repr_html_()
    assert 0 < len(html) < 3 * 1024 * 1024
    assert "cdn.jsdelivr.net" not in html


# ------------------------------------------------------------------------------- save


def test_save_map_writes_an_offline_page(tmp_path):
    out = save_map(events_map(_gdf(3), tiles=None), tmp_path / "m.html")
    page = out.read_text(encoding="utf-8")
    assert external_urls(page) == []
    assert page.count("<script>") > 3  # Leaflet, our layers, the data: all inline


def test_save_map_cdn_links_the_scripts(tmp_path):
    out = save_map(events_map(_gdf(3), tiles=None), tmp_path / "m.html", cdn=True)
    urls = external_urls(out.read_text(encoding="utf-8"))
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" in urls


def test_save_map_assets_dir_expands_home_and_links_relative_copies(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    out = save_map(events_map(_gdf(3), tiles=None), tmp_path / "maps" / "m.html",
                   assets_dir="~/assets")  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert external_urls(page) == []
    srcs = re.findall(r'<script src="([^"]+)"', page)
    assert srcs and all(s.startswith("../assets/") for s in srcs)
    for src in srcs:
        assert (out.parent / src).is_file()
    assert (tmp_path / "assets").is_dir()


def test_save_map_refuses_what_it_cannot_write(tmp_path):
    m = events_map(_gdf(1), tiles=None)
    with pytest.raises(MapError, match="not both"):
        save_map(m, tmp_path / "m.html", cdn=True, assets_dir=tmp_path / "a")
    with pytest.raises(MapError, match=r"needs a folium\.Map"):
        save_map("not a map", tmp_path / "m.html")
    with pytest.raises(MapError, match="options apply when building"):
        save_map(m, tmp_path / "m.html", tiles=None)


def test_save_map_still_takes_a_frame_with_a_warning(tmp_path):
    with pytest.warns(DeprecationWarning, match="pass a map"):
        out = save_map(_gdf(2), tmp_path / "m.html", tiles=None)
    assert "L.geoEventsLayer(" in out.read_text(encoding="utf-8")
