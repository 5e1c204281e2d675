"""The placing step of a chunk: rows without coordinates geocoded by their place columns.

The place columns (location, country, admin1, admin2) of the rows to place are
factorized column by column and combined as integer codes, so each distinct
combination is looked up once (:func:`~geo_events.gazetteer.batch.geocode_table`)
and remembered across the chunks of a read (:class:`GeocodeCache`); the rows then
take their answers by position. No per-row Python and no per-row key strings.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Literal

from geo_events.io.table_values import ChunkWork

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

__all__ = ["GEOCODE_KEYS", "GeocodeCache", "place_rows"]

#: The place columns a row is geocoded by, most specific first.
GEOCODE_KEYS = ("location", "country", "admin1", "admin2")
_FOUND_TEXT = ("matched_name", "match_type", "place_kind")
_FOUND_NUMBERS = ("geonameid", "match_score", "geo_precision")
_CODES = (("country_code", "iso"), ("country", "country"), ("admin1", "admin1"),
          ("admin2", "admin2"))  # fmt: skip


class GeocodeCache:
    """Memo of place-column keys already geocoded, shared across chunks.

    Only speeds things up: results are the same with or without it (for one
    gazetteer; do not share a cache between gazetteers). Holds one row per
    distinct key (the key columns used, fuzzy matching on or off, and the values):
    its answer in ``frame`` and its position in ``rows``. One cache can serve many
    reads with the same gazetteer (``events_from_table(..., cache=)``), as the
    partitions one dask worker reads do; it grows by one row per distinct key.
    """

    def __init__(self) -> None:
        self.frame: pd.DataFrame | None = None
        self.rows: dict[tuple[Any, ...], int] = {}
        # reads in several threads of one process (a dask worker's) may share it
        self.lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.rows)


def _distinct_keys(keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's key number and the first row of each key, from per-column codes."""
    import numpy as np
    import pandas as pd

    combined = np.zeros(len(keys), dtype=np.int64)
    for name in keys.columns:
        codes, uniques = pd.factorize(keys[name], use_na_sentinel=True)
        # mixed radix, renumbered after each column so the codes stay below the row count
        combined, _ = pd.factorize(combined * (len(uniques) + 1) + (codes + 1))
    _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
    return inverse.reshape(-1), first


def _key_tuples(distinct: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The distinct keys as hashable tuples, missing values as None."""
    import pandas as pd

    columns = [[None if pd.isna(v) else v for v in distinct[c].tolist()]
               for c in distinct.columns]  # fmt: skip
    return list(zip(*columns, strict=True))


def geocoded_keys(
    keys: pd.DataFrame, gazetteer: Gazetteer, fuzzy: bool, cache: GeocodeCache | None = None
) -> pd.DataFrame:
    """``geocode_table``'s answer for each row of ``keys`` (its place columns), same index."""
    import numpy as np
    import pandas as pd

    from geo_events.gazetteer.batch import geocode_table

    names = {k: (k if k in keys.columns else None) for k in GEOCODE_KEYS}
    if names["location"] is None:
        keys = keys.assign(location=pd.Series(pd.NA, index=keys.index, dtype="string"))
        names["location"] = "location"
    used = [k for k in GEOCODE_KEYS if names[k] is not None]
    keys = keys[used]

    def run(frame: pd.DataFrame) -> pd.DataFrame:
        found = geocode_table(frame, location=names["location"], country=names["country"],
                              admin1=names["admin1"], admin2=names["admin2"],
                              gazetteer=gazetteer, fuzzy=fuzzy)  # fmt: skip
        found = found.reset_index(drop=True)
        # the answers in the dtypes the rows take them in, converted once per distinct key
        # rather than once per row of every chunk
        for name in found.columns:
            numeric = name in ("latitude", "longitude", *_FOUND_NUMBERS)
            found[name] = found[name].astype("Float64" if numeric else "string")
        return found

    inverse, first = _distinct_keys(keys)
    distinct = keys.iloc[first]
    cache = cache if cache is not None else GeocodeCache()
    kind = (fuzzy, *used)
    tuples = [(kind, *values) for values in _key_tuples(distinct)]
    with cache.lock:
        new = [i for i, key in enumerate(tuples) if key not in cache.rows]
        if new:
            found = run(distinct.iloc[new])
            start = 0 if cache.frame is None else len(cache.frame)
            for offset, i in enumerate(new):
                cache.rows[tuples[i]] = start + offset
            cache.frame = found if cache.frame is None else pd.concat([cache.frame, found],
                                                                      ignore_index=True)  # fmt: skip
        assert cache.frame is not None
        at = np.fromiter((cache.rows[key] for key in tuples), dtype=np.int64, count=len(tuples))
        frame = cache.frame
    out = frame.take(at[inverse])
    out.index = keys.index
    return out


def place_rows(work: ChunkWork, gazetteer: Gazetteer | None, cache: GeocodeCache | None) -> None:
    """Rows without coordinates placed by their place columns, or given their reason."""
    import pandas as pd

    table, spec = work.table, work.spec
    assert work.status is not None and work.reason is not None
    status, reason = work.status, work.reason
    index = table.index
    has_xy = (table["latitude"].notna() & table["longitude"].notna()).fillna(False)
    todo = ~has_xy
    place_cols = [k for k in GEOCODE_KEYS if getattr(spec, k) is not None and k in table.columns]
    for name in ("geonameid", "match_score", "geo_precision", *_FOUND_TEXT, "country_code"):
        if name not in table.columns:
            dtype = "string" if name in (*_FOUND_TEXT, "country_code") else "Float64"
            table[name] = pd.Series(pd.NA, index=index, dtype=dtype)
    can_geocode = todo & bool(set(place_cols) - {"country"})
    if can_geocode.any():
        if gazetteer is None:
            from geo_events.gazetteer import default_gazetteer

            gazetteer = default_gazetteer()
        every = bool(can_geocode.all())
        keys = table[place_cols] if every else table.loc[can_geocode, place_cols]
        found = geocoded_keys(keys, gazetteer, spec.fuzzy, cache)
        if not every:
            found = found.reindex(index)
        mask = can_geocode

        def put(name: str, values: pd.Series, dtype: Literal["Float64", "string"]) -> None:
            new = values.astype(dtype)
            table[name] = new if every else table[name].astype(dtype).mask(mask, new)

        put("latitude", found["latitude"], "Float64")
        put("longitude", found["longitude"], "Float64")
        for name in _FOUND_NUMBERS:
            put(name, found[name], "Float64")
        for name in _FOUND_TEXT:
            put(name, found[name], "string")
        why = found["geocode_reason"].astype("string")
        joined = (reason + "; " + why).fillna(reason).fillna(why)
        status = found["geocode_status"].astype("string") if every else status.mask(
            mask, found["geocode_status"].astype("string")
        )  # fmt: skip
        reason = joined if every else reason.mask(mask, joined)
        for name, source in _CODES:
            if name not in table.columns:
                table[name] = pd.Series(pd.NA, index=index, dtype="string")
            current = table[name].astype("string")
            text = current.str.strip()
            blank = (text.isna() | (text == "")) & mask
            table[name] = current.mask(blank, found[source].astype("string"))
    rest = todo & ~can_geocode
    if rest.any():
        unplaced = (
            "no coordinates and no place column to geocode"
            if not place_cols or place_cols == ["country"]
            else "no coordinates and no place name"
        )
        status = status.mask(rest, "unmatched")
        reason = reason.mask(rest, (reason + "; " + unplaced).fillna(unplaced))
    table["geocode_status"] = status
    table["geocode_reason"] = reason
    work.status, work.reason = status, reason
