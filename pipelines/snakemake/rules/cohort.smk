# One row per sample (bin/genodose-sample-summary, shared with the Nextflow workflow), then the
# cohort table (the rows under one header, in sample-sheet order; private, 0600, like every
# genodose output with patient results) and the tool versions.


rule sample_summary:
    input:
        unpack(summary_inputs),
    output:
        tsv=f"{OUT}/{{sample}}/{{sample}}.summary.tsv",
    params:
        script=SUMMARY_SCRIPT,
        options=summary_options,
    log:
        f"{OUT}/logs/sample_summary/{{sample}}.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=5,
    conda:
        "../../conda/environment.yml"
    shell:
        "python3 {params.script:q} --sample {wildcards.sample} --genotypes {input.genotypes:q}"
        " {params.options} --output {output.tsv:q} > {log:q} 2>&1"


# Joint genotyping: the gathered gVCFs (reference blocks, not expanded) of every sample with reads
# merged into one multi-sample VCF, every sample genotyped at every variant site (genodose joint:
# streaming, memory bounded by one site across the samples).
rule joint_genotyping:
    input:
        gvcfs=expand(f"{OUT}/{{sample}}/{{sample}}.g.vcf.gz", sample=READS_SAMPLES),
        tbis=expand(f"{OUT}/{{sample}}/{{sample}}.g.vcf.gz.tbi", sample=READS_SAMPLES),
    output:
        vcf=f"{OUT}/cohort.vcf.gz",
        tbi=f"{OUT}/cohort.vcf.gz.tbi",
    params:
        genodose=GENODOSE,
    log:
        f"{OUT}/logs/joint_genotyping.log",
    benchmark:
        f"{OUT}/benchmarks/joint_genotyping.tsv"
    threads: RESOURCES["joint"]["threads"]
    resources:
        mem_mb=memory_of("joint"),
        runtime=runtime_of("joint"),
    conda:
        "../../conda/environment.yml"
    shell:
        "{params.genodose} joint --gvcfs {input.gvcfs:q} --output {output.vcf:q} > {log:q} 2>&1"


rule cohort:
    input:
        expand(f"{OUT}/{{sample}}/{{sample}}.summary.tsv", sample=list(SAMPLES)),
    output:
        tsv=f"{OUT}/cohort.tsv",
    log:
        f"{OUT}/logs/cohort.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=5,
    conda:
        "../../conda/environment.yml"
    shell:
        "(umask 077 && awk 'FNR == 1 && NR != 1 {{ next }} {{ print }}' {input:q} > {output.tsv:q}) 2> {log:q}"


rule versions:
    output:
        txt=f"{OUT}/versions.txt",
    params:
        genodose=GENODOSE,
        snakemake=snakemake.__version__,
    log:
        f"{OUT}/logs/versions.log",
    threads: 1
    resources:
        mem_mb=200,
        runtime=5,
    conda:
        "../../conda/environment.yml"
    shell:
        "({params.genodose} --version && bcftools --version | sed -n 1,2p"
        " && echo snakemake {params.snakemake}) > {output.txt:q} 2> {log:q}"
