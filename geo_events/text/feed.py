"""What a stream of articles tells beyond each article: the country it is about.

Also the result an unreadable entry of a stream becomes (it has no article to extract).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from geo_events.text._inputs import printable
from geo_events.text.extracted import ExtractionResult

__all__ = ["FeedCountry", "unreadable_result"]


class FeedCountry:
    """The country a feed is about, learnt from the events it has placed so far.

    A feed of one country's news (an ACLED country export, a local outlet) often
    leaves the country unsaid; once at least ``least`` of its placed events are
    placed, and ``share`` of them in one country, that country names the actors of
    events whose text names none. A mixed feed never reaches the share.
    """

    def __init__(self, least: int = 5, share: float = 0.6) -> None:
        self.counts: Counter[str] = Counter()
        self.least, self.share = least, share

    def add(self, result: ExtractionResult) -> None:
        """Count the places of a result's events placed at a town or a district."""
        for event in result.events:
            if event.country_code and event.geo_precision in (1, 2):
                self.counts[event.country_code] += 1

    @property
    def country(self) -> str:
        """The feed's country so far, as an ISO2 code ("" while there is none)."""
        total = sum(self.counts.values())
        if total < self.least:
            return ""
        code, count = self.counts.most_common(1)[0]
        return code if count >= self.share * total else ""


def unreadable_result(item: Any, n: int) -> ExtractionResult:
    """The result of an input that is no article (an error record), ``n`` its position."""
    ident = str(getattr(item, "path", None) or getattr(item, "id", None) or f"#{n}")
    reason = getattr(item, "reason", None) or f"not an article ({type(item).__name__})"
    return ExtractionResult(printable(ident), (), f"unreadable article: {printable(str(reason))}")
