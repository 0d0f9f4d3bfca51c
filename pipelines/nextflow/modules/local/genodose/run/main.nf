// The dosing report of one patient: `genodose run --vcf` → report/ (report.json, .html, .pdf,
// .fhir.json). Mirrors the Snakemake rule report; off with --report false. dose_model: [] for
// the shipped model.
process GENODOSE_RUN {
    tag "${meta.id}"
    label 'process_single'

    conda "${moduleDir}/../../../../../conda/environment.yml"
    container "${params.container}"

    input:
    tuple val(meta), path(vcf), path(vcf_index), path(patient)
    path dose_model

    output:
    tuple val(meta), path("report"), emit: report
    path "versions.yml", emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    def sample_name = meta.vcf_sample ?: (meta.input == 'reads' ? meta.id : '')
    def sample_arg = sample_name ? "--sample ${sample_name}" : ''
    def model_arg = dose_model ? "--dose-model ${dose_model}" : ''
    """
    genodose run \\
        --threads ${task.cpus} \\
        --vcf ${vcf} \\
        --patient ${patient} \\
        --build ${meta.build} \\
        ${sample_arg} \\
        ${model_arg} \\
        ${args} \\
        --output-dir report

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """

    stub:
    """
    mkdir report
    echo '{}' > report/report.json

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        genodose: \$(genodose --version | sed -n '1s/^genodose //p')
    END_VERSIONS
    """
}
