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
from functools import lru_cache

from anyascii import anyascii

__all__ = ["ADMIN_SUFFIXES", "NameKey", "exact_key", "name_key", "normalized_key"]

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
    (re.compile(r"(?<=[aeiou])h(?=$)"), ""),  # Raqqah -> Raqqa
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
    text = _CONTROL.sub("", _BREAKS.sub(" ", unicodedata.normalize("NFKC", name))).casefold()
    return _SPACES.sub(" ", text).strip()


def _strip_arabic_marks(text: str) -> str:
    # Harakat, tatweel and other combining marks vanish after NFKD.
    return "".join(ch for ch in text if not unicodedata.combining(ch) and ch != "\u0640")


def _drop_article_vowel(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


@lru_cache(maxsize=1 << 16)
def _normalized_and_hint(name: str) -> tuple[str, bool]:
    text = exact_key(name)
    if not text.isascii():
        text = anyascii(_strip_arabic_marks(unicodedata.normalize("NFKD", text))).lower()
    text = text.translate(_MARKS_TABLE)
    tokens = [t for t in _NON_ALNUM.split(text) if t]
    admin_hint = False
    if len(tokens) > 1 and tokens[-1] in ADMIN_SUFFIXES:
        tokens.pop()
        admin_hint = True
    if len(tokens) > 1 and tokens[0] in _ADMIN_PREFIXES:
        tokens.pop(0)
        admin_hint = True
        if len(tokens) > 1 and tokens[0] == "of":
            tokens.pop(0)
    kept = []
    for i, token in enumerate(tokens):
        if token in _ARTICLES and len(tokens) > 1:
            continue
        if i > 0 or len(tokens) > 1:
            token = _GLUED_ARTICLE.sub(_drop_article_vowel, token)
        kept.append(token)
    folded = "".join(kept)
    for pattern, replacement in _VOWEL_FOLDS:
        folded = pattern.sub(replacement, folded)
    return folded, admin_hint


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
