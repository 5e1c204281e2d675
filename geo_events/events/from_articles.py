"""Events extracted from articles, as one events GeoDataFrame that accounts for every article.

:func:`events_from_articles` runs extraction over a stream of articles and
returns the schema's GeoDataFrame; its ``attrs["articles"]`` is an
:class:`ArticlesReport` with one entry per input article, so that every article
is accounted for: either its events are in the frame, or its entry says why
there are none.
"""

from __future__ import annotations

import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo_events._attrs_report import AttrsReport
from geo_events.errors import InputError, OnError
from geo_events.text.article import Article
from geo_events.text.extract import DEFAULT_MAX_CHARS, extract_many
from geo_events.text.extracted import ExtractionResult

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.protocol import PlaceLookup
    from geo_events.text.lexicons import Lexicons

__all__ = ["ArticleEvents", "ArticlesReport", "events_from_articles", "events_from_results"]


class ArticlesReport(AttrsReport):
    """What became of every article: ``(article_id, events, reason)`` in input order.

    Read-only and plain JSON (it rides in ``gdf.attrs["articles"]``, which
    ``to_parquet`` stores as JSON); :attr:`table` gives it as a DataFrame.
    """

    __slots__ = ()

    def __init__(self, accounts: Iterable[tuple[str, int, str]]) -> None:
        rows = [(str(a), int(n), str(r)) for a, n, r in accounts]
        super().__init__(
            articles=len(rows),
            events=sum(n for _, n, _ in rows),
            without_events=sum(1 for _, n, _ in rows if n == 0),
            accounts=[list(row) for row in rows],
        )

    @property
    def articles(self) -> int:
        """How many articles were read."""
        value: int = self["articles"]
        return value

    @property
    def events(self) -> int:
        """How many events they gave (before any later filtering of the frame)."""
        value: int = self["events"]
        return value

    @property
    def without_events(self) -> int:
        """How many articles gave no event (each with its reason)."""
        value: int = self["without_events"]
        return value

    @property
    def table(self) -> pd.DataFrame:
        """One row per article: ``article_id``, ``events`` (how many), ``reason`` (why none)."""
        import pandas as pd

        table: pd.DataFrame = pd.DataFrame(
            self["accounts"], columns=["article_id", "events", "reason"]
        )
        return table

    def summary(self) -> str:
        """One line: articles read, events found, articles without events."""
        return (
            f"{self.articles} article(s), {self.events} event(s); "
            f"{self.without_events} article(s) without events"
        )

    def __str__(self) -> str:
        return self.summary()


def events_from_articles(
    articles: Article | Iterable[Any],
    *,
    gazetteer: PlaceLookup | None = None,
    lexicons: Lexicons | None = None,
    merge: bool = True,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    on_error: OnError = "keep",
    country: str | None = None,
) -> gpd.GeoDataFrame:
    """Extract the events of articles into one events GeoDataFrame.

    Parameters
    ----------
    articles
        An :class:`~geo_events.text.article.Article`, or an iterable of them (for
        example :func:`geo_events.io.articles.read_articles`, whose error records
        become articles without events, with their reason). Results of
        :func:`~geo_events.text.extract.extract_events` are taken as they are.
    gazetteer, lexicons, merge, max_chars, on_error, country
        As for :func:`geo_events.text.extract.extract_many`.

    Returns
    -------
    geopandas.GeoDataFrame
        The events (see docs/events-schema.md), with ``sources``,
        ``evidence_start`` and ``evidence_end`` after the schema's columns;
        ``attrs["articles"]`` is the :class:`ArticlesReport` of every article.

    Raises
    ------
    InputError
        When ``articles`` is text or not iterable (make articles with
        :func:`~geo_events.text.article.article_from_text`).

    Examples
    --------
    >>> from geo_events.text import article_from_text  # doctest: +SKIP
    >>> events = events_from_articles([article_from_text(text, published=day)])  # doctest: +SKIP
    >>> print(events.attrs["articles"].summary())  # doctest: +SKIP
    """
    if isinstance(articles, (Article, ExtractionResult)):
        articles = [articles]
    if isinstance(articles, (str, bytes)) or not isinstance(articles, Iterable):
        raise InputError(
            "events_from_articles takes articles (an Article or an iterable of them; make one "
            f"with article_from_text(text)), got {type(articles).__name__}"
        )
    items = iter(articles)
    pending: deque[ExtractionResult] = deque()

    def to_extract() -> Iterator[Any]:
        # results already extracted pass by; everything else goes through extraction
        for item in items:
            if isinstance(item, ExtractionResult):
                pending.append(item)
                continue
            yield item

    def results() -> Iterator[ExtractionResult]:
        extracted = extract_many(to_extract(), gazetteer=gazetteer, lexicons=lexicons,
                                 merge=merge, max_chars=max_chars, on_error=on_error,
                                 country=country)  # fmt: skip
        for result in extracted:
            yield from _drain(pending)
            yield result
        yield from _drain(pending)

    return _collect(results(), "events_from_articles")


def _drain(pending: deque[ExtractionResult]) -> Iterator[ExtractionResult]:
    while pending:
        yield pending.popleft()


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
    """Deprecated: use :func:`events_from_articles` (which also takes extraction results).

    Kept for one release: returns ``ArticleEvents(events, articles)`` as before.
    """
    warnings.warn(
        "events_from_results is deprecated: use events_from_articles(articles), which "
        "returns the events with the article account in gdf.attrs['articles']",
        DeprecationWarning,
        stacklevel=2,
    )
    if isinstance(results, (str, bytes, ExtractionResult)) or not isinstance(results, Iterable):
        raise InputError(
            "events_from_results takes an iterable of ExtractionResult (from extract_many), "
            f"got {type(results).__name__}"
        )
    events = _collect(results, "events_from_results")
    return ArticleEvents(events=events, articles=events.attrs["articles"].table)


def _collect(results: Iterable[Any], caller: str) -> gpd.GeoDataFrame:
    """The events of extraction results as one frame, with the account of every article."""
    import pandas as pd

    from geo_events.events.schema import to_events_frame

    records: list[dict[str, Any]] = []
    accounts: list[tuple[str, int, str]] = []
    for n, result in enumerate(results):
        if not isinstance(result, ExtractionResult):
            raise InputError(
                f"{caller}: item {n} is of type {type(result).__name__}, not an "
                "ExtractionResult (pass what extract_events or extract_many return)"
            )
        accounts.append((result.article_id, len(result.events), result.reason))
        records.extend(event.to_record(extra=True) for event in result.events)
    frame = to_events_frame(pd.DataFrame.from_records(records)) if records else None
    if frame is None:
        from geo_events.events.schema import empty_events

        frame = empty_events()
    frame.attrs["articles"] = ArticlesReport(accounts)
    return frame
