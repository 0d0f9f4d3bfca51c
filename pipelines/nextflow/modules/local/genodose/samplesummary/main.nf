// One cohort-table row for one sample (bin/genodose-sample-summary, shared with the Snakemake
// workflow). calls/dose/report are [] when the sample or the run has none. Mirrors sample_summary.
process GENODOSE_SAMPLESUMMARY {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(genotypes), path(calls), path(dose), path(report)

    output:
    tuple val(meta), path("${meta.id}.summary.tsv"), emit: tsv
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def options = ["--input-type ${meta.input}"]
    if (meta.vcf_sample) options << "--vcf-sample ${meta.vcf_sample}"
    if (calls) options << "--calls ${calls}"
    if (dose) options << "--dose ${dose}"
    if (report) options << "--report ${report}"
    """
    genodose-sample-summary \\
        --sample ${meta.id} \\
        --genotypes ${genotypes} \\
        ${options.join(' ')} \\
        --output ${meta.id}.summary.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        python: \$(python3 --version | sed 's/^Python //')
    END_VERSIONS
    """

    stub:
    """
    touch ${meta.id}.summary.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        python: \$(python3 --version | sed 's/^Python //')
    END_VERSIONS
    """
}
