"""The typer application, global options and error handling shared by subcommands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import typer

from geo_events.errors import GeoEventsError, InputError, InputTooLargeError, ValidationError

EXIT_OK, EXIT_NOTHING, EXIT_INPUT, EXIT_FAILED = 0, 1, 2, 3

app = typer.Typer(
    name="geo-events",
    help="Offline conflict-event mapper: geocode places, extract events, draw maps.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

_state: dict[str, Any] = {"debug": False, "quiet": False}
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


@app.callback()
def _global(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Offline conflict-event mapper: geocode places, extract events, draw maps."""
    _state["debug"] = debug
    _state["quiet"] = quiet


def show_progress() -> bool | None:
    """Progress bars unless ``--quiet`` (None: only on a terminal)."""
    return False if _state["quiet"] else None


def counted(items: Iterable[T], label: str) -> Iterator[T]:
    """Yield ``items``, showing a running count on stderr when it is a terminal.

    For streams of unknown length (articles from a folder or a feed): the bar
    counts what has been done and how fast.
    """
    with row_counter(label) as progress:
        for done, item in enumerate(items, start=1):
            yield item
            if progress is not None:
                progress(done)


@contextmanager
def row_counter(label: str) -> Iterator[Callable[[int], None] | None]:
    """A callback that shows ``label: N`` on a terminal (None when there is none)."""
    if _state["quiet"] or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}: {task.completed:,}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done: bar.update(task, completed=done)


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the Exit to raise."""
    typer.echo(f"geo-events: error: {' '.join(message.split())[:500]}", err=True)
    return typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Turn expected errors into one line and an exit code (tracebacks with --debug)."""
    try:
        yield
    except typer.Exit:
        raise
    except InputTooLargeError as exc:
        if _state["debug"]:
            raise
        hint = " (on the command line: --max-bytes N or --max-rows N; 'none' for no limit)"
        raise fail(f"{type(exc).__name__}: {exc}{hint}", EXIT_INPUT) from exc
    except (InputError, ValidationError, FileNotFoundError, IsADirectoryError,
            UnicodeDecodeError, PermissionError) as exc:  # fmt: skip
        if _state["debug"]:
            raise
        raise fail(f"{type(exc).__name__}: {exc}", EXIT_INPUT) from exc
    except (GeoEventsError, OSError, ValueError) as exc:
        if _state["debug"]:
            raise
        raise fail(f"{type(exc).__name__}: {exc}", EXIT_FAILED) from exc


def main() -> None:
    """Entry point of the ``geo-events`` script."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("geo-events: interrupted", err=True)
        sys.exit(130)
