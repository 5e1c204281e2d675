"""Shared loading of the public evaluation sets (../shared/eval) for the benchmarks."""

from __future__ import annotations

import csv
import math
import sys
from dataclasses import dataclass
from pathlib import Path

csv.field_size_limit(sys.maxsize)

SETS = {"geowebnews": "GeoWebNews", "lgl": "LGL", "geovirus": "GeoVirus"}
EARTH_MAX_KM = 20039.0


@dataclass(frozen=True)
class Gold:
    id: str
    doc_id: str
    toponym: str
    start: int
    end: int
    lat: float
    lon: float
    geonameid: int | None
    type: str
    span_ok: bool


def load(eval_dir: str | Path, name: str) -> tuple[dict[str, tuple[str, str]], list[Gold]]:
    folder = Path(eval_dir) / name
    docs: dict[str, tuple[str, str]] = {}
    with (folder / "docs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            docs[row["doc_id"]] = (row.get("title") or "", row["text"])
    gold: list[Gold] = []
    with (folder / "gold.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            extra = dict(p.split("=", 1) for p in row["extra"].split("; ") if "=" in p)
            gold.append(
                Gold(
                    id=row["id"],
                    doc_id=extra["doc_id"],
                    toponym=row["toponym"],
                    start=int(extra["start"]),
                    end=int(extra["end"]),
                    lat=float(row["latitude"]),
                    lon=float(row["longitude"]),
                    geonameid=int(row["geonameid"]) if row["geonameid"] else None,
                    type=extra.get("type", ""),
                    span_ok=extra.get("span_ok", "True") == "True",
                )
            )
    return docs, gold


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(min(a, 1.0)))


def scores(errors: list[float], exact: list[bool], answered: list[bool]) -> dict[str, float]:
    """acc@161, exact-id rate, coverage, median/mean error and AUC of the log error."""
    n = len(errors)
    if not n:
        return {"n": 0}
    ordered = sorted(errors)
    auc = sum(math.log(1 + e) / math.log(EARTH_MAX_KM) for e in errors) / n
    return {
        "n": n,
        "acc@161": sum(e <= 161 for e in errors) / n,
        "exact_id": sum(exact) / n,
        "coverage": sum(answered) / n,
        "median_km": ordered[n // 2],
        "mean_km": sum(errors) / n,
        "auc": auc,
    }
