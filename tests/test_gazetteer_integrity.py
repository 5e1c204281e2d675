"""A damaged index never answers: it is caught (IndexCorruptError) and rebuilt.

Small indexes built from a handful of records in tmp_path; ``Gazetteer.open`` is
pointed at them by replacing the packaged sources (as in test_gazetteer_store).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from geo_events.errors import GazetteerError, IndexCorruptError
from geo_events.gazetteer import Gazetteer, PlaceRecord, integrity, store
from geo_events.gazetteer import lookup as lookup_module
from geo_events.gazetteer import sources as sources_module
from geo_events.gazetteer.store import Index, check_index

ALEPPO = PlaceRecord(170063, "Aleppo", 36.20124, 37.16117, "P", "PPLA", "SY", "09",
                     population=1_602_264, alternate_names=("Halab", "حلب"))  # fmt: skip
RECORDS = [
    ALEPPO,
    PlaceRecord(2, "Aleppo", 40.0, -90.0, "P", "PPL", "US", "IL", population=30),
    PlaceRecord(3, "Homs", 34.72, 36.72, "P", "PPLA", "SY", "11", population=775_404),
    PlaceRecord(4, "Halab Governorate", 36.2, 37.2, "A", "ADM1", "SY", "09"),
    PlaceRecord(5, "Syria", 35.0, 38.5, "A", "PCLI", "SY", population=22_000_000),
]


@pytest.fixture
def builds(monkeypatch):
    """Make Gazetteer.open build from RECORDS; the list counts the builds."""
    calls: list[int] = []

    def load(extra=()):
        calls.append(1)
        return sources_module.DefaultSources(records=list(RECORDS), demonyms={"syrian": "SY"})

    monkeypatch.setattr(sources_module, "load_default_sources", load)
    return calls


def _open(root: Path, **options) -> Gazetteer:
    return Gazetteer.open(root, progress=False, **options)


def _aleppo_is_right(gaz: Gazetteer) -> None:
    found = gaz.geocode("Aleppo")
    assert found is not None
    assert found.geonameid == 170063
    assert found.latitude == pytest.approx(36.20124)
    assert found.match_type.value == "exact"


def _index_dir(root: Path) -> Path:
    built = _open(root)
    directory = built.index.directory
    built.index.close()
    return directory


def _flip(path: Path, position: int) -> None:
    with path.open("r+b") as handle:  # in place: a mapped reader sees it too
        handle.seek(position)
        byte = handle.read(1)
        handle.seek(position)
        handle.write(bytes([byte[0] ^ 0x5A]))


def _index_files() -> list[str]:
    return [*store._REQUIRED, "manifest.json"]


# ----------------------------------------------------- damage found at open


@pytest.mark.parametrize("name", _index_files())
@pytest.mark.parametrize("damage", ["one byte", "zeroed", "truncated"])
def test_damage_to_any_file_is_caught_and_rebuilt(tmp_path, builds, name, damage):
    directory = _index_dir(tmp_path)
    path = directory / name
    size = path.stat().st_size
    if damage == "one byte":
        _flip(path, size // 2)
    elif damage == "zeroed":
        path.write_bytes(bytes(size))
    else:
        path.write_bytes(path.read_bytes()[: size // 2])
    for preload in (True, False):
        with pytest.raises(IndexCorruptError):
            Index(directory, preload=preload)
    gaz = _open(tmp_path)
    assert len(builds) == 2
    _aleppo_is_right(gaz)
    assert check_index(gaz.index.directory, None, verify=True) == ""


def test_aleppo_moved_to_46_2_in_records_bin_is_caught(tmp_path, builds):
    directory = _index_dir(tmp_path)
    path = directory / "records.bin"
    data = path.read_bytes()
    assert b"\t36.20124\t" in data
    path.write_bytes(data.replace(b"\t36.20124\t", b"\t46.20124\t"))  # same size
    assert check_index(directory, None, verify=False) == ""  # sizes alone would pass
    with pytest.raises(IndexCorruptError, match=r"records\.bin fails its checksum"):
        Index(directory)
    _aleppo_is_right(_open(tmp_path))


def test_exact_best_row_pointing_elsewhere_is_caught(tmp_path, builds):
    directory = _index_dir(tmp_path)
    index = Index(directory)
    key = index.exact.trie["aleppo"]
    index.close()
    path = directory / "exact_best_row.npy"
    best = np.load(path)
    best[key] = (best[key] + 1) % len(RECORDS)
    np.save(path, best)  # same size, another place, would answer "exact", score 1.0
    with pytest.raises(IndexCorruptError, match=r"exact_best_row\.npy"):
        Index(directory)
    _aleppo_is_right(_open(tmp_path))


# ------------------------------------------ damage found while in use (mapped)


@pytest.mark.parametrize("name", ["records.bin", "exact_best_row.npy", "exact_rows.npy",
                                  "records_offsets.npy", "exact_offsets.npy", "latitude.npy"])  # fmt: skip
def test_damage_after_open_is_caught_on_first_touch_and_rebuilt(tmp_path, builds, name):
    gaz = _open(tmp_path, preload=False)
    directory = gaz.index.directory
    path = directory / name
    _flip(path, path.stat().st_size - 3)  # the last block: touched by a lookup below
    # every block of the small index is touched by one of these
    gaz.search("Aleppo", near=(36.2, 37.1), limit=5)
    gaz.reverse((36.2, 37.1))
    _aleppo_is_right(gaz)
    assert len(builds) == 2  # found damaged in use, rebuilt, asked again
    assert gaz.index.directory == directory


def test_a_mapped_index_checks_blocks_lazily_and_each_once(tmp_path, builds):
    directory = _index_dir(tmp_path)
    index = Index(directory, preload=False, verify=False)
    assert index._lazy is not None
    check = index._checks["records.bin"]
    assert not any(check._ok)
    gaz = Gazetteer(index)
    _aleppo_is_right(gaz)
    assert all(check._ok)  # one block holds the small file


def test_a_damaged_index_of_records_cannot_rebuild_and_says_so(tmp_path):
    gaz = Gazetteer.from_records(RECORDS, tmp_path / "idx")
    directory = gaz.index.directory
    gaz.index.close()
    gaz = Gazetteer(Index(directory, preload=False, verify=False))
    _flip(directory / "records.bin", 10)
    with pytest.raises(IndexCorruptError, match=r"records\.bin"):
        gaz.geocode("Aleppo")


# ------------------------------- decode failures behind matching checksums


def _rewrite_manifest(directory: Path) -> None:
    manifest = json.loads((directory / "manifest.json").read_text())
    fields = {k: manifest[k] for k in ("format", "fingerprint", "places", "exact_keys",
                                       "normalized_keys", "built")}  # fmt: skip
    (directory / "manifest.json").unlink()
    integrity.write_manifest(directory, fields)


@pytest.mark.parametrize("preload", [True, False])
@pytest.mark.parametrize(
    "breakage",
    ["bad utf-8", "too few fields", "not a number", "latitude out of range"],
)
def test_undecodable_records_are_index_corrupt(tmp_path, preload, breakage):
    gaz = Gazetteer.from_records(RECORDS, tmp_path / "idx")
    directory = gaz.index.directory
    row = next(r for r in range(len(gaz)) if gaz.index.record(r)["geonameid"] == 170063)
    gaz.index.close()
    path = directory / "records.bin"
    data = path.read_bytes()
    offsets = np.load(directory / "records_offsets.npy")
    start, stop = int(offsets[row]), int(offsets[row + 1])
    line = data[start:stop]
    fields = line.split(b"\t")
    if breakage == "bad utf-8":
        fields[1] = b"\xff\xfe" + fields[1][2:]
    elif breakage == "too few fields":
        fields[3] = fields[3] + b" " + fields[4]
        del fields[4]  # a tab became a space: same length, one field less
    elif breakage == "not a number":
        fields[2] = b"x" * len(fields[2])
    else:
        fields[2] = b"9" + fields[2][1:]  # 96.2
    new = b"\t".join(fields)
    assert len(new) == len(line)
    path.write_bytes(data[:start] + new + data[stop:])
    _rewrite_manifest(directory)  # the checksums now match the damage
    index = Index(directory, preload=preload, verify=False)
    with pytest.raises(IndexCorruptError, match="row"):
        Gazetteer(index).geocode("Aleppo")


@pytest.mark.parametrize("preload", [True, False])
@pytest.mark.parametrize("stem", ["exact_rows", "exact_best_row", "records_offsets"])
def test_out_of_range_rows_are_index_corrupt(tmp_path, preload, stem):
    gaz = Gazetteer.from_records(RECORDS, tmp_path / "idx")
    directory = gaz.index.directory
    gaz.index.close()
    path = directory / f"{stem}.npy"
    values = np.load(path)
    values[-1] = 10**6  # past the end of the rows (or of records.bin)
    np.save(path, values)
    _rewrite_manifest(directory)

    def use() -> None:
        g = Gazetteer(Index(directory, preload=preload, verify=False))
        for name in ("Aleppo", "Homs", "Syria", "Halab Governorate", "Halab"):
            g.search(name)
            g.geocode(name)
        for row in range(len(g)):
            g.candidate(row)

    with pytest.raises(IndexCorruptError):
        use()


# -------------------------------------------------- the swap and leftovers


def test_a_reader_keeps_its_index_while_another_rebuilds(tmp_path, builds):
    reader = _open(tmp_path, preload=False)
    _open(tmp_path, rebuild=True)  # renames the old index away and removes it
    assert len(builds) == 2
    _aleppo_is_right(reader)
    assert reader.reverse((36.2, 37.15)).geonameid == 170063


def test_processes_opening_together_build_once(tmp_path, builds):
    results: list[Gazetteer] = []
    threads = [threading.Thread(target=lambda: results.append(_open(tmp_path))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1
    for gaz in results:
        _aleppo_is_right(gaz)


def test_leftovers_of_killed_builds_are_removed_on_the_next_open(tmp_path, builds):
    directory = _index_dir(tmp_path)
    parent = directory.parent
    killed = parent / ".building-default.k1ll3d"
    killed.mkdir()
    (killed / "records.spool").write_bytes(b"x" * 100)
    between = parent / ".old-default.0ld"
    between.mkdir()
    legacy_old = parent / ".building-abc123"  # an older version's name: no owner
    legacy_old.mkdir()
    os.utime(legacy_old, (time.time() - 7200, time.time() - 7200))
    legacy_new = parent / ".building-xyz789"
    legacy_new.mkdir()
    _open(tmp_path)
    assert not killed.exists() and not between.exists() and not legacy_old.exists()
    assert legacy_new.exists()  # too young to tell: it may be a live build


def test_a_live_build_elsewhere_is_left_alone(tmp_path, builds):
    directory = _index_dir(tmp_path)
    parent = directory.parent
    live = parent / ".building-default.l1ve"
    live.mkdir()
    with subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
         "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(30)",
         str(parent / ".default.lock")],
        stdout=subprocess.PIPE, text=True,
    ) as holder:  # fmt: skip
        try:
            assert holder.stdout.readline().strip() == "locked"
            _aleppo_is_right(_open(tmp_path))  # a sound index is opened without the lock
            assert live.exists()
        finally:
            holder.kill()
    _open(tmp_path)
    assert not live.exists()


# ------------------------------------------------- disk full, read-only


def _one_line_naming_the_fix(exc: BaseException, directory: Path) -> None:
    message = str(exc)
    assert "\n" not in message
    assert str(directory) in message
    assert "GEO_EVENTS_CACHE_DIR" in message


def test_a_full_disk_is_one_clear_line(tmp_path, builds, monkeypatch):
    def full(self):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store._Builder, "write_arrays", full)
    with pytest.raises(GazetteerError, match="disk is full") as info:
        _open(tmp_path)
    parent = tmp_path / f"gazetteer-v{store.FORMAT_VERSION}"
    _one_line_naming_the_fix(info.value, parent)
    assert not [p for p in parent.iterdir() if p.name.startswith(".building-")]


def test_a_read_only_cache_dir_is_one_clear_line(tmp_path, builds, monkeypatch):
    # CI runs as root, whom chmod does not stop: refuse the write instead
    def refuse(*args, dir=None, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))

    monkeypatch.setattr(store.tempfile, "mkdtemp", refuse)
    with pytest.raises(GazetteerError, match="not writable") as info:
        _open(tmp_path)
    _one_line_naming_the_fix(info.value, tmp_path / f"gazetteer-v{store.FORMAT_VERSION}")


def test_a_read_only_cache_dir_with_a_sound_index_still_opens(tmp_path, builds, monkeypatch):
    _index_dir(tmp_path)

    def no_lock(directory):
        raise AssertionError("a sound index is opened without writing")

    monkeypatch.setattr(lookup_module, "index_lock", no_lock)
    _aleppo_is_right(_open(tmp_path))


def test_a_damaged_manifest_is_no_index(tmp_path, builds):
    directory = _index_dir(tmp_path)
    path = directory / "manifest.json"
    text = path.read_text()
    path.write_text(text.replace('"places":5', '"places":4'))
    assert "manifest" in check_index(directory, None, verify=False)
    _aleppo_is_right(_open(tmp_path))
    assert len(builds) == 2
