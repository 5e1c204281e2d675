"""The word lists toponym recognition leans on, loaded once from ``geo_events/data``.

- ``toponym_stopwords.csv``: common words that are also place names, with a
  policy (``always`` rejected, or ``initial``: rejected only at a sentence start,
  in a title-case headline, or when the text also writes them in lower case);
- ``toponym_organisations.csv``: organisation and armed-group names that contain
  a place name or look like one ("Syrian Democratic Forces", "IS");
- ``toponym_actor_nouns.txt``: nouns that make the place before them an actor
  ("US special ops forces", "Russia's defense ministry");
- ``toponym_person_titles.txt``: titles that make the next capitalised words a
  person's name ("President Jackson");
- ``toponym_abbreviations.csv``: abbreviations that stand for a place ("U.S.",
  "UK", "Calif."), with the name resolution looks up.

Users extend them with files of the same formats through :func:`load_lexicons`.
(Event extraction's lexicons are another module, ``event_lexicons``.)
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geo_events.errors import ValidationError

__all__ = ["Lexicons", "default_lexicons", "load_lexicons"]

#: The package data folder (a plain path: works for editable and wheel installs alike).
_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Lexicons:
    """The recognition word lists (casefolded, except organisation names)."""

    stop_always: frozenset[str]
    stop_initial: frozenset[str]
    organisations: tuple[str, ...]  # as written, longest first
    actor_nouns: tuple[str, ...]  # longest first
    person_titles: frozenset[str]
    abbreviations: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # as written -> (name, cc)


def _package_text(name: str) -> str:
    return (_DATA_DIR / name).read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _lines(text: str) -> list[str]:
    return [
        ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")
    ]


def load_lexicons(
    *,
    extra_stopwords: Sequence[str | os.PathLike[str]] = (),
    extra_organisations: Sequence[str | os.PathLike[str]] = (),
    extra_actor_nouns: Sequence[str | os.PathLike[str]] = (),
    extra_person_titles: Sequence[str | os.PathLike[str]] = (),
    extra_abbreviations: Sequence[str | os.PathLike[str]] = (),
) -> Lexicons:
    """Load the packaged lexicons plus the user's files of the same formats.

    Examples
    --------
    >>> lex = load_lexicons()
    >>> "monday" in lex.stop_always, "Syrian Democratic Forces" in lex.organisations
    (True, True)
    """

    def texts(package: str, extra: Sequence[str | os.PathLike[str]]) -> list[str]:
        return [_package_text(package), *(Path(p).read_text(encoding="utf-8") for p in extra)]

    always: set[str] = set()
    initial: set[str] = set()
    for text in texts("toponym_stopwords.csv", extra_stopwords):
        for row in _rows(text):
            word = row.get("word", "").casefold()
            if word:
                (initial if row.get("policy", "always") == "initial" else always).add(word)
    always -= initial
    orgs: set[str] = set()
    for text in texts("toponym_organisations.csv", extra_organisations):
        orgs.update(row["name"] for row in _rows(text) if row.get("name"))
    nouns: set[str] = set()
    for text in texts("toponym_actor_nouns.txt", extra_actor_nouns):
        nouns.update(ln.casefold() for ln in _lines(text))
    titles: set[str] = set()
    for text in texts("toponym_person_titles.txt", extra_person_titles):
        titles.update(ln.casefold().rstrip(".") for ln in _lines(text))
    abbreviations: dict[str, tuple[str, str]] = {}
    for text in texts("toponym_abbreviations.csv", extra_abbreviations):
        for row in _rows(text):
            short = row.get("abbreviation") or ""
            if short and row.get("name"):
                if short.split() != [short]:
                    raise ValidationError(
                        f"abbreviation {short!r}: abbreviations are looked up one word at a "
                        "time, so one cannot hold white space; add a longer form to the "
                        "gazetteer as an alternate name (a supplement CSV) instead"
                    )
                abbreviations[short] = (row["name"], row.get("country", "").upper())
    return Lexicons(
        stop_always=frozenset(always),
        stop_initial=frozenset(initial),
        organisations=tuple(sorted(orgs, key=lambda s: (-len(s), s))),
        actor_nouns=tuple(sorted(nouns, key=lambda s: (-len(s), s))),
        person_titles=frozenset(titles),
        abbreviations=abbreviations,
    )


@lru_cache(maxsize=1)
def default_lexicons() -> Lexicons:
    """Return the packaged lexicons (loaded once)."""
    return load_lexicons()
