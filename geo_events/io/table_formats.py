"""Table formats: ACLED, GDELT 2.0, UCDP GED and generic tables, and their mapping.

How a table's columns map to the events schema (:class:`TableSpec`,
:func:`table_spec`), how its format is recognised from the header
(:func:`sniff_format`), the per-format column tables (GDELT's 61 columns, CAMEO
and UCDP codes to ACLED types and precisions) and the functions that turn one
format's raw columns into schema columns. Everything specific to a format lives
here, so adding one touches this module only. The decisions behind each
mapping are written down in :mod:`geo_events.io.tables`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from geo_events.errors import InputError
from geo_events.io.table_values import country_code_tables, parsed_dates, parsed_numbers

if TYPE_CHECKING:
    import pandas as pd

    from geo_events.io.table_values import IssueLog

__all__ = [
    "CAMEO_TO_ACLED",
    "GDELT_COLUMNS",
    "GDELT_GEO_PRECISION",
    "UCDP_VIOLENCE",
    "UCDP_WHERE_PREC",
    "TableSpec",
    "sniff_format",
    "table_spec",
]

Format = Literal["acled", "gdelt", "ucdp", "generic"]
FORMATS: tuple[str, ...] = ("acled", "gdelt", "ucdp", "generic")


_ACTOR = (
    "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode",
    "Religion1Code", "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
)  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The 61 columns of a GDELT 2.0 events export, in order (the files have no header).
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *tuple(f"Actor1{a}" for a in _ACTOR),
    *tuple(f"Actor2{a}" for a in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *tuple(f"Actor1Geo_{g}" for g in _GEO),
    *tuple(f"Actor2Geo_{g}" for g in _GEO),
    *tuple(f"ActionGeo_{g}" for g in _GEO),
    "DATEADDED",
    "SOURCEURL",
)

#: CAMEO event code prefix -> (ACLED event_type, ACLED sub_event_type); longest prefix wins.
CAMEO_TO_ACLED: dict[str, tuple[str, str]] = {
    "01": ("Strategic developments", "Other"),  # make public statement
    "02": ("Strategic developments", "Other"),  # appeal
    "03": ("Strategic developments", "Agreement"),  # express intent to cooperate
    "04": ("Strategic developments", "Agreement"),  # consult
    "05": ("Strategic developments", "Agreement"),  # diplomatic cooperation
    "06": ("Strategic developments", "Agreement"),  # material cooperation
    "07": ("Strategic developments", "Other"),  # provide aid
    "08": ("Strategic developments", "Agreement"),  # yield
    "09": ("Strategic developments", "Other"),  # investigate
    "10": ("Strategic developments", "Other"),  # demand
    "11": ("Strategic developments", "Other"),  # disapprove
    "12": ("Strategic developments", "Other"),  # reject
    "13": ("Strategic developments", "Other"),  # threaten
    "14": ("Protests", "Peaceful protest"),  # protest
    "145": ("Riots", "Violent demonstration"),  # protest violently, riot
    "15": ("Strategic developments", "Change to group/activity"),  # exhibit force posture
    "16": ("Strategic developments", "Other"),  # reduce relations
    "17": ("Strategic developments", "Other"),  # coerce
    "173": ("Strategic developments", "Arrests"),  # arrest, detain
    "18": ("Violence against civilians", "Attack"),  # assault
    "181": ("Violence against civilians", "Abduction/forced disappearance"),  # abduct
    "183": ("Explosions/Remote violence", "Suicide bomb"),  # suicide/car bombing
    "19": ("Battles", "Armed clash"),  # fight
    "194": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),  # artillery
    "195": ("Explosions/Remote violence", "Air/drone strike"),  # aerial weapons
    "20": ("Violence against civilians", "Attack"),  # unconventional mass violence
}

#: GDELT ``ActionGeo_Type`` -> ACLED ``geo_precision``.
GDELT_GEO_PRECISION: dict[int, int] = {1: 3, 2: 3, 3: 1, 4: 1, 5: 3}

#: UCDP ``type_of_violence`` -> (ACLED event_type, sub_event_type).
UCDP_VIOLENCE: dict[int, tuple[str, str]] = {
    1: ("Battles", "Armed clash"),  # state-based conflict
    2: ("Battles", "Armed clash"),  # non-state conflict
    3: ("Violence against civilians", "Attack"),  # one-sided violence
}

#: UCDP ``where_prec`` (1 exact .. 7 international waters) -> ACLED ``geo_precision``.
UCDP_WHERE_PREC: dict[int, int] = {1: 1, 2: 2, 3: 2, 4: 3, 5: 2, 6: 3, 7: 3}

_UCDP_RENAME = {
    "side_a": "actor1",
    "side_b": "actor2",
    "adm_1": "admin1",
    "adm_2": "admin2",
    "where_coordinates": "location",
    "source_headline": "notes",
}

# Column names a generic table may use, casefolded, in order of preference.
_ALIASES: dict[str, tuple[str, ...]] = {
    "location": ("location", "place", "place_name", "placename", "town", "city", "village",
                 "site", "locality", "toponym", "where_coordinates"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "country": ("country", "country_name", "country_code", "iso2", "iso_a2", "nation"),
    "admin1": ("admin1", "adm1", "adm_1", "province", "governorate", "state", "region"),
    "admin2": ("admin2", "adm2", "adm_2", "district", "county"),
    "event_date": ("event_date", "date", "day"),
    "event_id_cnty": ("event_id_cnty", "event_id", "id"),
}  # fmt: skip


@dataclass(frozen=True)
class TableSpec:
    """How the columns of a table map to the events schema.

    Attributes
    ----------
    format
        ``"acled"``, ``"gdelt"``, ``"ucdp"`` or ``"generic"``.
    columns
        Source column -> schema column renames (generic tables).
    location, country, admin1, admin2
        Schema-side names of the place columns used to geocode, or None when the
        table has no such column.
    has_coordinates
        Whether the table has latitude/longitude columns.
    fuzzy
        Allow fuzzy name matches when geocoding.
    """

    format: str = "generic"
    columns: Mapping[str, str] = field(default_factory=dict)
    location: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    has_coordinates: bool = False
    fuzzy: bool = True


def _first_col(columns: Sequence[Hashable], names: Sequence[str]) -> str | None:
    folded = {str(c).strip().casefold(): c for c in reversed(list(columns))}
    for name in names:
        if name in folded:
            return str(folded[name])
    return None


def table_spec(
    columns: Sequence[Hashable],
    format: str = "generic",
    *,
    location: str | None = None,
    country: str | None = None,
    admin1: str | None = None,
    admin2: str | None = None,
    lat: str | None = None,
    lon: str | None = None,
    date: str | None = None,
    id: str | None = None,
    fuzzy: bool = True,
) -> TableSpec:
    """Work out how a table with these columns maps to the events schema.

    Explicit column names win; for generic tables the others are recognised by
    common names (``place``, ``lat``, ``province``, ...).

    Raises
    ------
    InputError
        When a named column is missing, the format is unknown, or a generic
        table has neither a place column nor latitude/longitude columns.

    Examples
    --------
    >>> table_spec(["town", "lat", "lng"]).columns
    {'town': 'location', 'lat': 'latitude', 'lng': 'longitude'}
    """
    if format not in FORMATS:
        raise InputError(f"unknown table format {format!r}; use one of {', '.join(FORMATS)}")
    cols = [str(c) for c in columns]
    explicit = {
        "location": location, "country": country, "admin1": admin1, "admin2": admin2,
        "latitude": lat, "longitude": lon, "event_date": date, "event_id_cnty": id,
    }  # fmt: skip
    missing = [v for v in explicit.values() if v is not None and v not in cols]
    if missing:
        raise InputError(
            f"column(s) {', '.join(map(repr, missing))} not in the table; it has: {', '.join(cols)}"
        )
    if format == "gdelt":
        return TableSpec("gdelt", {}, "location", "country", "admin1", None, True, fuzzy)
    if format == "ucdp":
        return TableSpec("ucdp", {}, "location", "country", "admin1", "admin2", True, fuzzy)
    renames: dict[str, str] = {}
    for target, given in explicit.items():
        source = given
        if source is None and format == "generic":
            source = _first_col(cols, _ALIASES[target])
        if source is None and target in cols:
            source = target
        if source is not None and source != target:
            if source in renames:
                continue
            renames[source] = target
    present = {renames.get(c, c) for c in cols}
    has_xy = "latitude" in present and "longitude" in present
    spec = TableSpec(
        format,
        renames,
        "location" if "location" in present else None,
        "country" if "country" in present else None,
        "admin1" if "admin1" in present else None,
        "admin2" if "admin2" in present else None,
        has_xy,
        fuzzy,
    )
    if not has_xy and spec.location is None and spec.admin1 is None and spec.admin2 is None:
        raise InputError(
            "the table has no place column and no latitude/longitude columns; name them with "
            f"location=..., admin1=..., or lat=... and lon=...; it has: {', '.join(cols)}"
        )
    return spec


def sniff_format(columns: Sequence[Hashable]) -> str:
    """Guess the format of a table from its column names."""
    cols = {str(c).strip() for c in columns}
    if len(columns) == len(GDELT_COLUMNS) and str(columns[0]).strip() in ("GLOBALEVENTID",):
        return "gdelt"
    if {"event_id_cnty", "event_type"} <= cols:
        return "acled"
    if {"where_prec", "type_of_violence"} <= cols:
        return "ucdp"
    return "generic"


# --------------------------------------------------------------------------- per-format mapping


def mapped_gdelt(df: pd.DataFrame, issues: IssueLog) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    _, _, fips = country_code_tables()
    out: pd.DataFrame = pd.DataFrame(index=df.index)
    out["event_id_cnty"] = df["GLOBALEVENTID"]
    dates, _, bad = parsed_dates(df["SQLDATE"].astype("string").str.strip().str.slice(0, 8))
    out["event_date"] = dates
    out["time_precision"] = pd.array(np.where(dates.notna(), 1, 0), dtype="Int8")
    out["time_precision"] = out["time_precision"].mask(dates.isna())
    issues.add(bad, "SQLDATE", "not a YYYYMMDD date: {}", df["SQLDATE"])
    code = df["EventCode"].astype("string").str.strip()
    etype = pd.Series(pd.NA, index=df.index, dtype="string")
    sub = pd.Series(pd.NA, index=df.index, dtype="string")
    for prefix in sorted(CAMEO_TO_ACLED, key=len):
        hit = code.str.startswith(prefix).fillna(False)
        if hit.any():
            etype[hit], sub[hit] = CAMEO_TO_ACLED[prefix]
    out["event_type"], out["sub_event_type"] = etype, sub
    out["actor1"], out["actor2"] = df["Actor1Name"], df["Actor2Name"]
    full = df["ActionGeo_FullName"].astype("string").str.strip()
    parts = full.str.split(",")
    n_parts = parts.str.len()  # type: ignore[misc]  # stubs: .str.len() of lists is valid
    gtype, bad_type = parsed_numbers(df["ActionGeo_Type"])
    # FullName is "place, ADM1, country": the place is its first part
    out["location"] = parts.str[0].str.strip().mask(gtype.isin([1]).fillna(False))
    out["admin1"] = parts.str[-2].str.strip().where(n_parts >= 2)
    cc = df["ActionGeo_CountryCode"].astype("string").str.strip()
    out["country_code"] = cc.map(lambda c: fips.get(c, pd.NA) if isinstance(c, str) else pd.NA)
    out["country"] = parts.str[-1].str.strip().where(n_parts >= 1)
    out["latitude"], out["longitude"] = df["ActionGeo_Lat"], df["ActionGeo_Long"]
    prec = gtype.map(lambda t: GDELT_GEO_PRECISION.get(int(t), pd.NA) if pd.notna(t) else pd.NA)
    out["geo_precision"] = prec.astype("Int8")
    unknown_type = gtype.notna() & ~gtype.isin(list(GDELT_GEO_PRECISION)).fillna(False)
    issues.add(bad_type | unknown_type, "ActionGeo_Type", "not a GDELT geo type (1-5): {}",
               df["ActionGeo_Type"])  # fmt: skip
    out["source"] = df["SOURCEURL"]
    keep = ["EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
            "NumMentions", "NumSources", "NumArticles", "AvgTone", "ActionGeo_Type",
            "ActionGeo_FeatureID", "DATEADDED"]  # fmt: skip
    for name in keep:
        out[name] = df[name]
    return out


def mapped_ucdp(df: pd.DataFrame, issues: IssueLog) -> pd.DataFrame:
    import pandas as pd

    out: pd.DataFrame = pd.DataFrame(index=df.index)
    out["event_id_cnty"] = df["id"] if "id" in df.columns else pd.NA
    for source, target in _UCDP_RENAME.items():
        if source in df.columns:
            out[target] = df[source]
    for name in ("country", "latitude", "longitude"):
        if name in df.columns:
            out[name] = df[name]
    if "source_office" in df.columns:
        out["source"] = df["source_office"]
    elif "source_article" in df.columns:
        out["source"] = df["source_article"]
    if "date_start" in df.columns:
        start, _, bad = parsed_dates(df["date_start"])
        issues.add(bad, "date_start", "not a date: {}", df["date_start"])
        out["event_date"] = start
        if "date_end" in df.columns:
            end, _, bad_end = parsed_dates(df["date_end"])
            issues.add(bad_end, "date_end", "not a date: {}", df["date_end"])
            days = (end - start).dt.days
            tp = pd.Series(pd.NA, index=df.index, dtype="Int8")
            tp[days.notna() & (days <= 0)] = 1
            tp[days.notna() & (days > 0) & (days <= 6)] = 2
            tp[days.notna() & (days > 6)] = 3
            tp = tp.mask(start.notna() & tp.isna(), 1)
            out["time_precision"] = tp
    violence, bad_v = parsed_numbers(df.get("type_of_violence", pd.Series(pd.NA, index=df.index)))
    types = violence.map(
        lambda v: UCDP_VIOLENCE.get(int(v), (pd.NA, pd.NA)) if pd.notna(v) else (pd.NA, pd.NA)
    )
    out["event_type"] = types.str[0].astype("string")
    out["sub_event_type"] = types.str[1].astype("string")
    unknown = violence.notna() & ~violence.isin(list(UCDP_VIOLENCE)).fillna(False)
    issues.add(bad_v | unknown, "type_of_violence", "not a UCDP violence type (1-3): {}",
               df.get("type_of_violence"))  # fmt: skip
    if "where_prec" in df.columns:
        wp, bad_wp = parsed_numbers(df["where_prec"])
        prec = wp.map(lambda v: UCDP_WHERE_PREC.get(int(v), pd.NA) if pd.notna(v) else pd.NA)
        out["geo_precision"] = prec.astype("Int8")
        unknown = wp.notna() & ~wp.isin(list(UCDP_WHERE_PREC)).fillna(False)
        issues.add(
            bad_wp | unknown, "where_prec", "not a UCDP where_prec (1-7): {}", df["where_prec"]
        )
    if "low" in df.columns:
        low, _ = parsed_numbers(df["low"])
        fatalities = low.astype("Float64")
        if "best" in df.columns:
            best, _ = parsed_numbers(df["best"])
            fallback = fatalities.isna() & best.notna()
            issues.add(fallback, "low", "missing; fatalities taken from 'best': {}", df["best"])
            fatalities = fatalities.fillna(best)
        out["fatalities"] = (
            df["low"].astype("string").mask(fatalities.notna(), fatalities.astype("string"))
        )
    elif "best" in df.columns:
        out["fatalities"] = df["best"]
    mapped = {"id", "date_start", "type_of_violence", "where_prec", *_UCDP_RENAME, "country",
              "latitude", "longitude", "low"}  # fmt: skip
    for name in df.columns:
        if name not in mapped and name not in out.columns and name != "source_line":
            out[name] = df[name]
    return out


def mapped_table(df: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """ACLED and generic tables: rename the place/coordinate columns, keep the rest."""
    renames = dict(spec.columns)
    targets = set(renames.values())
    clash = {c: f"{c}_input" for c in df.columns if c in targets and c not in renames}
    renamed: pd.DataFrame = df.rename(columns={**clash, **renames})
    return renamed
