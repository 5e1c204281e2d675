"""Event tables on dask: read, geocode and write partition by partition, on many processes.

Needs the optional extra: ``pip install "geo_events[dask]"`` (dask, distributed,
dask-geopandas); dask is imported only when one of these functions is called.

:func:`events_from_table` takes a dask DataFrame, a file, a glob of files or a list
of files and returns a lazy ``dask_geopandas.GeoDataFrame`` in the events schema.
Each partition is read by the one-process reader,
:func:`geo_events.io.tables.events_from_table`, in a worker, with the reader's
options passed to it untouched, and carries its own
:class:`~geo_events.io.tables.ReadReport` in ``attrs["report"]``. Then either

- :func:`compute_events` computes it into one GeoDataFrame, the same frame the
  one-process reader returns, with the partitions' reports merged
  (:func:`merge_reports`) in ``attrs["report"]``; or
- :func:`write_partitioned` writes it as hive-partitioned GeoParquet
  (``event_country=SY/event_year=2020/part-00003.parquet``) from the workers,
  never gathering it, and returns the merged report (also written as
  ``_report.json`` beside the data).

Any dask operation works on the lazy frame too (``events[events.fatalities > 0]``,
``groupby``...); ``events.compute()`` gives the rows, but dask's concatenation drops
the partitions' reports: use :func:`compute_events` for the report.

Decisions, written down:

- **Partitions.** A dask DataFrame keeps its partitions. A text file (CSV, TSV,
  TXT, GDELT exports) larger than ``blocksize`` is cut into blocks at record ends:
  at a line end outside quotes (the count of ``"`` before it is even; GDELT's
  unquoted format cuts at any line end). Each block is read in its worker as a file
  of its own (the header line, then the block, in a temporary file), by the same
  reader as the whole file, so ragged records, blank lines and bad values are
  treated exactly alike. Smaller files, Parquet and XLSX files are one partition
  each (give a large Parquet file as ``dask_geopandas.read_parquet(path)`` to split
  it by row group). A UTF-16 file is never cut.
- **Lines.** ``source_line`` is what the one-process reader says: the file's line
  (blocks are shifted by the lines before them, duplicate-id messages too), or for
  a dask DataFrame the row's position in the whole frame, from 1 (each partition
  is shifted by the lengths of those before it, a tiny task per partition). With
  several files a ``source_file`` column after the others names each row's file.
- **Encoding.** Sniffed once from the file's start, as the one-process reader does,
  and passed to the blocks after the first (unless ``encoding=`` is given).
- **Meta** (the columns and dtypes dask needs before computing) comes from reading
  a sample, not a partition: the first 64 KiB of a text file (cut at a record end),
  the first rows of a Parquet file or sheet, or dask's own made-up rows of a dask
  DataFrame; categorical columns are marked as of unknown categories (each
  partition keeps its own, sorted, as the reader does; :func:`compute_events`
  unifies them).
- **Duplicate ids** are flagged within a partition by the reader.
  :func:`compute_events` also flags those that repeat across partitions, as the
  one-process reader does across chunks; :func:`write_partitioned`, which never
  sees two partitions together, cannot (as :func:`~geo_events.io.tables.iter_events`
  cannot change rows it already yielded): it counts what each partition found.
- **The gazetteer** is resolved once on the client (the default one is built there
  if need be, never by several workers at once) and sent to the workers as one
  object of the graph: it pickles as its index's path and each worker reopens that
  index memory-mapped, once, shared by its tasks. On several machines the index
  must be at the same path on each (a shared file system, or the same cache built
  on each).
- **Options** go to the reader untouched, but for ``progress``, which a worker
  cannot call back: it is refused (use ``dask.diagnostics.ProgressBar`` or
  ``distributed.progress``). ``max_rows`` applies to each partition.
"""

from __future__ import annotations

import json
import operator
import os
import re
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from geo_events._dask import require, shared_gazetteer, shared_geocode_cache
from geo_events.errors import InputError
from geo_events.io.tables import ReadReport, RowIssue

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

__all__ = [
    "DEFAULT_BLOCKSIZE",
    "PARTITION_KEYS",
    "UNKNOWN_COUNTRY",
    "UNKNOWN_YEAR",
    "compute_events",
    "events_from_table",
    "merge_reports",
    "write_partitioned",
]

#: Bytes of a text file per partition (about 250,000 ACLED rows).
DEFAULT_BLOCKSIZE = 32 * 2**20
#: The hive directory keys :func:`write_partitioned` writes: the ISO2 country, the year.
PARTITION_KEYS = ("event_country", "event_year")
#: The ``event_country`` of events without a country code: ISO 3166's user-assigned code
#: that CLDR uses for an unknown region (a null key would not read back).
UNKNOWN_COUNTRY = "ZZ"
#: The ``event_year`` of events without a date (no event happened in year 0).
UNKNOWN_YEAR = 0
#: Problems kept in a merged report (as :class:`~geo_events.io.tables.ReadReport` keeps).
MAX_ISSUES_KEPT = 1000

_TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".tab"})
_SHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
_PARQUET_SUFFIXES = frozenset({".parquet", ".pq", ".geoparquet"})
_SAMPLE_BYTES = 1 << 16
_SCAN_BYTES = 1 << 24
_GLOB_CHARS = re.compile(r"[*?\[]")
_FIRST_LINE = re.compile(r"(duplicate id .*? \(first on line )(\d+)(\))")
_FRAME_PATH = "<data frame>"
_REPORT_FILE = "_report.json"


# --------------------------------------------------------------------------- the partitions


@dataclass(frozen=True)
class _Block:
    """One partition of a file: bytes ``start``..``stop`` (None: the whole file).

    ``first_line`` is the file's line at ``start``; ``header`` the bytes put
    before the block (the header record) when it does not start the file;
    ``encoding`` the one the blocks after the first are read with (None: sniffed).
    """

    path: str
    start: int = 0
    stop: int | None = None
    first_line: int = 1
    header: bytes = b""
    encoding: str | None = None
    source_file: str | None = None


def _read_block(block: _Block, gazetteer: Gazetteer, options: dict[str, Any]) -> gpd.GeoDataFrame:
    """The events of one block of a file, lines and report as the whole file's."""
    from geo_events.io import tables

    gazetteer = shared_gazetteer(gazetteer)

    if block.stop is None:
        events = tables.events_from_table(block.path, gazetteer=gazetteer,
                                          cache=shared_geocode_cache(gazetteer), **options)  # fmt: skip
        return _shifted(events, 0, block.path, block.source_file)
    original = Path(block.path)
    folder = tempfile.mkdtemp(prefix="geo_events-block-")
    try:
        part = Path(folder) / f"{original.stem}.from-line-{block.first_line}{original.suffix}"
        with open(original, "rb") as src, open(part, "wb") as dst:
            dst.write(block.header)
            src.seek(block.start)
            _copy(src, dst, block.stop - block.start)
        read = dict(options)
        if block.encoding is not None and _option(read, "encoding", None) is None:
            read["encoding"] = block.encoding
        try:
            events = tables.events_from_table(part, gazetteer=gazetteer,
                                              cache=shared_geocode_cache(gazetteer), **read)  # fmt: skip
        except InputError as err:
            raise type(err)(
                f"{block.path}, the block from line {block.first_line} (read as {part.name}; "
                f"its lines are the block's): {err}"
            ) from err
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    shift = block.first_line - (block.header.count(b"\n") + 1)
    return _shifted(events, shift, block.path, block.source_file)


def _copy(src: Any, dst: Any, n: int) -> None:
    while n > 0:
        data = src.read(min(n, _SCAN_BYTES))
        if not data:
            break
        dst.write(data)
        n -= len(data)


def _read_frame(frame: pd.DataFrame, offset: int, gazetteer: Gazetteer,
                options: dict[str, Any]) -> gpd.GeoDataFrame:  # fmt: skip
    """The events of one partition of a dask DataFrame, rows numbered as in the whole frame."""
    from geo_events.io import tables

    gazetteer = shared_gazetteer(gazetteer)

    events = tables.events_from_table(frame, gazetteer=gazetteer,
                                      cache=shared_geocode_cache(gazetteer), **options)  # fmt: skip
    return _shifted(events, int(offset), _FRAME_PATH, None)


def _shifted(
    events: gpd.GeoDataFrame, shift: int, path: str, source_file: str | None
) -> gpd.GeoDataFrame:
    """Events with ``source_line`` (and the report's lines) moved by ``shift``, named ``path``."""
    import pandas as pd

    report: ReadReport = events.attrs["report"]
    if shift:
        events["source_line"] = events["source_line"] + shift
        notes = events["read_issues"]
        hit = notes.str.contains("(first on line ", regex=False).fillna(False).to_numpy(bool)
        if hit.any():
            events.loc[hit, "read_issues"] = notes[hit].str.replace(
                _FIRST_LINE, lambda m: _moved(m, shift), regex=True
            )
    if source_file is not None:
        events["source_file"] = pd.array([source_file] * len(events), dtype="string")
    issues = [_issue_moved(issue, shift) for issue in report.issues]
    events.attrs["report"] = _report(report, path=path, issues=issues)
    return events


def _moved(match: re.Match[str], shift: int) -> str:
    return f"{match.group(1)}{int(match.group(2)) + shift}{match.group(3)}"


def _issue_moved(issue: RowIssue, shift: int) -> RowIssue:
    if not shift or issue.line is None:
        return RowIssue(*issue)
    message = _FIRST_LINE.sub(lambda m: _moved(m, shift), issue.message)
    return RowIssue(issue.line + shift, issue.column, message)


def _report(report: ReadReport, **changes: Any) -> ReadReport:
    """``report`` with some of its fields replaced (a report is read-only)."""
    fields: dict[str, Any] = {
        "path": report.path, "format": report.format, "encoding": report.encoding,
        "rows_read": report.rows_read, "by_precision": report.by_precision,
        "by_status": report.by_status, "unplaced_reasons": report.unplaced_reasons,
        "issues": report.issues, "n_issues": report.n_issues, "blank_lines": report.blank_lines,
    }  # fmt: skip
    fields.update(changes)
    return ReadReport(**fields)


# --------------------------------------------------------------------------- cutting files


def _record_end(data: bytes, start: int, quotes_before: int, quoted: bool) -> int | None:
    """The first line end at or after ``start`` outside quotes (index of its LF), or None.

    ``quotes_before`` counts the ``"`` in ``data`` before ``start`` (and before
    ``data``): a line end with an even count before it is not inside a quoted field
    (a doubled quote inside a field counts two).
    """
    at = data.find(b"\n", start)
    if not quoted:
        return at if at >= 0 else None
    count, pos = quotes_before, start
    while at >= 0:
        count += data.count(b'"', pos, at)
        if count % 2 == 0:
            return at
        pos = at
        at = data.find(b"\n", at + 1)
    return None


def _blocks(path: Path, blocksize: int, *, quoted: bool, header: bool) -> list[tuple[int, int]]:
    """Where the blocks of a text file start: (byte offset, line) pairs, the first (0, 1).

    One pass over the file in 16 MiB pieces, counting line ends and quotes: a block
    starts after the first record end at or past ``blocksize`` bytes from the last.
    """
    size = path.stat().st_size
    starts = [(0, 1)]
    target = blocksize
    if header:  # the first block holds the header and at least its own rows
        end = _record_end(_header_bytes(path, quoted), 0, 0, quoted)
        if end is None:
            return starts
        target = max(target, end + 1)
    base, lines, quotes = 0, 1, 0  # at the start of the piece being read
    with open(path, "rb") as handle:
        while target < size:
            piece = handle.read(_SCAN_BYTES)
            if not piece:
                break
            while target < base + len(piece):
                local = max(target - base, 0)
                before = quotes + piece.count(b'"', 0, local) if quoted else 0
                end = _record_end(piece, local, before, quoted)
                if end is None:  # no record end in this piece: look on in the next
                    break
                start = base + end + 1
                if start >= size:
                    target = size
                    break
                starts.append((start, lines + piece.count(b"\n", 0, end + 1)))
                target = start + blocksize
            base += len(piece)
            lines += piece.count(b"\n")
            quotes += piece.count(b'"') if quoted else 0
    return starts


def _header_bytes(path: Path, quoted: bool) -> bytes:
    """The file's first record with its line end (and the BOM, if any)."""
    with open(path, "rb") as handle:
        first = handle.read(_SCAN_BYTES)
    end = _record_end(first, 0, 0, quoted)
    return first if end is None else first[: end + 1]


def _file_blocks(
    path: Path, blocksize: int | None, gazetteer: Gazetteer, options: dict[str, Any],
    source_file: str | None,
) -> list[_Block]:  # fmt: skip
    """The partitions of one file (one block unless a text file is larger than ``blocksize``)."""
    from geo_events.io import tables

    whole = [_Block(str(path), source_file=source_file)]
    if (
        blocksize is None
        or path.suffix.lower() not in _TEXT_SUFFIXES
        or path.stat().st_size <= blocksize
    ):
        return whole
    # the one-process reader's own view of the file: format, encoding (no rows read)
    probe = tables.iter_events(path, gazetteer=gazetteer, **options)
    try:
        fmt, encoding = probe.format, probe.encoding
    finally:
        probe.close()
    if encoding.lower().replace("_", "-").startswith("utf-16"):
        return whole
    quoted = fmt != "gdelt"
    first_line = _header_bytes(path, quoted)
    first_field = re.split(rb"[\t,;|]", first_line.lstrip(b"\xef\xbb\xbf"), maxsplit=1)[0]
    has_header = quoted or first_field.strip() == b"GLOBALEVENTID"
    starts = _blocks(path, blocksize, quoted=quoted, header=has_header)
    if len(starts) == 1:
        return whole
    header = first_line if has_header else b""
    stops = [s for s, _ in starts[1:]] + [path.stat().st_size]
    blocks = []
    for (start, line), stop in zip(starts, stops, strict=True):
        first = start == 0
        blocks.append(_Block(str(path), start=start, stop=stop, first_line=line,
                             header=b"" if first else header,
                             encoding=None if first else encoding,
                             source_file=source_file))  # fmt: skip
    return blocks


def _paths(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    import glob

    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        if _GLOB_CHARS.search(text) and not Path(text).exists():
            found = sorted(glob.glob(text, recursive=True))
            files = [Path(f) for f in found if Path(f).is_file()]
            if not files:
                raise InputError(f"{text}: no files match")
            return files
        paths = [Path(text)]
    else:
        paths = [Path(os.fspath(p)) for p in source]
        if not paths:
            raise InputError("no files to read (an empty list)")
    for path in paths:
        if path.is_dir():
            raise InputError(f"{path}: a folder; give a glob of its files (e.g. {path}/*.csv)")
        if not path.is_file():
            raise InputError(f"{path}: no such file")
    return paths


# --------------------------------------------------------------------------- meta


def _meta_from_sample(path: Path, gazetteer: Gazetteer, options: dict[str, Any]) -> Any:
    """The events of the first rows of ``path`` (columns and dtypes, as its partitions').

    Problems in the sample are kept, not raised or warned about: the partitions'
    reads report them (once) under the caller's ``on_error``.
    """
    from geo_events.io import tables

    options = {**options, "on_error": "keep"}
    suffix = path.suffix.lower()
    if suffix in _SHEET_SUFFIXES:
        return tables.events_from_table(_sheet_sample(path, options), gazetteer=gazetteer,
                                        **_without(options, "sheet_name"))  # fmt: skip
    folder = tempfile.mkdtemp(prefix="geo_events-sample-")
    try:
        sample = Path(folder) / f"sample{suffix}"
        if suffix not in _PARQUET_SUFFIXES:  # text, as the reader decides
            with open(path, "rb") as handle:
                data = handle.read(_SAMPLE_BYTES)
            if len(data) == _SAMPLE_BYTES:  # cut at the last record end outside quotes
                cut = data.rfind(b"\n")
                while cut >= 0 and data.count(b'"', 0, cut) % 2:
                    cut = data.rfind(b"\n", 0, cut)
                data = data[: cut + 1] if cut >= 0 else data
            sample.write_bytes(data)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            parquet = pq.ParquetFile(path)
            batch = next(parquet.iter_batches(batch_size=5), None)
            schema = parquet.schema_arrow
            table = (
                pa.Table.from_batches([batch]).replace_schema_metadata(schema.metadata)
                if batch is not None
                else schema.empty_table()
            )
            pq.write_table(table, sample)
        return tables.events_from_table(sample, gazetteer=gazetteer, **options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sheet_sample(path: Path, options: dict[str, Any]) -> pd.DataFrame:
    """The header and first rows of a sheet as the reader sees them (object values)."""
    import pandas as pd

    try:
        raw = pd.read_excel(path, sheet_name=_option(options, "sheet_name", 0), header=None,
                            dtype=object, nrows=6)  # fmt: skip
    except Exception as err:  # openpyxl raises many types
        raise InputError(f"{path}: cannot read as a spreadsheet: {err}") from err
    if len(raw) == 0:
        return pd.DataFrame()
    names: list[str] = []
    for i, value in enumerate(raw.iloc[0]):
        name = ("" if value is None or value != value else str(value)).strip() or f"Unnamed: {i}"
        base, k = name, 0
        while name in names:
            k += 1
            name = f"{base}.{k}"
        names.append(name)
    frame: pd.DataFrame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = pd.Index(names)
    return frame


def _as_meta(events: gpd.GeoDataFrame, source_file: bool) -> gpd.GeoDataFrame:
    """An empty frame of ``events``' columns and dtypes, categories marked unknown."""
    import pandas as pd
    from dask.dataframe.utils import clear_known_categories

    meta = events.iloc[:0].copy()
    meta.attrs.clear()
    if source_file and "source_file" not in meta.columns:
        meta["source_file"] = pd.array([], dtype="string")
    return cast("gpd.GeoDataFrame", clear_known_categories(meta))  # type: ignore[no-untyped-call]


def _option(options: Mapping[str, Any], name: str, default: Any) -> Any:
    """A reader option as given: a keyword, else a field of an ``options=`` object."""
    if options.get(name) is not None:
        return options[name]
    return getattr(options.get("options"), name, default)


def _without(options: Mapping[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in options.items() if k not in names}


def _gazetteer(options: dict[str, Any]) -> Gazetteer:
    gazetteer = options.pop("gazetteer", None)
    if gazetteer is None:
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    return cast("Gazetteer", gazetteer)


# --------------------------------------------------------------------------- public API


def events_from_table(
    source: Any,
    *,
    blocksize: int | None = DEFAULT_BLOCKSIZE,
    **options: Any,
) -> Any:
    """Read an event table on dask: a lazy ``dask_geopandas.GeoDataFrame`` of events.

    Parameters
    ----------
    source
        A dask DataFrame (or dask-geopandas GeoDataFrame) of a table; a file (CSV,
        TSV, TXT, XLSX, Parquet); a glob of files (``"gdelt/2024*.CSV"``); or a list
        of files. Several files are read one after the other, as one table, with a
        ``source_file`` column naming each row's file.
    blocksize
        Bytes of a text file per partition (default 32 MiB); a larger file is cut at
        record ends. None: one partition per file.
    **options
        The options of :func:`geo_events.io.tables.events_from_table`
        (``format``, ``location``, ``gazetteer``, ``on_error``...), passed to it for
        every partition as they are; ``progress`` is refused (a worker cannot call
        it back: use ``dask.diagnostics.ProgressBar`` or ``distributed.progress``).

    Returns
    -------
    dask_geopandas.GeoDataFrame
        The events, lazily, in input order, one row per input row. Each computed
        partition has its :class:`~geo_events.io.tables.ReadReport` in
        ``attrs["report"]``; :func:`compute_events` merges them,
        :func:`write_partitioned` writes the events and returns the merged report.

    Raises
    ------
    InputError
        A missing file, a glob matching none, a folder, ``progress=``; and what the
        reader raises at once for the first file (unknown format, missing columns).
    MissingDependencyError
        dask, distributed or dask-geopandas is not installed.

    Examples
    --------
    >>> from geo_events.io import dask_tables  # doctest: +SKIP
    >>> events = dask_tables.events_from_table("acled.csv", gazetteer=gaz)  # doctest: +SKIP
    >>> frame = dask_tables.compute_events(events)  # doctest: +SKIP
    >>> print(frame.attrs["report"].summary())  # doctest: +SKIP
    """
    import pandas as pd

    require("dask_geopandas")
    dask = require("dask")
    dd = require("dask.dataframe")
    if "progress" in options and options["progress"] is not None:
        raise InputError(
            "progress= cannot be called from dask workers; watch the computation with "
            "dask.diagnostics.ProgressBar() or distributed.progress() instead"
        )
    options = _without(options, "progress")
    gazetteer = _gazetteer(options)
    gaz = dask.delayed(gazetteer, pure=True)
    if isinstance(source, dd.DataFrame):
        from dask.dataframe.utils import meta_nonempty  # type: ignore[attr-defined]

        from geo_events.io import tables

        # dask's made-up rows ("foo" dates...): their problems are no one's
        sample = tables.events_from_table(meta_nonempty(source._meta), gazetteer=gazetteer,
                                          **{**options, "on_error": "keep"})  # fmt: skip
        meta = _as_meta(sample, source_file=False)
        parts = source.to_delayed()
        offsets: list[Any] = [0]
        for part in parts[:-1]:
            offsets.append(dask.delayed(operator.add)(offsets[-1], dask.delayed(len)(part)))
        read = dask.delayed(_read_frame)
        tasks = [read(p, o, gaz, options) for p, o in zip(parts, offsets, strict=True)]
        return dd.from_delayed(tasks, meta=meta, verify_meta=False)
    if isinstance(source, dd.Series | pd.DataFrame):
        raise InputError(
            "dask_tables.events_from_table takes a dask DataFrame or files; read a pandas "
            "DataFrame with geo_events.events_from_table, or dask.dataframe.from_pandas() it"
        )
    paths = _paths(source)
    several = len(paths) > 1
    blocks: list[_Block] = []
    for path in paths:
        blocks += _file_blocks(path, blocksize, gazetteer, options,
                               str(path) if several else None)  # fmt: skip
    meta = _as_meta(_meta_from_sample(paths[0], gazetteer, options), source_file=several)
    read = dask.delayed(_read_block)
    return dd.from_delayed([read(b, gaz, options) for b in blocks], meta=meta,
                           verify_meta=False)  # fmt: skip


def merge_reports(reports: Iterable[ReadReport], *, path: str | None = None) -> ReadReport:
    """One :class:`~geo_events.io.tables.ReadReport` of several reads (partitions, files).

    Counts add up; issues are kept in order, the first 1,000 (``n_issues`` counts all).

    Parameters
    ----------
    reports
        The reports, in input order.
    path
        What was read; default the reports' common path, else the first's
        ``"and N more"``.

    Examples
    --------
    >>> merged = merge_reports(p.attrs["report"] for p in partitions)  # doctest: +SKIP
    """
    reports = list(reports)
    by_precision: Counter[int | None] = Counter()
    by_status: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    issues: list[RowIssue] = []
    rows = n_issues = blank = 0
    for report in reports:
        rows += report.rows_read
        by_precision.update(report.by_precision)
        by_status.update(report.by_status)
        reasons.update(report.unplaced_reasons)
        room = MAX_ISSUES_KEPT - len(issues)
        if room > 0:
            issues.extend(RowIssue(*i) for i in report.issues[:room])
        n_issues += report.n_issues
        blank += report.blank_lines
    paths = list(dict.fromkeys(r.path for r in reports))
    if path is None:
        path = paths[0] if len(paths) == 1 else (
            f"{paths[0]} and {len(paths) - 1} more" if paths else _FRAME_PATH
        )  # fmt: skip
    formats = list(dict.fromkeys(r.format for r in reports)) or ["generic"]
    encodings = list(dict.fromkeys(r.encoding for r in reports)) or ["dataframe"]
    return ReadReport(
        path=path, format="+".join(formats), encoding="+".join(encodings), rows_read=rows,
        by_precision=dict(by_precision), by_status=dict(by_status),
        unplaced_reasons=dict(reasons), issues=issues, n_issues=n_issues, blank_lines=blank,
    )  # fmt: skip


def compute_events(events: Any, **compute_options: Any) -> gpd.GeoDataFrame:
    """Compute a lazy events frame into one GeoDataFrame, its report merged.

    The same frame :func:`geo_events.io.tables.events_from_table` returns for the
    same input: rows in input order under a fresh ``RangeIndex``, categories
    sorted and limited to the values present, and ids repeated across partitions
    flagged (in ``read_issues`` and the report) as the one-process reader flags
    them across chunks. It all has to fit in this process's memory; to keep it
    in the workers, write it out with :func:`write_partitioned`.

    Parameters
    ----------
    events
        What :func:`events_from_table` returned (filtered or not; each partition's
        report comes from its ``attrs["report"]``).
    **compute_options
        Passed to ``dask.compute`` (``scheduler=``...).

    Returns
    -------
    geopandas.GeoDataFrame
        The events; ``attrs["report"]`` is the merged
        :class:`~geo_events.io.tables.ReadReport`.
    """
    import pandas as pd

    dask = require("dask")
    parts = list(dask.compute(*events.to_delayed(), **compute_options))
    reports = [p.attrs["report"] for p in parts if "report" in p.attrs]
    sizes = [len(p) for p in parts]
    if not parts:
        frame = events._meta.copy()
    elif len(parts) == 1:
        frame = parts[0]
    else:
        frame = pd.concat(parts, ignore_index=True)
    del parts
    frame = frame.reset_index(drop=True)
    frame = _sorted_categories(frame)
    report = merge_reports(reports)
    if len(sizes) > 1 and "event_id_cnty" in frame.columns and "source_line" in frame.columns:
        report = _flag_duplicates_across(frame, sizes, report)
    frame.attrs["report"] = report
    return cast("gpd.GeoDataFrame", frame)


def _sorted_categories(frame: Any) -> Any:
    """Categorical columns with sorted categories, only those used (as one read gives)."""
    import pandas as pd

    from geo_events.events.schema import EVENTS_SCHEMA

    for column in EVENTS_SCHEMA:
        if column.dtype != "category" or column.name not in frame.columns:
            continue
        values = frame[column.name]
        text = values.astype("string")
        used = pd.Index(sorted(text.dropna().unique()), dtype=object)
        if isinstance(values.dtype, pd.CategoricalDtype) and values.cat.categories.equals(used):
            continue
        frame[column.name] = pd.Series(
            pd.Categorical(text.astype(object), categories=used), index=frame.index
        )
    return frame


def _flag_duplicates_across(frame: Any, sizes: list[int], report: ReadReport) -> ReadReport:
    """Flag ids repeated in more than one partition; return the report with the new issues.

    Rows already flagged (the id repeats within their partition) get the first line
    of the id in the whole input; the others get the reader's message.
    """
    import numpy as np
    import pandas as pd

    ids = frame["event_id_cnty"]
    dup = (ids.duplicated(keep=False) & ids.notna()).to_numpy(dtype=bool)
    if not dup.any():
        return report
    part = np.repeat(np.arange(len(sizes)), sizes)[dup]
    rows = pd.DataFrame({"id": ids[dup].to_numpy(dtype=object), "part": part,
                         "line": frame["source_line"][dup].to_numpy(dtype=object)},
                        index=frame.index[dup])  # fmt: skip
    if "source_file" in frame.columns:
        rows["file"] = frame["source_file"][dup].to_numpy(dtype=object)
    spans = rows.groupby("id", sort=False)["part"].transform("nunique")
    rows = rows[spans.to_numpy() > 1]
    if rows.empty:
        return report
    first = rows.groupby("id", sort=False).head(1).set_index("id")
    in_part = rows.groupby(["id", "part"], sort=False)["part"].transform("size").to_numpy()
    notes = frame["read_issues"]
    new: list[RowIssue] = []
    fixed: dict[str, str] = {}
    texts = []
    for label, value, n_in_part, line in zip(rows.index, rows["id"], in_part, rows["line"],
                                             strict=True):  # fmt: skip
        where = first.loc[value]
        at = f"{where['line']}" + (f" of {where['file']}" if "file" in rows.columns else "")
        message = f"duplicate id {value!r} (first on line {at})"
        if n_in_part > 1:  # flagged by the reader with the partition's first line
            old = notes.loc[label]
            prefix = f"duplicate id {value!r} (first on line "
            start = old.find(prefix)
            end = old.find(")", start + len(prefix))
            fixed[old[start : end + 1]] = message
            texts.append(old[:start] + message + old[end + 1 :])
        else:
            add = f"event_id_cnty: {message}"
            texts.append(add if pd.isna(notes.loc[label]) else f"{notes.loc[label]}; {add}")
            new.append(RowIssue(None if pd.isna(line) else int(line), "event_id_cnty", message))
    frame.loc[rows.index, "read_issues"] = pd.array(texts, dtype="string")
    issues = [RowIssue(i.line, i.column, fixed.get(i.message, i.message)) for i in report.issues]
    room = MAX_ISSUES_KEPT - len(issues)
    issues += new[: max(room, 0)]
    return _report(report, issues=issues, n_issues=report.n_issues + len(new))


# --------------------------------------------------------------------------- writing


def _write_part(frame: gpd.GeoDataFrame, root: str, number: int) -> ReadReport | None:
    """Write one partition under ``root`` by country and year; return its report.

    The rows are sorted by the two keys (stably, so each file keeps input order)
    and each run of one country-year is written as its own file by
    ``pyarrow.parquet.write_table`` (four times faster here than
    ``pyarrow.dataset.write_dataset`` for the many small files a partition makes).
    """
    import json as _json
    from urllib.parse import quote

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq
    from geopandas.io.arrow import _geopandas_to_arrow  # type: ignore[attr-defined]

    report = frame.attrs.get("report")
    if len(frame) == 0:
        return report
    plain = frame.copy()
    for name in plain.columns:
        if isinstance(plain[name].dtype, pd.CategoricalDtype):
            plain[name] = plain[name].astype("string")  # one schema in every file
    table = _geopandas_to_arrow(plain, index=False)
    del plain
    geo = _json.loads(table.schema.metadata[b"geo"])
    for column in geo.get("columns", {}).values():
        column.pop("bbox", None)  # the partition's box is not each file's
    table = table.replace_schema_metadata(
        {**table.schema.metadata, b"geo": _json.dumps(geo).encode()}
    )
    n = len(frame)
    if "country_code" in frame.columns:
        country = frame["country_code"].astype("string").fillna(UNKNOWN_COUNTRY)
    else:
        country = pd.Series([UNKNOWN_COUNTRY] * n, dtype="string")
    if "event_date" in frame.columns:
        dates = pd.to_datetime(frame["event_date"], errors="coerce")
    else:
        dates = pd.Series(pd.NaT, index=frame.index)
    keys = pd.DataFrame({
        "country": country.to_numpy(dtype=object),
        "year": dates.dt.year.astype("Int32").fillna(UNKNOWN_YEAR).to_numpy(dtype="int64"),
    })  # fmt: skip
    order = keys.sort_values(["country", "year"], kind="stable").index.to_numpy()
    table = table.take(pa.array(order))
    keys = keys.iloc[order].reset_index(drop=True)
    change = np.flatnonzero(
        (keys["country"].to_numpy()[1:] != keys["country"].to_numpy()[:-1])
        | (keys["year"].to_numpy()[1:] != keys["year"].to_numpy()[:-1])
    )
    starts = [0, *(change + 1).tolist()]
    stops = [*starts[1:], n]
    for start, stop in zip(starts, stops, strict=True):
        cc, year = keys["country"].iloc[start], int(keys["year"].iloc[start])
        folder = Path(root) / f"{PARTITION_KEYS[0]}={quote(str(cc), safe='')}" / (
            f"{PARTITION_KEYS[1]}={year}"
        )  # fmt: skip
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(start, stop - start), folder / f"part-{number:05d}.parquet")
    return report


def write_partitioned(
    events: Any, path: str | os.PathLike[str], *, overwrite: bool = False,
    **compute_options: Any,
) -> ReadReport:  # fmt: skip
    """Write lazy events as GeoParquet partitioned by country and year, from the workers.

    Hive-style directories, ``event_country=<ISO2>/event_year=<year>/part-*.parquet``
    (:data:`UNKNOWN_COUNTRY` ``ZZ`` and :data:`UNKNOWN_YEAR` ``0`` where the country code
    or the date is unknown); every file
    holds the events columns (categories as text) and is GeoParquet. Read it back with
    ``dask_geopandas.read_parquet(path)`` or ``geopandas.read_parquet(path)``
    (``event_country`` and ``event_year`` come back as two more columns; filter on them
    to read only some: ``filters=[("event_country", "==", "SY")]``). The merged report
    is returned and written beside the data as ``_report.json`` (which parquet readers
    skip). The data is written into a temporary sibling folder and moved into place
    when complete.

    Parameters
    ----------
    events
        What :func:`events_from_table` returned (filtered or not).
    path
        The folder to write; it must not exist, unless ``overwrite`` and it holds a
        dataset written here before (a ``_report.json``).
    overwrite
        Replace such a dataset.
    **compute_options
        Passed to ``dask.compute``.

    Returns
    -------
    ReadReport
        The partitions' reports merged (ids repeated across partitions are not
        counted: see the module's notes).
    """
    dask = require("dask")
    target = Path(path)
    ours = (target / _REPORT_FILE).is_file()
    if target.exists() and not (overwrite and ours):
        why = "pass overwrite=True to replace it" if ours else (
            "it is not a dataset geo_events wrote; choose a new folder"
        )  # fmt: skip
        raise InputError(f"{target}: already exists ({why})")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{uuid.uuid4().hex[:12]}.part"
    staging.mkdir()
    try:
        write = dask.delayed(_write_part)
        tasks = [write(p, str(staging), k) for k, p in enumerate(events.to_delayed())]
        reports = [r for r in dask.compute(*tasks, **compute_options) if r is not None]
        report = merge_reports(reports)
        (staging / _REPORT_FILE).write_text(json.dumps(report, indent=1), encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
