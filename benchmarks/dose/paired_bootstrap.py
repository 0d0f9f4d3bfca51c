#!/usr/bin/env python3
"""Paired bootstrap of model minus IWPC pharmacogenetic equation, from the nested
cross-validation predictions written by `genodose dose train --cv-predictions`.

Usage: paired_bootstrap.py cv_predictions.tsv [replicates] [seed]

For each group (overall and by race) on the patients where the IWPC equation has a dose:
difference in MAE (mg/week; negative = model better) and in % within 20% (positive = model
better), with 95% percentile intervals from resampling patients (the same patients for both
methods). Python standard library only; deterministic for a given seed.
"""
import csv
import random
import sys


def main():
    path = sys.argv[1]
    replicates = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rows = [r for r in csv.DictReader(open(path), delimiter="\t") if r["iwpc_pgx_dose_mg_per_week"] != "NA"]
    groups = [("overall", lambda r: True)] + [
        ("race: " + race, (lambda race: lambda r: r["race"] == race)(race))
        for race in ["White", "Asian", "Black or African American", "Unknown"]
    ]
    print(f"Paired bootstrap, model minus IWPC pharmacogenetic equation ({replicates} replicates, seed {seed}):")
    print()
    print("| group | n | MAE difference (mg/week) [95% CI] | % within 20% difference [95% CI] |")
    print("|---|---:|---:|---:|")
    for name, keep in groups:
        g = [r for r in rows if keep(r)]
        if not g:
            continue
        d_abs, d_within = [], []
        for r in g:
            actual = float(r["actual_dose_mg_per_week"])
            model = float(r["predicted_dose_mg_per_week"])
            iwpc = float(r["iwpc_pgx_dose_mg_per_week"])
            d_abs.append(abs(model - actual) - abs(iwpc - actual))
            within = lambda p: abs(p - actual) <= 0.2 * actual + 1e-9
            d_within.append(100.0 * (within(model) - within(iwpc)))
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
              f"| {sum(d_within) / n:+.1f} [{boot_within[lo]:+.1f}, {boot_within[hi]:+.1f}] |")


if __name__ == "__main__":
    main()
