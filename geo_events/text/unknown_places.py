"""Places the gazetteer lacks: names that locative evidence says are places.

A village missing from the gazetteer is still a place when the text says so: "in
Ikurungu", "the village of Ikurungu", "Ikurungu village", "near Ikurungu trading
centre", "(coded as Ikurungu, …)". Extraction then places the event at the
admin area the text names with it ("Watamu, Dabaso, Kilifi" → Kilifi) at ACLED's
geo_precision 2, and says so; it never looks the unknown name up by spelling (a
fold match far away is a confident wrong answer).

The evidence is English locative syntax, not a list of places: a capitalised name
behind a locative preposition, or before or after a settlement noun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from geo_events.text.lexicons import Lexicons

__all__ = ["UnknownPlace", "unknown_places"]


_NAME = r"[A-Z][\w'’-]*[a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*[a-z][\w'’-]*){0,2}"


@dataclass(frozen=True, slots=True)
class UnknownPlace:
    """A name the text gives as a place (``cue`` says how), not found in the gazetteer."""

    start: int
    end: int
    text: str
    cue: str


@lru_cache(maxsize=8)
def _patterns(settlement_nouns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    nouns = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in settlement_nouns)
    # "the village of X", "X village", "in X": each a name with its evidence
    of_form = re.compile(rf"\b(?:the\s+)?(?:{nouns})\s+of\s+(?P<name>{_NAME})", re.I)
    noun_after = re.compile(rf"(?P<name>{_NAME})\s+(?:{nouns})\b")
    locative = re.compile(
        rf"\b(?:in|near|at|outside|around|from|to|towards|between)\s+(?:the\s+)?(?P<name>{_NAME})"
    )
    return of_form, noun_after, locative


@lru_cache(maxsize=8)
def _noun_heads(settlement_nouns: tuple[str, ...]) -> tuple[str, ...]:
    """The nouns' first words, lower case: an ASCII text without one has no noun form."""
    return tuple(sorted({w.split(" ", 1)[0].lower() for w in settlement_nouns}))


def unknown_places(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    taken: Sequence[tuple[int, int]] = (),
    lexicons: Lexicons | None = None,
) -> list[UnknownPlace]:
    """The names in ``text[start:end]`` that locative evidence marks as places.

    ``taken`` are spans already read as something (resolved places, actors): names
    overlapping them are not returned. The strongest evidence wins where forms
    overlap ("the village of X" over "in X"). The settlement nouns and the words that
    are never a name come from ``lexicons`` (default the packaged ones).

    Examples
    --------
    >>> [(p.text, p.cue) for p in unknown_places("Raiders struck Ikurungu village near Kutu.")]
    [('Ikurungu', 'settlement noun'), ('Kutu', 'locative')]
    >>> [p.text for p in unknown_places("On Monday in Nairobi, police said.", taken=[(14, 21)])]
    []
    """
    end = len(text) if end is None else end
    lexicons = lexicons or Lexicons.default()
    never = lexicons.unknown_place_stopwords
    found: list[UnknownPlace] = []
    spans = list(taken)
    patterns = _patterns(lexicons.settlement_nouns)
    cues: tuple[str, ...] = ("settlement noun", "settlement noun", "locative")
    # cheap precheck: both noun forms need a settlement noun (non-ASCII text may
    # match case-insensitively what lower() does not show, so it always runs them)
    piece = text[start:end]
    if piece.isascii():
        low = piece.lower()
        if not any(head in low for head in _noun_heads(lexicons.settlement_nouns)):
            patterns, cues = patterns[2:], cues[2:]
    for pattern, cue in zip(patterns, cues, strict=True):
        for m in pattern.finditer(text, start, end):
            s, e = m.span("name")
            name = m["name"]
            if any(w.casefold().strip("'’") in never for w in name.split()) or any(
                a < e and s < b for a, b in spans
            ):
                continue
            found.append(UnknownPlace(s, e, name, cue))
            spans.append((s, e))
    found.sort(key=lambda p: p.start)
    return found
