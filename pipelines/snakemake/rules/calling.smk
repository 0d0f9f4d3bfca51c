# Samples with reads: the regions are cut into balanced shards (config 'shards', rules/common.smk
# shard_regions), one `genodose call` job per (sample, shard) with the shard's BED, gathered in
# shard order (= reference order) with bcftools concat. The gVCF stays in blocks: genotyping reads
# its reference blocks directly, so nothing is expanded to one record per base.


rule shard_beds:
    output:
        beds=expand(f"{OUT}/shards/{{shard}}.bed", shard=list(SHARDS)),
    params:
        # The shards' contents: a changed region set or shard count reruns this rule.
        beds=[SHARDS[shard] for shard in SHARDS],
    log:
        f"{OUT}/logs/shard_beds.log",
    run:
        write_files(output.beds, params.beds)


rule call_shard:
    input:
        unpack(reads_of),
        bed=f"{OUT}/shards/{{shard}}.bed",
        reference=REFERENCE,
        reference_index=REFERENCE_INDEX,
    output:
        vcf=temp(f"{OUT}/{{sample}}/shards/{{shard}}.vcf.gz"),
        tbi=temp(f"{OUT}/{{sample}}/shards/{{shard}}.vcf.gz.tbi"),
        gvcf=temp(f"{OUT}/{{sample}}/shards/{{shard}}.g.vcf.gz"),
        gtbi=temp(f"{OUT}/{{sample}}/shards/{{shard}}.g.vcf.gz.tbi"),
    params:
        genodose=GENODOSE,
        model=model_option("caller_model"),
        extra=EXTRA.get("call", ""),
    log:
        f"{OUT}/logs/call/{{sample}}/{{shard}}.log",
    benchmark:
        f"{OUT}/benchmarks/call/{{sample}}/{{shard}}.tsv"
    threads: RESOURCES["call"]["threads"]
    resources:
        mem_mb=memory_of("call"),
        runtime=runtime_of("call"),
    conda:
        "../../conda/environment.yml"
    shell:
        "{params.genodose} call --threads {threads} --ref {input.reference:q} --reads {input.reads:q}"
        " --regions {input.bed:q} --sample {wildcards.sample} {params.model} {params.extra}"
        " --output {output.vcf:q} --gvcf {output.gvcf:q} > {log:q} 2>&1"


rule gather_calls:
    input:
        vcfs=shard_outputs(".vcf.gz"),
        tbis=shard_outputs(".vcf.gz.tbi"),
        gvcfs=shard_outputs(".g.vcf.gz"),
        gtbis=shard_outputs(".g.vcf.gz.tbi"),
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
        mem_mb=memory_of("gather"),
        runtime=runtime_of("gather"),
    conda:
        "../../conda/environment.yml"
    shell:
        "(bcftools concat --threads {threads} -Oz -o {output.vcf:q} {input.vcfs:q}"
        " && bcftools index --tbi {output.vcf:q}"
        " && bcftools concat --threads {threads} -Oz -o {output.gvcf:q} {input.gvcfs:q}"
        " && bcftools index --tbi {output.gvcf:q}) > {log:q} 2>&1"
