"""Dates in text, resolved against the publication date, with ACLED's time precision.

ACLED's ``time_precision``: 1 the day is known, 2 only the week, 3 only the month
(or a longer period). Relative expressions need the publication date: "on Monday"
is the most recent Monday on or before it (the day itself if it is a Monday),
"last Monday" the one before that when it is a Monday; "yesterday" the day before;
"last week" seven days before it (precision 2); "last month" the first of the
previous month (precision 3). Without a publication date a relative expression,
or a day and month without a year, resolves to None: the date is unknown, and
an unknown date is never invented.

Examples
--------
>>> import datetime
>>> pub = datetime.date(2017, 9, 25)  # a Monday
>>> [(d.text, d.date.isoformat(), d.precision) for d in find_dates("said on Monday", pub)]
[('on Monday', '2017-09-25', 1)]
>>> find_dates("on Sunday", pub)[0].date
datetime.date(2017, 9, 24)
>>> find_dates("on Sunday", None)[0].date is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geo_events.text._anchors import re_lower

__all__ = ["DateExpr", "find_dates", "resolve_date_text"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?-i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "dmyrange",
        re.compile(
            rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|\u2013|to|and|or)\s*[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
            re.I,
        ),
    ),
    (
        "numeric",
        re.compile(r"(?<![\w/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)(?:/(?P<y>(?:19|20)?\d\d))?(?![\w/])"),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(?:on\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
            re.I,
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b(?:on\s+)?(?P<mon>{_MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
            re.I,
        ),
    ),
    ("month", re.compile(rf"\b(?:in|during|since|early|late|mid-?)\s+(?P<mon>{_MONTH})(?:\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    ("monthyear", re.compile(rf"\b(?P<mon>{_MONTH})\s+(?P<y>(?:19|20)\d\d)\b", re.I)),
    ("daybefore", re.compile(r"\bthe\s+day\s+before\s+yesterday\b", re.I)),
    ("yesterday", re.compile(r"\byesterday" + _DAYPART + r"\b|\blast\s+night\b", re.I)),
    ("today", re.compile(r"\b(?:earlier\s+)?today\b|\bthis\s+(?:morning|afternoon|evening)\b|\btonight\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?P<unit>days?|weeks?|months?)\s+ago\b", re.I)),
    (
        "weekday",
        re.compile(r"\b(?:(?P<rel>last|this|on|early|late)\s+)?(?P<wd>" + "|".join(_WEEKDAYS) + r")" + _DAYPART + r"\b", re.I),
    ),
    ("lastweek", re.compile(r"\blast\s+week(?:end)?\b", re.I)),
    ("thisweek", re.compile(r"\b(?:earlier\s+)?this\s+week(?:end)?\b", re.I)),
    ("lastmonth", re.compile(r"\blast\s+month\b", re.I)),
    ("thismonth", re.compile(r"\b(?:earlier\s+)?this\s+month\b", re.I)),
]  # fmt: skip


_DIGIT = re.compile(r"\d")
_MONTH_PREFIXES = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
_MONTH_HINT = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
#: Words one of which a sentence must hold for a pattern to be tried (a cheap pre-check).
_GUARDS: dict[str, str | tuple[str, ...]] = {
    "iso": "digit",
    "dmyrange": "month",
    "numeric": "digit",
    "dmy": "month",
    "mdy": "month",
    "month": "month",
    "monthyear": "month",
    "daybefore": ("yesterday",),
    "yesterday": ("yesterday", "last night"),
    "today": ("today", "this ", "tonight"),
    "ago": ("ago",),
    "weekday": ("day",),
    "lastweek": ("week",),
    "thisweek": ("week",),
    "lastmonth": ("month",),
    "thismonth": ("month",),
}
#: Words one of which every match of a pattern holds (in :func:`re_lower` of the text),
#: checked after the guard: the pattern cannot match without one.
_NEEDS: dict[str, tuple[str, ...]] = {"weekday": _WEEKDAYS}
_GUARDED = [
    (kind, pattern, frozenset(guard) if isinstance(guard, tuple) else guard, _NEEDS.get(kind))
    for kind, pattern in _PATTERNS
    for guard in [_GUARDS.get(kind)]
]
_GUARD_WORDS = tuple(sorted({w for g in _GUARDS.values() if isinstance(g, tuple) for w in g}))


#: Kinds of expression that name one day (a nearby "around" makes them a week, precision 2).
_DAY_KINDS = frozenset({"iso", "dmy", "mdy", "dmyrange", "numeric"})
_APPROX_BEFORE = re.compile(
    r"\b(?:around|about|approximately|circa|c\.|on\s+or\s+(?:before|after|about)|week\s+(?:of|beginning|starting))\s+(?:the\s+)?(?:on\s+)?$",
    re.I,
)
_APPROX_AFTER = re.compile(
    r"^\W{0,3}(?:\(|\[)?\s*(?:exact\s+)?date\s+(?:is\s+|was\s+)?(?:not\s+(?:reported|known|given|clear|specified)|unknown|unclear|approximate)",
    re.I,
)
_DATED = re.compile(r"\bdated\s+(?:on\s+)?$", re.I)


def _approximate(text: str, start: int, end: int) -> bool:
    """Whether the text says the day is not exact (ACLED's precision 2).

    "Around 1 Sept", "On or before 28 October", "During the week beginning 26 November",
    "12 May (date not reported)".
    """
    return bool(
        _APPROX_BEFORE.search(text, max(0, start - 30), start)
        or _APPROX_AFTER.search(text[end : end + 40])
    )


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression: its span, the date it resolves to (or None) and ACLED time precision."""

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: int | None


def _month(name: str) -> int:
    return _MONTHS[name.casefold().rstrip(".")[:3]]


def _infer_year(month: int, day: int, published: dt.date | None) -> dt.date | None:
    if published is None:
        return None
    for year in (published.year, published.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= published + dt.timedelta(days=7):
            return candidate
    return None


def _resolve(kind: str, m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, int]:
    """Return (date or None, precision) for one matched expression."""
    if kind == "iso":
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"])), 1
        except ValueError:
            return None, 1
    if kind == "numeric":
        return _numeric(m, published)
    if kind in ("dmy", "mdy", "dmyrange"):
        month, day = _month(m["mon"]), int(m["d"])
        if m["y"]:
            try:
                return dt.date(int(m["y"]), month, day), 1
            except ValueError:
                return None, 1
        return _infer_year(month, day, published), 1
    if kind in ("month", "monthyear"):
        month = _month(m["mon"])
        if m["y"]:
            return dt.date(int(m["y"]), month, 1), 3
        return _infer_year(month, 1, published), 3
    if published is None:
        return None, {"lastweek": 2, "thisweek": 2, "lastmonth": 3, "thismonth": 3}.get(kind, 1)
    if kind == "daybefore":
        return published - dt.timedelta(days=2), 1
    if kind == "yesterday":
        return published - dt.timedelta(days=1), 1
    if kind == "today":
        return published, 1
    if kind == "ago":
        raw = m["n"].casefold()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = m["unit"].casefold()
        if unit.startswith("day"):
            return published - dt.timedelta(days=n), 1
        if unit.startswith("week"):
            return published - dt.timedelta(weeks=n), 2
        return _shift_months(published, -n), 3
    if kind == "weekday":
        wd = _WEEKDAYS.index(m["wd"].casefold())
        delta = (published.weekday() - wd) % 7
        if delta == 0 and (m["rel"] or "").casefold() == "last":
            delta = 7
        return published - dt.timedelta(days=delta), 1
    if kind == "lastweek":
        return published - dt.timedelta(days=7), 2
    if kind == "thisweek":
        return published, 2
    if kind == "lastmonth":
        return _shift_months(published, -1).replace(day=1), 3
    return published, 3  # thismonth


def _numeric(m: re.Match[str], published: dt.date | None) -> tuple[dt.date | None, int]:
    """Resolve "06/12": day first, as reporting outside the United States writes it.

    Month first only when day first is impossible ("12/31"), or, without a year, when
    day first lands more than two months before the publication date and month first
    within them (a US-style "06/08" published on 8 June).
    """
    a, b = int(m["a"]), int(m["b"])
    day, month = (a, b) if b <= 12 else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None, 1
    if m["y"]:
        year = int(m["y"])
        year += 2000 if year < 70 else 1900 if year < 100 else 0
        return dt.date(year, month, day), 1
    found = _infer_year(month, day, published)
    if found is not None and published is not None and day <= 12 and day != month:
        near = published - dt.timedelta(days=62)
        swapped = _infer_year(day, month, published)
        if found < near and swapped is not None and swapped >= near:
            return swapped, 1
    return found, 1


def _shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def find_dates(
    text: str, published: dt.date | None, start: int = 0, end: int | None = None
) -> list[DateExpr]:
    """Return the date expressions in ``text[start:end]``, resolved against ``published``.

    Overlapping expressions keep the longest ("24 September 2017" over "September
    2017"). An expression that cannot be resolved (relative, no publication date)
    is returned with ``date=None``.
    """
    end = len(text) if end is None else end
    found: list[tuple[int, int, str, re.Match[str]]] = []
    folded = text[start:end].casefold()
    has_digit = _DIGIT.search(folded) is not None
    # _MONTH_HINT needs one of the prefixes: look for them first (much faster than the regex)
    has_month = [p for p in _MONTH_PREFIXES if p in folded] and _MONTH_HINT.search(folded)
    words = {word for word in _GUARD_WORDS if word in folded}
    lowered: str | None = None
    for kind, pattern, guard, needs in _GUARDED:
        if guard == "month":
            if not has_month:
                continue
        elif guard == "digit":
            if not has_digit:
                continue
        elif guard is not None and words.isdisjoint(guard):
            continue
        if needs is not None:
            if lowered is None:
                lowered = re_lower(text[start:end])
            if not any(word in lowered for word in needs):
                continue
        for m in pattern.finditer(text, start, end):
            if kind in ("dmy", "mdy", "dmyrange") and not 1 <= int(m["d"]) <= 31:
                continue
            if kind == "numeric" and _DATED.search(text, max(0, m.start() - 12), m.start()):
                continue  # "source dated 04/04": the report's date, not the event's
            found.append((m.start(), -(m.end() - m.start()), kind, m))
    found.sort(key=lambda t: (t[0], t[1]))
    out: list[DateExpr] = []
    last_end = -1
    for s, _neg, kind, m in found:
        if s < last_end:
            continue
        try:
            date, precision = _resolve(kind, m, published)
        except (OverflowError, ValueError):  # "yesterday" of 1 January of year 1
            date, precision = None, None
        if (
            date
            and precision == 1
            and kind in _DAY_KINDS
            and _approximate(text, m.start(), m.end())
        ):
            precision = 2
        out.append(DateExpr(m.start(), m.end(), m.group(), date, precision if date else None))
        last_end = m.end()
    return out


def resolve_date_text(text: str, published: dt.date | None) -> DateExpr | None:
    """Resolve the first date expression in a short text, or return None.

    Examples
    --------
    >>> import datetime
    >>> resolve_date_text("yesterday", datetime.date(2020, 3, 1)).date
    datetime.date(2020, 2, 29)
    """
    found = find_dates(text, published)
    return found[0] if found else None
