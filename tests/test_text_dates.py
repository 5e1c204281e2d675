from __future__ import annotations

import datetime as dt

import pytest

from geo_events.text.dates import find_dates, resolve_date_text

MONDAY = dt.date(2017, 9, 25)
WEDNESDAY = dt.date(2018, 3, 7)


def one(text: str, published: dt.date | None):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "published", "expected", "precision"),
    [
        ("said on Monday", MONDAY, MONDAY, 1),
        ("published on Sunday", MONDAY, MONDAY - dt.timedelta(days=1), 1),
        ("on Tuesday", WEDNESDAY, WEDNESDAY - dt.timedelta(days=1), 1),
        ("on Thursday", WEDNESDAY, WEDNESDAY - dt.timedelta(days=6), 1),
        ("last Monday", MONDAY, MONDAY - dt.timedelta(days=7), 1),
        ("yesterday", WEDNESDAY, WEDNESDAY - dt.timedelta(days=1), 1),
        ("the day before yesterday", WEDNESDAY, WEDNESDAY - dt.timedelta(days=2), 1),
        ("three days ago", WEDNESDAY, WEDNESDAY - dt.timedelta(days=3), 1),
        ("last week", WEDNESDAY, WEDNESDAY - dt.timedelta(days=7), 2),
        ("earlier this week", WEDNESDAY, WEDNESDAY, 2),
        ("last month", WEDNESDAY, dt.date(2018, 2, 1), 3),
        ("in February", WEDNESDAY, dt.date(2018, 2, 1), 3),
    ],
)
def test_relative_expressions(text, published, expected, precision):
    found = one(text, published)
    assert found.date == expected
    assert found.precision == precision


def test_absolute_dates_with_and_without_year():
    assert one("On 24 September 2016, jets", MONDAY).date == dt.date(2016, 9, 24)
    assert one("Sept. 20, 2016", None).date == dt.date(2016, 9, 20)
    assert one("on 2017-09-01", None).date == dt.date(2017, 9, 1)
    # no year: the most recent such day before (or just after) publication
    assert one("on 28 December", dt.date(2018, 1, 3)).date == dt.date(2017, 12, 28)
    assert one("on September 24", MONDAY).date == dt.date(2017, 9, 24)


def test_without_publication_date_relative_dates_stay_unknown():
    for text in ("on Monday", "yesterday", "last week", "on 24 September"):
        found = one(text, None)
        assert found.date is None
        assert found.precision is None


def test_modal_may_and_verb_march_are_not_months():
    assert find_dates("They may march on the capital.", MONDAY) == []


def test_offsets_point_into_the_text():
    text = "Jets struck. The ministry said on Sunday that it was over."
    (found,) = find_dates(text, MONDAY)
    assert text[found.start : found.end] == found.text == "on Sunday"
    (inside,) = find_dates(text, MONDAY, 13, len(text))
    assert inside.start == found.start
    assert find_dates(text, MONDAY, 0, 12) == []


def test_invalid_day_gives_no_date():
    found = find_dates("on 31 February 2018", None)
    assert all(d.date is None for d in found)


def test_resolve_date_text():
    assert resolve_date_text("yesterday", dt.date(2020, 3, 1)).date == dt.date(2020, 2, 29)
    assert resolve_date_text("no date here", MONDAY) is None


@pytest.mark.parametrize("published", [dt.date.min, dt.date.max])
@pytest.mark.parametrize(
    "text",
    ["yesterday", "last week", "last month", "3 days ago", "in March", "on 3 March", "on Monday"],
)
def test_dates_beyond_the_calendar_are_unknown_not_an_error(published, text):
    (found,) = find_dates(text, published)
    assert found.date is None or dt.date.min <= found.date <= dt.date.max
    assert (found.date is None) == (found.precision is None)
