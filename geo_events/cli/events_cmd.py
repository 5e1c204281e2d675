"""``geo-events extract|geocode|map|export``: articles and tables to events, maps and files."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from geo_events.cli.app import (
    EXIT_INPUT,
    EXIT_NOTHING,
    app,
    command,
    counted,
    default_gazetteer,
    examples,
    fail,
    handled,
    row_counter,
    warn,
)

if TYPE_CHECKING:
    import geopandas as gpd

    from geo_events.io.read_options import ReadOptions

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json", ".rss", ".xml", ".atom"}
EVENTS_SUFFIXES = {".geojson", ".gpkg", ".parquet", ".geoparquet"}
TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xls", ".zip"}
STREAMED_SUFFIXES = {".csv", ".tsv", ".txt"}
#: Rows per chunk the commands read tables in: progress moves once a chunk is done, so
#: smaller than the library's 250,000 (a few seconds apart here); as fast within noise.
CHUNK_ROWS = 100_000
#: Output suffixes of the JSON Lines format (one GeoJSON Feature per line).
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".geojsonl", ".geojsonseq"}
SAMPLE_ARTICLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "sample_article.txt"

#: Where the CLI keeps its limits: the readers' keyword names (the library's defaults apply
#: when a flag is not given).
Limits = dict[str, int | None]

MaxBytes = Annotated[
    str | None,
    typer.Option(
        "--max-bytes",
        metavar="N|none",
        help="Size limit of one input in bytes: a table file (uncompressed for XLSX), or one "
        "article (default: 4 GiB for tables, 50 MiB per article; 'none' for no limit).",
    ),
]
MaxRows = Annotated[
    str | None,
    typer.Option(
        "--max-rows", metavar="N|none", help="Refuse a table with more rows (default: no limit)."
    ),
]


def _limits(max_bytes: str | None, max_rows: str | None = None) -> Limits:
    """The ``--max-bytes``/``--max-rows`` flags as reader keywords (only those given)."""
    limits: Limits = {}
    for flag, key, text in (
        ("--max-bytes", "max_bytes", max_bytes),
        ("--max-rows", "max_rows", max_rows),
    ):
        if text is None:
            continue
        if text.strip().lower() == "none":
            limits[key] = None
            continue
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            what = "bytes" if key == "max_bytes" else "rows"
            raise fail(f"{flag} must be a whole number of {what} or 'none', not {text!r}") from None
        least = 1 if key == "max_bytes" else 0
        if value < least:
            raise fail(f"{flag} must be {least} or more (or 'none'), not {text!r}")
        limits[key] = value
    return limits


Published = Annotated[
    str | None,
    typer.Option(
        "--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for relative dates."
    ),
]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(f"--published must be a date like 2017-09-25, not {text!r}") from None


def _country(code: str | None) -> str | None:
    """The --country value checked before any article is read (a bad one is a usage error)."""
    if code is None:
        return None
    from geo_events.text.coding import acled_country

    if len(code.strip()) != 2 or not acled_country(code.strip()):
        raise fail(f"--country must be an ISO 3166 alpha-2 code such as KE or UA, not {code!r}")
    return code.strip().upper()


# ----------------------------------------------------------------------------- reading


def _events_from_articles(
    inputs: list[str],
    published: dt.date | None,
    source: str | None,
    limits: Limits | None = None,
    country: str | None = None,
    workers: int | None = None,
) -> tuple[gpd.GeoDataFrame, str]:
    from geo_events.events.from_articles import events_from_articles
    from geo_events.io.articles import read_articles
    from geo_events.text.article import Article
    from geo_events.text.extract import extract_many

    per_article = {k: v for k, v in (limits or {}).items() if k == "max_bytes"}
    undated: set[str] = set()

    def articles() -> Iterator[Any]:
        for item in inputs:
            if item != "-" and not Path(item).exists():
                raise FileNotFoundError(f"{item} does not exist")
            for article in read_articles(item, published=published, source=source,
                                         **per_article):  # fmt: skip
                if isinstance(article, Article) and article.published is None:
                    undated.add(article.id)
                yield article

    gazetteer = default_gazetteer()
    stream: Iterator[Any] = counted(articles(), "articles")
    if workers is not None and workers > 1:
        # extracted in worker processes, results in input order, taken as they are
        stream = extract_many(stream, gazetteer=gazetteer, country=country, workers=workers)
    events = events_from_articles(stream, gazetteer=gazetteer, country=country)
    report = events.attrs["articles"]
    for row in report.table.itertuples():
        if row.events == 0:
            typer.echo(f"  {row.article_id}: no events ({row.reason})", err=True)
    if undated and len(events):
        no_date = events["article_id"].isin(list(undated)) & events["event_date"].isna()
        if no_date.any():
            n = events.loc[no_date, "article_id"].nunique()
            warn(f"{n} article(s) have no date; {int(no_date.sum())} of their event(s) have "
                 "no event_date (give --published YYYY-MM-DD)")  # fmt: skip
    return events, str(report.summary())


def _read_options(columns: dict[str, str | None], limits: Limits | None) -> ReadOptions:
    """The reader's options from the column flags and limits given (the rest as the library's)."""
    from geo_events.io.read_options import DEFAULT_MAX_BYTES, ReadOptions, TableColumns

    limits = limits or {}
    return ReadOptions(columns=TableColumns(**columns), chunksize=CHUNK_ROWS,
                       max_bytes=limits.get("max_bytes", DEFAULT_MAX_BYTES),
                       max_rows=limits.get("max_rows"))  # fmt: skip


def _events_from_table(
    path: str, columns: dict[str, str | None], limits: Limits | None = None
) -> tuple[gpd.GeoDataFrame, str]:
    from geo_events.io.tables import events_from_table

    options = _read_options(columns, limits)
    approximate = Path(path).suffix.lower() in STREAMED_SUFFIXES
    gazetteer = default_gazetteer()
    with row_counter(approximate=approximate) as progress:
        events = events_from_table(path, options=options, progress=progress, gazetteer=gazetteer)
    report = events.attrs["report"]
    if len(events) == 0:
        why = f" ({report.issues[0].message})" if getattr(report, "issues", None) else ""
        raise fail(f"{path}: the table has no rows{why}", EXIT_INPUT)
    return events, str(report.summary())


def _read_events_file(path: str | Path) -> gpd.GeoDataFrame:
    """Read one of our own events files (.geojson, .gpkg, .parquet, .csv, .jsonl).

    A table that is not a geo_events file is refused (exit 2) before any work: it
    is for ``geo-events geocode``.
    """
    import importlib
    import warnings

    if Path(path).suffix.lower() in JSONL_SUFFIXES:
        with tempfile.TemporaryDirectory(prefix="geo-events-") as tmp:
            geojson = Path(tmp) / "events.geojson"
            _lines_as_features(Path(path), geojson)
            return _read_events_file(geojson)
    try:
        reader = importlib.import_module("geo_events.io.events_files").read_events
    except (ImportError, AttributeError):  # an older geo_events
        from geo_events.io import writers

        reader = getattr(writers, "read_events", None) or writers.read_events_file
    with warnings.catch_warnings():
        # the reader's deprecated fallback for foreign tables: refuse them instead
        warnings.filterwarnings("error", ".*not a geo_events file", DeprecationWarning)
        try:
            events: gpd.GeoDataFrame = reader(path)
        except DeprecationWarning:
            raise fail(
                f"{path} is not a geo_events events file; read other tables with "
                "'geo-events geocode'"
            ) from None
    return events


def _events_from_inputs(
    inputs: list[str],
    published: dt.date | None,
    source: str | None,
    columns: dict[str, Any],
    limits: Limits | None = None,
) -> tuple[gpd.GeoDataFrame, str]:
    """Read events from article files, tables or events files (by suffix)."""
    first = Path(inputs[0])
    suffix = first.suffix.lower()
    if inputs == ["-"] or first.is_dir() or suffix in ARTICLE_SUFFIXES:
        return _events_from_articles(inputs, published, source, limits)
    if len(inputs) > 1:
        raise fail("give one table or events file at a time (or several article files)")
    if not first.exists():
        raise FileNotFoundError(f"{first} does not exist")
    if suffix in EVENTS_SUFFIXES:
        events = _read_events_file(first)
        return events, f"{len(events)} event(s) read from {first}"
    return _events_from_table(str(first), columns, limits)


# ----------------------------------------------------------------------------- writing

OutFormat = Literal["csv", "geojson", "jsonl"]
FORMATS = "csv|geojson|jsonl"


class _Target:
    """Where and how events are written: ``-o`` (a file or ``-``) and ``--format``.

    Checked before any work, so a bad ``-o``/``--format`` is a usage error
    (exit 2) and not a failure after an hour of geocoding.
    """

    def __init__(self, output: str, fmt: str | None) -> None:
        from geo_events.errors import InputError
        from geo_events.io.writers import EventsWriter

        self.output = output
        self.stdout = output == "-"
        suffix = Path(output).suffix.lower()
        by_suffix: str | None = None
        if not self.stdout:
            if suffix in JSONL_SUFFIXES:
                by_suffix = "jsonl"
            else:
                with contextlib.suppress(InputError):
                    by_suffix = EventsWriter(output).format
        if fmt is not None and by_suffix is not None and fmt != by_suffix:
            raise fail(
                f"-o {output} is {by_suffix} by its suffix, but --format says {fmt}; "
                "give one or the other"
            )
        chosen = fmt or by_suffix or ("geojson" if self.stdout else None)
        if chosen is None:
            raise fail(
                f"cannot tell the format of -o {output} from its suffix: give --format "
                f"{FORMATS}, or end the name in .geojson, .gpkg, .parquet, .csv or .jsonl"
            )
        self.format: str = chosen

    @contextlib.contextmanager
    def file(self) -> Iterator[Path]:
        """A path to write the output to; on success it ends up at ``-o`` or on stdout.

        A file in a format the writers know is written in place (they replace it
        only when complete); stdout and JSON Lines go through a temporary file.
        """
        if not self.stdout and self.format != "jsonl":
            yield Path(self.output)
            return
        with tempfile.TemporaryDirectory(prefix="geo-events-") as tmp:
            suffix = ".jsonl" if self.format == "jsonl" else f".{self.format}"
            path = Path(tmp) / f"events{suffix}"
            yield path
            if self.stdout:
                sys.stdout.flush()
                out = getattr(sys.stdout, "buffer", None)
                with open(path, "rb") as handle:
                    if out is None:
                        sys.stdout.write(handle.read().decode("utf-8"))
                    else:
                        shutil.copyfileobj(handle, out)
                        out.flush()
            else:
                final = Path(self.output)
                final.parent.mkdir(parents=True, exist_ok=True)
                partial = final.with_name(f".{final.name}.{os.getpid()}.part")
                shutil.move(path, partial)
                os.replace(partial, final)


def _features_as_lines(geojson: Path, out: Any) -> None:
    """Append the features of a GeoJSON file to ``out`` (binary), one per line."""
    with open(geojson, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    for feature in features:
        line = json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        out.write(line.encode("utf-8") + b"\n")


def _lines_as_features(jsonl: Path, geojson: Path) -> None:
    """Write the features of a JSON Lines file (one per line) as a GeoJSON FeatureCollection."""
    with open(jsonl, encoding="utf-8") as lines, open(geojson, "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","features":[\n')
        first = True
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                feature = json.loads(line)
            except ValueError as err:
                raise fail(f"{jsonl}:{number}: not a JSON object ({err})") from None
            out.write(("" if first else ",\n") + json.dumps(feature, ensure_ascii=False))
            first = False
        out.write("\n]}\n")


def _write(events: gpd.GeoDataFrame, target: _Target) -> None:
    from geo_events.io.writers import write_events

    with target.file() as path:
        if target.format != "jsonl":
            write_events(events, path, format=target.format)
            return
        geojson = path.with_suffix(".geojson")
        write_events(events, geojson, format="geojson")
        with open(path, "wb") as out:
            _features_as_lines(geojson, out)
        geojson.unlink()


def _stream_table(
    path: str, columns: dict[str, str | None], target: _Target, limits: Limits | None = None
) -> str:
    """Read a delimited text table chunk by chunk into ``target``; return the summary.

    Memory stays bounded by the chunk size; the output (a file, or stdout) appears
    only when the whole table has been written.
    """
    from geo_events.io.tables import iter_events
    from geo_events.io.writers import EventsWriter, write_events

    options = _read_options(columns, limits)
    gazetteer = default_gazetteer()
    with contextlib.ExitStack() as stack:
        progress = stack.enter_context(row_counter(approximate=True))
        chunks = iter_events(path, options=options, progress=progress, gazetteer=gazetteer)
        stack.callback(chunks.close)
        first = next(chunks, None)
        if first is None:
            report = chunks.report
            why = f" ({report.issues[0].message})" if report.issues else ""
            raise fail(f"{path}: the table has no rows{why}", EXIT_INPUT)
        out = stack.enter_context(target.file())
        if target.format == "jsonl":
            with open(out, "wb") as lines:
                part = out.with_suffix(".geojson")
                for chunk in _chain(first, chunks):
                    write_events(chunk, part, format="geojson")
                    _features_as_lines(part, lines)
            return chunks.report.summary()
        with EventsWriter(out, format=target.format) as writer:
            writer.write_all(_chain(first, chunks))
        return chunks.report.summary()
    raise AssertionError("unreachable")  # pragma: no cover


def _chain(first: gpd.GeoDataFrame, rest: Iterator[gpd.GeoDataFrame]) -> Iterator[Any]:
    yield first
    yield from rest


Output = Annotated[
    str,
    typer.Option(
        "--output",
        "-o",
        metavar="PATH",
        help="Output file (.geojson, .gpkg, .parquet, .csv, .jsonl); - for stdout.",
    ),
]
Format = Annotated[
    OutFormat | None,
    typer.Option(
        "--format",
        metavar=f"[{FORMATS}]",
        help="Output format (default: from the suffix of -o; geojson for -o -). jsonl: one "
        "GeoJSON Feature per line.",
        show_default=False,
    ),
]
Inputs = Annotated[
    list[str],
    typer.Argument(metavar="INPUT", help="Files or folders; - reads standard input."),
]


def _column(name: str) -> Any:
    return typer.Option(f"--{name}", metavar="COLUMN", help="Column name (default: guessed).")


@command(
    app,
    "extract",
    epilog=examples(
        "geo-events extract article.txt --published 2017-09-25 -o events.geojson",
        "cat article.txt | geo-events extract - --format jsonl > events.jsonl",
    ),
)
def extract(
    inputs: Inputs,
    output: Output = "-",
    format: Format = None,
    published: Published = None,
    source: Annotated[
        str | None,
        typer.Option(metavar="NAME", help="Outlet, when the articles don't say."),
    ] = None,
    max_bytes: MaxBytes = None,
    country: Annotated[
        str | None,
        typer.Option(
            metavar="CODE",
            help="Country the articles are about (ISO code, e.g. KE): names the actors of "
            "events whose text names no place ('Rioters (Kenya)'); default: learnt from the "
            "articles.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            min=1,
            help="Extract in N processes (default: in this one); same events, in the same "
            "order. Worth it from a few hundred articles on.",
        ),
    ] = None,
) -> None:
    """Extract events from articles (txt, html, jsonl, rss, a folder) into an events file."""
    target = _Target(output, format)
    with handled():
        events, summary = _events_from_articles(
            inputs, _date(published), source, _limits(max_bytes), _country(country), workers
        )
        _write(events, target)
    typer.echo(summary, err=True)
    if len(events) == 0:
        raise typer.Exit(EXIT_NOTHING)


def _geocode_on_dask(
    table: str, output: str, format: str | None, columns: dict[str, str | None],
    limits: Limits, workers: int | None, scheduler: str | None,
) -> str:  # fmt: skip
    """``geocode --workers N`` / ``--scheduler ADDRESS``: the table on dask; return the summary.

    ``-o FOLDER`` (no suffix, no ``--format``): GeoParquet partitioned by country and
    year, written by the workers; otherwise the events are gathered here and
    written as one file, as without dask.
    """
    from geo_events import scale

    to_folder = output != "-" and format is None and not Path(output).suffix
    target = None if to_folder else _Target(output, format)
    options: dict[str, Any] = {k: v for k, v in columns.items() if v is not None}
    options.update(limits)
    gazetteer = default_gazetteer()
    with scale.dask_client(workers, scheduler=scheduler):
        events = scale.events_from_table(table, gazetteer=gazetteer, **options)
        if target is None:
            report = scale.write_partitioned(events, output)
        else:
            frame = scale.compute_events(events)
            report = frame.attrs["report"]
            if len(frame) == 0:
                raise fail(f"{table}: the table has no rows", EXIT_INPUT)
            _write(frame, target)
    return str(report.summary())


@command(
    app,
    "geocode",
    epilog=examples(
        "geo-events geocode events.csv --location place -o events.geoparquet",
        "geo-events geocode acled.csv -o - --format csv | head",
    ),
)
def geocode(
    table: Annotated[
        str,
        typer.Argument(
            metavar="TABLE",
            help="CSV, XLSX or Parquet; ACLED/GDELT/UCDP or any table with a place column "
            "(with --workers/--scheduler also a quoted glob of files).",
        ),
    ],
    output: Output = "-",
    format: Format = None,
    location: Annotated[str | None, _column("location")] = None,
    country: Annotated[str | None, _column("country")] = None,
    admin1: Annotated[str | None, _column("admin1")] = None,
    admin2: Annotated[str | None, _column("admin2")] = None,
    max_bytes: MaxBytes = None,
    max_rows: MaxRows = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            metavar="N",
            min=1,
            help="Geocode on N local worker processes (dask; pip install 'geo_events[dask]'). "
            "With -o FOLDER (no suffix) the events are written there as GeoParquet "
            "partitioned by country and year.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            help="Geocode on a running dask cluster instead (tcp://host:8786); -o as for "
            "--workers.",
        ),
    ] = None,
) -> None:
    """Geocode a table's place column (admin fallback, precision recorded); every row is kept.

    CSV/TSV tables are read and written chunk by chunk (memory stays bounded).
    """
    if workers is not None or scheduler is not None:
        with handled():  # TABLE may be a glob of files here
            columns = {"location": location, "country": country, "admin1": admin1,
                       "admin2": admin2}  # fmt: skip
            summary = _geocode_on_dask(table, output, format, columns,
                                       _limits(max_bytes, max_rows), workers, scheduler)  # fmt: skip
        typer.echo(summary, err=True)
        return
    target = _Target(output, format)
    limits = _limits(max_bytes, max_rows)
    with handled():
        if not Path(table).exists():
            raise FileNotFoundError(f"{table} does not exist")
        columns = {"location": location, "country": country, "admin1": admin1, "admin2": admin2}
        if Path(table).suffix.lower() in STREAMED_SUFFIXES:
            summary = _stream_table(table, columns, target, limits)
        else:
            events, summary = _events_from_table(table, columns, limits)
            _write(events, target)
    typer.echo(summary, err=True)


@command(
    app,
    "export",
    epilog=examples(
        "geo-events export events.parquet -o events.geojson",
        "geo-events export events.gpkg -o - --format jsonl",
    ),
)
def export(
    events_file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="An events file (.geojson, .gpkg, .parquet, .csv)."),
    ],
    output: Output = "-",
    format: Format = None,
) -> None:
    """Convert an events file to another format (the format follows the output's suffix)."""
    target = _Target(output, format)
    with handled():
        if not Path(events_file).exists():
            raise FileNotFoundError(f"{events_file} does not exist")
        events = _read_events_file(events_file)
        _write(events, target)
    typer.echo(f"{len(events)} event(s) written", err=True)


def _tiles(name: str | None, attribution: str | None) -> dict[str, Any]:
    """The map's tile options from --tiles/--tiles-attribution, checked before any work."""
    if name is None:
        if attribution is not None:
            raise fail("--tiles-attribution goes with --tiles URL-TEMPLATE")
        return {}
    if name.strip().lower() == "none":
        return {"tiles": None}
    if "{z}" in name:
        if not attribution:
            raise fail("--tiles with a URL template needs --tiles-attribution TEXT")
        return {"tiles": name, "tiles_attribution": attribution}
    import xyzservices

    try:
        xyzservices.providers.query_name(name)
    except ValueError:
        raise fail(
            f"--tiles: unknown tile provider {name!r}; give an xyzservices name such as "
            "CartoDB.Positron or OpenStreetMap.Mapnik, a URL template, or 'none'"
        ) from None
    return {"tiles": name}


@command(
    app,
    "map",
    epilog=examples(
        "geo-events map --demo -o demo.html",
        "geo-events map article.txt --published 2017-09-25 -o map.html",
        "geo-events map acled.csv -o acled.html --tiles none",
    ),
)
def map_(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(metavar="INPUT", help="Articles, a table or an events file."),
    ] = None,
    output: Annotated[
        str,
        typer.Option("--output", "-o", metavar="PATH", help="HTML file to write; - for stdout."),
    ] = "map.html",
    published: Published = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Map the sample article shipped with geo_events.")
    ] = False,
    tiles: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Online tiles offered besides the built-in geography: an xyzservices name "
            "(CartoDB.Positron), a URL template, or 'none'.",
        ),
    ] = None,
    tiles_attribution: Annotated[
        str | None,
        typer.Option(metavar="TEXT", help="Credit of the provider of a URL-template --tiles."),
    ] = None,
    cdn: Annotated[
        bool,
        typer.Option(
            "--cdn",
            help="Link Leaflet on its CDN instead of putting it in the page (needs internet).",
        ),
    ] = False,
    assets: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Write scripts/stylesheets into this directory and link them from the page.",
        ),
    ] = None,
    self_contained: Annotated[
        bool,
        typer.Option(
            "--self-contained", hidden=True, help="Deprecated: maps are self-contained by default."
        ),
    ] = False,
    location: Annotated[str | None, _column("location")] = None,
    max_bytes: MaxBytes = None,
    max_rows: MaxRows = None,
) -> None:
    """Draw events from articles, a table or an events file on an interactive HTML map."""
    from geo_events.maps import events_map, save_map

    if cdn and assets is not None:
        raise fail("give --cdn or --assets, not both")
    if assets is not None and output == "-":
        raise fail("--assets needs -o FILE (the page links the files relative to itself)")
    if self_contained:
        if cdn or assets is not None:
            option = "--cdn" if cdn else "--assets"
            raise fail(f"give --self-contained or {option}, not both ({option} links files)")
        warn("--self-contained is deprecated: maps are self-contained by default")
    overrides = _tiles(tiles, tiles_attribution)
    if demo:
        inputs = [str(SAMPLE_ARTICLE)]
        published = published or "2025-03-04"
    if not inputs:
        raise fail("give articles, a table or an events file (or --demo)")
    limits = _limits(max_bytes, max_rows)
    day = _date(published)
    with handled():
        events, summary = _events_from_inputs(inputs, day, None, {"location": location}, limits)
        folium_map = events_map(events, on_error="keep", **overrides)
        with tempfile.TemporaryDirectory(prefix="geo-events-") as tmp:
            page = Path(tmp) / "map.html" if output == "-" else Path(output)
            save_map(folium_map, page, cdn=cdn, assets_dir=assets)
            if output == "-":
                sys.stdout.flush()
                sys.stdout.write(page.read_text(encoding="utf-8"))
        unplaced = int(events.geometry.isna().sum() + events.geometry.is_empty.sum())
    note = f" ({unplaced} without coordinates, not drawn)" if unplaced else ""
    where = "stdout" if output == "-" else output
    typer.echo(f"{summary}; map written to {where}{note}", err=True)
    if len(events) == 0:
        raise typer.Exit(EXIT_NOTHING)
