from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from geo_events.errors import InputError, ValidationError
from geo_events.text.lexicons import LEXICON_FILES, Lexicons, data_file, read_table, read_words

DOCS = Path(__file__).resolve().parent.parent / "docs" / "lexicons.md"


def test_every_list_is_a_documented_packaged_file():
    documented = DOCS.read_text(encoding="utf-8")
    for name, file in LEXICON_FILES.items():
        assert data_file(file).is_file(), name
        assert f"`{file}`" in documented, f"{file} is not described in docs/lexicons.md"


def test_default_is_loaded_once_and_holds_every_list():
    lex = Lexicons.default()
    assert Lexicons.default() is lex
    assert "monday" in lex.stop_always and "nice" in lex.stop_initial
    assert "u.s" in lex.sentence_abbreviations and "the" in lex.english_words
    assert "province" in lex.place_suffixes and "eastern" in lex.directions
    assert lex.abbreviations["U.S."] == ("United States", "")
    assert not hasattr(lex, "_compiled")
    with pytest.raises(AttributeError):
        lex.actors = ()  # type: ignore[misc]


def test_user_files_extend_or_replace_the_packaged_list(tmp_path):
    words = tmp_path / "abbrev.txt"
    words.write_text("# mine\nbgen\n\n", encoding="utf-8")
    stop = tmp_path / "stop.csv"
    stop.write_text("word,policy\nAleppo,always\n", encoding="utf-8")
    lex = Lexicons.from_files(sentence_abbreviations=words, stopwords=[stop])
    assert "bgen" in lex.sentence_abbreviations and "u.s" in lex.sentence_abbreviations
    assert "aleppo" in lex.stop_always and "monday" in lex.stop_always
    only = Lexicons.from_files(sentence_abbreviations=words, replace=True)
    assert only.sentence_abbreviations == frozenset({"bgen"})
    assert only.stop_always == Lexicons.default().stop_always  # lists not given stay packaged


def test_a_user_abbreviation_overrides_the_packaged_one(tmp_path):
    mine = tmp_path / "a.csv"
    mine.write_text("abbreviation,name,country\nUS,Upper Silesia,PL\n", encoding="utf-8")
    assert Lexicons.from_files(abbreviations=mine).abbreviations["US"] == ("Upper Silesia", "PL")


def test_bad_files_are_named_with_their_line(tmp_path):
    with pytest.raises(InputError, match=r"unknown lexicon name.*stop_words.*valid names"):
        Lexicons.from_files(stop_words="x.csv")
    with pytest.raises(InputError, match="does not exist"):
        Lexicons.from_files(function_words=tmp_path / "absent.txt")
    bad = tmp_path / "actors.csv"
    bad.write_text("canonical,alias,kind\n# comment\nA,a,villain\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"actors\.csv: row 3: kind 'villain'"):
        Lexicons.from_files(actors=bad)
    headless = tmp_path / "orgs.csv"
    headless.write_text("title\nSyrian Democratic Forces\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"orgs\.csv.*lacks the column\(s\) \['name'\]"):
        Lexicons.from_files(organisations=headless)
    spaced = tmp_path / "abbr.csv"
    spaced.write_text("abbreviation,name\n#\nN. Y.,New York\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"abbr\.csv, row 3.*one word at a time"):
        Lexicons.from_files(abbreviations=spaced)


def test_readers_skip_comments_and_keep_line_numbers(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("\ufeffa, b\n# note\n1,2\n\n3\n", encoding="utf-8")
    assert read_table(table, ["a", "b"]) == [(3, {"a": "1", "b": "2"}), (5, {"a": "3", "b": ""})]
    words = tmp_path / "w.txt"
    words.write_text("  one \n#two\n\nthree\n", encoding="utf-8")
    assert read_words(words) == ["one", "three"]


@pytest.mark.parametrize(
    "module", ["geo_events.text.event_lexicons", "geo_events.text.toponym_lexicons"]
)
def test_old_modules_still_import_with_a_deprecation_warning(module):
    sys.modules.pop(module, None)
    with pytest.warns(DeprecationWarning, match="geo_events.text.lexicons"):
        old = importlib.import_module(module)
    assert old.Lexicons is Lexicons


def test_old_loaders_give_the_new_lexicons(tmp_path):
    extra = tmp_path / "stop.csv"
    extra.write_text("word,policy\naleppo,always\n", encoding="utf-8")
    with pytest.warns(DeprecationWarning, match=r"text\.load_lexicons is deprecated"):
        from geo_events.text import load_lexicons
    with pytest.warns(DeprecationWarning, match=r"text\.EventLexicons is deprecated"):
        from geo_events.text import EventLexicons
    assert EventLexicons is Lexicons
    assert "aleppo" in load_lexicons(extra_stopwords=[extra]).stop_always
    sys.modules.pop("geo_events.text.event_lexicons", None)
    with pytest.warns(DeprecationWarning, match="event_lexicons is deprecated"):
        from geo_events.text.event_lexicons import load_actor_entries
    assert load_actor_entries() == Lexicons.default().actors
