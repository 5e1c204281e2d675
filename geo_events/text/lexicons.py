"""Every word list the text layer runs on, in one object with one loader.

Decisions, written down:

- **Data, not code.** Every list lives in ``geo_events/data/`` as a CSV with a
  header or a ``.txt`` with one entry a line (formats in ``docs/lexicons.md``);
  lines whose first non-blank character is ``#`` are comments. Code holds only
  grammar (regular expressions), never vocabulary.
- **One object.** :class:`Lexicons` holds the event lexicons (actors, triggers,
  reporting verbs) and the recognition lists (stop-words, organisations, actor
  nouns, titles, abbreviations, function words, …) alike, so extraction and
  geoparsing are configured by the same value. It is frozen and holds no cache:
  compiled matchers belong to :class:`~geo_events.text.extractor.Extractor`.
- **One extension convention.** :meth:`Lexicons.from_files` takes, per list
  name, a file (or several) of the packaged format, whose entries are added to
  the packaged ones, or replace them with ``replace=True``. Where a user entry
  and a packaged one collide (an alias, an abbreviation) the user's wins, and
  among several user files the later one.
- **Bad rows fail loudly.** Every bad row of a file is reported at once, naming
  the file and its line: an :class:`~geo_events.errors.InputError` (a
  ``ValueError``) for an unreadable file or a bad header or row, a
  :class:`~geo_events.errors.ValidationError` for an abbreviation that cannot
  work (it holds white space).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from geo_events.errors import InputError, ValidationError

__all__ = [
    "LEXICON_FILES",
    "ActorEntry",
    "Lexicons",
    "ReportingVerb",
    "TriggerEntry",
    "data_file",
    "load_actor_entries",
    "load_reporting_verbs",
    "load_trigger_entries",
    "read_table",
    "read_words",
]

PathLike = str | os.PathLike[str]
Sources = PathLike | Sequence[PathLike]

#: The package data folder (a plain path: works for editable and wheel installs alike).
_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

ACTOR_KINDS = ("actor", "source", "force", "source_force")
STATUSES = ("reported", "claimed", "denied")
ROLES = ("speaker_before", "speaker_after", "cites")


# ------------------------------------------------------------------ entries


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One row of the actor dictionary.

    ``kind`` is ``actor`` (a party to events), ``source`` (a body that reports,
    claims or denies), ``force`` or ``source_force`` (fallbacks: ``alias`` is a
    noun that follows a demonym, ``canonical`` a template with ``{country}``).
    ``affiliation`` names the actor a source speaks for ("" when none).
    """

    canonical: str
    alias: str
    kind: str
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One row of the event-trigger lexicon: a regular expression and its ACLED type.

    ``requires="actor"`` keeps an event from the pattern only when an actor is named with it.
    """

    pattern: str
    event_type: str
    sub_event_type: str
    notes: str = ""
    requires: str = ""


@dataclass(frozen=True, slots=True)
class ReportingVerb:
    """One row of the reporting-verb lexicon: a verb (regex) and the status it gives."""

    verb: str
    status: Literal["reported", "claimed", "denied"]
    role: Literal["speaker_before", "speaker_after", "cites"] = "speaker_before"


# ------------------------------------------------------------------ reading files


def data_file(name: str) -> Path:
    """Return the path of the packaged data file ``name`` (e.g. ``"actors.csv"``)."""
    return _DATA_DIR / name


def _content_lines(path: PathLike) -> tuple[str, list[tuple[int, str]]]:
    """The file's name for messages and its non-blank, non-comment lines with their numbers."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"lexicon file {str(p)!r} does not exist; pass a CSV or text file path")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"lexicon file {str(p)!r} cannot be read as UTF-8 text: {exc}") from exc
    name = f"geo_events/data/{p.name}" if p.parent == _DATA_DIR else str(p)
    kept = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    return name, kept


def read_words(path: PathLike) -> list[str]:
    """Read a word list: one entry a line, stripped; blank lines and ``#`` comments skipped.

    Examples
    --------
    >>> "forces" in read_words(data_file("toponym_actor_nouns.txt"))
    True
    """
    return [line.strip() for _, line in _content_lines(path)[1]]


def read_table(path: PathLike, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """Read a CSV table whose header holds ``columns``: ``(line number, row)`` pairs.

    Cells are stripped; a missing cell reads as ""; ``#`` comment lines and blank
    lines are skipped (line numbers still count them, so a message points at the
    line an editor shows).

    Raises
    ------
    InputError
        When the file does not exist or its header lacks one of ``columns``.

    Examples
    --------
    >>> rows = read_table(data_file("toponym_abbreviations.csv"), ["abbreviation", "name"])
    >>> rows[0][1]["abbreviation"], rows[0][1]["name"]
    ('US', 'United States')
    """
    name, kept = _content_lines(path)
    reader = csv.reader(line for _, line in kept)
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            f"lexicon {name!r} lacks the column(s) {missing}; its header must hold "
            f"{','.join(columns)}"
        )
    rows = []
    for cells in reader:
        row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h}
        rows.append((kept[reader.line_num - 1][0], row))
    return rows


def _display(path: PathLike) -> str:
    p = Path(path)
    return f"geo_events/data/{p.name}" if p.resolve().parent == _DATA_DIR else str(p)


def _raise(what: str, path: PathLike, problems: list[str]) -> None:
    if problems:
        raise InputError(f"{what} {_display(path)}: " + "; ".join(problems))


# ------------------------------------------------------------------ the event lexicons


@lru_cache(maxsize=64)
def _actor_entries(path: Path) -> tuple[ActorEntry, ...]:
    problems: list[str] = []
    out = []
    for i, row in read_table(path, ("canonical", "alias", "kind")):
        kind = row.get("kind", "").casefold()
        if not row["canonical"] or not row["alias"]:
            problems.append(f"row {i}: empty canonical name or alias")
            continue
        if kind not in ACTOR_KINDS:
            problems.append(f"row {i}: kind {row['kind']!r} is not one of {ACTOR_KINDS}")
            continue
        out.append(ActorEntry(row["canonical"], row["alias"], kind, row.get("affiliation", "")))
    _raise("actor dictionary", path, problems)
    return tuple(out)


@lru_cache(maxsize=64)
def _trigger_entries(path: Path) -> tuple[TriggerEntry, ...]:
    problems: list[str] = []
    out = []
    for i, row in read_table(path, ("pattern", "event_type", "sub_event_type")):
        try:
            re.compile(row["pattern"])
        except re.error as exc:
            problems.append(
                f"row {i}: pattern {row['pattern']!r} is not a regular expression ({exc})"
            )
            continue
        if not row["pattern"] or not row["event_type"]:
            problems.append(f"row {i}: empty pattern or event_type")
            continue
        requires = (row.get("requires") or "").casefold()
        if requires not in ("", "actor"):
            problems.append(f"row {i}: requires {row['requires']!r} must be empty or 'actor'")
            continue
        out.append(
            TriggerEntry(
                row["pattern"], row["event_type"], row["sub_event_type"], row.get("notes", ""),
                requires,
            )
        )  # fmt: skip
    _raise("trigger lexicon", path, problems)
    return tuple(out)


@lru_cache(maxsize=64)
def _verb_entries(path: Path) -> tuple[ReportingVerb, ...]:
    problems: list[str] = []
    out = []
    for i, row in read_table(path, ("verb", "status")):
        status = row["status"].casefold()
        if status not in STATUSES:
            problems.append(f"row {i}: status {row['status']!r} is not one of {STATUSES}")
            continue
        role = (row.get("role") or "speaker_before").casefold()
        if role not in ROLES:
            problems.append(f"row {i}: role {row['role']!r} is not one of {ROLES}")
            continue
        if not row["verb"]:
            problems.append(f"row {i}: empty verb")
            continue
        try:
            re.compile(row["verb"])
        except re.error as exc:
            problems.append(f"row {i}: verb {row['verb']!r} is not a regular expression ({exc})")
            continue
        out.append(ReportingVerb(row["verb"], status, role))  # type: ignore[arg-type]
    _raise("reporting verbs", path, problems)
    return tuple(out)


def _resolved(path: PathLike | None, default: str) -> Path:
    return data_file(default) if path is None else Path(path).resolve()


def load_actor_entries(path: PathLike | None = None) -> tuple[ActorEntry, ...]:
    """Read an actor dictionary (default: the packaged ``actors.csv``); cached per path."""
    return _actor_entries(_resolved(path, "actors.csv"))


def load_trigger_entries(path: PathLike | None = None) -> tuple[TriggerEntry, ...]:
    """Read an event-trigger lexicon (default: the packaged ``event_triggers.csv``); cached per path."""
    return _trigger_entries(_resolved(path, "event_triggers.csv"))


def load_reporting_verbs(path: PathLike | None = None) -> tuple[ReportingVerb, ...]:
    """Read a reporting-verb lexicon (default: the packaged ``reporting_verbs.csv``); cached per path."""
    return _verb_entries(_resolved(path, "reporting_verbs.csv"))


# ------------------------------------------------------------------ the recognition lists


def _stopwords(paths: Sequence[Path]) -> tuple[frozenset[str], frozenset[str]]:
    always: set[str] = set()
    initial: set[str] = set()
    for path in paths:
        for _, row in read_table(path, ("word",)):
            word = row.get("word", "").casefold()
            if word:
                (initial if (row.get("policy") or "always") == "initial" else always).add(word)
    return frozenset(always - initial), frozenset(initial)


def _organisations(paths: Sequence[Path]) -> tuple[str, ...]:
    names = {row["name"] for p in paths for _, row in read_table(p, ("name",)) if row["name"]}
    return tuple(sorted(names, key=lambda s: (-len(s), s)))


def _abbreviations(paths: Sequence[Path]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for path in paths:
        for i, row in read_table(path, ("abbreviation", "name")):
            short = row["abbreviation"]
            # a postal code ("WA", "KP") names a place only where its country is given:
            # the gazetteer reads those (geo_events.gazetteer.abbreviations), a text does not
            if not (short and row["name"]) or row.get("form", "").casefold() == "postal":
                continue
            if short.split() != [short]:
                raise ValidationError(
                    f"abbreviation {short!r} ({_display(path)}, row {i}): abbreviations are "
                    "looked up one word at a time, so one cannot hold white space; add a longer "
                    "form to the gazetteer as an alternate name (a supplement CSV) instead"
                )
            out[short] = (row["name"], row.get("country", "").upper())
    return out


def _word_set(clean: Callable[[str], str]) -> Callable[[Sequence[Path]], frozenset[str]]:
    def load(paths: Sequence[Path]) -> frozenset[str]:
        return frozenset(w for p in paths for w in map(clean, read_words(p)) if w)

    return load


def _longest_first(paths: Sequence[Path]) -> tuple[str, ...]:
    words = {w.casefold() for p in paths for w in read_words(p)}
    return tuple(sorted(words, key=lambda s: (-len(s), s)))


def _party_nouns(paths: Sequence[Path]) -> tuple[tuple[str, str, str], ...]:
    """Plain nouns for parties: (noun, ACLED actor template, associated-actor template)."""
    rows: dict[str, tuple[str, str, str]] = {}
    for path in paths:  # read last wins: the user's
        for _, row in read_table(path, ("noun", "actor")):
            if row["noun"] and row["actor"]:
                rows[row["noun"].casefold()] = (row["noun"], row["actor"], row.get("assoc", ""))
    return tuple(rows.values())


def _communities(paths: Sequence[Path]) -> tuple[tuple[str, str, str, str], ...]:
    """Communities: (name as written, home ISO2 or "", militia template, group template)."""
    rows: dict[str, tuple[str, str, str, str]] = {}
    for path in paths:
        for _, row in read_table(path, ("name", "country", "actor")):
            if row["name"] and row["actor"]:
                rows[row["name"]] = (
                    row["name"], row["country"].upper(), row["actor"], row.get("group", ""),
                )  # fmt: skip
    return tuple(rows.values())


def _country_spellings(paths: Sequence[Path]) -> dict[str, str]:
    return {
        row["iso2"].upper(): row["name"]
        for p in paths
        for _, row in read_table(p, ("iso2", "name"))
        if row["iso2"] and row["name"]
    }


def _trigger_roles(
    paths: Sequence[Path],
) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """Secondary sub-event types, outcome-word and two-sided-word patterns (regexes, checked)."""
    types: set[str] = set()
    words: list[str] = []
    two_sided: list[str] = []
    for path in paths:
        for i, row in read_table(path, ("kind", "value")):
            if row["kind"] == "sub_event_type":
                types.add(row["value"])
            elif row["kind"] in ("word", "two_sided"):
                try:
                    re.compile(row["value"])
                except re.error as exc:
                    raise InputError(
                        f"{_display(path)}, row {i}: {row['value']!r} is not a regular "
                        f"expression ({exc})"
                    ) from exc
                (words if row["kind"] == "word" else two_sided).append(row["value"])
            else:
                raise InputError(
                    f"{_display(path)}, row {i}: kind {row['kind']!r} is not "
                    "'sub_event_type', 'word' or 'two_sided'"
                )
    return frozenset(types), tuple(words), tuple(two_sided)


def _actors(paths: Sequence[Path]) -> tuple[ActorEntry, ...]:
    return tuple(e for p in paths for e in _actor_entries(p))


def _triggers(paths: Sequence[Path]) -> tuple[TriggerEntry, ...]:
    return tuple(e for p in paths for e in _trigger_entries(p))


def _verbs(paths: Sequence[Path]) -> tuple[ReportingVerb, ...]:
    return tuple(e for p in paths for e in _verb_entries(p))


#: List name (a :meth:`Lexicons.from_files` keyword) → its packaged file.
LEXICON_FILES: dict[str, str] = {
    "actors": "actors.csv",
    "triggers": "event_triggers.csv",
    "reporting_verbs": "reporting_verbs.csv",
    "stopwords": "toponym_stopwords.csv",
    "organisations": "toponym_organisations.csv",
    "actor_nouns": "toponym_actor_nouns.txt",
    "person_titles": "toponym_person_titles.txt",
    "abbreviations": "toponym_abbreviations.csv",
    "function_words": "toponym_function_words.txt",
    "directions": "toponym_directions.txt",
    "place_suffixes": "toponym_place_suffixes.txt",
    "sentence_abbreviations": "sentence_abbreviations.txt",
    "english_words": "english_function_words.txt",
    "speaker_stop_words": "speaker_stop_words.txt",
    "countries_with_the": "countries_with_the.txt",
    "party_nouns": "actor_nouns.csv",
    "communities": "actor_communities.csv",
    "country_spellings": "acled_country_names.csv",
    "trigger_roles": "trigger_roles.csv",
    "settlement_nouns": "settlement_nouns.txt",
    "unknown_place_stopwords": "unknown_place_stopwords.txt",
    "perpetrator_nouns": "perpetrator_nouns.txt",
    "foreign_words": "foreign_function_words.txt",
    "violence_words": "violence_words.txt",
}

_casefold = str.casefold

#: List name → how its files (packaged first, then the user's) become field values.
_READERS: dict[str, Callable[[Sequence[Path]], Any]] = {
    # user rows first: where an alias is in both, the first one read (the user's) wins
    "actors": lambda paths: _actors(paths[::-1]),
    "triggers": lambda paths: _triggers(paths[::-1]),
    "reporting_verbs": lambda paths: _verbs(paths[::-1]),
    "stopwords": _stopwords,
    "organisations": _organisations,
    "actor_nouns": _longest_first,
    "person_titles": _word_set(lambda w: w.casefold().rstrip(".")),
    "abbreviations": _abbreviations,  # read last wins: the user's
    "function_words": _word_set(_casefold),
    "directions": _word_set(_casefold),
    "place_suffixes": _word_set(_casefold),
    "sentence_abbreviations": _word_set(_casefold),
    "english_words": _word_set(_casefold),
    "speaker_stop_words": _word_set(_casefold),
    "countries_with_the": _word_set(_casefold),
    "party_nouns": _party_nouns,
    "communities": _communities,
    "country_spellings": _country_spellings,
    "trigger_roles": _trigger_roles,
    "settlement_nouns": _longest_first,
    "unknown_place_stopwords": _word_set(_casefold),
    "perpetrator_nouns": _word_set(_casefold),
    "foreign_words": _word_set(_casefold),
    "violence_words": _word_set(_casefold),
}


# ------------------------------------------------------------------ the bundle


@dataclass(frozen=True, eq=False)
class Lexicons:
    """Every word list of the text layer (casefolded, except names and patterns).

    Compared by identity (it holds a dict); build one with :meth:`default` or
    :meth:`from_files` rather than field by field.

    Attributes
    ----------
    actors, triggers, reporting_verbs
        The event lexicons (``actors.csv``, ``event_triggers.csv``, ``reporting_verbs.csv``).
    stop_always, stop_initial
        Words that are also place names: never a place, or not at a sentence start
        (``toponym_stopwords.csv``).
    organisations
        Names that hold a place name, as written, longest first (``toponym_organisations.csv``).
    actor_nouns
        Nouns that make the place before them an actor, longest first.
    person_titles
        Titles before a person's name, without a final full stop.
    abbreviations
        Abbreviation as written → (the name it stands for, ISO2 or "").
    function_words, directions, place_suffixes
        What may stand next to a place name without joining it to another name.
    sentence_abbreviations
        Abbreviations whose full stop ends no sentence (``split_sentences``).
    english_words, foreign_words
        The function words of the language check (``text_problem``): English ones,
        and other Latin-script languages' ones, which telegraphic English lacks.
    speaker_stop_words
        Sentence-start words that are no part of a speaker's name.
    countries_with_the
        Country names that take "the" in an actor name.
    party_nouns
        Plain nouns for parties the text describes ("gunmen", "residents"): (noun,
        ACLED actor template, associated-actor template) (``actor_nouns.csv``).
    communities
        Communities ACLED names militias after: (name, home ISO2 or "", militia
        template, group template) (``actor_communities.csv``).
    country_spellings
        ISO2 → the country's name in ACLED's actor names, where GeoNames differs.
    trigger_roles
        The sub-event types and outcome words (regexes) that are no event of their
        own in a sentence with another trigger, and the words that say both sides
        fought (``trigger_roles.csv``).
    settlement_nouns, unknown_place_stopwords
        What marks an unknown name as a place ("X village"), and the capitalised
        words that never are one (``geo_events.text.unknown_places``).
    violence_words
        Words that make a death in a sentence violence ("shot", "stabb*": a final
        ``*`` is any ending), so an outcome word there is an event.
    perpetrator_nouns
        Plain person nouns that, as attackers, are an unidentified armed group
        ("three men attacked …"), not a mob.

    Examples
    --------
    >>> lex = Lexicons.default()
    >>> any(e.alias == "Daesh" for e in lex.actors), "monday" in lex.stop_always
    (True, True)
    """

    actors: tuple[ActorEntry, ...]
    triggers: tuple[TriggerEntry, ...]
    reporting_verbs: tuple[ReportingVerb, ...]
    stop_always: frozenset[str]
    stop_initial: frozenset[str]
    organisations: tuple[str, ...]
    actor_nouns: tuple[str, ...]
    person_titles: frozenset[str]
    abbreviations: dict[str, tuple[str, str]]
    function_words: frozenset[str]
    directions: frozenset[str]
    place_suffixes: frozenset[str]
    sentence_abbreviations: frozenset[str]
    english_words: frozenset[str]
    speaker_stop_words: frozenset[str]
    countries_with_the: frozenset[str]
    party_nouns: tuple[tuple[str, str, str], ...]
    communities: tuple[tuple[str, str, str, str], ...]
    country_spellings: dict[str, str]
    trigger_roles: tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]
    settlement_nouns: tuple[str, ...]
    unknown_place_stopwords: frozenset[str]
    perpetrator_nouns: frozenset[str]
    foreign_words: frozenset[str]
    violence_words: frozenset[str]

    @classmethod
    def default(cls) -> Lexicons:
        """The packaged lexicons (read once)."""
        return _default_lexicons()

    @classmethod
    def from_files(cls, *, replace: bool = False, **files: Sources | None) -> Lexicons:
        r"""Return the packaged lexicons extended (or replaced) by the given files.

        Parameters
        ----------
        replace
            Use the given files instead of the packaged ones of the same lists,
            rather than adding to them (lists not given stay packaged).
        **files
            List name → a file, or a sequence of files, of that list's packaged
            format (``docs/lexicons.md``); the names are the keys of
            :data:`LEXICON_FILES` (``actors``, ``triggers``, ``reporting_verbs``,
            ``stopwords``, ``organisations``, ``abbreviations``, …). None or an
            empty sequence keeps the packaged list.

        Raises
        ------
        InputError
            For an unknown list name, a missing file, or bad rows (all named).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> mine = pathlib.Path(tempfile.mkdtemp()) / "actors.csv"
        >>> _ = mine.write_text("canonical,alias,kind\nWagner Group,Wagner,actor\n")
        >>> lex = Lexicons.from_files(actors=mine)
        >>> lex.actors[0].canonical, len(lex.actors) > 1
        ('Wagner Group', True)
        """
        unknown = sorted(set(files) - set(LEXICON_FILES))
        if unknown:
            raise InputError(
                f"unknown lexicon name(s) {unknown}; valid names: {', '.join(LEXICON_FILES)}"
            )
        return _build(files, replace)


def _paths(sources: Sources | None) -> list[Path]:
    if sources is None:
        return []
    if isinstance(sources, (str, os.PathLike)):
        return [Path(sources)]
    return [Path(s) for s in sources]


def _build(files: dict[str, Sources | None], replace: bool) -> Lexicons:
    values: dict[str, Any] = {}
    for name, packaged in LEXICON_FILES.items():
        user = _paths(files.get(name))
        paths = user if (user and replace) else [data_file(packaged), *user]
        got = _READERS[name]([p if p.parent == _DATA_DIR else p.resolve() for p in paths])
        if name == "stopwords":
            values["stop_always"], values["stop_initial"] = got
        else:
            values[name] = got
    return Lexicons(**values)


@lru_cache(maxsize=1)
def _default_lexicons() -> Lexicons:
    return _build({}, replace=False)
