"""The nearest populated place to a point: a k-d tree and a grid over the places on the sphere.

Reverse geocoding scanned every place per call (~100 calls/s on cities500). Points are put
on the unit sphere as 3-D vectors, where the straight-line (chord) distance grows with the
great-circle distance, so the nearest vector is the nearest place on the globe — no
trouble at the antimeridian or the poles — and scipy's ``cKDTree`` finds it in
microseconds for a million points at once. The tree is built once per gazetteer
(about 0.1 s for 230,000 places), on first use.

One point at a time, the tree's call costs more than its search (~13 µs of argument
handling for a ~1 µs search), so :meth:`PlaceTree.nearest` looks in a grid instead,
in plain Python (built on the first single query, ~0.2 s): the places are sorted into
latitude/longitude cells of 1/16°, 1/4°, 1° and 4°; a point's own cell and then the two
rings of cells around it are scanned, finest level first, until the best place found is
nearer than anything outside the cells scanned can be (a
bound from the point's distance to the block's edges: meridians are great circles, and
no path leaves a latitude band in less than its latitude gap). A level whose block holds
too many places, or a point no level settles, goes to the tree. A point far from every
place is answered by a per-degree lower bound on the distance to the nearest place.
Both ways give the same place for the same point: the tree's answer, with its distance
computed the same way.

Places at exactly the same point are kept once, the most populous (then the first row):
the tree picked one of them arbitrarily.
"""

from __future__ import annotations

import math
from array import array
from typing import cast

import numpy as np

from geo_events.gazetteer.records import EARTH_KM

__all__ = ["PlaceTree", "unit_vectors"]


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """``(n, 3)`` unit vectors of points given in degrees."""
    phi, lam = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    cos_phi = np.cos(phi)
    return np.column_stack([cos_phi * np.cos(lam), cos_phi * np.sin(lam), np.sin(phi)])


def _chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2 * EARTH_KM * np.arcsin(np.minimum(np.asarray(chord) / 2, 1.0))


def _km_to_chord(km: float) -> float:
    # Slightly generous, so rounding never drops a place at exactly max_km; the exact
    # check is made in km afterwards.
    return 2 * math.sin(min(km / EARTH_KM, math.pi) / 2) * (1 + 1e-9) + 1e-12


#: The grid's finest cells per degree; each coarser level's cell holds 4 x 4 of the one before.
_FINE = 16
#: Levels of the grid: cells of 1/16°, 1/4°, 1° and 4° (2 bits more per level).
_SHIFTS = (0, 2, 4, 6)
#: The rings of cells scanned around a point's cell at each level before the next one.
_RINGS = (0, 1, 2)
#: A block (a cell and its neighbours) holding more places than this goes to the tree:
#: scanning them in Python would cost more than the tree's call.
_BUDGET = 128
#: Margins on the grid's distance bounds (relative, and in chord length): float
#: rounding never decides a place.
_MARGIN = 1e-9
_SLACK = 1e-12


class _Level:
    """One level of the grid: cell id (row * columns + column) → the run of its places."""

    __slots__ = ("cell_radians", "cells", "columns", "rows", "shift")

    def __init__(self, shift: int, cell: np.ndarray) -> None:
        self.shift = shift
        self.cell_radians = math.radians((1 << shift) / _FINE)
        self.rows = 180 * _FINE >> shift
        self.columns = 360 * _FINE >> shift
        # the places are sorted by cell at every level (see _Grid): a cell is one run
        starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        counts = np.diff(np.r_[starts, len(cell)])
        packed = (starts.astype(np.int64) << 32) | counts  # one dict look-up per cell
        self.cells: dict[int, int] = dict(zip(cell[starts].tolist(), packed.tolist(), strict=True))


class _Grid:
    """The grid :meth:`PlaceTree.nearest` searches (see the module docstring)."""

    def __init__(self, vectors: np.ndarray, lat: np.ndarray, lon: np.ndarray, tree: object) -> None:
        i0, j0 = _fine_cells(lat, lon)
        ids = [(i0 >> s) * (360 * _FINE >> s) + (j0 >> s) for s in _SHIFTS]
        # Sorted by the coarsest cell, then by each finer one within it, every level's
        # cells are runs of the one order.
        order = np.lexsort(tuple(ids))  # the last key (the coarsest) sorts first
        self.levels = [_Level(s, cell[order]) for s, cell in zip(_SHIFTS, ids, strict=True)]
        self.order = order.astype(np.int64)
        self.xyz = array("d", np.ascontiguousarray(vectors[order], dtype=np.float64).tobytes())
        self.floor = self._floor(tree)

    @staticmethod
    def _floor(tree: object) -> array[float]:
        """Per 1° cell, a lower bound (radians) on the distance from its points to any place."""
        lat = np.repeat(np.arange(-90, 90) + 0.5, 360)
        lon = np.tile(np.arange(-180, 180) + 0.5, 180)
        centre = unit_vectors(lat, lon)
        radius = np.zeros(len(lat))  # centre to its farthest corner (the farthest point)
        for dlat in (-0.5, 0.5):
            for dlon in (-0.5, 0.5):
                corner = unit_vectors(lat + dlat, lon + dlon)
                chord = np.linalg.norm(corner - centre, axis=1)
                radius = np.maximum(radius, 2 * np.arcsin(np.minimum(chord / 2, 1)))
        chord, _ = tree.query(centre, k=1, workers=-1)  # type: ignore[attr-defined]
        nearest = 2 * np.arcsin(np.minimum(np.asarray(chord) / 2, 1))
        floor = np.maximum(nearest - radius * (1 + 1e-6) - 1e-9, 0.0)
        return array("d", floor.astype(np.float64).tobytes())

    def nearest(self, lat: float, lon: float, max_km: float) -> tuple[int, float] | bool | None:
        """``(position, chord)`` of the nearest place, or None, or False when it cannot tell.

        The position is in the grid's order; None: no place within ``max_km``; False:
        the tree answers instead.
        """
        bound = max_km / EARTH_KM  # radians
        floor = self.floor[min(int(lat + 90), 179) * 360 + int(lon + 180) % 360]
        if floor > bound * (1 + _MARGIN):
            return None
        phi, lam = math.radians(lat), math.radians(lon)
        cos_phi = math.cos(phi)
        qx, qy, qz = cos_phi * math.cos(lam), cos_phi * math.sin(lam), math.sin(phi)
        # the fine cell, as _fine_cells computes it; the coarser ones by shifting
        y0, x0 = (lat + 90) * _FINE, (lon + 180) * _FINE
        i0, j0 = min(int(y0), 180 * _FINE - 1), int(x0)
        if j0 >= 360 * _FINE:  # longitude 180 is -180
            j0, x0 = j0 - 360 * _FINE, x0 - 360 * _FINE
        xyz = self.xyz
        bound_chord = 2 * math.sin(min(bound, math.pi) / 2) * (1 + _MARGIN) + _SLACK
        best, found = math.inf, -1  # squared chord, index into xyz
        for level in self.levels:
            if _RINGS[-1] * level.cell_radians < floor:
                continue  # no place within the rings: they cannot settle it
            shift, rows, columns, get = level.shift, level.rows, level.columns, level.cells.get
            i, j, y, x = i0 >> shift, j0 >> shift, y0 / (1 << shift), x0 / (1 << shift)
            unit = level.cell_radians
            for ring in _RINGS:
                runs: list[int] = []
                if ring == 0:
                    packed = get(i * columns + j)
                    if packed is not None:
                        runs.append(packed)
                else:  # the cells ring steps away: two full rows, two columns between
                    for row in range(i - ring, i + ring + 1):
                        if 0 <= row < rows:
                            base = row * columns
                            edge = row == i - ring or row == i + ring
                            for col in (
                                range(j - ring, j + ring + 1) if edge else (j - ring, j + ring)
                            ):
                                packed = get(base + col % columns)
                                if packed is not None:
                                    runs.append(packed)
                if runs:
                    if sum([p & 0xFFFFFFFF for p in runs]) > _BUDGET:
                        return False
                    for packed in runs:
                        first = 3 * (packed >> 32)
                        for k in range(first, first + 3 * (packed & 0xFFFFFFFF), 3):
                            dx, dy, dz = xyz[k] - qx, xyz[k + 1] - qy, xyz[k + 2] - qz
                            d = dx * dx + dy * dy + dz * dz
                            if d < best:
                                best, found = d, k
                # Nothing outside the block scanned is nearer than `gap` (radians): its
                # latitude edges (none past a pole), its meridians (great circles).
                low, high = i - ring, i + ring + 1
                side = min(x - (j - ring), (j + ring + 1) - x) * unit  # radians, < 0.35
                gap = cos_phi * (side - side * side * side / 6)  # <= asin(cos phi sin side)
                if low > 0 and (y - low) * unit < gap:
                    gap = (y - low) * unit
                if high < rows and (high - y) * unit < gap:
                    gap = (high - y) * unit
                limit = gap * (1 - gap * gap / 24) * (1 - _MARGIN) - _SLACK  # <= the chord
                if limit > 0 and best < limit * limit:
                    return found // 3, math.sqrt(best)
                if gap > bound * (1 + _MARGIN) + _SLACK and best > bound_chord * bound_chord:
                    return None  # nothing within max_km in the block, nor beyond it
        return False


def _fine_cells(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each point's finest grid cell (as :meth:`_Grid.nearest` finds them)."""
    i0 = np.minimum(np.floor((lat + 90) * _FINE).astype(np.int64), 180 * _FINE - 1)
    j0 = np.floor((lon + 180) * _FINE).astype(np.int64)
    return i0, np.where(j0 >= 360 * _FINE, j0 - 360 * _FINE, j0)


class PlaceTree:
    """Nearest-place queries over a set of index rows.

    Parameters
    ----------
    rows : numpy.ndarray
        The index rows the tree holds (the populated places).
    lat, lon : numpy.ndarray
        Their coordinates in degrees, in the same order.
    population : numpy.ndarray, optional
        Their populations: of places at the same point, the most populous is kept.
    """

    def __init__(
        self,
        rows: np.ndarray,
        lat: np.ndarray,
        lon: np.ndarray,
        population: np.ndarray | None = None,
    ) -> None:
        from scipy.spatial import cKDTree

        rows = np.asarray(rows, dtype=np.int64)
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        if len(rows):
            # one place per point: the most populous, then the first
            weight = np.zeros(len(rows)) if population is None else np.asarray(population)
            order = np.lexsort((np.arange(len(rows)), -weight.astype(float), lon, lat))
            same = (np.diff(lat[order]) == 0) & (np.diff(lon[order]) == 0)
            keep = np.sort(order[np.r_[True, ~same]])
            rows, lat, lon = rows[keep], lat[keep], lon[keep]
        self.rows = rows
        self._lat, self._lon = lat, lon
        self._tree = cKDTree(unit_vectors(lat, lon)) if len(self.rows) else None
        self._grid: _Grid | None = None
        self._grid_rows = array("q")  # the rows in the grid's order

    def _grid_of(self) -> _Grid:
        if self._grid is None:
            assert self._tree is not None
            grid = _Grid(self._tree.data, self._lat, self._lon, self._tree)
            self._grid_rows = array("q", self.rows[grid.order].tobytes())
            self._grid = grid
        return self._grid

    def nearest(self, lat: float, lon: float, max_km: float) -> tuple[int, float] | None:
        """``(row, km)`` of the place nearest the point within ``max_km``, or None."""
        if self._tree is None:
            return None
        if -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0 and max_km >= 0:
            hit = (self._grid or self._grid_of()).nearest(lat, lon, max_km)
            if hit is None:
                return None
            if hit is not False:
                position, chord = cast("tuple[int, float]", hit)
                km = 2 * EARTH_KM * math.asin(min(chord / 2, 1.0))
                return (self._grid_rows[position], km) if km <= max_km else None
        return self._tree_nearest(lat, lon, max_km)

    def _tree_nearest(self, lat: float, lon: float, max_km: float) -> tuple[int, float] | None:
        assert self._tree is not None
        phi, lam = math.radians(lat), math.radians(lon)  # math, not numpy: one point
        vector = (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))
        # The bound prunes the search: a point at sea stops early (inf = nothing near).
        bound = _km_to_chord(max_km) if math.isfinite(max_km) else math.inf
        chord, i = self._tree.query(vector, k=1, distance_upper_bound=bound)
        if not math.isfinite(chord):
            return None
        km = 2 * EARTH_KM * math.asin(min(chord / 2, 1.0))
        if not km <= max_km:
            return None
        return int(self.rows[i]), km

    def nearest_many(
        self, lat: np.ndarray, lon: np.ndarray, max_km: float, *, workers: int = -1
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per point, the nearest row (-1 when none within ``max_km``) and its km (NaN).

        Points with non-finite coordinates get -1 and NaN.
        """
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        rows = np.full(len(lat), -1, dtype=np.int64)
        km = np.full(len(lat), np.nan)
        ok = np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        if self._tree is None or not ok.any():
            return rows, km
        bound = _km_to_chord(max_km) if np.isfinite(max_km) else np.inf
        # a query of n points gives arrays; scipy-stubs type it as maybe one point's scalars
        chord, i = cast(
            "tuple[np.ndarray, np.ndarray]",
            self._tree.query(
                unit_vectors(lat[ok], lon[ok]), k=1, distance_upper_bound=bound, workers=workers
            ),
        )
        found = np.isfinite(chord)
        sub_rows = np.full(int(ok.sum()), -1, dtype=np.int64)
        sub_km = np.full(int(ok.sum()), np.nan)
        sub_rows[found] = self.rows[i[found]]
        sub_km[found] = _chord_to_km(chord[found])
        # The bound is on the chord: drop what lies beyond max_km once turned into km.
        beyond = sub_km > max_km
        sub_rows[beyond], sub_km[beyond] = -1, np.nan
        rows[ok], km[ok] = sub_rows, sub_km
        return rows, km
