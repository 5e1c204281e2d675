"""The options of :func:`geo_events.maps.events_map`, in one small frozen dataclass.

One options object instead of thirty keyword parameters (compare ``GeoDataFrame.explore``):
callers build it once, reuse it, and override single fields with keywords
(``events_map(gdf, options=opts, tiles=None)``) or :meth:`MapOptions.replace`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from geo_events.errors import MapError

__all__ = ["MapOptions"]

_POLICIES = ("raise", "warn", "keep")


@dataclass(frozen=True)
class MapOptions:
    """How :func:`~geo_events.maps.events_map` draws events.

    Parameters
    ----------
    tiles : str, xyzservices.TileProvider or None
        Base map: an xyzservices name (``"OpenStreetMap.Mapnik"`` (default), ``"CartoDB.Voyager"``,
        forgiving spelling), a provider object, a URL template with ``{z}/{x}/{y}`` (then
        ``tiles_attribution`` is required), or ``None``/``"none"`` for no tiles at all
        (air-gapped use: markers on a plain background).
    extra_tiles : tuple of str
        More base maps offered in the layer control.
    tiles_attribution : str, optional
        Attribution for a URL-template ``tiles``.
    title : str, optional
        Shown above the legend (escaped).
    cluster : bool
        Cluster markers (leaflet.markercluster).
    fast_threshold : int
        Above this many events, markers are drawn in the browser from one compact JSON
        table (one script, popups built on click) instead of one folium ``Marker`` each.
    actor_layers : bool
        Add one (hidden) layer per actor, for the ``max_actor_layers`` most frequent actors.
    max_actor_layers : int
        How many actor layers at most.
    heatmap : bool
        Add a heat-map layer (hidden until switched on).
    time_slider : bool or None
        Add a time layer with a slider; ``None`` adds it when dates exist and there are at
        most ``time_max_events`` dated events.
    time_max_events : int
        Upper bound for the automatic time layer (each event is one GeoJSON feature).
    show_time_layer : bool
        Whether the time layer is switched on when the map opens.
    legend : bool
        Draw the legend (event types, colours, icons, denied style, unmapped count).
    grouped_layer_control : bool
        Group layers ("Event types", "Actors", "Overlays") with leaflet-groupedlayercontrol;
        ``False`` uses folium's plain ``LayerControl``.
    collapsed_control : bool
        Start with the layer control collapsed.
    popup_notes : bool or None
        Include the ``notes`` column in popups; ``None`` does so only below
        ``fast_threshold`` (notes are long and would dominate the size of large maps).
    max_text_length : int
        Longer notes and evidence sentences are cut to this many characters.
    admin_areas : GeoDataFrame, optional
        Polygons; when given, a choropleth of event counts per polygon is added.
    admin_name_column : str, optional
        Column of ``admin_areas`` holding the area names (default: the first of ``name``,
        ``admin1``, ``admin2``, ``shapeName``, ``NAME_1``, ``NAME_2`` that exists).
    fit_bounds : bool
        Fit the view to the events.
    max_zoom : int
        Upper zoom bound when fitting bounds (a single event would otherwise fill the screen).
    width, height : str
        Size of the map element (CSS).
    on_unmappable : {"raise", "warn", "keep"}
        Events without usable coordinates cannot be drawn: raise :class:`MapError`, warn
        (``UserWarning``) and note them in the legend, or only note them in the legend.

    Examples
    --------
    >>> opts = MapOptions(tiles=None, heatmap=False)
    >>> opts.replace(title="Aleppo").title
    'Aleppo'
    """

    tiles: Any = "OpenStreetMap.Mapnik"
    extra_tiles: tuple[str, ...] = ()
    tiles_attribution: str | None = None
    title: str | None = None
    cluster: bool = True
    fast_threshold: int = 400
    actor_layers: bool = True
    max_actor_layers: int = 12
    heatmap: bool = True
    time_slider: bool | None = None
    time_max_events: int = 5000
    show_time_layer: bool = False
    legend: bool = True
    grouped_layer_control: bool = True
    collapsed_control: bool = True
    popup_notes: bool | None = None
    max_text_length: int = 400
    admin_areas: Any = field(default=None, compare=False, repr=False)
    admin_name_column: str | None = None
    fit_bounds: bool = True
    max_zoom: int = 12
    width: str = "100%"
    height: str = "100%"
    on_unmappable: Literal["raise", "warn", "keep"] = "warn"

    def __post_init__(self) -> None:
        problems = []
        if self.on_unmappable not in _POLICIES:
            problems.append(f"on_unmappable must be one of {_POLICIES}, not {self.on_unmappable!r}")
        for name in ("fast_threshold", "max_actor_layers", "time_max_events", "max_text_length"):
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
        valid = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - valid)
        if unknown:
            raise MapError(f"unknown map option(s) {unknown}; valid options are {sorted(valid)}")
        return dataclasses.replace(self, **changes)
