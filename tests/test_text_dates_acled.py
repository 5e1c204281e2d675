"""Dates in the styles of event-coding notes, with ACLED's time precision (sentences written here)."""

from __future__ import annotations

import datetime as dt

import pytest

from geo_events.text.dates import find_dates

PUB = dt.date(2019, 12, 31)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("On December 31 2019, gunmen attacked a bus.", dt.date(2019, 12, 31), 1),
        ("On 31 December 2019, gunmen attacked a bus.", dt.date(2019, 12, 31), 1),
        ("On Dec 31st, gunmen attacked a bus.", dt.date(2019, 12, 31), 1),
        ("12 April: protesters blocked a road.", dt.date(2019, 4, 12), 1),
        ("04 April. Protesters blocked a road.", dt.date(2019, 4, 4), 1),
        # numeric dates are day first unless that is impossible
        ("On 06/12, protesters blocked a road.", dt.date(2019, 12, 6), 1),
        ("On 12/31, protesters blocked a road.", dt.date(2019, 12, 31), 1),
        ("On 08/04/2019 a clash took place.", dt.date(2019, 4, 8), 1),
        # a range: its first day
        ("15-16 December: students rioted.", dt.date(2019, 12, 15), 1),
        # approximate days: precision 2
        ("On or before October 28th, a man was killed.", dt.date(2019, 10, 28), 2),
        ("Around Sept 1st 2019 (date not reported), a clash occurred.", dt.date(2019, 9, 1), 2),
        ("During the week beginning November 25th, raiders attacked.", dt.date(2019, 11, 25), 2),
        ("In July, raiders attacked a village.", dt.date(2019, 7, 1), 3),
        # relative to the publication date
        ("Gunmen attacked the post last night.", dt.date(2019, 12, 30), 1),
        ("Gunmen attacked the post on Saturday.", dt.date(2019, 12, 28), 1),
        ("Gunmen attacked the post on Tuesday.", dt.date(2019, 12, 31), 1),
        ("Gunmen attacked the post last week.", dt.date(2019, 12, 24), 2),
    ],
)
def test_note_styles(text: str, expected: dt.date, precision: int) -> None:
    found = find_dates(text, PUB)[0]
    assert (found.date, found.precision) == (expected, precision)


def test_a_report_date_is_not_the_event_date() -> None:
    assert find_dates("Protesters marched (source dated 04/04).", PUB) == []


def test_us_style_numeric_date_near_publication() -> None:
    (found,) = find_dates("Residents protested on 06/08.", dt.date(2015, 6, 8))
    assert found.date == dt.date(2015, 6, 8)
