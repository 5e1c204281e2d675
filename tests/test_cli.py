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
    found = json.loads(result.stdout)
    assert isinstance(found, list) and len(found) == 2
    first = found[0]
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
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "COUNTRY" in result.stderr


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
    from geo_events.io.events_files import read_events
    from geo_events.io.tables import events_from_table
    from geo_events.io.writers import write_events

    out = tmp_path / f"out{suffix}"
    result = run("geocode", str(table), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "rows read" in result.stderr
    expected = read_events(write_events(events_from_table(table), tmp_path / f"one{suffix}"))
    pd.testing.assert_frame_equal(pd.DataFrame(read_events(out)), pd.DataFrame(expected))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_geocode_streams_geojson_to_stdout(table, gazetteer):
    result = run("geocode", str(table))
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["features"]) == 3


# --------------------------------------------------------------- CLI conventions


@pytest.fixture
def progress_every_call(monkeypatch):
    """Plain progress lines on every callback (not every 5 s)."""
    from geo_events.cli import progress

    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)


# 1. --version


def test_version_prints_the_package_version():
    import geo_events

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"geo-events {geo_events.__version__}\n"


def test_version_through_the_module_entry_point():
    import subprocess
    import sys

    import geo_events

    done = subprocess.run(
        [sys.executable, "-m", "geo_events.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"geo-events {geo_events.__version__}"


# 2. -q / --debug before or after the subcommand


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_silences_progress_before_or_after_the_command(
    table, tmp_path, gazetteer, progress_every_call, where
):
    out = tmp_path / "out.csv"
    args = ["geocode", str(table), "-o", str(out)]
    loud = run(*args)
    assert loud.exit_code == 0, loud.output
    assert "geo-events: 3 of 3 rows (100%)" in loud.stderr
    quiet = run(*(["-q", *args] if where == "before" else [*args, "-q"]))
    assert quiet.exit_code == 0, quiet.output
    assert "rows/s" not in quiet.stderr
    assert "3 rows read" in quiet.stderr  # the summary is not progress: it stays
    long = run(*args, "--quiet")
    assert long.exit_code == 0 and "rows/s" not in long.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_before_or_after_the_command_shows_the_traceback(tmp_path, where):
    args = ["geocode", str(tmp_path / "nope.csv")]
    result = runner.invoke(app, ["--debug", *args] if where == "before" else [*args, "--debug"])
    assert isinstance(result.exception, FileNotFoundError)
    plain = runner.invoke(app, args)
    assert plain.exit_code == 2
    assert not isinstance(plain.exception, FileNotFoundError)


def test_global_options_after_a_gazetteer_command(gazetteer):
    result = run("gazetteer", "search", "Aleppo", "--debug", "-q", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["name"] == "Aleppo"


# 3. readable help at 80 columns


def _command_paths():
    import typer.main

    def walk(command, path):
        yield path
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


HELP_ARTEFACTS = [
    r"<[a-z][^>]*>",  # typer's <str>, <list[str]>, <path>, <int range>
    r"\{[a-z_. ]+\}",  # {table}
    r"-{3,}",  # numpydoc underlines
    r">>>",
    r"\[/?bold\]|\[/\]",  # rich markup shown raw
    r"^\s*(Parameters|Returns|Examples)\s*$",  # numpydoc section headings
]


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "geo-events")
def test_every_help_reads_cleanly_at_80_columns(path):
    import re

    assert len(_command_paths()) >= 11  # the app, 4 commands, gazetteer and its 5
    result = runner.invoke(
        app, [*path, "--help"], env={"COLUMNS": "80"}, terminal_width=80, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Usage: geo-events" in result.stdout
    for line in result.stdout.splitlines():
        assert len(line) <= 80, line
    for pattern in HELP_ARTEFACTS:
        found = re.search(pattern, result.stdout, flags=re.MULTILINE)
        assert found is None, f"{pattern!r} in help of {path}: {found.group(0)!r}"


def test_help_shows_metavars_and_choices():
    geocode_help = run("geocode", "--help").stdout
    assert "geo-events geocode [OPTIONS] TABLE" in geocode_help
    assert "--format [csv|geojson|jsonl]" in geocode_help
    assert "-o, --output PATH" in geocode_help
    assert "--max-rows N|none" in geocode_help
    search_help = run("gazetteer", "search", "--help").stdout
    assert "--kind KIND" in search_help and "--limit N" in search_help
    assert "--country CODE" in search_help
    assert "geo-events gazetteer search [OPTIONS] NAME" in search_help
    assert "Examples:" in search_help
    assert "[OPTIONS] [INPUT...]" in run("map", "--help").stdout
    top = run("--help").stdout
    assert "--version" in top and "-q, --quiet" in top


# 4. every bad usage: exit 2 and one line naming the option


BAD_USAGE = {
    "unknown-format": (["geocode", "{table}", "--format", "xml"], "--format"),
    "bad-max-rows": (["geocode", "{table}", "--max-rows", "lots"], "--max-rows"),
    "negative-max-rows": (["geocode", "{table}", "--max-rows", "-1"], "--max-rows"),
    "suffix-unknown": (["geocode", "{table}", "-o", "{tmp}/out.txt"], "--format"),
    "suffix-vs-format": (
        ["export", "{tmp}/e.parquet", "-o", "x.csv", "--format", "jsonl"],
        "--format",
    ),
    "unknown-tiles": (["map", "{table}", "-o", "{tmp}/m.html", "--tiles", "nosuch"], "--tiles"),
    "url-tiles": (
        ["map", "{table}", "--tiles", "https://t/{z}/{x}/{y}.png"],
        "--tiles-attribution",
    ),
    "self-contained-assets": (
        ["map", "--demo", "--self-contained", "--assets", "{tmp}"],
        "--assets",
    ),
    "cdn-and-assets": (["map", "--demo", "--cdn", "--assets", "{tmp}"], "--cdn"),
    "assets-to-stdout": (["map", "--demo", "--assets", "{tmp}", "-o", "-"], "--assets"),
    "bad-published": (["extract", "{tmp}/a.txt", "--published", "soon"], "--published"),
    "bad-country": (["extract", "{tmp}/a.txt", "--country", "Kenya"], "--country"),
    "unknown-kind": (["gazetteer", "search", "Aleppo", "--kind", "town"], "--kind"),
    "limit-zero": (["gazetteer", "search", "Aleppo", "--limit", "0"], "--limit"),
    "json-and-csv": (["gazetteer", "search", "Aleppo", "--json", "--csv"], "--json"),
    "bad-download-country": (["gazetteer", "download", "SYRIA"], "COUNTRY"),
    "unknown-option": (["geocode", "{table}", "--nosuch"], "--nosuch"),
    "missing-argument": (["geocode"], "TABLE"),
}


@pytest.mark.parametrize(("args", "option"), BAD_USAGE.values(), ids=BAD_USAGE.keys())
def test_bad_usage_exits_2_with_one_line_naming_the_option(table, tmp_path, args, option):
    filled = [a.replace("{table}", str(table)).replace("{tmp}", str(tmp_path)) for a in args]
    result = run(*filled)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("geo-events: error: ")
    assert option in lines[0]
    assert result.stdout == ""
    assert not (tmp_path / "m.html").exists()


def test_unknown_search_country_is_a_usage_error(gazetteer):
    result = run("gazetteer", "search", "Aleppo", "--country", "Atlantis")
    assert result.exit_code == 2
    assert "--country" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_self_contained_alone_is_a_deprecated_no_op(tmp_path, gazetteer):
    html = tmp_path / "demo.html"
    result = run("map", "--demo", "--self-contained", "-o", str(html))
    assert result.exit_code == 0, result.output
    assert "geo-events: warning: --self-contained is deprecated" in result.stderr
    assert html.stat().st_size > 1000


def test_export_refuses_a_foreign_table(table):
    result = run("export", str(table))
    assert result.exit_code == 2
    assert "geo-events geocode" in result.stderr


# 5. gazetteer search: fits 80 columns, --json and --csv


def test_search_table_fits_80_columns_without_truncating(gazetteer):
    for name in ("Deir Ezzor", "Al Hasakah", "Aleppo"):
        found = json.loads(run("gazetteer", "search", name, "--json", "--limit", "10").stdout)
        result = runner.invoke(
            app, ["gazetteer", "search", name, "--limit", "10"], env={"COLUMNS": "80"}
        )
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert all(len(line) <= 80 for line in lines), lines
        assert "…" not in result.stdout
        for c in found:
            row = next(
                line for line in lines if line.split() and line.split()[0] == str(c["geonameid"])
            )
            assert f"{c['latitude']:.4f}" in row and f"{c['longitude']:.4f}" in row
            assert c["country_code"] in row.split()


def test_search_csv_has_a_header_and_every_candidate(gazetteer):
    import csv
    import io

    found = json.loads(run("gazetteer", "search", "Aleppo", "--json").stdout)
    result = run("gazetteer", "search", "Aleppo", "--csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["geonameid"]) for r in rows] == [c["geonameid"] for c in found]
    assert [float(r["latitude"]) for r in rows] == [c["latitude"] for c in found]
    assert set(rows[0]) == set(found[0])


# 6. -o - with --format; stdout carries only the events


def test_geocode_to_stdout_as_csv_and_jsonl_with_progress_on_stderr(
    table, gazetteer, progress_every_call
):
    import io

    as_csv = run("geocode", str(table), "-o", "-", "--format", "csv")
    assert as_csv.exit_code == 0, as_csv.output
    frame = pd.read_csv(io.StringIO(as_csv.stdout))
    assert list(frame["event_id_cnty"]) == ["SY1", "SY2", "SY3"]
    assert "rows/s" in as_csv.stderr and "rows/s" not in as_csv.stdout
    as_jsonl = run("geocode", str(table), "--format", "jsonl")
    assert as_jsonl.exit_code == 0, as_jsonl.output
    features = [json.loads(line) for line in as_jsonl.stdout.splitlines()]
    assert [f["type"] for f in features] == ["Feature"] * 3
    assert features[0]["properties"]["event_id_cnty"] == "SY1"
    assert features[2]["geometry"] is None  # the unplaceable row is kept
    default = run("geocode", str(table), "-o", "-")
    assert json.loads(default.stdout)["type"] == "FeatureCollection"  # -o - defaults to geojson


def test_extract_to_stdout_as_jsonl_and_export_reads_it_back(tmp_path, gazetteer):
    result = run("extract", "-", "--published", "2024-06-04", "--format", "jsonl", input=ARTICLE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines and all(json.loads(line)["type"] == "Feature" for line in lines)
    jsonl = tmp_path / "events.jsonl"
    jsonl.write_text(result.stdout, encoding="utf-8")
    back = run("export", str(jsonl), "-o", "-", "--format", "csv")
    assert back.exit_code == 0, back.output
    assert len(back.stdout.strip().splitlines()) == len(lines) + 1


def test_export_parquet_to_stdout_and_jsonl_file(table, tmp_path, gazetteer):
    parquet = tmp_path / "e.parquet"
    assert run("geocode", str(table), "-o", str(parquet)).exit_code == 0
    as_csv = run("export", str(parquet), "-o", "-", "--format", "csv")
    assert as_csv.exit_code == 0
    assert as_csv.stdout.splitlines()[0].startswith("event_id_cnty,")
    jsonl = tmp_path / "e.ndjson"
    assert run("export", str(parquet), "-o", str(jsonl)).exit_code == 0
    assert len(jsonl.read_text(encoding="utf-8").splitlines()) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.ndjson", "e.parquet", "places.csv"]


def test_map_to_stdout(table, gazetteer):
    result = run("map", str(table), "-o", "-", "--tiles", "none")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().lower().startswith("<!doctype html")
    assert "map written to stdout" in result.stderr


# 7. progress: total, rate and ETA; plain lines off a terminal; nothing with -q


def test_progress_line_has_total_rate_and_eta():
    from geo_events.cli.progress import describe

    line = describe(120_000, 400_000, 0.3, 120_000 / 21_000, approximate=True)
    assert line == "120,000 of ~400,000 rows (30%), 21,000 rows/s, ETA 13 s"
    assert describe(400_000, 400_000, 1.0, 20.0, approximate=True) == (
        "400,000 of 400,000 rows (100%), 20,000 rows/s"
    )
    assert describe(12, None, None, 4.0, unit="articles") == "12 articles, 3.0 articles/s"
    assert "ETA 2 min 00 s" in describe(50, 100, None, 120.0)


def test_plain_progress_lines_every_interval(monkeypatch, capsys):
    from types import SimpleNamespace

    from geo_events.cli import progress

    now = [100.0]
    monkeypatch.setattr(progress, "_now", lambda: now[0])
    with progress.row_progress(approximate=True, terminal=False) as callback:
        assert callback is not None
        for rows, seconds in (
            (1_000, 1.0),
            (2_000, 4.9),
            (3_000, 5.0),
            (4_000, 9.0),
            (5_000, 10.0),
        ):
            now[0] = 100.0 + seconds
            callback(SimpleNamespace(rows=rows, total=10_000, fraction=rows / 10_000))
        now[0] = 111.0
        callback(6_000)  # a bare count (the readers' old callback argument) works too
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "geo-events: 3,000 of ~10,000 rows (30%), 600 rows/s, ETA 12 s",
        "geo-events: 5,000 of ~10,000 rows (50%), 500 rows/s, ETA 10 s",
    ]


def test_progress_takes_the_readers_read_progress(capsys, monkeypatch):
    import dataclasses

    from geo_events.cli import progress
    from geo_events.io import tables

    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)
    values = {"rows": 50, "done": 40, "total": 200, "fraction": 0.25}
    fields = [f.name for f in dataclasses.fields(tables.ReadProgress)]
    with progress.row_progress(terminal=False) as callback:
        callback(tables.ReadProgress(**{name: values[name] for name in fields}))
    # the rows finished count, against the total: parsing runs a chunk ahead of them
    assert "40 of 200 rows (20%)" in capsys.readouterr().err


def test_progress_on_a_terminal_shows_a_bar_with_rate_and_eta(monkeypatch):
    import io
    from types import SimpleNamespace

    from rich.console import Console

    from geo_events.cli import progress

    now = [0.0]
    monkeypatch.setattr(progress, "_now", lambda: now[0])
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80)
    with progress.row_progress(approximate=True, console=console) as callback:
        now[0] = 2.0
        callback(SimpleNamespace(rows=20_000, total=100_000, fraction=0.2))
    shown = screen.getvalue()
    assert "20,000 of ~100,000 rows (20%), 10,000 rows/s, ETA 8 s" in shown


def test_no_progress_when_disabled():
    from geo_events.cli.progress import row_progress

    with row_progress(enabled=False, terminal=True) as callback:
        assert callback is None


def test_gazetteer_build_progress_goes_to_stderr(monkeypatch, capsys):
    from geo_events.cli import progress

    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)
    with progress.stage_progress("gazetteer", console=None) as callback:
        callback("places", 5, 10)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "geo-events: gazetteer: places: 5 of 10 (50%)" in captured.err


def test_article_count_and_rate(article, tmp_path, gazetteer, progress_every_call):
    result = run("extract", str(article), str(article), "-o", str(tmp_path / "e.geojson"))
    lines = [line for line in result.stderr.splitlines() if "articles/s" in line]
    assert lines and lines[-1].startswith("geo-events: 2 articles, ")
    assert " of " not in lines[-1]  # a stream of articles has no total


# 8. one warning for articles without a date


def test_one_warning_for_articles_without_a_date(tmp_path, gazetteer):
    second = tmp_path / "second.txt"
    second.write_text(ARTICLE.replace("five", "six"), encoding="utf-8")
    first = tmp_path / "first.txt"
    first.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "e.geojson"
    result = run("extract", str(first), str(second), "-o", str(out), "-q")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].startswith("geo-events: warning: 2 article(s) have no date")
    assert "--published YYYY-MM-DD" in warnings[0]
    dated = run("extract", str(first), str(second), "-o", str(out), "--published", "2024-06-04")
    assert "warning" not in dated.stderr
