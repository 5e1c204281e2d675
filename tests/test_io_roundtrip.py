"""Writers round-trip: write, read back with ``read_events``, get the same events.

Text with line ends of every kind (LF, CR, CRLF, U+2028, NEL...), quotes,
delimiters and any unicode; dates with times and microseconds; time zones kept
or their loss stated (a :class:`~geo_events.io.writers.WriteWarning`). What a
format cannot hold is refused with an :class:`~geo_events.errors.InputError`.
"""

from __future__ import annotations

import os
import warnings

import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from hypothesis import given
from hypothesis import strategies as st

from geo_events.errors import InputError
from geo_events.events.schema import ACLED_EVENT_TYPES, to_events_frame
from geo_events.io.events_files import read_events
from geo_events.io.writers import (
    WriteWarning,
    write_events,
    write_events_chunks,
)

FORMATS = ["geojson", "gpkg", "parquet", "csv"]
SUFFIX = {"geojson": ".geojson", "gpkg": ".gpkg", "parquet": ".parquet", "csv": ".csv"}

_LINE_ENDS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1e"]
_TEXT = st.lists(
    st.one_of(
        st.sampled_from([*_LINE_ENDS, ",", ";", "\t", "|", '"', "'", "\\", " ", "é", "中", "😀"]),
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    ),
    max_size=8,
).map("".join)
_MAYBE_TEXT = st.one_of(st.none(), _TEXT)


@st.composite
def events_frames(draw):
    """An events GeoDataFrame with hostile text, dates with times, NAs everywhere."""
    n = draw(st.integers(0, 6))
    rows = []
    for i in range(n):
        placed = draw(st.booleans())
        date = draw(
            st.one_of(
                st.none(),
                st.datetimes(
                    min_value=pd.Timestamp("1900-01-01").to_pydatetime(),
                    max_value=pd.Timestamp("2100-01-01").to_pydatetime(),
                ),
            )
        )
        if date is not None and draw(st.booleans()):
            date = date.replace(hour=0, minute=0, second=0, microsecond=0)
        rows.append(
            {
                "event_id_cnty": draw(_MAYBE_TEXT),
                "event_date": date,
                "time_precision": draw(st.one_of(st.none(), st.sampled_from([1, 2, 3]))),
                "event_type": draw(st.one_of(st.none(), st.sampled_from(ACLED_EVENT_TYPES))),
                "actor1": draw(_MAYBE_TEXT),
                "location": draw(_MAYBE_TEXT),
                "latitude": draw(st.floats(-90, 90)) if placed else None,
                "longitude": draw(st.floats(-180, 180)) if placed else None,
                "notes": draw(_MAYBE_TEXT),
                "fatalities": draw(st.one_of(st.none(), st.integers(0, 10**6))),
                "geocode_status": "given" if placed else "unmatched",
                "geocode_reason": None if placed else draw(_TEXT.map(lambda t: "why " + t)),
                "confidence": draw(st.one_of(st.none(), st.floats(0, 1))),
                "source_line": i + 2,
                "read_issues": draw(_MAYBE_TEXT),
                'my text, "col" ü': draw(_MAYBE_TEXT),
            }
        )
    frame = pd.DataFrame(rows, columns=list(rows[0]) if rows else None)
    if 'my text, "col" ü' in frame.columns:
        frame['my text, "col" ü'] = frame['my text, "col" ü'].astype("str")
    return to_events_frame(frame)


def _expected(events, fmt):
    """What a format gives back: CSV cannot tell empty text from missing."""
    if fmt != "csv":
        return events
    out = events.copy()
    for name in out.columns:
        values = out[name]
        if pd.api.types.is_string_dtype(values.dtype) and name != "geometry":
            out[name] = values.mask(values == "")
        elif isinstance(values.dtype, pd.CategoricalDtype):
            pass
    return to_events_frame(pd.DataFrame(out.drop(columns="geometry")))


@pytest.mark.fuzz
@given(
    events_frames(),
    st.sampled_from(FORMATS),
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_writers_round_trip_to_the_same_events(tmp_path_factory, events, fmt, chunk):
    path = tmp_path_factory.mktemp("rt") / f"events{SUFFIX[fmt]}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if chunk is None or len(events) == 0:
            write_events(events, path)
        else:
            parts = [events.iloc[i : i + chunk] for i in range(0, len(events), chunk)]
            write_events_chunks(parts, path)
    back = read_events(path)
    expected = _expected(events, fmt)
    dates = events["event_date"].dropna()
    lossy = fmt == "gpkg" and bool((dates.dt.microsecond % 1000 != 0).any())
    assert any(issubclass(w.category, WriteWarning) for w in caught) == lossy
    assert not [w for w in caught if not issubclass(w.category, WriteWarning)]
    if lossy:  # GeoPackage keeps milliseconds, and says so
        expected = expected.copy()
        expected["event_date"] = expected["event_date"].dt.floor("ms")
    assert_geodataframe_equal(back, expected)


# --------------------------------------------------------------------- time zones

ZONES = ["UTC", "Europe/Berlin", "Asia/Kolkata", "America/St_Johns"]


def _zoned_events(zone):
    stamps = pd.Series(
        pd.to_datetime(
            ["2024-03-31T01:30:00.123456", "2024-10-27T02:30:00", None], format="ISO8601"
        )
    ).dt.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
    frame = pd.DataFrame(
        {
            "event_id_cnty": ["a", "b", "c"],
            "latitude": [1.0, 2.0, None],
            "longitude": [3.0, 4.0, None],
            "geocode_status": ["given", "given", "unmatched"],
            "geocode_reason": [None, None, "no place"],
            "stamp": stamps,
        }
    )
    return to_events_frame(frame)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_time_zones_are_kept_or_their_loss_stated(tmp_path, fmt, zone):
    events = _zoned_events(zone)
    original = events["stamp"]
    path = tmp_path / f"z{SUFFIX[fmt]}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        write_events(events, path)
    messages = [str(w.message) for w in caught if issubclass(w.category, WriteWarning)]
    back = read_events(path)["stamp"]
    if fmt == "parquet":  # kept as it is
        assert not messages
        pd.testing.assert_series_equal(back, original)
    elif fmt in ("csv", "geojson"):  # text in the column's zone, with its UTC offset
        assert not messages
        assert back.iloc[0].endswith(original.iloc[0].isoformat()[-6:])
        parsed = pd.to_datetime(back, format="ISO8601", utc=True)
        pd.testing.assert_series_equal(
            parsed, original.dt.tz_convert("UTC").astype("datetime64[us, UTC]"), check_names=False
        )
    else:  # GeoPackage: UTC to the millisecond, and a warning for each loss
        assert any("millisecond" in m for m in messages)
        assert any(zone in m for m in messages) == (zone != "UTC")
        utc = original.dt.tz_convert("UTC").dt.floor("ms")
        assert back.dt.tz_convert("UTC").tolist()[:2] == utc.tolist()[:2]


def test_streamed_geopackage_warns_once_per_column(tmp_path):
    events = _zoned_events("Europe/Berlin")
    with pytest.warns(WriteWarning) as caught:
        write_events_chunks([events.iloc[:1], events.iloc[1:]], tmp_path / "s.gpkg")
    assert len(caught) == 2  # the zone and the microseconds, once each


# --------------------------------------------------------------------- what cannot be written


def _one(**extra):
    frame = pd.DataFrame(
        {"latitude": [1.0], "longitude": [2.0], "geocode_status": ["given"], **extra}
    )
    return to_events_frame(frame)


@pytest.mark.parametrize("fmt", FORMATS)
def test_lone_surrogates_are_refused_naming_the_cell(tmp_path, fmt):
    # an extra column: to_events_frame cannot make schema text of it either
    events = _one(comment=pd.Series(["ok\ud800"], dtype=object))
    with pytest.raises(InputError, match=r"column 'comment', row 0: .*surrogate"):
        write_events(events, tmp_path / f"s{SUFFIX[fmt]}")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_nul_characters_are_refused_where_gdal_reads_back(tmp_path, fmt):
    events = _one(notes=["a\x00b"])
    with pytest.raises(InputError, match="NUL"):
        write_events(events, tmp_path / f"n{SUFFIX[fmt]}")


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_nul_characters_round_trip_where_they_can(tmp_path, fmt):
    events = _one(notes=["a\x00b"])
    back = read_events(write_events(events, tmp_path / f"n{SUFFIX[fmt]}"))
    assert back.loc[0, "notes"] == "a\x00b"


@pytest.mark.parametrize("fmt", ["csv", "gpkg"])
def test_list_cells_are_refused_where_a_cell_holds_one_value(tmp_path, fmt):
    events = _one(tags=pd.Series([["a", "b"]], dtype=object))
    with pytest.raises(InputError, match=r"column 'tags', row 0: a list value"):
        write_events(events, tmp_path / f"l{SUFFIX[fmt]}")


def test_mixed_object_columns_get_our_error_from_parquet(tmp_path):
    mixed = pd.Series([1, "a"], dtype=object)
    frame = pd.DataFrame({"latitude": [1.0, 2.0], "longitude": [2.0, 3.0], "mixed": mixed})
    events = to_events_frame(frame)
    with pytest.raises(InputError, match="column 'mixed' mixes values"):
        write_events(events, tmp_path / "m.parquet")


def test_csv_quotes_a_lone_cr(tmp_path):
    events = _one(notes=["before\rafter"])
    path = write_events(events, tmp_path / "cr.csv")
    assert b'"before\rafter"' in path.read_bytes()
    assert read_events(path).loc[0, "notes"] == "before\rafter"


# --------------------------------------------------------------------- file names and leftovers


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_name_that_is_not_utf8(tmp_path, fmt):
    if os.name != "posix":
        pytest.skip("undecodable file names are a POSIX thing")
    path = tmp_path / (os.fsdecode(b"ev\xff") + SUFFIX[fmt])
    events = _one(notes=["x"])
    try:
        write_events(events, path)
    except UnicodeEncodeError:
        pytest.fail("UnicodeEncodeError escaped")
    assert path.exists()
    assert read_events(path).loc[0, "notes"] == "x"


def _dead_pid():
    pid = 2**22 - 1
    while pid > 1:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid -= 1
    pytest.skip("no free pid")


@pytest.mark.skipif(os.name != "posix", reason="stale parts are found by pid on POSIX")
def test_part_files_of_killed_runs_are_removed_by_the_next_write(tmp_path):
    from geo_events.io.writers import _part_prefix

    target = tmp_path / "events.gpkg"
    prefix = _part_prefix(target)
    dead = tmp_path / f"{prefix}{_dead_pid()}.abc123.part.gpkg"
    journal = tmp_path / f"{dead.name}-journal"
    alive = tmp_path / f"{prefix}1.def456.part.gpkg"  # pid 1 is always running
    other = tmp_path / ".other.gpkg.x.part.gpkg"
    for leftover in (dead, journal, alive, other):
        leftover.write_bytes(b"partial")
    write_events(_one(notes=["x"]), target)
    assert not dead.exists() and not journal.exists()
    assert alive.exists() and other.exists()
    assert target.exists()
