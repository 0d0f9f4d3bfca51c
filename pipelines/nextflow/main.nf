#!/usr/bin/env nextflow
/*
 * genodose cohort workflow, Nextflow DSL2 with nf-core module conventions. The same steps as
 * pipelines/snakemake (docs/workflows.md), one process per Snakemake rule:
 *
 *   call_shard    GENODOSE_CALL           genodose call, one task per (sample, shard of the regions)
 *   gather_calls  BCFTOOLS_CONCAT         bcftools concat + index, VCF and gVCF, shard order
 *   genotype      GENODOSE_GENOTYPE       genodose genotype --vcf (the gVCF's blocks, for reads)
 *   dose          GENODOSE_DOSEPREDICT    genodose dose predict (patient JSON + genotypes)
 *   report        GENODOSE_RUN            genodose run --vcf (the report)
 *   sample_summary GENODOSE_SAMPLESUMMARY bin/genodose-sample-summary
 *   cohort        GENODOSE_COHORT         cohort.tsv
 *
 *   nextflow run pipelines/nextflow -profile test,docker
 *   nextflow run pipelines/nextflow -profile slurm,singularity --input samples.tsv \
 *       --reference GRCh38.fa.gz --genome_build GRCh38 --outdir results
 */
nextflow.enable.dsl = 2

include { GENODOSE_CALL          } from './modules/local/genodose/call/main'
include { BCFTOOLS_CONCAT        } from './modules/local/bcftools/concat/main'
include { GENODOSE_GENOTYPE      } from './modules/local/genodose/genotype/main'
include { GENODOSE_DOSEPREDICT   } from './modules/local/genodose/dosepredict/main'
include { GENODOSE_RUN           } from './modules/local/genodose/run/main'
include { GENODOSE_SAMPLESUMMARY } from './modules/local/genodose/samplesummary/main'
include { GENODOSE_COHORT        } from './modules/local/genodose/cohort/main'

/*
 * Sample sheet: tab-separated, the Snakemake workflow's format (sample, reads | vcf,
 * [vcf_sample], [build], patient); relative paths are relative to the sheet's folder.
 * Every problem stops the run before any task, naming the file, the line and the field.
 */
def read_sample_sheet(String path, String genome_build, boolean needs_patient) {
    def sheet = file(path)
    if (!sheet.exists()) error "--input: ${path}: not found"
    def lines = []
    sheet.readLines().eachWithIndex { line, i -> if (line.trim() && !line.startsWith('#')) lines << [i + 1, line] }
    if (!lines) error "${path}: empty sample sheet"
    def known = ['sample', 'reads', 'vcf', 'vcf_sample', 'build', 'patient']
    def header = lines[0][1].split('\t', -1).collect { it.trim() }
    header.each { column ->
        if (!(column in known)) error "${path}: line ${lines[0][0]}: unknown column '${column}' (known: ${known.join(', ')})"
    }
    if (!('sample' in header) || !('reads' in header || 'vcf' in header))
        error "${path}: line ${lines[0][0]}: needs the columns 'sample' and 'reads' and/or 'vcf'"
    if (needs_patient && !('patient' in header))
        error "${path}: line ${lines[0][0]}: no 'patient' column (needed by the dose and report steps)"

    def samples = []
    def seen = [] as Set
    lines.drop(1).eachWithIndex { entry, order ->
        def number = entry[0]
        def cells = entry[1].split('\t', -1).collect { it.trim() }
        if (cells.size() > header.size()) error "${path}: line ${number}: ${cells.size()} fields, the header has ${header.size()}"
        def row = [:]
        header.eachWithIndex { column, i -> row[column] = i < cells.size() ? cells[i] : '' }
        def where = "${path}: line ${number} (${row.sample ?: 'no sample'})"
        if (!(row.sample ==~ /[A-Za-z0-9][A-Za-z0-9._-]*/))
            error "${where}: field 'sample': use letters, digits, '.', '_' or '-' (it names files), got '${row.sample}'"
        if (!seen.add(row.sample)) error "${where}: field 'sample': duplicate sample '${row.sample}'"
        def resolve = { String name, boolean required ->
            if (!row[name]) {
                if (required) error "${where}: field '${name}': empty"
                return null
            }
            def found = sheet.parent.resolve(row[name].toString()).normalize()
            if (!found.exists()) error "${where}: field '${name}': ${found}: not found"
            return found
        }
        def reads = resolve('reads', false)
        def vcf = resolve('vcf', false)
        if ((reads == null) == (vcf == null)) error "${where}: give exactly one of 'reads' and 'vcf'"
        def build = row.build ?: genome_build
        if (!(build in ['GRCh38', 'GRCh37'])) error "${where}: field 'build': GRCh38 or GRCh37, got '${build}'"
        if (reads && build != genome_build)
            error "${where}: field 'build': reads are called against the reference (${genome_build}, --genome_build), got ${build}"
        if (reads && row.vcf_sample) error "${where}: field 'vcf_sample': only for 'vcf' inputs"
        def data = reads ?: vcf
        def index = []
        def candidates = reads
            ? ["${data}.bai", "${data}.crai", "${data}.csi", data.toString().replaceAll(/\.bam$/, '.bai'), data.toString().replaceAll(/\.cram$/, '.crai')]
            : ["${data}.tbi", "${data}.csi"]
        def found_index = candidates.collect { file(it.toString()) }.find { it.toString() != data.toString() && it.exists() }
        if (found_index) index = found_index
        else if (reads) error "${where}: field 'reads': ${data}: no index (run `samtools index` on it)"
        samples << [
            meta   : [id: row.sample, input: reads ? 'reads' : 'vcf', build: build, vcf_sample: row.vcf_sample ?: '', order: order],
            data   : data,
            index  : index,
            patient: resolve('patient', needs_patient),
        ]
    }
    if (!samples) error "${path}: no samples"
    return samples
}

// Regions: a BED file, a list (from -params-file), or one region / several separated by spaces;
// "chr:start-end" is 1-based inclusive, a bare contig means all of it. Sorted in reference order,
// overlaps refused, 'chr10'/'10' reconciled as genodose does.
def read_fai(String fasta) {
    def contigs = [:]
    file("${fasta}.fai").readLines().eachWithIndex { line, i ->
        def fields = line.split('\t')
        if (fields.size() < 2 || !(fields[1] ==~ /[0-9]+/)) error "${fasta}.fai: line ${i + 1}: malformed"
        contigs[fields[0]] = [contigs.size(), fields[1] as long]
    }
    return contigs
}

def contig_key(String contig, Map contigs, String where) {
    def other = contig.startsWith('chr') ? contig.substring(3) : "chr${contig}".toString()
    if (contigs.containsKey(contig)) return contigs[contig]
    if (contigs.containsKey(other)) return contigs[other]
    error "${where}: contig '${contig}' is not in the reference"
}

def parse_region(String text, Map contigs, String where) {
    def match = text =~ /^(.+):([0-9,]+)-([0-9,]+)$/
    def ranged = match.matches()
    def contig = ranged ? match.group(1) : text
    def length = contig_key(contig, contigs, where)[1]
    long start = ranged ? (match.group(2).replace(',', '') as long) : 1L
    long end = ranged ? (match.group(3).replace(',', '') as long) : length
    if (start < 1 || end < start || end > length) error "${where}: region '${text}': outside ${contig} (1-${length}) or empty"
    return [contig: contig, start: start, end: end]
}

def read_regions(spec, Map contigs, String default_bed, long chunk_bp) {
    def regions = []
    def source = spec ?: default_bed
    if (source instanceof List) {
        source.eachWithIndex { text, i -> regions << parse_region(text.toString(), contigs, "--regions item ${i + 1}") }
    } else if (file(source.toString()).isFile()) {
        file(source.toString()).readLines().eachWithIndex { line, i ->
            if (!line.trim() || line.startsWith('#') || line.startsWith('track') || line.startsWith('browser')) return
            def fields = line.split('\t')
            def where = "${source}: line ${i + 1}"
            if (fields.size() < 3 || !(fields[1] ==~ /[0-9]+/) || !(fields[2] ==~ /[0-9]+/))
                error "${where}: expected 'contig<TAB>start<TAB>end' (0-based, half-open)"
            regions << parse_region("${fields[0]}:${(fields[1] as long) + 1}-${fields[2]}".toString(), contigs, where)
        }
    } else {
        source.toString().trim().split(/\s+/).eachWithIndex { text, i -> regions << parse_region(text, contigs, "--regions item ${i + 1}") }
    }
    if (!regions) error "--regions: ${source}: no regions"
    regions.sort { a, b -> contig_key(a.contig, contigs, '')[0] <=> contig_key(b.contig, contigs, '')[0] ?: a.start <=> b.start }
    [regions, regions.drop(1)].transpose().each { previous, region ->
        if (contig_key(previous.contig, contigs, '')[0] == contig_key(region.contig, contigs, '')[0] && region.start <= previous.end)
            error "--regions: ${previous.contig}:${previous.start}-${previous.end} and ${region.contig}:${region.start}-${region.end} overlap (merge them, e.g. with bedtools merge)"
    }
    def pieces = []
    regions.each { region ->
        if (!chunk_bp) { pieces << region; return }
        for (long start = region.start; start <= region.end; start += chunk_bp)
            pieces << [contig: region.contig, start: start, end: Math.min(region.end, start + chunk_bp - 1)]
    }
    pieces.eachWithIndex { region, i ->
        region.text = "${region.contig}:${region.start}-${region.end}".toString()
        region.id = "${region.contig}_${region.start}-${region.end}".replaceAll(/[^A-Za-z0-9._-]/, '_')
        region.index = i
    }
    return pieces
}

// Shards: at most shard_count runs of consecutive regions (reference order) of about equal total
// length, every region whole: a region goes to the shard its midpoint falls in when the total
// length is cut into equal parts; empty shards are dropped. The Snakemake shard_regions.
def shard_regions(List regions, long shard_count) {
    if (shard_count < 1) error "--shards: a whole number >= 1, got ${shard_count}"
    long total = regions.sum { it.end - it.start + 1 }
    def shards = (0..<shard_count).collect { [] }
    long before = 0
    regions.each { region ->
        long length = region.end - region.start + 1
        long index = ((2 * before + length) * shard_count).intdiv(2 * total)
        shards[(int) Math.min(shard_count - 1, index)] << region
        before += length
    }
    def kept = shards.findAll { it }
    def width = Math.max(3, kept.size().toString().length())
    return kept.withIndex().collect { shard, i ->
        [id: String.format("%0${width}d", i + 1), bed: shard.collect { "${it.contig}\t${it.start - 1}\t${it.end}\n" }.join('')]
    }
}

workflow {
    if (!params.input) error "--input is not set (a sample sheet, see docs/workflows.md)"
    if (!(params.genome_build in ['GRCh38', 'GRCh37'])) error "--genome_build: GRCh38 or GRCh37, got '${params.genome_build}'"
    def needs_patient = params.dose || params.report
    def samples = read_sample_sheet(params.input.toString(), params.genome_build, needs_patient)
    def has_reads = samples.any { it.meta.input == 'reads' }
    def sample_keys = ['id', 'input', 'build', 'vcf_sample', 'order']
    ch_versions = Channel.empty()

    ch_inputs = Channel.fromList(samples)
    ch_vcfs = ch_inputs.filter { it.meta.input == 'vcf' }.map { [it.meta, it.data, it.index] }
    ch_patients = ch_inputs.map { [it.meta.id, it.patient ?: []] }
    ch_genotype_input = ch_vcfs
    ch_calls = Channel.empty()

    if (has_reads) {
        if (!params.reference) error "--reference is not set (needed for the samples with reads)"
        def fasta_index = [file("${params.reference}.fai", checkIfExists: true)]
        if (params.reference.toString().endsWith('.gz')) fasta_index << file("${params.reference}.gzi", checkIfExists: true)
        ch_reference = Channel.value([file(params.reference, checkIfExists: true), fasta_index])
        def default_bed = "${projectDir}/../resources/warfarin_${params.genome_build}.bed".toString()
        def regions = read_regions(params.regions, read_fai(params.reference.toString()), default_bed, params.region_chunk_bp as long)
        def shards = shard_regions(regions, params.shards as long)
        def caller_model = params.caller_model ? file(params.caller_model, checkIfExists: true) : []

        ch_shard_beds = Channel.fromList(shards)
            .collectFile { shard -> ["${shard.id}.bed", shard.bed] }
            .map { bed -> [bed.baseName, bed] }
        ch_shard_tasks = ch_inputs
            .filter { it.meta.input == 'reads' }
            .map { [it.meta, it.data, it.index] }
            .combine(ch_shard_beds)
            .map { meta, reads, index, shard, bed -> [meta + [shard: shard], reads, index, bed] }
        GENODOSE_CALL(ch_shard_tasks, ch_reference, caller_model)

        BCFTOOLS_CONCAT(
            GENODOSE_CALL.out.calls
                .map { meta, vcf, tbi, gvcf, gtbi -> [meta.subMap(sample_keys), vcf, tbi, gvcf, gtbi] }
                .groupTuple(size: shards.size())
        )

        // The gathered gVCF, in blocks: genotyping reads its reference blocks directly.
        ch_genotype_input = ch_vcfs.mix(BCFTOOLS_CONCAT.out.gvcf)
        ch_calls = BCFTOOLS_CONCAT.out.vcf.map { meta, vcf, tbi -> [meta.id, vcf] }
        ch_versions = ch_versions.mix(GENODOSE_CALL.out.versions.first(), BCFTOOLS_CONCAT.out.versions.first())
    }

    GENODOSE_GENOTYPE(ch_genotype_input)
    ch_versions = ch_versions.mix(GENODOSE_GENOTYPE.out.versions.first())

    def dose_model = params.dose_model ? file(params.dose_model, checkIfExists: true) : []
    ch_dose = Channel.empty()
    if (params.dose) {
        GENODOSE_DOSEPREDICT(
            GENODOSE_GENOTYPE.out.json
                .map { meta, json -> [meta.id, meta, json] }
                .join(ch_patients)
                .map { id, meta, json, patient -> [meta, patient, json] },
            dose_model
        )
        ch_dose = GENODOSE_DOSEPREDICT.out.tsv.map { meta, tsv -> [meta.id, tsv] }
        ch_versions = ch_versions.mix(GENODOSE_DOSEPREDICT.out.versions.first())
    }

    ch_report = Channel.empty()
    if (params.report) {
        GENODOSE_RUN(
            ch_genotype_input
                .map { meta, vcf, index -> [meta.id, meta, vcf, index] }
                .join(ch_patients)
                .map { id, meta, vcf, index, patient -> [meta, vcf, index, patient] },
            dose_model
        )
        ch_report = GENODOSE_RUN.out.report.map { meta, dir -> [meta.id, dir] }
        ch_versions = ch_versions.mix(GENODOSE_RUN.out.versions.first())
    }

    GENODOSE_SAMPLESUMMARY(
        GENODOSE_GENOTYPE.out.json
            .map { meta, json -> [meta.id, meta, json] }
            .join(ch_calls, remainder: true)
            .join(ch_dose, remainder: true)
            .join(ch_report, remainder: true)
            .map { id, meta, json, calls, dose, report -> [meta, json, calls ?: [], dose ?: [], report ?: []] }
    )
    GENODOSE_COHORT(
        GENODOSE_SAMPLESUMMARY.out.tsv
            .toSortedList { a, b -> a[0].order <=> b[0].order }
            .map { rows -> rows.collect { it[1] } }
    )
    ch_versions = ch_versions.mix(GENODOSE_SAMPLESUMMARY.out.versions.first(), GENODOSE_COHORT.out.versions)

    ch_versions
        .unique()
        .collectFile(name: 'software_versions.yml', storeDir: "${params.outdir}/pipeline_info", sort: true)
}
