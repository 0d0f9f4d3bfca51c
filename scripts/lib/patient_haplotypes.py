#!/usr/bin/env python3
"""The two haplotypes of a simulated patient over the warfarin gene regions.

Usage: patient_haplotypes.py REFSEQ.fa REGIONS.tsv PREFIX "chrom:pos:ref:alt:haplotypes ..."
  REFSEQ.fa    the RefSeqGene sequences (data/reference/pgx/refseq/warfarin_genes_GRCh38.fa)
  REGIONS.tsv  name, GRCh38 chrom, 0-based begin, end per sequence (gene_regions in
               scripts/lib/simulate_patient.sh)
  haplotypes   1, 2 or 12: which haplotypes carry the variant (1-based GRCh38 position)
Writes PREFIX.hap1.fa and PREFIX.hap2.fa; exits with a message if a REF does not match.
Used by scripts/make-example-data.sh and benchmarks/pgx/low-depth-key-positions.sh.
"""
import sys
refseq, regions_path, prefix, variants = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
seqs, name = {}, None
for line in open(refseq):
    line = line.strip()
    if line.startswith(">"):
        name = line[1:].split()[0]; seqs[name] = []
    else:
        seqs[name].append(line.upper())
regions = [l.split("\t") for l in open(regions_path).read().split("\n") if l]
haps = {h: {g: bytearray("".join(s).encode()) for g, s in seqs.items()} for h in (1, 2)}
for v in variants:
    chrom, pos, ref, alt, which = v.split(":")
    pos = int(pos)
    gene, begin = next((g, int(b)) for g, c, b, e in regions if c == chrom and int(b) < pos <= int(e))
    offset = pos - 1 - begin
    for h in (1, 2):
        seq = haps[h][gene]
        if bytes(seq[offset:offset + len(ref)]).decode() != ref:
            sys.exit("REF mismatch at %s:%d: sequence has %s, variant says %s" % (chrom, pos, seq[offset:offset + len(ref)].decode(), ref))
        if str(h) in which:
            seq[offset:offset + len(ref)] = alt.encode()
for h in (1, 2):
    with open("%s.hap%d.fa" % (prefix, h), "w") as out:
        for gene in seqs:
            out.write(">%s_h%d\n" % (gene, h))
            s = haps[h][gene].decode()
            for i in range(0, len(s), 60):
                out.write(s[i:i + 60] + "\n")
