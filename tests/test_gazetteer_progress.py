"""A build's progress (gazetteer/progress.py), and the fast build's keys.

Every cache here is a temp dir (``tmp_path``); no test sleeps: the plain
reporter is given a fake clock.
"""

import io

import pytest
import test_gazetteer_store
from hypothesis import given
from hypothesis import strategies as st

from geo_events.gazetteer import Gazetteer, PlaceRecord, build_workers, store
from geo_events.gazetteer.normalize import exact_key, fold_keys, name_key
from geo_events.gazetteer.progress import (
    FIRST_BUILD_TIME,
    NotebookReporter,
    PlainReporter,
    RichReporter,
    choose_reporter,
    in_notebook,
    reporter,
)

#: Gazetteer.open builds from that module's records (its fixture: shared, not copied).
fake_defaults = test_gazetteer_store.fake_defaults

#: The store tests' records, and names whose keys the bulk fold must get right.
RECORDS = [
    *test_gazetteer_store.RECORDS,
    PlaceRecord(5, "Deir ez-Zor", 35.3, 40.1, "P", "PPLA", "SY", "09", population=200_000,
                alternate_names=("Dayr az Zawr", "DEIR EZ-ZOR", "دير الزور", "Deir ez-Zor")),
    PlaceRecord(6, "Ar Raqqah", 35.9, 39.0, "P", "PPLA", "SY", "04", population=170_000,
                alternate_names=("Raqqa", "", "x" * 300)),
    PlaceRecord(7, "Kharkiv Oblast", 49.5, 36.5, "A", "ADM1", "UA", "07",
                alternate_names=("Харківська область",)),
]  # fmt: skip


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


# ------------------------------------------------------------------ plain lines


def test_plain_lines_carry_counts_every_interval_and_at_each_stage_end(capsys):
    stream, clock = io.StringIO(), FakeClock()
    report = PlainReporter(stream, interval=5.0, clock=clock)
    report("loading sources", 0, None)
    clock.now += 3.0
    report("indexing names", 0, 286_000)
    clock.now += 1.0
    report("indexing names", 50_000, 286_000)  # 1 s into the stage: no line yet
    clock.now += 5.0
    report("indexing names", 120_000, 286_000)  # 6 s: a line
    clock.now += 1.0
    report("indexing names", 130_000, 286_000)  # 1 s after that line: none
    clock.now += 2.0
    report("indexing names", 286_000, 286_000)  # the end: always a line
    report.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("gazetteer: building the index (")
    assert f"; {FIRST_BUILD_TIME} for the default sources)" in lines[0]  # why, and how long
    assert lines[1:] == [
        "gazetteer: loading sources, done in 3.0 s",
        "gazetteer: indexing names 120,000/286,000 (42%)",
        "gazetteer: indexing names 286,000/286,000 (100%), done in 9.0 s",
    ]
    assert capsys.readouterr() == ("", "")  # nothing on stdout (nor on stderr: a stream was given)


def test_plain_lines_count_without_a_total_and_end_when_the_next_stage_begins():
    stream, clock = io.StringIO(), FakeClock()
    report = PlainReporter(stream, interval=5.0, clock=clock, reason="the index was damaged")
    for done in range(0, 300_001, 10_000):
        report("reading places", done, None)
        clock.now += 0.5
    report("writing index", 0, 5)
    lines = stream.getvalue().splitlines()
    assert "the index was damaged" in lines[0]
    assert lines[1:] == [
        "gazetteer: reading places 100,000",
        "gazetteer: reading places 200,000",
        "gazetteer: reading places 300,000",
        "gazetteer: reading places 300,000, done in 15.5 s",
    ]


def test_a_broken_stream_does_not_fail_the_build():
    stream = io.StringIO()
    stream.close()
    report = PlainReporter(stream, clock=FakeClock())
    report("reading places", 1, 1)  # no ValueError


# ------------------------------------------------------------------ choosing


def test_the_chooser_gives_plain_lines_off_a_terminal():
    assert isinstance(choose_reporter(io.StringIO()), PlainReporter)


def test_the_chooser_gives_a_bar_on_a_terminal_never_on_stdout(capsys):
    stream = Terminal()
    chosen = choose_reporter(stream)
    assert isinstance(chosen, RichReporter)
    chosen("reading places", 5, 10)
    chosen("writing index", 5, 5)
    chosen.close()
    assert "building the index" in stream.getvalue()
    assert "writing index" in stream.getvalue()
    assert capsys.readouterr().out == ""


def test_no_notebook_in_a_test_process():
    assert not in_notebook()


def test_none_and_true_show_progress_on_stderr_false_is_silent(capsys):
    for option in (None, True):
        callback, finish = reporter(option)
        callback("writing index", 5, 5)
        finish()
        out, err = capsys.readouterr()
        assert out == ""
        assert "gazetteer: writing index 5/5 (100%)" in err  # pytest's stderr is no terminal
    callback, finish = reporter(False)
    callback("writing index", 5, 5)
    finish()
    assert capsys.readouterr() == ("", "")


def test_a_callback_is_used_as_given():
    def mine(stage, done, total):
        return None

    assert reporter(mine)[0] is mine


def test_the_notebook_reporter_updates_one_line_per_stage():
    pytest.importorskip("IPython")
    shown = []

    class Handle:
        def update(self, bundle, raw):
            shown.append(("update", bundle["text/plain"]))

    def display(bundle, raw, display_id=False):
        shown.append(("display", bundle["text/plain"]))
        return Handle() if display_id else None

    clock = FakeClock()
    report = NotebookReporter(clock=clock)
    report._display = display
    report("indexing names", 0, 10)
    clock.now += 1.0
    report("indexing names", 5, 10)
    report("indexing names", 6, 10)  # too soon after the last update: skipped
    report("indexing names", 10, 10)
    report("writing index", 0, 5)
    kinds = [kind for kind, _ in shown]
    assert kinds == ["display", "display", "update", "update", "display"]
    assert shown[0][1].startswith("gazetteer: building the index")
    assert shown[2][1] == "gazetteer: indexing names 5/10 (50%)"
    assert shown[3][1] == "gazetteer: indexing names 10/10 (100%), done in 1.0 s"


# ------------------------------------------------------------------ through a build


def test_open_with_progress_false_is_silent(tmp_path, fake_defaults, capsys):
    gaz = Gazetteer.open(tmp_path, progress=False)
    assert gaz.geocode("Qaryat Tajriba").geonameid == 1
    assert capsys.readouterr() == ("", "")


def test_open_off_a_terminal_prints_plain_lines_on_stderr_only(tmp_path, fake_defaults, capsys):
    Gazetteer.open(tmp_path)  # progress=None: pytest's stderr is not a terminal
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert lines[0].startswith("gazetteer: building the index (")
    assert "gazetteer: writing index 5/5 (100%)" in err
    Gazetteer.open(tmp_path)  # built: nothing to report
    assert capsys.readouterr() == ("", "")


def test_build_index_reports_increasing_counts_in_its_long_stages(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_REPORT_EVERY", 2)
    monkeypatch.setattr(store, "_FOLD_BATCH", 3)
    seen: dict[str, list[tuple[int, int | None]]] = {}
    store.build_index(iter(RECORDS), tmp_path / "idx", fingerprint="test",
                      progress=lambda stage, done, total: seen.setdefault(stage, []).append(
                          (done, total)))  # fmt: skip
    assert list(seen) == ["reading places", "indexing names", "writing index"]
    for stage, calls in seen.items():
        counts = [done for done, _ in calls]
        assert counts == sorted(counts), stage
        assert calls[-1][0] == calls[-1][1], stage  # each stage ends at its total
    assert [done for done, _ in seen["reading places"]] == [0, 2, 4, 6, 7, 7]
    assert seen["reading places"][-1] == (7, 7)  # an iterator: the total is known at the end
    names = seen["indexing names"]
    assert len(names) > 3  # several batches, each reported
    assert {total for _, total in names} == {names[-1][1]}  # the total is known from the start


def test_build_index_of_a_list_knows_the_total_while_reading(tmp_path):
    seen = []
    store.build_index(RECORDS, tmp_path / "idx", fingerprint="test",
                      progress=lambda stage, done, total: seen.append((stage, done, total)))  # fmt: skip
    assert ("reading places", 0, len(RECORDS)) in seen


# ------------------------------------------------------------------ the second core


def _index_files(directory):
    """Every file of a built index but its manifest (which records when and which build)."""
    return {
        p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.name != "manifest.json"
    }


def _build(directory, monkeypatch, spare_cores):
    monkeypatch.setattr(store, "spare_cores", lambda: spare_cores)
    monkeypatch.setattr(build_workers, "_CHILD_MIN_KEYS", 1)  # children even for a few keys
    monkeypatch.setattr(store, "_REPORT_EVERY", 2)  # several batches for the fold child
    store.build_index(RECORDS * 2, directory, fingerprint="test")
    return _index_files(directory)


def test_children_on_a_spare_core_build_the_same_files(tmp_path, monkeypatch):
    alone = _build(tmp_path / "alone", monkeypatch, spare_cores=0)
    helped = _build(tmp_path / "helped", monkeypatch, spare_cores=1)
    assert helped == alone
    assert not [p for p in (tmp_path / "helped").iterdir() if "trie" in p.name or "fold" in p.name]


def test_children_that_fail_leave_the_work_to_the_build(tmp_path, monkeypatch):
    alone = _build(tmp_path / "alone", monkeypatch, spare_cores=0)
    monkeypatch.setattr(build_workers, "_CHILD_CODE", "import sys; sys.exit(3)")
    monkeypatch.setattr(
        build_workers, "_FOLD_CHILD_CODE", "import sys; sys.stdin.buffer.read(9); sys.exit(3)"
    )
    assert _build(tmp_path / "failed", monkeypatch, spare_cores=1) == alone


def test_a_record_line_is_cleaned_only_where_it_needs_it():
    def reference(r):  # every text field cleaned, as before the fast path
        clean = store._clean
        return "\t".join((str(r.geonameid), clean(r.name), repr(r.latitude), repr(r.longitude),
                          r.feature_class, r.feature_code, r.country_code, r.admin1_code,
                          r.admin2_code, str(r.population), clean(r.source), clean(r.point_source),
                          "|".join(map(clean, r.alternate_names)))).encode()  # fmt: skip

    odd = [
        PlaceRecord(8, "Tab\there", 1.0, 2.0, "P", "PPL", "SY", alternate_names=("a\nb", "c\rd")),
        PlaceRecord(9, "Plain", 1.0, 2.0, "P", "PPL", "SY", "0\t1", point_source="x\ny"),
        *RECORDS,
    ]
    for record in odd:
        assert store._record_line(record, record.alternate_names) == reference(record)


def test_a_failed_build_stops_its_children(tmp_path, monkeypatch):
    started = []
    popen = build_workers.subprocess.Popen

    def spy(*args, **kwargs):
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(build_workers.subprocess, "Popen", spy)
    monkeypatch.setattr(store, "spare_cores", lambda: 1)
    monkeypatch.setattr(build_workers, "_CHILD_MIN_KEYS", 1)
    monkeypatch.setattr(store, "_REPORT_EVERY", 2)  # the first batches are in when it breaks

    def records():
        yield from RECORDS
        raise RuntimeError("a source broke")

    with pytest.raises(RuntimeError, match="a source broke"):
        store.build_index(records(), tmp_path / "idx", fingerprint="test")
    assert started  # the fold child had started
    assert all(child.poll() is not None for child in started)
    assert not (tmp_path / "idx").exists()


# ------------------------------------------------------------------ the fast keys


TRICKY = [
    "", " ", "  DEIR\tEZ-ZOR\x00 ", "Deir ez-Zor Governorate", "Muhafazat Deir ez-Zor",
    "Governorate of Aleppo", "al", "al el", "Ar Raqqah", "Raqqah", "Ezzor", "as-Suwayda",
    "دير الزور", "دَيْر الزُّور", "Харківська область", "東京", "Sana’a", "Sanaʿa", "Ａｌｅｐｐｏ",
    "ﬁ", "İstanbul", "straße", "a\u2028b", "a\r\nb", "x\u200by", "Province", "of", "'''",
    "Mayadeen", "y", "hh", "ah", "Dair al-Zawr", "Deir ez\u2011Zor", "e", "ae ai aw", "\ufeffHoms",
]  # fmt: skip


def test_fold_keys_gives_name_keys_answers():
    keys = [exact_key(name) for name in TRICKY]
    folded, hints = fold_keys(keys)
    assert list(zip(folded, hints, strict=True)) == [name_key(n)[1:] for n in TRICKY]


def test_fold_keys_of_non_exact_keys_takes_the_sure_path():
    # a newline cannot be in an exact key; fold_keys still answers as _fold does
    from geo_events.gazetteer.normalize import _fold

    texts = ["a\nb", "Deir"]
    assert list(zip(*fold_keys(texts), strict=True)) == [_fold(t) for t in texts]


@given(st.lists(st.text(max_size=30), max_size=20))
def test_fold_keys_matches_name_key_on_any_text(names):
    folded, hints = fold_keys([exact_key(name) for name in names])
    assert list(zip(folded, hints, strict=True)) == [name_key(n)[1:] for n in names]


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_the_ascii_fast_path_of_exact_key_changes_nothing(name):
    import re
    import unicodedata

    from geo_events.gazetteer.normalize import _BREAKS, _CONTROL, _SPACES

    slow = _CONTROL.sub("", _BREAKS.sub(" ", unicodedata.normalize("NFKC", name))).casefold()
    assert exact_key(name) == re.sub(_SPACES, " ", slow).strip()


def test_progress_module_does_not_import_ipython_to_detect_a_notebook():
    import subprocess
    import sys

    code = (
        "import sys; from geo_events.gazetteer.progress import in_notebook; "
        "assert not in_notebook(); assert 'IPython' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
