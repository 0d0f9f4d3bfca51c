// Gather one sample's region calls in region order (file names start with the zero-padded
// region index): bcftools concat + tabix index, for the VCF and the gVCF. Mirrors gather_calls.
process BCFTOOLS_CONCAT {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(vcfs), path(tbis), path(gvcfs), path(gtbis)

    output:
    tuple val(meta), path("${meta.id}.vcf.gz"), path("${meta.id}.vcf.gz.tbi"), emit: vcf
    tuple val(meta), path("${meta.id}.g.vcf.gz"), path("${meta.id}.g.vcf.gz.tbi"), emit: gvcf
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def ordered_vcfs = [vcfs].flatten().sort { it.name }.join(' ')
    def ordered_gvcfs = [gvcfs].flatten().sort { it.name }.join(' ')
    """
    bcftools concat --threads ${task.cpus} ${args} -Oz -o ${meta.id}.vcf.gz ${ordered_vcfs}
    bcftools index --tbi ${meta.id}.vcf.gz
    bcftools concat --threads ${task.cpus} ${args} -Oz -o ${meta.id}.g.vcf.gz ${ordered_gvcfs}
    bcftools index --tbi ${meta.id}.g.vcf.gz

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        bcftools: \$(bcftools --version | sed -n '1s/^bcftools //p')
    END_VERSIONS
    """

    stub:
    """
    echo | gzip > ${meta.id}.vcf.gz
    touch ${meta.id}.vcf.gz.tbi
    echo | gzip > ${meta.id}.g.vcf.gz
    touch ${meta.id}.g.vcf.gz.tbi

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        bcftools: \$(bcftools --version | sed -n '1s/^bcftools //p')
    END_VERSIONS
    """
}
