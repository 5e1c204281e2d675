"""Vectorized geocoding of a table's place columns.

Tables of events (ACLED, UCDP, a spreadsheet) repeat a few thousand place names
over many rows, so each distinct (location, country, admin1, admin2) combination
is resolved once and the answers are broadcast back. When the place itself is
unknown the row falls back to its admin2, then its admin1 — the way ACLED codes
an event in an unnamed village — and the precision says so:

=================  ============  ================================================
geocode_status     geo_precision  meaning
=================  ============  ================================================
``matched``        1, 2 or 3     the location itself (1 a place or site, 2 an
                                 admin2 area, 3 an admin1 area, region or country)
``admin2``         2             the location is unknown; its admin2 was found
``admin1``         3             the location and admin2 are unknown; admin1 found
``unmatched``      <NA>          nothing found; ``geocode_reason`` says why
=================  ============  ================================================

No row is dropped: the result has the input's index and one row per input row.
A cell that is no name (a list, a dict, NaN, NA, text with lone surrogates) is
``unmatched`` with its reason, never an exception.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from geo_events.errors import InputError
from geo_events.gazetteer.arguments import as_flag, is_missing
from geo_events.gazetteer.normalize import name_key
from geo_events.gazetteer.records import Candidate, Kind, Resolution

if TYPE_CHECKING:
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

__all__ = ["GEOCODE_COLUMNS", "geo_precision_of", "geocode_table"]

#: The columns :func:`geocode_table` returns, in order.
GEOCODE_COLUMNS = (
    "latitude",
    "longitude",
    "geonameid",
    "matched_name",
    "match_type",
    "match_score",
    "geo_precision",
    "geocode_status",
    "geocode_reason",
    "iso",
    "country",
    "admin1",
    "admin2",
    "place_kind",
)

#: The text columns among them (one value per distinct key, then spread).
_TEXT_COLUMNS = (
    "matched_name",
    "match_type",
    "geocode_status",
    "geocode_reason",
    "iso",
    "country",
    "admin1",
    "admin2",
    "place_kind",
)

_PRECISION = {
    Kind.PLACE: 1,
    Kind.FEATURE: 1,
    Kind.ADMIN2: 2,
    Kind.ADMIN1: 3,
    Kind.REGION: 3,
    Kind.COUNTRY: 3,
}


def geo_precision_of(candidate: Candidate) -> int:
    """Return ACLED's geo_precision for a place matched by name (1, 2 or 3)."""
    return _PRECISION[candidate.kind]


#: Stands for a missing cell in a multi-column key (pandas 3 turns a "\x00" fill into "").
_MISSING = "\ufdd0"  # a Unicode noncharacter: never in a place name


class _Unhashable:
    """A cell that cannot be a key (a list, a dict, an array), kept by its repr.

    Text that is not valid Unicode (lone surrogates) is wrapped too, keeping the
    text: pandas would hand it to Arrow, which refuses it, when it builds keys.
    """

    __slots__ = ("text", "type_name", "value")

    def __init__(self, value: Any) -> None:
        self.value = value if isinstance(value, str) else None
        self.type_name = type(value).__name__
        try:
            text = repr(value)
        except Exception:  # a cell whose repr fails is still a cell
            text = f"<{self.type_name}>"
        self.text = text if len(text) <= 60 else text[:57] + "..."

    def __hash__(self) -> int:
        return hash((self.type_name, self.text))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unhashable) and (other.type_name, other.text) == (
            self.type_name,
            self.text,
        )

    def __str__(self) -> str:
        return self.value if self.value is not None else self.text


def _hashable_cell(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _Unhashable(value)
        return value
    if isinstance(value, tuple):  # pandas reads a tuple in a key as several levels
        return _Unhashable(value)
    try:
        hash(value)
    except TypeError:
        return _Unhashable(value)
    return value


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if is_missing(value):
        return None
    try:
        text = str(value).strip()
    except Exception:  # a cell whose str() fails gives no hint
        return None
    return text or None


def _resolve_row(
    gaz: Gazetteer,
    location: Any,
    country: Any,
    admin1: Any,
    admin2: Any,
    fuzzy: bool,
) -> tuple[Candidate | None, str, int | None, str]:
    """Resolve one distinct key: (candidate, status, precision, reason)."""
    country_s, admin1_s, admin2_s = _text(country), _text(admin1), _text(admin2)
    if isinstance(location, _Unhashable):
        if location.value is None:
            return None, "unmatched", None, f"not a name: {location.type_name} {location.text}"
        location = location.value  # text with lone surrogates: resolve says why not
    hints: dict[str, Any] = {"admin1": admin1_s, "admin2": admin2_s, "fuzzy": fuzzy}
    if country_s is not None:
        if gaz.country_code(country_s) is None:
            reason_country = f"unknown country {country_s!r} ignored; "
        else:
            hints["country"] = country_s
            reason_country = ""
    else:
        reason_country = ""
    first: Resolution = gaz.resolve(location, **hints)
    if first.candidate is not None:
        chosen = _place_over_area(gaz, location, first.candidate, hints)
        return chosen, "matched", geo_precision_of(chosen), reason_country
    reasons = [first.reason]
    for column, value, kind, status, precision in (
        ("admin2", admin2_s, Kind.ADMIN2, "admin2", 2),
        ("admin1", admin1_s, Kind.ADMIN1, "admin1", 3),
    ):
        if value is None:
            continue
        fallback_hints = {k: v for k, v in hints.items() if k not in ("admin1", "admin2")}
        if kind is Kind.ADMIN2 and admin1_s is not None:
            fallback_hints["admin1"] = admin1_s
        if kind is Kind.ADMIN2:  # also through its seat town ("Djenne": Djenne Cercle)
            fallback = gaz.resolve_admin2(value, **fallback_hints)
        else:
            fallback = gaz.resolve(value, kinds=(kind,), **fallback_hints)
        if fallback.candidate is not None:
            why = f"{reason_country}{first.reason}; placed at its {column} {value!r}"
            return fallback.candidate, status, precision, why
        reasons.append(f"{column}: {fallback.reason}")
    return None, "unmatched", None, reason_country + "; ".join(reasons)


def _place_over_area(
    gaz: Gazetteer, location: Any, candidate: Candidate, hints: dict[str, Any]
) -> Candidate:
    """A table's location names a place: the town inside an area of the same name wins.

    ACLED and UCDP write the town in ``location`` and its areas in their own
    columns, so "Kwale" (admin1 Kwale) is Kwale town, not the county's centre 38 km
    away. Only for rows that name their areas in columns of their own, with a
    location that carries no administrative word ("Deir ez-Zor Governorate" is
    the governorate), and only a populated place inside the area found counts.
    """
    if candidate.kind not in (Kind.ADMIN1, Kind.ADMIN2):
        return candidate
    if not (hints.get("admin1") or hints.get("admin2")) or name_key(str(location))[2]:
        return candidate
    place = gaz.resolve(location, kinds=(Kind.PLACE,), **hints).candidate
    if place is None or place.country_code != candidate.country_code:
        return candidate
    if place.admin1_code != candidate.admin1_code:
        return candidate
    if candidate.kind is Kind.ADMIN2 and place.admin2_code not in ("", candidate.admin2_code):
        return candidate
    return place


def geocode_table(
    data: pd.DataFrame | pd.Series,
    *,
    location: Hashable = "location",
    country: Hashable | None = None,
    admin1: Hashable | None = None,
    admin2: Hashable | None = None,
    gazetteer: Gazetteer | None = None,
    fuzzy: bool = True,
) -> pd.DataFrame:
    """Geocode every row of a table by its place columns.

    Parameters
    ----------
    data
        A DataFrame with a ``location`` column (and optional country/admin
        columns), or a Series of place names.
    location, country, admin1, admin2
        Column names. ``country`` may hold ISO codes or names.
    gazetteer
        The gazetteer to use; default :func:`~geo_events.gazetteer.default_gazetteer`.
    fuzzy
        Allow fuzzy matches of misspelt names.

    Returns
    -------
    pandas.DataFrame
        One row per input row, same index, with :data:`GEOCODE_COLUMNS`.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"location": ["Deir Ezzor", "Atlantis"]})
    >>> geocode_table(table)[["geonameid", "geocode_status"]]  # doctest: +SKIP
       geonameid geocode_status
    0     170794        matched
    1       <NA>      unmatched
    """
    import numpy as np
    import pandas as pd

    if gazetteer is None:
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    fuzzy = as_flag(fuzzy, "fuzzy")
    if isinstance(data, pd.Series):
        frame = data.to_frame(name="location")
        location, country, admin1, admin2 = "location", None, None, None
    elif isinstance(data, pd.DataFrame):
        frame = data
    else:
        raise InputError(f"geocode_table takes a DataFrame or a Series, not {type(data).__name__}")
    if location is None:
        raise InputError("location= must name the column of place names (default 'location')")
    columns = {"location": location, "country": country, "admin1": admin1, "admin2": admin2}
    for option, column in columns.items():
        try:
            hash(column)
        except TypeError:
            raise InputError(
                f"{option}={column!r:.60}: give a column name, not {type(column).__name__}"
            ) from None
    missing = [str(c) for c in columns.values() if c is not None and c not in frame.columns]
    if missing:
        raise InputError(
            f"column(s) {', '.join(missing)} not in the table; it has: "
            f"{', '.join(map(str, frame.columns))}"
        )
    used = {k: c for k, c in columns.items() if c is not None}
    try:
        # pandas only warns (deprecation) on some odd cells, e.g. tuples in a key column:
        # any warning here also sends the table down the careful path
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            codes, uniques = _factorize(frame, used, None)
    except (TypeError, ValueError, UnicodeEncodeError, Warning):
        # a list, dict or tuple cell, lone surrogates: wrap them
        codes, uniques = _factorize(frame, used, lambda column: column.map(_hashable_cell))
    n_unique = len(uniques)
    lat = np.full(n_unique, np.nan)
    lon = np.full(n_unique, np.nan)
    gid = np.zeros(n_unique, dtype=np.int64)
    has = np.zeros(n_unique, dtype=bool)
    precision = np.zeros(n_unique, dtype=np.int64)
    text_cols: dict[str, list[Any]] = {c: [None] * n_unique for c in _TEXT_COLUMNS}
    score = np.full(n_unique, np.nan)
    names = list(used)
    for i, values in enumerate(uniques):
        row = dict(zip(names, values, strict=True))
        row = {k: (None if isinstance(v, str) and v == _MISSING else v) for k, v in row.items()}
        cand, status, prec, reason = _resolve_row(
            gazetteer,
            row["location"],
            row.get("country"),
            row.get("admin1"),
            row.get("admin2"),
            fuzzy,
        )
        text_cols["geocode_status"][i] = status
        text_cols["geocode_reason"][i] = reason or None
        if cand is None:
            continue
        has[i] = True
        lat[i], lon[i], gid[i] = cand.latitude, cand.longitude, cand.geonameid
        precision[i] = prec or 0
        score[i] = cand.score
        text_cols["matched_name"][i] = cand.name
        text_cols["match_type"][i] = cand.match_type.value
        text_cols["iso"][i] = cand.country_code
        text_cols["country"][i] = cand.country
        text_cols["admin1"][i] = cand.admin1 or (cand.name if cand.kind is Kind.ADMIN1 else None)
        text_cols["admin2"][i] = cand.admin2 or (cand.name if cand.kind is Kind.ADMIN2 else None)
        text_cols["place_kind"][i] = cand.kind.value

    def spread(values: Any, dtype: str) -> pd.Series:
        # Any in pandas-stubs under Python 3.10 (their Self comes from typing, new in 3.11)
        series: pd.Series = pd.Series(pd.array(values, dtype=dtype)[codes], index=frame.index)
        return series

    out = pd.DataFrame(index=frame.index)
    out["latitude"] = spread(lat, "Float64")
    out["longitude"] = spread(lon, "Float64")
    out["geonameid"] = spread(np.where(has, gid, 0), "Int64").mask(~has[codes])
    out["match_score"] = spread(score, "Float64")
    out["geo_precision"] = spread(precision, "Int8").mask(~has[codes])
    for name, texts in text_cols.items():
        out[name] = spread(texts, "string")
    table: pd.DataFrame = out[list(GEOCODE_COLUMNS)]  # Any under Python 3.10, as above
    return table


def _factorize(
    frame: Any, used: dict[str, Hashable], prepare: Any
) -> tuple[Any, list[tuple[Any, ...]]]:
    """Codes of each row's distinct key, and the keys (tuples of the used columns).

    Each column is factorized on its own (text held by Arrow, pandas' default string
    dtype, in Arrow itself) and the columns' codes are combined into one integer per
    row: no Python object per row. A missing cell of a key of several columns is None.
    """
    import numpy as np
    import pandas as pd

    if len(used) == 1:
        # one place column: factorize it directly, keeping None/NaN as one key of its own
        series = frame[used["location"]]
        if prepare is None and isinstance(series.dtype, pd.StringDtype):
            codes, single = pd.factorize(series)  # Arrow's dictionary encoding, in C
        else:
            codes, single = pd.factorize(_prepared(series, prepare))
        if (codes < 0).any():  # missing: one key of its own, as use_na_sentinel=False makes it
            na = pd.factorize(pd.Series([np.nan], dtype=object), use_na_sentinel=False)[1][0]
            codes = np.where(codes < 0, len(single), codes)
            return codes, [*((value,) for value in single), (na,)]
        return codes, [(value,) for value in single]
    combined: Any = None
    radix = 1
    values: list[tuple[np.ndarray, np.ndarray]] = []
    for column in used.values():
        codes, distinct = _column_codes(frame[column], prepare)
        values.append((distinct, codes))
        width = len(distinct) + 1  # code 0: missing
        if combined is None:
            combined = codes + 1
        else:
            if radix * width >= _RADIX_LIMIT:  # keep the mixed radix inside int64
                combined = pd.factorize(combined)[0]
                radix = int(combined.max()) + 1 if len(combined) else 1
            combined = combined * width + (codes + 1)
        radix *= width
    codes, _ = pd.factorize(combined, sort=False)
    # each key's values, read at the row it first appears on
    first = np.empty(int(codes.max()) + 1 if len(codes) else 0, dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    parts = [distinct[column_codes[first] + 1] for distinct, column_codes in values]
    return codes, list(zip(*(part.tolist() for part in parts), strict=True))


#: Combined codes are folded back to 0..n-1 before they would outgrow this.
_RADIX_LIMIT = 1 << 62


def _prepared(series: Any, prepare: Any) -> Any:
    column = series.astype("object")
    return (column if prepare is None else prepare(column)).astype("object")


def _column_codes(series: Any, prepare: Any) -> tuple[Any, Any]:
    """``(codes, values)`` of one key column: ``values[codes + 1]`` is each row's cell.

    ``values[0]`` is None, for a missing cell (and one that holds :data:`_MISSING`).
    """
    import numpy as np
    import pandas as pd

    if prepare is None and isinstance(series.dtype, pd.StringDtype):
        codes, distinct = pd.factorize(series)  # Arrow's dictionary encoding, in C
    else:
        codes, distinct = pd.factorize(_prepared(series, prepare))
    values = np.empty(len(distinct) + 1, dtype=object)
    values[1:] = np.asarray(distinct, dtype=object)
    values[0] = None
    codes = np.asarray(codes, dtype=np.int64)
    marked = [i for i, v in enumerate(values[1:].tolist()) if isinstance(v, str) and v == _MISSING]
    if marked:
        codes = np.where(np.isin(codes, marked), -1, codes)
    return codes, values
