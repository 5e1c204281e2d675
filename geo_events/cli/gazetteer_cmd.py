"""``geo-events gazetteer build|info|search|import|download``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from geo_events.cli.app import EXIT_NOTHING, app, fail, handled, show_progress

gazetteer_app = typer.Typer(
    help="Build, inspect and query the local gazetteer.", no_args_is_help=True
)
app.add_typer(gazetteer_app, name="gazetteer")

CacheDir = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", help="Index directory (default: the user cache).", show_default=False
    ),
]
Supplements = Annotated[
    list[Path] | None,
    typer.Option(
        "--supplement", "-s", help="Extra supplement CSV (repeatable).", show_default=False
    ),
]


def _open(cache_dir: Path | None, supplements: list[Path] | None = None, **options):
    from geo_events.gazetteer import Gazetteer

    return Gazetteer.open(cache_dir, supplements=supplements or (), progress=show_progress(),
                          **options)  # fmt: skip


@gazetteer_app.command("build")
def build(
    cache_dir: CacheDir = None,
    supplement: Supplements = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Build even if current.")] = False,
) -> None:
    """Build the gazetteer index (done automatically on first use).

    Example: [bold]geo-events gazetteer build --supplement my_places.csv[/]
    """
    with handled():
        gaz = _open(cache_dir, supplement, rebuild=rebuild)
    typer.echo(f"{len(gaz):,} places indexed in {gaz.index.directory}")


@gazetteer_app.command("info")
def info(
    cache_dir: CacheDir = None,
    supplement: Supplements = None,
    verify: Annotated[bool, typer.Option("--verify", help="Check every file's checksum.")] = False,
) -> None:
    """Show what the index holds and where it lives.

    Example: [bold]geo-events gazetteer info --verify[/]
    """
    with handled():
        gaz = _open(cache_dir, supplement, verify=verify)
    typer.echo(json.dumps(gaz.info(), indent=2, ensure_ascii=False))


@gazetteer_app.command("search")
def search(
    name: Annotated[str, typer.Argument(help="A place name as written.")],
    country: Annotated[str | None, typer.Option(help="ISO code or name.")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level division.")] = None,
    kind: Annotated[
        list[str] | None, typer.Option(help="country/admin1/admin2/place/region/feature")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    cache_dir: CacheDir = None,
) -> None:
    """Look a place name up; best candidates first. Exits 1 when nothing matches.

    Examples
    --------
      [bold]geo-events gazetteer search "Deir Ezzor"[/]

      [bold]geo-events gazetteer search Paris --country US --json[/]
    """
    with handled():
        gaz = _open(cache_dir)
        resolution = gaz.resolve(name, country=country, admin1=admin1, kinds=kind,
                                 alternatives=limit - 1)  # fmt: skip
    if resolution.candidate is None:
        raise fail(f"no match for {name!r}: {resolution.reason}", EXIT_NOTHING)
    found = [resolution.candidate, *resolution.alternatives]
    if as_json:
        for c in found:
            typer.echo(json.dumps({
                "geonameid": c.geonameid, "name": c.name, "latitude": c.latitude,
                "longitude": c.longitude, "country_code": c.country_code, "admin1": c.admin1,
                "admin2": c.admin2, "kind": c.kind.value, "feature_code": c.feature_code,
                "population": c.population, "match_type": c.match_type.value, "score": c.score,
            }, ensure_ascii=False))  # fmt: skip
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("geonameid", "name", "lat", "lon", "country", "admin1", "kind", "match", "score")
    for c in found:
        table.add_row(str(c.geonameid), c.name, f"{c.latitude:.4f}", f"{c.longitude:.4f}",
                      c.country_code, c.admin1, c.kind.value, c.match_type.value,
                      f"{c.score:.2f}")  # fmt: skip
    Console(markup=False).print(table)


@gazetteer_app.command("import")
def import_geonames(
    source: Annotated[
        Path, typer.Argument(help="A GeoNames file (SY.zip, allCountries.zip) or a folder of them.")
    ],
    alternate_names: Annotated[
        Path | None, typer.Option(help="alternateNamesV2.zip or a country's alternate names.")
    ] = None,
    admin1: Annotated[Path | None, typer.Option(help="admin1CodesASCII.txt")] = None,
    admin2: Annotated[Path | None, typer.Option(help="admin2Codes.txt")] = None,
    cache_dir: CacheDir = None,
) -> None:
    """Merge a GeoNames dump you downloaded into the gazetteer.

    Example: [bold]geo-events gazetteer import ~/Downloads/SY.zip --admin1 admin1CodesASCII.txt[/]
    """
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
        gaz = Gazetteer.open(cache_dir, geonames=dump, progress=show_progress())
    if getattr(dump, "report", None) is not None:
        typer.echo(dump.report.summary())
    typer.echo(f"{len(gaz):,} places indexed in {gaz.index.directory}")


@gazetteer_app.command("download")
def download(
    country: Annotated[
        str | None, typer.Argument(help="ISO code (SY); omit for allCountries.")
    ] = None,
    alternate_names: Annotated[bool, typer.Option(help="Also fetch alternate names.")] = False,
    base_url: Annotated[
        str, typer.Option(help="GeoNames export server.")
    ] = "https://download.geonames.org/export/dump/",
    cache_dir: CacheDir = None,
) -> None:
    """Download a GeoNames extract (cached), then import it with [bold]gazetteer import[/].

    Example: [bold]geo-events gazetteer download SY --alternate-names[/]
    """
    from geo_events.gazetteer.download import download_geonames

    with handled():
        dump = download_geonames(country, cache_dir=cache_dir, base_url=base_url,
                                 include_alternate_names=alternate_names)  # fmt: skip
    for path in dump.paths():
        typer.echo(str(path))
