"""geo_events beyond one process: the dask engine in one place (``geo_events[dask]``).

Needs the optional extra: ``pip install "geo_events[dask]"``; ``import geo_events``
never imports dask. The work is done by :mod:`geo_events.io.dask_tables` (tables,
partitioned GeoParquet) and :mod:`geo_events.text.dask_articles` (articles); this
module names them together and starts the cluster (docs/scale.md shows the same code
on many machines).

Examples
--------
>>> from geo_events import scale  # doctest: +SKIP
>>> with scale.dask_client(workers=2):  # doctest: +SKIP
...     events = scale.events_from_table("acled.csv")
...     report = scale.write_partitioned(events, "acled_events")
>>> print(report.summary())  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

from geo_events._dask import INSTALL_HINT, MissingDependencyError, require
from geo_events.errors import InputError
from geo_events.io.dask_tables import (
    PARTITION_KEYS,
    compute_events,
    events_from_table,
    merge_reports,
    write_partitioned,
)
from geo_events.text.dask_articles import extract_bag

__all__ = [
    "INSTALL_HINT",
    "PARTITION_KEYS",
    "MissingDependencyError",
    "compute_events",
    "dask_client",
    "events_from_table",
    "extract_bag",
    "merge_reports",
    "write_partitioned",
]


@contextlib.contextmanager
def dask_client(workers: int | None = None, *, scheduler: str | None = None,
                **cluster_options: Any) -> Iterator[Any]:  # fmt: skip
    """A ``distributed.Client``, the default for dask work inside the ``with`` block.

    Parameters
    ----------
    workers
        Start a local cluster of this many worker processes, one thread each
        (geocoding holds the GIL, so processes, not threads, add speed).
    scheduler
        Or connect to a running scheduler (``"tcp://host:8786"``, a
        ``dask-jobqueue`` cluster's ``scheduler_address``); its workers must be able
        to import geo_events and to read the gazetteer's index at the same path.
    **cluster_options
        More ``distributed.LocalCluster`` options (``memory_limit=``...).

    Yields
    ------
    distributed.Client
        Closed (with its local cluster) when the block ends.
    """
    distributed = require("distributed")
    if (workers is None) == (scheduler is None):
        raise InputError(
            "give workers= (start a local cluster) or scheduler= (connect to one), one of them"
        )
    if scheduler is not None:
        with distributed.Client(scheduler) as client:
            yield client
        return
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(f"workers must be a whole number of at least 1, not {workers!r}")
    options: dict[str, Any] = {
        "n_workers": workers, "threads_per_worker": 1, "processes": True,
        "dashboard_address": ":0", "silence_logs": logging.ERROR,
    }  # fmt: skip
    options.update(cluster_options)
    with distributed.LocalCluster(**options) as cluster, distributed.Client(cluster) as client:
        yield client
