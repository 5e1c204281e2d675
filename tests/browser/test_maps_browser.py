"""Events maps in headless Chromium, offline: markers, popups, XSS, layer control, time slider."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import Point

from geo_events.maps import asset_urls, events_map, save_map

pytestmark = pytest.mark.browser

XSS_TITLE = "<script>alert(1)</script>"
XSS_PLACE = "</script><img src=x onerror=alert(2)>"
XSS_ACTOR = "`${alert(3)}` \\` \"quoted\" 'single'"
#: Jinja2 syntax, which folium would evaluate (1337) or choke on if it were not escaped.
JINJA = "{{ 7*191 }} {% raw %} {# c #} {%- x %}"


def _events() -> gpd.GeoDataFrame:
    rows = [
        # event_type, sub, actor1, actor2, location, date, claim, lon, lat
        (
            "Battles",
            "Armed clash",
            XSS_ACTOR,
            "Militia B",
            XSS_PLACE,
            "2024-01-02",
            "reported",
            37.16,
            36.20,
        ),
        (
            "Battles",
            "Armed clash",
            "Army A",
            "Militia B",
            "Tal Rifaat",
            "2024-01-05",
            None,
            37.10,
            36.47,
        ),
        (
            "Explosions/Remote violence",
            "Air/drone strike",
            "Air force C",
            None,
            "Idlib",
            "2024-02-10",
            "denied",
            36.63,
            35.93,
        ),
        (
            "Protests",
            "Peaceful protest",
            "Protesters",
            None,
            "Homs",
            "2024-03-15",
            None,
            36.72,
            34.73,
        ),
        (XSS_TITLE, None, "Army A", None, "Hama", "2024-03-20", "claimed", 36.75, 35.13),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "event_type",
            "sub_event_type",
            "actor1",
            "actor2",
            "location",
            "event_date",
            "claim_status",
            "lon",
            "lat",
        ],
    )
    return gpd.GeoDataFrame(
        df.drop(columns=["lon", "lat"]).assign(
            event_date=pd.to_datetime(df["event_date"]),
            time_precision=1,
            fatalities=pd.array([2, 0, None, 0, 1], dtype="Int64"),
            evidence=[f"Witnesses said {XSS_TITLE} happened.", "", "", "", ""],
            denied_by=[None, None, "Ministry <b>X</b>", None, None],
        ),
        geometry=[Point(x, y) for x, y in zip(df["lon"], df["lat"], strict=True)],
        crs=4326,
    )


def _click_marker_at(page, lat: float, lon: float) -> str:
    """Let the cluster reveal the marker at (lat, lon), click its icon, return the popup text."""
    page.wait_for_timeout(500)
    page.evaluate(
        """([lat, lon]) => new Promise((resolve) => {
        const g = window.geoEventsMaps[0];
        let found = null, owner = null;
        for (const [key, layer] of Object.entries(g.layers)) {
          if (!key.startsWith('type:')) continue;
          layer.eachLayer((m) => {
            const p = m.getLatLng && m.getLatLng();
            if (p && Math.abs(p.lat - lat) < 1e-6 && Math.abs(p.lng - lon) < 1e-6) {
              found = m; owner = layer;
            }
          });
        }
        owner.zoomToShowLayer(found, () => {
          found.getElement().setAttribute('data-test-target', '1');
          resolve(true);
        });
        })""",
        [lat, lon],
    )
    page.wait_for_timeout(300)
    page.locator("[data-test-target='1']").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    return popup.inner_text()


def _no_injection(op) -> None:
    page = op.page
    assert op.dialogs == [], f"a script ran: {op.dialogs}"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    scripts = page.evaluate(
        "Array.from(document.scripts).filter(s => s.textContent.includes('alert(')).length"
    )
    # The payloads may appear inside script text only as escaped data, never as own elements.
    assert (
        page.evaluate(
            "Array.from(document.scripts).some(s => s.textContent.trim().startsWith('alert('))"
        )
        is False
    )
    assert scripts >= 0
    assert op.errors == [], f"page errors: {op.errors}"


def _render(tmp_path: Path, name: str, **opts) -> Path:
    path = tmp_path / name
    save_map(events_map(_events(), tiles=None, collapsed_control=False, **opts), path)
    return path


@pytest.mark.parametrize("mode", ["markers", "compact"])
def test_markers_popup_escaped_and_no_xss(offline_page, tmp_path, mode):
    op = offline_page
    path = _render(tmp_path, f"{mode}.html", fast_threshold=0 if mode == "compact" else 400)
    op.open(path, wait_for=".leaflet-marker-icon")
    page = op.page
    assert page.locator(".leaflet-marker-icon").count() >= 1
    # Open the popup of the event whose place is the XSS string.
    text = _click_marker_at(page, 36.20, 37.16)
    assert XSS_PLACE in text
    assert "`${alert(3)}`" in text
    assert "Witnesses said <script>alert(1)</script> happened." in text
    # The legend and layer control show the hostile event type as text too.
    assert XSS_TITLE in page.locator(".ge-legend").inner_text()
    assert XSS_TITLE in page.locator(".leaflet-control-layers").first.inner_text()
    page.wait_for_timeout(300)
    _no_injection(op)
    assert not [u for u in op.blocked if "tile" not in u], op.blocked


@pytest.mark.parametrize("mode", ["markers", "compact"])
def test_template_syntax_shows_as_text(offline_page, tmp_path, mode):
    op = offline_page
    gdf = _events()
    gdf["source"] = [JINJA, None, None, None, None]
    gdf.loc[0, "actor2"] = JINJA
    path = tmp_path / f"jinja-{mode}.html"
    fast_threshold = 0 if mode == "compact" else 400
    m = events_map(gdf, tiles=None, collapsed_control=False, fast_threshold=fast_threshold)
    save_map(m, path)
    op.open(path, wait_for=".leaflet-marker-icon")
    page = op.page
    text = _click_marker_at(page, 36.20, 37.16)
    assert JINJA in text
    assert "1337" not in text
    assert f"{JINJA} (1)" in page.locator(".leaflet-control-layers").first.inner_text()
    _no_injection(op)


def test_denied_event_is_drawn_faded_and_labelled(offline_page, tmp_path):
    op = offline_page
    op.open(_render(tmp_path, "denied.html"), wait_for=".leaflet-marker-icon")
    page = op.page
    text = _click_marker_at(page, 35.93, 36.63)
    assert "DENIED" in text
    assert "denied by Ministry <b>X</b>" in text
    target = page.locator("[data-test-target='1']")
    assert float(target.evaluate("e => getComputedStyle(e).opacity")) < 0.6  # faded
    _no_injection(op)


def test_layer_control_hides_and_shows(offline_page, tmp_path):
    op = offline_page
    op.open(_render(tmp_path, "layers.html"), wait_for=".leaflet-marker-icon")
    page = op.page
    count = "document.querySelectorAll('.leaflet-marker-icon').length"
    before = page.evaluate(count)
    label = page.locator(".leaflet-control-layers").first.locator("label", has_text="Battles (2)")
    label.locator("input").uncheck()
    page.wait_for_timeout(300)
    assert page.evaluate(
        "!window.geoEventsMaps[0].map.hasLayer(window.geoEventsMaps[0].layers['type:Battles'])"
    )
    assert page.evaluate(count) < before
    label.locator("input").check()
    page.wait_for_timeout(300)
    assert page.evaluate(
        "window.geoEventsMaps[0].map.hasLayer(window.geoEventsMaps[0].layers['type:Battles'])"
    )
    # An actor layer starts hidden and shows its events when switched on.
    actor = page.locator(".leaflet-control-layers").first.locator("label", has_text="Army A (2)")
    actor.locator("input").check()
    page.wait_for_timeout(300)
    assert page.evaluate("window.geoEventsMaps[0].layers['actor:Army A'].getLayers().length") == 2
    _no_injection(op)


def test_time_slider_changes_what_is_shown(offline_page, tmp_path):
    op = offline_page
    op.open(
        _render(tmp_path, "time.html", show_time_layer=True),
        wait_for=".leaflet-timeline-control",
    )
    page = op.page
    shown = "window.geoEventsMaps[0].layers['time'].getLayers().length"
    slider = page.locator(".leaflet-timeline-control input[type=range]")
    lo, hi = slider.get_attribute("min"), slider.get_attribute("max")
    slider.fill(lo)
    page.wait_for_timeout(300)
    at_start = page.evaluate(shown)
    # 2024-03-16: only the Homs protest (2024-03-15, one day long) is current.
    march = str(int(pd.Timestamp("2024-03-15T12:00").timestamp() * 1000))
    slider.fill(march)
    page.wait_for_timeout(300)
    at_march = page.evaluate(shown)
    assert int(lo) < int(march) < int(hi)
    assert at_start == 1
    assert at_march == 1
    idx = page.evaluate("window.geoEventsMaps[0].layers['time'].getLayers()[0].geoEventsIndex")
    assert idx == 3  # the Homs row
    _no_injection(op)


def test_self_contained_file_opens_with_network_blocked(offline_page, tmp_path):
    from tests.browser.conftest import ASSETS

    op = offline_page
    path = tmp_path / "standalone.html"
    save_map(_events(), path, self_contained=True, assets_dir=ASSETS, tiles=None)
    assert [u for u in asset_urls(path.read_text()) if "leafletjs.com" not in u] == []
    op.open(path, wait_for=".leaflet-marker-icon")
    assert op.served == [], f"self-contained page requested {op.served}"
    assert op.blocked == []
    _no_injection(op)
