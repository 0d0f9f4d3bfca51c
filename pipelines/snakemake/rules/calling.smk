# Samples with reads: one `genodose call` job per (sample, region), gathered in region order
# with bcftools concat, and the gathered gVCF expanded to one record per position for genotyping.


rule call_region:
    input:
        unpack(reads_of),
        reference=REFERENCE,
        reference_index=REFERENCE_INDEX,
    output:
        vcf=temp(f"{OUT}/{{sample}}/regions/{{region}}.vcf.gz"),
        tbi=temp(f"{OUT}/{{sample}}/regions/{{region}}.vcf.gz.tbi"),
        gvcf=temp(f"{OUT}/{{sample}}/regions/{{region}}.g.vcf.gz"),
        gtbi=temp(f"{OUT}/{{sample}}/regions/{{region}}.g.vcf.gz.tbi"),
    params:
        genodose=GENODOSE,
        region=lambda wildcards: REGION_TEXT[wildcards.region],
        model=model_option("caller_model"),
        extra=EXTRA.get("call", ""),
    log:
        f"{OUT}/logs/call/{{sample}}/{{region}}.log",
    benchmark:
        f"{OUT}/benchmarks/call/{{sample}}/{{region}}.tsv"
    threads: RESOURCES["call"]["threads"]
    resources:
        mem_mb=RESOURCES["call"]["mem_mb"],
        runtime=RESOURCES["call"]["runtime"],
    conda:
        "../../conda/environment.yml"
    shell:
        "{params.genodose} call --threads {threads} --ref {input.reference:q} --reads {input.reads:q}"
        " --regions {params.region} --sample {wildcards.sample} {params.model} {params.extra}"
        " --output {output.vcf:q} --gvcf {output.gvcf:q} > {log:q} 2>&1"


rule gather_calls:
    input:
        vcfs=region_outputs(".vcf.gz"),
        tbis=region_outputs(".vcf.gz.tbi"),
        gvcfs=region_outputs(".g.vcf.gz"),
        gtbis=region_outputs(".g.vcf.gz.tbi"),
    output:
        vcf=f"{OUT}/{{sample}}/{{sample}}.vcf.gz",
        tbi=f"{OUT}/{{sample}}/{{sample}}.vcf.gz.tbi",
        gvcf=f"{OUT}/{{sample}}/{{sample}}.g.vcf.gz",
        gtbi=f"{OUT}/{{sample}}/{{sample}}.g.vcf.gz.tbi",
    log:
        f"{OUT}/logs/gather/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/gather/{{sample}}.tsv"
    threads: RESOURCES["gather"]["threads"]
    resources:
        mem_mb=RESOURCES["gather"]["mem_mb"],
        runtime=RESOURCES["gather"]["runtime"],
    conda:
        "../../conda/environment.yml"
    shell:
        "(bcftools concat --threads {threads} -Oz -o {output.vcf:q} {input.vcfs:q}"
        " && bcftools index --tbi {output.vcf:q}"
        " && bcftools concat --threads {threads} -Oz -o {output.gvcf:q} {input.gvcfs:q}"
        " && bcftools index --tbi {output.gvcf:q}) > {log:q} 2>&1"


rule expand_gvcf:
    input:
        gvcf=f"{OUT}/{{sample}}/{{sample}}.g.vcf.gz",
        reference=REFERENCE,
        reference_index=REFERENCE_INDEX,
    output:
        vcf=f"{OUT}/{{sample}}/{{sample}}.allsites.vcf.gz",
        tbi=f"{OUT}/{{sample}}/{{sample}}.allsites.vcf.gz.tbi",
    log:
        f"{OUT}/logs/expand_gvcf/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/expand_gvcf/{{sample}}.tsv"
    threads: RESOURCES["gather"]["threads"]
    resources:
        mem_mb=RESOURCES["gather"]["mem_mb"],
        runtime=RESOURCES["gather"]["runtime"],
    conda:
        "../../conda/environment.yml"
    shell:
        "(bcftools convert --gvcf2vcf --fasta-ref {input.reference:q} -Oz -o {output.vcf:q} {input.gvcf:q}"
        " && bcftools index --tbi {output.vcf:q}) > {log:q} 2>&1"
