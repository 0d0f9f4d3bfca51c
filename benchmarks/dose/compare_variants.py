#!/usr/bin/env python3
"""Table for compare-variants.sh: per variant and race group, mean over seeds of the model's
nested-CV MAE and % within 20%, the differences from the IWPC pharmacogenetic equation on the
same patients (those with age, height and weight), and in how many seeds the model was better;
then the same beside the IWPC equation's terms refitted on each outer training set.

Usage: compare_variants.py OUT_DIR "SEEDS" VARIANT...
"""
import csv
import statistics
import sys

GROUPS = ["overall", "White", "Asian", "Black or African American", "Unknown"]


def metrics(rows, key):
    actual = [float(r["actual_dose_mg_per_week"]) for r in rows]
    pred = [float(r[key]) for r in rows]
    mae = statistics.mean(abs(p - a) for p, a in zip(pred, actual))
    within = 100 * statistics.mean(abs(p - a) <= 0.2 * a + 1e-9 for p, a in zip(pred, actual))
    return mae, within


def read_predictions(out, seeds, variants):
    """{(variant, seed): rows with an IWPC equation dose}, each file read once."""
    predictions = {}
    for variant in variants:
        for seed in seeds:
            with open(f"{out}/{variant}.seed{seed}.tsv") as f:
                predictions[variant, seed] = [r for r in csv.DictReader(f, delimiter="\t")
                                              if r["iwpc_pgx_dose_mg_per_week"] != "NA"
                                              and r.get("masked", "0") != "1"]
    return predictions


def table(predictions, seeds, variants, column, label):
    print(f"| variant | group | n | MAE model | MAE {label} | ΔMAE | seeds ΔMAE<0 | %±20 model | %±20 {label} | Δ%±20 | seeds Δ%±20>0 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for variant in variants:
        for group in GROUPS:
            per_seed = []
            for seed in seeds:
                rows = [r for r in predictions[variant, seed] if group == "overall" or r["race"] == group]
                per_seed.append((len(rows), metrics(rows, "predicted_dose_mg_per_week"), metrics(rows, column)))
            n = per_seed[0][0]
            mae_model = statistics.mean(s[1][0] for s in per_seed)
            mae_other = statistics.mean(s[2][0] for s in per_seed)
            within_model = statistics.mean(s[1][1] for s in per_seed)
            within_other = statistics.mean(s[2][1] for s in per_seed)
            better_mae = sum(s[1][0] < s[2][0] for s in per_seed)
            better_within = sum(s[1][1] > s[2][1] for s in per_seed)
            name = "Black" if group.startswith("Black") else group
            print(f"| {variant} | {name} | {n} | {mae_model:.2f} | {mae_other:.2f} | {mae_model - mae_other:+.3f} "
                  f"| {better_mae}/{len(seeds)} | {within_model:.1f} | {within_other:.1f} "
                  f"| {within_model - within_other:+.2f} | {better_within}/{len(seeds)} |")


def main():
    out, seeds, variants = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
    predictions = read_predictions(out, seeds, variants)
    print("Model beside the published IWPC pharmacogenetic equation (IWPC PGx):")
    print()
    table(predictions, seeds, variants, "iwpc_pgx_dose_mg_per_week", "IWPC PGx")
    print()
    print("Model beside the IWPC equation's terms refitted on each outer training set (refit; it")
    print("depends on the split, so it is recomputed for every seed):")
    print()
    table(predictions, seeds, variants, "iwpc_pgx_refit_dose_mg_per_week", "refit")


if __name__ == "__main__":
    main()
