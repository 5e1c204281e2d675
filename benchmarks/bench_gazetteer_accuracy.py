"""Context-free gazetteer accuracy on the public gold sets: the toponym string only.

    python benchmarks/bench_gazetteer_accuracy.py ../shared/eval [--cache DIR]

For every gold toponym, ``gaz.geocode(toponym)`` (no context, no hints); an
unanswered toponym counts as the largest possible error (20,039 km). Prints
acc@161 km, exact GeoNames id rate (over rows that have one), coverage, and the
AUC of the log error, per set (GeoWebNews also for its Literal toponyms).
"""

from __future__ import annotations

import argparse
import json
import time

from _eval_sets import EARTH_MAX_KM, SETS, km, load, scores

from geo_events.gazetteer import Gazetteer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", help="folder with geowebnews/, lgl/, geovirus/")
    parser.add_argument("--cache", default=None, help="gazetteer cache dir (default: the user's)")
    args = parser.parse_args()
    gaz = Gazetteer.open(args.cache)
    results = {}
    for name, label in SETS.items():
        _, gold = load(args.eval_dir, name)
        started = time.perf_counter()
        subsets = {label: gold}
        if name == "geowebnews":
            subsets[f"{label} Literal"] = [g for g in gold if g.type == "Literal"]
        for sub, rows in subsets.items():
            errors, exact, answered = [], [], []
            for g in rows:
                c = gaz.geocode(g.toponym)
                answered.append(c is not None)
                errors.append(km(g.lat, g.lon, c.latitude, c.longitude) if c else EARTH_MAX_KM)
                exact.append(
                    c is not None and g.geonameid is not None and c.geonameid == g.geonameid
                )
            result = scores(errors, exact, answered)
            with_id = sum(g.geonameid is not None for g in rows)
            result["exact_id"] = sum(exact) / with_id if with_id else float("nan")
            result["seconds"] = time.perf_counter() - started
            results[sub] = result
    print(
        f"{'set':22} {'n':>5} {'acc@161':>8} {'exact id':>8} {'coverage':>8} {'AUC':>6} {'median km':>10}"
    )
    for sub, r in results.items():
        print(
            f"{sub:22} {r['n']:>5} {r['acc@161']:>8.3f} {r['exact_id']:>8.3f} {r['coverage']:>8.3f}"
            f" {r['auc']:>6.3f} {r['median_km']:>10.1f}"
        )
    print(json.dumps(results, indent=1, default=float))


if __name__ == "__main__":
    main()
