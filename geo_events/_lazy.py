"""Lazy re-exports: a package names its public API without importing it.

``import geo_events`` must stay fast (the CLI starts with it), so packages list
their exports as ``name -> module`` and import a module only when one of its
names is first used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str,
    namespace: dict[str, Any],
    exports: Mapping[str, str],
    renamed: Mapping[str, str] | None = None,
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` for lazy ``exports``.

    Parameters
    ----------
    package
        The package's name (for error messages).
    namespace
        The package's ``globals()``; a resolved name is cached there.
    exports
        Public name -> module that defines it.
    renamed
        Public name -> the attribute's name in its module, where they differ.
    """
    renamed = renamed or {}

    def __getattr__(name: str) -> Any:  # noqa: N807 (the module protocol's name)
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), renamed.get(name, name))
        namespace[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
