#!/usr/bin/env python3
"""Summary of a leave-one-site-out run (`genodose dose cross-validate --group-by site --output
loso.json`): in how many sites the model is worse than the refitted IWPC equation, and how far
the per-site interval coverage lies from nominal before and after the local recalibration
(calibrated on one half of each held-out site, scored on the other half).

Usage: site_summary.py loso.json
"""
import json
import statistics
import sys

report = json.load(open(sys.argv[1]))
nominal = report["nominal_coverage"] * 100
sites = report["by_site"]["sites"]
compared = [s for s in sites if s["model_compared"]["n"] > 0]
worse = [s["site"] for s in compared
         if s["model_compared"]["mae_mg_per_week"] > s["iwpc_pharmacogenetic_refit_compared"]["mae_mg_per_week"]]
worse20 = [s["site"] for s in compared
           if s["model_compared"]["within_20_percent"] < s["iwpc_pharmacogenetic_refit_compared"]["within_20_percent"]]
print(f"sites: {len(sites)}; with patients the IWPC equation can dose: {len(compared)}")
print(f"model MAE above the refitted equation's: {len(worse)} of {len(compared)} sites ({', '.join(worse)})")
print(f"model % within 20% below the refitted equation's: {len(worse20)} of {len(compared)} sites ({', '.join(worse20)})")
print()

rows = []
for label, key in [("before", "covered_before"), ("after (scale)", "covered_after_scale"),
                   ("after (shift + scale)", "covered_after_shift_and_scale")]:
    per_site, covered, scored = [], 0, 0
    for s in sites:
        r = s["half_split_recalibration"]
        n = r["scored_patients"]
        k = r[key] if (r["recalibrated"] or key == "covered_before") else r["covered_before"]
        per_site.append(100.0 * k / n)
        covered += k
        scored += n
    below = sum(1 for c in per_site if c < nominal - 5)
    rows.append((label, 100.0 * covered / scored, min(per_site), max(per_site),
                 statistics.mean(abs(c - nominal) for c in per_site), below))
print(f"Interval coverage on the scored halves (nominal {nominal:.0f}%), {len(sites)} sites:")
print()
print("| interval | pooled % | lowest site % | highest site % | mean |site - nominal| (points) | sites below nominal - 5 |")
print("|---|---:|---:|---:|---:|---:|")
for label, pooled, low, high, spread, below in rows:
    print(f"| {label} | {pooled:.1f} | {low:.1f} | {high:.1f} | {spread:.1f} | {below} |")
print()
before = [s["half_split_recalibration"]["scored_mae_before"] for s in sites if s["half_split_recalibration"]["recalibrated"]]
after = [s["half_split_recalibration"]["scored_mae_after_shift"] for s in sites if s["half_split_recalibration"]["recalibrated"]]
better = sum(1 for b, a in zip(before, after) if a < b)
print(f"intercept shift: MAE on the scored halves lower in {better} of {len(before)} recalibrated sites; "
      f"pooled {report['by_site']['pooled']['half_split_recalibration']['scored_mae_before']:.2f} -> "
      f"{report['by_site']['pooled']['half_split_recalibration']['scored_mae_after_shift']:.2f} mg/week")
