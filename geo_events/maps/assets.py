"""Local copies of the JS/CSS that folium maps load from CDNs.

A folium page references Leaflet and its plugins on public CDNs. Offline (air-gapped
machines, CI without internet) those requests fail and the page stays blank. This module
maps every CDN URL that folium 0.20 and our map use to a file in a *local asset
directory*, so that

* :func:`inline_assets` can write one self-contained HTML file (scripts and stylesheets
  inlined, images and fonts as ``data:`` URIs), and
* the browser tests can answer the page's requests from disk.

An asset directory is either an ``npm install`` of ``.ci/browser-assets/package.json``
(the directory holding ``node_modules``, or ``node_modules`` itself), or a *mirror*
filled by :func:`fetch_assets` with one file per URL under ``<host>/<path>``. Both layouts
are searched, the mirror first.

Why a table of URL prefixes and not a generic "npm package at version" parser: the CDNs
name packages differently from npm (cdnjs ``moment.js/2.18.1/moment.min.js`` is npm
``moment/min/moment.min.js``), and a few files (the heat-map script, the awesome-markers
rotation CSS) come from folium's GitHub rather than npm.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from geo_events.errors import MapError

logger = logging.getLogger(__name__)

__all__ = [
    "ASSET_PREFIXES",
    "OPTIONAL_ASSETS",
    "asset_urls",
    "fetch_assets",
    "inline_assets",
    "resolve_asset",
]

_JSD = "https://cdn.jsdelivr.net/npm/"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs/"
_FOLIUM_GH = "https://cdn.jsdelivr.net/gh/python-visualization/folium"

#: CDN URL prefix -> path relative to ``node_modules`` (a prefix too, or an exact file).
ASSET_PREFIXES: tuple[tuple[str, str], ...] = (
    (_JSD + "leaflet@1.9.3/", "leaflet/"),
    (_JSD + "@fortawesome/fontawesome-free@6.2.0/", "@fortawesome/fontawesome-free/"),
    (_JSD + "bootstrap@5.2.2/", "bootstrap/"),
    (_JSD + "iso8601-js-period@0.2.1/iso8601.min.js", "iso8601-js-period/iso8601.js"),
    (_JSD + "leaflet-timedimension@1.1.1/", "leaflet-timedimension/"),
    (
        _JSD + "leaflet.timeline@1.6.0/dist/leaflet.timeline.min.js",
        "leaflet.timeline/dist/leaflet.timeline.js",
    ),
    (_CDNJS + "Leaflet.awesome-markers/2.0.2/", "leaflet.awesome-markers/dist/"),
    (_CDNJS + "jquery/3.7.1/jquery.min.js", "jquery/dist/jquery.min.js"),
    ("https://code.jquery.com/jquery-3.7.1.min.js", "jquery/dist/jquery.min.js"),
    # jQuery UI 1.10.2 is not on npm as a built file; 1.12.1 is API-compatible for folium.
    (_CDNJS + "jqueryui/1.10.2/jquery-ui.min.js", "jquery-ui-dist/jquery-ui.min.js"),
    (_CDNJS + "leaflet-groupedlayercontrol/0.6.1/", "leaflet-groupedlayercontrol/dist/"),
    (_CDNJS + "leaflet.markercluster/1.1.0/", "leaflet.markercluster/dist/"),
    (_CDNJS + "moment.js/2.18.1/moment.min.js", "moment/min/moment.min.js"),
    (
        _FOLIUM_GH + "@main/folium/templates/leaflet_heat.min.js",
        "leaflet.heat/dist/leaflet-heat.js",
    ),
)

#: Stylesheets a map references but does not need (glyphicons, code highlighting, icon
#: rotation): served or inlined as empty when no local copy exists.
OPTIONAL_ASSETS: frozenset[str] = frozenset(
    {
        _FOLIUM_GH + "/folium/templates/leaflet.awesome.rotate.min.css",
        "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css",
        _CDNJS + "highlight.js/8.4/styles/default.min.css",
    }
)

_SRC_RE = re.compile(r"""<script\b([^>]*?)\bsrc\s*=\s*["']([^"']+)["']([^>]*)>\s*</script>""", re.I)
_LINK_RE = re.compile(r"""<link\b[^>]*?\bhref\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_CSS_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_ATTR_URL_RE = re.compile(r"""(?:src|href)\s*=\s*["'](https?://[^"']+)["']""", re.I)
# Fonts a browser only uses when it lacks woff2 support: not worth megabytes per file.
_SKIPPED_FONT_SUFFIXES = (".ttf", ".eot", ".woff", ".otf")


def asset_urls(html: str) -> list[str]:
    """List the ``http(s)`` script and stylesheet URLs referenced by a page.

    Parameters
    ----------
    html : str
        A rendered page (``folium.Map.get_root().render()``).

    Returns
    -------
    list of str
        Unique URLs in order of first appearance.

    Examples
    --------
    >>> asset_urls('<script src="https://x.test/a.js"></script>')
    ['https://x.test/a.js']
    """
    return list(dict.fromkeys(_ATTR_URL_RE.findall(html)))


def _candidates(url: str, assets_dir: Path) -> list[Path]:
    parsed = urllib.parse.urlsplit(url)
    out = [assets_dir / parsed.netloc / parsed.path.lstrip("/")]
    for prefix, local in ASSET_PREFIXES:
        if url == prefix or (prefix.endswith("/") and url.startswith(prefix)):
            rel = local + url[len(prefix) :] if prefix.endswith("/") else local
            rel = rel.split("?", 1)[0].split("#", 1)[0]
            out += [assets_dir / "node_modules" / rel, assets_dir / rel]
    return out


def resolve_asset(url: str, assets_dir: str | Path) -> Path | None:
    """Find the local copy of a CDN URL.

    Parameters
    ----------
    url : str
        An absolute URL as the page references it.
    assets_dir : str or Path
        A mirror filled by :func:`fetch_assets`, an npm install of
        ``.ci/browser-assets`` (the directory holding ``node_modules``), or
        ``node_modules`` itself.

    Returns
    -------
    Path or None
        The file, or ``None`` when no local copy exists.
    """
    base = Path(assets_dir)
    for cand in _candidates(url, base):
        # Never step outside the asset directory, whatever the URL path says.
        try:
            resolved = cand.resolve()
            resolved.relative_to(base.resolve())
        except (OSError, ValueError):
            continue
        if resolved.is_file():
            return resolved
    return None


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".woff2":
        mime = "font/woff2"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(css: str, css_url: str, assets_dir: Path) -> str:
    def repl(match: re.Match[str]) -> str:
        ref = match.group(2).strip()
        if ref.startswith(("data:", "#")):
            return match.group(0)
        absolute = urllib.parse.urljoin(css_url, ref)
        if absolute.startswith("//"):
            absolute = "https:" + absolute
        bare = absolute.split("?", 1)[0].split("#", 1)[0]
        if bare.lower().endswith(_SKIPPED_FONT_SUFFIXES):
            return "url(data:,)"
        local = resolve_asset(absolute, assets_dir)
        if local is None:
            logger.debug("no local copy of %s referenced by %s; left empty", absolute, css_url)
            return "url(data:,)"
        return f'url("{_data_uri(local)}")'

    return _CSS_URL_RE.sub(repl, css)


def _script_text(text: str) -> str:
    # A literal "</script" inside inlined code would end the script element early.
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)


def inline_assets(html: str, assets_dir: str | Path, *, on_missing: str = "raise") -> str:
    """Replace CDN ``<script src>`` and stylesheet ``<link>`` tags with inline copies.

    Parameters
    ----------
    html : str
        A rendered page.
    assets_dir : str or Path
        Where the local copies live (see :func:`resolve_asset`).
    on_missing : {"raise", "keep"}
        What to do when a required asset has no local copy: raise :class:`MapError`
        listing every missing URL, or keep the CDN reference.

    Returns
    -------
    str
        The page with every resolvable asset inlined.

    Raises
    ------
    MapError
        When ``assets_dir`` does not exist, or assets are missing and
        ``on_missing="raise"``.
    """
    if on_missing not in ("raise", "keep"):
        raise MapError(f"on_missing must be 'raise' or 'keep', not {on_missing!r}")
    base = Path(assets_dir)
    if not base.is_dir():
        raise MapError(
            f"asset directory {str(base)!r} does not exist; run "
            "geo_events.maps.fetch_assets(dir) while online or `npm install` in "
            ".ci/browser-assets, and pass that directory"
        )
    missing: list[str] = []

    def script_repl(match: re.Match[str]) -> str:
        url = match.group(2)
        if not url.startswith(("http://", "https://")):
            return match.group(0)
        local = resolve_asset(url, base)
        if local is None:
            missing.append(url)
            return match.group(0)
        text = local.read_text(encoding="utf-8")
        return f"<script>/* {_comment(url)} */\n{_script_text(text)}\n</script>"

    def link_repl(match: re.Match[str]) -> str:
        tag, url = match.group(0), match.group(1)
        if "stylesheet" not in tag.lower() or not url.startswith(("http://", "https://")):
            return tag
        local = resolve_asset(url, base)
        if local is None:
            if url in OPTIONAL_ASSETS:
                return f"<!-- {_comment(url)}: not needed offline -->"
            missing.append(url)
            return tag
        css = _inline_css(local.read_text(encoding="utf-8"), url, base)
        css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)
        return f"<style>/* {_comment(url)} */\n{css}\n</style>"

    out = _SRC_RE.sub(script_repl, html)
    out = _LINK_RE.sub(link_repl, out)
    if missing and on_missing == "raise":
        raise MapError(
            f"{len(missing)} asset(s) have no local copy in {str(base)!r}: "
            + ", ".join(missing)
            + "; fill the directory with geo_events.maps.fetch_assets() while online"
        )
    return out


def _comment(url: str) -> str:
    return url.replace("*/", "*\\/").replace("--", "- -")


def fetch_assets(
    assets_dir: str | Path, urls: Iterable[str] | None = None, *, timeout: float = 30.0
) -> list[Path]:
    """Download assets into a mirror directory (needs internet; run once, then go offline).

    Parameters
    ----------
    assets_dir : str or Path
        The mirror; files land in ``<assets_dir>/<host>/<path>``.
    urls : iterable of str, optional
        The URLs to fetch. By default every URL a full events map references,
        plus the images and fonts its stylesheets need.
    timeout : float
        Seconds per request.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    MapError
        When a download fails (the message names the URL).
    """
    base = Path(assets_dir)
    if urls is None:
        from geo_events.maps import _reference_asset_urls

        urls = _reference_asset_urls()
    written: list[Path] = []
    queue = list(dict.fromkeys(urls))
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen or url in OPTIONAL_ASSETS:
            continue
        seen.add(url)
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https"):
            continue
        target = base / parsed.netloc / parsed.path.lstrip("/")
        try:
            target.resolve().relative_to(base.resolve())
        except ValueError:
            continue
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                body = resp.read()
        except OSError as exc:
            raise MapError(f"could not download {url}: {exc}") from exc
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        written.append(target)
        if target.suffix == ".css":
            for _, ref in _CSS_URL_RE.findall(body.decode("utf-8", "replace")):
                absolute = urllib.parse.urljoin(url, ref.strip())
                if absolute.startswith(("http://", "https://")) and not absolute.split("?")[
                    0
                ].lower().endswith(_SKIPPED_FONT_SUFFIXES):
                    queue.append(absolute.split("#", 1)[0])
    return written
