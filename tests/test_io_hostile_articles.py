"""Hostile article inputs: odd names, special files, links, bad bytes, bad JSON, size limits.

Every entry of a folder must appear in what ``read_articles`` yields (an article
or an ``ArticleError`` with a reason), nothing may block or raise halfway, and
bad options are ``InputError`` at the call.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from geo_events.errors import InputError
from geo_events.io import articles as articles_module
from geo_events.io.articles import MAX_BYTES, ArticleError, read_articles
from geo_events.text.article import Article

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and sockets are POSIX")

STORY = (
    "Shelling near Homs\n\n"
    "HOMS, May 2, 2023 (Reuters) - Government artillery shelled rebel positions near Homs "
    "on Tuesday, killing three fighters, a monitoring group said.\n"
)
OTHER = "Clashes in Hama\n\nClashes erupted between rebels and the army near Hama on Monday.\n"


def read(path, **kw):
    return list(read_articles(path, **kw))


def by_path(items, root):
    """{path relative to root: item}; error records keep their ``:line`` / ``#n`` suffix."""
    out = {}
    for item in items:
        path = item.path or ""
        out[path[len(str(root)) + 1 :] if path.startswith(str(root)) else path] = item
    return out


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ names


def test_a_file_name_that_is_not_utf8_is_skipped_with_a_printable_reason(tmp_path):
    write(tmp_path / "good.txt", STORY)
    bad = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")
    with open(bad, "wb") as f:
        f.write(OTHER.encode())
    got = by_path(read(tmp_path), tmp_path)
    assert isinstance(got["good.txt"], Article)
    err = got["bad\\xff.txt"]
    assert isinstance(err, ArticleError) and "not valid UTF-8" in err.reason
    # printing and encoding the account must not raise UnicodeEncodeError
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    for item in got.values():
        print(item.path, getattr(item, "reason", ""), file=out)
    out.flush()


def test_a_path_given_that_is_not_utf8_is_a_record(tmp_path):
    bad = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(bad, "wb") as f:
        f.write(STORY.encode())
    (err,) = read(os.fsdecode(bad))
    assert "not valid UTF-8" in err.reason and err.path.endswith("caf\\xe9.txt")
    (err,) = read(bad)  # bytes paths too
    assert "not valid UTF-8" in err.reason


def test_a_folder_name_that_is_not_utf8_is_one_record(tmp_path):
    folder = os.path.join(os.fsencode(tmp_path), b"dir\xfe")
    os.mkdir(folder)
    with open(os.path.join(folder, b"inside.txt"), "wb") as f:
        f.write(STORY.encode())
    (err,) = read(tmp_path)
    assert err.path.endswith("dir\\xfe") and "folder name is not valid UTF-8" in err.reason


def test_a_path_with_a_nul_byte_is_a_record():
    (err,) = read("bad\x00name.txt")
    assert "NUL" in err.reason and "\x00" not in err.path


@pytest.mark.parametrize("path", [None, 3, ["a.txt"]])
def test_a_path_that_is_not_a_path_is_an_input_error(path):
    with pytest.raises(InputError, match="path must be"):
        read_articles(path)


# ------------------------------------------------------------------ special files


@posix_only
@pytest.mark.timeout(30)
def test_a_fifo_is_never_opened(tmp_path):
    write(tmp_path / "a.txt", STORY)
    os.mkfifo(tmp_path / "pipe.txt")
    got = by_path(read(tmp_path), tmp_path)
    assert isinstance(got["a.txt"], Article)
    assert "named pipe (FIFO)" in got["pipe.txt"].reason
    (err,) = read(tmp_path / "pipe.txt")  # given by name: still not opened
    assert "named pipe" in err.reason


@posix_only
@pytest.mark.timeout(30)
def test_a_socket_is_a_record():
    with tempfile.TemporaryDirectory(prefix="ge") as tmp:  # short: socket paths are limited
        path = os.path.join(tmp, "s.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(path)
            (err,) = read(tmp)
        finally:
            sock.close()
    assert err.path.endswith("s.sock") and "socket" in err.reason


def test_hidden_files_and_folders_are_skipped_with_a_reason(tmp_path):
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / ".draft.txt", OTHER)
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "notes.txt", OTHER)
    got = by_path(read(tmp_path), tmp_path)
    assert set(got) == {"a.txt", ".draft.txt", ".git"}
    assert got[".draft.txt"].reason == "hidden file: not read"
    assert "hidden folder" in got[".git"].reason
    (article,) = read(tmp_path / ".draft.txt")  # a hidden file given by name is read
    assert article.title == "Clashes in Hama"


def test_empty_folders_are_records(tmp_path):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "a.txt", STORY)
    got = by_path(read(tmp_path), tmp_path)
    assert got["empty"].reason == "directory holds no files"
    (err,) = read(tmp_path / "empty")
    assert err.reason == "directory holds no files"


# ------------------------------------------------------------------ links


def test_a_link_to_a_file_is_read_under_its_name_and_the_target_once(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside / "story.txt", STORY)
    root = tmp_path / "root"
    root.mkdir()
    (root / "linked.txt").symlink_to(outside / "story.txt")
    write(root / "z.txt", OTHER)
    (root / "z-again.txt").symlink_to(root / "z.txt")
    got = by_path(read(root), root)
    assert isinstance(got["linked.txt"], Article) and got["linked.txt"].id == "linked"
    assert isinstance(got["z-again.txt"], Article)  # first in sorted order: read
    assert "same file as" in got["z.txt"].reason and "z-again.txt" in got["z.txt"].reason


def test_a_link_to_a_folder_is_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(outside / "story.txt", STORY)
    root = tmp_path / "root"
    root.mkdir()
    (root / "more").symlink_to(outside)
    got = by_path(read(root), root)
    assert got[os.path.join("more", "story.txt")].id == os.path.join("more", "story")


def test_link_loops_and_broken_links_are_records(tmp_path):
    write(tmp_path / "a.txt", STORY)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)  # back to an ancestor
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # ELOOP
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    got = by_path(read(tmp_path), tmp_path)
    assert set(got) == {"a.txt", os.path.join("sub", "up"), "self.txt", "gone.txt"}
    assert "symbolic link loop" in got[os.path.join("sub", "up")].reason
    assert "symbolic link loop" in got["self.txt"].reason
    assert "broken symbolic link" in got["gone.txt"].reason
    (err,) = read(tmp_path / "gone.txt")
    assert "broken symbolic link" in err.reason


# ------------------------------------------------------------------ unreadable


def _refuse(monkeypatch, name, target):
    """Make ``articles_module.os.<name>`` raise PermissionError for ``target`` (CI runs as root)."""
    real = getattr(os, name)

    def fake(path, *args, **kwargs):
        if os.fspath(path) == str(target):
            raise PermissionError(13, "Permission denied", str(target))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(articles_module.os, name, fake)


def test_an_unreadable_file_is_skipped_and_the_rest_read(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "locked.txt", OTHER)
    _refuse(monkeypatch, "open", tmp_path / "locked.txt")
    got = by_path(read(tmp_path), tmp_path)
    assert isinstance(got["a.txt"], Article)
    assert got["locked.txt"].reason == "cannot read: Permission denied"


def test_an_unlistable_folder_is_a_record(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", STORY)
    (tmp_path / "private").mkdir()
    write(tmp_path / "private" / "b.txt", OTHER)
    _refuse(monkeypatch, "scandir", tmp_path / "private")
    got = by_path(read(tmp_path), tmp_path)
    assert got["private"].reason == "cannot list directory: Permission denied"
    assert isinstance(got["a.txt"], Article)


def test_a_read_error_midway_is_a_record(tmp_path, monkeypatch):
    write(tmp_path / "a.txt", STORY)

    def failing_stream(*args, **kwargs):
        raise OSError(5, "Input/output error")
        yield  # pragma: no cover

    monkeypatch.setattr(articles_module, "_read_stream", failing_stream)
    (err,) = read(tmp_path / "a.txt")
    assert err.reason == "cannot read: Input/output error"


def test_undecodable_and_binary_bytes_are_records(tmp_path):
    (tmp_path / "nul.txt").write_bytes(b"Title\n\n\x00\x00\x00 body \x00")
    (tmp_path / "controls.txt").write_bytes(bytes(range(1, 9)) * 50)
    (tmp_path / "latin1.txt").write_bytes("Título\n\nAtaque en Alepo.".encode("latin-1"))
    got = by_path(read(tmp_path), tmp_path)
    assert "binary" in got["nul.txt"].reason and "binary" in got["controls.txt"].reason
    assert got["latin1.txt"].title == "Título"


# ------------------------------------------------------------------ JSON


def test_empty_json_arrays_and_empty_jsonl_are_records(tmp_path):
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text("\n  \n\n", encoding="utf-8")
    (tmp_path / "zero.jsonl").write_bytes(b"")
    (tmp_path / "object.json").write_text("{}", encoding="utf-8")
    got = by_path(read(tmp_path), tmp_path)
    assert set(got) == {"empty.json", "blank.jsonl", "zero.jsonl", "object.json#0"}
    assert "empty JSON array" in got["empty.json"].reason
    assert got["blank.jsonl"].reason == got["zero.jsonl"].reason == "empty input"
    assert "neither 'text' nor 'title'" in got["object.json#0"].reason


def test_every_json_line_is_accounted_for(tmp_path):
    lines = [
        json.dumps({"title": "Good", "text": "Clashes near Hama."}),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"title": ["a", "list"], "text": "x"}),
        json.dumps({"title": "Cell", "text": {"a": "dict"}}),
        json.dumps({"title": "Number id", "text": "x", "id": 7}),
        json.dumps({"title": "Odd id", "text": "x", "id": {"n": 1}}),
        json.dumps({"title": float("nan"), "text": "NaN title, text kept.", "published": None}),
        '{"title": "Lone \\ud800 surrogate", "text": "Body \\udcff."}',
        "[" * 50_000 + "]" * 50_000,
        "",
        json.dumps({"title": "Last", "text": "y"}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    got = read(tmp_path / "feed.jsonl")
    where = [item.path if isinstance(item, ArticleError) else item.id for item in got]
    assert where == [
        "feed:1",
        f"{tmp_path}/feed.jsonl:2",
        f"{tmp_path}/feed.jsonl:3",
        f"{tmp_path}/feed.jsonl:4",
        f"{tmp_path}/feed.jsonl:5",
        "7",
        f"{tmp_path}/feed.jsonl:7",
        "feed:8",
        "feed:9",
        f"{tmp_path}/feed.jsonl:10",
        "feed:12",
    ]
    assert "not JSON" in got[1].reason
    assert "a JSON array, expected an object" in got[2].reason
    assert got[3].reason == "field 'title' is a JSON array, expected text"
    assert got[4].reason == "field 'text' is a JSON object, expected text"
    assert got[6].reason == "field 'id' is a JSON object, expected text"
    assert got[7].title == "NaN title, text kept."  # a NaN title is no title: first line
    assert got[8].title == "Lone \ufffd surrogate" and got[8].text == "Body \ufffd."
    assert "nested too deeply" in got[9].reason or "not JSON" in got[9].reason


def test_a_json_line_that_is_not_utf8_is_decoded_or_a_record(tmp_path):
    good = json.dumps({"title": "Fine", "text": "Body."}).encode()
    latin = '{"title": "Título", "text": "Ataque en Alepo."}'.encode("latin-1")
    (tmp_path / "mixed.jsonl").write_bytes(good + b"\n" + latin + b"\n")
    a, b = read(tmp_path / "mixed.jsonl")
    assert a.title == "Fine"
    assert isinstance(b, (Article, ArticleError))
    if isinstance(b, ArticleError):
        assert b.path.endswith(":2")


def test_a_feed_is_never_read_as_a_file_name(tmp_path):
    # feedparser opens bytes that name a file; the reader hands it the bytes as a stream
    (tmp_path / "wire.rss").write_bytes(str(tmp_path / "secret.rss").encode())
    write(
        tmp_path / "secret.rss", "<rss><channel><item><title>Secret</title></item></channel></rss>"
    )
    got = by_path(read(tmp_path), tmp_path)
    assert isinstance(got["wire.rss"], ArticleError) and "no feed entries" in got["wire.rss"].reason


# ------------------------------------------------------------------ size limits


def test_a_file_over_max_bytes_is_skipped_naming_the_limit_and_option(tmp_path):
    write(tmp_path / "small.txt", STORY)
    write(tmp_path / "big.txt", STORY + "More shelling was reported. " * 100)
    got = by_path(read(tmp_path, max_bytes=1_000), tmp_path)
    assert isinstance(got["small.txt"], Article)
    reason = got["big.txt"].reason
    assert "1,000 bytes" in reason and "max_bytes" in reason
    (err,) = read(tmp_path / "big.txt", max_bytes=1_000)
    assert "max_bytes" in err.reason
    (article,) = read(tmp_path / "big.txt", max_bytes=None)
    assert article.title == "Shelling near Homs"


def test_jsonl_limits_apply_per_line_and_the_file_may_be_larger(tmp_path):
    rows = [
        json.dumps({"title": f"Report {i}", "text": "Clashes near Hama. " * 5}) for i in range(40)
    ]
    rows.insert(3, json.dumps({"title": "Huge", "text": "x" * 5_000}))
    path = write(tmp_path / "many.jsonl", "\n".join(rows))
    assert path.stat().st_size > 5_000
    got = read(path, max_bytes=1_000)
    assert len(got) == 41
    errors = [g for g in got if isinstance(g, ArticleError)]
    assert [e.path for e in errors] == [f"{path}:4"]
    assert "max_bytes" in errors[0].reason and "1,000 bytes" in errors[0].reason


def test_an_overlong_last_jsonl_line_is_a_record(tmp_path):
    path = tmp_path / "tail.jsonl"
    path.write_bytes(json.dumps({"title": "A", "text": "b"}).encode() + b"\n" + b"x" * (3 << 20))
    ok, err = read(path, max_bytes=1 << 20)
    assert ok.title == "A" and err.path.endswith(":2") and "max_bytes" in err.reason


def test_stdin_over_max_bytes_is_a_record(monkeypatch):
    data = (STORY * 50).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    (err,) = read("-", max_bytes=500)
    assert err.path == "<stdin>" and "max_bytes" in err.reason


def test_stdin_jsonl_is_streamed(monkeypatch):
    rows = "\n".join(json.dumps({"title": f"T{i}", "text": "Body."}) for i in range(3))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(rows.encode())))
    assert [a.title for a in read("-", max_bytes=100)] == ["T0", "T1", "T2"]


def test_the_default_limit():
    assert MAX_BYTES == 50 * 1024 * 1024


@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), 1.5, "10", True])
def test_bad_max_bytes_is_an_input_error_at_the_call(value):
    with pytest.raises(InputError, match="max_bytes must be a positive whole number"):
        read_articles("anything", max_bytes=value)


@pytest.mark.parametrize("value", [float("inf"), "yesterday", [2020], 20200101])
def test_bad_published_is_an_input_error_at_the_call(value):
    with pytest.raises(InputError, match="published"):
        read_articles("anything", published=value)


def test_published_may_be_an_iso_string_or_missing(tmp_path):
    write(tmp_path / "a.txt", OTHER)
    (a,) = read(tmp_path / "a.txt", published="2023-05-02")
    assert a.published == dt.date(2023, 5, 2)
    (b,) = read(tmp_path / "a.txt", published=float("nan"))
    assert b.published is None


def test_unsupported_and_compressed_inputs_are_records_not_unpacked(tmp_path):
    (tmp_path / "bundle.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 20)
    (tmp_path / "story.txt.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 20)
    got = by_path(read(tmp_path), tmp_path)
    assert "unsupported file type '.zip'" in got["bundle.zip"].reason
    assert "unsupported file type '.gz'" in got["story.txt.gz"].reason


# ------------------------------------------------------------------ boilerplate, end to end


def test_a_boilerplate_line_mid_article_keeps_the_paragraphs_after_it(tmp_path):
    text = (
        "Fighting in Idlib\n\n"
        "Government forces shelled villages south of Idlib on Monday, residents said.\n\n"
        "Subscribe to our newsletter\n\n"
        "Rebel groups said they had pushed back an attack near Saraqeb overnight.\n\n"
        "Tags: Syria, Idlib\n\n"
        "The monitoring group said at least four people were killed in the clashes.\n\n"
        "You might also like\n\n"
        "Five things to know about the war\n\n"
        "Photos: a city in ruins\n"
    )
    (a,) = read(write(tmp_path / "idlib.txt", text))
    assert "pushed back an attack near Saraqeb" in a.text
    assert "at least four people were killed" in a.text
    assert "Subscribe" not in a.text and "Tags:" not in a.text
    assert "You might also like" not in a.text and "Photos" not in a.text


# ------------------------------------------------------------------ the command line


@posix_only
@pytest.mark.timeout(300)
def test_extract_on_a_hostile_folder_end_to_end(tmp_path, gazetteer, gazetteer_dir):
    folder = tmp_path / "news"
    folder.mkdir()
    write(folder / "homs.txt", STORY)
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as f:
        f.write(OTHER.encode())
    os.mkfifo(folder / "pipe.txt")
    write(folder / ".hidden.txt", OTHER)
    (folder / "empty.json").write_text("[]", encoding="utf-8")
    (folder / "lines.jsonl").write_text('{"title": ["x"]}\nnot json\n', encoding="utf-8")
    (folder / "loop").symlink_to(folder)
    out = tmp_path / "events.geojson"
    env = {
        **os.environ,
        "GEO_EVENTS_CACHE_DIR": str(gazetteer_dir),
        "PYTHONIOENCODING": "utf-8:strict",
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from geo_events.cli import main; main()",
            "extract",
            str(folder),
            "-o",
            str(out),
        ],
        capture_output=True,
        env=env,
        timeout=240,
        check=False,
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 0, stderr
    assert "Traceback" not in stderr
    for shown in (
        "bad\\xff.txt",
        "pipe.txt",
        ".hidden.txt",
        "empty.json",
        "lines.jsonl:1",
        "lines.jsonl:2",
        "loop",
    ):
        assert shown in stderr, shown
    events = json.loads(out.read_text(encoding="utf-8"))
    assert events["features"], stderr
