"""Reading table files: CSV/TSV in chunks, XLSX and Parquet whole.

Encoding and delimiter sniffing, the chunked text reader that numbers every row
with its line in the file, the re-reader that recovers records the parser
skipped (too many or too few fields) and turns them into flagged events, and
the readers that slice spreadsheets and Parquet files into chunks. The public
reading API built on these is :mod:`geo_events.io.tables`.
"""

from __future__ import annotations

import codecs
import csv
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo_events.errors import InputError
from geo_events.io._table_chunk import GeocodeCache, _events_from_chunk
from geo_events.io._table_values import RowIssue
from geo_events.io.table_formats import TableSpec

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

_SAMPLE_BYTES = 1 << 16


# --------------------------------------------------------------------------- reading files


def _sniff_encoding(sample: bytes) -> tuple[str, str | None]:
    """Return (encoding, note) for the start of a file."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as err:
        # a multi-byte character cut at the end of the sample is not an error
        if err.start < len(sample) - 4 or len(sample) < _SAMPLE_BYTES:
            return "cp1252", f"the file is not UTF-8 (byte offset {err.start}); read as cp1252"
    return "utf-8", None


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _text_chunks(
    path: Path,
    *,
    encoding: str,
    sep: str,
    header: list[str] | None,
    chunksize: int,
    bad_records: list[int],
    blank: list[int],
) -> Iterator[pd.DataFrame]:
    """Read a delimited text file in chunks, adding ``source_line``.

    ``bad_records`` receives the record numbers the parser skipped; ``blank`` the
    count of blank lines (one element, updated in place).
    """
    import numpy as np
    import pandas as pd

    kwargs: dict[str, Any] = {
        "sep": sep,
        "dtype": "string",
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,
        "on_bad_lines": "warn",
        "encoding": encoding,
        "encoding_errors": "replace",
        "chunksize": chunksize,
        "engine": "c",
    }
    if header is None:
        kwargs.update(header=0)
        first_record = 2
    else:
        kwargs.update(header=None, names=header, quoting=csv.QUOTE_NONE)
        first_record = 1
    next_record = first_record  # parser's 1-based record number of the next data record
    extra_lines = 0  # embedded newlines seen so far
    pattern = re.compile(r"Skipping line (\d+)")
    with pd.read_csv(path, **kwargs) as reader:
        while True:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", pd.errors.ParserWarning)
                try:
                    chunk = next(reader)
                except StopIteration:
                    break
                except (pd.errors.ParserError, UnicodeError, ValueError) as err:
                    raise InputError(
                        f"{path}: cannot parse after record {next_record - 1}: {err}"
                    ) from err
            skipped = []
            for w in caught:
                m = pattern.search(str(w.message))
                if issubclass(w.category, pd.errors.ParserWarning) and m:
                    skipped.append(int(m.group(1)))
                else:
                    warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
            skipped.sort()
            bad_records.extend(skipped)
            records = next_record + np.arange(len(chunk))
            for b in skipped:
                records[records >= b] += 1
            if len(chunk):
                next_record = int(records[-1]) + 1
            if skipped:
                next_record = max(next_record, skipped[-1] + 1)
            newlines = np.zeros(len(chunk), dtype=np.int64)
            for name in chunk.columns:
                counts = chunk[name].str.count("\n").fillna(0).to_numpy(dtype=np.int64)
                if counts.any():
                    newlines += counts
            before = np.concatenate([[0], np.cumsum(newlines)[:-1]]) if len(chunk) else newlines
            chunk["source_line"] = pd.array(records + extra_lines + before, dtype="Int64")
            extra_lines += int(newlines.sum())
            empty = chunk.drop(columns="source_line").isna().all(axis=1)
            if empty.any():
                blank[0] += int(empty.sum())
                chunk = chunk[~empty]
            yield chunk


class _RecordReader:
    """Re-read malformed records with :mod:`csv`, moving forward through the file once.

    The parser reports skipped records in increasing order, chunk after chunk, so
    one reader opened at the first malformed record serves the whole read; a record
    number behind the reader (never expected) reopens the file.
    """

    def __init__(self, path: Path, encoding: str, sep: str, gdelt: bool) -> None:
        self._args = (path, encoding, sep, gdelt)
        self._handle: Any = None
        self._reader: Any = None
        self._number = 0
        self._last_line = 0

    def _open(self) -> None:
        path, encoding, sep, gdelt = self._args
        self.close()
        self._handle = open(path, encoding=encoding, errors="replace", newline="")  # noqa: SIM115
        self._reader = csv.reader(
            self._handle, delimiter=sep, quoting=csv.QUOTE_NONE if gdelt else csv.QUOTE_MINIMAL
        )
        self._number = 0
        self._last_line = 0

    def records(self, wanted: Sequence[int]) -> dict[int, tuple[int, list[str]]]:
        """Record number -> (first line, fields) for the ``wanted`` record numbers."""
        found: dict[int, tuple[int, list[str]]] = {}
        targets = sorted(set(wanted))
        if self._reader is None or (targets and targets[0] <= self._number):
            self._open()
        for target in targets:
            while self._number < target:
                try:
                    fields = next(self._reader)
                except StopIteration:
                    return found
                self._number += 1
                start = self._last_line + 1
                self._last_line = self._reader.line_num
                if self._number == target:
                    found[target] = (start, fields)
        return found

    def close(self) -> None:
        """Close the file (if open)."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._reader = None


def _bad_record_events(
    found: Mapping[int, tuple[int, list[str]]],
    columns: list[str],
    spec: TableSpec,
    gazetteer: Gazetteer | None,
    cache: GeocodeCache,
) -> tuple[gpd.GeoDataFrame | None, list[RowIssue]]:
    """Events for records the parser skipped (too many or too few fields), flagged."""
    import pandas as pd

    n_columns = len(columns)
    rows = []
    notes = []
    for number in sorted(found):
        line, values = found[number]
        extra = values[n_columns:]
        padded = (values + [None] * n_columns)[:n_columns]
        rows.append([*padded, line])
        notes.append(
            f"record has {len(values)} fields, expected {n_columns}"
            + (f"; extra fields {extra!r} not read" if extra else "")
        )
    if not rows:
        return None, []
    raw = pd.DataFrame(rows, columns=[*columns, "source_line"]).astype("string")
    raw["source_line"] = raw["source_line"].astype("Int64")
    gdf, chunk_issues = _events_from_chunk(raw, spec, gazetteer, cache)
    record_issues = [
        RowIssue(found[number][0], None, note)
        for number, note in zip(sorted(found), notes, strict=True)
    ]
    note_text = pd.Series(notes, index=gdf.index, dtype="string")
    gdf["read_issues"] = (note_text + "; " + gdf["read_issues"]).fillna(note_text)
    return gdf, record_issues + chunk_issues


def _frame_chunks(frame: pd.DataFrame, chunksize: int, first_line: int) -> Iterator[pd.DataFrame]:
    import numpy as np
    import pandas as pd

    frame = frame.reset_index(drop=True)
    frame["source_line"] = pd.array(np.arange(len(frame)) + first_line, dtype="Int64")
    for start in range(0, max(len(frame), 1), chunksize):
        yield frame.iloc[start : start + chunksize]


def _read_parquet_table(path: Path) -> pd.DataFrame:
    import pandas as pd
    import pyarrow.parquet as pq

    meta = pq.read_metadata(path).metadata or {}
    if b"geo" in meta:
        import geopandas as gpd

        gdf = gpd.read_parquet(path)
        if "latitude" not in gdf.columns or "longitude" not in gdf.columns:
            pts = gdf.geometry
            gdf["latitude"] = pts.y.where(pts.geom_type == "Point")
            gdf["longitude"] = pts.x.where(pts.geom_type == "Point")
        return pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    return pd.read_parquet(path)
