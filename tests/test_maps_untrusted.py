"""Untrusted text never becomes live Jinja2, HTML or JavaScript in a map (issue 10).

folium renders the output of every element's template a second time as a Jinja2
template, so ``{{ ... }}`` in an article or a table cell would run in this process and a
stray ``{% raw %}`` would crash the render. These tests push such payloads through every
way text reaches a map — the API and the CLI, tables and articles, the marker path and
the compact path — and check that nothing runs, the map is written, and the reader sees
the text as written.
"""

from __future__ import annotations

import datetime as dt
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
from shapely import Point, box
from typer.testing import CliRunner

from geo_events.cli import app
from geo_events.errors import MapError
from geo_events.maps import MapOptions, events_map, map_iframe, save_map
from geo_events.maps.popups import (
    JINJA_DELIMITERS,
    escape_text,
    event_displays,
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

#: The compact path starts above this many events.
COMPACT_N = MapOptions().fast_threshold + 1

ALEPPO = Point(37.16, 36.20)

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """The test's tmp_path as working directory, where the payload would create PWNED."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _ids_removed(page: str) -> str:
    # folium element ids are random hex; "1337" may occur in them by chance.
    return re.sub(r"[0-9a-f]{32}", "", page)


def assert_inert(page: str, workdir: Path, texts: list[str], *, compact: bool) -> None:
    """Nothing ran, nothing is left for Jinja2, and each text is in the page as escaped text."""
    assert not (workdir / "PWNED").exists(), "the template payload was evaluated"
    assert "1337" not in _ids_removed(page), "{{ 7*191 }} was evaluated"
    assert template_delimiter(page) is None
    assert "<script>alert" not in page
    for text in texts:
        escaped = json_for_script(text)[1:-1] if compact else escape_text(text)
        assert escaped in page, f"{text!r} is not in the page as escaped text"


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
    assert "</" not in out and "\u2028" not in out
    assert json.loads(out) == value


def test_template_delimiter_finds_only_start_delimiters():
    assert template_delimiter("}} %} #} { } {x}") is None
    assert [template_delimiter(d + "x") for d in JINJA_DELIMITERS] == list(JINJA_DELIMITERS)


# -- through the API -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, COMPACT_N], ids=["markers", "compact"])
def test_table_payload_through_the_api(workdir, n):
    gdf = _events(n, event_type=[PAYLOAD] * n)
    m = events_map(gdf, tiles=None, title=PAYLOAD)
    compact = n > MapOptions().fast_threshold
    assert m.geo_events["mode"] == ("compact" if compact else "markers")
    assert m.geo_events["actor_layers"] == [PAYLOAD]
    path = save_map(m, workdir / "map.html")
    page = path.read_text(encoding="utf-8")
    assert_inert(page, workdir, [PAYLOAD], compact=compact)
    # Legend, layer control and the registry key carry the event type as text.
    assert f"{escape_text(PAYLOAD)} ({n:,})" in page
    assert json_for_script(f"type:{PAYLOAD}") in page


@pytest.mark.parametrize("payload", [MKDIR, EVAL, *STRAY, BROWSER])
@pytest.mark.parametrize("fast_threshold", [400, 0], ids=["markers", "compact"])
def test_each_payload_alone_renders(workdir, payload, fast_threshold):
    gdf = _events(2, text=payload)
    path = save_map(gdf, workdir / "map.html", tiles=None, fast_threshold=fast_threshold)
    assert_inert(path.read_text(encoding="utf-8"), workdir, [payload], compact=fast_threshold == 0)


def test_choropleth_labels_and_map_title(workdir):
    areas = gpd.GeoDataFrame(
        {"name": [PAYLOAD, EVAL]}, geometry=[box(36, 35, 38, 37), box(0, 0, 1, 1)], crs=4326
    )
    page = events_map(_events(3), tiles=None, admin_areas=areas, title=PAYLOAD).get_root().render()
    assert_inert(page, workdir, [], compact=False)
    (data,) = re.findall(r"geo_json_\w+_add\((\{.*?\})\);", page)
    names = [f["properties"]["ge_name"] for f in json.loads(data)["features"]]
    assert [html.unescape(x) for x in names] == [PAYLOAD, EVAL]


def test_notebook_iframe_escapes_its_path(workdir):
    out = map_iframe(events_map(_events(1), tiles=None), workdir / "{{ 7*191 }}.html")
    frame = out._repr_html_()
    assert "{" not in frame and 'src="&#123;&#123; 7*191 &#125;&#125;.html"' in frame
    assert_inert(out.path.read_text(encoding="utf-8"), workdir, [PAYLOAD], compact=False)


def _article_events(gazetteer) -> gpd.GeoDataFrame:
    from geo_events import article_from_text, events_from_results, extract_events

    text = (
        f"Clashes in Aleppo {PAYLOAD}\n\n"
        "BEIRUT, June 3 (Wire) - Syrian government forces clashed with rebels in Aleppo on "
        f"Monday, killing five fighters {PAYLOAD}, a monitor said.\n"
    )
    article = article_from_text(text, published=dt.date(2024, 6, 5), source=PAYLOAD)
    events = events_from_results([extract_events(article, gazetteer=gazetteer)]).events
    assert len(events) == 1 and PAYLOAD in events["evidence"].iloc[0]
    return events


@pytest.mark.parametrize("copies", [1, COMPACT_N], ids=["markers", "compact"])
def test_article_payload_through_the_api(workdir, gazetteer, copies):
    one = _article_events(gazetteer)
    events = gpd.GeoDataFrame(pd.concat([one] * copies, ignore_index=True), crs=one.crs)
    path = save_map(events, workdir / "map.html", tiles=None)
    sentence = one["evidence"].iloc[0]
    texts = [PAYLOAD, sentence if copies == 1 else f"“{sentence}”"]
    assert_inert(path.read_text(encoding="utf-8"), workdir, texts, compact=copies > 1)


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


@pytest.mark.parametrize("n", [3, COMPACT_N], ids=["markers", "compact"])
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
    assert_inert(page, workdir, [PAYLOAD], compact=n > 3)


def test_the_issue_reproducer_through_the_cli(workdir, gazetteer):
    table = workdir / "t.csv"
    table.write_text(f"location,source\nAleppo,{MKDIR}\n", encoding="utf-8")
    page = _cli_map(workdir, table)
    assert_inert(page, workdir, [MKDIR], compact=False)


_ARTICLE_BODY = (
    "BEIRUT, June 3 (Wire) - Syrian government forces clashed with rebels in Aleppo on "
    "Monday, killing {n} fighters {payload}, a monitor said."
)


def test_article_file_through_the_cli(workdir, gazetteer):
    article = workdir / "article.txt"
    body = _ARTICLE_BODY.format(n="five", payload=PAYLOAD)
    article.write_text(f"Clashes in Aleppo {PAYLOAD}\n\n{body}\n\nWire\n", encoding="utf-8")
    page = _cli_map(workdir, article, "--published", "2024-06-05")
    assert_inert(page, workdir, [f"“{body}”"], compact=False)


def test_article_feed_through_the_cli_compact(workdir, gazetteer):
    feed = workdir / "feed.jsonl"
    records = [
        {
            "id": f"a{i}",
            "title": f"Clashes in Aleppo {PAYLOAD}",
            "text": _ARTICLE_BODY.format(n=i + 2, payload=PAYLOAD),
            "published": "2024-06-05",
        }
        for i in range(COMPACT_N)
    ]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    page = _cli_map(workdir, feed)
    texts = [f"“{_ARTICLE_BODY.format(n=i + 2, payload=PAYLOAD)}”" for i in (0, COMPACT_N - 1)]
    assert_inert(page, workdir, texts, compact=True)
    assert page.count("L.marker(") == 1  # one marker factory: the compact path


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
    "<!--",
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
)


class _PopupText(HTMLParser):
    """The title and (label, value) rows of one popup, as a reader sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.rows: list[list] = []
        self._cell: list[str] = []
        self._where: str | None = None

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class")
        if tag in ("th", "td") or cls == "ge-title":
            self._where, self._cell = tag if tag in ("th", "td") else "title", []

    def handle_endtag(self, tag):
        if self._where is None or tag not in ("th", "td", "div"):
            return
        text = "".join(self._cell)
        if self._where == "title":
            self.title = text
        elif self._where == "th":
            self.rows.append([text, None])
        else:
            self.rows[-1][1] = text
        self._where = None

    def handle_data(self, data):
        if self._where is not None:
            self._cell.append(data)


def _marker_texts(page: str) -> list[tuple]:
    """(title, rows, tooltip) of every folium marker in a rendered page."""
    popups = re.findall(r"\$\(`(.*?)`\)\[0\]", page, flags=re.DOTALL)
    tips = re.findall(r"bindTooltip\(\s*`<div>(.*?)</div>`", page, flags=re.DOTALL)
    assert len(popups) == len(tips)
    out = []
    for popup, tip in zip(popups, tips, strict=True):
        parser = _PopupText()
        parser.feed(popup)
        parser.close()
        rows = tuple((label, value) for label, value in parser.rows)
        out.append((parser.title, rows, html.unescape(tip.strip())))
    return out


def _compact_texts(page: str) -> list[tuple]:
    """(title, rows, tooltip) of every event in the compact table, as the page's JS builds them."""
    (payload,) = re.findall(r"var D = (.*?);\n  var S = D\.s;", page, flags=re.DOTALL)
    d = json.loads(payload)
    s = d["s"]
    out = []
    for i in range(len(d["lat"])):
        rows = tuple(
            (label, s[d["v"][j][i]]) for j, label in enumerate(d["labels"]) if d["v"][j][i] >= 0
        )
        tip = [s[d["ti"][i]], s[d["v"][0][i]], s[d["tp"][i]]]
        if d["f"][i] & 1:
            tip.append("DENIED")
        out.append((s[d["ti"][i]], rows, " · ".join(x for x in tip if x)))
    return out


@pytest.mark.fuzz
@given(texts=st.lists(TEXT, min_size=1, max_size=3), compact=st.booleans())
def test_any_text_stays_text(texts, compact):
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
        fast_threshold=0 if compact else 400,
        popup_notes=True,
        max_text_length=10_000,
    )
    page = m.get_root().render()

    assert template_delimiter(page) is None
    if not any("1337" in t for t in texts):
        assert "1337" not in _ids_removed(page)
    # Every marker shows exactly its fields, unescaped; folium turns newlines of popup HTML
    # into spaces (the same to a reader of HTML).
    expected = []
    for disp in event_displays(frame, include_notes=True, max_text_length=10_000):
        rows = disp.fields
        if not compact:
            rows = tuple((label, value.replace("\n", " ")) for label, value in rows)
        title = disp.title if compact else disp.title.replace("\n", " ")
        expected.append((title, rows, disp.tooltip))
    got = _compact_texts(page) if compact else _marker_texts(page)
    assert sorted(got) == sorted(expected)
    # ... and the fields are the input text itself.
    sources = [t.strip() if compact else t.strip().replace("\n", " ") for t in texts]
    shown = [dict(rows).get("Source", "") for _, rows, _ in got]
    assert sorted(shown) == sorted(sources)
    legend = re.search(r'class="ge-legend" open><summary>(.*?)</summary>', page, flags=re.DOTALL)
    assert html.unescape(legend.group(1)) == f"{texts[0] or 'Events'} ({n:,})"
