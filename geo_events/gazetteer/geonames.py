"""Import a GeoNames dump you downloaded yourself (or with :mod:`.download`).

GeoNames publishes its whole gazetteer at https://download.geonames.org/export/dump/:
``allCountries.zip`` (~12 million places), one ``<CC>.zip`` per country (``SY.zip``
holds ``SY.txt``), ``cities500.zip`` and friends, the alternate names
(``alternateNamesV2.zip``, or per country ``alternatenames/<CC>.zip``) and the admin
code tables (``admin1CodesASCII.txt``, ``admin2Codes.txt``). A
:class:`GeoNamesDump` names those files; :meth:`GeoNamesDump.records` streams them
as :class:`~geo_events.gazetteer.records.PlaceRecord` objects, which
:meth:`Gazetteer.open(geonames=dump) <geo_events.gazetteer.Gazetteer.open>` merges
into the default gazetteer (a record with a default record's geonameid replaces it
and keeps the union of both records' alternate names).

How the files are read, and why:

- Every file is streamed line by line, from inside its zip when zipped
  (``zipfile`` + ``io.TextIOWrapper``); no file is ever read whole.
- The alternate-names table (~15 million rows) is sorted by its own id, not by
  geonameid, so it cannot be merged with the places in one walk. A first pass over
  the places collects the geonameids that will be imported into a sorted numpy
  array (8 bytes a place: ~100 MB for allCountries); the alternate-names pass then
  keeps only rows whose geonameid is in it (a vectorized ``searchsorted`` per batch)
  and stores the kept names packed in one UTF-8 buffer with their geonameids in an
  ``int64`` array (~30 bytes a name, instead of ~100 for Python lists of strings);
  the places pass looks each place's names up by binary search.
- Alternate names in the languages ``link``, ``wkdt``, ``post``, ``iata``,
  ``icao``, ``faac``, ``fr_1793`` and ``abbr`` (URLs, Wikidata ids, postal and
  airport codes, ...) and colloquial names are skipped. Historic names are kept:
  reports use old names too. Without an alternate-names file, the places file's own
  comma-separated ``alternatenames`` column is used instead.
- ``admin1CodesASCII.txt`` / ``admin2Codes.txt`` name the admin divisions. They add
  an ADM1/ADM2 record only for a division whose geonameid the places file lacks
  (``cities500.zip`` has no admin rows; ``SY.zip`` has them, with GeoNames' own
  point). Such a record gets a representative point: its seat (an imported place of
  the same name inside it) or else its most populous imported place, recorded in
  ``point_source``; a division with no imported place inside is skipped (counted).
- A malformed line (wrong column count, a bad number, coordinates out of range,
  an empty name) is skipped, counted by reason in the :class:`ImportReport` and
  logged with its file and line number (the first :data:`MAX_LOGGED_PROBLEMS`
  individually, then a summary). A filtered row (feature class, population) is
  counted as filtered. Nothing is dropped without a count.
"""

from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from geo_events.errors import GazetteerSourceError, InputError
from geo_events.gazetteer.normalize import normalized_key
from geo_events.gazetteer.records import PlaceRecord

__all__ = [
    "DOWNLOAD_URL",
    "GEONAME_COLUMNS",
    "SKIPPED_LANGUAGES",
    "GeoNamesDump",
    "ImportReport",
]

logger = logging.getLogger(__name__)

#: Where GeoNames publishes its dumps.
DOWNLOAD_URL = "https://download.geonames.org/export/dump/"

#: The 19 tab-separated columns of the GeoNames "geoname" table, in order.
GEONAME_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature_class",
    "feature_code",
    "country_code",
    "cc2",
    "admin1_code",
    "admin2_code",
    "admin3_code",
    "admin4_code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification_date",
)
#: Alternate-name "languages" that are codes or links, not names.
SKIPPED_LANGUAGES = frozenset({"link", "wkdt", "post", "iata", "icao", "faac", "fr_1793", "abbr"})
#: GeoNames' feature classes.
FEATURE_CLASSES = frozenset("ADHLPRSTUV")
#: Malformed lines logged one by one; the rest are only counted.
MAX_LOGGED_PROBLEMS = 20

_BATCH = 1 << 18
_PROGRESS_EVERY = 100_000
_COUNTRY_FILE = re.compile(r"^[A-Z]{2}\.(zip|txt)$")

ProgressCallback = Callable[[str, int, "int | None"], None]


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


@dataclass
class ImportReport:
    """What one :meth:`GeoNamesDump.records` run read, imported and skipped.

    Filled while the records stream; complete once the iterator is exhausted.

    Attributes
    ----------
    rows_read
        Data lines read from the places file (blank lines and ``#`` comments
        excluded).
    imported
        Records yielded from the places file.
    filtered
        Well-formed rows left out by ``feature_classes`` or ``min_population``.
    skipped
        Malformed rows left out, by reason ("wrong column count", "bad number", ...).
    admin_records
        ADM1/ADM2 records added from the admin code files.
    admin_without_point
        Admin divisions from the code files, in a country the places file covers,
        skipped because no imported place lies inside them (so no point could be
        chosen).
    alternate_names_read, alternate_names_kept
        Rows of the alternate-names file read, and names kept for imported places.
    alternate_names_skipped
        Malformed alternate-names rows, by reason.
    problems
        The first :data:`MAX_LOGGED_PROBLEMS` problems as ``"file:line: reason"``.
    """

    rows_read: int = 0
    imported: int = 0
    filtered: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    admin_records: int = 0
    admin_without_point: int = 0
    alternate_names_read: int = 0
    alternate_names_kept: int = 0
    alternate_names_skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        """Malformed rows of the places file, all reasons together."""
        return sum(self.skipped.values())

    def summary(self) -> str:
        """Return a one-paragraph account for logs and the command line."""
        text = (
            f"{self.rows_read:,} rows read, {self.imported:,} imported, "
            f"{self.filtered:,} filtered, {self.skipped_total:,} malformed skipped"
        )
        if self.skipped:
            text += " (" + ", ".join(f"{r}: {n:,}" for r, n in self.skipped.most_common()) + ")"
        if self.admin_records or self.admin_without_point:
            text += (
                f"; {self.admin_records:,} admin records added from the code files, "
                f"{self.admin_without_point:,} without any place inside skipped"
            )
        if self.alternate_names_read:
            text += (
                f"; {self.alternate_names_kept:,} of {self.alternate_names_read:,} "
                "alternate names kept"
            )
            if self.alternate_names_skipped:
                text += f" ({sum(self.alternate_names_skipped.values()):,} malformed)"
        return text

    def _problem(self, counter: Counter[str], where: str, reason: str) -> None:
        counter[reason] += 1
        total = sum(self.skipped.values()) + sum(self.alternate_names_skipped.values())
        if total <= MAX_LOGGED_PROBLEMS:
            self.problems.append(f"{where}: {reason}")
            logger.warning("skipping malformed GeoNames line %s: %s", where, reason)
            if total == MAX_LOGGED_PROBLEMS:
                logger.warning("further malformed GeoNames lines are counted, not logged")


def _missing(path: Path, what: str) -> GazetteerSourceError:
    return GazetteerSourceError(
        f"the GeoNames {what} file {path} does not exist; download it from {DOWNLOAD_URL} "
        "(or call geo_events.gazetteer.download.download_geonames) and pass its path"
    )


def _as_path(value: str | os.PathLike[str] | None) -> Path | None:
    return None if value is None else Path(value).expanduser()


@dataclass(frozen=True)
class GeoNamesDump:
    """A set of GeoNames dump files to import.

    Parameters
    ----------
    places
        The places table: ``allCountries.zip``, a country file (``SY.zip``), a
        ``cities*.zip``, or the bare ``.txt`` inside any of them.
    alternate_names
        ``alternateNamesV2.zip``, ``alternateNames.zip``, a country's
        ``alternatenames/<CC>.zip`` or the ``.txt`` inside; None to use the places
        file's own ``alternatenames`` column.
    admin1, admin2
        ``admin1CodesASCII.txt`` and ``admin2Codes.txt``: add the divisions the
        places file lacks (see the module docstring).
    feature_classes
        GeoNames feature classes to import (``{"A", "P"}``); None imports all.
    min_population
        Populated places (class P) with fewer inhabitants are left out; other
        classes are not affected (GeoNames gives most of them no population).

    Examples
    --------
    >>> dump = GeoNamesDump("SY.zip", feature_classes={"A", "P"})  # doctest: +SKIP
    >>> gaz = Gazetteer.open(geonames=dump)  # doctest: +SKIP
    >>> dump.report.summary()  # doctest: +SKIP
    '74,120 rows read, 52,003 imported, 22,117 filtered, 0 malformed skipped'
    """

    places: Path
    alternate_names: Path | None = None
    admin1: Path | None = None
    admin2: Path | None = None
    feature_classes: frozenset[str] | None = None
    min_population: int = 0
    _reports: list[ImportReport] = field(
        default_factory=list, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "places", _as_path(self.places))
        for name in ("alternate_names", "admin1", "admin2"):
            object.__setattr__(self, name, _as_path(getattr(self, name)))
        if self.feature_classes is not None:
            if isinstance(self.feature_classes, str):
                classes = frozenset(self.feature_classes.replace(",", "").upper())
            else:
                classes = frozenset(str(c).strip().upper() for c in self.feature_classes)
            unknown = sorted(classes - FEATURE_CLASSES)
            if unknown or not classes:
                raise InputError(
                    f"unknown GeoNames feature class(es) {unknown or '(none given)'}; "
                    f"valid classes: {', '.join(sorted(FEATURE_CLASSES))}"
                )
            object.__setattr__(self, "feature_classes", classes)
        if not isinstance(self.min_population, int) or self.min_population < 0:
            raise InputError(
                f"min_population must be a non-negative integer, got {self.min_population!r}"
            )

    # ----------------------------------------------------------------- finding

    @classmethod
    def from_directory(
        cls,
        path: str | os.PathLike[str],
        *,
        feature_classes: Iterable[str] | None = None,
        min_population: int = 0,
    ) -> GeoNamesDump:
        """Find the standard GeoNames file names in a folder.

        The places file is ``allCountries.zip``/``.txt``, else the only
        ``<CC>.zip``/``.txt``, else the only ``cities*.zip``/``.txt``; alternate
        names are ``alternateNamesV2``, ``alternateNames`` or
        ``alternatenames/<CC>`` (``.zip`` or ``.txt``) when present; the admin code
        files when present. This is the layout :func:`.download.download_geonames`
        writes.
        """
        folder = Path(path).expanduser()
        if not folder.is_dir():
            raise GazetteerSourceError(
                f"{folder} is not a folder; download GeoNames files from {DOWNLOAD_URL} into it"
            )
        places = _find_places(folder)
        stem = places.name.split(".")[0]
        alternates = _first_existing(
            [
                folder / f"{n}.{e}"
                for n in ("alternateNamesV2", "alternateNames")
                for e in ("zip", "txt")
            ]
            + [folder / "alternatenames" / f"{stem}.{e}" for e in ("zip", "txt")]
        )
        classes = frozenset(feature_classes) if feature_classes is not None else None
        return cls(
            places=places,
            alternate_names=alternates,
            admin1=_first_existing([folder / "admin1CodesASCII.txt"]),
            admin2=_first_existing([folder / "admin2Codes.txt"]),
            feature_classes=classes,
            min_population=min_population,
        )

    def paths(self) -> list[Path]:
        """Return every file given (for the index fingerprint); check they exist."""
        given = [
            (self.places, "places"),
            (self.alternate_names, "alternate names"),
            (self.admin1, "admin1 codes"),
            (self.admin2, "admin2 codes"),
        ]
        paths = []
        for path, what in given:
            if path is None:
                continue
            if not path.is_file():
                raise _missing(path, what)
            paths.append(path)
        return paths

    @property
    def report(self) -> ImportReport | None:
        """The report of the latest :meth:`records` run (None before any)."""
        return self._reports[-1] if self._reports else None

    # ----------------------------------------------------------------- reading

    def records(self, progress: ProgressCallback | None = None) -> Iterator[PlaceRecord]:
        """Stream the dump's places as records.

        Parameters
        ----------
        progress
            Called as ``progress(stage, done, total)`` while reading (``total`` is
            None when unknown).

        Yields
        ------
        PlaceRecord
            One per imported row, then the admin divisions added from the code
            files. :attr:`report` counts what was read, imported and skipped.

        Raises
        ------
        GazetteerSourceError
            When a file is missing or is not a readable GeoNames file.
        """
        self.paths()
        report = ImportReport()
        self._reports.append(report)
        return self._records(report, progress or _no_progress)

    def _wanted(self, fields: list[str]) -> bool:
        if self.feature_classes is not None and fields[6] not in self.feature_classes:
            return False
        if self.min_population and fields[6] == "P":
            try:
                return int(fields[14] or 0) >= self.min_population
            except ValueError:
                return True  # reported as malformed in the main pass
        return True

    def _records(self, report: ImportReport, progress: ProgressCallback) -> Iterator[PlaceRecord]:
        admins = _read_admin_codes(self.admin1, self.admin2)
        allow_admins = self.feature_classes is None or "A" in self.feature_classes
        total: int | None = None
        alternates: _AlternateNames | None = None
        pending: dict[tuple[str, ...], _PendingAdmin] = {}
        if self.alternate_names is not None or (admins and allow_admins):
            every_id, wanted_ids, countries, total = self._scan_ids(progress)
            if admins and allow_admins:
                present = every_id
                for key, (name, ascii_name, gid) in admins.items():
                    if key[0] not in countries:
                        continue  # a country file: the other countries' divisions
                    position = np.searchsorted(present, gid)
                    if position >= len(present) or present[position] != gid:
                        pending[key] = _PendingAdmin(gid, name, ascii_name)
                del present
            del every_id
            if self.alternate_names is not None:
                extra = np.fromiter((p.geonameid for p in pending.values()), np.int64)
                wanted_ids = np.union1d(wanted_ids, extra)
                alternates = _read_alternate_names(
                    self.alternate_names, wanted_ids, report, progress
                )
            del wanted_ids
        by_admin1: dict[tuple[str, str], _PendingAdmin] = {}
        by_admin2: dict[tuple[str, str, str], _PendingAdmin] = {}
        for key, admin in pending.items():
            if len(key) == 2:
                by_admin1[key] = admin
            elif len(key) == 3:  # every key is 2 or 3 codes long (_read_admin_codes)
                by_admin2[key] = admin
        source = f"geonames:{self.places.name}"
        where_prefix = self.places.name
        for line_no, fields in _tsv_rows(self.places):
            report.rows_read += 1
            if report.rows_read % _PROGRESS_EVERY == 0:
                progress("geonames: places", report.rows_read, total)
            if len(fields) != len(GEONAME_COLUMNS):
                reason = f"wrong column count ({len(fields)}, expected {len(GEONAME_COLUMNS)})"
                report._problem(report.skipped, f"{where_prefix}:{line_no}", reason)
                continue
            problem = _row_problem(fields)
            if problem:
                report._problem(report.skipped, f"{where_prefix}:{line_no}", problem)
                continue
            if not self._wanted(fields):
                report.filtered += 1
                continue
            record = _place_record(fields, alternates, source)
            report.imported += 1
            if pending and record.feature_class == "P":
                inside = (
                    by_admin1.get((record.country_code, record.admin1_code)),
                    by_admin2.get((record.country_code, record.admin1_code, record.admin2_code)),
                )
                for division in inside:
                    if division is not None:
                        division.consider(record)
            yield record
        progress("geonames: places", report.rows_read, report.rows_read)
        for key, admin in pending.items():
            added = admin.record(key, alternates)
            if added is None:
                report.admin_without_point += 1
                continue
            report.admin_records += 1
            yield added
        logger.info("GeoNames import of %s: %s", self.places, report.summary())

    def _scan_ids(self, progress: ProgressCallback) -> tuple[np.ndarray, np.ndarray, set[str], int]:
        """First pass: every geonameid in the places file, those to import, countries."""
        every = array("q")
        wanted = array("q")
        countries: set[str] = set()
        rows = 0
        for _, fields in _tsv_rows(self.places):
            rows += 1
            if rows % _PROGRESS_EVERY == 0:
                progress("geonames: scanning places", rows, None)
            if len(fields) != len(GEONAME_COLUMNS):
                continue
            try:
                gid = int(fields[0])
            except ValueError:
                continue
            every.append(gid)
            countries.add(fields[8])
            if self._wanted(fields):
                wanted.append(gid)
        progress("geonames: scanning places", rows, rows)
        every_ids = np.unique(np.frombuffer(every, dtype=np.int64))
        del every
        wanted_ids = np.unique(np.frombuffer(wanted, dtype=np.int64))
        return every_ids, wanted_ids, countries, rows


def _find_places(folder: Path) -> Path:
    found = _first_existing([folder / "allCountries.zip", folder / "allCountries.txt"])
    if found is not None:
        return found
    for pattern in (_COUNTRY_FILE, re.compile(r"^cities\d+\.(zip|txt)$")):
        files = sorted(p for p in folder.iterdir() if p.is_file() and pattern.match(p.name))
        stems = sorted({p.name.split(".")[0] for p in files})
        if len(stems) > 1:
            raise GazetteerSourceError(
                f"{folder} holds several GeoNames places files ({', '.join(p.name for p in files)}); "
                "name the one to import: GeoNamesDump(places=...)"
            )
        if files:
            zipped = [p for p in files if p.suffix == ".zip"]
            return zipped[0] if zipped else files[0]
    raise GazetteerSourceError(
        f"no GeoNames places file (allCountries.zip, <CC>.zip or cities*.zip) in {folder}; "
        f"download one from {DOWNLOAD_URL}"
    )


def _first_existing(paths: list[Path]) -> Path | None:
    return next((p for p in paths if p.is_file()), None)


class _TextStream:
    """A text file or the main text member of a zip, as a context manager of lines."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._archive: zipfile.ZipFile | None = None
        self._stream: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        path = self.path
        try:
            if zipfile.is_zipfile(path):
                self._archive = zipfile.ZipFile(path)
                member = _main_member(self._archive, path)
                raw = self._archive.open(member)
                self._stream = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
            else:
                self._stream = path.open(encoding="utf-8", errors="replace", newline="")
        except (OSError, zipfile.BadZipFile) as exc:
            self.__exit__(None, None, None)
            raise GazetteerSourceError(
                f"cannot read the GeoNames file {path}: {exc}; download it again from {DOWNLOAD_URL}"
            ) from exc
        return _guarded(self._stream, path)  # type: ignore[return-value]

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._archive is not None:
            self._archive.close()


def _guarded(stream: IO[str], path: Path) -> Iterator[str]:
    """Iterate lines; a broken zip member becomes a GazetteerSourceError."""
    try:
        yield from stream
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise GazetteerSourceError(
            f"the GeoNames file {path} is damaged ({exc}); download it again from {DOWNLOAD_URL}"
        ) from exc


def _open_text(path: Path) -> _TextStream:
    return _TextStream(path)


def _tsv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` of a GeoNames table, skipping blanks and comments."""
    with _open_text(path) as lines:
        for line_no, line in enumerate(lines, start=1):
            if line.strip() and not line.startswith("#"):
                yield line_no, line.rstrip("\r\n").split("\t")


def _main_member(archive: zipfile.ZipFile, path: Path) -> str:
    """Pick the data member: ``<stem>.txt``, else the largest other ``.txt``."""
    stem = path.name.split(".")[0]
    texts = [i for i in archive.infolist() if i.filename.endswith(".txt") and not i.is_dir()]
    for info in texts:
        if Path(info.filename).name == f"{stem}.txt":
            return info.filename
    data = [
        i
        for i in texts
        if Path(i.filename).name.lower() not in {"readme.txt", "iso-languagecodes.txt"}
    ]
    if not data:
        raise GazetteerSourceError(
            f"the zip {path} holds no GeoNames .txt file; download it again from {DOWNLOAD_URL}"
        )
    return max(data, key=lambda i: i.file_size).filename


_BAD_NUMBER = "bad number (geonameid, latitude, longitude or population)"


def _row_problem(fields: list[str]) -> str:
    """Return why a row of the right width is malformed, or ""."""
    try:
        gid = int(fields[0])
        lat = float(fields[4])
        lon = float(fields[5])
        if fields[14]:
            int(fields[14])
    except ValueError:
        return _BAD_NUMBER
    if gid <= 0:
        return _BAD_NUMBER
    if not fields[1].strip():
        return "empty name"
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also rejects NaN
        return "coordinates out of range"
    return ""


def _place_record(
    fields: list[str], alternates: _AlternateNames | None, source: str
) -> PlaceRecord:
    """Return the record of one row that :func:`_row_problem` accepted."""
    gid = int(fields[0])
    name = fields[1].strip()
    population = int(fields[14]) if fields[14] else 0
    names: list[str] = []
    ascii_name = fields[2].strip()
    if ascii_name and ascii_name != name:
        names.append(ascii_name)
    if alternates is not None:
        names.extend(alternates.names_for(gid))
    elif fields[3]:
        names.extend(n for n in (s.strip() for s in fields[3].split(",")) if _is_name(n))
    unique = tuple(n for n in dict.fromkeys(names) if n != name)
    return PlaceRecord(
        geonameid=gid,
        name=name,
        latitude=float(fields[4]),
        longitude=float(fields[5]),
        feature_class=fields[6],
        feature_code=fields[7],
        country_code=fields[8],
        admin1_code=fields[10],
        admin2_code=fields[11],
        population=max(population, 0),
        alternate_names=unique,
        source=source,
    )


def _is_name(text: str) -> bool:
    # The places file's alternatenames column mixes in links and codes.
    return bool(text) and "://" not in text and any(ch.isalpha() for ch in text)


class _AlternateNames:
    """Kept alternate names, packed: one UTF-8 buffer, offsets, sorted geonameids."""

    def __init__(self, ids: array[int], starts: array[int], blob: bytearray) -> None:
        gids = np.frombuffer(ids, dtype=np.int64)
        self._order = np.argsort(gids, kind="stable")
        self._gids = gids[self._order]
        self._starts = np.frombuffer(starts, dtype=np.int64)
        self._blob = bytes(blob)

    def names_for(self, gid: int) -> list[str]:
        gids = self._gids
        lo = int(np.searchsorted(gids, gid, "left"))
        if lo == len(gids) or gids[lo] != gid:
            return []
        hi = int(np.searchsorted(gids, gid, "right"))
        blob, starts = self._blob, self._starts
        return [
            blob[starts[j] : starts[j + 1]].decode("utf-8") for j in self._order[lo:hi].tolist()
        ]


def _read_alternate_names(
    path: Path, wanted: np.ndarray, report: ImportReport, progress: ProgressCallback
) -> _AlternateNames:
    """Keep the useful alternate names of the places in ``wanted`` (sorted ids)."""
    kept_ids = array("q")
    starts = array("q", [0])
    blob = bytearray()
    batch_ids = array("q")
    batch_names: list[str] = []

    def flush() -> None:
        if not batch_names:
            return
        ids = np.frombuffer(batch_ids, dtype=np.int64)
        if len(wanted):
            position = np.minimum(np.searchsorted(wanted, ids), len(wanted) - 1)
            hits = np.flatnonzero(wanted[position] == ids).tolist()
        else:
            hits = []
        for j in hits:
            kept_ids.append(batch_ids[j])
            blob.extend(batch_names[j].encode("utf-8"))
            starts.append(len(blob))
        report.alternate_names_kept += len(hits)
        del ids
        del batch_ids[:]
        batch_names.clear()

    for line_no, fields in _tsv_rows(path):
        report.alternate_names_read += 1
        if report.alternate_names_read % _PROGRESS_EVERY == 0:
            progress("geonames: alternate names", report.alternate_names_read, None)
        if len(fields) < 4:
            reason = f"wrong column count ({len(fields)}, expected 8 or 10)"
            report._problem(report.alternate_names_skipped, f"{path.name}:{line_no}", reason)
            continue
        language = fields[2]
        if language in SKIPPED_LANGUAGES or (len(fields) > 6 and fields[6] == "1"):
            continue
        try:
            gid = int(fields[1])
        except ValueError:
            report._problem(
                report.alternate_names_skipped, f"{path.name}:{line_no}", "bad geonameid"
            )
            continue
        name = fields[3].strip()
        if not name:
            continue
        batch_ids.append(gid)
        batch_names.append(name)
        if len(batch_names) >= _BATCH:
            flush()
    flush()
    progress("geonames: alternate names", report.alternate_names_read, report.alternate_names_read)
    return _AlternateNames(kept_ids, starts, blob)


def _read_admin_codes(
    admin1: Path | None, admin2: Path | None
) -> dict[tuple[str, ...], tuple[str, str, int]]:
    """Read the admin code tables: ``("SY", "07")`` -> (name, asciiname, geonameid)."""
    codes: dict[tuple[str, ...], tuple[str, str, int]] = {}
    for path, parts in ((admin1, 2), (admin2, 3)):
        if path is None:
            continue
        bad = 0
        for line_no, fields in _tsv_rows(path):
            code = fields[0].split(".")
            if len(fields) < 4 or len(code) != parts or not fields[3].strip().isdigit():
                bad += 1
                if bad <= MAX_LOGGED_PROBLEMS:
                    logger.warning("skipping malformed admin code line %s:%d", path.name, line_no)
                continue
            codes[tuple(code)] = (fields[1].strip(), fields[2].strip(), int(fields[3]))
        if bad:
            logger.warning("%d malformed line(s) skipped in %s", bad, path)
    return codes


class _PendingAdmin:
    """An admin division from a code file, waiting for a representative point."""

    __slots__ = ("ascii_name", "best", "geonameid", "keys", "name", "seat")

    def __init__(self, geonameid: int, name: str, ascii_name: str) -> None:
        self.geonameid = geonameid
        self.name = name
        self.ascii_name = ascii_name
        self.keys = {normalized_key(n) for n in (name, ascii_name) if n}
        self.best: PlaceRecord | None = None
        self.seat: PlaceRecord | None = None

    def consider(self, place: PlaceRecord) -> None:
        if self.best is None or place.population > self.best.population:
            self.best = place
        if (self.seat is None or place.population > self.seat.population) and (
            normalized_key(place.name) in self.keys
        ):
            self.seat = place

    def record(
        self, key: tuple[str, ...], alternates: _AlternateNames | None
    ) -> PlaceRecord | None:
        place = self.seat or self.best
        if place is None:
            return None
        how = "seat" if self.seat is not None else "most populous place"
        names = [self.ascii_name] if self.ascii_name and self.ascii_name != self.name else []
        if alternates is not None:
            names.extend(alternates.names_for(self.geonameid))
        return PlaceRecord(
            geonameid=self.geonameid,
            name=self.name,
            latitude=place.latitude,
            longitude=place.longitude,
            feature_class="A",
            feature_code="ADM1" if len(key) == 2 else "ADM2",
            country_code=key[0],
            admin1_code=key[1],
            admin2_code=key[2] if len(key) == 3 else "",
            alternate_names=tuple(n for n in dict.fromkeys(names) if n != self.name),
            source="geonames:admin codes",
            point_source=f"{how}: {place.name} ({place.geonameid})",
        )
