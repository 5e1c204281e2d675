"""Events extracted from articles, as one events GeoDataFrame plus an account of every article.

Extraction yields one :class:`~geo_events.text.events.ExtractionResult` per
article: its events, or the reason it has none. :func:`events_from_results`
turns a stream of them into the schema's GeoDataFrame and an article table, so
that every input article is accounted for: either its events are in the frame,
or its row in the article table says why there are none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo_events.errors import InputError
from geo_events.text.events import ExtractionResult

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = ["ArticleEvents", "events_from_results"]


@dataclass(frozen=True)
class ArticleEvents:
    """Events from articles, and what became of each article.

    Attributes
    ----------
    events
        The events GeoDataFrame (see docs/events-schema.md), with ``sources``,
        ``evidence_start`` and ``evidence_end`` after the schema's columns.
    articles
        One row per article: ``article_id``, ``events`` (how many), ``reason``
        (why none, or "").
    """

    events: gpd.GeoDataFrame
    articles: pd.DataFrame

    def __iter__(self) -> Any:
        return iter((self.events, self.articles))

    def summary(self) -> str:
        """One line: articles read, events found, articles without events."""
        without = int((self.articles["events"] == 0).sum())
        return (
            f"{len(self.articles)} article(s), {len(self.events)} event(s); "
            f"{without} article(s) without events"
        )


def events_from_results(results: Iterable[Any]) -> ArticleEvents:
    """Collect extraction results into an :class:`ArticleEvents`.

    Parameters
    ----------
    results
        :class:`~geo_events.text.events.ExtractionResult` objects (from
        :func:`geo_events.text.extract.extract_many`).

    Raises
    ------
    InputError
        When ``results`` is not an iterable of extraction results (the message
        names the first item that is not one).

    Examples
    --------
    >>> from geo_events.text.extract import extract_many  # doctest: +SKIP
    >>> events, articles = events_from_results(extract_many(articles))  # doctest: +SKIP
    """
    import pandas as pd

    from geo_events.events.schema import to_events_frame

    if isinstance(results, (str, bytes, ExtractionResult)) or not isinstance(results, Iterable):
        raise InputError(
            "events_from_results takes an iterable of ExtractionResult (from extract_many), "
            f"got {type(results).__name__}"
        )
    records: list[dict[str, Any]] = []
    accounts: list[dict[str, Any]] = []
    for n, result in enumerate(results):
        if not isinstance(result, ExtractionResult):
            raise InputError(
                f"events_from_results: item {n} is of type {type(result).__name__}, not an "
                "ExtractionResult (pass what extract_events or extract_many return)"
            )
        accounts.append(
            {"article_id": result.article_id, "events": len(result.events), "reason": result.reason}
        )
        records.extend(event.to_record(extra=True) for event in result.events)
    frame = to_events_frame(pd.DataFrame.from_records(records)) if records else None
    if frame is None:
        from geo_events.events.schema import empty_events

        frame = empty_events()
    articles = pd.DataFrame(accounts, columns=["article_id", "events", "reason"])
    return ArticleEvents(events=frame, articles=articles)
