"""Keeping a built index honest: checksums, the build lock, the atomic swap, clean-up.

Decisions, written down (gazetteer/README.md has the measured costs):

- **What is checked, and when.** The manifest records, for every file, its size,
  its CRC-32 and one CRC-32 per 64 KiB block, and carries a CRC-32 of itself. An
  index opened preloaded (the default for up to two million places) is read into
  memory anyway, so every byte is checked against its file's CRC-32 as it is read:
  ~40 ms for the default 96 MB index on top of the read. A memory-mapped index
  (a full GeoNames import, several GB) checks its tries, ``meta.json`` and the
  small per-row columns at open, and every other block the first time a lookup
  touches it (:class:`BlockCheck`: a bitmap of verified blocks), so opening stays
  at milliseconds and a lookup pays ~25 µs once per block it is first to touch.
  Any mismatch is an :class:`~geo_events.errors.IndexCorruptError`; the
  :class:`~geo_events.gazetteer.Gazetteer` then rebuilds and asks again.
- **One builder at a time.** A build holds an exclusive ``flock`` on
  ``.<name>.lock`` beside the index (:func:`index_lock`); a process that finds the
  index missing or damaged takes the same lock and checks again before building,
  so N processes starting together build once. Readers of a sound index never
  take it (a read-only cache directory works).
- **The swap.** The new index is built in ``.building-<name>.<random>`` beside
  the old one, then the old directory is renamed away and the new one renamed in
  (two ``rename`` calls, microseconds apart; POSIX cannot rename a directory over
  a non-empty one) and the old one removed. A process that has the old index open
  keeps its data: a preloaded index is in its memory, a mapped one in mappings
  that survive the unlink. A process opening in the gap finds no manifest, takes
  the lock, waits for the builder and opens the new index. A pointer file naming
  versioned subdirectories would close the gap but leave the question of when an
  old version may be deleted, which the lock answers here.
- **Leftovers.** A build killed half way leaves ``.building-<name>.*`` (or a
  ``.old-<name>.*`` between the renames). Whoever next opens or builds removes the
  ones whose name's lock nobody holds; leftovers of unknown owner only when over
  an hour old.
- **Disk full, read-only.** An ``OSError`` while writing the index becomes one
  :class:`~geo_events.errors.GazetteerError` line naming the directory and the
  fix (free space, or ``GEO_EVENTS_CACHE_DIR`` / ``cache_dir=``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import shutil
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo_events.errors import GazetteerError, GeoEventsError, IndexCorruptError

try:  # POSIX; elsewhere builds are not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "BLOCK_SIZE",
    "BlockCheck",
    "cache_dir_error",
    "clean_stale",
    "index_lock",
    "read_manifest",
    "swap_in",
    "write_manifest",
]

logger = logging.getLogger(__name__)

#: Bytes covered by one block checksum (a lookup's first touch verifies one block).
BLOCK_SIZE = 1 << 16  # BlockCheck.check shifts by 16
MANIFEST = "manifest.json"
BUILDING_PREFIX = ".building-"
OLD_PREFIX = ".old-"
#: Leftovers whose owner cannot be told (no lock to probe) are removed after this.
STALE_SECONDS = 3600.0
_CACHE_ENV = "GEO_EVENTS_CACHE_DIR"  # as cache.CACHE_ENV (cache imports store, not back)
_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT})


# ------------------------------------------------------------------ checksums


def file_checksums(path: Path) -> tuple[int, list[int]]:
    """Return a file's CRC-32 and the CRC-32 of each :data:`BLOCK_SIZE` block."""
    whole = 0
    blocks: list[int] = []
    with path.open("rb") as handle:
        while chunk := handle.read(BLOCK_SIZE * 64):
            whole = zlib.crc32(chunk, whole)
            view = memoryview(chunk)
            blocks.extend(
                zlib.crc32(view[i : i + BLOCK_SIZE]) for i in range(0, len(view), BLOCK_SIZE)
            )
    return whole, blocks


def _manifest_crc(manifest: dict[str, Any]) -> int:
    body = {k: v for k, v in manifest.items() if k != "manifest_crc32"}
    return zlib.crc32(json.dumps(body, sort_keys=True).encode())


def write_manifest(directory: Path, fields: dict[str, Any]) -> None:
    """Write ``manifest.json`` last: ``fields``, each file's checksums, a build id."""
    files = {}
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name != MANIFEST:
            crc, blocks = file_checksums(path)
            files[path.name] = {"size": path.stat().st_size, "crc32": crc, "blocks": blocks}
    manifest = {**fields, "build": uuid.uuid4().hex, "block_size": BLOCK_SIZE, "files": files}
    manifest["manifest_crc32"] = _manifest_crc(manifest)
    with (directory / MANIFEST).open("w", encoding="utf-8") as handle:
        json.dump(manifest, handle, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Return an index's manifest, or None when it is missing, unreadable or damaged."""
    try:
        with (Path(directory) / MANIFEST).open(encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError):  # ValueError: bad JSON or bad UTF-8
        return None
    if not isinstance(manifest, dict) or manifest.get("manifest_crc32") != _manifest_crc(manifest):
        return None
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(e, dict) and isinstance(e.get("size"), int) and isinstance(e.get("blocks"), list)
        for e in files.values()
    ):
        return None
    return manifest


class BlockCheck:
    """Verifies a memory-mapped file block by block, each block once, on first touch.

    ``check(start, stop)`` raises :class:`IndexCorruptError` when a block of the
    byte range ``[start, stop)`` differs from its recorded CRC-32.
    """

    __slots__ = ("_buffer", "_crcs", "_lock", "_ok", "name", "where")

    def __init__(self, buffer: Any, crcs: list[int], name: str, where: Path) -> None:
        self._buffer = memoryview(buffer).cast("B")
        self._crcs = crcs
        self._ok = bytearray(len(crcs))
        self._lock = threading.Lock()
        self.name = name
        self.where = where
        if len(self._buffer) > len(crcs) * BLOCK_SIZE:
            raise IndexCorruptError(f"gazetteer index at {where}: {name} has no checksums")

    def check(self, start: int, stop: int) -> None:
        """Verify the blocks holding bytes ``start`` to ``stop`` (exclusive)."""
        ok = self._ok
        first, last = start >> 16, max(stop - 1, start) >> 16  # BLOCK_SIZE is 1 << 16
        if first == last and first < len(ok) and ok[first]:
            return  # the usual case once warm: one block, verified before
        for block in range(first, min(last, len(ok) - 1) + 1):
            if not ok[block]:
                self._verify(block)

    def check_all(self) -> None:
        """Verify every block not verified yet."""
        self.check(0, len(self._buffer))

    def _verify(self, block: int) -> None:
        begin = block * BLOCK_SIZE
        if zlib.crc32(self._buffer[begin : begin + BLOCK_SIZE]) != self._crcs[block]:
            raise IndexCorruptError(
                f"gazetteer index at {self.where}: {self.name} fails its checksum "
                f"(block {block}, bytes {begin}-{begin + BLOCK_SIZE})"
            )
        with self._lock:
            self._ok[block] = 1

    def release(self) -> None:
        """Drop the view of the mapped file (so the mapping can be closed)."""
        self._buffer.release()


# ------------------------------------------------------- lock, swap, clean-up

_registry_guard = threading.Lock()
_registry: dict[str, _HeldLock] = {}


class _HeldLock:
    def __init__(self) -> None:
        self.rlock = threading.RLock()
        self.depth = 0
        self.fd = -1


def _lock_path(directory: Path) -> Path:
    return directory.parent / f".{directory.name}.lock"


@contextlib.contextmanager
def index_lock(directory: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the exclusive build lock of the index at ``directory`` (re-entrant)."""
    directory = Path(directory).absolute()
    with _registry_guard:
        held = _registry.setdefault(str(directory), _HeldLock())
    with held.rlock:
        if held.depth == 0 and fcntl is not None:
            try:
                directory.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(_lock_path(directory), os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise cache_dir_error(directory.parent, exc) from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                os.close(fd)
                raise
            held.fd = fd
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd >= 0:
                fcntl.flock(held.fd, fcntl.LOCK_UN)
                os.close(held.fd)
                held.fd = -1


def _owner(entry: str) -> str | None:
    # ".building-default.k2j3h4" -> "default"; an older ".building-k2j3h4" -> None
    for prefix in (BUILDING_PREFIX, OLD_PREFIX):
        if entry.startswith(prefix):
            rest = entry[len(prefix) :]
            return rest.rsplit(".", 1)[0] if "." in rest else None
    return None


def _nobody_builds(parent: Path, owner: str | None, age: float) -> bool:
    if owner is None or fcntl is None:
        return age > STALE_SECONDS
    directory = (parent / owner).absolute()
    with _registry_guard:
        held = _registry.get(str(directory))
    if held is not None and held.depth:  # this process is building it: only older ones
        return False
    try:
        fd = os.open(_lock_path(directory), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return age > STALE_SECONDS
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a live process holds it
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def clean_stale(parent: str | os.PathLike[str], *, owner: str | None = None) -> list[str]:
    """Remove builds killed half way (``.building-*``, ``.old-*``) in ``parent``.

    Only leftovers whose index's build lock is free are removed (or, without a
    lock to probe, those over an hour old); ``owner`` limits the sweep to one
    index's leftovers, which the caller holds the lock of. Returns the names
    removed; errors (a read-only directory) are logged and ignored.
    """
    parent = Path(parent)
    removed: list[str] = []
    try:
        entries = [
            e for e in os.scandir(parent) if e.name.startswith((BUILDING_PREFIX, OLD_PREFIX))
        ]
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        who = _owner(entry.name)
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if owner is not None:
            if who != owner and not (who is None and age > STALE_SECONDS):
                continue
        elif not _nobody_builds(parent, who, age):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError as exc:
            logger.debug("could not remove the leftover %s: %s", entry.path, exc)
            continue
        logger.info("removed the leftover of an interrupted gazetteer build: %s", entry.path)
        removed.append(entry.name)
    return removed


def swap_in(built: Path, directory: Path) -> None:
    """Put the complete index ``built`` at ``directory``, replacing any old one.

    The caller holds :func:`index_lock`. See the module docstring for why two
    renames and what concurrent readers see.
    """
    old: Path | None = None
    if directory.exists():
        old = directory.parent / f"{OLD_PREFIX}{directory.name}.{uuid.uuid4().hex[:8]}"
        os.rename(directory, old)
    os.rename(built, directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def is_cache_dir_problem(exc: OSError, parent: Path) -> bool:
    """Whether ``exc`` is about writing in ``parent`` (rather than a source file)."""
    if isinstance(exc, GeoEventsError):
        return False
    filename = exc.filename if isinstance(exc.filename, str) else None
    if filename is not None:
        with contextlib.suppress(OSError, ValueError):
            return Path(filename).absolute().is_relative_to(parent.absolute())
    return exc.errno in _DISK_ERRNOS or exc.errno is None


def cache_dir_error(parent: Path, exc: OSError) -> GazetteerError:
    """The one-line error for an index that cannot be written in ``parent``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why, fix = "the disk is full", "free some space there, or set"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        why, fix = "the directory is not writable", "set"
    else:
        why, fix = exc.strerror or type(exc).__name__, "check it, or set"
    return GazetteerError(
        f"cannot write the gazetteer index in {parent}: {why} ({exc.strerror or exc}); "
        f"{fix} {_CACHE_ENV} (or pass cache_dir=) to a writable directory with ~200 MB free"
    )
