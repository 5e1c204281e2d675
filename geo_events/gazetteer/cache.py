"""Where the built index lives and when it must be rebuilt.

The index goes to a per-user cache directory (platformdirs), never into the
repository; ``GEO_EVENTS_CACHE_DIR`` or an explicit ``cache_dir`` overrides it
(tests point it at a temporary directory). Its name carries nothing but a
version: whether it is current is decided by the fingerprint of its sources —
the source packages' versions, the supplement files' contents and any imported
GeoNames files — recorded in its manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from geo_events.gazetteer.sources import default_supplement_path, source_versions
from geo_events.gazetteer.store import FORMAT_VERSION

__all__ = ["default_cache_dir", "file_fingerprint", "sources_fingerprint"]

CACHE_ENV = "GEO_EVENTS_CACHE_DIR"


def default_cache_dir() -> Path:
    """Return the cache directory: ``$GEO_EVENTS_CACHE_DIR`` or the user cache."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo_events", appauthor=False))


def file_fingerprint(path: str | os.PathLike[str]) -> str:
    """Return a content hash of a file (for supplements: small, hashed whole)."""
    digest = hashlib.blake2b(digest_size=16)
    with Path(path).open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _stat_fingerprint(path: Path) -> str:
    # Large GeoNames dumps are identified by name, size and mtime, not hashed; not by
    # where they are, so a cache directory copied with its dumps (cp -a) stays current.
    stat = path.stat()
    return f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}"


def _code_fingerprint() -> str:
    # The key functions and the ranking prior shape the index: a change to
    # either makes every built index stale.
    here = Path(__file__).resolve().parent
    digest = hashlib.blake2b(digest_size=8)
    for name in ("normalize.py", "store.py", "sources.py", "integrity.py", "table_places.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def sources_fingerprint(
    extra_supplements: Iterable[str | os.PathLike[str]] = (),
    imported: Iterable[str | os.PathLike[str]] = (),
    table_places: Iterable[str | os.PathLike[str]] = (),
) -> str:
    """Return the fingerprint of a gazetteer built from these sources."""
    parts: dict[str, object] = {
        "format": FORMAT_VERSION,
        "code": _code_fingerprint(),
        "packages": source_versions(),
    }
    supplement = default_supplement_path()
    parts["supplement"] = file_fingerprint(supplement) if supplement.is_file() else "none"
    parts["extra"] = [file_fingerprint(p) for p in extra_supplements]
    parts["imported"] = [_stat_fingerprint(Path(p)) for p in imported]
    if table_places:  # absent from older fingerprints, which stay valid
        parts["table_places"] = [file_fingerprint(p) for p in table_places]
    return hashlib.blake2b(json.dumps(parts, sort_keys=True).encode(), digest_size=16).hexdigest()
