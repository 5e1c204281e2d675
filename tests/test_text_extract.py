from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from geo_events.errors import ExtractionError, InputError
from geo_events.gazetteer import Candidate, Kind, MatchType
from geo_events.text.article import Article, article_from_text
from geo_events.text.extract import extract_events, extract_many, split_sentences
from geo_events.text.fatalities import fatalities_in
from geo_events.text.lexicons import Lexicons
from geo_events.text.triggers import TriggerMatcher

WEDNESDAY = dt.date(2018, 3, 7)

# A tiny stand-in gazetteer: only what actor matching reads of a PlaceLookup
# (demonyms, country names); the tests pass their own place mentions.
STUB_GAZ = SimpleNamespace(
    demonyms={"syrian": "SY", "russian": "RU", "american": "US"},
    country_names=lambda: {"syria": "SY", "russia": "RU", "united states": "US"},
)


def cand(
    gid: int, name: str, lat: float, lon: float, kind: Kind = Kind.PLACE, cc: str = "SY"
) -> Candidate:
    country = {"SY": "Syria", "RU": "Russia"}[cc]
    return Candidate(
        gid, name, lat, lon, cc, country, "Alpha Governorate", "", "01", "", "P", "PPL", kind, 1000,
        MatchType.EXACT, 1.0, name,
    )  # fmt: skip


ALPHA = cand(1, "Alpha", 35.0, 40.0)
BETA = cand(2, "Beta", 36.0, 38.0)
ALPHA_GOV = cand(3, "Alpha Governorate", 35.1, 40.1, Kind.ADMIN1)
RUSSIA = cand(4, "Russia", 60.0, 100.0, Kind.COUNTRY, "RU")


@dataclass
class M:  # shaped like geoparse's ResolvedMention
    start: int
    end: int
    text: str
    candidate: Candidate | None
    confidence: float = 0.9
    geo_precision: int | None = None
    role: str = "place"


def mentions(text: str, places: dict[str, Candidate]) -> list[M]:
    out = [
        M(m.start(), m.end(), m.group(), c)
        for name, c in places.items()
        for m in re.finditer(rf"\b{re.escape(name)}\b", text)
    ]
    return sorted(out, key=lambda x: x.start)


def run(
    title: str, body: str, places: dict[str, Candidate] | None = None, published=WEDNESDAY, **kw
):
    article = Article(id="t", title=title, text=body, source="AFP", published=published)
    places = places if places is not None else {"Alpha": ALPHA, "Beta": BETA}
    return extract_events(
        article, gazetteer=STUB_GAZ, mentions=mentions(article.full_text, places), **kw
    )


# --------------------------------------------------------------- sentences, triggers, numbers


def test_sentences_keep_offsets_into_full_text():
    article = Article(
        id="x", title="Jets hit Alpha", text="Gen. Ali said so. U.S. jets struck. Then\nmore."
    )
    text = article.full_text
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Jets hit Alpha",
        "Gen. Ali said so.",
        "U.S. jets struck.",
        "Then",
        "more.",
    ]
    assert spans[1][0] == article.body_offset


def test_trigger_lexicon_longest_match_negation_and_modality():
    m = TriggerMatcher(Lexicons.default().triggers)
    assert [t.sub_event_type for t in m.find("A missile strike hit.")] == [
        "Shelling/artillery/missile attack"
    ]
    assert [t.sub_event_type for t in m.find("Workers went on strike.")] == ["Peaceful protest"]
    assert m.find("Monitors recorded no armed clashes.")[0].negated
    assert m.find("There are no craters and no signs of air bombs.")[0].negated
    assert m.find("The army vowed to strike back.")[0].hypothetical
    assert m.find("Jets struck the town.")[0].asserted


def test_fatalities_follow_acled_counting():
    assert fatalities_in("The strike killed 12 people.") == 12
    assert fatalities_in("Between 5 and 8 people were killed.") == 5
    assert fatalities_in("Several soldiers were killed.") == 3
    assert fatalities_in("Dozens were killed.") == 12
    assert fatalities_in("killing at least seven civilians and wounding 20") == 7
    assert fatalities_in("No casualties were reported.") == 0
    assert fatalities_in("Jets struck the town, wounding 4.") is None


# --------------------------------------------------------------- events


def test_place_is_the_one_the_trigger_governs_with_acled_precision():
    result = run(
        "Strikes reported",
        "Beta officials said Russian warplanes struck rebel positions near Alpha on Tuesday. "
        "Syrian forces shelled Beta yesterday.",
    )
    events = {e.sub_event_type: e for e in result.events}
    strike = events["Air/drone strike"]
    assert strike.location == "Alpha" and strike.geonameid == 1 and strike.geo_precision == 2
    assert strike.actor1 == "Military Forces of Russia"
    assert strike.event_date == dt.date(2018, 3, 6) and strike.time_precision == 1
    shelling = events["Shelling/artillery/missile attack"]
    assert shelling.location == "Beta" and shelling.geo_precision == 1
    assert shelling.actor1 == "Military Forces of Syria"


def test_region_only_gives_precision_3():
    result = run(
        "x",
        "Syrian forces shelled villages in Alpha Governorate.",
        {"Alpha Governorate": ALPHA_GOV},
    )
    (event,) = result.events
    assert event.geo_precision == 3 and event.geonameid == 3


def test_sentence_without_place_inherits_main_place_with_precision_raised():
    result = run(
        "Fighting in Alpha",
        "Syrian forces clashed with Islamic State fighters in Alpha. Alpha residents fled. "
        "Later, Islamic State militants shelled Syrian forces, the army said.",
        merge=False,
    )
    shelling = next(e for e in result.events if e.sub_event_type.startswith("Shelling"))
    assert shelling.location == "Alpha" and shelling.geonameid == 1
    assert shelling.geo_precision == 2
    assert "inherited" in shelling.notes
    assert shelling.actor1 == "Islamic State" and shelling.actor2 == "Military Forces of Syria"


def test_country_named_only_as_actor_is_never_the_place():
    places = {"Russia": RUSSIA, "Alpha": ALPHA}
    result = run(
        "Russia denies striking Alpha",
        "Russia's warplanes struck the market, witnesses said.",
        places,
    )
    for event in result.events:
        assert event.country != "Russia"
        assert event.geonameid == 1
    only_russia = run("x", "Russia's warplanes struck the market.", {"Russia": RUSSIA})
    (event,) = only_russia.events
    assert event.geonameid is None and event.location is None
    assert event.actor1 == "Military Forces of Russia"


def test_dates_publication_fallback_and_unknown():
    (event,) = run("x", "Syrian forces shelled Alpha.").events
    assert event.event_date == WEDNESDAY and event.time_precision == 2
    assert "publication date" in event.notes
    (undated,) = run("x", "Syrian forces shelled Alpha on Monday.", published=None).events
    assert undated.event_date is None and undated.time_precision is None
    (nothing,) = run("x", "Syrian forces shelled Alpha.", published=None).events
    assert nothing.event_date is None


def test_denial_counter_report_merge_into_one_event():
    body = (
        "Syria's defence ministry denied reports that Syrian forces shelled a school in Alpha, "
        "spokesman Omar Haddad said on Tuesday. "
        "Reuters reported earlier citing the Syrian Observatory for Human Rights that Syrian army artillery "
        "shelled the school near Alpha, killing at least 4 civilians."
    )
    result = run("Syria denies shelling school in Alpha", body)
    (event,) = result.events
    assert event.claim_status == "denied"
    assert "Ministry of Defence of Syria" in event.denied_by
    assert event.reported_by == "Reuters citing Syrian Observatory for Human Rights"
    assert event.actor1 == "Military Forces of Syria" and event.actor2 == "Civilians (Syria)"
    assert event.fatalities == 4
    assert event.event_date == dt.date(2018, 3, 6)
    assert event.source == "AFP"
    assert len(event.sources) == 3  # the headline and both body sentences


def test_evidence_offsets_point_into_full_text():
    article = Article(
        id="e", title="Russian jets strike Alpha", text="Russian jets struck Beta on Monday."
    )
    text = article.full_text
    result = extract_events(
        article,
        gazetteer=STUB_GAZ,
        mentions=mentions(text, {"Alpha": ALPHA, "Beta": BETA}),
        merge=False,
    )
    assert len(result.events) == 2
    for event in result.events:
        assert text[event.evidence_start : event.evidence_end] == event.evidence
        assert event.article_id == "e"
        assert 0 < event.confidence <= 1
    headline = min(result.events, key=lambda e: e.evidence_start)
    body = max(result.events, key=lambda e: e.evidence_start)
    assert headline.confidence < body.confidence


def test_ambiguous_words_need_an_actor_and_names_are_not_triggers():
    assert run("x", "A man was struck by a car in Alpha.").events == ()
    assert run("x", "He died in Alpha after a battle with cancer.").events == ()
    shell = run("x", "Prices rose at the Shell station in Alpha.", {"Alpha": ALPHA, "Shell": BETA})
    assert shell.events == ()
    (event,) = run("x", "Russian jets struck a bridge in Alpha.").events
    assert event.actor1 == "Military Forces of Russia"


def test_record_has_schema_columns():
    (event,) = run("x", "Syrian forces shelled Alpha.").events
    record = event.to_record()
    assert record["geo_precision"] == 1 and record["iso"] == 760
    assert "sources" not in record
    assert event.to_record(extra=True)["sources"] == event.sources[0]


# --------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("title", "text", "reason"),
    [
        ("", "", "no text"),
        ("  ", "\n\n", "empty text"),
        ("", "\x00\x01\x02\ufffd" * 200, "binary"),
        (
            "Angriff",
            "Die Armee hat am Montag die Stadt mit Drohnen angegriffen, sagte ein Sprecher.",
            "not English",
        ),
        (
            "Война",
            "Российские самолёты нанесли удар по позициям боевиков в провинции.",
            "not English",
        ),
        (
            "Weather",
            "It was sunny in Alpha and the markets were busy all day long.",
            "no event triggers",
        ),
        ("Calm", "There were no clashes in Alpha and nobody was hurt over the weekend.", "negated"),
    ],
)
def test_bad_input_gives_a_reason_not_a_crash(title, text, reason):
    result = extract_events(
        Article(id="b", title=title, text=text), gazetteer=STUB_GAZ, mentions=[]
    )
    assert result.events == ()
    assert reason in result.reason


def test_text_with_no_places_keeps_events_with_actors():
    result = run("x", "Syrian forces shelled Islamic State positions.", places={})
    (event,) = result.events
    assert event.location is None and event.geo_precision is None
    assert "no place" in event.notes
    # a trigger found is an event: who did it is ACLED's default for the type, and the
    # event says so (and is less sure than one whose actor the text names)
    (nobody,) = run("x", "Shelling was heard at night.", places={}).events
    assert nobody.actor1 == "Unidentified Armed Group"
    assert "actor1 not named in the text" in nobody.notes
    assert nobody.confidence < event.confidence


def test_huge_text_is_cut_and_says_so():
    body = (
        "Syrian forces shelled Alpha. " + "Markets were busy and traffic was heavy. " * 30
    ) * 5000
    article = Article(id="big", title="Long", text=body)
    assert len(article.full_text) > 5_000_000
    result = extract_events(article, gazetteer=STUB_GAZ, mentions=[], max_chars=200_000)
    assert result.events
    assert all("cut" in e.notes for e in result.events)


def test_extract_requires_an_article():
    with pytest.raises(InputError):
        extract_events("just a string")  # type: ignore[arg-type]


def test_extract_many_accounts_for_every_input():
    @dataclass
    class Broken:
        path: str
        reason: str

    items = [
        Article(id="ok", title="x", text="Syrian forces shelled Alpha."),
        Broken("bad.html", "not UTF-8"),
        Article(id="empty", title="", text=""),
        42,
    ]
    results = list(extract_many(items, gazetteer=STUB_GAZ))
    assert [r.article_id for r in results] == ["ok", "bad.html", "empty", "#3"]
    assert results[0].events
    assert "not UTF-8" in results[1].reason
    assert results[2].reason == "no text"
    assert "not an article" in results[3].reason


def test_extract_many_is_lazy_and_applies_the_error_policy(monkeypatch):
    import geo_events.text.extract as extract_module

    def explode(text, gazetteer, lexicons=None, countries=()):
        raise RuntimeError("boom")

    monkeypatch.setattr(extract_module, "_geoparse", explode)

    def stream():
        yield Article(id="a", title="x", text="Syrian forces shelled Alpha.")
        raise AssertionError("read too far")

    first = next(extract_many(stream(), gazetteer=STUB_GAZ))
    assert first.article_id == "a" and "boom" in first.reason
    with pytest.raises(ExtractionError, match="boom"):
        next(extract_many(stream(), gazetteer=STUB_GAZ, on_error="raise"))
    with pytest.warns(RuntimeWarning, match="boom"):
        next(extract_many(stream(), gazetteer=STUB_GAZ, on_error="warn"))
    with pytest.raises(InputError, match="on_error"):
        next(extract_many([], on_error="ignore"))  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _stub_geoparse(monkeypatch, request):
    """Fast tests never open the real gazetteer: geoparse finds Alpha and Beta by name."""
    if request.node.get_closest_marker("slow"):
        return
    import geo_events.text.extract as extract_module

    monkeypatch.setattr(
        extract_module,
        "_geoparse",
        lambda text, gazetteer, lexicons=None, countries=(): mentions(
            text, {"Alpha": ALPHA, "Beta": BETA}
        ),
    )


# --------------------------------------------------------------- end to end with the real gazetteer

ARTICLE = """Syria's army denies shelling civilians in Raqqah

Syria's defence ministry denied reports that government artillery shelled a market in Raqqa, spokesman Ali Mayhoub said on Tuesday.

Reuters reported earlier citing the Syrian Observatory for Human Rights that Syrian army artillery shelled the market near Raqqa, killing at least 7 civilians.

"Our air force carried out precise strikes against Islamic State positions in Deir ez-Zor," he said.

Russian jets also struck Islamic State fighters near Palmyra on Sunday, the ministry said.

Islamic State militants attacked army checkpoints in Deir ez-Zor yesterday, killing several soldiers, according to SANA.

There were no clashes in Aleppo.

AFP

You might also like

This website uses cookies to improve your experience. Accept Read More
"""


@pytest.mark.slow
def test_article_end_to_end(gazetteer):
    article = article_from_text(ARTICLE, id="raqqa", published=WEDNESDAY)
    result = extract_events(article, gazetteer=gazetteer)
    events = result.events
    raqqa = gazetteer.geocode("Raqqa").geonameid
    assert gazetteer.geocode("Raqqah").geonameid == raqqa  # the headline's spelling
    deir = gazetteer.geocode("Deir ez-Zor")
    palmyra = gazetteer.geocode("Palmyra").geonameid
    aleppo = gazetteer.geocode("Aleppo").geonameid

    shelling = [e for e in events if e.sub_event_type == "Shelling/artillery/missile attack"]
    assert len(shelling) == 1
    (s,) = shelling
    assert s.geonameid == raqqa and s.claim_status == "denied"
    assert "Ministry of Defence of Syria" in s.denied_by
    assert s.reported_by == "Reuters citing Syrian Observatory for Human Rights"
    assert (s.actor1, s.actor2, s.fatalities) == (
        "Military Forces of Syria",
        "Civilians (Syria)",
        7,
    )
    assert s.event_date == dt.date(2018, 3, 6) and s.time_precision == 1
    assert len(s.sources) == 3

    strikes = {e.geonameid: e for e in events if e.sub_event_type == "Air/drone strike"}
    own = strikes[deir.geonameid]
    assert own.claim_status == "claimed" and own.actor1 == "Military Forces of Syria"
    assert own.actor2 == "Islamic State"
    russian = strikes[palmyra]
    assert russian.actor1 == "Military Forces of Russia" and russian.geo_precision == 2
    assert russian.event_date == dt.date(2018, 3, 4)
    assert russian.reported_by == "Ministry of Defence of Syria"

    (battle,) = [e for e in events if e.event_type == "Battles"]
    assert battle.reported_by == "SANA" and battle.fatalities == 3
    assert battle.event_date == dt.date(2018, 3, 6)

    assert all(e.geonameid != aleppo for e in events)  # "no clashes in Aleppo"
    assert all(e.country == "Syria" for e in events)
    assert all(e.source == "AFP" for e in events)
    assert "cookies" not in " ".join(e.evidence for e in events)


@pytest.mark.slow
def test_stream_of_articles_with_real_gazetteer(gazetteer):
    raws = [ARTICLE, "", "\x00\x01" * 100, "Weather\n\nIt was sunny in Damascus all day."]
    articles = [article_from_text(r, id=f"a{i}", published=WEDNESDAY) for i, r in enumerate(raws)]
    results = list(extract_many(articles, gazetteer=gazetteer))
    assert [r.article_id for r in results] == ["a0", "a1", "a2", "a3"]
    assert results[0].events and not results[0].reason
    assert all(r.reason for r in results[1:])


def test_aircraft_as_subject_of_a_bombing_verb_is_an_air_strike(gazetteer):
    from datetime import date

    from geo_events.text.article import article_from_text
    from geo_events.text.extract import extract_events

    text = (
        "Ministry rejects claims\n\nThe Russian Defence Ministry on Tuesday rejected claims that "
        "Russian aircraft had bombed positions of the Syrian Democratic Forces near Deir ez-Zor."
    )
    result = extract_events(article_from_text(text, id="t", published=date(2025, 3, 4)))
    strikes = [e for e in result.events if e.sub_event_type == "Air/drone strike"]
    assert strikes
    assert strikes[0].claim_status == "denied"
    assert strikes[0].denied_by == "Ministry of Defence of Russia"


@pytest.mark.slow
def test_passive_strike_with_its_victims_after_the_agent(gazetteer):
    from datetime import date

    text = (
        "Market hit in Idlib\n\nAn air strike by Russian warplanes hit a market in Idlib on "
        "Tuesday, which killed 9 civilians, the Syrian Observatory for Human Rights said."
    )
    result = extract_events(article_from_text(text, id="t", published=date(2019, 5, 8)))
    (strike,) = [e for e in result.events if e.sub_event_type == "Air/drone strike"]
    assert (strike.actor1, strike.actor2, strike.fatalities) == (
        "Military Forces of Russia",
        "Civilians (Syria)",
        9,
    )


def test_shared_keyword_scan_finds_what_each_matcher_finds() -> None:
    from geo_events.text._anchors import KeywordScan, fold
    from geo_events.text.actors import actor_matcher
    from geo_events.text.attribution import verb_matcher
    from geo_events.text.triggers import trigger_matcher

    lex = Lexicons.default()
    text = (
        "Russian warplanes struck SDF positions near Deir ez-Zor, killing 12, the SDF said.\n"
        "The defence ministry denied reports that its jets shelled Raqqa, according to TASS. "
        "Syria’s army clashed with Daesh fighters; IS is said to have attacked."
    )
    folded = fold(text)
    matchers = (trigger_matcher(lex), verb_matcher(lex), actor_matcher(lex, None))
    hits = KeywordScan([m.keywords for m in matchers]).scan(folded)
    for end in (len(text), 90, 40):
        for matcher, found in zip(matchers, hits, strict=True):
            assert matcher.find(text, 0, end, folded=folded, hits=found) == matcher.find(
                text, 0, end, folded=folded
            )


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Jets struck.", None),
        ("KİLLİNG 3 people", 3),  # re.IGNORECASE equates İ and i: the word pre-check must too
        ("ſeveral died", 3),
        ("Dozens DİED.", 12),
        ("the raid, KILLING 4", 4),
    ],
)
def test_fatalities_precheck_keeps_case_insensitive_matches(
    sentence: str, expected: int | None
) -> None:
    assert fatalities_in(sentence) == expected


@pytest.mark.parametrize(
    "before",
    [
        "jets struck positions in ",
        "fighting near the city of\n",
        "(near ",
        "in the KEY ",
        "outſide ",
        "shelled the eastern\t",
        "İN ",
        "within ",
        "struck Aleppo",
        "",
        "5 km from ",
    ],
)
def test_locative_precheck_agrees_with_the_pattern(before: str) -> None:
    from geo_events.text.event_places import _LOCATIVE, _locative

    assert _locative(before) == (_LOCATIVE.search(before) is not None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("“Shelling hit the town,” the governor said — and the army denied it on Monday. " * 5, ""),
        (
            "قصفت الطائرات مواقع في دير الزور وقال المرصد إن " * 8 + "“Deir ez-Zor”",
            "not English (mostly non-Latin script)",
        ),
        (
            "“Die Armee hat am Montag die Stadt angegriffen”, sagte ein Sprecher – später. " * 4,
            "not English (too few English function words)",
        ),
        ("’‘— 123 ¶ … " * 40, "no words in text"),
    ],
)
def test_text_problem_on_text_with_non_ascii_punctuation(text, problem):
    from geo_events.text.extract import text_problem

    assert text_problem(text) == problem


def test_fold_straightens_quotes_and_keeps_offsets():
    from geo_events.text._anchors import fold

    text = "Syria’s ‘army’ said\tthe Al‐Omar field\r\nwas hit. STRASSE Straße"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("syria's 'army' said the al-omar field  was hit.")


@pytest.mark.parametrize("max_chars", [0, -5, float("nan"), float("inf"), 2.5, "100", True])
def test_bad_max_chars_is_an_input_error(max_chars):
    article = article_from_text("Jets hit Alpha\n\nSyrian jets struck Alpha.", id="a")
    with pytest.raises(InputError, match="max_chars must be a positive whole number"):
        extract_events(article, gazetteer=STUB_GAZ, mentions=[], max_chars=max_chars)
    with pytest.raises(InputError, match="max_chars"):
        next(extract_many([article], gazetteer=STUB_GAZ, max_chars=max_chars))


def test_max_chars_none_reads_everything_and_a_cut_names_the_option():
    text = "Syrian jets struck Alpha\n\n" + "The talks went on in the city. " * 50
    article = article_from_text(text + "Russian jets struck Alpha.", id="a")
    found = mentions(article.full_text, {"Alpha": ALPHA})
    whole = extract_events(article, gazetteer=STUB_GAZ, mentions=found, max_chars=None)
    assert any("Russia" in (e.actor1 or "") for e in whole.events)
    cut = extract_events(article, gazetteer=STUB_GAZ, mentions=found, max_chars=100)
    assert cut.events and all("(max_chars)" in (e.notes or "") for e in cut.events)
    assert not any("Russia" in (e.actor1 or "") for e in cut.events)


def test_triggers_inside_names_are_dropped_among_many_names():
    text = "Shell Alpha\n\n" + "Alpha and Beta. " * 2_000 + "Syrian jets struck Alpha."
    article = article_from_text(text, id="a")
    found = mentions(article.full_text, {"Alpha": ALPHA, "Beta": BETA})
    found.append(M(0, 5, "Shell", None))  # a company's name holding a trigger word
    found.sort(key=lambda m: m.start)
    result = extract_events(article, gazetteer=STUB_GAZ, mentions=found)
    assert result.events and all(not e.evidence.startswith("Shell") for e in result.events)


def test_error_records_with_odd_names_become_printable_results():
    from geo_events.io.articles import ArticleError

    (result,) = extract_many([ArticleError("bad\udcff.txt", "why \ud800")], gazetteer=STUB_GAZ)
    assert (
        result.article_id == "bad\\xff.txt" and result.reason == "unreadable article: why \\ud800"
    )


def test_events_from_articles_refuses_what_is_not_an_article():
    from geo_events.events.from_articles import events_from_articles

    result = extract_events(article_from_text("x", id="a"), gazetteer=STUB_GAZ)
    with pytest.raises(InputError, match="takes articles"):
        events_from_articles("Shelling hit Aleppo.")
    with pytest.raises(InputError, match="takes articles"):
        events_from_articles(None)
    # what is neither an article nor a result is an article without events, with its reason
    out = events_from_articles([result, 3], gazetteer=STUB_GAZ)
    assert (
        out.attrs["articles"].table["reason"].iloc[1] == "unreadable article: not an article (int)"
    )


def test_events_from_results_still_works_and_warns():
    from geo_events.events.from_articles import events_from_results

    result = extract_events(article_from_text("x", id="a"), gazetteer=STUB_GAZ)
    with pytest.warns(DeprecationWarning, match="events_from_articles"):
        events, articles = events_from_results([result])
    assert list(articles["article_id"]) == ["a"] and len(events) == 0
    with (
        pytest.warns(DeprecationWarning, match="events_from_results"),
        pytest.raises(InputError, match="item 1 is of type int"),
    ):
        events_from_results([result, 3])


# --------------------------------------------------------------- the extractor


def test_an_extractor_with_a_user_actor_file_finds_the_users_actor(tmp_path):
    from geo_events.text.extract import Extractor

    mine = tmp_path / "actors.csv"
    mine.write_text("canonical,alias,kind\nZeta Brigade,Zeta fighters,actor\n", encoding="utf-8")
    extractor = Extractor(STUB_GAZ, Lexicons.from_files(actors=mine))
    article = Article(id="z", title="", text="Zeta fighters attacked Beta on Monday.")
    found = extractor.extract(article, mentions=mentions(article.full_text, {"Beta": BETA}))
    assert [(e.actor1, e.location) for e in found.events] == [("Zeta Brigade", "Beta")]
    # the packaged lexicons do not know them
    plain = Extractor(STUB_GAZ).extract(
        article, mentions=mentions(article.full_text, {"Beta": BETA})
    )
    assert all(e.actor1 != "Zeta Brigade" for e in plain.events)


def test_extractors_compile_once_per_pair(monkeypatch):
    import geo_events.text.extract as extract_module

    built: list[object] = []
    real = extract_module.Extractor.__init__

    def counting(self, *args, **kwargs):
        built.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(extract_module.Extractor, "__init__", counting)
    monkeypatch.setattr(extract_module, "_EXTRACTORS", type(extract_module._EXTRACTORS)())
    article = Article(id="a", title="", text="Syrian forces shelled Alpha on Monday.")
    for _ in range(3):
        run("", article.text)
    assert len(built) == 1  # extract_events keeps the extractor for the same pair
    other = Lexicons.from_files(sentence_abbreviations=[])
    assert other is not Lexicons.default()
    extract_events(article, gazetteer=STUB_GAZ, lexicons=other, mentions=[])
    assert len(built) == 2  # another lexicons object: another extractor
    list(extract_many([article] * 5, gazetteer=STUB_GAZ))
    assert len(built) == 3  # one for the whole stream


def test_an_extractor_without_a_gazetteer_loads_none_for_articles_without_triggers(monkeypatch):
    import geo_events.gazetteer as gz
    from geo_events.text.extract import Extractor

    def refuse():
        raise AssertionError("the gazetteer was loaded")

    monkeypatch.setattr(gz, "default_gazetteer", refuse)
    extractor = Extractor()
    result = extractor.extract(
        Article(id="q", title="", text="The weather was fine on Monday in the hills.")
    )
    assert result.reason == "no event triggers"
    assert "Extractor" in repr(extractor) and "default gazetteer" in repr(extractor)
