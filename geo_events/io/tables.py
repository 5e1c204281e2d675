"""Read event tables into the events schema: ACLED, GDELT 2.0, UCDP GED, any table.

:func:`events_from_table` reads CSV/TSV (streamed in chunks), XLSX and Parquet files,
recognises the format from the header (or is told), maps the columns to the
events schema (:mod:`geo_events.events.schema`), checks every value and places
rows without usable coordinates through the gazetteer
(:func:`~geo_events.gazetteer.batch.geocode_table`, with the admin fallback).
No row is lost: a row that cannot be placed is kept with ``geocode_status``
``"unmatched"`` and a ``geocode_reason``; a problem with a value is recorded in the
row's ``read_issues`` and in the :class:`ReadReport` with its line and column.

:func:`iter_events` yields the same events one chunk at a time, with a running
report (``events_from_table`` is their concatenation), so a table larger than memory
can be written out chunk by chunk
(:func:`geo_events.io.writers.write_events_chunks`).

The work on one chunk is the pure function :func:`events_from_chunk` of a
DataFrame of raw values (plus its ``source_line`` column), a :class:`TableSpec`
and a gazetteer, so the same reads run on dask partitions
(:mod:`geo_events.io.dask_tables`).

Where the code lives, one step per module: the options in
:mod:`geo_events.io.read_options`; the formats and their column mappings in
:mod:`geo_events.io.table_formats`; opening files and cutting them into raw chunks
(encodings, chunked CSV, malformed records, XLSX, Parquet) in
:mod:`geo_events.io.table_files`; the chunk pipeline in :mod:`geo_events.io.table_chunk`
and its steps in ``table_checks``, ``table_coordinates``, ``table_geocoding`` and
``table_codes``, all built on :mod:`geo_events.io.table_values`. This module holds the
public reading API (:func:`events_from_table`, :func:`iter_events`,
:class:`EventChunks`, the report types) and re-exports the names in ``__all__``.
Imports go one way (values, formats, options, steps, chunk, files, then this module)
and no module imports another's private names.

Decisions, written down:

- **Line numbers** are the file's lines (1 is the header). Records spanning
  several lines (quoted newlines) are accounted for.
- **Ragged rows** (more or fewer fields than the header) are kept, their values
  in their columns as far as they go, with a ``read_issues`` note naming the
  missing columns or quoting the extra values; pandas never picks an index
  (see :mod:`geo_events.io.table_files`). Blank lines and rows without any
  value are counted in ``blank_lines``. A file that cannot be parsed (an
  unterminated quote) is refused, naming the line.
- **Limits**: ``max_bytes`` (default 4 GiB) and ``max_rows`` (default none) are
  checked before parsing where the size is known (file size, an XLSX file's
  declared uncompressed size, a Parquet footer) and while streaming text.
- **Odd cells** in frames from XLSX/Parquet or given to :func:`events_from_chunk`:
  a list or dict becomes its JSON text, a lone surrogate or a NUL U+FFFD, an
  infinite or too large number is dropped; each with a row issue.
- **Encoding**: a UTF-8 BOM is honoured; a file whose start is not UTF-8 is read
  as cp1252 (recorded in the report); undecodable bytes later in a UTF-8 file
  become U+FFFD and the row is flagged.
- **Coordinates** out of range: when swapping latitude and longitude gives valid
  ones, they are swapped back (``geocode_status == "swapped"``, flagged); otherwise
  they are dropped and the row is geocoded by its place columns, if any. In range, a
  point is checked against the row's country (Natural Earth's boundaries, ~11 km of
  tolerance at the edge): outside it but inside once swapped, it is swapped back
  (``swapped``, flagged); outside either way, it is kept and flagged ("… km outside SY").
- **GDELT 2.0**: the ActionGeo fields place the event; ``ActionGeo_Type`` gives
  ``geo_precision`` (1 country → 3, 2/5 ADM1 → 3, 3/4 city → 1) and CAMEO codes
  give ACLED types through :data:`CAMEO_TO_ACLED` (longest code prefix wins).
  ``ActionGeo_FeatureID`` is a GNS feature id (NGA's numbering), an ADM1 code or a
  country code — never a GeoNames id — so it is kept as ``ActionGeo_FeatureID``
  and ``geonameid`` stays NA. GDELT's country codes are FIPS 10-4, converted to
  ISO. ``SOURCEURL`` becomes ``source``; GDELT has no fatalities.
- **UCDP GED**: ``fatalities`` is ``low``, the lowest estimate, following ACLED's
  rule of the most conservative figure (``best`` and ``high`` are kept); when
  ``low`` is missing, ``best`` is used and flagged. ``where_prec`` maps to
  ``geo_precision`` by :data:`UCDP_WHERE_PREC`, ``type_of_violence`` to ACLED types by
  :data:`UCDP_VIOLENCE`, and ``time_precision`` comes from the span
  ``date_start``..``date_end`` (same day 1, within a week 2, else 3).
"""

from __future__ import annotations

import logging
import os
import warnings
from collections import Counter
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from geo_events._attrs_report import AttrsReport
from geo_events.errors import (
    GeoEventsWarning,
    InputError,
    InputTooLargeError,
    OnError,
    apply_on_error,
)
from geo_events.io.read_options import (
    DEFAULT_MAX_BYTES,
    ReadOptions,
    TableColumns,
    read_options,
)
from geo_events.io.table_chunk import GeocodeCache, chunk_events, events_from_chunk
from geo_events.io.table_files import EmptyTable, OpenedTable, RawChunk, open_frame, open_table
from geo_events.io.table_formats import (
    CAMEO_TO_ACLED,
    GDELT_COLUMNS,
    GDELT_GEO_PRECISION,
    UCDP_VIOLENCE,
    UCDP_WHERE_PREC,
    TableSpec,
    sniff_format,
    table_spec,
)
from geo_events.io.table_values import RowIssue, printable_path

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

__all__ = [
    "CAMEO_TO_ACLED",
    "DEFAULT_MAX_BYTES",
    "GDELT_COLUMNS",
    "GDELT_GEO_PRECISION",
    "UCDP_VIOLENCE",
    "UCDP_WHERE_PREC",
    "EventChunks",
    "GeocodeCache",
    "ReadOptions",
    "ReadProgress",
    "ReadReport",
    "ReadResult",
    "ReadWarning",
    "RowIssue",
    "TableColumns",
    "TableSpec",
    "events_from_chunk",
    "events_from_table",
    "iter_events",
    "read_events",
    "table_spec",
]

logger = logging.getLogger(__name__)

_MAX_ISSUES_KEPT = 1000


class ReadWarning(GeoEventsWarning):
    """Problems found while reading a table (issued with ``on_error="warn"``)."""


class ReadReport(AttrsReport):
    """What happened to every row of a table.

    ``rows_read == placed + unplaced``, and ``placed`` is the sum of
    ``by_precision`` (precision ``None`` counts rows placed by given coordinates
    without a stated precision).

    A read-only mapping with attribute access (``report.rows_read`` or
    ``report["rows_read"]``): plain JSON, so a GeoDataFrame carrying it in
    ``attrs["report"]`` can still be written with ``to_parquet`` (which stores
    ``attrs`` as JSON; they read back as a plain dict).
    """

    __slots__ = ()

    def __init__(
        self,
        path: str,
        format: str,
        encoding: str,
        rows_read: int,
        by_precision: Mapping[int | None, int],
        by_status: Mapping[str, int],
        unplaced_reasons: Mapping[str, int],
        issues: Sequence[RowIssue],
        n_issues: int,
        blank_lines: int = 0,
    ) -> None:
        super().__init__(
            path=path, format=format, encoding=encoding, rows_read=rows_read,
            by_precision=dict(by_precision), by_status=dict(by_status),
            unplaced_reasons=dict(unplaced_reasons), issues=tuple(issues),
            n_issues=n_issues, blank_lines=blank_lines,
        )  # fmt: skip

    @property
    def path(self) -> str:
        """The table read (its path, or ``<data frame>``)."""
        value: str = self["path"]
        return value

    @property
    def format(self) -> str:
        """Its format: acled, gdelt, ucdp or generic."""
        value: str = self["format"]
        return value

    @property
    def encoding(self) -> str:
        """How it was decoded (``dataframe`` for a frame)."""
        value: str = self["encoding"]
        return value

    @property
    def rows_read(self) -> int:
        """Data rows read."""
        value: int = self["rows_read"]
        return value

    @property
    def by_precision(self) -> Mapping[int | None, int]:
        """Placed rows by ``geo_precision`` (None: unstated)."""
        value: Mapping[int | None, int] = self["by_precision"]
        return value

    @property
    def by_status(self) -> Mapping[str, int]:
        """Rows by ``geocode_status``."""
        value: Mapping[str, int] = self["by_status"]
        return value

    @property
    def unplaced_reasons(self) -> Mapping[str, int]:
        """Why rows are unplaced, with counts."""
        value: Mapping[str, int] = self["unplaced_reasons"]
        return value

    @property
    def issues(self) -> tuple[RowIssue, ...]:
        """The first 1,000 problems found."""
        value: tuple[RowIssue, ...] = self["issues"]
        return value

    @property
    def n_issues(self) -> int:
        """How many problems were found in all."""
        value: int = self["n_issues"]
        return value

    @property
    def blank_lines(self) -> int:
        """Blank lines and empty rows skipped."""
        value: int = self["blank_lines"]
        return value

    @property
    def placed(self) -> int:
        """Rows with a point."""
        return sum(self.by_precision.values())

    @property
    def unplaced(self) -> int:
        """Rows kept without a point."""
        return self.by_status.get("unmatched", 0)

    def summary(self) -> str:
        """A few lines for a human: rows, placement by precision, problems."""
        prec = ", ".join(
            f"{'unstated' if k is None else k}: {v}"
            for k, v in sorted(self.by_precision.items(), key=lambda kv: (kv[0] is None, kv[0]))
        )
        lines = [
            f"{self.path} ({self.format}, {self.encoding}): {self.rows_read} rows read",
            f"placed {self.placed} (geo_precision {prec or 'none'}); unplaced {self.unplaced}",
            "by status: " + ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items())),
        ]
        if self.blank_lines:
            lines.append(f"{self.blank_lines} blank line(s) skipped")
        for reason, n in sorted(self.unplaced_reasons.items(), key=lambda kv: -kv[1])[:10]:
            lines.append(f"  unplaced x{n}: {reason}")
        if self.n_issues:
            lines.append(f"{self.n_issues} problem(s):")
            lines += [f"  {issue}" for issue in self.issues[:20]]
            if self.n_issues > 20:
                lines.append(f"  ... and {self.n_issues - 20} more (see the read_issues column)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


@dataclass(frozen=True)
class ReadProgress:
    """How far a table read has got, as passed to a ``progress`` callback.

    Reported as rows are read (each parser chunk) and again as they are finished
    (checked and geocoded), so a bar moves before the first chunk is done.

    Attributes
    ----------
    rows
        Data rows read so far.
    done
        Rows finished so far (``done <= rows``).
    total
        All data rows: exact for a data frame, a Parquet file or a sheet;
        estimated from the bytes read for a text file (``~``); None if unknown.
    fraction
        Share of the input read, 0..1 (None if unknown).
    """

    rows: int
    done: int
    total: int | None
    fraction: float | None


@dataclass(frozen=True)
class ReadResult:
    """The events read from a table and the report; unpacks as ``events, report``."""

    events: gpd.GeoDataFrame
    report: ReadReport

    def __iter__(self) -> Iterator[Any]:
        return iter((self.events, self.report))


# --------------------------------------------------------------------------- reading tables


class _SeenIds:
    """Event ids seen in earlier chunks: 64-bit hash -> first line, and whether flagged.

    Memory is 17 bytes per distinct id (sorted numpy arrays), not the ids
    themselves; ids within one chunk are compared exactly, ids across chunks by
    their 64-bit hash (a collision, about 1 in 10^5 for 16 million distinct ids, would
    report a false duplicate naming the other id's line). The hash is Python's,
    fixed for the life of the process, so one read's chunks all agree.
    """

    def __init__(self) -> None:
        import numpy as np

        self.keys = np.empty(0, dtype=np.uint64)
        self.lines = np.empty(0, dtype=np.int64)
        self.flagged = np.empty(0, dtype=bool)

    def check(self, events: gpd.GeoDataFrame) -> tuple[list[RowIssue], list[RowIssue]]:
        """Flag duplicate ids in ``events`` (in place).

        Returns the issues for rows of ``events`` and those for rows of earlier
        chunks (the first occurrence of an id repeated now, flagged once).
        """
        import numpy as np
        import pandas as pd

        ids = events["event_id_cnty"]
        present = ids.notna().to_numpy(dtype=bool)
        if not present.any():
            return [], []
        values = ids[present]
        lines = events["source_line"][present].to_numpy(dtype=np.int64, na_value=-1)
        codes, uniques = pd.factorize(values, sort=False)
        n = len(uniques)
        counts = np.bincount(codes, minlength=n)
        first_in_chunk = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first_in_chunk, codes, lines)
        first_row = np.full(n, len(codes), dtype=np.int64)
        np.minimum.at(first_row, codes, np.arange(len(codes)))
        # Python's own 64-bit string hash (SipHash), the same for a value throughout
        # the process: one C call per distinct id, no object array
        keys = np.fromiter(map(hash, uniques.tolist()), dtype=np.int64, count=n).view(np.uint64)
        ranked = np.argsort(keys)  # sorted queries walk the sorted keys in order
        pos = np.empty(n, dtype=np.int64)
        pos[ranked] = np.searchsorted(self.keys, keys[ranked])
        safe = np.minimum(pos, max(len(self.keys) - 1, 0))
        seen = (pos < len(self.keys)) & (self.keys[safe] == keys) if len(self.keys) else (
            np.zeros(n, dtype=bool)
        )  # fmt: skip
        first_line = np.where(seen, self.lines[safe] if len(self.keys) else 0, first_in_chunk)
        dup_u = seen | (counts > 1)
        earlier: list[RowIssue] = []
        late = seen & ~self.flagged[safe] if len(self.keys) else seen
        for u in np.flatnonzero(late):
            value = values.iloc[first_row[u]]
            line = int(first_line[u])
            earlier.append(
                RowIssue(line, "event_id_cnty", f"duplicate id {value!r} (first on line {line})")
            )
        if late.any():
            self.flagged[safe[late]] = True
        new = ~seen
        if new.any():
            order = np.argsort(keys[new], kind="stable")
            add_keys = keys[new][order]
            at = np.searchsorted(self.keys, add_keys)
            self.keys = np.insert(self.keys, at, add_keys)
            self.lines = np.insert(self.lines, at, first_in_chunk[new][order])
            self.flagged = np.insert(self.flagged, at, (counts[new] > 1)[order])
        dup_rows = dup_u[codes]
        if not dup_rows.any():
            return [], earlier
        issues = []
        texts = []
        row_lines = events["source_line"][present][dup_rows]
        for line, value, first in zip(
            row_lines, values[dup_rows], first_line[codes][dup_rows], strict=True
        ):
            msg = f"duplicate id {value!r} (first on line {first})"
            issues.append(RowIssue(int(line) if pd.notna(line) else None, "event_id_cnty", msg))
            texts.append(f"event_id_cnty: {msg}")
        labels = values.index[dup_rows]
        add = pd.Series(texts, index=labels, dtype="string")
        prev = events.loc[labels, "read_issues"]
        events.loc[labels, "read_issues"] = (prev + "; " + add).fillna(add)
        return issues, earlier


class _Tally:
    """Running counts behind a :class:`ReadReport`."""

    def __init__(self) -> None:
        self.rows = 0
        self.by_precision: Counter[int | None] = Counter()
        self.by_status: Counter[str] = Counter()
        self.reasons: Counter[str] = Counter()
        self.issues: list[RowIssue] = []
        self.n_issues = 0

    def add_rows(self, events: gpd.GeoDataFrame) -> None:
        status = events["geocode_status"].astype("string").fillna("unmatched")
        placed = status != "unmatched"
        prec = events.loc[placed, "geo_precision"]
        for k, v in prec.value_counts(dropna=True).items():
            self.by_precision[int(cast(int, k))] += int(v)
        n_unstated = int(prec.isna().sum())
        if n_unstated:
            self.by_precision[None] += n_unstated
        for k, v in status.value_counts().items():
            self.by_status[str(k)] += int(v)
        reasons = events.loc[~placed, "geocode_reason"].astype("string")
        for k, v in reasons.fillna("no reason recorded").value_counts().items():
            self.reasons[str(k)] += int(v)
        self.rows += len(events)

    def add_issues(self, issues: Sequence[RowIssue]) -> None:
        self.n_issues += len(issues)
        room = _MAX_ISSUES_KEPT - len(self.issues)
        if room > 0:
            self.issues.extend(issues[:room])

    def report(self, path: str, format: str, encoding: str, blank_lines: int) -> ReadReport:
        return ReadReport(path, format, encoding, self.rows, dict(self.by_precision),
                          dict(self.by_status), dict(self.reasons), tuple(self.issues),
                          self.n_issues, blank_lines)  # fmt: skip


class EventChunks(Iterator["gpd.GeoDataFrame"]):
    """The events of a table, one GeoDataFrame per chunk, and the running report.

    Returned by :func:`iter_events`; iterate it (once) to get the chunks. Each chunk
    has the columns and dtypes :func:`events_from_table` returns (categorical columns
    carry that chunk's categories), rows in file order, and an index that
    continues from the previous chunk, so ``pd.concat(list(chunks))`` has the rows
    and index of :func:`events_from_table`' frame.

    Attributes
    ----------
    path, format, encoding
        The file, its table format and how it was decoded.
    spec
        The column mapping used (:class:`TableSpec`).
    report
        A :class:`ReadReport` of the rows yielded so far; complete once the
        iterator is exhausted.
    chunk_report
        A :class:`ReadReport` of the last chunk alone: its rows and the problems
        found while reading it (None before the first chunk).
    earlier_row_issues
        Problems found about rows yielded in an earlier chunk: the first
        occurrence of an event id repeated in a later chunk. They are counted in
        ``report`` (and ``chunk_report`` of the chunk that found them), but those
        rows' ``read_issues`` were already yielded without them;
        :func:`events_from_table` adds them to its frame.
    """

    def __init__(
        self,
        path: Path,
        *,
        chunks: Iterator[RawChunk],
        columns: list[str],
        spec: TableSpec,
        encoding: str,
        file_issues: list[RowIssue],
        gazetteer: Gazetteer | None,
        on_error: OnError,
        progress: Callable[[ReadProgress], None] | None,
        max_rows: int | None = None,
        size: int | None = None,
        total_rows: int | None = None,
        cache: GeocodeCache | None = None,
    ) -> None:
        self.path = path
        self._cache = cache
        self.format = spec.format
        self.encoding = encoding
        self.spec = spec
        self.chunk_report: ReadReport | None = None
        self.earlier_row_issues: list[RowIssue] = []
        self._chunks = chunks
        self._columns = columns
        self._blank = 0
        self._gazetteer = gazetteer
        self._on_error = on_error
        self._progress = progress
        self._max_rows = max_rows
        self._size = size
        self._total_rows = total_rows
        self._rows_read = 0
        self._fraction: float | None = None
        self._tally = _Tally()
        self._file_issues = file_issues
        self._events: Generator[gpd.GeoDataFrame, None, None] = self._run()

    @property
    def report(self) -> ReadReport:
        """The report of the rows yielded so far (complete once exhausted)."""
        return self._tally.report(
            printable_path(self.path), self.format, self.encoding, self._blank
        )

    def __next__(self) -> gpd.GeoDataFrame:
        return next(self._events)

    def __iter__(self) -> EventChunks:
        return self

    def close(self) -> None:
        """Stop reading and close the file (iteration ends)."""
        self._events.close()

    def _handle(self, new: list[RowIssue]) -> None:
        self._tally.add_issues(new)
        if not new or self._on_error == "keep":
            return
        if self._on_error == "raise":
            shown = "\n".join(f"- {i}" for i in new[:20])
            message = (
                f"{printable_path(self.path)}: {len(new)} problem(s) reading the table:\n{shown}"
            )
        else:
            more = f" (and {len(new) - 5} more)" if len(new) > 5 else ""
            message = f"{printable_path(self.path)}: {'; '.join(map(str, new[:5]))}{more}"
        apply_on_error(self._on_error, message, warning=ReadWarning, stacklevel=3)

    def _report_progress(self, raw: RawChunk | None = None, *, end: bool = False) -> None:
        """Tell the progress callback how far the read is (``raw``: a chunk just read)."""
        if self._progress is None:
            return
        if end:  # everything read and done
            rows = self._tally.rows
            self._progress(ReadProgress(rows, rows, rows, 1.0))
            return
        if raw is not None:
            self._rows_read += len(raw.frame)
            if self._size and raw.consumed is not None:
                self._fraction = min(1.0, raw.consumed / self._size)
        total = self._total_rows
        if total is None and self._fraction:
            total = max(self._rows_read, round(self._rows_read / self._fraction))
        self._progress(ReadProgress(self._rows_read, self._tally.rows, total, self._fraction))

    def _check_rows(self, rows: int) -> None:
        if self._max_rows is not None and self._tally.rows + rows > self._max_rows:
            raise InputTooLargeError(
                f"{printable_path(self.path)}: the table has more than {self._max_rows:,} rows "
                f"(max_rows={self._max_rows}); pass a larger max_rows= (or max_rows=None for "
                "no limit) to read it"
            )

    def _run(self) -> Generator[gpd.GeoDataFrame, None, None]:
        import pandas as pd

        self._handle(self._file_issues)
        cache = self._cache if self._cache is not None else GeocodeCache()
        seen = _SeenIds()
        try:
            for raw in self._chunks:
                self._blank += raw.blank
                if len(raw.frame) == 0 and not raw.issues:
                    continue
                self._check_rows(len(raw.frame))
                self._report_progress(raw)
                gdf, issues = chunk_events(raw.frame, self.spec, self._gazetteer, cache)
                if raw.notes is not None:
                    notes, previous = raw.notes, gdf["read_issues"]
                    gdf["read_issues"] = (notes + "; " + previous).fillna(notes).fillna(previous)
                    issues = [*raw.issues, *issues]
                gdf.index = pd.RangeIndex(self._tally.rows, self._tally.rows + len(gdf))
                row_issues, earlier = seen.check(gdf)
                self.earlier_row_issues.extend(earlier)
                new = [*issues, *row_issues, *earlier]
                chunk_tally = _Tally()
                chunk_tally.add_rows(gdf)
                chunk_tally.add_issues(new)
                self.chunk_report = chunk_tally.report(
                    printable_path(self.path), self.format, self.encoding, raw.blank
                )
                self._handle(new)
                self._tally.add_rows(gdf)
                self._report_progress()
                logger.debug("read %d rows from %s", len(gdf), printable_path(self.path))
                if len(gdf):
                    yield gdf
            self._report_progress(end=True)
        finally:
            close = getattr(self._chunks, "close", None)
            if close is not None:
                close()


def _empty(path: Path, empty: EmptyTable, on_error: OnError) -> _EmptyChunks:
    message = f"{printable_path(path)}: {empty.what}"
    apply_on_error(on_error, message, warning=ReadWarning, stacklevel=4)
    return _EmptyChunks(path, empty.format, empty.encoding, RowIssue(None, None, empty.what))


def _no_chunks() -> Generator[gpd.GeoDataFrame, None, None]:
    yield from ()


class _EmptyChunks(EventChunks):
    """The chunks of an empty file: none, and a report with one file issue."""

    def __init__(self, path: Path, format: str, encoding: str, issue: RowIssue) -> None:
        self.path = path
        self.format = format
        self.encoding = encoding
        self.spec = TableSpec(format=format)
        self.earlier_row_issues = []
        self._blank = 0
        self._tally = _Tally()
        self._tally.add_issues([issue])
        self.chunk_report = None
        self._events = _no_chunks()

    def close(self) -> None:
        """Nothing to close."""


def iter_events(
    source: str | Path | pd.DataFrame,
    *,
    options: ReadOptions | None = None,
    gazetteer: Gazetteer | None = None,
    progress: Callable[[ReadProgress], None] | None = None,
    cache: GeocodeCache | None = None,
    **overrides: Any,
) -> EventChunks:
    """Read an event table chunk by chunk, with memory bounded by the chunk size.

    Takes the options of :func:`events_from_table` and reads the same way, but
    yields one events GeoDataFrame per chunk instead of concatenating them: a
    large CSV/TSV is never held in memory at once. ``events_from_table`` is the
    concatenation of these chunks. XLSX and Parquet files (and data frames) are
    read whole, then sliced into chunks.

    Parameters
    ----------
    source, options, gazetteer, progress, cache, **overrides
        As for :func:`events_from_table`. With ``on_error="raise"`` the error is raised
        while iterating, at the first chunk with a problem; so is
        :class:`~geo_events.errors.InputTooLargeError` for a text file with more
        than ``max_rows`` rows (before the chunk that crosses the limit is yielded).
        A chunk (``chunksize`` rows, default 250,000) may hold somewhat more rows
        than that (records the parser skipped, re-read next to their neighbours) or
        fewer (blank lines); chunks with no rows are not yielded.

    Returns
    -------
    EventChunks
        An iterator of GeoDataFrames (file order, every input row exactly once)
        with the running :attr:`~EventChunks.report`, the
        :attr:`~EventChunks.chunk_report` of the last chunk and the
        :attr:`~EventChunks.earlier_row_issues`.

    Raises
    ------
    InputError
        As for :func:`events_from_table`; file-level problems (missing file, unknown
        format, missing columns, a file over ``max_bytes``) are raised by this
        call, row problems with ``on_error="raise"`` while iterating.

    Notes
    -----
    Memory: one chunk, the geocode cache (one row per distinct place) and, for
    tables with event ids, 17 bytes per distinct id to find duplicates. A
    duplicate id is flagged on every occurrence, as by :func:`events_from_table`,
    except that the first occurrence, when yielded in an earlier chunk, cannot be
    changed any more: it is listed in :attr:`~EventChunks.earlier_row_issues`
    instead (and in the report).

    Examples
    --------
    >>> chunks = iter_events("acled_export.csv", chunksize=100_000)  # doctest: +SKIP
    >>> for events in chunks:  # doctest: +SKIP
    ...     print(len(events), chunks.chunk_report.placed)
    >>> print(chunks.report.summary())  # doctest: +SKIP
    """
    import pandas as pd

    opts = read_options(options, overrides)
    frame: pd.DataFrame | None = None
    if isinstance(source, pd.DataFrame):
        frame, path = source, Path("<data frame>")
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{printable_path(path)}: no such file")
    else:
        raise InputError(
            f"source must be a file name (str or Path) or a DataFrame, not {type(source).__name__}"
        )
    opened: OpenedTable | EmptyTable
    if frame is not None:
        opened = open_frame(frame, chunksize=opts.rows_per_chunk, max_rows=opts.max_rows)
        opened.format = opts.format
    else:
        opened = open_table(path, opts)
    if isinstance(opened, EmptyTable):
        return _empty(path, opened, opts.on_error)
    columns = opened.columns
    format = opened.format
    try:
        if format is None:
            format = sniff_format(columns)
        if format == "gdelt":
            missing = [c for c in GDELT_COLUMNS if c not in columns]
            if missing:
                raise InputError(f"{path}: GDELT columns missing: {', '.join(missing)}")
        spec = table_spec(columns, format, **opts.columns.named(), fuzzy=opts.fuzzy)
    except BaseException:
        close = getattr(opened.chunks, "close", None)
        if close is not None:
            close()
        raise
    if format == "acled":
        spec = replace(spec, fuzzy=opts.fuzzy)
    return EventChunks(
        path,
        chunks=opened.chunks,
        columns=columns,
        spec=spec,
        encoding=opened.encoding,
        file_issues=opened.file_issues,
        gazetteer=gazetteer,
        on_error=opts.on_error,
        progress=progress,
        max_rows=opts.max_rows,
        size=opened.size,
        total_rows=opened.rows,
        cache=cache,
    )


def events_from_table(
    source: str | Path | pd.DataFrame,
    *,
    options: ReadOptions | None = None,
    gazetteer: Gazetteer | None = None,
    progress: Callable[[ReadProgress], None] | None = None,
    cache: GeocodeCache | None = None,
    **overrides: Any,
) -> gpd.GeoDataFrame:
    """Read an event table (ACLED, GDELT, UCDP or any table with a place column) as events.

    Every value is checked and rows without usable coordinates are geocoded
    through the gazetteer; no row is lost (see the module's notes). The
    :class:`ReadReport` of what happened to every row is ``gdf.attrs["report"]``.

    Parameters
    ----------
    source
        A CSV/TSV/TXT file (GDELT exports included), an XLSX file, a Parquet file, or
        a pandas DataFrame / GeoDataFrame of such a table (rows are numbered from 1;
        a GeoDataFrame's points give the coordinates).
    options
        How to read it: a :class:`~geo_events.io.read_options.ReadOptions` (the format,
        the table's column names as :class:`~geo_events.io.read_options.TableColumns`,
        chunk size, error policy, encoding, sheet, fuzzy matching, size limits).
    gazetteer
        Gazetteer for rows without coordinates; default the default gazetteer.
    progress
        Called with a :class:`ReadProgress` as rows are read and finished (rows
        so far, the total, exact or estimated from the bytes read, the share read).
    cache
        A :class:`GeocodeCache` to keep the place answers in across reads with the same
        gazetteer (default: one for this read); the results are the same either way.
    **overrides
        Single options of :class:`~geo_events.io.read_options.ReadOptions` overriding
        ``options``; column names may be given flat (``location="town"``,
        ``lat="y"``), as may ``format``, ``on_error``, ``chunksize``, ``encoding``,
        ``sheet_name``, ``fuzzy``, ``max_bytes`` and ``max_rows``.

    Returns
    -------
    geopandas.GeoDataFrame
        The events, one row per input row, in input order; ``attrs["report"]``
        holds the :class:`ReadReport`.

    Raises
    ------
    InputError
        Unreadable file, unknown format, missing columns, a bad option, or
        (``on_error="raise"``) problems with rows.
    InputTooLargeError
        A table over ``max_bytes`` or ``max_rows`` (the message names the limit
        and the option that raises it).

    See Also
    --------
    iter_events : the same read, one chunk at a time (this is their concatenation).

    Examples
    --------
    >>> events = events_from_table("acled_export.csv")  # doctest: +SKIP
    >>> print(events.attrs["report"].summary())  # doctest: +SKIP
    >>> events_from_table(df, location="town", country="iso2")  # doctest: +SKIP
    """
    import pandas as pd

    from geo_events.events.schema import empty_events

    chunks = iter_events(source, options=options, gazetteer=gazetteer, progress=progress,
                         cache=cache, **overrides)  # fmt: skip
    try:
        parts = list(chunks)
    finally:
        chunks.close()
    if not parts:
        events = empty_events()
        events.attrs["report"] = chunks.report
        return events
    events = pd.concat(parts) if len(parts) > 1 else parts[0]
    del parts
    events = _unify_categories(events)
    if chunks.earlier_row_issues:
        texts = {i.line: f"{i.column}: {i.message}" for i in chunks.earlier_row_issues}
        hit = events["source_line"].isin(list(texts)).to_numpy(dtype=bool)
        add = pd.Series([texts[int(v)] for v in events.loc[hit, "source_line"]],
                        index=events.index[hit], dtype="string")  # fmt: skip
        events.loc[hit, "read_issues"] = (events.loc[hit, "read_issues"] + "; " + add).fillna(add)
    events.attrs["report"] = chunks.report
    return events


def read_events(path: str | Path, **options: Any) -> ReadResult:
    """Deprecated: use :func:`events_from_table` (the report is in ``gdf.attrs["report"]``).

    Kept for one release; returns ``ReadResult(events, report)`` as before, so
    ``events, report = read_events(path)`` still unpacks. ``geo_events.read_events``
    now reads geo_events' own files (:func:`geo_events.io.events_files.read_events`).
    """
    warnings.warn(
        "geo_events.io.tables.read_events is deprecated: use events_from_table(path_or_frame, "
        "...), which returns the events with the report in gdf.attrs['report']",
        DeprecationWarning,
        stacklevel=2,
    )
    events = events_from_table(path, **options)
    return ReadResult(events, events.attrs["report"])


def _unify_categories(events: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Chunks' categoricals with different categories concatenate as text: make them categorical."""
    from geo_events.events.schema import EVENTS_SCHEMA, category_values

    for column in EVENTS_SCHEMA:
        if column.dtype == "category":
            events[column.name] = category_values(events[column.name])
    return events
