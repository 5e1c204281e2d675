import pytest

from geo_events.gazetteer.normalize import exact_key, name_key, normalized_key

DEIR_EZ_ZOR = [
    "Deir ez-Zor",
    "Deir Ezzor",
    "Deir EzZor",
    "Dayr az Zawr",
    "Deir al-Zour",
    "Deir el-Zor",
    "DEIR EZ-ZOR",
    "Dair al-Zawr",
    "Deir ez‑Zor",  # non-breaking hyphen
]


@pytest.mark.parametrize("spelling", DEIR_EZ_ZOR)
def test_transliterations_of_deir_ez_zor_share_one_key(spelling):
    assert normalized_key(spelling) == normalized_key("Deir ez-Zor")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Raqqa", "Ar Raqqah"),
        ("Al-Raqqa", "ar-Raqqah"),
        ("Sanaa", "Sana'a"),
        ("Sana’a", "Sanaʿa"),
        ("El Fasher", "Al-Fashir"),
        ("Mayadeen", "Al Mayadin"),
    ],
)
def test_spelling_variants_meet(a, b):
    assert normalized_key(a) == normalized_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Homs", "Hama"), ("Paris", "Perth"), ("Deir ez-Zor", "Deir Hafer"), ("Aleppo", "Alep")],
)
def test_different_places_stay_apart(a, b):
    assert normalized_key(a) != normalized_key(b)


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("Deir ez-Zor Governorate", "Deir ez-Zor"),
        ("Deir ez-Zor province", "Deir ez-Zor"),
        ("Kharkiv Oblast", "Kharkiv"),
        ("Muhafazat Deir ez-Zor", "Deir ez-Zor"),
        ("Wilayat Nizwa", "Nizwa"),
    ],
)
def test_admin_words_are_stripped_and_flagged(name, base):
    key = name_key(name)
    assert key.admin_hint
    assert key.normalized == normalized_key(base)
    assert not name_key(base).admin_hint


def test_a_lone_admin_word_is_kept():
    # "Province" alone is a name, not a suffix to strip down to nothing
    assert name_key("Province").normalized
    assert not name_key("Province").admin_hint


def test_exact_key_casefolds_and_collapses_space_and_controls():
    assert exact_key("  DEIR\tEZ-ZOR\x00 ") == "deir ez-zor"


def test_arabic_script_keys_are_stable():
    assert normalized_key("دير الزور") == normalized_key("دَيْر الزُّور")  # harakat ignored
    assert exact_key("دير الزور") == "دير الزور"


@pytest.mark.parametrize("junk", ["", "   ", "---", "''"])
def test_junk_gives_empty_normalized_key(junk):
    assert normalized_key(junk) == ""
