"""Untrusted text never becomes live Jinja2, HTML or JavaScript in a map (issue 10).

folium renders the output of every element's template a second time as a Jinja2
template, so ``{{ ... }}`` in an article or a table cell would run in this process and a
stray ``{% raw %}`` would crash the render. Event text now reaches the page once, as the
JSON payload of the events layer (``json_for_script`` in a ``RawElement`` that is never a
template; the page's JS shows it with ``textContent``); choropleth names and the notebook
iframe path go through ``escape_text``. These tests push such payloads through every way
text reaches a map — the API and the CLI, tables and articles, small maps (notes and
evidence in the payload) and large ones (above ``marker_threshold``: left out unless
``popup_notes=True``) — and check that nothing runs, the map is written, and the page
hands the browser the text as written.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import folium
import geopandas as gpd
import jinja2.defaults
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from map_payload import decode_columns
from shapely import Point, box
from typer.testing import CliRunner

import geo_events.maps
from geo_events.cli import app
from geo_events.errors import MapError
from geo_events.maps import MapOptions, events_map, map_iframe, map_summary, save_map
from geo_events.maps.popups import (
    JINJA_DELIMITERS,
    escape_text,
    json_for_script,
    template_delimiter,
)

#: The issue's reproducer: evaluated, it creates a directory PWNED in the working directory.
MKDIR = "{{ cycler.__init__.__globals__.os.mkdir(dict(PWNED=1)|first) }}"
#: Evaluated, it shows 1337.
EVAL = "{{ 7*191 }}"
#: Each of these alone made the render fail with TemplateSyntaxError.
STRAY = ("{% raw %}", "{#", "{% endraw %}", "{%- if x %}", "{{", "}} %} #}")
#: Live in the browser if not escaped.
BROWSER = "</script><script>alert(1)</script>\u2028\u2029`${x}` \"q\" 'q' \\"
PAYLOAD = " ".join([MKDIR, EVAL, *STRAY, BROWSER])

#: Small maps are those up to ``marker_threshold`` events: notes and evidence go into the
#: payload. Tests make a large map from 3 events with this threshold (fast to build).
SMALL_THRESHOLD = MapOptions().marker_threshold
LARGE_THRESHOLD = 2
LARGE_N = LARGE_THRESHOLD + 1
#: How each size is built: (events, options).
SIZES = {
    "small": (3, {}),
    "large": (LARGE_N, {"marker_threshold": LARGE_THRESHOLD}),
    "large+notes": (LARGE_N, {"marker_threshold": LARGE_THRESHOLD, "popup_notes": True}),
}
LONG_TEXTS = ("notes", "evidence")
LEFT_OUT_NOTE = "notes and evidence left out of the popups"

ALEPPO = Point(37.16, 36.20)

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """The test's tmp_path as working directory, where the payload would create PWNED."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _notes_shipped(n: int, opts: dict) -> bool:
    large = n > opts.get("marker_threshold", SMALL_THRESHOLD)
    return opts.get("popup_notes") if opts.get("popup_notes") is not None else not large


# -- reading a page as the browser does ----------------------------------------------------


class _Scripts(HTMLParser):
    """The text of every <script> element, split where the HTML parser ends each one."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._in: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self._in = []

    def handle_endtag(self, tag):
        if tag == "script" and self._in is not None:
            self.scripts.append("".join(self._in))
            self._in = None

    def handle_data(self, data):
        if self._in is not None:
            self._in.append(data)


_LAYER_CALL = re.compile(r"var \w+ = L\.geoEventsLayer\(")


def _layer_call(page: str) -> tuple[dict, dict]:
    """The payload and options of the page's one events layer, as its <script> holds them.

    Read from the script element the HTML parser delimits: a ``</script>`` in the text
    would end the element early and the JSON would not parse.
    """
    parser = _Scripts()
    parser.feed(page)
    parser.close()
    (script,) = [s for s in parser.scripts if _LAYER_CALL.search(s)]
    decoder = json.JSONDecoder()
    start = _LAYER_CALL.search(script).end()
    payload, end = decoder.raw_decode(script, start)
    assert script[end : end + 2] == ", "
    options, end = decoder.raw_decode(script, end + 2)
    assert script[end : end + 2] == ");"
    return payload, options


def _outside_layer_call(page: str) -> str:
    """The page without the arguments of the events layer call (the only place for event text)."""
    found = _LAYER_CALL.search(page)
    decoder = json.JSONDecoder()
    _, end = decoder.raw_decode(page, found.end())
    _, end = decoder.raw_decode(page, end + 2)
    return page[: found.end()] + page[end:]


def _inert_parts_removed(page: str) -> str:
    # folium element ids are random hex, and the built-in geography's coordinates are
    # numbers (installed data): "1337" occurs in both by chance.
    page = re.sub(r"[0-9a-f]{32}", "", page)
    start = page.find("window.geoEventsGeographyData = ")
    if start < 0:
        return page
    return page[:start] + page[page.index("</script>", start) :]


def assert_inert(page: str, workdir: Path, texts: list[str], *, absent: list[str] = ()) -> None:
    """Nothing ran, nothing is left for Jinja2, and each text is in the page as JSON text."""
    assert not (workdir / "PWNED").exists(), "the template payload was evaluated"
    assert "1337" not in _inert_parts_removed(page), "{{ 7*191 }} was evaluated"
    assert template_delimiter(page) is None
    assert "<script>alert" not in page
    for text in texts:
        assert json_for_script(text)[1:-1] in page, f"{text!r} is not in the page as JSON text"
    for text in absent:
        assert json_for_script(text)[1:-1] not in page, f"{text!r} should be left out"


def _events(n: int, text: str = PAYLOAD, **extra: object) -> gpd.GeoDataFrame:
    cols = {
        "event_type": ["Battles"] * n,
        "actor1": [text] * n,
        "location": ["Aleppo"] * n,
        "source": [text] * n,
        "notes": [text] * n,
        "evidence": [text] * n,
        "event_date": pd.date_range("2024-01-01", periods=n, freq="h"),
        **extra,
    }
    return gpd.GeoDataFrame(cols, geometry=[ALEPPO] * n, crs=4326)


# -- the helpers -------------------------------------------------------------------------


def test_jinja_delimiters_are_those_of_the_environment_branca_renders_with():
    defaults = jinja2.defaults
    assert set(JINJA_DELIMITERS) == {
        defaults.VARIABLE_START_STRING,
        defaults.BLOCK_START_STRING,
        defaults.COMMENT_START_STRING,
    }
    assert defaults.LINE_STATEMENT_PREFIX is None and defaults.LINE_COMMENT_PREFIX is None


def test_escape_text_leaves_no_brace_and_reads_back():
    out = escape_text(PAYLOAD)
    assert not set("{}`$\\<>") & set(out)
    assert html.unescape(out) == PAYLOAD


@pytest.mark.parametrize("value", [PAYLOAD, {"k{{": [PAYLOAD, "{"]}, ["{", "{", "%"], "{{{#"])
def test_json_for_script_is_valid_json_without_delimiters(value):
    out = json_for_script(value)
    assert template_delimiter(out) is None
    assert "</" not in out and "\u2028" not in out and "\u2029" not in out
    assert json.loads(out) == value


def test_template_delimiter_finds_only_start_delimiters():
    assert template_delimiter("}} %} #} { } {x}") is None
    assert [template_delimiter(d + "x") for d in JINJA_DELIMITERS] == list(JINJA_DELIMITERS)


def test_the_page_readers_of_these_tests_see_a_broken_script():
    # _layer_call must fail when a text ends the script element early (else the checks
    # that use it could not fail).
    page = '<script>var a = L.geoEventsLayer({"s": "</script><script>x"}, {});</script>'
    with pytest.raises(json.JSONDecodeError):
        _layer_call(page)


# -- through the API -----------------------------------------------------------------------


@pytest.mark.parametrize("size", list(SIZES))
def test_table_payload_through_the_api(workdir, size):
    n, opts = SIZES[size]
    gdf = _events(n, event_type=[PAYLOAD] * n)
    m = events_map(gdf, tiles=None, title=PAYLOAD, **opts)
    summary = map_summary(m)
    assert summary.event_types == {PAYLOAD: n}
    notes = _notes_shipped(n, opts)
    assert any(LEFT_OUT_NOTE in x for x in summary.notes) is not notes
    page = save_map(m, workdir / "map.html").read_text(encoding="utf-8")
    assert_inert(page, workdir, [PAYLOAD])

    payload, options = _layer_call(page)
    cols = decode_columns(payload)
    assert payload["n"] == n
    shown = ["event_type", "actor1", "source", *(LONG_TEXTS if notes else ())]
    for name in shown:
        assert cols[name] == [PAYLOAD] * n, name
    assert not notes or set(LONG_TEXTS) <= set(cols)
    assert notes or not set(LONG_TEXTS) & set(cols)
    # The panel's title and the actor filter's suggestions carry the text as data too.
    assert options["title"] == PAYLOAD
    assert options["topActors"] == [PAYLOAD]
    # ... and nowhere else: no other element of the page (each a template) holds any of it.
    rest = _outside_layer_call(page)
    for piece in ("7*191", "PWNED", "alert(1)", "endraw", "`${x}`"):
        assert piece not in rest, piece


@pytest.mark.parametrize("payload", [MKDIR, EVAL, *STRAY, BROWSER])
@pytest.mark.parametrize("threshold", [SMALL_THRESHOLD, 0], ids=["small", "large"])
def test_each_payload_alone_renders(workdir, payload, threshold):
    m = events_map(_events(2, text=payload), tiles=None, marker_threshold=threshold)
    page = save_map(m, workdir / "map.html").read_text(encoding="utf-8")
    assert_inert(page, workdir, [payload])
    cols = decode_columns(_layer_call(page)[0])
    assert cols["source"] == cols["actor1"] == [payload] * 2
    assert ("notes" in cols) is (threshold > 0)


def test_choropleth_labels_and_map_title(workdir):
    areas = gpd.GeoDataFrame(
        {"name": [PAYLOAD, EVAL]}, geometry=[box(36, 35, 38, 37), box(0, 0, 1, 1)], crs=4326
    )
    m = events_map(_events(3, text="text"), tiles=None, admin_areas=areas, title=PAYLOAD)
    page = m.get_root().render()
    assert_inert(page, workdir, [PAYLOAD])
    assert _layer_call(page)[1]["title"] == PAYLOAD
    # folium's GeoJsonTooltip puts the names in with innerHTML: they must be HTML text.
    (data,) = re.findall(r"geo_json_\w+_add\((\{.*?\})\);", page)
    names = [f["properties"]["ge_name"] for f in json.loads(data)["features"]]
    assert not any(set("<>{}`$\\") & set(x) for x in names)
    assert [html.unescape(x) for x in names] == [PAYLOAD, EVAL]


def test_notebook_iframe_escapes_its_path(workdir):
    out = map_iframe(events_map(_events(1), tiles=None), workdir / "{{ 7*191 }}.html")
    frame = out._repr_html_()
    assert "{" not in frame and 'src="&#123;&#123; 7*191 &#125;&#125;.html"' in frame
    assert_inert(out.path.read_text(encoding="utf-8"), workdir, [PAYLOAD])


def _article_events(gazetteer) -> gpd.GeoDataFrame:
    from geo_events import article_from_text, events_from_articles

    text = (
        f"Clashes in Aleppo {PAYLOAD}\n\n"
        "BEIRUT, June 3 (Wire) - Syrian government forces clashed with rebels in Aleppo on "
        f"Monday, killing five fighters {PAYLOAD}, a monitor said.\n"
    )
    article = article_from_text(text, published=dt.date(2024, 6, 5), source=PAYLOAD)
    events = events_from_articles(article, gazetteer=gazetteer)
    assert len(events) == 1 and PAYLOAD in events["evidence"].iloc[0]
    # Shorter than the cut, so the payload holds the sentence whole.
    assert len(events["evidence"].iloc[0]) < MapOptions().max_text_length
    return events


@pytest.mark.parametrize("size", list(SIZES))
def test_article_payload_through_the_api(workdir, gazetteer, size):
    copies, opts = SIZES[size]
    copies = 1 if size == "small" else copies
    one = _article_events(gazetteer)
    events = gpd.GeoDataFrame(pd.concat([one] * copies, ignore_index=True), crs=one.crs)
    path = save_map(events_map(events, tiles=None, **opts), workdir / "map.html")
    page = path.read_text(encoding="utf-8")
    sentence = one["evidence"].iloc[0]
    notes = _notes_shipped(copies, opts)
    shipped, left_out = ([sentence], []) if notes else ([], [sentence])
    assert_inert(page, workdir, [PAYLOAD, *shipped], absent=left_out)
    cols = decode_columns(_layer_call(page)[0])
    assert cols["source"] == [PAYLOAD] * copies
    assert cols.get("evidence") == ([sentence] * copies if notes else None)


# -- the guard: what the escaping does not cover fails loudly, before anything runs --------


def test_guard_refuses_unescaped_text_added_by_hand(workdir):
    m = events_map(_events(1), tiles=None)
    folium.Marker([36.2, 37.16], tooltip=MKDIR).add_to(m)
    with pytest.raises(MapError, match=re.escape("Jinja2 delimiter '{{'")):
        save_map(m, workdir / "map.html")
    assert not (workdir / "PWNED").exists()
    assert not (workdir / "map.html").exists()


def test_guard_refuses_a_template_in_the_tile_attribution(workdir):
    m = events_map(
        _events(1), tiles="https://tiles.example/{z}/{x}/{y}.png", tiles_attribution=EVAL
    )
    with pytest.raises(MapError, match="tile_layer"):
        m.get_root().render()


# -- through the CLI -----------------------------------------------------------------------


def _cli_map(workdir: Path, source: Path, *extra: str) -> str:
    out = workdir / "map.html"
    result = runner.invoke(
        app, ["map", str(source), "-o", str(out), "--tiles", "none", *extra], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


@pytest.fixture
def cli_options(monkeypatch):
    """Set map options the CLI does not expose, on the events_map the CLI calls."""

    def set_options(**opts: object) -> None:
        real = geo_events.maps.events_map
        monkeypatch.setattr(geo_events.maps, "events_map", functools.partial(real, **opts))

    return set_options


# The large table uses the CLI's own threshold (4,001 rows of one place map in a second).
@pytest.mark.parametrize("n", [3, SMALL_THRESHOLD + 1], ids=["small", "large"])
def test_table_payload_through_the_cli(workdir, gazetteer, n):
    table = workdir / "events.csv"
    pd.DataFrame(
        {
            "event_date": ["2024-01-02"] * n,
            "event_type": ["Battles"] * n,
            "location": ["Aleppo"] * n,
            "country": ["Syria"] * n,
            "actor1": [PAYLOAD] * n,
            "source": [PAYLOAD] * n,
            "notes": [PAYLOAD] * n,
        }
    ).to_csv(table, index=False)
    page = _cli_map(workdir, table)
    assert_inert(page, workdir, [PAYLOAD])
    cols = decode_columns(_layer_call(page)[0])
    assert cols["actor1"] == cols["source"] == [PAYLOAD] * n
    assert cols.get("notes") == ([PAYLOAD] * n if n <= SMALL_THRESHOLD else None)


def test_the_issue_reproducer_through_the_cli(workdir, gazetteer):
    table = workdir / "t.csv"
    table.write_text(f"location,source\nAleppo,{MKDIR}\n", encoding="utf-8")
    page = _cli_map(workdir, table)
    assert_inert(page, workdir, [MKDIR])
    assert decode_columns(_layer_call(page)[0])["source"] == [MKDIR]


_ARTICLE_BODY = (
    "BEIRUT, June 3 (Wire) - Syrian government forces clashed with rebels in Aleppo on "
    "Monday, killing {n} fighters {payload}, a monitor said."
)


def test_article_file_through_the_cli(workdir, gazetteer):
    article = workdir / "article.txt"
    body = _ARTICLE_BODY.format(n="five", payload=PAYLOAD)
    article.write_text(f"Clashes in Aleppo {PAYLOAD}\n\n{body}\n\nWire\n", encoding="utf-8")
    page = _cli_map(workdir, article, "--published", "2024-06-05")
    assert_inert(page, workdir, [body])
    assert decode_columns(_layer_call(page)[0])["evidence"] == [body]


@pytest.mark.parametrize("popup_notes", [None, True], ids=["large", "large+notes"])
def test_article_feed_through_the_cli_large(workdir, gazetteer, cli_options, popup_notes):
    cli_options(marker_threshold=LARGE_THRESHOLD, popup_notes=popup_notes)
    feed = workdir / "feed.jsonl"
    bodies = [_ARTICLE_BODY.format(n=i + 2, payload=PAYLOAD) for i in range(LARGE_N)]
    records = [
        {
            "id": f"a{i}",
            "title": f"Clashes in Aleppo {PAYLOAD}",
            "text": body,
            "published": "2024-06-05",
        }
        for i, body in enumerate(bodies)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    page = _cli_map(workdir, feed)
    shipped, left_out = (bodies, []) if popup_notes else ([], bodies)
    assert_inert(page, workdir, shipped, absent=left_out)
    payload, options = _layer_call(page)
    assert payload["n"] == LARGE_N
    assert decode_columns(payload).get("evidence") == (bodies if popup_notes else None)
    assert any(LEFT_OUT_NOTE in x for x in options["notes"]) is (popup_notes is None)


# -- property: any mix of delimiters and text stays text -----------------------------------

FRAGMENTS = (
    "{{",
    "{%",
    "{#",
    "}}",
    "%}",
    "#}",
    "{",
    "}",
    EVAL,
    "{% raw %}",
    "{%- endraw -%}",
    "</script>",
    "</SCRIPT ",
    "<!--",
    "<script>",
    "\u2028",
    "\u2029",
    "\r",
    "\r\n",
    "`",
    "${",
    '"',
    "'",
    "\\",
    "&",
    "&#123;",
    "\\u007b",
)
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=8).map("".join)
TEXT_COLUMNS = (
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "location",
    "admin2",
    "admin1",
    "country",
    "claim_status",
    "reported_by",
    "denied_by",
    "source",
    "evidence",
    "notes",
    "event_id_cnty",
    "match_type",
)


def _expected(name: str, text: str) -> str:
    """What the payload holds for ``text`` in column ``name`` (no cut: see max_text_length)."""
    value = text.strip()
    if name == "claim_status":
        return value.casefold()
    if name == "event_type":
        return value or "Unknown event type"
    return value


@pytest.mark.fuzz
@given(texts=st.lists(TEXT, min_size=1, max_size=3), large=st.booleans())
def test_any_text_stays_text(texts, large):
    n = len(texts)
    frame = pd.DataFrame(dict.fromkeys(TEXT_COLUMNS, texts)).assign(
        latitude=[35.0 + 0.01 * i for i in range(n)],
        longitude=36.0,
        event_date=pd.Timestamp("2024-01-01"),
    )
    areas = gpd.GeoDataFrame({"name": texts}, geometry=[box(35, 34, 37, 36)] * n, crs=4326)
    m = events_map(
        frame,
        tiles=None,
        title=texts[0],
        admin_areas=areas,
        marker_threshold=0 if large else SMALL_THRESHOLD,
        popup_notes=True,
        max_text_length=10_000,
    )
    page = m.get_root().render()

    assert template_delimiter(page) is None
    if not any("1337" in t for t in texts):
        assert "1337" not in _inert_parts_removed(page)
    # The browser's parsers get every text back exactly, in every column of the payload...
    payload, options = _layer_call(page)
    cols = decode_columns(payload)
    assert set(cols) == set(TEXT_COLUMNS)
    for name in TEXT_COLUMNS:
        assert cols[name] == [_expected(name, t) for t in texts], name
    assert options["title"] == (texts[0] or "Events")
    assert set(options["topActors"]) == {t.strip() for t in texts} - {""}
    # ... and in the choropleth, as HTML text for the tooltip's innerHTML.
    (data,) = re.findall(r"geo_json_\w+_add\((\{.*?\})\);", page)
    names = [f["properties"]["ge_name"] for f in json.loads(data)["features"]]
    assert not any(set("<>{}`$\\") & set(x) for x in names)
    assert [html.unescape(x) for x in names] == texts
