#!/usr/bin/env python3
"""Markdown tables for benchmarks/caller/accuracy-and-speed.sh (reads its scratch folder).

Usage: accuracy_tables.py WORK SET...
Counts per caller, read set and half come from `genodose evaluate` (PREFIX.summary.csv, PASS
rows); the two halves are summed before recall, precision and F are computed, so a figure for
the whole region is the sum of two held-out folds. F over all variants uses the SNP + INDEL sums.
"""
import csv
import json
import math
import sys
from collections import defaultdict

CALLERS = ("genodose", "bcftools", "freebayes")


def counts(prefix):
    """{type: (truth TP, truth FN, query TP, query FP)} from one evaluate summary (PASS rows)."""
    out = {}
    with open(prefix + ".summary.csv") as handle:
        for row in csv.DictReader(handle):
            if row["Filter"] == "PASS":
                value = {k: int(float(row[k] or 0)) for k in ("TRUTH.TP", "TRUTH.FN", "QUERY.TOTAL", "QUERY.FP", "QUERY.UNK")}
                query_tp = value["QUERY.TOTAL"] - value["QUERY.FP"] - value["QUERY.UNK"]  # as hap.py
                out[row["Type"]] = (value["TRUTH.TP"], value["TRUTH.FN"], query_tp, value["QUERY.FP"])
    return out


def add(a, b):
    return tuple(x + y for x, y in zip(a, b))


def f_measure(c):
    truth_tp, truth_fn, query_tp, query_fp = c
    recall = truth_tp / (truth_tp + truth_fn) if truth_tp + truth_fn else float("nan")
    precision = query_tp / (query_tp + query_fp) if query_tp + query_fp else float("nan")
    if not recall + precision or math.isnan(recall) or math.isnan(precision):
        return float("nan")
    return 2 * recall * precision / (recall + precision)


def fmt(x):
    return "n/a" if math.isnan(x) else f"{x:.3f}"


def main():
    work, sets = sys.argv[1], sys.argv[2:]
    zero = (0, 0, 0, 0)
    summed = {}  # (caller, set) -> {SNP, INDEL, ALL}
    per_half = {}
    for caller in CALLERS:
        for s in sets:
            total = {"SNP": zero, "INDEL": zero}
            for half in ("first", "second"):
                c = counts(f"{work}/eval.{caller}.{s}.{half}")
                per_half[caller, s, half] = c
                for kind in ("SNP", "INDEL"):
                    total[kind] = add(total[kind], c.get(kind, zero))
            total["ALL"] = add(total["SNP"], total["INDEL"])
            summed[caller, s] = total

    print("\n#### Accuracy by the locus-split protocol (both folds summed); F overall / SNP / indel, PASS calls\n")
    print("| reads | genodose F / SNP / indel | bcftools | freebayes | genodose wins |")
    print("|---|---|---|---|---|")
    for s in sets:
        cells, fs = [], {}
        for caller in CALLERS:
            t = summed[caller, s]
            fs[caller] = {k: f_measure(t[k]) for k in ("ALL", "SNP", "INDEL")}
            cells.append(" / ".join(fmt(fs[caller][k]) for k in ("ALL", "SNP", "INDEL")))
        best = {k: max(fs["bcftools"][k], fs["freebayes"][k]) for k in ("ALL", "SNP", "INDEL")}
        wins = fs["genodose"]["ALL"] > best["ALL"] and fs["genodose"]["SNP"] >= best["SNP"] and fs["genodose"]["INDEL"] >= best["INDEL"]
        print(f"| {s.replace('_', ' ')} | {cells[0]} | {cells[1]} | {cells[2]} | {'yes' if wins else 'no'} |")

    print("\n#### Per fold (half scored; genodose with the fold model that did not train on it): TP/FN/FP\n")
    print("| reads | half | caller | SNP TP/FN/FP | INDEL TP/FN/FP | F overall |")
    print("|---|---|---|---|---|---|")
    for s in sets:
        for half, label in (("first", "10.00-10.05 Mb"), ("second", "10.05-10.10 Mb")):
            for caller in CALLERS:
                c = per_half[caller, s, half]
                snp, indel = c.get("SNP", zero), c.get("INDEL", zero)
                print(f"| {s.replace('_', ' ')} | {label} | {caller} | {snp[0]}/{snp[1]}/{snp[3]} | "
                      f"{indel[0]}/{indel[1]}/{indel[3]} | {fmt(f_measure(add(snp, indel)))} |")

    print("\n#### Anchor: NA12878 52x, chr20:10,000,001-10,010,000 (genodose: the fold model trained on the other half)\n")
    print("| caller | F overall (per allele) | SNP F | indel F | SNP TP/FN/FP | INDEL TP/FN/FP | F per record, whole-record matching (vcfeval semantics) |")
    print("|---|---|---|---|---|---|---|")
    for caller in ("deepvariant", "genodose", "bcftools", "freebayes"):
        c = counts(f"{work}/anchor.{caller}")
        snp, indel = c.get("SNP", zero), c.get("INDEL", zero)
        with open(f"{work}/anchor.{caller}.atomic.metrics.json") as handle:
            record_level = next(r for r in json.load(handle)["record_level"] if r["Filter"] == "PASS")
        name = "DeepVariant 1.1 (its own calls)" if caller == "deepvariant" else caller
        print(f"| {name} | {fmt(f_measure(add(snp, indel)))} | {fmt(f_measure(snp))} | {fmt(f_measure(indel))} | "
              f"{snp[0]}/{snp[1]}/{snp[3]} | {indel[0]}/{indel[1]}/{indel[3]} | {record_level['METRIC.F1_Score']:.3f} |")

    times = {}
    with open(f"{work}/times") as handle:
        for line in handle:
            name, seconds, peak = line.split()
            times[name] = (float(seconds), int(peak) / 1024)
    print("\n#### Time and peak memory, whole 100 kb (shipped model; same machine, run and threads)\n")
    print("| reads | genodose s | bcftools s | freebayes s | genodose / bcftools | genodose peak MB | bcftools peak MB | freebayes peak MB |")
    print("|---|---|---|---|---|---|---|---|")
    for s in sets:
        g, b, f = times[f"genodose.{s}"], times[f"bcftools.{s}"], times[f"freebayes.{s}"]
        print(f"| {s.replace('_', ' ')} | {g[0]:.2f} | {b[0]:.2f} | {f[0]:.2f} | {g[0] / b[0]:.2f}x | {g[1]:.0f} | {b[1]:.0f} | {f[1]:.0f} |")

    gq_table(work, sets, "six read sets")
    # HG002's "errors" include real variants its truth extract lacks (no confident-region BED;
    # the second half has 30-137 such FPs per caller), so the NA12878 rows are the cleaner measure.
    gq_table(work, [s for s in sets if s.startswith("NA12878")], "NA12878 only")
    gq_table(work, [s for s in sets if s.startswith("HG002")], "HG002 only")


def gq_table(work, sets, title):
    """PASS calls binned by GQ: a call is an error unless every one of its non-reference alleles
    is a TP in evaluate's decisions (PASS row) for that record. Stated error = mean 10^(-GQ/10)."""
    wrong = defaultdict(set)  # (set, half) -> {(chrom, pos)} of calls holding an FP allele
    right = defaultdict(set)
    for s in sets:
        for half in ("first", "second"):
            with open(f"{work}/eval.genodose.{s}.{half}.decisions.tsv") as handle:
                for row in csv.DictReader(handle, delimiter="\t"):
                    if row["SET"] != "QUERY":
                        continue
                    key = (row["CHROM"], int(row["RECORD.POS"]))
                    if row["DECISION.PASS"] == "TP":
                        right[s, half].add(key)
                    elif row["DECISION.PASS"] == "FP":
                        wrong[s, half].add(key)
    bins = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50), (50, 100)]
    stats = {b: [0, 0, 0.0] for b in bins}  # calls, errors, summed stated error
    unmatched = 0
    with open(f"{work}/genodose.gq.tsv") as handle:
        for line in handle:
            s, half, chrom, pos, _ref, _alt, _gt, gq = line.rstrip("\n").split("\t")
            if s not in sets:
                continue
            key = (chrom, int(pos))
            if key not in right[s, half] and key not in wrong[s, half]:
                unmatched += 1  # outside the scored half or no decision row (not counted)
                continue
            q = int(gq) if gq not in (".", "") else 0
            b = next(b for b in bins if b[0] <= q < b[1])
            stats[b][0] += 1
            stats[b][1] += key in wrong[s, half]
            stats[b][2] += 10 ** (-q / 10)
    print(f"\n#### GQ calibration: genodose PASS calls of the held-out halves, {title}\n")
    print("| GQ | calls | errors | empirical error rate | stated error rate (mean 10^(-GQ/10)) |")
    print("|---|---|---|---|---|")
    for (lo, hi), (n, e, stated) in stats.items():
        label = f"{lo}-{hi - 1}" if hi < 100 else f">= {lo}"
        if n:
            print(f"| {label} | {n} | {e} | {e / n:.4f} | {stated / n:.4f} |")
        else:
            print(f"| {label} | 0 | 0 | n/a | n/a |")
    if unmatched:
        print(f"\n({unmatched} PASS calls had no decision row and are not counted.)")


if __name__ == "__main__":
    main()
