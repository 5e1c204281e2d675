r"""Reading articles from files: plain text, HTML, JSON Lines, RSS/Atom, directories.

:func:`read_articles` yields one :class:`~geo_events.text.article.Article` per
article found, and one :class:`ArticleError` per input that could not be read
(undecodable, binary, empty, malformed line, unsupported file type, over the
size limit), so every input is accounted for and nothing raises halfway through
a directory.

HTML goes through trafilatura (main text only: navigation, share buttons,
"You might also like" blocks and cookie banners dropped); feeds through
feedparser. Both are imported only when such a file is read.

Decisions, written down:

- **Every entry of a directory is in the account.** Walking a directory yields
  an article or an :class:`ArticleError` for each entry found, whatever it is:
  a file name that is not UTF-8 is skipped (its bytes shown as ``\xff`` in the
  record, so printing it cannot fail), as are hidden files and folders (names
  starting with "."; a file given by name is read), named pipes, sockets and
  devices (never opened: a pipe would block), broken symbolic links and folders
  that cannot be listed. An empty folder is one record too.
- **Symbolic links are followed, each file and folder read once.** A link to a
  file or folder reads its target under the link's name; a file or folder
  reached a second time (a link to something already read, a link back to a
  parent) is a record that names where it was read.
- **Size limits are per article.** ``max_bytes`` (default :data:`MAX_BYTES`,
  50 MiB) bounds one article's input: a text or HTML file, one line of a JSON
  Lines file, a JSON or feed file (parsed whole). A JSON Lines file itself may be
  of any size: it is read line by line, memory stays flat, and a line over the
  limit is skipped with a record naming the limit and ``max_bytes``.
- **There are no compressed or archived article inputs**: a ``.gz`` or ``.zip``
  is an unsupported file type, not something to unpack (no zip bombs).
"""

from __future__ import annotations

import dataclasses
import datetime
import errno
import io
import json
import logging
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from geo_events.errors import InputError
from geo_events.text._inputs import as_date, as_id, as_limit, as_text, is_missing, printable
from geo_events.text.article import Article, article_from_text, clean_text

__all__ = ["MAX_BYTES", "ArticleError", "read_articles"]

logger = logging.getLogger(__name__)

#: The default of ``max_bytes``: one article's input larger than this is not read.
MAX_BYTES = 50 * 1024 * 1024

_FORMATS = {
    **dict.fromkeys((".txt", ".text", ".md"), "text"),
    **dict.fromkeys((".html", ".htm", ".xhtml"), "html"),
    **dict.fromkeys((".jsonl", ".ndjson"), "jsonl"),
    ".json": "json",
    **dict.fromkeys((".rss", ".atom", ".xml"), "feed"),
}
_SUPPORTED = "txt, html, jsonl, json, rss, atom, xml"
_HEAD = 65_536
_CHUNK = 1 << 20
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class ArticleError:
    """An input that yielded no article, and why.

    ``path`` names the file (with ``:line`` for one line of a JSON Lines file,
    ``#n`` for one entry of a feed or JSON array), printable whatever the file's
    name; ``reason`` says what was wrong.
    """

    path: str
    reason: str

    def __bool__(self) -> bool:
        return False


@dataclass(frozen=True)
class _Options:
    published: datetime.date | None
    source: str | None
    max_bytes: int | None

    def too_large(self, what: str, size: int | None = None) -> str:
        limit = self.max_bytes or 0
        actual = f" ({size:,} bytes)" if size is not None else ""
        return (
            f"{what}{actual} is over the limit of {limit:,} bytes per article (max_bytes); "
            "raise max_bytes, or pass None for no limit, to read it"
        )


@dataclass(frozen=True)
class _Source:
    """Where bytes come from: a path (valid UTF-8) or stdin, and the article id's stem."""

    display: str
    path: str | None
    stem: str | None


def read_articles(
    path: str | os.PathLike[str],
    *,
    published: datetime.date | str | None = None,
    source: str | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> Iterator[Article | ArticleError]:
    r"""Yield the articles in a file, a directory (recursively, sorted) or stdin ("-").

    Parameters
    ----------
    path
        A ``.txt``, ``.html``/``.htm``, ``.jsonl``, ``.json``, ``.rss``/``.xml``/
        ``.atom`` file, a directory of them, or ``"-"`` for standard input (the
        format is sniffed).
    published, source
        Defaults for articles that do not say (metadata and datelines win).
        ``published`` may be a date or an ISO string.
    max_bytes
        The size limit of one article's input in bytes (a text or HTML file, a
        JSON Lines line, a JSON or feed file), default :data:`MAX_BYTES`;
        None for no limit. Larger inputs are skipped with a record saying so.

    Yields
    ------
    Article or ArticleError
        One per article, or one error record per input that gave none: every
        entry of a directory appears (see the module docstring).

    Raises
    ------
    InputError
        At the call, when an option is invalid (``max_bytes`` not a positive
        whole number, ``published`` not a date, ``path`` not a path).

    Examples
    --------
    >>> for item in read_articles("news/"):  # doctest: +SKIP
    ...     print(item.id if item else f"{item.path}: {item.reason}")
    """
    options = _Options(
        published=as_date(published, "published"),
        source=as_text(source, "source"),
        max_bytes=as_limit(max_bytes, "max_bytes"),
    )
    try:
        name = os.fsdecode(path)
    except TypeError:
        raise InputError(
            f"path must be a file or directory name (str or os.PathLike), got {type(path).__name__}"
        ) from None
    return _read_stdin(options) if name == "-" else _read_path(name, options)


# ------------------------------------------------------------------ paths


def _read_stdin(options: _Options) -> Iterator[Article | ArticleError]:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        yield ArticleError("<stdin>", "no standard input to read")
        return
    yield from _read_stream(stream, None, _Source("<stdin>", None, None), options)


def _read_path(name: str, options: _Options) -> Iterator[Article | ArticleError]:
    display = printable(name)
    if "\x00" in name:
        yield ArticleError(display.replace("\x00", "\\x00"), "invalid path: it holds a NUL byte")
        return
    if display != name:
        yield ArticleError(display, "path is not valid UTF-8 (rename it to read it)")
        return
    try:
        st = os.stat(name)
    except OSError as exc:
        yield ArticleError(display, _stat_problem(name, exc))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(name, st, options)
    elif stat.S_ISREG(st.st_mode):
        base = os.path.basename(name)
        yield from _read_file(name, _stem(base), st.st_size, options)
    else:
        yield ArticleError(display, _not_regular(st.st_mode))


def _stat_problem(name: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself, not read"
    if isinstance(exc, FileNotFoundError) and os.path.islink(name):
        return "broken symbolic link: its target does not exist"
    return f"cannot read: {exc.strerror or exc}"


def _not_regular(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "a special file"
    return f"{what}, not a regular file: not opened"


def _stem(relative: str) -> str:
    """The article id of a file: its path relative to the directory read, without suffix."""
    root, suffix = os.path.splitext(relative)
    return root if suffix else relative


def _key(st: os.stat_result) -> tuple[int, int] | None:
    return (st.st_dev, st.st_ino) if st.st_ino else None


def _listing(directory: str) -> list[str] | str:
    """The sorted names in a directory, or why they cannot be listed."""
    try:
        with os.scandir(directory) as entries:
            return sorted(entry.name for entry in entries)
    except OSError as exc:
        return f"cannot list directory: {exc.strerror or exc}"


def _walk(
    root: str, root_stat: os.stat_result, options: _Options
) -> Iterator[Article | ArticleError]:
    """Read every entry under ``root``, depth first in sorted order (as sorted paths)."""
    display_root = printable(root)
    names = _listing(root)
    if isinstance(names, str):
        yield ArticleError(display_root, names)
        return
    if not names:
        yield ArticleError(display_root, "directory holds no files")
        return
    dirs_seen: dict[tuple[int, int], str] = {}
    files_seen: dict[tuple[int, int], str] = {}
    root_key = _key(root_stat)
    if root_key:
        dirs_seen[root_key] = display_root
    # one frame per open directory: (its path, its path relative to root, its key, names left)
    stack: list[tuple[str, str, tuple[int, int] | None, Iterator[str]]] = [
        (root, "", root_key, iter(names))
    ]
    while stack:
        directory, relative, _, pending = stack[-1]
        name = next(pending, None)
        if name is None:
            stack.pop()
            continue
        full = os.path.join(directory, name)
        rel = os.path.join(relative, name) if relative else name
        display = printable(full)
        try:
            lst = os.lstat(full)
        except OSError as exc:
            yield ArticleError(display, f"cannot read: {exc.strerror or exc}")
            continue
        is_dir = stat.S_ISDIR(lst.st_mode)
        if printable(name) != name:
            what = "folder" if is_dir else "file"
            yield ArticleError(display, f"{what} name is not valid UTF-8 (rename it to read it)")
            continue
        if name.startswith("."):
            what = "hidden folder (its files neither)" if is_dir else "hidden file"
            yield ArticleError(display, f"{what}: not read")
            continue
        st = lst
        if stat.S_ISLNK(lst.st_mode):
            try:
                st = os.stat(full)
            except OSError as exc:
                yield ArticleError(display, _stat_problem(full, exc))
                continue
        key = _key(st)
        if stat.S_ISDIR(st.st_mode):
            if key is not None and key in dirs_seen:
                ancestors = {frame[2] for frame in stack}
                earlier = dirs_seen[key]
                yield ArticleError(
                    display,
                    f"symbolic link loop: leads back to {earlier}, not read again"
                    if key in ancestors
                    else f"same directory as {earlier}, already read",
                )
                continue
            if key is not None:
                dirs_seen[key] = display
            inner = _listing(full)
            if isinstance(inner, str):
                yield ArticleError(display, inner)
            elif not inner:
                yield ArticleError(display, "directory holds no files")
            else:
                stack.append((full, rel, key, iter(inner)))
        elif stat.S_ISREG(st.st_mode):
            if key is not None and key in files_seen:
                yield ArticleError(display, f"same file as {files_seen[key]}, already read")
                continue
            if key is not None:
                files_seen[key] = display
            yield from _read_file(full, _stem(rel), st.st_size, options)
        else:
            yield ArticleError(display, _not_regular(st.st_mode))


def _read_file(
    path: str, stem: str, size: int, options: _Options
) -> Iterator[Article | ArticleError]:
    """Read one regular file (``path`` is valid UTF-8; ``size`` from its stat)."""
    src = _Source(path, path, stem)
    suffix = os.path.splitext(path)[1].lower()
    kind = _FORMATS.get(suffix) if suffix else None
    if suffix and kind is None:
        yield ArticleError(path, f"unsupported file type {suffix!r} ({_SUPPORTED})")
        return
    if kind != "jsonl" and options.max_bytes is not None and size > options.max_bytes:
        yield ArticleError(path, options.too_large("the file", size))
        return
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        yield ArticleError(path, f"cannot read: {exc.strerror or exc}")
        return
    with open(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since it was looked at
                yield ArticleError(path, "not a regular file any more: not read")
                return
            yield from _read_stream(handle, kind, src, options)
        except OSError as exc:
            yield ArticleError(path, f"cannot read: {exc.strerror or exc}")


# ------------------------------------------------------------------ bytes


def _sniff(head: bytes) -> str:
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"{"):
        return "jsonl"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"<"):
        feed = b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start
        return "feed" if feed else "html"
    return "text"


def _read_stream(
    handle: IO[bytes], kind: str | None, src: _Source, options: _Options
) -> Iterator[Article | ArticleError]:
    """Read one input from an open binary stream; ``kind`` None: sniff it."""
    limit = options.max_bytes
    head = handle.read(_HEAD)
    if kind is None:
        kind = _sniff(head)
    if kind == "jsonl" and not head.startswith(_UTF16_BOMS):
        if b"\x00" in head:
            yield ArticleError(src.display, "binary data (NUL bytes), not text")
            return
        yield from _jsonl_records(_byte_lines(head, handle, limit), src, options)
        return
    rest = handle.read() if limit is None else handle.read(max(0, limit + 1 - len(head)))
    data = head + rest if rest else head
    if limit is not None and len(data) > limit:
        yield ArticleError(src.display, options.too_large("the input"))
        return
    yield from _read_bytes(data, kind, src, options)


def _read_bytes(
    data: bytes, kind: str, src: _Source, options: _Options
) -> Iterator[Article | ArticleError]:
    if not data or data.isspace():
        yield ArticleError(src.display, "empty input")
        return
    try:
        if kind == "text":
            text = _decode(data)
            if isinstance(text, ArticleError):
                yield ArticleError(src.display, text.reason)
                return
            article = article_from_text(
                text,
                id=src.stem,
                published=options.published,
                source=options.source,
                path=src.path,
            )
            yield (
                article if (article.title or article.text) else ArticleError(src.display, "no text")
            )
        elif kind == "html":
            yield _read_html(data, src, options)
        elif kind == "jsonl":  # UTF-16, read whole
            text = _decode(data)
            if isinstance(text, ArticleError):
                yield ArticleError(src.display, text.reason)
                return
            lines = ((n, line) for n, line in enumerate(text.split("\n"), start=1))
            yield from _jsonl_records(lines, src, options)
        elif kind == "json":
            yield from _read_json(data, src, options)
        else:
            yield from _read_feed(data, src, options)
    except Exception as exc:  # a parser library failing on odd input must not end the run
        logger.warning("could not read %s: %s", src.display, printable(str(exc)))
        yield ArticleError(src.display, f"unreadable: {type(exc).__name__}: {printable(str(exc))}")


def _decode(data: bytes) -> str | ArticleError:
    """Decode bytes as text, or say why they are not text."""
    sample = data[:65536]
    if b"\x00" in sample and not (sample.startswith(_UTF16_BOMS)):
        return ArticleError("", "binary data (NUL bytes), not text")
    for encoding in ("utf-8-sig", "utf-16") if sample.startswith(_UTF16_BOMS) else ("utf-8-sig",):
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
    """A date from metadata, leniently: None when it cannot be read."""
    if value is None or value == "" or isinstance(value, (bool, list, dict)) or is_missing(value):
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
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


# ------------------------------------------------------------------ HTML


def _read_html(
    data: bytes, src: _Source, options: _Options, *, url: str | None = None
) -> Article | ArticleError:
    import trafilatura

    text = _decode(data)
    if isinstance(text, ArticleError):
        return ArticleError(src.display, text.reason)
    doc = trafilatura.bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if doc is None:
        return ArticleError(src.display, "no main text found in the HTML page")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = meta.get("text") or ""
    if not isinstance(body, str) or not body.strip():
        return ArticleError(src.display, "no main text found in the HTML page")
    title, sitename, page_url = (
        value if isinstance(value := meta.get(key), str) and value else None
        for key in ("title", "sitename", "url")
    )
    article = article_from_text(
        body,
        title=title,  # None (no <title>): the first line is the title, as for plain text
        id=src.stem,
        published=_parse_date(meta.get("date")) or options.published,
        source=sitename or options.source,
        url=page_url or url,
        path=src.path,
    )
    if article.published is None and options.published is not None:
        article = dataclasses.replace(article, published=options.published)
    return article


# ------------------------------------------------------------------ JSON


def _byte_lines(
    head: bytes, handle: IO[bytes], limit: int | None
) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, line)`` from a stream; None for a line over ``limit`` bytes.

    Memory stays bounded by the limit: an overlong line is skipped, not kept.
    """
    buf = bytearray(head[3:] if head.startswith(b"\xef\xbb\xbf") else head)
    lineno = 0
    skipping = False  # inside a line already known to be too long
    while True:
        start = 0
        while (end := buf.find(b"\n", start)) >= 0:
            lineno += 1
            too_long = skipping or (limit is not None and end - start > limit)
            yield lineno, None if too_long else bytes(buf[start:end])
            skipping = False
            start = end + 1
        del buf[:start]
        if limit is not None and len(buf) > limit:
            skipping = True
            buf.clear()
        chunk = handle.read(_CHUNK)
        if not chunk:
            if buf or skipping:
                yield lineno + 1, None if skipping else bytes(buf)
            return
        buf += chunk


def _jsonl_records(
    lines: Iterable[tuple[int, bytes | str | None]], src: _Source, options: _Options
) -> Iterator[Article | ArticleError]:
    """One article or record per line that is not blank (a blank line is no record)."""
    stem = src.stem or "stdin"
    found = False
    for lineno, line in lines:
        where = f"{src.display}:{lineno}"
        if line is None:
            found = True
            yield ArticleError(where, options.too_large("the line"))
            continue
        if not line.strip():
            continue
        found = True
        if isinstance(line, bytes):
            try:
                text: str | ArticleError = line.decode("utf-8")
            except UnicodeDecodeError:
                text = _decode(line)
            if isinstance(text, ArticleError):
                yield ArticleError(where, text.reason)
                continue
        else:
            text = line
        try:
            obj = json.loads(text)
        except ValueError as exc:
            yield ArticleError(where, f"not JSON: {exc}")
            continue
        except RecursionError:
            yield ArticleError(where, "not JSON that can be read: nested too deeply")
            continue
        if not isinstance(obj, dict):
            yield ArticleError(where, f"a JSON {_json_type(obj)}, expected an object")
            continue
        yield _record(obj, where, f"{stem}:{lineno}", src, options)
    if not found:
        yield ArticleError(src.display, "empty input")


def _read_json(data: bytes, src: _Source, options: _Options) -> Iterator[Article | ArticleError]:
    text = _decode(data)
    if isinstance(text, ArticleError):
        yield ArticleError(src.display, text.reason)
        return
    try:
        obj = json.loads(text)
    except ValueError:
        # perhaps JSON Lines with a .json name
        lines = ((n, line) for n, line in enumerate(text.split("\n"), start=1))
        yield from _jsonl_records(lines, src, options)
        return
    except RecursionError:
        yield ArticleError(src.display, "not JSON that can be read: nested too deeply")
        return
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        yield ArticleError(src.display, "an empty JSON array: no articles")
        return
    stem = src.stem or "stdin"
    for i, item in enumerate(items):
        where = f"{src.display}#{i}"
        if not isinstance(item, dict):
            yield ArticleError(where, f"a JSON {_json_type(item)}, expected an object")
            continue
        yield _record(item, where, f"{stem}#{i}", src, options)


def _json_type(value: Any) -> str:
    return {
        list: "array",
        dict: "object",
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
    }.get(type(value), "null" if value is None else type(value).__name__)


def _field(obj: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    """The first of ``keys`` the record holds a value for (not null, not NaN)."""
    for key in keys:
        value = obj.get(key)
        if value is not None and not is_missing(value):
            return key, value
    return keys[0], None


def _record(
    obj: dict[str, Any], where: str, default_id: str, src: _Source, options: _Options
) -> Article | ArticleError:
    """One JSON record's article; a record that fails is a record, not the end of the file."""
    try:
        return _article_from_mapping(obj, where, default_id, src, options)
    except Exception as exc:
        logger.warning("could not read %s: %s", where, printable(str(exc)))
        return ArticleError(where, f"unreadable: {type(exc).__name__}: {printable(str(exc))}")


def _article_from_mapping(
    obj: dict[str, Any], where: str, default_id: str, src: _Source, options: _Options
) -> Article | ArticleError:
    fields: dict[str, Any] = {}
    for name, keys in (
        ("text", ("text", "body", "content")),
        ("title", ("title",)),
        ("source", ("source",)),
        ("url", ("url",)),
    ):
        key, value = _field(obj, keys)
        if value is not None and not isinstance(value, str):
            return ArticleError(
                where, f"field {key!r} is a JSON {_json_type(value)}, expected text"
            )
        fields[name] = value
    text, title = fields["text"], fields["title"]
    if text is None and title is None:
        return ArticleError(where, "record has neither 'text' nor 'title'")
    if not (text or "").strip() and not (title or "").strip():
        return ArticleError(where, "record has empty 'text' and 'title'")
    _, ident = _field(obj, ("id",))
    if ident is not None and not (isinstance(ident, (str, int)) and not isinstance(ident, bool)):
        return ArticleError(where, f"field 'id' is a JSON {_json_type(ident)}, expected text")
    _, date = _field(obj, ("published", "date"))
    return article_from_text(
        text or "",
        title=title,
        id=as_id(ident) if ident is not None else default_id,
        published=_parse_date(date) or options.published,
        source=fields["source"] or options.source,
        url=fields["url"] or None,
        path=src.path,
    )


# ------------------------------------------------------------------ feeds


def _read_feed(data: bytes, src: _Source, options: _Options) -> Iterator[Article | ArticleError]:
    import feedparser

    # A file object, never bytes: feedparser opens bytes that look like a file name.
    feed = feedparser.parse(io.BytesIO(data))
    entries = feed.get("entries") or []
    if not entries:
        problem = feed.get("bozo_exception")
        detail = f" ({printable(str(problem))})" if problem else ""
        yield ArticleError(src.display, f"no feed entries{detail}")
        return
    feed_title = (feed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries):
        where = f"{src.display}#{i}"
        try:
            yield _feed_entry(entry, where, feed_title, src, options)
        except Exception as exc:  # one odd entry must not lose the rest of the feed
            reason = f"unreadable entry: {type(exc).__name__}: {printable(str(exc))}"
            yield ArticleError(where, reason)


def _feed_entry(
    entry: Any, where: str, feed_title: str | None, src: _Source, options: _Options
) -> Article | ArticleError:
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    body = _html_to_text(html) if html else ""
    title = clean_text(entry.get("title") or "").strip()
    if not body.strip() and not title:
        return ArticleError(where, "feed entry has no title and no text")
    date = None
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                date = datetime.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except (ValueError, OverflowError):
                continue
            break
    return article_from_text(
        body,
        title=title,
        id=str(entry.get("id") or entry.get("link") or where),
        published=date or options.published,
        source=feed_title or options.source,
        url=entry.get("link") or None,
        path=src.path,
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
