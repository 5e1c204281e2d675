"""``extract_many(..., workers=N)``: the same results as in one process, in order, bounded."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from geo_events.cli import app
from geo_events.errors import ExtractionError, InputError
from geo_events.io.articles import ArticleError
from geo_events.text import extract_workers
from geo_events.text.article import Article
from geo_events.text.extract import Extractor, extract_many

DAY = dt.date(2019, 6, 3)

#: Short reports written for these tests: placed in Kenya, then some that name no place.
PLACED = [
    "Police shot dead two robbery suspects in Mombasa on Sunday.",
    "Gunmen attacked a bus near Garissa, killing three passengers.",
    "Protesters clashed with police in Kisumu on Monday over fuel prices.",
    "Suspected militants attacked a police post in Mandera on Saturday.",
    "Bandits raided a village near Marsabit and stole cattle, killing a herder.",
    "Rioters burnt tyres and blocked a road in Nakuru on Tuesday.",
    "Police fired tear gas at traders protesting in Eldoret.",
]
UNPLACED = "A mob lynched a suspected thief on Friday."


def _feed() -> list[object]:
    items: list[object] = [
        Article(id=f"p{i}", title="", text=text, published=DAY) for i, text in enumerate(PLACED)
    ]
    items.insert(2, Article(id="u0", title="", text=UNPLACED, published=DAY))
    items.insert(4, ArticleError("unreadable.html", "not UTF-8"))
    items.insert(5, Article(id="empty", title="", text="   ", published=DAY))
    items += [
        Article(id="weather", title="", text="Sunny skies are expected all week.", published=DAY),
        Article(
            id="fr",
            title="",
            text="Les manifestants ont été dispersés par la police.",
            published=DAY,
        ),
        *(Article(id=f"u{i}", title="", text=UNPLACED, published=DAY) for i in range(1, 4)),
    ]
    return items


@pytest.fixture
def small_chunks(monkeypatch):
    """Two articles a chunk, so a handful of articles makes several chunks in flight."""
    monkeypatch.setattr(extract_workers, "CHUNK_ARTICLES", 2)


def test_workers_give_the_results_of_one_process_in_order(gazetteer, small_chunks):
    feed = _feed()
    alone = list(extract_many(feed, gazetteer=gazetteer))
    pooled = list(extract_many(feed, gazetteer=gazetteer, workers=2))
    assert pooled == alone
    assert [r.article_id for r in pooled][:6] == [
        "p0",
        "p1",
        "u0",
        "p2",
        "unreadable.html",
        "empty",
    ]
    # the feed's country was learnt from its placed events, as in one process: the
    # first unplaced report came too early, the last ones name their actors with it
    by_id = {r.article_id: r for r in pooled}
    assert by_id["u0"].events[0].actor1 == "Rioters"
    assert by_id["u3"].events[0].actor1 == "Rioters (Kenya)"
    # a country given is used as given, by every worker
    given = list(Extractor(gazetteer).extract_many(feed, country="ke", workers=2))
    assert given == list(Extractor(gazetteer).extract_many(feed, country="ke"))
    assert {r.article_id: r for r in given}["u0"].events[0].actor1 == "Rioters (Kenya)"


class _Failing:
    """A gazetteer that fails on any name starting "Boomtown" (it pickles with its real one)."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "_inner":
            raise AttributeError(name)
        return getattr(self._inner, name)

    def exact_prefixes(self, text: str) -> list[str]:
        if text.startswith("boomtown"):
            raise RuntimeError("boom")
        return self._inner.exact_prefixes(text)


def test_errors_are_kept_warned_or_raised_as_in_one_process(gazetteer, small_chunks):
    failing = _Failing(gazetteer)
    feed = _feed()
    feed.insert(3, Article(id="boom", title="", text="Gunmen attacked Boomtown.", published=DAY))
    alone = list(extract_many(feed, gazetteer=failing))
    with pytest.warns(RuntimeWarning, match="extraction failed on article 'boom'"):
        pooled = list(extract_many(feed, gazetteer=failing, on_error="warn", workers=2))
    assert pooled == alone
    assert pooled[3].reason == "extraction failed on article 'boom': RuntimeError: boom"
    stream = extract_many(feed, gazetteer=failing, on_error="raise", workers=2)
    before = [next(stream) for _ in range(3)]
    assert before == alone[:3]
    with pytest.raises(ExtractionError, match="'boom'") as caught:
        next(stream)
    assert isinstance(caught.value.__cause__, RuntimeError)


def test_an_input_that_fails_fails_where_it_would_in_one_process(gazetteer):
    def articles():
        yield from (
            Article(id=f"p{i}", title="", text=t, published=DAY) for i, t in enumerate(PLACED[:3])
        )
        raise OSError("the disk went away")

    stream = extract_many(articles(), gazetteer=gazetteer, workers=2)
    assert [r.article_id for r in (next(stream) for _ in range(3))] == ["p0", "p1", "p2"]
    with pytest.raises(OSError, match="disk went away"):
        next(stream)


def test_the_input_is_read_only_a_few_chunks_ahead(gazetteer, small_chunks):
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield Article(id=f"a{pulled}", title="", text=PLACED[pulled % len(PLACED)],
                          published=DAY)  # fmt: skip

    stream = extract_many(endless(), gazetteer=gazetteer, workers=2)
    for _ in range(10):
        next(stream)
    # at most 2 chunks per worker in flight, beyond the chunk being yielded
    assert pulled <= 10 + 2 * 2 * extract_workers.CHUNK_ARTICLES
    stream.close()


@pytest.mark.parametrize("workers", [0, -2, True, 2.5, "2"])
def test_bad_worker_counts_are_input_errors(workers):
    with pytest.raises(InputError, match="workers"):
        extract_many([], workers=workers)


def test_workers_need_a_gazetteer_that_pickles():
    stub = SimpleNamespace(demonyms={}, country_names=lambda: {})  # a lambda does not pickle
    with pytest.raises(InputError, match="pickles"):
        extract_many([], gazetteer=stub, workers=2)
    # one worker is this process: nothing is sent, nothing to pickle
    assert list(extract_many([], gazetteer=stub, workers=1)) == []


def test_cli_extract_with_workers_writes_the_same_events(tmp_path, gazetteer):
    folder = tmp_path / "news"
    folder.mkdir()
    for i, text in enumerate([*PLACED, UNPLACED]):
        (folder / f"{i:02d}.txt").write_text(f"Report {i}\n\n{text}\n", encoding="utf-8")
    runner = CliRunner()
    outputs = []
    for extra in ([], ["--workers", "2"]):
        out = tmp_path / f"events{len(extra)}.geojson"
        result = runner.invoke(
            app, ["extract", str(folder), "--published", "2019-06-03", "-o", str(out), *extra],
            catch_exceptions=False,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(out.read_text()))
    assert outputs[1] == outputs[0]
    assert len(outputs[0]["features"]) >= len(PLACED)
    bad = runner.invoke(app, ["extract", str(folder), "--workers", "0"])
    assert bad.exit_code == 2


def _in_this_process_only(pid: int, gazetteer):
    """Unpickles as ``gazetteer`` in process ``pid``, fails anywhere else."""
    import os

    if os.getpid() != pid:
        raise RuntimeError("no gazetteer for workers")
    return gazetteer


class _Unsendable(_Failing):
    """A gazetteer that pickles but cannot be unpickled by a worker (its initializer fails)."""

    def __reduce__(self):
        import os

        return (_in_this_process_only, (os.getpid(), self._inner))


def test_workers_that_cannot_start_leave_the_work_to_this_process(gazetteer, caplog):
    feed = _feed()
    with caplog.at_level("WARNING", logger="geo_events.text.extract"):
        pooled = list(extract_many(feed, gazetteer=_Unsendable(gazetteer), workers=2))
    assert pooled == list(extract_many(feed, gazetteer=gazetteer))
    assert "extracting the rest in this process" in caplog.text
