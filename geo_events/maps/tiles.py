"""Online tile layers: an optional extra under the events, never a requirement.

Names go through xyzservices (forgiving spelling), so ``"cartodb positron"`` works; a URL
template needs its provider's attribution. Without network a tile layer simply shows
nothing: the built-in geography (``geography.py``) is the base that always renders.
"""

from __future__ import annotations

import folium

from geo_events.errors import MapError
from geo_events.maps.options import MapOptions
from geo_events.maps.popups import escape_text

__all__ = ["add_tiles"]


def add_tiles(m: folium.Map, opts: MapOptions, *, show_first: bool) -> int:
    """Add the online base layers of ``opts`` to ``m``; return how many.

    ``show_first``: whether the first of them is the base layer the map opens with (only
    when there is no built-in geography).
    """
    import xyzservices

    specs = [] if opts.tiles is None or opts.tiles == "none" else [opts.tiles]
    specs += list(opts.extra_tiles)
    for spec in specs:
        if isinstance(spec, xyzservices.TileProvider):
            folium.TileLayer(
                spec, name=escape_text(spec.name), show=_show(specs, spec, show_first)
            ).add_to(m)
        elif isinstance(spec, str) and "{z}" in spec:
            if not opts.tiles_attribution:
                raise MapError(
                    "a tile URL template needs tiles_attribution (the tile provider's credit)"
                )
            folium.TileLayer(
                spec,
                attr=opts.tiles_attribution,
                name="Custom tiles",
                show=_show(specs, spec, show_first),
            ).add_to(m)
        elif isinstance(spec, str):
            try:
                provider = xyzservices.providers.query_name(spec)
            except ValueError as exc:
                raise MapError(
                    f"unknown tile provider {spec!r}; use an xyzservices name such as "
                    "'CartoDB.Positron' or 'OpenStreetMap.Mapnik', or tiles=None"
                ) from exc
            folium.TileLayer(
                provider, name=escape_text(provider.name), show=_show(specs, spec, show_first)
            ).add_to(m)
        else:
            raise MapError(f"tiles must be a name, a TileProvider or None, not {spec!r}")
    return len(specs)


def _show(specs: list[object], spec: object, show_first: bool) -> bool:
    return show_first and spec is specs[0]
