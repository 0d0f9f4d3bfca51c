#!/usr/bin/env python3
"""Writes an "artifact haplotype": the reference windows with seeded random differences that the
simulated sample does NOT carry (see scripts/simulate-artifact-reads.sh).

Reads simulated from it and mixed into a sample's BAM at a low fraction produce candidate sites
at 10-30% allele fraction whose truth label is hom-ref, as contamination, mismapped paralogous
reads and systematic errors do in real data. Differences: SNVs (single, or clusters of 3-5
within 40 bp, like a paralog), and 1-3 bp indels, half of them in homopolymer runs. Only
segments of SEGMENT_FLANK bp around the differences are written, and no difference lies within
SEGMENT_FLANK + 50 bp of a truth variant: the extra reads must not dilute the allele fraction of
true variants (a het must keep looking like a het).

Usage: artifact_haplotype.py REFERENCE_WINDOWS_FA TRUTH_VCF_GZ SEED OUT_FA OUT_TSV
"""
import gzip
import random
import sys


def read_fasta(path):
    records, name, chunks = [], None, []
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if line.startswith(">"):
                if name:
                    records.append((name, "".join(chunks)))
                name, chunks = line[1:].split()[0], []
            else:
                chunks.append(line.upper())
    if name:
        records.append((name, "".join(chunks)))
    return records


SEGMENT_FLANK = 450


def truth_positions(path):
    positions = set()
    with gzip.open(path, "rt") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            fields = line.split("\t", 5)
            pos = int(fields[1]) - 1
            for p in range(pos - SEGMENT_FLANK - 50, pos + len(fields[3]) + SEGMENT_FLANK + 50):
                positions.add(p)
    return positions


def main():
    reference_fa, truth_vcf, seed, out_fa, out_tsv = sys.argv[1:6]
    rng = random.Random(int(seed))
    blocked = truth_positions(truth_vcf)
    out_records, table = [], []
    for name, seq in read_fasta(reference_fa):
        contig, span = name.split(":")
        offset = int(span.split("-")[0]) - 1  # window start, 0-based
        edits = {}  # window index -> (ref, alt)
        i = 50
        while i < len(seq) - 50:
            i += rng.randint(150, 450)
            if i >= len(seq) - 50:
                break
            genome = offset + i
            if any(p in blocked for p in range(genome - 5, genome + 45)) or "N" in seq[i - 5:i + 45]:
                continue
            kind = rng.random()
            if kind < 0.45:  # single SNV
                edits[i] = (seq[i], rng.choice([b for b in "ACGT" if b != seq[i]]))
            elif kind < 0.60:  # paralog-like cluster
                for j in sorted(rng.sample(range(i, i + 40), rng.randint(3, 5))):
                    edits[j] = (seq[j], rng.choice([b for b in "ACGT" if b != seq[j]]))
            else:  # indel, half in a homopolymer
                j = i
                if rng.random() < 0.5:
                    for k in range(i, i + 40):
                        if seq[k] == seq[k + 1] == seq[k + 2] == seq[k + 3]:
                            j = k
                            break
                length = rng.randint(1, 3)
                if rng.random() < 0.5:
                    edits[j] = (seq[j:j + 1 + length], seq[j])  # deletion after the anchor
                else:
                    edits[j] = (seq[j], seq[j] + "".join(rng.choice("ACGT") for _ in range(length)))
        # Segments: [first edit - flank, last edit + flank] of edits closer than 2 flanks.
        kept = []
        last = 0
        for j in sorted(edits):
            if j < last:
                continue
            kept.append(j)
            last = j + len(edits[j][0])
        groups = []
        for j in kept:
            if groups and j - groups[-1][-1] < 2 * SEGMENT_FLANK:
                groups[-1].append(j)
            else:
                groups.append([j])
        for group in groups:
            start = max(0, group[0] - SEGMENT_FLANK)
            end = min(len(seq), group[-1] + len(edits[group[-1]][0]) + SEGMENT_FLANK)
            out, cursor = [], start
            for j in group:
                ref, alt = edits[j]
                out.append(seq[cursor:j])
                out.append(alt)
                cursor = j + len(ref)
                table.append((contig, offset + j + 1, ref, alt))
            out.append(seq[cursor:end])
            out_records.append(("%s_artifact_%d" % (contig, offset + start + 1), "".join(out)))
    with open(out_fa, "w") as handle:
        for name, seq in out_records:
            handle.write(">" + name + "\n")
            for k in range(0, len(seq), 60):
                handle.write(seq[k:k + 60] + "\n")
    with open(out_tsv, "w") as handle:
        handle.write("contig\tpos\tref\talt\n")
        for row in table:
            handle.write("%s\t%d\t%s\t%s\n" % row)
    print("artifact differences: %d" % len(table), file=sys.stderr)


if __name__ == "__main__":
    main()
