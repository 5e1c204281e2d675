"""Download GeoNames dump files into the cache, once.

:func:`download_geonames` fetches a country file (``SY.zip``) or
``allCountries.zip`` from https://download.geonames.org/export/dump/, optionally the
matching alternate names (``alternatenames/SY.zip`` or ``alternateNamesV2.zip``)
and the admin code tables, into ``<cache_dir>/geonames/`` with the same relative
paths as on the server, and returns the :class:`~.geonames.GeoNamesDump` naming
them, ready for :meth:`Gazetteer.open(geonames=...) <geo_events.gazetteer.Gazetteer.open>`.

Each file is written to ``<name>.part`` and renamed into place only once complete
(a zip must also pass :func:`zipfile.is_zipfile`), so a file present under its
own name is complete and is not downloaded again; an interrupted or failed
download leaves nothing behind. Only the standard library's ``urllib`` is used.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import os
import re
import shutil
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from geo_events.errors import DownloadError, InputError
from geo_events.gazetteer.geonames import DOWNLOAD_URL, GeoNamesDump

__all__ = ["clear_downloads", "download_file", "download_geonames"]

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[str, int, "int | None"], None]
_CHUNK = 1 << 16
_COUNTRY = re.compile(r"^[A-Za-z]{2}$")


def download_geonames(
    country: str | None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    base_url: str = DOWNLOAD_URL,
    include_alternate_names: bool = False,
    include_admin_codes: bool = True,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
) -> GeoNamesDump:
    """Download a GeoNames dump (once) and return it as a :class:`GeoNamesDump`.

    Parameters
    ----------
    country
        ISO 3166-1 alpha-2 code ("SY", case-insensitive) for one country's file,
        or None for ``allCountries.zip`` (~400 MB, ~12 million places).
    cache_dir
        Files go to ``<cache_dir>/geonames/``; default
        :func:`~geo_events.gazetteer.cache.default_cache_dir`.
    base_url
        The dump's address (a mirror, or a local server in tests).
    include_alternate_names
        Also fetch ``alternatenames/<CC>.zip`` (``alternateNamesV2.zip``, ~200 MB,
        for all countries).
    include_admin_codes
        Also fetch ``admin1CodesASCII.txt`` and ``admin2Codes.txt``.
    progress
        Called as ``progress(stage, bytes_done, bytes_total_or_None)``.
    timeout
        Seconds to wait on the network before giving up.

    Returns
    -------
    GeoNamesDump
        The downloaded files.

    Raises
    ------
    DownloadError
        With the URL and the reason, when a download fails or is not a valid file.
    InputError
        When ``country`` is not a two-letter code (a ``ValueError``).

    Examples
    --------
    >>> dump = download_geonames("SY", include_alternate_names=True)  # doctest: +SKIP
    >>> gaz = Gazetteer.open(geonames=dump)  # doctest: +SKIP
    """
    if country is None:
        stem = "allCountries"
    elif isinstance(country, str) and _COUNTRY.match(country.strip()):
        stem = country.strip().upper()
    else:
        raise InputError(
            f"country must be a two-letter ISO 3166-1 code such as 'SY' (or None for all "
            f"countries), got {country!r}"
        )
    if cache_dir is None:
        from geo_events.gazetteer.cache import default_cache_dir

        cache_dir = default_cache_dir()
    folder = Path(cache_dir).expanduser() / "geonames"
    base = base_url if base_url.endswith("/") else base_url + "/"

    def fetch(relative: str) -> Path:
        return download_file(base + relative, folder / relative, progress=progress, timeout=timeout)

    places = fetch(f"{stem}.zip")
    alternates = None
    if include_alternate_names:
        alternates = fetch(
            "alternateNamesV2.zip" if country is None else f"alternatenames/{stem}.zip"
        )
    admin1 = admin2 = None
    if include_admin_codes:
        admin1 = fetch("admin1CodesASCII.txt")
        admin2 = fetch("admin2Codes.txt")
    return GeoNamesDump(places=places, alternate_names=alternates, admin1=admin1, admin2=admin2)


def download_file(
    url: str,
    destination: str | os.PathLike[str],
    *,
    progress: ProgressCallback | None = None,
    timeout: float = 60,
) -> Path:
    """Download ``url`` to ``destination`` unless a complete copy is there already.

    The body goes to ``<destination>.part`` first and is renamed only when
    complete: the announced length was received and, for a ``.zip``, the file is
    a valid zip. Returns the destination path.

    Raises
    ------
    DownloadError
        With the URL and the reason; no partial file is left behind.
    """
    destination = Path(destination)
    if destination.is_file() and _complete(destination):
        logger.debug("GeoNames file %s already downloaded", destination)
        return destination
    destination.parent.mkdir(parents=True, exist_ok=True)
    part = destination.with_name(destination.name + ".part")
    stage = f"downloading {destination.name}"
    report = progress or (lambda stage, done, total: None)
    logger.info("downloading %s to %s", url, destination)
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "geo_events"})
        with urllib.request.urlopen(request, timeout=timeout) as response, part.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            report(stage, 0, total)
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                done += len(chunk)
                report(stage, done, total)
        if total is not None and done != total:
            raise DownloadError(f"download of {url} failed: got {done} of {total} bytes")
        if destination.suffix == ".zip" and not zipfile.is_zipfile(part):
            raise DownloadError(f"download of {url} failed: the body is not a valid zip file")
        os.replace(part, destination)
    except DownloadError:
        _remove(part)
        raise
    except urllib.error.HTTPError as exc:
        exc.close()
        _remove(part)
        raise DownloadError(f"download of {url} failed: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        _remove(part)
        raise DownloadError(f"download of {url} failed: {exc.reason}") from exc
    except (OSError, ValueError, http.client.HTTPException) as exc:  # timeouts, cut bodies
        _remove(part)
        raise DownloadError(f"download of {url} failed: {exc}") from exc
    except BaseException:
        _remove(part)
        raise
    return destination


def _complete(path: Path) -> bool:
    # Only complete files ever get their final name; a zip is re-checked cheaply.
    return path.suffix != ".zip" or zipfile.is_zipfile(path)


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def clear_downloads(cache_dir: str | os.PathLike[str] | None = None) -> None:
    """Delete every downloaded GeoNames file from ``<cache_dir>/geonames/``."""
    if cache_dir is None:
        from geo_events.gazetteer.cache import default_cache_dir

        cache_dir = default_cache_dir()
    shutil.rmtree(Path(cache_dir).expanduser() / "geonames", ignore_errors=True)
