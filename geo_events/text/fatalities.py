"""Fatalities as ACLED counts them: the total reported dead of one event, the lowest figure.

ACLED codes the most conservative count a report gives for the whole event: the
victim groups of its clauses and sentences are summed ("4 militants were killed
and 2 soldiers died" is 6), a restatement is not ("the two" later on refers back),
a subset is not ("Ten civilians including three children" is 10), a stated toll
replaces what came before ("the death toll rose to six"), and of a range the lower
end counts ("between 5 and 8"). Vague quantities get ACLED's fixed values
("several" 3, "dozens" 12, "hundreds" 100). The wounded, arrested, abducted and
missing are no deaths, and a number that is an age, a date, a time, money or a
calibre is no count.

The rules read English conflict reporting, not one country's: the words are data
files in ``geo_events/data/`` (``number_words.csv``, ``fatality_nouns.csv``,
``fatality_verbs.csv``), each documented in its header. The text is split into
tokens once; a death word (a verb such as "killed", "shot dead", "hacked to
death", an intransitive such as "died", a count noun such as "deaths", "found"
after a body) is tied to the victim group after it (active voice) or before it in
its clause (passive voice, intransitive verbs).
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from geo_events.text._anchors import re_lower

__all__ = ["fatalities_in"]

_DATA = Path(__file__).resolve().parent.parent / "data"


def _read_rows(name: str) -> list[list[str]]:
    """The rows of a data file after its header line, without ``#`` comment lines."""
    with (_DATA / name).open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    rows = list(csv.reader(lines))
    return [[cell.strip() for cell in row] for row in rows[1:]]


class _Lexicon(NamedTuple):
    numbers: dict[tuple[str, ...], int]
    nouns: dict[str, str]
    verbs: dict[tuple[str, ...], str]
    #: First words of the death phrases: the cheap pre-check.
    first_words: frozenset[str]
    longest_verb: int
    longest_number: int


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    numbers = {tuple(w.split()): int(v) for w, v in _read_rows("number_words.csv")}
    nouns = {row[0]: row[1] for row in _read_rows("fatality_nouns.csv")}
    verbs = {tuple(p.split()): r for p, r in _read_rows("fatality_verbs.csv")}
    return _Lexicon(
        numbers,
        nouns,
        verbs,
        frozenset(p[0] for p in verbs) | {"toll"},
        max(map(len, verbs)),
        max(map(len, numbers)),
    )


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:[-\u2013/]\d+)*(?:[-\w]*\w)?|\w+(?:['\u2019-]\w+)*|[^\w\s]")
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_RANGE = re.compile(r"(\d+)[-\u2013](\d+)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_QUALIFIERS = (
    ("at", "least"), ("at", "the", "very", "least"), ("more", "than"), ("less", "than"), ("fewer", "than"),
    ("up", "to"), ("as", "many", "as"), ("close", "to"), ("an", "estimated"), ("a", "total", "of"),
    ("some",), ("about",), ("around",), ("nearly",), ("almost",), ("over",), ("approximately",),
    ("roughly",), ("estimated",), ("another",), ("further",), ("additional",), ("least",),
)  # fmt: skip
_DETERMINERS = frozenset({"a", "an"})
_DEFINITE = frozenset(
    {"the", "this", "that", "these", "those", "his", "her", "their", "its", "our"}
)
_NOT_DEATH = _words(
    "wounded injured hurt arrested abducted kidnapped missing displaced detained rescued "
    "captured hospitalised hospitalized treated maimed wounding injuring arresting"
)
#: Words that stop a group: verbs, auxiliaries, prepositions, conjunctions, pronouns.
_STOP = _words(
    "was were is are be been being has have had will would could may might did do does "
    "in at on near by from with to for during after before when while as into onto over under "
    "of and or but who whom which that whose where what including among since until following "
    "amid against across through toward towards along behind outside inside between within "
    "said says say reported claimed according allegedly reportedly later also then both "
    "it they he she we them him her us there here not no"
)
_PASSIVE_AUX = _words("was were been being is are be get got gets")
_SKIP_BACK = _words(
    "was were been being is are be has have had reportedly allegedly later also all both "
    "subsequently eventually instantly immediately then feared confirmed reported presumed "
    "believed found left lay reportedly apparently brutally fatally allegedly each were"
)
_BOUNDARY_WORDS = _words(
    "after when while before following because as but whereas where although though since "
    "until during amid if"
)
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_SUBSET = frozenset({"including", "among", "incl", "comprising"})
_TOLL = re.compile(
    r"\b(?:death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|fatalities|people\s+killed))\s+"
    r"(?:\w+\s+){0,3}?(?:to|at|of|reached|stands|stood|is|was|hit|now)\s+(?:\w+\s+)?$",
    re.I,
)
_NO_FATALITIES = re.compile(
    r"\b(?:no\s+(?:one|body)\s+(?:was\s+|were\s+)?(?:killed|died|dead|hurt|injured)|nobody\s+(?:was\s+)?(?:killed|died)|"
    r"no\s+(?:reported\s+|immediate\s+|known\s+)?(?:casualties|deaths|fatalities|fatality|loss\s+of\s+li(?:fe|ves)|lives\s+(?:were\s+)?lost|one\s+died)|"
    r"without\s+(?:any\s+)?(?:casualties|fatalities|deaths|loss\s+of\s+life)|none\s+(?:were|was)\s+killed)\b",
    re.I,
)  # fmt: skip
_MONTHS = _words(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december"
)


#: Present forms of the death verbs: with no victim after them, no passive reading either.
_PRESENT_FORMS = _words("kill kills killing lynch lynches lynching murder murders")
_TOLL_LINKS = _words("to at of reached hit now is was")


_LEAVING = _words("leaving left leaves leave with")
#: Text right before a death word that makes it the perpetrator's past ("accused of killing").
_PAST_DEED = re.compile(
    r"\b(?:of|for|with|avenge|to\s+have|who\s+had)\s+(?:allegedly\s+|having\s+)?$", re.I
)
#: Text right before a death word that makes it an attempt or a threat, no death ("tried to lynch").
_ATTEMPT = re.compile(
    r"\b(?:tr(?:y|ies|ied|ying)|attempt(?:s|ed|ing)?|threat(?:en|ens|ened|ening)|plot(?:s|ted|ting)?|"
    r"plan(?:s|ned|ning)?|want(?:s|ed)?|vow(?:s|ed)?|intend(?:s|ed)?|sought|seek(?:ing)?|"
    r"failed|conspir(?:e|ed|ing))\s+to\s+$",
    re.I,
)
#: Words saying that a figure is one more ("another", "a third") and not another report's count.
_ADDED = _words("another other others more further additional second third also")
_REPORTS = re.compile(r"\b(?:claim(?:s|ed)?|report(?:s|ed)?|according\s+to|sources?)\b", re.I)


class _Tok(NamedTuple):
    text: str
    low: str
    start: int


class _Group(NamedTuple):
    number: int | None
    end: int  # index after the group's last token
    definite: bool
    #: The head is a person noun or a number: a group a death can refer to.
    person: bool
    body: bool
    #: Index of the group's first token, where the caller knows it.
    start: int = -1


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), re_lower(m.group()), m.start()) for m in _TOKEN.finditer(text)]


def _number_at(toks: list[_Tok], i: int) -> tuple[int | None, int]:
    """The number the tokens at ``i`` state and the index after it, or (None, i)."""
    lex = _lexicon()
    if i >= len(toks):
        return None, i
    low = toks[i].low
    prev = toks[i - 1].low if i else ""
    if low[0].isdigit():
        if prev in _MONTHS or prev in {"/", "$", "£", "€", "no", "number", "aged", "age"}:
            return None, i
        nxt = toks[i + 1].low if i + 1 < len(toks) else ""
        if nxt in _MONTHS or nxt in {"/", ":", "%", "year", "years", "pm", "am", "h", "hrs"}:
            return None, i
        if _DIGITS.fullmatch(low):
            if _YEAR.fullmatch(low):
                return None, i
            return int(low.replace(",", "")), i + 1
        r = _RANGE.fullmatch(low)
        if r:  # "6-10": the lower end
            return min(int(r[1]), int(r[2])), i + 1
        return None, i
    for n in range(min(lex.longest_number, len(toks) - i), 0, -1):
        words = tuple(t.low for t in toks[i : i + n])
        if words in lex.numbers:
            return lex.numbers[words], i + n
    if "-" in low:  # twenty-five
        parts = low.split("-")
        if all((p,) in lex.numbers for p in parts):
            return sum(lex.numbers[(p,)] for p in parts), i + 1
    return None, i


_AGE_UNITS = _words("year years yr yrs month months")
_AGE_WORD = re.compile(r"(?:year|yr|month)s?-old")


def _age_end(toks: list[_Tok], i: int) -> int | None:
    """The index after an age at ``i`` ("12-year-old", "60 year-old", "six year old"), or None."""
    n = len(toks)
    if i >= n:
        return None
    low = toks[i].low
    if low[0].isdigit() and "-" in low and _AGE_WORD.search(low):
        return i + 1
    j = i + 1
    if low[0].isdigit():
        if not _DIGITS.fullmatch(low):
            return None
    else:
        value, j = _number_at(toks, i)
        if value is None:
            return None
    if j < n and _AGE_WORD.fullmatch(toks[j].low):
        return j + 1
    if j + 1 < n and toks[j].low in _AGE_UNITS and toks[j + 1].low in {"old", "-old"}:
        return j + 2
    return None


def _phrase_len(toks: list[_Tok], i: int) -> int:
    """The length of the death phrase starting at token ``i``, 0 if none does."""
    lex = _lexicon()
    if i >= len(toks) or toks[i].low not in lex.first_words:
        return 0
    for n in range(min(lex.longest_verb, len(toks) - i), 0, -1):
        if tuple(t.low for t in toks[i : i + n]) in lex.verbs:
            return n
    return 0


def _adjective_dead(toks: list[_Tok], i: int) -> bool:
    """Whether "dead" at ``i`` is an adjective before a noun ("two dead bodies"), no verb."""
    return (
        toks[i].low == "dead"
        and i + 1 < len(toks)
        and _lexicon().nouns.get(toks[i + 1].low) in {"singular", "plural", "body"}
    )


def _number_ends() -> frozenset[str]:
    return frozenset(p[-1] for p in _lexicon().numbers)


def _group_at(toks: list[_Tok], i: int) -> _Group | None:
    """A victim group starting at token ``i``: "at least 5 people", "a man", "the two"."""
    n = len(toks)
    definite = False
    if (
        i and toks[i - 1].low in _NO_GROUP_AFTER
    ):  # "no one was killed"; "the two soldiers" is one group
        return None
    # qualifiers ("at least", "between 5 and 8")
    while i < n:
        for q in _QUALIFIERS:
            if tuple(t.low for t in toks[i : i + len(q)]) == q:
                i += len(q)
                break
        else:
            break
    if i < n and toks[i].low == "between":
        low_n, j = _number_at(toks, i + 1)
        if low_n is not None and j < n and toks[j].low in {"and", "to"}:
            high, k = _number_at(toks, j + 1)
            if high is not None:
                return _finish(toks, k, min(low_n, high), False, True)
    if i < n and toks[i].low in _DEFINITE:
        definite = True
        i += 1
        while i < n and toks[i].low in _QUALIFIERS_SINGLE:
            i += 1
    age = _age_end(toks, i)
    if age is not None:  # "Six year old boy killed": an age, the group is one person
        return _finish(toks, age, None if definite else 1, definite, False, singular_det=True)
    count, j = _number_at(toks, i)
    if count is not None:
        if j < n and toks[j].low in {"or", "to"}:  # "3 or 4", "3 to 5": the lower
            other, k = _number_at(toks, j + 1)
            if other is not None:
                count, j = min(count, other), k
        if (
            j < n
            and toks[j].low in {"or", "and"}
            and j + 1 < n
            and toks[j + 1].low in {"more", "over"}
        ):
            j += 2
        return _finish(toks, j, count, definite, True)
    if i < n and (toks[i].low in _DETERMINERS or definite):
        if toks[i].low in _DETERMINERS:
            i += 1
        return _finish(toks, i, None if definite else 1, definite, False, singular_det=True)
    return _finish(toks, i, None, False, False, bare=True)


_QUALIFIERS_SINGLE = frozenset({"other", "same"})
#: A group never starts right after these: "no one", and inside "the two soldiers" or "his body".
_NO_GROUP_AFTER = _DEFINITE | {"no", "none", "other", "same"}


def _finish(
    toks: list[_Tok],
    i: int,
    count: int | None,
    definite: bool,
    numeric: bool,
    singular_det: bool = False,
    bare: bool = False,
) -> _Group | None:
    """Read the modifiers and head after a group's count; decide what the group counts."""
    nouns = _lexicon().nouns
    n = len(toks)
    j = i
    kind = None
    while j < n and j - i < 6:
        t = toks[j]
        age = _age_end(toks, j)
        if age is not None:  # "a 60 year-old woman", "two 12-year-old boys"
            j = age
            continue
        if not (t.low[0].isalnum()) or t.low in _STOP or t.low in _NOT_DEATH:
            break
        if _phrase_len(toks, j) and not _adjective_dead(toks, j):
            break  # "2 shot dead by police": the group ends at the death phrase
        if t.low[0].isdigit() and not t.low.endswith(("year-old", "years-old")):
            break
        k = nouns.get(t.low)
        j += 1
        if k is None and kind == "unit":
            kind = None  # "9 cattle rustlers": the unit was a modifier
        if k is not None:
            kind = k
            if k in {"singular", "plural", "body", "container"}:
                # a noun ends the group unless another noun follows ("police officer")
                nxt = toks[j].low if j < n else ""
                if nouns.get(nxt) not in {"singular", "plural", "body"}:
                    break
    if kind == "unit":
        return None
    if kind in {"body", "container"} and j < n and toks[j].low == "of":
        inner = _group_at(toks, j + 1)
        if inner is not None and inner.number is not None:
            return _Group(inner.number, inner.end, inner.definite, True, kind == "body")
        if kind == "body" and count is None and not definite:
            return None
    if kind == "body":
        return _Group(
            count if count is not None else (None if definite else 1), j, definite, True, True
        )
    if numeric:
        return _Group(count, j, definite, True, False)
    if singular_det:
        if kind == "singular":
            return _Group(count if not definite else 1, j, definite, True, False)
        if kind is None and j > i and not definite:  # "a Lamu chief": any noun after "a"
            return _Group(1, j, False, False, False)
        return None
    if bare and kind == "singular" and j > i:
        return _Group(1, j, False, True, False)
    if bare and kind is None and j > i and not toks[j - 1].low.endswith("s"):
        # "kills Mungiki sect spokesman": a singular-looking head; counted only as an object
        return _Group(1, j, False, False, False)
    return None


def _list_at(toks: list[_Tok], i: int) -> _Group | None:
    """Groups joined by "and" or commas ("two police officers and a civilian"), summed."""
    first = _group_at(toks, i)
    if first is None or first.number is None:
        return first
    total, end, person = first.number, first.end, first.person
    n = len(toks)
    if not person and toks[i].low not in _DETERMINERS:
        return first  # a bare unknown head ("kills sect spokesman") starts no list
    while end < n:
        if toks[end].low == "(":  # "(all men)": skip a parenthesis
            close = next((k for k in range(end, min(n, end + 12)) if toks[k].low == ")"), None)
            if close is None:
                break
            end = close + 1
            continue
        j = end
        if toks[j].low == ",":
            j += 1
        if j < n and toks[j].low in {"and", "&", "plus"}:
            j += 1
        if j == end or j >= n:
            break
        nxt = _group_at(toks, j)
        if nxt is None or nxt.number is None:
            break
        if not nxt.person and toks[j].low not in _DETERMINERS:
            break  # "a thief, believed to be ...", "An official, Jane Doe, was": no second victim
        if nxt.end < n and toks[nxt.end].low in _NOT_DEATH:
            break  # "killed 4 and 10 injured"
        if (
            nxt.end + 1 < n
            and toks[nxt.end].low == "of"
            and toks[nxt.end + 1].low in {"them", "whom", "those"}
        ):
            break  # "10 people, 3 of them children": a subset
        total += nxt.number
        end = nxt.end
        person = person or nxt.person
    return _Group(total, end, first.definite, person, first.body)


class _Mention(NamedTuple):
    number: int
    definite: bool
    toll: bool
    nominal: bool
    #: The sentence the mention is in, and whether it gives a report's figure ("X claims eight dead")
    #: rather than more dead ("another", "a third").
    sentence: int = 0
    alternative: bool = False


_PRONOUNS = _words("him her them")


def _pronoun_group(toks: list[_Tok], a: int, b: int) -> _Group | None:
    """The victims a pronoun object names, as a restatement of someone named before.

    "killed him", "lynching her": one; "killed them": the nearest group of people before it.
    """
    if toks[b].low != "them":
        return _Group(1, b + 1, True, True, False)
    for k in range(a - 1, max(-1, a - 40), -1):
        g = _group_at(toks, k)
        if g is not None and g.number is not None and g.person and g.end <= a:
            return _Group(g.number, b + 1, True, True, False)
    return None


_CAUSE = _words(
    "protest protests protested protesting demonstrate demonstrated demonstrating demonstration "
    "against avenge avenged avenging revenge retaliation retaliate retaliated justice mourn mourned "
    "mourning condemn condemned condemning denounce denounced denouncing decry decried outrage "
    "relatives family friends funeral burial memory"
)
#: Links that make a death the cause only when a protest or riot word comes before them.
_CAUSE_AFTER = _words("after following over because")
_PROTEST_STEMS = ("protest", "demonstrat", "riot", "march", "ralli", "rally", "block", "barricad")


def _cause(lows: list[str], sentences: list[int], pos: int) -> bool:
    """Whether the death named at token ``pos`` caused the event reported: no victim of it.

    "protested the killing of", "rioted after a man was killed", "justice for a student killed".
    """
    if pos < 0:
        return False
    window = range(max(0, pos - 3), pos)
    if any(lows[k] in _CAUSE and sentences[k] == sentences[pos] for k in window):
        return True
    for k in window:
        if lows[k] in _CAUSE_AFTER and sentences[k] == sentences[pos]:
            first = k
            while first and sentences[first - 1] == sentences[pos]:
                first -= 1
            return any(w.startswith(_PROTEST_STEMS) for w in lows[first:k])
    return False


def _death_phrases(toks: list[_Tok]) -> list[tuple[int, int, str]]:
    """(start, end, role) of the death phrases, longest first at each position."""
    lex = _lexicon()
    found = []
    i = 0
    while i < len(toks):
        if toks[i].low not in lex.first_words:
            i += 1
            continue
        for n in range(min(lex.longest_verb, len(toks) - i), 0, -1):
            role = lex.verbs.get(tuple(t.low for t in toks[i : i + n]))
            if role is not None and not _adjective_dead(toks, i):
                found.append((i, i + n, role))
                i += n
                break
        else:
            i += 1
    return found


def _clause_start(toks: list[_Tok], i: int, floor: int) -> tuple[int, bool]:
    """Where the clause that ends at ``i`` begins, and whether a relative pronoun began it."""
    j = i - 1
    while j >= floor:
        low = toks[j].low
        if low in {".", ";", ":", "!", "?", ")", "("} or low in _BOUNDARY_WORDS:
            return j + 1, False
        if low in _RELATIVE:
            return j + 1, True
        j -= 1
    return floor, False


def _subject(
    toks: list[_Tok], start: int, end: int, body: bool = False, passive: bool = False
) -> _Group | None:
    """The first victim group of ``toks[start:end]`` (the subject of a passive clause)."""
    for k in range(start, end):
        if toks[k].low in _SUBSET:
            return None
        g = _list_at(toks, k)
        if g is not None and g.end < end and toks[g.end].low in _NOT_DEATH:
            continue  # "Nine officers injured and one killed"
        person = g is not None and (
            g.person or (passive and toks[k].low in _DETERMINERS and (g.end == end or k == start))
        )
        if g is not None and g.number is not None and g.end <= end and (person or body):
            if body and not g.body:
                continue
            return g._replace(start=k)
    return None


def _mentions(text: str) -> list[_Mention]:
    toks = _tokens(text)
    phrases = _death_phrases(toks)
    out: list[_Mention] = []
    floor = 0
    lows = [t.low for t in toks]
    sentence, depth, depths, sentences = 0, 0, [], []
    for low in lows:
        depth += low in "([" if len(low) == 1 else 0
        depths.append(depth)
        depth = max(0, depth - (low in ")]" if len(low) == 1 else 0))
        sentences.append(sentence)
        sentence += low in {".", "!", "?", ";"}
    for a, b, role in phrases:
        group: _Group | None = None
        prev = lows[a - 1] if a else ""
        before = text[max(0, toks[a].start - 30) : toks[a].start]
        if depths[a] or _PAST_DEED.search(before) or _ATTEMPT.search(before):
            continue  # "(coded as 8 here)"; "accused of killing 5"; "tried to lynch him"
        if role == "nominal":
            if _cause(lows, sentences, a):
                floor = b
                continue  # "protesters denounced the killing of a trader": a cause, no victim
            if prev in {"the", "a"} or a == 0 or prev not in _PASSIVE_AUX:
                group = _list_at(toks, b)
                if group is not None and group.number is not None:
                    out.append(_Mention(group.number, False, False, True))
            floor = b
            continue
        if role == "count":
            # "6 deaths", "resulted in at least 12 fatalities"
            j = a - 1
            if (
                j >= 1
                and not lows[j][0].isdigit()
                and lows[j] not in _lexicon().nouns
                and lows[j] not in _number_ends()
            ):
                j = -1
            if j >= 0:
                for k in range(max(floor, a - 6), a):
                    g = _group_at(toks, k)
                    if g is not None and g.number is not None and g.end == a:
                        group = g
                        break
            if (
                group is None
                and lows[a] in {"death", "deaths"}
                and b < len(toks)
                and lows[b] == "toll"
            ):
                continue
        elif role == "found":
            start, _rel = _clause_start(toks, a, floor)
            group = _subject(toks, start, a, body=True)
        else:
            back = a - 1
            while back >= floor and lows[back] in _SKIP_BACK:
                back -= 1
            passive = any(lows[k] in _PASSIVE_AUX for k in range(back + 1, a))
            if role == "transitive" and not passive:
                g = _list_at(toks, b) if b < len(toks) else None
                if g is None and b < len(toks) and lows[b] in _PRONOUNS:
                    g = _pronoun_group(toks, a, b)
                if g is not None and g.number is not None:
                    if _cause(lows, sentences, _clause_start(toks, a, floor)[0]):
                        floor = b
                        continue  # "protesters marched after police shot dead 3"
                    group = g
                elif lows[a] in _PRESENT_FORMS:
                    group = None
                    floor = b
                    continue
            if group is None and role in {"transitive", "intransitive"}:
                start, relative = _clause_start(toks, a, floor)
                group = None
                if lows[a] == "dead":  # "leaving 3 dead", "left five dead"
                    for k in range(max(start, a - 6), a):
                        g = _group_at(toks, k)
                        if (
                            g is not None
                            and g.number is not None
                            and g.end == a
                            and k
                            and lows[k - 1] in _LEAVING
                        ):
                            group = g
                            break
                if group is None:
                    group = _subject(toks, start, back + 1, passive=passive)
                if group is None and relative and start - 1 > floor:
                    # "a man who later died": the group before "who"
                    s2, _ = _clause_start(toks, start - 1, floor)
                    for k in range(start - 2, s2 - 1, -1):
                        g = _list_at(toks, k)
                        if (
                            g is not None
                            and g.number is not None
                            and g.person
                            and (g.end == start - 1 or (g.end == start - 2 and lows[g.end] == ","))
                        ):  # "a suspect, who had robbed a shop, was killed"
                            group = g._replace(start=k)
                            break
                if group is not None and _cause(lows, sentences, group.start):
                    floor = b
                    continue  # "residents protested after a man was killed": the protest's cause
        if group is not None and group.number is not None:
            toll = _TOLL.search(text[max(0, toks[a].start - 80) : toks[a].start]) is not None
            first, last = min(a, group.end), max(b, group.end)
            while first and sentences[first - 1] == sentences[a]:
                first -= 1
            while last < len(toks) and sentences[last] == sentences[a]:
                last += 1
            words = set(lows[first:last])
            alternative = _REPORTS.search(
                " ".join(lows[first:last])
            ) is not None and words.isdisjoint(_ADDED)
            out.append(
                _Mention(group.number, group.definite, toll, False, sentences[a], alternative)
            )
            floor = b
    for m in re.finditer(r"\b(?:death\s+toll|toll)\b", text, re.I):
        toks2 = _tokens(text[m.end() : m.end() + 60])
        for k in range(min(len(toks2), 6)):
            g = _group_at(toks2, k)
            if g is not None and g.number is not None and g.person:
                if k and toks2[k - 1].low in _TOLL_LINKS:
                    out.append(_Mention(g.number, False, True, False))
                break
    return out


#: Stems one of which every death phrase holds (in :func:`re_lower` of the text): a cheap pre-check.
_PRECHECK = (
    "kill", "dead", "die", "death", "fatal", "murder", "execut", "lynch", "behead", "decapit", "slaughter",
    "massacre", "assassin", "strangl", "perish", "succumb", "lost", "lives", "drown", "bod", "corpse",
    "remains", "gun", "toll",
)  # fmt: skip


def fatalities_in(text: str) -> int | None:
    """The dead a text reports for one event, as ACLED counts them; 0 for "no casualties"; else None.

    ``text`` is one event's text, a sentence or a few: distinct victim groups are
    summed, a restatement ("the two", "the victim") is not, a death toll replaces
    the figures before it, and of a range the lower end counts. None means the text
    states no death at all (ACLED writes 0 there; callers map it).

    Examples
    --------
    >>> fatalities_in("The strike killed at least 12 people and wounded 30.")
    12
    >>> fatalities_in("Ten civilians including three children were killed.")
    10
    >>> fatalities_in("4 militants were killed and 2 soldiers died. The two soldiers were buried.")
    6
    >>> fatalities_in("A man was shot dead. The death toll later rose to three.")
    3
    >>> fatalities_in("No one was killed."), fatalities_in("Jets struck.")
    (0, None)
    """
    return _fatalities(text)


@lru_cache(maxsize=4096)
def _fatalities(text: str) -> int | None:
    """:func:`fatalities_in`, cached per text (wire copies repeat sentences)."""
    low = re_lower(text)
    if any(w in low for w in _PRECHECK):
        figures: int | None = None
        first_sentence = 0
        nominal: int | None = None
        for m in _mentions(text):
            if m.nominal:
                nominal = m.number if nominal is None else nominal + m.number
            elif m.toll or figures is None:
                figures, first_sentence = m.number, m.sentence
            elif m.alternative and m.sentence != first_sentence:
                figures = min(figures, m.number)  # another report's figure: the lowest
            elif not m.definite:
                figures += m.number
        if figures is not None:
            return figures
        if nominal is not None:
            return nominal
    if "no" not in low and "without" not in low:
        return None
    return 0 if _NO_FATALITIES.search(text) else None
