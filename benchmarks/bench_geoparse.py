"""Geoparsing accuracy and speed on the public gold sets.

    python benchmarks/bench_geoparse.py ../shared/eval [--cache DIR] [--speed N] [--misses FILE]

Recognition: ``find_mentions`` over each full article, precision / recall / F1
of exact spans against the gold offsets (gold = the toponyms with coordinates).
End to end: ``geoparse`` over each full article (recognition, then resolution in
context); every gold toponym counts, one the parse did not find (no found span
overlapping it; "exact" requires the same span) or left unresolved is a miss at
20,039 km; acc@161 over all gold toponyms with coordinates.
Resolution in context: ``resolve_mentions`` over each article with all its gold
spans as mentions (GeoWebNews Literal scores the Literal ones among them);
acc@161 km, exact GeoNames id rate, coverage, AUC of the log error (a NULL
answer counts as 20,039 km). Speed: ``geoparse`` over synthetic
3 kB articles (random paragraphs of the eval texts), one core, and RSS over the run.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter, defaultdict

from _eval_sets import EARTH_MAX_KM, SETS, km, load, scores

from geo_events.gazetteer import Gazetteer
from geo_events.text.geoparse import geoparse
from geo_events.text.resolution import resolve_mentions
from geo_events.text.toponyms import Mention, find_mentions


def recognition(gaz, docs, gold, misses, demonyms=False):
    by_doc = defaultdict(set)
    for g in gold:
        if g.span_ok:
            by_doc[g.doc_id].add((g.start, g.end))
    tp = fp = fn = 0
    fp_words, fn_words = Counter(), Counter()
    for doc_id, (_, text) in docs.items():
        found = {(m.start, m.end) for m in find_mentions(text, gaz, demonyms=demonyms)}
        truth = by_doc.get(doc_id, set())
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
        fp_words.update(text[s:e] for s, e in found - truth)
        fn_words.update(text[s:e] for s, e in truth - found)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    misses["false_positives"] = fp_words.most_common(40)
    misses["false_negatives"] = fn_words.most_common(40)
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def resolution(gaz, docs, gold, misses, literal_only=False):
    # Every gold toponym of an article is resolved (they are its context); with
    # literal_only, only the Literal ones are scored.
    by_doc = defaultdict(list)
    for g in gold:
        by_doc[g.doc_id].append(g)
    errors, exact, answered = [], [], []
    wrong = Counter()
    with_id = 0
    area_point = area_point_id = 0
    for doc_id, rows in by_doc.items():
        text = docs[doc_id][1]
        mentions = [
            Mention(g.start, g.end, text[g.start : g.end] if g.span_ok else g.toponym) for g in rows
        ]
        for g, r in zip(rows, resolve_mentions(text, mentions, gaz), strict=True):
            if literal_only and g.type != "Literal":
                continue
            c = r.candidate
            err = km(g.lat, g.lon, c.latitude, c.longitude) if c else EARTH_MAX_KM
            errors.append(err)
            answered.append(c is not None)
            with_id += g.geonameid is not None
            exact.append(c is not None and c.geonameid == g.geonameid)
            if err > 161 and c is not None and c.kind.value in ("country", "admin1", "admin2"):
                area_point += 1
                area_point_id += c.geonameid == g.geonameid
            if err > 161:
                wrong[f"{g.toponym} -> {c.name + ', ' + c.country_code if c else 'NULL'}"] += 1
    result = scores(errors, exact, answered)
    result["exact_id"] = sum(exact) / with_id if with_id else float("nan")
    misses["wrong"] = wrong.most_common(40)
    # misses where an area (country, admin1/2) was chosen: its representative point
    # is often > 161 km from the gold's centroid even when the id is right
    result["area_misses"] = area_point / len(errors) if errors else 0.0
    result["area_misses_right_id"] = area_point_id / len(errors) if errors else 0.0
    return result


def end_to_end(gaz, docs, gold, misses, demonyms=False):
    """acc@161 of geoparse's answers over every gold toponym (missed ones count as wrong).

    ``demonyms``: demonyms are reported too ("Syrian" as Syria), as GeoWebNews and LGL
    annotate them.
    """
    by_doc = defaultdict(list)
    for g in gold:
        if g.span_ok:
            by_doc[g.doc_id].append(g)
    hits = {"overlap": 0, "exact": 0}
    unfound = Counter()
    n = 0
    for doc_id, rows in by_doc.items():
        text = docs[doc_id][1]
        if demonyms:
            parsed = resolve_mentions(text, find_mentions(text, gaz, demonyms=True), gaz)
        else:
            parsed = geoparse(text, gaz)
        found = [r for r in parsed if r.candidate is not None]
        for g in rows:
            n += 1
            near = [r for r in found if r.start < g.end and g.start < r.end]
            best = {
                "overlap": near,
                "exact": [r for r in near if (r.start, r.end) == (g.start, g.end)],
            }
            for how, rs in best.items():
                if any(km(g.lat, g.lon, r.candidate.latitude, r.candidate.longitude) <= 161
                       for r in rs):  # fmt: skip
                    hits[how] += 1
            if not near:
                unfound[g.toponym] += 1
    misses["end_to_end_not_found"] = unfound.most_common(40)
    return {"n": n, "acc@161": hits["overlap"] / n if n else 0.0,
            "acc@161_exact_span": hits["exact"] / n if n else 0.0,
            "not_found": sum(unfound.values()) / n if n else 0.0}  # fmt: skip


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def speed(gaz, texts, n):
    """geoparse over n synthetic 3 kB articles (paragraphs of the eval texts, shuffled)."""
    import random

    paragraphs = [p for t in texts for p in t.split("\n") if len(p) > 40]
    rng = random.Random(0)

    def article() -> str:
        out, size = [], 0
        while size < 3000:
            p = paragraphs[rng.randrange(len(paragraphs))]
            out.append(p)
            size += len(p) + 1
        return "\n".join(out)[:3000]

    geoparse(article(), gaz)
    rss = [(0, _rss_mb())]
    mentions = 0
    busy = 0.0
    for i in range(1, n + 1):
        text = article()
        started = time.perf_counter()
        mentions += len(geoparse(text, gaz))
        busy += time.perf_counter() - started
        if i % max(1, n // 10) == 0:
            rss.append((i, _rss_mb()))
    return {
        "articles": n,
        "articles_per_s": n / busy,
        "mentions_per_article": mentions / n,
        "rss_mb": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir")
    parser.add_argument("--cache", default=None)
    parser.add_argument(
        "--speed", type=int, default=5000, help="articles for the speed run (0: skip)"
    )
    parser.add_argument("--misses", default=None, help="write the most common misses here (JSON)")
    args = parser.parse_args()
    gaz = Gazetteer.open(args.cache)
    results, misses = {}, {}
    all_texts = []
    for name, label in SETS.items():
        docs, gold = load(args.eval_dir, name)
        all_texts.extend(t for _, t in docs.values())
        misses[label] = {}
        started = time.perf_counter()
        results[f"{label} recognition"] = recognition(gaz, docs, gold, misses[label])
        results[f"{label} +demonyms recognition"] = recognition(gaz, docs, gold, {}, demonyms=True)
        results[f"{label} resolution"] = resolution(gaz, docs, gold, misses[label])
        results[f"{label} end to end"] = end_to_end(gaz, docs, gold, misses[label])
        results[f"{label} +demonyms end to end"] = end_to_end(gaz, docs, gold, {}, demonyms=True)
        if name == "geowebnews":
            misses[f"{label} Literal"] = {}
            results[f"{label} Literal resolution"] = resolution(
                gaz, docs, gold, misses[f"{label} Literal"], literal_only=True
            )
        results[f"{label} seconds"] = time.perf_counter() - started
    for key, r in results.items():
        if key.endswith("end to end"):
            print(f"{key:32} n {r['n']:>5}  acc@161 {r['acc@161']:.3f}  (same span "
                  f"{r['acc@161_exact_span']:.3f}; not found {r['not_found']:.3f})")  # fmt: skip
        if key.endswith("recognition"):
            print(f"{key:32} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
        elif key.endswith("resolution"):
            print(
                f"{key:32} n {r['n']:>5}  acc@161 {r['acc@161']:.3f}  exact id {r['exact_id']:.3f}"
                f"  coverage {r['coverage']:.3f}  AUC {r['auc']:.3f}"
                f"  (area misses {r['area_misses']:.3f}, right id {r['area_misses_right_id']:.3f})"
            )
    if args.speed:
        results["speed"] = s = speed(gaz, all_texts, args.speed)
        print(
            f"speed: {s['articles_per_s']:.0f} articles/s of 3 kB ({s['articles']} articles,"
            f" {s['mentions_per_article']:.1f} mentions each); RSS MB by articles: "
            + ", ".join(f"{i}: {mb:.0f}" for i, mb in s["rss_mb"])
        )
    if args.misses:
        with open(args.misses, "w", encoding="utf-8") as handle:
            json.dump(misses, handle, indent=1, ensure_ascii=False)
    print(json.dumps(results, default=float))


if __name__ == "__main__":
    main()
