#!/usr/bin/env bash
# Derives data/reference/iwpc_cohort/warfarin_dose_by_genotype.tsv — the dose distribution of
# IWPC patients per CYP2C9 diplotype x VKORC1 -1639 genotype group, shown as "cohort context" in
# genodose reports — from the IWPC development data (../shared/data/iwpc/iwpc_dev.csv).
# Deterministic: the same input gives a byte-identical table.
#
#   scripts/make-cohort-table.sh [path/to/iwpc_dev.csv]
#
# Rules (documented in data/reference/iwpc_cohort/README.md):
# - patients without a therapeutic dose are left out (as the IWPC did);
# - VKORC1 -1639 from the "VKORC1 -1639 consensus" column; where missing, the IWPC imputation
#   rules of shared/data/iwpc/README.md (2255, 1173, 1542 and race); still missing: left out of
#   the VKORC1 groups;
# - CYP2C9 from "CYP2C9 consensus"; only *1/*1, *1/*2, *1/*3, *2/*2, *2/*3, *3/*3 form groups
#   (other diplotypes are too rare in the cohort);
# - a group with fewer than 20 patients gets its count only (no percentiles, no histogram);
# - percentiles: linear interpolation between order statistics (R type 7 / numpy default);
#   histogram: 5 mg/week bins [0,5), [5,10), ..., [95,100) and an open bin >= 100.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
iwpc=${1:-$root/../shared/data/iwpc/iwpc_dev.csv}
out=$root/data/reference/iwpc_cohort/warfarin_dose_by_genotype.tsv
[ -r "$iwpc" ] || { echo "make-cohort-table: cannot read $iwpc" >&2; exit 3; }
mkdir -p "$(dirname "$out")"
python3 - "$iwpc" "$out.tmp" <<'PYTHON'
import csv, hashlib, math, sys

source, target = sys.argv[1], sys.argv[2]
MIN_PATIENTS = 20
BIN_WIDTH = 5.0
BINS = 21  # 20 bins of 5 mg/week up to 100, then >= 100
CYP2C9_GROUPS = ["*1/*1", "*1/*2", "*1/*3", "*2/*2", "*2/*3", "*3/*3"]
VKORC1_GROUPS = ["G/G", "G/A", "A/A"]

def vkorc1_from_consensus(text):
    return {"G/G": "G/G", "A/G": "G/A", "G/A": "G/A", "A/A": "A/A"}.get(text.strip())

def impute_vkorc1(row):
    # shared/data/iwpc/README.md: first rule that applies wins; "not Black" = White or Asian.
    race = row["Race (OMB)"].strip()
    not_black = race in ("White", "Asian")
    g2255 = row["VKORC1 2255 consensus"].strip()
    g1173 = row["VKORC1 1173 consensus"].strip()
    g1542 = row["VKORC1 1542 consensus"].strip()
    if not_black and g2255 in ("C/C", "T/T", "C/T"):
        return {"C/C": "G/G", "T/T": "A/A", "C/T": "G/A"}[g2255]
    if g1173 in ("C/C", "T/T", "C/T"):
        return {"C/C": "G/G", "T/T": "A/A", "C/T": "G/A"}[g1173]
    if not_black and g1542 in ("G/G", "C/C", "C/G"):
        return {"G/G": "G/G", "C/C": "A/A", "C/G": "G/A"}[g1542]
    return None

def quantile(sorted_values, p):
    n = len(sorted_values)
    h = (n - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])

patients = []
with open(source, newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        dose_text = row["Therapeutic Dose of Warfarin"].strip()
        if dose_text in ("", "NA"):
            continue
        dose = float(dose_text)
        vkorc1 = vkorc1_from_consensus(row["VKORC1 -1639 consensus"]) or impute_vkorc1(row)
        cyp2c9 = row["CYP2C9 consensus"].strip()
        patients.append((cyp2c9 if cyp2c9 in CYP2C9_GROUPS else None, vkorc1, dose))

def line(cyp2c9, vkorc1, doses):
    doses = sorted(doses)
    fields = [cyp2c9, vkorc1, str(len(doses))]
    if len(doses) < MIN_PATIENTS:
        return "\t".join(fields + ["NA"] * 9)
    qs = [quantile(doses, p) for p in (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)]
    counts = [0] * BINS
    for d in doses:
        counts[min(int(d // BIN_WIDTH), BINS - 1)] += 1
    return "\t".join(fields + ["%.1f" % q for q in qs] + ["%g" % BIN_WIDTH, ",".join(map(str, counts))])

digest = hashlib.sha256(open(source, "rb").read()).hexdigest()
lines = [
    "# Weekly warfarin dose (mg/week) of IWPC patients by CYP2C9 diplotype and VKORC1 -1639 genotype.",
    "# Derived by scripts/make-cohort-table.sh from the IWPC data set (PharmGKB), CC BY-SA 4.0;",
    "# cite: International Warfarin Pharmacogenetics Consortium, N Engl J Med 2009;360:753-64.",
    "# Source: %d patients of iwpc_dev.csv (sha256 %s) with a therapeutic dose." % (len(patients), digest),
    "# 'any' = all patients regardless of that gene; NA = fewer than %d patients (count only)." % MIN_PATIENTS,
    "\t".join(["cyp2c9", "vkorc1_1639", "patients", "p05", "p10", "p25", "p50", "p75", "p90", "p95",
               "bin_width", "histogram"]),
]
for c in CYP2C9_GROUPS:
    for v in VKORC1_GROUPS:
        lines.append(line(c, v, [d for (pc, pv, d) in patients if pc == c and pv == v]))
for c in CYP2C9_GROUPS:
    lines.append(line(c, "any", [d for (pc, pv, d) in patients if pc == c]))
for v in VKORC1_GROUPS:
    lines.append(line("any", v, [d for (pc, pv, d) in patients if pv == v]))
lines.append(line("any", "any", [d for (pc, pv, d) in patients]))
with open(target, "w", encoding="utf-8") as out:
    out.write("\n".join(lines) + "\n")
PYTHON
mv "$out.tmp" "$out"
echo "make-cohort-table: wrote $out" >&2
