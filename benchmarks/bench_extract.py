"""Event extraction: the seed article's acceptance list, throughput, and memory over a stream.

Usage::

    python benchmarks/bench_extract.py SEED_TXT [EVAL_DIR] [--n-speed 3000] [--repeats 3] [--n-stream 100000]
        [--workers N] [--copies 3]

- SEED_TXT: the seed article (read with published=2017-09-25); its acceptance list
  is checked and printed (exit status 1 if an item fails).
- EVAL_DIR: optional folder of evaluation sets (``*/docs.csv`` with title, text);
  their articles are run end to end as real-world text (speed and reasons).
- Throughput: synthetic ~3 kB conflict articles, end to end (text → Article →
  events, geoparsing included), one core, CPU time of several passes (best,
  median, worst: the machine is shared).
- News (with EVAL_DIR): the evaluation sets' articles (GeoWebNews, LGL, GeoVirus), each
  cut or padded to ~3 kB (padded with the paragraphs of the articles after it), end to
  end on one core: CPU time of several passes, and geoparsing's share.
- Workers (with EVAL_DIR and ``--workers N``): the same news, ``--copies`` times over,
  streamed through ``extract_many`` in this process and with ``workers=N``, each run
  on a freshly reopened gazetteer (cold caches, as a worker starts): wall time,
  the scaling, time to the first result, and the CPU time of this process and of the
  workers (read from /proc), with the load average (the machine is shared).
- Memory: ``--n-stream`` synthetic articles generated lazily and streamed through
  ``extract_many``; resident memory is sampled along the way.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import pickle
import platform
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from _eval_sets import SETS, load

from geo_events.gazetteer import Gazetteer, default_gazetteer
from geo_events.text.article import Article, article_from_text
from geo_events.text.dates import find_dates
from geo_events.text.extract import extract_events, extract_many

PUBLISHED = dt.date(2017, 9, 25)
DEIR_EZ_ZOR = {170794, 170792}


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------- the seed


def check_seed(path: Path, gaz: Gazetteer) -> bool:
    article = article_from_text(path.read_text(encoding="utf-8"), id=path.stem, published=PUBLISHED)
    result = extract_events(article, gazetteer=gaz)
    print(
        f"seed: {path} ({len(article.full_text)} chars, source={article.source}, published={PUBLISHED})"
    )
    for e in result.events:
        print(
            f"  - {e.event_date} (tp {e.time_precision}) {e.sub_event_type}: {e.actor1} -> {e.actor2} "
            f"@ {e.location} [{e.geonameid}, gp {e.geo_precision}] {e.claim_status}; "
            f"reported_by={e.reported_by}; denied_by={e.denied_by}; conf={e.confidence}; "
            f"sources={len(e.sources)}"
        )
    ev = result.events

    def has(sub: str, a1: str, a2: str, **want: object) -> bool:
        for e in ev:
            if e.sub_event_type != sub or a1 not in (e.actor1 or "") or a2 not in (e.actor2 or ""):
                continue
            if all(
                (str(v) in str(getattr(e, k) or "")) if isinstance(v, str) else getattr(e, k) == v
                for k, v in want.items()
            ):
                return True
        return False

    dates = {d.text.casefold(): d.date for d in find_dates(article.full_text, PUBLISHED)}
    checks = {
        "Air/drone strike by Russia on SDF near Deir ez-Zor (gp 2), reported by Reuters citing SDF, "
        "denied by Russia's defence ministry": has(
            "Air/drone strike", "Russia", "SDF", geo_precision=2, claim_status="denied",
            reported_by="Reuters citing SDF", denied_by="Ministry of Defence of Russia",
        ),
        "Air/drone strike by Russia on Islamic State in Deir ez-Zor, claimed by Russia's defence ministry": has(
            "Air/drone strike", "Russia", "Islamic State", claim_status="claimed",
            reported_by="Ministry of Defence of Russia",
        ),
        "Shelling by Islamic State of Syrian government forces": has(
            "Shelling/artillery/missile attack", "Islamic State", "Military Forces of Syria"
        ),
        "every event located in Deir ez-Zor (170794 or 170792)": bool(ev)
        and all(e.geonameid in DEIR_EZ_ZOR for e in ev),
        "nothing placed in Russia or the United States": all(e.country not in ("Russia", "United States") for e in ev),
        "'on Monday' -> 2017-09-25": dates.get("on monday") == dt.date(2017, 9, 25),
        "'on Sunday' -> 2017-09-24": dates.get("on sunday") == dt.date(2017, 9, 24),
        "the Monday event is dated 2017-09-25 (tp 1)": any(
            e.event_date == dt.date(2017, 9, 25) and e.time_precision == 1 for e in ev
        ),
    }  # fmt: skip
    for name, ok in checks.items():
        print(f"  [{'PASS' if ok else 'FAIL'}] {name}")
    return all(checks.values())


# ---------------------------------------------------------------- synthetic articles

_PLACES = ["Aleppo", "Idlib", "Raqqa", "Homs", "Hama", "Mosul", "Kirkuk", "Tikrit", "Donetsk", "Kharkiv",
           "Mariupol", "Sirte", "Benghazi", "Gao", "Mopti", "Kandahar", "Kunduz", "Marib", "Taiz", "Hodeidah"]  # fmt: skip
_ACTORS = ["Russian warplanes", "Syrian government forces", "Islamic State militants", "Turkish drones",
           "the SDF", "Taliban fighters", "Houthi rebels", "Iraqi troops", "Ukrainian forces", "gunmen"]  # fmt: skip
_VERBS = ["struck", "shelled", "clashed with", "attacked", "bombed"]
_DAYS = ["on Monday", "on Tuesday", "yesterday", "last week", "on Sunday", "", ""]
_FILLER = (
    "Residents said the situation remained tense and that many families had left their homes in recent days, "
    "while aid groups warned that supplies of food and medicine were running low across the area. "
)


def synthetic(n: int, seed: int = 1) -> Iterator[Article]:
    rng = random.Random(seed)
    for i in range(n):
        place, other = rng.sample(_PLACES, 2)
        a1, a2 = rng.sample(_ACTORS, 2)
        paragraphs = [
            f"{a1.capitalize()} {rng.choice(_VERBS)} {a2} near {place} {rng.choice(_DAYS)}, killing "
            f"{rng.randint(1, 30)} people, officials said.",
            f"The defence ministry denied reports that its forces shelled {other}.",
            f"According to local sources, {a2} {rng.choice(_VERBS)} positions in {place} {rng.choice(_DAYS)}.",
        ]
        body = " ".join(paragraphs) + "\n\n"
        while len(body) < 2900:
            body += _FILLER
        raw = f"Fighting near {place}\n\n{body}\n\nReuters"
        yield article_from_text(raw, id=f"syn{i}", published=PUBLISHED)


def _passes(run, repeats: int) -> list[float]:
    """CPU seconds of each of ``repeats`` passes of ``run`` (the machine is shared:
    the best pass is the one least disturbed by other processes)."""
    out = []
    for _ in range(repeats):
        c0 = time.process_time()
        run()
        out.append(time.process_time() - c0)
    return out


def _rates(n: int, seconds: list[float]) -> str:
    rates = sorted(n / s for s in seconds)
    return (
        f"best {rates[-1]:,.0f}/s, median {rates[len(rates) // 2]:,.0f}/s, worst {rates[0]:,.0f}/s"
    )


def bench_speed(gaz: Gazetteer, n: int, repeats: int = 3) -> None:
    articles = list(synthetic(n, seed=7))
    # warm the caches (compiled lexicons, gazetteer candidate caches) on other articles
    for a in synthetic(200, seed=99):
        extract_events(a, gazetteer=gaz)
    events = sum(len(extract_events(a, gazetteer=gaz).events) for a in articles)
    size = sum(len(a.full_text) for a in articles) / len(articles)

    def from_articles() -> None:
        for a in articles:
            extract_events(a, gazetteer=gaz)

    print(
        f"speed: {n} synthetic articles of {size:,.0f} chars ({events / n:.2f} events/article), "
        f"extraction from Article, geoparsing included, CPU, {repeats} passes: "
        + _rates(n, _passes(from_articles, repeats))
    )
    from geo_events.text.geoparse import geoparse

    c0 = time.process_time()
    found = [geoparse(a.full_text, gaz) for a in articles]
    geo_cpu = time.process_time() - c0
    c0 = time.process_time()
    for a, mentions in zip(articles, found, strict=True):
        extract_events(a, gazetteer=gaz, mentions=mentions)
    ours = time.process_time() - c0
    print(
        f"speed: CPU per article: geoparse {1000 * geo_cpu / n:.3f} ms, "
        f"extraction without geoparse {1000 * ours / n:.3f} ms"
    )
    raws = [a.full_text + "\n\nReuters" for a in articles]

    def from_raw_text() -> None:
        for i, raw in enumerate(raws):
            article = article_from_text(raw, id=f"r{i}", published=PUBLISHED)
            extract_events(article, gazetteer=gaz)

    print(
        "speed: same articles from raw text (article_from_text included), CPU, "
        f"{repeats} passes: " + _rates(n, _passes(from_raw_text, repeats))
    )


def bench_stream(gaz: Gazetteer, n: int) -> None:
    samples = []
    t0, c0 = time.perf_counter(), time.process_time()
    events = 0
    reasons: Counter[str] = Counter()
    for i, result in enumerate(extract_many(synthetic(n, seed=3), gazetteer=gaz), start=1):
        events += len(result.events)
        if not result.events:
            reasons[result.reason] += 1
        if i in (1_000, n // 10, n // 2, n):
            samples.append((i, rss_mb()))
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"stream: {n:,} articles in {elapsed:.1f} s ({n / elapsed:,.0f}/s wall, {n / cpu:,.0f}/s CPU), "
        f"{events:,} events"
    )
    print("stream: resident memory " + ", ".join(f"{mb:,.0f} MB after {i:,}" for i, mb in samples))
    if reasons:
        print(f"stream: articles without events: {dict(reasons)}")


def bench_eval(root: Path, gaz: Gazetteer) -> None:
    csv.field_size_limit(1 << 30)
    for docs in sorted(root.glob("*/docs.csv")):
        with docs.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        articles = [
            Article(
                id=f"{docs.parent.name}-{r['doc_id']}",
                title=r.get("title", ""),
                text=r.get("text", ""),
            )
            for r in rows
        ]
        t0 = time.perf_counter()
        results = [extract_events(a, gazetteer=gaz) for a in articles]
        elapsed = time.perf_counter() - t0
        with_events = sum(1 for r in results if r.events)
        reasons = Counter(r.reason for r in results if not r.events)
        print(
            f"eval {docs.parent.name}: {len(articles)} articles in {elapsed:.2f} s ({len(articles) / elapsed:,.0f}/s); "
            f"{with_events} with events ({sum(len(r.events) for r in results)} events); "
            f"without: {dict(reasons.most_common(4))}"
        )


# ---------------------------------------------------------------- news, one core and workers

NEWS_CHARS = 3000


def news_articles(root: Path, size: int = NEWS_CHARS) -> list[Article]:
    """The evaluation sets' articles, each cut or padded to about ``size`` characters.

    A short article is padded with the paragraphs of the articles after it (so the
    text stays real news, never the same text twice in one article); a long one is
    cut at the last space before ``size``. Dated 2017-09-25, so relative dates resolve.
    """
    docs = [
        (f"{name}-{doc_id}", title, text.strip())
        for name in SETS
        for doc_id, (title, text) in load(root, name)[0].items()
    ]
    out = []
    for k, (ident, title, text) in enumerate(docs):
        body, j = text, k + 1
        while len(title) + 2 + len(body) < size:
            following = docs[j % len(docs)][2]
            j += 1
            if following:
                body += "\n\n" + following
        cut = size - len(title) - 2
        if len(body) > cut:
            space = body.rfind(" ", 0, cut)
            body = body[: space if space > cut - 200 else cut]
        out.append(Article(id=ident, title=title, text=body, published=PUBLISHED))
    return out


def bench_news(root: Path, gaz: Gazetteer, repeats: int) -> list[Article]:
    from geo_events.text.extract import Extractor
    from geo_events.text.geoparse import geoparse

    articles = news_articles(root)
    extractor = Extractor(gaz)
    c0 = time.process_time()
    results = [extractor.extract(a) for a in articles]  # warms the caches
    cold = time.process_time() - c0
    size = sum(len(a.full_text) for a in articles) / len(articles)
    print(
        f"news: first pass, the gazetteer's and recognition's caches cold: "
        f"{len(articles) / cold:,.0f}/s CPU (load {os.getloadavg()[0]:.1f})"
    )

    def run() -> None:
        for a in articles:
            extractor.extract(a)

    print(
        f"news: {len(articles)} articles of the eval sets, {size:,.0f} chars each "
        f"({sum(len(r.events) for r in results) / len(articles):.2f} events/article, "
        f"{sum(1 for r in results if r.events)} with events), one core, CPU, {repeats} passes: "
        + _rates(len(articles), _passes(run, repeats))
        + f" (load {os.getloadavg()[0]:.1f})"
    )
    c0 = time.process_time()
    found = [geoparse(a.full_text, gaz) for a in articles]
    geo_cpu = time.process_time() - c0
    c0 = time.process_time()
    for a, mentions in zip(articles, found, strict=True):
        extractor.extract(a, mentions=mentions)
    rest = time.process_time() - c0
    n = len(articles)
    print(
        f"news: CPU per article: geoparse {1000 * geo_cpu / n:.3f} ms (all of every article), "
        f"the rest of extraction {1000 * rest / n:.3f} ms"
    )
    return articles


def _descendants_cpu() -> float:
    """CPU seconds (user + system) of this process's living descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    todo, total, tick = list(parents.get(os.getpid(), [])), 0.0, os.sysconf("SC_CLK_TCK")
    while todo:
        pid = todo.pop()
        todo.extend(parents.get(pid, []))
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def bench_workers(articles: list[Article], gaz: Gazetteer, workers: int, copies: int) -> None:
    """The news stream in this process, then in ``workers`` processes: same results, how fast."""
    stream = [
        Article(id=f"{a.id}#{c}", title=a.title, text=a.text, published=a.published)
        for c in range(copies)
        for a in articles
    ]
    n = len(stream)
    runs = {}
    for label, count in (("one process", None), (f"workers={workers}", workers)):
        # each run starts as a worker does: the index reopened mapped, every cache cold
        fresh = pickle.loads(pickle.dumps(gaz))
        load = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        before = _descendants_cpu()
        results, first = [], 0.0
        source = extract_many(stream, gazetteer=fresh, workers=count)
        for result in source:
            if not results:
                first = time.perf_counter() - t0
            results.append(result)
            if len(results) == n:
                break
        children = _descendants_cpu() - before  # read while the workers still live
        for _ in source:  # the end of the stream: the pool shuts down
            pass
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        runs[label] = (wall, results)
        print(
            f"workers: {label}: {n:,} news articles in {wall:.2f} s wall ({n / wall:,.0f}/s), "
            f"first result after {first:.2f} s; CPU: this process {cpu:.2f} s, "
            f"workers {children:.2f} s; load before {load:.1f}, after {os.getloadavg()[0]:.1f}"
        )
    (one, alone), (many, pooled) = runs.values()
    print(
        f"workers: {one / many:.2f}x the one-process rate with {workers} workers on "
        f"{os.cpu_count()} cores; results identical: {pooled == alone}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("seed", type=Path)
    parser.add_argument("eval", type=Path, nargs="?")
    parser.add_argument("--n-speed", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3, help="passes of the speed run")
    parser.add_argument("--n-stream", type=int, default=100_000)
    parser.add_argument("--cache-dir", default=None, help="gazetteer cache directory")
    parser.add_argument(
        "--workers", type=int, default=0, help="also stream the news with this many workers"
    )
    parser.add_argument("--copies", type=int, default=3, help="times over the news for --workers")
    parser.add_argument("--skip-synthetic", action="store_true", help="no synthetic speed run")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    gaz = Gazetteer.open(args.cache_dir) if args.cache_dir else default_gazetteer()
    ok = check_seed(args.seed, gaz)
    if not args.skip_synthetic:
        bench_speed(gaz, args.n_speed, args.repeats)
    if args.eval is not None:
        news = bench_news(args.eval, gaz, args.repeats)
        if args.workers:
            bench_workers(news, gaz, args.workers, args.copies)
        bench_eval(args.eval, gaz)
    if args.n_stream:
        bench_stream(gaz, args.n_stream)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
