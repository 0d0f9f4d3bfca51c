#!/usr/bin/env bash
# Key pharmacogene positions genotyped from low-depth reads (issue 22): `genodose genotype --reads`
# against bcftools, on patients simulated as the bundled example is (scripts/make-example-data.sh:
# real GRCh38 RefSeqGene sequence of CYP2C9, VKORC1, CYP4F2 with chosen variants, art_illumina
# HS25 2x150, fragments 550+-150, bwa mem), but at ~10x (5x per haplotype) and with several seeds.
#
#   benchmarks/pgx/low-depth-key-positions.sh [GENODOSE] [SEEDS] [FOLD]
#   (defaults: build/genodose, "1 2 3", 5 = art_illumina fold per haplotype, ~10x in all)
#   Environment: MODEL, a caller model other than the shipped one (genotype --model).
#
# Key positions: CYP2C9 *2 *3 *5 *6 *8 *11 (AMP tier 1), VKORC1 rs9923231, CYP4F2 rs2108622
# (rs12777823 lies outside the simulated regions). For each BAM and key position it compares with
# the simulated truth:
#   genodose now      genotype --reads as built (key positions genotyped from the evidence there is);
#   genodose before   the same run with the rule of before issue 22 applied to its JSON: a
#                     reference call without a candidate needed depth >= 8 and GQ >= 20, else the
#                     position was not called (the only thing that changed for these positions);
#   bcftools          bcftools mpileup -a AD,DP | bcftools call -m (all sites), as the example VCFs.
# and counts CYP2C9 results reported as a confident *1/*1 Normal Metabolizer although a key
# position was not called or is wrong, and (now) CYP2C9 calls against the simulated diplotype.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/scripts/lib/simulate_patient.sh"
genodose=${1:-$root/build/genodose}
seeds=${2:-1 2 3}
fold=${3:-5}
for tool in art_illumina bwa samtools bcftools python3; do
  command -v "$tool" >/dev/null || { echo "$tool not found (scripts/install-deps.sh)" >&2; exit 3; }
done
refseq=$root/data/reference/pgx/refseq/warfarin_genes_GRCh38.fa
genome=$root/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

gene_regions "$refseq" >"$tmp/regions.tsv"
cp "$refseq" "$tmp/regions.fa"
(cd "$tmp" && samtools faidx regions.fa && bwa index regions.fa 2>/dev/null)

# Key positions: chrom pos ref alt name
cat >"$tmp/keys.tsv" <<'KEYS'
chr10	94942290	C	T	CYP2C9*2
chr10	94942309	G	A	CYP2C9*8
chr10	94949281	GA	G	CYP2C9*6
chr10	94981224	C	T	CYP2C9*11
chr10	94981296	A	C	CYP2C9*3
chr10	94981301	C	G	CYP2C9*5
chr16	31096368	C	T	VKORC1-1639
chr19	15879621	C	T	CYP4F2*3
KEYS
awk -F'\t' '{print $1"\t"$2}' "$tmp/keys.tsv" >"$tmp/targets.tsv"

# Patients: name "chrom:pos:ref:alt:haplotypes ..." (the example's three, plus *6 and *5/*8 carriers).
patients=(
  "P1|*1/*3|chr10:94981296:A:C:2 chr16:31096368:C:T:1 chr19:15879621:C:T:2"
  "P2|*2/*3|chr10:94942290:C:T:1 chr10:94981296:A:C:2 chr16:31096368:C:T:12"
  "P3|*1/*1|chr19:15879621:C:T:12"
  "P4|*1/*6|chr10:94949281:GA:G:1 chr16:31096368:C:T:2"
  "P5|*5/*8|chr10:94981301:C:G:1 chr10:94942309:G:A:2"
)

simulate() {  # NAME SEED VARIANTS -> $tmp/NAME.bam
  simulate_patient "$tmp" "$refseq" "$genome" "$1" "$2" "$fold" "@RG\tID:$1\tSM:$1" "$3"
}

: >"$tmp/truth.tsv"
for seed in $seeds; do
  for entry in "${patients[@]}"; do
    base=${entry%%|*}; rest=${entry#*|}; diplotype=${rest%%|*}; variants=${rest#*|}; name="$base-s$seed"
    simulate "$name" "$((seed * 100 + ${base#P}))" "$variants"
    echo -e "$name\t$variants\t$diplotype" >>"$tmp/truth.tsv"
    "$genodose" --quiet genotype --reads "$tmp/$name.bam" --ref "$genome" ${MODEL:+--model "$MODEL"} --output "$tmp/$name.json"
    bcftools mpileup --no-version -f "$genome" -T "$tmp/targets.tsv" -a FORMAT/AD,FORMAT/DP -Ou "$tmp/$name.bam" 2>/dev/null \
      | bcftools call --no-version -m -Oz -o "$tmp/$name.bcftools.vcf.gz" 2>/dev/null
  done
done

python3 - "$tmp" <<'PYTHON'
import gzip, json, sys
tmp = sys.argv[1]
keys = [l.rstrip("\n").split("\t") for l in open(tmp + "/keys.tsv")]
truth = [l.rstrip("\n").split("\t") for l in open(tmp + "/truth.tsv")]

def true_genotype(variants, chrom, pos, ref, alt):
    count = 0
    for v in variants.split():
        c, p, r, a, which = v.split(":")
        if c == chrom and int(p) == pos:
            count = len(which)
    return "/".join([ref] * (2 - count) + [alt] * count)

def norm(alleles):
    return "/".join(sorted(alleles))

rows = {"genodose now": [0, 0, 0], "genodose before": [0, 0, 0], "bcftools": [0, 0, 0]}  # correct, wrong, not called
confident_normal = {"now": 0, "before": 0}
samples = 0
cyp2c9_outcomes = {}
for name, variants, true_diplotype in truth:
    samples += 1
    report = json.load(open("%s/%s.json" % (tmp, name)))["samples"][0]
    positions = {}
    for gene in report["genes"].values():
        for p in gene["positions"]:
            positions[(p["chromosome"], p["position"])] = p
    bcf = {}
    with gzip.open("%s/%s.bcftools.vcf.gz" % (tmp, name), "rt") as vcf:
        for line in vcf:
            if line.startswith("#"): continue
            f = line.rstrip("\n").split("\t")
            alleles = [f[3]] + (f[4].split(",") if f[4] != "." else [])
            gt = f[9].split(":")[0].replace("|", "/")
            if "." in gt: continue
            bcf.setdefault((f[0], int(f[1])), []).append((alleles, [int(i) for i in gt.split("/")]))
    key_problem = {"now": False, "before": False}
    for chrom, pos, ref, alt, label in keys:
        pos = int(pos)
        want = norm(true_genotype(variants, chrom, pos, ref, alt).split("/"))
        p = positions[(chrom, pos)]
        now = norm(p["alleles"]) if p["status"] == "called" else None
        low = p["status"] == "called" and now == norm([ref, ref]) and ((p["depth"] or 0) < 8 or (p["genotype_quality"] or 0) < 20)
        before = None if low else now
        for which, value in (("now", now), ("before", before)):
            row = rows["genodose " + which]
            if value is None: row[2] += 1
            elif value == want: row[0] += 1
            else: row[1] += 1
            if chrom == "chr10" and value != want: key_problem[which] = True
        # bcftools: a deletion is written from its anchor base (GA>G at 94949281), SNVs at their position.
        # Alleles in the key position's spelling: REF is its ref; an ALT that with REF makes its
        # ref>alt (after trimming a shared suffix: GAA>GA is GA>G) is its alt; anything else as is.
        def spelled(record_ref, allele):
            if allele == record_ref: return ref
            r, a = record_ref, allele
            while len(r) > 1 and len(a) > 1 and r[-1] == a[-1]: r, a = r[:-1], a[:-1]
            return alt if (r, a) == (ref, alt) else allele
        got = None
        records = bcf.get((chrom, pos), [])
        indel = [r for r in records if len(r[0]) > 1]   # a record with an ALT: the indel call when there is one
        for alleles, gt in (indel or records)[:1]:
            got = norm([spelled(alleles[0], alleles[i]) for i in gt])
        row = rows["bcftools"]
        if got is None: row[2] += 1
        elif got == want: row[0] += 1
        else: row[1] += 1
    cyp2c9 = report["genes"]["CYP2C9"]
    tested = cyp2c9["call_from_tested_alleles"]
    call = cyp2c9["diplotypes"][0] if len(cyp2c9["diplotypes"]) == 1 else tested["diplotype"] if tested else None
    phenotype = cyp2c9["phenotype"] or (tested["phenotype"] if tested and len(cyp2c9["diplotypes"]) > 1 and not cyp2c9["phenotype_qualifier"] else None)
    outcome = ("right" if call == true_diplotype else "wrong" if call else "no single") + " diplotype, " + \
              ("phenotype " + phenotype if phenotype else "phenotype not determined")
    cyp2c9_outcomes[outcome] = cyp2c9_outcomes.get(outcome, 0) + 1
    # "before" phenotypes: a *1/*1 Normal reported while a CYP2C9 key position was uncalled or wrong.
    if cyp2c9["diplotypes"] == ["*1/*1"]:
        if key_problem["before"]: confident_normal["before"] += 1
        if key_problem["now"] and cyp2c9["phenotype"] == "Normal Metabolizer" and not cyp2c9["phenotype_qualifier"]:
            confident_normal["now"] += 1
total = samples * len(keys)
print("| caller | key positions | correct | wrong | not called |")
print("|---|---|---|---|---|")
for name, (correct, wrong, missing) in rows.items():
    print("| %s | %d | %d | %d | %d |" % (name, total, correct, wrong, missing))
print()
print("BAMs: %d; CYP2C9 reported *1/*1 with a CYP2C9 key position not called or wrong, before: %d of %d "
      "(phenotype then 'Normal Metabolizer' unqualified); now with an unqualified Normal phenotype: %d"
      % (samples, confident_normal["before"], samples, confident_normal["now"]))
print("CYP2C9 now, per BAM: " + "; ".join("%s: %d" % item for item in sorted(cyp2c9_outcomes.items())))
PYTHON
