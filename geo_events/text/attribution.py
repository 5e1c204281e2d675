"""Who says so: reporters, citing chains, claim status and deniers.

Reporting verbs come from ``geo_events/data/reporting_verbs.csv``: each gives a
status (``reported``, ``claimed``, ``denied``) and a role that says where its
speaker stands ("X said", "according to X", "citing X").

An :class:`AttributionTracker` reads an article's sentences in order and
remembers who spoke last and which named people speak for which body, so that
"he said", "the spokesman said" and "Konashenkov said" resolve to the ministry a
spokesman was introduced with ("the defence ministry denied …, spokesman Igor
Konashenkov said"). For each event trigger it then decides:

- ``denied`` when a denial verb precedes the trigger in its sentence ("X denied
  reports that …", "X denies striking …"); ``denied_by`` is X;
- ``claimed`` when a claim verb precedes it, or when the speaker speaks for the
  event's first actor (a ministry quoted on its own forces' strikes);
- ``reported`` otherwise, with ``reported_by`` the chain of who reports and through
  whom ("Reuters citing SDF: Syrian Democratic Forces").

The article's outlet is not part of the chain: it is the event's ``source``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo_events.text._anchors import AnchorIndex, fold
from geo_events.text.actors import ActorMatcher, EntityMatch
from geo_events.text.lexicons import Lexicons, ReportingVerb

__all__ = ["Attribution", "AttributionTracker", "Speaker", "VerbHit", "VerbMatcher", "verb_matcher"]

_FILLER = re.compile(
    r"(?:\s+(?:has|have|had|also|later|earlier|again|officially|repeatedly|reportedly|was|were"
    r"|is|are|on\s+\w+|\w+ly))*\s*$",
    re.I,
)
_PERSON_PRONOUN = re.compile(r"(?:^|\s)(?:he|she)\s*$", re.I)
_PRONOUN = re.compile(r"(?:^|\s)(?:they|it)\s*$", re.I)
_GENERIC_PERSON = re.compile(
    r"(?:^|\s)(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}(?:spokes(?:man|woman|person)|official|"
    r"general|minister|commander|representative|envoy|colonel|major|officer)\s*$",
    re.I,
)
_GENERIC = re.compile(
    r"(?:^|\s)(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}(?:officials|ministry|statement|military|"
    r"army|agency|source|sources|monitor|group|government)\s*$",
    re.I,
)
_TITLES = (
    r"spokes(?:man|woman|person)|official|general|gen\.|minister|commander|head|chief|"
    r"representative|envoy|ambassador|colonel|col\.|major|lieutenant|lt\.|president|governor|director"
)
_NAME = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]+)\s*$")
_TITLED_NAME = re.compile(
    rf"(?:\b(?:{_TITLES})\s+)(?-i:((?:[A-Z][\w'’.-]*\s+){{0,3}}[A-Z][\w'’-]+))\s*$", re.I
)
_NAME_AFTER = re.compile(r"^\s*(?:the\s+)?((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]+)")
_CLAUSE_MARK = re.compile(r"[,;:“”\"(\n]")


@dataclass(frozen=True, slots=True)
class Speaker:
    """Someone who says something: the name to report, and the actor they speak for ("" unknown)."""

    name: str
    affiliation: str = ""


@dataclass(frozen=True, slots=True)
class VerbHit:
    """A reporting verb in a sentence with its resolved speaker (and cited source, for "citing")."""

    start: int
    end: int
    text: str
    status: str
    role: str
    speaker: Speaker | None


@dataclass(frozen=True, slots=True)
class Attribution:
    """What the text says about one event's reporting.

    ``reported_by`` is the chain inside the article ("Reuters citing SDF"),
    ``denied_by`` who denies it, ``claimant_affiliation`` the actor the speaker
    speaks for (how a claim is recognised).
    """

    status: str = "reported"
    reported_by: str | None = None
    denied_by: str | None = None
    speaker_affiliation: str = ""


class VerbMatcher:
    """Find reporting verbs in text (compiled once; reuse it across articles)."""

    def __init__(self, verbs: Sequence[ReportingVerb]) -> None:
        self.verbs = tuple(verbs)
        self._index = AnchorIndex([v.verb for v in self.verbs])

    @property
    def keywords(self) -> dict[str, tuple[int, tuple[int, ...]]]:
        """The literal prefixes of the verbs, for a shared :class:`~geo_events.text._anchors.KeywordScan`."""
        return self._index.keywords

    def find(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        folded: str | None = None,
        hits: Sequence[tuple[int, tuple[int, tuple[int, ...]]]] | None = None,
    ) -> list[tuple[int, int, ReportingVerb]]:
        """The reporting verbs in ``text[start:end]``: ``(start, end, verb)``, longest where they overlap.

        ``hits``: the :attr:`keywords` a shared scan found in ``folded``, when the caller has them.
        """
        folded = fold(text) if folded is None else folded
        found = self._index.longest(text, folded, start, end, hits=hits)
        return [(s, e, self.verbs[i]) for s, e, i in found]


def verb_matcher(lexicons: Lexicons | None = None) -> VerbMatcher:
    """Compile a :class:`VerbMatcher` for a set of lexicons (default the packaged ones).

    Nothing is cached: an :class:`~geo_events.text.extractor.Extractor` compiles
    its matchers once and keeps them.
    """
    return VerbMatcher((lexicons or Lexicons.default()).reporting_verbs)


def _clause_start(text: str, lo: int, pos: int) -> int:
    last = lo
    for m in _CLAUSE_MARK.finditer(text, lo, pos):
        last = m.end()
    return last


class AttributionTracker:
    """Reads one article's sentences in order and attributes its events.

    Parameters
    ----------
    actors
        The actor matcher (to name countries that speak: "Russia denies" → Russia,
        speaking for Military Forces of Russia).
    lexicons
        Where the reporting verbs and the words that are no part of a speaker's
        name come from; default the packaged ones.
    verbs
        The reporting-verb matcher, when the caller compiled it already (an
        extractor reads many articles with one); default: compiled from ``lexicons``.
    """

    def __init__(
        self,
        actors: ActorMatcher,
        lexicons: Lexicons | None = None,
        *,
        verbs: VerbMatcher | None = None,
    ) -> None:
        lexicons = lexicons or Lexicons.default()
        self.actors = actors
        self.verbs = verbs if verbs is not None else verb_matcher(lexicons)
        self._stop_names = lexicons.speaker_stop_words
        self.last: Speaker | None = None
        self.last_person: Speaker | None = None
        self.people: dict[str, Speaker] = {}

    # ----------------------------------------------------------- speakers

    def _entity_speaker(self, e: EntityMatch) -> Speaker:
        return Speaker(e.canonical, e.affiliation)

    def _name_speaker(self, name: str) -> Speaker | None:
        words = name.split()
        while words and words[0].casefold().strip(".") in self._stop_names:
            words = words[1:]
        if not words:
            return None
        name = " ".join(words)
        known = self.people.get(name) or self.people.get(words[-1])
        if known is not None:
            self.last_person = known
            return known
        actor = self.actors.country_actor(name)
        return Speaker(name, actor or "")

    def _left(
        self, text: str, lo: int, pos: int, entities: Sequence[EntityMatch]
    ) -> tuple[Speaker | None, str | None]:
        """Speaker ending just before ``pos``; and the person's name when it is a titled person."""
        # a speaker is named within a few words of its verb: look at most 100 characters back
        cs = _clause_start(text, max(lo, pos - 100), pos)
        window = text[cs:pos]
        filler = _FILLER.search(window)
        core_end = cs + (filler.start() if filler else len(window))
        for e in reversed(entities):
            if e.end <= core_end and e.end >= core_end - 1 and e.start >= cs:
                return self._entity_speaker(e), None
        core = text[cs:core_end]
        if _PERSON_PRONOUN.search(core) or _GENERIC_PERSON.search(core):
            return self.last_person or self.last, None
        if _PRONOUN.search(core) or _GENERIC.search(core):
            return self.last, None
        titled = _TITLED_NAME.search(core)
        if titled:
            name = titled.group(1).strip()
            known = self._name_speaker(name)
            return known, name
        named = _NAME.search(core)
        if named:
            return self._name_speaker(named.group(1).strip()), None
        return None, None

    def _right(
        self, text: str, pos: int, hi: int, entities: Sequence[EntityMatch]
    ) -> Speaker | None:
        window_end = min(hi, pos + 80)
        stripped = pos + len(text[pos:window_end]) - len(text[pos:window_end].lstrip())
        for e in entities:
            if stripped <= e.start <= stripped + 5:
                return self._entity_speaker(e)
        rest = text[pos:window_end]
        head = " " + rest.split(",")[0].split(".")[0].strip()
        if _GENERIC_PERSON.search(head) and (self.last_person or self.last):
            return self.last_person or self.last
        if _GENERIC.search(head) and self.last:
            return self.last
        named = _NAME_AFTER.match(rest)
        if named:
            return self._name_speaker(named.group(1).strip())
        return None

    # ----------------------------------------------------------- sentences

    def read_sentence(
        self,
        text: str,
        start: int,
        end: int,
        entities: Sequence[EntityMatch],
        verbs: Sequence[tuple[int, int, ReportingVerb]] | None = None,
    ) -> list[VerbHit]:
        """Find the reporting verbs of ``text[start:end]`` and their speakers; remember who spoke.

        ``entities`` are the actors and sources found in the sentence; ``verbs``
        the reporting verbs in it, when the caller found them for the whole text.
        """
        hits: list[VerbHit] = []
        people: list[str] = []
        if verbs is None:
            verbs = self.verbs.find(text, start, end)
        for vs, ve, verb in verbs:
            if verb.role in ("speaker_after", "cites"):
                speaker = self._right(text, ve, end, entities)
            else:
                speaker, person = self._left(text, start, vs, entities)
                if person is not None:
                    people.append(person)
                if speaker is None and not re.match(r"\s*that\b", text[ve:end]):
                    speaker = self._right(text, ve, end, entities)
            hits.append(VerbHit(vs, ve, text[vs:ve], verb.status, verb.role, speaker))
        # Titled people speak for the body named with them in the sentence (or the last one).
        bodies = [h.speaker for h in hits if h.speaker is not None and h.speaker.affiliation]
        for person in people:
            body = bodies[0] if bodies else self.last
            if body is not None:
                self.people[person] = body
                self.people[person.split()[-1]] = body
                self.last_person = body
        resolved = [h for h in hits if h.speaker is not None and h.role != "cites"]
        if resolved:
            self.last = self._finalize(resolved[-1].speaker)  # type: ignore[arg-type]
        return [
            VerbHit(
                h.start,
                h.end,
                h.text,
                h.status,
                h.role,
                self._finalize(h.speaker) if h.speaker else None,
            )
            for h in hits
        ]

    def _finalize(self, speaker: Speaker) -> Speaker:
        known = self.people.get(speaker.name)
        return known if known is not None else speaker

    # ----------------------------------------------------------- events

    def attribute(
        self, hits: Sequence[VerbHit], trigger_start: int, actor1: str | None
    ) -> Attribution:
        """Attribute the event whose trigger starts at ``trigger_start`` in a sentence with ``hits``."""
        before = [h for h in hits if h.end <= trigger_start]
        denial = next((h for h in reversed(before) if h.status == "denied"), None)
        claim = next((h for h in reversed(before) if h.status == "claimed"), None)
        reporters = [h for h in hits if h.status == "reported" and h.role != "cites"]
        cites = [h for h in hits if h.role == "cites" and h.speaker is not None]
        spoken = [h for h in reporters if h.speaker is not None] or reporters
        reporter = min(spoken, key=lambda h: abs(h.start - trigger_start), default=None)
        chain: str | None = None
        affiliation = ""
        if reporter is not None and reporter.speaker is not None:
            chain = reporter.speaker.name
            affiliation = reporter.speaker.affiliation
        if cites:
            cited = cites[0].speaker
            assert cited is not None
            chain = f"{chain} citing {cited.name}" if chain else f"citing {cited.name}"
            affiliation = cited.affiliation
        if denial is not None:
            denier = denial.speaker
            reported_by = chain if cites or (chain and denier and chain != denier.name) else None
            return Attribution(
                "denied",
                reported_by,
                denier.name if denier else "unknown",
                denier.affiliation if denier else "",
            )
        if claim is not None and claim.speaker is not None:
            return Attribution("claimed", claim.speaker.name, None, claim.speaker.affiliation)
        if claim is not None:
            return Attribution("claimed", chain, None, affiliation)
        status = "claimed" if actor1 and affiliation and affiliation == actor1 else "reported"
        return Attribution(status, chain, None, affiliation)
