"""Deprecated: the map's scripts and stylesheets now come from installed packages.

Earlier versions inlined them from an ``npm install`` or a mirror that
:func:`fetch_assets` filled; every map now renders offline through
:func:`geo_events.maps.resources.offline_resources`. These names remain for one release.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from geo_events.errors import MapError
from geo_events.maps.resources import external_urls, inert_text, resource_text

__all__ = [
    "ASSET_PREFIXES",
    "OPTIONAL_ASSETS",
    "asset_urls",
    "fetch_assets",
    "inline_assets",
    "resolve_asset",
]

ASSET_PREFIXES: tuple[tuple[str, str], ...] = ()
OPTIONAL_ASSETS: frozenset[str] = frozenset()

_SCRIPT_RE = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*["'](https?://[^"']+)["'][^>]*>\s*</script>""", re.I
)
_LINK_RE = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["'](https?://[^"']+)["'][^>]*>""", re.I)


def _deprecated(name: str, instead: str) -> None:
    warnings.warn(
        f"geo_events.maps.{name} is deprecated: {instead}", DeprecationWarning, stacklevel=3
    )


def asset_urls(html: str) -> list[str]:
    """Deprecated alias of :func:`geo_events.maps.resources.external_urls`."""
    _deprecated("asset_urls", "use geo_events.maps.resources.external_urls")
    return external_urls(html)


def inline_assets(
    html: str, assets_dir: str | Path | None = None, *, on_missing: str = "raise"
) -> str:
    """Deprecated: inline the page's CDN scripts and stylesheets from installed packages.

    ``assets_dir`` is ignored. Raises :class:`MapError` for a URL no package holds
    unless ``on_missing="keep"``.
    """
    _deprecated("inline_assets", "maps render offline by default (save_map, events_map)")

    def inline(match: re.Match[str], tag: str) -> str:
        text = resource_text(match.group(1))
        if text is None:
            if on_missing == "raise":
                raise MapError(f"no installed package holds {match.group(1)}")
            return match.group(0)
        return f"<{tag}>{inert_text(text, tag)}</{tag}>"

    html = _SCRIPT_RE.sub(lambda m: inline(m, "script"), html)
    return _LINK_RE.sub(lambda m: inline(m, "style"), html)


def resolve_asset(url: str, assets_dir: str | Path | None = None) -> None:
    """Deprecated: there are no local asset files any more; always None."""
    _deprecated("resolve_asset", "resources come from installed packages")
    return


def fetch_assets(*args: object, **kwargs: object) -> None:
    """Deprecated: nothing to fetch; maps render offline from installed packages."""
    _deprecated("fetch_assets", "nothing to fetch, maps render offline by default")
