#!/usr/bin/env bash
# Makes the bundled example (data/example/) and its reference (data/reference/example_genome/):
# three synthetic patients whose reads are simulated from the real GRCh38 sequence of CYP2C9,
# VKORC1 and CYP4F2 (NCBI RefSeqGene, data/reference/pgx/refseq/) carrying chosen genotypes.
# Deterministic (fixed seeds; tool versions in data/example/README.md): a rerun gives the same files.
#
#   scripts/make-example-data.sh            # needs art_illumina, bwa, samtools, bcftools, bgzip, tabix, python3
#
# What it does:
#  1. reference: full-length GRCh38 chr10, chr16 and chr19 (133,797,422 / 90,338,345 / 58,617,616 bp), N
#     everywhere except the three RefSeqGene regions, which carry their real sequence at their real
#     GRCh38 coordinates; bgzip + faidx. (N runs compress to almost nothing.)
#  2. per patient: two haplotypes of each gene region with the chosen variants (REF checked against
#     the sequence), 2x150 bp HS25 reads by art_illumina (15x per haplotype = 30x; fragments
#     550+-150 bp, as the caller's training data), bwa mem.
#     bwa mem aligns to the three gene regions only (indexing 280 Mb of mostly-N sequence would take
#     minutes and add nothing: no read can align to N); the alignments are then moved to the
#     regions' GRCh38 coordinates on chr10/chr16/chr19 (POS + the region's offset, @SQ lines of the
#     full-length reference), which is exactly what aligning to the full reference gives for reads
#     drawn from inside the regions. samtools sort + index.
#  3. VCF: bcftools mpileup + call (-m, all sites) at the pharmacogene positions inside the regions:
#     what a lab's pipeline would hand to `genodose run --vcf`. Patient 1's VCF comes from the same
#     reads as its BAM; patients 2 and 3 ship as VCF only (their BAMs are not kept).
#  4. patient JSON files and a 3-patient sample sheet for `genodose batch`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/scripts/lib/simulate_patient.sh"
for tool in art_illumina bwa samtools bcftools bgzip tabix python3; do
  command -v "$tool" >/dev/null || { echo "make-example-data: $tool not found (scripts/install-deps.sh)" >&2; exit 3; }
done
log() { echo "make-example-data: $*" >&2; }

refseq=data/reference/pgx/refseq/warfarin_genes_GRCh38.fa
genome_dir=data/reference/example_genome
genome=$genome_dir/GRCh38_warfarin_genes.fa.gz
example=data/example
mkdir -p "$genome_dir" "$example"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Gene regions from the RefSeqGene headers: name chrom begin0 (GRCh38, 0-based).
gene_regions "$refseq" >"$tmp/regions.tsv"

# --- 1. reference -----------------------------------------------------------------------------
if [ ! -s "$genome" ] || [ ! -s "$genome.fai" ] || [ ! -s "$genome.gzi" ]; then
  log "reference: chr10, chr16, chr19 at full GRCh38 length, N outside the gene regions"
  python3 - "$refseq" "$tmp/regions.tsv" >"$tmp/genome.fa" <<'PYTHON'
import sys
lengths = [("chr10", 133797422), ("chr16", 90338345), ("chr19", 58617616)]
seqs, name = {}, None
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith(">"):
        name = line[1:].split()[0]; seqs[name] = []
    else:
        seqs[name].append(line.upper())
regions = [l.split("\t") for l in open(sys.argv[2]).read().split("\n") if l]
out = sys.stdout
for chrom, length in lengths:
    sequence = bytearray(b"N" * length)
    for gene, c, begin, end in regions:
        if c != chrom: continue
        s = "".join(seqs[gene]).encode()
        assert len(s) == int(end) - int(begin), gene
        sequence[int(begin):int(end)] = s
    out.write(">%s\n" % chrom)
    for i in range(0, length, 60):
        out.write(sequence[i:i + 60].decode() + "\n")
PYTHON
  bgzip -@ 2 -c "$tmp/genome.fa" >"$tmp/genome.fa.gz"
  samtools faidx "$tmp/genome.fa.gz"
  mv "$tmp/genome.fa.gz" "$genome"; mv "$tmp/genome.fa.gz.fai" "$genome.fai"; mv "$tmp/genome.fa.gz.gzi" "$genome.gzi"
fi

# The gene regions as bwa's reference (plus strand, as in the genome).
cp "$refseq" "$tmp/regions.fa"
(cd "$tmp" && samtools faidx regions.fa && bwa index regions.fa 2>/dev/null)

# The pharmacogene positions inside the regions (for the VCFs): every defined position.
python3 - data/reference/pgx/definition "$tmp/regions.tsv" >"$tmp/targets.tsv" <<'PYTHON'
import glob, json, sys
regions = [l.split("\t") for l in open(sys.argv[2]).read().split("\n") if l]
seen = set()
for path in sorted(glob.glob(sys.argv[1] + "/*_translation.json")):
    for v in json.load(open(path))["variants"]:
        chrom, pos = v["chromosome"], int(v["position"])
        if any(c == chrom and int(b) < pos <= int(e) for _, c, b, e in regions) and (chrom, pos) not in seen:
            seen.add((chrom, pos))
for chrom, pos in sorted(seen, key=lambda x: (int(x[0][3:]), x[1])):
    print("%s\t%d" % (chrom, pos))
PYTHON

# --- 2. a patient's reads ---------------------------------------------------------------------
# simulate NAME SEED "chrom:pos:ref:alt:haplotypes ..." (haplotypes: 1, 2 or 12) -> $tmp/NAME.bam
simulate() {
  local name=$1 seed=$2 variants=$3
  log "$name: haplotypes ($variants), art_illumina (seed $seed), bwa mem"
  simulate_patient "$tmp" "$refseq" "$genome" "$name" "$seed" 15 \
    "@RG\tID:$name\tSM:$name\tPL:ILLUMINA\tLB:$name\tDS:art_illumina HS25 2x150 30x seed $seed" "$variants"
}

# call_vcf NAME -> $tmp/NAME.vcf.gz: all sites at the pharmacogene positions (reference calls included).
call_vcf() {
  local name=$1
  bcftools mpileup --no-version -f "$genome" -T "$tmp/targets.tsv" -a FORMAT/AD,FORMAT/DP -Ou "$tmp/$name.bam" 2>/dev/null \
    | bcftools call --no-version -m -a GQ -Oz -o "$tmp/$name.vcf.gz"
  tabix -f -p vcf "$tmp/$name.vcf.gz"
}

# Patient 1: CYP2C9 *1/*3 (rs1057910 A>C), VKORC1 -1639 G/A (rs9923231 C/T), CYP4F2 *1/*3 (rs2108622 C/T).
simulate EXAMPLE-001 8001 "chr10:94981296:A:C:2 chr16:31096368:C:T:1 chr19:15879621:C:T:2"
call_vcf EXAMPLE-001
# Patient 2: CYP2C9 *2/*3 (rs1799853 C>T on one haplotype, rs1057910 A>C on the other), VKORC1 A/A, CYP4F2 *1/*1.
simulate EXAMPLE-002 8002 "chr10:94942290:C:T:1 chr10:94981296:A:C:2 chr16:31096368:C:T:12"
call_vcf EXAMPLE-002
# Patient 3: CYP2C9 *1/*1, VKORC1 G/G, CYP4F2 *3/*3 (rs2108622 T/T).
simulate EXAMPLE-003 8003 "chr19:15879621:C:T:12"
call_vcf EXAMPLE-003

cp "$tmp/EXAMPLE-001.bam" "$example/EXAMPLE-001.bam"
cp "$tmp/EXAMPLE-001.bam.bai" "$example/EXAMPLE-001.bam.bai"
for n in 001 002 003; do
  cp "$tmp/EXAMPLE-$n.vcf.gz" "$example/EXAMPLE-$n.vcf.gz"
  cp "$tmp/EXAMPLE-$n.vcf.gz.tbi" "$example/EXAMPLE-$n.vcf.gz.tbi"
done

# --- 4. patients and the sample sheet ---------------------------------------------------------
cat >"$example/EXAMPLE-001.patient.json" <<'JSON'
{
  "schema_version": "1",
  "id": "EXAMPLE-001",
  "sample_id": "EXAMPLE-001",
  "age_years": 62,
  "height_cm": 168,
  "weight_kg": 74,
  "sex": "female",
  "race": "White",
  "target_inr": 2.5,
  "smoker": false,
  "diabetes": false,
  "heart_failure": false,
  "valve_replacement": false,
  "indications": ["atrial_fibrillation"],
  "medications": ["metoprolol"],
  "report": {
    "patient_name": "Example Patient One (synthetic)",
    "ordering_clinician": "Dr. Example",
    "laboratory": "genodose example laboratory",
    "accession": "ACC-0001"
  }
}
JSON
cat >"$example/EXAMPLE-002.patient.json" <<'JSON'
{
  "schema_version": "1",
  "id": "EXAMPLE-002",
  "sample_id": "EXAMPLE-002",
  "age_years": 71,
  "height_cm": 175,
  "weight_kg": 82,
  "sex": "male",
  "race": "Asian",
  "target_inr": 2.5,
  "smoker": false,
  "diabetes": true,
  "heart_failure": false,
  "valve_replacement": false,
  "indications": ["deep_vein_thrombosis"],
  "medications": ["amiodarone"]
}
JSON
printf 'sample_id\treads\tref\tvcf\tpatient\tpatient_id\tage_years\theight_cm\tweight_kg\tsex\trace\ttarget_inr\tsmoker\tdiabetes\theart_failure\tvalve_replacement\tindications\tmedications\n' >"$example/samples.tsv"
printf 'EXAMPLE-001\tEXAMPLE-001.bam\t../reference/example_genome/GRCh38_warfarin_genes.fa.gz\t.\tEXAMPLE-001.patient.json\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\n' >>"$example/samples.tsv"
printf 'EXAMPLE-002\t.\t.\tEXAMPLE-002.vcf.gz\tEXAMPLE-002.patient.json\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\n' >>"$example/samples.tsv"
printf 'EXAMPLE-003\t.\t.\tEXAMPLE-003.vcf.gz\t.\tEXAMPLE-003\t45\t180\t95\tmale\tBlack or African American\t2.5\tfalse\tfalse\tfalse\tfalse\tpulmonary_embolism\tlisinopril\n' >>"$example/samples.tsv"

log "sizes:"
du -b "$genome" "$genome.fai" "$genome.gzi" "$example"/* | sed 's/^/  /' >&2
du -sh data | sed 's/^/  total /' >&2
