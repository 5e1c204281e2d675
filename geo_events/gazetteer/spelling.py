"""Whether a folded match is still spelled like the name it matched: no answer beats a wrong one.

The normalized key (:mod:`.normalize`) folds vowels, articles and scripts so that
transliterations meet ("Dayr az Zawr", "Deir ez-Zor"). Folded that far, a short
name meets names it is not: "Binza" meets Penza (through its Arabic spelling
"bynza"), "Marinka" meets Maringá (through its katakana), "OK" meets "UK". A
folded (normalized or fuzzy) match is therefore accepted only when the query and
the name it met are close *for their length*, measured on a light form of both
that keeps the vowels.

Decisions, written down:

- The light form (:func:`light_form`): ASCII (anyascii, after dropping Arabic
  vowel signs), casefolded; apostrophes and ʿayn/hamza marks dropped; spaces and
  hyphens gone; an Arabic article (al-, el-, az-, "Ezzor") and a leading or
  trailing administrative word dropped; doubled letters single; a final "h" after
  a vowel dropped. Vowels are *not* folded: "uk" and "ok" differ.
- Two distances on it (:func:`spelling_fits`), both bounded by the longer light
  form's length ``n``: the *shape* (each run of vowels one letter, so
  Dayr/Deir/Dair are alike but a vowel's presence counts) and the *consonants*
  (vowels, "y", "w" and "h" left out, so Rhamu/Ramu are alike but Binza/Penza and
  Marinka/Maringa are not). Up to 4 letters the light forms must be equal; the
  shape may differ by 1 edit up to 7 letters, 2 up to 11, then about a quarter;
  the consonants by none up to 7 letters, 1 up to 11, then 2 (one in six beyond).
- A normalized match is accepted when the query fits the place's own (primary)
  name, or equals, in light form, one of its other names as people write it:
  Latin letters with a capital (not the lower-case machine romanizations
  GeoNames also lists, such as "bynza") when the query is in Latin letters, any
  name when it is not. A fuzzy match (a misspelling) must fit the primary name or
  such a name by :func:`typo_fits`, which counts every edit (vowels too): 1 up to
  9 letters, 2 up to 14, then 3.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii

from geo_events.gazetteer.normalize import ADMIN_SUFFIXES, exact_key

__all__ = [
    "GENERIC_WORDS",
    "UNIT_WORDS",
    "abbreviation_shaped",
    "consonants",
    "is_generic",
    "light_form",
    "may_have_light_form",
    "romanized",
    "spelling_fits",
    "typo_fits",
    "written_by_people",
]

#: Words naming a kind of unit, dropped from either end of a name by the light form
#: (and by the admin2 seat match): "Djenne Cercle" and "Djenne" are one spelling.
UNIT_WORDS: frozenset[str] = ADMIN_SUFFIXES | frozenset(
    {"cercle", "commune", "sub-county", "subcounty", "lga", "city", "town", "municipio",
     "departamento", "provincia", "distrito", "regione", "landkreis", "kreis", "okrug",
     "respublika", "respublikasi", "republic"}
)  # fmt: skip
_LEADING_UNITS = frozenset(
    {"cercle", "commune", "district", "departement", "department", "prefecture", "province",
     "municipio", "departamento", "provincia", "distrito", "region", "governorate", "wilaya",
     "wilayat", "muhafazat", "mohafazat", "county", "city"}
)  # fmt: skip
_CONNECTORS = frozenset({"de", "d", "du", "des", "of", "del", "di"})

#: Generic geographic words: alone (or only with one another) they name no place.
GENERIC_WORDS: frozenset[str] = frozenset(
    {"island", "islands", "isle", "isles", "city", "cities", "town", "towns", "village",
     "villages", "valley", "river", "rivers", "province", "provinces", "district", "districts",
     "region", "regions", "county", "state", "states", "country", "countries", "mountain",
     "mountains", "mount", "hill", "hills", "lake", "lakes", "sea", "bay", "coast", "desert",
     "forest", "port", "camp", "border", "area", "zone", "territory", "territories",
     "municipality", "governorate", "capital", "centre", "center", "north", "south", "east",
     "west", "central", "the", "upper", "lower", "new", "old", "great", "greater", "little"}
)  # fmt: skip
#: Direction and size words count as generic only beside another generic word
#: ("North Province" names no place by itself; "North" alone is a word, too).
_QUALIFIERS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "central",
        "the",
        "upper",
        "lower",
        "new",
        "old",
        "great",
        "greater",
        "little",
    }
)

#: Short forms of a name's first words, spelled out: "St. Marc" is "Saint-Marc".
_SHORT_WORDS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "point"}
_ARTICLES = frozenset(
    {"al", "el", "il", "ul", "ad", "ed", "adh", "ath", "as", "es", "ash", "esh", "az", "ez",
     "at", "et", "ar", "er", "an", "en", "aal"}
)  # fmt: skip
_MARKS = str.maketrans("", "", "'’‘`´ʿʾʻʼˈ′ʹ\u02bd")
_ARABIC_SIGNS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_FIRST_WORD = re.compile(r"[0-9a-z]+")
_WORD_GAPS = re.compile(r"[\W_]+")
_GLUED_ARTICLE = re.compile(r"^[ae](?:(sh|th|dh)\1|([tdrzsn])\2)(?=[a-z]{2})")
_DOUBLED = re.compile(r"([a-z])\1+")
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
_NOT_CONSONANT = re.compile(r"[aeiouywh]+")


def _drop_article_vowel(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


def _words(name: str) -> list[str]:
    """The casefolded words of ``name`` in any script, punctuation and marks aside."""
    return [w for w in _WORD_GAPS.split(exact_key(name)) if w]


@lru_cache(maxsize=1 << 16)
def light_form(name: str) -> str:
    """The spelling a folded match is measured on: ASCII, casefolded, vowels kept.

    Examples
    --------
    >>> light_form("Deir ez-Zor"), light_form("Deir EzZor"), light_form("Ar-Raqqah")
    ('deirzor', 'deirzor', 'raqa')
    >>> light_form("Djenne Cercle"), light_form("Cercle de Yélimané")
    ('djene', 'yelimane')
    """
    text = exact_key(name)
    if not text.isascii():
        text = anyascii(unicodedata.normalize("NFC", _ARABIC_SIGNS.sub("", text))).lower()
    tokens = [_SHORT_WORDS.get(t, t) for t in _NON_ALNUM.split(text.translate(_MARKS)) if t]
    if len(tokens) > 1 and tokens[-1] in UNIT_WORDS:
        tokens.pop()
    if len(tokens) > 1 and tokens[0] in _LEADING_UNITS:
        tokens.pop(0)
        if len(tokens) > 1 and tokens[0] in _CONNECTORS:
            tokens.pop(0)
    kept = []
    for i, token in enumerate(tokens):
        if token in _ARTICLES and len(tokens) > 1:
            continue
        if i > 0 or len(tokens) > 1:
            token = _GLUED_ARTICLE.sub(_drop_article_vowel, token)
        kept.append(token)
    plain = _DOUBLED.sub(_first_letter, "".join(kept))
    if len(plain) > 2 and plain.endswith("h") and plain[-2] in "aeiou":
        plain = plain[:-1]
    return plain


def may_have_light_form(name: str, light: str) -> bool:
    """Whether ``name`` can have the light form ``light``: a cheap test before :func:`light_form`.

    The light form of an ASCII name is made of the name's own letters, except where
    a short word is spelled out ("St." → "saint"); a name lacking a letter of
    ``light`` cannot have it. Other names are left to the real test (True).

    Examples
    --------
    >>> may_have_light_form("Mosul", "mawsil"), may_have_light_form("St. Marc", "saintmarc")
    (False, True)
    """
    lowered = name.lower()
    if not lowered.isascii() or set(light) <= set(lowered):
        return True
    return any(word in _SHORT_WORDS for word in _NON_ALNUM.split(lowered))


def consonants(light: str) -> str:
    """The consonants of a light form (no vowels, "y", "w" or "h"): "rhamu" → "rm"."""
    return _NOT_CONSONANT.sub("", light)


def _shape(light: str) -> str:
    return _VOWEL_RUNS.sub("a", light)


def _allowed(n: int) -> tuple[int, int]:
    """Edits allowed in (shape, consonants) for a light form of ``n`` letters."""
    if n <= 7:
        return 1, 0
    if n <= 11:
        return 2, 1
    if n <= 15:
        return 3, 2
    return n // 4, n // 6


def _comparable_length(a: str, b: str) -> int:
    """The length at which two light forms are compared.

    0 if they are equal (and not empty); -1 if they must not be compared (one is
    empty, or they differ and are both 4 letters or fewer).
    """
    if a == b:
        return 0 if a else -1
    n = max(len(a), len(b))
    return -1 if n <= 4 or not a or not b else n


def spelling_fits(query: str, name: str) -> bool:
    """Whether ``query`` is spelled like ``name``, closely enough for their length.

    Examples
    --------
    >>> spelling_fits("Dayr az Zawr", "Deir ez-Zor"), spelling_fits("Rhamu", "Ramu")
    (True, True)
    >>> spelling_fits("Binza", "Penza"), spelling_fits("OK", "UK")
    (False, False)
    """
    from rapidfuzz.distance import Levenshtein

    if _words(query) == _words(name):  # only spaces, hyphens or marks differ: "DEIR-EZ-ZOR"
        return bool(_words(query))
    a, b = light_form(query), light_form(name)
    n = _comparable_length(a, b)
    if n <= 0:
        return n == 0
    shape, consonant = _allowed(n)
    if Levenshtein.distance(_shape(a), _shape(b), score_cutoff=shape + 1) > shape:
        return False
    ca, cb = consonants(a), consonants(b)
    return Levenshtein.distance(ca, cb, score_cutoff=consonant + 1) <= consonant


def typo_fits(query: str, name: str) -> bool:
    """Whether ``query`` is ``name`` misspelt: a fuzzy match's test, stricter than a fold's.

    The plain edit distance of the light forms (vowels count; swapping two
    neighbouring letters is one edit) may be 1 up to 9
    letters, 2 up to 14, then 3; the consonants as in :func:`spelling_fits`; names of
    4 letters or fewer are never misspelt. "Deir ez-Zorr", "Rhamu" (Ramu) and
    "Mibita" (Mbita) fit; "Kibera" does not fit Kopibera, nor "Binza" Bouenza.

    Examples
    --------
    >>> typo_fits("Cheptais", "Cheptai"), typo_fits("Kibera", "Kopibera")
    (True, False)
    """
    from rapidfuzz.distance import OSA, Levenshtein

    a, b = light_form(query), light_form(name)
    n = _comparable_length(a, b)
    if n <= 0:
        return n == 0
    edits = 1 if n <= 9 else 2 if n <= 14 else 3
    if OSA.distance(a, b, score_cutoff=edits + 1) > edits:  # a swap is one edit: "Britian"
        return False
    consonant = _allowed(n)[1]
    return (
        Levenshtein.distance(consonants(a), consonants(b), score_cutoff=consonant + 1) <= consonant
    )


@lru_cache(maxsize=4096)
def _latin_char(ch: str) -> bool:
    return not ch.isalpha() or "LATIN" in unicodedata.name(ch, "")


def _latin(text: str) -> bool:
    return text.isascii() or all(ch.isascii() or _latin_char(ch) for ch in text)


def written_by_people(name: str, query_latin: bool) -> bool:
    """Whether an alternate ``name`` is a spelling to trust for a query in (or not in) Latin.

    For a Latin query: a name in Latin letters with a capital somewhere (GeoNames'
    all-lower-case names such as "bynza" or "li bo wei er" are machine romanizations
    of other scripts, as lossy as the normalized key). For any other query: any name.
    """
    if not query_latin:
        return True
    return name != name.lower() and _latin(name)  # a capital somewhere, every letter Latin


def romanized(name: str) -> bool:
    """Whether ``name`` is a machine romanization: Latin letters, none a capital ("wa er na")."""
    return name == name.lower() and _latin(name)


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin one."""
    return _latin(text)


def fits_any(query: str, names: Iterable[str]) -> bool:
    """Whether ``query`` fits (:func:`spelling_fits`) any of ``names``."""
    return any(spelling_fits(query, n) for n in names)


def is_generic(name: str) -> bool:
    """Whether ``name`` is only generic geographic words ("Island", "the Valley", "City").

    Examples
    --------
    >>> is_generic("Island"), is_generic("North Province"), is_generic("North"), is_generic("Iceland")
    (True, True, False, False)
    """
    if name.isascii():  # most names: their first word is generic, or they are not
        first = _FIRST_WORD.search(name.lower())
        if first is None or first.group() not in GENERIC_WORDS:
            return False
    words = _words(name)
    if not words or not all(w in GENERIC_WORDS for w in words):
        return False
    return not all(w in _QUALIFIERS for w in words)


_CAPITALS = re.compile(r"^(?:[A-Z]\.?){2,3}$")


def abbreviation_shaped(name: str) -> bool:
    """Whether ``name`` is 2–3 capital letters (dots allowed): "WA", "NYC", "U.K.".

    Such a query is read as an abbreviation, never case-folded into a place name
    ("WA" is not Wa, Ghana).
    """
    return _CAPITALS.match(name.strip()) is not None
