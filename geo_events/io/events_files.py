"""Read the files geo_events writes back into the events schema.

:func:`read_events` is the reading half of
:func:`~geo_events.io.writers.write_events`, as ``geopandas.read_file`` is of
``GeoDataFrame.to_file``: GeoJSON, GeoPackage, GeoParquet and ACLED-layout CSV
come back as they were written (schema columns and text extras). Other
people's tables — ACLED, GDELT, UCDP exports, any CSV with a place column —
are read, checked and geocoded by :func:`geo_events.io.tables.events_from_table`.

``read_events`` used to be the name of the table reader; for one release it
still reads such a table (with a DeprecationWarning) when it is given the
table reader's options or a file that is not in the events schema.
"""

from __future__ import annotations

import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from geo_events.errors import InputError
from geo_events.io.table_values import printable_path
from geo_events.io.writers import OUTPUT_SUFFIXES, SUFFIX_OF, output_format

if TYPE_CHECKING:
    import geopandas as gpd

    from geo_events.io.tables import ReadResult

__all__ = ["read_events"]

# the table reader's formats: asking for one means the old meaning of read_events
_TABLE_FORMATS = frozenset({"acled", "gdelt", "ucdp", "generic"})
# suffixes only the table reader takes
_TABLE_SUFFIXES = frozenset({".tsv", ".txt", ".xlsx", ".xlsm", ".xls"})


EventsFormat = Literal["geojson", "gpkg", "parquet", "csv"]


@overload
def read_events(path: str | Path, *, format: EventsFormat | None = None) -> gpd.GeoDataFrame: ...


@overload
def read_events(
    path: str | Path, *, format: str | None = None, **table_options: Any
) -> gpd.GeoDataFrame | ReadResult: ...


def read_events(
    path: str | Path, *, format: str | None = None, **table_options: Any
) -> gpd.GeoDataFrame | ReadResult:
    """Read a file written by :func:`~geo_events.io.writers.write_events` as events.

    Parameters
    ----------
    path
        A ``.geojson``, ``.gpkg``, ``.parquet`` or ``.csv`` file.
    format
        ``"geojson"``, ``"gpkg"``, ``"parquet"`` or ``"csv"``; from the suffix when None.
    **table_options
        Deprecated: the options of :func:`~geo_events.io.tables.events_from_table`.
        Given them (or a table format, or a file not in the events schema),
        this reads a foreign table as the old ``read_events`` did, returning its
        ``ReadResult(events, report)``, with a DeprecationWarning.

    Returns
    -------
    geopandas.GeoDataFrame
        The events, coerced to the schema by
        :func:`~geo_events.events.schema.to_events_frame`.

    Examples
    --------
    >>> from geo_events import write_events
    >>> events = read_events(write_events(gdf, "events.parquet"))  # doctest: +SKIP
    """
    if table_options or format in _TABLE_FORMATS or not _is_events_file(Path(path), format):
        return _read_table_deprecated(path, format=format, **table_options)
    return _read_events_file(Path(path), format)


def _is_events_file(path: Path, format: str | None) -> bool:
    """Whether ``path`` looks like our own output (else: a table for the old read_events).

    Our CSV and Parquet files have every column of the events schema; GeoJSON and
    GeoPackage were never table inputs. A missing file counts as ours, so the error
    names the file.
    """
    from geo_events.events.schema import SCHEMA_COLUMNS

    suffix = path.suffix.lower()
    if format is None and suffix in _TABLE_SUFFIXES:
        return False
    if not path.is_file():
        return True
    fmt = output_format(path, format) if format is not None or suffix in OUTPUT_SUFFIXES else None
    if fmt is None:
        return False
    wanted = set(SCHEMA_COLUMNS) - {"geometry"}
    if fmt == "csv":
        import pandas as pd

        try:
            header = pd.read_csv(path, nrows=0, dtype=str, index_col=False).columns
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
            return False
        return wanted <= set(map(str, header))
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            with open(path, "rb") as handle:  # a handle: pyarrow cannot take every file name
                names = pq.read_schema(handle).names
        except Exception:  # pyarrow raises many types; the table reader will say what is wrong
            return False
        return wanted <= set(names)
    return True


def _read_table_deprecated(path: str | Path, **options: Any) -> ReadResult:
    from geo_events.io.tables import ReadResult, events_from_table

    warnings.warn(
        f"read_events({printable_path(path)!r}) reads a table that is not a geo_events file: that use "
        "is deprecated; use events_from_table(path_or_frame, ...), which returns the events "
        "with the report in gdf.attrs['report']",
        DeprecationWarning,
        stacklevel=3,
    )
    if options.get("format") is None:
        options.pop("format", None)
    events = events_from_table(path, **options)
    return ReadResult(events, events.attrs["report"])


def _read_events_file(path: Path, format: str | None) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import pandas as pd

    from geo_events.events.schema import to_events_frame

    fmt = output_format(path, format)
    if not path.is_file():
        raise InputError(f"{printable_path(path)}: no such file")
    if fmt == "parquet":
        with open(path, "rb") as handle:
            # geopandas reads file objects too (its stubs say paths only)
            frame: Any = gpd.read_parquet(handle)  # type: ignore[arg-type]
    elif fmt == "csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                            index_col=False)  # fmt: skip
    else:
        # GeoJSON dates stay text (GDAL would parse them to milliseconds and drop zones)
        options: dict[str, Any] = {"DATE_AS_STRING": "YES"} if fmt == "geojson" else {}
        try:
            frame = gpd.read_file(path, engine="pyogrio", **options)
        except UnicodeEncodeError:  # a name GDAL cannot take: open it through a link
            with tempfile.TemporaryDirectory() as tmp:
                link = Path(tmp) / f"events{SUFFIX_OF[fmt]}"
                try:
                    link.symlink_to(path.resolve())
                except OSError as err:
                    raise InputError(
                        f"{printable_path(path)}: GDAL cannot open a file whose name is not valid "
                        "UTF-8; rename it"
                    ) from err
                frame = gpd.read_file(link, engine="pyogrio", **options)
    if fmt == "geojson" and {"latitude", "longitude"} <= set(frame.columns):
        # the properties keep full precision; the RFC 7946 coordinates are rounded
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    if fmt in ("geojson", "gpkg"):
        frame = _text_extras(frame)
    return to_events_frame(frame)


def _text_extras(frame: Any) -> Any:
    """Extra columns GDAL gives back as objects holding text or nothing, as text.

    A column with no value at all has no type in GeoJSON; it comes back as
    text, as every extra column does from CSV.
    """
    import pandas as pd

    from geo_events.events.schema import SCHEMA_COLUMNS

    for name in frame.columns:
        values = frame[name]
        if name in SCHEMA_COLUMNS or values.dtype != object:
            continue
        if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            frame[name] = values.astype("str")
    return frame
