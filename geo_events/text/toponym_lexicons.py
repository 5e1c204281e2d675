"""Deprecated: the recognition word lists moved to :mod:`geo_events.text.lexicons`.

This module keeps the old import path working for one release; it will be removed.
``load_lexicons(extra_stopwords=[...], ...)`` is now
``Lexicons.from_files(stopwords=[...], ...)``, and ``default_lexicons()`` is
``Lexicons.default()``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

from geo_events.text.lexicons import Lexicons

__all__ = ["Lexicons", "default_lexicons", "load_lexicons"]

warnings.warn(
    "geo_events.text.toponym_lexicons is deprecated and will be removed in the next release; "
    "use geo_events.text.lexicons.Lexicons.default() / Lexicons.from_files() instead",
    DeprecationWarning,
    stacklevel=2,
)


def load_lexicons(
    *,
    extra_stopwords: Sequence[str | os.PathLike[str]] = (),
    extra_organisations: Sequence[str | os.PathLike[str]] = (),
    extra_actor_nouns: Sequence[str | os.PathLike[str]] = (),
    extra_person_titles: Sequence[str | os.PathLike[str]] = (),
    extra_abbreviations: Sequence[str | os.PathLike[str]] = (),
) -> Lexicons:
    """Deprecated: ``Lexicons.from_files(stopwords=..., organisations=..., ...)``."""
    return Lexicons.from_files(
        stopwords=extra_stopwords,
        organisations=extra_organisations,
        actor_nouns=extra_actor_nouns,
        person_titles=extra_person_titles,
        abbreviations=extra_abbreviations,
    )


def default_lexicons() -> Lexicons:
    """Deprecated: :meth:`Lexicons.default`."""
    return Lexicons.default()
