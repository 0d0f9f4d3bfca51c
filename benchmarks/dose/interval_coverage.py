#!/usr/bin/env python3
"""Empirical coverage and median width of the prediction intervals in a cv_predictions.tsv
(from `genodose dose train --cv-predictions`, e.g. the one cross-validate.sh writes): overall,
by race, by band of the actual dose, by band of the predicted dose (<= 21, 21-49, >= 49
mg/week) and by how many of the 8 core inputs are missing (0-1, 2-3, 4-5, 6-7, 8; files that have the
column). Rows with masked = 1 are copies of the patients with core inputs removed (predicted by
the outer fold's model): they get a table of their own by missingness group and are left out of
the other groups. Works on the file of any genodose version, so the interval of one version can be
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


def missing_group(count):
    count = int(count)
    return "0-1" if count <= 1 else "2-3" if count <= 3 else "4-5" if count <= 5 else "6-7" if count <= 7 else "8"


def table(path):
    groups = {}
    masked = {}
    by_count = {}
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            actual = float(row["actual_dose_mg_per_week"])
            predicted = float(row["predicted_dose_mg_per_week"])
            low, high = float(row["interval_low"]), float(row["interval_high"])
            covered = low <= actual <= high
            # The same interval without the missingness groups (band and race only), when written.
            before = None
            if row.get("interval_low_band_race") not in (None, "", "NA"):
                before = float(row["interval_low_band_race"]) <= actual <= float(row["interval_high_band_race"])
            if row.get("masked", "0") == "1":
                masked.setdefault("masked copies, missing core inputs " + missing_group(row["missing_core_inputs"]),
                                  []).append((covered, high - low, before))
                by_count.setdefault(int(row["missing_core_inputs"]), []).append((covered, high - low, before))
                continue
            names = ["overall", "race: " + row["race"], "dose " + band(actual), "predicted " + band(predicted)]
            if "missing_core_inputs" in row:
                names.append("missing core inputs " + missing_group(row["missing_core_inputs"]))
            for name in names:
                groups.setdefault(name, []).append((covered, high - low, before))
    groups.update(masked)
    order = ["overall"] + sorted(g for g in groups if g.startswith("race: "))
    order += [f"{kind} {b}" for kind in ("dose", "predicted") for b in ("<= 21", "21-49", ">= 49")]
    order += [f"{kind}missing core inputs {g}" for kind in ("", "masked copies, ") for g in ("0-1", "2-3", "4-5", "6-7", "8")]
    print(f"Intervals of {path}:")
    print()
    with_before = all(b is not None for rows in groups.values() for _, _, b in rows)
    print("| group | n | coverage % | median width mg/week |" + (" coverage % by band and race only |" if with_before else ""))
    print("|---|---:|---:|---:|" + ("---:|" if with_before else ""))
    for name in order:
        if name not in groups:
            continue
        rows = groups[name]
        coverage = 100 * sum(c for c, _, _ in rows) / len(rows)
        line = f"| {name} | {len(rows)} | {coverage:.1f} | {statistics.median(w for _, w, _ in rows):.1f} |"
        if with_before:
            line += f" {100 * sum(b for _, _, b in rows) / len(rows):.1f} |"
        print(line)
    print()
    if by_count:
        print("Masked copies by the number of core inputs missing (of 8):")
        print()
        print("| core inputs missing | n | coverage % | median width mg/week |" + (" coverage % by band and race only |" if with_before else ""))
        print("|---:|---:|---:|---:|" + ("---:|" if with_before else ""))
        for count in sorted(by_count):
            rows = by_count[count]
            line = (f"| {count} | {len(rows)} | {100 * sum(c for c, _, _ in rows) / len(rows):.1f} | "
                    f"{statistics.median(w for _, w, _ in rows):.1f} |")
            if with_before:
                line += f" {100 * sum(b for _, _, b in rows) / len(rows):.1f} |"
            print(line)
        print()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    for path in sys.argv[1:]:
        table(path)


if __name__ == "__main__":
    main()
