"""Articles on dask: :func:`~geo_events.text.extract.extract_many` over a dask bag.

Needs the optional extra: ``pip install "geo_events[dask]"``. Each partition of the
bag goes through :func:`~geo_events.text.extract.extract_many` in its worker with
the same options, with one gazetteer per worker (it pickles as its index's path
and is reopened there, memory-mapped, once; see :mod:`geo_events.io.dask_tables`).

Decisions, written down:

- **One result per article, in order**: the bag of results has the bag's
  partitions, each result where its article was.
- **The country the articles are about**: with ``country=None`` the one-process
  stream learns it once most of its placed events are in one country; here each
  partition learns it on its own. Pass ``country=`` for results that do not depend
  on how the bag is partitioned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from geo_events._dask import require, shared_gazetteer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from geo_events.text.extracted import ExtractionResult

__all__ = ["extract_bag"]


def _extract_partition(articles: Iterable[Any], gazetteer: Any,
                       options: dict[str, Any]) -> list[ExtractionResult]:  # fmt: skip
    from geo_events.text.extract import extract_many

    return list(extract_many(articles, gazetteer=shared_gazetteer(gazetteer), **options))


def extract_bag(articles: Any, *, gazetteer: Any = None, **options: Any) -> Any:
    """Extract the events of a dask bag of articles: a bag of results, lazily.

    Parameters
    ----------
    articles
        A ``dask.bag.Bag`` of :class:`~geo_events.text.article.Article` objects (or
        of the error records :func:`geo_events.io.articles.read_articles` yields).
    gazetteer
        The gazetteer (default: the default one, opened here once, before any work).
    **options
        The other options of :func:`~geo_events.text.extract.extract_many`
        (``lexicons``, ``merge``, ``max_chars``, ``on_error``, ``country``), as they are.

    Returns
    -------
    dask.bag.Bag
        One :class:`~geo_events.text.extract.ExtractionResult` per article, in order.

    Examples
    --------
    >>> import dask.bag as db  # doctest: +SKIP
    >>> results = extract_bag(db.from_sequence(articles, npartitions=8))  # doctest: +SKIP
    >>> results.map(lambda r: len(r.events)).sum().compute()  # doctest: +SKIP
    """
    dask = require("dask")
    bag = require("dask.bag")
    if not isinstance(articles, bag.Bag):
        from geo_events.errors import InputError

        raise InputError(
            f"extract_bag takes a dask bag of articles, not {type(articles).__name__} "
            "(make one with dask.bag.from_sequence(articles)); for a list, use extract_many"
        )
    if gazetteer is None:
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    shared = dask.delayed(gazetteer, pure=True)
    return articles.map_partitions(_extract_partition, shared, options)
