"""Reading table files: CSV/TSV in chunks, XLSX and Parquet whole.

Encoding and delimiter sniffing, the chunked text reader that numbers every row
with its line in the file and keeps ragged records (more or fewer fields than
the header) in their columns, the re-reader that counts their fields, the size
limits checked before parsing, and the readers that slice spreadsheets and
Parquet files into chunks. Each reader yields :class:`RawChunk` objects: raw
values plus ``source_line``, with a note for each ragged record. The public
reading API built on these is :mod:`geo_events.io.tables`.

Decisions, written down:

- **pandas never picks the index.** Text is read with ``index_col=False`` and our
  own column names (the header record parsed by :mod:`csv`, stripped; a blank
  name becomes ``Unnamed: i``, a repeated one ``name.1``), spreadsheets with
  ``header=None``, and a Parquet file's named index becomes a column. pandas'
  rule that a first data row one field longer than the header turns the first
  column into the index (shifting every value left) never applies.
- **Ragged records are kept, not skipped.** The C parser skips a record with more
  fields than the header (a warning names it) and pads one with fewer with empty
  values, which look like empty fields. The records that may be ragged, the
  skipped ones and the rows whose last column is empty, are re-read with
  :mod:`csv` (one forward pass, only as far as they go) to count their fields.
  Each is kept with its values in their columns as far as they go and a note
  naming the missing columns or quoting the extra values. When the first data
  record is wider than the header, pandas truncates every record up to that
  width without a word, so then every row is re-read.
- **Lines** are the file's: a record's line is its record number plus the
  newlines inside quoted fields of the records before it (a CR alone inside a
  quoted field is not a line end; CRLF is one).
- **Unparseable files** (an unterminated quoted field) are refused with one line
  naming the line where the trouble starts.
- **Size limits** are checked before parsing: a text file's size, an XLSX
  file's uncompressed size as its zip directory declares it (:mod:`zipfile`
  never inflates a member past its declared size, so a lying directory only
  gives a CRC error), a Parquet file's size in memory estimated from its footer
  (the pages' uncompressed size, or 8 bytes a cell if larger: dictionary and
  run-length encodings make a column of repeated values tiny) and its row count.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geo_events.errors import InputError, InputTooLargeError
from geo_events.io.read_options import ReadOptions
from geo_events.io.table_formats import GDELT_COLUMNS
from geo_events.io.table_values import RowIssue, may_contain, printable_path

if TYPE_CHECKING:
    import pandas as pd

SAMPLE_BYTES = 1 << 16
#: csv's quoting modes (QUOTE_MINIMAL, QUOTE_ALL, QUOTE_NONNUMERIC, QUOTE_NONE)
_Quoting = Literal[0, 1, 2, 3]
_SKIPPED = re.compile(r"Skipping line (\d+)")
_LOSS_WARNING = "Length of header or names does not match length of data"
_UNCLOSED = re.compile(r"EOF inside string starting at row (\d+)")
_FIELD_LIMIT = min(sys.maxsize, 2**31 - 1)
_ZIP_SUFFIXES = (".xlsx", ".xlsm")


@dataclass
class RawChunk:
    """Raw rows of one chunk: values (with ``source_line``), notes on ragged records.

    ``notes`` (aligned with ``frame``, NA where there is nothing to say) and
    ``issues`` describe records with more or fewer fields than the header;
    ``blank`` counts the empty lines and rows left out of ``frame``;
    ``consumed`` is how much of the input has been read once this chunk is
    (bytes of a text file, rows of a frame), for progress reports.
    """

    frame: pd.DataFrame
    notes: pd.Series | None = None
    issues: list[RowIssue] = field(default_factory=list)
    blank: int = 0
    consumed: int | None = None


@dataclass
class OpenedTable:
    """A table opened for reading: its columns, chunks and how it was decoded.

    ``size`` is the whole input in the unit of the chunks' ``consumed`` (None if
    unknown) and ``rows`` the number of data rows when known before reading.
    """

    columns: list[str]
    chunks: Iterator[RawChunk]
    encoding: str
    format: str | None = None
    file_issues: list[RowIssue] = field(default_factory=list)
    size: int | None = None
    rows: int | None = None


@dataclass(frozen=True)
class EmptyTable:
    """A table file with no rows to read: why (``what``), its format and encoding."""

    what: str
    format: str
    encoding: str


# the first bytes of files that are not delimited text, and what to say about them
_NOT_TEXT = {
    b"PK\x03\x04": "a zip archive (an XLSX workbook needs the .xlsx suffix; unzip a zipped table)",
    b"\x1f\x8b": "gzip-compressed (decompress it first)",
    b"PAR1": "a Parquet file (it needs the .parquet suffix)",
}


# --------------------------------------------------------------------------- limits


def _too_large(path: Path, what: str, size: int, limit: int, option: str, unit: str) -> None:
    raise InputTooLargeError(
        f"{printable_path(path)}: {what} is {size:,} {unit}, over the limit of {limit:,} {unit} "
        f"({option}={limit}); pass a larger {option}= (or {option}=None for no limit) to read it"
    )


def check_file_size(path: Path, max_bytes: int | None) -> None:
    """Refuse a file larger than ``max_bytes`` before anything is parsed."""
    if max_bytes is None:
        return
    size = path.stat().st_size
    if size > max_bytes:
        _too_large(path, "the file", size, max_bytes, "max_bytes", "bytes")


def _check_zip_size(path: Path, max_bytes: int | None) -> None:
    """Refuse a zip-based file (XLSX) whose members declare more than ``max_bytes``."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise InputError(
            f"{printable_path(path)}: not a valid XLSX file (a zip archive): {err}"
        ) from err
    if max_bytes is not None and size > max_bytes:
        _too_large(path, "the workbook uncompressed", size, max_bytes, "max_bytes", "bytes")


# --------------------------------------------------------------------------- sniffing


def sniff_encoding(sample: bytes) -> tuple[str, str | None]:
    """Return (encoding, note) for the start of a file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the sample is not an error
        if err.start < len(sample) - 4 or len(sample) < SAMPLE_BYTES:
            return "cp1252", f"the file is not UTF-8 (byte offset {err.start}); read as cp1252"
    return "utf-8", None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_line(sample: bytes, encoding: str) -> str:
    """The first line of a sample (split at CR/LF only, not at U+2028 and the like)."""
    text = sample.decode(encoding, errors="replace").lstrip("\ufeff")
    return re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]


def _column_names(fields: Sequence[object]) -> list[str]:
    """Column names from header cells: stripped, blanks named, repeats numbered."""
    names: list[str] = []
    seen: set[str] = set()
    for i, value in enumerate(fields):
        text = "" if value is None or value != value else str(value)
        name = (text.lstrip("\ufeff") if i == 0 else text).strip() or f"Unnamed: {i}"
        base, k = name, 0
        while name in seen:
            k += 1
            name = f"{base}.{k}"
        seen.add(name)
        names.append(name)
    return names


def _newlines(fields: Iterable[str]) -> int:
    return sum(f.count("\n") for f in fields)


def _ragged_note(fields: Sequence[str], names: Sequence[str]) -> str:
    n, k = len(names), len(fields)
    text = f"record has {k} field{'s' if k != 1 else ''}, expected {n}"
    if k > n:
        return f"{text}; extra values not in any column: {list(fields[n:])!r}"
    return f"{text}; no value for {', '.join(map(repr, names[k:]))}"


# --------------------------------------------------------------------------- csv re-reader

_raised_limits = [0, csv.field_size_limit()]  # open readers, the limit before the first


class _RecordReader:
    """Read records with :mod:`csv` by number, moving forward through the file once.

    The C parser's records (``Skipping line N`` counts records, header included)
    are the same as :mod:`csv`'s for the same delimiter and quoting, so record
    ``N`` here is record ``N`` there. Wanted records come in increasing order,
    chunk after chunk; one reader serves the whole read (a record behind the
    reader, never expected, reopens the file). While any reader is open the
    :mod:`csv` field size limit is raised, so a long quoted field is no error.
    """

    def __init__(self, path: Path, encoding: str, sep: str, quoting: _Quoting) -> None:
        self._args = (path, encoding, sep, quoting)
        self._handle: Any = None
        self._reader: Any = None
        self._number = 0

    def _open(self) -> None:
        path, encoding, sep, quoting = self._args
        self.close()
        if _raised_limits[0] == 0:
            _raised_limits[1] = csv.field_size_limit(_FIELD_LIMIT)
        _raised_limits[0] += 1
        self._handle = open(path, encoding=encoding, errors="replace", newline="")  # noqa: SIM115
        self._reader = csv.reader(self._handle, delimiter=sep, quoting=quoting)
        self._number = 0

    def records(self, wanted: Iterable[int]) -> dict[int, list[str]]:
        """Record number -> fields for the ``wanted`` record numbers found in the file."""
        targets = sorted(set(wanted))
        found: dict[int, list[str]] = {}
        if not targets:
            return found
        if self._reader is None or targets[0] <= self._number:
            self._open()
        try:
            for target in targets:
                skip = target - self._number - 1
                if skip > 0:
                    self._number += sum(1 for _ in islice(self._reader, skip))
                    if self._number < target - 1:
                        break
                fields = next(self._reader, None)
                if fields is None:
                    break
                self._number += 1
                found[target] = fields
        except csv.Error as err:
            path = self._args[0]
            raise InputError(
                f"{printable_path(path)}: cannot read record {self._number + 1}: {err}"
            ) from err
        return found

    def line_of(self, record: int) -> int:
        """The line where record ``record`` starts (reads from the start of the file)."""
        self._open()
        line = 1
        for fields in islice(self._reader, record - 1):
            line += 1 + _newlines(fields)
        self.close()
        return line

    def close(self) -> None:
        """Close the file (if open)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._reader = None
            _raised_limits[0] -= 1
            if _raised_limits[0] == 0:
                csv.field_size_limit(_raised_limits[1])


# --------------------------------------------------------------------------- delimited text


class _DelimitedText:
    """A delimited text file: its column names and its records as raw chunks.

    ``names`` given (GDELT exports have no header) means every record is data;
    otherwise the first record is the header.
    """

    def __init__(
        self, path: Path, *, encoding: str, sep: str, quoting: _Quoting, names: list[str] | None
    ) -> None:
        self.path = path
        self.encoding = encoding
        self.sep = sep
        self.quoting = quoting
        reader = _RecordReader(path, encoding, sep, quoting)
        try:
            start = reader.records([1, 2])
        finally:
            reader.close()
        if names is None:
            header = start.get(1) or []
            if not any(f.strip() for f in header):
                raise InputError(
                    f"{printable_path(path)}: line 1 is blank; the first line must be the header "
                    "(the column names)"
                )
            self.names = _column_names(header)
            self.first_record = 2
            self.header_newlines = _newlines(header)
        else:
            self.names = list(names)
            self.first_record = 1
            self.header_newlines = 0
        first = start.get(self.first_record)
        # pandas sizes every row by the first data record when it is wider than the header
        self.wide_first = first is not None and len(first) > len(self.names)

    def chunks(self, chunksize: int) -> Iterator[RawChunk]:
        """The records as raw chunks of about ``chunksize`` rows, in file order."""
        import pandas as pd

        kwargs: dict[str, Any] = {
            "sep": self.sep,
            "header": 0 if self.first_record == 2 else None,
            "names": self.names,
            "index_col": False,
            "dtype": "string",
            "keep_default_na": False,
            "na_values": [""],
            "skip_blank_lines": False,
            "on_bad_lines": "warn",
            "encoding": self.encoding,
            "encoding_errors": "replace",
            "chunksize": chunksize,
            "engine": "c",
            "quoting": self.quoting,
        }
        rereader = _RecordReader(self.path, self.encoding, self.sep, self.quoting)
        state = {"next_record": self.first_record, "extra_lines": self.header_newlines}
        parse_errors = (pd.errors.ParserError, UnicodeError, ValueError)
        try:
            try:  # the parser reads the header and the first rows right away
                opened = pd.read_csv(self.path, **kwargs)
            except parse_errors as err:
                raise self._unparseable(err, state) from err
            with opened as reader:
                chunk: pd.DataFrame | None = None
                while True:
                    try:
                        chunk, skipped = self._next(reader)
                    except parse_errors as err:
                        raise self._unparseable(err, state) from err
                    if chunk is None:  # the end (records skipped on the way there too)
                        chunk = pd.DataFrame(
                            {name: pd.array([], dtype="string") for name in self.names}
                        )
                        yield from self._raw_chunks(chunk, skipped, rereader, state, chunksize)
                        break
                    consumed = _bytes_consumed(reader)
                    for raw in self._raw_chunks(chunk, skipped, rereader, state, chunksize):
                        raw.consumed = consumed
                        yield raw
        finally:
            rereader.close()

    def _next(self, reader: Any) -> tuple[pd.DataFrame | None, list[int]]:
        """The next chunk (None at the end) and the records the parser skipped reading it."""
        import pandas as pd

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            chunk = next(reader, None)
        skipped: list[int] = []
        for w in caught:
            text = str(w.message)
            if issubclass(w.category, pd.errors.ParserWarning) and _SKIPPED.search(text):
                skipped += [int(n) for n in _SKIPPED.findall(text)]
            elif issubclass(w.category, pd.errors.ParserWarning) and _LOSS_WARNING in text:
                continue  # the wide first record: every row is re-read (``wide_first``)
            else:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        return chunk, sorted(set(skipped))

    def _raw_chunks(
        self,
        chunk: pd.DataFrame,
        skipped: list[int],
        rereader: _RecordReader,
        state: dict[str, int],
        chunksize: int,
    ) -> Iterator[RawChunk]:
        """Raw chunks of the parser's chunk and the records it skipped, in record order.

        The parser fills a chunk with ``chunksize`` rows it could read; when it
        skipped many records on the way, they are re-read and yielded in pieces
        of about ``chunksize`` records, so memory stays bounded.
        """
        import numpy as np

        m = len(chunk)
        first = state["next_record"]
        records = first + np.arange(m, dtype=np.int64)
        if skipped:
            bad = np.asarray(skipped, dtype=np.int64)
            span = first + np.arange(m + len(bad), dtype=np.int64)
            records = span[~np.isin(span, bad)][:m]
        else:
            bad = np.zeros(0, dtype=np.int64)
        if len(bad) <= chunksize:
            pieces = [(0, m, 0, len(bad))]
        else:
            starts = np.sort(np.concatenate([records, bad]))[chunksize::chunksize]
            g = [0, *np.searchsorted(records, starts).tolist(), m]
            b = [0, *np.searchsorted(bad, starts).tolist(), len(bad)]
            pieces = list(zip(g[:-1], g[1:], b[:-1], b[1:], strict=True))
        for g0, g1, b0, b1 in pieces:
            raw = self._raw_chunk(
                chunk.iloc[g0:g1], records[g0:g1], bad[b0:b1].tolist(), rereader, state
            )
            if raw is not None:
                yield raw

    def _raw_chunk(
        self,
        chunk: pd.DataFrame,
        records: Any,
        skipped: list[int],
        rereader: _RecordReader,
        state: dict[str, int],
    ) -> RawChunk | None:
        """Add the skipped records to ``chunk`` (rows numbered ``records``), note the ragged."""
        import numpy as np
        import pandas as pd

        names = self.names
        n = len(names)
        m = len(chunk)
        # a row is blank when it has no value at all (extras included, for re-read ones)
        empty = chunk.isna().all(axis=1).to_numpy(dtype=bool, copy=True)
        if self.wide_first:  # any row may hold values beyond the header's columns
            maybe = np.ones(m, dtype=bool)
        else:
            maybe = chunk[names[-1]].isna().to_numpy(dtype=bool) & ~empty
        wanted = [*skipped, *records[maybe].tolist()]
        found = rereader.records(wanted) if wanted else {}

        newlines = np.zeros(m, dtype=np.int64)
        for name in names:
            if not may_contain(chunk[name], ("\n",)):
                continue
            counts = chunk[name].str.count("\n").fillna(0).to_numpy(dtype=np.int64)
            newlines += counts
        notes: list[str | None] = [None] * m
        for i in np.flatnonzero(maybe):
            fields = found.get(int(records[i]))
            if fields is None:
                continue
            newlines[i] = _newlines(fields)
            empty[i] = not any(fields)
            if len(fields) != n:
                notes[i] = _ragged_note(fields, names)

        frame = chunk
        if skipped:
            rows: list[list[str | None]] = []
            extra_newlines, extra_empty = [], []
            for b in skipped:
                fields = found.get(b)
                if fields is None:
                    rows.append([None] * n)
                    notes.append("the parser skipped this record and it could not be re-read")
                    extra_newlines.append(0)
                    extra_empty.append(False)
                    continue
                values = [f if f != "" else None for f in fields[:n]]
                rows.append(values + [None] * (n - len(values)))
                notes.append(_ragged_note(fields, names))
                extra_newlines.append(_newlines(fields))
                extra_empty.append(not any(fields))
            extra = pd.DataFrame(rows, columns=names, dtype="string")
            frame = pd.concat([chunk, extra], ignore_index=True)
            records = np.concatenate([records, np.asarray(skipped, dtype=np.int64)])
            newlines = np.concatenate([newlines, np.asarray(extra_newlines, dtype=np.int64)])
            empty = np.concatenate([empty, np.asarray(extra_empty, dtype=bool)])
            order = np.argsort(records, kind="stable")
            frame = frame.take(order).reset_index(drop=True)
            records, newlines, empty = records[order], newlines[order], empty[order]
            notes = [notes[i] for i in order]
        else:
            frame = frame.reset_index(drop=True)

        before = np.cumsum(newlines) - newlines
        lines = records + state["extra_lines"] + before
        state["extra_lines"] += int(newlines.sum())
        if len(records):
            state["next_record"] = int(records[-1]) + 1
        frame["source_line"] = pd.array(lines, dtype="Int64")
        if any(note is not None for note in notes):
            note_series = pd.Series(notes, index=frame.index, dtype="string")
        else:  # the usual chunk, without ragged records: no Arrow array built from a list
            note_series = pd.Series(pd.NA, index=frame.index, dtype="string")
        if empty.any():
            keep = ~empty
            frame = frame[keep]
            note_series = note_series[keep]
            lines = lines[keep]
        if len(frame) == 0 and not empty.any():
            return None
        has_note = note_series.notna().to_numpy(dtype=bool)
        issues = [
            RowIssue(int(line), None, str(note))
            for line, note in zip(lines[has_note], note_series[has_note], strict=True)
        ]
        return RawChunk(frame, note_series if has_note.any() else None, issues, int(empty.sum()))

    def _unparseable(self, err: Exception, state: dict[str, int]) -> InputError:
        """One line naming where parsing failed."""
        text = " ".join(str(err).split()) or type(err).__name__
        text = text.removeprefix("Error tokenizing data. C error: ")
        shown = printable_path(self.path)
        unclosed = _UNCLOSED.search(text)
        if unclosed:
            # pandas counts rows from 0, the header included: row N is record N + 1
            record = int(unclosed.group(1)) + 1
            line = _RecordReader(self.path, self.encoding, self.sep, self.quoting).line_of(record)
            return InputError(
                f"{shown}: cannot be parsed: line {line} opens a quoted field that is never "
                "closed (check the quotes on that line)"
            )
        after = state["next_record"] - 1
        line = _RecordReader(self.path, self.encoding, self.sep, self.quoting).line_of(after + 1)
        return InputError(f"{shown}: cannot be parsed from line {line} on: {text}")


# --------------------------------------------------------------------------- opening files


def open_text(
    path: Path,
    sample: bytes,
    *,
    encoding: str,
    format: str | None,
    gdelt_columns: Sequence[str],
    chunksize: int,
) -> OpenedTable:
    """Open a delimited text file: GDELT exports (no header) recognised by their first line."""
    first_line = _first_line(sample, encoding)
    sep = _sniff_delimiter(first_line)
    fields = next(csv.reader([first_line], delimiter=sep), [])
    n_gdelt = len(gdelt_columns)
    is_gdelt_row = sep == "\t" and len(fields) == n_gdelt and fields[0].strip().isdigit()
    names: list[str] | None = None
    quoting: _Quoting = csv.QUOTE_MINIMAL
    if format == "gdelt" or (format is None and is_gdelt_row):
        format = "gdelt"
        quoting = csv.QUOTE_NONE
        if is_gdelt_row or fields[0].strip() != "GLOBALEVENTID":
            names = list(gdelt_columns)
        if len(fields) != n_gdelt:
            raise InputError(
                f"{printable_path(path)}: a GDELT 2.0 events export has {n_gdelt} tab-separated "
                f"columns; the first line has {len(fields)}"
            )
    text = _DelimitedText(path, encoding=encoding, sep=sep, quoting=quoting, names=names)
    size = path.stat().st_size
    return OpenedTable(text.names, text.chunks(chunksize), encoding, format, size=size)


def _bytes_consumed(reader: Any) -> int | None:
    """How far pandas' chunked reader has read into its file (None when it cannot say).

    The parser reads ahead by its buffer (256 KiB), so this runs a little ahead
    of the rows returned: good enough for a progress estimate, never used for data.
    """
    handle = getattr(getattr(reader, "handles", None), "handle", None)
    try:
        return int(handle.tell()) if handle is not None else None
    except (OSError, ValueError, AttributeError):
        return None


def open_sheet(
    path: Path,
    *,
    sheet_name: str | int,
    chunksize: int,
    max_bytes: int | None,
    max_rows: int | None,
) -> OpenedTable | None:
    """Open a spreadsheet (None when the sheet is empty); its first row is the header."""
    import pandas as pd

    if path.suffix.lower() in _ZIP_SUFFIXES:
        _check_zip_size(path, max_bytes)
    else:
        check_file_size(path, max_bytes)
    nrows = None if max_rows is None else max_rows + 2
    try:
        frame = pd.read_excel(path, sheet_name=sheet_name, header=None, dtype=object, nrows=nrows)
    except Exception as err:  # openpyxl and zipfile raise many types
        raise InputError(f"{printable_path(path)}: cannot read as a spreadsheet: {err}") from err
    if len(frame) == 0:
        return None
    columns = _column_names(list(frame.iloc[0]))
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = columns
    _check_rows(path, len(frame), max_rows)
    rows = len(frame)
    return OpenedTable(columns, _frame_chunks(frame, chunksize, 2), "xlsx", size=rows, rows=rows)


def open_parquet(
    path: Path, *, chunksize: int, max_bytes: int | None, max_rows: int | None
) -> OpenedTable:
    """Open a (Geo)Parquet file; its named index levels become columns."""
    try:
        frame = _read_parquet_table(path, max_bytes, max_rows)
    except InputError:
        raise
    except Exception as err:  # pyarrow raises many types
        raise InputError(f"{printable_path(path)}: cannot read as Parquet: {err}") from err
    columns = [str(c) for c in frame.columns]
    frame.columns = columns
    rows = len(frame)
    return OpenedTable(columns, _frame_chunks(frame, chunksize, 1), "parquet", size=rows, rows=rows)


def open_frame(frame: pd.DataFrame, *, chunksize: int, max_rows: int | None) -> OpenedTable:
    """Open an in-memory (Geo)DataFrame as a table: rows numbered from 1, as a Parquet file's.

    A GeoDataFrame's point geometries give ``latitude``/``longitude`` (unless it has
    them), as for GeoParquet; named index levels become columns; the caller's
    frame is not modified.
    """
    _check_rows(Path("the data frame"), len(frame), max_rows)
    frame = _index_as_columns(_points_as_columns(frame))
    frame.columns = columns = _column_names([str(c) for c in frame.columns])
    rows = len(frame)
    return OpenedTable(
        columns, _frame_chunks(frame, chunksize, 1), "dataframe", size=rows, rows=rows
    )


def _points_as_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A GeoDataFrame as a plain frame, its points as ``latitude``/``longitude`` columns."""
    import pandas as pd

    geometry = getattr(frame, "geometry", None) if hasattr(frame, "set_geometry") else None
    if geometry is None:
        return frame
    from geo_events.events.schema import point_coordinates

    plain: pd.DataFrame = pd.DataFrame(frame.drop(columns=geometry.name))
    if "latitude" not in plain.columns or "longitude" not in plain.columns:
        # only non-empty points have coordinates; other shapes leave the row to be geocoded
        plain["latitude"], plain["longitude"] = point_coordinates(geometry)
    return plain


def _check_rows(path: Path, rows: int, max_rows: int | None) -> None:
    if max_rows is not None and rows > max_rows:
        _too_large(path, "the table", rows, max_rows, "max_rows", "rows")


def _frame_chunks(frame: pd.DataFrame, chunksize: int, first_line: int) -> Iterator[RawChunk]:
    import numpy as np
    import pandas as pd

    frame = frame.reset_index(drop=True)
    frame["source_line"] = pd.array(np.arange(len(frame)) + first_line, dtype="Int64")
    for start in range(0, max(len(frame), 1), chunksize):
        part = frame.iloc[start : start + chunksize]
        yield RawChunk(part, consumed=start + len(part))


def _index_as_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Named index levels as leading columns (a taken name gets ``_index``); the rest dropped."""
    import pandas as pd

    index = frame.index
    taken = {str(c) for c in frame.columns}
    front: dict[str, pd.Series] = {}
    for i, name in enumerate(index.names):
        if name is None:
            continue
        text = str(name)
        while text in taken:
            text += "_index"
        taken.add(text)
        front[text] = pd.Series(index.get_level_values(i))
    frame = frame.reset_index(drop=True)
    return pd.concat([pd.DataFrame(front), frame], axis=1) if front else frame


def _read_parquet_table(path: Path, max_bytes: int | None, max_rows: int | None) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.parquet as pq

    with open(path, "rb") as handle:
        meta = pq.read_metadata(handle)
        # the pages' uncompressed size, or 8 bytes a cell when encodings (dictionary,
        # run lengths) make the pages much smaller than the values they decode to
        pages = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        size = max(pages, 8 * meta.num_rows * meta.num_columns)
        if max_bytes is not None and size > max_bytes:
            _too_large(path, "the table uncompressed", size, max_bytes, "max_bytes", "bytes")
        _check_rows(path, meta.num_rows, max_rows)
        handle.seek(0)
        if b"geo" in (meta.metadata or {}):
            import geopandas as gpd

            # geopandas reads file objects too (its stubs say paths only)
            frame = _points_as_columns(gpd.read_parquet(handle))  # type: ignore[arg-type]
        else:
            frame = pd.read_parquet(handle)
    return _index_as_columns(frame)


def open_table(path: Path, opts: ReadOptions) -> OpenedTable | EmptyTable:
    """Open a table file: its raw chunks, columns, format and encoding, or why it is empty.

    Size limits are checked and the encoding sniffed before anything is parsed; a
    file that is not delimited text (a zip, gzip or Parquet file under another
    suffix) is refused naming what it looks like.
    """
    suffix = path.suffix.lower()
    format, chunksize = opts.format, opts.rows_per_chunk
    fallback = format or "generic"
    if suffix in (".xlsx", ".xlsm", ".xls"):
        sheet = open_sheet(path, sheet_name=opts.sheet_name, chunksize=chunksize,
                            max_bytes=opts.max_bytes, max_rows=opts.max_rows)  # fmt: skip
        if sheet is None:
            return EmptyTable("the sheet is empty", fallback, "xlsx")
        sheet.format = format
        return sheet
    if suffix in (".parquet", ".pq", ".geoparquet"):
        table = open_parquet(path, chunksize=chunksize, max_bytes=opts.max_bytes,
                              max_rows=opts.max_rows)  # fmt: skip
        table.format = format
        return table
    check_file_size(path, opts.max_bytes)
    with open(path, "rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    if not sample.strip(b"\r\n\t ,;" + codecs.BOM_UTF8):
        return EmptyTable("the file is empty", fallback, opts.encoding or "utf-8")
    for magic, what in _NOT_TEXT.items():
        if sample.startswith(magic):
            raise InputError(
                f"{printable_path(path)}: not a delimited text table: it looks like {what}"
            )
    file_issues: list[RowIssue] = []
    enc = opts.encoding
    if enc is None:
        enc, note = sniff_encoding(sample)
        if note:
            file_issues.append(RowIssue(None, None, note))
    text = open_text(path, sample, encoding=enc, format=format, gdelt_columns=GDELT_COLUMNS,
                      chunksize=chunksize)  # fmt: skip
    text.file_issues = file_issues
    return text
