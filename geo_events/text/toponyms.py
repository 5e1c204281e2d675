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
  Browne", "Washington Post") is dropped; headlines in title case skip this test.
  A capitalised word before the match does not count when it is only
  capitalised by its sentence start ("Though London's total": the text also
  writes "though"); one after it does not count when it is a title ("Atlanta
  Mayor Reed"). Only person evidence (a title before, a first name before)
  spreads to the name's other uses in the text ("Kelly" after "John Kelly"):
  "Toronto Transit Commission" does not make every later "Toronto" a person.
  "<name> said" drops a name only when its best reading is a small place
  ("Kelly said"); "Beijing said" is a metonym, a mention in GeoWebNews' terms;
- short capitals ("US", "UK", "IS"): kept only when the gazetteer's best reading
  is a country or a first-level division, or when they are a listed
  abbreviation (``data/toponym_abbreviations.csv``: "UK", "EU");
- lower-case directions are not part of a name: "eastern Ghouta" reports
  "Ghouta", as the gold sets annotate it (and "south Sudan" is not South Sudan);
- actors: a place followed by an institution or force noun ("US special ops
  forces", "Russia's defense ministry", "US-backed") keeps its span but gets
  ``role="actor"`` — a metonymic mention, a toponym in GeoWebNews' terms, not the
  location of an event.

Names the gazetteer lacks are recognised from their context alone ("the Syrian
town of Khasham", "the village of Al-Tabiya"), so resolution can fall back to
the admin area or country the text names.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo_events.gazetteer.normalize import normalized_key
from geo_events.text._inputs import has_surrogates, replace_surrogates
from geo_events.text.lexicons import Lexicons

if TYPE_CHECKING:
    from geo_events.gazetteer import PlaceLookup

__all__ = ["Mention", "find_mentions", "fold_text"]

#: Longest name looked up, in characters.
MAX_NAME_CHARS = 80
#: Roles a mention can have.
ROLES = ("place", "actor", "unknown", "modifier")


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

#: Arabic articles ("al-Bab", "ash-Shaddadi") and the particles of European names
#: ("Ciudad de México", "Castel di Sangro"), as regex alternations.
_PARTICLE_RE = "al|el|ad|ar|as|ash|at|az|an|ed|es|ez|ul"
_NAME_PARTICLE_RE = "de|del|der|di|da|du|la|le|les|los|las|van|von"
#: Where a name can start: a word whose first letter is not lower case, or an
#: Arabic article before a capital ("al-Bab"); in regex terms the matches of
#: ``(?<![\w'’-])(?:[^\W\d_a-z]|(?:al|ash|...)-(?=[^\W\d_a-z]))`` (non-ASCII lower
#: case is filtered later). A lower-case direction is not part of the name:
#: "eastern Ghouta" names Ghouta (as the gold sets annotate it), and "south Sudan"
#: is not South Sudan. Found fast: a capital (or any non-ASCII character, checked
#: against ``_CAPITAL`` afterwards) whose look-behind comes after it, so the regex
#: engine skips to candidate characters in C (a leading look-behind would not: 4x
#: slower); Arabic articles are looked for only before a hyphen followed by a capital.
_CAP_START = re.compile(r"[A-Z\x80-\U0010ffff](?<![\w'’-].)")
_CAPITAL = re.compile(r"[^\W\d_a-z]")
_HYPHEN_BEFORE_CAP = re.compile(r"-(?=[^\W\d_a-z])")
_ARTICLE_START = re.compile(rf"(?<![\w'’-])(?:{_PARTICLE_RE})-(?=[^\W\d_a-z])")
_ARTICLE = re.compile(rf"(?:{_PARTICLE_RE})-(?=[^\W\d_])")
_SENTENCE_END = set('.!?:;"“”«»([—–•|')
_CUE_NOUNS = (
    "town|village|city|hamlet|settlement|district|subdistrict|area|neighbou?rhood|suburb"
    "|province|governorate|region|camp|oblast|municipality|county|township|commune"
)
_CUE_WORDS = frozenset(
    _CUE_NOUNS.replace("neighbou?rhood", "neighbourhood|neighborhood").split("|")
)
_UNKNOWN_NAME = re.compile(
    r"(?P<name>(?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[^\W\d_a-z][\w'’-]*"
    r"(?:[ -](?:(?:al|el|ad|ar|as|ash|at|az|an)-)?[^\W\d_a-z][\w'’-]*){0,2})"
)


class _Recognizer:
    """Per-gazetteer state: caches of what short capitals and names mean."""

    def __init__(self, gazetteer: PlaceLookup, lexicons: Lexicons) -> None:
        self.gaz = gazetteer
        self.lex = lexicons
        self.demonyms = gazetteer.demonyms
        self._short_ok: dict[str, bool] = {}
        self._country: dict[str, bool] = {}
        self._orgs = _org_automaton(lexicons.organisations)
        self.actor_nouns = frozenset(lexicons.actor_nouns)
        #: the first word of each actor noun: a word that starts none needs no longer look-up
        self.actor_noun_firsts = frozenset(n.split(" ", 1)[0] for n in self.actor_nouns)
        self._top: dict[str, tuple[str, int]] = {}
        self._normalized: dict[str, str] = {}

    def top(self, key: str) -> tuple[str, int]:
        """The kind and population of the gazetteer's best reading of ``key`` (("", 0) when none)."""
        known = self._top.get(key)
        if known is None:
            if len(self._top) > 100_000:
                self._top.clear()
            best = self.gaz.search(key, limit=1, fuzzy=False) if key.strip() else []
            known = (best[0].kind.value, int(best[0].population or 0)) if best else ("", 0)
            self._top[key] = known
        return known

    def normalized_hit(self, surface: str) -> str:
        """The normalized key of ``surface`` if the gazetteer has it (4+ chars), else ""."""
        known = self._normalized.get(surface)
        if known is None:
            if len(self._normalized) > 100_000:
                self._normalized.clear()
            key = normalized_key(surface)
            known = key if key and len(key) >= 4 and self.gaz.has_normalized_key(key) else ""
            self._normalized[surface] = known
        return known

    def top_kind(self, key: str) -> str:
        """The kind of the gazetteer's best reading of ``key`` ("" when none)."""
        return self.top(key)[0]

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


_recognizers: weakref.WeakKeyDictionary[PlaceLookup, dict[int, _Recognizer]] = (
    weakref.WeakKeyDictionary()
)


def _recognizer(gazetteer: PlaceLookup, lexicons: Lexicons) -> _Recognizer:
    per_gaz = _recognizers.setdefault(gazetteer, {})
    rec = per_gaz.get(id(lexicons))
    if rec is None or rec.lex is not lexicons:
        rec = _Recognizer(gazetteer, lexicons)
        per_gaz[id(lexicons)] = rec
    return rec


def _is_boundary(text: str, i: int) -> bool:
    return i >= len(text) or not (text[i].isalnum() or text[i] == "_")


def _sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t'‘\"“(":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END


class _Lines:
    """Which lines of a text are title-case headlines (computed once per line)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None
        self._title: dict[int, bool] = {}
        # the line asked about last, [start, end) and its answer: names come in text order
        self._last = (0, -1, False)

    def is_title(self, pos: int) -> bool:
        a, b, known = self._last
        if a <= pos < b:
            return known
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        i = bisect.bisect_left(self._newlines, pos)
        a = self._newlines[i - 1] + 1 if i > 0 else 0
        b = self._newlines[i] if i < len(self._newlines) else len(self.text)
        cached = self._title.get(i)
        if cached is None:
            cached = self._title[i] = b - a <= 250 and _title_case(self.text[a:b])
        self._last = (a, b, cached)  # (a newline itself, at b, is asked about again)
        return cached


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")


def _title_case(line: str) -> bool:
    if len(line) > 250:  # a paragraph, not a headline
        return False
    words = _TITLE_WORD.findall(line)
    if len(words) < 3:
        return False
    caps = sum(1 for w in words if not w[0].islower())
    return caps >= 0.8 * len(words)


def _word_starts(text: str) -> list[tuple[int, bool]]:
    """``(start, after an article)`` of the places a name can start in ``text``, in order."""
    capital = _CAPITAL.match
    starts = []
    for m in _CAP_START.finditer(text):
        i = m.start()
        if text[i] < "\x80" or capital(text, i) is not None:
            starts.append((i, False))
    if "-" not in text:
        return starts
    articles = []
    article = _ARTICLE_START.match
    for m in _HYPHEN_BEFORE_CAP.finditer(text):
        hyphen = m.start()
        for i in (hyphen - 3, hyphen - 2):  # "ash-", then "al-"
            if i >= 0 and article(text, i) is not None:
                articles.append((i, True))
                break
    if articles:
        starts = sorted(starts + articles)
    return starts


#: Behind these a name is a place, even one the text also uses in a person's or an
#: organisation's name ("Metro Nashville police" ... "stolen in Nashville").
_PLACE_PREPOSITIONS = frozenset(
    ["in", "near", "at", "from", "outside", "across", "around", "into", "towards", "toward"]
)


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
    gazetteer: PlaceLookup | None = None,
    *,
    lexicons: Lexicons | None = None,
    demonyms: bool = False,
    backend: Callable[[str], Iterable[Mention]] | None = None,
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
        packaged ones (:meth:`~geo_events.text.lexicons.Lexicons.from_files` adds yours).
    demonyms
        Also report demonyms ("Syrian", "Russians") as mentions with
        ``role="modifier"`` (GeoWebNews and LGL annotate them as toponyms); off
        by default, since "Syrian forces" locates nothing.
    backend
        An optional NER recognizer (``text -> mentions``, e.g.
        :func:`geo_events.text.ner.spacy_backend`); its mentions are added where
        they overlap no gazetteer mention, organisation name or demonym.

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
    try:
        return _find_mentions(text, gazetteer, lexicons, demonyms, backend)
    except UnicodeEncodeError:  # a lone surrogate cannot be looked up: read it as U+FFFD
        if not has_surrogates(text):
            raise
        # same length: the offsets still point into the caller's text
        return _find_mentions(replace_surrogates(text), gazetteer, lexicons, demonyms, backend)


def _find_mentions(
    text: str,
    gazetteer: PlaceLookup,
    lexicons: Lexicons | None,
    demonyms: bool,
    backend: Callable[[str], Iterable[Mention]] | None,
) -> list[Mention]:
    rec = _recognizer(gazetteer, lexicons or Lexicons.default())
    folded = fold_text(text)
    blocked = _organisation_spans(text, folded, rec)
    mentions: list[Mention] = []
    title_lines = _Lines(text)
    persons: set[str] = set()
    prefixes = rec.gaz.exact_prefixes
    block_i = 0
    pos_min = 0
    for start, after_article in _word_starts(text):
        if start < pos_min:
            continue
        ch = text[start]
        lower_start = ch.islower() or not ch.isalpha()
        if lower_start and not after_article:
            continue  # a non-ASCII lower-case letter
        while block_i < len(blocked) and blocked[block_i][1] <= start:
            block_i += 1
        if block_i < len(blocked) and blocked[block_i][0] <= start:
            pos_min = blocked[block_i][1]
            continue
        if demonyms and not lower_start:
            token = _DEMONYM_TOKEN.match(folded, start)
            if token is not None and token.group(0) in rec.demonyms:
                mentions.append(Mention(start, token.end(), text[start : token.end()], "modifier"))
                pos_min = token.end()
                continue
        spans = _candidate_spans(text, folded, start, rec, prefixes)
        for end, key in spans:
            if block_i < len(blocked) and blocked[block_i][0] < end:
                continue  # runs into an organisation's name
            mention = _judge(text, folded, start, end, key, rec, title_lines, persons)
            if mention is not None:
                mentions.append(mention)
                pos_min = end
            break  # the longest name decides; a shorter one is not a fallback
    if persons:  # one sense per discourse: "Kelly" after "John Kelly" is the person
        mentions = [
            m
            for m in mentions
            if m.role == "modifier"
            or fold_text(m.text) not in persons
            or _hierarchy_cue_follows(text, m.end, rec)
            or _previous_word(text, m.start)[0] in _PLACE_PREPOSITIONS
        ]
    mentions.extend(_route_ends(text, mentions, blocked, rec))
    mentions.extend(_unknown_names(text, mentions, blocked, rec))
    if backend is not None:
        mentions.extend(_backend_mentions(text, backend, mentions, blocked, rec))
    mentions.sort(key=lambda m: m.start)
    return mentions


_MULTI_WORD = re.compile(rf"[^\s]+ (?:[^\W\d_a-z]|(?:{_PARTICLE_RE}|{_NAME_PARTICLE_RE})[ -])")
_NAME_WORD = re.compile(rf"[ ]?((?:(?:{_PARTICLE_RE})-)?[^\W\d_][\w'’.-]*)")
_PARTICLES = frozenset(f"{_PARTICLE_RE}|{_NAME_PARTICLE_RE}".split("|"))
_DEMONYM_TOKEN = re.compile(r"[^\W\d_]+(?=[^\w'’-]|['’]s\b|$)")
_HYPHEN_CAP = re.compile(r"-[^\W\d_a-z]")


def _candidate_spans(
    text: str, folded: str, start: int, rec: _Recognizer, prefixes: Any
) -> list[tuple[int, str]]:
    """Return ``(end, key)`` of the names that start at ``start``, longest first.

    ``key`` is the gazetteer key that matched: an exact key, ``"~"`` + a
    normalized key, or an abbreviation as written.
    """
    found: list[tuple[int, str]] = []
    n_text = len(text)
    keys = prefixes(folded[start : start + MAX_NAME_CHARS])
    for key in reversed(keys):  # longest first; the longest valid one decides
        end = start + len(key)
        if len(key) < 2:
            break
        if key[-1] in " -'’" or (end < n_text and (folded[end].isalnum() or folded[end] == "_")):
            continue
        if end < n_text - 1 and text[end] == "-" and text[end + 1].isupper():
            continue  # "Al" of "Al-Tabiya": part of a hyphenated name
        if " " in key and _lower_last_word(text[start:end]):
            continue  # "Kisumu county": the name is "Kisumu", "county" says what it is
        found.append((end, key))
        break
    # ``found`` holds at most one exact key from here on
    first = _NAME_WORD.match(text, start)
    if first is None:
        return found
    token = first.group(1)
    abbreviations = rec.lex.abbreviations
    if token not in abbreviations:
        token = token.rstrip(",;:")
    if token in abbreviations:
        found.append((start + len(token), token))
        found.sort(key=lambda item: (-item[0], item[1] not in abbreviations))
        return found
    hyphenated = "-" in token and _HYPHEN_CAP.search(token) is not None
    # (bounded: a run of text without spaces must not be scanned again from each word in it)
    if not hyphenated and _MULTI_WORD.match(text, start, start + MAX_NAME_CHARS) is None:
        return found
    # names spelled another way ("Deir Ezzor" for "Deir ez-Zor", "Ar-Raqqah")
    if first.group(1).casefold() in rec.lex.function_words:
        return found  # "A Land", "The IED", "At Mugai": a name does not start so
    words = [first]
    pos = first.end()
    while len(words) < 4:
        if _ends_sentence(words[-1].group(1)):
            break  # "Lamu. The", "Sep. A": a full stop ends the name
        m = _NAME_WORD.match(text, pos)
        if m is None or text[m.start()] != " ":
            break
        word = m.group(1).rstrip(".")
        if word.casefold() in _PARTICLES or not word[0].islower():
            words.append(m)
            pos = m.start(1) + len(word)
        else:
            break
    best_end = found[0][0] if found else start
    for n in range(len(words), 0, -1):
        end = words[n - 1].start(1) + len(words[n - 1].group(1).rstrip(".,;:"))
        if end <= best_end or (n == 1 and not hyphenated):
            break
        if words[n - 1].group(1).rstrip(".").casefold() in _PARTICLES:
            continue
        key = rec.normalized_hit(text[start:end])
        if key:
            return [(end, "~" + key), *found]  # longer than the exact match
    return found


def _ends_sentence(word: str) -> bool:
    """Whether a word ending in a full stop ends its sentence (not "St.", "Mt.", "U.S.")."""
    if not word.endswith("."):
        return False
    stem = word[:-1]
    return len(stem) > 2 and "." not in stem


def _lower_last_word(surface: str) -> bool:
    """Whether the last word of ``surface`` is written in lower case ("Kisumu county")."""
    last = surface.replace("-", " ").rsplit(" ", 1)[-1]
    return last.lower() != last.upper() and last == last.lower()


def _organisation_spans(text: str, folded: str, rec: _Recognizer) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    if not len(rec._orgs):
        return spans
    for end_idx, (length, name) in rec._orgs.iter(folded):
        end = end_idx + 1
        start = end - length
        if (start > 0 and (folded[start - 1].isalnum())) or not _is_boundary(folded, end):
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
    title_lines: _Lines,
    persons: set[str],
) -> Mention | None:
    """Return the mention ``text[start:end]`` if it survives the guards, else None.

    A name rejected as part of a person's name is added to ``persons`` (so
    "Kelly" alone is dropped after "John Kelly").
    """
    surface = text[start:end]
    letters = sum(map(str.isalpha, surface))
    if letters < 2 or key in rec.demonyms or _CONTRACTION.search(key):
        return None
    last_word = surface.replace("-", " ").rsplit(" ", 1)[-1]
    if last_word.lower() != last_word.upper() and last_word == last_word.lower():
        return None  # "New York city": the trie walk stops at a capital-less last word
    abbreviation = key in rec.lex.abbreviations
    single = " " not in key and not key.startswith("~") and not abbreviation
    title = title_lines.is_title(start)
    if abbreviation:
        pass
    elif surface.isupper() and letters <= 4 and not title:
        if rec.top_kind(key) not in ("country", "admin1"):
            return None
    elif key in rec.lex.stop_always:
        if not _hierarchy_cue_follows(text, end, rec):
            return None
    elif single and key in rec.lex.stop_initial and not _hierarchy_cue_follows(text, end, rec):
        if title or _sentence_initial(text, start):
            return None
        if _written(text[max(0, start - 5000) : start + 5000], key, ""):
            return None  # the text also writes it in lower case: a common word here
    if single and _MONTH_DAY.match(text, end) and key.rstrip(".") in _MONTH_ABBREVIATIONS:
        return None  # "Mar 11th", "Sept. 3": a date, not Morocco
    kind = rec.top_kind(key) if single else ""
    # person names and longer proper names
    prev, prev_start = _previous_word(text, start)
    if prev:
        prev_key = prev.rstrip(".").casefold()
        if prev_key in rec.lex.person_titles:
            persons.add(key)
            return None
        if (
            not title
            and prev[0].isupper()
            and prev_key not in rec.lex.function_words
            and prev_key not in rec.lex.directions
            and prev_key not in rec.demonyms
            and not prev.endswith(("'s", "’s", "."))
            and not _sentence_initial_name(text, prev_start, prev_key, rec)
            and kind != "country"
        ):
            if single:
                persons.add(key)
            return None
    role = "place"
    if _actor_follows(text, end, rec):
        role = "actor"
    elif single and not title and kind not in ("country", "admin1"):
        nxt = _next_word(text, end)
        if nxt and nxt[0].isupper():
            nxt_key = nxt.rstrip(".").casefold()
            if (
                nxt_key not in rec.lex.function_words
                and nxt_key not in rec.lex.directions
                and nxt_key not in rec.lex.place_suffixes
                and nxt_key not in rec.lex.person_titles  # "Atlanta Mayor Reed"
                and not nxt.isupper()
            ):
                return None  # "Jackson Browne", "Washington Post"
        elif _SPEECH_AFTER.match(text, end) and rec.top(key)[1] < _METONYM_POPULATION:
            return None  # "Kelly said" (but "Beijing said": a city speaking for its state)
    return Mention(start, end, surface, role)


#: Abbreviated month names, read as a date when a day number follows ("Mar 11th").
_MONTH_ABBREVIATIONS = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
_MONTH_DAY = re.compile(r"\.?\s+\d{1,2}(?:st|nd|rd|th)?\b")

#: Population above which "<place> said" is taken for a metonym ("Beijing said"), not a surname.
_METONYM_POPULATION = 100_000
_CONTRACTION = re.compile(r"['’](?:s|re|ll|ve|d|m|t)$")
_SPEECH_AFTER = re.compile(r",? (?:said|says|told|added|wrote|asked|explained|noted|stated)\b")
_FOLLOW_WORDS = re.compile(r"(?:['’]s\b)?(?:\s*-\s*|\s+)([\w ]{1,60})")


def _actor_follows(text: str, end: int, rec: _Recognizer) -> bool:
    """Whether an institution or force noun follows ("'s defense ministry", " special ops forces")."""
    m = _FOLLOW_WORDS.match(text, end, min(len(text), end + 64))
    if m is None:
        return False
    words = m.group(1).casefold().split()[:5]
    nouns, firsts = rec.actor_nouns, rec.actor_noun_firsts
    for skip in range(3):
        if skip and (len(words) <= skip or words[skip - 1] in rec.lex.function_words):
            return False
        if words and (len(words) <= skip or words[skip] not in firsts):
            continue  # no noun starts with this word: none of the lengths can match
        for length in (3, 2, 1):
            if len(words) >= skip + length and " ".join(words[skip : skip + length]) in nouns:
                return True
    return False


def _sentence_initial_name(text: str, prev_start: int, prev_key: str, rec: _Recognizer) -> bool:
    """Whether the capitalised word before a match is just capitalised by position.

    "Near Aleppo" at a sentence start: "Near" is a common word that happens to
    be capitalised. A sentence-initial first name ("Boris Johnson said") is not.
    """
    if not _sentence_initial(text, prev_start):
        return False
    if prev_key in rec.lex.stop_always or prev_key in rec.lex.stop_initial:
        return True
    # "Though London's total": the text also writes the word in lower case
    window = text[max(0, prev_start - 5000) : prev_start + 5000]
    return _written(window, prev_key, "'’-")


def _written(window: str, word: str, joiners: str) -> bool:
    """Whether ``word`` occurs in ``window`` as a whole word.

    No word character (alphanumeric or "_", as a regex word character) nor one
    of ``joiners`` on either side.

    Plain string search: a regex compiled per call cost more than the search.
    """
    i = window.find(word)
    n = len(word)
    while i >= 0:
        if i:
            c = window[i - 1]
            ok = not (c.isalnum() or c == "_" or c in joiners)
        else:
            ok = True
        if ok:
            j = i + n
            if j >= len(window):
                return True
            c = window[j]
            if not (c.isalnum() or c == "_" or c in joiners):
                return True
        i = window.find(word, i + 1)
    return False


_CUE_AFTER = re.compile(r",\s*(?P<name>[^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,2})")


def _hierarchy_cue_follows(text: str, end: int, rec: _Recognizer) -> bool:
    """Whether ``, <country or state>`` follows (as in "Nice, France")."""
    m = _CUE_AFTER.match(text, end, min(len(text), end + 60))
    if m is None:
        return False
    words = m.group("name").split(" ")
    return any(rec.is_country(" ".join(words[:n]).rstrip(".,")) for n in range(len(words), 0, -1))


def _backend_mentions(
    text: str,
    backend: Callable[[str], Iterable[Mention]],
    mentions: list[Mention],
    blocked: list[tuple[int, int]],
    rec: _Recognizer,
) -> list[Mention]:
    """The backend's mentions that add something, checked against the text."""
    taken = [(m.start, m.end) for m in mentions] + blocked
    extra: list[Mention] = []
    for m in backend(text):
        s, e = int(m.start), int(m.end)
        if not (0 <= s < e <= len(text)) or any(a < e and s < b for a, b in taken):
            continue
        surface = text[s:e]
        if fold_text(surface) in rec.demonyms:
            continue
        extra.append(Mention(s, e, surface, getattr(m, "role", "place")))
        taken.append((s, e))
    return extra


_ROUTE_END = r"[^\W\d_a-z][\w'’]*(?: [^\W\d_a-z][\w'’]*)?"
#: "the Eldoret-Kitale road", "the Lamu - Garissa border": a route named by the
#: places at its ends.
_ROUTE = re.compile(
    rf"(?P<a>{_ROUTE_END}) ?[-–] ?(?P<b>{_ROUTE_END}) (?i:road|highway|border|route|railway|"
    r"corridor|bypass|pipeline|boundary)\b"
)


def _route_ends(
    text: str, mentions: list[Mention], blocked: list[tuple[int, int]], rec: _Recognizer
) -> list[Mention]:
    """The places a route is named by ("Eldoret" and "Kitale" of the Eldoret-Kitale road).

    A hyphenated pair is read as one name first (Al-Tabiya); only when that is no
    name and each end is, exactly, a gazetteer name, are the ends places.
    """
    if "-" not in text and "–" not in text:
        return []
    taken = [(m.start, m.end) for m in mentions] + blocked
    found: list[Mention] = []
    for match in _ROUTE.finditer(text):
        for group in ("a", "b"):
            s, e = match.span(group)
            name = match.group(group)
            if not name[0].isupper() or any(a < e and s < b for a, b in taken):
                continue
            key = fold_text(name)
            if key in rec.demonyms or key in rec.lex.stop_always or not rec.top_kind(key):
                continue
            found.append(Mention(s, e, name, "place"))
            taken.append((s, e))
    return found


def _unknown_names(
    text: str, mentions: list[Mention], blocked: list[tuple[int, int]], rec: _Recognizer
) -> list[Mention]:
    """Names the gazetteer lacks, recognised from "the village of X" cues."""
    taken = [(m.start, m.end) for m in mentions] + blocked
    found: list[Mention] = []
    pos = text.find(" of ")
    while pos >= 0:
        here, pos = pos, text.find(" of ", pos + 4)
        cue_start = text.rfind(" ", max(0, here - 20), here) + 1
        if text[cue_start:here].casefold() not in _CUE_WORDS:
            continue
        m = _UNKNOWN_NAME.match(text, here + 4)
        if m is None:
            continue
        s, e = m.span("name")
        name = m.group("name")
        # trim trailing function/capitalised common words ("X On", "X The")
        words = name.split(" ")
        while len(words) > 1 and words[-1].casefold() in rec.lex.function_words:
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
