#!/usr/bin/env python3
"""Independent check that the simulated haplotypes carry exactly the truth variants.

Used by scripts/simulate-training-data.sh after `bcftools consensus -H 1/-H 2`. It rebuilds
each haplotype from the reference windows and the truth VCF on its own (allele GT[h-1] of every
record, phased or not, is applied) and compares it base for base with the consensus output.
A record that overlaps another one applied to the same haplotype is an error: bcftools would
skip it with a warning and the truth would then list a variant that is not in the reads.

Usage: check_haplotypes.py WINDOWS.fa TRUTH.tsv HAPLOTYPE.fa HAPLOTYPE_INDEX(1|2) NAME_PREFIX
  TRUTH.tsv: `bcftools query -f '%CHROM\\t%POS\\t%REF\\t%ALT\\t[%GT]\\n'` of the truth VCF.
  Haplotype sequences are named NAME_PREFIX + CHROM_START_END (e.g. hap1_chr20_60001_1000000).
Exit status 0 when all windows match, 1 otherwise (messages on stderr), 3 on unreadable input.
"""
import re
import sys


def read_fasta(path):
    seqs, name, chunks = {}, None, []
    with open(path) as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith(">"):
                if name is not None:
                    seqs[name] = "".join(chunks).upper()
                name, chunks = line[1:].split()[0], []
            else:
                chunks.append(line)
    if name is not None:
        seqs[name] = "".join(chunks).upper()
    return seqs


def main():
    if len(sys.argv) != 6 or sys.argv[4] not in ("1", "2"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    windows_path, truth_path, hap_path, hap_index, prefix = sys.argv[1:]
    hap = int(hap_index)
    windows = read_fasta(windows_path)
    haplotypes = read_fasta(hap_path)
    records = {}
    with open(truth_path) as handle:
        for row, line in enumerate(handle, 1):
            chrom, pos, ref, alt, gt = line.rstrip("\n").split("\t")
            alleles = re.split(r"[|/]", gt)
            if len(alleles) < hap or alleles[hap - 1] in (".", "0"):
                continue
            allele = [ref] + alt.split(",")
            records.setdefault(chrom, []).append((int(pos), ref, allele[int(alleles[hap - 1])], row))

    problems = 0
    applied = 0
    for name, ref_seq in windows.items():
        m = re.fullmatch(r"(\S+):(\d+)-(\d+)", name)
        if not m:
            print(f"check_haplotypes.py: {windows_path}: bad window name {name}", file=sys.stderr)
            sys.exit(3)
        chrom, start, end = m.group(1), int(m.group(2)), int(m.group(3))
        pieces, cursor = [], start  # cursor: next reference position (1-based) not yet copied
        for pos, ref, alt, row in sorted(r for r in records.get(chrom, []) if start <= r[0] <= end):
            if pos < cursor:
                print(f"check_haplotypes.py: {truth_path}: row {row}: {chrom}:{pos} overlaps an earlier "
                      f"variant on haplotype {hap}", file=sys.stderr)
                problems += 1
                continue
            if ref_seq[pos - start:pos - start + len(ref)] != ref:
                print(f"check_haplotypes.py: {truth_path}: row {row}: REF {ref} does not match the "
                      f"reference at {chrom}:{pos}", file=sys.stderr)
                problems += 1
                continue
            pieces.append(ref_seq[cursor - start:pos - start])
            pieces.append(alt)
            cursor = pos + len(ref)
            applied += 1
        pieces.append(ref_seq[cursor - start:])
        expected = "".join(pieces)
        hap_name = f"{prefix}{chrom}_{start}_{end}"
        got = haplotypes.get(hap_name)
        if got is None:
            print(f"check_haplotypes.py: {hap_path}: sequence {hap_name} is missing", file=sys.stderr)
            problems += 1
        elif got != expected:
            first = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b), min(len(got), len(expected)))
            print(f"check_haplotypes.py: {hap_path}: {hap_name} differs from the truth at offset {first} "
                  f"(lengths {len(got)} vs {len(expected)})", file=sys.stderr)
            problems += 1
    print(f"haplotype {hap}: {applied} truth variants applied, "
          f"{'all windows match' if problems == 0 else f'{problems} problem(s)'}", file=sys.stderr)
    sys.exit(0 if problems == 0 else 1)


if __name__ == "__main__":
    main()
