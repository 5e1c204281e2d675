"""The typer application, global options and error handling shared by subcommands."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer
from typer.core import TyperCommand, TyperGroup

from geo_events.cli.progress import row_progress, stage_progress
from geo_events.errors import (
    GazetteerNameError,
    GeoEventsError,
    InputError,
    InputTooLargeError,
    ValidationError,
)

if TYPE_CHECKING:
    from geo_events.gazetteer import Gazetteer

EXIT_OK, EXIT_NOTHING, EXIT_INPUT, EXIT_FAILED = 0, 1, 2, 3

_state: dict[str, Any] = {"debug": False, "quiet": False, "gazetteer": None}
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _click_error(name: str) -> type[Exception]:
    """The click exception class ``name`` that typer raises (typer vendors click since 0.2x)."""
    for klass in typer.BadParameter.__mro__:
        if klass.__name__ == name:
            return cast("type[Exception]", klass)
    raise ImportError(f"typer has no {name}")  # pragma: no cover


_UsageError = _click_error("UsageError")
_ClickException = _click_error("ClickException")


def _one_line(message: str) -> str:
    return " ".join(message.split())[:500]


class _Group(TyperGroup):
    """The root command: every click usage error becomes one line on stderr and exit 2."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; exit with its code (see ``geo_events.cli``)."""
        call = functools.partial(
            super().main, args, prog_name or "geo-events", complete_var,
            windows_expand_args=windows_expand_args, **extra,
        )  # fmt: skip
        if not standalone_mode:
            return call(standalone_mode=False)
        try:
            code = call(standalone_mode=False)
        except _UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `geo-events`: the help
                exc.show()  # type: ignore[attr-defined]
                sys.exit(EXIT_INPUT)
            ctx = getattr(exc, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
            message = exc.format_message().replace("Value error, ", "")  # type: ignore[attr-defined]
            typer.echo(f"geo-events: error: {_one_line(message)}{hint}", err=True)
            sys.exit(EXIT_INPUT)
        except _ClickException as exc:
            typer.echo(f"geo-events: error: {_one_line(str(exc))}", err=True)
            sys.exit(getattr(exc, "exit_code", EXIT_FAILED))
        except typer.Abort:
            typer.echo("geo-events: aborted", err=True)
            sys.exit(EXIT_NOTHING)
        if code == 130:
            typer.echo("geo-events: interrupted", err=True)
        sys.exit(code if isinstance(code, int) else EXIT_OK)


def _argument_name(param: Any) -> str:
    """An argument as help shows it: its metavar (else its name), ``...`` when repeatable."""
    name = str(param.metavar or param.name.upper())
    return f"{name}..." if param.nargs != 1 else name


class _Command(TyperCommand):
    """A subcommand whose arguments show as ``TABLE`` or ``[INPUT...]`` in --help.

    (typer would write ``{table}`` and ``TABLE <str>``.)
    """

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line: ``[OPTIONS] TABLE`` (``[INPUT...]`` when optional)."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """The Arguments and Options sections, arguments named by their metavars."""
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((_argument_name(param), record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


HELP = "Offline conflict-event mapper: geocode places, extract events, draw maps."

app = typer.Typer(
    name="geo-events",
    cls=_Group,
    help=HELP,
    epilog="Exit codes: 0 done, 1 nothing found, 2 bad usage or unreadable input, "
    "3 the work failed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from geo_events import __version__

        typer.echo(f"geo-events {__version__}")
        raise typer.Exit(EXIT_OK)


DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")]
QuietOpt = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress (warnings and errors still show).")
]
GazetteerOpt = Annotated[
    str | None,
    typer.Option(
        "--gazetteer",
        metavar="NAME",
        help="The named gazetteer to use (default: $GEO_EVENTS_GAZETTEER, else the one "
        "'gazetteer use' chose, else 'default'), or a built index folder.",
        show_default=False,
    ),
]


@app.callback()
def _global(
    debug: DebugOpt = False,
    quiet: QuietOpt = False,
    gazetteer: GazetteerOpt = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Offline conflict-event mapper: geocode places, extract events, draw maps."""
    _state["debug"] = debug
    _state["quiet"] = quiet
    _state["gazetteer"] = gazetteer


def global_options(func: F) -> F:
    """Add ``-q/--quiet``, ``--debug`` and ``--gazetteer`` to a command, so they work after it too.

    ``geo-events -q geocode x.csv`` and ``geo-events geocode x.csv -q`` set the same state.
    """
    signature = inspect.signature(func, eval_str=True)
    extra = [
        inspect.Parameter("global_quiet", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=QuietOpt),
        inspect.Parameter("global_debug", inspect.Parameter.KEYWORD_ONLY, default=False,
                          annotation=DebugOpt),
        inspect.Parameter("global_gazetteer", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=GazetteerOpt),
    ]  # fmt: skip

    @functools.wraps(func)
    def command(*args: Any, global_quiet: bool = False, global_debug: bool = False,
                global_gazetteer: str | None = None, **kwargs: Any) -> Any:  # fmt: skip
        if global_quiet:
            _state["quiet"] = True
        if global_debug:
            _state["debug"] = True
        if global_gazetteer:
            _state["gazetteer"] = global_gazetteer
        return func(*args, **kwargs)

    command.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), *extra]
    )
    command.__annotations__ = {
        **{name: p.annotation for name, p in signature.parameters.items()},
        "global_quiet": QuietOpt, "global_debug": DebugOpt, "global_gazetteer": GazetteerOpt,
        "return": signature.return_annotation,
    }  # fmt: skip
    return cast("F", command)


def examples(*lines: str) -> str:
    """An ``epilog`` listing example command lines, each kept on its own line in --help."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def command(
    group: typer.Typer, name: str, *, epilog: str | None = None, **options: Any
) -> Callable[[F], F]:
    """Register ``func`` as ``name`` on ``group``, with the global options and ``epilog``."""

    def register(func: F) -> F:
        group.command(name, cls=_Command, epilog=epilog, **options)(global_options(func))
        return func

    return register


def quiet() -> bool:
    """Whether ``-q`` was given (progress off)."""
    return bool(_state["quiet"])


def gazetteer_name() -> str | None:
    """The ``--gazetteer`` given, or None (the library then chooses: env, config, default)."""
    name = _state["gazetteer"]
    return str(name) if name else None


def warn(message: str) -> None:
    """One warning line on stderr (shown with ``-q`` too: -q only silences progress)."""
    typer.echo(f"geo-events: warning: {_one_line(message)}", err=True)


def counted(items: Iterable[T], label: str) -> Iterator[T]:
    """Yield ``items``, showing on stderr how many have been done and how fast.

    For streams of unknown length (articles from a folder or a feed): a count and
    a rate, no total.
    """
    with row_progress(unit=label, enabled=not quiet()) as progress:
        for done, item in enumerate(items, start=1):
            yield item
            if progress is not None:
                progress(done)


@contextmanager
def row_counter(label: str = "", *, approximate: bool = False) -> Iterator[Any]:
    """A table reader's ``progress`` callback on stderr (None with ``-q``).

    It takes a ``ReadProgress`` (or a bare row count); ``approximate``: the total
    is an estimate (a text file's, from the bytes read).
    """
    with row_progress(label, approximate=approximate, enabled=not quiet()) as progress:
        yield progress


@contextmanager
def gazetteer_progress() -> Iterator[Callable[[str, int, int | None], None]]:
    """The gazetteer build's progress callback, drawn on stderr (nothing with ``-q``)."""
    with stage_progress("gazetteer", enabled=not quiet()) as progress:
        yield progress


_opened: dict[str, Gazetteer] = {}


def default_gazetteer() -> Gazetteer:
    """The default gazetteer, opened once, its first build's progress on stderr.

    (The library's own default shows its bar on stdout, which may carry events.)
    """
    from geo_events.gazetteer import Gazetteer
    from geo_events.gazetteer.cache import default_cache_dir

    key = f"{default_cache_dir()}|{gazetteer_name()}"
    if key not in _opened:
        with gazetteer_progress() as progress:
            _opened[key] = Gazetteer.open(None, name=gazetteer_name(), progress=progress)
    return _opened[key]


def fail(message: str, code: int = EXIT_INPUT) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the Exit to raise."""
    typer.echo(f"geo-events: error: {_one_line(message)}", err=True)
    return typer.Exit(code)


@contextmanager
def handled() -> Iterator[None]:
    """Turn expected errors into one line and an exit code (tracebacks with --debug)."""
    try:
        yield
    except (typer.Exit, BrokenPipeError):  # a closed pipe: typer exits quietly
        raise
    except InputTooLargeError as exc:
        if _state["debug"]:
            raise
        hint = " (on the command line: --max-bytes N or --max-rows N; 'none' for no limit)"
        raise fail(f"{type(exc).__name__}: {exc}{hint}", EXIT_INPUT) from exc
    except (InputError, ValidationError, FileNotFoundError, IsADirectoryError,
            UnicodeDecodeError, PermissionError, GazetteerNameError) as exc:  # fmt: skip
        if _state["debug"]:
            raise
        raise fail(f"{type(exc).__name__}: {exc}", EXIT_INPUT) from exc
    except (GeoEventsError, OSError, ValueError) as exc:
        if _state["debug"]:
            raise
        raise fail(f"{type(exc).__name__}: {exc}", EXIT_FAILED) from exc


def main() -> None:
    """Entry point of the ``geo-events`` script."""
    app(prog_name="geo-events")
