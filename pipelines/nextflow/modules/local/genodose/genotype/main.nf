// CYP2C9/VKORC1/CYP4F2 genotypes of one sample: `genodose genotype --vcf` → JSON.
// Mirrors the Snakemake rule genotype. meta.build is GRCh38 or GRCh37; meta.vcf_sample picks a
// sample of a multi-sample VCF (reads samples are named meta.id by the caller).
process GENODOSE_GENOTYPE {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(vcf), path(vcf_index)

    output:
    tuple val(meta), path("${meta.id}.genotype.json"), emit: json
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def sample_name = meta.vcf_sample ?: (meta.input == 'reads' ? meta.id : '')
    def sample_arg = sample_name ? "--sample ${sample_name}" : ''
    """
    genodose genotype \\
        --vcf ${vcf} \\
        --build ${meta.build} \\
        ${sample_arg} \\
        ${args} \\
        --output ${meta.id}.genotype.json

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """

    stub:
    """
    echo '{"schema_version": "1", "samples": []}' > ${meta.id}.genotype.json

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """
}
