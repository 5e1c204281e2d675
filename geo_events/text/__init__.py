"""The text layer: articles, toponym mentions, their resolution, and event extraction.

Names load on first access, so ``import geo_events.text`` stays cheap.
"""

from __future__ import annotations

from geo_events._lazy import lazy_exports

# public name -> module that defines it
_EXPORTS = {
    "Article": "geo_events.text.article",
    "article_from_text": "geo_events.text.article",
    "parse_dateline": "geo_events.text.article",
    "Mention": "geo_events.text.toponyms",
    "find_mentions": "geo_events.text.toponyms",
    "ResolvedMention": "geo_events.text.resolution",
    "resolve_mentions": "geo_events.text.resolution",
    "geoparse": "geo_events.text.geoparse",
    "load_lexicons": "geo_events.text.toponym_lexicons",
    "Event": "geo_events.text.events",
    "ExtractionResult": "geo_events.text.events",
    "extract_events": "geo_events.text.extract",
    "extract_many": "geo_events.text.extract",
    "merge_events": "geo_events.text.merge",
    "EventLexicons": "geo_events.text.event_lexicons",
}
# exported name -> attribute of its module, where the two differ
_RENAMED = {"EventLexicons": "Lexicons"}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, _RENAMED)
