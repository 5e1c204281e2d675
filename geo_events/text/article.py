"""Articles: a title, a body, where they came from and when.

:func:`article_from_text` turns the plain text of a news article into an
:class:`Article`: the first non-empty line is the title, the rest the body. The
outlet's signature ("TASS" on a line of its own at the end, "(Reuters) -" in the
dateline) becomes the ``source``; a dateline with a year ("DAMASCUS, Sept 25,
2017 (Reuters) -", "MOSCOW, September 25, 2017. /TASS/.") gives the
``published`` date unless one is given. Trailing page furniture that a copy and
paste drags along ("You might also like", cookie banners, share buttons) is
dropped. A dateline without a year gives a source but no date: guessing the year
would put events in the wrong year silently.

Decisions, written down:

- **A boilerplate line mid-article drops only itself.** A line such as
  "Subscribe to our newsletter", "Comments", "Tags: Syria" or "Read more: …"
  between two paragraphs is a widget the copy dragged along; the paragraphs
  after it are still the article. Only when no prose paragraph (a line of eight
  words or more ending like a sentence) follows the marker is it the start of
  the page's trailing footer, and then everything from it on goes: the headlines
  of "You might also like" are short and end without a full stop.
- **Every field is checked on the way in** (:mod:`geo_events.text._inputs`):
  text fields must be strings or missing (None, NaN, NA), ``published`` a date,
  an ISO string or missing, and anything else is an
  :class:`~geo_events.errors.InputError` naming the field. Lone surrogates
  (from file names and JSON escapes that are not UTF-8) become U+FFFD, one
  character for one, so no writer or lookup fails on them later.

Offsets of mentions, events and evidence all point into :attr:`Article.full_text`
(title, a blank line, body), so a span found in the title and one found in the
body live in the same coordinate system.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from geo_events.errors import InputError
from geo_events.text._anchors import re_lower
from geo_events.text._inputs import as_date, as_id, as_text, replace_surrogates

__all__ = ["Article", "Dateline", "article_from_text", "clean_text", "parse_dateline"]


@dataclass(frozen=True)
class Article:
    r"""One news article.

    Attributes
    ----------
    id
        A stable identifier (given, or derived from the path or a hash of the text).
    title
        The headline ("" when there is none).
    text
        The body, without the title and without trailing page furniture.
    source
        The outlet ("TASS", "Reuters"), when known.
    published
        The publication date, when known.
    url
        Where the article was published, when known.
    path
        The file the article was read from, when it was read from one.

    Examples
    --------
    >>> a = article_from_text("Clashes in Idlib\n\nFighting went on.\n\nTASS")
    >>> a.title, a.text, a.source
    ('Clashes in Idlib', 'Fighting went on.', 'TASS')
    >>> a.full_text[a.full_text.index("Idlib") :][:5]
    'Idlib'
    """

    id: str
    title: str
    text: str
    source: str | None = None
    published: datetime.date | None = None
    url: str | None = None
    path: str | None = None

    def __post_init__(self) -> None:
        """Check the fields: text as text, a date as a date (see the module docstring)."""
        ident = self.id if isinstance(self.id, str) else as_id(self.id, "Article id")
        if ident is None:
            raise InputError("Article id is required (article_from_text makes one from the text)")
        fix = object.__setattr__
        if ident is not self.id or not ident.isascii():
            fix(self, "id", replace_surrogates(ident))
        for name in ("title", "text"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.isascii():
                fix(self, name, as_text(value, f"Article {name}", missing=""))
        for name in ("source", "url", "path"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.isascii()):
                fix(self, name, as_text(value, f"Article {name}"))
        published = self.published
        if published is not None and type(published) is not datetime.date:  # a datetime, NaN, ...
            fix(self, "published", as_date(published, "Article published"))

    @property
    def full_text(self) -> str:
        """Title, a blank line, then the body; every offset points into this string."""
        if not self.title:
            return self.text
        return f"{self.title}\n\n{self.text}"

    @property
    def body_offset(self) -> int:
        """Where :attr:`text` starts inside :attr:`full_text`."""
        return len(self.title) + 2 if self.title else 0


@dataclass(frozen=True)
class Dateline:
    """What a dateline says: the place written in capitals, the date, the outlet."""

    place: str
    published: datetime.date | None
    source: str | None
    end: int  # where the dateline ends in the line it was read from


# ---------------------------------------------------------------- cleaning text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
#: Control characters (dropped) and lone surrogates (U+FFFD) in one pass.
_CONTROL_OR_SURROGATE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def _clean_char(match: re.Match[str]) -> str:
    return "\ufffd" if match.group() >= "\ud800" else ""


def clean_text(raw: str) -> str:
    """Return ``raw`` with unified newlines, NFC, and no control characters or BOM.

    Non-breaking and other exotic spaces become plain spaces, lone surrogates
    U+FFFD; the length of each line may change, so clean before computing
    offsets, never after. None and NaN give "".
    """
    if not isinstance(raw, str):
        raw = as_text(raw, "text", missing="") or ""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.isascii():  # no exotic spaces, already NFC; look for control characters in C
        data = text.encode("ascii")
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return text
        return _CONTROL.sub("", text)
    text = _CONTROL_OR_SURROGATE.sub(_clean_char, unicodedata.normalize("NFC", text))
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


# ------------------------------------------------------------------ boilerplate

#: Boilerplate lines: dropped where they stand, and everything after them too
#: when no prose paragraph follows (a trailing footer).
_CUTOFF = re.compile(
    r"^\s*(you (might|may) also (like|be interested)|related (articles|stories|news|posts)"
    r"|read more\b|more from\b|recommended( for you)?\s*$|most (read|popular)\s*$"
    r"|share (this|on)\b|follow us\b|sign up\b|subscribe\b|advertisement\s*$"
    r"|trending( now)?\s*$|comments?\s*$|leave a (comment|reply)|tags?:)",
    re.IGNORECASE,
)
#: Sentences of cookie and consent banners.
_COOKIE = re.compile(
    r"\b(cookies?|consent)\b.*\b(website|experience|accept|opt[- ]?out|privacy|browsing|agree)\b"
    r"|\b(accept|agree)\b.*\bcookies?\b",
    re.IGNORECASE,
)
#: A line that is only an outlet's signature (matched on the stripped line: the
#: leading class is one set, so a long run of spaces costs linear time).
_SIGNATURE = re.compile(
    r"^[-–—(/\s]*(?P<outlet>TASS|Reuters|AFP|AP|Associated Press|Xinhua|Interfax|RIA Novosti"
    r"|Sputnik|Anadolu|SANA|Al Jazeera|BBC|UNIAN|Ukrinform|dpa|EFE|ANSA|Kyodo|Yonhap|IRNA"
    r"|Tasnim|ISNA|Fars|Bloomberg|CNN)[\s)/]*\.?$",
    re.IGNORECASE,
)
_OUTLET_CANON = {
    "ap": "AP",
    "afp": "AFP",
    "tass": "TASS",
    "sana": "SANA",
    "bbc": "BBC",
    "cnn": "CNN",
    "irna": "IRNA",
    "isna": "ISNA",
    "efe": "EFE",
    "ansa": "ANSA",
    "unian": "UNIAN",
    "dpa": "dpa",
}
_BLANK_LINES = re.compile(r"\n{3,}")
#: A paragraph of prose: eight words or more, ending like a sentence.
_PROSE_END = re.compile(r"[.!?…][\"”’)\]]*$")
#: "(Reporting by …; Editing by …)" credit lines.
_CREDIT = re.compile(r"^\s*\((reporting|writing|editing|additional reporting)\b.*\)\s*$", re.I)


def _canonical_outlet(name: str) -> str:
    key = name.strip().casefold()
    return _OUTLET_CANON.get(key, name.strip())


def _is_cookie_banner(line: str) -> bool:
    """A short line of a cookie or consent banner."""
    if len(line.strip()) >= 400:
        return False
    low = re_lower(line)  # _COOKIE is slow on long lines: check for its words first
    return ("cookie" in low or "consent" in low) and _COOKIE.search(line) is not None


def _is_prose(line: str) -> bool:
    stripped = line.strip()
    return (
        _PROSE_END.search(stripped[-8:]) is not None
        and len(stripped.split(None, 8)) > 8
        and not (len(stripped) < 120 and _CUTOFF.match(stripped))
        and not _is_cookie_banner(stripped)
    )


def _drop_boilerplate(lines: list[str]) -> list[str]:
    """Drop boilerplate lines, and a trailing footer from its first marker on."""
    content = [i for i, ln in enumerate(lines) if ln.strip()]
    last_prose: int | None = None
    drop: list[int] = []
    for rank, i in enumerate(content):
        line = lines[i]
        if len(line.strip()) >= 120 or not _CUTOFF.match(line):
            continue
        if last_prose is None:
            last_prose = next((j for j in reversed(content) if _is_prose(lines[j])), -1)
        if rank >= 1 and i > last_prose:  # nothing but headlines and links follow
            lines = lines[:i]
            break
        drop.append(i)
    if drop:
        dropped = set(drop)
        lines = [ln for k, ln in enumerate(lines) if k not in dropped]
    return lines


def _is_furniture(line: str) -> bool:
    stripped = line.strip()
    if not stripped:
        return True
    if _is_cookie_banner(stripped):
        return True
    return bool(_CREDIT.match(stripped))


# --------------------------------------------------------------------- datelines

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z'’.\- ]{1,40}?(?:,\s*[A-Z][A-Za-z.\- ]{1,30}?)?)\s*[,.]\s*"
    rf"(?:{_MONTH_RE}\s+(?P<day>\d{{1,2}})|(?P<day2>\d{{1,2}})\s+{_MONTH_RE.replace('month', 'month2')})"
    r"(?:,?\s*(?P<year>(?:19|20)\d\d))?\s*[.,]?\s*"
    r"(?:\((?P<outlet>[A-Za-z][A-Za-z .]{1,30})\)|/(?P<outlet2>[A-Za-z][A-Za-z .-]{1,30})/)?"
    r"\s*[.,]?\s*[-–—:]*\s*"
)
#: "(Reuters) -" anywhere near the start of the body, without a date.
_OUTLET_ONLY = re.compile(
    r"^\s*(?:[A-Z][A-Z'’.\- ]{1,40}\s*(?:,\s*)?)?(?:\((?P<outlet>[A-Za-z][A-Za-z .]{1,30})\)"
    r"|/(?P<outlet2>[A-Za-z][A-Za-z .-]{1,30})/)\s*(?:[.,]\s*)?[-–—:]"
)


_DATELINE_CHARS = 300


def parse_dateline(line: str) -> Dateline | None:
    """Read the dateline at the start of ``line``, or return None.

    Only the first 300 characters are looked at (a dateline is shorter), so a
    giant first line costs no more than a short one.

    Examples
    --------
    >>> d = parse_dateline("DAMASCUS, Sept 25, 2017 (Reuters) - Warplanes struck ...")
    >>> d.place, d.published, d.source
    ('DAMASCUS', datetime.date(2017, 9, 25), 'Reuters')
    >>> parse_dateline("MOSCOW, September 25. /TASS/. Russia's defense ministry ...").source
    'TASS'
    """
    line = line[:_DATELINE_CHARS]
    match = _DATELINE.match(line)
    if match:
        month_name = (match["month"] or match["month2"] or "").casefold().rstrip(".")
        month = _MONTHS.get(month_name[:4] if month_name.startswith("sept") else month_name[:3])
        day = int(match["day"] or match["day2"])
        published = None
        if match["year"] and month:
            try:
                published = datetime.date(int(match["year"]), month, day)
            except ValueError:
                published = None
        outlet = match["outlet"] or match["outlet2"]
        return Dateline(
            place=match["place"].strip(),
            published=published,
            source=_canonical_outlet(outlet) if outlet else None,
            end=match.end(),
        )
    match = _OUTLET_ONLY.match(line)
    if match:
        outlet = match["outlet"] or match["outlet2"]
        place = line[: match.start("outlet" if match["outlet"] else "outlet2")].strip(" ,(/")
        return Dateline(
            place=place, published=None, source=_canonical_outlet(outlet), end=match.end()
        )
    return None


# ---------------------------------------------------------------------- reading


def _stable_id(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]


def article_from_text(
    raw: str,
    *,
    id: str | None = None,
    published: datetime.date | None = None,
    source: str | None = None,
    url: str | None = None,
    path: str | None = None,
    title: str | None = None,
) -> Article:
    r"""Make an :class:`Article` of the plain text of a news article.

    Parameters
    ----------
    raw
        The article: title on the first non-empty line, body after (unless
        ``title`` is given, in which case all of ``raw`` is the body). None or
        NaN is an empty article.
    id
        Identifier; default a hash of the text.
    published, source
        Override what the dateline or signature say. ``published`` may be a
        date, a datetime or an ISO string.
    url, path
        Kept as given.
    title
        The title, when it is known separately from the body (None or a
        missing value such as NaN: the first line is the title).

    Raises
    ------
    InputError
        When an argument has the wrong type (a list for a title, a number for a
        date), with the argument's name.

    Examples
    --------
    >>> a = article_from_text("Strike near Aleppo\nALEPPO, March 3, 2024 (Reuters) - Jets hit.")
    >>> a.source, a.published
    ('Reuters', datetime.date(2024, 3, 3))
    """
    if not isinstance(raw, str):
        raw = as_text(raw, "article_from_text text", missing="") or ""
    if title is not None and not isinstance(title, str):
        title = as_text(title, "title")
    if id is not None and not isinstance(id, str):
        id = as_id(id)
    published = as_date(published) if published is not None else None
    source = source if source is None or isinstance(source, str) else as_text(source, "source")
    url = url if url is None or isinstance(url, str) else as_text(url, "url")
    path = path if path is None or isinstance(path, str) else as_text(path, "path")
    text = clean_text(raw)
    lines = text.split("\n")
    if title is None:
        while lines and not lines[0].strip():
            lines.pop(0)
        title = lines.pop(0).strip() if lines else ""
    else:
        title = clean_text(title).strip()
    lines = _drop_boilerplate(lines)
    signature: str | None = None
    while lines:
        last = lines[-1]
        if _is_furniture(last):
            lines.pop()
            continue
        stripped = last.strip()
        found = _SIGNATURE.match(stripped) if len(stripped) < 60 else None
        if found and signature is None:
            signature = _canonical_outlet(found["outlet"])
            lines.pop()
            continue
        break
    lines = [ln for ln in lines if not _is_cookie_banner(ln)]
    body = "\n".join(ln.rstrip() for ln in lines).strip("\n")
    if "\n\n\n" in body:
        body = _BLANK_LINES.sub("\n\n", body)
    body = body.strip()
    dateline_source: str | None = None
    dateline_date: datetime.date | None = None
    first = body.split("\n", 1)[0] if body else ""
    dateline = parse_dateline(first) if first else None
    if dateline is not None:
        dateline_source, dateline_date = dateline.source, dateline.published
    return Article(
        id=id if id is not None else _stable_id(f"{title}\n{body}"),
        title=title,
        text=body,
        source=source or signature or dateline_source,
        published=published or dateline_date,
        url=url,
        path=path,
    )
