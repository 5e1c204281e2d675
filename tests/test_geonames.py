from __future__ import annotations

import logging
import zipfile
from pathlib import Path

import pytest

from geo_events.errors import GazetteerSourceError, InputError
from geo_events.gazetteer import Gazetteer, Kind, MatchType
from geo_events.gazetteer.geonames import GEONAME_COLUMNS, GeoNamesDump

VILLAGE = 99_000_001
KHIRBA = 99_000_002
SPRING = 99_000_003
ADMIN1 = 99_000_010
ADMIN2_EMPTY = 99_000_011
DEIR_EZ_ZOR = 170794  # in the default gazetteer too


def _row(gid, name, lat, lon, fclass, fcode, admin1="", admin2="", population=0, alts=""):
    row = [str(gid), name, name, alts, str(lat), str(lon), fclass, fcode, "SY", "",
           admin1, admin2, "", "", str(population), "", "300", "Asia/Damascus", "2024-05-01"]  # fmt: skip
    assert len(row) == len(GEONAME_COLUMNS)
    return "\t".join(row)


PLACES = [
    _row(VILLAGE, "Tall Qarnawi", 35.91, 39.12, "P", "PPL", "99", "9901", 1200, "Tel Qarnawi"),
    _row(KHIRBA, "Khirbat Zuhayra", 35.70, 39.40, "P", "PPL", "99", "", 300),
    "99000004\tBroken row with too few columns\t35.0\t39.0",
    _row(99_000_005, "Bad Latitude", "north", 39.0, "P", "PPL"),
    _row(SPRING, "Ayn Zarqa", 35.80, 39.20, "H", "SPNG"),
    _row(DEIR_EZ_ZOR, "Deir ez-Zor", 35.336, 40.1408, "P", "PPLA", "07", "", 242565),
]
ALTERNATES = [
    # alternateNameId, geonameid, isolanguage, name, preferred, short, colloquial, historic, from, to
    f"1\t{KHIRBA}\ten\tKherbet Zuhaira\t1\t\t\t\t\t",
    f"2\t{KHIRBA}\tlink\thttps://en.wikipedia.org/wiki/Khirbat_Zuhayra\t\t\t\t\t\t",
    f"3\t{KHIRBA}\tar\tZuhayra Colloquial\t\t\t1\t\t\t",
    f"4\t{KHIRBA}\tiata\tKZH\t\t\t\t\t\t",
    f"5\t{DEIR_EZ_ZOR}\tde\tDeir-ez-Testname\t\t\t\t1\t\t",
    "6\t424242\ten\tSomewhere Not Imported\t\t\t\t\t\t",
    "7\tnot-a-number\ten\tBroken\t\t\t\t\t\t",
    f"8\t{ADMIN1}\ten\tTest Governorate Alias\t\t\t\t\t\t",
]
ADMIN1_CODES = [
    f"SY.99\tMuhafazat Qarnawi\tMuhafazat Qarnawi\t{ADMIN1}",
    "IQ.01\tAnbar\tAnbar\t99000020",  # another country: not this dump's business
    "malformed admin line",
]
ADMIN2_CODES = [
    f"SY.99.9901\tQarnawi District\tQarnawi District\t{ADMIN1 + 2}",
    f"SY.99.9902\tEmpty District\tEmpty District\t{ADMIN2_EMPTY}",
]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _write_zip(path: Path, member: str, lines: list[str], extra: dict[str, str] | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
        archive.writestr(member, "\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def dump_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("geonames")
    _write_zip(folder / "SY.zip", "SY.txt", PLACES, {"readme.txt": "not data\n"})
    _write_zip(folder / "alternateNamesV2.zip", "alternateNamesV2.txt", ALTERNATES,
               {"iso-languagecodes.txt": "ISO 639-3\tISO 639-2\n"})  # fmt: skip
    _write(folder / "admin1CodesASCII.txt", ADMIN1_CODES)
    _write(folder / "admin2Codes.txt", ADMIN2_CODES)
    return folder


@pytest.fixture(scope="module")
def dump(dump_dir: Path) -> GeoNamesDump:
    return GeoNamesDump.from_directory(dump_dir)


def _by_id(dump: GeoNamesDump):
    return {r.geonameid: r for r in dump.records()}


# --------------------------------------------------------------------- records()


def test_from_directory_finds_the_standard_files(dump, dump_dir):
    assert dump.places == dump_dir / "SY.zip"
    assert dump.alternate_names == dump_dir / "alternateNamesV2.zip"
    assert dump.admin1 == dump_dir / "admin1CodesASCII.txt"
    assert dump.admin2 == dump_dir / "admin2Codes.txt"
    assert dump.paths() == [dump.places, dump.alternate_names, dump.admin1, dump.admin2]


def test_records_parse_the_columns(dump):
    village = _by_id(dump)[VILLAGE]
    assert (village.name, village.latitude, village.longitude) == ("Tall Qarnawi", 35.91, 39.12)
    assert (village.feature_class, village.feature_code, village.country_code) == ("P", "PPL", "SY")
    assert (village.admin1_code, village.admin2_code, village.population) == ("99", "9901", 1200)
    assert village.source == "geonames:SY.zip"


def test_malformed_lines_are_counted_and_logged(dump, caplog):
    with caplog.at_level(logging.WARNING, logger="geo_events.gazetteer.geonames"):
        records = list(dump.records())
    report = dump.report
    assert report.rows_read == len(PLACES)
    assert report.imported == 4
    assert report.skipped_total == 2
    assert sorted(report.skipped) == ["bad number (geonameid, latitude, longitude or population)",
                                      "wrong column count (4, expected 19)"]  # fmt: skip
    assert any(p.startswith("SY.zip:3:") for p in report.problems)
    assert any(p.startswith("SY.zip:4:") for p in report.problems)
    assert "SY.zip:3" in caplog.text
    assert report.alternate_names_skipped["bad geonameid"] == 1
    # every row is accounted for
    assert report.imported + report.filtered + report.skipped_total == report.rows_read
    assert len(records) == report.imported + report.admin_records
    assert "2 malformed skipped" in report.summary()


def test_alternate_names_are_joined_and_filtered(dump):
    records = _by_id(dump)
    khirba = records[KHIRBA].alternate_names
    assert "Kherbet Zuhaira" in khirba
    assert not any("wikipedia" in n or n == "KZH" or "Colloquial" in n for n in khirba)
    assert "Deir-ez-Testname" in records[DEIR_EZ_ZOR].alternate_names  # historic names kept
    # with an alternate-names file, the places file's own column is not used
    assert "Tel Qarnawi" not in records[VILLAGE].alternate_names
    assert dump.report.alternate_names_kept == 3


def test_without_alternate_names_file_the_column_is_used(dump_dir):
    records = _by_id(GeoNamesDump(dump_dir / "SY.zip"))
    assert records[VILLAGE].alternate_names == ("Tel Qarnawi",)


def test_admin_codes_add_only_missing_divisions(dump):
    records = _by_id(dump)
    admin1 = records[ADMIN1]
    assert (admin1.feature_code, admin1.country_code, admin1.admin1_code) == ("ADM1", "SY", "99")
    # the seat is unknown, so the most populous place inside gives the point
    assert (admin1.latitude, admin1.longitude) == (35.91, 39.12)
    assert admin1.point_source == f"most populous place: Tall Qarnawi ({VILLAGE})"
    assert "Test Governorate Alias" in admin1.alternate_names
    admin2 = records[ADMIN1 + 2]
    assert (admin2.feature_code, admin2.admin2_code) == ("ADM2", "9901")
    assert ADMIN2_EMPTY not in records
    assert 99000020 not in records
    assert dump.report.admin_records == 2
    assert dump.report.admin_without_point == 1


def test_plain_text_places_file_and_filters(tmp_path):
    places = _write(tmp_path / "SY.txt", PLACES)
    dump = GeoNamesDump(places, feature_classes={"p"}, min_population=1000)
    ids = {r.geonameid for r in dump.records()}
    assert ids == {VILLAGE, DEIR_EZ_ZOR}
    assert dump.report.filtered == 2  # the spring (class H) and the small khirba


def test_zip_without_a_data_member(tmp_path):
    path = _write_zip(tmp_path / "SY.zip", "readme.txt", ["nothing here"])
    with pytest.raises(GazetteerSourceError, match=r"no GeoNames \.txt"):
        list(GeoNamesDump(path).records())


def test_damaged_zip_is_a_source_error(tmp_path, dump_dir):
    data = (dump_dir / "SY.zip").read_bytes()
    broken = tmp_path / "SY.zip"
    broken.write_bytes(data[:60] + b"\0" * 40 + data[100:])
    with pytest.raises(GazetteerSourceError, match="download it again"):
        list(GeoNamesDump(broken).records())


def test_missing_file_names_the_file_and_the_fix(tmp_path):
    dump = GeoNamesDump(tmp_path / "allCountries.zip")
    with pytest.raises(GazetteerSourceError, match=r"allCountries\.zip.*download\.geonames\.org"):
        dump.records()
    with pytest.raises(GazetteerSourceError, match="alternate names"):
        GeoNamesDump(
            _write(tmp_path / "SY.txt", PLACES), alternate_names=tmp_path / "x.zip"
        ).paths()


def test_from_directory_problems(tmp_path):
    with pytest.raises(GazetteerSourceError, match="no GeoNames places file"):
        GeoNamesDump.from_directory(tmp_path)
    _write(tmp_path / "SY.txt", PLACES)
    _write(tmp_path / "IQ.txt", PLACES)
    with pytest.raises(GazetteerSourceError, match="several"):
        GeoNamesDump.from_directory(tmp_path)


def test_bad_options_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="valid classes"):
        GeoNamesDump(tmp_path / "SY.zip", feature_classes={"Q"})
    with pytest.raises(InputError, match="min_population"):
        GeoNamesDump(tmp_path / "SY.zip", min_population=-1)


# ------------------------------------------------------- through Gazetteer.open


@pytest.fixture(scope="module")
def merged(dump, tmp_path_factory) -> Gazetteer:
    return Gazetteer.open(tmp_path_factory.mktemp("merged-cache"), geonames=dump, progress=False)


@pytest.mark.slow
def test_imported_places_are_searchable(merged):
    exact = merged.search("Tall Qarnawi", country="SY")[0]
    assert (exact.geonameid, exact.match_type) == (VILLAGE, MatchType.EXACT)
    alternate = merged.search("Kherbet Zuhaira")[0]
    assert (alternate.geonameid, alternate.match_type) == (KHIRBA, MatchType.ALTERNATE)
    normalized = merged.search("Tall al-Qarnawi")[0]
    assert (normalized.geonameid, normalized.match_type) == (VILLAGE, MatchType.NORMALIZED)
    admin = merged.search("Muhafazat Qarnawi", kinds=Kind.ADMIN1)[0]
    assert admin.geonameid == ADMIN1
    assert merged.search("Broken row with too few columns", fuzzy=False) == []


@pytest.mark.slow
def test_import_merges_with_the_defaults(merged, gazetteer):
    assert len(merged) == len(gazetteer) + 5  # 3 places, 2 admin divisions; Deir ez-Zor replaced
    assert merged.geocode("Aleppo").geonameid == gazetteer.geocode("Aleppo").geonameid
    deir = merged.search("Deir-ez-Testname")[0]
    assert deir.geonameid == DEIR_EZ_ZOR
    # the default record's alternate names survive the replacement
    assert merged.geocode("Dayr az Zawr").geonameid == DEIR_EZ_ZOR
    assert "Dayr az Zawr" in deir.raw["alternate_names"]
    assert deir.raw["source"] == "geonames:SY.zip"


def test_progress_reports_each_stage_to_completion(dump):
    calls: list[tuple[str, int, int | None]] = []
    list(dump.records(progress=lambda *call: calls.append(call)))
    last = {stage: (done, total) for stage, done, total in calls}
    assert last == {
        "geonames: scanning places": (len(PLACES), len(PLACES)),
        "geonames: alternate names": (len(ALTERNATES), len(ALTERNATES)),
        "geonames: places": (len(PLACES), len(PLACES)),
    }
