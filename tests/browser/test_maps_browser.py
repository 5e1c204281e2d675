"""Events maps in headless Chromium with the network off: drawing, popups, filters, halos,
downloads, the time slider, untrusted text, the demo map and a million events."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely import Point

from geo_events.maps import events_map, save_map

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
            geo_precision=pd.array([1, 1, 3, 2, 1], dtype="Int8"),
            country_code=["SY"] * 5,
        ),
        geometry=[Point(x, y) for x, y in zip(df["lon"], df["lat"], strict=True)],
        crs=4326,
    )


LAYER = "window.geoEventsMaps[0].layer"


def _render(tmp_path: Path, name: str, gdf: gpd.GeoDataFrame | None = None, **opts) -> Path:
    path = tmp_path / name
    save_map(events_map(_events() if gdf is None else gdf, **opts), path)
    return path


def _open(op, path: Path) -> None:
    op.open(path, wait_for=".ge-panel")
    op.page.wait_for_function("window.geoEventsMaps && window.geoEventsMaps.length > 0")
    op.page.wait_for_timeout(300)


def _event_screen_point(page, index: int) -> tuple[float, float]:
    """Where event ``index`` is on the screen (page coordinates)."""
    return tuple(
        page.evaluate(
            """(i) => {
            const g = window.geoEventsMaps[0], E = g.layer.E;
            const p = g.map.latLngToContainerPoint([E.lat[i] / 1e5, E.lon[i] / 1e5]);
            const r = g.map.getContainer().getBoundingClientRect();
            return [p.x + r.left, p.y + r.top];
            }""",
            index,
        )
    )


def _click_event(page, index: int) -> str:
    """Zoom to event ``index`` (so it is drawn on its own), click it, return the popup text."""
    page.evaluate(
        """(i) => { const g = window.geoEventsMaps[0], E = g.layer.E;
        g.map.setView([E.lat[i] / 1e5, E.lon[i] / 1e5], 9, {animate: false}); }""",
        index,
    )
    page.wait_for_timeout(300)
    x, y = _event_screen_point(page, index)
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5000)
    return popup.inner_text()


def _no_injection(op) -> None:
    page = op.page
    assert op.dialogs == [], f"a script ran: {op.dialogs}"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert (
        page.evaluate("document.querySelectorAll('.ge-popup script, .ge-panel script').length") == 0
    )
    assert op.errors == [], f"page errors: {op.errors}"
    assert op.blocked == [], f"the page asked the network for {op.blocked}"


def _canvas_alpha(page, x: float, y: float) -> int:
    """Alpha of the events canvas at a page point (0 = nothing drawn there)."""
    return page.evaluate(
        """([x, y]) => { const c = document.querySelector('canvas.ge-canvas');
        const r = c.getBoundingClientRect(), k = c.width / r.width;
        return c.getContext('2d').getImageData(Math.round((x - r.left) * k),
            Math.round((y - r.top) * k), 1, 1).data[3]; }""",
        [x, y],
    )


def test_demo_map_from_the_cli_renders_offline_with_geography(offline_page, tmp_path):
    from typer.testing import CliRunner

    from geo_events.cli import app

    out = tmp_path / "demo.html"
    result = CliRunner().invoke(app, ["map", "--demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    op = offline_page
    _open(op, out)
    page = op.page
    assert page.evaluate("typeof window.L") == "object"
    assert page.evaluate(f"{LAYER}.E.n") >= 1
    # Events drawn: some pixel of the events canvas is painted.
    assert page.evaluate(
        """() => { const c = document.querySelector('canvas.ge-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i]) return true; return false; }"""
    )
    # Geography under them: the built-in base layer is on the map and drew something.
    assert page.evaluate(
        """() => { const g = window.geoEventsMaps[0].map; let found = false;
        g.eachLayer((l) => { if (L.GeoEventsGeography && l instanceof L.GeoEventsGeography) found = true; });
        return found; }"""
    )
    assert page.locator(".leaflet-control-attribution").inner_text().find("GeoNames") >= 0
    _no_injection(op)


def test_popup_shows_hostile_text_as_text(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "xss.html"))
    page = op.page
    text = _click_event(page, 0)
    assert XSS_PLACE in text
    assert "`${alert(3)}`" in text
    assert "Witnesses said <script>alert(1)</script> happened." in text
    assert XSS_TITLE in page.locator(".ge-panel").inner_text()
    _no_injection(op)


def test_template_syntax_shows_as_text(offline_page, tmp_path):
    op = offline_page
    gdf = _events()
    gdf["source"] = [JINJA, None, None, None, None]
    gdf.loc[0, "actor2"] = JINJA
    _open(op, _render(tmp_path, "jinja.html", gdf))
    text = _click_event(op.page, 0)
    assert JINJA in text
    assert "1337" not in text
    _no_injection(op)


def test_denied_event_is_labelled_in_its_popup(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "denied.html"))
    text = _click_event(op.page, 2)
    assert "DENIED" in text
    assert "denied by Ministry <b>X</b>" in text
    _no_injection(op)


def test_unticking_a_type_hides_its_events_and_updates_counts(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "filters.html"))
    page = op.page
    status = page.locator(".ge-status")
    assert status.inner_text().startswith("5 of 5")
    battles = page.locator(".ge-group").first.locator("label", has_text="Battles")
    assert battles.locator(".ge-count").inner_text() == "2"
    battles.locator("input").uncheck()
    page.wait_for_timeout(200)
    assert status.inner_text().startswith("3 of 5")
    assert page.evaluate(f"{LAYER}.visibleIndices().length") == 3
    # The claim-status counts follow the type filter: the battles' "reported" is gone.
    claims = page.locator(".ge-group", has_text="Claim status")
    claims.locator("summary").click()
    assert claims.locator("label", has_text="reported").locator(".ge-count").inner_text() == "0"
    # Geo precision filter: only approximate places.
    battles.locator("input").check()
    prec = page.locator(".ge-group", has_text="Geo precision")
    prec.locator("summary").click()
    prec.locator("label", has_text="1 exact place").locator("input").uncheck()
    page.wait_for_timeout(200)
    assert status.inner_text().startswith("2 of 5")
    # Actor filter: substring, case-insensitive, actor 1 or 2.
    page.locator(".ge-group", has_text="Actor").first.locator("summary").click()
    page.locator(".ge-reset").click()
    page.locator(".ge-actor").fill("militia b")
    page.wait_for_timeout(500)
    assert status.inner_text().startswith("2 of 5")
    _no_injection(op)


def test_time_slider_narrows_the_dates(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "time.html"))
    page = op.page
    start = page.locator(".ge-from")
    march = str(int(pd.Timestamp("2024-03-01").timestamp() // 86400))
    start.fill(march)
    start.dispatch_event("input")
    page.wait_for_timeout(200)
    assert page.locator(".ge-status").inner_text().startswith("2 of 5")  # Homs, Hama
    assert "2024-03-01" in page.locator(".ge-time-label").inner_text()
    _no_injection(op)


def test_approximate_place_has_a_halo_exact_place_none(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "halo.html"))
    page = op.page
    # Event 2 is at geo_precision 3 (Syria: a typical governorate's radius); zoom so the
    # halo is tens of pixels wide and look beside the point, outside its dot.
    for index, expect_halo in ((2, True), (4, False)):
        page.evaluate(
            """(i) => { const g = window.geoEventsMaps[0], E = g.layer.E;
            g.map.setView([E.lat[i] / 1e5, E.lon[i] / 1e5], 8, {animate: false}); }""",
            index,
        )
        page.wait_for_timeout(300)
        x, y = _event_screen_point(page, index)
        radius = page.evaluate(
            """(i) => { const g = window.geoEventsMaps[0], E = g.layer.E;
            const km = E.number('uncertainty_km', i) || 0;
            const mpp = 40075016.686 * Math.cos(E.lat[i] / 1e5 * Math.PI / 180)
                / (256 * Math.pow(2, g.map.getZoom()));
            return km * 1000 / mpp; }""",
            index,
        )
        if expect_halo:
            assert radius > 30
            inside = _canvas_alpha(page, x + radius * 0.6, y)
            outside = _canvas_alpha(page, x + radius * 1.4, y)
            assert inside > 0 and outside == 0
        else:
            assert radius == 0
            assert _canvas_alpha(page, x + 20, y) == 0
    _no_injection(op)


def test_download_visible_events_as_csv_and_geojson(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "download.html"))
    page = op.page
    page.locator(".ge-group").first.locator("label", has_text="Protests").locator("input").uncheck()
    with page.expect_download() as info:
        page.locator(".ge-dl-csv").click()
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))
    assert len(rows) == 4
    assert "Protests" not in {r["event_type"] for r in rows}
    hostile = next(r for r in rows if r["location"] == XSS_PLACE)
    assert hostile["actor1"] == XSS_ACTOR
    assert float(hostile["latitude"]) == pytest.approx(36.20)
    with page.expect_download() as info:
        page.locator(".ge-dl-geojson").click()
    fc = json.loads(Path(info.value.path()).read_text("utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 4
    assert fc["features"][0]["geometry"]["type"] == "Point"
    _no_injection(op)


def test_csv_download_keeps_formulas_as_text(offline_page, tmp_path):
    op = offline_page
    gdf = _events()
    gdf["actor1"] = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)", "plain"]
    _open(op, _render(tmp_path, "formula.html", gdf))
    csv_text = op.page.evaluate(f"{LAYER}.visibleCSV()")
    actors = {r["actor1"] for r in csv.DictReader(io.StringIO(csv_text))}
    assert actors == {'\'=HYPERLINK("http://x")', "'+1", "'-1", "'@SUM(A1)", "plain"}


def test_popup_is_never_under_the_panel(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "cover.html"))
    page = op.page
    # Put an event just left of the panel, where its popup would run under it, and click it.
    page.evaluate(
        """() => { const g = window.geoEventsMaps[0], E = g.layer.E, m = g.map;
        const panel = document.querySelector('.ge-panel').getBoundingClientRect();
        const box = m.getContainer().getBoundingClientRect();
        m.setView([E.lat[0] / 1e5, E.lon[0] / 1e5], 9, {animate: false});
        const target = L.point(panel.left - box.left - 15, 200);
        const now = m.latLngToContainerPoint([E.lat[0] / 1e5, E.lon[0] / 1e5]);
        m.panBy(now.subtract(target), {animate: false}); }"""
    )
    page.wait_for_timeout(300)
    x, y = _event_screen_point(page, 0)
    page.mouse.click(x, y)
    page.locator(".leaflet-popup-content").wait_for(timeout=5000)
    page.wait_for_timeout(600)  # autopan
    popup = page.locator(".leaflet-popup").bounding_box()
    panel = page.locator(".ge-panel").bounding_box()
    assert popup["x"] + popup["width"] <= panel["x"], (popup, panel)
    _no_injection(op)


def _many(n: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    types = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests"]
    return gpd.GeoDataFrame(
        {
            "event_type": rng.choice(types, n),
            "actor1": rng.choice([f"Unit {i}" for i in range(300)], n),
            "event_date": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 365, n), "D"),
            "geo_precision": rng.choice([1, 1, 2, 3], n),
            "fatalities": rng.integers(0, 5, n),
            "location": rng.choice([f"Village {i}" for i in range(5000)], n),
        },
        geometry=gpd.points_from_xy(rng.uniform(22, 40, n), rng.uniform(44, 52, n)),
        crs=4326,
    )


def test_a_million_events_pan_zoom_and_popup(offline_page, tmp_path):
    op = offline_page
    _open(op, _render(tmp_path, "million.html", _many(1_000_000)))
    page = op.page
    assert page.evaluate(f"{LAYER}.E.n") == 1_000_000
    assert page.evaluate(f"{LAYER}._drawn.kind") == "cells"
    # Pan and zoom through the levels; then click a single event at a close zoom.
    for zoom in (4, 6, 8, 11, 14):
        page.evaluate(
            f"() => window.geoEventsMaps[0].map.setView([48, 31], {zoom}, {{animate: false}})"
        )
        page.wait_for_timeout(150)
    page.mouse.move(640, 400)
    page.mouse.down()
    page.mouse.move(500, 300, steps=5)
    page.mouse.up()
    page.wait_for_timeout(300)
    assert page.evaluate(f"{LAYER}._drawn.kind") == "points"
    drawn = page.evaluate(
        f"""() => {{ const d = {LAYER}._drawn, r = window.geoEventsMaps[0].map.getContainer()
        .getBoundingClientRect();
        for (let k = 0; k < d.n; k++) if (d.x[k] > 40 && d.x[k] < 900 && d.y[k] > 40 && d.y[k] < 760)
            return [d.x[k] + r.left, d.y[k] + r.top];
        return null; }}"""
    )
    assert drawn is not None
    page.mouse.click(*drawn)
    page.locator(".leaflet-popup-content").wait_for(timeout=5000)
    # A filter over a million events still answers.
    page.locator(".ge-group").first.locator("label", has_text="Protests").locator("input").uncheck()
    page.wait_for_timeout(300)
    assert page.evaluate(f"{LAYER}.shown") < 800_000
    _no_injection(op)
