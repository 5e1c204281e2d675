"""The country-code step of a chunk: ``country_code`` and ``iso`` filled from each other.

A row's ISO alpha-2 code comes from its own ``country_code``, else its numeric ``iso``,
else its country name (through the gazetteer); its ``iso`` from the alpha-2 code when
missing. Each mapping runs once per distinct value (:func:`.table_values.mapped_values`),
not once per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo_events.io.table_values import ChunkWork, country_code_tables, mapped_values

if TYPE_CHECKING:
    from geo_events.gazetteer.lookup import Gazetteer

__all__ = ["fill_country_codes"]


def fill_country_codes(work: ChunkWork, gazetteer: Gazetteer | None) -> None:
    """Both country codes of every row that names its country one way or another."""
    table = work.table
    to_num, from_num, _ = country_code_tables()
    cc = table["country_code"].astype("string").str.strip().str.upper()
    if "iso" in table.columns:
        from_iso = mapped_values(table["iso"], lambda v: from_num.get(int(v)), "string")
        cc = cc.fillna(from_iso)
    if "country" in table.columns and cc.isna().any():
        gaz = gazetteer
        if gaz is None:
            from geo_events.gazetteer import default_gazetteer

            gaz = default_gazetteer()
        names = table["country"].astype("string").str.strip().mask(cc.notna())
        cc = cc.fillna(mapped_values(names, gaz.country_code, "string"))
    table["country_code"] = cc
    iso_from_cc = mapped_values(cc, to_num.get, "Float64")
    table["iso"] = table["iso"].fillna(iso_from_cc) if "iso" in table.columns else iso_from_cc
