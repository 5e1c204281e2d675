"""The events as one compact, columnar payload for the page's canvas layer.

A folium ``Marker`` with popup and tooltip costs ~1 kB of JavaScript per event and one DOM
element in the browser; a million of them never open. Here every event goes into the page
once, as columns: coordinates and numbers as little-endian typed arrays in base64 (4 bytes
per coordinate, 1–4 per code), each text column as a table of its distinct values plus one
code per event. Built with vectorised pandas/numpy only (no Python loop per row), so a
million events encode in seconds; the page decodes them with ``atob`` into typed arrays.

The layout (read by ``static/events_layer.js``)::

    {"n": N,
     "lat": {"t": "i4", "b": ...}, "lon": {...},          # degrees * 1e5
     "cols": {name: {"values": [str, ...], "codes": {"t": "u1|u2|u4", "b": ...}}},
     # any array whose every entry is the same is {"t": "c", "v": entry} (no bytes)
     "num": {"date": days since 1970, "time_precision", "geo_precision",
             "uncertainty_km" (0 = exact), "fatalities", "confidence" (percent):
             {"t": "u1|u2|u4", "b": ..., "o": offset}: stored 0 = missing, k = k - 1 + o},
     "colors": ["#rrggbb", ...]}                          # per event_type value

Text goes through :func:`~geo_events.maps.popups.json_for_script` when the payload is put in
the page; the browser shows it with ``textContent`` only.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geo_events.events.schema import EVENTS_SCHEMA
from geo_events.maps.precision import uncertainty_km
from geo_events.maps.style import event_style

__all__ = ["TEXT_COLUMNS", "EventsPayload", "events_payload", "top_values"]

#: Text columns of the schema the page does not need: the gazetteer's bookkeeping.
_NOT_SHOWN = frozenset(
    {"country_code", "matched_name", "place_kind", "geocode_status", "geocode_reason"}
    | {"article_id", "read_issues"}
)
#: Text columns shipped to the page, in schema order (missing columns become all-empty).
TEXT_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in EVENTS_SCHEMA if c.dtype in ("string", "category") and c.name not in _NOT_SHOWN
)
UNKNOWN_TYPE = "Unknown event type"
#: One array of the layout: ``{"t": kind, "b": base64}``, a constant ``{"t": "c", "v": entry}``,
#: with the offset ``"o"`` for whole numbers.
_Array = dict[str, str | int]


def _typed(values: np.ndarray, dtype: str) -> _Array:
    kind = {"<u1": "u1", "<u2": "u2", "<u4": "u4", "<i4": "i4"}[dtype]
    data = np.ascontiguousarray(values, dtype=dtype).tobytes()
    return {"t": kind, "b": base64.b64encode(data).decode("ascii")}


def _width(top: int) -> str:
    return "<u1" if top <= 0xFF else "<u2" if top <= 0xFFFF else "<u4"


def _codes(codes: np.ndarray, n_values: int) -> _Array:
    """One code per event; a column with one value for all events costs no bytes."""
    if len(codes) and (codes == codes[0]).all():
        return {"t": "c", "v": int(codes[0])}
    return _typed(codes, _width(n_values - 1))


def _ints(values: np.ndarray) -> _Array:
    """Whole numbers (NaN = missing) in the narrowest unsigned array.

    Stored 0 is missing, stored k is ``k - 1 + o`` (``o`` the smallest value), so dates,
    fatalities and precisions take 1–2 bytes per event instead of 4.
    """
    ok = np.isfinite(values)
    if not ok.any():
        return {"t": "c", "v": 0, "o": 0}
    lo = int(values[ok].min())
    stored = np.zeros(len(values), dtype=np.int64)
    stored[ok] = values[ok].astype(np.int64) - lo + 1
    if (stored == stored[0]).all():
        return {"t": "c", "v": int(stored[0]), "o": lo}
    spec = _typed(stored, _width(int(stored.max())))
    spec["o"] = lo
    return spec


def _text(frame: pd.DataFrame, name: str, limit: int | None) -> tuple[list[str], np.ndarray]:
    """Distinct values (``""`` first, for missing) and one code per row."""
    n = len(frame)
    if name not in frame.columns:
        return [""], np.zeros(n, dtype=np.uint32)
    col = frame[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = [str(c).strip() for c in col.cat.categories]
        codes = col.cat.codes.to_numpy().astype(np.int64) + 1  # -1 (NA) -> 0
        values = ["", *cats]
    else:
        strings = col.astype("string").str.strip()
        codes, uniques = pd.factorize(strings, use_na_sentinel=True)
        codes = codes.astype(np.int64) + 1
        values = ["", *(str(u) for u in uniques)]
    if limit is not None and name in ("evidence", "notes"):
        values = [v if len(v) <= limit else v[: max(limit - 1, 0)].rstrip() + "…" for v in values]
    # Equal texts after stripping/cutting share one code only within pandas' factorize;
    # a duplicate entry in the table costs bytes, not correctness.
    return values, codes.astype(np.uint32)


def _event_types(frame: pd.DataFrame) -> tuple[list[str], np.ndarray, list[str]]:
    """Event type codes with unknown types named, and each type's colour."""
    values, codes = _text(frame, "event_type", None)
    values = [v or UNKNOWN_TYPE for v in values]
    # Merge duplicates (an empty string and a literal "Unknown event type", categories that
    # differ only in surrounding spaces) so the page shows one row per type.
    distinct: dict[str, int] = {}
    remap = np.array([distinct.setdefault(v, len(distinct)) for v in values], dtype=np.uint32)
    names = list(distinct)
    colors = [event_style(None if t == UNKNOWN_TYPE else t).hex for t in names]
    return names, remap[codes], colors


def _days(frame: pd.DataFrame) -> np.ndarray:
    """Days since 1970-01-01 (NaN where the date is missing)."""
    n = len(frame)
    if "event_date" not in frame.columns:
        return np.full(n, np.nan)
    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, errors="coerce", format="mixed")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    days = dates.dt.floor("D").astype("datetime64[s]").to_numpy()
    out = np.full(n, np.nan)
    ok = ~np.isnat(days)
    out[ok] = days[ok].astype("datetime64[D]").astype(np.int64)
    return out


def _number(frame: pd.DataFrame, name: str, lo: float, hi: float, scale: float = 1) -> np.ndarray:
    """A numeric column rounded to whole ``1/scale`` units; NaN outside ``[lo, hi]``."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[name], errors="coerce").astype("Float64")
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(frame), np.nan)
    ok = np.isfinite(arr) & (arr >= lo) & (arr <= hi)
    out[ok] = np.round(arr[ok] * scale)
    return out


def top_values(columns: Sequence[tuple[list[str], np.ndarray]], k: int) -> list[str]:
    """The ``k`` most frequent non-empty values over several ``(values, codes)`` columns.

    Examples
    --------
    >>> top_values([(["", "a", "b"], np.array([1, 2, 2])), (["", "b"], np.array([0, 1]))], 5)
    ['b', 'a']
    """
    totals: dict[str, int] = {}
    for values, codes in columns:
        counts = np.bincount(codes.astype(np.int64), minlength=len(values))
        for i in np.flatnonzero(counts):
            if values[i]:
                totals[values[i]] = totals.get(values[i], 0) + int(counts[i])
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])
    return [v for v, _ in ranked[:k]]


@dataclass(frozen=True)
class EventsPayload:
    """The page's payload and what the panel and summary need from it.

    Attributes
    ----------
    data : dict
        JSON-serialisable, the layout of the module docstring.
    event_types : dict
        Event type -> count, most frequent first.
    top_actors : list of str
        The most frequent actors (actor1 or actor2), for the actor filter's suggestions.
    """

    data: dict[str, object]
    event_types: dict[str, int] = field(default_factory=dict)
    top_actors: list[str] = field(default_factory=list)


def events_payload(
    frame: pd.DataFrame,
    locations: np.ndarray,
    *,
    include_notes: bool = True,
    max_text_length: int = 400,
    max_actors: int = 200,
) -> EventsPayload:
    """Encode mappable events for ``L.GeoEventsLayer``.

    Parameters
    ----------
    frame : DataFrame
        The mappable rows (see :func:`~geo_events.maps.frame.prepare_events`).
    locations : numpy.ndarray
        ``(len(frame), 2)`` latitude, longitude.
    include_notes : bool
        Ship the ``notes`` and ``evidence`` columns (long, mostly distinct per event: they
        dominate the size of large maps).
    max_text_length : int
        Cut notes and evidence to this many characters.
    max_actors : int
        How many actor names to suggest in the actor filter.

    Returns
    -------
    EventsPayload
    """
    n = len(frame)
    lat = np.round(np.asarray(locations[:, 0], dtype=float) * 1e5).astype(np.int64)
    lon = np.round(np.asarray(locations[:, 1], dtype=float) * 1e5).astype(np.int64)
    cols: dict[str, dict[str, object]] = {}
    types, type_codes, colors = _event_types(frame)
    cols["event_type"] = {"values": types, "codes": _codes(type_codes, len(types))}
    actors = []
    for name in TEXT_COLUMNS:
        if name == "event_type":
            continue
        if name in ("notes", "evidence") and not include_notes:
            continue
        values, codes = _text(frame, name, max_text_length)
        if name == "claim_status":
            values = [v.casefold() for v in values]
        if name in ("actor1", "actor2"):
            actors.append((values, codes))
        cols[name] = {"values": values, "codes": _codes(codes, len(values))}
    num = {
        "date": _ints(_days(frame)),
        "time_precision": _ints(_number(frame, "time_precision", 1, 3)),
        "geo_precision": _ints(_number(frame, "geo_precision", 1, 3)),
        "uncertainty_km": _ints(uncertainty_km(frame).astype(float)),
        "fatalities": _ints(_number(frame, "fatalities", 0, 2**31 - 2)),
        "confidence": _ints(_number(frame, "confidence", 0, 1, scale=100)),
    }
    data = {
        "n": n,
        "lat": _typed(lat, "<i4"),
        "lon": _typed(lon, "<i4"),
        "cols": cols,
        "num": num,
        "colors": colors,
    }
    per_type = np.bincount(type_codes.astype(np.int64), minlength=len(types))
    order = np.argsort(-per_type, kind="stable")
    return EventsPayload(
        data=data,
        event_types={types[i]: int(per_type[i]) for i in order if per_type[i]},
        top_actors=top_values(actors, max_actors),
    )
