"""Extraction in worker processes: ``extract_many(..., workers=N)``.

:func:`extract_in_workers` is what :meth:`Extractor.extract_many
<geo_events.text.extract.Extractor.extract_many>` runs when it is given workers.

How it works, and why:

- **Processes, not threads.** Extraction is pure Python (regexes, dict look-ups,
  the gazetteer's trie walks), so threads would share one core. The pool is a
  :class:`concurrent.futures.ProcessPoolExecutor` with the ``forkserver`` start
  method where the platform has it (``spawn`` elsewhere): never ``fork``, which
  would copy a parent's threads and locks mid-flight.
- **The gazetteer and lexicons are sent once per worker**, as the pool's
  initializer arguments; each worker builds its own :class:`Extractor` from them.
  A :class:`~geo_events.gazetteer.Gazetteer` pickles as its index's path and the
  worker reopens that index mapped (the OS shares its pages between processes).
  The packaged lexicons are not sent at all: a worker reads its own.
- **Bounded, ordered.** Articles go out in chunks (at most ``CHUNK_ARTICLES``
  articles or ``CHUNK_CHARS`` characters), with at most ``2 × workers`` chunks in
  flight, and results come back in input order: memory stays flat over a stream
  of any length, and the input is read at most that far ahead.
- **The same results as in one process**, the learnt country included. With
  ``country=None`` the stream learns a feed's country from the events it has
  placed so far (:class:`~geo_events.text.feed.FeedCountry`); the learning stays
  in the parent, which sees the results in input order. A chunk is sent with the country the parent knows
  when it sends it; when the parent then reaches an article of the chunk and
  knows another one (the feed's country was learnt, or changed, while the
  chunk was out), it extracts that article again itself, with the country the
  one-process stream would have used. A feed settles on its country early, so
  this costs a few dozen articles once; a mixed feed never learns one and costs
  nothing; a feed whose share hovers around the threshold pays a re-extraction
  of the articles in flight at each change.
- **Errors as in one process.** Error records (unreadable inputs) become their
  results in the parent, never sent; an article whose extraction fails is
  caught in the worker and reported back, and the parent applies ``on_error``
  (keep, warn, raise) when it reaches that article in order. An exception
  raised by the input iterator itself is raised when the stream reaches it,
  after every result before it. A worker that dies (killed, out of memory, or
  unable to start) breaks the pool: the parent logs a warning and extracts the
  rest itself, so the results are still all there, only slower.
- **What it costs.** A worker starts in about a second (importing, opening the
  index, compiling the matchers) and its caches start cold, so workers pay from a
  few hundred articles on. As with any ``spawn``/``forkserver`` pool, a script
  that asks for workers must start its work under ``if __name__ == "__main__":``
  (the workers import the script's module; without the guard they cannot start,
  and the parent does all the work).
- Log records of a worker (a text cut at ``max_chars``) go to that worker's
  stderr through Python's last-resort handler, not the parent's handlers.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from geo_events.errors import ExtractionError, InputError, OnError, apply_on_error
from geo_events.text.article import Article
from geo_events.text.extracted import ExtractionResult
from geo_events.text.feed import FeedCountry, unreadable_result
from geo_events.text.lexicons import Lexicons

if TYPE_CHECKING:
    from geo_events.text.extract import Extractor

logger = logging.getLogger("geo_events.text.extract")

#: At most this many articles, or this many characters of text, go to a worker at once.
CHUNK_ARTICLES = 16
CHUNK_CHARS = 64_000


def check_workers(workers: Any) -> int | None:
    """``workers`` checked: None, or a whole number ≥ 1 (1 is the same as None)."""
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(
            f"workers must be a whole number of processes (1 or more) or None, got {workers!r}"
        )
    return None if workers == 1 else workers


# ------------------------------------------------------------------ in the worker

_extractor: Extractor | None = None


def _init(gazetteer: Any, lexicons: Any) -> None:
    """The worker's initializer: its own extractor, built once."""
    global _extractor
    from geo_events.text.extract import Extractor

    _extractor = Extractor(gazetteer, lexicons)


def _run(
    articles: list[Article], merge: bool, max_chars: int | None, country: str
) -> list[tuple[Any, ...]]:
    """Extract a chunk: ``("ok", result)`` or ``("error", message, cause, traceback)`` each."""
    extractor = _extractor
    assert extractor is not None, "the worker was not initialised"
    out: list[tuple[Any, ...]] = []
    for article in articles:
        try:
            result = extractor.extract(
                article, merge=merge, max_chars=max_chars, country=country or None
            )
        except Exception as exc:
            out.append(("error", _message(article, exc), _sendable(exc), traceback.format_exc()))
            continue
        out.append(("ok", result))
    return out


def _message(article: Article, exc: BaseException) -> str:
    return f"extraction failed on article {article.id!r}: {type(exc).__name__}: {exc}"


def _sendable(exc: BaseException) -> BaseException | None:
    """The exception if it survives pickling (it goes back to the parent as the cause)."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return None
    return exc


# ------------------------------------------------------------------ in the parent


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _sendable_setup(gazetteer: Any, lexicons: Lexicons) -> tuple[Any, Lexicons | None]:
    """The (gazetteer, lexicons) to send to each worker, checked to pickle.

    The packaged lexicons are sent as None: a worker reads its own copy.
    """
    sent = None if lexicons is Lexicons.default() else lexicons
    for what, value in (("gazetteer", gazetteer), ("lexicons", sent)):
        try:
            pickle.dumps(value)
        except Exception as exc:
            raise InputError(
                f"workers need a {what} that pickles (a Gazetteer does; "
                f"{type(value).__name__} does not: {exc}); pass workers=None"
            ) from exc
    return gazetteer, sent


class _Chunk:
    """Items read from the input, in order, and the future of their articles' results."""

    __slots__ = ("country", "future", "items", "outcomes", "raised")

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.future: Future[list[tuple[Any, ...]]] | None = None
        self.country = ""
        self.raised: BaseException | None = None  # the input iterator raised after ``items``
        self.outcomes: list[tuple[Any, ...]] | None = None


def extract_in_workers(
    extractor: Extractor,
    gazetteer: Any,
    articles: Iterable[Any],
    merge: bool,
    max_chars: int | None,
    on_error: OnError,
    country: str,
    workers: int,
) -> Iterator[ExtractionResult]:
    """The results of ``articles`` extracted by ``workers`` processes, in input order.

    ``extractor`` extracts here what must be (see the module's docstring); each worker
    builds its own from ``gazetteer`` and the extractor's lexicons. What is sent to the
    workers is checked now; the pool starts at the first result asked for.
    """
    setup = _sendable_setup(gazetteer, extractor.lexicons)
    return _results(extractor, setup, articles, merge, max_chars, on_error, country, workers)


def _results(
    extractor: Extractor,
    setup: tuple[Any, Any],
    articles: Iterable[Any],
    merge: bool,
    max_chars: int | None,
    on_error: OnError,
    country: str,
    workers: int,
) -> Iterator[ExtractionResult]:
    gazetteer, lexicons = setup
    feed = FeedCountry()
    source = iter(articles)
    exhausted = False
    pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_init,
        initargs=(gazetteer, lexicons),
    )  # fmt: skip
    inflight: deque[_Chunk] = deque()

    def read_chunk() -> _Chunk | None:
        nonlocal exhausted
        if exhausted:
            return None
        chunk = _Chunk()
        batch: list[Article] = []
        chars = 0
        while len(batch) < CHUNK_ARTICLES and chars < CHUNK_CHARS:
            try:
                item = next(source)
            except StopIteration:
                exhausted = True
                break
            except Exception as exc:  # raised where the one-process stream would raise it
                exhausted = True
                chunk.raised = exc
                break
            chunk.items.append(item)
            if isinstance(item, Article):
                batch.append(item)
                chars += len(item.title) + len(item.text)
        if not chunk.items and chunk.raised is None:
            return None
        chunk.country = country or feed.country
        if batch:
            if pool is not None:
                try:
                    chunk.future = pool.submit(_run, batch, merge, max_chars, chunk.country)
                except BrokenProcessPool:
                    chunk.future = None
            if chunk.future is None:
                chunk.outcomes = None  # extracted in the parent when reached
        else:
            chunk.outcomes = []
        return chunk

    def fill() -> None:
        while len(inflight) < 2 * workers:
            chunk = read_chunk()
            if chunk is None:
                return
            inflight.append(chunk)

    try:
        fill()
        while inflight:
            chunk = inflight.popleft()
            outcomes: list[tuple[Any, ...]] | None = chunk.outcomes
            if chunk.future is not None:
                try:
                    outcomes = chunk.future.result()
                except BrokenProcessPool as exc:
                    logger.warning(
                        "an extraction worker died (%s); extracting the rest in this process", exc
                    )
                    pool.shutdown(wait=False, cancel_futures=True)  # type: ignore[union-attr]
                    pool = None
                    outcomes = None
                    for later in inflight:
                        later.future = None
            done = iter(outcomes) if outcomes is not None else None
            for n, item in enumerate(chunk.items):
                if not isinstance(item, Article):
                    yield unreadable_result(item, n)
                    continue
                outcome = next(done) if done is not None else None
                want = country or feed.country
                if outcome is None or want != chunk.country:
                    outcome = _extract_here(extractor, item, merge, max_chars, want)
                if outcome[0] == "error":
                    _, message, cause, trace = outcome
                    apply_on_error(on_error, message, error=ExtractionError,
                                   warning=RuntimeWarning, cause=cause)  # fmt: skip
                    logger.debug("%s\n%s", message, trace)
                    yield _error_result(item, message)
                    continue
                result = outcome[1]
                feed.add(result)
                yield result
            if chunk.raised is not None:
                raise chunk.raised
            fill()
    finally:
        for chunk in inflight:
            if chunk.future is not None:
                chunk.future.cancel()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _extract_here(
    extractor: Extractor, article: Article, merge: bool, max_chars: int | None, country: str
) -> tuple[Any, ...]:
    try:
        result = extractor.extract(
            article, merge=merge, max_chars=max_chars, country=country or None
        )
    except Exception as exc:
        return ("error", _message(article, exc), exc, traceback.format_exc())
    return ("ok", result)


def _error_result(article: Article, message: str) -> ExtractionResult:
    return ExtractionResult(article.id, (), message)
