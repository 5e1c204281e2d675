"""The :class:`Gazetteer`: search, geocode, resolve and reverse over a built index.

A lookup reads the query's two keys (:mod:`.normalize`), collects the rows that
carry either, and ranks them by

    match score (exact 1.0, alternate 0.95, normalized 0.85, fuzzy ≤ 0.75)
    + the row's prior (kind and population, fixed at build time)
    + hint bonuses (admin1/admin2 named, closeness to a point)

with ``country``, ``kinds`` and an ``admin1`` that names a known area acting as
filters. A name that ends in an
administrative word ("… Governorate") keeps only admin areas when any match.
A name that cannot be looked up never raises: :meth:`Gazetteer.resolve` returns
a :class:`Resolution` whose ``reason`` says why nothing was chosen. A bad option
(``near=``, ``limit=``, ``kinds=``, an unknown hint) raises a
:class:`~geo_events.errors.GazetteerError` naming it (:mod:`.arguments`).

A damaged index never answers. Every lookup reads the index through
:class:`~geo_events.gazetteer.store.Index`, whose checks raise
:class:`~geo_events.errors.IndexCorruptError`; a gazetteer opened with
:meth:`Gazetteer.open` then rebuilds its index (atomically, under the build
lock: :mod:`.integrity`), swaps it in and asks again, once.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import math
import os
import threading
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar

import numpy as np

from geo_events.errors import (
    GazetteerError,
    GazetteerQueryError,
    GazetteerSourceError,
    IndexCorruptError,
)
from geo_events.gazetteer.abbreviations import Abbreviation, abbreviations_of
from geo_events.gazetteer.arguments import (
    as_count,
    as_distance,
    as_flag,
    as_hint,
    as_point,
    check_names,
    is_missing,
    point_of,
)
from geo_events.gazetteer.integrity import clean_stale, index_lock
from geo_events.gazetteer.nearest import PlaceTree
from geo_events.gazetteer.normalize import MAX_NAME_LENGTH, exact_key, name_key, normalized_key
from geo_events.gazetteer.records import (
    MATCH_SCORES,
    Candidate,
    Kind,
    MatchType,
    PlaceRecord,
    Resolution,
    deferred_candidate,
    haversine_km,
    read_fields,
)
from geo_events.gazetteer.spelling import (
    abbreviation_shaped,
    is_generic,
    is_latin,
    light_form,
    may_have_light_form,
    spelling_fits,
    typo_fits,
    written_by_people,
)
from geo_events.gazetteer.store import (
    BEST_ALTERNATE,
    BEST_EXACT,
    BEST_NEEDS_RANKING,
    BEST_NORMALIZED,
    KIND_CODES,
    Index,
    LazyRecord,
    ProgressCallback,
    build_index,
    check_index,
    read_manifest,
)

__all__ = ["Gazetteer", "KindsLike"]

logger = logging.getLogger(__name__)

KindsLike = Kind | str | Iterable[Kind | str] | None
_ADMIN_KINDS = frozenset({Kind.ADMIN1, Kind.ADMIN2})
_ADMIN2_ONLY = frozenset({Kind.ADMIN2})
_PLACE_ONLY = frozenset({Kind.PLACE})
_KIND_VALUES = frozenset(k.value for k in Kind)
_BEST_MATCH = {
    BEST_EXACT: MatchType.EXACT,
    BEST_ALTERNATE: MatchType.ALTERNATE,
    BEST_NORMALIZED: MatchType.NORMALIZED,
}
#: Indexes with more places than this are memory-mapped rather than preloaded.
PRELOAD_MAX_PLACES = 2_000_000
#: Fuzzy matches below this rapidfuzz ratio (0-100) are not reported.
FUZZY_CUTOFF = 84.0


_P = ParamSpec("_P")
_R = TypeVar("_R")

#: The hints :meth:`Gazetteer.resolve` (and so ``geocode``) takes.
RESOLVE_HINTS = frozenset({"country", "admin1", "admin2", "kinds", "near", "fuzzy", "alternatives"})
_TEXT_HINTS = frozenset({"country", "admin1", "admin2"})


def _kind_set(kinds: KindsLike) -> frozenset[Kind] | None:
    if kinds is None:
        return None
    if isinstance(kinds, frozenset) and all(isinstance(k, Kind) for k in kinds):
        return kinds
    if isinstance(kinds, (str, Kind)):
        kinds = [kinds]
    try:
        return frozenset(Kind(k) for k in kinds)
    except (ValueError, TypeError) as exc:
        valid = ", ".join(k.value for k in Kind)
        shown = repr(kinds) if len(repr(kinds)) <= 60 else repr(kinds)[:57] + "..."
        raise GazetteerQueryError(f"kinds={shown}: unknown kind; valid kinds: {valid}") from exc


def _encodable(text: str) -> bool:
    """Whether ``text`` can be a trie key (UTF-8: no lone surrogates)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _recovering(
    method: Callable[Concatenate[Gazetteer, _P], _R],
) -> Callable[Concatenate[Gazetteer, _P], _R]:
    """Run a lookup; on a damaged index, rebuild it (when the gazetteer can) and ask again once."""

    @functools.wraps(method)
    def guarded(self: Gazetteer, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        index = self.index
        try:
            return method(self, *args, **kwargs)
        except IndexCorruptError as exc:
            self._recover(index, exc)
        return method(self, *args, **kwargs)

    return guarded


def _query_problem(name: object) -> str:
    """Return why ``name`` cannot be a place name, or "" when it can be looked up."""
    if type(name) is str and name[:1].isalpha() and name.isascii() and len(name) <= MAX_NAME_LENGTH:
        return ""  # the common case: a letter first (so not blank), nothing to encode
    if not isinstance(name, str):
        if name is None:
            return "no name (None)"
        if isinstance(name, float) and math.isnan(name):
            return "no name (NaN)"
        if is_missing(name):
            return "no name (missing value)"
        shown = repr(name) if len(repr(name)) <= 40 else repr(name)[:37] + "..."
        return f"not a name: {type(name).__name__} {shown}"
    if len(name) > MAX_NAME_LENGTH:
        return f"too long for a place name ({len(name)} characters)"
    if not _encodable(name):
        return (
            f"not valid text: {name[:40]!r} holds a lone surrogate (bytes decoded with "
            "errors='surrogateescape', e.g. a non-UTF-8 file name); decode it properly first"
        )
    if not name.strip():
        return "empty name"
    if not any(ch.isalpha() for ch in name):
        return f"no letters in {name!r}"
    return ""


def _gazetteer_at(directory: str) -> Gazetteer:
    """The gazetteer of the built index at ``directory``, mapped (how a pickle reopens)."""
    return Gazetteer(Index(directory, verify=False, preload=False))


class Gazetteer:
    """Offline place lookup over a built index.

    Open the default gazetteer (built on first use, then cached) with
    :meth:`open`, or build one from your own records with :meth:`from_records`.

    Examples
    --------
    >>> gaz = Gazetteer.open()  # doctest: +SKIP
    >>> gaz.geocode("Deir Ezzor").geonameid  # doctest: +SKIP
    170794
    """

    def __init__(self, index: Index, *, reopen: Callable[[Index], Index] | None = None) -> None:
        self.index = index
        # reopen(bad_index) returns a sound index in its place (Gazetteer.open rebuilds)
        self._reopen = reopen
        self._swap = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._buckets: dict[str, list[str]] | None = None
        self._places: PlaceTree | None = None
        self._resolve_cached = lru_cache(maxsize=1 << 17)(self._resolve)
        self._admin_name = lru_cache(maxsize=1 << 16)(self._admin_name_uncached)
        # what hinted lookups ask again and again (a table's countries and admin areas)
        self._country_code_of = lru_cache(maxsize=1 << 12)(self._country_code_uncached)
        self._admin_codes_of = lru_cache(maxsize=1 << 15)(self._admin_codes_uncached)
        self._admin_codes_exact = lru_cache(maxsize=1 << 15)(self._admin_codes_exact_uncached)
        self._codes_of: Callable[[int], tuple[str, str, str]] = lru_cache(maxsize=1 << 16)(
            self._row_codes
        )
        self._code_texts: dict[bytes, tuple[str, str, str]] = {}  # one tuple per combination
        self._line_starts: array[int] | None = None
        self._country_names: dict[str, str] | None = None
        self._areas_by_admin1: dict[str, list[int]] | None = None
        # candidates of an index checked on first touch are read in the lookup
        self._read_now = self.index._lazy is not None
        if not self._read_now and len(self.index) <= PRELOAD_MAX_PLACES:
            # a preloaded index, checked at open: each row's codes read once, kept per row
            self._line_starts = array("q", np.asarray(self.index.record_offsets).tobytes())
            self._codes_of = _RowMemo(self._row_codes, len(self.index))
        self._fields_of = _FieldReader(self.index, self._admin_name, self._line_starts)
        # the build-time best row of each exact key, as bytes and a list when preloaded
        best_row = self.index.exact_best_row
        self._best: tuple[bytes, list[int]] | None = (
            (self.index.exact_best_match.tobytes(), best_row)
            if isinstance(best_row, list) and not self._read_now
            else None
        )

    def _recover(self, bad: Index, exc: IndexCorruptError) -> None:
        """Put a sound index in place of ``bad`` (once, whichever thread sees it first)."""
        with self._swap:
            if self.index is not bad:
                return  # another thread swapped it already
            if self._reopen is None:
                raise exc
            logger.warning("%s; rebuilding it", exc)
            self.index = self._reopen(bad)
            self._reset()

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        cache_dir: str | os.PathLike[str] | None = None,
        *,
        name: str | None = None,
        supplements: Sequence[str | os.PathLike[str]] = (),
        geonames: Any = None,
        rebuild: bool = False,
        progress: ProgressCallback | bool | None = None,
        verify: bool = False,
        preload: bool = True,
    ) -> Gazetteer:
        """Open the gazetteer, building its index first if needed.

        Parameters
        ----------
        cache_dir
            Where the index lives; default :func:`~geo_events.gazetteer.cache.default_cache_dir`.
        name
            The named gazetteer (:mod:`~geo_events.gazetteer.named`): its sources are
            the built-in ones plus what was imported into it. Default: the one in use
            (``$GEO_EVENTS_GAZETTEER``, else ``geo-events gazetteer use``, else
            ``default``). A path to a built index directory opens that index as is.
        supplements
            Extra CSV files in the supplement format (gazetteer/README.md), for this
            call only (:func:`~geo_events.gazetteer.named.add_sources` keeps them).
        geonames
            A :class:`~geo_events.gazetteer.geonames.GeoNamesDump` (or a list of
            them) to merge in, for this call only.
        rebuild
            Build even when a current index exists.
        progress
            A callback ``(stage, done, total)``, True for a progress bar on
            stderr, or None for a bar only when stderr is a terminal.
        verify
            Check every index file's checksum before use (sizes are always
            checked; a build always verifies).
        preload
            Read the index into memory (~0.1 s, ~90 MB) rather than map it
            lazily; lookups are then fast from the first one.
        """
        from geo_events.gazetteer.cache import default_cache_dir, sources_fingerprint
        from geo_events.gazetteer.named import chosen_name, gazetteer_sources, is_index_path

        root = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        chosen = chosen_name(name, root)
        if is_index_path(chosen):
            return cls.from_index(chosen, verify=verify, preload=preload)
        named = gazetteer_sources(chosen, root)
        # sources given here that the named gazetteer already holds are its own
        given = {Path(d.places).resolve(): d for d in _as_dumps(geonames)}
        dumps = [given.pop(Path(d.places).resolve(), d) for d in named.dumps()]
        dumps += given.values()
        held = {Path(p).resolve() for p in named.supplements}
        extra = [p for p in supplements if Path(p).resolve() not in held]
        supplements = [*named.supplements, *extra]
        try:
            imported = [path for dump in dumps for path in dump.paths()]
            fingerprint = sources_fingerprint(supplements, imported, named.table_places)
        except FileNotFoundError as exc:
            if isinstance(exc, GazetteerSourceError):
                raise
            raise GazetteerSourceError(
                f"{exc.filename}, a source of the gazetteer {chosen!r}, is missing; restore it, "
                f"or remove the gazetteer ('geo-events gazetteer remove {chosen}')"
            ) from exc
        ad_hoc = bool(extra or given)
        folder = f"custom-{fingerprint[:12]}" if ad_hoc else chosen
        directory = root / f"gazetteer-v{_format()}" / folder
        clean_stale(directory.parent)  # builds killed half way, whoever ran them

        def build() -> None:
            callback, finish = _progress_callback(progress)
            try:
                _build_default(directory, fingerprint, supplements, dumps, named.table_places,
                               callback)  # fmt: skip
            finally:
                finish()

        def reopen(bad: Index | None, force: bool = False) -> Index:
            return _open_or_build(directory, fingerprint, build, preload=preload, verify=verify,
                                  force=force, bad=bad)  # fmt: skip

        return cls(reopen(None, rebuild), reopen=reopen)

    @classmethod
    def from_index(
        cls, directory: str | os.PathLike[str], *, verify: bool = False, preload: bool = True
    ) -> Gazetteer:
        """Open a built index directory as it is: no rebuild, whatever its sources.

        For an index copied from another machine (``gazetteer info`` shows where
        an index lives); its files are checked as for any open.
        """
        path = Path(directory).expanduser()
        problem = check_index(path, None, verify=verify)
        if problem:
            raise GazetteerError(f"{path} is not a usable gazetteer index: {problem}")
        return cls(Index(path, verify=verify, preload=preload))

    @classmethod
    def from_records(
        cls,
        records: Iterable[PlaceRecord],
        directory: str | os.PathLike[str],
        *,
        demonyms: dict[str, str] | None = None,
    ) -> Gazetteer:
        """Build a gazetteer of ``records`` into ``directory`` and open it."""
        build_index(records, directory, fingerprint="custom", demonyms=demonyms)
        return cls(Index(directory))  # the records are gone: a damaged index raises

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Pickle as the index's path: a worker process reopens the same index, mapped.

        Dask, ``multiprocessing`` and ``concurrent.futures`` pass a gazetteer to
        workers this way; the caches are per process and start empty, and the
        pages of a mapped index are shared between processes by the OS.
        """
        return (_gazetteer_at, (str(self.index.directory),))

    def __len__(self) -> int:
        return len(self.index)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self):,} places at {self.index.directory}>"

    def info(self) -> dict[str, Any]:
        """Return what the index holds: counts per kind, sources, build time."""
        kinds = np.bincount(np.asarray(self.index.kind), minlength=len(KIND_CODES))
        manifest = self.index.manifest
        return {
            "directory": str(self.index.directory),
            "places": len(self),
            "kinds": {k.value: int(c) for k, c in zip(KIND_CODES, kinds, strict=True)},
            "exact_keys": manifest.get("exact_keys"),
            "normalized_keys": manifest.get("normalized_keys"),
            "demonyms": len(self.index.demonyms),
            "built": manifest.get("built"),
            "fingerprint": manifest.get("fingerprint"),
        }

    # -------------------------------------------- the text layer's surface (PlaceLookup)

    @property
    def demonyms(self) -> Mapping[str, str]:
        """Casefolded demonym → ISO2 code ("syrian" → "SY"), as the index holds it; read-only."""
        return self.index.demonyms

    def country_names(self) -> Mapping[str, str]:
        """Casefolded country name → ISO2 code ("russia" → "RU"), from the country records.

        Read once per index; a record that cannot be read is left out.
        """
        names = self._country_names
        if names is None:
            ix = self.index
            names = {}
            for cc, row in dict(ix.countries).items():
                try:
                    names[str(ix.record(int(row))["name"]).casefold()] = cc
                except (KeyError, IndexError, TypeError, ValueError, IndexCorruptError):
                    continue
            self._country_names = names
        return names

    def country_candidate(
        self,
        code: str,
        match_type: MatchType | str = MatchType.EXACT,
        score: float = 1.0,
        rank: float = 0.0,
        matched: str = "",
    ) -> Candidate | None:
        """Return the country whose ISO2 code is ``code`` as a :class:`Candidate`, or None.

        Examples
        --------
        >>> gaz.country_candidate("SY").name  # doctest: +SKIP
        'Syria'
        """
        row = self.index.countries.get(code) if isinstance(code, str) else None
        return None if row is None else self.candidate(row, match_type, score, rank, matched)

    def exact_prefixes(self, text: str) -> list[str]:
        """Return the exact-name keys that are prefixes of ``text``, shortest first.

        ``text`` is folded as exact keys are (:func:`~geo_events.gazetteer.exact_key`
        without its trimming); toponym recognition walks a text with this, one
        word start at a time (about a microsecond a call).
        """
        return self.index.exact.trie.prefixes(text)  # type: ignore[no-any-return]

    def has_normalized_key(self, key: str) -> bool:
        """Whether ``key`` (a :func:`~geo_events.gazetteer.normalized_key`) names a place."""
        return key in self.index.normalized.trie

    # ------------------------------------------------------------------ helpers

    def demonym_country(self, word: str) -> str | None:
        """Return the country code a demonym names ("Syrian" → "SY"), or None."""
        return self.index.demonyms.get(exact_key(word)) if isinstance(word, str) else None

    @_recovering
    def country_code(self, country: str | None) -> str | None:
        """Return the ISO alpha-2 code of a country given by code, name or demonym."""
        return self._country_code(country)

    def _country_code(self, country: Any) -> str | None:
        if type(country) is str:
            return self._country_code_of(country)
        return self._country_code_uncached(country)

    def _country_code_uncached(self, country: Any) -> str | None:
        if not isinstance(country, str) or not country.strip() or len(country) > MAX_NAME_LENGTH:
            return None
        text = country.strip()
        if len(text) == 2 and text.isascii() and text.isalpha():
            return text.upper()  # an ISO code, even of a country the index lacks
        demonym = self.demonym_country(text)
        if demonym:
            return demonym
        for row in self._rows_for(text)[0]:
            if KIND_CODES[self.index.kind_list[row]] is Kind.COUNTRY:
                return self.index.head(row)[6]
        return None

    def _rows_for(self, name: str) -> tuple[list[int], dict[int, MatchType]]:
        rows: list[int] = []
        how: dict[int, MatchType] = {}
        if not _encodable(name):
            return rows, how
        exact, normalized, _ = name_key(name)
        ix = self.index
        key_id = ix.exact.trie.get(exact)
        if key_id is not None:
            found, flags = ix.postings("exact", key_id)
            for row, primary in zip(found, flags or [], strict=False):
                rows.append(row)
                how[row] = MatchType.EXACT if primary else MatchType.ALTERNATE
        if normalized:
            key_id = ix.normalized.trie.get(normalized)
            if key_id is not None:
                for row in ix.postings("normalized", key_id)[0]:
                    if row not in how:
                        rows.append(row)
                        how[row] = MatchType.NORMALIZED
        return rows, how

    def _fuzzy_buckets(self) -> dict[str, list[str]]:
        """Group the normalized keys by their first or last 3 (and 4) letters and length.

        Built on the first fuzzy lookup (~1 s). A misspelling rarely touches both
        ends of a name, and a ratio above the cutoff allows a length difference
        of at most two, so comparing the query with the keys sharing its head or
        its tail, at lengths within two of its own, finds it while scanning only
        a few dozen keys.
        """
        if self._buckets is None:
            buckets: dict[str, list[str]] = {}
            for key in self.index.normalized.trie.iterkeys():
                n = len(key)
                if n >= 4:
                    buckets.setdefault(f"^{key[:3]}{n}", []).append(key)
                    buckets.setdefault(f"${key[-3:]}{n}", []).append(key)
                if n >= 7:
                    buckets.setdefault(f"^{key[:4]}{n}", []).append(key)
                    buckets.setdefault(f"${key[-4:]}{n}", []).append(key)
            self._buckets = buckets
        return self._buckets

    def _fuzzy_rows(self, name: str) -> tuple[list[int], dict[int, MatchType], dict[int, float]]:
        from rapidfuzz import fuzz, process

        query = normalized_key(name)
        if len(query) < 5:  # too short: any edit makes another real name
            return [], {}, {}
        visible = [ch for ch in name if not ch.isspace()]
        if sum(ch.isalpha() for ch in visible) < 0.8 * len(visible):
            return [], {}, {}  # "%%%garbage###" is not a misspelt place name
        buckets = self._fuzzy_buckets()
        best: dict[str, float] = {}
        width = 4 if len(query) >= 8 else 3  # one edit leaves a 4-letter end intact
        keys: list[str] = []
        for length in range(max(len(query) - 2, 4), len(query) + 3):
            keys += buckets.get(f"^{query[:width]}{length}", ())
            keys += buckets.get(f"${query[-width:]}{length}", ())
        for key, ratio, _ in process.extract(
            query, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
        ):
            best[key] = max(ratio, best.get(key, 0.0))
        rows: list[int] = []
        how: dict[int, MatchType] = {}
        similarity: dict[int, float] = {}
        ix = self.index
        for key, ratio in sorted(best.items(), key=lambda item: -item[1])[:5]:
            for row in ix.postings("normalized", ix.normalized.trie[key])[0]:
                if row not in how:
                    rows.append(row)
                    how[row] = MatchType.FUZZY
                    similarity[row] = ratio / 100.0
        return rows, how, similarity

    def _admin_codes(self, name: str, cc: str | None, kind: Kind) -> frozenset[str]:
        """Return the "CC.A1[.A2]" codes of the admin areas ``name`` can mean."""
        return self._admin_codes_of(name, cc, kind)

    def _admin_codes_uncached(self, name: str, cc: str | None, kind: Kind) -> frozenset[str]:
        text = name.strip()
        codes: set[str] = set()
        if cc and f"{cc}.{text}" in self.index.admins and kind is Kind.ADMIN1:
            codes.add(f"{cc}.{text}")
        if kind is Kind.ADMIN1:  # "Okla.", "ON" with country CA, "KP" with PK
            for reading in abbreviations_of(text):
                if reading.kind in ("", "admin1") and reading.applies(cc):
                    codes |= self._admin_codes(reading.name, reading.country or cc, kind)
        codes |= self._area_codes_of_rows(self._rows_for(text)[0], cc, kind)
        return frozenset(codes)

    def _area_codes_of_rows(self, rows: Iterable[int], cc: str | None, kind: Kind) -> set[str]:
        """The area codes (``CC.A1`` or ``CC.A1.A2``) of those ``rows`` that are ``kind`` areas.

        Only the rows' codes are read (no record is decoded); ``cc`` keeps one country's.
        """
        kind_of_row, codes_of = self.index.kind_list, self._codes_of
        wanted = KIND_CODES.index(kind)
        codes: set[str] = set()
        for row in rows:
            if kind_of_row[row] != wanted:
                continue
            row_cc, a1, a2 = codes_of(row)
            if cc and row_cc != cc:
                continue
            code = f"{row_cc}.{a1}"
            codes.add(code if kind is Kind.ADMIN1 else f"{code}.{a2}")
        return codes

    def _admin_test(self, name: str, cc: str | None, kind: Kind, code: str) -> tuple[bool, bool]:
        """Whether ``name`` names known areas (:meth:`_admin_codes`), and whether ``code`` is one.

        The areas of the name's exact key are looked at first: most hints are written
        as the gazetteer writes the area, and the name need not be folded then.
        """
        if code in self._admin_codes_exact(name, cc, kind):
            return True, True
        codes = self._admin_codes(name, cc, kind)
        return bool(codes), code in codes

    def _admin_codes_exact_uncached(self, name: str, cc: str | None, kind: Kind) -> frozenset[str]:
        """Some of :meth:`_admin_codes`: the areas of the name's exact key (or code) only."""
        text = name.strip()
        codes: set[str] = set()
        if cc and f"{cc}.{text}" in self.index.admins and kind is Kind.ADMIN1:
            codes.add(f"{cc}.{text}")
        key_id = self.index.exact.trie.get(exact_key(text)) if _encodable(text) else None
        if key_id is not None:
            codes |= self._area_codes_of_rows(self.index.postings("exact", key_id)[0], cc, kind)
        return frozenset(codes)

    def _row_codes(self, row: int) -> tuple[str, str, str]:
        """A row's country, admin1 and admin2 codes, all its hints are checked against.

        Read from its record line without decoding the rest (see ``Index.head``); rows
        with the same codes share one tuple.
        """
        starts = self._line_starts
        if starts is not None and 0 <= row < len(starts) - 1:  # preloaded, checked at open
            line = self.index._records[starts[row] : starts[row + 1]]
        else:
            line = self.index._line(row)
        fields = line.split(b"\t", 9)
        try:
            if len(fields) != 10:
                raise ValueError(f"{len(fields)} fields")
            key = b"\t".join(fields[6:9])
            codes = self._code_texts.get(key)
            if codes is None:
                codes = (fields[6].decode("utf-8"), fields[7].decode("utf-8"),
                         fields[8].decode("utf-8"))  # fmt: skip
                self._code_texts[key] = codes
            return codes
        except ValueError as exc:  # UnicodeDecodeError is one
            raise IndexCorruptError(
                f"gazetteer index at {self.index.directory}: the record of row {row} cannot "
                f"be decoded: {exc}"
            ) from exc

    def _admin_name_uncached(self, code: str) -> str:
        row = self.index.admins.get(code) if "." in code else self.index.countries.get(code)
        if row is not None and not isinstance(row, int):
            raise IndexCorruptError(f"gazetteer index at {self.index.directory}: bad meta.json")
        return "" if row is None else self.index.name(row)

    @_recovering
    def candidate(
        self,
        row: int,
        match_type: MatchType | str = MatchType.EXACT,
        score: float = 1.0,
        rank: float = 0.0,
        matched: str = "",
    ) -> Candidate:
        """Return the :class:`Candidate` for index row ``row``."""
        if isinstance(row, bool) or not isinstance(row, (int, np.integer)):
            raise GazetteerQueryError(f"row={row!r:.40}: give an index row number (an int)")
        if not 0 <= int(row) < len(self.index):
            raise GazetteerQueryError(f"row {row} is not in the index (0..{len(self.index) - 1})")
        try:
            match = MatchType(match_type)
        except (ValueError, TypeError) as exc:
            valid = ", ".join(m.value for m in MatchType)
            raise GazetteerQueryError(f"match_type={match_type!r:.40}: valid: {valid}") from exc
        return self._candidate(int(row), match, float(score), float(rank), str(matched))

    def _area_names(self, cc: str, a1: str, a2: str) -> tuple[str, str, str]:
        """Country, admin1 and admin2 names of a record's codes (``""`` where unknown)."""
        return _area_names(self._admin_name, cc, a1, a2)

    def _candidate(
        self, row: int, match_type: MatchType, score: float, rank: float, matched: str
    ) -> Candidate:
        """The candidate of ``row``; its fields are filled, and its areas named, on first access.

        Its record's line is decoded now, inside the lookup, so a damaged one raises
        here and is rebuilt (:func:`_recovering`); an index checked block by block on
        first touch is read whole now.
        """
        ix = self.index
        source = _Row(ix, row, self._fields_of)
        candidate = deferred_candidate(KIND_CODES[ix.kind_list[row]], match_type, score,
                                       matched, rank, source)  # fmt: skip
        if self._read_now:
            read_fields(candidate)
        else:
            source.head = self._fields_of.head(row)
        return candidate

    # ------------------------------------------------------------------- lookup

    def search(
        self,
        name: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        admin2: str | None = None,
        kinds: KindsLike = None,
        near: tuple[float, float] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
    ) -> list[Candidate]:
        """Return the places ``name`` can mean, best first.

        Parameters
        ----------
        name
            A place name as written ("Deir Ezzor", "دير الزور").
        country
            Keep only places in this country (ISO code, name or demonym).
        admin1, admin2
            Names or codes of the divisions the place is in. An ``admin1`` that names a
            known area keeps only places inside it (none inside: no answer, with the
            reason); one naming no known area, and ``admin2``, favour places inside.
        kinds
            Keep only these :class:`Kind` values (e.g. ``"place"``, ``["admin1"]``).
        near
            A ``(lat, lon)`` point; favour places close to it.
        limit
            How many candidates at most.
        fuzzy
            Try edit-distance matching when no name matches exactly or normalized.

        Examples
        --------
        >>> [c.country_code for c in gaz.search("Paris", limit=2)]  # doctest: +SKIP
        ['FR', 'US']
        """
        hints = self._hints(country=country, admin1=admin1, admin2=admin2, kinds=kinds,
                            near=near, fuzzy=fuzzy)  # fmt: skip
        return self._guarded_search(name, hints, as_count(limit, "limit"))[0]

    @staticmethod
    def _hints(**hints: Any) -> dict[str, Any]:
        """The hints of a lookup, checked and made hashable (see :mod:`.arguments`)."""
        if not hints.keys() <= RESOLVE_HINTS:
            check_names(hints, RESOLVE_HINTS, "a gazetteer lookup")
        out: dict[str, Any] = {}
        for option, value in hints.items():
            if option in _TEXT_HINTS:
                out[option] = value if type(value) is str else as_hint(value, option)
            elif option == "kinds":
                out[option] = _kind_set(value)
            elif option == "near":
                out[option] = None if value is None else as_point(value, "near")
            elif option == "fuzzy":
                out[option] = as_flag(value, "fuzzy")
            else:
                out[option] = as_count(value, "alternatives")
        return out

    @_recovering
    def _guarded_search(
        self, name: Any, hints: dict[str, Any], limit: int
    ) -> tuple[list[Candidate], str]:
        get = hints.get
        return self._search(name, get("country"), get("admin1"), get("admin2"), get("kinds"),
                            get("near"), limit, get("fuzzy", True))  # fmt: skip

    def resolve(self, name: Any, **hints: Any) -> Resolution:
        """Resolve ``name`` to one place, or say why not.

        Takes the hints of :meth:`search`, plus ``alternatives`` (how many
        runner-up candidates to keep). Results are cached per name and hints.

        Examples
        --------
        >>> gaz.resolve("Syrian").reason  # doctest: +SKIP
        "'Syrian' is a demonym of Syria (SY), not a place"
        """
        if hints:
            hints = self._hints(**hints)
        index = self.index
        try:  # the recovery of @_recovering, inline: this is the hottest path
            return self._cached(name, hints)
        except IndexCorruptError as exc:
            self._recover(index, exc)
        return self._cached(name, hints)

    def _cached(self, name: Any, hints: dict[str, Any]) -> Resolution:
        try:
            return self._resolve_cached(name, **hints)
        except TypeError:
            try:
                hash(name)
            except TypeError:  # an unhashable name: no cache (it resolves to a reason)
                return self._resolve(name, **hints)
            raise

    def geocode(self, name: str, **hints: Any) -> Candidate | None:
        """Return the best candidate for ``name`` or None; hints as in :meth:`search`."""
        return self.resolve(name, **hints).candidate

    @_recovering
    def resolve_admin2(
        self, name: Any, *, country: Any = None, admin1: Any = None, fuzzy: bool = True
    ) -> Resolution:
        """Resolve the name of a second-level division, also through its seat town.

        How a table's admin2 column is read when its location is unknown (``geocode_table``):

        1. an admin2 area of the name, by its own name or, failing that, by its seat's:
           "Djenne" is Djenne Cercle, "Tell Abiad" Tell Abyad District (see :meth:`search`
           with ``kinds="admin2"``);
        2. else, when ``admin1`` names a known area and the gazetteer has no admin2 there
           by that name, a populated place of exactly that name (or alias, no folding)
           inside that admin1 stands for the area named after it ("Dadaab", "North Horr"
           in Kenya's sub-counties, which the gazetteer lacks): the candidate is that town.

        Examples
        --------
        >>> gaz.resolve_admin2("Djenne", country="ML").candidate.name  # doctest: +SKIP
        'Djenne Cercle'
        """
        hints = self._hints(country=country, admin1=admin1, fuzzy=fuzzy)
        found = self.resolve(name, kinds=_ADMIN2_ONLY, **hints)
        if found.candidate is not None or not hints["admin1"]:
            return found
        cc = self._country_code(hints["country"]) if hints["country"] is not None else None
        codes1 = self._admin_codes(str(hints["admin1"]), cc, Kind.ADMIN1)
        town = self.resolve(name, kinds=_PLACE_ONLY, **{**hints, "fuzzy": False}).candidate
        if (
            town is None
            or town.match_type not in (MatchType.EXACT, MatchType.ALTERNATE)
            or f"{town.country_code}.{town.admin1_code}" not in codes1
        ):
            return found
        return Resolution(query=str(name), candidate=town)

    def _resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        admin1: str | None = None,
        admin2: str | None = None,
        kinds: Any = None,
        near: tuple[float, float] | None = None,
        fuzzy: bool = True,
        alternatives: int = 0,
    ) -> Resolution:
        candidates, reason = self._search(
            name, country, admin1, admin2, _kind_set(kinds), near, alternatives + 1, fuzzy
        )
        if not candidates:
            query = name if isinstance(name, str) else repr(name)
            return Resolution(query=query[:200], candidate=None, reason=reason)
        if len(candidates) == 1:
            return Resolution(name, candidates[0])
        return Resolution(query=name, candidate=candidates[0], alternatives=tuple(candidates[1:]))

    def _search(
        self,
        name: Any,
        country: str | None,
        admin1: str | None,
        admin2: str | None,
        kinds: frozenset[Kind] | None,
        near: tuple[float, float] | None,
        limit: int,
        fuzzy: bool,
    ) -> tuple[list[Candidate], str]:
        problem = _query_problem(name)
        if problem:
            return [], problem
        if limit < 1:
            return [], ""
        ix = self.index
        cc = None
        if country is not None:
            cc = self._country_code(country)
            if cc is None:
                shown = repr(country) if len(repr(country)) <= 60 else repr(country)[:57] + "..."
                return [], f"unknown country {shown}"
        hinted = cc is not None or kinds is not None or bool(admin1 or admin2 or near)
        written = name.strip()
        shaped = abbreviation_shaped(written)
        readings = abbreviations_of(written)
        if readings or shaped:
            read = self._abbreviated(written, readings, cc, kinds, limit)
            if read is not None:
                return read
        generic = is_generic(name)
        if generic and not hinted:
            return [], f"{written!r} is a generic geographic word, not a place name"
        refused_row = -1  # the build-time best row, when spelled too far from the name
        if not (shaped or generic) and limit == 1:
            if not hinted:
                best_row = self._best_row(name)
                fast = None
                if best_row is not None:
                    row, match = best_row
                    if match is None:
                        refused_row = row
                    else:
                        score = MATCH_SCORES[match]
                        fast = self._candidate(row, match, score, score + ix.prior_list[row],
                                               name.strip())  # fmt: skip
            elif near is None:
                fast = self._hinted_best(name, cc, admin1, admin2, kinds)
            else:
                fast = None
            if fast is not None:
                return [fast], ""
        key = name_key(name)
        demonym = ix.demonyms.get(key.exact)
        if demonym and not (kinds and Kind.COUNTRY in kinds):
            country_name = self._admin_name(demonym)
            return [], f"{name!r} is a demonym of {country_name} ({demonym}), not a place"
        rows, how = self._rows_for(name)
        if not (hinted or shaped or generic or key.admin_hint) and limit == 1:
            best = self._first_spelled_alike(name, rows, how, refused_row)
            if best is not None:
                return [best], ""
        if shaped:  # capitals: the places written so ("NYC"), or none; never "WA" as Wa
            rows = [r for r in rows if self._written_as(r, written)] or (rows if cc else [])
        kind_of_row, codes_of = ix.kind_list, self._codes_of
        similarity: dict[int, float] = {}
        named: list[int] | None = None
        every, early = rows, []
        if (cc is not None or kinds is not None) and not (shaped or generic):
            # The filters below first: the spelling test is per row, so when a row they
            # keep is spelled alike, these are the rows the full order keeps (no fuzzy
            # search, no reason), without testing the rows of other countries and kinds.
            early = rows
            if kinds is not None:
                early = [r for r in early if KIND_CODES[kind_of_row[r]] in kinds]
            if cc is not None:
                early = [r for r in early if codes_of(r)[0] == cc]
            early = self._spelled_alike(written, early, how)[0]
        if early:
            rows = early
        else:
            rows, refused = self._spelled_alike(written, rows, how)
            if not rows and fuzzy and not (shaped or generic):
                refused_rows = set(how)  # met by the fold already, and refused: no second try
                rows, how, similarity = self._fuzzy_rows(name)
                rows = [r for r in rows if r not in refused_rows]
                rows, refused_fuzzy = self._spelled_alike(written, rows, how)
                refused = refused or refused_fuzzy
            if generic:  # "Islands" with a hint: a place of that very name, not an alias
                rows = [r for r in rows if how[r] is MatchType.EXACT]
            if not rows:
                if shaped:
                    return [], self._unread_abbreviation(written, readings, cc)
                return [], refused or f"no place named {name!r} in the gazetteer"
            named = rows
            if kinds is not None:
                rows = [r for r in rows if KIND_CODES[kind_of_row[r]] in kinds]
            if cc is not None:
                rows = [r for r in rows if codes_of(r)[0] == cc]
        seat_only = kinds == _ADMIN2_ONLY
        if not rows:
            if seat_only:
                seats = self._admin2_seats(written, named or every, how, cc, admin1)
                if seats:
                    return seats[:limit], ""
            where = f" in {cc}" if cc else ""
            return [], f"no place named {name!r}{where} of the kinds asked"
        if key.admin_hint:
            admin_rows = [r for r in rows if KIND_CODES[kind_of_row[r]] in _ADMIN_KINDS]
            rows = admin_rows or rows
        no_codes: frozenset[str] = frozenset()
        codes1 = self._admin_codes(str(admin1), cc, Kind.ADMIN1) if admin1 else no_codes
        codes2 = self._admin_codes(str(admin2), cc, Kind.ADMIN2) if admin2 else no_codes
        if codes1:
            rows, refused = self._in_admin1(rows, codes1, name)
            if not rows:
                seats = []
                if seat_only:
                    if named is None:  # the rows spelled alike, of every country and kind
                        named = self._spelled_alike(written, every, how)[0]
                    seats = self._admin2_seats(written, named, how, cc, admin1)
                return (seats[:limit], "") if seats else ([], refused)
        bonus = self._hint_bonus(rows, codes1, codes2, near)
        prior = ix.prior_list
        ranks = []
        for i, row in enumerate(rows):
            score = MATCH_SCORES[how[row]] * similarity.get(row, 1.0)
            rank = score + prior[row] + (bonus[i] if bonus is not None else 0.0)
            ranks.append((rank, score, row))
        ranks.sort(key=lambda item: -item[0])
        matched = name.strip()
        return [
            self._candidate(row, how[row], score, rank, matched)
            for rank, score, row in ranks[:limit]
        ], ""

    def _best_row(self, name: str) -> tuple[int, MatchType | None] | None:
        """The row an unhinted lookup of ``name`` ranks first, and how it matched, or None.

        None when only the full path can tell: no exact key, a demonym, an admin word
        (see ``store._Builder.write_best``). ``(row, None)`` for a folded match spelled
        too far from the name (the full path then need not test that row again).
        """
        ix = self.index
        exact = exact_key(name)
        if exact in ix.demonyms:
            return None
        key_id = ix.exact.trie.get(exact)
        if key_id is None:
            return None
        best = self._best
        if best is not None:  # a preloaded index: its arrays as bytes and a list (checked at open)
            match_code, row = best[0][key_id], best[1][key_id]
        else:
            match_code, row = ix.best(key_id)
        if match_code == BEST_NEEDS_RANKING:
            return None
        match = _BEST_MATCH[match_code]
        if match is MatchType.NORMALIZED and not self._spelled_alike(name, [row], {row: match})[0]:
            return row, None  # folded too far: the full path walks down the ranking
        return row, match

    def _hinted_best(
        self,
        name: str,
        cc: str | None,
        admin1: str | None,
        admin2: str | None,
        kinds: frozenset[Kind] | None,
    ) -> Candidate | None:
        """The answer of a hinted lookup when the unhinted best row meets every hint, or None.

        The hints only drop rows (country, kinds, an admin1 that names a known area)
        and add bonuses (0.6 inside the admin1 named, 0.4 inside the admin2): a row
        ranked first without them, kept by the filters and given every bonus there
        is, stays first (ahead of equal ranks too, being first of them in the rows'
        order). The full path ranks every row only when it is not so.
        """
        best = self._best_row(name)
        if best is None or best[1] is None:
            return None
        row, match = best[0], best[1]
        ix = self.index
        if kinds is not None and KIND_CODES[ix.kind_list[row]] not in kinds:
            return None
        row_cc, a1, a2 = self._codes_of(row)
        if cc is not None and row_cc != cc:
            return None
        code1 = f"{row_cc}.{a1}"
        named1 = inside1 = named2 = inside2 = False
        if admin1:
            named1, inside1 = self._admin_test(str(admin1), cc, Kind.ADMIN1, code1)
        if admin2:
            named2, inside2 = self._admin_test(str(admin2), cc, Kind.ADMIN2, f"{code1}.{a2}")
        if (named1 and not inside1) or (named2 and not inside2):
            return None
        score = MATCH_SCORES[match]
        rank = score + ix.prior_list[row]
        if named1 or named2:  # the bonus, added as _hint_bonus adds it
            bonus = 0.0
            if inside1:
                bonus += 0.6
            if inside2:
                bonus += 0.4
            rank = rank + bonus
        return self._candidate(row, match, score, rank, name.strip())

    def _first_spelled_alike(
        self, name: str, rows: list[int], how: dict[int, MatchType], refused: int = -1
    ) -> Candidate | None:
        """The best of ``rows`` spelled like an unhinted ``name``, or None when none is.

        What ranking every row that passes :meth:`_spelled_alike` would give, but
        each row is checked (its record decoded) only until one passes, in rank
        order: the first exact or alias match ends the walk.
        """
        prior = self.index.prior_list
        for row in sorted(rows, key=lambda r: -(MATCH_SCORES[how[r]] + prior[r])):
            if row == refused and how[row] is MatchType.NORMALIZED:
                continue  # tested already (the build-time best row), folded too far
            if self._spelled_alike(name, [row], how)[0]:
                score = MATCH_SCORES[how[row]]
                return self._candidate(row, how[row], score, score + prior[row], name.strip())
        return None

    def _in_admin1(
        self, rows: list[int], codes: frozenset[str], name: str
    ) -> tuple[list[int], str]:
        """The rows inside the admin1 areas ``codes``, and why none when none are.

        Called only for a hint that names a known admin1 area: one that names none (a
        spelling the gazetteer lacks, an area reorganised since) can only rank. "College
        Park" with admin1 "OK" is not the one in Maryland.
        """
        codes_of = self._codes_of
        inside = [r for r in rows if "{0[0]}.{0[1]}".format(codes_of(r)) in codes]
        if inside:
            return inside, ""
        names = ", ".join(sorted(self._admin_name(c) or c for c in codes))
        return [], f"no place named {name.strip()!r} in {names} (the admin1 given)"

    # ------------------------------------------- honest matching (issue 12: no answer beats a wrong one)

    def _spelled_alike(
        self, query: str, rows: list[int], how: dict[int, MatchType]
    ) -> tuple[list[int], str]:
        """The rows whose match is spelled like ``query`` for its length, and why none when none are.

        An exact or alias match stands. A normalized match stands when ``query`` fits
        the place's own name (:func:`~geo_events.gazetteer.spelling.spelling_fits`) or
        equals, in light form, one of its other names ("Al-Mawsil", "Al Mawsil"; not a
        lower-case machine romanization such as "wa er na" for Varna); a
        fuzzy one when it is the place's own name misspelt, or one of its other names as
        people write them (:func:`~geo_events.gazetteer.spelling.typo_fits`). "Binza" is not
        Penza (whose Arabic romanization "bynza" it meets), "Kibera" not Canberra.
        """
        ix = self.index
        kept: list[int] = []
        far: list[int] = []
        target = ""
        latin: bool | None = None
        for row in rows:
            match = how[row]
            if match is MatchType.EXACT or match is MatchType.ALTERNATE:
                kept.append(row)
                continue
            fits_name = spelling_fits if match is MatchType.NORMALIZED else typo_fits
            if fits_name(query, ix.name(row)):
                kept.append(row)
                continue
            if latin is None:
                target, latin = light_form(query), is_latin(query)
            names = ix.record(row)["alternate_names"]
            if match is MatchType.NORMALIZED:  # equal once light ("Al Mawsil"; "Дагестан")
                fits = any(
                    light_form(n) == target
                    for n in names
                    if may_have_light_form(n, target) and written_by_people(n, latin)
                )
            else:
                fits = any(typo_fits(query, n) for n in names if written_by_people(n, latin))
            (kept if fits else far).append(row)
        if kept or not far:
            return kept, ""
        shown = ", ".join(dict.fromkeys(f"{ix.name(r)} ({ix.head(r)[6]})" for r in far[:3]))
        return [], (
            f"no place spelled like {query!r}: {shown} meet{'s' if len(far) == 1 else ''} it "
            "only folded too far for its length"
        )

    def _written_as(self, row: int, written: str) -> bool:
        """Whether ``row`` has a name written as ``written``: same capitals, dots aside ("U.S", "US")."""
        bare = written.replace(".", "").strip()
        names = [self.index.name(row), *self.index.record(row)["alternate_names"]]
        return any(n.replace(".", "").strip() == bare for n in names)

    def _abbreviated(
        self,
        written: str,
        readings: Sequence[Abbreviation],
        cc: str | None,
        kinds: frozenset[Kind] | None,
        limit: int,
    ) -> tuple[list[Candidate], str] | None:
        """An abbreviation read in its context: "WA" with country US is Washington state.

        The readings come from the data (:mod:`~geo_events.gazetteer.abbreviations`);
        one that holds in the context (a postal code needs its country) is looked up
        by the full name it stands for. Several places: no answer, with the reason.
        None when no reading holds: the name is then looked up as written.
        """
        found: dict[int, Candidate] = {}
        for reading in readings:
            if not reading.applies(cc):
                continue
            wanted = frozenset({Kind(reading.kind)}) if reading.kind in _KIND_VALUES else None
            if kinds is not None:
                wanted = kinds if wanted is None else wanted & kinds
                if not wanted:
                    continue
            hits, _ = self._search(
                reading.name, reading.country or cc or None, None, None, wanted, None, 1, False
            )
            for hit in hits:
                score = MATCH_SCORES[MatchType.ALTERNATE]
                found.setdefault(
                    hit.geonameid,
                    dataclasses.replace(
                        hit, match_type=MatchType.ALTERNATE, score=score, matched_name=written
                    ),
                )
        if not found:
            return None
        if len(found) > 1:
            shown = " or ".join(f"{c.name} ({c.country_code})" for c in found.values())
            return [], f"{written!r} is an abbreviation of {shown}: give the country to choose"
        return list(found.values())[:limit], ""

    @staticmethod
    def _unread_abbreviation(written: str, readings: Sequence[Abbreviation], cc: str | None) -> str:
        """Why an abbreviation (or a name written in capitals like one) found no place."""
        if readings:
            shown = "; ".join(dict.fromkeys(r.describe() for r in readings))
            where = f"none of them in {cc}" if cc else "give the country it is in"
            return f"{written!r} is an abbreviation ({shown}): {where}"
        return (
            f"{written!r} is written in capitals like an abbreviation, and no place or known "
            "abbreviation is written so; give its country, or write it as a name"
        )

    def _admin2_areas(self, admin1_code: str) -> list[int]:
        """The admin2 rows inside the admin1 area ``admin1_code`` ("ML.04")."""
        areas = self._areas_by_admin1
        if areas is None:
            areas = {}
            for code, row in self.index.admins.items():
                if code.count(".") == 2 and isinstance(row, int):
                    areas.setdefault(code.rsplit(".", 1)[0], []).append(row)
            self._areas_by_admin1 = areas
        return areas.get(admin1_code, [])

    def _admin2_seats(
        self,
        written: str,
        named: list[int],
        how: dict[int, MatchType],
        cc: str | None,
        admin1: str | None,
    ) -> list[Candidate]:
        """Admin2 areas known by their seat town: "Djenne" is Djenne Cercle, "Tell Abiad" Tell Abyad District.

        For an admin2 lookup that finds no admin2 of the name. A populated place of the
        name (``named``: the rows the name matched; in the country and the admin1 given)
        is the seat of the admin2 area of its admin1 whose name, less its unit word
        ("Cercle", "District", "Cercle de …"), is one of the place's names, or of the
        area whose code it carries when GeoNames marks it PPLA2. The area answers, with
        its own point, or the seat's when its own is only its parent's.
        """
        ix = self.index
        kind_of_row = ix.kind_list
        codes1 = self._admin_codes(str(admin1), cc, Kind.ADMIN1) if admin1 else frozenset()
        places = [r for r in named if KIND_CODES[kind_of_row[r]] is Kind.PLACE]
        found: dict[int, Candidate] = {}
        score = MATCH_SCORES[MatchType.NORMALIZED]
        for row in sorted(places, key=lambda r: -ix.prior_list[r])[:8]:
            gid, place_name, lat, lon, _, fcode, place_cc, a1, a2, _ = ix.head(row)
            if not a1 or (cc is not None and place_cc != cc):
                continue
            if codes1 and f"{place_cc}.{a1}" not in codes1:
                continue
            spellings = {light_form(written), light_form(place_name)}
            spellings.update(
                light_form(n)
                for n in ix.record(row)["alternate_names"]
                if written_by_people(n, True)
            )
            own = ix.admins.get(f"{place_cc}.{a1}.{a2}") if a2 else None
            for area in self._admin2_areas(f"{place_cc}.{a1}"):
                if KIND_CODES[kind_of_row[area]] is not Kind.ADMIN2:
                    continue
                seat = area == own and fcode == "PPLA2"
                if not (seat or light_form(ix.name(area)) in spellings):
                    continue
                candidate = self._candidate(area, MatchType.NORMALIZED, score,
                                            score + ix.prior_list[area], written)  # fmt: skip
                if str(candidate.raw.get("point_source", "")).startswith("parent"):
                    raw = {**dict(candidate.raw), "point_source": f"seat: {place_name} ({gid})"}
                    candidate = dataclasses.replace(candidate, latitude=lat, longitude=lon, raw=raw)
                found.setdefault(candidate.geonameid, candidate)
        return sorted(found.values(), key=lambda c: -c.rank)

    def _hint_bonus(
        self,
        rows: list[int],
        codes1: frozenset[str],
        codes2: frozenset[str],
        near: tuple[float, float] | None,
    ) -> list[float] | None:
        """Return each row's bonus for matching the admin and proximity hints."""
        if not (codes1 or codes2 or near is not None):
            return None
        bonuses = [0.0] * len(rows)
        if codes1 or codes2:
            codes_of = self._codes_of
            for i, row in enumerate(rows):
                cc, a1, a2 = codes_of(row)
                code = f"{cc}.{a1}"
                if code in codes1:
                    bonuses[i] += 0.6
                if f"{code}.{a2}" in codes2:
                    bonuses[i] += 0.4
        if near is not None:
            lats, lons = self.index.points(np.asarray(rows, dtype=np.int64))
            km = haversine_km(near[0], near[1], lats, lons)
            near_bonus = np.asarray(bonuses) + 0.8 * np.exp(-np.asarray(km) / 150.0)
            bonuses = near_bonus.tolist()
        return bonuses

    def reverse(self, point: Any, *, max_km: float = 200.0) -> Candidate | None:
        """Return the populated place nearest ``(lat, lon)``, within ``max_km``.

        ``point`` is taken as ``near=`` is (a pair, a ``"lat, lon"`` string, a
        geopy ``Point``); one that is no valid point has no place near it: None.

        Examples
        --------
        >>> gaz.reverse((35.33, 40.14)).name  # doctest: +SKIP
        'Deir ez-Zor'
        """
        return self._reverse(point, as_distance(max_km, "max_km"))

    def _place_tree(self) -> PlaceTree:
        if self._places is None:
            place_code = KIND_CODES.index(Kind.PLACE)
            ix = self.index
            rows = np.flatnonzero(np.asarray(ix.kind) == place_code)
            self._places = PlaceTree(rows, ix.latitude[rows], ix.longitude[rows],
                                     ix.population[rows])  # fmt: skip
        return self._places

    @_recovering
    def _reverse(self, point: Any, max_km: float) -> Candidate | None:
        found, _ = point_of(point)
        if found is None:
            return None
        hit = self._place_tree().nearest(found[0], found[1], max_km)
        if hit is None:
            return None
        row, km = hit
        return self._candidate(row, MatchType.EXACT, 1.0, -km, "")

    def reverse_many(self, points: Any, *, max_km: float = 200.0, workers: int = -1) -> Any:
        """The populated place nearest each point, for many points at once.

        Parameters
        ----------
        points : array-like of (lat, lon), or a GeoSeries / sequence of shapely Points
            Shapely points are ``(x=lon, y=lat)`` in degrees (a GeoSeries in another CRS is
            reprojected to EPSG:4326 first).
        max_km : float
            Farther than this from every place: no answer for that point.
        workers : int
            Threads for the tree query (``-1``, the default: all cores).

        Returns
        -------
        pandas.DataFrame
            One row per point, in order: ``geonameid``, ``name``, ``latitude``,
            ``longitude``, ``country_code``, ``country``, ``admin1``, ``admin2`` of the
            place, and ``distance_km`` — all NA where no place is within ``max_km`` or the
            point is not a valid point.

        Examples
        --------
        >>> gaz.reverse_many([(35.33, 40.14), (0.0, -160.0)])["name"].tolist()  # doctest: +SKIP
        ['Deir ez-Zor', <NA>]
        """
        lat, lon = _point_arrays(points)
        rows, km = self._place_tree().nearest_many(
            lat, lon, as_distance(max_km, "max_km"), workers=workers
        )
        return self._places_frame(rows, km)

    @_recovering
    def _places_frame(self, rows: np.ndarray, km: np.ndarray) -> Any:
        """The reverse_many table; names are decoded once per distinct place.

        Numbers come straight from the index arrays, so a million points cost one
        ``head()`` per place found, not per point.
        """
        import pandas as pd

        ix, n = self.index, len(rows)
        found = rows >= 0
        unique, inverse = np.unique(rows[found], return_inverse=True)
        heads = [ix.head(int(r)) for r in unique]
        areas = [self._area_names(h[6], h[7], h[8]) for h in heads]

        codes = np.full(n, -1, dtype=np.int64)  # per point: its distinct place, -1 none
        codes[found] = inverse

        def text(values: list[str]) -> pd.Series:
            # Build the few distinct strings once and take them per point (-1 -> NA).
            distinct = pd.array(values or [""], dtype="string")
            # pandas-stubs type a Series made from an extension array as Any
            series: pd.Series = pd.Series(distinct.take(codes, allow_fill=True))
            return series

        def number(array: np.ndarray, dtype: Literal["Int64", "Float64"]) -> pd.Series:
            out = pd.array(np.where(found, array[np.maximum(rows, 0)], 0), dtype=dtype)
            out[~found] = pd.NA
            series: pd.Series = pd.Series(out)  # Any in pandas-stubs, as above
            return series

        return pd.DataFrame(
            {
                "geonameid": number(ix.geonameid, "Int64"),
                "name": text([h[1] for h in heads]),
                "latitude": number(ix.latitude, "Float64"),
                "longitude": number(ix.longitude, "Float64"),
                "country_code": text([h[6] for h in heads]),
                "country": text([a[0] for a in areas]),
                "admin1": text([a[1] for a in areas]),
                "admin2": text([a[2] for a in areas]),
                "distance_km": pd.array(km, dtype="Float64"),
            }
        )


def _area_names(
    admin_name: Callable[[str], str], cc: str, a1: str, a2: str
) -> tuple[str, str, str]:
    """Country, admin1 and admin2 names of a record's codes (``""`` where unknown)."""
    return (
        admin_name(cc) if cc else "",
        admin_name(f"{cc}.{a1}") if a1 else "",
        admin_name(f"{cc}.{a1}.{a2}") if a2 else "",
    )


class _RowMemo:
    """``read(row)``, read once per row and kept (a list slot per row of the index)."""

    __slots__ = ("_n", "_read", "_values")

    def __init__(self, read: Callable[[int], Any], n: int) -> None:
        self._read = read
        self._n = n
        self._values: list[Any] = [None] * n

    def __call__(self, row: int) -> Any:
        if 0 <= row < self._n:
            value = self._values[row]
            if value is None:
                value = self._values[row] = self._read(row)
            return value
        return self._read(row)  # not a row: the reader says so


class _Row(LazyRecord):
    """A candidate's ``raw``: its row's record, and the candidate's fields, read on first use."""

    __slots__ = ("_fields", "head")

    def __init__(self, index: Index, row: int, fields: _FieldReader) -> None:
        self._index = index
        self._row = row
        self._record = None
        self._fields = fields  # the reader of the index the row is from
        self.head: tuple[int, str, float, float, str, str, str, str, str, int] | None = None

    def candidate_fields(self) -> tuple[Any, ...]:
        """The values of :data:`~geo_events.gazetteer.records.DEFERRED_FIELDS` of the row."""
        return self._fields(self._row, self.head)

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        """Pickled (and copied) as the record itself: a candidate travels without its index."""
        return (dict, (dict(self._full()),))


class _FieldReader:
    """A candidate's fields from one index: its record's first ten, and its areas' names."""

    __slots__ = ("_admin_name", "_areas", "_index", "_starts")

    def __init__(
        self, index: Index, admin_name: Callable[[str], str], starts: array[int] | None
    ) -> None:
        self._index = index
        self._admin_name = admin_name
        self._starts = starts  # a preloaded index's line offsets (checked at open), or None
        self._areas: dict[tuple[str, str, str], tuple[str, str, str]] = {}

    def __call__(
        self, row: int, head: tuple[int, str, float, float, str, str, str, str, str, int] | None
    ) -> tuple[Any, ...]:
        """The fields of ``row``, from its ``head`` (decoded already) or its line."""
        gid, name, lat, lon, fclass, fcode, cc, a1, a2, pop = head or self.head(row)
        codes = (cc, a1, a2)
        areas = self._areas.get(codes)
        if areas is None:
            areas = self._areas[codes] = _area_names(self._admin_name, cc, a1, a2)
        return (gid, name, lat, lon, cc, areas[0], areas[1], areas[2], a1, a2, fclass, fcode, pop)

    def head(self, row: int) -> tuple[int, str, float, float, str, str, str, str, str, int]:
        """``Index.head(row)``, read straight from a preloaded index's bytes."""
        starts = self._starts
        if starts is None or not 0 <= row < len(starts) - 1:
            return self._index.head(row)
        fields = self._index._records[starts[row] : starts[row + 1]].split(b"\t", 10)
        try:
            gid, name, lat, lon, fclass, fcode, cc, a1, a2, pop, _ = fields
            latitude, longitude = float(lat), float(lon)
            head = (int(gid), name.decode("utf-8"), latitude, longitude, fclass.decode("utf-8"),
                    fcode.decode("utf-8"), cc.decode("utf-8"), a1.decode("utf-8"),
                    a2.decode("utf-8"), int(pop))  # fmt: skip
        except ValueError:  # the index says what is wrong
            return self._index.head(row)
        if not (-90.0 <= latitude <= 90.0 and -180.0 <= longitude <= 180.0):
            return self._index.head(row)
        return head


def _point_arrays(points: Any) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes of points given as pairs, shapely Points or a GeoSeries.

    Raises
    ------
    GazetteerQueryError
        When ``points`` is neither an ``(n, 2)`` array of numbers nor a sequence of points.
    """
    crs = getattr(points, "crs", None)
    if crs is not None and hasattr(points, "to_crs"):
        points = points.to_crs(4326)
    if hasattr(points, "geom_type") or (
        isinstance(points, Sequence | np.ndarray)
        and len(points)
        and hasattr(points[0], "geom_type")
    ):
        import shapely

        geoms = np.asarray(getattr(points, "values", points), dtype=object)
        xs, ys = shapely.get_x(geoms), shapely.get_y(geoms)
        return np.asarray(ys, dtype=float), np.asarray(xs, dtype=float)
    try:
        pairs = np.asarray(points, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GazetteerQueryError(
            "points must be (lat, lon) pairs, shapely Points or a GeoSeries"
        ) from exc
    if pairs.size == 0:
        return np.empty(0), np.empty(0)
    if pairs.ndim != 2 or pairs.shape[1] != 2:
        raise GazetteerQueryError(
            f"points must be (lat, lon) pairs: got an array of shape {pairs.shape}"
        )
    return pairs[:, 0], pairs[:, 1]


def _format() -> int:
    from geo_events.gazetteer.store import FORMAT_VERSION

    return FORMAT_VERSION


def _open_or_build(
    directory: Path,
    fingerprint: str,
    build: Callable[[], None],
    *,
    preload: bool,
    verify: bool,
    force: bool = False,
    bad: Index | None = None,
) -> Index:
    """Open the index at ``directory``, (re)building it first when it is not sound.

    ``bad`` is an index found damaged while in use: the one on disk is rebuilt
    unless it is already another build. A process that finds the index
    missing or damaged takes the build lock and looks again before building:
    another process may have rebuilt it meanwhile.
    """

    def attempt() -> tuple[Index | None, str]:
        problem = check_index(directory, fingerprint, verify=False)
        manifest = read_manifest(directory) if not problem else None
        if (
            manifest is not None
            and bad is not None
            and manifest.get("build") == bad.manifest.get("build")
        ):
            return None, "the index was found damaged while in use"
        if problem:
            return None, problem
        # a full GeoNames import (millions of places) stays memory-mapped
        mapped = (manifest or {}).get("places", 0) > PRELOAD_MAX_PLACES
        try:
            return Index(directory, verify=verify, preload=preload and not mapped), ""
        except IndexCorruptError as exc:
            return None, str(exc)

    if not force:
        index, problem = attempt()
        if index is not None:
            return index
    with index_lock(directory):
        if not force:
            index, problem = attempt()
            if index is not None:
                return index
            log = logger.warning if directory.exists() else logger.info
            log("gazetteer index at %s not usable (%s); building it", directory, problem)
        build()
        bad, force = None, False
        index, problem = attempt()
    if index is None:
        raise IndexCorruptError(f"gazetteer index at {directory}: a fresh build fails: {problem}")
    return index


def _as_dumps(geonames: Any) -> list[Any]:
    """``geonames=`` as a list of dumps: None, one dump, or several."""
    if geonames is None:
        return []
    if isinstance(geonames, (list, tuple)):
        return list(geonames)
    return [geonames]


def _build_default(
    directory: Path,
    fingerprint: str,
    supplements: Sequence[str | os.PathLike[str]],
    dumps: Sequence[Any],
    table_places: Sequence[Path],
    progress: ProgressCallback,
) -> None:
    from geo_events.gazetteer.sources import load_default_sources
    from geo_events.gazetteer.table_places import PlaceMerger, read_places

    progress("loading sources", 0, None)
    sources = load_default_sources(supplements)
    merger = PlaceMerger(place for path in table_places for place in read_places(path))

    def records() -> Iterable[PlaceRecord]:
        # hand each default record over and drop it, so a large import does not
        # keep the defaults alive for the whole build
        defaults, sources.records = sources.records, []
        for i, record in enumerate(defaults):
            defaults[i] = None  # type: ignore[call-overload]
            yield record
        for dump in dumps:
            yield from dump.records(progress=progress)

    stream = merger.records(records()) if merger.places else records()
    build_index(stream, directory, fingerprint=fingerprint, demonyms=sources.demonyms,
                progress=progress)  # fmt: skip


def _progress_callback(
    progress: ProgressCallback | bool | None,
) -> tuple[ProgressCallback, Callable[[], None]]:
    """Turn the ``progress`` option into a callback and a function that ends it.

    A bar on a terminal, a line in a notebook, plain lines on any other stderr;
    never stdout (:mod:`.progress`).
    """
    from geo_events.gazetteer.progress import reporter

    return reporter(progress)
