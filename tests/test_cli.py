"""Every subcommand through typer's runner, with good and bad input."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from geo_events.cli import app

runner = CliRunner()

ARTICLE = """Jets strike militia camp near Deir Ezzor, monitors say

BEIRUT, June 3 (Wire) - Syrian government warplanes struck positions of the Islamic State group near the city of Deir ez-Zor on Monday, killing at least five militants, a war monitor said.

Wire
"""


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "places.csv"
    path.write_text(
        "event_id_cnty,event_date,event_type,location,country\n"
        "SY1,2024-01-02,Battles,Deir Ezzor,Syria\n"
        "SY2,2024-01-03,Battles,Dayr az Zawr,Syria\n"
        "SY3,2024-01-04,Battles,Qzxwv Kkk,Syria\n",
        encoding="utf-8",
    )
    return path


def test_help_lists_every_subcommand():
    result = run("--help")
    assert result.exit_code == 0
    for name in ("extract", "geocode", "map", "export", "gazetteer"):
        assert name in result.output
    gaz = run("gazetteer", "--help")
    for name in ("build", "info", "search", "import", "download"):
        assert name in gaz.output


def test_gazetteer_search_json_and_no_match(gazetteer):
    result = run("gazetteer", "search", "Deir Ezzor", "--json", "--limit", "2")
    assert result.exit_code == 0
    first = json.loads(result.stdout.splitlines()[0])
    assert first["geonameid"] == 170794
    assert first["match_type"] == "normalized"
    missing = run("gazetteer", "search", "Qzxwv Kkkq")
    assert missing.exit_code == 1
    assert "no match" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_gazetteer_build_and_info(gazetteer):
    assert run("gazetteer", "build").exit_code == 0
    info = run("gazetteer", "info")
    assert info.exit_code == 0
    assert json.loads(info.stdout)["places"] == len(gazetteer)


def test_gazetteer_bad_supplement_is_one_line(tmp_path, gazetteer):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,latitude\nX,1\n", encoding="utf-8")
    result = run("gazetteer", "build", "--supplement", str(bad))
    assert result.exit_code == 2
    assert "lacks the column" in result.stderr
    assert "Traceback" not in result.output


def test_gazetteer_import_missing_file(tmp_path):
    result = run("gazetteer", "import", str(tmp_path / "SY.zip"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_gazetteer_download_bad_country(tmp_path):
    result = run("gazetteer", "download", "SYRIA", "--cache-dir", str(tmp_path))
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1


def test_extract_writes_geojson_events(article, tmp_path, gazetteer):
    out = tmp_path / "events.geojson"
    result = run("extract", str(article), "--published", "2024-06-04", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection"
    props = [f["properties"] for f in data["features"]]
    assert any(p["sub_event_type"] == "Air/drone strike" for p in props)
    assert all(p["geonameid"] in (170794, 170792) for p in props)
    assert "event(s)" in result.stderr


def test_extract_reads_stdin_and_writes_stdout(gazetteer):
    result = run("extract", "-", "--published", "2024-06-04", input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["type"] == "FeatureCollection"


def test_extract_text_without_events_exits_1(tmp_path, gazetteer):
    quiet = tmp_path / "quiet.txt"
    quiet.write_text("Weather report\n\nSunny skies are expected all week.\n", encoding="utf-8")
    result = run("extract", str(quiet), "-o", str(tmp_path / "e.geojson"))
    assert result.exit_code == 1
    assert "no events" in result.stderr


def test_extract_missing_file_and_bad_date(tmp_path):
    missing = run("extract", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr
    bad_date = run("extract", str(tmp_path / "nope.txt"), "--published", "yesterday")
    assert bad_date.exit_code == 2
    assert "--published" in bad_date.stderr


def test_extract_country_names_actors_of_placeless_reports(tmp_path, gazetteer):
    note = tmp_path / "note.txt"
    note.write_text("A mob lynched a suspected thief on Sunday.\n", encoding="utf-8")
    result = run("extract", str(note), "--published", "2024-06-04", "--country", "ke")
    assert result.exit_code == 0, result.output
    (feature,) = json.loads(result.stdout)["features"]
    assert feature["properties"]["actor1"] == "Rioters (Kenya)"
    assert feature["geometry"] is None  # the country names actors; it places nothing
    bad = run("extract", str(note), "--country", "Kenya")
    assert bad.exit_code == 2 and "--country" in bad.stderr


def test_geocode_table_keeps_every_row(table, tmp_path, gazetteer):
    out = tmp_path / "out.csv"
    result = run("geocode", str(table), "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4  # header + 3 rows, the unplaceable one included
    assert "unmatched" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("content", [b"", b"location,country\n"], ids=["empty", "header-only"])
def test_geocode_empty_table_is_an_error(tmp_path, gazetteer, content):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(content)
    out = tmp_path / "out.geojson"
    result = run("geocode", str(empty), "-o", str(out))
    assert result.exit_code == 2
    assert "no rows" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_geocode_binary_file_is_one_line_error(tmp_path, gazetteer):
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\xff\xfe\x00")
    result = run("geocode", str(binary), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_geocode_unreadable_encoding_is_reported(tmp_path, gazetteer):
    path = tmp_path / "latin.csv"
    path.write_bytes("location,country\nDeir Ezzor,Syria\nAlepp\xe9,Syria\n".encode("cp1252"))
    result = run("geocode", str(path), "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 0, result.output
    assert "cp1252" in result.stderr or "encoding" in result.stderr.lower()


@pytest.mark.parametrize(
    ("flags", "names"),
    [(["--max-bytes", "40"], "--max-bytes"), (["--max-rows", "2"], "--max-rows")],
    ids=["bytes", "rows"],
)
@pytest.mark.parametrize("command", ["geocode", "map"])
def test_table_over_a_limit_is_refused_naming_the_flag(
    table, tmp_path, gazetteer, command, flags, names
):
    out = tmp_path / ("out.csv" if command == "geocode" else "out.html")
    result = run(command, str(table), *flags, "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "InputTooLargeError" in result.stderr
    assert names in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_table_limits_can_be_raised_or_lifted(table, tmp_path, gazetteer):
    out = tmp_path / "out.csv"
    result = run("geocode", str(table), "--max-bytes", "none", "--max-rows", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == 3


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--max-rows", "x"), ("--max-rows", "-1"), ("--max-rows", "1.5"), ("--max-bytes", "0")],
)
def test_bad_limit_is_a_usage_error(table, flag, value):
    result = run("geocode", str(table), flag, value)
    assert result.exit_code == 2
    assert flag in result.stderr


def test_article_over_the_byte_limit_is_skipped_with_its_reason(article, tmp_path, gazetteer):
    small = tmp_path / "small.txt"
    small.write_text("Police arrested two men in Nairobi on Monday.\n", encoding="utf-8")
    out = tmp_path / "events.geojson"
    result = run("extract", str(article), str(small), "--max-bytes", "100", "-o", str(out))
    assert "max_bytes" in result.stderr
    assert "article.txt" in result.stderr  # the big one is named, not silently dropped


def test_geocode_missing_file():
    result = run("geocode", "no/such/table.csv")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_export_round_trip(table, tmp_path, gazetteer):
    parquet = tmp_path / "events.parquet"
    assert run("geocode", str(table), "-o", str(parquet)).exit_code == 0
    geojson = tmp_path / "events.geojson"
    result = run("export", str(parquet), "-o", str(geojson))
    assert result.exit_code == 0, result.output
    assert len(json.loads(geojson.read_text())["features"]) == 3


def test_map_from_article_and_table(article, table, tmp_path, gazetteer):
    html = tmp_path / "map.html"
    result = run(
        "map", str(article), "--published", "2024-06-04", "-o", str(html), "--tiles", "none"
    )
    assert result.exit_code == 0, result.output
    assert "leaflet" in html.read_text(encoding="utf-8").lower()
    table_html = tmp_path / "table.html"
    assert run("map", str(table), "-o", str(table_html)).exit_code == 0
    assert table_html.stat().st_size > 1000


def test_map_demo_uses_the_shipped_sample(tmp_path, gazetteer):
    html = tmp_path / "demo.html"
    result = run("map", "--demo", "-o", str(html))
    assert result.exit_code == 0, result.output
    assert "Deir" in html.read_text(encoding="utf-8")


def test_map_without_input_is_a_usage_error():
    result = run("map")
    assert result.exit_code == 2
    assert "--demo" in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = runner.invoke(app, ["--debug", "geocode", str(tmp_path / "nope.csv")])
    assert result.exit_code != 0
    assert isinstance(result.exception, FileNotFoundError)


def test_counted_passes_every_item_through_with_or_without_a_terminal(monkeypatch):
    import sys

    from geo_events.cli.app import counted

    assert list(counted(iter(range(5)), "articles")) == [0, 1, 2, 3, 4]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert list(counted(iter(range(5)), "articles")) == [0, 1, 2, 3, 4]


@pytest.mark.parametrize("suffix", [".parquet", ".gpkg", ".geojson", ".csv"])
def test_geocode_streams_a_csv_to_every_format(table, tmp_path, gazetteer, suffix):
    from geo_events.io.tables import read_events
    from geo_events.io.writers import read_events_file, write_events

    out = tmp_path / f"out{suffix}"
    result = run("geocode", str(table), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "rows read" in result.stderr
    expected = read_events_file(write_events(read_events(table).events, tmp_path / f"one{suffix}"))
    pd.testing.assert_frame_equal(pd.DataFrame(read_events_file(out)), pd.DataFrame(expected))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_geocode_streams_geojson_to_stdout(table, gazetteer):
    result = run("geocode", str(table))
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["features"]) == 3
