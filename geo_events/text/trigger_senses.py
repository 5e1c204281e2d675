"""Trigger senses: whether a trigger word is a conflict event here, and which ACLED type it is.

The trigger lexicon (``geo_events/data/event_triggers.csv``) gives each word its usual
ACLED type, but the same word means different things in different sentences: "strike"
is an air strike or a labour strike, "fire" gunfire or a blaze, "attacked the
government's policy" is speech, "in March" a month. And the type often depends on
what else the sentence says: an "explosion" with a "grenade" named is a Grenade, a
"protest" where police "fired tear gas" is a Protest with intervention, one where
protesters "barricaded roads" a Violent demonstration.

Two pure functions decide this from the evidence in the trigger's sentence, so that
the rules stay general English conflict reporting rather than a longer word list:

- :func:`sense_problem` says why a trigger is *not* a conflict event ("" when it is);
- :func:`refined_sub_event` refines the lexicon's type by the weapons and context the
  sentence names, and says which evidence decided it.

Neither knows the actors. Where ACLED's definition splits by actor (an Attack targets
civilians, an Armed clash an armed group; territory is *regained* by state forces and
*overtaken* by non-state groups) the lexicon's type is returned and
:attr:`Sense.evidence` says that the caller must decide by actor (see :func:`actor_split`).

The rules live in ``geo_events/data/trigger_senses.csv`` (one regex per rule, with the
trigger marked ``<<trigger>>`` in its sentence), read once by a small private reader.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["ACTOR_DEPENDENT", "Sense", "actor_split", "refined_sub_event", "sense_problem"]

#: Sub-event types whose ACLED definition depends on who the actors are, and how.
ACTOR_DEPENDENT: dict[str, str] = {
    "Attack": "actors decide: Attack when actor2 is civilians (or none), Armed clash when "
    "both sides are armed",
    "Armed clash": "actors decide: Armed clash when both sides are armed, Attack when "
    "actor2 is civilians",
    "Government regains territory": "actors decide: Government regains territory when "
    "actor1 is a state force, Non-state actor overtakes territory otherwise",
    "Non-state actor overtakes territory": "actors decide: Non-state actor overtakes "
    "territory when actor1 is non-state, Government regains territory for state forces",
    "Non-violent transfer of territory": "actors decide who took the territory over",
}

_MARK_OPEN, _MARK_CLOSE = "<<", ">>"
_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'”’)\]]+[A-Z0-9\"“(\[])|\n\s*\n|\n(?=[A-Z])")
_MAX_SENTENCE = 600
_FOLLOW = 2


@dataclass(frozen=True, slots=True)
class Sense:
    """The ACLED type of one trigger in its sentence, and the evidence that decided it.

    ``evidence`` is "" when the lexicon's type stands with nothing to add; otherwise
    it names the rule that refined the type and, for actor-dependent types, what the
    caller must decide by actor (:data:`ACTOR_DEPENDENT`).
    """

    event_type: str
    sub_event_type: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class _Rule:
    rule: str
    group: str
    trigger: re.Pattern[str] | None
    applies_to: re.Pattern[str] | None
    context: re.Pattern[str]
    needs: tuple[str, ...]
    event_type: str
    sub_event_type: str
    reason: str


#: A relative clause: a weapon named across one belongs to another event ("strikes on the
#: IS group, which shells the town").
_CLAUSE_BREAK = re.compile(r",\s*(?:which|who|whereas|while)\b")


def _anchored(pattern: str) -> str:
    """``pattern`` anchored at the start when it opens with a look-ahead over the whole text.

    ``(?=.*X).*Y`` matches somewhere only if it matches at the start (the marked
    sentence is one line), but ``search`` would retry it at every position: quadratic
    in the sentence's length. Anchored, it runs once.
    """
    return "\\A" + pattern if pattern.startswith("(?=.*") else pattern


#: The characters other than A-Z that ``re.I`` matches to an ASCII letter, folded to it so
#: that a literal prefilter on the lower-cased text stays exact (``İ``.lower() is two chars).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def _folded(text: str) -> str:
    """``text`` lower-cased as ``re.I`` compares ASCII letters, for the ``needs`` prefilter."""
    return text.translate(_FOLD).lower()


def _needs(raw: str, line: int) -> tuple[str, ...]:
    """The ``needs`` literals of one rule: lower-case, non-empty (empty tuple: no prefilter)."""
    if not raw.strip():
        return ()
    words = tuple(raw.split("|"))
    for w in words:
        if not w or w != _folded(w):
            raise ValueError(
                f"trigger_senses.csv rule {line}: needs literal {w!r} is not lower-case"
            )
    return words


def _wanted(rule: _Rule, folded: str) -> bool:
    """Whether ``rule``'s context can match ``folded`` at all (its ``needs`` prefilter)."""
    return not rule.needs or any(w in folded for w in rule.needs)


@lru_cache(maxsize=1)
def _rules() -> tuple[tuple[_Rule, ...], tuple[_Rule, ...]]:
    """The packaged sense and refinement rules, compiled once.

    A private reader, not the shared lexicon loader: the rules are this module's own data.
    """
    raw = resources.files("geo_events.data").joinpath("trigger_senses.csv").read_text("utf-8")
    lines = [line for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    senses: list[_Rule] = []
    refines: list[_Rule] = []
    for i, row in enumerate(csv.DictReader(lines), start=2):
        kind = row["rule"].strip()
        if kind not in ("sense", "refine"):
            raise ValueError(f"trigger_senses.csv rule {i}: kind {kind!r} is not sense/refine")
        rule = _Rule(
            kind,
            row["group"].strip(),
            re.compile(row["trigger"], re.I) if row["trigger"] else None,
            re.compile(row["applies_to"]) if row["applies_to"] else None,
            re.compile(_anchored(row["context"]), re.I),
            _needs(row.get("needs") or "", i),
            row["event_type"].strip(),
            row["sub_event_type"].strip(),
            row["reason"].strip(),
        )
        (senses if kind == "sense" else refines).append(rule)
    return tuple(senses), tuple(refines)


@lru_cache(maxsize=4096)
def _sense_rules(word: str) -> tuple[_Rule, ...]:
    """The sense rules whose trigger pattern takes ``word``, in order (few words recur)."""
    senses, _ = _rules()
    return tuple(r for r in senses if r.trigger is None or r.trigger.fullmatch(word))


@lru_cache(maxsize=4096)
def _refine_rules(key: str, word: str) -> tuple[tuple[_Rule, int], ...]:
    """The refinement rules for a trigger ``word`` of type ``key``, in order.

    Each with the position, in the whole rule list, where its group's run of rules
    ends: :func:`refined_sub_event` reads the run of the first group that matched to
    its end and no further, whatever rules of that run apply here.
    """
    _, refines = _rules()
    run_end = [0] * len(refines)
    for i in range(len(refines) - 1, -1, -1):
        same = i + 1 < len(refines) and refines[i + 1].group == refines[i].group
        run_end[i] = run_end[i + 1] if same else i
    return tuple(
        (r, run_end[i])
        for i, r in enumerate(refines)
        if (r.applies_to is None or r.applies_to.fullmatch(key))
        and (r.trigger is None or r.trigger.fullmatch(word))
    )


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence around ``text[start:end]`` (at most ~600 characters each way)."""
    lo = max(0, start - _MAX_SENTENCE)
    s = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        s = m.end()
    after = _SENTENCE_END.search(text, end, min(len(text), end + _MAX_SENTENCE))
    e = after.end() if after is not None else min(len(text), end + _MAX_SENTENCE)
    return s, e


def _marked(text: str, start: int, end: int, follow: int = 0) -> tuple[str, int]:
    """The trigger's sentence with the trigger marked ``<<…>>``, and where the mark opens.

    ``follow`` more sentences are read after it, up to a paragraph break: reports tell
    what the police did to a protest, or which weapon was used, in the next sentence.
    """
    marked, at, _ = _marked_with_own(text, start, end, follow)
    return marked, at


def _marked_with_own(text: str, start: int, end: int, follow: int) -> tuple[str, int, int]:
    """As :func:`_marked`, and the length of the trigger's own sentence, marked, in it.

    The own sentence, marked and spaced as ``_marked(text, start, end)`` gives it, is a
    prefix of the result: white space collapses the same way in both.
    """
    s, e = _sentence(text, start, end)
    own_e = e
    for _ in range(follow):  # what happened next at the same scene ("Police dispersed them.")
        if e >= len(text) or text[e - 1 : e + 1].count("\n") > 1:
            break
        e = _sentence(text, e + 1, e + 1)[1]
    head = text[s:start].lstrip() + _MARK_OPEN + text[start:end] + _MARK_CLOSE
    marked = " ".join((head + text[end:e].rstrip()).split())  # rules write one space
    own = marked if e == own_e else " ".join((head + text[end:own_e]).split())
    return marked, marked.index(_MARK_OPEN), len(own)


def sense_problem(text: str, start: int, end: int) -> str:
    """Why the trigger ``text[start:end]`` is not a conflict event, or "" when it is one.

    Parameters
    ----------
    text
        The whole text (the trigger's sentence is found in it).
    start, end
        The trigger's span, as :class:`~geo_events.text.triggers.TriggerMatch` gives it.

    Returns
    -------
    str
        A short reason ("the month of March", "a blaze or figure of speech, not gunfire",
        "verbal or figurative attack", …) or "".

    Notes
    -----
    A labour strike is no problem here: ACLED codes strikes as protests, so
    :func:`refined_sub_event` turns an air-strike "strike" among workers into a
    Peaceful protest instead.

    Examples
    --------
    >>> t = "Fire destroyed the market."
    >>> sense_problem(t, 0, 4)
    'a blaze or figure of speech, not gunfire'
    >>> t = "Gunmen opened fire on a bus."
    >>> sense_problem(t, t.index("fire"), t.index("fire") + 4)
    ''
    """
    marked: str | None = None
    for rule in _sense_rules(text[start:end]):
        if marked is None:
            marked, _at = _marked(text, start, end)
        if rule.context.search(marked):
            return rule.reason
    return ""


def _with_actor_note(sense: Sense) -> Sense:
    note = ACTOR_DEPENDENT.get(sense.sub_event_type)
    if not note:
        return sense
    evidence = f"{sense.evidence}; {note}" if sense.evidence else note
    return Sense(sense.event_type, sense.sub_event_type, evidence)


def refined_sub_event(
    text: str, start: int, end: int, event_type: str, sub_event_type: str
) -> Sense:
    """The ACLED type of the trigger ``text[start:end]``, refined by its sentence's evidence.

    Parameters
    ----------
    text
        The whole text.
    start, end
        The trigger's span.
    event_type, sub_event_type
        The lexicon's type for the trigger.

    Returns
    -------
    Sense
        The refined type with the evidence that decided it, or the lexicon's type
        (``evidence`` then only notes an actor-dependent split).

    Notes
    -----
    What refines what, in order (the rules are in ``data/trigger_senses.csv``):

    - a "strike" among workers, pay and unions is a labour strike: Peaceful protest;
    - at a protest: violence *by* protesters (stones, barricades, roads blocked,
      property they burn or destroy, looting, running battles) makes a Violent
      demonstration, unless the report calls it peaceful (property destroyed *by*
      others is the grievance); lethal or serious force used on them Excessive force
      against protesters; dispersal, tear gas, shots in the air, arrests, a protest
      stopped or barred a Protest with intervention;
    - a mob or crowd attacking someone (lynching, "mob justice", burning a suspected
      thief) is Mob violence;
    - an attack whose words are a rape or an abduction is Sexual violence or
      Abduction/forced disappearance;
    - a raid that ends in arrests without fighting is Arrests;
    - explosions: defused, seized or found explosives are Disrupted weapons use; a
      suicide bomber makes a Suicide bomb; otherwise the weapon named nearest the
      trigger decides between Grenade, Remote explosive/landmine/IED, Air/drone strike
      and Shelling/artillery/missile attack ("fired 120mm mortars" is shelling, not an
      air strike);
    - territory taken "without resistance" is a Non-violent transfer of territory.

    Examples
    --------
    >>> t = "Rebels fired 120mm mortars at army positions, and the strike hit a depot."
    >>> i = t.index("strike")
    >>> refined_sub_event(t, i, i + 6, "Explosions/Remote violence", "Air/drone strike").sub_event_type
    'Shelling/artillery/missile attack'
    """
    word = text[start:end]
    marked: str | None = None
    folded = ""
    at = own_end = 0
    best: tuple[int, _Rule] | None = None
    best_run_end = 0
    for rule, run_end in _refine_rules(f"{event_type}/{sub_event_type}", word):
        if best is not None and run_end != best_run_end:
            break  # the group that matched first has been read whole
        if marked is None:
            # with the trigger's own sentence, a prefix of ``marked``: a weapon named only
            # in a later sentence is another event's ("… strikes. IS shells the positions.")
            marked, at, own_end = _marked_with_own(text, start, end, _FOLLOW)
            folded = _folded(marked)
        if not _wanted(rule, folded):
            continue  # no literal every match needs: the regex cannot match
        if not rule.group:
            if rule.context.search(marked):
                return _with_actor_note(Sense(rule.event_type, rule.sub_event_type, rule.reason))
            continue
        for m in rule.context.finditer(marked):
            if m.start() >= own_end:
                break
            if _CLAUSE_BREAK.search(marked, min(m.end(), at), max(m.start(), at)):
                continue  # "strikes on IS positions, which shells the town": another clause
            stop = at + len(word) + len(_MARK_OPEN) + len(_MARK_CLOSE)
            if m.end() <= at:
                distance = at - m.end()
            elif m.start() >= stop:
                distance = m.start() - stop
            else:
                distance = 0  # the weapon is the trigger itself, or contains it
            if best is None or distance < best[0]:
                best, best_run_end = (distance, rule), run_end
    if best is not None:
        rule = best[1]
        if (rule.event_type, rule.sub_event_type) == (event_type, sub_event_type):
            return _with_actor_note(Sense(event_type, sub_event_type, rule.reason))
        return _with_actor_note(Sense(rule.event_type, rule.sub_event_type, rule.reason))
    return _with_actor_note(Sense(event_type, sub_event_type))


def actor_split(sense: Sense, *, actor1_state: bool | None, actor2_civilian: bool | None) -> Sense:
    """Settle an actor-dependent type once the caller knows the actors.

    Parameters
    ----------
    sense
        From :func:`refined_sub_event`.
    actor1_state
        Whether actor1 is a state force (military, police); None when unknown.
    actor2_civilian
        Whether actor2 is civilians (or no armed party is named as target); None when unknown.

    Examples
    --------
    >>> s = Sense("Battles", "Armed clash")
    >>> actor_split(s, actor1_state=False, actor2_civilian=True).sub_event_type
    'Attack'
    """
    sub = sense.sub_event_type
    if sub in ("Attack", "Armed clash") and actor2_civilian is not None:
        if actor2_civilian:
            return Sense("Violence against civilians", "Attack", sense.evidence)
        return Sense("Battles", "Armed clash", sense.evidence)
    if sub in ("Government regains territory", "Non-state actor overtakes territory"):
        if actor1_state is True:
            return Sense("Battles", "Government regains territory", sense.evidence)
        if actor1_state is False:
            return Sense("Battles", "Non-state actor overtakes territory", sense.evidence)
    return sense
