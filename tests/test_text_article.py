from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from geo_events.errors import InputError
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


# ------------------------------------------------------------------ boilerplate

PARAGRAPH_1 = "Government forces shelled villages south of Idlib on Monday, residents said."
PARAGRAPH_2 = "Rebel groups said they had pushed back an attack near Saraqeb overnight."
PARAGRAPH_3 = "The monitoring group said at least four people were killed in the clashes."


@pytest.mark.parametrize(
    "marker",
    [
        "Subscribe to our newsletter",
        "Comments",
        "Tags: Syria, Idlib",
        "Read more: Idlib",
        "Advertisement",
    ],
)
def test_a_boilerplate_line_mid_article_drops_only_itself(marker):
    a = article_from_text(
        f"Fighting in Idlib\n\n{PARAGRAPH_1}\n\n{marker}\n\n{PARAGRAPH_2}\n\n{PARAGRAPH_3}\n"
    )
    assert a.text == f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n\n{PARAGRAPH_3}"


def test_a_trailing_footer_goes_from_its_marker_on():
    a = article_from_text(
        f"Fighting in Idlib\n\n{PARAGRAPH_1}\n\n{PARAGRAPH_2}\n\nRelated stories\n\n"
        "Five things to know about the war in Syria\n\nPhotos: a city in ruins\n\n"
        "Comments\n\nLeave a reply\n"
    )
    assert a.text == f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}"


def test_the_signature_before_a_footer_is_still_the_source():
    a = article_from_text(f"Fighting in Idlib\n\n{PARAGRAPH_1}\n\nTASS\n\nTags: Syria\n")
    assert (a.text, a.source) == (PARAGRAPH_1, "TASS")


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "raw",
    [
        "T\n\nBody.\n" + " " * 200_000 + "x",  # a signature-like last line
        "T\n\nA" + " " * 200_000 + "x",  # a dateline-like first line
        "T\n\n(Reuters)" + " " * 200_000 + "x",
        "T\n\nBEIRUT, " + " " * 200_000 + "x",
        "T\n\n" + "Comments\n" * 50_000 + "Body.",
    ],
)
def test_long_runs_take_linear_time(raw):
    assert isinstance(article_from_text(raw), Article)


# ------------------------------------------------------------------ what comes in


@pytest.mark.parametrize("title", [None, float("nan"), pd.NA])
def test_a_missing_title_means_the_first_line(title):
    a = article_from_text("Headline\n\nBody.", title=title)
    assert (a.title, a.text) == ("Headline", "Body.")


@pytest.mark.parametrize("raw", [None, float("nan")])
def test_missing_text_is_an_empty_article(raw):
    a = article_from_text(raw)
    assert (a.title, a.text) == ("", "")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"title": ["a"]}, "title must be text"),
        ({"title": 3.5}, "title must be text"),
        ({"source": {"a": 1}}, "source must be text"),
        ({"id": [1]}, "id must be text"),
        ({"published": float("inf")}, "published must be a date"),
        ({"published": "last Monday"}, "published must be a date like"),
        ({"published": 20200101}, "published must be a date"),
    ],
)
def test_wrong_types_are_input_errors_naming_the_argument(kwargs, match):
    with pytest.raises(InputError, match=match):
        article_from_text("Title\n\nBody.", **kwargs)
    with pytest.raises(InputError):
        article_from_text(["not", "text"])


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("2017-09-25", datetime.date(2017, 9, 25)),
        ("2017-09-25T23:30:00+03:00", datetime.date(2017, 9, 25)),
        (
            datetime.datetime(2017, 9, 25, 23, 30, tzinfo=datetime.timezone.utc),
            datetime.date(2017, 9, 25),
        ),
        (pd.Timestamp("2017-09-25 10:00"), datetime.date(2017, 9, 25)),
        (np.datetime64("2017-09-25"), datetime.date(2017, 9, 25)),
        (float("nan"), None),
        (pd.NaT, None),
        ("", None),
    ],
)
def test_published_is_normalised_to_a_date(published, expected):
    a = article_from_text("Title\n\nBody.", published=published)
    assert a.published == expected and (expected is None or type(a.published) is datetime.date)


def test_lone_surrogates_become_replacement_characters():
    a = article_from_text("Title \ud800\n\nBody \udcff in Idlib.", id="x\udcff", source="S\ud800")
    assert (a.title, a.text, a.id, a.source) == (
        "Title \ufffd",
        "Body \ufffd in Idlib.",
        "x\ufffd",
        "S\ufffd",
    )
    a.full_text.encode("utf-8")


def test_an_article_built_directly_is_checked():
    a = Article(
        id=5, title=None, text="Body \ud800.", published=datetime.datetime(2020, 1, 2, 3, 4)
    )
    assert (a.id, a.title, a.text, a.published) == (
        "5",
        "",
        "Body \ufffd.",
        datetime.date(2020, 1, 2),
    )
    with pytest.raises(InputError, match="Article id is required"):
        Article(id=None, title="", text="")
    with pytest.raises(InputError, match="Article text must be text"):
        Article(id="a", title="", text=["x"])
    with pytest.raises(InputError, match="Article published"):
        Article(id="a", title="", text="", published="soon")


def test_a_newsletter_sentence_in_a_footer_is_no_prose():
    a = article_from_text(
        f"Fighting in Idlib\n\n{PARAGRAPH_1}\n\nYou might also like\n\nFive things to know\n\n"
        "Sign up for our newsletter to get the latest news every single day.\n"
    )
    assert a.text == PARAGRAPH_1
