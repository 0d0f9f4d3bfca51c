#!/usr/bin/env bash
# Rebuilds the hand-made fixtures of tests/data/evaluation/ (see README.md there): a synthetic
# 2 kb reference and truth/query VCFs with one tricky case per 200 bp window. Every equivalence
# claimed below is checked here by applying the variants to the reference in Python.
# Usage: tests/data/evaluation/make-evaluation-fixtures.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

python3 - <<'PY'
import random

random.seed(20240505)
LENGTH = 2000
ref = [random.choice("ACGT") for _ in range(LENGTH)]

def put(pos1, text):
    """Writes `text` into the reference at 1-based position pos1."""
    for i, c in enumerate(text):
        ref[pos1 - 1 + i] = c

# Motifs for the windows (1-based positions); flanks chosen so that repeats end where stated.
put(118, "GT" + "AC" * 5 + "GG")         # window 1: AC repeat at 120-129, G at 130
put(150, "CG" + "T" * 8 + "CA")          # window 1: T homopolymer 152-159
put(1517, "GCATGCAGTC")                  # window 8: complex
put(760, "CATTTG")                       # window 4: T run at 762-764
seq = "".join(ref)

def base(pos1):
    return seq[pos1 - 1]

def apply(edits):
    """Applies (pos1, ref, alt) edits (non-overlapping) to the reference: one haplotype."""
    out, last = [], 0
    for pos1, r, a in sorted(edits):
        assert seq[pos1 - 1:pos1 - 1 + len(r)] == r, (pos1, r, seq[pos1 - 1:pos1 - 1 + len(r)])
        assert pos1 - 1 >= last, ("overlap", pos1)
        out.append(seq[last:pos1 - 1]); out.append(a); last = pos1 - 1 + len(r)
    out.append(seq[last:])
    return "".join(out)

def other(b):
    return {"A": "C", "C": "G", "G": "T", "T": "A"}[b]

truth, query = [], []   # (pos1, ref, alts, gt, filter)
T = lambda *r: truth.append(r)
Q = lambda *r: query.append(r)

# Window 1 (101-200): the same deletion of one AC unit, left- vs right-aligned; an insertion of T
# in the homopolymer written at its start vs its end.
T(119, "TAC", ["T"], "0/1", "PASS")           # anchor T(119), deletes AC at 120-121
Q(127, "CAC", ["C"], "0/1", "PASS")           # anchor C(127), deletes AC at 128-129
assert apply([(119, "TAC", "T")]) == apply([(127, "CAC", "C")])
T(151, "G", ["GT"], "1/1", "PASS")
Q(159, "T", ["TT"], "1/1", "PASS")
assert apply([(151, "G", "GT")]) == apply([(159, "T", "TT")])

# Window 2 (301-400): two phased het SNPs in truth, one het MNP in the query.
T(320, base(320), [other(base(320))], "0|1", "PASS")
T(321, base(321), [other(base(321))], "0|1", "PASS")
Q(320, base(320) + base(321), [other(base(320)) + other(base(321))], "0/1", "PASS")

# Window 3 (501-600): het in truth, hom-alt in query (genotype error: FN + FP + FP.gt).
T(520, base(520), [other(base(520))], "0/1", "PASS")
Q(520, base(520), [other(base(520))], "1/1", "PASS")

# Window 4 (701-800): multi-allelic het 1/2. SNPs: truth one 1/2 record, query two 0/1 records.
b = base(720)
alts = [c for c in "ACGT" if c != b][:2]
T(720, b, alts, "1/2", "PASS")
Q(720, b, [alts[0]], "0/1", "PASS")
Q(720, b, [alts[1]], "0/1", "PASS")
# Indels in the T run (762-764): deletion of T on one haplotype, insertion on the other,
# written with different padding in truth and query.
T(761, "AT", ["A", "ATT"], "1/2", "PASS")
Q(761, "ATTTG", ["ATTG", "ATTTTG"], "2/1", "PASS")
assert {apply([(761, "AT", "A")]), apply([(761, "AT", "ATT")])} == \
       {apply([(761, "ATTTG", "ATTG")]), apply([(761, "ATTTG", "ATTTTG")])}
# A 1/2 truth called 1/1 by the query: FN (2 alleles), FP (1 allele, FP.gt).
b = base(790)
alts = [c for c in "ACGT" if c != b][:2]
T(790, b, alts, "1/2", "PASS")
Q(790, b, [alts[0]], "1/1", "PASS")

# Window 5 (901-1000): confident BED covers 901-950 only.
T(920, base(920), [other(base(920))], "0/1", "PASS")   # inside: TP
Q(920, base(920), [other(base(920))], "0/1", "PASS")
Q(970, base(970), [other(base(970))], "0/1", "PASS")   # outside, not in truth: UNK
T(980, base(980), [other(base(980))], "1/1", "PASS")   # outside: not counted
Q(980, base(980), [other(base(980))], "1/1", "PASS")   # outside: UNK

# Window 6 (1101-1200): filtered query calls.
T(1120, base(1120), [other(base(1120))], "0/1", "PASS")
Q(1120, base(1120), [other(base(1120))], "0/1", "LowQual")  # TP in ALL, absent from PASS
Q(1150, base(1150), [other(base(1150))], "0/1", "LowQual")  # FP in ALL, absent from PASS
Q(1170, base(1170), [other(base(1170))], "0/1", ".")        # FP in both ('.' counts as PASS)

# Window 7 (1301-1400): reference calls and no-calls are not calls.
Q(1320, base(1320), [other(base(1320))], "0/0", "PASS")
Q(1330, base(1330), [other(base(1330))], "./.", "PASS")
T(1340, base(1340), [other(base(1340))], "0/1", "PASS")
Q(1340, base(1340), [other(base(1340))], "0/1", "PASS")

# Window 8 (1501-1600): SNP + nearby insertion in truth, one complex record in the query.
# reference at 1517: G C A T G C A G T C
T(1519, "A", ["T"], "1/1", "PASS")
T(1522, "C", ["CGG"], "1/1", "PASS")
Q(1518, "CATGC", ["CTTGCGG"], "1/1", "PASS")
assert apply([(1519, "A", "T"), (1522, "C", "CGG")]) == apply([(1518, "CATGC", "CTTGCGG")])

# Window 9 (1701-1800): a truth record failing FILTER is not truth.
T(1720, base(1720), [other(base(1720))], "0/1", "LowConf")

def write_vcf(path, records, contig, sample, filters):
    lines = ["##fileformat=VCFv4.2", f"##contig=<ID={contig},length={LENGTH}>",
             '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">']
    for f in filters:
        lines.append(f'##FILTER=<ID={f},Description="{f}">')
    lines.append("\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", sample]))
    for pos1, r, alts, gt, flt in sorted(records, key=lambda x: x[0]):
        assert seq[pos1 - 1:pos1 - 1 + len(r)] == r, (path, pos1, r)
        lines.append("\t".join([contig, str(pos1), ".", r, ",".join(alts), "50", flt, ".", "GT", gt]))
    open(path, "w").write("\n".join(lines) + "\n")

for name, contig in (("mini_ref.fa", "chr20"), ("mini_ref_20.fa", "20")):
    with open(name, "w") as f:
        f.write(f">{contig}\n")
        for i in range(0, LENGTH, 60):
            f.write(seq[i:i + 60] + "\n")
write_vcf("truth.vcf", truth, "chr20", "TRUTH", ["LowConf"])
write_vcf("query.vcf", query, "chr20", "QUERY", ["LowQual"])
write_vcf("query_20.vcf", query, "20", "QUERY", ["LowQual"])
with open("confident.bed", "w") as f:
    # Everything but 951-1000 (1-based), in two intervals.
    f.write("chr20\t0\t950\nchr20\t1000\t2000\n")
with open("confident_20.bed", "w") as f:
    f.write("20\t0\t950\n20\t1000\t2000\n")
PY

for fasta in mini_ref.fa mini_ref_20.fa; do samtools faidx "$fasta"; done
for vcf in truth query query_20; do
    bgzip -f "$vcf.vcf"
    tabix -f -p vcf "$vcf.vcf.gz"
done
# The same query without its index (for the error path).
cp query.vcf.gz query_noindex.vcf.gz
ls -la
