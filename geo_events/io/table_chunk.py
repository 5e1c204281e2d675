"""The chunk pipeline: one DataFrame of raw table rows in, events out.

:func:`events_from_chunk` runs the steps in order, each a small function of the
chunk's :class:`~geo_events.io.table_values.ChunkWork`:

1. clean cells that are not single values and flag undecodable text
   (:mod:`.table_values`, :mod:`.table_checks`);
2. map the format's columns to the schema's (:mod:`.table_formats`);
3. parse dates, check every value against its column's rule (:mod:`.table_checks`);
4. repair given coordinates (:mod:`.table_coordinates`);
5. place the rows without coordinates (:mod:`.table_geocoding`);
6. fill the country codes (:mod:`.table_codes`), then check given points against
   their country (:mod:`.table_coordinates`);
7. gather each row's issues into ``read_issues`` and convert to the events schema.

It is a pure function of its inputs and knows nothing of files, so the same work
runs on any source of chunks (the file readers of :mod:`.table_files`, a data frame,
a dask partition).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo_events.io.table_checks import check_values, flag_undecodable, parse_event_dates
from geo_events.io.table_codes import fill_country_codes
from geo_events.io.table_coordinates import check_points_in_country, repair_coordinates
from geo_events.io.table_formats import TableSpec, mapped_gdelt, mapped_table, mapped_ucdp
from geo_events.io.table_geocoding import GeocodeCache, place_rows
from geo_events.io.table_values import ChunkWork, IssueLog, RowIssue, cleaned_cells

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from geo_events.gazetteer.lookup import Gazetteer

__all__ = ["GeocodeCache", "chunk_events", "events_from_chunk"]


def _mapped(df: pd.DataFrame, spec: TableSpec, issues: IssueLog) -> pd.DataFrame:
    """The chunk's values cleaned and under the schema's column names, with ``source_line``."""
    import numpy as np
    import pandas as pd

    if "source_line" in df.columns:
        lines = pd.to_numeric(df["source_line"], errors="coerce").astype("Int64")
    else:
        lines = pd.Series(np.arange(len(df)) + 2, index=df.index, dtype="Int64")
    issues.lines = lines
    raw = df.drop(columns=["source_line"], errors="ignore")
    raw = flag_undecodable(cleaned_cells(raw, issues), issues)
    if spec.format == "gdelt":
        table = mapped_gdelt(raw, issues)
    elif spec.format == "ucdp":
        table = mapped_ucdp(raw, issues)
    else:
        table = mapped_table(raw, spec)
    table = table.copy()
    table["source_line"] = lines
    return table


def _with_read_issues(work: ChunkWork) -> None:
    """Each row's issues joined into ``read_issues`` (after any the input carried)."""
    table = work.table
    new = work.issues.column(table.index)
    if "read_issues" in table.columns:
        previous = table["read_issues"].astype("string")
        new = (previous + "; " + new).fillna(previous).fillna(new)
    table["read_issues"] = new


def chunk_events(
    df: pd.DataFrame,
    spec: TableSpec,
    gazetteer: Gazetteer | None,
    cache: GeocodeCache | None = None,
) -> tuple[gpd.GeoDataFrame, list[RowIssue]]:
    """The events of one chunk and the problems found in it (see :func:`events_from_chunk`)."""
    import pandas as pd

    from geo_events.events.schema import to_events_frame

    issues = IssueLog(pd.Series([], dtype="Int64"))
    work = ChunkWork(_mapped(df, spec, issues), spec, issues)
    parse_event_dates(work)
    check_values(work)
    repair_coordinates(work)
    place_rows(work, gazetteer, cache)
    fill_country_codes(work, gazetteer)
    check_points_in_country(work)
    _with_read_issues(work)
    return to_events_frame(work.table), issues.items


def events_from_chunk(
    df: pd.DataFrame,
    spec: TableSpec,
    gazetteer: Gazetteer | None = None,
    *,
    cache: GeocodeCache | None = None,
) -> gpd.GeoDataFrame:
    """Turn one chunk of raw table rows into events (a pure function of its inputs).

    Parameters
    ----------
    df
        Raw values as read (text or numbers) with the table's own column names,
        plus a ``source_line`` column with each row's line in the file (without
        it, rows are numbered from 2 as if under a header line).
    spec
        The column mapping, from :func:`~geo_events.io.table_formats.table_spec`.
    gazetteer
        Gazetteer for rows without usable coordinates; default the default one.
    cache
        Optional :class:`GeocodeCache` shared by chunks of one read; results are
        the same without it.

    Returns
    -------
    geopandas.GeoDataFrame
        One event per input row (same index), in the events schema; problems
        with a row are in its ``read_issues`` column.
    """
    return chunk_events(df, spec, gazetteer, cache)[0]
