"""The built gazetteer index: written once, memory-mapped on every open.

Why this layout (see also gazetteer/README.md): a lookup must cost microseconds
and opening the index must cost milliseconds, in a fresh process, for ~1.5
million names. So nothing is parsed at open time:

- names live in two ``marisa_trie.Trie`` files (casefolded and normalized keys),
  memory-mapped; a key's id indexes a CSR posting list (``*_offsets.npy`` /
  ``*_rows.npy``) of the rows carrying that name, sorted best-first;
- per-row numbers (lat, lon, population, ranking prior, kind, geonameid) are
  ``.npy`` arrays opened with ``mmap_mode="r"``;
- each row's full record is one tab-separated UTF-8 line in ``records.bin``,
  located through ``records_offsets.npy`` and decoded only when a candidate is
  returned.

The index is built into a temporary sibling directory and renamed into place
only when complete; ``manifest.json`` (written last) records the format version,
the sources' fingerprint and each file's size and CRC-32. An index whose
manifest is missing, whose sizes or checksums differ, or whose fingerprint is
stale is never used: it is rebuilt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import shutil
import tempfile
import time
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import marisa_trie
import numpy as np

from geo_events.errors import IndexCorruptError
from geo_events.gazetteer.normalize import exact_key, normalized_key
from geo_events.gazetteer.records import Kind, PlaceRecord, kind_of

__all__ = ["FORMAT_VERSION", "RECORD_FIELDS", "Index", "ProgressCallback", "build_index"]

logger = logging.getLogger(__name__)

#: Bumped whenever the layout or the key functions change; a stale index rebuilds.
FORMAT_VERSION = 3
#: The fields of one line of ``records.bin``, in order.
RECORD_FIELDS = (
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "admin1_code",
    "admin2_code",
    "population",
    "source",
    "point_source",
    "alternate_names",
)
KIND_CODES: tuple[Kind, ...] = tuple(Kind)
_MANIFEST = "manifest.json"

#: progress(stage, done, total) — total may be None when unknown.
ProgressCallback = Callable[[str, int, "int | None"], None]


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _prior(kind: Kind, population: float, feature_code: str) -> float:
    """Return a record's prior: how likely its name means it, before any context.

    Countries beat everything named like them; a populated place gains with its
    population; an admin area weighs a little less than a place of the same
    population, so a bare "Aleppo" means the city and "Aleppo Governorate" (which
    filters to admin kinds) the governorate.
    """
    log_pop = math.log10(1.0 + max(population, 0.0))
    if kind is Kind.COUNTRY:
        return 2.0
    if kind is Kind.ADMIN1:
        return 0.4 + 0.08 * log_pop
    if kind is Kind.ADMIN2:
        return 0.35 + 0.08 * log_pop
    if kind is Kind.PLACE:
        bonus = 0.05 if feature_code in {"PPLC", "PPLA", "PPLG"} else 0.0
        return 0.5 + 0.08 * log_pop + bonus
    if kind is Kind.REGION:
        return 0.75 + 0.04 * log_pop
    return 0.7 + 0.04 * log_pop


def build_index(
    records: Iterable[PlaceRecord],
    directory: str | os.PathLike[str],
    *,
    fingerprint: str,
    demonyms: dict[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> Path:
    """Build an index of ``records`` into ``directory``, atomically.

    Later records with a geonameid seen before replace the earlier one but keep
    its alternate names (so a full GeoNames import enriches the defaults).
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    report = progress or (lambda stage, done, total: None)
    started = time.perf_counter()

    rows: list[PlaceRecord] = []
    row_of: dict[int, int] = {}
    for record in records:
        previous = row_of.get(record.geonameid)
        if previous is None:
            row_of[record.geonameid] = len(rows)
            rows.append(record)
        else:
            old = rows[previous]
            merged_names = tuple(dict.fromkeys((*record.alternate_names, *old.alternate_names)))
            rows[previous] = _replace_names(record, merged_names)
        if len(rows) % 50_000 == 0:
            report("reading places", len(rows), None)
    n = len(rows)
    report("reading places", n, n)

    admin_population: dict[tuple[str, ...], int] = defaultdict(int)
    for record in rows:
        if record.feature_class == "P":
            admin_population[(record.country_code, record.admin1_code)] += record.population
            if record.admin2_code:
                key = (record.country_code, record.admin1_code, record.admin2_code)
                admin_population[key] += record.population

    kinds = np.empty(n, dtype=np.uint8)
    prior = np.empty(n, dtype=np.float32)
    admins: dict[str, int] = {}
    countries: dict[str, int] = {}
    exact_postings: dict[str, array] = {}
    exact_primary: dict[str, array] = {}
    norm_postings: dict[str, array] = {}
    for i, record in enumerate(rows):
        kind = kind_of(record.feature_class, record.feature_code)
        kinds[i] = KIND_CODES.index(kind)
        population = float(record.population)
        if kind is Kind.ADMIN1:
            population = admin_population.get((record.country_code, record.admin1_code), 0)
            admins[f"{record.country_code}.{record.admin1_code}"] = i
        elif kind is Kind.ADMIN2:
            key = (record.country_code, record.admin1_code, record.admin2_code)
            population = admin_population.get(key, 0)
            admins[f"{record.country_code}.{record.admin1_code}.{record.admin2_code}"] = i
        elif kind is Kind.COUNTRY:
            countries[record.country_code] = i
        prior[i] = _prior(kind, population, record.feature_code)
        primary = exact_key(record.name)
        seen_exact: set[str] = set()
        seen_norm: set[str] = set()
        for name in (record.name, *record.alternate_names):
            key = exact_key(name)
            if not key or key in seen_exact or len(key) > 200:
                continue
            seen_exact.add(key)
            exact_postings.setdefault(key, array("I")).append(i)
            exact_primary.setdefault(key, array("B")).append(key == primary)
            norm = normalized_key(name)
            if norm and norm not in seen_norm:
                seen_norm.add(norm)
                norm_postings.setdefault(norm, array("I")).append(i)
        if i % 25_000 == 0:
            report("indexing names", i, n)
    report("indexing names", n, n)

    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=directory.parent))
    try:
        report("writing index", 0, 4)
        _write_postings(tmp, "exact", exact_postings, prior, exact_primary)
        report("writing index", 1, 4)
        _write_postings(tmp, "normalized", norm_postings, prior, None)
        report("writing index", 2, 4)
        _write_rows(tmp, rows, kinds, prior)
        report("writing index", 3, 4)
        meta = {"admins": admins, "countries": countries, "demonyms": demonyms or {}}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        _write_manifest(tmp, fingerprint, n, len(exact_postings), len(norm_postings))
        report("writing index", 4, 4)
        if directory.exists():
            shutil.rmtree(directory)
        os.replace(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    logger.info("built gazetteer index of %d places in %.1f s", n, time.perf_counter() - started)
    return directory


def _replace_names(record: PlaceRecord, names: tuple[str, ...]) -> PlaceRecord:
    values = {f: getattr(record, f) for f in PlaceRecord.__slots__}  # type: ignore[attr-defined]
    values["alternate_names"] = names
    return PlaceRecord(**values)


def _write_postings(
    directory: Path,
    stem: str,
    postings: dict[str, array],
    prior: np.ndarray,
    primary: dict[str, array] | None,
) -> None:
    trie = marisa_trie.Trie(postings.keys())
    trie.save(str(directory / f"{stem}.marisa"))
    offsets = np.zeros(len(trie) + 1, dtype=np.int64)
    order: list[str] = [""] * len(trie)
    for key in postings:
        order[trie[key]] = key
    lengths = np.fromiter((len(postings[k]) for k in order), dtype=np.int64, count=len(order))
    np.cumsum(lengths, out=offsets[1:])
    flat = np.empty(int(offsets[-1]), dtype=np.uint32)
    flags = np.empty(int(offsets[-1]), dtype=np.uint8) if primary is not None else None
    for key_id, key in enumerate(order):
        start, stop = offsets[key_id], offsets[key_id + 1]
        rows = np.frombuffer(postings[key], dtype=np.uint32)
        # best prior first; primary-name rows first among equals
        ranked = np.argsort(-prior[rows], kind="stable")
        flat[start:stop] = rows[ranked]
        if flags is not None and primary is not None:
            flags[start:stop] = np.frombuffer(primary[key], dtype=np.uint8)[ranked]
    np.save(directory / f"{stem}_offsets.npy", offsets)
    np.save(directory / f"{stem}_rows.npy", flat)
    if flags is not None:
        np.save(directory / f"{stem}_primary.npy", flags)


def _write_rows(directory: Path, rows: list[PlaceRecord], kinds: np.ndarray, prior: np.ndarray) -> None:
    n = len(rows)
    np.save(directory / "latitude.npy", np.fromiter((r.latitude for r in rows), np.float64, n))
    np.save(directory / "longitude.npy", np.fromiter((r.longitude for r in rows), np.float64, n))
    np.save(directory / "population.npy", np.fromiter((r.population for r in rows), np.int64, n))
    np.save(directory / "geonameid.npy", np.fromiter((r.geonameid for r in rows), np.int64, n))
    np.save(directory / "kind.npy", kinds)
    np.save(directory / "prior.npy", prior)
    offsets = np.zeros(n + 1, dtype=np.int64)
    with (directory / "records.bin").open("wb") as handle:
        position = 0
        for i, r in enumerate(rows):
            line = "\t".join(
                (
                    str(r.geonameid),
                    _clean(r.name),
                    repr(r.latitude),
                    repr(r.longitude),
                    r.feature_class,
                    r.feature_code,
                    r.country_code,
                    r.admin1_code,
                    r.admin2_code,
                    str(r.population),
                    _clean(r.source),
                    _clean(r.point_source),
                    "|".join(_clean(a) for a in r.alternate_names),
                )
            ).encode("utf-8")
            handle.write(line)
            position += len(line)
            offsets[i + 1] = position
    np.save(directory / "records_offsets.npy", offsets)


def _crc32(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            crc = zlib.crc32(chunk, crc)
    return crc


def _write_manifest(directory: Path, fingerprint: str, n: int, n_exact: int, n_norm: int) -> None:
    files = {
        p.name: {"size": p.stat().st_size, "crc32": _crc32(p)}
        for p in sorted(directory.iterdir())
        if p.is_file()
    }
    manifest = {
        "format": FORMAT_VERSION,
        "fingerprint": fingerprint,
        "places": n,
        "exact_keys": n_exact,
        "normalized_keys": n_norm,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": files,
    }
    path = directory / _MANIFEST
    with path.open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Return an index's manifest, or None when it is missing or unreadable."""
    try:
        with (Path(directory) / _MANIFEST).open(encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def check_index(directory: str | os.PathLike[str], fingerprint: str | None, *, verify: bool) -> str:
    """Return why the index in ``directory`` cannot be used, or "" when it can.

    Sizes are always checked; ``verify=True`` also checks every CRC-32 (reads
    the whole index, ~0.1 s for the default one).
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest is None:
        return "no complete index (manifest missing or unreadable)"
    if manifest.get("format") != FORMAT_VERSION:
        return f"index format {manifest.get('format')} is not the current {FORMAT_VERSION}"
    if fingerprint is not None and manifest.get("fingerprint") != fingerprint:
        return "the gazetteer sources changed since the index was built"
    for name, expected in (manifest.get("files") or {}).items():
        path = directory / name
        try:
            size = path.stat().st_size
        except OSError:
            return f"index file {name} is missing"
        if size != expected.get("size"):
            return f"index file {name} has {size} bytes, expected {expected.get('size')}"
        if verify and _crc32(path) != expected.get("crc32"):
            return f"index file {name} fails its checksum"
    return ""


@dataclass
class _Postings:
    trie: marisa_trie.Trie
    offsets: np.ndarray
    rows: np.ndarray
    primary: np.ndarray | None


class Index:
    """A built index opened read-only (memory-mapped)."""

    def __init__(self, directory: str | os.PathLike[str], *, verify: bool = True) -> None:
        self.directory = Path(directory)
        problem = check_index(self.directory, None, verify=verify)
        if problem:
            raise IndexCorruptError(f"gazetteer index at {self.directory}: {problem}")
        self.manifest: dict[str, Any] = read_manifest(self.directory) or {}
        try:
            self.exact = self._postings("exact", primary=True)
            self.normalized = self._postings("normalized", primary=False)
            load = self._load
            self.latitude = load("latitude")
            self.longitude = load("longitude")
            self.population = load("population")
            self.geonameid = load("geonameid")
            self.kind = load("kind")
            self.prior = load("prior")
            self.record_offsets = load("records_offsets")
            self._records = np.memmap(self.directory / "records.bin", dtype=np.uint8, mode="r")
            meta = json.loads((self.directory / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexCorruptError(f"gazetteer index at {self.directory} is unreadable: {exc}") from exc
        self.admins: dict[str, int] = meta["admins"]
        self.countries: dict[str, int] = meta["countries"]
        self.demonyms: dict[str, str] = meta["demonyms"]
        if len(self.latitude) != self.manifest.get("places"):
            raise IndexCorruptError(f"gazetteer index at {self.directory} is inconsistent")

    def _load(self, stem: str) -> np.ndarray:
        return np.load(self.directory / f"{stem}.npy", mmap_mode="r")

    def _postings(self, stem: str, *, primary: bool) -> _Postings:
        trie = marisa_trie.Trie()
        trie.mmap(str(self.directory / f"{stem}.marisa"))
        offsets = np.asarray(self._load(f"{stem}_offsets"))
        rows = self._load(f"{stem}_rows")
        flags = self._load(f"{stem}_primary") if primary else None
        if len(offsets) != len(trie) + 1 or int(offsets[-1]) != len(rows):
            raise ValueError(f"{stem} postings do not match their keys")
        return _Postings(trie, offsets, rows, flags)

    def __len__(self) -> int:
        return len(self.latitude)

    def record(self, row: int) -> dict[str, Any]:
        """Return the full record of ``row`` as a dict of :data:`RECORD_FIELDS`."""
        start, stop = self.record_offsets[row], self.record_offsets[row + 1]
        values = bytes(self._records[start:stop]).decode("utf-8").split("\t")
        record: dict[str, Any] = dict(zip(RECORD_FIELDS, values, strict=True))
        record["geonameid"] = int(record["geonameid"])
        record["latitude"] = float(record["latitude"])
        record["longitude"] = float(record["longitude"])
        record["population"] = int(record["population"])
        names = record["alternate_names"]
        record["alternate_names"] = names.split("|") if names else []
        return record

    def close(self) -> None:
        """Drop the memory maps (the object is unusable afterwards)."""
        with contextlib.suppress(AttributeError):
            del self._records, self.exact, self.normalized
