"""Geoparsing: find the toponyms of a text and resolve them in context, in one call.

Recognition walks the gazetteer's memory-mapped name trie (see
:mod:`geo_events.text.toponyms` for why no Aho-Corasick automaton is built), so
there is nothing to build or cache per gazetteer: the first call costs what the
gazetteer's own opening costs. Candidates per name are cached per gazetteer
across calls (:mod:`geo_events.text.resolution`), which is what makes a stream
of articles about the same places fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from geo_events.text._inputs import has_surrogates, replace_surrogates
from geo_events.text.lexicons import Lexicons
from geo_events.text.resolution import ResolvedMention, resolve_mentions
from geo_events.text.toponyms import find_mentions

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = ["geoparse"]


def geoparse(
    text: str,
    gazetteer: PlaceLookup | None = None,
    *,
    lexicons: Lexicons | None = None,
    countries: Iterable[str] = (),
) -> list[ResolvedMention]:
    """Return the resolved toponym mentions of ``text``, in order.

    Parameters
    ----------
    text
        Any text; offsets in the result point into it (pass an article's
        :attr:`~geo_events.text.article.Article.full_text`).
    gazetteer
        Default :func:`~geo_events.gazetteer.default_gazetteer`.
    lexicons
        Recognition word lists; default the packaged ones.
    countries
        ISO2 codes of the countries the text is about, when the caller knows
        (a feed's country): soft evidence for resolution, see
        :func:`~geo_events.text.resolution.resolve_mentions`.

    Examples
    --------
    >>> [(r.text, r.candidate.geonameid) for r in geoparse("Strikes hit Deir Ezzor.")]  # doctest: +SKIP
    [('Deir Ezzor', 170794)]
    """
    if not isinstance(text, str) or not text.strip():
        return []
    if gazetteer is None:
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    try:
        mentions = find_mentions(text, gazetteer, lexicons=lexicons)
        return resolve_mentions(text, mentions, gazetteer, lexicons=lexicons, countries=countries)
    except UnicodeEncodeError:  # a lone surrogate cannot be looked up: read it as U+FFFD
        if not has_surrogates(text):
            raise
        text = replace_surrogates(text)  # same length: the offsets still hold
        mentions = find_mentions(text, gazetteer, lexicons=lexicons)
        return resolve_mentions(text, mentions, gazetteer, lexicons=lexicons, countries=countries)
