"""The exceptions geo_events raises.

One root, :class:`GeoEventsError`, so callers can catch everything the package
raises on purpose; each specific error also subclasses the builtin it resembles
(a bad argument is a ``ValueError``, a missing file a ``FileNotFoundError``), so
callers can catch it the way they already do. Messages name the input and the fix.
"""

from __future__ import annotations

import warnings
from typing import Literal


class GeoEventsError(Exception):
    """Root of every error geo_events raises on purpose."""


class GazetteerError(GeoEventsError):
    """The gazetteer could not be built, opened or queried."""


class GazetteerQueryError(GazetteerError, ValueError):
    """A gazetteer query got an option it cannot use (``near=``, ``kinds=``, ``limit=``...)."""


class GazetteerSourceError(GazetteerError, FileNotFoundError):
    """A gazetteer source (package or file) is missing or unreadable."""


class GazetteerNameError(GazetteerError, ValueError):
    """A gazetteer name that is not valid, not known, or cannot be changed."""


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


# --------------------------------------------------------------------------- error policy

#: What to do when part of the input cannot be used: ``"raise"`` stop with an
#: error, ``"warn"`` keep going and warn, ``"keep"`` keep going and record the
#: reason only (in the read report, the article account or the map summary).
OnError = Literal["raise", "warn", "keep"]

ON_ERROR_POLICIES: tuple[OnError, ...] = ("raise", "warn", "keep")


def check_on_error(value: object, option: str = "on_error") -> OnError:
    """Return ``value`` as an :data:`OnError` policy, or raise an :class:`InputError` naming it.

    Checked when a call starts, so a misspelt policy fails before any work is done.
    """
    if isinstance(value, str) and value in ON_ERROR_POLICIES:
        return value
    choices = ", ".join(repr(p) for p in ON_ERROR_POLICIES)
    raise InputError(f"{option} must be one of {choices}, not {value!r}")


def apply_on_error(
    policy: OnError,
    message: str,
    *,
    error: type[Exception] = InputError,
    warning: type[Warning] = GeoEventsWarning,
    cause: BaseException | None = None,
    stacklevel: int = 2,
) -> None:
    """Act on a problem as ``policy`` says: raise ``error``, warn with ``warning``, or do nothing.

    The caller records the problem itself in every case (that is what ``"keep"``
    keeps), so no policy loses the reason; this only decides whether the caller
    also stops or warns.
    """
    if policy == "raise":
        raise error(message) from cause
    if policy == "warn":
        warnings.warn(message, warning, stacklevel=stacklevel + 1)
