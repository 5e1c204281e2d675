"""Write events to GeoJSON, GeoPackage, GeoParquet or ACLED-layout CSV, and read them back.

:func:`write_events` writes an events GeoDataFrame; :func:`read_events_file`
reads any of these files back into the events schema, so that
``read_events_file(write_events(gdf, path))`` equals ``gdf`` (schema columns and
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
  column), then our columns and any others.

:func:`write_events_chunks` (or :class:`EventsWriter`) writes the same formats
from a stream of GeoDataFrames (e.g. :func:`geo_events.io.tables.iter_events`),
holding one chunk at a time: GeoParquet through one ``pyarrow.parquet.ParquetWriter``
(categories written as plain text so every chunk has one schema; the ``geo``
metadata, with the union of the chunks' bounding boxes and geometry types, is
written at the end), GeoPackage by appending, CSV with one header and GeoJSON
feature by feature. Two differences from one frame, both harmless on reading
back: a chunk decides by itself whether dates carry a time of day (CSV/GeoJSON
text), and GeoParquet categories come back as text from
``geopandas.read_parquet`` (:func:`read_events_file` restores them).

Every file is written to a temporary sibling and renamed into place when
complete, so a failed write never leaves a partial file under the target name.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from geo_events.errors import InputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "ACLED_CSV_COLUMNS",
    "WRITE_FORMATS",
    "EventsWriter",
    "read_events_file",
    "write_events",
    "write_events_chunks",
]

#: File formats :func:`write_events` writes.
WRITE_FORMATS: tuple[str, ...] = ("geojson", "gpkg", "parquet", "csv")
_SUFFIXES = {
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


def _format_of(path: Path, format: str | None) -> str:
    if format is not None:
        if format not in WRITE_FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(WRITE_FORMATS)}")
        return format
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError(
            f"cannot tell the format of {path.name!r} from its suffix; pass format= one of "
            f"{', '.join(WRITE_FORMATS)}"
        )
    return found


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary sibling of ``path`` (same suffix), renamed to ``path`` on success."""
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".part{path.suffix}",
                                dir=path.parent)  # fmt: skip
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
        gdf = gdf.to_crs(4326)
    return gdf


def _dates_as_text(values: pd.Series) -> pd.Series:
    """ISO 8601 text: dates alone when every time of day is midnight."""
    import pandas as pd

    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    has_time = bool((values.dropna() != values.dropna().dt.normalize()).any())
    text = values.dt.strftime("%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d")
    return text.astype("string")


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
    return pd.DataFrame(out, index=frame.index)


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
        return pc.fill_null(pc.cast(pc.if_else(arr, "true", "false"), pa.large_string()), "null")
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
        import numpy as np
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
            features = _join(*pieces)
            if isinstance(features, pa.ChunkedArray):
                features = features.combine_chunks()
            if self._any:
                self._handle.write(b",\n")
            self._any = True
            # the concatenated features are the string data buffer, between two offsets
            _, offsets_buffer, data = features.buffers()
            offsets = np.frombuffer(offsets_buffer, dtype=np.int64)
            begin, end = offsets[features.offset], offsets[features.offset + len(features)]
            self._handle.write(memoryview(data)[begin:end])

    def close(self) -> None:
        self._handle.write(b"\n]}\n" if self._any else b"]}\n")


def _write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    with open(path, "wb") as handle:
        sink = _GeoJSONSink(handle)
        sink.write(gdf)
        sink.close()


def _for_ogr(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Plain dtypes pyogrio writes faithfully (categories as text)."""
    import pandas as pd

    out = gdf.copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].astype("string")
    return out


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
    fmt = _format_of(path, format)
    gdf = _in_wgs84(gdf, "write_events")
    with _replacing(path) as tmp:
        if fmt == "geojson":
            _write_geojson(gdf, tmp)
        elif fmt == "parquet":
            gdf.to_parquet(tmp, index=False)
        elif fmt == "gpkg":
            _for_ogr(gdf).to_file(tmp, driver="GPKG", layer="events", engine="pyogrio")
        else:
            _csv_frame(gdf).to_csv(tmp, index=False, lineterminator="\n")
    return path


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
    return frame[order]


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
        self.format = _format_of(self.path, format)
        self.rows = 0
        self._replacing: contextlib.AbstractContextManager[Path] | None = None
        self._tmp: Path | None = None
        self._handle: Any = None
        self._sink: Any = None
        self._columns: list[str] | None = None
        self._geo: dict[str, Any] | None = None

    def __enter__(self) -> EventsWriter:
        self._replacing = _replacing(self.path)
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
        first = self.rows == 0 and self._columns is None
        if self.format == "geojson":
            self._sink.write(gdf)
        elif self.format == "csv":
            frame = _csv_frame(gdf, self._columns)
            self._columns = list(frame.columns)
            frame.to_csv(self._handle, index=False, header=first, lineterminator="\n")
        elif self.format == "gpkg":
            if len(gdf) or first:
                _for_ogr(gdf).to_file(self._tmp, driver="GPKG", layer="events",
                                      engine="pyogrio", mode="w" if first else "a")  # fmt: skip
                self._columns = [str(c) for c in gdf.columns]
        else:
            self._write_parquet(gdf)
        self.rows += len(gdf)

    def _write_parquet(self, gdf: gpd.GeoDataFrame) -> None:
        import pyarrow.parquet as pq
        from geopandas.io.arrow import _geopandas_to_arrow

        table = _geopandas_to_arrow(_for_ogr(gdf), index=False)
        geo = json.loads(table.schema.metadata[b"geo"])
        if self._handle is None:
            self._handle = pq.ParquetWriter(self._tmp, table.schema)
            self._schema = table.schema
            self._columns = list(table.schema.names)
        elif table.schema.names != self._columns:
            raise InputError(
                f"a chunk's columns differ from the first chunk's: "
                f"{sorted(set(table.schema.names) ^ set(self._columns))}"
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
            if self._columns is None and self.format in ("parquet", "gpkg", "csv"):
                raise InputError(f"{self.path}: no chunks to write (an empty table has no columns)")
        except BaseException as err:
            self._finish(err)
            raise
        self._finish(None)
        return self.path

    def _finish(self, err: BaseException | None) -> None:
        replacing, self._replacing, self._tmp = self._replacing, None, None
        if self._handle is not None:
            with contextlib.suppress(Exception):
                self._handle.close()
            self._handle = None
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
        for chunk in chunks:
            writer.write(chunk)
    return writer.path


def read_events_file(path: str | Path, *, format: str | None = None) -> gpd.GeoDataFrame:
    """Read a file written by :func:`write_events` back into the events schema.

    Parameters
    ----------
    path
        A ``.geojson``, ``.gpkg``, ``.parquet`` or ``.csv`` file.
    format
        As for :func:`write_events`; from the suffix when None.

    Returns
    -------
    geopandas.GeoDataFrame
        The events, coerced to the schema by
        :func:`~geo_events.events.schema.to_events_frame`.

    Notes
    -----
    This reads our own output as it is. To read someone else's table (checking
    every value and geocoding rows without coordinates), use
    :func:`geo_events.io.tables.read_events`.
    """
    import geopandas as gpd
    import pandas as pd

    from geo_events.events.schema import to_events_frame

    path = Path(path)
    fmt = _format_of(path, format)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if fmt == "parquet":
        frame: Any = gpd.read_parquet(path)
    elif fmt == "csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    else:
        frame = gpd.read_file(path, engine="pyogrio")
    if fmt == "geojson" and {"latitude", "longitude"} <= set(frame.columns):
        # the properties keep full precision; the RFC 7946 coordinates are rounded
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return to_events_frame(frame)
