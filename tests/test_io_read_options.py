"""ReadOptions / TableColumns, and the schema's column rules as the reader applies them."""

from __future__ import annotations

import pandas as pd
import pytest

from geo_events.errors import InputError
from geo_events.events.schema import EVENTS_SCHEMA, event_problems, to_events_frame
from geo_events.io.read_options import ReadOptions, TableColumns, read_options
from geo_events.io.tables import events_from_table, iter_events

TABLE = """id,town,iso2,when,deaths
a,Deir Ezzor,SY,2017-09-25,3
b,Aleppo,SY,2017-09-26,
c,Qzxwvillage,SY,2017-09-27,1
"""


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_an_options_object_reads_as_the_keywords_do(table, gazetteer):
    columns = TableColumns(location="town", country="iso2", date="when", id="id")
    by_object = events_from_table(table, options=ReadOptions(columns=columns), gazetteer=gazetteer)
    by_keywords = events_from_table(table, location="town", country="iso2", date="when", id="id",
                                    gazetteer=gazetteer)  # fmt: skip
    pd.testing.assert_frame_equal(pd.DataFrame(by_object), pd.DataFrame(by_keywords))
    assert by_object.attrs["report"] == by_keywords.attrs["report"]
    assert list(by_object["location"]) == ["Deir Ezzor", "Aleppo", "Qzxwvillage"]
    assert by_object["geocode_status"].tolist()[:2] == ["matched", "matched"]


def test_keywords_override_the_options_object(table, gazetteer):
    options = ReadOptions(columns=TableColumns(location="iso2"), chunksize=1)
    chunks = iter_events(table, options=options, location="town", chunksize=2, gazetteer=gazetteer)
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == [2, 1]  # chunksize=2 won over 1
    assert chunks.report.rows_read == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"format": "shapefile"}, "unknown table format 'shapefile'"),
        ({"chunksize": 2.5}, "chunksize must be a whole number"),
        ({"max_rows": -1}, "max_rows must be at least 0"),
        ({"encoding": "no-such-codec"}, "unknown encoding 'no-such-codec'"),
        ({"sheet_name": True}, "sheet_name must be"),
        ({"on_error": "ignore"}, "on_error"),
        ({"fuzzy": "yes"}, "fuzzy must be True or False"),
    ],
)
def test_a_bad_option_is_refused_naming_it_before_any_file_is_opened(options, message):
    with pytest.raises(InputError, match=message):
        ReadOptions(**options)
    with pytest.raises(InputError, match=message):
        events_from_table("/no/such/file.csv", **options)


def test_an_unknown_option_lists_the_valid_ones():
    with pytest.raises(InputError, match=r"unknown read option\(s\) \['locaton'\].*'location'"):
        read_options(None, {"locaton": "town"})
    with pytest.raises(InputError, match="column names must be strings"):
        TableColumns(location=3)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="options must be a ReadOptions"):
        read_options({"location": "town"}, {})  # type: ignore[arg-type]


def test_replace_merges_flat_column_names_into_the_columns():
    opts = ReadOptions(columns=TableColumns(location="town"), max_rows=10)
    changed = opts.replace(country="iso2", max_rows=None)
    assert changed.columns == TableColumns(location="town", country="iso2")
    assert changed.max_rows is None and opts.max_rows == 10  # a copy; the original unchanged


# ------------------------------------------------------------------ one set of column rules


def _rule(name):
    return next(c for c in EVENTS_SCHEMA if c.name == name)


def test_the_schema_states_each_columns_rule():
    assert _rule("geo_precision").rule == "one of 1, 2, 3"
    assert _rule("fatalities").rule == "a whole number of at least 0"
    assert _rule("iso").rule == "a whole number from 0 to 999"
    assert _rule("match_score").rule == "a number from 0 to 1"
    assert _rule("notes").rule is None
    broken = _rule("fatalities").breaks_rule(pd.Series([0, 2.5, -1, None, 7]))
    assert broken.tolist() == [False, True, True, False, False]


BAD_VALUES = pd.DataFrame(
    {
        "location": ["Aleppo"] * 5,
        "latitude": [36.2] * 5,
        "longitude": [37.16] * 5,
        "fatalities": [1, 2.5, -3, 4, None],
        "iso": [760, 1000, 760, 7.5, 760],
        "geo_precision": [1, 2, 4, 3, 0],
        "match_score": [0.5, 1.5, -0.1, 1.0, 0.0],
    }
)


def test_the_reader_and_validation_apply_the_same_rules(gazetteer):
    # validation names every broken value of a frame built as is ...
    raw = to_events_frame(
        BAD_VALUES.assign(fatalities=[1, 2, -3, 4, None], iso=[760, 1000] * 2 + [7])
    )
    problems = " ".join(event_problems(raw))
    for name in ("fatalities", "iso", "geo_precision", "match_score"):
        assert f"column {name!r}" in problems
    # ... and the reader drops exactly the values that break a rule, saying why
    events = events_from_table(BAD_VALUES, gazetteer=gazetteer)
    assert event_problems(events) == []
    assert events["fatalities"].tolist() == [1, pd.NA, pd.NA, 4, pd.NA]
    assert events["iso"].tolist() == [760, pd.NA, 760, pd.NA, 760]
    assert events["geo_precision"].tolist() == [1, 2, pd.NA, 3, pd.NA]
    assert events["match_score"].tolist() == [0.5, pd.NA, pd.NA, 1.0, 0.0]
    issues = events["read_issues"].fillna("")
    assert "fatalities: not a whole number of at least 0, dropped: 2.5" in issues[1]
    assert "iso: not a whole number from 0 to 999, dropped: 1000" in issues[1]
    assert "match_score: not a number from 0 to 1, dropped" in issues[2]
    assert "geo_precision: not one of 1, 2, 3, dropped: 0" in issues[4]


def test_a_geocode_cache_shared_by_reads_gives_the_same_events(table, gazetteer, monkeypatch):
    from geo_events.io.tables import GeocodeCache

    alone = events_from_table(table, location="town", country="iso2", gazetteer=gazetteer)
    cache = GeocodeCache()
    first = events_from_table(table, location="town", country="iso2", gazetteer=gazetteer,
                              cache=cache)  # fmt: skip
    assert len(cache) == 3
    import geo_events.gazetteer.batch as batch

    looked_up = []

    original = batch.geocode_table
    monkeypatch.setattr(batch, "geocode_table",
                        lambda frame, **kw: looked_up.append(len(frame)) or original(frame, **kw))  # fmt: skip
    again = events_from_table(table, location="town", country="iso2", gazetteer=gazetteer,
                              cache=cache)  # fmt: skip
    assert looked_up == []  # every place answered from the cache
    strict = events_from_table(table, location="town", country="iso2", gazetteer=gazetteer,
                               cache=cache, fuzzy=False)  # fmt: skip
    assert looked_up == [3]  # fuzzy=False is another key: not answered by the fuzzy ones
    for events in (first, again):
        pd.testing.assert_frame_equal(pd.DataFrame(events), pd.DataFrame(alone))
    assert strict["geocode_status"].tolist()[:2] == ["matched", "matched"]
