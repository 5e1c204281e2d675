from __future__ import annotations

import pytest

from geo_events.text.actors import ActorMatcher
from geo_events.text.attribution import AttributionTracker
from geo_events.text.extract import split_sentences
from geo_events.text.lexicons import Lexicons, load_reporting_verbs
from geo_events.text.triggers import TriggerMatcher

LEX = Lexicons.default()


@pytest.fixture
def matcher() -> ActorMatcher:
    return ActorMatcher(
        LEX.actors,
        demonyms={"turkish": "TR", "syrian": "SY"},
        countries={"turkey": "TR", "syria": "SY"},
    )


def attribute_all(matcher: ActorMatcher, text: str):
    """Read ``text`` sentence by sentence; return (sentence, trigger text, actor1, Attribution) per trigger."""
    tracker = AttributionTracker(matcher, LEX)
    triggers = TriggerMatcher(LEX.triggers).find(text)
    out = []
    for start, end in split_sentences(text):
        entities = matcher.find(text, start, end)
        hits = tracker.read_sentence(text, start, end, entities)
        for t in triggers:
            if start <= t.start < end and t.asserted:
                actors = [e for e in entities if e.kind == "actor" and e.end <= t.start]
                actor1 = actors[-1].canonical if actors else None
                out.append(
                    (text[start:end], t.text, actor1, tracker.attribute(hits, t.start, actor1))
                )
    return out


def test_denied_reports_that(matcher):
    text = (
        "Turkey's defence ministry denied reports that Turkish drones struck a convoy near Afrin."
    )
    ((_, _, actor1, att),) = attribute_all(matcher, text)
    assert actor1 == "Military Forces of Turkey"
    assert att.status == "denied"
    assert att.denied_by == "Ministry of Defence of Turkey"
    assert att.reported_by is None


def test_denies_gerund_in_a_headline_names_the_country(matcher):
    ((_, _, _, att),) = attribute_all(matcher, "UPDATE: Turkey denies shelling Kurdish villages")
    assert att.status == "denied"
    assert att.denied_by == "Turkey"


def test_reported_citing_builds_the_chain(matcher):
    text = "Reuters reported earlier citing the SDF that Turkish drones struck their positions near Manbij."
    ((_, _, _, att),) = attribute_all(matcher, text)
    assert att.status == "reported"
    assert att.reported_by == "Reuters citing SDF: Syrian Democratic Forces"


def test_spokesman_and_pronouns_resolve_to_the_ministry_and_make_a_claim(matcher):
    text = (
        "Turkey's defence ministry rejected the account, spokesman Ahmet Kaya said on Monday. "
        "\u201cTurkish drones struck terrorist positions,\u201d he said. "
        "Kurdish fighters shelled a border post, Kaya said. "
        "The spokesman added that Turkish artillery shelled their depots."
    )
    results = attribute_all(matcher, text)
    by_trigger = {(r[1], r[2]): r[3] for r in results}
    claimed = by_trigger[("struck", "Military Forces of Turkey")]
    assert claimed.status == "claimed"
    assert claimed.reported_by == "Ministry of Defence of Turkey"
    reported = by_trigger[("shelled", None)]
    assert reported.status == "reported"
    assert reported.reported_by == "Ministry of Defence of Turkey"
    assert results[-1][3].status == "claimed"


def test_according_to(matcher):
    text = "According to SANA, Islamic State militants shelled the airport."
    ((_, _, _, att),) = attribute_all(matcher, text)
    assert att.reported_by == "SANA"
    assert att.status == "reported"


def test_claim_verb_before_the_trigger(matcher):
    text = "Islamic State claimed responsibility for the suicide bombing in Kabul."
    ((_, _, _, att),) = attribute_all(matcher, text)
    assert att.status == "claimed"
    assert att.reported_by == "Islamic State"


def test_denial_after_the_trigger_does_not_deny_it(matcher):
    text = "Syrian forces shelled the town, and nobody has denied this so far, SANA said."
    ((_, _, _, att),) = attribute_all(matcher, text)
    assert att.status == "reported"
    assert att.denied_by is None


def test_no_reporting_verb_leaves_the_outlet_as_reporter(matcher):
    ((_, _, _, att),) = attribute_all(matcher, "Syrian forces shelled the town.")
    assert att.status == "reported"
    assert att.reported_by is None


def test_reporting_verbs_file_is_extendable(tmp_path):
    path = tmp_path / "verbs.csv"
    path.write_text("verb,status,role\ninsisted,reported,speaker_before\n", encoding="utf-8")
    lex = Lexicons.from_files(reporting_verbs=path)
    assert any(v.verb == "insisted" for v in lex.reporting_verbs)
    assert len(lex.reporting_verbs) == len(LEX.reporting_verbs) + 1
    bad = tmp_path / "bad.csv"
    bad.write_text("verb,status\nsaid,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="maybe"):
        load_reporting_verbs(bad)
