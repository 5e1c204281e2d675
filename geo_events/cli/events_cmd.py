"""``geo-events extract|geocode|map|export``: articles and tables to events, maps and files."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geo_events.cli.app import (
    EXIT_INPUT,
    EXIT_NOTHING,
    app,
    counted,
    fail,
    handled,
    row_counter,
)

if TYPE_CHECKING:
    import geopandas as gpd

ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".jsonl", ".json", ".rss", ".xml", ".atom"}
EVENTS_SUFFIXES = {".geojson", ".gpkg", ".parquet", ".geoparquet"}
TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xls", ".zip"}
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
            raise fail(
                f"{flag} must be a whole number of {'bytes' if key == 'max_bytes' else 'rows'} or 'none', not {text!r}"
            ) from None
        least = 1 if key == "max_bytes" else 0
        if value < least:
            raise fail(f"{flag} must be {least} or more (or 'none'), not {text!r}")
        limits[key] = value
    return limits


Published = Annotated[
    str | None,
    typer.Option("--published", help="Publication date (YYYY-MM-DD) for relative dates."),
]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise fail(
            f"--published must be a date like 2017-09-25, not {text!r}", EXIT_INPUT
        ) from None


def _country(code: str | None) -> str | None:
    """The --country value checked before any article is read (a bad one is a usage error)."""
    if code is None:
        return None
    from geo_events.text.coding import acled_country

    if len(code.strip()) != 2 or not acled_country(code.strip()):
        raise fail(f"--country must be an ISO 3166 alpha-2 code such as KE or UA, not {code!r}")
    return code.strip().upper()


def _events_from_articles(
    inputs: list[str],
    published: dt.date | None,
    source: str | None,
    limits: Limits | None = None,
    country: str | None = None,
) -> tuple[gpd.GeoDataFrame, str]:
    from geo_events.events.from_articles import events_from_results
    from geo_events.io.articles import read_articles
    from geo_events.text.extract import extract_many

    per_article = {k: v for k, v in (limits or {}).items() if k == "max_bytes"}

    def articles() -> Any:
        for item in inputs:
            if item != "-" and not Path(item).exists():
                raise FileNotFoundError(f"{item} does not exist")
            yield from read_articles(item, published=published, source=source, **per_article)

    result = events_from_results(counted(extract_many(articles(), country=country), "articles"))
    for row in result.articles.itertuples():
        if row.events == 0:
            typer.echo(f"  {row.article_id}: no events ({row.reason})", err=True)
    return result.events, result.summary()


def _events_from_table(
    path: str, columns: dict[str, str | None], limits: Limits | None = None
) -> tuple[gpd.GeoDataFrame, str]:
    from geo_events.io.tables import read_events

    options: dict[str, Any] = {k: v for k, v in columns.items() if v is not None}
    options.update(limits or {})
    with row_counter("rows read and geocoded") as progress:
        events, report = read_events(path, progress=progress, **options)
    if len(events) == 0:
        why = f" ({report.issues[0].message})" if getattr(report, "issues", None) else ""
        raise fail(f"{path}: the table has no rows{why}", EXIT_INPUT)
    return events, report.summary()


STREAMED_SUFFIXES = {".csv", ".tsv", ".txt"}


def _stream_table(
    path: str, columns: dict[str, str | None], output: str, limits: Limits | None = None
) -> str:
    """Read a delimited text table chunk by chunk into ``output``; return the summary.

    Memory stays bounded by the chunk size; the output file appears only when
    the whole table has been written (``-``: GeoJSON on stdout, once complete).
    """
    import contextlib
    import shutil
    import tempfile

    from geo_events.io.tables import iter_events
    from geo_events.io.writers import EventsWriter

    options: dict[str, Any] = {k: v for k, v in columns.items() if v is not None}
    options.update(limits or {})
    with contextlib.ExitStack() as stack:
        if output == "-":
            target = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "events.geojson"
        else:
            target = Path(output)
        writer = EventsWriter(target)  # checks the output format before any work
        progress = stack.enter_context(row_counter("rows read and geocoded"))
        chunks = iter_events(path, progress=progress, **options)
        stack.callback(chunks.close)
        first = next(chunks, None)
        if first is None:
            report = chunks.report
            why = f" ({report.issues[0].message})" if report.issues else ""
            raise fail(f"{path}: the table has no rows{why}", EXIT_INPUT)
        with writer:
            writer.write(first)
            del first
            for chunk in chunks:
                writer.write(chunk)
        if output == "-":
            with open(target, encoding="utf-8") as handle:
                shutil.copyfileobj(handle, sys.stdout)
        return chunks.report.summary()


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
        from geo_events.io.writers import read_events_file

        events = read_events_file(first)
        return events, f"{len(events)} event(s) read from {first}"
    return _events_from_table(str(first), columns, limits)


def _write(events: gpd.GeoDataFrame, output: str) -> None:
    from geo_events.io.writers import write_events

    if output == "-":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = write_events(events, Path(tmp) / "events.geojson")
            sys.stdout.write(path.read_text(encoding="utf-8"))
        return
    write_events(events, output)


Output = Annotated[
    str,
    typer.Option(
        "--output", "-o", help="Output file (.geojson, .gpkg, .parquet, .csv); - for stdout."
    ),
]
Inputs = Annotated[list[str], typer.Argument(help="Files or folders; - reads standard input.")]
ColumnOpt = Annotated[str | None, typer.Option(help="Column name (default: guessed).")]


@app.command("extract")
def extract(
    inputs: Inputs,
    output: Output = "-",
    published: Published = None,
    source: Annotated[str | None, typer.Option(help="Outlet, when the articles don't say.")] = None,
    max_bytes: MaxBytes = None,
    country: Annotated[
        str | None,
        typer.Option(
            metavar="ISO2",
            help="Country the articles are about (e.g. KE): names the actors of events whose "
            "text names no place ('Rioters (Kenya)'); default: learnt from the articles.",
        ),
    ] = None,
) -> None:
    """Extract events from articles (txt, html, jsonl, rss, a folder) into an events file.

    For example:

      [bold]geo-events extract article.txt --published 2017-09-25 -o events.geojson[/]

      [bold]cat article.txt | geo-events extract - > events.geojson[/]
    """
    with handled():
        events, summary = _events_from_articles(
            inputs, _date(published), source, _limits(max_bytes), _country(country)
        )
        _write(events, output)
    typer.echo(summary, err=True)
    if len(events) == 0:
        raise typer.Exit(EXIT_NOTHING)


@app.command("geocode")
def geocode(
    table: Annotated[
        str,
        typer.Argument(
            help="CSV, XLSX or Parquet; ACLED/GDELT/UCDP or any table with a place column."
        ),
    ],
    output: Output = "-",
    location: ColumnOpt = None,
    country: ColumnOpt = None,
    admin1: ColumnOpt = None,
    admin2: ColumnOpt = None,
    max_bytes: MaxBytes = None,
    max_rows: MaxRows = None,
) -> None:
    """Geocode a table's place column (admin fallback, precision recorded); every row is kept.

    CSV/TSV tables are read and written chunk by chunk (memory stays bounded).

    Example: [bold]geo-events geocode events.csv --location place -o events.geoparquet[/]
    """
    with handled():
        if not Path(table).exists():
            raise FileNotFoundError(f"{table} does not exist")
        columns = {"location": location, "country": country, "admin1": admin1, "admin2": admin2}
        limits = _limits(max_bytes, max_rows)
        if Path(table).suffix.lower() in STREAMED_SUFFIXES:
            summary = _stream_table(table, columns, output, limits)
        else:
            events, summary = _events_from_table(table, columns, limits)
            _write(events, output)
    typer.echo(summary, err=True)


@app.command("export")
def export(
    events_file: Annotated[
        str, typer.Argument(help="An events file (.geojson, .gpkg, .parquet, .csv).")
    ],
    output: Output = "-",
) -> None:
    """Convert an events file to another format (the format follows the output's suffix).

    Example: [bold]geo-events export events.parquet -o events.geojson[/]
    """
    from geo_events.io.writers import read_events_file

    with handled():
        if not Path(events_file).exists():
            raise FileNotFoundError(f"{events_file} does not exist")
        events = read_events_file(events_file)
        _write(events, output)
    typer.echo(f"{len(events)} event(s) written", err=True)


@app.command("map")
def map_(
    inputs: Annotated[
        list[str] | None, typer.Argument(help="Articles, a table or an events file.")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path(
        "map.html"
    ),
    published: Published = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Map the sample article shipped with geo_events.")
    ] = False,
    tiles: Annotated[
        str | None,
        typer.Option(
            help="Online tiles offered besides the built-in geography: an xyzservices name, "
            "or 'none'."
        ),
    ] = None,
    cdn: Annotated[
        bool,
        typer.Option(
            help="Link Leaflet on its CDN instead of putting it in the page (needs internet)."
        ),
    ] = False,
    assets: Annotated[
        Path | None,
        typer.Option(
            help="Write scripts/stylesheets into this directory and link them from the page."
        ),
    ] = None,
    self_contained: Annotated[
        bool, typer.Option(hidden=True, help="Deprecated: maps are self-contained by default.")
    ] = False,
    location: ColumnOpt = None,
    max_bytes: MaxBytes = None,
    max_rows: MaxRows = None,
) -> None:
    """Draw events from articles, a table or an events file on an interactive HTML map.

    For example:

      [bold]geo-events map --demo -o demo.html[/]

      [bold]geo-events map article.txt --published 2017-09-25 -o map.html[/]

      [bold]geo-events map acled.csv -o acled.html --tiles none[/]
    """
    from geo_events.maps import events_map, save_map

    with handled():
        if demo:
            inputs = [str(SAMPLE_ARTICLE)]
            published = published or "2025-03-04"
        if not inputs:
            raise fail("give articles, a table or an events file (or --demo)")
        events, summary = _events_from_inputs(
            inputs, _date(published), None, {"location": location}, _limits(max_bytes, max_rows)
        )
        overrides: dict[str, Any] = {}
        if tiles is not None:
            overrides["tiles"] = None if tiles.lower() == "none" else tiles
        if self_contained:
            typer.echo(
                "--self-contained is deprecated: maps are self-contained by default", err=True
            )
        if cdn and assets is not None:
            raise fail("give --cdn or --assets, not both")
        folium_map = events_map(events, on_unmappable="keep", **overrides)
        save_map(folium_map, output, cdn=cdn, assets_dir=assets)
        unplaced = int(events.geometry.isna().sum() + events.geometry.is_empty.sum())
    note = f" ({unplaced} without coordinates, not drawn)" if unplaced else ""
    typer.echo(f"{summary}; map written to {output}{note}", err=True)
    if len(events) == 0:
        raise typer.Exit(EXIT_NOTHING)
