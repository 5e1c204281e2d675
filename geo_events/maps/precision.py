"""How far from its point an event may be: the radius of the halo drawn around it.

ACLED's geo_precision says what a point stands for: 1 the place itself, 2 somewhere near it
or part of a small region, 3 a larger region (an admin-1) or the country, placed at its
centre. A map that draws all three as the same dot tells the reader a confident lie; this
module gives each event an uncertainty radius in kilometres so the page can draw it:

* precision 1: 0 (no halo);
* precision 2: :data:`NEAR_KM` (ACLED codes "near X" and small regions, a district or
  less, at 2);
* precision 3: the radius of a circle as large as the country's typical first-level
  division — the country's area divided by its number of admin-1 units (both from
  countryinfo, installed data), clipped to :data:`REGION_KM` — or :data:`REGION_DEFAULT_KM`
  when the country is not known. No admin-1 outlines ship with any package we can use, so
  the size is the typical one, not the area's own.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd

__all__ = ["NEAR_KM", "REGION_DEFAULT_KM", "REGION_KM", "region_radius_km", "uncertainty_km"]

NEAR_KM = 25
REGION_DEFAULT_KM = 100
REGION_KM = (25, 400)


@functools.cache
def _region_radii() -> dict[str, int]:
    """ISO alpha-2 and lower-case country name -> typical admin-1 radius (km)."""
    from countryinfo import all_countries

    out: dict[str, int] = {}
    for info in all_countries():
        try:
            area = float(info.area() or 0)
            units = len(info.provinces() or ())
            iso2 = info.iso(2)
            name = info.name()
        except Exception:  # countryinfo raises for countries lacking a field
            continue
        if area <= 0:
            continue
        radius = math.sqrt(area / max(units, 1) / math.pi)
        km = round(min(max(radius, REGION_KM[0]), REGION_KM[1]))
        if iso2:
            out[str(iso2).upper()] = km
        if name:
            out[str(name).casefold()] = km
    return out


def region_radius_km(country: str | None) -> int:
    """Typical admin-1 radius of a country given by ISO alpha-2 code or English name.

    Examples
    --------
    >>> 40 < region_radius_km("SY") < 120
    True
    >>> region_radius_km(None) == REGION_DEFAULT_KM
    True
    """
    if not country:
        return REGION_DEFAULT_KM
    radii = _region_radii()
    key = str(country).strip()
    return radii.get(key.upper(), radii.get(key.casefold(), REGION_DEFAULT_KM))


def uncertainty_km(frame: pd.DataFrame) -> np.ndarray:
    """Per event, the halo radius in km (0 for exact places and unknown precision).

    Parameters
    ----------
    frame : DataFrame
        Events; uses ``geo_precision`` and ``country_code`` or ``country``.

    Returns
    -------
    numpy.ndarray of int64
    """
    n = len(frame)
    if "geo_precision" not in frame.columns:
        return np.zeros(n, dtype=np.int64)
    prec = pd.to_numeric(frame["geo_precision"], errors="coerce").to_numpy(dtype=float)
    out = np.zeros(n, dtype=np.int64)
    out[prec == 2] = NEAR_KM
    region = prec >= 3
    if region.any():
        key = None
        for name in ("country_code", "country"):
            if name in frame.columns:
                col = frame[name].astype("string").fillna("")
                key = col if key is None else key.where(key != "", col)
        if key is None:
            out[region] = REGION_DEFAULT_KM
        else:
            sub = key[region]
            codes, uniques = pd.factorize(sub)
            radii = np.array([region_radius_km(u) for u in uniques], dtype=np.int64)
            out[region] = radii[codes] if len(radii) else REGION_DEFAULT_KM
    return out
