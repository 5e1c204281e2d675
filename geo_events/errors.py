"""The exceptions geo_events raises.

One root, :class:`GeoEventsError`, so callers can catch everything the package
raises on purpose; each specific error also subclasses the builtin it resembles
(a bad argument is a ``ValueError``, a missing file a ``FileNotFoundError``), so
callers can catch it the way they already do. Messages name the input and the fix.
"""

from __future__ import annotations


class GeoEventsError(Exception):
    """Root of every error geo_events raises on purpose."""


class GazetteerError(GeoEventsError):
    """The gazetteer could not be built, opened or queried."""


class GazetteerQueryError(GazetteerError, ValueError):
    """A gazetteer query got an option it cannot use (``near=``, ``kinds=``, ``limit=``...)."""


class GazetteerSourceError(GazetteerError, FileNotFoundError):
    """A gazetteer source (package or file) is missing or unreadable."""


class IndexCorruptError(GazetteerError):
    """A built gazetteer index failed its integrity check."""


class DownloadError(GazetteerError, OSError):
    """A GeoNames download failed."""


class ExtractionError(GeoEventsError):
    """Articles could not be read or events extracted from them."""


class ValidationError(GeoEventsError, ValueError):
    """Data does not meet the events schema; ``problems`` lists every issue found."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems: list[str] = list(problems or [])


class InputError(GeoEventsError, ValueError):
    """An input file or table cannot be read as asked."""


class InputTooLargeError(InputError):
    """An input is over a configured size limit; the message names the limit and its option."""


class MapError(GeoEventsError, ValueError):
    """A map could not be rendered as asked."""


class GeoEventsWarning(UserWarning):
    """Root of the warnings geo_events issues."""
