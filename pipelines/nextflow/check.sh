#!/usr/bin/env bash
# Development check of the Nextflow workflow on a machine without Nextflow (it is not packaged
# for Debian, so neither the sandbox nor CI can run it):
#   0. the profiles are consistent (check_profiles.py): every file a profile names exists, and
#      genome builds and contigs agree between the sample sheet, the reads, the VCFs, the
#      reference and the regions (tests/cli/workflow_nextflow_profiles.sh runs this part);
#   1. every .nf and .config file parses (Groovy parser, syntax phase);
#   2. main.nf's sample-sheet and region functions, run under Groovy with minimal stand-ins for
#      Nextflow's file() and error(), give the same samples, regions and error messages as the
#      Snakemake workflow's rules/common.smk on the same inputs.
# It does not run processes or channels. Parts 1 and 2 need Debian's groovy (apt-get install
# groovy), which scripts/install-deps.sh does not install; all parts need snakemake (for
# common.smk's imports) and samtools.
# Usage: pipelines/nextflow/check.sh [--profiles-only [CONFIG]]
#   exit 0: all checks pass; 1: a check failed; 2: groovy missing (after the profile check)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

# ---- 0. profiles --------------------------------------------------------------------------------
py=$(head -1 "$(command -v snakemake)" | sed 's/^#! *//')
if [ "${1:-}" = --profiles-only ]; then
  exec "$py" "$here/check_profiles.py" "${2:-$here/nextflow.config}" "$here"
fi
"$py" "$here/check_profiles.py" "$here/nextflow.config" "$here"
command -v groovy >/dev/null || { echo "check.sh: groovy not found (apt-get install groovy)" >&2; exit 2; }
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- 1. syntax ------------------------------------------------------------------------------
cat > "$work/Parse.groovy" <<'EOF'
import org.codehaus.groovy.control.*
def failed = 0
args.each { path ->
    try {
        def unit = new CompilationUnit(new CompilerConfiguration())
        unit.addSource(new File(path))
        unit.compile(Phases.CONVERSION)
        println "parses: ${path - (System.getenv('TOP') + '/')}"
    } catch (e) {
        failed++
        println "SYNTAX ERROR: ${path}: ${e.message}"
    }
}
System.exit(failed ? 1 : 0)
EOF
TOP=$top groovy "$work/Parse.groovy" "$here/main.nf" "$here/nextflow.config" "$here/conf/modules.config" \
  $(find "$here/modules" -name main.nf | sort)

# ---- 2. the same inputs through both workflows' parsing functions ----------------------------
cd "$work"
io=$top/tests/data/io
v=$top/tests/data/pgx/pharmcat.example.vcf
printf 'sample\tvcf\tvcf_sample\tbuild\tpatient\nS\t%s\tSample_1\tGRCh38\tp.json\n' "$v" > good.tsv
printf 'sample\tvcf\tpatient\tcolour\nS\t%s\tp.json\tblue\n' "$v" > column.tsv
printf 'sample\treads\tvcf\tpatient\nS\t%s/mini.bam\t%s\tp.json\n' "$io" "$v" > both.tsv
printf '# comment\nsample\tvcf\tpatient\nS\t%s\tp.json\nT\tmissing.vcf\tp.json\n' "$v" > missing.tsv
printf 'sample\tvcf\tpatient\nS\t%s\tp.json\nS\t%s\tp.json\n' "$v" "$v" > duplicate.tsv
printf 'sample\tvcf\tpatient\nS 1\t%s\tp.json\n' "$v" > name.tsv
cp "$io/mini.bam" noindex.bam
printf 'sample\treads\tpatient\nS\tnoindex.bam\tp.json\n' > noindex.tsv
printf 'sample\tvcf\tbuild\tpatient\nS\t%s\thg38\tp.json\n' "$v" > build.tsv
printf 'sample\treads\tbuild\tpatient\nS\t%s/mini.bam\tGRCh38\tp.json\n' "$io" > readsbuild.tsv
printf 'sample\tvcf\tpatient\nS\t%s\t\n' "$v" > nopatient.tsv
printf 'sample\tvcf\nS\t%s\n' "$v" > nopatientcolumn.tsv
printf 'sample\tvcf\tpatient\nS\t%s\tp.json\textra\n' "$v" > fields.tsv
printf 'sample\treads\tvcf\tpatient\nS\t\t\tp.json\n' > neither.tsv
echo '{}' > p.json
printf 'track x\nchr20\t10000000\t10001000\nchr20\t10002000\t10003000\n' > ok.bed
printf 'chr20\t100\n' > bad.bed
printf 'chr10\t133797422\t7\t60\t61\nchr16\t90338345\t7\t60\t61\nchr19\t58617616\t7\t60\t61\n' > ref38.fa.fai
printf '10\t135534747\t4\t60\t61\n16\t90354753\t4\t60\t61\n19\t59128983\t4\t60\t61\n' > ref37.fa.fai
sheets="$top/pipelines/snakemake/samples.tsv good column both missing duplicate name noindex build readsbuild nopatient nopatientcolumn fields neither"
# region cases: NAME|REFERENCE|SPEC (list items separated by ';')|CHUNK
cat > regions.txt <<EOF
list|$io/mini_ref.fa.gz|chr20:5000-6000;20:1,000-2,000;chr20:7000-7000|0
split|$io/mini_ref.fa.gz|chr20:1-2500|1000
bed|$io/mini_ref.fa.gz|@$work/ok.bed|0
string|$io/mini_ref.fa.gz|chr20:10-20 chr20:1-5|0
wholecontig|$io/mini_ref.fa.gz|chr20|20000000
default38|$work/ref38.fa||0
default37|$work/ref37.fa||20000
overlap|$io/mini_ref.fa.gz|chr20:1-200;chr20:150-300|0
contig|$io/mini_ref.fa.gz|chr7:1-100|0
outside|$io/mini_ref.fa.gz|chr20:63025000-63026000|0
badbed|$io/mini_ref.fa.gz|@$work/bad.bed|0
EOF

"$py" - "$top/pipelines/snakemake/rules/common.smk" "$top/pipelines/resources" $sheets > snakemake.txt <<'EOF'
import os, sys, types
from snakemake.exceptions import WorkflowError
common, resources, sheets = sys.argv[1], sys.argv[2], sys.argv[3:]
ns = {"config": {}, "workflow": types.SimpleNamespace(basedir=os.path.dirname(common), use_conda=False, use_singularity=False)}
exec(compile(open(common).read(), common, "exec"), ns)
for name in sheets:
    path = os.path.abspath(name if name.endswith(".tsv") else f"{name}.tsv")
    try:
        for s in ns["read_sample_sheet"](path, "GRCh38", name != "nopatientcolumn").values():
            print(f"sheet {name}: {s.id} {'reads' if s.reads else 'vcf'} {s.build} [{s.vcf_sample}] "
                  f"{s.reads or s.vcf} {s.reads_index or '-'} {s.patient or '-'}")
    except WorkflowError as e:
        print(f"sheet {name}: error: {e}")
for line in open("regions.txt"):
    name, reference, spec, chunk = line.rstrip("\n").split("|")
    spec = spec[1:] if spec.startswith("@") else (spec.split(";") if ";" in spec or (spec and " " not in spec) else spec)
    build = "GRCh37" if name.endswith("37") else "GRCh38"
    try:
        regions = ns["read_regions"](spec, ns["read_fai"](reference), f"{resources}/warfarin_{build}.bed")
        pieces = ns["split_regions"](regions, int(chunk))
        print(f"regions {name}: {' '.join(ns['region_text'](r) for r in pieces)}")
        shards = ns["shard_regions"](pieces, 3)
        print(f"shards {name}: " + " | ".join(
            f"{ns['shard_id'](i, len(shards))}: {ns['shard_bed'](shard).strip()}".replace(chr(9), " ").replace(chr(10), ";")
            for i, shard in enumerate(shards)))
    except WorkflowError as e:
        print(f"regions {name}: error: {str(e).replace(chr(39) + 'regions' + chr(39), 'regions').replace('config: regions', '--regions')}")
EOF

{
  cat <<'EOF'
import java.nio.file.*
class P {
    Path p
    P(Path p) { this.p = p }
    boolean exists() { Files.exists(p) }
    boolean isFile() { Files.isRegularFile(p) }
    List readLines() { Files.readAllLines(p) }
    P getParent() { new P(p.parent) }
    P resolve(String s) { new P(p.resolve(s)) }
    P normalize() { new P(p.normalize()) }
    String toString() { p.toString() }
}
def file(Object s, Map opts = [:]) { new P(Paths.get(s.toString()).toAbsolutePath().normalize()) }
def error(String m) { throw new IllegalStateException(m) }
EOF
  sed -n '/^def read_sample_sheet/,/^workflow {/p' "$here/main.nf" | sed '$d'
  cat <<'EOF'
def (resources, sheets) = [args[0], args.drop(1)]
sheets.each { name ->
    def path = new File(name.endsWith('.tsv') ? name : "${name}.tsv").absolutePath
    try {
        read_sample_sheet(path, 'GRCh38', name != 'nopatientcolumn').each { s ->
            def m = s.meta
            def reads_index = m.input == 'reads' ? s.index.toString() : '-'
            println "sheet ${name}: ${m.id} ${m.input} ${m.build} [${m.vcf_sample}] ${s.data} ${reads_index} ${s.patient ?: '-'}"
        }
    } catch (IllegalStateException e) { println "sheet ${name}: error: ${e.message}" }
}
new File('regions.txt').eachLine { line ->
    def (name, reference, spec, chunk) = line.split(/\|/, -1) as List
    def value = spec.startsWith('@') ? spec.substring(1) : (spec.contains(';') || (spec && !spec.contains(' ')) ? spec.split(';') as List : spec)
    def build = name.endsWith('37') ? 'GRCh37' : 'GRCh38'
    try {
        def regions = read_regions(value, read_fai(reference), "${resources}/warfarin_${build}.bed".toString(), chunk as long)
        println "regions ${name}: ${regions.collect { it.text }.join(' ')}"
        println "shards ${name}: " + shard_regions(regions, 3).collect { "${it.id}: ${it.bed.trim()}".replace('\t', ' ').replace('\n', ';') }.join(' | ')
    } catch (IllegalStateException e) { println "regions ${name}: error: ${e.message}" }
}
EOF
} > Functions.groovy
groovy Functions.groovy "$top/pipelines/resources" $sheets > nextflow.txt

if diff snakemake.txt nextflow.txt > diff.txt; then
  echo "same results from both workflows on $(wc -l < snakemake.txt) sheet and region cases:"
  sed 's/^/  /' snakemake.txt
else
  echo "the Nextflow and Snakemake workflows DIFFER (< snakemake, > nextflow):"; cat diff.txt; exit 1
fi
