"""Progress on stderr: a live bar on a terminal, a plain line every few seconds otherwise.

stdout is never written to (it may carry events). ``-q`` silences all of it.
On a terminal the bar shows the count, the total (``~`` when estimated), the
rate and the time left; anywhere else (a log file, CI) a line such as::

    geo-events: 120,000 of ~400,000 rows (30%), 21,000 rows/s, ETA 13 s

is printed every :data:`PLAIN_INTERVAL` seconds (none for a read that ends sooner).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

#: Seconds between two plain progress lines when stderr is not a terminal.
PLAIN_INTERVAL = 5.0


def _now() -> float:
    return time.monotonic()


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _duration(seconds: float) -> str:
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def describe(
    done: int,
    total: int | None,
    fraction: float | None,
    elapsed: float,
    *,
    unit: str = "rows",
    approximate: bool = False,
) -> str:
    """One progress line: ``120,000 of ~400,000 rows (30%), 21,000 rows/s, ETA 13 s``.

    ``fraction`` (share of the input consumed) gives the percentage and the time
    left when known, else ``done / total``; without either, the count and rate only.
    """
    if fraction is None and total:
        fraction = min(1.0, done / total)
    finished = fraction is not None and fraction >= 1.0
    unit_s = f" {unit}" if unit else ""
    if total is not None:
        about = "~" if approximate and not finished else ""
        parts = [f"{done:,} of {about}{total:,}{unit_s}"]
    else:
        parts = [f"{done:,}{unit_s}"]
    if fraction is not None:
        parts[0] += f" ({fraction:.0%})"
    if elapsed > 0 and done:
        parts.append(f"{_number(done / elapsed)} {unit or 'items'}/s")
    if fraction and not finished and elapsed > 0:
        parts.append(f"ETA {_duration(elapsed * (1 - fraction) / fraction)}")
    return ", ".join(parts)


def _as_counts(value: Any) -> tuple[int, int | None, float | None]:
    """``(rows, total, fraction)`` of a ``ReadProgress``, or of a bare row count.

    A ``ReadProgress`` counts the rows finished (``done``: read, checked and geocoded)
    against the total, so the share and the time left are of the work, not of the
    parsing, which runs ahead of it by a chunk.
    """
    if isinstance(value, int):
        return value, None, None
    total = getattr(value, "total", None)
    fraction = getattr(value, "fraction", None)
    done = getattr(value, "done", None)
    if done is None:
        rows = int(value.rows)
    else:
        rows = int(done)
        fraction = min(1.0, rows / total) if total else None
    return rows, None if total is None else int(total), fraction


@dataclass
class _Meter:
    """How far one task is, shown on a rich bar or as plain lines."""

    label: str
    unit: str
    approximate: bool
    bar: Progress | None
    start: float = 0.0
    last_line: float = 0.0
    task: TaskID | None = field(default=None)

    def __post_init__(self) -> None:
        self.start = self.last_line = _now()

    def update(self, done: int, total: int | None = None, fraction: float | None = None) -> None:
        now = _now()
        line = describe(done, total, fraction, now - self.start, unit=self.unit,
                        approximate=self.approximate)  # fmt: skip
        if self.bar is not None:
            if self.task is None:
                self.task = self.bar.add_task(self.label, total=total, line=line)
            self.bar.update(self.task, completed=done, total=total, line=line)
            return
        if now - self.last_line >= PLAIN_INTERVAL:
            self.last_line = now
            prefix = f"{self.label}: " if self.label else ""
            print(f"geo-events: {prefix}{line}", file=sys.stderr, flush=True)


def _rich_bar(console: Console | None) -> Progress:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(bar_width=12),
        TextColumn("{task.fields[line]}"),
        console=console or Console(stderr=True),
        transient=True,
    )


@contextmanager
def _display(
    enabled: bool, console: Console | None = None, terminal: bool | None = None
) -> Iterator[tuple[bool, Progress | None]]:
    """Whether to show progress and the rich bar to draw it on (None: plain lines)."""
    if not enabled:
        yield False, None
        return
    if terminal is None:
        terminal = console.is_terminal if console is not None else sys.stderr.isatty()
    if not terminal:
        yield True, None
        return
    bar = _rich_bar(console)
    with bar:
        yield True, bar


@contextmanager
def row_progress(
    label: str = "",
    *,
    unit: str = "rows",
    approximate: bool = False,
    enabled: bool = True,
    console: Console | None = None,
    terminal: bool | None = None,
) -> Iterator[Callable[[Any], None] | None]:
    """A ``progress`` callback for the table readers (None when progress is off).

    It takes a ``ReadProgress`` (``rows``, ``total``, ``fraction``) or a bare row
    count; ``approximate`` marks the total as an estimate (text files).
    """
    with _display(enabled, console, terminal) as (show, bar):
        if not show:
            yield None
            return
        meter = _Meter(label, unit, approximate, bar)
        yield lambda value: meter.update(*_as_counts(value))


@contextmanager
def stage_progress(
    label: str, *, enabled: bool = True, console: Console | None = None
) -> Iterator[Callable[[str, int, int | None], None]]:
    """A ``(stage, done, total)`` callback (the gazetteer build's), one meter per stage."""
    with _display(enabled, console) as (show, bar):
        meters: dict[str, _Meter] = {}

        def update(stage: str, done: int, total: int | None) -> None:
            if not show:
                return
            if stage not in meters:
                meters[stage] = _Meter(f"{label}: {stage}", "", False, bar)
            meters[stage].update(done, total)

        yield update
