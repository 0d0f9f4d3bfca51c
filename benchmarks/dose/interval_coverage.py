#!/usr/bin/env python3
"""Empirical coverage and median width of the prediction intervals in a cv_predictions.tsv
(from `genodose dose train --cv-predictions`, e.g. the one cross-validate.sh writes): overall,
by race, by band of the actual dose and by band of the predicted dose (<= 21, 21-49, >= 49
mg/week). Works on the file of any genodose version, so the interval of one version can be
compared with another's on the same nested cross-validation.

Usage: interval_coverage.py cv_predictions.tsv [more.tsv ...]   (one table per file)
"""
import csv
import statistics
import sys


def band(dose):
    if dose <= 21:
        return "<= 21"
    return "21-49" if dose < 49 else ">= 49"


def table(path):
    groups = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            actual = float(row["actual_dose_mg_per_week"])
            predicted = float(row["predicted_dose_mg_per_week"])
            low, high = float(row["interval_low"]), float(row["interval_high"])
            covered = low <= actual <= high
            for name in ("overall", "race: " + row["race"], "dose " + band(actual), "predicted " + band(predicted)):
                groups.setdefault(name, []).append((covered, high - low))
    order = ["overall"] + sorted(g for g in groups if g.startswith("race: "))
    order += [f"{kind} {b}" for kind in ("dose", "predicted") for b in ("<= 21", "21-49", ">= 49")]
    print(f"Intervals of {path}:")
    print()
    print("| group | n | coverage % | median width mg/week |")
    print("|---|---:|---:|---:|")
    for name in order:
        if name not in groups:
            continue
        rows = groups[name]
        coverage = 100 * sum(c for c, _ in rows) / len(rows)
        print(f"| {name} | {len(rows)} | {coverage:.1f} | {statistics.median(w for _, w in rows):.1f} |")
    print()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    for path in sys.argv[1:]:
        table(path)


if __name__ == "__main__":
    main()
