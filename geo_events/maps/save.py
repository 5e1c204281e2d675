"""Writing maps to HTML, and showing large ones in Jupyter.

A page written here renders with the network off: Leaflet and every other script or
stylesheet the map links is put into the page (default), or written once into an assets
directory the page references (``assets_dir=``, for many maps sharing one copy), unless
the caller asks for CDN links (``cdn=True``, for small files shared online).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import folium
import pandas as pd

from geo_events.errors import MapError
from geo_events.maps.options import MapOptions
from geo_events.maps.popups import escape_text
from geo_events.maps.resources import offline_resources

__all__ = ["NotebookMap", "map_iframe", "save_map"]


def save_map(
    m: folium.Map,
    path: str | os.PathLike[str],
    *,
    cdn: bool = False,
    assets_dir: str | os.PathLike[str] | None = None,
    self_contained: bool | None = None,
    options: MapOptions | None = None,
    **overrides: Any,
) -> Path:
    """Write a folium map as one HTML file that opens with no network.

    Parameters
    ----------
    m : folium.Map
        Any folium map (an :func:`~geo_events.maps.events_map`, or one of yours with an
        :class:`~geo_events.maps.EventsLayer`). A (Geo)DataFrame is still accepted, with a
        DeprecationWarning: pass ``events_map(gdf)``.
    path : path-like
        Output file (``~`` is expanded; missing directories are created).
    cdn : bool
        Link scripts and stylesheets on their CDNs instead (the page then needs internet).
    assets_dir : path-like, optional
        Write the scripts and stylesheets into this directory (``~`` expanded, created
        when missing) and reference them from the page by relative path.
    self_contained : bool, optional
        Deprecated: pages are self-contained by default.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    MapError
        When ``m`` is not a map, or both ``cdn`` and ``assets_dir`` are given.
    """
    if isinstance(m, pd.DataFrame):
        warnings.warn(
            "save_map(gdf, ...) is deprecated; pass a map: save_map(events_map(gdf), path)",
            DeprecationWarning,
            stacklevel=2,
        )
        from geo_events.maps.build import events_map

        m = events_map(m, options=options, **overrides)
    elif options is not None or overrides:
        raise MapError("map options apply when building the map: events_map(gdf, ...)")
    if not isinstance(m, folium.Map):
        raise MapError(f"save_map needs a folium.Map, not {type(m).__name__}")
    if self_contained is not None:
        warnings.warn(
            "self_contained is deprecated: every saved map is self-contained unless cdn=True",
            DeprecationWarning,
            stacklevel=2,
        )
    if cdn and assets_dir is not None:
        raise MapError("give cdn=True or assets_dir, not both")
    out = Path(path).expanduser()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure = m.get_root()
    if assets_dir is not None:
        offline_resources(
            figure, mode="local", assets_dir=Path(assets_dir).expanduser(), page_dir=out.parent
        )
    else:
        offline_resources(figure, mode="cdn" if cdn else "inline")
    html = figure.render()
    out.write_text(html, encoding="utf-8")
    return out


class NotebookMap:
    """A saved map shown in Jupyter through an ``<iframe src=...>``.

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
    cdn: bool = False,
    assets_dir: str | os.PathLike[str] | None = None,
    self_contained: bool | None = None,
) -> NotebookMap:
    """Save a map next to the notebook and display it through an iframe pointing at the file.

    folium's own notebook display copies the whole page into the notebook (``srcdoc``);
    for maps of many events that makes the notebook file as large as the map. A file
    reference keeps the notebook small.

    Parameters
    ----------
    m : folium.Map
    path : path-like
        Where to write the HTML, best relative to the notebook's working directory.
    width, height
        Iframe size.
    cdn, assets_dir, self_contained
        As in :func:`save_map`.

    Returns
    -------
    NotebookMap
        Displays as an iframe in Jupyter.
    """
    out = save_map(m, path, cdn=cdn, assets_dir=assets_dir, self_contained=self_contained)
    try:
        src = os.path.relpath(out, Path.cwd())
    except ValueError:
        src = out.resolve().as_uri()
    return NotebookMap(out, Path(src).as_posix(), width, height)
