"""Property tests: hostile text, files and options through the text layer's public API.

Each entry point (``article_from_text``, ``read_articles`` on generated files and
folders, ``extract_events``, ``events_from_results``, ``geoparse``) is given text
with lone surrogates, NUL and control characters, long repeats, right-to-left and
combining marks, template braces and HTML, and options that are NaN, infinite,
strings, timezone-aware datetimes or of the wrong type. Only a ``GeoEventsError``
may escape, and what comes back must be well formed.

Example counts come from the profiles in conftest.py ("ci" bounded, "long" by
hand: ``HYPOTHESIS_PROFILE=long python -m pytest -m fuzz tests/test_fuzz_text.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from geo_events.errors import GeoEventsError
from geo_events.events.from_articles import ArticlesReport, events_from_articles
from geo_events.io.articles import MAX_BYTES, ArticleError, read_articles
from geo_events.text.article import Article, article_from_text
from geo_events.text.extract import extract_events
from geo_events.text.extracted import ExtractionResult
from geo_events.text.geoparse import geoparse

pytestmark = pytest.mark.fuzz

# ------------------------------------------------------------------ text

FRAGMENTS = [
    "Syrian warplanes struck rebel positions in Idlib on Sunday, killing five civilians.",
    "ALEPPO, March 3, 2024 (Reuters) - Jets hit a market near Aleppo.",
    "MOSCOW, September 25. /TASS/. The ministry denied the strike.",
    "Islamic State fighters shelled army posts outside Deir ez-Zor last week.",
    "Clashes erupted between the SDF and government forces near Raqqa yesterday.",
    "Protesters gathered in Kyiv, police said.",
    "No air strikes were carried out on Homs, the ministry said.",
    "Subscribe to our newsletter",
    "Comments",
    "Tags: Syria, Idlib",
    "You might also like",
    "This website uses cookies to improve your experience. Accept",
    "TASS",
    "(Reporting by Jane Doe; Editing by John Roe)",
    "{{ title }} {% if x %}{{",
    "<p>Shelling in <b>Homs</b></p><script>alert(1)</script>",
    "\u202eRTL override Idlib\u202c \u05d9\u05e8\u05d5\u05e9\u05dc\u05d9\u05dd",
    "A\u0301\u0301\u0301leppo e\u0308\u0308",
    "\x00\x01\x02\x1b[31m\x7f",
    "\ud800\udfff\udcff lone",
    "Idlib\ud800 Aleppo\udcff Homs",
    "\ufeff\u00a0\u2009\u202f",
    "Deir ez-Zor" + " " * 300 + "x",
    "(Reuters)" + " " * 300 + "x",
    "مقتل خمسة في قصف على إدلب",
]
_ANY_CHAR = st.characters(exclude_categories=())  # surrogates, controls, unassigned: all of them
_pieces = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.text(_ANY_CHAR, max_size=40),
    st.builds(
        lambda s, n: s * n,
        st.sampled_from([*FRAGMENTS, " ", "\n", "-", "a ", "Idlib "]),
        st.integers(1, 400),
    ),
)
hostile_text = st.lists(_pieces, max_size=8).flatmap(
    lambda parts: st.lists(
        st.sampled_from([" ", "\n", "\n\n", "\r\n", ""]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)

_tz = st.one_of(
    st.just(dt.timezone.utc),
    st.builds(
        dt.timezone,
        st.timedeltas(min_value=-dt.timedelta(hours=23), max_value=dt.timedelta(hours=23)),
    ),
)
any_value = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.just(float("inf")),
    st.just(-float("inf")),
    st.just(pd.NA),
    st.just(pd.NaT),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.text(_ANY_CHAR, max_size=20),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
published_values = st.one_of(
    any_value,
    st.dates(),
    st.datetimes(timezones=_tz),
    st.datetimes(),
    st.dates().map(str),
    st.datetimes(timezones=_tz).map(lambda d: d.isoformat()),
    st.just(np.datetime64("NaT")),
    st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2200, 1, 1)).map(np.datetime64),
    st.builds(
        pd.Timestamp,
        st.datetimes(min_value=dt.datetime(1700, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    ),
)
title_values = st.one_of(st.none(), any_value, hostile_text)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def check_article(a: Article) -> None:
    assert isinstance(a, Article)
    for name in ("id", "title", "text"):
        value = getattr(a, name)
        assert isinstance(value, str), name
        assert not _has_surrogate(value), name
        value.encode("utf-8")
    for name in ("source", "url", "path"):
        value = getattr(a, name)
        assert value is None or (isinstance(value, str) and not _has_surrogate(value)), name
    assert a.published is None or type(a.published) is dt.date
    assert a.full_text[a.body_offset :] == a.text


def check_error_record(e: ArticleError) -> None:
    assert not e
    e.path.encode("utf-8")  # printable and encodable, whatever the file's name
    e.reason.encode("utf-8")
    assert e.reason


def mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Good values three times in four, so that the work after the checks runs too.

    (Each side is wrapped in a ``map``: ``one_of`` would otherwise flatten the
    branches of both, and the many kinds of bad value would win.)
    """
    good, bad = good.map(_same), bad.map(_same)
    return st.one_of(good, good, good, bad)


def _same(value: Any) -> Any:
    return value


_some_text = st.text(_ANY_CHAR, min_size=1, max_size=10)


def attempt(function: Any, *args: Any, **kwargs: Any) -> tuple[Any, GeoEventsError | None]:
    """Call ``function``: its result, or the GeoEventsError it raised (anything else escapes)."""
    try:
        return function(*args, **kwargs), None
    except GeoEventsError as exc:
        return None, exc


def good_and_bad(
    good: dict[str, Any], bad: dict[str, Any]
) -> st.SearchStrategy[tuple[str | None, dict[str, Any]]]:
    """Keyword arguments that are all good but one (or none), and the name of that one."""
    return st.sampled_from([None, *good]).flatmap(
        lambda spoilt: st.fixed_dictionaries(
            {name: bad[name] if name == spoilt else strategy for name, strategy in good.items()}
        ).map(lambda kwargs: (spoilt, kwargs))
    )


_dates_ok = st.one_of(
    st.none(), st.dates(), st.datetimes(timezones=_tz), st.dates().map(str), st.just(float("nan"))
)
_FROM_TEXT_GOOD = {
    "raw": st.one_of(hostile_text, st.none()),
    "title": st.one_of(st.none(), hostile_text, st.just(float("nan"))),
    "published": _dates_ok,
    "id": st.one_of(st.none(), _some_text, st.integers()),
    "source": st.one_of(st.none(), _some_text),
}
_FROM_TEXT_BAD = {
    "raw": any_value,
    "title": title_values,
    "published": published_values,
    "id": any_value,
    "source": any_value,
}
_NAMED = {"raw": "article_from_text text", "title": "title", "published": "published", "id": "id"}


@given(case=good_and_bad(_FROM_TEXT_GOOD, _FROM_TEXT_BAD))
def test_article_from_text(case: tuple[str | None, dict[str, Any]]) -> None:
    spoilt, kwargs = case
    raw = kwargs.pop("raw")
    a, error = attempt(article_from_text, raw, **kwargs)
    if error is not None:
        assert spoilt is not None, error  # good arguments are never refused
        assert _NAMED.get(spoilt, spoilt) in str(error)  # the error names the argument
        event(f"refused: {spoilt}")
        return
    event("article")
    check_article(a)
    if isinstance(raw, str) and kwargs["title"] is None:
        assert "\x00" not in a.full_text


@given(text=hostile_text)
def test_article_from_text_never_refuses_text(text: str) -> None:
    check_article(article_from_text(text))


# ------------------------------------------------------------------ files


def _json_value() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        hostile_text,
        st.text(_ANY_CHAR, max_size=10),
    )
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )


_record = st.fixed_dictionaries(
    {},
    optional={
        "title": st.one_of(_json_value(), hostile_text),
        "text": st.one_of(_json_value(), hostile_text),
        "body": _json_value(),
        "id": _json_value(),
        "published": st.one_of(_json_value(), st.dates().map(str)),
        "source": _json_value(),
        "url": _json_value(),
    },
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True, allow_nan=True).encode("utf-8")


def _jsonl(records: list[Any], junk: list[bytes]) -> bytes:
    lines = [_dumps(r) for r in records] + junk
    return b"\n".join(lines)


_stories = st.lists(st.sampled_from(FRAGMENTS[:7]), min_size=1, max_size=4).map(
    lambda paragraphs: "A headline\n\n" + "\n\n".join(paragraphs)
)
_text_bytes = st.one_of(
    _stories.map(str.encode),
    _stories.map(str.encode),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("utf-16", "surrogatepass")),
    hostile_text.map(lambda t: t.encode("latin-1", "replace")),
    st.binary(max_size=200),
)
_html_bytes = hostile_text.map(
    lambda t: (
        f"<html><head><title>{t[:40]}</title></head><body><article><p>{t}</p><p>{t[::-1]}</p></article></body></html>".encode(
            "utf-8", "surrogatepass"
        )
    )
)
_rss_bytes = st.lists(
    st.tuples(
        hostile_text,
        hostile_text,
        st.sampled_from(
            ["Mon, 06 Mar 2023 10:00:00 GMT", "Fri, 31 Feb 2023 99:00:00 GMT", "", "garbage"]
        ),
    ),
    max_size=3,
).map(
    lambda items: (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        + "".join(
            f"<item><title>{t}</title><description>{d}</description><pubDate>{p}</pubDate></item>"
            for t, d, p in items
        )
        + "</channel></rss>"
    ).encode("utf-8", "surrogatepass")
)
_jsonl_bytes = st.builds(
    _jsonl,
    st.lists(st.one_of(_record, _json_value()), max_size=4),
    st.lists(st.one_of(st.binary(max_size=30), st.just(b"{"), st.just(b"[" * 5000)), max_size=2),
)
_json_bytes = st.one_of(
    st.lists(st.one_of(_record, _json_value()), max_size=4).map(_dumps),
    _record.map(_dumps),
    st.just(b"[]"),
    st.just(b"[" * 100_000 + b"]" * 100_000),
)
_NAMES = st.one_of(
    st.sampled_from(
        [
            "a.txt",
            "b.html",
            "c.jsonl",
            "d.json",
            "e.rss",
            "f.xml",
            "g",
            "h.md",
            "i.png",
            "j.gz",
            ".hidden.txt",
            "k.TXT",
        ]
    ),
    st.binary(min_size=1, max_size=8)
    .map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_") + b".txt")
    .filter(lambda b: b not in (b".txt", b"..txt")),
)
_CONTENT_BY_SUFFIX = {
    ".html": _html_bytes,
    ".jsonl": _jsonl_bytes,
    ".json": _json_bytes,
    ".rss": _rss_bytes,
    ".xml": _rss_bytes,
}


@st.composite
def folder_entries(draw: st.DrawFn) -> list[tuple[bytes, str, bytes]]:
    """Entries of a folder: (name, kind, content) with kind file, dir, fifo, link, badlink, loop."""
    entries = []
    names = draw(
        st.lists(_NAMES, max_size=5, unique_by=lambda n: n if isinstance(n, bytes) else n.encode())
    )
    for name in names:
        raw = name if isinstance(name, bytes) else name.encode()
        suffix = os.path.splitext(raw)[1].decode("ascii", "replace").lower()
        content = draw(st.one_of(_CONTENT_BY_SUFFIX.get(suffix, _text_bytes), _text_bytes))
        kind = draw(
            st.sampled_from(["file"] * 6 + ["dir", "fifo", "link", "badlink", "loop", "emptydir"])
        )
        entries.append((raw, kind, content))
    return entries


def _make(root: bytes, entries: list[tuple[bytes, str, bytes]]) -> list[bytes]:
    made = []
    for name, kind, content in entries:
        path = os.path.join(root, name)
        if kind == "file":
            with open(path, "wb") as f:
                f.write(content)
        elif kind == "dir":
            os.mkdir(path)
            with open(os.path.join(path, b"inner.txt"), "wb") as f:
                f.write(content)
        elif kind == "emptydir":
            os.mkdir(path)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "link":
            target = os.path.join(root, b"target-" + name.replace(b".", b"_") + b".txt")
            with open(target, "wb") as f:
                f.write(content)
            os.symlink(target, path)
            made.append(target)
        elif kind == "badlink":
            os.symlink(os.path.join(root, b"missing"), path)
        else:
            os.symlink(root, path)  # a link back to the folder itself
        made.append(path)
    return made


def _show(path: bytes) -> str:
    return os.fsdecode(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@given(
    entries=folder_entries(),
    published=mostly(st.one_of(st.none(), st.dates()), published_values),
    max_bytes=mostly(
        st.one_of(st.none(), st.just(MAX_BYTES), st.integers(1, 400)),
        st.sampled_from([0, -5, float("nan"), float("inf"), True, 1.5, "10"]),
    ),
)
def test_read_articles_on_generated_folders(
    entries: list[tuple[bytes, str, bytes]], published: Any, max_bytes: Any
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = os.fsencode(tmp)
        made = _make(root, entries)
        try:
            items = list(read_articles(tmp, published=published, max_bytes=max_bytes))
        except GeoEventsError:
            event("options refused with a GeoEventsError")
            return
        assert items
        event(f"{sum(isinstance(i, Article) for i in items) > 0}: some article read")
        for item in items:
            if isinstance(item, Article):
                check_article(item)
            else:
                check_error_record(item)
                assert "unreadable: " not in item.reason or item.path.endswith(
                    (".html", ".rss", ".xml", "/g")
                ), item
        # every entry of the folder appears in the account
        seen = [
            item.path if isinstance(item, ArticleError) else (item.path or "") for item in items
        ]
        for path in made:
            shown = _show(path)
            assert any(
                s == shown or s.startswith((shown + ":", shown + "#", shown + os.sep)) for s in seen
            ), (shown, seen)


@given(
    content=st.one_of(_text_bytes, _jsonl_bytes, _json_bytes, _html_bytes, _rss_bytes),
    suffix=st.sampled_from([".txt", ".jsonl", ".json", ".html", ".rss", ""]),
    max_bytes=st.one_of(st.none(), st.integers(1, 20_000)),
)
def test_read_articles_on_one_generated_file(content: bytes, suffix: str, max_bytes: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"article{suffix}"
        path.write_bytes(content)
        items = list(read_articles(path, max_bytes=max_bytes))
        assert items
        for item in items:
            if isinstance(item, Article):
                check_article(item)
            else:
                check_error_record(item)


# ------------------------------------------------------------------ extraction


def check_result(result: ExtractionResult, article: Article) -> None:
    assert isinstance(result, ExtractionResult)
    assert result.article_id == article.id
    assert bool(result.events) == (result.reason == "")
    full = article.full_text
    for e in result.events:
        assert 0 <= e.evidence_start < e.evidence_end <= len(full)
        assert e.evidence == full[e.evidence_start : e.evidence_end]
        assert e.article_id == article.id
        assert 0.0 <= e.confidence <= 1.0
        if e.latitude is not None:
            assert math.isfinite(e.latitude) and -90 <= e.latitude <= 90
            assert math.isfinite(e.longitude) and -180 <= e.longitude <= 180
        assert e.event_date is None or type(e.event_date) is dt.date
        assert e.fatalities is None or e.fatalities >= 0
        for value in (e.evidence, e.notes or "", e.location or "", e.actor1 or ""):
            value.encode("utf-8")


_RELATIVE = [
    "yesterday",
    "last week",
    "last month",
    "3 days ago",
    "on Monday",
    "in March",
    "on 3 March",
]
_articles = st.builds(
    lambda text, title, published: article_from_text(text, title=title, published=published),
    st.one_of(
        hostile_text,
        st.builds(
            "Syrian jets struck rebels in Idlib {}, killing five.".format,
            st.sampled_from(_RELATIVE),
        ),
    ),
    st.one_of(st.none(), hostile_text),
    st.one_of(
        st.none(),
        st.dates(),
        st.sampled_from([dt.date.min, dt.date.max]),
        st.datetimes(timezones=_tz),
        st.dates().map(str),
    ),
)
# mostly good values (so that extraction runs), sometimes any value at all
_DIRECT_GOOD = {
    "id": st.one_of(_some_text, st.integers()),
    "title": st.one_of(hostile_text, st.none()),
    "text": st.one_of(hostile_text, _stories),
    "source": st.one_of(st.none(), _some_text),
    "published": _dates_ok,
}
_DIRECT_BAD = {
    "id": any_value,
    "title": title_values,
    "text": any_value,
    "source": any_value,
    "published": published_values,
}
max_chars_values = mostly(
    st.one_of(st.none(), st.integers(1, 5_000)),
    st.one_of(st.sampled_from([0, -3, float("nan"), float("inf"), "100", True]), st.floats()),
)


@given(article=_articles, max_chars=max_chars_values)
def test_extract_events(gazetteer: Any, article: Article, max_chars: Any) -> None:
    try:
        result = extract_events(article, gazetteer=gazetteer, max_chars=max_chars)
    except GeoEventsError:
        event("refused with a GeoEventsError")
        return
    event("events found" if result.events else "no events")
    check_result(result, article)


@given(case=good_and_bad(_DIRECT_GOOD, _DIRECT_BAD))
def test_extract_events_on_articles_built_directly(
    gazetteer: Any, case: tuple[str | None, dict[str, Any]]
) -> None:
    spoilt, fields = case
    article, error = attempt(Article, **fields)
    if error is not None:
        assert spoilt is not None and f"Article {spoilt}" in str(error), error
        event(f"Article refused: {spoilt}")
        return
    check_article(article)
    result = extract_events(article, gazetteer=gazetteer)
    event("events found" if result.events else "no events")
    check_result(result, article)


@given(articles=st.lists(_articles, max_size=4), junk=mostly(st.none(), any_value))
def test_events_from_articles(gazetteer: Any, articles: list[Article], junk: Any) -> None:
    results: list[Any] = [extract_events(a, gazetteer=gazetteer) for a in articles]
    at = len(results) // 2
    if junk is not None:
        results.insert(at, junk)
    try:
        out = events_from_articles(results, gazetteer=gazetteer)
    except GeoEventsError:
        assert junk is not None
        event("refused with a GeoEventsError")
        return
    event("events" if len(out) else "no events")
    report = out.attrs["articles"]
    assert isinstance(report, ArticlesReport)
    # every input is accounted for: junk becomes an article without events, with its reason
    assert report.articles == len(results) == len(report.table)
    extracted = [r for r in results if isinstance(r, ExtractionResult)]
    assert len(out) == report.events == sum(len(r.events) for r in extracted)
    ids = list(report.table["article_id"])
    if junk is not None:
        assert report.table["reason"][at].startswith("unreadable article")
        del ids[at]
    assert ids == [r.article_id for r in extracted]
    assert out.crs is None or out.crs.to_epsg() == 4326
    report.summary().encode("utf-8")


@given(text=st.one_of(hostile_text, any_value))
def test_geoparse(gazetteer: Any, text: Any) -> None:
    try:
        found = geoparse(text, gazetteer)
    except GeoEventsError:
        return
    assert isinstance(found, list)
    event("places found" if found else "no places")
    if not isinstance(text, str):
        assert found == []
        return
    clean = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in text)
    last = 0
    for m in found:
        assert last <= m.start < m.end <= len(text)
        assert m.text == clean[m.start : m.end]
        last = m.start
        c = m.candidate
        if c is not None:
            assert -90 <= c.latitude <= 90 and -180 <= c.longitude <= 180
