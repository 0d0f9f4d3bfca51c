// The gathered gVCF expanded to one record per position, so that genotyping sees reference
// calls as reference (a position with no record is missing, not reference). Mirrors expand_gvcf.
process BCFTOOLS_GVCF2VCF {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(gvcf), path(gvcf_index)
    tuple path(fasta), path(fasta_index)

    output:
    tuple val(meta), path("${meta.id}.allsites.vcf.gz"), path("${meta.id}.allsites.vcf.gz.tbi"), emit: vcf
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    """
    bcftools convert --gvcf2vcf --fasta-ref ${fasta} ${args} -Oz -o ${meta.id}.allsites.vcf.gz ${gvcf}
    bcftools index --tbi ${meta.id}.allsites.vcf.gz

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        bcftools: \$(bcftools --version | sed -n '1s/^bcftools //p')
    END_VERSIONS
    """

    stub:
    """
    echo | gzip > ${meta.id}.allsites.vcf.gz
    touch ${meta.id}.allsites.vcf.gz.tbi

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        bcftools: \$(bcftools --version | sed -n '1s/^bcftools //p')
    END_VERSIONS
    """
}
