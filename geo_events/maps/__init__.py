"""Interactive folium maps of an events frame.

One call, :func:`events_map`, turns an events (Geo)DataFrame into a ``folium.Map`` that
reads at a glance: markers coloured and iconed by event type with a legend, a layer per
event type and per actor, clustering, a heat map, a time slider, escaped popups and
tooltips, and an optional choropleth of counts per admin area. :func:`save_map` writes it
as HTML, optionally self-contained (every script and stylesheet inlined from a local asset
directory) for air-gapped use. See ``docs/maps.md``.

This package is the only part of geo_events that imports folium.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.plugins import GroupedLayerControl, HeatMap, MarkerCluster, TimelineSlider

from geo_events.errors import MapError
from geo_events.maps.assets import asset_urls, fetch_assets, inline_assets, resolve_asset
from geo_events.maps.frame import PreparedEvents, folium_locations, prepare_events
from geo_events.maps.layers import (
    CompactEventLayer,
    EventData,
    Legend,
    Registry,
    StyleSheet,
    TemplateGuard,
    TimeLayer,
)
from geo_events.maps.options import MapOptions
from geo_events.maps.popups import escape_text, event_displays, popup_html
from geo_events.maps.style import DENIED_OPACITY, EventStyle, event_style

logger = logging.getLogger(__name__)

__all__ = [
    "MapOptions",
    "NotebookMap",
    "asset_urls",
    "escape_text",
    "event_style",
    "events_map",
    "fetch_assets",
    "folium_locations",
    "inline_assets",
    "map_iframe",
    "resolve_asset",
    "save_map",
]

_UNKNOWN_TYPE = "Unknown event type"
_PERIOD_MS = {1: 86_400_000, 2: 7 * 86_400_000, 3: 31 * 86_400_000}
#: Chrome refuses ``data:`` URIs above 2 MB; folium's notebook repr is one.
NOTEBOOK_DATA_URI_LIMIT = 2 * 1024 * 1024


def _options(options: MapOptions | None, overrides: dict[str, Any]) -> MapOptions:
    if options is not None and not isinstance(options, MapOptions):
        raise MapError(f"options must be a MapOptions, not {type(options).__name__}")
    opts = options or MapOptions()
    return opts.replace(**overrides) if overrides else opts


def _add_tiles(m: folium.Map, opts: MapOptions) -> int:
    """Add base layers; return how many."""
    import xyzservices

    specs = [] if opts.tiles is None or opts.tiles == "none" else [opts.tiles]
    specs += list(opts.extra_tiles)
    for spec in specs:
        if isinstance(spec, xyzservices.TileProvider):
            folium.TileLayer(spec, name=escape_text(spec.name)).add_to(m)
        elif isinstance(spec, str) and "{z}" in spec:
            if not opts.tiles_attribution:
                raise MapError(
                    "a tile URL template needs tiles_attribution (the tile provider's credit)"
                )
            folium.TileLayer(spec, attr=opts.tiles_attribution, name="Custom tiles").add_to(m)
        elif isinstance(spec, str):
            try:
                provider = xyzservices.providers.query_name(spec)
            except ValueError as exc:
                raise MapError(
                    f"unknown tile provider {spec!r}; use an xyzservices name such as "
                    "'CartoDB.Positron' or 'OpenStreetMap.Mapnik', or tiles=None"
                ) from exc
            folium.TileLayer(provider, name=escape_text(provider.name)).add_to(m)
        else:
            raise MapError(f"tiles must be a name, a TileProvider or None, not {spec!r}")
    return len(specs)


def _text_column(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return [
        "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()
        for v in frame[name].tolist()
    ]


def _time_features(frame: pd.DataFrame) -> dict | None:
    if "event_date" not in frame.columns:
        return None
    dates = frame["event_date"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, errors="coerce", format="mixed")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    ms = (dates.astype("datetime64[ms]").astype("int64")).to_numpy()
    valid = dates.notna().to_numpy()
    if not valid.any():
        return None
    prec = (
        pd.to_numeric(frame["time_precision"], errors="coerce").fillna(1).astype(int).tolist()
        if "time_precision" in frame.columns
        else [1] * len(frame)
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [0, 0]},
            "properties": {
                "i": i,
                "start": int(ms[i]),
                "end": int(ms[i]) + _PERIOD_MS.get(p, _PERIOD_MS[3]),
            },
        }
        for i, p in enumerate(prec)
        if valid[i]
    ]
    return {"type": "FeatureCollection", "features": features}


def _choropleth(m: folium.Map, prep: PreparedEvents, opts: MapOptions) -> folium.GeoJson:
    import geopandas as gpd

    areas = opts.admin_areas
    if not isinstance(areas, gpd.GeoDataFrame):
        raise MapError("admin_areas must be a GeoDataFrame of polygons")
    if areas.crs is None:
        raise MapError("admin_areas has no CRS; set it with admin_areas.set_crs(...)")
    areas = areas.to_crs(4326)
    col = opts.admin_name_column
    if col is None:
        col = next(
            (
                c
                for c in ("name", "admin1", "admin2", "shapeName", "NAME_1", "NAME_2")
                if c in areas.columns
            ),
            None,
        )
    elif col not in areas.columns:
        raise MapError(f"admin_name_column {col!r} is not a column of admin_areas")
    points = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(prep.locations[:, 1], prep.locations[:, 0]), crs=4326
    )
    areas = areas.reset_index(drop=True)
    joined = gpd.sjoin(points, areas[[areas.geometry.name]], predicate="within", how="inner")
    counts = joined.groupby("index_right").size().reindex(areas.index, fill_value=0)
    top = max(int(counts.max()), 1)
    names = [str(v) for v in areas[col]] if col else [f"area {i}" for i in areas.index]
    shapes = gpd.GeoDataFrame(
        {
            "ge_name": [escape_text(n) for n in names],  # GeoJsonTooltip uses innerHTML
            "ge_count": counts.astype(int).tolist(),
        },
        geometry=areas.geometry.values,
        crs=4326,
    )
    colors = ["#ffffcc", "#fed976", "#fd8d3c", "#e31a1c", "#800026"]

    def style(feature: dict) -> dict:
        n = feature["properties"]["ge_count"]
        idx = 0 if n == 0 else min(len(colors) - 1, 1 + int(3 * n / top))
        return {"fillColor": colors[idx], "color": "#666", "weight": 1, "fillOpacity": 0.45}

    layer = folium.GeoJson(
        shapes.__geo_interface__,
        name="Events per area",
        style_function=style,
        tooltip=folium.GeoJsonTooltip(["ge_name", "ge_count"], aliases=["Area", "Events"]),
        show=True,
    )
    layer.add_to(m)
    return layer


def events_map(
    gdf: pd.DataFrame, *, options: MapOptions | None = None, **overrides: Any
) -> folium.Map:
    """Draw events on an interactive folium map.

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        Events in the geo_events schema (missing optional columns are fine). Points in any
        CRS (reprojected to EPSG:4326), or ``latitude``/``longitude`` columns.
    options : MapOptions, optional
        Drawing options; see :class:`MapOptions`.
    **overrides
        Single options overriding ``options`` (``tiles=None``, ``title="..."``).

    Returns
    -------
    folium.Map
        Displays inline in Jupyter; ``m.geo_events`` holds a summary (event counts, the
        index labels of rows that could not be placed, which mode drew the markers).

    Raises
    ------
    MapError
        When the frame cannot be mapped (no geometry and no latitude/longitude, no CRS
        and non-degree coordinates), an option is invalid, or rows are unmappable and
        ``on_unmappable="raise"``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> gdf = gpd.GeoDataFrame({"event_type": ["Battles"], "location": ["Aleppo"]},
    ...                        geometry=[Point(37.16, 36.2)], crs=4326)
    >>> m = events_map(gdf, tiles=None)
    >>> m.geo_events["n_mapped"]
    1
    """
    opts = _options(options, overrides)
    prep = prepare_events(gdf)
    frame, locs = prep.frame, prep.locations
    n = len(frame)
    notes: list[str] = []
    if prep.unmappable:
        msg = f"{len(prep.unmappable)} of {prep.n_input} events have no usable coordinates"
        if opts.on_unmappable == "raise":
            sample = ", ".join(map(str, prep.unmappable[:10]))
            raise MapError(
                f"{msg} (index: {sample}); fix or drop them, or use on_unmappable='keep'"
            )
        if opts.on_unmappable == "warn":
            warnings.warn(
                f"{msg}; they are not drawn (listed in m.geo_events)", UserWarning, stacklevel=2
            )
        logger.info("%s; not drawn", msg)
        notes.append(f"{len(prep.unmappable):,} event(s) without coordinates not shown")

    fast = n > opts.fast_threshold
    include_notes = opts.popup_notes if opts.popup_notes is not None else not fast
    center = [float(np.mean(locs[:, 0])), float(np.mean(locs[:, 1]))] if n else [20.0, 0.0]
    m = folium.Map(
        location=center,
        zoom_start=2 if n == 0 else 5,
        tiles=None,
        width=opts.width,
        height=opts.height,
        control_scale=True,
        **{"maxZoom": 19},
    )
    # After the map in its figure: checks every template output before it is evaluated.
    TemplateGuard().add_to(m.get_root())
    n_tiles = _add_tiles(m, opts)
    StyleSheet().add_to(m)

    types = [t or _UNKNOWN_TYPE for t in _text_column(frame, "event_type")]
    subs = _text_column(frame, "sub_event_type")
    styles = [
        event_style(t if t != _UNKNOWN_TYPE else None, s) for t, s in zip(types, subs, strict=False)
    ]
    type_counts = Counter(types).most_common()
    type_pos = {t: k for k, (t, _) in enumerate(type_counts)}
    displays = event_displays(
        frame, include_notes=include_notes, max_text_length=opts.max_text_length
    )

    a1 = _text_column(frame, "actor1")
    a2 = _text_column(frame, "actor2")
    actor_counts = Counter(a for pair in zip(a1, a2, strict=False) for a in set(pair) if a)
    top_actors = (
        [a for a, _ in actor_counts.most_common(opts.max_actor_layers)] if opts.actor_layers else []
    )
    actor_pos = {a: k for k, a in enumerate(top_actors)}
    time_fc = None
    if opts.time_slider is not False:
        time_fc = _time_features(frame)
        if (
            time_fc is not None
            and opts.time_slider is None
            and len(time_fc["features"]) > opts.time_max_events
        ):
            logger.info(
                "time slider skipped: %d dated events > time_max_events=%d",
                len(time_fc["features"]),
                opts.time_max_events,
            )
            notes.append(f"time slider off above {opts.time_max_events:,} dated events")
            time_fc = None
        if opts.time_slider and time_fc is None:
            logger.info("time slider requested but no event has a date")

    layers: dict[str, Any] = {}
    groups: dict[str, list[Any]] = {"Event types": [], "Actors": [], "Overlays": []}
    data: EventData | None = None
    if fast or top_actors or time_fc is not None:
        data = EventData(
            locs,
            displays,
            styles,
            [type_pos[t] for t in types],
            [(actor_pos.get(x, -1), actor_pos.get(y, -1)) for x, y in zip(a1, a2, strict=False)],
        )
        data.add_to(m)

    # One layer per event type.
    if fast:
        for t, count in type_counts:
            layer = CompactEventLayer(
                data, f"{escape_text(t)} ({count:,})", {"type": type_pos[t]}, cluster=opts.cluster
            )
            layer.add_to(m)
            layers[f"type:{t}"] = layer
            groups["Event types"].append(layer)
    else:
        rows_by_type: dict[str, list[int]] = {}
        for i, t in enumerate(types):
            rows_by_type.setdefault(t, []).append(i)
        for t, count in type_counts:
            name = f"{escape_text(t)} ({count:,})"
            if opts.cluster:
                layer = MarkerCluster(name=name, options={"showCoverageOnHover": False})
            else:
                layer = folium.FeatureGroup(name=name)
            layer.add_to(m)
            for i in rows_by_type[t]:
                st, disp = styles[i], displays[i]
                folium.Marker(
                    location=[float(locs[i, 0]), float(locs[i, 1])],
                    icon=folium.Icon(
                        color=st.color,
                        icon=st.icon,
                        prefix="fa",
                        icon_color="white",
                        # markercluster resets inline opacity: fade denied events by CSS.
                        class_name="awesome-marker ge-denied" if disp.denied else "awesome-marker",
                    ),
                    popup=folium.Popup(popup_html(disp, st.hex), parse_html=False, max_width=360),
                    tooltip=folium.Tooltip(escape_text(disp.tooltip)),
                    opacity=DENIED_OPACITY if disp.denied else 1.0,
                ).add_to(layer)
            layers[f"type:{t}"] = layer
            groups["Event types"].append(layer)

    # One (hidden) layer per frequent actor.
    for actor in top_actors:
        layer = CompactEventLayer(
            data,
            f"{escape_text(actor)} ({actor_counts[actor]:,})",
            {"actor": actor_pos[actor]},
            cluster=opts.cluster,
            show=False,
        )
        layer.add_to(m)
        layers[f"actor:{actor}"] = layer
        groups["Actors"].append(layer)

    if opts.heatmap and n:
        heat = HeatMap(
            np.round(locs, 4).tolist(),
            name="Heat map",
            show=False,
            radius=14,
            blur=18,
            min_opacity=0.3,
        )
        heat.add_to(m)
        layers["heat"] = heat
        groups["Overlays"].append(heat)

    if time_fc is not None and data is not None:
        tl = TimeLayer(data, time_fc, "Time slider events", show=opts.show_time_layer)
        tl.add_to(m)
        slider = TimelineSlider(
            auto_play=False,
            date_options="YYYY-MM-DD",
            show_ticks=False,
            enable_keyboard_controls=False,
        )
        slider.add_timelines(tl)
        slider.add_to(m)
        layers["time"] = tl
        layers["slider"] = slider
        groups["Overlays"].append(tl)

    if opts.admin_areas is not None and n:
        chor = _choropleth(m, prep, opts)
        layers["choropleth"] = chor
        groups["Overlays"].append(chor)

    groups = {k: v for k, v in groups.items() if v}
    if opts.grouped_layer_control and groups:
        GroupedLayerControl(
            groups, exclusive_groups=False, collapsed=opts.collapsed_control
        ).add_to(m)
    if not opts.grouped_layer_control or n_tiles > 1:
        folium.LayerControl(collapsed=opts.collapsed_control).add_to(m)

    if opts.legend:
        title = opts.title or "Events"
        rows = [(t, c, event_style(t if t != _UNKNOWN_TYPE else None)) for t, c in type_counts]
        Legend(f"{title} ({n:,})", rows, notes).add_to(m)

    if opts.fit_bounds and n:
        sw = [float(locs[:, 0].min()), float(locs[:, 1].min())]
        ne = [float(locs[:, 0].max()), float(locs[:, 1].max())]
        m.fit_bounds([sw, ne], max_zoom=opts.max_zoom, padding=(20, 20))

    Registry(
        m.get_name(),
        data.get_name() if data else None,
        {k: v.get_name() for k, v in layers.items()},
    ).add_to(m)
    m.geo_events = {
        "n_input": prep.n_input,
        "n_mapped": n,
        "unmappable": list(prep.unmappable),
        "mode": "compact" if fast else "markers",
        "event_types": dict(type_counts),
        "actor_layers": top_actors,
        "time_slider": time_fc is not None,
    }
    return m


def save_map(
    m_or_gdf: folium.Map | pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    self_contained: bool = False,
    assets_dir: str | os.PathLike[str] | None = None,
    options: MapOptions | None = None,
    **overrides: Any,
) -> Path:
    """Write a map (or the map of an events frame) as one HTML file.

    Parameters
    ----------
    m_or_gdf : folium.Map or (Geo)DataFrame
        A map, or events to draw with :func:`events_map` (``options``/``overrides``).
    path : path-like
        Output file.
    self_contained : bool
        Inline every script and stylesheet from ``assets_dir`` so the file opens with no
        network at all (tiles aside: use ``tiles=None`` for a fully offline map).
    assets_dir : path-like, optional
        Local asset directory (see :func:`geo_events.maps.assets.resolve_asset`); default
        ``$GEO_EVENTS_MAP_ASSETS``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    MapError
        When ``self_contained`` and the asset directory is missing or incomplete.
    """
    m = (
        m_or_gdf
        if isinstance(m_or_gdf, folium.Map)
        else events_map(m_or_gdf, options=options, **overrides)
    )
    html = m.get_root().render()
    if self_contained:
        assets_dir = assets_dir or os.environ.get("GEO_EVENTS_MAP_ASSETS")
        if not assets_dir:
            raise MapError(
                "self_contained=True needs assets_dir (or $GEO_EVENTS_MAP_ASSETS): a directory "
                "filled by geo_events.maps.fetch_assets() or an npm install of .ci/browser-assets"
            )
        html = inline_assets(html, assets_dir)
    out = Path(path)
    out.write_text(html, encoding="utf-8")
    return out


class NotebookMap:
    """A saved map shown in Jupyter through an ``<iframe src=...>`` (no size limit).

    Attributes
    ----------
    path : Path
    src : str
        The ``src`` used (relative to the notebook's directory when possible).
    """

    def __init__(self, path: Path, src: str, width: str, height: int) -> None:
        self.path, self.src, self.width, self.height = path, src, width, height

    def _repr_html_(self) -> str:
        return (
            f'<iframe src="{escape_text(self.src)}" width="{escape_text(self.width)}" '
            f'height="{int(self.height)}" style="border:none"></iframe>'
        )


def map_iframe(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    width: str = "100%",
    height: int = 600,
    self_contained: bool = False,
    assets_dir: str | os.PathLike[str] | None = None,
) -> NotebookMap:
    """Save a map next to the notebook and display it through an iframe pointing at the file.

    folium's own notebook display embeds the whole page as a ``data:`` URI, which Chrome
    refuses above 2 MB (blank output for maps of a few thousand markers). A file
    reference has no such limit.

    Parameters
    ----------
    m : folium.Map
    path : path-like
        Where to write the HTML, best relative to the notebook's working directory.
    width, height
        Iframe size.
    self_contained, assets_dir
        As in :func:`save_map`.

    Returns
    -------
    NotebookMap
        Displays as an iframe in Jupyter.
    """
    out = save_map(m, path, self_contained=self_contained, assets_dir=assets_dir)
    try:
        src = os.path.relpath(out, Path.cwd())
    except ValueError:
        src = out.resolve().as_uri()
    return NotebookMap(out, Path(src).as_posix(), width, height)


def _reference_asset_urls() -> list[str]:
    """Every CDN URL a full events map references (for :func:`fetch_assets`)."""
    import geopandas as gpd
    from shapely import Point, box

    gdf = gpd.GeoDataFrame(
        {"event_type": ["Battles"], "event_date": [pd.Timestamp("2024-01-01")], "actor1": ["a"]},
        geometry=[Point(0, 0)],
        crs=4326,
    )
    areas = gpd.GeoDataFrame({"name": ["x"]}, geometry=[box(-1, -1, 1, 1)], crs=4326)
    html = (
        events_map(gdf, admin_areas=areas, extra_tiles=("OpenStreetMap.Mapnik",))
        .get_root()
        .render()
    )
    small = events_map(gdf, fast_threshold=0).get_root().render()
    return list(dict.fromkeys(asset_urls(html) + asset_urls(small)))


# Unused-import guard for names re-exported for users.
_ = (EventStyle, folium_locations)
