"""Event triggers: which words are events on their own, with nobody and nowhere named.

Short sentences of our own. A word whose non-conflict senses ``sense_problem`` rejects
by evidence ("riot police", "a protest vote", "killed in a road accident") needs no
actor named with it; a word that is often something else ("struck", "burnt",
"went missing", "petition") still does.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from geo_events.text.article import Article
from geo_events.text.extract import extract_events
from geo_events.text.lexicons import Lexicons
from geo_events.text.triggers import TriggerMatcher

STUB_GAZ = SimpleNamespace(demonyms={}, country_names=lambda: {})
MATCHER = TriggerMatcher(Lexicons.default().triggers)


def events(text: str):
    article = Article(id="t", title="", text=text, source="x", published=None)
    return extract_events(article, gazetteer=STUB_GAZ, mentions=[]).events


def trigger(text: str, word: str):
    return next(t for t in MATCHER.find(text) if t.text.lower() == word.lower())


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Traders protest the closure of the market.", "Peaceful protest"),
        ("Demonstration against the new tax.", "Peaceful protest"),
        ("Supporters marched through the streets against the ruling.", "Peaceful protest"),
        ("Rioting continued after the vote.", "Violent demonstration"),
        ("Traders burnt tyres on the highway.", "Violent demonstration"),
        ("Rival supporters clashed over campaign posters.", None),
        ("Two herders were hacked to death over grazing land.", "Attack"),
        ("One woman was raped on her way home.", "Sexual violence"),
        ("Three aid workers were kidnapped on the border road.", None),
        ("A teacher was lynched after a dispute over a cow.", None),
        ("Raiders attacked the homestead at night.", None),
        ("Houses were torched and livestock stolen in the night.", None),
    ],
)
def test_unambiguous_words_are_events_with_nobody_named(text: str, sub: str | None) -> None:
    found = events(text)
    assert found, text
    if sub is not None:
        assert found[0].sub_event_type == sub


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("A man was struck by a car.", "struck"),
        ("The old house burnt down.", "burnt"),
        ("The file went missing on Monday.", "went missing"),
        ("The union filed a petition.", "petition"),
        ("There was chaos at the ticket office.", "chaos"),
    ],
)
def test_ambiguous_words_still_need_an_actor(text: str, word: str) -> None:
    assert trigger(text, word).requires == "actor"
    assert events(text) == ()


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Traders protest the closure of the market.", "protest"),
        ("Rioting continued after the vote.", "Rioting"),
        ("Clashes broke out over land.", "Clashes"),
        ("Two people were killed.", "killed"),
        ("The convoy was attacked.", "attacked"),
        ("Houses were torched.", "torched"),
        ("Three were abducted.", "abducted"),
    ],
)
def test_requires_nothing(text: str, word: str) -> None:
    assert trigger(text, word).requires == ""
