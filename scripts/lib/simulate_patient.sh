# Sourced by scripts/make-example-data.sh and benchmarks/pgx/low-depth-key-positions.sh: reads of
# a simulated patient over the warfarin gene regions, aligned to the regions and moved to their
# GRCh38 coordinates.
#
# gene_regions REFSEQ.fa > REGIONS.tsv: name, GRCh38 chrom, 0-based begin, end of each RefSeqGene
#   sequence, from its header.
# simulate_patient TMP REFSEQ GENOME NAME SEED FOLD READ_GROUP "chrom:pos:ref:alt:haplotypes ..."
#   TMP holds regions.tsv and regions.fa (bwa-indexed); writes TMP/NAME.bam (+ .bai): art_illumina
#   HS25 2x150 at FOLD per haplotype (seed SEED*10+h), bwa mem, @SQ lines from GENOME.fai; logs in
#   TMP/NAME.art{1,2}.log and TMP/NAME.bwa.log.
gene_regions() {
  python3 - "$1" <<'PYTHON'
import re, sys
for line in open(sys.argv[1]):
    if line.startswith(">"):
        m = re.search(r"GRCh38 (chr\w+):(\d+)-(\d+)", line)
        print("%s\t%s\t%d\t%d" % (line[1:].split()[0], m.group(1), int(m.group(2)) - 1, int(m.group(3))))
PYTHON
}

simulate_patient() {
  local tmp=$1 refseq=$2 genome=$3 name=$4 seed=$5 fold=$6 read_group=$7 variants=$8 h
  python3 "$(dirname "${BASH_SOURCE[0]}")/patient_haplotypes.py" "$refseq" "$tmp/regions.tsv" "$tmp/$name" "$variants"
  for h in 1 2; do
    art_illumina -ss HS25 -na -p -i "$tmp/$name.hap$h.fa" -l 150 -f "$fold" -m 550 -s 150 -rs "$((seed * 10 + h))" \
      -o "$tmp/$name.h$h." >"$tmp/$name.art$h.log" 2>&1
  done
  cat "$tmp/$name.h1.1.fq" "$tmp/$name.h2.1.fq" >"$tmp/$name.1.fq"
  cat "$tmp/$name.h1.2.fq" "$tmp/$name.h2.2.fq" >"$tmp/$name.2.fq"
  # Relative paths keep the temporary folder's name out of the @PG lines.
  (cd "$tmp" && bwa mem -t 2 -K 10000000 -v 1 -R "$read_group" regions.fa "$name.1.fq" "$name.2.fq" 2>"$name.bwa.log") \
    >"$tmp/$name.regions.sam"
  # Move alignments from the regions to their GRCh38 coordinates.
  awk -F'\t' -v OFS='\t' -v regions="$tmp/regions.tsv" -v fai="$genome.fai" '
    BEGIN { while ((getline l < regions) > 0) { split(l, f, "\t"); chrom[f[1]] = f[2]; off[f[1]] = f[3] }
            while ((getline l < fai) > 0) { split(l, f, "\t"); sq[++n] = "@SQ\tSN:" f[1] "\tLN:" f[2] } }
    /^@SQ/ { if (!done) { for (i = 1; i <= n; i++) print sq[i]; done = 1 } next }
    /^@/ { print; next }
    { if ($3 in chrom) { if ($7 == "=" || $7 == $3) { $7 = "="; $8 += off[$3] } else if ($7 in chrom) { $8 += off[$7]; $7 = chrom[$7] }
                         $4 += off[$3]; $3 = chrom[$3] }
      else if ($7 in chrom) { $8 += off[$7]; $7 = chrom[$7] }
      out = $1; for (i = 2; i <= 11; i++) out = out OFS $i
      for (i = 12; i <= NF; i++) if ($i !~ /^(SA|XA):Z:/) out = out OFS $i
      print out }' "$tmp/$name.regions.sam" >"$tmp/$name.sam"
  samtools sort --no-PG -o "$tmp/$name.bam" "$tmp/$name.sam" 2>/dev/null
  samtools index "$tmp/$name.bam"
}
