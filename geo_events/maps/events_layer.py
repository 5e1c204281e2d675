"""``EventsLayer``: events on any folium map, as one canvas layer with its own panel.

``EventsLayer(events, options).add_to(m)`` puts an events frame on a folium ``Map`` the way
folium's own layers go on it. In the page it is ``L.GeoEventsLayer`` (our
``static/events_layer.js``): every event once in a columnar payload (see ``payload.py``),
drawn on a canvas — one by one when few are in view, binned per screen cell when many are —
with popups on click, a panel of filters (event type, sub-event type, actor, dates,
claim status, geo precision) whose counts follow the other filters, a time slider, halos
for approximate places and buttons that download the visible events as CSV or GeoJSON.

The script, the stylesheet and the payload go into the page as raw text, not through
folium's templates: folium renders each element's output a second time as a Jinja2
template, which would cost seconds on a multi-megabyte payload and would evaluate any
delimiter in it. The payload is made inert by ``json_for_script`` and the script and
stylesheet are checked for delimiters when this module is imported.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import folium
import pandas as pd
from branca.element import Figure

from geo_events.errors import MapError, apply_on_error
from geo_events.maps.frame import PreparedEvents, prepare_events
from geo_events.maps.options import MapOptions, resolve_options
from geo_events.maps.payload import events_payload
from geo_events.maps.popups import json_for_script
from geo_events.maps.raw import RawElement, static_text
from geo_events.maps.resources import OfflineHeader, offline_resources

logger = logging.getLogger(__name__)

__all__ = ["EventsLayer", "MapSummary", "map_summary"]


_JS = static_text("events_layer.js")
_CSS = static_text("events_layer.css")


@dataclass(frozen=True)
class MapSummary:
    """What an events layer drew and what it could not.

    Attributes
    ----------
    n_input : int
        Rows given.
    n_mapped : int
        Events drawn.
    unmappable : tuple
        Index labels of the rows without usable coordinates (not drawn).
    event_types : dict
        Event type -> count, most frequent first.
    time_slider : bool
        Whether the page has a date slider (some event has a date).
    notes : tuple of str
        What the panel says about the map (events not shown, text left out).
    """

    n_input: int
    n_mapped: int
    unmappable: tuple[Hashable, ...] = ()
    event_types: dict[str, int] = field(default_factory=dict)
    time_slider: bool = False
    notes: tuple[str, ...] = ()


def _check_unmappable(prep: PreparedEvents, opts: MapOptions) -> list[str]:
    if not prep.unmappable:
        return []
    msg = f"{len(prep.unmappable)} of {prep.n_input} events have no usable coordinates"
    if opts.on_error == "raise":
        sample = ", ".join(map(str, prep.unmappable[:10]))
        detail = f"{msg} (index: {sample}); fix or drop them, or use on_error='keep'"
    else:
        detail = f"{msg}; they are not drawn (listed in map_summary(m).unmappable)"
    apply_on_error(opts.on_error, detail, error=MapError, warning=UserWarning, stacklevel=4)
    logger.info("%s; not drawn", msg)
    return [f"{len(prep.unmappable):,} event(s) without coordinates not shown"]


class EventsLayer(folium.map.Layer):
    """Events on a folium map: canvas points or per-view bins, filters, popups, downloads.

    Parameters
    ----------
    events : GeoDataFrame or DataFrame
        Events in the geo_events schema (missing optional columns are fine): points in any
        CRS, or ``latitude``/``longitude`` columns.
    options : MapOptions, optional
        Drawing options (``marker_threshold``, ``size_by_fatalities``, ``time_slider``,
        ``panel``...); see :class:`~geo_events.maps.options.MapOptions`.
    name : str
        Name in folium's layer control.
    **overrides
        Single options overriding ``options``.

    Attributes
    ----------
    summary : MapSummary
    prepared : PreparedEvents
        The mappable rows and their ``[lat, lon]``.

    Raises
    ------
    MapError
        When the frame cannot be mapped, an option is invalid, or rows are unmappable and
        ``on_error="raise"``.

    Examples
    --------
    >>> import folium, geopandas as gpd
    >>> from shapely import Point
    >>> gdf = gpd.GeoDataFrame({"event_type": ["Battles"]}, geometry=[Point(37.16, 36.2)],
    ...                        crs=4326)
    >>> m = folium.Map(tiles=None)
    >>> layer = EventsLayer(gdf).add_to(m)
    >>> layer.summary.n_mapped
    1
    """

    def __init__(
        self,
        events: pd.DataFrame,
        options: MapOptions | None = None,
        *,
        name: str = "Events",
        show: bool = True,
        **overrides: Any,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "EventsLayer"
        opts = resolve_options(options, overrides)
        prep = prepare_events(events)
        notes = _check_unmappable(prep, opts)
        frame = prep.frame
        large = len(frame) > opts.marker_threshold
        include_notes = opts.popup_notes if opts.popup_notes is not None else not large
        long_texts = [c for c in ("notes", "evidence") if c in frame.columns]
        if not include_notes and any(frame[c].notna().any() for c in long_texts):
            notes.append(
                "notes and evidence left out of the popups (large map; popup_notes=True adds them)"
            )
        payload = events_payload(
            frame,
            prep.locations,
            include_notes=include_notes,
            max_text_length=opts.max_text_length,
            max_actors=opts.max_actor_list,
        )
        has_dates = bool(len(frame)) and _has_dates(frame)
        self.prepared = prep
        self.summary = MapSummary(
            n_input=prep.n_input,
            n_mapped=len(frame),
            unmappable=tuple(prep.unmappable),
            event_types=payload.event_types,
            time_slider=bool(opts.time_slider) and has_dates,
            notes=tuple(notes),
        )
        self._payload = payload.data
        self._js_options = {
            "markerThreshold": opts.marker_threshold,
            "cluster": opts.cluster,
            "sizeByFatalities": opts.size_by_fatalities,
            "title": opts.title or "Events",
            "notes": list(notes),
            "panel": opts.panel,
            "collapsed": opts.panel_collapsed,
            "timeSlider": bool(opts.time_slider),
            "topActors": payload.top_actors,
        }

    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Put the library, the payload and the layer into the page (raw, see the module)."""
        # folium layers render into the figure and return None, as branca's MacroElement
        # does (unannotated there); Element.render's ``-> str`` does not hold for them
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise MapError("add the EventsLayer to a folium Map before rendering it")
        if not isinstance(figure.header, OfflineHeader):
            offline_resources(figure)  # any map with events renders offline by default
        figure.header.add_child(RawElement(f"<style>{_CSS}</style>"), name="geo_events_css")
        figure.header.add_child(RawElement(f"<script>{_JS}</script>"), name="geo_events_js")
        parent = self._parent.get_name() if self._parent is not None else None
        if parent is None:
            raise MapError("add the EventsLayer to a folium Map before rendering it")
        var = self.get_name()
        lines = [
            f"var {var} = L.geoEventsLayer({json_for_script(self._payload)}, "
            f"{json_for_script(self._js_options)});",
        ]
        if self.show:
            lines.append(f"{var}.addTo({parent});")
        lines.append(
            "window.geoEventsMaps = window.geoEventsMaps || [];"
            f"window.geoEventsMaps.push({{map: {parent}, layer: {var}}});"
        )
        figure.script.add_child(RawElement("\n".join(lines)), name=var)


def _has_dates(frame: pd.DataFrame) -> bool:
    if "event_date" not in frame.columns:
        return False
    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, errors="coerce", format="mixed")
    return bool(dates.notna().any())


def map_summary(m: folium.Map) -> MapSummary:
    """The summary of the (first) events layer on a map.

    Raises
    ------
    MapError
        When the map has no :class:`EventsLayer`.
    """
    for child in m._children.values():
        if isinstance(child, EventsLayer):
            return child.summary
    raise MapError("this map has no EventsLayer (build it with events_map or add one)")
