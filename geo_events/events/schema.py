"""The one events schema: every column, its dtype and its meaning, as data.

Readers of tables (ACLED, GDELT, UCDP, any spreadsheet), article extraction, the
writers, the maps and the analyses all use one GeoDataFrame layout, defined once
here in :data:`EVENTS_SCHEMA`. ``docs/events-schema.md`` is generated from it by
:func:`schema_markdown` (a test checks that the two agree).

Decisions, written down so the next engineer sees why:

- ACLED's column names are used wherever ACLED has the concept, with ACLED's
  meaning. ACLED's ``iso`` is the *numeric* ISO 3166-1 code (760 for Syria), so
  ours is too; the two-letter code the gazetteer speaks is ``country_code``.
- ``event_date`` is a naive ``datetime64[us]``: an event date is a calendar day
  where it happened, not an instant. Timezone-aware input is converted to UTC
  and the zone dropped.
- Categorical columns keep their categories sorted and limited to the values
  present, so that the same data always gives the same dtype whatever file it
  came through (round trips compare equal, chunks concatenate).
- Events that could not be placed keep their row, with a null geometry, NA
  coordinates, ``geocode_status == "unmatched"`` and a ``geocode_reason``.
- Columns that are not in the schema (ACLED's ``disorder_type``, GDELT's
  ``EventCode``, a user's own columns) are kept after the schema's columns.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from geo_events.errors import ValidationError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "ACLED_EVENT_TYPES",
    "EVENTS_SCHEMA",
    "GEOCODE_STATUSES",
    "RULED_COLUMNS",
    "SCHEMA_COLUMNS",
    "Column",
    "check_events",
    "empty_events",
    "event_problems",
    "point_coordinates",
    "schema_markdown",
    "to_events_frame",
    "validate_events",
]

CRS = "EPSG:4326"
DATETIME: Final = "datetime64[us]"


@dataclass(frozen=True)
class Column:
    """One column of the events schema.

    Attributes
    ----------
    name
        Column name (ACLED's where ACLED has the concept).
    dtype
        pandas dtype name: ``string``, ``category``, ``Int8``/``Int16``/``Int64``,
        ``Float64``, ``datetime64[us]`` or ``geometry``.
    meaning
        What the column holds.
    origin
        ``"acled"`` for ACLED's columns, ``"geo_events"`` for ours.
    bounds
        The least and greatest value allowed (inclusive; None: unbounded on that side),
        or None for a column without a range.
    allowed
        The only values allowed (the precisions' 1, 2, 3), or empty.

    The rules (``bounds``, ``allowed``, whole numbers for ``Int`` dtypes) are the one
    statement of what a value may be: the table reader drops a value that breaks
    them (recording why) and :func:`event_problems` reports one.
    """

    name: str
    dtype: str
    meaning: str
    origin: Literal["acled", "geo_events"] = "acled"
    bounds: tuple[float | None, float | None] | None = None
    allowed: tuple[int, ...] = ()

    @property
    def whole(self) -> bool:
        """Whether values are whole numbers (an ``Int`` dtype)."""
        return self.dtype.startswith("Int")

    @property
    def rule(self) -> str | None:
        """What a value must be, in words (None for a column without a value rule)."""
        if self.allowed:
            return "one of " + ", ".join(map(str, self.allowed))
        if self.bounds is None:
            return None
        low, high = self.bounds
        kind = "a whole number" if self.whole else "a number"
        if high is None:
            return f"{kind} of at least {low:g}"
        if low is None:
            return f"{kind} of at most {high:g}"
        return f"{kind} from {low:g} to {high:g}"

    def breaks_rule(self, values: Any) -> Any:
        """A boolean numpy array: which present values break the column's rule.

        ``values`` are numbers (anything ``pandas.to_numeric`` reads; what it cannot
        read is not judged here). Vectorised, so the reader checks a chunk at once.
        """
        import numpy as np
        import pandas as pd

        numbers = pd.to_numeric(pd.Series(values), errors="coerce")
        x = np.asarray(numbers.astype("Float64").to_numpy(dtype="float64", na_value=np.nan))
        present = ~np.isnan(x)
        bad = np.zeros(len(x), dtype=bool)
        if self.allowed:
            bad |= ~np.isin(x, np.asarray(self.allowed, dtype="float64"))
        elif self.bounds is not None:
            low, high = self.bounds
            if low is not None:
                bad |= x < low
            if high is not None:
                bad |= x > high
            if self.whole:
                with np.errstate(invalid="ignore"):
                    bad |= np.isfinite(x) & (x != np.round(x))
        return bad & present


def _ours(name: str, dtype: str, meaning: str) -> Column:
    return Column(name, dtype, meaning, "geo_events")


#: The events schema, in column order.
EVENTS_SCHEMA: tuple[Column, ...] = (
    Column("event_id_cnty", "string", "Event id, unique within a data set (ACLED: country prefix + number)."),
    Column("event_date", DATETIME, "Day the event happened (naive; time of day 00:00 unless known)."),
    Column("time_precision", "Int8", "How well the date is known: 1 the day, 2 the week, 3 the month or worse.", allowed=(1, 2, 3)),
    Column("event_type", "category", "ACLED event type (Battles, Explosions/Remote violence, Violence against civilians, Protests, Riots, Strategic developments)."),
    Column("sub_event_type", "category", "ACLED sub-event type (Armed clash, Air/drone strike, Peaceful protest, ...)."),
    Column("actor1", "string", "Main actor (perpetrator, attacker, protester)."),
    Column("assoc_actor_1", "string", "Actors associated with actor1, '; '-separated."),
    Column("actor2", "string", "Second actor (target, victim, opponent)."),
    Column("assoc_actor_2", "string", "Actors associated with actor2, '; '-separated."),
    Column("iso", "Int16", "Numeric ISO 3166-1 code of the country (ACLED's iso, e.g. 760 for Syria).", bounds=(0, 999)),
    Column("country", "string", "Country name."),
    Column("admin1", "string", "First-order administrative division (governorate, province, state)."),
    Column("admin2", "string", "Second-order administrative division (district)."),
    Column("location", "string", "Place name as given by the source."),
    Column("latitude", "Float64", "WGS84 latitude in degrees; NA when the event could not be placed.", bounds=(-90, 90)),
    Column("longitude", "Float64", "WGS84 longitude in degrees; NA when the event could not be placed.", bounds=(-180, 180)),
    Column("geo_precision", "Int8", "ACLED geo precision: 1 the place itself (a town, a village, a site); 2 near or part of a place, or a small region (an admin2, a named region); 3 a larger region (an admin1, at its centre) or a country.", allowed=(1, 2, 3)),
    Column("source", "string", "Who reported the event (outlets, '; '-separated, or a URL)."),
    Column("notes", "string", "Free-text description of the event."),
    Column("fatalities", "Int64", "Reported fatalities, the lowest credible figure (ACLED's rule).", bounds=(0, None)),
    _ours("country_code", "string", "ISO 3166-1 alpha-2 code of the country (the gazetteer's country_code)."),
    _ours("geonameid", "Int64", "GeoNames id of the place the point stands for; NA when not from the gazetteer."),
    _ours("matched_name", "string", "Gazetteer name the location matched."),
    _ours("match_type", "category", "How the name matched: exact, alternate, normalized or fuzzy."),
    Column("match_score", "Float64", "Score of the name match, 0..1.", "geo_events", bounds=(0, 1)),
    _ours("place_kind", "category", "Kind of gazetteer entry: place, feature, admin2, admin1, region or country."),
    _ours("geocode_status", "category", "How the point was obtained: given, swapped, matched, admin2, admin1 or unmatched (see GEOCODE_STATUSES)."),
    _ours("geocode_reason", "string", "Why the row is placed where it is or not at all (fallbacks, unknown names, bad coordinates)."),
    _ours("claim_status", "category", "For events from articles: whether the event is reported, claimed, denied or disputed."),
    _ours("reported_by", "string", "Who reported or claimed the event, '; '-separated."),
    _ours("denied_by", "string", "Who denied the event, '; '-separated."),
    _ours("evidence", "string", "The sentence(s) the event was extracted from."),
    _ours("article_id", "string", "Id of the article the event was extracted from."),
    Column("confidence", "Float64", "Confidence of the extraction, 0..1.", "geo_events", bounds=(0, 1)),
    _ours("source_line", "Int64", "Line of the input file (row of a sheet or Parquet file) the event was read from."),
    _ours("read_issues", "string", "Problems found reading this row ('column: problem', '; '-separated); NA when none."),
    _ours("geometry", "geometry", "Point(longitude, latitude) in EPSG:4326; null when the event could not be placed."),
)  # fmt: skip

#: Column names of :data:`EVENTS_SCHEMA`, in order.
SCHEMA_COLUMNS: tuple[str, ...] = tuple(c.name for c in EVENTS_SCHEMA)
_DTYPES: dict[str, str] = {c.name: c.dtype for c in EVENTS_SCHEMA}

#: ACLED's event types.
ACLED_EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)

#: Values of ``geocode_status`` and what they mean.
GEOCODE_STATUSES: dict[str, str] = {
    "given": "coordinates came with the input and are in range",
    "swapped": "the input's latitude and longitude were swapped (out of range, or the point lay outside the row's country and fits it swapped); they were swapped back",
    "matched": "the location was found in the gazetteer",
    "admin2": "the location is unknown; the point is its admin2 area",
    "admin1": "the location and admin2 are unknown; the point is its admin1 area",
    "unmatched": "the event could not be placed; geocode_reason says why",
}
_PLACED = frozenset(GEOCODE_STATUSES) - {"unmatched"}
#: The columns whose values have a rule (a range or allowed values), in schema order.
RULED_COLUMNS: tuple[Column, ...] = tuple(c for c in EVENTS_SCHEMA if c.rule is not None)
_MAX_ROWS_SHOWN = 10


def schema_markdown() -> str:
    """Return the schema as a Markdown document (the text of ``docs/events-schema.md``)."""
    lines = [
        "# The events schema",
        "",
        "Generated from `geo_events/events/schema.py` by `schema_markdown()`; do not edit by hand",
        "(`tests/test_events_schema.py` checks that this file matches the code).",
        "",
        "Every events table is a GeoDataFrame in EPSG:4326 with these columns, in this order;",
        "columns outside the schema are kept after them. Origin `acled` means ACLED's name and",
        "meaning; `geo_events` columns are ours.",
        "",
        "| column | dtype | origin | meaning | values |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [f"| `{c.name}` | `{c.dtype}` | {c.origin} | {c.meaning} | {c.rule or ''} |"
              for c in EVENTS_SCHEMA]  # fmt: skip
    lines += [
        "",
        "A value against its column's rule (*values*) is dropped when a table is read, with",
        "the reason in `read_issues`, and reported by `event_problems()`.",
    ]
    lines += ["", "## `geocode_status`", "", "| value | meaning |", "| --- | --- |"]
    lines += [f"| `{k}` | {v} |" for k, v in GEOCODE_STATUSES.items()]
    lines += ["", "## ACLED event types", ""]
    lines += [f"- {t}" for t in ACLED_EVENT_TYPES]
    return "\n".join(lines) + "\n"


def empty_events() -> gpd.GeoDataFrame:
    """Return an events GeoDataFrame with no rows and every schema column.

    Examples
    --------
    >>> empty_events().shape[0]
    0
    """
    import pandas as pd

    return to_events_frame(pd.DataFrame())


def _rows(mask: Any, index: Any) -> str:
    labels = list(index[mask][:_MAX_ROWS_SHOWN])
    more = int(mask.sum()) - len(labels)
    text = ", ".join(map(str, labels))
    return text + (f" and {more} more" if more > 0 else "")


def _encodable(values: pd.Series, name: str, problems: list[str]) -> bool:
    """Whether a text column can be stored (Arrow strings refuse lone surrogates).

    Such text comes from file names or bytes decoded with ``surrogateescape``; it is
    reported as a schema problem naming the rows, not left to fail inside pyarrow.
    """
    if values.dtype != object:
        return True
    try:
        values.astype("string")
    except UnicodeEncodeError:
        pass
    else:
        return True

    def bad(value: object) -> bool:
        if not isinstance(value, str):
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False

    mask = values.map(bad).astype(bool)
    problems.append(
        f"column {name!r}: {int(mask.sum())} value(s) hold lone surrogates (undecodable bytes) "
        f"at rows {_rows(mask, values.index)}; replace them, e.g. with U+FFFD"
    )
    return False


def _coerce_numeric(values: pd.Series, dtype: str, name: str, problems: list[str]) -> pd.Series:
    import numpy as np
    import pandas as pd

    # pandas-stubs take only literal dtype names, and the schema's are plain str;
    # astype resolves a name with pandas_dtype itself, so this changes nothing
    target = pd.api.types.pandas_dtype(dtype)
    if values.dtype == target:
        return values
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("object")
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        numbers = values  # already numbers: nothing to parse, nothing that is not one
    else:
        numbers = pd.to_numeric(values, errors="coerce")
        bad = numbers.isna() & values.notna()
        if (
            values.dtype == object
            or isinstance(values.dtype, pd.StringDtype)
            or (values.dtype == "str")
        ):
            blank = values.astype("string").str.strip().fillna("") == ""
            bad &= ~blank
        if bad.any():
            problems.append(
                f"column {name!r}: {int(bad.sum())} value(s) are not numbers at rows {_rows(bad, values.index)}"
            )
    if dtype.startswith("Int"):
        x = np.asarray(pd.Series(numbers).astype("Float64").to_numpy(dtype="float64",
                                                                     na_value=np.nan))  # fmt: skip
        present = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            fractional = present & (x != np.round(x))
        if fractional.any():
            problems.append(
                f"column {name!r}: {int(fractional.sum())} value(s) are not whole numbers "
                f"at rows {_rows(fractional, values.index)}"
            )
        info = np.iinfo(dtype.lower())
        with np.errstate(invalid="ignore"):
            out_of_range = present & ~fractional & ((x < info.min) | (x > info.max))
        if out_of_range.any():
            problems.append(
                f"column {name!r}: {int(out_of_range.sum())} value(s) do not fit {dtype} "
                f"at rows {_rows(out_of_range, values.index)}"
            )
        keep = present & ~fractional & ~out_of_range
        whole = np.where(keep, x, 0).astype(dtype.lower())
        ints: pd.Series = pd.Series(pd.arrays.IntegerArray(whole, ~keep), index=values.index)
        return ints
    return numbers.astype(target)


def _coerce_datetime(values: pd.Series, name: str, problems: list[str]) -> pd.Series:
    import pandas as pd

    if isinstance(values.dtype, pd.DatetimeTZDtype):
        # .dt of an untyped Series is Any in pandas-stubs
        naive: pd.Series = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return naive.astype(DATETIME)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return values.astype(DATETIME)
    text = values.astype("string").str.strip()
    text = text.mask(text == "")
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    retry = parsed.isna() & text.notna()
    if retry.any():
        parsed[retry] = pd.to_datetime(text[retry], errors="coerce", format="mixed", utc=True)
    bad = parsed.isna() & text.notna()
    if bad.any():
        problems.append(
            f"column {name!r}: {int(bad.sum())} value(s) are not dates at rows {_rows(bad, values.index)}"
        )
    return parsed.dt.tz_localize(None).astype(DATETIME)


def category_values(values: pd.Series) -> pd.Series:
    """``values`` as the schema's categories: text categories, sorted, only those used."""
    import pandas as pd

    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = values.cat.categories
        if cats.dtype != object or any(not isinstance(c, str) for c in cats):
            # object categories, not inferred ones (pandas-stubs omit Index, which pandas takes)
            names = pd.Index([str(c) for c in cats], dtype=object)
            values = values.cat.rename_categories(names)  # type: ignore[arg-type]
        values = values.cat.remove_unused_categories()
        used = pd.Index(sorted(values.cat.categories), dtype=object)
        if not values.cat.categories.equals(used) or values.cat.ordered:
            values = values.cat.reorder_categories(used, ordered=False)
        return values
    import numpy as np

    # categories from the factorized codes: one hash pass over the rows, the sort
    # only over the distinct values
    codes, uniques = pd.factorize(values.astype("string"), use_na_sentinel=True)
    texts = [str(u) for u in uniques]
    order = np.argsort(np.asarray(texts, dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    used = pd.Index([texts[i] for i in order], dtype=object)
    sorted_codes = np.where(codes < 0, -1, rank[np.maximum(codes, 0)]) if len(order) else codes
    categorical = pd.Categorical.from_codes(sorted_codes, categories=used)
    # Any in pandas-stubs under Python 3.10 (their Self comes from typing, new in 3.11)
    series: pd.Series = pd.Series(categorical, index=values.index)
    return series


def _all_missing(n: int, dtype: str) -> Any:
    """An array of ``n`` missing values of a schema dtype, built without a Python list."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    if dtype == "category":
        return pd.Categorical.from_codes(np.full(n, -1, dtype=np.int8),
                                         categories=pd.Index([], dtype=object))  # fmt: skip
    if dtype == "string":
        return pd.Series(pa.nulls(n, pa.large_string()), dtype="string").array
    if dtype == DATETIME:
        return np.full(n, np.datetime64("NaT"), dtype=DATETIME)
    if dtype == "Float64":
        return pd.arrays.FloatingArray(np.zeros(n), np.ones(n, dtype=bool))
    if dtype.startswith("Int"):
        return pd.arrays.IntegerArray(np.zeros(n, dtype=dtype.lower()), np.ones(n, dtype=bool))
    # pd.array's stubs take only literal dtype names; the schema's are plain str
    return pd.array([None] * n, dtype=cast("Any", dtype))


def point_coordinates(geometry: gpd.GeoSeries) -> tuple[Any, Any]:
    """The (latitude, longitude) arrays of a GeoSeries' points; NaN for every other shape.

    Polygons, lines, empty points and missing geometries have no coordinates to
    give (geopandas' ``.x``/``.y`` would raise on the first non-point), so their
    rows are left for the coordinates or place names the table holds.
    """
    import numpy as np
    import shapely

    shapes = np.asarray(geometry.array, dtype=object)
    usable = (shapely.get_type_id(shapes) == 0) & ~shapely.is_empty(shapes)
    lat = np.full(len(shapes), np.nan)
    lon = np.full(len(shapes), np.nan)
    lat[usable] = shapely.get_y(shapes[usable])
    lon[usable] = shapely.get_x(shapes[usable])
    return lat, lon


def _points(lon: pd.Series, lat: pd.Series) -> Any:
    import numpy as np
    import shapely

    has = (lon.notna() & lat.notna()).to_numpy()
    geoms = np.full(len(lon), None, dtype=object)
    if has.any():
        geoms[has] = shapely.points(
            lon.to_numpy(dtype="float64", na_value=np.nan)[has],
            lat.to_numpy(dtype="float64", na_value=np.nan)[has],
        )
    return geoms


def to_events_frame(data: Any, *, extra: Literal["keep", "drop"] = "keep") -> gpd.GeoDataFrame:
    """Coerce a table to the events schema.

    Missing schema columns are added (all NA), every schema column is converted to
    its dtype, and the geometry is built from ``longitude``/``latitude`` (or, when
    the input is a GeoDataFrame without those columns, they are taken from its
    point geometry). A GeoDataFrame in another CRS is reprojected to EPSG:4326; one
    without a CRS is taken to be in EPSG:4326 already.

    Parameters
    ----------
    data
        A DataFrame, GeoDataFrame, or anything :class:`pandas.DataFrame` accepts.
    extra
        ``"keep"`` columns outside the schema (after the schema's) or ``"drop"`` them.

    Returns
    -------
    geopandas.GeoDataFrame
        The events, with the input's index.

    Raises
    ------
    ValidationError
        When values cannot be converted (text in a number column, a non-date in
        ``event_date``); ``problems`` lists every column and the rows concerned.

    Examples
    --------
    >>> import pandas as pd
    >>> gdf = to_events_frame(pd.DataFrame({"latitude": [35.3], "longitude": [40.1]}))
    >>> str(gdf["geo_precision"].dtype), gdf.crs.to_epsg()
    ('Int8', 4326)
    """
    import geopandas as gpd
    import pandas as pd

    if isinstance(data, gpd.GeoDataFrame):
        geo = data
        if geo.crs is not None and geo.crs.to_epsg() != 4326:
            geo = geo.to_crs(CRS)
            geo = geo.assign(latitude=geo.geometry.y, longitude=geo.geometry.x)
        geometry = geo.geometry
        if "latitude" not in geo.columns or "longitude" not in geo.columns:
            lat, lon = point_coordinates(geometry)
            geo = geo.assign(
                latitude=pd.Series(lat, index=geo.index), longitude=pd.Series(lon, index=geo.index)
            )
        frame = pd.DataFrame(geo.drop(columns=geo.geometry.name))
    else:
        frame = pd.DataFrame(data)
        geometry = None
        if "geometry" in frame.columns:
            geometry = gpd.GeoSeries(frame.pop("geometry"), crs=CRS)
    problems: list[str] = []
    out: dict[str, Any] = {}
    n = len(frame)
    for column in EVENTS_SCHEMA:
        name, dtype = column.name, column.dtype
        if name == "geometry":
            continue
        if name not in frame.columns:
            out[name] = pd.Series(_all_missing(n, dtype), index=frame.index, copy=False)
            continue
        values = frame[name]
        if dtype in ("string", "category") and not _encodable(values, name, problems):
            continue
        if dtype == "string":
            if isinstance(values.dtype, pd.CategoricalDtype):
                values = values.astype(object)
            out[name] = values.astype("string")
        elif dtype == "category":
            out[name] = category_values(values)
        elif dtype == DATETIME:
            out[name] = _coerce_datetime(values, name, problems)
        else:
            out[name] = _coerce_numeric(values, dtype, name, problems)
    if problems:
        raise ValidationError(
            f"the table does not fit the events schema ({len(problems)} problem(s)): "
            + "; ".join(problems),
            problems,
        )
    result = pd.DataFrame(out, index=frame.index)
    if extra == "keep":
        extras = [c for c in frame.columns if c not in _DTYPES]
        if extras:
            result = pd.concat([result, frame[extras]], axis=1)
    if geometry is None:
        geoms = _points(result["longitude"], result["latitude"])
        geometry = gpd.GeoSeries(geoms, index=frame.index, crs=CRS)
    else:
        geometry = gpd.GeoSeries(geometry.to_numpy(), index=frame.index, crs=CRS)
    cols = list(result.columns)
    geo_at = SCHEMA_COLUMNS.index("geometry")
    result.insert(min(geo_at, len(cols)), "geometry", geometry)
    return gpd.GeoDataFrame(result, geometry="geometry", crs=CRS)


def _dtype_ok(series: pd.Series, dtype: str) -> bool:
    import pandas as pd

    if dtype == "category":
        return isinstance(series.dtype, pd.CategoricalDtype)
    if dtype == "string":
        return isinstance(series.dtype, pd.StringDtype) and series.dtype.na_value is pd.NA
    return str(series.dtype) == dtype


def validate_events(gdf: Any) -> list[str]:
    """Check ``gdf`` against the events schema; raise listing every problem.

    Returns an empty list when ``gdf`` is valid (so ``assert validate_events(gdf) == []``
    reads as before); :func:`event_problems` returns the problems instead of raising.

    Raises
    ------
    ValidationError
        When ``gdf`` departs from the schema; ``.problems`` lists every problem.

    Examples
    --------
    >>> validate_events(empty_events())
    []
    """
    problems = event_problems(gdf)
    if problems:
        raise ValidationError(
            f"events table has {len(problems)} problem(s):\n- " + "\n- ".join(problems), problems
        )
    return problems


def event_problems(gdf: Any) -> list[str]:
    """Return every way ``gdf`` departs from the events schema (empty when valid).

    Checks the type and CRS, that every column is there with its dtype, that
    geometries are points agreeing with latitude/longitude, value ranges
    (coordinates, precisions, scores, fatalities), duplicate event ids, the
    placement status of each row, and that unplaced rows carry a reason.

    Examples
    --------
    >>> import pandas as pd
    >>> event_problems(pd.DataFrame())[0]
    'not a GeoDataFrame (got DataFrame); build one with to_events_frame()'
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    if not isinstance(gdf, gpd.GeoDataFrame):
        return [f"not a GeoDataFrame (got {type(gdf).__name__}); build one with to_events_frame()"]
    problems: list[str] = []
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        problems.append(f"CRS is {gdf.crs!r}, not EPSG:4326; reproject with gdf.to_crs(4326)")
    missing = [c for c in SCHEMA_COLUMNS if c not in gdf.columns]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if getattr(gdf, "_geometry_column_name", None) != "geometry":
        problems.append("the active geometry column must be named 'geometry'")
    for column in EVENTS_SCHEMA:
        name = column.name
        if name in missing or name == "geometry":
            continue
        if not _dtype_ok(gdf[name], column.dtype):
            problems.append(f"column {name!r} has dtype {gdf[name].dtype}, expected {column.dtype}")
    index = gdf.index
    if "geometry" in gdf.columns:
        geoms = gpd.GeoSeries(gdf["geometry"])
        present = geoms.notna() & ~geoms.is_empty
        not_point = present & (geoms.geom_type != "Point")
        if not_point.any():
            problems.append(
                f"geometry: {int(not_point.sum())} non-point geometries at rows {_rows(not_point, index)}"
            )
        if not missing or ("latitude" in gdf.columns and "longitude" in gdf.columns):
            lat = pd.to_numeric(gdf["latitude"], errors="coerce").astype("Float64")
            lon = pd.to_numeric(gdf["longitude"], errors="coerce").astype("Float64")
            has_xy = (lat.notna() & lon.notna()).to_numpy(dtype=bool)
            pts = (present & ~not_point).to_numpy()
            mismatch = has_xy != pts
            both = has_xy & pts
            if both.any():
                located = cast("gpd.GeoSeries", geoms[both])  # a mask keeps the GeoSeries
                x = located.x.to_numpy()
                y = located.y.to_numpy()
                off = (np.abs(x - lon[both].to_numpy(dtype=float)) > 1e-9) | (
                    np.abs(y - lat[both].to_numpy(dtype=float)) > 1e-9
                )
                mismatch[np.flatnonzero(both)[off]] = True
            if mismatch.any():
                problems.append(
                    f"geometry disagrees with latitude/longitude at rows {_rows(mismatch, index)}"
                )
    for column in RULED_COLUMNS:
        if column.name not in gdf.columns:
            continue
        bad = column.breaks_rule(gdf[column.name])
        if bad.any():
            problems.append(
                f"column {column.name!r}: {int(bad.sum())} value(s) not {column.rule} at rows "
                f"{_rows(bad, index)}"
            )
    if "event_id_cnty" in gdf.columns:
        ids = gdf["event_id_cnty"]
        dup = (ids.notna() & ids.duplicated(keep=False)).to_numpy(dtype=bool)
        if dup.any():
            problems.append(
                f"column 'event_id_cnty': {int(dup.sum())} rows share an id, at rows {_rows(dup, index)}"
            )
    if "geocode_status" in gdf.columns:
        status = gdf["geocode_status"].astype("string")
        unknown = (status.notna() & ~status.isin(list(GEOCODE_STATUSES))).to_numpy(dtype=bool)
        if unknown.any():
            problems.append(
                f"column 'geocode_status': unknown values {sorted(set(status[unknown]))} "
                f"(expected one of {', '.join(GEOCODE_STATUSES)})"
            )
        if "latitude" in gdf.columns and "longitude" in gdf.columns:
            has_xy = (gdf["latitude"].notna() & gdf["longitude"].notna()).to_numpy(dtype=bool)
            placed = status.isin(list(_PLACED)).fillna(False).to_numpy(dtype=bool)
            unplaced = (status == "unmatched").fillna(False).to_numpy(dtype=bool)
            if (placed & ~has_xy).any():
                problems.append(
                    f"rows marked placed have no coordinates: {_rows(placed & ~has_xy, index)}"
                )
            if (unplaced & has_xy).any():
                problems.append(
                    f"rows marked unmatched have coordinates: {_rows(unplaced & has_xy, index)}"
                )
            if "geocode_reason" in gdf.columns:
                no_reason = ~has_xy & gdf["geocode_reason"].isna().to_numpy(dtype=bool)
                if no_reason.any():
                    problems.append(
                        f"unplaced rows without a geocode_reason: {_rows(no_reason, index)}"
                    )
    return problems


def check_events(gdf: Any) -> None:
    """Deprecated: use :func:`validate_events`, which now raises the same way."""
    warnings.warn(
        "check_events is deprecated: validate_events(gdf) raises ValidationError the same way; "
        "event_problems(gdf) returns the problems",
        DeprecationWarning,
        stacklevel=2,
    )
    validate_events(gdf)
