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
from pathlib import Path

__all__ = ["UnknownPlace", "unknown_places"]

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

_NAME = r"[A-Z][\w'’-]*[a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*[a-z][\w'’-]*){0,2}"


@dataclass(frozen=True, slots=True)
class UnknownPlace:
    """A name the text gives as a place (``cue`` says how), not found in the gazetteer."""

    start: int
    end: int
    text: str
    cue: str


@lru_cache(maxsize=1)
def _settlement_nouns() -> tuple[str, ...]:
    text = (_DATA_DIR / "settlement_nouns.txt").read_text(encoding="utf-8")
    words = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    nouns = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in _settlement_nouns())
    # "the village of X", "X village", "in X": each a name with its evidence
    of_form = re.compile(rf"\b(?:the\s+)?(?:{nouns})\s+of\s+(?P<name>{_NAME})", re.I)
    noun_after = re.compile(rf"(?P<name>{_NAME})\s+(?:{nouns})\b")
    locative = re.compile(
        rf"\b(?:in|near|at|outside|around|from|to|towards|between)\s+(?:the\s+)?(?P<name>{_NAME})"
    )
    return of_form, noun_after, locative


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    text = (_DATA_DIR / "unknown_place_stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    )


def _plausible(name: str) -> bool:
    words = name.split()
    return not any(w.casefold().strip("'’") in _not_names() for w in words)


def unknown_places(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    taken: Sequence[tuple[int, int]] = (),
) -> list[UnknownPlace]:
    """The names in ``text[start:end]`` that locative evidence marks as places.

    ``taken`` are spans already read as something (resolved places, actors): names
    overlapping them are not returned. The strongest evidence wins where forms
    overlap ("the village of X" over "in X").

    Examples
    --------
    >>> [(p.text, p.cue) for p in unknown_places("Raiders struck Ikurungu village near Kutu.")]
    [('Ikurungu', 'settlement noun'), ('Kutu', 'locative')]
    >>> [p.text for p in unknown_places("On Monday in Nairobi, police said.", taken=[(14, 21)])]
    []
    """
    end = len(text) if end is None else end
    found: list[UnknownPlace] = []
    spans = list(taken)
    for pattern, cue in zip(_patterns(), ("settlement noun", "settlement noun", "locative"), strict=True):
        for m in pattern.finditer(text, start, end):
            s, e = m.span("name")
            name = m["name"]
            if not _plausible(name) or any(a < e and s < b for a, b in spans):
                continue
            found.append(UnknownPlace(s, e, name, cue))
            spans.append((s, e))
    found.sort(key=lambda p: p.start)
    return found
