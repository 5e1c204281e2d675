"""The options of :func:`geo_events.maps.events_map`, in one small frozen dataclass.

One options object instead of thirty keyword parameters (compare ``GeoDataFrame.explore``):
callers build it once, reuse it, and override single fields with keywords
(``events_map(gdf, options=opts, tiles=None)``) or :meth:`MapOptions.replace`.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass, field
from typing import Any

from geo_events.errors import InputError, MapError, OnError, check_on_error

__all__ = ["MapOptions", "resolve_options"]


@dataclass(frozen=True)
class MapOptions:
    """How :func:`~geo_events.maps.events_map` and :class:`~geo_events.maps.EventsLayer` draw.

    Parameters
    ----------
    geography : bool
        Draw the built-in geography (land, borders, country, capital and city names) as
        the base layer: it needs no network.
    tiles : str, xyzservices.TileProvider or None
        An online base map offered in the layer control (``"OpenStreetMap.Mapnik"``
        (default), ``"CartoDB.Voyager"``, forgiving spelling), a provider object, a URL
        template with ``{z}/{x}/{y}`` (then ``tiles_attribution`` is required), or
        ``None``/``"none"``. It is an extra: switched on only when ``geography=False``,
        and a page without network just shows no tiles.
    extra_tiles : tuple of str
        More online base maps offered in the layer control.
    tiles_attribution : str, optional
        Attribution for a URL-template ``tiles``.
    title : str, optional
        Heads the panel (shown as text).
    cluster : bool
        Bin events per screen cell when more than ``marker_threshold`` are in view
        (``False`` draws every event one by one at every zoom).
    marker_threshold : int
        Up to this many events in view are drawn one by one (with halos and denied
        styling); above it they are binned. Also the size above which popups leave out
        ``notes`` unless ``popup_notes=True``.
    size_by_fatalities : bool
        Scale each point by its fatalities (square root), not one size for all.
    panel : bool
        Show the panel: legend, filters with counts, date slider, downloads.
    panel_collapsed : bool
        Start with the panel folded.
    time_slider : bool
        Offer the date-range slider (with play) in the panel when events have dates.
    heatmap : bool
        Add a heat-map overlay (hidden until switched on; folium's HeatMap, so only for
        maps of moderate size).
    collapsed_control : bool
        Start with the layer control collapsed.
    popup_notes : bool or None
        Include the ``notes`` and ``evidence`` columns in popups; ``None`` does so only up
        to ``marker_threshold`` events (they dominate the size of large maps).
    max_text_length : int
        Longer notes and evidence sentences are cut to this many characters.
    max_actor_list : int
        How many of the most frequent actors the actor filter suggests.
    admin_areas : GeoDataFrame, optional
        Polygons; when given, a choropleth of event counts per polygon is added.
    admin_name_column : str, optional
        Column of ``admin_areas`` holding the area names (default: the first of ``name``,
        ``admin1``, ``admin2``, ``shapeName``, ``NAME_1``, ``NAME_2`` that exists).
    fit_bounds : bool
        Fit the view to the events (leaving room for the panel).
    max_zoom : int
        Upper zoom bound when fitting bounds: 7 keeps the region around a few events in
        view (a single event would otherwise fill the screen).
    width, height : str
        Size of the map element (CSS).
    on_error : {"raise", "warn", "keep"}
        Events without usable coordinates cannot be drawn: raise :class:`MapError`, warn
        (``UserWarning``) and note them in the panel, or only note them in the panel
        (the one error policy of :data:`geo_events.errors.OnError`).
    on_unmappable
        Deprecated name of ``on_error``.
    cdn : bool
        Link Leaflet and the other scripts on their public CDNs instead of putting them in
        the page (smaller files to share online; the page then needs the network).

    Examples
    --------
    >>> opts = MapOptions(tiles=None, heatmap=False)
    >>> opts.replace(title="Aleppo").title
    'Aleppo'
    """

    geography: bool = True
    tiles: Any = "OpenStreetMap.Mapnik"
    extra_tiles: tuple[str, ...] = ()
    tiles_attribution: str | None = None
    title: str | None = None
    cluster: bool = True
    marker_threshold: int = 4000
    size_by_fatalities: bool = False
    panel: bool = True
    panel_collapsed: bool = False
    time_slider: bool = True
    heatmap: bool = False
    collapsed_control: bool = True
    popup_notes: bool | None = None
    max_text_length: int = 400
    max_actor_list: int = 200
    admin_areas: Any = field(default=None, compare=False, repr=False)
    admin_name_column: str | None = None
    fit_bounds: bool = True
    max_zoom: int = 7
    width: str = "100%"
    height: str = "100%"
    on_error: OnError = "warn"
    cdn: bool = False
    on_unmappable: OnError | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        problems = []
        if self.on_unmappable is not None:
            warnings.warn(
                "MapOptions(on_unmappable=...) is deprecated: use on_error=",
                DeprecationWarning,
                stacklevel=3,
            )
            object.__setattr__(self, "on_error", self.on_unmappable)
            object.__setattr__(self, "on_unmappable", None)
        try:
            check_on_error(self.on_error)
        except InputError as exc:
            problems.append(str(exc))
        for name in ("marker_threshold", "max_actor_list", "max_text_length"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(f"{name} must be a non-negative int, not {value!r}")
        if not isinstance(self.extra_tiles, tuple):
            problems.append("extra_tiles must be a tuple of tile names")
        if problems:
            raise MapError("invalid MapOptions: " + "; ".join(problems))

    def replace(self, **changes: Any) -> MapOptions:
        """Return a copy with some fields changed.

        Raises
        ------
        MapError
            When a name is not an option (the message lists the valid names).
        """
        changes = _renamed(changes)
        valid = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - valid)
        if unknown:
            raise MapError(f"unknown map option(s) {unknown}; valid options are {sorted(valid)}")
        return dataclasses.replace(self, **changes)


#: Options of the marker-based maps (before the canvas layer): old name -> new name, or
#: None when the option no longer has an effect. Accepted for one release with a warning.
_DEPRECATED: dict[str, str | None] = {
    "fast_threshold": "marker_threshold",
    "legend": "panel",
    "max_actor_layers": "max_actor_list",
    "actor_layers": None,
    "time_max_events": None,
    "show_time_layer": None,
    "grouped_layer_control": None,
}


def _renamed(changes: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in changes.items():
        if key in _DEPRECATED:
            new = _DEPRECATED[key]
            what = f"use {new!r}" if new else "it has no effect since maps draw on a canvas"
            warnings.warn(
                f"map option {key!r} is deprecated; {what}", DeprecationWarning, stacklevel=4
            )
            if new is None:
                continue
            key = new
        out[key] = value
    return out


def resolve_options(options: MapOptions | None, overrides: dict[str, Any]) -> MapOptions:
    """``options`` (default ``MapOptions()``) with single-option ``overrides`` applied.

    Raises
    ------
    MapError
        When ``options`` is not a MapOptions or an override is not an option.
    """
    if options is not None and not isinstance(options, MapOptions):
        raise MapError(f"options must be a MapOptions, not {type(options).__name__}")
    opts = options or MapOptions()
    if "time_slider" in overrides and overrides["time_slider"] is None:
        overrides = {**overrides, "time_slider": True}  # None meant "when dates exist"
    return opts.replace(**overrides) if overrides else opts
