"""Named gazetteers and the places imported from ACLED and UCDP exports.

Gazetteer.open builds from a few records here (the packaged sources are swapped
out), so every build takes milliseconds; each test has its own cache directory.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geo_events.cli import app
from geo_events.errors import GazetteerNameError, GazetteerSourceError
from geo_events.gazetteer import Gazetteer, PlaceRecord
from geo_events.gazetteer import sources as sources_module
from geo_events.gazetteer.named import (
    add_sources,
    import_source,
    named_gazetteers,
    remove_gazetteer,
    use_gazetteer,
)
from geo_events.gazetteer.table_places import (
    EVENT_PLACE_ID_BASE,
    PlaceMerger,
    read_places,
    read_table_places,
    write_places,
)

NAIROBI_ID = 184745
RECORDS = [
    PlaceRecord(192950, "Kenya", 0.5, 37.9, "A", "PCLI", "KE", population=50_000_000),
    PlaceRecord(
        7668902, "Nairobi City", -1.28, 36.82, "A", "ADM1", "KE", "30", alternate_names=("Nairobi",)
    ),
    PlaceRecord(400, "Samburu", 1.2, 36.9, "A", "ADM1", "KE", "41"),
    PlaceRecord(
        NAIROBI_ID, "Nairobi", -1.28333, 36.81667, "P", "PPLC", "KE", "30", population=2_750_000
    ),
    PlaceRecord(500, "Baragoi", 1.78, 36.79, "P", "PPL", "KE", "41", population=5_000),
    PlaceRecord(600, "Kisimayo", -0.36, 42.54, "P", "PPLA", "SO", "06", population=180_000),
    PlaceRecord(
        700, "Jubbada Hoose", -0.3, 42.2, "A", "ADM1", "SO", "06", alternate_names=("Lower Juba",)
    ),
]

ACLED_HEADER = ["event_id_cnty", "event_date", "iso", "country", "admin1", "admin2",
                "location", "latitude", "longitude", "geo_precision", "notes"]  # fmt: skip
ACLED_ROWS = [
    # Kibera, twice at the place itself: one place at the median point
    ["KEN1", "2019-01-01", "404", "Kenya", "Nairobi", "Kibra", "Kibera", "-1.3117", "36.7891", "1", ""],
    ["KEN2", "2019-01-02", "404", "Kenya", "Nairobi", "Kibra", "Kibera", "-1.3119", "36.7893", "1", ""],
    # Kibera coded at precision 2 (near it): not a point for the place
    ["KEN3", "2019-01-03", "404", "Kenya", "Nairobi", "Kibra", "Kibera", "-1.40", "36.70", "2", ""],
    # ACLED's spelling of a gazetteer place 1 km away: merged, not a duplicate
    ["KEN4", "2019-01-04", "404", "Kenya", "Samburu", "Samburu North", "Baragoy", "1.785", "36.785", "1", ""],
    # the same name in another admin area far away: a place of its own
    ["KEN5", "2019-01-05", "404", "Kenya", "Samburu", "Samburu North", "Kibera", "1.5", "36.9", "1", ""],
    # rows that cannot give a place, each for its own reason
    ["KEN6", "2019-01-06", "404", "Kenya", "Nairobi", "", "", "-1.3", "36.8", "1", ""],
    ["KEN7", "2019-01-07", "404", "Kenya", "Nairobi", "", "Mathare", "", "36.8", "1", ""],
    ["KEN8", "2019-01-08", "999", "Atlantis", "", "", "Nowhere", "1.0", "1.0", "1", ""],
]  # fmt: skip

UCDP_HEADER = ["id", "country", "adm_1", "adm_2", "where_coordinates", "where_prec",
               "latitude", "longitude", "date_start", "type_of_violence"]  # fmt: skip
UCDP_ROWS = [
    ["1", "Somalia", "Jubbada Hoose region", "", "Yontoy village", "1", "-0.2", "42.6", "2019-01-01", "1"],
    ["2", "Somalia", "Jubbada Hoose region", "", "Jubbada Hoose region", "4", "-0.3", "42.2", "2019-01-02", "1"],
]  # fmt: skip


@pytest.fixture
def builds(monkeypatch):
    """Gazetteer.open builds from RECORDS (plus supplements); the list counts builds."""
    calls: list[int] = []

    def load(extra=()):
        calls.append(1)
        records = list(RECORDS)
        for path in extra:
            records.extend(sources_module.read_supplement(path))
        return sources_module.DefaultSources(records=records, demonyms={})

    monkeypatch.setattr(sources_module, "load_default_sources", load)
    monkeypatch.delenv("GEO_EVENTS_GAZETTEER", raising=False)
    return calls


def _table(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def acled(tmp_path) -> Path:
    return _table(tmp_path / "acled.csv", ACLED_HEADER, ACLED_ROWS)


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


# ---------------------------------------------------------------- reading tables


def test_acled_rows_become_places_and_every_row_is_accounted_for(acled):
    places = read_table_places(acled)
    assert places.format == "acled"
    assert places.rows == len(ACLED_ROWS)
    assert places.used + sum(places.skipped.values()) == places.rows
    by_name = {}
    for place in places.places:
        by_name.setdefault(place["name"], []).append(place)
    assert len(by_name["Kibera"]) == 2  # Nairobi's and Samburu's
    nairobi_kibera = next(p for p in by_name["Kibera"] if p["admin1"] == "Nairobi")
    assert nairobi_kibera["events"] == 2
    assert nairobi_kibera["latitude"] == pytest.approx(-1.3118)
    assert nairobi_kibera["country_code"] == "KE"
    reasons = " / ".join(places.skipped)
    for reason in ("geo_precision 1", "location name", "coordinates", "country"):
        assert reason in reasons
    assert "Nowhere" not in by_name and "Mathare" not in by_name


def test_ucdp_places_drop_the_descriptor_and_keep_where_prec_1(tmp_path):
    places = read_table_places(_table(tmp_path / "ged.csv", UCDP_HEADER, UCDP_ROWS))
    assert places.format == "ucdp"
    assert [p["name"] for p in places.places] == ["Yontoy"]
    assert places.places[0]["country_code"] == "SO"
    assert sum(places.skipped.values()) == 1


def test_a_table_of_neither_format_is_refused(tmp_path):
    path = _table(tmp_path / "other.csv", ["place", "lat", "lon"], [["X", "1", "2"]])
    with pytest.raises(GazetteerSourceError, match="neither an ACLED"):
        read_table_places(path)


def test_stored_places_read_back_the_same(acled, tmp_path):
    places = read_table_places(acled)
    stored = write_places(places, tmp_path / "imported")
    assert read_places(stored) == places.places
    assert write_places(places, tmp_path / "imported") == stored  # same content, same file


# ---------------------------------------------------------------- merging at build


def test_merger_folds_a_nearby_same_name_place_into_the_gazetteer_one():
    baragoi = {"name": "Baragoy", "latitude": 1.785, "longitude": 36.785, "country_code": "KE",
               "admin1": "Samburu", "admin2": "", "events": 3, "source": "acled:x.csv"}  # fmt: skip
    far = dict(baragoi, name="Baragoi", latitude=3.0)  # same name, 135 km away
    merger = PlaceMerger([baragoi, far])
    out = list(merger.records(RECORDS))
    merged = next(r for r in out if r.geonameid == 500)
    # "Baragoy" and "Baragoi" share a normalized key, 0.7 km apart: one place
    assert merger.merged == 1
    assert "Baragoy" in merged.alternate_names
    new = [r for r in out if r.geonameid >= EVENT_PLACE_ID_BASE]
    assert [(r.name, r.latitude) for r in new] == [("Baragoi", 3.0)]
    assert new[0].admin1_code == "41"  # Samburu, from the admin areas in the stream
    assert "3 events coded at the place itself" in new[0].point_source


def test_a_place_the_table_codes_in_another_admin1_stays_its_own():
    # a border town: the gazetteer has it in Samburu, the table in Isiolo, 0.3 km apart
    isiolo = PlaceRecord(410, "Isiolo", 0.8, 38.0, "A", "ADM1", "KE", "19")
    baragoi = {"name": "Baragoi", "latitude": 1.782, "longitude": 36.79, "country_code": "KE",
               "admin1": "Isiolo", "admin2": "", "events": 2, "source": "acled:x.csv"}  # fmt: skip
    merger = PlaceMerger([baragoi])
    out = list(merger.records([isiolo, *RECORDS]))
    assert merger.merged == 0
    new = [r for r in out if r.geonameid >= EVENT_PLACE_ID_BASE]
    assert [(r.name, r.admin1_code) for r in new] == [("Baragoi", "19")]
    # the same admin1 (or none given by the table) merges as before
    same = PlaceMerger([dict(baragoi, admin1="Samburu")])
    list(same.records([isiolo, *RECORDS]))
    unsaid = PlaceMerger([dict(baragoi, admin1="")])
    list(unsaid.records([isiolo, *RECORDS]))
    assert same.merged == unsaid.merged == 1


# ---------------------------------------------------------------- named gazetteers


def test_imported_places_are_what_the_default_open_uses(acled, cache, builds):
    _, report = import_source(acled, cache_dir=cache, progress=False)
    assert report.used == 4
    again = Gazetteer.open(cache, progress=False)  # no name: the default, with the import
    kibera = again.geocode("Kibera", country="KE", admin1="Nairobi")
    assert kibera is not None
    assert kibera.latitude == pytest.approx(-1.3118)
    assert kibera.raw["source"] == "acled:acled.csv"
    assert again.geocode("Baragoy").geonameid == 500  # merged into the gazetteer's place
    assert len(builds) == 1  # the second open reused the index


def test_a_named_gazetteer_is_chosen_by_name_env_or_use(acled, cache, builds, monkeypatch):
    import_source(acled, name="kenya", cache_dir=cache, progress=False)
    assert Gazetteer.open(cache, progress=False).geocode("Kibera") is None  # default: untouched
    assert Gazetteer.open(cache, name="kenya", progress=False).geocode("Kibera") is not None
    monkeypatch.setenv("GEO_EVENTS_GAZETTEER", "kenya")
    assert Gazetteer.open(cache, progress=False).geocode("Kibera") is not None
    monkeypatch.delenv("GEO_EVENTS_GAZETTEER")
    use_gazetteer("kenya", cache)
    assert Gazetteer.open(cache, progress=False).geocode("Kibera") is not None
    assert Gazetteer.open(cache, name="builtin", progress=False).geocode("Kibera") is None
    listed = named_gazetteers(cache)
    assert listed["in_use"] == "kenya"
    assert set(listed["gazetteers"]) == {"builtin", "default", "kenya"}
    remove_gazetteer("kenya", cache)
    assert named_gazetteers(cache)["in_use"] == "default"


def test_unknown_and_builtin_names_are_refused(cache, builds, tmp_path):
    with pytest.raises(GazetteerNameError, match="no gazetteer named 'nope'"):
        Gazetteer.open(cache, name="nope", progress=False)
    with pytest.raises(GazetteerNameError, match="cannot be changed"):
        add_sources("builtin", supplements=[tmp_path / "x.csv"], cache_dir=cache)
    with pytest.raises(GazetteerNameError, match="a gazetteer name"):
        use_gazetteer("../etc", cache)


def test_a_bad_supplement_never_enters_the_configuration(cache, builds, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,latitude\nX,1\n", encoding="utf-8")
    with pytest.raises(GazetteerSourceError, match="lacks the column"):
        add_sources("default", supplements=[bad], cache_dir=cache)
    assert named_gazetteers(cache)["gazetteers"]["default"]["supplements"] == []
    Gazetteer.open(cache, progress=False)  # still opens


def test_a_missing_source_names_the_fix(acled, cache, builds):
    import_source(acled, name="kenya", cache_dir=cache, progress=False)
    for stored in (cache / "imported").iterdir():
        stored.unlink()
    with pytest.raises(GazetteerSourceError, match="gazetteer remove kenya"):
        Gazetteer.open(cache, name="kenya", progress=False)


def test_a_copied_index_opens_as_it_is(acled, cache, builds, tmp_path):
    gaz, _ = import_source(acled, name="kenya", cache_dir=cache, progress=False)
    copy = tmp_path / "usb" / "kenya-index"
    shutil.copytree(gaz.index.directory, copy)
    gaz.index.close()
    shutil.rmtree(cache)  # the sources are gone too: the copy needs none
    opened = Gazetteer.open(tmp_path / "elsewhere", name=str(copy), progress=False)
    assert opened.geocode("Kibera", country="KE") is not None
    assert len(builds) == 1


# ---------------------------------------------------------------- the command line


def test_cli_import_then_every_command_uses_it(acled, cache, builds, tmp_path):
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, [*args], catch_exceptions=False)

    imported = run("gazetteer", "import", str(acled), "--cache-dir", str(cache))
    assert imported.exit_code == 0, imported.output
    assert "4 at precision 1" in imported.stdout
    found = run("gazetteer", "search", "Kibera", "--json", "--cache-dir", str(cache))
    assert found.exit_code == 0
    assert json.loads(found.stdout)[0]["name"] == "Kibera"
    info = json.loads(run("gazetteer", "info", "--cache-dir", str(cache)).stdout)
    assert info["gazetteer"] == "default"
    assert info["named"]["gazetteers"]["default"]["table_places"]
    builtin = run("gazetteer", "search", "Kibera", "--gazetteer", "builtin",
                  "--cache-dir", str(cache))  # fmt: skip
    assert builtin.exit_code == 1
    unknown = run("--gazetteer", "nope", "gazetteer", "search", "Kibera", "--cache-dir",
                  str(cache))  # fmt: skip
    assert unknown.exit_code == 2
    assert "no gazetteer named 'nope'" in unknown.stderr
