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

The index is built into a temporary sibling directory and swapped in only
when complete; ``manifest.json`` (written last) records the format version,
the sources' fingerprint and each file's size, CRC-32 and per-block CRC-32s.
Opening checks the contents (the whole of a preloaded index, each block of a
mapped one on first touch) and every accessor turns a decode failure into an
:class:`~geo_events.errors.IndexCorruptError`; an index whose manifest is
missing, whose contents differ or whose fingerprint is stale is never used: it
is rebuilt (:mod:`.integrity` says how, and what it costs).
"""

from __future__ import annotations

import collections
import contextlib
import io
import itertools
import json
import logging
import math
import mmap
import operator
import os
import shutil
import tempfile
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import marisa_trie
import numpy as np

from geo_events.errors import IndexCorruptError
from geo_events.gazetteer.build_workers import FoldJob, TrieJob, gc_paused, spare_cores
from geo_events.gazetteer.integrity import (
    BUILDING_PREFIX,
    BlockCheck,
    cache_dir_error,
    clean_stale,
    index_lock,
    is_cache_dir_problem,
    read_manifest,
    swap_in,
    write_manifest,
)
from geo_events.gazetteer.normalize import exact_key
from geo_events.gazetteer.records import Kind, PlaceRecord, kind_of

__all__ = [
    "FORMAT_VERSION",
    "RECORD_FIELDS",
    "Index",
    "ProgressCallback",
    "build_index",
    "check_index",
    "read_manifest",
]

logger = logging.getLogger(__name__)

#: Bumped whenever the layout or the key functions change; a stale index rebuilds.
FORMAT_VERSION = 5
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

#: progress(stage, done, total) — total may be None when unknown.
ProgressCallback = Callable[[str, int, "int | None"], None]


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


#: Records (and names to normalize) between two progress reports.
_REPORT_EVERY = 10_000
#: Distinct names normalized together (:func:`~.normalize.fold_keys`).
_FOLD_BATCH = 1 << 16


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
    its alternate names, and its name as one more alternate (so a full GeoNames
    import enriches the defaults); the place keeps the row of its first occurrence.

    The records are streamed, never held: each one's ``records.bin`` line goes to
    a spool file at once, its numbers to typed arrays and its names to an
    interned key id plus (key, row) posting arrays. Duplicate geonameids are
    resolved at the end with numpy. Peak memory is then ~60 bytes a place plus
    ~130 bytes a distinct name key plus ~10 bytes a (name, place) posting
    (benchmarks/README-import.md), instead of a Python object per place and an
    array object per key.
    """
    directory = Path(directory)
    parent = directory.parent
    started = time.perf_counter()
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with index_lock(directory):
            clean_stale(parent, owner=directory.name)
            tmp = Path(tempfile.mkdtemp(prefix=f"{BUILDING_PREFIX}{directory.name}.", dir=parent))
            try:
                n = _build_into(tmp, records, fingerprint, demonyms, progress)
                swap_in(tmp, directory)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except OSError as exc:
        if is_cache_dir_problem(exc, parent):
            raise cache_dir_error(parent, exc) from exc
        raise
    logger.info("built gazetteer index of %d places in %.1f s", n, time.perf_counter() - started)
    return directory


def _build_into(
    tmp: Path,
    records: Iterable[PlaceRecord],
    fingerprint: str,
    demonyms: dict[str, str] | None,
    progress: ProgressCallback | None,
) -> int:
    report = progress or (lambda stage, done, total: None)
    builder = _Builder(tmp)
    try:
        return _fill(builder, tmp, records, fingerprint, demonyms, report)
    finally:
        builder.close()


def _fill(
    builder: _Builder,
    tmp: Path,
    records: Iterable[PlaceRecord],
    fingerprint: str,
    demonyms: dict[str, str] | None,
    report: ProgressCallback,
) -> int:
    total = len(records) if isinstance(records, Sized) else None
    report("reading places", 0, total)
    with gc_paused():
        iterator = iter(records)
        while chunk := list(itertools.islice(iterator, _REPORT_EVERY)):
            builder.add_many(chunk)
            report("reading places", builder.count, total)
        report("reading places", builder.count, builder.count)
        builder.start_trie("exact")  # on the second core, while this one folds the names
        builder.fold_names(report)
        report("writing index", 0, 5)
        n = builder.finish_rows()
        report("writing index", 1, 5)
        # the normalized trie here while the child finishes the exact one
        builder.write_postings("normalized")
        report("writing index", 2, 5)
        builder.write_postings("exact")
        builder.write_best()
        report("writing index", 3, 5)
        builder.write_arrays()
    report("writing index", 4, 5)
    meta = {"admins": builder.admins, "countries": builder.countries, "demonyms": demonyms or {}}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    n_exact, n_norm = builder.key_counts["exact"], builder.key_counts["normalized"]
    write_manifest(tmp, {"format": FORMAT_VERSION, "fingerprint": fingerprint, "places": n,
                         "exact_keys": n_exact, "normalized_keys": n_norm,
                         "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})  # fmt: skip
    report("writing index", 5, 5)
    return n


_KIND_INDEX = {kind: i for i, kind in enumerate(KIND_CODES)}
_SEAT_CODES = frozenset({"PPLC", "PPLA", "PPLG"})
#: The prior of a country, the highest (see :func:`_priors`).
COUNTRY_PRIOR = 2.0
#: The prior of a region or feature of no country (continent, ocean, sea, peninsula).
WORLD_REGION_PRIOR = 1.9
_SPOOL = "records.spool"
_NONE = 0xFFFFFFFF
#: exact_best_match codes: how the best row of an exact key matched it.
BEST_EXACT, BEST_ALTERNATE, BEST_NORMALIZED, BEST_NEEDS_RANKING = 0, 1, 2, 255


def _row_flags(feature_class: str, feature_code: str) -> int:
    """1: a seat code (PPLC/PPLA/PPLG), 2: exactly ADM1/ADM2, 4: class P."""
    return (
        (feature_code in _SEAT_CODES)
        | ((feature_code == "ADM1" or feature_code == "ADM2") << 1)
        | ((feature_class == "P") << 2)
    )


#: The free-text fields of a record line (name, source, point source, alternate
#: names), the ones cleaned of tabs and line breaks.
_TEXT_FIELDS = (1, 10, 11, 12)


def _record_line(r: PlaceRecord, names: Iterable[str]) -> bytes:
    fields = [str(r.geonameid), r.name, repr(r.latitude), repr(r.longitude), r.feature_class,
              r.feature_code, r.country_code, r.admin1_code, r.admin2_code, str(r.population),
              r.source, r.point_source, "|".join(names)]  # fmt: skip
    line = "\t".join(fields)
    if line.count("\t") == 12 and "\n" not in line and "\r" not in line:
        return line.encode("utf-8")  # nothing to clean: the common case, ~2x faster
    for i in _TEXT_FIELDS:  # cleaning the joined names is cleaning each: "|" is kept
        fields[i] = _clean(fields[i])
    return "\t".join(fields).encode("utf-8")


class _Interner:
    """Strings to dense int ids (admin codes: few distinct values, many rows)."""

    def __init__(self) -> None:
        # a new value takes the next id: interning at C speed (see :meth:`many`)
        self.ids: collections.defaultdict[str, int] = collections.defaultdict(
            itertools.count().__next__
        )

    def __call__(self, value: str) -> int:
        return self.ids[value]

    def many(self, values: Iterable[str]) -> Iterator[int]:
        """The ids of ``values``, interning the new ones."""
        return map(self.ids.__getitem__, values)

    @property
    def values(self) -> list[str]:
        """The values, by id."""
        return list(self.ids)


class _Builder:
    """Accumulates records as arrays and a spool file; see :func:`build_index`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.count = 0
        self._spool = (directory / _SPOOL).open("wb")
        self._spool_end = array("q", [0])
        self.gid = array("q")
        self.lat = array("d")
        self.lon = array("d")
        self.pop = array("q")
        self.kind = array("B")
        self.flags = array("B")  # 1: seat code (PPLC/PPLA/PPLG), 2: exactly ADM1/ADM2, 4: class P
        self.codes = {"cc": array("I"), "a1": array("I"), "a2": array("I")}
        self.interners = {"cc": _Interner(), "a1": _Interner(), "a2": _Interner()}
        # key -> its id; a new key takes the next id (``map(d.__getitem__, ...)``
        # interns at C speed). Only their order is read once the keys are in.
        self.keys: dict[str, dict[str, int]] = {
            stem: collections.defaultdict(itertools.count().__next__)
            for stem in ("exact", "normalized")
        }
        self._exact_id = self.keys["exact"].__getitem__
        self._folds = FoldJob(directory / "exact.folds", spare_cores())
        self.post_key = {"exact": array("I"), "normalized": array("I")}
        self.post_row = {"exact": array("I"), "normalized": array("I")}
        self.post_primary = array("B")
        self.exact_norm = array("I")  # exact key id -> normalized key id (or _NONE)
        self.exact_admin = array("B")  # exact key id -> ends in an admin word
        self.best: dict[str, Any] = {}  # what write_best needs from write_postings
        self._trie_jobs: dict[str, TrieJob] = {}
        self.key_counts = {"exact": 0, "normalized": 0}
        self.admins: dict[str, int] = {}
        self.countries: dict[str, int] = {}

    def add(self, record: PlaceRecord) -> None:
        """Spool one record and post its exact name keys (see :meth:`add_many`)."""
        self.add_many([record])

    def add_many(self, records: Sequence[PlaceRecord]) -> None:
        """Spool a batch of records and post each one's exact name keys.

        Each distinct exact key of a place is posted once. Normalized keys come
        later, in bulk and once per distinct exact key (:meth:`fold_names`): a
        name's normalized key depends on its exact key only.
        """
        if not records:
            return
        first = self.count
        self.count += len(records)
        lines = [_record_line(r, r.alternate_names) for r in records]
        self._spool.write(b"".join(lines))
        self._spool_end.extend(
            itertools.islice(
                itertools.accumulate(map(len, lines), initial=self._spool_end[-1]), 1, None
            )
        )
        self.gid.extend([r.geonameid for r in records])
        self.lat.extend([r.latitude for r in records])
        self.lon.extend([r.longitude for r in records])
        self.pop.extend([r.population for r in records])
        self.kind.extend([_KIND_INDEX[kind_of(r.feature_class, r.feature_code)] for r in records])
        self.flags.extend([_row_flags(r.feature_class, r.feature_code) for r in records])
        for column, attribute in (("cc", "country_code"), ("a1", "admin1_code"),
                                  ("a2", "admin2_code")):  # fmt: skip
            self.codes[column].extend(
                self.interners[column].many(map(operator.attrgetter(attribute), records))
            )
        names = [(r.name, *r.alternate_names) for r in records]
        counts = np.fromiter(map(len, names), dtype=np.int64, count=len(names))
        keys = list(map(exact_key, itertools.chain.from_iterable(names)))
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        valid = (lengths > 0) & (lengths <= 200)
        ids = np.full(len(keys), -1, dtype=np.int64)
        known = len(self.keys["exact"])
        ids[valid] = np.fromiter(
            map(self._exact_id, itertools.compress(keys, valid.tolist())), dtype=np.int64
        )
        # the keys new in this batch (the last ones interned) go to be folded
        new_keys = len(self.keys["exact"]) - known
        self._folds.send(list(itertools.islice(reversed(self.keys["exact"]), new_keys))[::-1])
        starts = np.cumsum(counts) - counts
        primary = ids == np.repeat(ids[starts], counts)  # a place's own name: its first
        rows = np.repeat(np.arange(first, self.count, dtype=np.uint64), counts)
        # one posting per (place, key), in place order
        pairs, kept = np.unique((rows[valid] << np.uint64(32)) | ids[valid].astype(np.uint64),
                                return_index=True)  # fmt: skip
        self.post_key["exact"].frombytes((pairs & np.uint64(_NONE)).astype(np.uint32).tobytes())
        self.post_row["exact"].frombytes((pairs >> np.uint64(32)).astype(np.uint32).tobytes())
        self.post_primary.frombytes(primary[valid][kept].astype(np.uint8).tobytes())

    def start_trie(self, stem: str) -> None:
        """Have a second process build the trie of one key kind, if there is a second core.

        Its keys are all in once the places are read; :meth:`write_postings` collects it.
        """
        self._trie_jobs[stem] = TrieJob(list(self.keys[stem]), self.directory, stem, spare_cores())

    def close(self) -> None:
        """Close the spool; stop the children whose work was not collected (a build that failed)."""
        self._spool.close()
        for job in self._trie_jobs.values():
            job.cancel()
        self._trie_jobs.clear()
        self._folds.cancel()

    def fold_names(self, report: ProgressCallback) -> None:
        """Intern each exact key's normalized key; post each place under its normalized keys.

        What an unhinted lookup of an exact key needs is its normalized key (every
        name with that exact key has the same one) and whether it names an admin
        area. A place is posted once under each distinct normalized key of its names.
        """
        exact_ids, norm_ids = self.keys["exact"], self.keys["normalized"]
        total = len(exact_ids)
        report("indexing names", 0, total)
        done = 0
        norm_id = norm_ids.__getitem__  # a new key takes the next id
        for folded, hints in self._folds.results(list(exact_ids), _FOLD_BATCH):
            self.exact_norm.extend(map(norm_id, folded))
            self.exact_admin.extend(hints)
            done += len(folded)
            report("indexing names", done, total)
        empty = norm_ids.pop("", None)
        if empty is not None:  # no normalized key: _NONE, and the later ids move down one
            norm = np.frombuffer(self.exact_norm, dtype=np.uint32).astype(np.int64)
            norm = np.where(norm == empty, _NONE, np.where(norm > empty, norm - 1, norm))
            self.exact_norm = array("I", norm.astype(np.uint32).tobytes())
        self.keys["normalized"] = dict(
            zip(norm_ids, range(len(norm_ids)), strict=True)
        )  # ids in order
        # The exact postings are in place order: slices that end where a place
        # does are deduplicated on their own, to bound the memory used.
        norm_of = np.frombuffer(self.exact_norm, dtype=np.uint32)
        posted_keys = np.frombuffer(self.post_key["exact"], dtype=np.uint32)
        exact_rows = np.frombuffer(self.post_row["exact"], dtype=np.uint32)
        start = 0
        while start < len(exact_rows):
            stop = min(start + _FOLD_BATCH * 16, len(exact_rows))
            stop = int(np.searchsorted(exact_rows, exact_rows[stop - 1], side="right"))
            norms = norm_of[posted_keys[start:stop]]
            has = norms != _NONE
            pairs = _sorted_unique(
                (exact_rows[start:stop][has].astype(np.uint64) << np.uint64(32))
                | norms[has].astype(np.uint64)
            )
            self.post_key["normalized"].frombytes(
                (pairs & np.uint64(_NONE)).astype(np.uint32).tobytes()
            )
            self.post_row["normalized"].frombytes(
                (pairs >> np.uint64(32)).astype(np.uint32).tobytes()
            )
            start = stop

    # -------------------------------------------------------------- finishing

    def finish_rows(self) -> int:
        """Resolve duplicate geonameids; compute final rows, priors and admin tables."""
        self._spool.close()
        m = self.count
        gids = np.frombuffer(self.gid, dtype=np.int64)
        order = np.argsort(gids, kind="stable")
        sorted_gids = gids[order]
        boundary = np.ones(m, dtype=bool)
        boundary[1:] = sorted_gids[1:] != sorted_gids[:-1]
        starts = np.flatnonzero(boundary)
        ends = np.empty(len(starts), dtype=np.int64)
        ends[:-1] = starts[1:]
        ends[-1:] = m
        first = order[starts]  # spool index of each geonameid's first occurrence
        last = order[ends - 1]  # ... and of its last: the content that wins
        by_first = np.argsort(first, kind="stable")
        self.n = n = len(first)
        self.final_src = last[by_first]  # final row -> spool index of its content
        self.spool_to_row = np.empty(m, dtype=np.uint32)  # spool index -> final row
        group_of_sorted = np.repeat(np.arange(n), ends - starts)
        row_of_group = np.empty(n, dtype=np.int64)
        row_of_group[by_first] = np.arange(n)
        self.spool_to_row[order] = row_of_group[group_of_sorted]
        # Rows whose content merges several records: names from all, newest first.
        sizes = (ends - starts)[by_first]
        self.merged: dict[int, list[int]] = {}
        for row in np.flatnonzero(sizes > 1).tolist():
            group = int(by_first[row])
            members = np.sort(order[starts[group] : ends[group]])
            self.merged[row] = members[::-1].tolist()
        del gids, order, sorted_gids, group_of_sorted

        src = self.final_src
        kinds = np.frombuffer(self.kind, dtype=np.uint8)[src]
        flags = np.frombuffer(self.flags, dtype=np.uint8)[src]
        population = np.frombuffer(self.pop, dtype=np.int64)[src]
        cc = np.frombuffer(self.codes["cc"], dtype=np.uint32)[src].astype(np.int64)
        a1 = np.frombuffer(self.codes["a1"], dtype=np.uint32)[src].astype(np.int64)
        a2 = np.frombuffer(self.codes["a2"], dtype=np.uint32)[src].astype(np.int64)
        key1 = (cc << 42) | (a1 << 21)
        key2 = key1 | a2
        is_place = (flags & 4).astype(bool)
        empty_a2 = self.interners["a2"].ids.get("", -1)
        totals1 = _group_sums(key1[is_place], population[is_place])
        with_a2 = is_place & (a2 != empty_a2)
        totals2 = _group_sums(key2[with_a2], population[with_a2])

        admin1 = kinds == _KIND_INDEX[Kind.ADMIN1]
        admin2 = kinds == _KIND_INDEX[Kind.ADMIN2]
        effective = population.astype(np.float64)
        effective[admin1] = _lookup_sums(totals1, key1[admin1])
        effective[admin2] = _lookup_sums(totals2, key2[admin2])
        stateless = cc == self.interners["cc"].ids.get("", -1)
        self.prior = _priors(kinds, effective, (flags & 1).astype(bool), stateless)
        self.kinds = kinds

        cc_values = self.interners["cc"].values
        a1_values = self.interners["a1"].values
        a2_values = self.interners["a2"].values
        exact_admin = (flags & 2).astype(bool)
        for level, mask in ((1, admin1), (2, admin2)):
            for row in np.flatnonzero(mask).tolist():
                parts = [cc_values[cc[row]], a1_values[a1[row]]]
                if level == 2:
                    parts.append(a2_values[a2[row]])
                key = ".".join(parts)
                # ADM1/ADM2 proper win over ADM1H, ADM3, ... sharing their codes.
                if exact_admin[row] or key not in self.admins:
                    self.admins[key] = row
        for row in np.flatnonzero(kinds == _KIND_INDEX[Kind.COUNTRY]).tolist():
            self.countries[cc_values[cc[row]]] = row
        for column in ("cc", "a1", "a2"):
            del self.codes[column][:]
        del self.interners
        return n

    def write_postings(self, stem: str) -> None:
        """Write the trie and the CSR posting lists of one key kind."""
        ids = self.keys.pop(stem)
        job = self._trie_jobs.pop(stem, None) or TrieJob(list(ids), self.directory, stem, 0)
        del ids
        # Interned ids are in insertion order, which is the dict's order.
        to_trie = job.result()
        n_keys = len(to_trie)
        self.key_counts[stem] = n_keys
        keys = to_trie[np.frombuffer(self.post_key.pop(stem), dtype=np.uint32)]
        to_trie_ids = to_trie
        spool_rows = np.frombuffer(self.post_row.pop(stem), dtype=np.uint32)
        rows = self.spool_to_row[spool_rows]
        primary = None
        if stem == "exact":
            primary = np.frombuffer(self.post_primary, dtype=np.uint8).copy()
            if self.merged:
                # A replaced record's names stay, as alternates of the new one.
                primary[self.final_src[rows] != spool_rows] = 0
        del spool_rows
        if self.merged:
            keep = _first_of_pairs(keys, rows, primary)
            keys, rows = keys[keep], rows[keep]
            primary = primary[keep] if primary is not None else None
        ranked = np.lexsort((rows, -self.prior[rows], keys))
        keys, rows = keys[ranked], rows[ranked]
        offsets = np.zeros(n_keys + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=n_keys), out=offsets[1:])
        self.best[stem] = (
            to_trie_ids,
            keys,
            rows,
            primary[ranked] if primary is not None else None,
        )
        np.save(self.directory / f"{stem}_offsets.npy", offsets)
        np.save(self.directory / f"{stem}_rows.npy", rows.astype(np.uint32))
        if primary is not None:
            np.save(self.directory / f"{stem}_primary.npy", primary[ranked])

    def write_best(self) -> None:
        """Write, for every exact key, the row an unhinted lookup of it returns.

        ``geocode("Deir Ezzor")`` with no hints ranks the rows of the exact key and
        of its normalized key by match score + prior; that ranking depends on the
        key alone, so it is done here once, and a lookup then costs one trie
        query (no normalization, no ranking). Keys that end in an admin word are
        ranked at query time (``BEST_NEEDS_RANKING``).
        """
        exact_to_trie, e_keys, e_rows, e_primary = self.best.pop("exact")
        norm_to_trie, n_keys, n_rows, _ = self.best.pop("normalized")
        n_exact = self.key_counts["exact"]
        n_norm = self.key_counts["normalized"]
        prior = self.prior.astype(np.float64)
        # best exact/alternate row per exact key
        e_rank = np.where(e_primary.astype(bool), 1.0, 0.95) + prior[e_rows]
        order = np.lexsort((-e_rank, e_keys))
        first = np.ones(len(order), dtype=bool)
        first[1:] = e_keys[order][1:] != e_keys[order][:-1]
        best_row = np.zeros(n_exact, dtype=np.uint32)
        best_rank = np.full(n_exact, -np.inf)
        best_match = np.full(n_exact, BEST_NEEDS_RANKING, dtype=np.uint8)
        heads = order[first]
        best_row[e_keys[heads]] = e_rows[heads]
        best_rank[e_keys[heads]] = e_rank[heads]
        best_match[e_keys[heads]] = np.where(
            e_primary[heads].astype(bool), BEST_EXACT, BEST_ALTERNATE
        )
        # best normalized row per normalized key: the first posting (prior order)
        n_first = np.ones(len(n_keys), dtype=bool)
        n_first[1:] = n_keys[1:] != n_keys[:-1]
        norm_row = np.zeros(n_norm, dtype=np.uint32)
        norm_rank = np.full(n_norm, -np.inf)
        norm_row[n_keys[n_first]] = n_rows[n_first]
        norm_rank[n_keys[n_first]] = 0.85 + prior[n_rows[n_first]]
        # the exact key's normalized key, in trie ids
        exact_norm = np.frombuffer(self.exact_norm, dtype=np.uint32)
        has_norm = exact_norm != _NONE
        norm_of = np.full(n_exact, -1, dtype=np.int64)
        norm_of[exact_to_trie[has_norm]] = norm_to_trie[exact_norm[has_norm]]
        with_norm = norm_of >= 0
        better = np.zeros(n_exact, dtype=bool)
        better[with_norm] = norm_rank[norm_of[with_norm]] > best_rank[with_norm]
        best_row[better] = norm_row[norm_of[better]]
        best_match[better] = BEST_NORMALIZED
        admin = np.zeros(n_exact, dtype=bool)
        admin[exact_to_trie] = np.frombuffer(self.exact_admin, dtype=np.uint8).astype(bool)
        best_match[admin] = BEST_NEEDS_RANKING
        np.save(self.directory / "exact_best_row.npy", best_row)
        np.save(self.directory / "exact_best_match.npy", best_match)

    def write_arrays(self) -> None:
        """Write the per-row arrays and ``records.bin`` in final row order."""
        src = self.final_src
        d = self.directory
        np.save(d / "latitude.npy", np.frombuffer(self.lat, dtype=np.float64)[src])
        np.save(d / "longitude.npy", np.frombuffer(self.lon, dtype=np.float64)[src])
        np.save(d / "population.npy", np.frombuffer(self.pop, dtype=np.int64)[src])
        np.save(d / "geonameid.npy", np.frombuffer(self.gid, dtype=np.int64)[src])
        np.save(d / "kind.npy", self.kinds)
        np.save(d / "prior.npy", self.prior)
        ends = np.frombuffer(self._spool_end, dtype=np.int64)
        spool_path = d / _SPOOL
        lengths = ends[1:][src] - ends[:-1][src]
        replaced: dict[int, bytes] = {}
        with spool_path.open("rb") as spool:
            for row, members in self.merged.items():
                replaced[row] = _merged_line(spool, ends, members)
        for row, line in replaced.items():
            lengths[row] = len(line)
        offsets = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        # Copy runs of rows whose spool lines are consecutive in one read each.
        breaks = np.flatnonzero(np.diff(src) != 1) + 1
        special = np.fromiter(replaced, dtype=np.int64, count=len(replaced))
        cuts = np.unique(np.r_[0, breaks, special, special + 1, self.n])
        cuts = cuts[cuts <= self.n]
        with spool_path.open("rb") as spool, (d / "records.bin").open("wb") as out:
            for start, stop in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
                if start in replaced:
                    out.write(replaced[start])
                    continue
                begin, end = int(ends[src[start]]), int(ends[src[stop - 1] + 1])
                spool.seek(begin)
                while begin < end:
                    chunk = spool.read(min(end - begin, 1 << 24))
                    out.write(chunk)
                    begin += len(chunk)
        spool_path.unlink()
        np.save(d / "records_offsets.npy", offsets)


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` by a sort (numpy 2's hashing ``unique`` is ~5x slower on 1M uint64)."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _merged_line(spool: Any, ends: np.ndarray, members: list[int]) -> bytes:
    """The newest member's line with the names of all as alternates, newest first.

    A replaced record's own name becomes an alternate name too: it is indexed
    (its postings were written when it was read), so the record shows it.
    """
    lines = []
    for member in members:
        spool.seek(int(ends[member]))
        lines.append(spool.read(int(ends[member + 1] - ends[member])).decode("utf-8").split("\t"))
    newest = lines[0]
    names: dict[str, None] = {}
    for age, fields in enumerate(lines):
        older = [fields[1]] if age and fields[1] != newest[1] else []
        for name in [*(fields[-1].split("|") if fields[-1] else ()), *older]:
            names.setdefault(name, None)
    newest[-1] = "|".join(names)
    return "\t".join(newest).encode("utf-8")


def _group_sums(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    unique, inverse = np.unique(keys, return_inverse=True)
    return unique, np.bincount(inverse, weights=values, minlength=len(unique))


def _lookup_sums(totals: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
    unique, sums = totals
    if not len(unique):
        return np.zeros(len(keys))
    position = np.minimum(np.searchsorted(unique, keys), len(unique) - 1)
    return np.where(unique[position] == keys, sums[position], 0.0)


def _priors(
    kinds: np.ndarray, population: np.ndarray, seat: np.ndarray, stateless: np.ndarray
) -> np.ndarray:
    """Each row's prior: how likely its name means it, before any context.

    Countries beat everything named like them, and right after them come the
    regions and features that belong to no country (continents, oceans and seas,
    "the Middle East", the Korean Peninsula): a bare "Atlantic" is the ocean, not
    a town in Iowa. A populated place gains with its population; an admin area
    weighs a little less than a place of the same population, so a bare "Aleppo"
    means the city and "Aleppo Governorate" (which filters to admin kinds) the
    governorate.
    """
    log_pop = np.log10(1.0 + np.maximum(population, 0.0))
    prior = 0.7 + 0.04 * log_pop  # FEATURE
    region = kinds == _KIND_INDEX[Kind.REGION]
    prior = np.where(region, 0.75 + 0.04 * log_pop, prior)
    natural = region | (kinds == _KIND_INDEX[Kind.FEATURE])
    prior = np.where(natural & stateless, WORLD_REGION_PRIOR, prior)
    place = 0.5 + 0.08 * log_pop + np.where(seat, 0.05, 0.0)
    prior = np.where(kinds == _KIND_INDEX[Kind.PLACE], place, prior)
    prior = np.where(kinds == _KIND_INDEX[Kind.ADMIN2], 0.35 + 0.08 * log_pop, prior)
    prior = np.where(kinds == _KIND_INDEX[Kind.ADMIN1], 0.4 + 0.08 * log_pop, prior)
    prior = np.where(kinds == _KIND_INDEX[Kind.COUNTRY], COUNTRY_PRIOR, prior)
    return prior.astype(np.float32)


def _first_of_pairs(keys: np.ndarray, rows: np.ndarray, primary: np.ndarray | None) -> np.ndarray:
    """Indices keeping one posting per (key, row): a primary one when any."""
    flag = primary if primary is not None else np.zeros(len(keys), dtype=np.uint8)
    order = np.lexsort((-flag.astype(np.int8), rows, keys))
    k, r = keys[order], rows[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (k[1:] != k[:-1]) | (r[1:] != r[:-1])
    return np.sort(order[first])


def _crc32(path: Path) -> int:
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            crc = zlib.crc32(chunk, crc)
    return crc


def _size_problem(directory: Path, manifest: dict[str, Any]) -> str:
    for name, expected in manifest["files"].items():
        try:
            size = (directory / name).stat().st_size
        except OSError:
            return f"index file {name} is missing"
        if size != expected["size"]:
            return f"index file {name} has {size} bytes, expected {expected['size']}"
    missing = [name for name in _REQUIRED if name not in manifest["files"]]
    return f"the manifest lists no {', '.join(missing)}" if missing else ""


def check_index(directory: str | os.PathLike[str], fingerprint: str | None, *, verify: bool) -> str:
    """Return why the index in ``directory`` cannot be used, or "" when it can.

    Checks the manifest (its own checksum, format, fingerprint) and every file's
    size; ``verify=True`` also checks every file's CRC-32 (reads the whole index,
    ~0.1 s for the default one). Opening an :class:`Index` checks the contents
    anyway (see :mod:`.integrity`), so this is the cheap question "is there a
    current, complete index here?".
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    if manifest is None:
        return "no complete index (manifest missing, unreadable or damaged)"
    if manifest.get("format") != FORMAT_VERSION:
        return f"index format {manifest.get('format')} is not the current {FORMAT_VERSION}"
    if fingerprint is not None and manifest.get("fingerprint") != fingerprint:
        return "the gazetteer sources changed since the index was built"
    problem = _size_problem(directory, manifest)
    if problem or not verify:
        return problem
    for name, expected in manifest["files"].items():
        if _crc32(directory / name) != expected.get("crc32"):
            return f"index file {name} fails its checksum"
    return ""


#: The files an index has; all are listed in its manifest.
_REQUIRED = (
    "exact.marisa", "normalized.marisa", "meta.json", "records.bin", "records_offsets.npy",
    "exact_offsets.npy", "exact_rows.npy", "exact_primary.npy", "exact_best_row.npy",
    "exact_best_match.npy", "normalized_offsets.npy", "normalized_rows.npy", "latitude.npy",
    "longitude.npy", "population.npy", "geonameid.npy", "kind.npy", "prior.npy",
)  # fmt: skip
_BEST_CODES = (BEST_EXACT, BEST_ALTERNATE, BEST_NORMALIZED, BEST_NEEDS_RANKING)


@dataclass
class _Postings:
    trie: marisa_trie.Trie
    offsets: np.ndarray
    rows: np.ndarray
    primary: np.ndarray | None


class _Lazy:
    """Element ranges of a mapped ``.npy`` array to verify on first touch."""

    __slots__ = ("check", "itemsize", "offset")

    def __init__(self, check: BlockCheck, offset: int, itemsize: int) -> None:
        self.check, self.offset, self.itemsize = check, offset, itemsize

    def touch(self, start: int, stop: int) -> None:
        self.check.check(self.offset + start * self.itemsize, self.offset + stop * self.itemsize)


def _npy(buffer: Any, name: str) -> tuple[np.ndarray, int]:
    """Parse a ``.npy`` file held in ``buffer`` (bytes or a mapping), without copying."""
    head = io.BytesIO(bytes(buffer[: min(len(buffer), 4096)]))
    version = np.lib.format.read_magic(head)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(head)
    else:
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(head)
    offset = head.tell()
    count = math.prod(shape)
    if (
        dtype.hasobject
        or fortran
        or len(shape) != 1
        or offset + count * dtype.itemsize != len(buffer)
    ):
        raise ValueError(f"{name} is not a plain array of its own length")
    return np.frombuffer(buffer, dtype=dtype, count=count, offset=offset), offset


class Index:
    """A built index opened read-only, its contents checked (see :mod:`.integrity`).

    Parameters
    ----------
    directory
        The index directory (it holds ``manifest.json``).
    verify
        With ``preload=False``, check every byte at open rather than each block
        on first use. A preloaded index is always checked whole.
    preload
        Read the files into memory (~0.1 s and ~90 MB for the default index)
        rather than map them: lookups then never wait on page faults.

    Raises
    ------
    IndexCorruptError
        At open, or from any accessor, when a file differs from its manifest or
        cannot be decoded.
    """

    def __init__(
        self, directory: str | os.PathLike[str], *, verify: bool = True, preload: bool = True
    ) -> None:
        self.directory = Path(directory)
        self.preload = preload
        manifest = read_manifest(self.directory)
        problem = "no complete index (manifest missing, unreadable or damaged)"
        if manifest is not None:
            problem = _size_problem(self.directory, manifest)
        if problem:
            raise IndexCorruptError(f"gazetteer index at {self.directory}: {problem}")
        assert manifest is not None
        self.manifest: dict[str, Any] = manifest
        places = manifest.get("places")
        # -1 stands for a missing or non-integer count: _open_files rejects it
        self._n: int = places if isinstance(places, int) else -1
        # element ranges checked on first touch; None when everything was checked at open
        self._lazy: dict[str, _Lazy] | None = None if preload or verify else {}
        self._maps: list[mmap.mmap] = []
        self._whole: dict[str, np.ndarray] = {}
        try:
            self._open_files()
        except IndexCorruptError:
            self.close()
            raise
        except (OSError, ValueError, RuntimeError, KeyError, TypeError, EOFError) as exc:
            self.close()
            raise IndexCorruptError(
                f"gazetteer index at {self.directory} is unreadable: {exc}"
            ) from exc

    # ------------------------------------------------------------- opening

    def _bytes(self, name: str, *, whole: bool = False) -> Any:
        """A file's contents, checked whole now or (mapped) block by block later."""
        expected = self.manifest["files"][name]
        path = self.directory / name
        if self.preload:
            data: Any = path.read_bytes()
        else:
            with path.open("rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
            if isinstance(data, mmap.mmap):
                self._maps.append(data)
        if len(data) != expected["size"]:
            raise IndexCorruptError(f"gazetteer index at {self.directory}: {name} changed size")
        if self._lazy is None or whole or not len(data):
            if zlib.crc32(data) != expected["crc32"]:
                raise IndexCorruptError(
                    f"gazetteer index at {self.directory}: {name} fails its checksum"
                )
        else:
            self._checks[name] = BlockCheck(data, expected["blocks"], name, self.directory)
        return data

    def _array(self, stem: str, *, whole: bool = False) -> np.ndarray:
        name = f"{stem}.npy"
        array, offset = _npy(self._bytes(name, whole=whole), name)
        if self._lazy is not None and name in self._checks:
            self._lazy[stem] = _Lazy(self._checks[name], offset, array.itemsize)
        return array

    def _trie(self, stem: str) -> marisa_trie.Trie:
        trie = marisa_trie.Trie()
        data = self._bytes(f"{stem}.marisa", whole=True)
        if self.preload:
            trie.frombytes(data)
        else:  # checked whole just now; the trie maps the file itself
            trie.mmap(str(self.directory / f"{stem}.marisa"))
        return trie

    def _open_files(self) -> None:
        self._checks: dict[str, BlockCheck] = {}
        self.exact = self._postings("exact", primary=True)
        best_row = self._array("exact_best_row")
        self.exact_best_match = self._array("exact_best_match")
        self.normalized = self._postings("normalized", primary=False)
        self._latitude = self._array("latitude")
        self._longitude = self._array("longitude")
        self._population = self._array("population")
        self._geonameid = self._array("geonameid")
        self.kind = self._array("kind", whole=True)
        self.prior = self._array("prior", whole=True)
        self.record_offsets = self._array("records_offsets")
        self._records: bytes | mmap.mmap = self._bytes("records.bin")
        meta = json.loads(bytes(self._bytes("meta.json", whole=True)).decode("utf-8"))
        n = self._n
        if n < 0:
            raise ValueError("the manifest gives no number of places")
        for stem, values, length in (
            ("exact_best_row", best_row, len(self.exact.trie)),
            ("exact_best_match", self.exact_best_match, len(self.exact.trie)),
            ("latitude", self._latitude, n), ("longitude", self._longitude, n),
            ("population", self._population, n), ("geonameid", self._geonameid, n),
            ("kind", self.kind, n), ("prior", self.prior, n),
            ("records_offsets", self.record_offsets, n + 1),
        ):  # fmt: skip
            if len(values) != length:
                raise ValueError(f"{stem}.npy has {len(values)} entries, expected {length}")
        if n and int(self.kind.max()) >= len(KIND_CODES):
            raise ValueError("kind.npy holds an unknown kind")
        if self._lazy is None:
            self._check_structure(best_row)
        # Small per-row columns used in every ranking, as Python lists: indexing
        # a list is ~10x cheaper than indexing a numpy array element by element.
        self.kind_list: list[int] = self.kind.tolist()
        self.prior_list: list[float] = self.prior.tolist()
        self.exact_best_row: list[int] | np.ndarray = (
            best_row.tolist() if self.preload else best_row
        )
        if not (isinstance(meta, dict) and all(
            isinstance(meta.get(k), dict) for k in ("admins", "countries", "demonyms")
        )):  # fmt: skip
            raise ValueError("meta.json lacks its tables")
        self.admins: dict[str, int] = meta["admins"]
        self.countries: dict[str, int] = meta["countries"]
        self.demonyms: dict[str, str] = meta["demonyms"]

    def _check_structure(self, best_row: np.ndarray) -> None:
        """Check at open what every lookup relies on (~5 ms for the default index)."""
        n = self._n
        for p in (self.exact, self.normalized):
            _check_offsets(p.offsets, len(p.rows), "postings")
            if len(p.rows) and int(p.rows.max()) >= n:
                raise ValueError("a posting names a row past the end")
        _check_offsets(self.record_offsets, len(self._records), "records_offsets")
        if len(best_row) and int(best_row.max()) >= n:
            raise ValueError("exact_best_row names a row past the end")
        match = self.exact_best_match
        if len(match) and int(np.where(match == BEST_NEEDS_RANKING, 0, match).max()) > 2:
            raise ValueError("exact_best_match holds an unknown code")

    def _postings(self, stem: str, *, primary: bool) -> _Postings:
        trie = self._trie(stem)
        offsets = self._array(f"{stem}_offsets")
        rows = self._array(f"{stem}_rows")
        flags = self._array(f"{stem}_primary") if primary else None
        if len(offsets) != len(trie) + 1 or (flags is not None and len(flags) != len(rows)):
            raise ValueError(f"{stem} postings do not match their keys")
        return _Postings(trie, offsets, rows, flags)

    def _corrupt(self, what: str, exc: BaseException | None = None) -> IndexCorruptError:
        detail = f": {exc}" if exc is not None else ""
        return IndexCorruptError(f"gazetteer index at {self.directory}: {what}{detail}")

    # ----------------------------------------------------------- accessors

    def __len__(self) -> int:
        return self._n

    def _full(self, stem: str, array: np.ndarray) -> np.ndarray:
        if self._lazy is not None and stem not in self._whole:
            self._lazy[stem].check.check_all()
            self._whole[stem] = array
        return array

    @property
    def latitude(self) -> np.ndarray:
        """Every row's latitude (a mapped index checks it whole on first use)."""
        return self._full("latitude", self._latitude)

    @property
    def longitude(self) -> np.ndarray:
        """Every row's longitude."""
        return self._full("longitude", self._longitude)

    @property
    def population(self) -> np.ndarray:
        """Every row's population."""
        return self._full("population", self._population)

    @property
    def geonameid(self) -> np.ndarray:
        """Every row's GeoNames id."""
        return self._full("geonameid", self._geonameid)

    def points(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Latitudes and longitudes of ``rows`` (only their blocks are checked)."""
        lazy = self._lazy
        if lazy is not None:
            for row in rows.tolist():
                lazy["latitude"].touch(row, row + 1)
                lazy["longitude"].touch(row, row + 1)
        return self._latitude[rows], self._longitude[rows]

    def postings(self, stem: str, key_id: int) -> tuple[list[int], list[int] | None]:
        """The rows carrying key ``key_id`` of the ``stem`` trie, and their primary flags."""
        p = self.exact if stem == "exact" else self.normalized
        lazy = self._lazy
        if lazy is None:
            start, stop = p.offsets[key_id], p.offsets[key_id + 1]
            rows = p.rows[start:stop].tolist()
            return rows, p.primary[start:stop].tolist() if p.primary is not None else None
        lazy[f"{stem}_offsets"].touch(key_id, key_id + 2)
        start, stop = int(p.offsets[key_id]), int(p.offsets[key_id + 1])
        if not 0 <= start <= stop <= len(p.rows):
            raise self._corrupt(f"{stem}_offsets.npy holds a bad range at key {key_id}")
        lazy[f"{stem}_rows"].touch(start, stop)
        rows = p.rows[start:stop].tolist()
        if rows and max(rows) >= self._n:
            raise self._corrupt(f"{stem}_rows.npy names a row past the end")
        flags = None
        if p.primary is not None:
            lazy[f"{stem}_primary"].touch(start, stop)
            flags = p.primary[start:stop].tolist()
        return rows, flags

    def best(self, key_id: int) -> tuple[int, int]:
        """The build-time (match code, row) of exact key ``key_id``."""
        lazy = self._lazy
        if lazy is None:
            return int(self.exact_best_match[key_id]), self.exact_best_row[key_id]
        lazy["exact_best_match"].touch(key_id, key_id + 1)
        lazy["exact_best_row"].touch(key_id, key_id + 1)
        code, row = int(self.exact_best_match[key_id]), int(self.exact_best_row[key_id])
        if code not in _BEST_CODES or not 0 <= row < self._n:
            raise self._corrupt(f"exact_best_*.npy hold a bad entry at key {key_id}")
        return code, row

    def _line(self, row: int) -> bytes:
        if not 0 <= row < self._n:
            raise self._corrupt(f"row {row} is past the end ({self._n} places)")
        lazy = self._lazy
        if lazy is not None:
            lazy["records_offsets"].touch(row, row + 2)
        start, stop = int(self.record_offsets[row]), int(self.record_offsets[row + 1])
        if not 0 <= start <= stop <= len(self._records):
            raise self._corrupt(f"records_offsets.npy holds a bad range at row {row}")
        if lazy is not None:
            self._checks["records.bin"].check(start, stop)
        return self._records[start:stop]

    def record(self, row: int) -> dict[str, Any]:
        """Return the full record of ``row`` as a dict of :data:`RECORD_FIELDS`."""
        try:
            values = self._line(row).decode("utf-8").split("\t")
            record: dict[str, Any] = dict(zip(RECORD_FIELDS, values, strict=True))
            record["geonameid"] = int(record["geonameid"])
            record["latitude"] = float(record["latitude"])
            record["longitude"] = float(record["longitude"])
            record["population"] = int(record["population"])
        except ValueError as exc:  # UnicodeDecodeError is one
            raise self._corrupt(f"the record of row {row} cannot be decoded", exc) from exc
        names = record["alternate_names"]
        record["alternate_names"] = names.split("|") if names else []
        return record

    def record_head(self, row: int) -> list[bytes]:
        """Return the first ten fields of ``row``'s record, undecoded.

        A candidate needs only these (ids, name, point, codes, population); the
        tail — sources and the often long alternate names — is left for
        :meth:`record`, which :class:`LazyRecord` calls when ``raw`` is read.
        """
        fields = self._line(row).split(b"\t", 10)
        if len(fields) != 11:
            raise self._corrupt(f"the record of row {row} has {len(fields)} fields")
        return fields[:10]

    def name(self, row: int) -> str:
        """Return ``row``'s primary name (an admin area's or a country's, for a candidate)."""
        if self._lazy is None and 0 <= row < self._n:  # checked at open: the short path
            offsets = self.record_offsets
            line = self._records[offsets[row] : offsets[row + 1]]
        else:
            line = self._line(row)
        fields = line.split(b"\t", 2)
        try:
            if len(fields) != 3:
                raise ValueError(f"{len(fields)} fields")
            return fields[1].decode("utf-8")
        except ValueError as exc:  # UnicodeDecodeError is one
            raise self._corrupt(f"the record of row {row} cannot be decoded", exc) from exc

    def head(self, row: int) -> tuple[int, str, float, float, str, str, str, str, str, int]:
        """Return ``row``'s first ten fields decoded: id, name, lat, lon, codes, population."""
        if self._lazy is None and 0 <= row < self._n:  # checked at open: the short path
            offsets = self.record_offsets
            fields = self._records[offsets[row] : offsets[row + 1]].split(b"\t", 10)
        else:
            fields = self._line(row).split(b"\t", 10)
        try:
            gid, name, lat, lon, fclass, fcode, cc, a1, a2, pop, _ = fields
            latitude, longitude = float(lat), float(lon)
            head = (int(gid), name.decode("utf-8"), latitude, longitude, fclass.decode("utf-8"),
                    fcode.decode("utf-8"), cc.decode("utf-8"), a1.decode("utf-8"),
                    a2.decode("utf-8"), int(pop))  # fmt: skip
        except ValueError as exc:  # UnicodeDecodeError is one; so is a wrong field count
            raise self._corrupt(f"the record of row {row} cannot be decoded", exc) from exc
        if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
            raise self._corrupt(f"the record of row {row} has no valid point")
        return head

    def close(self) -> None:
        """Drop the memory maps (the object is unusable afterwards)."""
        for check in getattr(self, "_checks", {}).values():
            check.release()
        for attr in ("_records", "exact", "normalized", "_latitude", "_longitude", "_population",
                     "_geonameid", "kind", "prior", "record_offsets", "exact_best_row",
                     "exact_best_match", "_whole"):  # fmt: skip
            with contextlib.suppress(AttributeError):
                delattr(self, attr)
        for mapping in getattr(self, "_maps", ()):
            with contextlib.suppress(BufferError, ValueError):
                mapping.close()
        self._maps = []


def _check_offsets(offsets: np.ndarray, end: int, what: str) -> None:
    if len(offsets) == 0 or int(offsets[0]) != 0 or int(offsets[-1]) != end:
        raise ValueError(f"{what} do not span their data")
    if len(offsets) > 1 and bool((offsets[1:] < offsets[:-1]).any()):
        raise ValueError(f"{what} are not in order")


class LazyRecord(Mapping[str, Any]):
    """A row's full record, decoded on first access (a candidate's ``raw``)."""

    __slots__ = ("_index", "_record", "_row")

    def __init__(self, index: Index, row: int) -> None:
        self._index = index
        self._row = row
        self._record: dict[str, Any] | None = None

    def _full(self) -> dict[str, Any]:
        if self._record is None:
            self._record = self._index.record(self._row)
        return self._record

    def __getitem__(self, key: str) -> Any:
        return self._full()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(RECORD_FIELDS)

    def __len__(self) -> int:
        return len(RECORD_FIELDS)

    def __repr__(self) -> str:
        return repr(self._full())
