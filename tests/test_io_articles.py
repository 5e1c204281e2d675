from __future__ import annotations

import datetime
import io
import json
import sys

from geo_events.io.articles import ArticleError, read_articles
from geo_events.text.article import Article

TEXT = "Strikes near Idlib\n\nIDLIB, May 2, 2023 (Reuters) - Jets struck positions near Idlib.\n"
HTML = """<html><head><title>Shelling in Aleppo</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Shelling in Aleppo</h1>
<p>Artillery shelled several districts of Aleppo on Tuesday, killing three civilians, a monitoring group said.</p>
<p>Residents said the shelling started before dawn and lasted for several hours across the eastern districts.</p>
</article>
<div class="related"><h3>You might also like</h3><a href="/x">Other story</a></div>
<div id="cookie">This website uses cookies to improve your experience. Accept</div>
</body></html>"""
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Conflict Wire</title>
<item><title>Clashes in Homs</title><link>https://example.org/1</link>
<description>&lt;p&gt;Clashes erupted in Homs on Monday.&lt;/p&gt;</description>
<pubDate>Mon, 06 Mar 2023 10:00:00 GMT</pubDate></item>
<item><title>Calm in Hama</title><link>https://example.org/2</link><description>It was calm.</description></item>
</channel></rss>"""


def items(path, **kw):
    return list(read_articles(path, **kw))


def test_plain_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    (a,) = items(p)
    assert isinstance(a, Article)
    assert a.title == "Strikes near Idlib"
    assert (a.source, a.published, a.id, a.path) == (
        "Reuters",
        datetime.date(2023, 5, 2),
        "a",
        str(p),
    )


def test_defaults_apply_only_when_the_article_is_silent(tmp_path):
    p = tmp_path / "b.txt"
    p.write_text("Title\n\nBody without a dateline.\n", encoding="utf-8")
    (a,) = items(p, published=datetime.date(2020, 1, 1), source="Desk")
    assert (a.published, a.source) == (datetime.date(2020, 1, 1), "Desk")


def test_html_main_text(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    (a,) = items(p)
    assert isinstance(a, Article), a
    assert a.title == "Shelling in Aleppo"
    assert "Artillery shelled" in a.text
    assert "cookies" not in a.text and "You might also like" not in a.text and "Home" not in a.text


def test_jsonl_with_a_bad_line(tmp_path):
    p = tmp_path / "feed.jsonl"
    rows = [
        {
            "title": "One",
            "text": "Body one.",
            "url": "https://x/1",
            "published": "2023-05-01",
            "source": "AP",
        },
        "not json at all",
        {"title": "Two", "text": "Body two.", "id": "custom"},
        [1, 2],
    ]
    p.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows), encoding="utf-8"
    )
    got = items(p)
    assert [type(g).__name__ for g in got] == ["Article", "ArticleError", "Article", "ArticleError"]
    assert (got[0].published, got[0].source, got[0].url) == (
        datetime.date(2023, 5, 1),
        "AP",
        "https://x/1",
    )
    assert got[2].id == "custom"
    assert got[1].path.endswith("feed.jsonl:2") and "JSON" in got[1].reason


def test_rss(tmp_path):
    p = tmp_path / "wire.rss"
    p.write_text(RSS, encoding="utf-8")
    a, b = items(p)
    assert (a.title, a.text, a.source, a.url) == (
        "Clashes in Homs",
        "Clashes erupted in Homs on Monday.",
        "Conflict Wire",
        "https://example.org/1",
    )
    assert a.published == datetime.date(2023, 3, 6)
    assert b.published is None


def test_directory_sorted_recursive_and_every_input_accounted(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "junk.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "latin1.txt").write_bytes(
        "Título\n\nAtaque en Alepo, según fuentes.".encode("latin-1")
    )
    got = items(tmp_path)
    by_path = {(g.path or "").replace(str(tmp_path), ""): g for g in got}
    assert len(got) == 6
    assert isinstance(by_path["/b.txt"], Article) and isinstance(by_path["/sub/a.txt"], Article)
    assert by_path["/sub/a.txt"].id == "sub/a"
    assert (
        isinstance(by_path["/empty.txt"], ArticleError) and "empty" in by_path["/empty.txt"].reason
    )
    assert (
        isinstance(by_path["/junk.txt"], ArticleError) and "binary" in by_path["/junk.txt"].reason
    )
    assert isinstance(by_path["/image.png"], ArticleError)
    assert by_path["/latin1.txt"].title == "Título"
    order = [g.path for g in got]
    assert order == sorted(order)


def test_missing_file_is_a_record(tmp_path):
    (err,) = items(tmp_path / "nope.txt")
    assert isinstance(err, ArticleError) and not err
    assert "cannot read" in err.reason


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-8"))))
    (a,) = items("-")
    assert a.title == "Strikes near Idlib"


def test_large_text_file(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("Big\n\n" + "Shelling hit Aleppo on Tuesday. " * 160_000, encoding="utf-8")
    (a,) = items(p)
    assert len(a.text) > 5_000_000
