# Progress of long steps on stderr: plain lines with --progress (percent of bases, ETA, a last
# "done" line), a bar on a terminal, nothing from a short run into a pipe, nothing with --quiet.
source "$(dirname "$0")/common.sh"
DATA=$SOURCE_DIR/tests/data/io
call=("$GENODOSE" call --chunk-size 500 --ref "$DATA/mini_ref.fa.gz" --reads "$DATA/mini.bam" --regions chr20:10000001-10003000)
expect_exit 0 -- "${call[@]}" --progress --progress-interval 0 --output "$SCRATCH/a.vcf.gz"
expect_contains "$SCRATCH/stderr" "progress: call 500 bp/3000 bp 16.7%"
expect_contains "$SCRATCH/stderr" "ETA "
expect_contains "$SCRATCH/stderr" "progress: call 3000 bp/3000 bp 100.0%, 0:00 elapsed, done"
expect_exit 0 -- "$GENODOSE" make-examples --progress --progress-interval 0 --chunk-size 1000 --ref "$DATA/mini_ref.fa.gz" \
  --reads "$DATA/mini.bam" --truth "$DATA/mini_truth.vcf.gz" --regions chr20:10000001-10003000 --output "$SCRATCH/examples"
expect_contains "$SCRATCH/stderr" "progress: make-examples 1000 bp/3000 bp 33.3%"
# Not a terminal, default interval (30 s): a 1 s run prints no progress line.
expect_exit 0 -- "${call[@]}" --output "$SCRATCH/b.vcf.gz"
grep -q "progress" "$SCRATCH/stderr" && fail "progress line from a short run into a file" || pass
expect_exit 0 -- "${call[@]}" --quiet --progress --progress-interval 0 --output "$SCRATCH/c.vcf.gz"
[ -s "$SCRATCH/stderr" ] && fail "--quiet printed: $(head -1 "$SCRATCH/stderr")" || pass
# On a terminal (script(1) gives the command a pseudo-terminal): a bar redrawn in place.
if command -v script > /dev/null; then
  script -qec "$(printf '%q ' "${call[@]}" --output "$SCRATCH/d.vcf.gz")" /dev/null > "$SCRATCH/tty.txt" 2>&1 || true
  grep -qF '[##############################] 100.0%' "$SCRATCH/tty.txt" && pass || fail "no progress bar on a terminal"
fi
expect_exit 2 -- "${call[@]}" --progress-interval -1 --output "$SCRATCH/e.vcf.gz"
finish
