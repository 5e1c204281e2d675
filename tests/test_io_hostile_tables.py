"""Hostile tables: ragged rows, bad quoting, huge or nested input, bad options.

Every row must come out once, with its values in their own columns and a reason
for what was extra or missing; what cannot be read is refused with the
project's own error (:class:`~geo_events.errors.InputError`), never a TypeError
or an Arrow error from deep inside.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import zipfile

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo_events.errors import GeoEventsError, InputError, InputTooLargeError
from geo_events.io.tables import (
    GeocodeCache,
    events_from_chunk,
    events_from_table,
    iter_events,
    table_spec,
)


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------- the issue's reproducers


def test_trailing_delimiter_on_every_row_keeps_the_columns(tmp_path, gazetteer):
    path = _write(tmp_path / "t.csv", "location,country,notes\nAleppo,Syria,a,\nHoms,Syria,b,\n")
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert events["location"].tolist() == ["Aleppo", "Homs"]
    assert events["country"].tolist() == ["Syria", "Syria"]
    assert events["notes"].tolist() == ["a", "b"]
    assert events["geocode_status"].tolist() == ["matched", "matched"]
    for text in events["read_issues"]:
        assert "record has 4 fields, expected 3" in text and "['']" in text
    assert [i.line for i in report.issues] == [2, 3]
    assert report.blank_lines == 0


def test_long_and_short_rows_are_both_kept(tmp_path, gazetteer):
    path = _write(tmp_path / "t.tsv", "location\tcountry\nAleppo\tSyria\textra\nHoms\n")
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert report.rows_read == 2 and report.blank_lines == 0
    assert events["location"].tolist() == ["Aleppo", "Homs"]
    assert events["source_line"].tolist() == [2, 3]
    long, short = events["read_issues"]
    assert "record has 3 fields, expected 2" in long and "'extra'" in long
    assert "record has 1 field, expected 2" in short and "'country'" in short
    assert "blank" not in report.summary()


def test_trailing_delimiter_with_one_column_more_than_the_header(tmp_path, gazetteer):
    # pandas used to make 'location' the index here and fail with "Length mismatch"
    path = _write(tmp_path / "r.csv", "location,notes\nSanaa,a,\nSanaa,b,\n")
    events = events_from_table(path, gazetteer=gazetteer)
    assert events["location"].tolist() == ["Sanaa", "Sanaa"]
    assert events["notes"].tolist() == ["a", "b"]
    assert events["read_issues"].str.contains("extra values").all()


def test_every_skipped_record_is_recovered(tmp_path, gazetteer):
    # the parser reports several skipped records in one warning; all come back
    text = "lat,lon,n\n1,2,a\n\n3,4,b,x\n\n5,6,c,y,z\n7,8,d\n"
    events = events_from_table(_write(tmp_path / "s.csv", text), gazetteer=gazetteer)
    report = events.attrs["report"]
    assert events["n"].tolist() == ["a", "b", "c", "d"]
    assert events["source_line"].tolist() == [2, 4, 6, 7]
    assert report.blank_lines == 2
    assert "['x']" in events.loc[1, "read_issues"]
    assert "['y', 'z']" in events.loc[2, "read_issues"]


def test_a_row_with_values_only_beyond_the_header_is_not_blank(tmp_path, gazetteer):
    text = "lat,lon\n1,2,\n,,kept\n3,4,\n"
    events = events_from_table(_write(tmp_path / "w.csv", text), gazetteer=gazetteer)
    report = events.attrs["report"]
    assert len(events) == 3 and report.blank_lines == 0
    assert "'kept'" in events.loc[1, "read_issues"]


def test_mostly_skipped_records_stream_in_bounded_chunks(tmp_path, gazetteer):
    rows = "".join(f"{i % 80},{i % 170},x{i},extra\n" for i in range(50))
    path = _write(tmp_path / "m.csv", "lat,lon,n\n1,2,first\n" + rows)
    chunks = iter_events(path, gazetteer=gazetteer, chunksize=10)
    sizes = [len(c) for c in chunks]
    assert sum(sizes) == 51 and max(sizes) <= 11
    assert chunks.report.n_issues == 50


# --------------------------------------------------------------------- unparseable and odd files


def test_an_unclosed_quote_is_refused_naming_its_line(tmp_path, gazetteer):
    text = 'lat,lon,notes\n1,2,"ok\nstill ok"\n3,4,fine\n5,6,"never closed\n7,8,x\n'
    path = _write(tmp_path / "q.csv", text)
    for chunksize in (None, 1):
        with pytest.raises(InputError) as caught:
            events_from_table(path, gazetteer=gazetteer, chunksize=chunksize)
        message = str(caught.value)
        assert "\n" not in message
        assert "line 5" in message and "never closed" in message


def test_a_blank_first_line_is_refused(tmp_path, gazetteer):
    with pytest.raises(InputError, match="line 1 is blank"):
        events_from_table(_write(tmp_path / "b.csv", "\nlat,lon\n1,2\n"), gazetteer=gazetteer)


@pytest.mark.parametrize(
    ("content", "what"),
    [(b"PK\x03\x04rest", "zip"), (b"\x1f\x8b\x08rest", "gzip"), (b"PAR1rest", "Parquet")],
)
def test_binary_files_under_a_text_name_are_refused(tmp_path, gazetteer, content, what):
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=what):
        events_from_table(path, gazetteer=gazetteer)


def test_a_field_longer_than_csvs_default_limit_in_a_ragged_file(tmp_path, gazetteer):
    long = "x" * 200_000
    path = _write(tmp_path / "l.csv", f'lat,lon,n\n1,2,"{long}",extra\n3,4\n')
    events = events_from_table(path, gazetteer=gazetteer)
    assert events.loc[0, "n"] == long and len(events) == 2


def test_header_names_are_stripped_numbered_and_named(tmp_path, gazetteer):
    path = _write(tmp_path / "h.csv", "\ufeff lat , lon,n,n,\n1,2,a,b,c\n")
    events = events_from_table(path, gazetteer=gazetteer)
    assert events.loc[0, "latitude"] == 1 and events.loc[0, "longitude"] == 2
    assert events.loc[0, "n"] == "a" and events.loc[0, "n.1"] == "b"
    assert events.loc[0, "Unnamed: 4"] == "c"


def test_nul_bytes_in_text_become_flagged_replacement_characters(tmp_path, gazetteer):
    path = _write(tmp_path / "n.csv", "lat,lon,notes\n1,2,a\x00b\n")
    events = events_from_table(path, gazetteer=gazetteer)
    assert events.loc[0, "notes"] == "a\ufffdb"
    assert "NUL" in events.loc[0, "read_issues"]


def test_time_zone_offsets_in_dates_are_stated(tmp_path, gazetteer):
    text = "lat,lon,date\n1,2,2024-03-01T23:30:00-05:00\n1,2,2024-03-01T10:00:00Z\n1,2,2024-03-01\n"
    events = events_from_table(_write(tmp_path / "z.csv", text), gazetteer=gazetteer)
    assert events["event_date"].tolist()[:2] == [
        pd.Timestamp("2024-03-02 04:30"),
        pd.Timestamp("2024-03-01 10:00"),
    ]
    issues = events["read_issues"].tolist()
    assert "time zone offset converted to UTC" in issues[0]
    assert pd.isna(issues[1]) and pd.isna(issues[2])  # UTC and plain dates lose nothing


# --------------------------------------------------------------------- Parquet and XLSX


def test_a_named_parquet_index_becomes_a_column(tmp_path, gazetteer):
    frame = pd.DataFrame(
        {"lat": [1.0, 2.0], "lon": [3.0, 4.0]},
        index=pd.Index(["E1", "E2"], name="event_id"),
    )
    frame.to_parquet(tmp_path / "i.parquet")
    events = events_from_table(tmp_path / "i.parquet", gazetteer=gazetteer)
    assert events["event_id_cnty"].tolist() == ["E1", "E2"]
    # an index level named like a column keeps both
    frame.index.name = "lat"
    frame.to_parquet(tmp_path / "j.parquet")
    events = events_from_table(tmp_path / "j.parquet", gazetteer=gazetteer)
    assert events["lat_index"].tolist() == ["E1", "E2"]
    assert events["latitude"].tolist() == [1.0, 2.0]


def test_nested_parquet_cells_are_kept_as_json_text(tmp_path, gazetteer):
    frame = pd.DataFrame(
        {
            "lat": [1.0, 2.0],
            "lon": [3.0, 4.0],
            "tags": [["a", "b"], []],
            "meta": [{"k": "v"}, None],
            "place": [["Homs"], None],
        }
    )
    frame.to_parquet(tmp_path / "n.parquet")
    events = events_from_table(tmp_path / "n.parquet", gazetteer=gazetteer)
    report = events.attrs["report"]
    assert events["tags"].tolist() == ['["a", "b"]', "[]"]
    assert events.loc[0, "meta"] == '{"k": "v"}'
    assert events.loc[0, "location"] == '["Homs"]'
    assert "kept as JSON text" in events.loc[0, "read_issues"]
    assert report.n_issues == 4  # tags twice, meta once, place once


def _xlsx(path, frame):
    frame.to_excel(path, index=False)
    return path


def test_xlsx_over_the_size_limit_is_refused_before_parsing(tmp_path, gazetteer, monkeypatch):
    path = _xlsx(tmp_path / "bomb.xlsx", pd.DataFrame({"lat": [1], "lon": [2]}))
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.bin", b"\0" * 5_000_000)  # 5 MB that zips to ~5 kB
    assert path.stat().st_size < 100_000

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed before the size check")

    monkeypatch.setattr(pd, "read_excel", no_parsing)
    with pytest.raises(InputTooLargeError, match="max_bytes") as caught:
        events_from_table(path, gazetteer=gazetteer, max_bytes=1_000_000)
    assert "1,000,000" in str(caught.value) and "uncompressed" in str(caught.value)


def test_xlsx_first_row_is_the_header(tmp_path, gazetteer):
    frame = pd.DataFrame({"lat": [1.5, None], "lon": [2.5, 3.0], "n": ["a", 7]})
    events = events_from_table(_xlsx(tmp_path / "s.xlsx", frame), gazetteer=gazetteer)
    assert events["latitude"].tolist()[0] == 1.5
    assert events["n"].tolist() == ["a", 7]
    assert events["source_line"].tolist() == [2, 3]


def test_not_a_zip_under_an_xlsx_name(tmp_path, gazetteer):
    path = _write(tmp_path / "x.xlsx", "lat,lon\n1,2\n")
    with pytest.raises(InputError, match="not a valid XLSX"):
        events_from_table(path, gazetteer=gazetteer)


# --------------------------------------------------------------------- limits


def test_a_text_file_over_max_bytes_is_refused(tmp_path, gazetteer):
    path = _write(tmp_path / "big.csv", "lat,lon\n" + "1,2\n" * 1000)
    with pytest.raises(InputTooLargeError, match=r"max_bytes=100\b"):
        events_from_table(path, gazetteer=gazetteer, max_bytes=100)
    assert len(events_from_table(path, gazetteer=gazetteer, max_bytes=None)) == 1000


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_a_table_over_max_rows_is_refused(tmp_path, gazetteer, suffix):
    frame = pd.DataFrame({"lat": [1.0] * 30, "lon": [2.0] * 30})
    path = tmp_path / f"rows{suffix}"
    {".csv": lambda: frame.to_csv(path, index=False),
     ".parquet": lambda: frame.to_parquet(path),
     ".xlsx": lambda: frame.to_excel(path, index=False)}[suffix]()  # fmt: skip
    with pytest.raises(InputTooLargeError, match="max_rows=20") as caught:
        events_from_table(path, gazetteer=gazetteer, max_rows=20, chunksize=7)
    assert "20" in str(caught.value) and "max_rows=None" in str(caught.value)
    assert len(events_from_table(path, gazetteer=gazetteer, max_rows=30)) == 30


def test_parquet_over_max_bytes_is_refused_from_its_footer(tmp_path, gazetteer):
    pd.DataFrame({"lat": [1.0] * 10_000, "lon": [2.0] * 10_000}).to_parquet(tmp_path / "p.parquet")
    with pytest.raises(InputTooLargeError, match="uncompressed"):
        events_from_table(tmp_path / "p.parquet", gazetteer=gazetteer, max_bytes=1000)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("chunksize", float("nan")),
        ("chunksize", float("inf")),
        ("chunksize", 2.5),
        ("chunksize", -1),
        ("chunksize", True),
        ("chunksize", "10"),
        ("max_rows", float("nan")),
        ("max_rows", -1),
        ("max_bytes", float("inf")),
        ("max_bytes", 0),
        ("encoding", "no-such-codec"),
        ("encoding", 8),
        ("sheet_name", None),
        ("sheet_name", ["a"]),
    ],
)
def test_bad_options_get_our_error(tmp_path, gazetteer, option, value):
    path = _write(tmp_path / "o.csv", "lat,lon\n1,2\n")
    with pytest.raises(InputError, match=option if option != "encoding" else "encoding"):
        events_from_table(path, gazetteer=gazetteer, **{option: value})


def test_whole_float_options_are_accepted(tmp_path, gazetteer):
    path = _write(tmp_path / "o.csv", "lat,lon\n1,2\n3,4\n")
    assert len(events_from_table(path, gazetteer=gazetteer, chunksize=1.0, max_rows=2.0)) == 2


def test_a_path_of_the_wrong_type_gets_our_error(gazetteer):
    with pytest.raises(InputError, match="file name"):
        events_from_table(42, gazetteer=gazetteer)  # type: ignore[arg-type]


# --------------------------------------------------------------------- hostile cells


def test_non_finite_and_huge_numbers_are_dropped_with_a_reason(tmp_path, gazetteer):
    text = "lat,lon,fatalities,geonameid\ninf,2,1e400,1\n1,nan,inf,1e30\n1,2,-inf,5\n"
    events = events_from_table(_write(tmp_path / "f.csv", text), gazetteer=gazetteer)
    assert len(events) == 3
    assert events["fatalities"].isna().all()
    assert pd.isna(events.loc[1, "geonameid"]) and events.loc[2, "geonameid"] == 5
    assert "not a finite number" in events.loc[0, "read_issues"]
    assert "too large" in events.loc[1, "read_issues"]
    assert events.loc[2, "geocode_status"] == "given"


def test_list_dict_and_surrogate_cells_in_a_frame(gazetteer):
    raw = pd.DataFrame(
        {
            "place": pd.Series([["Homs"], {"name": "Hama"}, "Id\udcfflib", "Homs"], dtype=object),
            "notes": pd.Series([b"bytes", ("a", 1), None, "\ud800"], dtype=object),
            "source_line": [2, 3, 4, 5],
        }
    )
    spec = table_spec(["place", "notes"])
    events = events_from_chunk(raw, spec, gazetteer, cache=GeocodeCache())
    assert len(events) == 4
    assert events["location"].tolist() == ['["Homs"]', '{"name": "Hama"}', "Id\ufffdlib", "Homs"]
    assert events["notes"].tolist()[:2] == ["bytes", '["a", 1]']
    assert events.loc[3, "notes"] == "\ufffd"
    issues = events["read_issues"].tolist()
    assert "kept as JSON text" in issues[0] and "kept as JSON text" in issues[1]
    assert "lone surrogate" in issues[2] and "lone surrogate" in issues[3]
    assert events.loc[3, "geocode_status"] == "matched"


def test_a_file_name_that_is_not_utf8(tmp_path, gazetteer):
    if os.name != "posix":
        pytest.skip("undecodable file names are a POSIX thing")
    name = os.fsdecode(b"t\xff\xfe.csv")  # lone surrogates in the str
    path = tmp_path / name
    try:
        path.write_bytes(b"lat,lon\n1,2\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("the file system refuses undecodable names")
    events = events_from_table(path, gazetteer=gazetteer)
    report = events.attrs["report"]
    assert len(events) == 1
    report.summary().encode("utf-8")  # printable: no lone surrogates
    with pytest.raises(InputError) as caught:
        events_from_table(path.with_name(os.fsdecode(b"missing\xff.csv")), gazetteer=gazetteer)
    str(caught.value).encode("utf-8")


def test_hostile_errors_are_ours(tmp_path, gazetteer):
    for text in ['lat,lon\n"1,2\n', "lat;lon\n1;2;3;4\n", "\t\n1\n"]:
        path = _write(tmp_path / "h.csv", text)
        with contextlib.suppress(GeoEventsError):
            events_from_table(path, gazetteer=gazetteer)


# --------------------------------------------------------------------- the ragged-table property

_NAME_CHARS = st.characters(categories=["Ll", "Lu", "Nd"], max_codepoint=0x2FF)
_TEXT = st.lists(
    st.one_of(
        st.sampled_from([",", ";", "\t", "|", '"', "\n", "\r", "\r\n", " ", "\u2028", "é", "中"]),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00\ufffd"),
    ),
    max_size=6,
).map("".join)


@st.composite
def ragged_tables(draw):
    """A delimited file: (bytes, header names, rows of fields) with ragged rows.

    The header has ``lat``/``lon`` (the place columns: placing needs no
    gazetteer) and distinct other names; rows have random extra or missing
    fields, quoted fields with delimiters, quotes, newlines and CRLF inside, blank
    lines, CRLF or LF line ends, and maybe a BOM.
    """
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    others = draw(
        st.lists(
            st.text(_NAME_CHARS, min_size=1, max_size=6).map(lambda s: f"f_{s}"),
            max_size=4,
            unique=True,
        )
    )
    names = draw(st.permutations(["lat", "lon", *others]))
    n = len(names)
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 9)) == 0:
            rows.append([])  # a blank line
            continue
        k = draw(st.sampled_from([n, n, n, n - 1, n + 1, max(1, n - 2), n + 2, 1]))
        fields = []
        for j in range(k):
            name = names[j] if j < n else None
            if name in ("lat", "lon"):  # a coordinate or nothing
                limit = 90 if name == "lat" else 180
                number = str(draw(st.integers(-limit, limit)))
                fields.append(draw(st.sampled_from([number, number, number, ""])))
            else:
                fields.append(draw(_TEXT))
        rows.append(fields)
    ends = [draw(st.sampled_from(["\n", "\r\n"])) for _ in range(len(rows) + 1)]

    def field(text):
        special = sep in text or '"' in text or "\r" in text or "\n" in text
        if special or draw(st.integers(0, 5)) == 0:
            return '"' + text.replace('"', '""') + '"'
        return text

    parts = [sep.join(names), ends[0]]
    for fields, end in zip(rows, ends[1:], strict=True):
        parts += [sep.join(field(f) for f in fields), end]
    if rows and any(rows[-1]) and draw(st.booleans()):
        parts.pop()  # no line end after the last row
    text = "".join(parts)
    bom = codecs.BOM_UTF8 if draw(st.booleans()) else b""
    chunksize = draw(st.sampled_from([None, 1, 2, 3, 5]))
    return bom + text.encode("utf-8"), names, rows, chunksize


def _expected_lines(rows):
    """Each row's line: 2 + every earlier row's line end and newlines inside its fields."""
    lines, line = [], 2
    for fields in rows:
        lines.append(line)
        line += 1 + sum(f.count("\n") for f in fields)
    return lines


@pytest.mark.fuzz
@given(ragged_tables())
def test_ragged_tables_keep_every_row_and_every_cell_in_place(tmp_path_factory, table):
    content, names, rows, chunksize = table
    path = tmp_path_factory.mktemp("ragged") / "t.csv"
    path.write_bytes(content)
    events = events_from_table(path, chunksize=chunksize, gazetteer=None)
    report = events.attrs["report"]
    kept = [(fields, line) for fields, line in zip(rows, _expected_lines(rows), strict=True)
            if any(fields)]  # fmt: skip
    assert report.rows_read == len(events) == len(kept)
    assert report.blank_lines == len(rows) - len(kept)
    assert events["source_line"].tolist() == [line for _, line in kept]
    n = len(names)
    for i, (fields, _) in enumerate(kept):
        row = events.iloc[i]
        for j, name in enumerate(names):
            value = fields[j] if j < len(fields) and fields[j] != "" else None
            column = {"lat": "latitude", "lon": "longitude"}.get(name, name)
            got = row[column]
            if value is None:
                assert pd.isna(got), (name, fields, got)
            elif name in ("lat", "lon"):
                assert got == float(value), (name, fields, got)
            else:
                assert got == value, (name, fields, got)
        issues = row["read_issues"]
        if len(fields) != n:
            assert f"record has {len(fields)} field" in issues and f"expected {n}" in issues
            if len(fields) > n:
                assert repr(fields[n:]) in issues
        else:
            assert pd.isna(issues) or "record has" not in issues
        placed = not pd.isna(row["latitude"]) and not pd.isna(row["longitude"])
        assert (row["geocode_status"] == "given") == placed
