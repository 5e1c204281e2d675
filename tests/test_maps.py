"""Unit tests of geo_events.maps (HTML output; the browser tests live in tests/browser)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point, box

from geo_events.errors import MapError
from geo_events.maps import MapOptions, events_map, save_map
from geo_events.maps.assets import asset_urls, inline_assets
from geo_events.maps.frame import folium_locations
from geo_events.maps.popups import escape_text, event_displays, json_for_script

XSS = ["<script>alert(1)</script>", "</script><img src=x onerror=alert(2)>", "`${alert(3)}`\\"]


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


def test_folium_locations_swaps_to_lat_lon():
    locs = folium_locations(gpd.GeoSeries([Point(37.1, 36.2), None]))
    assert locs[0].tolist() == [36.2, 37.1]
    assert pd.isna(locs[1]).all()


@pytest.mark.parametrize("fast_threshold", [2000, 0])
def test_untrusted_text_never_appears_raw(fast_threshold):
    gdf = _gdf(
        3,
        event_type=[XSS[0], "Battles", XSS[2]],
        actor1=XSS,
        location=XSS[::-1],
        notes=XSS,
        evidence=XSS,
    )
    html = events_map(gdf, tiles=None, fast_threshold=fast_threshold).get_root().render()
    for s in XSS[:2]:  # XSS[2] is inert inside JSON; the browser tests show it as text
        assert s not in html
    # Only our own scripts: no injected script element.
    assert html.lower().count("<script>alert") == 0


def test_escape_text_neutralises_template_literal_and_jinja_characters():
    out = escape_text("`${x}`\\<&\"' {{ y }} {% z %}")
    assert not set("`$\\<>{}") & set(out)


def test_json_for_script_cannot_close_script():
    assert "</" not in json_for_script({"a": "</script><!--"})


def test_reprojects_other_crs():
    gdf = _gdf(2).to_crs(3857)
    m = events_map(gdf, tiles=None)
    lat, lon = m.location
    assert lat == pytest.approx(35.005, abs=1e-6)
    assert lon == pytest.approx(36.005, abs=1e-6)


def test_dataframe_with_lat_lon_and_unmappable_rows_are_reported():
    df = pd.DataFrame(
        {"event_type": ["Battles", "Riots"], "latitude": [35.0, None], "longitude": [36.0, None]}
    )
    with pytest.warns(UserWarning, match="1 of 2 events"):
        m = events_map(df, tiles=None)
    assert m.geo_events["unmappable"] == [1]
    with pytest.raises(MapError, match="no usable coordinates"):
        events_map(df, tiles=None, on_unmappable="raise")


def test_no_geometry_raises_clear_error():
    with pytest.raises(MapError, match="no geometry column and no latitude/longitude"):
        events_map(pd.DataFrame({"event_type": ["Battles"]}))


def test_options_validation_and_unknown_override():
    with pytest.raises(MapError, match="unknown map option"):
        events_map(_gdf(1), tilez=None)
    with pytest.raises(MapError, match="on_unmappable"):
        MapOptions(on_unmappable="ignore")
    with pytest.raises(MapError, match="unknown tile provider"):
        events_map(_gdf(1), tiles="No.Such.Tiles")


def test_layers_modes_and_time_slider():
    m = events_map(_gdf(30), tiles=None)
    info = m.geo_events
    assert info["mode"] == "markers" and info["time_slider"]
    assert set(info["event_types"]) == {"Battles", "Protests", "Riots"}
    big = events_map(_gdf(30), tiles=None, fast_threshold=10, time_slider=False)
    assert big.geo_events["mode"] == "compact" and not big.geo_events["time_slider"]
    html = big.get_root().render()
    assert html.count("L.marker(") == 1  # one marker factory, not one call per event


def test_popup_fields_show_precision_and_claims():
    gdf = _gdf(
        1,
        time_precision=[2],
        geo_precision=[3],
        claim_status=["denied"],
        denied_by=["Ministry"],
        fatalities=pd.array([None], dtype="Int64"),
    )
    (disp,) = event_displays(gdf)
    fields = dict(disp.fields)
    assert fields["Date"] == "2024-01-01 (within a week)"
    assert fields["Fatalities"] == "unknown"
    assert "denied by Ministry" in fields["Claim"] and disp.denied
    assert fields["Geo precision"].startswith("3 ")


def test_choropleth_counts_and_escapes_names():
    areas = gpd.GeoDataFrame(
        {"name": [XSS[1], "empty"]},
        geometry=[box(35.5, 34.5, 36.5, 35.5), box(0, 0, 1, 1)],
        crs=4326,
    )
    m = events_map(_gdf(3), tiles=None, admin_areas=areas)
    html = m.get_root().render()
    assert XSS[1] not in html
    assert '"ge_count": 3' in html or '"ge_count":3' in html


def test_self_contained_requires_assets(tmp_path):
    with pytest.raises(MapError, match="does not exist"):
        save_map(_gdf(1), tmp_path / "m.html", self_contained=True, assets_dir=tmp_path / "no")
    with pytest.raises(MapError, match="no local copy"):
        inline_assets('<script src="https://cdn.example/x.js"></script>', tmp_path)


def test_inline_assets_inlines_and_escapes_script_end(tmp_path):
    mirror = tmp_path / "cdn.example" / "lib"
    mirror.mkdir(parents=True)
    (mirror / "x.js").write_text("var s = '</script>';")
    (mirror / "x.css").write_text(".a{background:url(i.png)}")
    (mirror / "i.png").write_bytes(b"\x89PNG")
    html = (
        '<script src="https://cdn.example/lib/x.js"></script>'
        '<link rel="stylesheet" href="https://cdn.example/lib/x.css"/>'
    )
    out = inline_assets(html, tmp_path)
    assert asset_urls(out) == []
    assert "<\\/script>" in out and "data:image/png;base64," in out


def test_notebook_repr_size_is_measurable():
    m = events_map(_gdf(5), tiles=None)
    assert 0 < len(m._repr_html_()) < 2 * 1024 * 1024
