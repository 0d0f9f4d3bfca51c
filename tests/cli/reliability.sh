# Reliability under faults (issue #24), on the bundled example (data/example): reads repeated
# under the same names do not change the calls; an index of another file is refused (exit 3,
# naming the index); contradictory records are `conflicting`; every output is owner-only (0600);
# SIGTERM during `run --reads` leaves no calls.vcf.gz behind; links planted at output names are
# never followed.
source "$(dirname "$0")/common.sh"
for tool in python3 samtools bcftools tabix; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
example="$SOURCE_DIR/data/example"
ref="$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz"
export SOURCE_DATE_EPOCH=1763806500
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
p1="$example/EXAMPLE-001.patient.json" v1="$example/EXAMPLE-001.vcf.gz" v2="$example/EXAMPLE-002.vcf.gz"
bam="$example/EXAMPLE-001.bam"

# --- 1. Reads repeated under the same names (samtools merge -c -p of the file with itself) -----
# Every read ten times: the calls must be the simulated truth (CYP2C9 *1/*3, VKORC1 -1639 G/A,
# CYP4F2 *1/*3); before, VKORC1 came out A/A with QC "pass". The copies are counted in QC.
samtools merge -f -c -p -o "$SCRATCH/repeated.bam" "$bam" "$bam" "$bam" "$bam" "$bam" "$bam" "$bam" "$bam" "$bam" "$bam" 2>/dev/null
samtools index "$SCRATCH/repeated.bam"
expect_exit 0 -- "$GENODOSE" run --patient "$p1" --reads "$SCRATCH/repeated.bam" --ref "$ref" --output-dir "$SCRATCH/repeated" \
  --threads 2 --formats json
json="$SCRATCH/repeated/report.json"
gene() { value "$json" "[g['genotype_display'] for g in d['genes'] if g['gene'] == '$1'][0]"; }
[ "$(gene CYP2C9)" = "*1/*3" ] && pass || fail "CYP2C9 from repeated reads: $(gene CYP2C9), expected *1/*3"
[ "$(gene VKORC1)" = "rs9923231 C/T (-1639 G/A)" ] && pass || fail "VKORC1 from repeated reads: $(gene VKORC1)"
[ "$(gene CYP4F2)" = "*1/*3 (rs2108622 C/T)" ] && pass || fail "CYP4F2 from repeated reads: $(gene CYP4F2)"
[ "$(value "$json" 'd["qc"]["status"]')" = review ] && pass || fail "QC should be review for a file of repeated reads"
value "$json" 'd["qc"]["reasons"]' | grep -qF "repeat the name and flags of a read already seen" && pass \
  || fail "QC reasons should count the repeated reads: $(value "$json" 'd["qc"]["reasons"]')"
expect_contains "$SCRATCH/stderr" "repeat the name and flags of a read already seen"

# Deep reads with distinct names (every read 33 times, each copy renamed: ~1000x) are not copies:
# all are kept, the pileup is downsampled, and the calls stay the truth with QC "pass".
for i in $(seq 1 33); do
  samtools view -h "$bam" | awk -v p="copy$i." 'BEGIN { OFS = "\t" } /^@/ { print; next } { $1 = p $1; print }' \
    | samtools view -b -o "$SCRATCH/deep.$i.bam" -
done
samtools merge -f -o "$SCRATCH/deep.bam" "$SCRATCH"/deep.*.bam && rm "$SCRATCH"/deep.*.bam
samtools index "$SCRATCH/deep.bam"
expect_exit 0 -- "$GENODOSE" run --patient "$p1" --reads "$SCRATCH/deep.bam" --ref "$ref" --output-dir "$SCRATCH/deep" \
  --threads 2 --formats json
json="$SCRATCH/deep/report.json"
[ "$(gene CYP2C9)" = "*1/*3" ] && pass || fail "CYP2C9 from deep reads: $(gene CYP2C9), expected *1/*3"
[ "$(gene VKORC1)" = "rs9923231 C/T (-1639 G/A)" ] && pass || fail "VKORC1 from deep reads: $(gene VKORC1)"
[ "$(gene CYP4F2)" = "*1/*3 (rs2108622 C/T)" ] && pass || fail "CYP4F2 from deep reads: $(gene CYP4F2)"
[ "$(value "$json" 'd["qc"]["status"]')" = pass ] && pass || fail "QC of deep distinct reads: $(value "$json" 'd["qc"]["reasons"]')"
depth=$(value "$json" "[k['depth'] for g in d['genes'] for k in g['key_variants'] if k['rsid'] == 'rs9923231'][0]")
[ "$depth" -ge 900 ] && pass || fail "rs9923231 depth from deep reads is $depth, expected ~1000"

# --- 2. An index of another file: exit 3 naming the index, nothing written --------------------
cp "$v1" "$SCRATCH/foreign.vcf.gz"
cp "$v2.tbi" "$SCRATCH/foreign.vcf.gz.tbi"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$SCRATCH/foreign.vcf.gz" --output "$SCRATCH/foreign.json"
expect_contains "$SCRATCH/stderr" "$SCRATCH/foreign.vcf.gz.tbi"
expect_no_file "$SCRATCH/foreign.json"
cp "$bam" "$SCRATCH/foreign.bam"
cp "$SOURCE_DIR/tests/data/io/mini.bam.bai" "$SCRATCH/foreign.bam.bai"
expect_exit 3 -- "$GENODOSE" genotype --reads "$SCRATCH/foreign.bam" --ref "$ref" --output "$SCRATCH/foreign.json"
expect_contains "$SCRATCH/stderr" "$SCRATCH/foreign.bam.bai"
expect_no_file "$SCRATCH/foreign.json"
# The file's own index still works.
cp "$bam.bai" "$SCRATCH/foreign.bam.bai"
expect_exit 0 -- "$GENODOSE" genotype --reads "$SCRATCH/foreign.bam" --ref "$ref" --output "$SCRATCH/own.json"

# --- 3. Contradictory records at one position: `A . 0/0` then `A C 0/1` ----------------------
# rs1057910 (CYP2C9*3) is 0/1 in EXAMPLE-001; a reference call without ALT is added before it.
bcftools view -h "$v1" >"$SCRATCH/contradict.vcf"
bcftools view -H "$v1" | awk -F'\t' -v OFS='\t' '$2 == 94981296 { r = $0; $5 = "."; $10 = "0/0"; print; print r; next } { print }' \
  >>"$SCRATCH/contradict.vcf"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/contradict.vcf" --output "$SCRATCH/contradict.json"
python3 - "$SCRATCH/contradict.json" <<'PY' && pass || fail "rs1057910 with A . 0/0 and A C 0/1 should be conflicting"
import json, sys
d = json.load(open(sys.argv[1]))
found = [p for p in d["samples"][0]["genes"]["CYP2C9"]["positions"] if p.get("rsid") == "rs1057910"]
sys.exit(not (found and found[0]["status"] == "conflicting"))
PY

# --- 4. One permissions policy: every output is owner-only (0600), whatever the umask --------
umask 022
expect_exit 0 -- "$GENODOSE" genotype --vcf "$v1" --output "$SCRATCH/g1.json"
expect_exit 0 -- "$GENODOSE" dose predict --input "$p1" --genotypes "$SCRATCH/g1.json" --output "$SCRATCH/dose.tsv"
expect_exit 0 -- "$GENODOSE" call --ref "$ref" --reads "$bam" --regions chr16:31096000-31097000 --output "$SCRATCH/call.vcf.gz"
for f in g1.json dose.tsv call.vcf.gz call.vcf.gz.tbi; do
  [ "$(stat -c %a "$SCRATCH/$f")" = 600 ] && pass || fail "$f is $(stat -c %a "$SCRATCH/$f"), not owner-only (0600)"
done
[ -z "$(ls -A "$SCRATCH" | grep '^\.')" ] && pass || fail "temporary files left: $(ls -A "$SCRATCH" | grep '^\.')"

# --- 5. A link planted at an output name is replaced, never followed ------------------------
echo "someone else's file" >"$SCRATCH/victim.txt"
chmod 644 "$SCRATCH/victim.txt"
mkdir -p "$SCRATCH/linked"
ln -s "$SCRATCH/victim.txt" "$SCRATCH/linked/report.json"
expect_exit 0 -- "$GENODOSE" run --patient "$p1" --vcf "$v1" --output-dir "$SCRATCH/linked" --formats json
[ "$(cat "$SCRATCH/victim.txt")" = "someone else's file" ] && pass || fail "the link's target was overwritten"
[ "$(stat -c %a "$SCRATCH/victim.txt")" = 644 ] && pass || fail "the link's target was chmod-ed"
[ -f "$SCRATCH/linked/report.json" ] && [ ! -L "$SCRATCH/linked/report.json" ] && pass || fail "report.json should be a new file"

# --- 6. SIGTERM during run --reads: exit 130, no calls.vcf.gz left anywhere -------------------
out="$SCRATCH/interrupted"
"$GENODOSE" run --patient "$p1" --reads "$bam" --ref "$ref" --output-dir "$out" >/dev/null 2>"$SCRATCH/term.err" &
pid=$!
# Wait for the scratch folder's complete calls.vcf.gz (written before coverage and rendering).
for _ in $(seq 1 1200); do
  ls "$out"/.genodose-run.*/calls.vcf.gz >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [ "$status" = 130 ]; then
  pass
  [ -z "$(find "$SCRATCH/interrupted" -name 'calls.vcf.gz*' 2>/dev/null)" ] && pass \
    || fail "calls.vcf.gz left after SIGTERM: $(find "$out" 2>/dev/null)"
  expect_no_file "$out"  # a folder the run created is removed when it holds nothing
else
  fail "run --reads should exit 130 on SIGTERM (got $status; the run may have finished before the signal)"
fi

# --- 7. An interrupted batch re-run leaves no cohort summary of the earlier batch -------------
# The earlier cohort.tsv/html list reports the re-run replaces or removes: they go when it starts.
sheet="$SCRATCH/sheet.tsv"
printf 'sample_id\tvcf\tpatient\n' >"$sheet"
for i in 1 2 3 4 5 6; do printf 'S%s\t%s\t%s\n' "$i" "$v1" "$p1" >>"$sheet"; done
expect_exit 0 -- "$GENODOSE" batch --samples "$sheet" --output-dir "$SCRATCH/batch"
[ -f "$SCRATCH/batch/cohort.tsv" ] && pass || fail "cohort.tsv not written"
touch "$SCRATCH/marker"
"$GENODOSE" batch --samples "$sheet" --output-dir "$SCRATCH/batch" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  [ -n "$(find "$SCRATCH/batch" -mindepth 2 -newer "$SCRATCH/marker" 2>/dev/null | head -1)" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [ "$status" = 130 ]; then
  expect_no_file "$SCRATCH/batch/cohort.tsv"
  expect_no_file "$SCRATCH/batch/cohort.html"
else
  echo "note: the batch finished before SIGTERM (exit $status); the interrupted case was not exercised"
fi

# --- 8. An IUPAC code in the reference next to rs9923231 -------------------------------------
# One warning line naming the reference and the count; the low-GQ key call goes to review.
gzip -dc "$ref" >"$SCRATCH/iupac.fa"
python3 - "$SCRATCH/iupac.fa" <<'PY'
import sys
path = sys.argv[1]
fai = {}
with open(path, "rb") as f:
    offset = 0
    for line in f:
        if line.startswith(b">"):
            name = line[1:].split()[0].decode(); fai[name] = [offset + len(line), None]
        elif fai[name][1] is None:
            fai[name][1] = len(line) - 1
        offset += len(line)
start, width = fai["chr16"]
pos = 31096371 - 1  # 3 bp right of rs9923231 (chr16:31096368)
with open(path, "r+b") as f:
    f.seek(start + (pos // width) * (width + 1) + pos % width)
    f.write(b"R")
PY
samtools faidx "$SCRATCH/iupac.fa"
expect_exit 0 -- "$GENODOSE" run --patient "$p1" --reads "$bam" --ref "$SCRATCH/iupac.fa" --output-dir "$SCRATCH/iupac" --formats json
[ "$(grep -c "IUPAC ambiguity codes" "$SCRATCH/stderr")" = 1 ] && pass || fail "expected one IUPAC warning line: $(cat "$SCRATCH/stderr")"
expect_contains "$SCRATCH/stderr" "$SCRATCH/iupac.fa: 1 reference base(s) in the called regions are IUPAC ambiguity codes"
json="$SCRATCH/iupac/report.json"
quality=$(value "$json" "[k['quality'] for g in d['genes'] for k in g['key_variants'] if k['rsid'] == 'rs9923231'][0]")
if [ "$quality" -lt 20 ]; then
  value "$json" 'd["qc"]["reasons"]' | grep -qF "VKORC1: key position rs9923231 genotyped with GQ $quality < 20" && pass \
    || fail "a key call with GQ $quality should be a QC reason: $(value "$json" 'd["qc"]["reasons"]')"
else
  fail "rs9923231 next to an IUPAC base was expected below GQ 20 (GQ $quality)"
fi

# --- 9. One run per output folder: a held advisory lock is a clear error (exit 4) -----------
command -v flock >/dev/null || { echo "FAIL: flock (util-linux) is not installed" >&2; exit 1; }
mkdir -p "$SCRATCH/busy"
flock -F "$SCRATCH/busy" sleep 60 &  # -F: the lock holder is the sleep itself
holder=$!
for _ in $(seq 1 100); do flock -n "$SCRATCH/busy" true 2>/dev/null || break; sleep 0.1; done
expect_exit 4 -- "$GENODOSE" run --patient "$p1" --vcf "$v1" --output-dir "$SCRATCH/busy" --formats json
expect_contains "$SCRATCH/stderr" "$SCRATCH/busy: another genodose process is writing to this folder"
expect_no_file "$SCRATCH/busy/report.json"
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
expect_exit 0 -- "$GENODOSE" run --patient "$p1" --vcf "$v1" --output-dir "$SCRATCH/busy" --formats json

# --- 10. Spreadsheet formula injection: text cells starting with = + - @ are neutralised -------
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p["id"]="=1+1"; json.dump(p, open(sys.argv[2], "w"))' "$p1" "$SCRATCH/formula.json"
expect_exit 0 -- "$GENODOSE" dose predict --input "$SCRATCH/formula.json" --genotypes "$SCRATCH/g1.json" --output "$SCRATCH/formula.tsv"
[ "$(awk -F'\t' 'NR == 2 { print $1 }' "$SCRATCH/formula.tsv")" = "'=1+1" ] && pass \
  || fail "dose predict should write the id =1+1 as '=1+1: $(awk -F'\t' 'NR == 2 { print $1 }' "$SCRATCH/formula.tsv")"
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p["id"]="@SUM(A1)"; json.dump(p, open(sys.argv[2], "w"))' "$p1" "$SCRATCH/formula2.json"
printf 'sample_id\tvcf\tpatient\nF1\t%s\t%s\n' "$v1" "$SCRATCH/formula2.json" >"$SCRATCH/formula_sheet.tsv"
expect_exit 0 -- "$GENODOSE" batch --samples "$SCRATCH/formula_sheet.tsv" --output-dir "$SCRATCH/formula_batch"
awk -F'\t' 'NR == 2' "$SCRATCH/formula_batch/cohort.tsv" | grep -qF "'@SUM(A1)" && pass || fail "cohort.tsv should write @SUM(A1) as '@SUM(A1)"
awk -F'\t' 'NR == 2' "$SCRATCH/formula_batch/cohort.tsv" | cut -f2- | grep -q "	@SUM" && fail "cohort.tsv has a raw @SUM cell" || pass

# --- 11. Control characters in names written into VCF headers are refused (exit 2) ----------
expect_exit 2 -- "$GENODOSE" call --ref "$ref" --reads "$bam" --regions chr16:31096000-31097000 --sample "$(printf 'A\tB')" \
  --output "$SCRATCH/tabsample.vcf.gz"
expect_contains "$SCRATCH/stderr" "sample name 'A\tB' is empty or contains a control character"
expect_no_file "$SCRATCH/tabsample.vcf.gz"
expect_exit 2 -- "$GENODOSE" call --ref "$ref" --reads "$bam" --regions chr16:31096000-31097000 --output "$SCRATCH/$(printf 'new\nline').vcf.gz"
expect_contains "$SCRATCH/stderr" "contains a control character"
[ "$(grep -c . "$SCRATCH/stderr")" -le 2 ] && pass || fail "the error should be one line (and a hint)"
[ -z "$(ls -A "$SCRATCH" | grep -F 'new')" ] && pass || fail "an output with a newline in its name was written"

finish
