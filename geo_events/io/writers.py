"""Write events to GeoJSON, GeoPackage, GeoParquet or ACLED-layout CSV, and read them back.

:func:`write_events` writes an events GeoDataFrame;
:func:`geo_events.io.events_files.read_events` reads any of these files back
into the events schema, so that ``read_events(write_events(gdf, path))`` equals ``gdf`` (schema columns and
text extras; other extra columns come back as text from CSV and GeoJSON).

- **GeoJSON** follows RFC 7946: a FeatureCollection with WGS84 longitude/latitude
  coordinates rounded to six decimals (about 0.1 m), no ``crs`` member, polygon
  rings counter-clockwise, dates as ISO 8601 text (``2020-03-01``, or
  ``2020-03-01T12:30:00`` when any time of day is set), missing values as
  ``null`` and unplaced events with a ``null`` geometry. It is written by our own
  vectorised encoder (GDAL's driver takes several times longer on a million points).
- **GeoPackage** and **GeoParquet** go through pyogrio and pyarrow (geopandas).
- **CSV** uses ACLED's layout: ACLED's columns in ACLED's order (those present),
  dates as ``YYYY-MM-DD``, coordinates as ``latitude``/``longitude`` (no geometry
  column), then our columns and any others. It is written by our own encoder,
  which quotes a field holding the delimiter, a quote, CR, LF or any other
  character some reader takes for a line end (VT, FF, FS, GS, RS, NEL, U+2028,
  U+2029): Python's :mod:`csv` leaves a lone CR unquoted, and it reads back as
  a row break. Empty text and missing values are both an empty field (CSV has
  no way to tell them apart); they read back as missing.

Dates and times: text formats (CSV, GeoJSON) write ISO 8601 with the time of
day when any value has one and the microseconds when any value has them; a
time-zone-aware column is written in its own zone with its UTC offset
(``2024-03-01T12:30:00+02:00``), so the local time and the instant are kept
(the zone's name is not). GeoParquet keeps zones and microseconds as they are.
GeoPackage stores UTC to the millisecond: a zone other than UTC, or
microseconds, are dropped with a :class:`WriteWarning` saying so.

Values a format cannot hold are refused with an
:class:`~geo_events.errors.InputError` naming the column and row, never passed
on to fail deep inside a library or be changed silently: text with a lone
surrogate (not encodable as UTF-8); a list or dict in a CSV or GeoPackage cell
(convert it to text first); a NUL character in GeoPackage or GeoJSON text
(GDAL, which reads them back, ends text at a NUL); a column mixing types
pyarrow cannot put in one Parquet column.

:func:`write_events_chunks` (or :class:`EventsWriter`) writes the same formats
from a stream of GeoDataFrames (e.g. :func:`geo_events.io.tables.iter_events`),
holding one chunk at a time: GeoParquet through one ``pyarrow.parquet.ParquetWriter``
(categories written as plain text so every chunk has one schema; the ``geo``
metadata, with the union of the chunks' bounding boxes and geometry types, is
written at the end), GeoPackage by appending, CSV with one header and GeoJSON
feature by feature. Two differences from one frame, both harmless on reading
back: a chunk decides by itself whether dates carry a time of day (CSV/GeoJSON
text), and GeoParquet categories come back as text from
``geopandas.read_parquet`` (:func:`~geo_events.io.events_files.read_events` restores them).

Every file is written to a temporary sibling (``.<name>.<host>.<pid>.<random>.part<suffix>``,
without the target's own characters beyond a printable form of its name, so any
file name works) and renamed into place when complete, so a failed write never
leaves a partial file under the target name. A run killed mid-write leaves its
``.part`` file behind; the next write to the same target removes those whose
process is gone (on POSIX systems, for this host).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, cast

from geo_events.errors import GeoEventsWarning, InputError
from geo_events.io.table_values import CONTAINER_TYPES, SCALAR_KINDS, SURROGATES, printable_path

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.io.events_files import EventsFormat

__all__ = [
    "ACLED_CSV_COLUMNS",
    "WRITE_FORMATS",
    "EventsWriter",
    "WriteWarning",
    "read_events_file",
    "write_events",
    "write_events_chunks",
]

#: File formats :func:`write_events` writes.
WRITE_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "parquet", "csv")
OUTPUT_SUFFIXES = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".parquet": "parquet",
    ".geoparquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
}

#: ACLED's export columns, in ACLED's order.
ACLED_CSV_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)  # fmt: skip
_GEOJSON_BATCH = 100_000
_CSV_BATCH = 100_000
SUFFIX_OF = {"geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv"}
_FORMAT_NAMES = {"geojson": "GeoJSON", "gpkg": "GeoPackage", "parquet": "GeoParquet",
                 "csv": "CSV"}  # fmt: skip
# characters that make the CSV encoder quote a field: the delimiter, the quote, and
# every character a reader may take for a line end (CR, LF, VT, FF, FS, GS, RS, NEL,
# LINE SEPARATOR, PARAGRAPH SEPARATOR)
_CSV_SPECIAL = '[,"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]'
_HOST = hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


class WriteWarning(GeoEventsWarning):
    """Something a file format cannot hold (a time zone, microseconds) was dropped."""


def output_format(path: Path, format: str | None) -> str:
    """The format to write: ``format`` checked, else the one ``path``'s suffix names."""
    if format is not None:
        if format not in WRITE_FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(WRITE_FORMATS)}")
        return format
    found = OUTPUT_SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"cannot tell the format of {path.name!r} from its suffix; pass format= one of "
            f"{', '.join(WRITE_FORMATS)}"
        )
    return found


def _part_prefix(path: Path) -> str:
    """The start of the temporary names of writes to ``path`` on this host."""
    name = printable_path(path.name)[:100]
    return f".{name}.{_HOST}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: alive, someone else's
        return True
    return True


def _remove_stale_parts(path: Path) -> None:
    """Delete the ``.part`` files of earlier writes to ``path`` whose process is gone."""
    if os.name != "posix":  # no cheap, safe liveness test for a pid elsewhere
        return
    prefix = _part_prefix(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not name.startswith(prefix) or ".part" not in name:
            continue
        pid = name[len(prefix) :].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


@contextlib.contextmanager
def _replacing(path: Path, suffix: str) -> Iterator[Path]:
    """A temporary sibling of ``path`` (ending in ``suffix``), renamed to ``path`` on success.

    Leftovers of killed earlier writes to ``path`` are removed first.
    """
    _remove_stale_parts(path)
    fd, name = tempfile.mkstemp(prefix=f"{_part_prefix(path)}{os.getpid()}.",
                                suffix=f".part{suffix}", dir=path.parent)  # fmt: skip
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers create it (GDAL refuses to overwrite an empty GeoPackage)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
        for extra in ("-journal", "-wal", "-shm"):
            Path(f"{tmp}{extra}").unlink(missing_ok=True)


def _in_wgs84(gdf: Any, what: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(f"{what} needs a GeoDataFrame, not {type(gdf).__name__}")
    if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
        reprojected: gpd.GeoDataFrame = gdf.to_crs(4326)
        return reprojected
    return gdf


def _encodable(values: pd.Series) -> bool:
    """Whether an object column of text converts to Arrow (UTF-8) as it is."""
    import pyarrow as pa

    try:
        pa.array(values, type=pa.large_string(), from_pandas=True)
    except (UnicodeEncodeError, pa.ArrowException):
        return False
    return True


def _check_values(gdf: gpd.GeoDataFrame, fmt: str) -> None:
    """Refuse what ``fmt`` cannot hold (see the module docstring), naming column and row."""
    import numpy as np
    import pandas as pd

    label = _FORMAT_NAMES[fmt]
    for name in gdf.columns:
        if isinstance(name, str) and SURROGATES.search(name):
            raise InputError(
                f"column name {printable_path(name)!r} has a lone surrogate, which cannot be written "
                "as UTF-8; rename the column"
            )
        if name == gdf.geometry.name:
            continue
        values = gdf[name]
        if values.dtype == object:
            kind = pd.api.types.infer_dtype(values, skipna=True)
            if kind not in SCALAR_KINDS and not (kind == "string" and _encodable(values)):
                for row, value in values.items():
                    if isinstance(value, str) and SURROGATES.search(value):
                        raise InputError(
                            f"column {name!r}, row {row!r}: text with a lone surrogate cannot "
                            f"be written as UTF-8; replace it first, e.g. gdf[{name!r}] = "
                            f"gdf[{name!r}].str.encode('utf-8', 'replace').str.decode('utf-8')"
                        )
                    if fmt in ("csv", "gpkg") and isinstance(value, (np.ndarray, *CONTAINER_TYPES)):
                        raise InputError(
                            f"column {name!r}, row {row!r}: a {type(value).__name__} value, "
                            f"but a {label} cell holds one value; convert the column to text "
                            f"first, e.g. gdf[{name!r}] = gdf[{name!r}].map(json.dumps)"
                        )
        if fmt in ("gpkg", "geojson") and pd.api.types.is_string_dtype(values.dtype):
            nul = values.astype("string").str.contains("\x00", regex=False).fillna(False)
            if nul.any():
                row = nul.index[nul.to_numpy(dtype=bool)][0]
                raise InputError(
                    f"column {name!r}, row {row!r}: text with a NUL character cannot be written "
                    f"to {label} (GDAL, which reads it back, ends text at a NUL); remove it "
                    f"first, e.g. gdf[{name!r}] = gdf[{name!r}].str.replace('\\x00', '')"
                )


@contextlib.contextmanager
def _arrow_errors(gdf: gpd.GeoDataFrame) -> Iterator[None]:
    """Turn pyarrow's conversion errors into an InputError naming the column."""
    import pyarrow as pa

    try:
        yield
    except (pa.ArrowException, UnicodeEncodeError) as err:
        for name in gdf.columns:
            values = gdf[name]
            if name == gdf.geometry.name or values.dtype != object:
                continue
            try:
                pa.array(values, from_pandas=True)
            except (pa.ArrowException, UnicodeEncodeError):
                kinds = ", ".join(sorted({type(v).__name__ for v in values.dropna()}))
                raise InputError(
                    f"column {name!r} mixes values ({kinds}) that cannot go into one Parquet "
                    f"column; convert it first, e.g. gdf[{name!r}] = gdf[{name!r}].astype('string')"
                ) from err
        raise InputError(f"cannot write the events as GeoParquet: {err}") from err


def _dates_as_text(values: pd.Series) -> pd.Series:
    """ISO 8601 text: dates alone when every time of day is midnight and there is no zone.

    Microseconds are written when any value has them; a zone-aware column is
    written in its zone, with the UTC offset (``+02:00``).
    """
    import pandas as pd

    present = values.dropna()
    zoned = isinstance(values.dtype, pd.DatetimeTZDtype)
    has_time = zoned or bool((present != present.dt.normalize()).any())
    if not has_time:
        dates: pd.Series = values.dt.strftime("%Y-%m-%d").astype("string")
        return dates
    fraction = ".%f" if bool((present.dt.microsecond != 0).any()) else ""
    text: pd.Series = values.dt.strftime(f"%Y-%m-%dT%H:%M:%S{fraction}%z").astype("string")
    if zoned:  # +0200 -> +02:00
        text = text.str.replace(r"([+-]\d\d)(\d\d)$", r"\1:\2", regex=True)
    return text


def _plain_properties(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns as plain types a JSON or text writer handles (dates as text)."""
    import pandas as pd

    out = {}
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = _dates_as_text(values)
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype("string")
        out[name] = values
    plain: pd.DataFrame = pd.DataFrame(out, index=frame.index)
    return plain


_CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]"


def _join(*parts: Any) -> Any:
    """Element-wise concatenation of pyarrow string arrays and str constants."""
    import pyarrow as pa
    import pyarrow.compute as pc

    args = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar("", pa.large_string()))


def _json_strings(values: Any) -> Any:
    """A pyarrow array of JSON string literals (``"..."``) or ``null``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    if pc.any(pc.match_substring_regex(arr, _CONTROL)).as_py():
        # rare control characters: let json escape them all (\\u00XX)
        items = arr.to_pylist()
        return pa.array(
            ["null" if v is None else json.dumps(v, ensure_ascii=False) for v in items],
            type=pa.large_string(),
        )
    for old, new in (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        arr = pc.replace_substring(arr, old, new)
    return pc.fill_null(_join('"', arr, '"'), "null")


def _json_values(values: pd.Series) -> Any:
    """Encode one column as a pyarrow array of JSON values (text, no nulls)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _json_strings(_dates_as_text(values))
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = [json.dumps(str(c), ensure_ascii=False) for c in values.cat.categories]
        codes = values.cat.codes.to_numpy()
        table = np.array([*cats, "null"], dtype=object)
        return pa.array(table[np.where(codes < 0, len(cats), codes)], type=pa.large_string())
    if pd.api.types.is_bool_dtype(values.dtype):
        arr = pa.array(values, from_pandas=True)
        text = pc.cast(pc.if_else(arr, "true", "false"), pa.large_string())
        # pyarrow-stubs type if_else with scalar branches as object; it is an array
        return pc.fill_null(text, "null")  # type: ignore[type-var]
    if pd.api.types.is_numeric_dtype(values.dtype):
        arr = pa.array(values, from_pandas=True)
        if pa.types.is_floating(arr.type):
            arr = pc.if_else(pc.is_finite(arr), arr, None)
        return pc.fill_null(pc.cast(arr, pa.large_string()), "null")
    if isinstance(values.dtype, pd.StringDtype) or (
        values.dtype == object
        and (values.map(lambda v: v is None or isinstance(v, str) or v is pd.NA).all())
    ):
        return _json_strings(values.astype("string"))
    encoded = [
        "null" if v is None or (isinstance(v, float) and not np.isfinite(v)) or v is pd.NA
        else json.dumps(v, default=str, ensure_ascii=False)
        for v in values
    ]  # fmt: skip
    return pa.array(encoded, type=pa.large_string())


def _geometry_json(geoms: Any) -> Any:
    """Encode geometries as a pyarrow array of RFC 7946 JSON (6-decimal coordinates)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import shapely

    arr = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(arr)
    missing[~missing] = shapely.is_empty(arr[~missing])
    present = arr.copy()
    present[missing] = None
    point = (shapely.get_type_id(present) == 0) & ~missing
    n = len(arr)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if point.any():
        xy = shapely.get_coordinates(arr[point])
        x[point], y[point] = xy[:, 0], xy[:, 1]
    xs = pc.cast(pc.round(pa.array(x, from_pandas=True), 6), pa.large_string())
    ys = pc.cast(pc.round(pa.array(y, from_pandas=True), 6), pa.large_string())
    out = _join('{"type":"Point","coordinates":[', xs, ",", ys, "]}")
    other = ~point & ~missing
    if other.any():
        rest = shapely.set_precision(arr[other], 1e-6)
        if hasattr(shapely, "orient_polygons"):
            rest = shapely.orient_polygons(rest, exterior_cw=False)
        texts = np.full(n, None, dtype=object)
        texts[other] = [
            json.dumps(json.loads(t), separators=(",", ":")) for t in shapely.to_geojson(rest)
        ]
        out = pc.coalesce(out, pa.array(texts, type=pa.large_string()))
    return pc.fill_null(out, "null")


class _GeoJSONSink:
    """Write a FeatureCollection feature by feature (one frame or many chunks)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle
        self._any = False
        handle.write(b'{"type":"FeatureCollection","features":[\n')

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        import pyarrow as pa

        geometry_name = gdf.geometry.name
        names = [c for c in gdf.columns if c != geometry_name]
        for start in range(0, len(gdf), _GEOJSON_BATCH):
            part = gdf.iloc[start : start + _GEOJSON_BATCH]
            if len(part) == 0:
                continue
            pieces: list[Any] = ['{"type":"Feature","properties":{']
            for i, name in enumerate(names):
                key = json.dumps(str(name), ensure_ascii=False)
                pieces += [("," if i else "") + key + ":", _json_values(part[name])]
            pieces += ['},"geometry":', _geometry_json(part.geometry.to_numpy()), "}"]
            separators = [",\n"] * len(part)
            separators[-1] = ""
            pieces.append(pa.array(separators, type=pa.large_string()))
            if self._any:
                self._handle.write(b",\n")
            self._any = True
            _write_strings(self._handle, _join(*pieces))

    def close(self) -> None:
        self._handle.write(b"\n]}\n" if self._any else b"]}\n")


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    with open(path, "wb") as handle:
        sink = _GeoJSONSink(handle)
        sink.write(gdf)
        sink.close()


def _category_text(values: pd.Series) -> pd.Series:
    """A categorical column as text: its categories taken by code, in Arrow (no per-row str)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    try:
        names = pa.array(np.asarray(values.cat.categories, dtype=object), type=pa.large_string())
    except (pa.ArrowException, TypeError, ValueError):  # categories that are not text
        return values.astype("string")
    codes = values.cat.codes.to_numpy()
    taken = names.take(cast(Any, pa.array(codes, mask=codes < 0)))
    text: pd.Series = pd.Series(cast(Any, taken), dtype="string", index=values.index)
    return text


def _for_ogr(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Plain dtypes pyogrio writes faithfully (categories as text)."""
    import pandas as pd

    out = gdf.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = _category_text(out[name])
    return out


def _for_gpkg(gdf: gpd.GeoDataFrame, warned: set[str], stacklevel: int) -> gpd.GeoDataFrame:
    """:func:`_for_ogr`, with times in UTC; what GeoPackage drops is warned about once."""
    import pandas as pd

    out = _for_ogr(gdf)
    for name in out.columns:
        values = out[name]
        if not pd.api.types.is_datetime64_any_dtype(values.dtype):
            continue
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            zone = str(values.dt.tz)
            if zone != "UTC" and values.notna().any() and f"zone {name}" not in warned:
                warned.add(f"zone {name}")
                warnings.warn(
                    f"column {name!r}: GeoPackage stores times in UTC; the zone {zone} is not "
                    "kept (the instants are)",
                    WriteWarning,
                    stacklevel=stacklevel,
                )
            values = out[name] = values.dt.tz_convert("UTC")
        sub_ms = int((values.dropna().dt.microsecond % 1000 != 0).sum())
        if sub_ms and f"ms {name}" not in warned:
            warned.add(f"ms {name}")
            warnings.warn(
                f"column {name!r}: GeoPackage keeps times to the millisecond; {sub_ms} value(s) "
                "lose their microseconds",
                WriteWarning,
                stacklevel=stacklevel,
            )
    return out


def _write_strings(handle: Any, strings: Any) -> None:
    """Write a pyarrow string array's text as it is (its data buffer, between two offsets)."""
    import numpy as np
    import pyarrow as pa

    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    if len(strings) == 0:
        return
    _, offsets_buffer, data = strings.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
    begin, end = offsets[strings.offset], offsets[strings.offset + len(strings)]
    if end > begin:
        handle.write(memoryview(data)[begin:end])


def _csv_quote(text: str) -> str:
    import re

    return '"' + text.replace('"', '""') + '"' if re.search(_CSV_SPECIAL, text) else text


def _csv_fields(values: pd.Series) -> Any:
    """One column as CSV fields: a pyarrow string array, quoted where needed, no nulls."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(values.astype("string"), type=pa.large_string(), from_pandas=True)
    quoted = _join('"', pc.replace_substring(arr, '"', '""'), '"')
    return pc.fill_null(pc.if_else(pc.match_substring_regex(arr, _CSV_SPECIAL), quoted, arr), "")


def _write_csv(frame: pd.DataFrame, handle: Any, *, header: bool) -> None:
    """Write ``frame`` (text-ready columns, see :func:`_csv_frame`) as CSV rows."""
    names = [str(c) for c in frame.columns]
    if header:
        handle.write((",".join(map(_csv_quote, names)) + "\n").encode("utf-8"))
    if not names:
        handle.write(b"\n" * len(frame))
        return
    for start in range(0, len(frame), _CSV_BATCH):
        part = frame.iloc[start : start + _CSV_BATCH]
        pieces: list[Any] = []
        for i, name in enumerate(part.columns):
            pieces += [",", _csv_fields(part[name])] if i else [_csv_fields(part[name])]
        _write_strings(handle, _join(*pieces, "\n"))


def _acled_order(columns: list[str]) -> list[str]:
    first = [c for c in ACLED_CSV_COLUMNS if c in columns]
    return first + [c for c in columns if c not in first]


def write_events(gdf: gpd.GeoDataFrame, path: str | Path, *, format: str | None = None) -> Path:
    """Write events to a GeoJSON, GeoPackage, GeoParquet or ACLED-layout CSV file.

    Parameters
    ----------
    gdf
        Events (any GeoDataFrame; it is reprojected to EPSG:4326 if needed).
    path
        Output file; overwritten if it exists.
    format
        ``"geojson"``, ``"gpkg"``, ``"parquet"`` or ``"csv"``; from the suffix when None
        (``.geojson``/``.json``, ``.gpkg``, ``.parquet``/``.geoparquet``, ``.csv``).

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> from geo_events.events.schema import empty_events
    >>> write_events(empty_events(), "/tmp/none.geojson").name  # doctest: +SKIP
    'none.geojson'
    """
    path = Path(path)
    fmt = output_format(path, format)
    gdf = _in_wgs84(gdf, "write_events")
    _check_values(gdf, fmt)
    with _replacing(path, SUFFIX_OF[fmt]) as tmp:
        if fmt == "geojson":
            _write_geojson(gdf, tmp)
        elif fmt == "parquet":
            with _arrow_errors(gdf), open(tmp, "wb") as handle:
                gdf.to_parquet(handle, index=False)
        elif fmt == "gpkg":
            _write_gpkg(_for_gpkg(gdf, set(), stacklevel=3), tmp, mode="w")
        else:
            with open(tmp, "wb") as handle:
                _write_csv(_csv_frame(gdf), handle, header=True)
    return path


def _write_gpkg(gdf: gpd.GeoDataFrame, path: Path, *, mode: Literal["w", "a"]) -> None:
    try:
        gdf.to_file(path, driver="GPKG", layer="events", engine="pyogrio", mode=mode)
    except UnicodeEncodeError as err:
        raise InputError(
            f"{printable_path(path.parent)}: GDAL cannot write GeoPackages under a directory whose name "
            "is not valid UTF-8; write it elsewhere"
        ) from err


def _csv_frame(gdf: gpd.GeoDataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """The ACLED-layout table of ``gdf`` (``columns``: the order of an earlier chunk)."""
    frame = _plain_properties(gdf.drop(columns=gdf.geometry.name))
    order = _acled_order([str(c) for c in frame.columns])
    if columns is not None:
        if sorted(order) != sorted(columns):
            raise InputError(
                f"a chunk's columns differ from the first chunk's: {sorted(set(order) ^ set(columns))}"
            )
        order = columns
    ordered: pd.DataFrame = frame[order]
    return ordered


def _merge_geo_metadata(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """GeoParquet ``geo`` metadata covering two chunks (bbox and geometry types united)."""
    import math

    if old is None:
        return new
    for name, col in new["columns"].items():
        prev = old["columns"][name]
        types = sorted(set(prev.get("geometry_types", [])) | set(col.get("geometry_types", [])))
        prev["geometry_types"] = types
        boxes = [b for b in (prev.get("bbox"), col.get("bbox"))
                 if b and not any(math.isnan(v) for v in b)]  # fmt: skip
        if boxes:
            prev["bbox"] = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                            max(b[2] for b in boxes), max(b[3] for b in boxes)]  # fmt: skip
        else:
            prev.pop("bbox", None)
    return old


class EventsWriter:
    """Write events to one file chunk by chunk (GeoJSON, GeoPackage, GeoParquet, CSV).

    Use it as a context manager: the file appears under ``path`` when the block
    ends without an error (it is written to a temporary sibling until then), and
    is not created at all when it raises.

    Parameters
    ----------
    path
        Output file; replaced if it exists.
    format
        As for :func:`write_events`; from the suffix when None.

    Examples
    --------
    >>> from geo_events.io.tables import iter_events
    >>> with EventsWriter("events.parquet") as out:  # doctest: +SKIP
    ...     for chunk in iter_events("acled_export.csv"):
    ...         out.write(chunk)
    """

    def __init__(self, path: str | Path, *, format: str | None = None) -> None:
        self.path = Path(path)
        self.format = output_format(self.path, format)
        self.rows = 0
        self._replacing: contextlib.AbstractContextManager[Path] | None = None
        self._tmp: Path | None = None
        self._handle: Any = None
        self._sink: Any = None
        self._columns: list[str] | None = None
        self._geo: dict[str, Any] | None = None
        self._file: Any = None
        self._warned: set[str] = set()

    def __enter__(self) -> EventsWriter:
        self._replacing = _replacing(self.path, SUFFIX_OF[self.format])
        self._tmp = self._replacing.__enter__()
        if self.format in ("geojson", "csv"):
            self._handle = open(self._tmp, "wb")
        if self.format == "geojson":
            self._sink = _GeoJSONSink(self._handle)
        return self

    def write(self, gdf: gpd.GeoDataFrame) -> None:
        """Append the events of ``gdf`` (same columns as the earlier chunks)."""
        if self._tmp is None:
            raise InputError("EventsWriter.write outside its with-block")
        gdf = _in_wgs84(gdf, "EventsWriter.write")
        _check_values(gdf, self.format)
        first = self.rows == 0 and self._columns is None
        if self.format == "geojson":
            self._sink.write(gdf)
        elif self.format == "csv":
            frame = _csv_frame(gdf, self._columns)
            self._columns = list(frame.columns)
            _write_csv(frame, self._handle, header=first)
        elif self.format == "gpkg":
            if len(gdf) or first:
                _write_gpkg(_for_gpkg(gdf, self._warned, stacklevel=3), self._tmp,
                            mode="w" if first else "a")  # fmt: skip
                self._columns = [str(c) for c in gdf.columns]
        else:
            self._write_parquet(gdf)
        self.rows += len(gdf)

    def write_all(self, chunks: Iterable[gpd.GeoDataFrame]) -> None:
        """Append every chunk of ``chunks``, in order.

        For Parquet each chunk is encoded and compressed in a background thread
        while the next one is being made (read, checked, geocoded): shapely's WKB
        and pyarrow's writer release the GIL, so a second core does the writing.
        At most one chunk waits to be written, so memory stays bounded by two
        chunks; an error in either thread stops both and is raised here.
        """
        if self.format != "parquet":
            for chunk in chunks:
                self.write(chunk)
            return
        from concurrent.futures import Future, ThreadPoolExecutor

        with ThreadPoolExecutor(1, thread_name_prefix="geo_events-writer") as pool:
            pending: Future[None] | None = None
            try:
                for chunk in chunks:
                    if pending is not None:
                        pending.result()
                    pending = pool.submit(self.write, chunk)
            finally:
                if pending is not None:
                    pending.result()

    def _write_parquet(self, gdf: gpd.GeoDataFrame) -> None:
        import pyarrow.parquet as pq

        # geopandas' own GeoDataFrame -> Arrow step (private, so not in its stubs): the
        # same GeoParquet metadata as to_parquet, one row group at a time
        from geopandas.io.arrow import _geopandas_to_arrow  # type: ignore[attr-defined]

        with _arrow_errors(gdf):
            table = _geopandas_to_arrow(_for_ogr(gdf), index=False)
            geo = json.loads(table.schema.metadata[b"geo"])
            if self._handle is None:
                assert self._tmp is not None  # set by __enter__
                self._file = open(self._tmp, "wb")  # noqa: SIM115
                self._handle = pq.ParquetWriter(self._file, table.schema)
                self._schema = table.schema
                self._columns = list(table.schema.names)
            elif table.schema.names != self._columns:
                raise InputError(
                    f"a chunk's columns differ from the first chunk's: "
                    f"{sorted(set(table.schema.names) ^ set(self._columns or ()))}"
                )
            else:
                table = table.replace_schema_metadata(self._schema.metadata).cast(self._schema)
        self._geo = _merge_geo_metadata(self._geo, geo)
        self._handle.write_table(table)

    def close(self) -> Path:
        """Finish the file and move it into place; returns the path."""
        if self._tmp is None:
            return self.path
        try:
            if self.format == "geojson":
                self._sink.close()
            if self.format == "parquet" and self._handle is not None:
                self._handle.add_key_value_metadata({"geo": json.dumps(self._geo)})
            if self._handle is not None:
                self._handle.close()
                self._handle = None
            if self._file is not None:
                self._file.close()
                self._file = None
            if self._columns is None and self.format in ("parquet", "gpkg", "csv"):
                raise InputError(f"{self.path}: no chunks to write (an empty table has no columns)")
        except BaseException as err:
            self._finish(err)
            raise
        self._finish(None)
        return self.path

    def _finish(self, err: BaseException | None) -> None:
        replacing, self._replacing, self._tmp = self._replacing, None, None
        for handle in (self._handle, self._file):
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()
        self._handle = self._file = None
        if replacing is not None:
            if err is None:
                replacing.__exit__(None, None, None)
            else:
                replacing.__exit__(type(err), err, err.__traceback__)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.close()
        else:
            self._finish(exc)


def write_events_chunks(
    chunks: Iterable[gpd.GeoDataFrame], path: str | Path, *, format: str | None = None
) -> Path:
    """Write a stream of events GeoDataFrames to one file, one chunk at a time.

    Parameters
    ----------
    chunks
        GeoDataFrames with the same columns, e.g. from
        :func:`geo_events.io.tables.iter_events`.
    path
        Output file; replaced when the whole stream is written (a temporary
        sibling until then; nothing is left behind if the stream raises).
    format
        As for :func:`write_events`; from the suffix when None.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputError
        Unknown format, a chunk that is not a GeoDataFrame or whose columns differ
        from the first chunk's, or (GeoParquet, GeoPackage, CSV) no chunk at all.

    See Also
    --------
    EventsWriter : the same, as a context manager fed chunk by chunk.

    Examples
    --------
    >>> from geo_events.io.tables import iter_events
    >>> write_events_chunks(iter_events("big.csv"), "big.parquet")  # doctest: +SKIP
    PosixPath('big.parquet')
    """
    with EventsWriter(path, format=format) as writer:
        writer.write_all(chunks)
    return writer.path


def read_events_file(path: str | Path, *, format: EventsFormat | None = None) -> gpd.GeoDataFrame:
    """Deprecated: use :func:`geo_events.read_events` (:func:`geo_events.io.events_files.read_events`)."""
    from geo_events.io.events_files import read_events

    warnings.warn(
        "read_events_file is deprecated: use geo_events.read_events(path), "
        "the reading half of write_events",
        DeprecationWarning,
        stacklevel=2,
    )
    return read_events(path, format=format)
