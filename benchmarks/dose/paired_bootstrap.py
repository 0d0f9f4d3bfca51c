#!/usr/bin/env python3
"""Paired bootstrap of model minus comparison, from the nested cross-validation predictions
written by `genodose dose train --cv-predictions`.

Usage: paired_bootstrap.py cv_predictions.tsv [replicates] [seed]

Comparisons, each on the patients where the IWPC equation has a dose (age, height, weight):
- the published IWPC pharmacogenetic equation (fitted by the IWPC on a cohort that includes
  these patients);
- the same equation's 18 terms refitted by least squares on each outer training set
  (column iwpc_pgx_refit_dose_mg_per_week; skipped if the file has no such column): the
  out-of-sample linear comparison.
For each group (overall and by race): difference in MAE (mg/week; negative = model better) and
in % within 20% (positive = model better), with 95% percentile intervals from resampling
patients (the same patients for both methods), and the comparison's own MAE and % within 20%.
Python standard library only; deterministic for a given seed.
"""
import csv
import random
import sys

COMPARISONS = [
    ("iwpc_pgx_dose_mg_per_week", "IWPC pharmacogenetic equation"),
    ("iwpc_pgx_refit_dose_mg_per_week", "IWPC pharmacogenetic equation's terms refitted on each outer training set"),
]
GROUPS = [("overall", None)] + [("race: " + race, race) for race in ["White", "Asian", "Black or African American", "Unknown"]]


def within_20(predicted, actual):
    return abs(predicted - actual) <= 0.2 * actual + 1e-9


def table(rows, column, label, replicates, seed):
    print(f"Paired bootstrap, model minus {label} ({replicates} replicates, seed {seed}):")
    print()
    print("| group | n | MAE difference (mg/week) [95% CI] | % within 20% difference [95% CI] | MAE comparison | %±20 comparison |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, race in GROUPS:
        g = [r for r in rows if race is None or r["race"] == race]
        if not g:
            continue
        d_abs, d_within, own_abs, own_within = [], [], [], []
        for r in g:
            actual = float(r["actual_dose_mg_per_week"])
            model = float(r["predicted_dose_mg_per_week"])
            other = float(r[column])
            d_abs.append(abs(model - actual) - abs(other - actual))
            d_within.append(100.0 * (within_20(model, actual) - within_20(other, actual)))
            own_abs.append(abs(other - actual))
            own_within.append(100.0 * within_20(other, actual))
        rng = random.Random(seed)
        n = len(g)
        boot_abs, boot_within = [], []
        for _ in range(replicates):
            idx = [rng.randrange(n) for _ in range(n)]
            boot_abs.append(sum(d_abs[i] for i in idx) / n)
            boot_within.append(sum(d_within[i] for i in idx) / n)
        boot_abs.sort()
        boot_within.sort()
        lo, hi = int(0.025 * replicates), int(0.975 * replicates) - 1
        print(f"| {name} | {n} | {sum(d_abs) / n:+.2f} [{boot_abs[lo]:+.2f}, {boot_abs[hi]:+.2f}] "
              f"| {sum(d_within) / n:+.1f} [{boot_within[lo]:+.1f}, {boot_within[hi]:+.1f}] "
              f"| {sum(own_abs) / n:.2f} | {sum(own_within) / n:.1f} |")
    print()


def main():
    path = sys.argv[1]
    replicates = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with open(path) as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t")
                if r["iwpc_pgx_dose_mg_per_week"] != "NA" and r.get("masked", "0") != "1"]
    for column, label in COMPARISONS:
        if rows and column in rows[0] and all(r[column] != "NA" for r in rows):
            table(rows, column, label, replicates, seed)


if __name__ == "__main__":
    main()
