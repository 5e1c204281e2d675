"""How a gazetteer build shows its progress, wherever it runs.

:meth:`Gazetteer.open(progress=...) <geo_events.gazetteer.Gazetteer.open>` takes a
callback ``(stage, done, total)``, ``False`` (silent), or ``True``/``None``: show
it, in the form that suits where the build runs (:func:`choose_reporter`):

- a terminal: a rich bar per stage, on stderr;
- a Jupyter notebook: one line per stage in the cell's output, updated in place
  (an HTML ``<progress>`` bar; plain text where HTML is not shown);
- anything else (a pipe, a log file, CI): a plain line on stderr every
  :data:`PLAIN_INTERVAL` seconds and at the end of each stage, such as::

      gazetteer: building the index (first run, or its sources changed; 15-30 s for the default sources)
      gazetteer: reading places 120,000
      gazetteer: indexing names 524,288/1,124,990 (47%)
      gazetteer: indexing names 1,124,990/1,124,990 (100%), done in 2.9 s

Every form opens with that first line, saying why a build runs and how long it
takes. Nothing is ever written to stdout, which may carry a command's data.
"""

from __future__ import annotations

import contextlib
import html
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TextIO

if TYPE_CHECKING:
    from geo_events.gazetteer.store import ProgressCallback

__all__ = [
    "FIRST_BUILD_TIME",
    "PLAIN_INTERVAL",
    "NotebookReporter",
    "PlainReporter",
    "RichReporter",
    "choose_reporter",
    "in_notebook",
    "reporter",
]

#: Seconds between two plain lines within a stage.
PLAIN_INTERVAL = 5.0
#: Seconds between two updates of a notebook's line (each is a message to the browser).
NOTEBOOK_INTERVAL = 0.25
#: What building the default index takes on a 2-core machine, idle to busy (benchmarks/README.md).
FIRST_BUILD_TIME = "15-30 s"
#: Why a build runs, when the caller does not say.
DEFAULT_REASON = "first run, or its sources changed"


class Reporter(Protocol):
    """A progress callback that is closed when the build ends."""

    def __call__(self, stage: str, done: int, total: int | None) -> None: ...

    def close(self) -> None: ...


def header(reason: str | None = None) -> str:
    """The first line of a build's progress: why it runs and roughly how long it takes."""
    why = reason or DEFAULT_REASON
    return f"gazetteer: building the index ({why}; {FIRST_BUILD_TIME} for the default sources)"


def describe(stage: str, done: int, total: int | None) -> str:
    """``indexing names 120,000/286,000 (42%)``; without a total, the count only."""
    if total:
        return f"{stage} {done:,}/{total:,} ({min(done, total) / total:.0%})"
    if done or total == 0:
        return f"{stage} {done:,}"
    return stage


class PlainReporter:
    """Plain lines on ``stream``: one every ``interval`` seconds and one per stage's end.

    A stage ends when its count reaches its total or when the next stage begins.
    ``clock`` is for tests (a fake one needs no sleeping).
    """

    def __init__(
        self,
        stream: TextIO,
        *,
        reason: str | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.reason = reason
        self.interval = PLAIN_INTERVAL if interval is None else interval
        self.clock = clock
        self._stage: str | None = None
        self._ended = True
        self._stage_start = self._last_line = 0.0
        self._counts: tuple[int, int | None] = (0, None)

    def _write(self, line: str) -> None:
        # a closed or broken stream is not worth failing a build over
        with contextlib.suppress(OSError, ValueError):
            print(line, file=self.stream, flush=True)

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        """Report that ``stage`` has done ``done`` of ``total`` (None: unknown)."""
        now = self.clock()
        if self._stage is None:
            self._write(header(self.reason))
        if stage != self._stage:
            self._end(now)
            self._stage, self._ended = stage, False
            self._stage_start = self._last_line = now
        self._counts = (done, total)
        if total is not None and done >= total:
            self._end(now)
        elif now - self._last_line >= self.interval:
            self._last_line = now
            self._write(f"gazetteer: {describe(stage, done, total)}")

    def _end(self, now: float) -> None:
        if self._stage is not None and not self._ended:
            self._ended = True
            line = describe(self._stage, *self._counts)
            self._write(f"gazetteer: {line}, done in {now - self._stage_start:.1f} s")

    def close(self) -> None:
        """Nothing to do: a stage that ended has said so (a failed build raises)."""


class RichReporter:
    """A rich bar per stage, on a terminal (stderr unless told)."""

    def __init__(self, stream: TextIO | None = None, *, reason: str | None = None) -> None:
        from rich.console import Console

        self.console = Console(file=stream or sys.stderr, force_jupyter=False)
        self.reason = reason
        self._bar: Any = None
        self._tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        """Report that ``stage`` has done ``done`` of ``total`` (None: unknown)."""
        if self._bar is None:
            from rich.progress import Progress

            self.console.print(header(self.reason), highlight=False, markup=False)
            self._bar = Progress(console=self.console, transient=False)
            self._bar.start()
        if stage not in self._tasks:
            for task in self._bar.tasks:  # the earlier stages are over: show them full
                if not task.finished:
                    end = task.total or task.completed or 1
                    self._bar.update(task.id, total=end, completed=end)
            self._tasks[stage] = self._bar.add_task(f"gazetteer: {stage}", total=total)
        self._bar.update(self._tasks[stage], completed=done, total=total)

    def close(self) -> None:
        """Stop the bar (it stays on the screen)."""
        if self._bar is not None:
            self._bar.stop()


class NotebookReporter:
    """One line per stage in a notebook cell's output, updated in place.

    Uses IPython's ``display`` (present in any kernel) with a display id: an
    HTML ``<progress>`` bar, with the plain text for front ends that show no HTML.
    """

    def __init__(
        self, *, reason: str | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        from IPython.display import display

        self._display: Callable[..., Any] = display
        self.reason = reason
        self.clock = clock
        self._handle: Any = None
        self._stage: str | None = None
        self._stage_start = self._last = 0.0

    @staticmethod
    def _bundle(text: str, done: int, total: int | None) -> dict[str, str]:
        value = f' value="{min(done, total)}" max="{total}"' if total else ""
        return {
            "text/plain": f"gazetteer: {text}",
            "text/html": f"<progress{value}></progress> <code>gazetteer: {html.escape(text)}</code>",
        }

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        """Report that ``stage`` has done ``done`` of ``total`` (None: unknown)."""
        now = self.clock()
        if self._stage is None:
            self._display({"text/plain": header(self.reason)}, raw=True)
        if stage != self._stage:
            self._stage, self._stage_start, self._last = stage, now, now
            self._handle = None
        finished = total is not None and done >= total
        text = describe(stage, done, total)
        if finished:
            text += f", done in {now - self._stage_start:.1f} s"
        bundle = self._bundle(text, done, total)
        if self._handle is None:
            self._handle = self._display(bundle, raw=True, display_id=True)
        elif finished or now - self._last >= NOTEBOOK_INTERVAL:
            self._last = now
            self._handle.update(bundle, raw=True)

    def close(self) -> None:
        """Nothing to stop: the lines stay in the cell's output."""


class _Silent:
    def __call__(self, stage: str, done: int, total: int | None) -> None:
        return None

    def close(self) -> None:
        return None


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (IPython is never imported to find out)."""
    ipython = sys.modules.get("IPython")
    if ipython is None or "ipykernel" not in sys.modules:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:  # an odd IPython: not a notebook we know how to draw in
        return False
    return shell is not None and type(shell).__name__ in ("ZMQInteractiveShell", "Shell")


def choose_reporter(stream: TextIO | None = None, *, reason: str | None = None) -> Reporter:
    """The reporter that shows progress where it is seen.

    A notebook (when ``stream`` is the process's stderr), else a rich bar when
    ``stream`` is a terminal, else plain lines on ``stream`` (stderr by default).
    """
    target = sys.stderr if stream is None else stream
    if target is sys.stderr and in_notebook():
        try:
            return NotebookReporter(reason=reason)
        except ImportError:
            pass
    try:
        terminal = target.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        terminal = False
    if terminal:
        return RichReporter(target, reason=reason)
    return PlainReporter(target, reason=reason)


def reporter(
    progress: ProgressCallback | bool | None,
    *,
    stream: TextIO | None = None,
    reason: str | None = None,
) -> tuple[ProgressCallback, Callable[[], None]]:
    """Turn ``Gazetteer.open``'s ``progress`` option into a callback and a function ending it.

    A callable is used as given; ``False`` is silent; ``True`` and ``None`` show
    progress (:func:`choose_reporter`).
    """
    if callable(progress):
        return progress, lambda: None
    chosen: Reporter = _Silent() if progress is False else choose_reporter(stream, reason=reason)
    return chosen, chosen.close
