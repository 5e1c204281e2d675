"""Event extraction: from an article to events with their evidence, coded as ACLED codes them.

The steps, each in its own module:

1. the language check (:mod:`~geo_events.text.language`) and sentences that keep their
   character offsets (:mod:`~geo_events.text.sentences`);
2. triggers from the event lexicon (:mod:`~geo_events.text.triggers`), minus those
   negated, hypothetical, inside a place's name or in a sense that is no conflict
   event (:mod:`~geo_events.text.trigger_senses`); in a sentence, an outcome
   ("killing 3") or a secondary type (looting, arrests) adds to the sentence's other
   trigger (``trigger_roles.csv``);
3. per sentence, what it names: dictionary actors (:mod:`~geo_events.text.actors`) and
   described parties (:class:`~geo_events.text.coding.PartyFinder`), resolved places
   (:mod:`~geo_events.text.geoparse`) and names the gazetteer lacks
   (:mod:`~geo_events.text.unknown_places`), dates, reporting verbs, and the
   fatalities of its report (:mod:`~geo_events.text.fatalities`);
4. one event per remaining trigger (:func:`~geo_events.text.event_record.build_event`):
   its roles, ACLED type and actors (:mod:`~geo_events.text.coding`), its place
   (:mod:`~geo_events.text.event_places`), date and attribution
   (:mod:`~geo_events.text.attribution`);
5. reports of one event inside an article merged
   (:func:`geo_events.text.merge.merge_events`) unless ``merge=False``.

An :class:`Extractor` compiles the matchers of one lexicons/gazetteer pair once.
Every article gives one :class:`ExtractionResult`: its events, or a reason why
there are none ("empty text", "binary or undecodable content", "not English",
"no event triggers", …).
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from geo_events.errors import ExtractionError, InputError, OnError, apply_on_error, check_on_error
from geo_events.text import extract_workers
from geo_events.text._anchors import KeywordScan, fold
from geo_events.text._inputs import as_limit
from geo_events.text.actors import EntityMatch, actor_matcher
from geo_events.text.article import Article
from geo_events.text.attribution import AttributionTracker, verb_matcher
from geo_events.text.coding import Party, PartyFinder, acled_country
from geo_events.text.dates import find_dates
from geo_events.text.event_places import EventPlace, main_place, places_in
from geo_events.text.event_record import SentenceParts, build_event
from geo_events.text.extracted import Event, ExtractionResult
from geo_events.text.fatalities import fatalities_in
from geo_events.text.feed import FeedCountry, unreadable_result
from geo_events.text.language import text_problem
from geo_events.text.lexicons import Lexicons
from geo_events.text.merge import merge_events
from geo_events.text.sentences import MAX_SENTENCE as _MAX_SENTENCE
from geo_events.text.sentences import split_sentences
from geo_events.text.trigger_senses import sense_problem
from geo_events.text.triggers import TriggerMatch, trigger_matcher
from geo_events.text.unknown_places import unknown_places

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Extractor",
    "extract_events",
    "extract_many",
    "split_sentences",
    "text_problem",
]

logger = logging.getLogger(__name__)

#: Texts longer than this are read up to here only (the events say so in their notes).
DEFAULT_MAX_CHARS = 500_000
_NO_CONFLICT_SENSE = "trigger words only in a sense that is no conflict event"

# ------------------------------------------------------------------ helpers


def _report_ends(
    sentences: Sequence[tuple[int, int]],
    trigger_starts: Sequence[int],
    toll_starts: Sequence[int],
    place_starts: Sequence[int],
) -> dict[int, int]:
    """For each sentence with a trigger, where the report of its event ends.

    That is the end of the last sentence before the next one that reports another
    event: "A man was shot dead. He died in hospital." counts toward the first. A
    sentence that states a toll (``toll_starts``: outcome words such as "killed") and
    names no place of its own adds to the report before it ("Three attackers were
    killed in the fight.") even when it has another trigger.
    """

    def within(starts: Sequence[int], s: int, e: int) -> bool:
        return bisect_left(starts, s) < bisect_left(starts, e)

    ends: dict[int, int] = {}
    current: int | None = None
    for s, e in sentences:
        adds_toll = within(toll_starts, s, e) and not within(place_starts, s, e)
        if within(trigger_starts, s, e) and not (adds_toll and current is not None):
            current = s
            ends[s] = e
        elif current is not None:
            ends[current] = e
    return ends


def _in(items: Sequence[Any], starts: Sequence[int], start: int, end: int) -> list[Any]:
    """The items (sorted by start, with ``starts`` their starts) lying within [start, end)."""
    return [x for x in items[bisect_left(starts, start) : bisect_left(starts, end)] if x.end <= end]


def _outside(triggers: list[TriggerMatch], spans: list[tuple[int, int]]) -> list[TriggerMatch]:
    """The triggers that overlap none of ``spans`` (in log time each, however many spans)."""
    spans = sorted(spans)
    starts = [s for s, _ in spans]
    reach: list[int] = []  # reach[i]: the furthest end among spans[: i + 1]
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)
    kept = []
    for t in triggers:
        i = bisect_left(starts, t.end) - 1  # the last span starting before the trigger ends
        if i < 0 or reach[i] <= t.start:
            kept.append(t)
    return kept


def _geoparse(
    text: str, gazetteer: PlaceLookup, lexicons: Lexicons, countries: tuple[str, ...] = ()
) -> list[Any]:
    from geo_events.text.geoparse import geoparse

    return list(geoparse(text, gazetteer=gazetteer, lexicons=lexicons, countries=countries))


# ------------------------------------------------------------------ extraction


class _Compiled:
    """What an extractor compiles for one gazetteer: the actor matcher and the shared scan."""

    __slots__ = ("actors", "gazetteer", "scan")

    def __init__(self, gazetteer: PlaceLookup, extractor: Extractor) -> None:
        self.gazetteer = gazetteer
        self.actors = actor_matcher(extractor.lexicons, gazetteer)
        # One pass of one automaton finds the keywords of triggers, reporting verbs
        # and actors, in that order.
        self.scan = KeywordScan(
            [extractor.triggers.keywords, extractor.verbs.keywords, self.actors.keywords]
        )


class Extractor:
    r"""Finds events in articles with one lexicons/gazetteer pair, compiled once.

    Compiling the matchers (triggers, reporting verbs, actors and the keyword
    scan they share) costs far more than reading one article, so an extractor
    does it in its constructor and is then reused: :func:`extract_many` builds
    one for its stream, :func:`extract_events` keeps a default one.
    An extractor holds no per-article state; one can serve several threads.

    Parameters
    ----------
    gazetteer
        The places (any :class:`~geo_events.gazetteer.PlaceLookup`). None: the
        default gazetteer, loaded when an article first needs it (one with
        event triggers), so reading articles without events never builds it.
    lexicons
        Actors, triggers, reporting verbs and word lists; default
        :meth:`Lexicons.default <geo_events.text.lexicons.Lexicons.default>`.

    Examples
    --------
    >>> import datetime
    >>> from geo_events.text.article import article_from_text
    >>> extractor = Extractor()
    >>> a = article_from_text("Jets hit Idlib\n\nSyrian warplanes struck rebels in Idlib on Sunday.",
    ...                       id="a1", published=datetime.date(2020, 3, 3))
    >>> extractor.extract(a).events[0].sub_event_type  # doctest: +SKIP
    'Air/drone strike'
    """

    def __init__(
        self, gazetteer: PlaceLookup | None = None, lexicons: Lexicons | None = None
    ) -> None:
        if lexicons is not None and not isinstance(lexicons, Lexicons):
            raise InputError(
                f"lexicons must be a Lexicons (Lexicons.default() or Lexicons.from_files()), "
                f"got {type(lexicons).__name__}"
            )
        self.lexicons = lexicons or Lexicons.default()
        self.gazetteer = gazetteer
        self.triggers = trigger_matcher(self.lexicons)
        self.verbs = verb_matcher(self.lexicons)
        self.party_finder = PartyFinder.from_lexicons(self.lexicons)
        secondary_types, outcome_words, two_sided = self.lexicons.trigger_roles
        self._secondary_types = secondary_types
        self._outcome = _any_of(outcome_words)
        self._two_sided = _any_of(two_sided)
        self._violence = _word_pattern(self.lexicons.violence_words)
        self._lock = threading.Lock()
        self._state = None if gazetteer is None else _Compiled(gazetteer, self)

    def __repr__(self) -> str:
        gaz = "default gazetteer" if self.gazetteer is None else repr(self.gazetteer)
        lex = self.lexicons
        return (
            f"<Extractor {len(lex.triggers)} triggers, {len(lex.reporting_verbs)} reporting "
            f"verbs, {len(lex.actors)} actors; {gaz}>"
        )

    def _for_gazetteer(self) -> _Compiled:
        """The compiled actors for the gazetteer: the given one, or the current default."""
        compiled = self._state
        if self.gazetteer is not None and compiled is not None:
            return compiled
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
        if compiled is None or compiled.gazetteer is not gazetteer:
            with self._lock:
                compiled = self._state
                if compiled is None or compiled.gazetteer is not gazetteer:
                    compiled = self._state = _Compiled(gazetteer, self)
        return compiled

    def _secondary(self, trigger: TriggerMatch) -> bool:
        """Whether a trigger only adds to another event of its sentence (``trigger_roles``)."""
        return (
            trigger.sub_event_type in self._secondary_types
            or self._outcome.fullmatch(trigger.text) is not None
        )

    def _forces_after(
        self,
        text: str,
        start: int,
        end: int,
        entities: Sequence[EntityMatch],
        entity_starts: Sequence[int],
    ) -> tuple[Party, ...]:
        """State forces named in the rest of a report ("… Police dispersed them."), if any."""
        if end <= start:
            return ()
        named = _in(entities, entity_starts, start, end)
        parties = self._parties(text, start, end, named, ())
        return tuple(p for p in parties if p.group == "state")

    def _parties(
        self,
        text: str,
        start: int,
        end: int,
        entities: Sequence[EntityMatch],
        places: Sequence[EventPlace],
    ) -> list[Party]:
        """The sentence's parties: dictionary actors, then the described ones they leave.

        A described party overlapping a place is kept only when it reaches past it
        ("Pokot raiders", where "Pokot" alone would be a place).
        """
        named = [Party(e.start, e.end, e.text, e.canonical) for e in entities if e.kind == "actor"]
        spans = [(e.start, e.end) for e in entities]
        out = list(named)
        for p in self.party_finder.find(text, start, end):
            if any(s < p.end and p.start < e for s, e in spans):
                continue
            if any(
                pl.start < p.end and p.start < pl.end and p.start >= pl.start and p.end <= pl.end
                for pl in places
            ):
                continue
            out.append(p)
        out.sort(key=lambda p: p.start)
        return out

    def extract(
        self,
        article: Article,
        *,
        mentions: Sequence[Any] | None = None,
        merge: bool = True,
        max_chars: int | None = DEFAULT_MAX_CHARS,
        country: str | None = None,
    ) -> ExtractionResult:
        r"""Find the events an article reports.

        Parameters
        ----------
        article
            The article; offsets in the events point into ``article.full_text``.
        mentions
            Resolved place mentions in ``full_text`` (``ResolvedMention``-like objects
            with ``start, end, text, candidate, confidence, geo_precision``), when
            already known; default: run :func:`geo_events.text.geoparse.geoparse`.
        merge
            Merge reports of one event inside the article.
        max_chars
            Read at most this many characters (None: all); longer texts are cut, and
            their events say so in ``notes``.
        country
            ISO 3166 alpha-2 code of the country the article is about, for events whose
            text names no country at all ("A mob lynched a suspect."): their actors are
            named with it ("Rioters (Kenya)"); they stay unplaced, and say so.

        Returns
        -------
        ExtractionResult
            The events, or none and the reason why.

        Raises
        ------
        InputError
            When ``article`` is not an :class:`Article`, ``max_chars`` is not a
            positive whole number or None, or ``country`` is no known country code.
        """
        if not isinstance(article, Article):
            raise InputError(
                f"extract_events takes an Article, got {type(article).__name__}; see article_from_text"
            )
        max_chars = as_limit(max_chars, "max_chars")
        hint = _country_code(country)
        lexicons = self.lexicons
        text = article.full_text
        if not text or not text.strip():
            return ExtractionResult(
                article.id, (), "empty text" if article.title or article.text else "no text"
            )
        problem = text_problem(
            text, english_words=lexicons.english_words, foreign_words=lexicons.foreign_words
        )
        if problem:
            return ExtractionResult(article.id, (), problem)
        truncated = max_chars is not None and len(text) > max_chars
        limit = min(len(text), max_chars) if max_chars is not None else len(text)
        if truncated:
            logger.warning(
                "article %s: %d characters, reading the first %d (raise max_chars to read more)",
                article.id,
                len(text),
                limit,
            )
        folded = fold(text[:limit])
        # Before the default gazetteer is loaded there is no actor automaton: then the
        # triggers are found on their own, and the gazetteer is loaded only if there are some.
        compiled = self._state
        keywords = None if compiled is None else compiled.scan.scan(folded, 0, limit)
        triggers = self.triggers.find(
            text, 0, limit, folded=folded, hits=keywords[0] if keywords else None
        )
        asserted = [t for t in triggers if t.asserted]
        if not asserted:
            reason = (
                "no event triggers"
                if not triggers
                else "only negated or hypothetical event triggers"
            )
            return ExtractionResult(article.id, (), reason)
        # A trigger's sense depends on its sentence only, so it is read before anything
        # else: an article whose triggers are all in other senses ("a fire broke out",
        # "heart attack") is done without geoparsing (the reason is the same either way).
        in_sense = [t for t in asserted if not sense_problem(text, t.start, t.end)]
        if not in_sense:
            return ExtractionResult(article.id, (), _NO_CONFLICT_SENSE)
        current = self._for_gazetteer()
        if current is not compiled:  # the default gazetteer was (re)loaded: no actor hits yet
            keywords = None
        gazetteer, matcher = current.gazetteer, current.actors
        # Who said what flows forward only: nothing after the last trigger's sentence matters
        # (a sentence is at most _MAX_SENTENCE characters long).
        scan_end = min(limit, asserted[-1].end + _MAX_SENTENCE + 1)
        entities = matcher.find(
            text, 0, scan_end, folded=folded, hits=keywords[2] if keywords else None
        )
        sentences = split_sentences(
            text, 0, scan_end, abbreviations=lexicons.sentence_abbreviations
        )
        verbs = self.verbs.find(
            text, 0, scan_end, folded=folded, hits=keywords[1] if keywords else None
        )
        if mentions is None:
            mentions = _geoparse(text[:limit], gazetteer, lexicons, (hint,) if hint else ())
        places = places_in(mentions, entities, text)
        known = sorted(
            (m for m in mentions if getattr(m, "candidate", None) is not None),
            key=lambda m: m.start,
        )
        known_starts = [m.start for m in known]
        asserted = in_sense
        if mentions:  # a trigger word inside a place's or company's name ("Shell") is no trigger
            asserted = _outside(asserted, [(m.start, m.end) for m in mentions])
        main = main_place(places)
        tracker = AttributionTracker(matcher, lexicons, verbs=self.verbs)
        if not asserted:
            return ExtractionResult(article.id, (), _NO_CONFLICT_SENSE)
        events: list[Event] = []
        entity_starts = [e.start for e in entities]
        verb_starts = [v[0] for v in verbs]
        trigger_starts = [t.start for t in asserted]
        place_starts = [p.start for p in places]
        last_trigger = asserted[-1].start
        # a report runs on through the sentences that only add its toll ("Three attackers
        # were killed in the fight."): only a sentence with an event of another kind ends it
        report_ends = _report_ends(
            sentences,
            [t.start for t in asserted if not self._secondary(t)],
            [t.start for t in asserted if self._outcome.fullmatch(t.text)],
            place_starts,
        )
        for s_start, s_end in sentences:
            if s_start > last_trigger:
                break
            s_triggers = _in(asserted, trigger_starts, s_start, s_end)
            s_verbs = [
                v
                for v in verbs[bisect_left(verb_starts, s_start) : bisect_left(verb_starts, s_end)]
                if v[1] <= s_end
            ]
            if not s_verbs and not s_triggers:
                continue
            s_entities = _in(entities, entity_starts, s_start, s_end)
            hits = (
                tracker.read_sentence(text, s_start, s_end, s_entities, s_verbs) if s_verbs else []
            )
            if not s_triggers:
                continue
            # one incident a sentence: an outcome ("killing 3") or a secondary type
            # (looting, arrests) adds to the sentence's other trigger, if it has one
            primary = [t for t in s_triggers if not self._secondary(t)]
            s_triggers = primary or s_triggers
            s_places = _in(places, place_starts, s_start, s_end)
            parties = self._parties(text, s_start, s_end, s_entities, s_places)
            # every known place is taken, not only the event places ("from Somalia")
            s_known = _in(known, known_starts, s_start, s_end)
            taken = [(p.start, p.end) for p in (*s_known, *s_places, *parties)]
            taken += [(e.start, e.end) for e in s_entities]
            report_end = report_ends.get(s_start, s_end)
            parts = SentenceParts(
                s_start, s_end, parties, s_places,
                unknown_places(text, s_start, s_end, taken=taken, lexicons=lexicons),
                find_dates(text, article.published, s_start, s_end), hits,
                fatalities_in(text[s_start:report_end]),
                # who met a protest or a riot is read only where there is one
                self._forces_after(text, s_end, report_end, entities, entity_starts)
                if any(t.event_type in ("Protests", "Riots") for t in s_triggers)
                else (),
                self._violence.search(text, s_start, s_end) is not None,
            )  # fmt: skip
            for trigger in s_triggers:
                event = build_event(
                    article, text, trigger, parts, tracker=tracker, main=main,
                    number=len(events) + 1, cut_at=limit if truncated else 0, country_hint=hint,
                    two_sided=self._two_sided.fullmatch(trigger.text) is not None,
                    outcome_only=self._outcome.fullmatch(trigger.text) is not None,
                )  # fmt: skip
                if event is not None:
                    events.append(event)
        if not events:
            return ExtractionResult(
                article.id, (), "event triggers only in senses that need an actor, and none named"
            )
        return ExtractionResult(article.id, tuple(merge_events(events) if merge else events), "")

    def extract_many(
        self,
        articles: Iterable[Any],
        *,
        merge: bool = True,
        max_chars: int | None = DEFAULT_MAX_CHARS,
        on_error: OnError = "keep",
        country: str | None = None,
        workers: int | None = None,
    ) -> Iterator[ExtractionResult]:
        """Extract events from a stream of articles, one result per input, lazily.

        As :func:`extract_many`, with this extractor's gazetteer and lexicons
        (``workers``: that many processes, each with its own extractor built from
        them; a pool is started for each call).
        """
        on_error = check_on_error(on_error)
        max_chars = as_limit(max_chars, "max_chars")
        workers = extract_workers.check_workers(workers)
        code = _country_code(country)
        if workers is not None:
            gazetteer = self._for_gazetteer().gazetteer  # the default one, if none was given
            return extract_workers.extract_in_workers(
                self, gazetteer, articles, merge, max_chars, on_error, code, workers
            )
        return self._stream(articles, merge, max_chars, on_error, code)

    def _stream(
        self,
        articles: Iterable[Any],
        merge: bool,
        max_chars: int | None,
        on_error: OnError,
        country: str,
    ) -> Iterator[ExtractionResult]:
        feed = FeedCountry()
        for n, item in enumerate(articles):
            if not isinstance(item, Article):
                yield unreadable_result(item, n)
                continue
            try:
                result = self.extract(
                    item, merge=merge, max_chars=max_chars, country=country or feed.country or None
                )
            except Exception as exc:
                message = f"extraction failed on article {item.id!r}: {type(exc).__name__}: {exc}"
                apply_on_error(on_error, message, error=ExtractionError, warning=RuntimeWarning,
                               cause=exc)  # fmt: skip
                logger.debug(message, exc_info=True)
                yield ExtractionResult(item.id, (), message)
                continue
            feed.add(result)
            yield result


def _any_of(patterns: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of ``patterns`` (none: never matches)."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", re.I)


def _word_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive whole-word pattern for a word list ("stabb*": any ending)."""
    alternatives = sorted(
        (re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words),
        key=len,
        reverse=True,
    )
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b" if alternatives else "(?!)", re.I)


def _country_code(country: str | None) -> str:
    """A country hint checked: an ISO2 code ACLED or GeoNames knows, upper case ("" for None)."""
    if country is None:
        return ""
    code = country.strip().upper() if isinstance(country, str) else ""
    if len(code) != 2 or not acled_country(code):
        raise InputError(
            f"country must be an ISO 3166 alpha-2 code such as 'KE' or 'UA', got {country!r}"
        )
    return code


#: Extractors for the (gazetteer, lexicons) pairs :func:`extract_events` was called with,
#: most recent last; strong references, so an id is never reused while its entry lives.
_EXTRACTORS: OrderedDict[tuple[int, int], Extractor] = OrderedDict()
_EXTRACTORS_LOCK = threading.Lock()
_EXTRACTORS_KEPT = 8


def _extractor(gazetteer: PlaceLookup | None, lexicons: Lexicons | None) -> Extractor:
    """The extractor for this pair, built on first use (a few pairs are kept)."""
    key = (id(gazetteer), id(lexicons))
    with _EXTRACTORS_LOCK:
        found = _EXTRACTORS.get(key)
        if found is not None:
            _EXTRACTORS.move_to_end(key)
            return found
    built = Extractor(gazetteer, lexicons)
    with _EXTRACTORS_LOCK:
        _EXTRACTORS[key] = built
        while len(_EXTRACTORS) > _EXTRACTORS_KEPT:
            _EXTRACTORS.popitem(last=False)
    return built


def extract_events(
    article: Article,
    *,
    gazetteer: PlaceLookup | None = None,
    lexicons: Lexicons | None = None,
    mentions: Sequence[Any] | None = None,
    merge: bool = True,
    max_chars: int | None = DEFAULT_MAX_CHARS,
) -> ExtractionResult:
    r"""Find the events an article reports.

    A shortcut for :meth:`Extractor.extract` with an extractor for ``gazetteer``
    and ``lexicons``, built on first use and kept for the next call with the same
    objects (to read many articles, :func:`extract_many` or an :class:`Extractor`
    says so outright).

    Parameters
    ----------
    article
        The article; offsets in the events point into ``article.full_text``.
    gazetteer
        The gazetteer to resolve places with; default the default gazetteer.
    lexicons
        Actors, triggers and reporting verbs; default :meth:`Lexicons.default`.
    mentions
        Resolved place mentions in ``full_text`` (``ResolvedMention``-like objects
        with ``start, end, text, candidate, confidence, geo_precision``), when
        already known; default: run :func:`geo_events.text.geoparse.geoparse`.
    merge
        Merge reports of one event inside the article.
    max_chars
        Read at most this many characters (None: all); longer texts are cut, and
        their events say so in ``notes``.

    Returns
    -------
    ExtractionResult
        The events, or none and the reason why.

    Raises
    ------
    InputError
        When ``article`` is not an :class:`Article` or ``max_chars`` is not a
        positive whole number or None.

    Examples
    --------
    >>> import datetime
    >>> from geo_events.text.article import article_from_text
    >>> a = article_from_text("Jets hit Idlib\n\nSyrian warplanes struck rebels in Idlib on Sunday.",
    ...                       id="a1", published=datetime.date(2020, 3, 3))
    >>> r = extract_events(a)  # doctest: +SKIP
    >>> r.events[0].sub_event_type, r.events[0].event_date  # doctest: +SKIP
    ('Air/drone strike', datetime.date(2020, 3, 1))
    """
    if not isinstance(article, Article):  # before building anything
        raise InputError(
            f"extract_events takes an Article, got {type(article).__name__}; see article_from_text"
        )
    return _extractor(gazetteer, lexicons).extract(
        article, mentions=mentions, merge=merge, max_chars=max_chars
    )


def extract_many(
    articles: Iterable[Any],
    *,
    gazetteer: PlaceLookup | None = None,
    lexicons: Lexicons | None = None,
    merge: bool = True,
    max_chars: int | None = DEFAULT_MAX_CHARS,
    on_error: OnError = "keep",
    country: str | None = None,
    workers: int | None = None,
) -> Iterator[ExtractionResult]:
    """Extract events from a stream of articles, one result per input, lazily.

    One :class:`Extractor` is built for the stream.

    Parameters
    ----------
    articles
        :class:`Article` objects, or error records (anything with ``path`` and
        ``reason``, as :func:`geo_events.io.articles.read_articles` yields), which
        become results with that reason.
    gazetteer, lexicons, merge, max_chars
        As for :func:`extract_events`.
    on_error
        What to do when extraction fails on an article: ``"keep"`` a result
        whose reason says what failed, ``"warn"`` the same plus a warning,
        ``"raise"`` an :class:`~geo_events.errors.ExtractionError`.
    country
        ISO2 code of the country the articles are about (as for
        :meth:`Extractor.extract`). None: learnt from the feed once most of its placed
        events are in one country, for the events whose text names none.

    Yields
    ------
    ExtractionResult
        One per input, in input order: memory stays flat however many articles flow through.
    """
    on_error = check_on_error(on_error)
    max_chars = as_limit(max_chars, "max_chars")
    workers = extract_workers.check_workers(workers)
    _country_code(country)
    return Extractor(gazetteer, lexicons).extract_many(
        articles, merge=merge, max_chars=max_chars, on_error=on_error, country=country,
        workers=workers,
    )  # fmt: skip
