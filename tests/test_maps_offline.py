"""A map's resources and base geography come from installed packages (no network)."""

from __future__ import annotations

import folium
import pytest
from branca.element import JavascriptLink

from geo_events.errors import MapError
from geo_events.maps import BaseGeography, external_urls, geography_data, offline_resources
from geo_events.maps import resources as res
from geo_events.maps.geography import DECIMALS, LABEL_KINDS

FA_CSS = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"
LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"


# -------------------------------------------------------------------------- resources


def test_every_link_of_a_plain_folium_map_is_inlined():
    m = folium.Map(tiles=None)
    folium.Marker([35, 36], icon=folium.Icon(icon="info-sign")).add_to(m)
    offline_resources(m.get_root())
    page = m.get_root().render()
    assert external_urls(page) == []
    assert "window.L" in page or "L.version" in page or "Leaflet" in page


def test_font_awesome_fonts_are_embedded_not_referenced():
    css = res.resource_text(FA_CSS)
    assert css is not None
    assert "../webfonts/" not in css
    assert "data:font/woff2;base64," in css


def test_inlined_text_cannot_close_its_script(monkeypatch):
    table = {LEAFLET_JS: "var s = '</script><script>alert(1)</script>';"}
    monkeypatch.setattr(res, "_packaged", lambda: table)
    fig = folium.Figure()
    fig.header.add_child(JavascriptLink(LEAFLET_JS), name="leaflet")
    offline_resources(fig)
    head = fig.header.render()
    assert head.count("</script>") == 1  # only the element's own end tag
    assert "<\\/script><script>alert(1)<\\/script>" in head


def test_a_link_no_package_holds_stays_and_is_reported():
    fig = folium.Figure()
    fig.header.add_child(JavascriptLink("https://example.org/plugin.js"), name="plugin")
    header = offline_resources(fig)
    with pytest.warns(UserWarning, match="not available offline.*example.org/plugin.js"):
        head = fig.header.render()
    assert '<script src="https://example.org/plugin.js">' in head
    assert header.missing == ["https://example.org/plugin.js"]


def test_modes_switch_on_the_same_header_and_bad_modes_are_refused(tmp_path):
    fig = folium.Figure()
    fig.header.add_child(JavascriptLink(LEAFLET_JS), name="leaflet")
    first = offline_resources(fig)
    assert offline_resources(fig, mode="cdn") is first
    assert f'<script src="{LEAFLET_JS}">' in fig.header.render()
    offline_resources(fig, mode="local", assets_dir=tmp_path / "a", page_dir=tmp_path)
    head = fig.header.render()
    assert '<script src="a/' in head and len(list((tmp_path / "a").iterdir())) == 1
    with pytest.raises(MapError, match="mode must be one of"):
        offline_resources(fig, mode="online")
    with pytest.raises(MapError, match="needs assets_dir and page_dir"):
        offline_resources(fig, mode="local")
    with pytest.raises(MapError, match="needs a figure"):
        offline_resources(folium.Map(tiles=None))


def test_the_deprecated_asset_helpers_still_work():
    from geo_events.maps.assets import inline_assets

    with pytest.warns(DeprecationWarning, match="render offline by default"):
        out = inline_assets(f'<script src="{LEAFLET_JS}"></script>')
    assert external_urls(out) == [] and len(out) > 100_000
    with (
        pytest.warns(DeprecationWarning, match="deprecated"),
        pytest.raises(MapError, match="no installed package"),
    ):
        inline_assets('<script src="https://example.org/x.js"></script>')


# -------------------------------------------------------------------------- geography


def _ring_degrees(ring: list[int], digits: int) -> list[tuple[float, float]]:
    x = y = 0
    out = []
    for i in range(0, len(ring), 2):
        x += ring[i]
        y += ring[i + 1]
        out.append((x / 10**digits, y / 10**digits))
    return out


def test_geography_has_every_conflict_country_outlined_where_it_is():
    data = geography_data()
    by_iso = {row[0]: row for row in data["countries"]}
    for iso in ("SYR", "MMR", "UKR", "MLI", "SOM", "SDN", "YEM", "AFG", "KEN", "COD"):
        assert iso in by_iso, f"{iso} has no outline"
    syria = by_iso["SYR"]
    for level, digits in zip((1, 2), DECIMALS, strict=True):
        points = [p for ring in syria[level] for p in _ring_degrees(ring, digits)]
        lons, lats = zip(*points, strict=True)
        assert 35.4 < min(lons) < 36.0 and 42.0 < max(lons) < 42.6
        assert 32.2 < min(lats) < 32.8 and 37.0 < max(lats) < 37.6
    # The world level is coarser than the region level.
    assert sum(map(len, syria[1])) < sum(map(len, syria[2]))


def test_geography_labels_capitals_early_and_admin1_late():
    labels = geography_data()["labels"]
    rows = list(zip(labels["name"], labels["lat"], labels["lon"], labels["kz"], strict=True))
    kinds: dict[str, tuple[str, int]] = {}
    for name, _, _, kz in rows:  # the first label of a name (Damascus is an admin-1 too)
        kinds.setdefault(name, (LABEL_KINDS[kz // 10], kz % 10))
    assert kinds["Damascus"] == ("capital", 4)
    assert kinds["Syria"][0] == "country" and kinds["Syria"][1] <= 4
    assert kinds["Aleppo"][0] == "city"
    damascus = next(r for r in rows if r[0] == "Damascus")
    assert abs(damascus[1] / 100 - 33.51) < 0.1 and abs(damascus[2] / 100 - 36.29) < 0.1
    admin1 = [kz % 10 for *_, kz in rows if LABEL_KINDS[kz // 10] == "admin1"]
    assert admin1 and min(admin1) > 4
    # Drawing priority: every country before every city.
    order = [LABEL_KINDS[kz // 10] for *_, kz in rows]
    assert max(i for i, k in enumerate(order) if k == "country") < order.index("city")


def test_geography_goes_into_a_page_once_with_its_attribution():
    m = folium.Map(tiles=None)
    BaseGeography().add_to(m)
    BaseGeography(name="Second", show=False, labels=False).add_to(m)
    page = m.get_root().render()
    assert page.count("window.geoEventsGeographyData =") == 1
    assert page.count("L.geoEventsGeography(") == 2
    assert "GeoNames (CC BY 4.0)" in page and "Natural Earth" in page
    assert len(page) < 2_000_000  # the base map stays light
