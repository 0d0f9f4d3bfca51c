#!/usr/bin/env bash
# Rebuilds caller_ref.fa and caller.bam (tests/data/calling/README.md): a hand-designed pileup
# with known genotypes, for the variant_caller and site_caller unit tests. No external data.
# Usage: tests/data/calling/make-caller-fixtures.sh   (needs python3 and samtools)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python3 - "$here/caller_ref.fa" "$here/caller.sam" <<'PY'
import random
import sys

rng = random.Random(20261207)
ref = {"ctg1": list(rng.choice("ACGT") for _ in range(2000)),
       "ctg2": list(rng.choice("ACGT") for _ in range(500))}
# 0-based positions. An AAAAA run at 1300-1304 between a C and a G, for a deletion that has
# several spellings (left-aligned: anchor C at 1299).
ref["ctg1"][1299:1306] = list("CAAAAAG")
ref = {name: "".join(bases) for name, bases in ref.items()}
seq = ref["ctg1"]

HOM_SNV, HET_SNV, LOW_FRACTION_SNV = 500, 900, 1450
DELETIONS = [(1200, 2), (1304, 1)]  # het: (first deleted base, length); the run's A deleted at its right end
# The deletion at 1200 has one spelling only (neither left- nor right-shiftable).
assert seq[1199] != seq[1201] and seq[1200] != seq[1202]


def other(base):
    return {"A": "G", "C": "T", "G": "A", "T": "C"}[base]


with open(sys.argv[1], "w") as out:
    for name, bases in ref.items():
        out.write(f">{name}\n")
        for i in range(0, len(bases), 60):
            out.write(bases[i:i + 60] + "\n")

# A haplotype as (reference position, base) pairs; a deleted base is absent.
reference_haplotype = [(p, b) for p, b in enumerate(seq)]
deleted = {p for start, length in DELETIONS for p in range(start, start + length)}
alt_haplotype = [(p, other(b) if p in (HOM_SNV, HET_SNV) else b) for p, b in enumerate(seq) if p not in deleted]
reference_haplotype[HOM_SNV] = (HOM_SNV, other(seq[HOM_SNV]))

READ_LEN, STEP, FIRST, LAST = 100, 4, 200, 1500  # reads start every 4 bp in [200, 1500]: depth 25
with open(sys.argv[2], "w") as out:
    out.write("@HD\tVN:1.6\tSO:coordinate\n")
    for name, bases in ref.items():
        out.write(f"@SQ\tSN:{name}\tLN:{len(bases)}\n")
    out.write("@RG\tID:rg1\tSM:CALLER\n")
    for index, start in enumerate(range(FIRST, LAST + 1, STEP)):
        # Every other read is from the haplotype with the het variants.
        haplotype = alt_haplotype if index % 2 == 1 else reference_haplotype
        first = next(i for i, (p, _) in enumerate(haplotype) if p >= start)
        read = haplotype[first:first + READ_LEN]
        positions = [p for p, _ in read]
        gaps = [i for i in range(1, READ_LEN) if positions[i] != positions[i - 1] + 1]
        if any(i < 10 or READ_LEN - i < 10 for i in gaps):
            continue  # an aligner would clip so short a flank; leave such reads out
        cigar, last = "", 0
        for i in gaps:
            cigar += f"{i - last}M{positions[i] - positions[i - 1] - 1}D"
            last = i
        cigar += f"{READ_LEN - last}M"
        bases = [b for _, b in read]
        if LOW_FRACTION_SNV in positions and index % 6 == 0:  # 1 read in 6 with another base
            bases[positions.index(LOW_FRACTION_SNV)] = other(seq[LOW_FRACTION_SNV])
        quality = "".join(chr(33 + rng.randint(30, 40)) for _ in bases)
        flag = 16 if index % 4 >= 2 else 0
        out.write(f"read{index:03d}\t{flag}\tctg1\t{start + 1}\t60\t{cigar}\t*\t0\t0\t{''.join(bases)}\t{quality}\tRG:Z:rg1\n")
PY
samtools faidx "$here/caller_ref.fa"
samtools view -b --no-PG -o "$here/caller.bam" "$here/caller.sam"
samtools index "$here/caller.bam"
rm "$here/caller.sam"
