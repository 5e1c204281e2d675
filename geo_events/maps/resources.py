"""The scripts, stylesheets and fonts a folium page links, from installed packages.

folium links Leaflet and its plugins on public CDNs, so with the network off its pages
are blank (``L is not defined``). The same files ship on PyPI: ``folium-offline`` holds
every resource folium 0.20 links, keyed by the URL folium uses, and
``xstatic-font-awesome`` the Font Awesome webfonts its stylesheet loads. This module puts
them into the page instead of the links.

:func:`offline_resources` swaps a figure's ``header`` for an :class:`OfflineHeader`. It
changes nothing until the page is rendered: then every ``<script src>`` and ``<link>``
folium added to the header is written as the file's text (``"inline"``), as a relative
reference to a copy in an assets directory (``"local"``), or left as the CDN link
(``"cdn"``). Swapping the header, not editing its children, makes the result independent
of the order in which folium's elements render, and lets
:class:`~geo_events.maps.events_layer.EventsLayer` make any map it is added to offline.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import warnings
from functools import cache
from pathlib import Path
from typing import Literal

from branca.element import CssLink, Element, Figure, JavascriptLink

from geo_events.errors import MapError

logger = logging.getLogger(__name__)

__all__ = [
    "OfflineHeader",
    "ResourceMode",
    "external_urls",
    "inert_text",
    "offline_resources",
    "resource_text",
]

ResourceMode = Literal["inline", "local", "cdn"]
_MODES = ("inline", "local", "cdn")

#: Leaflet's stylesheet draws the layer-control button from ``images/layers.png``, a file
#: beside the CDN copy that no page written here has: a text glyph stands in for it.
_LEAFLET_IMAGE_FALLBACK = (
    ".leaflet-control-layers-toggle{background-image:none!important;"
    "display:flex!important;align-items:center;justify-content:center;"
    "font:20px/1 sans-serif;color:#333;text-decoration:none}"
    '.leaflet-control-layers-toggle::before{content:"\\2630"}'
)
_FONT_URL_RE = re.compile(r"url\((['\"]?)\.\./webfonts/([\w.-]+?)\.(woff2|ttf)\1\)")
_TTF_SOURCE_RE = re.compile(r",\s*url\((['\"]?)\.\./webfonts/[\w.-]+?\.ttf\1\)\s*format\([^)]*\)")
_EXTERNAL_RE = re.compile(
    r"""<(?:script|link)\b[^>]*?\b(?:src|href)\s*=\s*["'](https?://[^"']+)["']""", re.I
)


@cache
def _packaged() -> dict[str, str]:
    """URL -> text of every resource folium 0.20 links, from ``folium-offline``.

    ``offlinefolium.elements._res`` is that package's table (it has no public accessor);
    reading it in one place keeps the dependency on its layout here.
    """
    try:
        from offlinefolium import elements
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise MapError(
            "offline maps need the folium-offline package: pip install folium-offline"
        ) from exc
    table = getattr(elements, "_res", None)
    if not isinstance(table, dict):  # pragma: no cover - guards an upgrade of the package
        raise MapError("this folium-offline version has no resource table; pin <0.21")
    return table


@cache
def _webfont(name: str) -> bytes | None:
    try:
        from xstatic.pkg import font_awesome
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    path = Path(font_awesome.BASE_DIR) / "webfonts" / name
    return path.read_bytes() if path.is_file() else None


def resource_text(url: str) -> str | None:
    """The text of a resource folium links at ``url``, or None when no package has it.

    Stylesheets that load Font Awesome webfonts get them as ``data:`` URIs, so the icons
    render from a single file.
    """
    text = _packaged().get(url)
    if text is None:
        return None
    if "../webfonts/" in text:
        text = _embed_webfonts(text)
    return text


def _embed_webfonts(css: str) -> str:
    css = _TTF_SOURCE_RE.sub("", css)  # one font format is enough: keep woff2

    def data_uri(match: re.Match[str]) -> str:
        font = _webfont(f"{match.group(2)}.woff2")
        if font is None:
            return match.group(0)
        return "url(data:font/woff2;base64," + base64.b64encode(font).decode("ascii") + ")"

    return _FONT_URL_RE.sub(data_uri, css)


def inert_text(text: str, tag: str) -> str:
    """Text that cannot close the ``<script>``/``<style>`` element it is put in."""
    return re.sub(rf"</({tag})", r"<\\/\1", text, flags=re.I)


def external_urls(html: str) -> list[str]:
    """Every http(s) URL a page loads a script or stylesheet from, in order, once each."""
    return list(dict.fromkeys(_EXTERNAL_RE.findall(html)))


class OfflineHeader(Element):
    """A figure header that writes linked resources into the page when rendered.

    Attributes
    ----------
    mode : {"inline", "local", "cdn"}
    assets_dir, page_dir : Path or None
        For ``"local"``: where the files are written, and the directory of the page
        that references them.
    missing : list of str
        URLs of the last render that no installed package holds (left as links).
    """

    def __init__(
        self,
        children: Element,
        mode: ResourceMode = "inline",
        assets_dir: Path | None = None,
        page_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self._name = "OfflineHeader"
        self._children = children._children
        for child in self._children.values():
            child._parent = self
        self.mode = mode
        self.assets_dir = assets_dir
        self.page_dir = page_dir
        self.missing: list[str] = []

    def render(self, **kwargs: object) -> str:
        """The header's elements, each link replaced as :attr:`mode` says."""
        self.missing = []
        parts = [self._render_child(child, **kwargs) for child in self._children.values()]
        if self.missing:
            warnings.warn(
                "not available offline, left as links: " + ", ".join(self.missing),
                UserWarning,
                stacklevel=2,
            )
        return "".join(parts)

    def _render_child(self, child: Element, **kwargs: object) -> str:
        is_js = isinstance(child, JavascriptLink)
        if self.mode == "cdn" or not isinstance(child, (JavascriptLink, CssLink)):
            return child.render(**kwargs)
        url = child.url
        text = resource_text(url)
        if text is None:
            self.missing.append(url)
            return child.render(**kwargs)
        if "leaflet.css" in url:
            text += _LEAFLET_IMAGE_FALLBACK
        if self.mode == "local":
            href = self._write_local(url, text)
            if is_js:
                return f'<script src="{href}"></script>'
            return f'<link rel="stylesheet" href="{href}"/>'
        if is_js:
            return f"<script>{inert_text(text, 'script')}</script>"
        return f"<style>{inert_text(text, 'style')}</style>"

    def _write_local(self, url: str, text: str) -> str:
        if self.assets_dir is None or self.page_dir is None:
            raise MapError("local resources need assets_dir and page_dir")
        base = url.rstrip("/").rsplit("/", 1)[-1] or "resource"
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
        suffix = "" if base.endswith((".js", ".css")) else ".js"
        path = self.assets_dir / f"{digest}-{base}{suffix}"
        self.assets_dir.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return Path(os.path.relpath(path, self.page_dir)).as_posix()


def offline_resources(
    figure: Element,
    *,
    mode: ResourceMode = "inline",
    assets_dir: str | os.PathLike[str] | None = None,
    page_dir: str | os.PathLike[str] | None = None,
) -> OfflineHeader:
    """Make a figure's page load its scripts and stylesheets without the network.

    Parameters
    ----------
    figure : branca.element.Figure
        A map's root (``m.get_root()``).
    mode : {"inline", "local", "cdn"}
        ``"inline"`` puts each file's text into the page (one file that opens anywhere);
        ``"local"`` writes each file once into ``assets_dir`` and references it from the
        page (many maps, one copy); ``"cdn"`` keeps folium's CDN links (needs internet).
    assets_dir, page_dir : path-like
        For ``"local"``: the directory the files go to (``~`` expanded) and the
        directory of the page (links are relative to it).

    Returns
    -------
    OfflineHeader
        The figure's header; calling again changes its mode.

    Raises
    ------
    MapError
        For an unknown mode, or ``"local"`` without both directories.
    """
    if mode not in _MODES:
        raise MapError(f"mode must be one of {', '.join(_MODES)}, not {mode!r}")
    if not isinstance(figure, Figure):
        raise MapError("offline_resources needs a figure: pass m.get_root()")
    assets = Path(assets_dir).expanduser() if assets_dir is not None else None
    page = Path(page_dir).expanduser() if page_dir is not None else None
    if mode == "local" and (assets is None or page is None):
        raise MapError("mode='local' needs assets_dir and page_dir")
    header = figure.header
    if not isinstance(header, OfflineHeader):
        header = OfflineHeader(header)
        header._parent = figure
        figure.header = header
    header.mode, header.assets_dir, header.page_dir = mode, assets, page
    return header
