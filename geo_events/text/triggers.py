"""Event triggers: the words that say something happened, and their ACLED type.

The lexicon (``geo_events/data/event_triggers.csv``) pairs a regular expression
with an ACLED event type and sub-event type. All patterns run as one alternation
over the whole text; where several match at one place the longest wins
("missile strike" is a missile attack, not an air strike).

A trigger is *negated* when its clause denies it happened ("recorded no armed
clashes", "there are no signs of air bombs") and *hypothetical* when it is only
threatened or possible ("vowed to strike", "could attack"); extraction skips both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geo_events.text._anchors import AnchorIndex, fold
from geo_events.text.lexicons import Lexicons, TriggerEntry

__all__ = ["TriggerMatch", "TriggerMatcher", "trigger_matcher"]

_CLAUSE_BREAK = re.compile(r"[,;:“”\"()\n.!?]|\b(?:but|while|whereas|although|which|who)\b")
_NEGATOR_NEAR = re.compile(
    r"(?:\b(?:no|not|never|without|neither|nor|none|nobody|nothing)\b|n['’]t\b)(?:\W+\w+){0,4}\W*$",
    re.I,
)
_NEGATOR_CLAUSE = re.compile(r"\bthere\s+(?:is|are|was|were|have\s+been|has\s+been)\s+no\b", re.I)
_HYPOTHETICAL = re.compile(
    r"\b(?:will|would|could|might|may|threaten(?:s|ed)?\s+to|vow(?:s|ed)?\s+to|plan(?:s|ned)?\s+to|"
    r"intend(?:s|ed)?\s+to|warn(?:s|ed)?\s+of|threat\s+of|risk\s+of|fear(?:s|ed)?\s+of)"
    r"(?:\s+\w+)?\s*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    """A trigger found in text: its span, ACLED type, and whether it is negated or hypothetical."""

    start: int
    end: int
    text: str
    event_type: str
    sub_event_type: str
    negated: bool = False
    hypothetical: bool = False
    requires: str = ""

    @property
    def asserted(self) -> bool:
        """True when the text says the event happened (neither negated nor hypothetical)."""
        return not (self.negated or self.hypothetical)


def _clause_before(text: str, start: int, limit: int = 160) -> str:
    window = text[max(0, start - limit) : start]
    last = None
    for last in _CLAUSE_BREAK.finditer(window):  # noqa: B007 - we want the last one
        pass
    return window[last.end() :] if last is not None else window


class TriggerMatcher:
    """Find event triggers in text.

    Examples
    --------
    >>> from geo_events.text.lexicons import Lexicons
    >>> m = TriggerMatcher(Lexicons.default().triggers)
    >>> [(t.text, t.sub_event_type) for t in m.find("A missile strike hit the town.")]
    [('missile strike', 'Shelling/artillery/missile attack')]
    >>> m.find("Monitors recorded no armed clashes.")[0].negated
    True
    """

    def __init__(self, entries: Iterable[TriggerEntry]) -> None:
        self.entries = tuple(entries)
        self._index = AnchorIndex([e.pattern for e in self.entries])

    @property
    def keywords(self) -> dict[str, tuple[int, tuple[int, ...]]]:
        """The literal prefixes of the patterns, for a shared :class:`~geo_events.text._anchors.KeywordScan`."""
        return self._index.keywords

    def find(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        folded: str | None = None,
        hits: Sequence[tuple[int, tuple[int, tuple[int, ...]]]] | None = None,
    ) -> list[TriggerMatch]:
        """Return the triggers in ``text[start:end]`` in order, longest where they overlap.

        ``folded`` is :func:`geo_events.text._anchors.fold` of ``text``, when the caller has it;
        ``hits`` the :attr:`keywords` a shared scan found in it.
        """
        folded = fold(text) if folded is None else folded
        out: list[TriggerMatch] = []
        for pos, stop, i in self._index.longest(text, folded, start, end, hits=hits):
            entry = self.entries[i]
            clause = _clause_before(text, pos)
            negated = bool(_NEGATOR_NEAR.search(clause) or _NEGATOR_CLAUSE.search(clause))
            hypothetical = bool(_HYPOTHETICAL.search(clause))
            out.append(
                TriggerMatch(
                    pos,
                    stop,
                    text[pos:stop],
                    entry.event_type,
                    entry.sub_event_type,
                    negated,
                    hypothetical,
                    entry.requires,
                )
            )
        return out


def trigger_matcher(lexicons: Lexicons | None = None) -> TriggerMatcher:
    """Compile a :class:`TriggerMatcher` for a set of lexicons (default the packaged ones).

    Nothing is cached: an :class:`~geo_events.text.extractor.Extractor` compiles
    its matchers once and keeps them.
    """
    return TriggerMatcher((lexicons or Lexicons.default()).triggers)
