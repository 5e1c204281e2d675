import pandas as pd
import pytest

from geo_events.errors import InputError
from geo_events.gazetteer.batch import GEOCODE_COLUMNS, geocode_table


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "location": ["Deir Ezzor", "Dayr az Zawr", "Deir ez-Zor Governorate",
                         "Khirbet Umm Qwzzq", "zzkq qxv", None, "Paris", "Deir Ezzor"],
            "country": ["Syria", "SY", "Syria", "Syria", "Syria", "Syria", "US", "Syria"],
            "admin1": [None, None, None, "Deir ez-Zor", None, None, "Texas", None],
            "admin2": [None, None, None, "Mayadin District", None, None, None, None],
        },
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )  # fmt: skip


def test_every_row_comes_back_placed_or_with_a_reason(gazetteer, table):
    out = geocode_table(table, country="country", admin1="admin1", admin2="admin2",
                        gazetteer=gazetteer)  # fmt: skip
    assert list(out.columns) == list(GEOCODE_COLUMNS)
    assert out.index.equals(table.index)
    assert out.loc[10, "geonameid"] == 170794 and out.loc[10, "geo_precision"] == 1
    assert out.loc[11, "geonameid"] == 170794 and out.loc[11, "geo_precision"] == 1
    assert out.loc[12, "geonameid"] == 170792 and out.loc[12, "geo_precision"] == 3
    # unknown village: falls back to its admin2, precision 2, reason kept
    assert out.loc[13, "geocode_status"] == "admin2"
    assert out.loc[13, "geo_precision"] == 2
    assert out.loc[13, "admin2"] == "Mayadin District"
    assert "Khirbet Umm Qwzzq" in out.loc[13, "geocode_reason"]
    # garbage stays, unplaced, with a reason
    assert out.loc[14, "geocode_status"] == "unmatched"
    assert pd.isna(out.loc[14, "latitude"]) and pd.isna(out.loc[14, "geonameid"])
    assert "no place named" in out.loc[14, "geocode_reason"]
    assert out.loc[15, "geocode_status"] == "unmatched"
    assert out.loc[16, "iso"] == "US" and out.loc[16, "admin1"] == "Texas"
    assert out.loc[17, "geonameid"] == 170794


def test_admin_point_of_a_fallback_is_the_areas_own(gazetteer, table):
    out = geocode_table(table, country="country", admin1="admin1", admin2="admin2",
                        gazetteer=gazetteer)  # fmt: skip
    mayadin = gazetteer.geocode("Al Mayadin")
    assert out.loc[13, "latitude"] == pytest.approx(mayadin.latitude, abs=0.01)


def test_admin1_fallback_when_only_admin1_is_known(gazetteer):
    table = pd.DataFrame({"location": ["Qzzwx Tahtani"], "admin1": ["Aleppo"], "country": ["SY"]})
    out = geocode_table(table, country="country", admin1="admin1", gazetteer=gazetteer)
    assert out.loc[0, "geocode_status"] == "admin1"
    assert out.loc[0, "geonameid"] == 170062
    assert out.loc[0, "geo_precision"] == 3


def test_series_input_and_real_dtypes(gazetteer):
    out = geocode_table(pd.Series(["Aleppo", "Homs", 42]), gazetteer=gazetteer)
    assert str(out["geonameid"].dtype) == "Int64"
    assert str(out["geo_precision"].dtype) == "Int8"
    assert str(out["latitude"].dtype) == "Float64"
    assert out["geocode_status"].tolist() == ["matched", "matched", "unmatched"]
    assert "not a name" in out.loc[2, "geocode_reason"]


def test_each_distinct_name_is_resolved_once(gazetteer, monkeypatch):
    calls = []
    original = gazetteer.resolve

    def counting(name, **hints):
        calls.append(name)
        return original(name, **hints)

    monkeypatch.setattr(gazetteer, "resolve", counting)
    names = pd.Series(["Aleppo", "Homs"] * 500)
    out = geocode_table(names, gazetteer=gazetteer)
    assert len(out) == 1000
    assert sorted(calls) == ["Aleppo", "Homs"]


def test_unknown_country_value_is_ignored_with_a_reason(gazetteer):
    out = geocode_table(pd.DataFrame({"location": ["Aleppo"], "country": ["Narnia"]}),
                        country="country", gazetteer=gazetteer)  # fmt: skip
    assert out.loc[0, "geonameid"] == 170063
    assert "Narnia" in out.loc[0, "geocode_reason"]


def test_missing_column_is_a_clear_error(gazetteer):
    with pytest.raises(InputError, match="place"):
        geocode_table(pd.DataFrame({"location": ["x"]}), location="place", gazetteer=gazetteer)


def test_cells_that_are_no_names_get_reasons_not_exceptions(gazetteer):
    # found by tests/test_fuzz_gazetteer.py: a list cell made pandas factorizing fail;
    # lone surrogates reached Arrow; a float hint column then warned on fillna
    table = pd.DataFrame(
        {
            "location": pd.Series([["Aleppo"], "Aleppo\udce9", None, "Aleppo", {"a": 1}],
                                  dtype=object),
            "country": pd.Series([1.0, float("nan"), 2.0, float("nan"), None], dtype=object),
        }
    )  # fmt: skip
    out = geocode_table(table, country="country", gazetteer=gazetteer)
    assert out["geocode_status"].tolist() == [
        "unmatched", "unmatched", "unmatched", "matched", "unmatched"
    ]  # fmt: skip
    reasons = out["geocode_reason"].tolist()
    assert reasons[0].startswith("not a name: list")
    assert "lone surrogate" in reasons[1]
    assert "no name" in reasons[2]
    assert reasons[4].startswith("not a name: dict")


def test_tuple_cells_in_key_columns_are_no_names(gazetteer):
    # found by tests/test_fuzz_gazetteer.py: pandas reads a tuple in a multi-column key
    # as several levels (a deprecation warning today, an error in pandas 4)
    table = pd.DataFrame(
        {
            "location": pd.Series(["Aleppo", ("Aleppo",), "Homs"], dtype=object),
            "country": pd.Series([("Syria",), "Syria", "Syria"], dtype=object),
        }
    )
    out = geocode_table(table, country="country", gazetteer=gazetteer)
    assert out["geocode_status"].tolist() == ["matched", "unmatched", "matched"]
    assert out["geocode_reason"][1].startswith("not a name: tuple")
    assert out["geonameid"][0] == 170063  # Aleppo, the odd hint cell did no harm


def test_bad_table_arguments_are_input_errors(gazetteer):
    with pytest.raises(InputError, match="DataFrame or a Series"):
        geocode_table(["Aleppo"], gazetteer=gazetteer)
    with pytest.raises(InputError, match="column name"):
        geocode_table(pd.DataFrame({"location": ["Aleppo"]}), location=["x"], gazetteer=gazetteer)


def test_a_location_named_like_its_area_is_the_town_inside_it(gazetteer):
    # ACLED writes the town in `location` and the county in `admin1`: Kwale town, not the
    # centre of Kwale County 38 km away; written with an admin word, it stays the area.
    rows = pd.DataFrame({"location": ["Kwale", "Kwale County"], "country": ["Kenya"] * 2,
                         "admin1": ["Kwale", "Kwale"]})  # fmt: skip
    out = geocode_table(rows, country="country", admin1="admin1", gazetteer=gazetteer)
    town = gazetteer.resolve("Kwale", country="KE", kinds=("place",)).candidate
    assert town is not None
    assert out.loc[0, "geonameid"] == town.geonameid and out.loc[0, "geo_precision"] == 1
    assert out.loc[1, "geo_precision"] == 3  # the county itself


# ----------------------------- issue 15: keys of several columns, factorized column by column


def _expected_row(gazetteer, location, country, admin1, admin2):
    """What one row geocodes to, on its own (the cells as the table gives them)."""
    from geo_events.gazetteer.batch import _resolve_row

    def cell(value):
        return None if value is None or (isinstance(value, float) and value != value) else value

    cand, status, precision, reason = _resolve_row(
        gazetteer, cell(location), cell(country), cell(admin1), cell(admin2), True
    )
    return (None if cand is None else cand.geonameid, status, precision, reason or None)


def test_four_columns_equal_each_row_geocoded_on_its_own(gazetteer):
    import numpy as np

    rows = [
        ("Deir Ezzor", "Syria", None, None),
        ("Deir Ezzor", "Syria", None, None),
        ("Deir Ezzor", "SY", None, None),
        ("Paris", "US", "Texas", "Lamar County"),
        ("Paris", "France", None, None),
        ("Paris", "Atlantis", None, None),  # an unknown country, ignored with a reason
        ("Paris", None, "Texas", None),
        (None, "Syria", "Aleppo", None),
        (np.nan, "Syria", np.nan, np.nan),
        ("Khirbet Umm Qwzzq", "Syria", "Deir ez-Zor", "Mayadin District"),
        ("Qzzwx Tahtani", "SY", "Aleppo", None),
        ("Mandera", "Kenya", "Mandera", "Mandera East"),
        ("Aleppo", "Syria", "Aleppo", "Jebel Saman"),
        ("Aleppo", "Syria", "Aleppo", "Jebel Saman"),
        ("Homs", "Syria", "Homs", None),
        ("Springfield", "US", "Illinois", None),
        ("Springfield", "US", "Missouri", None),
        ("zzkq qxv", "Syria", None, None),
        ("\ufdd0", "\ufdd0", None, None),  # the missing-cell mark is a missing cell
    ]
    table = pd.DataFrame(rows, columns=["location", "country", "admin1", "admin2"])
    table.index = [f"r{i}" for i in range(len(table))]
    expected = [_expected_row(gazetteer, *row) for row in rows]
    expected[-1] = _expected_row(gazetteer, None, None, None, None)
    for frame in (table.astype(object), table.astype("str").where(table.notna())):
        out = geocode_table(frame, country="country", admin1="admin1", admin2="admin2",
                            gazetteer=gazetteer)  # fmt: skip
        assert out.index.equals(table.index)
        got = [
            (None if pd.isna(g) else int(g), s, None if pd.isna(p) else int(p),
             None if pd.isna(r) else r)
            for g, s, p, r in zip(out["geonameid"], out["geocode_status"], out["geo_precision"],
                                  out["geocode_reason"], strict=True)
        ]  # fmt: skip
        assert got == expected


def test_column_codes_combine_as_the_tuples_of_the_row(monkeypatch):
    """Combined codes group rows as their tuples do, also when the radix would overflow."""
    import numpy as np

    from geo_events.gazetteer import batch

    rng = np.random.default_rng(0)
    n = 5000
    frame = pd.DataFrame({
        "location": rng.choice(np.array(["a", "b", None, "c", "\ufdd0"], dtype=object), n),
        "country": rng.choice(np.array([1, 1.0, "x", None, np.nan], dtype=object), n),
        "admin1": [f"v{i}" for i in rng.integers(0, 4000, n)],
        "admin2": [f"w{i}" for i in rng.integers(0, 4000, n)],
    })  # fmt: skip
    used = {c: c for c in frame.columns}
    # a tiny int64 budget, so the codes are folded back (re-factorized) between columns
    monkeypatch.setattr(batch, "_RADIX_LIMIT", 1 << 14)
    codes, uniques = batch._factorize(frame, used, None)
    keys = frame.fillna(batch._MISSING).astype(object)
    reference, ref_uniques = pd.factorize(pd.MultiIndex.from_frame(keys), sort=False)
    assert (codes == reference).all()

    def plain(key):
        return tuple(None if isinstance(v, str) and v == batch._MISSING else v for v in key)

    assert [plain(u) for u in uniques] == [plain(u) for u in ref_uniques]
