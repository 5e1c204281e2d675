"""Toponym recognition: which spans of a text name places, with character offsets.

Gazetteer-driven and model-free. At every word that starts with a capital
letter (or a letter of a script without case, or an Arabic article such as
"al-" before a capital), the casefolded text is looked up in the gazetteer's
exact-name trie (``marisa_trie.Trie.prefixes``), and the longest name that ends
on a word boundary wins: "Deir ez-Zor", not "Deir".

Why a trie walk rather than an Aho-Corasick automaton: the gazetteer already has
its ~1.1 million casefolded names in a memory-mapped marisa trie, and
``prefixes()`` costs about a microsecond. Building a pyahocorasick automaton over
the same keys takes ~3.5 s and ~400 MB per process (a 200 MB pickle that takes
2 s to load), and only proper nouns can start a toponym anyway, so the automaton
would mostly report matches that are thrown away. The trie needs no build, no
cache and no memory of its own. (Organisation names, a few hundred, do use a
small automaton.)

A name found in the trie is kept only when it survives the guards that sink
naive matchers:

- capitalisation: a match starts with a capital (or an uncased letter) and its
  last word has a capital ("Deir ez-Zor" yes, "New York city" → "New York");
- common words that are also places ("Of", "Most", "Monday", "Nice", "Split"):
  the stop-list (``data/toponym_stopwords.csv``) rejects them always or only at
  a sentence start, in a title-case headline, or when the text also writes them
  in lower case — unless a hierarchy cue follows ("Nice, France");
- demonyms ("Syrian forces"): never a mention (they are context for resolution);
- organisations ("Syrian Democratic Forces", "Islamic State", "IS"): spans from
  ``data/toponym_organisations.csv`` block any place inside them;
- person names: a match right after a title ("President Jackson") or glued to
  other capitalised words that are not places ("George Washington", "Jackson
  Browne", "Washington Post") is dropped; headlines in title case skip this test;
- short capitals ("US", "UK", "IS"): kept only when the gazetteer's best reading
  is a country or a first-level division;
- actors: a place followed by an institution or force noun ("US special ops
  forces", "Russia's defense ministry", "US-backed") keeps its span but gets
  ``role="actor"`` — a metonymic mention, a toponym in GeoWebNews' terms, not the
  location of an event.

Names the gazetteer lacks are recognised from their context alone ("the Syrian
town of Khasham", "the village of Al-Tabiya"), so resolution can fall back to
the admin area or country the text names.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo_events.text.toponym_lexicons import Lexicons, default_lexicons

if TYPE_CHECKING:
    from geo_events.gazetteer import Gazetteer

__all__ = ["Mention", "find_mentions", "fold_text"]

#: Longest name looked up, in characters.
MAX_NAME_CHARS = 80
#: Roles a mention can have.
ROLES = ("place", "actor", "unknown")


@dataclass(frozen=True)
class Mention:
    """A span of text that names a place.

    Attributes
    ----------
    start, end
        Character offsets into the text the mention was found in.
    text
        ``text[start:end]``.
    role
        ``"place"`` (a location), ``"actor"`` (a place name standing for a state
        or its forces: "Russia's defense ministry", "US special ops forces"), or
        ``"unknown"`` (a name the gazetteer lacks, recognised from its context:
        "the village of X").
    """

    start: int
    end: int
    text: str
    role: str = "place"


# ------------------------------------------------------------------- folding


def fold_text(text: str) -> str:
    """Casefold ``text`` keeping its length, so offsets stay valid.

    Characters whose casefold changes the length ("ß" → "ss") are lower-cased
    instead (or kept); the gazetteer's exact keys are casefolded names.
    """
    folded = text.casefold()
    if len(folded) == len(text):
        return folded
    out = []
    for ch in text:
        f = ch.casefold()
        if len(f) != 1:
            f = ch.lower() if len(ch.lower()) == 1 else ch
        out.append(f)
    return "".join(out)


# ---------------------------------------------------------------- recognizer

_WORD_START = re.compile(r"(?<![\w'’-])\w")
_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an|ed|es|ez|ul)-(?=[^\W\d_])")
_SENTENCE_END = set(".!?:;\"“”«»([—–•|")
_FUNCTION_WORDS = frozenset(
    "the a an in at on of to from for by near with and or but as into across over under "
    "between after before since until while when where during through throughout outside "
    "inside around toward towards via per than both either neither not no this that these "
    "those its their his her our my your each every all some most many few such if then "
    "also so yet".split()
)
_DIRECTIONS = frozenset(
    "north south east west northern southern eastern western central northeast northwest "
    "southeast southwest northeastern northwestern southeastern southwestern north-east "
    "north-west south-east south-west north-eastern north-western south-eastern south-western "
    "upper lower greater inner outer mid middle far west-central east-central new old "
    "downtown rural urban coastal mainland occupied".split()
)
_CUE_NOUNS = (
    "town|village|city|hamlet|settlement|district|subdistrict|area|neighbou?rhood|suburb"
    "|province|governorate|region|camp|oblast|municipality|county|township|commune"
)
_UNKNOWN_NAME = re.compile(
    rf"\b(?:{_CUE_NOUNS})\s+of\s+(?P<name>(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[^\W\d_a-z][\w'’-]*"
    r"(?:[ -](?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[^\W\d_a-z][\w'’-]*){0,2})"
)


class _Recognizer:
    """Per-gazetteer state: caches of what short capitals and names mean."""

    def __init__(self, gazetteer: Gazetteer, lexicons: Lexicons) -> None:
        self.gaz = gazetteer
        self.lex = lexicons
        self.trie = gazetteer.index.exact.trie
        self.demonyms = gazetteer.index.demonyms
        self._short_ok: dict[str, bool] = {}
        self._country: dict[str, bool] = {}
        self._orgs = _org_automaton(lexicons.organisations)
        nouns = "|".join(re.escape(n) for n in lexicons.actor_nouns)
        self._actor = re.compile(
            rf"(?:['’]s\b)?(?:\s*-\s*|\s+)(?:(?!(?:{'|'.join(_FUNCTION_WORDS)})\b)[\w]+\s+){{0,2}}?"
            rf"(?:{nouns})\b",
            re.IGNORECASE,
        )

    def short_caps_ok(self, key: str) -> bool:
        """Whether an all-caps abbreviation ("US") reads as a country or state."""
        known = self._short_ok.get(key)
        if known is None:
            from geo_events.gazetteer import Kind

            best = self.gaz.search(key, limit=1, fuzzy=False)
            known = bool(best) and best[0].kind in (Kind.COUNTRY, Kind.ADMIN1)
            self._short_ok[key] = known
        return known

    def is_country(self, name: str) -> bool:
        """Whether ``name`` is a country's or first-level division's name."""
        known = self._country.get(name)
        if known is None:
            from geo_events.gazetteer import Kind

            best = self.gaz.search(name, limit=1, fuzzy=False) if name.strip() else []
            known = bool(best) and best[0].kind in (Kind.COUNTRY, Kind.ADMIN1)
            self._country[name] = known
        return known


def _org_automaton(names: tuple[str, ...]):  # type: ignore[no-untyped-def]
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for name in names:
        key = fold_text(name)
        automaton.add_word(key, (len(key), name))
    if names:
        automaton.make_automaton()
    return automaton


_recognizers: weakref.WeakKeyDictionary[Gazetteer, dict[int, _Recognizer]] = weakref.WeakKeyDictionary()


def _recognizer(gazetteer: Gazetteer, lexicons: Lexicons) -> _Recognizer:
    per_gaz = _recognizers.setdefault(gazetteer, {})
    rec = per_gaz.get(id(lexicons))
    if rec is None or rec.lex is not lexicons:
        rec = _Recognizer(gazetteer, lexicons)
        per_gaz[id(lexicons)] = rec
    return rec


def _is_boundary(text: str, i: int) -> bool:
    return i >= len(text) or not (text[i].isalnum() or text[i] == "_")


def _can_start(ch: str) -> bool:
    return ch.isalpha() and not ch.islower()


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t'‘\"“(":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    a = text.rfind("\n", 0, pos) + 1
    b = text.find("\n", pos)
    return a, len(text) if b < 0 else b


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_case(line: str) -> bool:
    words = _TITLE_WORD.findall(line)
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if not w[0].islower())
    return caps >= 0.7 * len(words)


def _previous_word(text: str, start: int) -> tuple[str, int]:
    """Return the word right before ``start`` (one space between), and its start."""
    i = start - 1
    if i < 0 or text[i] != " ":
        return "", -1
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in ".'’-"):
        j -= 1
    return text[j:i], j


def _next_word(text: str, end: int) -> str:
    if end >= len(text) or text[end] != " ":
        return ""
    m = re.match(r"[\w'’.-]+", text[end + 1 : end + 40])
    return m.group(0) if m else ""


def find_mentions(
    text: str,
    gazetteer: Gazetteer | None = None,
    *,
    lexicons: Lexicons | None = None,
) -> list[Mention]:
    """Return the toponym mentions in ``text``, in order, not overlapping.

    Parameters
    ----------
    text
        Any text (an article's :attr:`~geo_events.text.article.Article.full_text`).
    gazetteer
        The gazetteer whose names are looked for; default
        :func:`~geo_events.gazetteer.default_gazetteer`.
    lexicons
        Stop-list, organisations, actor nouns and person titles; default the
        packaged ones (:func:`~geo_events.text.toponym_lexicons.load_lexicons` adds yours).

    Examples
    --------
    >>> text = "Russia's defense ministry said jets struck near Deir ez-Zor, eastern Syria."
    >>> [(m.text, m.role) for m in find_mentions(text)]  # doctest: +SKIP
    [('Russia', 'actor'), ('Deir ez-Zor', 'place'), ('Syria', 'place')]
    """
    if not isinstance(text, str) or not text:
        return []
    if gazetteer is None:
        from geo_events.gazetteer import default_gazetteer

        gazetteer = default_gazetteer()
    rec = _recognizer(gazetteer, lexicons or default_lexicons())
    folded = fold_text(text)
    blocked = _organisation_spans(text, folded, rec)
    mentions: list[Mention] = []
    title_lines: dict[int, bool] = {}
    prefixes = rec.trie.prefixes
    block_i = 0
    pos_min = 0
    for word in _WORD_START.finditer(text):
        start = word.start()
        if start < pos_min:
            continue
        ch = text[start]
        if not _can_start(ch):
            art = _ARTICLE.match(text, start)
            if art is None or not _can_start(text[art.end()]):
                continue
        while block_i < len(blocked) and blocked[block_i][1] <= start:
            block_i += 1
        if block_i < len(blocked) and blocked[block_i][0] <= start:
            pos_min = blocked[block_i][1]
            continue
        keys = prefixes(folded[start : start + MAX_NAME_CHARS])
        if not keys:
            continue
        for key in sorted(keys, key=len, reverse=True):
            end = start + len(key)
            if len(key) < 2 or not _is_boundary(folded, end) or key[-1] in " -'’.":
                continue
            if block_i < len(blocked) and blocked[block_i][0] < end:
                continue  # runs into an organisation's name
            mention = _judge(text, folded, start, end, key, rec, title_lines)
            if mention is not None:
                mentions.append(mention)
                pos_min = end
            break  # the longest name decides; a shorter one is not a fallback
    mentions.extend(_unknown_names(text, mentions, blocked, rec))
    mentions.sort(key=lambda m: m.start)
    return mentions


def _organisation_spans(text: str, folded: str, rec: _Recognizer) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if not len(rec._orgs):
        return spans
    for end_idx, (length, name) in rec._orgs.iter(folded):
        end = end_idx + 1
        start = end - length
        if start > 0 and (folded[start - 1].isalnum()) or not _is_boundary(folded, end):
            continue
        if name.isupper() and len(name) <= 5 and text[start:end] != name:
            continue  # "IS" the group, not "is" the verb
        spans.append((start, end))
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _judge(
    text: str,
    folded: str,
    start: int,
    end: int,
    key: str,
    rec: _Recognizer,
    title_lines: dict[int, bool],
) -> Mention | None:
    """Return the mention ``text[start:end]`` if it survives the guards, else None."""
    surface = text[start:end]
    letters = [c for c in surface if c.isalpha()]
    if len(letters) < 2:
        return None
    last_word = re.split(r"[\s-]", surface)[-1]
    if any(c.isalpha() and (c.isupper() or c.islower()) for c in last_word) and not any(
        c.isupper() for c in last_word
    ):
        return None  # "New York city": the trie walk stops at a capital-less last word
    if key in rec.demonyms:
        return None
    single = " " not in key
    line_start, line_end = _line_bounds(text, start)
    title = title_lines.get(line_start)
    if title is None:
        title = _title_case(text[line_start:line_end])
        title_lines[line_start] = title
    if surface.isupper() and len(letters) <= 4 and not title and not rec.short_caps_ok(key):
        return None
    if single and key in rec.lex.stop_always:
        if not _hierarchy_cue_follows(text, end, rec):
            return None
    elif single and key in rec.lex.stop_initial and not _hierarchy_cue_follows(text, end, rec):
        if title or _sentence_initial(text, start):
            return None
        if re.search(rf"(?<!\w){re.escape(key)}(?!\w)", text[max(0, start - 5000) : start + 5000]):
            return None  # the text also writes it in lower case: a common word here
    # person names and longer proper names
    prev, prev_start = _previous_word(text, start)
    if prev:
        prev_key = prev.rstrip(".").casefold()
        if prev_key in rec.lex.person_titles:
            return None
        if (
            not title
            and prev[0].isupper()
            and prev_key not in _FUNCTION_WORDS
            and prev_key not in _DIRECTIONS
            and prev_key not in rec.demonyms
            and not prev.endswith(("'s", "’s", "."))
            and not _sentence_initial_name(text, prev_start, prev_key, rec)
        ):
            return None
    nxt = _next_word(text, end)
    role = "place"
    actor = rec._actor.match(text, end)
    if actor is not None and "\n" not in actor.group(0):
        role = "actor"
    elif nxt and nxt[0].isupper() and not title and single:
        nxt_key = nxt.rstrip(".").casefold()
        if (
            nxt_key not in _FUNCTION_WORDS
            and nxt_key not in _DIRECTIONS
            and not rec.trie.prefixes(folded[end + 1 : end + 1 + MAX_NAME_CHARS])
        ):
            return None  # "Jackson Browne", "Washington Post"
    return Mention(start, end, surface, role)


def _sentence_initial_name(text: str, prev_start: int, prev_key: str, rec: _Recognizer) -> bool:
    """Whether the capitalised word before a match is just capitalised by position.

    "Near Aleppo" at a sentence start: "Near" is a common word that happens to
    be capitalised. A sentence-initial first name ("Boris Johnson said") is not.
    """
    return _sentence_initial(text, prev_start) and (
        prev_key in rec.lex.stop_always or prev_key in rec.lex.stop_initial
    )


_CUE_AFTER = re.compile(r",\s*(?P<name>[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,2})")


def _hierarchy_cue_follows(text: str, end: int, rec: _Recognizer) -> bool:
    """Whether ``, <country or state>`` follows (as in "Nice, France")."""
    m = _CUE_AFTER.match(text, end, min(len(text), end + 60))
    if m is None:
        return False
    words = m.group("name").split(" ")
    return any(rec.is_country(" ".join(words[:n]).rstrip(".,")) for n in range(len(words), 0, -1))


def _unknown_names(
    text: str, mentions: list[Mention], blocked: list[tuple[int, int]], rec: _Recognizer
) -> list[Mention]:
    """Names the gazetteer lacks, recognised from "the village of X" cues."""
    if not any(w in text for w in ("of ",)):
        return []
    taken = [(m.start, m.end) for m in mentions] + blocked
    found: list[Mention] = []
    for m in _UNKNOWN_NAME.finditer(text):
        s, e = m.span("name")
        name = m.group("name")
        # trim trailing function/capitalised common words ("X On", "X The")
        words = name.split(" ")
        while len(words) > 1 and words[-1].casefold() in _FUNCTION_WORDS:
            words.pop()
        name = " ".join(words)
        e = s + len(name)
        if any(a < e and s < b for a, b in taken):
            continue
        key = fold_text(name)
        if key in rec.demonyms or key in rec.lex.stop_always or len(name) < 3:
            continue
        found.append(Mention(s, e, name, "unknown"))
        taken.append((s, e))
    return found
