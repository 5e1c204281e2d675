"""Sentences with their character offsets: the unit extraction reads events in.

Offsets index the original text, so every event's evidence can point back into the
article. Boundaries are found with one regex that lets the engine skip ahead in C;
abbreviations ("Gen.", "U.S.") come from the lexicons.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from geo_events.text.lexicons import Lexicons

__all__ = ["MAX_SENTENCE", "split_sentences"]

#: Sentences longer than this many characters are cut at a space.
MAX_SENTENCE = 1_000
_MAX_SENTENCE = MAX_SENTENCE

# A run of full stops (and closing quotes) before a capital or a digit, or a run of
# newlines. The pattern starts with a character set so that the regex engine skips to
# candidate characters in C (a leading look-ahead or alternation would not: 4x slower).
_BOUNDARY = re.compile(
    r"[.!?…\n](?:(?<=\n)\n*|(?<=[.!?…])[.!?…]*[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9]))"
)


def split_sentences(
    text: str,
    start: int = 0,
    end: int | None = None,
    *,
    abbreviations: Collection[str] | None = None,
) -> list[tuple[int, int]]:
    r"""Return ``(start, end)`` offsets of the sentences of ``text[start:end]``.

    Lines are never joined (a title is its own sentence); a full stop after a
    known abbreviation or an initial does not end a sentence; sentences longer
    than 1,000 characters are cut at a space, so one giant line stays cheap.
    Spans are trimmed of surrounding whitespace and index into ``text``.
    ``abbreviations`` (lower case, no final full stop) default to the packaged
    :attr:`Lexicons.sentence_abbreviations <geo_events.text.lexicons.Lexicons>`.

    Examples
    --------
    >>> t = "Clashes in Idlib\n\nGen. Ali said on Monday. Jets struck U.S. bases."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Clashes in Idlib', 'Gen. Ali said on Monday.', 'Jets struck U.S. bases.']
    """
    end = len(text) if end is None else end
    if abbreviations is None:
        abbreviations = Lexicons.default().sentence_abbreviations
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        at, stop = m.span()
        first = text[at]
        if first == "\n":
            cut, nxt = at, stop
        else:
            if first == ".":
                lo = max(start, at - 12)
                space = max(text.rfind(" ", lo, at), text.rfind("\n", lo, at))
                token = text[(space + 1 if space >= 0 else lo) : at].casefold()
                if token in abbreviations or (len(token) == 1 and token.isalpha()):
                    continue
            cut = nxt = stop
        _add_span(text, cursor, cut, spans)
        cursor = nxt
    _add_span(text, cursor, end, spans)
    return spans


def _add_span(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    if s < e and text[s].isspace():
        s = e - len(text[s:e].lstrip())
    if e > s and text[e - 1].isspace():
        e = s + len(text[s:e].rstrip())
    while e - s > _MAX_SENTENCE:
        cut = text.rfind(" ", s + _MAX_SENTENCE // 2, s + _MAX_SENTENCE)
        cut = cut if cut > s else s + _MAX_SENTENCE
        spans.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        spans.append((s, e))
