from __future__ import annotations

import codecs
import csv
import warnings

import pandas as pd
import pytest

from geo_events.errors import InputError
from geo_events.events.schema import SCHEMA_COLUMNS, validate_events
from geo_events.io.tables import (
    CAMEO_TO_ACLED,
    GDELT_COLUMNS,
    GeocodeCache,
    ReadProgress,
    ReadWarning,
    events_from_chunk,
    events_from_table,
    iter_events,
    table_spec,
)
from geo_events.io.writers import ACLED_CSV_COLUMNS

# Deir ez-Zor city (GeoNames 170794) and the governorate (170792), Syria.
DEIR_EZ_ZOR = (35.33588, 40.14084)


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def _by_id(events):
    return events.set_index("event_id_cnty")


# --------------------------------------------------------------------- acceptance


ACCEPTANCE = """id,place,country,province,district
a,Deir Ezzor,Syria,,
b,Dayr az Zawr,Syria,,
c,Deir ez-Zor Governorate,Syria,,
d,Qzxwvillage,Syria,Deir ez-Zor,Al Mayadin
e,xq!!zz##,,,
"""


def test_acceptance_places_and_summary(tmp_path, gazetteer):
    path = _write(tmp_path / "places.csv", ACCEPTANCE)
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    ev = _by_id(events)
    assert len(events) == 5
    for key in "ab":
        assert ev.loc[key, "geo_precision"] == 1
        assert ev.loc[key, "latitude"] == pytest.approx(DEIR_EZ_ZOR[0], abs=0.05)
        assert ev.loc[key, "longitude"] == pytest.approx(DEIR_EZ_ZOR[1], abs=0.05)
        assert ev.loc[key, "geocode_status"] == "matched"
    assert ev.loc["c", "geo_precision"] == 3
    assert ev.loc["c", "place_kind"] == "admin1"
    # an unknown village placed at its admin2 (al-Mayadin district, south-east of the city)
    assert ev.loc["d", "geo_precision"] in (2, 3)
    assert ev.loc["d", "geocode_status"] in ("admin2", "admin1")
    assert 34.0 < ev.loc["d", "latitude"] < 36.0 and 39.0 < ev.loc["d", "longitude"] < 41.5
    assert "Qzxwvillage" in ev.loc["d", "geocode_reason"]
    # the garbage row is kept, unplaced, with a reason
    assert ev.loc["e", "geocode_status"] == "unmatched"
    assert pd.isna(ev.loc["e", "latitude"]) and ev.loc["e", "geometry"] is None
    assert "xq!!zz##" in ev.loc["e", "geocode_reason"]
    # the summary adds up to the input
    assert report.rows_read == 5
    assert report.placed + report.unplaced == report.rows_read
    assert report.by_precision[1] == 2
    assert sum(report.by_status.values()) == 5
    assert report.unplaced == 1
    assert "5 rows read" in report.summary()
    # line numbers are the file's
    assert list(events["source_line"]) == [2, 3, 4, 5, 6]
    # the only problem is the duplicate-free, garbage-free placement: nothing else flagged
    assert validate_events(events) == []


# --------------------------------------------------------------------- ACLED


def _acled_rows():
    base = dict.fromkeys(ACLED_CSV_COLUMNS, "")
    rows = []
    specs = [
        ("Battles", "Armed clash", "Deir ez-Zor", "35.3359", "40.1408", "3"),
        ("Explosions/Remote violence", "Air/drone strike", "Al Mayadin", "35.0198", "40.4515", "0"),
        ("Violence against civilians", "Attack", "Deir ez-Zor", "35.3359", "40.1408", "1"),
        ("Protests", "Peaceful protest", "Damascus", "33.5102", "36.2913", "0"),
        ("Riots", "Mob violence", "Homs", "34.7308", "36.7094", "2"),
        ("Strategic developments", "Arrests", "Aleppo", "36.2021", "37.1343", "0"),
        ("Battles", "Armed clash", "Idlib", "35.9306", "36.6339", "5"),
        ("Battles", "Armed clash", "Raqqa", "35.9528", "39.0079", "4"),
        ("Protests", "Protest with intervention", "Daraa", "32.6189", "36.1021", "0"),
        (
            "Explosions/Remote violence",
            "Shelling/artillery/missile attack",
            "Hama",
            "35.1318",
            "36.7578",
            "1",
        ),
        (
            "Violence against civilians",
            "Abduction/forced disappearance",
            "Latakia",
            "35.5317",
            "35.7901",
            "0",
        ),
        ("Battles", "Armed clash", "Deir ez-Zor", "", "", "2"),  # no coordinates: geocoded
    ]
    for i, (etype, sub, loc, lat, lon, fat) in enumerate(specs, start=1):
        row = dict(base)
        row.update(
            event_id_cnty=f"SYR{1000 + i}",
            event_date=f"2024-01-{i:02d}" if i != 5 else "05 January 2024",
            year="2024",
            time_precision="1",
            disorder_type="Political violence",
            event_type=etype,
            sub_event_type=sub,
            actor1="Military Forces of Syria (2000-2024)",
            assoc_actor_1="",
            inter1="1",
            actor2="Civilians (Syria)" if "civilians" in etype else "",
            iso="760",
            region="Middle East",
            country="Syria",
            admin1="Deir ez-Zor" if "Deir" in loc or loc == "Al Mayadin" else "",
            location=loc,
            latitude=lat,
            longitude=lon,
            geo_precision="1",
            source="SANA; Syrian Observatory for Human Rights",
            source_scale="National",
            notes=f'On 1 January 2024, an event with a comma, and "quotes" ({i}).',
            fatalities=fat,
            tags="",
            timestamp="1704700000",
        )
        rows.append(row)
    return rows


def _write_csv(path, rows, columns, **kwargs):
    with open(path, "w", newline="", encoding=kwargs.pop("encoding", "utf-8")) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, **kwargs)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_acled_csv_reads_into_schema(tmp_path, gazetteer):
    path = _write_csv(tmp_path / "acled.csv", _acled_rows(), list(ACLED_CSV_COLUMNS))
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.format == "acled"
    assert len(events) == 12 and report.rows_read == 12
    assert list(events.columns[: len(SCHEMA_COLUMNS)]) == list(SCHEMA_COLUMNS)
    assert validate_events(events) == []
    ev = _by_id(events)
    assert ev.loc["SYR1005", "event_date"] == pd.Timestamp("2024-01-05")
    assert ev.loc["SYR1001", "fatalities"] == 3
    assert ev.loc["SYR1001", "iso"] == 760 and ev.loc["SYR1001", "country_code"] == "SY"
    assert ev.loc["SYR1001", "geocode_status"] == "given"
    assert ev.loc["SYR1012", "geocode_status"] == "matched"
    assert ev.loc["SYR1012", "latitude"] == pytest.approx(DEIR_EZ_ZOR[0], abs=0.05)
    assert set(events["event_type"].dropna()) <= {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
        "Riots", "Strategic developments",
    }  # fmt: skip
    # ACLED's own extra columns are kept
    assert (events["disorder_type"] == "Political violence").all()
    assert report.n_issues == 0


def test_acled_sniffed_even_with_semicolons(tmp_path, gazetteer):
    path = _write_csv(
        tmp_path / "acled.csv", _acled_rows()[:3], list(ACLED_CSV_COLUMNS), delimiter=";"
    )
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.format == "acled" and len(events) == 3
    assert events["latitude"].notna().all()


# --------------------------------------------------------------------- GDELT


def _gdelt_line(**values):
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row.update(values)
    return "\t".join(row[c] for c in GDELT_COLUMNS)


def _gdelt_file(path):
    lines = [
        _gdelt_line(
            GLOBALEVENTID="1150000001", SQLDATE="20240115", EventCode="190", EventRootCode="19",
            Actor1Name="SYRIA", Actor2Name="REBEL", ActionGeo_Type="4",
            ActionGeo_FullName="Deir ez-Zor, Dayr az Zawr, Syria", ActionGeo_CountryCode="SY",
            ActionGeo_ADM1Code="SY09", ActionGeo_Lat="35.3359", ActionGeo_Long="40.1408",
            ActionGeo_FeatureID="-2728227", DATEADDED="20240115120000",
            SOURCEURL="https://example.org/a",
        ),
        _gdelt_line(
            GLOBALEVENTID="1150000002", SQLDATE="20240116", EventCode="145", EventRootCode="14",
            ActionGeo_Type="1", ActionGeo_FullName="Iraq", ActionGeo_CountryCode="IZ",
            ActionGeo_ADM1Code="IZ", ActionGeo_Lat="33", ActionGeo_Long="44",
            ActionGeo_FeatureID="IZ", SOURCEURL="https://example.org/b",
        ),
        _gdelt_line(
            GLOBALEVENTID="1150000003", SQLDATE="20240117", EventCode="0211", EventRootCode="02",
            ActionGeo_Type="3", ActionGeo_FullName="Homs, Hims, Syria", ActionGeo_CountryCode="SY",
            SOURCEURL="https://example.org/c",
        ),
        _gdelt_line(
            GLOBALEVENTID="1150000004", SQLDATE="20240118", EventCode="195", EventRootCode="19",
            ActionGeo_Type="2", ActionGeo_FullName="Kharkivs'ka Oblast', Ukraine",
            ActionGeo_CountryCode="UP", ActionGeo_Lat="49.5", ActionGeo_Long="36.5",
            ActionGeo_FeatureID="UP07", SOURCEURL="https://example.org/d",
        ),
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_gdelt_export_reads_into_schema(tmp_path, gazetteer):
    path = _gdelt_file(tmp_path / "20240115.export.CSV")
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.format == "gdelt" and len(events) == 4
    assert validate_events(events) == []
    ev = _by_id(events)
    first = ev.loc["1150000001"]
    assert first["event_date"] == pd.Timestamp("2024-01-15")
    assert (first["event_type"], first["sub_event_type"]) == CAMEO_TO_ACLED["19"]
    assert first["geo_precision"] == 1 and first["geocode_status"] == "given"
    assert pd.isna(first["geonameid"])  # a GNS feature id is not a GeoNames id
    assert first["ActionGeo_FeatureID"] == "-2728227"
    assert first["source"] == "https://example.org/a"
    assert first["actor1"] == "SYRIA"
    riot = ev.loc["1150000002"]
    assert riot["event_type"] == "Riots"  # 145 beats 14
    assert riot["geo_precision"] == 3
    assert riot["country_code"] == "IQ"  # FIPS IZ -> ISO IQ
    homs = ev.loc["1150000003"]  # no coordinates: geocoded from the full name
    assert homs["event_type"] == "Strategic developments"
    assert homs["geocode_status"] != "unmatched"
    assert homs["latitude"] == pytest.approx(34.73, abs=0.2)
    air = ev.loc["1150000004"]
    assert air["sub_event_type"] == "Air/drone strike"
    assert air["country_code"] == "UA" and air["geo_precision"] == 3
    assert list(events["source_line"]) == [1, 2, 3, 4]


def test_gdelt_wrong_field_count_is_an_error(tmp_path, gazetteer):
    path = tmp_path / "x.export.CSV"
    path.write_text("\t".join(["1"] * 58) + "\n")
    with pytest.raises(InputError, match="61"):
        events_from_table(path, format="gdelt", gazetteer=gazetteer)


# --------------------------------------------------------------------- UCDP


UCDP_COLUMNS = [
    "id", "year", "type_of_violence", "conflict_name", "side_a", "side_b", "source_article",
    "source_office", "source_headline", "where_prec", "where_coordinates", "adm_1", "adm_2",
    "latitude", "longitude", "country", "date_prec", "date_start", "date_end", "best", "high", "low",
]  # fmt: skip


def test_ucdp_ged_reads_into_schema(tmp_path, gazetteer):
    rows = [
        {"id": "501", "year": "2017", "type_of_violence": "1", "conflict_name": "Syria: Government",
             "side_a": "Government of Syria", "side_b": "IS", "source_article": "a", "source_office": "SANA",
             "source_headline": "Clashes", "where_prec": "1", "where_coordinates": "Deir ez-Zor town",
             "adm_1": "Dayr az Zawr governorate", "adm_2": "", "latitude": "35.3359", "longitude": "40.1408",
             "country": "Syria", "date_prec": "1", "date_start": "2017-09-10", "date_end": "2017-09-10",
             "best": "12", "high": "20", "low": "8"},
        {"id": "502", "year": "2017", "type_of_violence": "3", "side_a": "IS", "side_b": "Civilians",
             "where_prec": "4", "where_coordinates": "Dayr az Zawr governorate", "adm_1": "Dayr az Zawr governorate",
             "latitude": "35.0", "longitude": "40.5", "country": "Syria", "date_start": "2017-09-01",
             "date_end": "2017-09-05", "best": "3", "high": "3", "low": ""},
        {"id": "503", "year": "2017", "type_of_violence": "2", "side_a": "A", "side_b": "B", "where_prec": "6",
             "where_coordinates": "Syria", "latitude": "35.0", "longitude": "38.5", "country": "Syria",
             "date_start": "2017-01-01", "date_end": "2017-03-31", "best": "0", "high": "0", "low": "0"},
    ]  # fmt: skip
    path = _write_csv(tmp_path / "ged.csv", rows, UCDP_COLUMNS)
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.format == "ucdp" and len(events) == 3
    assert validate_events(events) == []
    ev = _by_id(events)
    assert ev.loc["501", "fatalities"] == 8  # the lowest figure
    assert ev.loc["501", "best"] == "12"  # kept
    assert ev.loc["502", "fatalities"] == 3  # low missing -> best, flagged
    assert "best" in ev.loc["502", "read_issues"]
    assert ev.loc["502", "event_type"] == "Violence against civilians"
    assert list(ev["geo_precision"]) == [1, 3, 3]
    assert list(ev["time_precision"]) == [1, 2, 3]
    assert ev.loc["501", "actor1"] == "Government of Syria"
    assert ev.loc["501", "iso"] == 760


# --------------------------------------------------------------------- generic tables


def test_generic_lat_lon_table_and_detection(tmp_path, gazetteer):
    path = _write(
        tmp_path / "t.csv", "when,lat,lng,what\n2024-02-01,48.85,2.35,x\n2024-02-02,,,y\n"
    )
    events = events_from_table(path, date="when", gazetteer=gazetteer)
    report = events.attrs["report"]
    assert events.loc[0, "geocode_status"] == "given"
    assert events.loc[0, "geometry"].x == pytest.approx(2.35)
    assert events.loc[1, "geocode_status"] == "unmatched"
    assert "no place column" in events.loc[1, "geocode_reason"]
    assert events["what"].tolist() == ["x", "y"]
    assert report.unplaced == 1 and report.by_precision == {None: 1}


def test_generic_without_place_columns_is_an_error(tmp_path, gazetteer):
    path = _write(tmp_path / "t.csv", "a,b\n1,2\n")
    with pytest.raises(InputError, match="location="):
        events_from_table(path, gazetteer=gazetteer)
    with pytest.raises(InputError, match="'nope'"):
        events_from_table(path, location="nope", gazetteer=gazetteer)


def test_xlsx_and_parquet(tmp_path, gazetteer):
    frame = pd.DataFrame(
        {"location": ["Deir Ezzor", "Homs"], "country": ["SY", "SY"],
         "date": [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]}
    )  # fmt: skip
    frame.to_excel(tmp_path / "t.xlsx", index=False)
    frame.to_parquet(tmp_path / "t.parquet")
    for name, first_line in (("t.xlsx", 2), ("t.parquet", 1)):
        events = events_from_table(tmp_path / name, gazetteer=gazetteer)
        report = events.attrs["report"]
        assert report.rows_read == 2
        assert events["geocode_status"].tolist() == ["matched", "matched"]
        assert events["event_date"].tolist() == list(frame["date"])
        assert events["source_line"].tolist() == [first_line, first_line + 1]


# --------------------------------------------------------------------- bad input


def test_bad_values_flagged_with_line_and_column(tmp_path, gazetteer):
    text = (
        "id,location,country,date,latitude,longitude,fatalities\n"
        "1,Homs,SY,2024-01-01,34.73,36.71,2\n"
        "2,Homs,SY,01/02/2024,36.71,134.73,x\n"  # fine coords? no: 134.73 is a valid lon
        "3,Homs,SY,3 March 2024,136.71,34.73,-1\n"  # swapped
        "4,Homs,SY,yesterday,95,300,1\n"  # out of range: geocoded by name instead
        "5,Homs,SY,2024-01-05,NaN,NaN,1\n"
        "5,Homs,SY,2024-01-06,,,1\n"  # duplicate id
    )
    path = _write(tmp_path / "bad.csv", text)
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert len(events) == 6 and report.rows_read == 6
    got = {(i.line, i.column) for i in report.issues}
    assert (3, "fatalities") in got
    assert (4, "latitude") in got and (4, "fatalities") in got
    assert (5, "event_date") in got and (5, "latitude") in got
    assert (6, "event_id_cnty") in got and (7, "event_id_cnty") in got
    assert events.loc[1, "event_date"] == pd.Timestamp("2024-02-01")  # day first
    assert events.loc[2, "geocode_status"] == "swapped"
    assert events.loc[2, "latitude"] == pytest.approx(34.73)
    assert events.loc[3, "geocode_status"] == "matched"  # bad coordinates replaced by the place
    assert "out of range" in events.loc[3, "geocode_reason"]
    assert events.loc[4, "geocode_status"] == "matched"  # NaN coordinates: geocoded
    assert pd.isna(events.loc[1, "fatalities"]) and pd.isna(events.loc[2, "fatalities"])
    assert "fatalities" in events.loc[1, "read_issues"]
    assert report.n_issues == len(report.issues)


def test_on_error_policies(tmp_path, gazetteer):
    path = _write(tmp_path / "bad.csv", "location,date\nHoms,notadate\n")
    with pytest.raises(InputError, match="line 2, column 'event_date'"):
        events_from_table(path, on_error="raise", gazetteer=gazetteer)
    with pytest.warns(ReadWarning, match="notadate"):
        events_from_table(path, on_error="warn", gazetteer=gazetteer)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        events = events_from_table(path, gazetteer=gazetteer)
        report = events.attrs["report"]
    assert report.n_issues == 1 and len(events) == 1
    with pytest.raises(InputError, match="on_error"):
        events_from_table(path, on_error="ignore", gazetteer=gazetteer)


def test_malformed_rows_kept_with_file_line_numbers(tmp_path, gazetteer):
    text = (
        "id,location,notes\n"
        "1,Homs,plain\n"
        '2,Homs,"two\nlines"\n'
        "3,Homs,too,many,fields\n"
        "\n"
        "4,Hama,last\n"
    )
    path = _write(tmp_path / "m.csv", text)
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert events["event_id_cnty"].tolist() == ["1", "2", "3", "4"]
    assert events["source_line"].tolist() == [2, 3, 5, 7]
    bad = events.loc[2]
    assert "expected 3" in bad["read_issues"] and "many" in bad["read_issues"]
    assert bad["geocode_status"] == "matched"  # still placed from the fields read
    assert report.blank_lines == 1
    assert any(i.line == 5 for i in report.issues)


@pytest.mark.parametrize(("encoding", "prefix"), [("cp1252", b""), ("utf-8", codecs.BOM_UTF8)])
def test_encodings(tmp_path, gazetteer, encoding, prefix):
    text = "location,country,notes\nHoms,Syria,caf\u00e9 \u2013 r\u00e9sum\u00e9\n"
    path = tmp_path / "e.csv"
    path.write_bytes(prefix + text.encode(encoding))
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert list(events.columns[:3]) == list(SCHEMA_COLUMNS[:3])
    assert events.loc[0, "notes"] == "caf\u00e9 \u2013 r\u00e9sum\u00e9"
    assert events.loc[0, "geocode_status"] == "matched"
    assert (report.encoding == "cp1252") == (encoding == "cp1252")


def test_undecodable_bytes_flagged(tmp_path, gazetteer):
    body = b"location,notes\n" + b"Homs,ok\n" * 10000 + b"Hama,bad \xff byte\n"
    path = tmp_path / "u.csv"
    path.write_bytes(body)  # the start is valid UTF-8, the bad byte is far in
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert len(events) == 10001
    assert any(i.line == 10002 and i.column == "notes" for i in report.issues)


def test_empty_file(tmp_path, gazetteer):
    path = _write(tmp_path / "empty.csv", "")
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert len(events) == 0 and list(events.columns) == list(SCHEMA_COLUMNS)
    assert "empty" in str(report.issues[0])
    with pytest.raises(InputError, match="empty"):
        events_from_table(path, on_error="raise", gazetteer=gazetteer)
    with pytest.raises(InputError, match="no such file"):
        events_from_table(tmp_path / "missing.csv", gazetteer=gazetteer)


def test_chunks_give_the_same_result(tmp_path, gazetteer):
    rows = "\n".join(f"{i},{name},SY" for i, name in enumerate(["Homs", "Hama", "Idlib"] * 7))
    path = _write(tmp_path / "c.csv", "id,location,country\n" + rows + '\n99,"Hom\ns",SY\n')
    whole = events_from_table(path, gazetteer=gazetteer)
    chunked = events_from_table(path, chunksize=4, gazetteer=gazetteer)
    pd.testing.assert_frame_equal(whole.drop(columns="geometry"), chunked.drop(columns="geometry"))
    assert chunked["source_line"].tolist() == list(range(2, 24))


def test_events_from_chunk_is_pure_and_cache_neutral(gazetteer):
    raw = pd.DataFrame({"place": ["Homs", "Nowherezzz", "Homs"], "source_line": [10, 11, 12]})
    spec = table_spec(list(raw.columns.drop("source_line")))
    before = raw.copy()
    cache = GeocodeCache()
    a = events_from_chunk(raw, spec, gazetteer, cache=cache)
    b = events_from_chunk(raw, spec, gazetteer)
    pd.testing.assert_frame_equal(raw, before)
    pd.testing.assert_frame_equal(a.drop(columns="geometry"), b.drop(columns="geometry"))
    assert len(cache) == 2
    assert a["source_line"].tolist() == [10, 11, 12]
    assert a["geocode_status"].tolist() == ["matched", "unmatched", "matched"]


def test_dates_in_several_formats(tmp_path, gazetteer):
    text = (
        "location,date\n"
        "Homs,2024-01-15\n"
        "Homs,15 January 2024\n"
        "Homs,15-Jan-2024\n"
        "Homs,15/01/2024\n"
        "Homs,01/15/2024\n"  # month first: only possible reading
        "Homs,January 15, 2024\n"
        "Homs,20240115\n"
        "Homs,2024-01-15T10:30:00Z\n"
        "Homs,15-01-24\n"  # two-digit years, day first (spreadsheet exports)
        "Homs,15-Jan-24\n"
        "Homs,1/15/24\n"
        "Homs,January 2024\n"
    )
    path = _write(tmp_path / "d.csv", text.replace("January 15, 2024", '"January 15, 2024"'))
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.n_issues == 0
    days = events["event_date"].dt.normalize().tolist()
    assert days[:-1] == [pd.Timestamp("2024-01-15")] * 11
    assert events.loc[7, "event_date"] == pd.Timestamp("2024-01-15 10:30")
    assert days[-1] == pd.Timestamp("2024-01-01")
    assert events["time_precision"].tolist() == [1] * 11 + [3]


def test_two_digit_years_of_the_last_century(tmp_path, gazetteer):
    path = _write(tmp_path / "d.csv", "location,event_date\nHoms,31-12-97\nHoms,02-01-05\n")
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.n_issues == 0
    assert events["event_date"].tolist() == [pd.Timestamp("1997-12-31"), pd.Timestamp("2005-01-02")]


def test_progress_counts_rows_as_read_then_as_done(tmp_path, gazetteer):
    path = tmp_path / "many.csv"
    path.write_text("location\n" + "Aleppo\n" * 25, encoding="utf-8")
    seen: list[ReadProgress] = []
    events = events_from_table(path, chunksize=10, gazetteer=gazetteer, progress=seen.append)
    assert len(events) == 25
    # the first report comes as soon as the first chunk is read, before it is geocoded
    assert (seen[0].rows, seen[0].done) == (10, 0)
    assert [p.rows for p in seen] == sorted(p.rows for p in seen)
    assert all(p.done <= p.rows for p in seen)
    assert all(p.fraction is not None and 0 < p.fraction <= 1 for p in seen)
    assert all(p.total is not None and p.total >= p.rows for p in seen)  # estimated from bytes
    assert seen[-1] == ReadProgress(rows=25, done=25, total=25, fraction=1.0)


def test_progress_of_a_data_frame_knows_its_total(gazetteer):
    frame = pd.DataFrame({"location": ["Aleppo"] * 25})
    seen: list[ReadProgress] = []
    events_from_table(frame, chunksize=10, gazetteer=gazetteer, progress=seen.append)
    assert {p.total for p in seen} == {25}
    assert [p.fraction for p in seen if p.done == p.rows][:1] == [0.4]


# --------------------------------------------------------------------- streaming

STREAM = (
    "id,location,country,date,latitude,longitude,notes\n"
    "1,Homs,SY,2024-01-01,34.73,36.71,plain\n"
    '2,Hama,SY,2024-01-02,,,"two\nlines"\n'
    "3,Homs,SY,2024-01-03,,,too,many,fields\n"
    "\n"
    "4,Nowhere at all,,yesterday,,,x\n"
    "5,Aleppo,SY,2024-01-05,136.71,34.73,swapped\n"
    "\n\n"
    "6,Homs\n"
    '7,Damascus,SY,2024-01-07,,,"a\n\nb"\n'
    "1,Homs,SY,2024-01-08,,,repeats id 1\n"
    "8,Deir Ezzor,Syria,2024-01-09,,,last\n"
)


def _plain(frame):
    """Categoricals as text: chunks carry their own categories."""
    out = pd.DataFrame(frame).copy()
    for name in out.columns:
        if isinstance(out[name].dtype, pd.CategoricalDtype):
            out[name] = out[name].astype("string")
    return out


@pytest.mark.parametrize("chunksize", [1, 2, 3, 1000])
def test_iter_events_chunks_concatenate_to_events_from_table(tmp_path, gazetteer, chunksize):
    path = _write(tmp_path / "stream.csv", STREAM)
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    chunks = iter_events(path, gazetteer=gazetteer, chunksize=chunksize)
    parts = list(chunks)
    assert len(parts) == 1 if chunksize == 1000 else len(parts) > 2
    whole = pd.concat(parts)
    assert list(whole.columns) == list(events.columns)
    for part in parts:  # same dtypes (each chunk's categoricals have their own categories)
        assert [str(d) for d in part.dtypes] == [str(d) for d in events.dtypes]
    assert whole.index.tolist() == list(range(len(events)))
    # every row once, in file order, with the same lines and placement
    assert whole["source_line"].tolist() == events["source_line"].tolist()
    assert whole["source_line"].tolist() == [2, 3, 5, 7, 8, 11, 12, 15, 16]
    pd.testing.assert_frame_equal(
        pd.concat([_plain(p) for p in parts]).drop(columns="read_issues"),
        _plain(events).drop(columns="read_issues"),
    )
    # read_issues equal, except the first occurrence of id 1 when its repeat is in a
    # later chunk: that row was already yielded, the issue is reported separately
    late = {i.line for i in chunks.earlier_row_issues}
    assert late == (set() if chunksize == 1000 else {2})
    same = ~whole["source_line"].isin(late)
    assert whole.loc[same, "read_issues"].equals(events.loc[same, "read_issues"])
    assert "malformed" not in str(events.loc[2, "read_issues"])
    assert "record has 9 fields" in events.loc[2, "read_issues"]
    assert "duplicate id '1'" in events.loc[0, "read_issues"]
    # the report is the same, chunk by chunk
    streamed = chunks.report
    assert streamed.rows_read == report.rows_read == 9
    assert streamed.by_status == report.by_status
    assert streamed.by_precision == report.by_precision
    assert streamed.unplaced_reasons == report.unplaced_reasons
    assert streamed.blank_lines == report.blank_lines == 3
    assert streamed.n_issues == report.n_issues
    assert {str(i) for i in streamed.issues} == {str(i) for i in report.issues}


def test_iter_events_chunk_report_and_progress(tmp_path, gazetteer):
    path = _write(tmp_path / "stream.csv", STREAM)
    seen = []
    chunks = iter_events(path, gazetteer=gazetteer, chunksize=4, progress=seen.append)
    rows = issues = 0
    for part in chunks:
        assert chunks.chunk_report.rows_read == len(part)
        rows += chunks.chunk_report.rows_read
        issues += chunks.chunk_report.n_issues
        assert chunks.report.rows_read == rows
    assert rows == 9 and issues == chunks.report.n_issues
    assert seen[-1].done == 9 and [p.rows for p in seen] == sorted(p.rows for p in seen)


def test_iter_events_file_errors_raised_by_the_call(tmp_path, gazetteer):
    with pytest.raises(InputError, match="no such file"):
        iter_events(tmp_path / "nope.csv", gazetteer=gazetteer)
    path = _write(tmp_path / "bad.csv", "location,date\nHoms,notadate\n")
    chunks = iter_events(path, gazetteer=gazetteer, on_error="raise")
    with pytest.raises(InputError, match="line 2, column 'event_date'"):
        next(chunks)
    empty = iter_events(_write(tmp_path / "empty.csv", ""), gazetteer=gazetteer)
    assert list(empty) == [] and empty.report.n_issues == 1


def test_iter_events_parquet_input_is_sliced(tmp_path, gazetteer):
    frame = pd.DataFrame({"location": ["Homs", "Hama", "Aleppo"], "country": ["SY"] * 3})
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)
    parts = list(iter_events(path, gazetteer=gazetteer, chunksize=2))
    assert [len(p) for p in parts] == [2, 1]
    events = events_from_table(path, gazetteer=gazetteer)
    pd.testing.assert_frame_equal(pd.concat([_plain(p) for p in parts]), _plain(events))
