"""Read-only, JSON-ready reports that ride along with an events frame in ``gdf.attrs``.

pandas deep-copies ``attrs`` on every operation and ``to_parquet`` stores them
as JSON, so a report kept there must be cheap to copy and plain JSON: a
``dict`` that refuses changes (and so can be shared instead of copied).
"""

from __future__ import annotations

from typing import Any


class AttrsReport(dict[str, Any]):
    """A read-only mapping; subclasses add typed properties over its keys."""

    __slots__ = ()

    def _read_only(self, *args: object, **kwargs: object) -> None:
        raise TypeError(f"a {type(self).__name__} is read-only")

    __setitem__ = __delitem__ = _read_only
    update = pop = popitem = clear = setdefault = _read_only  # type: ignore[assignment]
    __ior__ = _read_only  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(self)))

    def __copy__(self) -> AttrsReport:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> AttrsReport:
        return self


def _rebuild(cls: type[AttrsReport], items: dict[str, Any]) -> AttrsReport:
    report = dict.__new__(cls)
    dict.update(report, items)
    return report
