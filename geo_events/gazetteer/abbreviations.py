"""Abbreviations of place names, as data with their context: "WA" in the US, "KP" in Pakistan.

The table is ``geo_events/data/toponym_abbreviations.csv``, shared with the text
layer (which reads every form but ``postal``); the gazetteer reads it here, at its
own level (layers point down: the gazetteer imports nothing from
``geo_events.text``). Columns: ``abbreviation`` (as written), ``name`` (the
gazetteer name it stands for), ``country`` (ISO2, or empty), ``kind`` (country,
admin1, place, or empty for any) and ``form``:

``common``
    Stands for the place anywhere ("UK", "DRC", "NSW").
``AP``
    An AP-style state abbreviation ("Calif.", "Okla."); also matched whatever its case.
``postal``
    A postal or official code that stands for the place only where its country is
    given ("WA": Washington with country US, Western Australia with AU; neither
    without a country).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["ABBREVIATIONS_FILE", "Abbreviation", "abbreviations_of"]

#: The packaged table.
ABBREVIATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "toponym_abbreviations.csv"
_FORMS = frozenset({"common", "ap", "postal"})


@dataclass(frozen=True, slots=True)
class Abbreviation:
    """One reading of an abbreviation: the name it stands for, where, and in what form."""

    abbreviation: str
    name: str
    country: str
    kind: str
    form: str

    def applies(self, country: str | None) -> bool:
        """Whether this reading holds with ``country`` given (an ISO2 code) or none."""
        if self.form == "postal":
            return country is not None and self.country == country
        return country is None or not self.country or self.country == country

    def describe(self) -> str:
        """``"Washington (US)"``."""
        return f"{self.name} ({self.country})" if self.country else self.name


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[Abbreviation, ...]], dict[str, tuple[Abbreviation, ...]]]:
    """The readings by abbreviation as written, and the AP forms by casefolded spelling."""
    exact: dict[str, list[Abbreviation]] = {}
    folded: dict[str, list[Abbreviation]] = {}
    with ABBREVIATIONS_FILE.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines):
            short = (row.get("abbreviation") or "").strip()
            name = (row.get("name") or "").strip()
            form = (row.get("form") or "common").strip().casefold() or "common"
            if not short or not name or form not in _FORMS:
                continue
            entry = Abbreviation(
                abbreviation=short,
                name=name,
                country=(row.get("country") or "").strip().upper(),
                kind=(row.get("kind") or "").strip().casefold(),
                form=form,
            )
            if entry not in exact.get(short, ()):
                exact.setdefault(short, []).append(entry)
            if form == "ap":
                folded.setdefault(short.casefold(), []).append(entry)
    return (
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in folded.items()},
    )


@lru_cache(maxsize=1)
def _longest() -> int:
    exact, folded = _table()
    return max(map(len, [*exact, *folded]), default=0)


def abbreviations_of(text: str) -> tuple[Abbreviation, ...]:
    """Every reading of ``text`` as an abbreviation (as written; AP forms in any case).

    Examples
    --------
    >>> [a.describe() for a in abbreviations_of("WA")]
    ['Washington (US)', 'Western Australia (AU)']
    >>> abbreviations_of("okla.")[0].name
    'Oklahoma'
    """
    if not isinstance(text, str):
        return ()
    key = text.strip()
    if len(key) > _longest():
        return ()  # a name, not an abbreviation: the common case, answered without the table
    exact, folded = _table()
    return exact.get(key) or folded.get(key.casefold(), ())
