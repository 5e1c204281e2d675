"""Reading articles from files: plain text, HTML, JSON Lines, RSS/Atom, directories.

:func:`read_articles` yields one :class:`~geo_events.text.article.Article` per
article found, and one :class:`ArticleError` per input that could not be read
(undecodable, binary, empty, malformed line, unsupported file type), so every
input is accounted for and nothing raises halfway through a directory.

HTML goes through trafilatura (main text only: navigation, share buttons,
"You might also like" blocks and cookie banners dropped); feeds through
feedparser. Both are imported only when such a file is read.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo_events.text.article import Article, article_from_text, clean_text

__all__ = ["MAX_BYTES", "ArticleError", "read_articles"]

logger = logging.getLogger(__name__)

#: Files larger than this are not read (a news article is a few kB).
MAX_BYTES = 50 * 1024 * 1024

_TEXT_EXT = {".txt", ".text", ".md", ""}
_HTML_EXT = {".html", ".htm", ".xhtml"}
_JSONL_EXT = {".jsonl", ".ndjson"}
_JSON_EXT = {".json"}
_FEED_EXT = {".rss", ".atom", ".xml"}


@dataclass(frozen=True)
class ArticleError:
    """An input that yielded no article, and why.

    ``path`` names the file (with ``:line`` for one line of a JSON Lines file,
    ``#n`` for one entry of a feed); ``reason`` says what was wrong.
    """

    path: str
    reason: str

    def __bool__(self) -> bool:
        return False


def read_articles(
    path: str | os.PathLike[str],
    *,
    published: datetime.date | None = None,
    source: str | None = None,
) -> Iterator[Article | ArticleError]:
    """Yield the articles in a file, a directory (recursively, sorted) or stdin ("-").

    Parameters
    ----------
    path
        A ``.txt``, ``.html``/``.htm``, ``.jsonl``, ``.json``, ``.rss``/``.xml``/
        ``.atom`` file, a directory of them, or ``"-"`` for standard input (the
        format is sniffed).
    published, source
        Defaults for articles that do not say (metadata and datelines win).

    Yields
    ------
    Article or ArticleError
        One per article, or one error record per input that gave none.

    Examples
    --------
    >>> for item in read_articles("news/"):  # doctest: +SKIP
    ...     print(item.id if item else item.reason)
    """
    if str(path) == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        yield from _read_bytes(data, "<stdin>", None, published, source)
        return
    p = Path(path)
    if p.is_dir():
        files = sorted(
            f
            for f in p.rglob("*")
            if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
        )
        if not files:
            yield ArticleError(str(p), "directory holds no files")
        for f in files:
            yield from _read_file(f, published, source, root=p)
        return
    yield from _read_file(p, published, source, root=None)


def _read_file(
    p: Path, published: datetime.date | None, source: str | None, *, root: Path | None
) -> Iterator[Article | ArticleError]:
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            yield ArticleError(str(p), f"file too large ({size:,} bytes > {MAX_BYTES:,})")
            return
        data = p.read_bytes()
    except OSError as exc:
        yield ArticleError(str(p), f"cannot read: {exc.strerror or exc}")
        return
    yield from _read_bytes(data, str(p), p, published, source, root=root)


def _sniff(data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        return ".jsonl"
    if head.startswith(b"["):
        return ".json"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return ".rss"
    if head.startswith(b"<"):
        return ".html"
    return ".txt"


def _article_id(p: Path | None, root: Path | None) -> str | None:
    if p is None:
        return None
    base = p.relative_to(root) if root is not None else Path(p.name)
    return str(base.with_suffix("")) if base.suffix else str(base)


def _read_bytes(
    data: bytes,
    name: str,
    p: Path | None,
    published: datetime.date | None,
    source: str | None,
    *,
    root: Path | None = None,
) -> Iterator[Article | ArticleError]:
    if len(data) > MAX_BYTES:
        yield ArticleError(name, f"input too large (> {MAX_BYTES:,} bytes)")
        return
    if not data.strip():
        yield ArticleError(name, "empty input")
        return
    ext = p.suffix.lower() if p is not None else _sniff(data)
    if ext in _TEXT_EXT and p is not None and ext == "" and data.lstrip()[:1] in (b"{", b"<", b"["):
        ext = _sniff(data)
    try:
        if ext in _TEXT_EXT:
            text = _decode(data)
            if isinstance(text, ArticleError):
                yield ArticleError(name, text.reason)
                return
            article = article_from_text(
                text,
                id=_article_id(p, root),
                published=published,
                source=source,
                path=str(p) if p else None,
            )
            yield article if (article.title or article.text) else ArticleError(name, "no text")
        elif ext in _HTML_EXT:
            yield _read_html(data, name, p, root, published, source)
        elif ext in _JSONL_EXT:
            yield from _read_jsonl(data, name, p, root, published, source)
        elif ext in _JSON_EXT:
            yield from _read_json(data, name, p, root, published, source)
        elif ext in _FEED_EXT:
            yield from _read_feed(data, name, p, published, source)
        else:
            yield ArticleError(
                name, f"unsupported file type {ext!r} (txt, html, jsonl, json, rss, atom, xml)"
            )
    except Exception as exc:  # a parser library failing on odd input must not end the run
        logger.warning("could not read %s: %s", name, exc)
        yield ArticleError(name, f"unreadable: {type(exc).__name__}: {exc}")


def _decode(data: bytes) -> str | ArticleError:
    """Decode bytes as text, or say why they are not text."""
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return ArticleError("", "binary data (NUL bytes), not text")
    for encoding in (
        ("utf-8-sig", "utf-16") if sample.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",)
    ):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            return ArticleError("", "undecodable: not UTF-8 and no other encoding fits")
        text = str(best)
    controls = sum(1 for ch in text[:65536] if ch < " " and ch not in "\n\r\t\f")
    if controls > 0.05 * min(len(text), 65536):
        return ArticleError("", "binary data (control characters), not text")
    return text


def _parse_date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _read_html(
    data: bytes,
    name: str,
    p: Path | None,
    root: Path | None,
    published: datetime.date | None,
    source: str | None,
    *,
    url: str | None = None,
) -> Article | ArticleError:
    import trafilatura

    text = _decode(data)
    if isinstance(text, ArticleError):
        return ArticleError(name, text.reason)
    doc = trafilatura.bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if doc is None:
        return ArticleError(name, "no main text found in the HTML page")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = meta.get("text") or ""
    if not body.strip():
        return ArticleError(name, "no main text found in the HTML page")
    title = meta.get("title") or ""
    article = article_from_text(
        body,
        title=title,
        id=_article_id(p, root),
        published=_parse_date(meta.get("date")) or published,
        source=meta.get("sitename") or source,
        url=meta.get("url") or url,
        path=str(p) if p else None,
    )
    if not title:  # no <title>: the first line is the title, as for plain text
        article = article_from_text(
            body,
            id=article.id,
            published=article.published,
            source=article.source,
            url=article.url,
            path=article.path,
        )
    if article.published is None and published is not None:
        article = dataclasses.replace(article, published=published)
    return article


def _article_from_mapping(
    obj: dict[str, Any],
    name: str,
    default_id: str,
    published: datetime.date | None,
    source: str | None,
) -> Article | ArticleError:
    text = obj.get("text") if obj.get("text") is not None else obj.get("body", obj.get("content"))
    title = obj.get("title")
    if not isinstance(text, str) and not isinstance(title, str):
        return ArticleError(name, "record has neither 'text' nor 'title'")
    text = text if isinstance(text, str) else ""
    title = title if isinstance(title, str) else None
    if not text.strip() and not (title or "").strip():
        return ArticleError(name, "record has empty 'text' and 'title'")
    ident = obj.get("id")
    return article_from_text(
        text,
        title=title,
        id=str(ident) if ident is not None else default_id,
        published=_parse_date(obj.get("published") or obj.get("date")) or published,
        source=(str(obj["source"]) if obj.get("source") else None) or source,
        url=str(obj["url"]) if obj.get("url") else None,
        path=name.rsplit(":", 1)[0],
    )


def _read_jsonl(
    data: bytes,
    name: str,
    p: Path | None,
    root: Path | None,
    published: datetime.date | None,
    source: str | None,
) -> Iterator[Article | ArticleError]:
    text = _decode(data)
    if isinstance(text, ArticleError):
        yield ArticleError(name, text.reason)
        return
    stem = _article_id(p, root) or "stdin"
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield ArticleError(where, f"not JSON: {exc}")
            continue
        if not isinstance(obj, dict):
            yield ArticleError(where, f"a JSON {type(obj).__name__}, expected an object")
            continue
        yield _article_from_mapping(obj, where, f"{stem}:{lineno}", published, source)


def _read_json(
    data: bytes,
    name: str,
    p: Path | None,
    root: Path | None,
    published: datetime.date | None,
    source: str | None,
) -> Iterator[Article | ArticleError]:
    text = _decode(data)
    if isinstance(text, ArticleError):
        yield ArticleError(name, text.reason)
        return
    try:
        obj = json.loads(text)
    except ValueError:
        # perhaps JSON Lines with a .json name
        yield from _read_jsonl(data, name, p, root, published, source)
        return
    items = obj if isinstance(obj, list) else [obj]
    stem = _article_id(p, root) or "stdin"
    for i, item in enumerate(items):
        where = f"{name}#{i}"
        if not isinstance(item, dict):
            yield ArticleError(where, f"a JSON {type(item).__name__}, expected an object")
            continue
        yield _article_from_mapping(item, where, f"{stem}#{i}", published, source)


def _read_feed(
    data: bytes, name: str, p: Path | None, published: datetime.date | None, source: str | None
) -> Iterator[Article | ArticleError]:
    import feedparser

    feed = feedparser.parse(data)
    entries = feed.get("entries") or []
    if not entries:
        problem = feed.get("bozo_exception")
        yield ArticleError(name, f"no feed entries{f' ({problem})' if problem else ''}")
        return
    feed_title = (feed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries):
        where = f"{name}#{i}"
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        body = _html_to_text(html) if html else ""
        title = clean_text(entry.get("title") or "").strip()
        if not body.strip() and not title:
            yield ArticleError(where, "feed entry has no title and no text")
            continue
        date = None
        for key in ("published_parsed", "updated_parsed"):
            parsed = entry.get(key)
            if parsed:
                date = datetime.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
                break
        yield article_from_text(
            body,
            title=title,
            id=str(entry.get("id") or entry.get("link") or where),
            published=date or published,
            source=feed_title or source,
            url=entry.get("link") or None,
            path=str(p) if p else None,
        )


def _html_to_text(html: str) -> str:
    """Return the text of an HTML fragment (paragraphs on lines of their own)."""
    if "<" not in html:
        return clean_text(html)
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return clean_text(html)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4"):
        block.tail = "\n" + (block.tail or "")
    return clean_text(root.text_content()).strip()
