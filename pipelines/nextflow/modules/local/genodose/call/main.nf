// One shard of one sample: `genodose call` on the shard's BED → VCF + gVCF (bgzip + tabix).
// Mirrors the Snakemake rule call_shard. meta.shard (zero-padded) orders the gather.
process GENODOSE_CALL {
    tag "${meta.id}:${meta.shard}"
    label 'process_medium'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(reads), path(reads_index), path(regions_bed)
    tuple path(fasta), path(fasta_index)
    path model

    output:
    tuple val(meta), path("*.calls.vcf.gz"), path("*.calls.vcf.gz.tbi"), path("*.calls.g.vcf.gz"), path("*.calls.g.vcf.gz.tbi"), emit: calls
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}.${meta.shard}"
    def model_arg = model ? "--model ${model}" : ''
    """
    genodose call \\
        --threads ${task.cpus} \\
        --ref ${fasta} \\
        --reads ${reads} \\
        --regions ${regions_bed} \\
        --sample ${meta.id} \\
        ${model_arg} \\
        ${args} \\
        --output ${prefix}.calls.vcf.gz \\
        --gvcf ${prefix}.calls.g.vcf.gz

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}.${meta.shard}"
    """
    echo | gzip > ${prefix}.calls.vcf.gz
    touch ${prefix}.calls.vcf.gz.tbi
    echo | gzip > ${prefix}.calls.g.vcf.gz
    touch ${prefix}.calls.g.vcf.gz.tbi

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """
}
