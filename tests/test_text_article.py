from __future__ import annotations

import datetime

import pytest

from geo_events.text.article import Article, article_from_text, parse_dateline

RAW = """Strikes reported near Idlib

Government jets struck positions near Idlib, a monitor said on Sunday.

Residents fled towards the border.

TASS

\u00a0

You might also like

This website uses cookies to improve your experience. We'll assume you're ok with this. Accept Read More
"""


def test_title_body_signature_and_furniture():
    a = article_from_text(RAW)
    assert a.title == "Strikes reported near Idlib"
    assert a.text.startswith("Government jets struck")
    assert a.text.endswith("Residents fled towards the border.")
    assert a.source == "TASS"
    assert "cookies" not in a.text and "You might also like" not in a.text


def test_full_text_offsets():
    a = article_from_text(RAW)
    full = a.full_text
    assert full.startswith(a.title + "\n\n")
    assert full[a.body_offset :] == a.text
    assert full[full.index("Idlib") : full.index("Idlib") + 5] == "Idlib"


@pytest.mark.parametrize(
    ("line", "place", "date", "source"),
    [
        (
            "DAMASCUS, Sept 25, 2017 (Reuters) - Jets struck.",
            "DAMASCUS",
            datetime.date(2017, 9, 25),
            "Reuters",
        ),
        (
            "MOSCOW, September 25, 2017. /TASS/. The ministry said",
            "MOSCOW",
            datetime.date(2017, 9, 25),
            "TASS",
        ),
        ("MOSCOW, September 25. /TASS/. The ministry said", "MOSCOW", None, "TASS"),
        ("BEIRUT (Reuters) - Clashes erupted", "BEIRUT", None, "Reuters"),
        (
            "KYIV, Ukraine, 3 March 2022 (AFP) - Sirens",
            "KYIV, Ukraine",
            datetime.date(2022, 3, 3),
            "AFP",
        ),
    ],
)
def test_datelines(line, place, date, source):
    d = parse_dateline(line)
    assert d is not None
    assert (d.place, d.published, d.source) == (place, date, source)


def test_no_dateline_in_ordinary_sentences():
    assert parse_dateline("Deir ez-Zor is a city on the Euphrates.") is None
    assert parse_dateline("") is None


def test_dateline_gives_date_and_source_unless_given():
    raw = "Title\nALEPPO, March 3, 2024 (Reuters) - Jets hit."
    a = article_from_text(raw)
    assert (a.source, a.published) == ("Reuters", datetime.date(2024, 3, 3))
    b = article_from_text(raw, source="Mine", published=datetime.date(2024, 3, 4), id="x1")
    assert (b.source, b.published, b.id) == ("Mine", datetime.date(2024, 3, 4), "x1")


def test_id_is_stable_and_content_based():
    assert article_from_text(RAW).id == article_from_text(RAW).id
    assert article_from_text(RAW).id != article_from_text(RAW.replace("Sunday", "Monday")).id


@pytest.mark.parametrize("raw", ["", "\n\n", "\x00\x01junk\x02", "Только заголовок\nи текст"])
def test_odd_input(raw):
    a = article_from_text(raw)
    assert isinstance(a, Article)
    assert "\x00" not in a.full_text


def test_crlf_and_bom():
    a = article_from_text("\ufeffTitle\r\n\r\nBody line.\r\n")
    assert (a.title, a.text) == ("Title", "Body line.")


def test_article_is_frozen():
    a = article_from_text(RAW)
    with pytest.raises(AttributeError):
        a.title = "x"  # type: ignore[misc]
