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

from geo_events.text._anchors import re_lower

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


def clean_text(raw: str) -> str:
    """Return ``raw`` with unified newlines, NFC, and no control characters or BOM.

    Non-breaking and other exotic spaces become plain spaces; the length of
    each line may change, so clean before computing offsets, never after.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if text.isascii():  # no exotic spaces, already NFC; look for control characters in C
        data = text.encode("ascii")
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return text
        return _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


# ------------------------------------------------------------------ boilerplate

#: Lines that end an article's real text: everything from them on is furniture.
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
#: A line that is only an outlet's signature.
_SIGNATURE = re.compile(
    r"^\s*[-–—(/]*\s*(?P<outlet>TASS|Reuters|AFP|AP|Associated Press|Xinhua|Interfax|RIA Novosti"
    r"|Sputnik|Anadolu|SANA|Al Jazeera|BBC|UNIAN|Ukrinform|dpa|EFE|ANSA|Kyodo|Yonhap|IRNA"
    r"|Tasnim|ISNA|Fars|Bloomberg|CNN)\s*[)/]*\s*\.?\s*$",
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
    r"^\s*(?:[A-Z][A-Z'’.\- ]{1,40}\s*,?\s*)?(?:\((?P<outlet>[A-Za-z][A-Za-z .]{1,30})\)"
    r"|/(?P<outlet2>[A-Za-z][A-Za-z .-]{1,30})/)\s*[.,]?\s*[-–—:]"
)


def parse_dateline(line: str) -> Dateline | None:
    """Read the dateline at the start of ``line``, or return None.

    Examples
    --------
    >>> d = parse_dateline("DAMASCUS, Sept 25, 2017 (Reuters) - Warplanes struck ...")
    >>> d.place, d.published, d.source
    ('DAMASCUS', datetime.date(2017, 9, 25), 'Reuters')
    >>> parse_dateline("MOSCOW, September 25. /TASS/. Russia's defense ministry ...").source
    'TASS'
    """
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
        ``title`` is given, in which case all of ``raw`` is the body).
    id
        Identifier; default a hash of the text.
    published, source
        Override what the dateline or signature say.
    url, path
        Kept as given.
    title
        The title, when it is known separately from the body.

    Examples
    --------
    >>> a = article_from_text("Strike near Aleppo\nALEPPO, March 3, 2024 (Reuters) - Jets hit.")
    >>> a.source, a.published
    ('Reuters', datetime.date(2024, 3, 3))
    """
    text = clean_text(raw if isinstance(raw, str) else str(raw))
    lines = text.split("\n")
    if title is None:
        while lines and not lines[0].strip():
            lines.pop(0)
        title = lines.pop(0).strip() if lines else ""
    else:
        title = clean_text(title).strip()
    # Cut at the first furniture marker in the last part of the article (or
    # anywhere after the first three paragraphs: "Read more" mid-text is a link).
    content_lines = [i for i, ln in enumerate(lines) if ln.strip()]
    for rank, i in enumerate(content_lines):
        if rank >= 1 and _CUTOFF.match(lines[i]) and len(lines[i].strip()) < 120:
            lines = lines[:i]
            break
    signature: str | None = None
    while lines:
        last = lines[-1]
        if _is_furniture(last):
            lines.pop()
            continue
        found = _SIGNATURE.match(last)
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
