"""Whether a text can be read as English news: the check before any extraction.

A text that is empty, binary, in another script or another language gets a reason
instead of events, so no row is lost silently and no rule runs on text it was
not written for.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from geo_events.text.lexicons import Lexicons

__all__ = ["text_problem"]

_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NON_LETTER = re.compile(r"[\W\d_]+")
_NON_LATIN = re.compile(r"[^A-Za-z\u00c0-\u024f]+")
_BAD_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_BAD_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_ASCII_SPACE = bytes(b for b in range(128) if chr(b).isspace())
_NOT_ASCII_LETTERS = bytes(b for b in range(128) if not chr(b).isalpha())
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
#: English inflections, the evidence of telegraphic English that drops its function words
#: ("Militia attacks herders, killing four"; "Police officer shot dead").
_ENGLISH_INFLECTION = re.compile(r"[a-z]{2,}(?:ed|ing|ings|ers|ies|ly|ment|ments|ians)")
_NOT_ENGLISH = "not English (too few English function words)"


#: English function words that are also function words elsewhere (Spanish, Portuguese and
#: Italian "a", "no", "do"; German and Dutch "in", "was", "also"; Polish "to", "on";
#: Tagalog "at"): they are no evidence for English against another language.
_SHARED = frozenset({"a", "in", "no", "do", "an", "so", "to", "on", "at", "was", "also"})


def _language_problem(
    sample: str,
    english_words: Collection[str],
    foreign_words: Collection[str],
    enough_function_words: bool,
) -> str:
    """The check of a text's words: another language's function words, or telegraphic English.

    Another language keeps its function words (der, und; le, et; el, y; na, kwa; iyo,
    ayaa): a text with more of those than of English ones, at least one in ten words,
    is not English even when words shared with English ("a", "in", "no") pass the
    function-word count. Headlines and coders' notes drop articles and auxiliaries
    ("Pokot raiders kill civilians and steal cattle"): a text short of English function
    words is English when it has none of another language's to speak of and English
    inflections (-ed, -ing, -ers, -ly) or function words make a tenth of its words.
    """
    words = _WORD.findall(sample.casefold())
    if not words:
        return _NOT_ENGLISH
    foreign = sum(map(foreign_words.__contains__, words))
    english = sum(1 for w in words if w in english_words and w not in _SHARED)
    if foreign >= 2 and foreign > english and foreign >= 0.1 * len(words):
        return _NOT_ENGLISH
    if enough_function_words:
        return ""
    if foreign > max(english, 0.05 * len(words)):
        return _NOT_ENGLISH
    inflected = sum(1 for w in words if _ENGLISH_INFLECTION.fullmatch(w))
    if english + inflected >= 0.1 * len(words):
        return ""
    return _NOT_ENGLISH


def _mostly_ascii_letters(sample: str) -> bool:
    """Whether ASCII letters make up half of ``sample``, counted in C.

    Then the text has words and is mostly Latin script, whatever else it holds
    (curly quotes, dashes, accents), and the per-character regexes can be skipped.
    """
    ascii_part = sample.encode("ascii", "ignore")
    return len(ascii_part.translate(None, _NOT_ASCII_LETTERS)) >= 0.5 * len(sample)


def text_problem(
    text: str,
    *,
    english_words: Collection[str] | None = None,
    foreign_words: Collection[str] | None = None,
) -> str:
    """Return why ``text`` cannot be read as English news ("" when it can).

    ``english_words`` are the function words an English text has enough of; default
    the packaged :attr:`Lexicons.english_words <geo_events.text.lexicons.Lexicons>`.
    ``foreign_words`` are other languages' function words, which telegraphic English
    (headlines, notes: "Militia attacks herders, killing four") lacks; default the
    packaged :attr:`Lexicons.foreign_words <geo_events.text.lexicons.Lexicons>`.

    Examples
    --------
    >>> text_problem("Die Armee hat am Montag die Stadt angegriffen, sagte ein Sprecher der Regierung.")
    'not English (too few English function words)'
    >>> text_problem("Toposa ethnic militia attacks Turkana herdsmen, killing four villagers.")
    ''
    """
    if english_words is None:
        english_words = Lexicons.default().english_words
    if foreign_words is None:
        foreign_words = Lexicons.default().foreign_words
    sample = text[:3_000]
    if not sample.strip():
        return "empty text"
    ascii_data = sample.encode("ascii") if sample.isascii() else None
    if ascii_data is not None:  # count the bad characters in C
        bad = len(ascii_data) - len(ascii_data.translate(None, _BAD_BYTES))
    else:
        bad = len(_BAD_CHARS.findall(sample)) if _BAD_CHARS.search(sample) else 0
    if bad > 0.05 * len(sample):
        return "binary or undecodable content"
    if ascii_data is not None:
        if not _ASCII_LETTER.search(sample):
            return "no words in text"
    elif not _mostly_ascii_letters(sample):
        letters = len(_NON_LETTER.sub("", sample))
        if not letters:
            return "no words in text"
        if len(_NON_LATIN.sub("", sample)) < 0.5 * letters:
            return "not English (mostly non-Latin script)"
    if ascii_data is not None:
        # English text has enough function words among its first hundred to pass
        # against an upper bound of the word count (whitespace characters + 1)
        head = sample.lower().split(None, 100)
        most_words = len(ascii_data) - len(ascii_data.translate(None, _ASCII_SPACE)) + 1
        if (
            len(head) > 100
            and sum(map(english_words.__contains__, head[:100])) >= 0.05 * most_words
        ):
            return ""
    words = sample.casefold().split()
    if len(words) < 8:
        return ""
    enough = sum(map(english_words.__contains__, words)) >= 0.05 * len(words)
    foreign = foreign_words
    return _language_problem(sample, english_words, foreign, enough)
