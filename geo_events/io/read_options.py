"""How a table is read: :class:`ReadOptions` and the columns it names, :class:`TableColumns`.

One frozen object holds every option of :func:`~geo_events.io.tables.events_from_table`
and :func:`~geo_events.io.tables.iter_events` (as :class:`~geo_events.maps.MapOptions`
does for maps), checked once when it is made, so a bad option is refused before a file
is opened, with a message naming it. The readers also take single options as keywords
(``events_from_table(path, location="town")``); they override the object's.
"""

from __future__ import annotations

import codecs
import dataclasses
import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from geo_events.errors import InputError, OnError, check_on_error
from geo_events.io.table_formats import FORMATS

__all__ = ["DEFAULT_CHUNKSIZE", "DEFAULT_MAX_BYTES", "ReadOptions", "TableColumns", "read_options"]

#: Rows per chunk when ``chunksize`` is not given.
DEFAULT_CHUNKSIZE = 250_000
#: The default ``max_bytes``: 4 GiB (file size, or uncompressed size).
DEFAULT_MAX_BYTES = 4 * 1024**3


@dataclass(frozen=True)
class TableColumns:
    """The table's own names of the columns the reader needs (None: recognised by name).

    A generic table's unnamed columns are found by common names (``place``,
    ``lat``/``lng``, ``province``, ``date``...); ACLED, GDELT and UCDP tables have
    their own fixed names, which these override.

    Examples
    --------
    >>> TableColumns(location="town", country="iso2").named()
    {'location': 'town', 'country': 'iso2'}
    """

    location: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: str | None = None
    lon: str | None = None
    date: str | None = None
    id: str | None = None

    def __post_init__(self) -> None:
        bad = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None and not isinstance(getattr(self, f.name), str)
        ]
        if bad:
            raise InputError(f"column names must be strings (or None): {', '.join(bad)}")

    def named(self) -> dict[str, str]:
        """The columns given, as ``{option: column name}``."""
        return {
            f.name: getattr(self, f.name)
            for f in dataclasses.fields(self)
            if getattr(self, f.name) is not None
        }


_COLUMN_NAMES = frozenset(f.name for f in dataclasses.fields(TableColumns))


@dataclass(frozen=True)
class ReadOptions:
    """How :func:`~geo_events.io.tables.events_from_table` reads a table.

    Parameters
    ----------
    format : str, optional
        ``"acled"``, ``"gdelt"``, ``"ucdp"`` or ``"generic"``; sniffed from the header
        when None (a 61-field tab-separated first line is GDELT 2.0).
    columns : TableColumns
        The table's names for the place, coordinate, date and id columns.
    chunksize : int, optional
        Rows per chunk (default :data:`DEFAULT_CHUNKSIZE`): text files are streamed chunk
        by chunk.
    on_error : {"keep", "warn", "raise"}
        What to do about problems with rows (bad values, bad records, swapped
        coordinates, duplicate ids): ``"keep"`` records them in the report and the
        ``read_issues`` column, ``"warn"`` also issues a warning, ``"raise"`` raises
        :class:`~geo_events.errors.InputError` listing them.
    encoding : str, optional
        Text encoding; sniffed when None (UTF-8 with or without BOM, else cp1252).
    sheet_name : str or int
        The sheet of an XLSX file.
    fuzzy : bool
        Allow fuzzy name matches when geocoding.
    max_bytes : int, optional
        The largest table read, in bytes (default :data:`DEFAULT_MAX_BYTES`): a text
        file's size, an XLSX workbook's uncompressed size, a Parquet file's size in
        memory as estimated from its footer. None for no limit.
    max_rows : int, optional
        The most data rows read (default no limit).

    Raises
    ------
    InputError
        When an option is invalid (the message names it).

    Examples
    --------
    >>> opts = ReadOptions(columns=TableColumns(location="town"))
    >>> opts.replace(country="iso2", chunksize=10_000).columns.named()
    {'location': 'town', 'country': 'iso2'}
    """

    format: str | None = None
    columns: TableColumns = field(default_factory=TableColumns)
    chunksize: int | None = None
    on_error: OnError = "keep"
    encoding: str | None = None
    sheet_name: str | int = 0
    fuzzy: bool = True
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_rows: int | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "on_error", check_on_error(self.on_error))
        if self.format is not None and self.format not in FORMATS:
            raise InputError(
                f"unknown table format {self.format!r}; use one of {', '.join(FORMATS)}"
            )
        if not isinstance(self.columns, TableColumns):
            raise InputError(f"columns must be a TableColumns, not {type(self.columns).__name__}")
        set_(self, "chunksize", _whole("chunksize", self.chunksize or None))
        set_(self, "max_bytes", _whole("max_bytes", self.max_bytes))
        set_(self, "max_rows", _whole("max_rows", self.max_rows, minimum=0))
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except (LookupError, TypeError) as err:
                raise InputError(
                    f"unknown encoding {self.encoding!r}; use e.g. 'utf-8' or 'cp1252'"
                ) from err
        if isinstance(self.sheet_name, bool) or not isinstance(self.sheet_name, str | int):
            raise InputError(
                f"sheet_name must be a sheet's name or its number, not {self.sheet_name!r}"
            )
        if not isinstance(self.fuzzy, bool):
            raise InputError(f"fuzzy must be True or False, not {self.fuzzy!r}")

    @property
    def rows_per_chunk(self) -> int:
        """``chunksize``, or the default when it is not given."""
        return self.chunksize or DEFAULT_CHUNKSIZE

    def replace(self, **changes: Any) -> ReadOptions:
        """A copy with some options changed; column names may be given flat (``location=``).

        Raises
        ------
        InputError
            When a name is not an option (the message lists the valid ones).
        """
        columns = {k: changes.pop(k) for k in list(changes) if k in _COLUMN_NAMES}
        valid = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - valid)
        if unknown:
            raise InputError(
                f"unknown read option(s) {unknown}; valid options are "
                f"{sorted(valid | _COLUMN_NAMES)}"
            )
        if columns:
            base = changes.get("columns", self.columns)
            if not isinstance(base, TableColumns):
                raise InputError(f"columns must be a TableColumns, not {type(base).__name__}")
            changes["columns"] = dataclasses.replace(base, **columns)
        return dataclasses.replace(self, **changes) if changes else self


def read_options(options: ReadOptions | None, overrides: dict[str, Any]) -> ReadOptions:
    """``options`` (default :class:`ReadOptions`) with the single-option keywords applied."""
    if options is not None and not isinstance(options, ReadOptions):
        raise InputError(f"options must be a ReadOptions, not {type(options).__name__}")
    return (options or ReadOptions()).replace(**overrides)


def _whole(name: str, value: object, *, minimum: int = 1) -> int | None:
    """A count option (chunksize, max_rows, ...) as an int, or None; anything else refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not (
        isinstance(value, numbers.Integral)
        or (isinstance(value, float) and math.isfinite(value) and value.is_integer())
    ):
        raise InputError(f"{name} must be a whole number (or None), not {value!r}")
    number = int(value)
    if number < minimum:
        raise InputError(f"{name} must be at least {minimum}, not {number}")
    return number
