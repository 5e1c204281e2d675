"""The second core's share of an index build: child Pythons and the collector held off.

:mod:`.store` builds the index in one process; these helpers let it hand two
jobs to child interpreters when the machine has a core to spare — folding the
names' normalized keys while the places are still read (:class:`FoldJob`), and
building the exact-key trie while the parent builds the normalized one
(:class:`TrieJob`). A child gets file names and bytes only (no fork of a big
process, no re-import of the caller's ``__main__``), and whatever a child does
not deliver, for whatever reason, the parent does itself with the same result.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import marisa_trie
import numpy as np

from geo_events.gazetteer.normalize import fold_keys

__all__ = ["FoldJob", "TrieJob", "child_path", "fold_child", "gc_paused", "spare_cores", "trie_ids"]

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a build allocates.

    A build makes millions of strings, tuples and dict entries and no reference
    cycles, and each collection would walk them all again (reading cities500.json
    alone takes ~2.5x as long with collections on). Collection resumes, if it was
    on, when the build ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def spare_cores() -> int:
    """How many cores this process may use beyond the one it runs on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        usable = os.cpu_count() or 1
    return usable - 1


def trie_ids(keys: list[str], path: Path) -> np.ndarray:
    """Save the trie of ``keys`` at ``path``; return each key's trie id, in ``keys``' order."""
    trie = marisa_trie.Trie(keys)
    trie.save(str(path))
    return np.fromiter(map(trie.__getitem__, keys), dtype=np.uint32, count=len(keys))


class TrieJob:
    """The trie of one key kind, built by a child Python when a core is spare.

    marisa holds the GIL while it builds, and building a million keys' trie and
    looking each one up takes seconds the parent can spend on other work (the
    names' normalized keys). The child is a fresh interpreter given file names
    only (no fork of a big process, no re-import of the caller's ``__main__``);
    the keys go through a file as lines (a key never holds a line break). If the
    child cannot start or fails, the parent builds the trie itself: the files
    are the same either way (:func:`trie_ids`).
    """

    def __init__(self, keys: list[str], directory: Path, stem: str, spare_cores: int) -> None:
        self.keys = keys
        self.path = directory / f"{stem}.marisa"
        self._scratch = directory / f"{stem}.trie-keys"
        self._ids = directory / f"{stem}.trie-ids"
        self._child: subprocess.Popen[bytes] | None = None
        text = "\n".join(keys)
        if spare_cores < 1 or len(keys) < _CHILD_MIN_KEYS or text.count("\n") != len(keys) - 1:
            return
        try:
            self._scratch.write_bytes(text.encode("utf-8", "surrogatepass"))
            self._child = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    _CHILD_CODE,
                    str(self._scratch),
                    str(self.path),
                    str(self._ids),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": child_path()},
            )
        except OSError as exc:  # no interpreter to run (embedded Python), no processes left
            logger.debug("building the %s trie here: %s", stem, exc)

    def cancel(self) -> None:
        """Stop the child, if any (the build failed; its directory goes)."""
        if self._child is not None and self._child.poll() is None:
            self._child.kill()
            self._child.communicate()

    def result(self) -> np.ndarray:
        """Each key's trie id, in the keys' order (the trie is saved by then)."""
        ids = None
        if self._child is not None:
            _, err = self._child.communicate()
            if self._child.returncode == 0 and self._ids.is_file():
                ids = np.fromfile(self._ids, dtype=np.uint32)
            else:
                logger.debug("the trie child failed (%s): %s", self._child.returncode, err[-2000:])
        for scratch in (self._scratch, self._ids):
            scratch.unlink(missing_ok=True)
        if ids is None or len(ids) != len(self.keys):
            ids = trie_ids(self.keys, self.path)
        del self.keys
        return ids


def child_path() -> str:
    """The child's PYTHONPATH: this copy of geo_events first, then the parent's own."""
    root = str(Path(__file__).resolve().parents[2])
    return os.pathsep.join(
        [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    )


class FoldJob:
    """The normalized keys of the exact keys, folded by a child Python while the places are read.

    Reading the places keeps one core busy and folding the names (:func:`.fold_keys`)
    would keep it busy after: the new keys of each batch go to a child instead,
    through its stdin (a thread writes, so a full pipe never stalls the build),
    and it writes each batch's answers to a file, in order. The child starts
    once there are :data:`_CHILD_MIN_KEYS` keys (a small build folds its own)
    and only on a machine with a core to spare. Whatever it has not answered,
    for whatever reason, is folded here: the answers are the same either way.
    """

    _FRAME = struct.Struct("<II")  # number of keys, bytes of text

    def __init__(self, out: Path, spare_cores: int) -> None:
        self.out = out
        self._spare_cores = spare_cores
        self.pending: list[str] = []  # keys not yet sent
        self.sent = 0
        self._child: subprocess.Popen[bytes] | None = None
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._tried = False

    def send(self, keys: list[str]) -> None:
        """Have ``keys`` folded (the next ones in interning order)."""
        self.pending.extend(keys)
        if self._child is None and not self._tried and len(self.pending) >= _CHILD_MIN_KEYS:
            self._tried = True
            self._start()
        if self._child is not None and self.pending:
            text = "\n".join(self.pending)
            if text.count("\n") != len(self.pending) - 1:  # not exact keys: fold them here
                self._stop()
                return
            data = text.encode("utf-8", "surrogatepass")
            self._queue.put(self._FRAME.pack(len(self.pending), len(data)) + data)
            self.sent += len(self.pending)
            self.pending = []

    def _start(self) -> None:
        if self._spare_cores < 1:
            return
        try:
            self._child = subprocess.Popen(
                [sys.executable, "-c", _FOLD_CHILD_CODE, str(self.out)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": child_path()},
            )
        except OSError as exc:  # no interpreter to run (embedded Python), no processes left
            logger.debug("folding the names here: %s", exc)
            return
        self._writer = threading.Thread(target=self._write, args=(self._child,), daemon=True)
        self._writer.start()

    def _write(self, child: subprocess.Popen[bytes]) -> None:
        stdin = child.stdin
        assert stdin is not None
        with contextlib.suppress(OSError, ValueError):  # the child died: folded here instead
            while (frame := self._queue.get()) is not None:
                stdin.write(frame)
        with contextlib.suppress(OSError, ValueError):
            stdin.close()

    def _stop(self) -> None:
        """End the child (its answers so far stay readable)."""
        if self._child is None or self._writer is None:
            return
        self._queue.put(None)
        self._writer.join()
        self._writer = None
        assert self._child.stderr is not None
        with self._child.stderr:
            err = self._child.stderr.read()
        if self._child.wait():
            logger.debug("the fold child failed (%s): %s", self._child.returncode, err[-2000:])

    def cancel(self) -> None:
        """Stop the child now (the build failed; its directory goes)."""
        if self._child is not None and self._child.poll() is None:
            self._child.kill()
        self._stop()
        self._child = None

    def results(self, keys: list[str], batch: int) -> Iterator[tuple[list[str], list[bool]]]:
        """The normalized keys and admin hints of ``keys`` (every key sent, in order), by batch.

        The child's batches are those it was sent; what is left is folded here,
        ``batch`` keys at a time.
        """
        self._stop()
        done = 0
        if self._child is not None and self._child.returncode == 0:
            for folded, hints in self._answers():
                if done + len(folded) > self.sent:
                    break
                done += len(folded)
                yield folded, hints
        self.out.unlink(missing_ok=True)
        self._child = None
        self.pending = []
        for start in range(done, len(keys), batch):
            yield fold_keys(keys[start : start + batch])

    def _answers(self) -> Iterator[tuple[list[str], list[bool]]]:
        with contextlib.suppress(OSError), self.out.open("rb") as answers:
            while len(head := answers.read(self._FRAME.size)) == self._FRAME.size:
                n, size = self._FRAME.unpack(head)
                text, hints = answers.read(size), answers.read(n)
                if len(text) != size or len(hints) != n:
                    return
                folded = text.decode("utf-8", "surrogatepass").split("\n") if n else []
                if len(folded) != n:
                    return
                yield folded, [bool(h) for h in hints]


def fold_child(out: str) -> None:
    """What the fold child runs: frames of keys from stdin, their answers to ``out``."""
    frame = FoldJob._FRAME
    with open(out, "wb") as answers:
        while len(head := sys.stdin.buffer.read(frame.size)) == frame.size:
            n, size = frame.unpack(head)
            keys = sys.stdin.buffer.read(size).decode("utf-8", "surrogatepass").split("\n")
            folded, hints = fold_keys(keys if n else [])
            text = "\n".join(folded).encode("utf-8", "surrogatepass")
            answers.write(frame.pack(n, len(text)) + text + bytes(hints))


_FOLD_CHILD_CODE = (
    "import sys; from geo_events.gazetteer.build_workers import fold_child; fold_child(sys.argv[1])"
)

#: Fewer keys than this are quicker to put in a trie than a child is to start.
_CHILD_MIN_KEYS = 50_000
#: What the child runs: keys file, trie file, ids file.
_CHILD_CODE = (
    "import sys; from pathlib import Path; from geo_events.gazetteer.build_workers import trie_ids; "
    "keys = Path(sys.argv[1]).read_bytes().decode('utf-8', 'surrogatepass').split('\\n'); "
    "trie_ids(keys, Path(sys.argv[2])).tofile(sys.argv[3])"
)
