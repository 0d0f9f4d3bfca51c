// Weekly warfarin dose of one patient: `genodose dose predict` with the patient JSON and the
// genotype JSON → TSV. Mirrors the Snakemake rule dose. model: [] for the shipped model.
process GENODOSE_DOSEPREDICT {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(patient), path(genotypes)
    path model

    output:
    tuple val(meta), path("${meta.id}.dose.tsv"), emit: tsv
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def model_arg = model ? "--model ${model}" : ''
    """
    genodose dose predict \\
        --input ${patient} \\
        --genotypes ${genotypes} \\
        ${model_arg} \\
        ${args} \\
        --output ${meta.id}.dose.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """

    stub:
    """
    touch ${meta.id}.dose.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """
}
