#!/usr/bin/env python3
"""Writes diverged paralogous copies of segments of the simulated windows (see
scripts/simulate-paralog-reads.sh).

Why: in real genomes ~5% of the sequence lies in segmental duplications. There, reads from the
two copies map with low MAPQ (MAPQ 0 where a read cannot tell them apart), the true variants of
a copy are supported by low-MAPQ reads and diluted by reads from the other copy, and reads of
the other copy that carry its own differences are mismapped onto the first, as low-fraction,
low-MAPQ candidates that are not variants of the sample at that locus. Reads simulated from a
~2 Mb reference never show this (99.7% MAPQ 60, against 94.8% in the bundled real reads), so
the caller never learnt how MAPQ, allele fraction and truth go together there.

For each segment S (chosen at random inside the train and validation regions, seeded):
  * P_ref, the copy that the alignment reference carries, is S with SNVs at a per-segment
    divergence drawn from 1-4% and 1-2 bp indels at a tenth of that rate (segmental
    duplications are by definition >= 90% identical; the ones that disturb short-read mapping
    are the closest, and 1-4% gives MAPQ 0 to few reads and 20-50 to many, as in real data);
  * the sample's two copies of P (P_hap1, P_hap2) are P_ref with, independently per copy,
    private SNVs at 2 per kb and about 30% of P_ref's differences reverted to S's base (gene
    conversion, paralogous sequence variants): such reads look more like S than P_ref and are
    mismapped onto S.
The sample's own S haplotypes are unchanged, so the truth VCFs stay exact: everything the P
reads add at S is, correctly, not a variant of the sample at S.

Usage: paralog_copies.py REFERENCE_WINDOWS_FA REGIONS_BED SEED SEGMENTS_PER_MB OUT_DIR
Writes OUT_DIR/paralog_reference.fa, paralog_hap1.fa, paralog_hap2.fa, segments.bed (the S
segments, chr20 coordinates, 0-based half-open) and segments.tsv (one row per segment).
"""
import os
import random
import sys

from artifact_haplotype import read_fasta  # same folder: on sys.path when run as a script


def write_fasta(path, records):
    with open(path, "w") as handle:
        for name, seq in records:
            handle.write(">" + name + "\n")
            for k in range(0, len(seq), 60):
                handle.write(seq[k:k + 60] + "\n")


def other_base(rng, base):
    return rng.choice([b for b in "ACGT" if b != base])


def diverge(rng, seq, snv_rate, indel_rate):
    """Returns (P_ref, differences): differences maps position in seq -> (ref, alt)."""
    edits = {}
    i = 0
    while i < len(seq):
        r = rng.random()
        if r < snv_rate and seq[i] in "ACGT":
            edits[i] = (seq[i], other_base(rng, seq[i]))
            i += 2
        elif r < snv_rate + indel_rate and i + 3 < len(seq):
            length = rng.randint(1, 2)
            if rng.random() < 0.5:
                edits[i] = (seq[i:i + 1 + length], seq[i])
            else:
                edits[i] = (seq[i], seq[i] + "".join(rng.choice("ACGT") for _ in range(length)))
            i += length + 3
        else:
            i += 1
    return edits


def apply_edits(seq, edits):
    out, cursor = [], 0
    for j in sorted(edits):
        ref, alt = edits[j]
        out.append(seq[cursor:j])
        out.append(alt)
        cursor = j + len(ref)
    out.append(seq[cursor:])
    return "".join(out)


def main():
    reference_fa, regions_bed, seed, per_mb, out_dir = sys.argv[1:6]
    rng = random.Random(int(seed))
    windows = {}
    for name, seq in read_fasta(reference_fa):
        contig, span = name.split(":")
        windows[(contig, int(span.split("-")[0]) - 1)] = seq
    regions = []
    with open(regions_bed) as handle:
        for line in handle:
            if line.strip():
                contig, start, end = line.split()[:3]
                regions.append((contig, int(start), int(end)))

    references, hap1, hap2, bed, table = [], [], [], [], []
    for contig, start, end in regions:
        window = next(((offset, seq) for (c, offset), seq in windows.items()
                       if c == contig and offset <= start and end <= offset + len(seq)), None)
        if window is None:
            sys.exit("paralog_copies.py: region %s:%d-%d is not inside one window" % (contig, start, end))
        offset, seq = window
        count = max(1, round((end - start) / 1e6 * float(per_mb)))
        # Non-overlapping segments, 3-12 kb, at least 2 kb apart.
        chosen = []
        for _ in range(count * 20):
            if len(chosen) == count:
                break
            length = rng.randint(3000, 12000)
            s = rng.randint(start + 1000, end - length - 1000)
            if any(s < e + 2000 and b < s + length + 2000 for b, e in chosen):
                continue
            if "N" in seq[s - offset:s - offset + length]:
                continue
            chosen.append((s, s + length))
        for s, e in sorted(chosen):
            segment = seq[s - offset:e - offset]
            divergence = rng.uniform(0.01, 0.04)
            differences = diverge(rng, segment, divergence, divergence / 10)
            p_ref = apply_edits(segment, differences)
            name = "paralog_%s_%d" % (contig, s + 1)
            references.append((name, p_ref))
            private_counts = []
            for copy, haps in ((1, hap1), (2, hap2)):
                kept = {j: d for j, d in differences.items() if rng.random() >= 0.3}
                private = {}
                for j in range(len(segment)):
                    if rng.random() < 0.002 and j not in differences and all(
                            not (k <= j < k + len(d[0]) + 1) for k, d in differences.items() if abs(k - j) < 4):
                        private[j] = (segment[j], other_base(rng, segment[j]))
                private_counts.append(len(private))
                haps.append(("%s_hap%d" % (name, copy), apply_edits(segment, {**kept, **private})))
            bed.append((contig, s, e))
            table.append((name, contig, s, e, round(divergence, 4), len(differences),
                          private_counts[0], private_counts[1]))

    os.makedirs(out_dir, exist_ok=True)
    write_fasta(os.path.join(out_dir, "paralog_reference.fa"), references)
    write_fasta(os.path.join(out_dir, "paralog_hap1.fa"), hap1)
    write_fasta(os.path.join(out_dir, "paralog_hap2.fa"), hap2)
    with open(os.path.join(out_dir, "segments.bed"), "w") as handle:
        for row in bed:
            handle.write("%s\t%d\t%d\n" % row)
    with open(os.path.join(out_dir, "segments.tsv"), "w") as handle:
        handle.write("paralog\tcontig\tstart\tend\tdivergence\tdifferences\tprivate_hap1\tprivate_hap2\n")
        for row in table:
            handle.write("%s\t%s\t%d\t%d\t%.4f\t%d\t%d\t%d\n" % row)
    total = sum(e - s for _, s, e in bed)
    print("paralog segments: %d, %d bp" % (len(bed), total), file=sys.stderr)


if __name__ == "__main__":
    main()
