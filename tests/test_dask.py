"""The dask engine on a 2-process LocalCluster: same events, every row accounted for."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

pytest.importorskip("dask_geopandas", reason='needs the dask extra: pip install "geo_events[dask]"')

import dask.bag as db
import dask.dataframe as dd
import dask_geopandas
import geopandas as gpd
from geopandas.testing import assert_geodataframe_equal

from geo_events import scale
from geo_events._dask import MissingDependencyError, require
from geo_events.errors import InputError
from geo_events.io import dask_tables
from geo_events.io.tables import events_from_table

pytestmark = [
    # dask's parquet reader calls reset_index(inplace=True), deprecated in pandas 3.1
    pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The inplace keyword:FutureWarning"),
    pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
    if hasattr(pd.errors, "Pandas4Warning")
    else pytest.mark.filterwarnings("default"),
]

PLACES = [
    ("Deir Ezzor", "Syria"),
    ("Aleppo", "Syria"),
    ("Damascus", "Syria"),
    ("Mosul", "Iraq"),
    ("Qzxwvillage", "Syria"),
    ("Kabul", "Afghanistan"),
    ("", "Yemen"),
    ("xq!!zz##", ""),
]


def _same_report(got, want):
    """Equal reports; issues in partition order, so compared as a multiset."""
    assert {k: v for k, v in got.items() if k != "issues"} == {
        k: v for k, v in want.items() if k != "issues"
    }
    assert sorted(got.issues, key=repr) == sorted(want.issues, key=repr)


def _table(rows: int = 120) -> str:
    """An ACLED-like CSV with the awkward parts: quoted newlines, blank lines, a ragged
    record, coordinates, bad values and ids repeated far apart (across blocks)."""
    lines = ["event_id_cnty,event_date,event_type,location,country,latitude,longitude,notes"]
    for i in range(rows):
        place, country = PLACES[i % len(PLACES)]
        event_id = f"EV{i}" if i not in (70, 110) else "EV3"  # EV3 three times
        date = f"2019-0{1 + i % 9}-1{i % 10}" if i % 13 else f"{2020 + i % 3}-02-30"
        lat, lon = ("36.2", "37.16") if i % 11 == 0 else ("", "")
        notes = f'"Line one of {i},\nline two ""quoted"""' if i % 7 == 0 else f"note {i}"
        lines.append(f"{event_id},{date},Battles,{place},{country},{lat},{lon},{notes}")
        if i % 29 == 5:
            lines.append("")
        if i == 40:
            lines.append("EV-ragged,2019-05-05,Riots,Aleppo")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def client():
    with scale.dask_client(workers=2) as client:
        yield client


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(_table(), encoding="utf-8")
    return path


def test_a_cut_file_reads_as_one_process_does(client, table, gazetteer):
    one = events_from_table(table, gazetteer=gazetteer)
    events = dask_tables.events_from_table(table, gazetteer=gazetteer, blocksize=1500)
    assert isinstance(events, dask_geopandas.GeoDataFrame)
    assert events.npartitions > 3
    assert list(events.columns) == list(one.columns)  # meta from a sample, not a partition
    frame = dask_tables.compute_events(events)
    assert_geodataframe_equal(frame, one)
    _same_report(frame.attrs["report"], one.attrs["report"])
    report = frame.attrs["report"]
    assert report.rows_read == len(frame) == 121  # 120 and the ragged record
    assert report.placed + report.unplaced == report.rows_read
    assert report.blank_lines == one.attrs["report"].blank_lines > 0
    # the repeated id is flagged everywhere, with its first line in the file
    dups = frame[frame["event_id_cnty"] == "EV3"]
    first = int(dups["source_line"].min())
    assert len(dups) == 3 and first > 1
    assert dups["read_issues"].str.contains(f"first on line {first}\\)").all()


def test_a_gdelt_export_without_header_is_cut_anywhere_quotes_mean_nothing(client, tmp_path,
                                                                           gazetteer):  # fmt: skip
    from geo_events.io.tables import GDELT_COLUMNS

    places = [("Deir ez-Zor, Dayr az Zawr, Syria", "SY", "35.3359", "40.1408", "4"),
              ("Iraq", "IZ", "33", "44", "1"), ("Homs, Hims, Syria", "SY", "", "", "3")]  # fmt: skip
    lines = []
    for i in range(60):
        name, cc, lat, lon, kind = places[i % 3]
        row = dict.fromkeys(GDELT_COLUMNS, "")
        row.update(GLOBALEVENTID=str(1150000000 + i), SQLDATE=f"202401{1 + i % 28:02d}",
                   EventCode="190", EventRootCode="19", ActionGeo_Type=kind,
                   ActionGeo_FullName=name, ActionGeo_CountryCode=cc, ActionGeo_Lat=lat,
                   ActionGeo_Long=lon, Actor1Name='5" GUN' if i % 5 == 0 else "REBEL",
                   SOURCEURL=f"https://example.org/{i}")  # fmt: skip
        lines.append("\t".join(row[c] for c in GDELT_COLUMNS))
    path = tmp_path / "20240115.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one = events_from_table(path, gazetteer=gazetteer)
    events = dask_tables.events_from_table(path, gazetteer=gazetteer, blocksize=2000)
    assert events.npartitions > 3
    frame = dask_tables.compute_events(events)
    assert_geodataframe_equal(frame, one)
    _same_report(frame.attrs["report"], one.attrs["report"])
    assert list(frame["source_line"]) == list(range(1, 61))


def test_a_dask_dataframe_reads_as_its_pandas_frame(client, gazetteer):
    df = pd.read_csv(io.StringIO(_table()), dtype="string", keep_default_na=False)
    one = events_from_table(df, gazetteer=gazetteer)
    events = dask_tables.events_from_table(dd.from_pandas(df, npartitions=4), gazetteer=gazetteer)
    frame = dask_tables.compute_events(events)
    assert_geodataframe_equal(frame, one)
    _same_report(frame.attrs["report"], one.attrs["report"])
    assert list(frame["source_line"]) == list(range(1, len(df) + 1))


def test_partitioned_geoparquet_reads_back_with_geopandas_and_dask(client, table, gazetteer,
                                                                  tmp_path):  # fmt: skip
    one = events_from_table(table, gazetteer=gazetteer)
    events = dask_tables.events_from_table(table, gazetteer=gazetteer, blocksize=1500)
    out = tmp_path / "events"
    report = dask_tables.write_partitioned(events, out)
    assert report.rows_read == len(one)
    assert json.loads((out / "_report.json").read_text())["rows_read"] == len(one)
    countries = {p.name for p in out.iterdir() if p.is_dir()}
    assert {"event_country=SY", "event_country=IQ", "event_country=ZZ"} <= countries
    assert any(p.name == "event_year=0" for p in out.glob("*/*"))  # the bad dates
    for back in (gpd.read_parquet(out), dask_geopandas.read_parquet(out).compute()):
        assert isinstance(back, gpd.GeoDataFrame) and back.crs == "EPSG:4326"
        back = back.sort_values("source_line").reset_index(drop=True)
        assert list(back["source_line"]) == list(one["source_line"])
        assert list(back["event_id_cnty"]) == list(one["event_id_cnty"])
        assert back.geometry.equals(one.geometry)
        assert set(back["event_country"].astype(str)) == {c.split("=")[1] for c in countries}
    sy = dask_geopandas.read_parquet(out, filters=[("event_country", "==", "SY")]).compute()
    assert len(sy) == int((one["country_code"] == "SY").sum())
    with pytest.raises(InputError, match="overwrite=True"):
        dask_tables.write_partitioned(events, out)
    assert dask_tables.write_partitioned(events, out, overwrite=True).rows_read == len(one)


def test_a_glob_of_files_is_one_table_with_the_file_of_each_row(client, tmp_path, gazetteer):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.csv").write_text(_table(20), encoding="utf-8")
    events = dask_tables.events_from_table(str(tmp_path / "*.csv"), gazetteer=gazetteer)
    assert events.npartitions == 3
    frame = dask_tables.compute_events(events)
    report = frame.attrs["report"]
    assert report.rows_read == len(frame) == 3 * 20
    assert report.path.endswith("a.csv and 2 more")
    assert frame["source_file"].str.rsplit("/", n=1).str[-1].value_counts().to_dict() == {
        "a.csv": 20, "b.csv": 20, "c.csv": 20,
    }  # fmt: skip
    # every id repeats across the files: each occurrence is flagged, naming the first file
    first = frame[frame["event_id_cnty"] == "EV1"]
    assert first["read_issues"].str.contains("of .*a.csv\\)", regex=True).all()


def test_a_bag_of_articles_extracts_as_extract_many_does(client, gazetteer):
    from geo_events.text import article_from_text, extract_many

    texts = [
        "Militants attacked a checkpoint in Aleppo on Monday, killing three soldiers.",
        "Protesters gathered in Damascus on Friday.",
        "Nothing happened anywhere.",
        "Airstrikes hit Deir ez-Zor, killing five civilians, activists said.",
    ]
    articles = [article_from_text(t, id=f"a{i}") for i, t in enumerate(texts)]
    one = list(extract_many(articles, gazetteer=gazetteer, country="SY"))
    bag = scale.extract_bag(db.from_sequence(articles, npartitions=2), gazetteer=gazetteer,
                            country="SY")  # fmt: skip
    results = bag.compute()
    assert [r.article_id for r in results] == [r.article_id for r in one]
    assert [len(r.events) for r in results] == [len(r.events) for r in one]
    assert [r.reason for r in results] == [r.reason for r in one]


def test_a_problem_raised_in_a_worker_names_the_file_and_block(client, table, gazetteer):
    df = dd.from_pandas(pd.DataFrame({"location": ["Aleppo"] * 4, "date": ["x"] * 4}), 2)
    lazy = dask_tables.events_from_table(df, gazetteer=gazetteer, on_error="raise")
    with pytest.raises(InputError, match="date"):  # dask's made-up meta rows raised nothing
        dask_tables.compute_events(lazy)
    events = dask_tables.events_from_table(table, gazetteer=gazetteer, blocksize=1500,
                                           on_error="raise")  # fmt: skip
    with pytest.raises(InputError, match=r"events\.csv, the block from line \d+"):
        dask_tables.compute_events(events)


def test_progress_cannot_be_called_from_workers(table, gazetteer):
    with pytest.raises(InputError, match="ProgressBar"):
        dask_tables.events_from_table(table, gazetteer=gazetteer, progress=print)


def test_bad_sources_are_named(tmp_path, gazetteer):
    with pytest.raises(InputError, match="no files match"):
        dask_tables.events_from_table(str(tmp_path / "*.csv"), gazetteer=gazetteer)
    with pytest.raises(InputError, match="a folder"):
        dask_tables.events_from_table(tmp_path, gazetteer=gazetteer)
    with pytest.raises(InputError, match="dask DataFrame or files"):
        dask_tables.events_from_table(pd.DataFrame({"a": [1]}), gazetteer=gazetteer)


def test_cuts_fall_at_record_ends_outside_quotes(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(_table(300), encoding="utf-8")
    data = path.read_bytes()
    starts = dask_tables._blocks(path, 700, quoted=True, header=True)
    assert len(starts) > 10 and starts[0] == (0, 1)
    for offset, line in starts[1:]:
        assert data[offset - 1 : offset] == b"\n"
        assert data.count(b'"', 0, offset) % 2 == 0  # not inside a quoted field
        assert data.count(b"\n", 0, offset) + 1 == line


def test_import_geo_events_never_imports_dask():
    code = (
        "import sys, geo_events, geo_events.io.tables; geo_events.events_from_table; "
        "assert not [m for m in sys.modules if m.split('.')[0] in "
        "('dask', 'distributed', 'dask_geopandas')], 'dask imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask_geopandas", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "geo_events\[dask\]"') as err:
        require("dask_geopandas")
    assert isinstance(err.value, ImportError)


def test_cli_geocode_with_workers_writes_a_partitioned_dataset(table, tmp_path, gazetteer):
    from typer.testing import CliRunner

    from geo_events.cli import app

    out = tmp_path / "events"
    result = CliRunner().invoke(app, ["geocode", str(table), "-o", str(out), "--workers", "2"],
                                catch_exceptions=False)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "121 rows read" in result.output
    back = gpd.read_parquet(out)
    assert len(back) == 121 and set(back["source_line"]) == set(
        events_from_table(table, gazetteer=gazetteer)["source_line"]
    )
