"""The lexicons event extraction runs on: actors, event triggers, reporting verbs.

Each lexicon is a CSV file in ``geo_events/data`` (formats in ``docs/lexicons.md``);
users extend them by passing their own file of the same format, whose rows are
added to (or, with ``replace=True``, replace) the packaged ones. Lines starting
with ``#`` are comments. Files are read once and cached per path.

:class:`Lexicons` bundles the three; :meth:`Lexicons.default` is the packaged set.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from geo_events.errors import InputError

__all__ = [
    "ActorEntry",
    "Lexicons",
    "ReportingVerb",
    "TriggerEntry",
    "load_actor_entries",
    "load_reporting_verbs",
    "load_trigger_entries",
]

PathLike = str | os.PathLike[str]

ACTOR_KINDS = ("actor", "source", "force", "source_force")
STATUSES = ("reported", "claimed", "denied")
ROLES = ("speaker_before", "speaker_after", "cites")


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


def _rows(path: PathLike | None, default: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Read a lexicon CSV (comment lines skipped), checking its header."""
    if path is None:
        text = resources.files("geo_events.data").joinpath(default).read_text(encoding="utf-8")
        name = f"geo_events/data/{default}"
    else:
        p = Path(path)
        if not p.is_file():
            raise InputError(f"lexicon file {str(p)!r} does not exist; pass a CSV file path")
        text = p.read_text(encoding="utf-8-sig")
        name = str(p)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            f"lexicon {name!r} lacks the column(s) {missing}; its header must start with "
            f"{','.join(required)}"
        )
    rows = []
    for row in reader:
        rows.append({(k or "").strip(): (v or "").strip() for k, v in row.items() if k})
    return rows


@lru_cache(maxsize=32)
def _actor_entries(path: str | None) -> tuple[ActorEntry, ...]:
    problems: list[str] = []
    out = []
    for i, row in enumerate(_rows(path, "actors.csv", ("canonical", "alias", "kind")), start=2):
        kind = row.get("kind", "").casefold()
        if not row["canonical"] or not row["alias"]:
            problems.append(f"row {i}: empty canonical name or alias")
            continue
        if kind not in ACTOR_KINDS:
            problems.append(f"row {i}: kind {row['kind']!r} is not one of {ACTOR_KINDS}")
            continue
        out.append(ActorEntry(row["canonical"], row["alias"], kind, row.get("affiliation", "")))
    if problems:
        raise InputError(f"actor dictionary {path or 'actors.csv'}: " + "; ".join(problems))
    return tuple(out)


@lru_cache(maxsize=32)
def _trigger_entries(path: str | None) -> tuple[TriggerEntry, ...]:
    problems: list[str] = []
    out = []
    required = ("pattern", "event_type", "sub_event_type")
    for i, row in enumerate(_rows(path, "event_triggers.csv", required), start=2):
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
                row["pattern"],
                row["event_type"],
                row["sub_event_type"],
                row.get("notes", ""),
                requires,
            )
        )
    if problems:
        raise InputError(f"trigger lexicon {path or 'event_triggers.csv'}: " + "; ".join(problems))
    return tuple(out)


@lru_cache(maxsize=32)
def _verb_entries(path: str | None) -> tuple[ReportingVerb, ...]:
    problems: list[str] = []
    out = []
    for i, row in enumerate(_rows(path, "reporting_verbs.csv", ("verb", "status")), start=2):
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
    if problems:
        raise InputError(f"reporting verbs {path or 'reporting_verbs.csv'}: " + "; ".join(problems))
    return tuple(out)


def _key(path: PathLike | None) -> str | None:
    return None if path is None else str(Path(path).resolve())


def load_actor_entries(path: PathLike | None = None) -> tuple[ActorEntry, ...]:
    """Read an actor dictionary (default: the packaged ``actors.csv``)."""
    return _actor_entries(_key(path))


def load_trigger_entries(path: PathLike | None = None) -> tuple[TriggerEntry, ...]:
    """Read an event-trigger lexicon (default: the packaged ``event_triggers.csv``)."""
    return _trigger_entries(_key(path))


def load_reporting_verbs(path: PathLike | None = None) -> tuple[ReportingVerb, ...]:
    """Read a reporting-verb lexicon (default: the packaged ``reporting_verbs.csv``)."""
    return _verb_entries(_key(path))


@dataclass(frozen=True)
class Lexicons:
    """The three lexicons extraction uses.

    Examples
    --------
    >>> lex = Lexicons.default()
    >>> any(e.alias == "Daesh" for e in lex.actors)
    True
    """

    actors: tuple[ActorEntry, ...]
    triggers: tuple[TriggerEntry, ...]
    reporting_verbs: tuple[ReportingVerb, ...]
    _compiled: dict[object, object] = field(
        default_factory=dict, repr=False, compare=False, hash=False
    )

    @classmethod
    def default(cls) -> Lexicons:
        """The packaged lexicons."""
        return _default_lexicons()

    @classmethod
    def from_files(
        cls,
        *,
        actors: PathLike | None = None,
        triggers: PathLike | None = None,
        reporting_verbs: PathLike | None = None,
        replace: bool = False,
    ) -> Lexicons:
        """Return the packaged lexicons extended (or replaced) by the given files.

        Parameters
        ----------
        actors, triggers, reporting_verbs
            CSV files in the packaged formats (``docs/lexicons.md``); None keeps the packaged one.
        replace
            Use the given files instead of the packaged ones rather than adding to them.
        """
        base = cls.default()

        def pick(user: tuple, packaged: tuple) -> tuple:  # type: ignore[type-arg]
            return user if replace else (*user, *packaged)

        return cls(
            actors=pick(load_actor_entries(actors), base.actors) if actors else base.actors,
            triggers=pick(load_trigger_entries(triggers), base.triggers)
            if triggers
            else base.triggers,
            reporting_verbs=(
                pick(load_reporting_verbs(reporting_verbs), base.reporting_verbs)
                if reporting_verbs
                else base.reporting_verbs
            ),
        )


@lru_cache(maxsize=1)
def _default_lexicons() -> Lexicons:
    return Lexicons(load_actor_entries(), load_trigger_entries(), load_reporting_verbs())
