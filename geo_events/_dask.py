"""The optional dask extra, imported only when a dask function is called.

``import geo_events`` never imports dask: the modules that run on dask
(:mod:`geo_events.io.dask_tables`, :mod:`geo_events.text.dask_articles`,
:mod:`geo_events.scale`) import it inside their functions through
:func:`require`, so a missing package is one clear error naming the extra.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from geo_events.errors import GeoEventsError

#: What to run when dask is missing.
INSTALL_HINT = 'pip install "geo_events[dask]"'

# the module -> the distribution to name in the message
_DISTRIBUTIONS = {
    "dask": "dask[dataframe]",
    "dask.bag": "dask[dataframe]",
    "dask.dataframe": "dask[dataframe]",
    "distributed": "distributed",
    "dask_geopandas": "dask-geopandas",
}


class MissingDependencyError(GeoEventsError, ImportError):
    """An optional package geo_events needs for this call is not installed."""


def require(module: str) -> ModuleType:
    """Import ``module`` (dask, dask.dataframe, distributed, dask_geopandas) or explain.

    Raises
    ------
    MissingDependencyError
        The package is not installed; the message names the extra to install.
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = _DISTRIBUTIONS.get(module, module)
        raise MissingDependencyError(
            f"this needs {package} ({err}); install geo_events' dask extra: {INSTALL_HINT}",
            name=module,
        ) from err


# one gazetteer per index per process: a fresh object builds its fuzzy-match buckets
# again (seconds), so each worker keeps the first it gets for every later task and graph
_CACHES: dict[tuple[str, str], Any] = {}
_GAZETTEERS: dict[tuple[str, str], Any] = {}


def shared_gazetteer(gazetteer: Any) -> Any:
    """The gazetteer this process already holds for ``gazetteer``'s index, else it.

    A worker gets the gazetteer unpickled (its index's path) with each graph; the
    first one it sees for an index is kept and used for every later task, so its
    caches stay warm.
    """
    index = getattr(gazetteer, "index", None)
    directory = getattr(index, "directory", None)
    if directory is None:
        return gazetteer
    manifest = getattr(index, "manifest", None) or {}
    key = (str(directory), f"{manifest.get('fingerprint')}|{manifest.get('built')}")
    return _GAZETTEERS.setdefault(key, gazetteer)


def shared_geocode_cache(gazetteer: Any) -> Any:
    """The geocode cache this process keeps for ``gazetteer``'s index (made on first use).

    Every partition a worker reads then finds the places earlier partitions resolved,
    as the chunks of a one-process read do, instead of resolving them again.
    """
    from geo_events.io.table_geocoding import GeocodeCache

    index = getattr(gazetteer, "index", None)
    directory = getattr(index, "directory", None)
    if directory is None:
        return GeocodeCache()
    manifest = getattr(index, "manifest", None) or {}
    key = (str(directory), f"{manifest.get('fingerprint')}|{manifest.get('built')}")
    return _CACHES.setdefault(key, GeocodeCache())
