"""Name keys: how a place name as written becomes a lookup key.

Two levels of key, both computed by this module only, so that the index and the
queries can never disagree:

``exact_key``
    Unicode NFKC, casefolded, whitespace collapsed. "DEIR EZ-ZOR" and
    "Deir ez-Zor" share it; so does any script (Arabic, Cyrillic) written the same.

``normalized_key``
    What survives transliteration: ASCII (anyascii), no apostrophes or ʿayn/hamza
    marks, no hyphens or spaces, Arabic articles (al-, el-, az-, ez-, …, also glued
    as in "Ezzor") dropped, a trailing administrative word ("Governorate",
    "Oblast", …) dropped, and the vowels Arabic transliterations disagree on folded
    together (Dayr/Deir/Dair, Zawr/Zour/Zor). "Dayr az Zawr", "Deir al-Zour" and
    "Deir EzZor" all become ``dirzur``.

The folding is deliberately lossy: a normalized match is reported as such, with a
lower score than an exact one, and ranking then leans on population and context.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from anyascii import anyascii

__all__ = ["ADMIN_SUFFIXES", "NameKey", "exact_key", "fold_keys", "name_key", "normalized_key"]

#: Trailing words that say "the administrative area called …"; dropped from the
#: normalized key and reported as a hint that an admin area is meant.
ADMIN_SUFFIXES: frozenset[str] = frozenset(
    {
        "governorate",
        "governorates",
        "province",
        "provinces",
        "oblast",
        "oblasti",
        "region",
        "district",
        "subdistrict",
        "wilayat",
        "wilaya",
        "wilayah",
        "muhafazat",
        "muhafazah",
        "mohafazat",
        "raion",
        "rayon",
        "county",
        "prefecture",
        "department",
        "departement",
        "municipality",
        "nahiya",
        "nahia",
        "qadaa",
        "kaza",
        "oblys",
        "krai",
        "kray",
        "state",
        "emirate",
        "territory",
        "canton",
    }
)

#: Leading words with the same meaning ("Governorate of X", "Muhafazat X").
_ADMIN_PREFIXES = frozenset({"muhafazat", "mohafazat", "wilayat", "governorate", "province"})

_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ad", "ed", "adh", "ath", "as", "es", "ash", "esh", "az", "ez",
     "at", "et", "ar", "er", "an", "en", "aal"}
)  # fmt: skip

# Marks that stand for ʿayn, hamza or an elided vowel; they are dropped, not spaced.
_MARKS = "'’‘`´ʿʾʻʼˈ′ʹ\u02bd"
_MARKS_TABLE = str.maketrans("", "", _MARKS)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
# A glued sun-letter article: "ezzor" -> "zor", "arraqqa" -> "raqqa", "assuwayda".
_GLUED_ARTICLE = re.compile(r"^[ae](?:(sh|th|dh)\1|([tdrzsn])\2)(?=[a-z]{2})")
# Vowel spellings that transliterations of the same Arabic, Persian or Slavic name
# disagree on; applied in this order.
_VOWEL_FOLDS = (
    (re.compile(r"h(?<=[aeiou]h)$"), ""),  # Raqqah -> Raqqa (h first: a faster search)
    (re.compile(r"ay|ai|ei|ey"), "e"),  # Dayr, Dair, Deir -> der
    (re.compile(r"aw|ou|oo|ow"), "o"),  # Zawr, Zour -> zor
    (re.compile(r"ee|ie"), "i"),  # Mayadeen -> mayadin
    (re.compile(r"o"), "u"),  # Zor, Zur -> zur
    (re.compile(r"e"), "i"),  # Fasher, Fashir -> fashir
    (re.compile(r"y(?=[^aeiou]|$)"), "i"),
)
# Line breaks and tabs separate words; other control and format characters are
# noise inside a word ("Alep\x00po") and are dropped.
_BREAKS = re.compile(r"[\t\n\r\v\f\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\ufeff]")

#: Names longer than this are not place names; they are refused early.
MAX_NAME_LENGTH = 200


class NameKey(tuple[str, str, bool]):
    """The two keys of a name, plus whether an admin word was stripped.

    A tiny immutable tuple subclass so it can be cached and unpacked:
    ``exact, normalized, admin_hint = name_key("Deir ez-Zor Governorate")``.
    """

    __slots__ = ()

    @property
    def exact(self) -> str:
        """The casefolded key."""
        return self[0]

    @property
    def normalized(self) -> str:
        """The transliteration-proof key."""
        return self[1]

    @property
    def admin_hint(self) -> bool:
        """True when the name ended or started with an administrative word."""
        return self[2]


def exact_key(name: str) -> str:
    """Return the casefolded, whitespace-collapsed key of ``name``.

    Examples
    --------
    >>> exact_key("  DEIR   EZ-ZOR ")
    'deir ez-zor'
    """
    if name.isascii() and name.isprintable():
        # The common case, ~5x faster and the same: NFKC leaves ASCII alone, its
        # casefold is lower(), and its only printable whitespace is the space.
        return " ".join(name.lower().split())
    text = _CONTROL.sub("", _BREAKS.sub(" ", unicodedata.normalize("NFKC", name))).casefold()
    return _SPACES.sub(" ", text).strip()


def _strip_arabic_marks(text: str) -> str:
    # Harakat, tatweel and other combining marks vanish after NFKD.
    return "".join(ch for ch in text if not unicodedata.combining(ch) and ch != "\u0640")


def _drop_article_vowel(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


@lru_cache(maxsize=1 << 16)
def _normalized_and_hint(name: str) -> tuple[str, bool]:
    return _fold(exact_key(name))


def _fold(text: str) -> tuple[str, bool]:
    """The normalized key and admin hint of an exact key (the reference for :func:`fold_keys`)."""
    if not text.isascii():
        text = anyascii(_strip_arabic_marks(unicodedata.normalize("NFKD", text))).lower()
    text = text.translate(_MARKS_TABLE)
    folded, admin_hint = _join_tokens([t for t in _NON_ALNUM.split(text) if t])
    for pattern, replacement in _VOWEL_FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded, admin_hint


def _join_tokens(tokens: list[str]) -> tuple[str, bool]:
    """Drop admin words and articles from a name's ASCII tokens; glue the rest."""
    admin_hint = False
    if len(tokens) > 1 and tokens[-1] in ADMIN_SUFFIXES:
        tokens.pop()
        admin_hint = True
    if len(tokens) > 1 and tokens[0] in _ADMIN_PREFIXES:
        tokens.pop(0)
        admin_hint = True
        if len(tokens) > 1 and tokens[0] == "of":
            tokens.pop(0)
    if len(tokens) < 2:
        return "".join(tokens), admin_hint
    # Of several words, articles go and the rest lose a glued one (which starts with a or e).
    kept = [
        _GLUED_ARTICLE.sub(_drop_article_vowel, token) if token[0] in "ae" else token
        for token in tokens
        if token not in _ARTICLES
    ]
    return "".join(kept), admin_hint


# The per-character steps of _fold, run over many keys joined by newlines: no
# pattern consumes a newline, and with re.M "$" matches at each key's end.
_NON_ALNUM_LINES = re.compile(r"[^0-9a-z\n]+")
_NON_ALNUM_ASCII = {c: " " for c in range(128) if not re.fullmatch(r"[0-9a-z\n]", chr(c))}
_VOWEL_FOLDS_LINES = tuple((re.compile(p.pattern, re.M), r) for p, r in _VOWEL_FOLDS)


def fold_keys(keys: Sequence[str]) -> tuple[list[str], list[bool]]:
    """Return the normalized key and admin hint of each exact key, in bulk.

    ``fold_keys([exact_key(n) for n in names])`` gives what :func:`name_key`
    gives for each name (its ``normalized`` and ``admin_hint``), several times
    faster over many names: the transliteration, the marks and the vowel folds
    run once over all the keys joined by newlines (an exact key holds none), and
    only names of several words take the per-name path. The index build uses it.
    """
    keys = list(keys)
    if not keys:
        return [], []
    if "\n".join(keys).count("\n") != len(keys) - 1:  # not exact keys: the sure path
        pairs = [_fold(key) for key in keys]
        return [pair[0] for pair in pairs], [pair[1] for pair in pairs]
    texts = keys
    foreign = [i for i, key in enumerate(keys) if not key.isascii()]
    if foreign:
        ascii_texts = _transliterate([keys[i] for i in foreign])
        if ascii_texts is None:
            pairs = [_fold(key) for key in keys]
            return [pair[0] for pair in pairs], [pair[1] for pair in pairs]
        texts = keys.copy()
        for i, text in zip(foreign, ascii_texts, strict=True):
            texts[i] = text
    text = "\n".join(texts).translate(_MARKS_TABLE)
    # Words split on what is not [0-9a-z] (a table is faster than the regex, on ASCII).
    spaced = text.translate(_NON_ALNUM_ASCII) if text.isascii() else _NON_ALNUM_LINES.sub(" ", text)
    lines = spaced.split("\n")
    hints = [False] * len(lines)
    for i, line in enumerate(lines):
        if " " in line:
            lines[i], hints[i] = _join_tokens(line.split())
    folded = "\n".join(lines)
    for pattern, replacement in _VOWEL_FOLDS_LINES:
        if pattern.pattern.isalpha():  # one letter for another: str.replace is the same, faster
            folded = folded.replace(pattern.pattern, replacement)
        else:
            folded = pattern.sub(replacement, folded)
    return folded.split("\n"), hints


def _transliterate(texts: list[str]) -> list[str] | None:
    """``anyascii(_strip_arabic_marks(NFKD(t))).lower()`` of each text, in bulk (None: cannot)."""
    decomposed = unicodedata.normalize("NFKD", "\n".join(texts))
    table: dict[int, str | None] = {}
    for ch in set(decomposed):
        if unicodedata.combining(ch) or ch == "\u0640":
            table[ord(ch)] = None
        elif not ch.isascii():
            table[ord(ch)] = anyascii(ch)
    result = decomposed.translate(table).lower().split("\n")
    return result if len(result) == len(texts) else None


def normalized_key(name: str) -> str:
    """Return the transliteration-proof key of ``name``.

    Examples
    --------
    >>> normalized_key("Dayr az Zawr") == normalized_key("Deir EzZor") == "dirzur"
    True
    >>> normalized_key("Deir ez-Zor Governorate")
    'dirzur'
    """
    return _normalized_and_hint(name)[0]


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> NameKey:
    """Return both keys of ``name`` and whether an admin word was stripped."""
    normalized, hint = _normalized_and_hint(name)
    return NameKey((exact_key(name), normalized, hint))
