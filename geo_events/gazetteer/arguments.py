"""The gazetteer's argument normalisers: one place where a point, a count or a hint comes in.

Decisions, written down: a bad *option* (``near=``, ``limit=``, ``kinds=``,
``max_km=``, an unknown hint name) is a programmer's mistake and raises a
:class:`~geo_events.errors.GazetteerQueryError` (a ``ValueError`` too) that names the value and what would
do; a bad *value to look up* (a name, or a country or admin hint read from a
table cell) is data, and gives "no match" with a reason instead. Points are
forgiving, as geopy's ``Point``: a ``(lat, lon)`` pair, a ``"lat, lon"`` string,
or anything with ``latitude`` and ``longitude`` (a geopy ``Point`` or
``Location``, a :class:`~geo_events.gazetteer.Candidate`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

from geo_events.errors import GazetteerQueryError

__all__ = ["as_count", "as_flag", "as_hint", "as_point", "check_names", "is_missing", "point_of"]

#: A limit above this is refused (it would only ask to rank the whole index).
MAX_LIMIT = 100_000


def is_missing(value: Any) -> bool:
    """Whether ``value`` is None, NaN or a pandas or numpy missing value (NA, NaT)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    name = type(value).__name__
    if name in ("NAType", "NaTType"):
        return True
    if name == "datetime64":  # numpy's NaT is unequal to itself
        return bool(value != value)
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        try:
            return math.isnan(float(value))
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or is_missing(value):
        return None
    if isinstance(value, str):
        value = value.strip()
    elif not isinstance(value, numbers.Real):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def point_of(value: Any) -> tuple[tuple[float, float] | None, str]:
    """Return ``((lat, lon), "")`` for a usable point, else ``(None, why not)``."""
    if type(value) is tuple and len(value) == 2:  # the common case, without the checks below
        lat, lon = value
        if (
            type(lat) is float
            and type(lon) is float
            and -90.0 <= lat <= 90.0
            and -180.0 <= lon <= 180.0
        ):
            return (lat, lon), ""
    if hasattr(value, "latitude") and hasattr(value, "longitude"):
        pair: Any = (value.latitude, value.longitude)
    elif isinstance(value, str):
        text = value.strip()
        pair = text.split(",") if "," in text else text.split()
    elif isinstance(value, (bytes, dict, set, frozenset)) or not isinstance(value, Iterable):
        return None, f"not a point: {type(value).__name__}"
    else:
        try:
            pair = list(value)
        except Exception:  # an iterable that fails half way is not a point
            return None, f"not a point: {type(value).__name__}"
    if len(pair) != 2:
        return None, f"a point has 2 coordinates, not {len(pair)}"
    lat, lon = _number(pair[0]), _number(pair[1])
    if lat is None or lon is None:
        return None, "its coordinates are not finite numbers"
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None, f"({lat}, {lon}) is outside latitude -90..90, longitude -180..180"
    return (lat, lon), ""


def as_point(value: Any, option: str = "near") -> tuple[float, float]:
    """Return ``value`` as ``(lat, lon)`` or raise :class:`GazetteerQueryError` saying why."""
    point, why = point_of(value)
    if point is None:
        raise GazetteerQueryError(
            f"{option}={_show(value)}: {why}; give (latitude, longitude) in degrees, "
            "a 'lat, lon' string or a geopy Point"
        )
    return point


def as_count(value: Any, option: str, *, least: int = 0) -> int:
    """Return ``value`` as an int in ``least..MAX_LIMIT`` or raise :class:`GazetteerQueryError`."""
    number: Any = value
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, numbers.Integral)):
        number = float(value)
        number = int(number) if math.isfinite(number) and number.is_integer() else None
    elif not isinstance(value, numbers.Integral) or isinstance(value, bool):
        number = None
    if number is None or not least <= int(number) <= MAX_LIMIT:
        raise GazetteerQueryError(
            f"{option}={_show(value)}: give a whole number from {least} to {MAX_LIMIT:,}"
        )
    return int(number)


def as_flag(value: Any, option: str) -> bool:
    """Return ``value`` as a bool (True/False, 0/1) or raise :class:`GazetteerQueryError`."""
    if type(value).__name__ in ("bool", "bool_") or (
        isinstance(value, numbers.Integral) and int(value) in (0, 1)
    ):
        return bool(value)
    raise GazetteerQueryError(f"{option}={_show(value)}: give True or False")


def as_distance(value: Any, option: str) -> float:
    """Return ``value`` as a distance in km, ≥ 0 (inf allowed), or raise."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if number >= 0:  # NaN fails this
            return number
    raise GazetteerQueryError(f"{option}={_show(value)}: give a distance in km, 0 or more")


def as_hint(value: Any, option: str) -> str | None:
    """Return a country/admin hint as text, None when missing, or raise for a non-value.

    Numbers are accepted as codes ("7"); a list, dict or other container is refused.
    """
    if isinstance(value, str):
        return value
    if is_missing(value):
        return None
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(value)
    raise GazetteerQueryError(
        f"{option}={_show(value)}: give a name or a code as text, not {type(value).__name__}"
    )


def check_names(given: Iterable[str], allowed: Iterable[str], what: str) -> None:
    """Raise :class:`GazetteerQueryError` listing the valid names when ``given`` has others."""
    allowed = sorted(allowed)
    unknown = sorted(set(given) - set(allowed))
    if unknown:
        raise GazetteerQueryError(
            f"{what} takes no {', '.join(map(repr, unknown))}; valid: {', '.join(allowed)}"
        )


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
