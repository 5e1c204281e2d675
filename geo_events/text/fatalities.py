"""Fatalities as ACLED counts them: the lowest figure a report gives, 0 for "no casualties".

ACLED codes the most conservative count a source states; vague quantities get
fixed values ("several" 3, "dozens" 12). None means the text states no figure.
"""

from __future__ import annotations

import re

from geo_events.text._anchors import re_lower

__all__ = ["fatalities_in"]


_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "a dozen": 12, "dozen": 12, "dozens": 12,
    "several": 3, "a few": 3, "scores": 20, "hundreds": 100, "a hundred": 100,
}  # fmt: skip
_NUM = (
    r"(?P<n>\d[\d,]*|" + "|".join(sorted(map(re.escape, _NUM_WORDS), key=len, reverse=True)) + ")"
)
_QUAL = r"(?:at\s+least\s+|some\s+|about\s+|around\s+|nearly\s+|almost\s+|more\s+than\s+|over\s+|up\s+to\s+|an\s+estimated\s+)?"
_FATAL = [
    re.compile(rf"\b(?:killing|killed|kills|leaving|left|claiming\s+the\s+lives\s+of)\s+{_QUAL}{_NUM}\b(?!\s*(?:wounded|injured|hurt))", re.I),
    re.compile(rf"\b{_QUAL}{_NUM}\s+(?:[\w-]+\s+){{0,3}}?(?:were\s+|was\s+|have\s+been\s+|had\s+been\s+|are\s+|being\s+)?(?:killed|dead|died|deaths|fatalities|lives\s+lost)\b", re.I),
    re.compile(rf"\bdeath\s+toll\s+(?:\w+\s+){{0,3}}?(?:to|at|of|reached|stood\s+at)\s+{_QUAL}{_NUM}\b", re.I),
]  # fmt: skip
#: Words one of which every match of the pattern of the same rank in _FATAL holds.
_FATAL_NEEDS = (
    ("kill", "leaving", "left", "claiming"),
    ("killed", "dead", "died", "deaths", "fatalities", "lives"),
    ("death",),
)
_NO_FATALITIES = re.compile(
    r"\b(?:no\s+(?:one|casualties|deaths|fatalities)\s+(?:was|were)?|no\s+casualties|no\s+one\s+(?:was\s+)?killed|"
    r"without\s+casualties)\b",
    re.I,
)


def _number(raw: str) -> int | None:
    raw = raw.casefold().replace(",", "")
    if raw.isdigit():
        return int(raw)
    return _NUM_WORDS.get(raw)


def fatalities_in(sentence: str) -> int | None:
    """The fatalities a sentence states (ACLED: the lowest figure), 0 for "no casualties", else None.

    Examples
    --------
    >>> fatalities_in("The strike killed at least 12 people and wounded 30.")
    12
    >>> fatalities_in("Dozens were killed, and between 40 and 50 died later."), fatalities_in("Jets struck.")
    (12, None)
    """
    figures = []
    low = re_lower(sentence)  # the patterns are slow: try only those whose words are there
    for pattern, needs in zip(_FATAL, _FATAL_NEEDS, strict=True):
        if not any(word in low for word in needs):
            continue
        for m in pattern.finditer(sentence):
            n = _number(m["n"])
            if n is not None:
                figures.append(n)
    if figures:
        return min(figures)
    if "no" not in low and "without" not in low:
        return None
    return 0 if _NO_FATALITIES.search(sentence) else None
