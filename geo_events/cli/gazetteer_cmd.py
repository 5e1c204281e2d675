"""``geo-events gazetteer build|info|search|import|download``."""

from __future__ import annotations

import csv
import json
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geo_events.cli.app import (
    EXIT_NOTHING,
    app,
    command,
    examples,
    fail,
    gazetteer_name,
    gazetteer_progress,
    handled,
)

if TYPE_CHECKING:
    from geo_events.gazetteer import Candidate, Gazetteer

gazetteer_app = typer.Typer(
    help="Build, inspect and query the local gazetteer.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(gazetteer_app, name="gazetteer")

CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir",
        metavar="DIR",
        help="Index directory (default: the user cache).",
        show_default=False,
    ),
]
Supplements = Annotated[
    list[Path] | None,
    typer.Option(
        "--supplement",
        "-s",
        metavar="PATH",
        help="Extra supplement CSV (repeatable).",
        show_default=False,
    ),
]


class KindName(str, Enum):
    """The place kinds ``--kind`` takes (the gazetteer's ``Kind`` values)."""

    COUNTRY = "country"
    ADMIN1 = "admin1"
    ADMIN2 = "admin2"
    PLACE = "place"
    REGION = "region"
    FEATURE = "feature"


def _open(
    cache_dir: Path | None, supplements: list[Path] | None = None, **options: Any
) -> Gazetteer:
    """The gazetteer in use (``--gazetteer``), ``supplements`` for this call only."""
    from geo_events.gazetteer import Gazetteer

    with gazetteer_progress() as progress:
        return Gazetteer.open(cache_dir, name=gazetteer_name(), supplements=supplements or (),
                              progress=progress, **options)  # fmt: skip


def _chosen(cache_dir: Path | None) -> str:
    from geo_events.gazetteer.named import chosen_name

    return chosen_name(gazetteer_name(), cache_dir)


@command(
    gazetteer_app,
    "build",
    epilog=examples(
        "geo-events gazetteer build",
        "geo-events gazetteer build -s my_places.csv",
        "geo-events --gazetteer syria gazetteer build -s syria_places.csv",
    ),
)
def build(
    cache_dir: CacheDir = None,
    supplement: Supplements = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build even if current.")] = False,
) -> None:
    """Build the gazetteer index (done automatically on first use).

    A --supplement is added to the gazetteer in use for good: every command
    uses it from then on (see 'gazetteer info').
    """
    from geo_events.gazetteer.named import add_sources

    with handled():
        if supplement:
            for path in supplement:
                if not path.is_file():
                    raise FileNotFoundError(f"supplement {path} does not exist")
            add_sources(_chosen(cache_dir), supplements=supplement, cache_dir=cache_dir)
        gaz = _open(cache_dir, rebuild=rebuild)
    typer.echo(f"{len(gaz):,} places indexed in {gaz.index.directory}")


@command(gazetteer_app, "info", epilog=examples("geo-events gazetteer info --verify"))
def info(
    cache_dir: CacheDir = None,
    verify: Annotated[bool, typer.Option("--verify", help="Check every file's checksum.")] = False,
) -> None:
    """Show the gazetteer in use, what its index holds, and every named gazetteer (JSON)."""
    from geo_events.gazetteer.named import named_gazetteers

    with handled():
        gaz = _open(cache_dir, verify=verify)
        described = {"gazetteer": _chosen(cache_dir), **gaz.info(),
                     "named": named_gazetteers(cache_dir)}  # fmt: skip
    typer.echo(json.dumps(described, indent=2, ensure_ascii=False))


@command(
    gazetteer_app,
    "use",
    epilog=examples("geo-events gazetteer use syria", "geo-events gazetteer use builtin"),
)
def use(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A gazetteer name.")],
    cache_dir: CacheDir = None,
) -> None:
    """Make NAME the gazetteer every command uses ('builtin': the built-in sources only)."""
    from geo_events.gazetteer.named import use_gazetteer

    with handled():
        use_gazetteer(name, cache_dir)
    typer.echo(f"gazetteer in use: {name}")


@command(gazetteer_app, "remove", epilog=examples("geo-events gazetteer remove syria"))
def remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A gazetteer name.")],
    cache_dir: CacheDir = None,
) -> None:
    """Forget what was added to NAME ('default' goes back to the built-in sources)."""
    from geo_events.gazetteer.named import remove_gazetteer

    with handled():
        remove_gazetteer(name, cache_dir)
    typer.echo(f"gazetteer {name} removed")


#: The fields of a search result in --json and --csv, in order.
SEARCH_FIELDS = ("geonameid", "name", "latitude", "longitude", "country_code", "admin1",
                 "admin2", "kind", "feature_code", "population", "match_type", "score")  # fmt: skip


def _record(c: Candidate) -> dict[str, Any]:
    return {
        "geonameid": c.geonameid, "name": c.name, "latitude": c.latitude,
        "longitude": c.longitude, "country_code": c.country_code, "admin1": c.admin1,
        "admin2": c.admin2, "kind": c.kind.value, "feature_code": c.feature_code,
        "population": c.population, "match_type": c.match_type.value, "score": c.score,
    }  # fmt: skip


def _print_table(found: list[Candidate]) -> None:
    """The candidates as a table that fits the terminal (80 columns when not one).

    Ids, coordinates, codes and scores never wrap or shrink; names and admin1
    names wrap onto more lines instead. The match type is in --json/--csv.
    """
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    fixed = {"no_wrap": True, "overflow": "ignore"}
    table.add_column("geonameid", justify="right", **fixed)  # type: ignore[arg-type]
    table.add_column("name", overflow="fold", ratio=3)
    table.add_column("cc", **fixed)  # type: ignore[arg-type]
    table.add_column("admin1", overflow="fold", ratio=2)
    table.add_column("kind", **fixed)  # type: ignore[arg-type]
    table.add_column("lat", justify="right", **fixed)  # type: ignore[arg-type]
    table.add_column("lon", justify="right", **fixed)  # type: ignore[arg-type]
    table.add_column("score", justify="right", **fixed)  # type: ignore[arg-type]
    for c in found:
        table.add_row(str(c.geonameid), c.name, c.country_code or "", c.admin1 or "",
                      c.kind.value, f"{c.latitude:.4f}", f"{c.longitude:.4f}",
                      f"{c.score:.2f}")  # fmt: skip
    console = Console(markup=False, highlight=False, emoji=False)
    with console.capture() as captured:
        console.print(table)
    typer.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


@command(
    gazetteer_app,
    "search",
    epilog=examples(
        'geo-events gazetteer search "Deir Ezzor"',
        "geo-events gazetteer search Paris --country US --json",
        "geo-events gazetteer search Aleppo --kind place --csv > aleppo.csv",
    ),
)
def search(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A place name as written.")],
    country: Annotated[
        str | None, typer.Option(metavar="CODE", help="Country: ISO code (SY) or name.")
    ] = None,
    admin1: Annotated[
        str | None, typer.Option(metavar="NAME", help="First-level division (name or code).")
    ] = None,
    kind: Annotated[
        list[KindName] | None,
        typer.Option(
            metavar="KIND",
            help="Only places of this kind: country, admin1, admin2, place, region or "
            "feature (repeatable).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=100, metavar="N", help="Most candidates shown (1-100).")
    ] = 5,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print a JSON array of objects, untruncated.")
    ] = False,
    as_csv: Annotated[
        bool, typer.Option("--csv", help="Print CSV (a header, then one row each).")
    ] = False,
    cache_dir: CacheDir = None,
) -> None:
    """Look a place name up; best candidates first. Exits 1 when nothing matches."""
    if as_json and as_csv:
        raise fail("give --json or --csv, not both")
    with handled():
        gaz = _open(cache_dir)
        if country is not None and gaz.country_code(country) is None:
            raise fail(f"--country: unknown country {country!r}; give an ISO code such as SY "
                       "or a name such as Syria")  # fmt: skip
        kinds = [k.value for k in kind] if kind else None
        resolution = gaz.resolve(name, country=country, admin1=admin1, kinds=kinds,
                                 alternatives=limit - 1)  # fmt: skip
    if resolution.candidate is None:
        raise fail(f"no match for {name!r}: {resolution.reason}", EXIT_NOTHING)
    found = [resolution.candidate, *resolution.alternatives][:limit]
    if as_json:
        typer.echo(json.dumps([_record(c) for c in found], indent=2, ensure_ascii=False))
    elif as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=SEARCH_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_record(c) for c in found)
    else:
        _print_table(found)


@command(
    gazetteer_app,
    "import",
    epilog=examples(
        "geo-events gazetteer import ~/Downloads/SY.zip",
        "geo-events gazetteer import SY.zip --admin1 admin1CodesASCII.txt",
        "geo-events gazetteer import acled_2024.csv ged241.csv",
        "geo-events --gazetteer sahel gazetteer import ML.zip BF.zip NE.zip",
    ),
)
def import_sources(
    sources: Annotated[
        list[Path],
        typer.Argument(
            metavar="SOURCE",
            help="A GeoNames file (SY.zip, allCountries.zip) or folder of them, or an ACLED "
            "or UCDP GED export (CSV, Excel, Parquet).",
        ),
    ],
    alternate_names: Annotated[
        Path | None,
        typer.Option(metavar="PATH", help="alternateNamesV2.zip or a country's alternate names."),
    ] = None,
    admin1: Annotated[
        Path | None, typer.Option(metavar="PATH", help="admin1CodesASCII.txt")
    ] = None,
    admin2: Annotated[Path | None, typer.Option(metavar="PATH", help="admin2Codes.txt")] = None,
    cache_dir: CacheDir = None,
) -> None:
    """Add places to the gazetteer in use, for every command from then on.

    ACLED and UCDP exports give the places their events are coded at (ACLED
    geo_precision 1, UCDP where_prec 1); a place of the same name within 5 km of a
    gazetteer place is that place.
    """
    from geo_events.gazetteer.geonames import GeoNamesDump
    from geo_events.gazetteer.named import import_source
    from geo_events.gazetteer.table_places import is_event_table

    with handled():
        for source in sources:
            if not source.exists():
                raise FileNotFoundError(f"{source} does not exist")
        name = _chosen(cache_dir)
        gaz = None
        for source in sources:
            item: Any = source
            if source.is_file() and not is_event_table(source):
                item = GeoNamesDump(places=source, alternate_names=alternate_names,
                                    admin1=admin1, admin2=admin2)  # fmt: skip
            with gazetteer_progress() as progress:
                gaz, report = import_source(item, name=name, cache_dir=cache_dir,
                                            progress=progress)  # fmt: skip
            typer.echo(report.summary() if report is not None else f"{source}: already imported")
    if gaz is not None:
        typer.echo(f"gazetteer {name}: {len(gaz):,} places indexed in {gaz.index.directory}")


@command(
    gazetteer_app,
    "download",
    epilog=examples(
        "geo-events gazetteer download SY --alternate-names",
        "geo-events gazetteer download SY IQ YE UA SD SO ML BF NE",
    ),
)
def download(
    countries: Annotated[
        list[str] | None,
        typer.Argument(metavar="COUNTRY", help="ISO codes (SY IQ); omit for allCountries."),
    ] = None,
    alternate_names: Annotated[
        bool, typer.Option("--alternate-names", help="Also fetch alternate names.")
    ] = False,
    base_url: Annotated[
        str, typer.Option(metavar="URL", help="GeoNames export server.")
    ] = "https://download.geonames.org/export/dump/",
    cache_dir: CacheDir = None,
) -> None:
    """Download GeoNames extracts (cached); then import them with 'gazetteer import'."""
    from geo_events.gazetteer.download import download_geonames

    for country in countries or []:
        if not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise fail(
                f"COUNTRY must be a two-letter ISO 3166 code such as SY (omit it for all "
                f"countries), not {country!r}"
            )
    with handled():
        wanted: list[str | None] = list(countries) if countries else [None]
        for code in wanted:
            dump = download_geonames(code, cache_dir=cache_dir, base_url=base_url,
                                     include_alternate_names=alternate_names)  # fmt: skip
            for path in dump.paths():
                typer.echo(str(path))
