// The cohort table: the per-sample rows under one header, in sample-sheet order (the channel
// arrives sorted by meta.order). Mirrors the Snakemake rule cohort.
process GENODOSE_COHORT {
    tag "cohort"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    path summaries

    output:
    path "cohort.tsv", emit: tsv
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def ordered = [summaries].flatten().collect { it.toString() }.join(' ')
    """
    (umask 077 && awk 'FNR == 1 && NR != 1 { next } { print }' ${ordered} > cohort.tsv)

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        awk: \$(awk --version 2>/dev/null | sed -n '1p' || echo unknown)
    END_VERSIONS
    """

    stub:
    """
    touch cohort.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        awk: \$(awk --version 2>/dev/null | sed -n '1p' || echo unknown)
    END_VERSIONS
    """
}
