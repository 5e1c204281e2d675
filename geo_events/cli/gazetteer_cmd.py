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
    from geo_events.gazetteer import Gazetteer

    with gazetteer_progress() as progress:
        return Gazetteer.open(cache_dir, supplements=supplements or (), progress=progress,
                              **options)  # fmt: skip


@command(gazetteer_app, "build", epilog=examples("geo-events gazetteer build -s my_places.csv"))
def build(
    cache_dir: CacheDir = None,
    supplement: Supplements = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build even if current.")] = False,
) -> None:
    """Build the gazetteer index (done automatically on first use)."""
    with handled():
        gaz = _open(cache_dir, supplement, rebuild=rebuild)
    typer.echo(f"{len(gaz):,} places indexed in {gaz.index.directory}")


@command(gazetteer_app, "info", epilog=examples("geo-events gazetteer info --verify"))
def info(
    cache_dir: CacheDir = None,
    supplement: Supplements = None,
    verify: Annotated[bool, typer.Option("--verify", help="Check every file's checksum.")] = False,
) -> None:
    """Show what the index holds and where it lives (JSON)."""
    with handled():
        gaz = _open(cache_dir, supplement, verify=verify)
    typer.echo(json.dumps(gaz.info(), indent=2, ensure_ascii=False))


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
    ),
)
def import_geonames(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE",
            help="A GeoNames file (SY.zip, allCountries.zip) or a folder of them.",
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
    """Merge a GeoNames dump you downloaded into the gazetteer."""
    from geo_events.gazetteer import Gazetteer
    from geo_events.gazetteer.geonames import GeoNamesDump

    with handled():
        if not source.exists():
            raise FileNotFoundError(f"{source} does not exist")
        if source.is_dir():
            dump = GeoNamesDump.from_directory(source)
        else:
            dump = GeoNamesDump(places=source, alternate_names=alternate_names,
                                admin1=admin1, admin2=admin2)  # fmt: skip
        with gazetteer_progress() as progress:
            gaz = Gazetteer.open(cache_dir, geonames=dump, progress=progress)
    report = getattr(dump, "report", None)
    if report is not None:
        typer.echo(report.summary())
    typer.echo(f"{len(gaz):,} places indexed in {gaz.index.directory}")


@command(
    gazetteer_app,
    "download",
    epilog=examples("geo-events gazetteer download SY --alternate-names"),
)
def download(
    country: Annotated[
        str | None,
        typer.Argument(metavar="COUNTRY", help="ISO code (SY); omit for allCountries."),
    ] = None,
    alternate_names: Annotated[
        bool, typer.Option("--alternate-names", help="Also fetch alternate names.")
    ] = False,
    base_url: Annotated[
        str, typer.Option(metavar="URL", help="GeoNames export server.")
    ] = "https://download.geonames.org/export/dump/",
    cache_dir: CacheDir = None,
) -> None:
    """Download a GeoNames extract (cached); then import it with 'gazetteer import'."""
    from geo_events.gazetteer.download import download_geonames

    if country is not None and not (len(country) == 2 and country.isascii() and country.isalpha()):
        raise fail(
            f"COUNTRY must be a two-letter ISO 3166 code such as SY (omit it for all "
            f"countries), not {country!r}"
        )
    with handled():
        dump = download_geonames(country, cache_dir=cache_dir, base_url=base_url,
                                 include_alternate_names=alternate_names)  # fmt: skip
    for path in dump.paths():
        typer.echo(str(path))
