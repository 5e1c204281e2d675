"""Named gazetteers: which sources every command and the Python default use.

A named gazetteer is the built-in sources plus what the user added to it:
supplement CSVs, GeoNames dumps, places imported from ACLED or UCDP exports. The
names and their sources live in ``gazetteers.json`` in the cache directory, next
to the built indexes, so that what ``geo-events gazetteer import`` or ``build
--supplement`` adds is what ``geo-events geocode``, ``extract``, ``map`` and
:func:`~geo_events.gazetteer.default_gazetteer` use from then on.

Which one is used: the ``name`` given (``--gazetteer NAME``), else
``$GEO_EVENTS_GAZETTEER``, else the one chosen with ``geo-events gazetteer use``,
else ``default``. ``builtin`` always means the built-in sources alone. A name that
is a path to a built index directory opens that index as it is (an index copied
to an air-gapped machine).

Paths inside the cache directory are stored relative to it, so a copied cache
directory keeps working.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo_events.errors import GazetteerError, GazetteerNameError

__all__ = [
    "BUILTIN",
    "DEFAULT",
    "GAZETTEER_ENV",
    "GazetteerSources",
    "add_sources",
    "chosen_name",
    "gazetteer_sources",
    "named_gazetteers",
    "remove_gazetteer",
    "use_gazetteer",
]

GAZETTEER_ENV = "GEO_EVENTS_GAZETTEER"
#: The name used when none is chosen.
DEFAULT = "default"
#: The built-in sources alone; cannot be changed or removed.
BUILTIN = "builtin"

_CONFIG = "gazetteers.json"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


@dataclass(frozen=True)
class GazetteerSources:
    """What a named gazetteer holds besides the built-in sources.

    ``geonames`` holds the keyword arguments of a
    :class:`~geo_events.gazetteer.geonames.GeoNamesDump` each (paths as strings).
    """

    supplements: tuple[Path, ...] = ()
    geonames: tuple[dict[str, Any], ...] = ()
    table_places: tuple[Path, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.supplements or self.geonames or self.table_places)

    def dumps(self) -> list[Any]:
        """The GeoNames dumps, as :class:`~geo_events.gazetteer.geonames.GeoNamesDump`."""
        from geo_events.gazetteer.geonames import GeoNamesDump

        return [GeoNamesDump(**spec) for spec in self.geonames]

    def describe(self) -> dict[str, Any]:
        """The sources as JSON (for ``gazetteer info``)."""
        return {
            "supplements": [str(p) for p in self.supplements],
            "geonames": [dict(spec) for spec in self.geonames],
            "table_places": [str(p) for p in self.table_places],
        }


@dataclass
class _Config:
    root: Path
    current: str | None = None
    gazetteers: dict[str, dict[str, list[Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> _Config:
        path = root / _CONFIG
        if not path.is_file():
            return cls(root)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            current = data.get("current")
            gazetteers = data.get("gazetteers", {})
            if not isinstance(gazetteers, dict) or (current is not None and
                                                     not isinstance(current, str)):  # fmt: skip
                raise ValueError("unexpected layout")
        except (OSError, ValueError, AttributeError) as exc:
            raise GazetteerError(
                f"{path} is not a gazetteer configuration geo_events can read ({exc}); "
                "fix or delete it (the built-in gazetteer needs none)"
            ) from exc
        return cls(root, current, gazetteers)

    def save(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / _CONFIG
        tmp = path.with_suffix(".tmp")
        data = {"current": self.current, "gazetteers": self.gazetteers}
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def _stored(self, path: str | os.PathLike[str]) -> str:
        """A path as stored: relative to the cache root when inside it."""
        absolute = Path(path).expanduser().resolve()
        try:
            return absolute.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(absolute)

    def _loaded(self, stored: str) -> Path:
        path = Path(stored)
        return path if path.is_absolute() else self.root / path

    def sources(self, name: str) -> GazetteerSources:
        entry = self.gazetteers.get(name, {})
        geonames = []
        for spec in entry.get("geonames", []):
            geonames.append({k: (str(self._loaded(v)) if k in _DUMP_PATHS and v else v)
                             for k, v in spec.items()})  # fmt: skip
        return GazetteerSources(
            supplements=tuple(self._loaded(p) for p in entry.get("supplements", [])),
            geonames=tuple(geonames),
            table_places=tuple(self._loaded(p) for p in entry.get("table_places", [])),
        )


_DUMP_PATHS = ("places", "alternate_names", "admin1", "admin2")


def _root(cache_dir: str | os.PathLike[str] | None) -> Path:
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    from geo_events.gazetteer.cache import default_cache_dir

    return default_cache_dir()


def check_name(name: str) -> str:
    """Return ``name`` if it can name a gazetteer (letters, digits, ``_ . -``), else raise."""
    if not isinstance(name, str) or not _NAME.match(name):
        raise GazetteerNameError(
            f"a gazetteer name is 1-64 letters, digits, '_', '.' or '-', starting with a "
            f"letter or digit; got {name!r}"
        )
    return name


def is_index_path(name: str) -> bool:
    """Whether ``name`` points at a built index directory rather than naming a gazetteer."""
    return ("/" in name or os.sep in name or name.startswith(".")) and (
        Path(name).expanduser() / "manifest.json"
    ).is_file()


def chosen_name(name: str | None = None, cache_dir: str | os.PathLike[str] | None = None) -> str:
    """The gazetteer in use: ``name``, else $GEO_EVENTS_GAZETTEER, else the chosen one."""
    if name:
        return name
    from_env = os.environ.get(GAZETTEER_ENV, "").strip()
    if from_env:
        return from_env
    return _Config.load(_root(cache_dir)).current or DEFAULT


def gazetteer_sources(
    name: str, cache_dir: str | os.PathLike[str] | None = None
) -> GazetteerSources:
    """The sources of the named gazetteer (none for ``builtin`` and a ``default`` never added to).

    Raises
    ------
    GazetteerError
        For a name that is neither ``builtin``, ``default`` nor one added to.
    """
    check_name(name)
    if name == BUILTIN:
        return GazetteerSources()
    config = _Config.load(_root(cache_dir))
    if name != DEFAULT and name not in config.gazetteers:
        known = ", ".join(sorted({BUILTIN, DEFAULT, *config.gazetteers}))
        raise GazetteerNameError(
            f"no gazetteer named {name!r} in {config.root}; known: {known}. Create it with "
            f"'geo-events --gazetteer {name} gazetteer import SOURCE'"
        )
    return config.sources(name)


def add_sources(
    name: str,
    *,
    supplements: Sequence[str | os.PathLike[str]] = (),
    geonames: Sequence[Any] = (),
    table_places: Sequence[str | os.PathLike[str]] = (),
    cache_dir: str | os.PathLike[str] | None = None,
) -> GazetteerSources:
    """Add sources to the named gazetteer (created when new) and return all of its sources.

    ``geonames`` takes :class:`~geo_events.gazetteer.geonames.GeoNamesDump`
    objects; a source already in the gazetteer is not added twice.
    """
    check_name(name)
    if name == BUILTIN:
        raise GazetteerNameError(f"{BUILTIN!r} is the built-in gazetteer and cannot be changed; "
                             "add to 'default' or to a gazetteer of your own name")  # fmt: skip
    from geo_events.gazetteer.sources import read_supplement
    from geo_events.gazetteer.table_places import read_places

    for path in supplements:
        read_supplement(path)  # a bad file is refused before the configuration names it
    for path in table_places:
        read_places(path)
    for dump in geonames:
        dump.paths()
    config = _Config.load(_root(cache_dir))
    entry = config.gazetteers.setdefault(name, {})

    def add(kind: str, value: Any) -> None:
        values = entry.setdefault(kind, [])
        if value not in values:
            values.append(value)

    for path in supplements:
        add("supplements", config._stored(path))
    for path in table_places:
        add("table_places", config._stored(path))
    for dump in geonames:
        spec: dict[str, Any] = {k: (config._stored(getattr(dump, k)) if getattr(dump, k) else None)
                                for k in _DUMP_PATHS}  # fmt: skip
        spec["feature_classes"] = sorted(dump.feature_classes) if dump.feature_classes else None
        spec["min_population"] = dump.min_population
        add("geonames", spec)
    config.save()
    return config.sources(name)


def use_gazetteer(name: str, cache_dir: str | os.PathLike[str] | None = None) -> None:
    """Make ``name`` the gazetteer every command and the Python default use."""
    gazetteer_sources(name, cache_dir)  # a known name
    config = _Config.load(_root(cache_dir))
    config.current = name
    config.save()


def remove_gazetteer(name: str, cache_dir: str | os.PathLike[str] | None = None) -> None:
    """Forget the named gazetteer's sources (the files stay; ``default`` becomes built-in)."""
    check_name(name)
    if name == BUILTIN:
        raise GazetteerNameError(f"{BUILTIN!r} is the built-in gazetteer and cannot be removed")
    config = _Config.load(_root(cache_dir))
    if name not in config.gazetteers and name != DEFAULT:
        raise GazetteerNameError(f"no gazetteer named {name!r} in {config.root}")
    config.gazetteers.pop(name, None)
    if config.current == name:
        config.current = None
    config.save()


def named_gazetteers(cache_dir: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Every gazetteer name with its sources, and which one is in use (JSON)."""
    config = _Config.load(_root(cache_dir))
    names = sorted({BUILTIN, DEFAULT, *config.gazetteers})
    return {
        "in_use": chosen_name(None, cache_dir),
        "gazetteers": {
            n: (GazetteerSources() if n == BUILTIN else config.sources(n)).describe() for n in names
        },
    }


def import_source(
    source: Any,
    *,
    name: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    progress: Any = None,
) -> tuple[Any, Any]:
    """Add ``source`` to the named gazetteer (the one in use by default), rebuild, open it.

    ``source`` is a :class:`~geo_events.gazetteer.geonames.GeoNamesDump`, a GeoNames
    file or folder (``SY.zip``, ``allCountries.zip``, a folder of them), or an ACLED
    or UCDP GED export (CSV, TSV, Excel, Parquet), whose places coded at the place
    itself are imported (:mod:`~geo_events.gazetteer.table_places`).

    Returns
    -------
    (Gazetteer, report)
        The rebuilt gazetteer, and the import's report: a
        :class:`~geo_events.gazetteer.table_places.TablePlaces` for a table, the
        dump's :class:`~geo_events.gazetteer.geonames.ImportReport` for GeoNames.
    """
    from geo_events.errors import GazetteerSourceError
    from geo_events.gazetteer.geonames import GeoNamesDump
    from geo_events.gazetteer.lookup import Gazetteer
    from geo_events.gazetteer.table_places import is_event_table, read_table_places, write_places

    root = _root(cache_dir)
    chosen = chosen_name(name, root)
    if is_index_path(chosen):
        raise GazetteerNameError(f"{chosen} is a built index; import into a named gazetteer")
    check_name(chosen)
    if isinstance(source, GeoNamesDump):
        dump = source
    else:
        path = Path(source).expanduser()
        if not path.exists():
            raise GazetteerSourceError(f"{path} does not exist")
        if path.is_file() and is_event_table(path):
            places = read_table_places(path)
            stored = write_places(places, root / "imported")
            add_sources(chosen, table_places=[stored], cache_dir=root)
            gaz = Gazetteer.open(root, name=chosen, progress=progress)
            return gaz, places
        dump = GeoNamesDump.from_directory(path) if path.is_dir() else GeoNamesDump(path)
    dump.paths()  # every file exists before the configuration names it
    add_sources(chosen, geonames=[dump], cache_dir=root)
    gaz = Gazetteer.open(root, name=chosen, geonames=dump, progress=progress)
    return gaz, dump.report  # None when the index already held the dump
