"""The text layer: articles, toponym mentions, their resolution, and event extraction.

Names load on first access, so ``import geo_events.text`` stays cheap.
``EventLexicons`` and ``load_lexicons`` are deprecated (one release): use
:class:`Lexicons` (``Lexicons.default()``, ``Lexicons.from_files(...)``).
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

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
    "Lexicons": "geo_events.text.lexicons",
    "Event": "geo_events.text.extracted",
    "ExtractionResult": "geo_events.text.extracted",
    "Extractor": "geo_events.text.extract",
    "extract_events": "geo_events.text.extract",
    "extract_many": "geo_events.text.extract",
    "merge_events": "geo_events.text.merge",
}
# deprecated public name -> (module, attribute, what to use instead)
_DEPRECATED = {
    "EventLexicons": ("geo_events.text.lexicons", "Lexicons", "Lexicons"),
    "load_lexicons": ("geo_events.text.toponym_lexicons", "load_lexicons", "Lexicons.from_files"),
}

__all__ = sorted(_EXPORTS)

_lazy_getattr, _lazy_dir = lazy_exports(__name__, globals(), _EXPORTS)


def __getattr__(name: str) -> Any:
    """Resolve a lazy export; a deprecated name warns on every use (it is not cached)."""
    if name in _DEPRECATED:
        module, attribute, instead = _DEPRECATED[name]
        warnings.warn(
            f"geo_events.text.{name} is deprecated and will be removed in the next release; "
            f"use geo_events.text.{instead}",
            DeprecationWarning,
            stacklevel=2,
        )
        with warnings.catch_warnings():  # the old module's own warning would say it twice
            warnings.simplefilter("ignore", DeprecationWarning)
            return getattr(importlib.import_module(module), attribute)
    return _lazy_getattr(name)


def __dir__() -> list[str]:
    return sorted({*_lazy_dir(), *_DEPRECATED})
