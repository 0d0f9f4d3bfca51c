# Per sample: genotypes (genodose genotype --vcf), dose (genodose dose predict with the patient
# JSON and the genotypes), report (genodose run --vcf: report.json, .html, .pdf, .fhir.json from
# the same VCF, patient and models; it waits for the dose step, so a sample whose dose failed gets
# no report). `dose: false` / `report: false` in the config leave a step out of the run (and its
# columns NA in the cohort table).


rule genotype:
    input:
        vcf=genotype_vcf,
    output:
        json=f"{OUT}/{{sample}}/{{sample}}.genotype.json",
    params:
        genodose=GENODOSE,
        options=genotype_options,
        data_dir=f"--data-dir {config_path('data_dir')}" if config.get("data_dir") else "",
        extra=EXTRA.get("genotype", ""),
    log:
        f"{OUT}/logs/genotype/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/genotype/{{sample}}.tsv"
    threads: RESOURCES["genotype"]["threads"]
    resources:
        mem_mb=memory_of("genotype"),
        runtime=runtime_of("genotype"),
    conda:
        "../../conda/environment.yml"
    shell:
        "{params.genodose} genotype --vcf {input.vcf:q} {params.options} {params.data_dir} {params.extra}"
        " --output {output.json:q} > {log:q} 2>&1"


rule dose:
    input:
        patient=patient_of,
        genotypes=f"{OUT}/{{sample}}/{{sample}}.genotype.json",
    output:
        tsv=f"{OUT}/{{sample}}/{{sample}}.dose.tsv",
    params:
        genodose=GENODOSE,
        model=model_option("dose_model"),
        extra=EXTRA.get("dose", ""),
    log:
        f"{OUT}/logs/dose/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/dose/{{sample}}.tsv"
    threads: RESOURCES["dose"]["threads"]
    resources:
        mem_mb=memory_of("dose"),
        runtime=runtime_of("dose"),
    conda:
        "../../conda/environment.yml"
    shell:
        "{params.genodose} dose predict --input {input.patient:q} --genotypes {input.genotypes:q}"
        " {params.model} {params.extra} --output {output.tsv:q} > {log:q} 2>&1"


rule report:
    input:
        unpack(report_inputs),
    output:
        directory(f"{OUT}/{{sample}}/report"),
    params:
        genodose=GENODOSE,
        options=genotype_options,
        model=f"--dose-model {config_path('dose_model')}" if config.get("dose_model") else "",
        data_dir=f"--data-dir {config_path('data_dir')}" if config.get("data_dir") else "",
        extra=EXTRA.get("run", ""),
    log:
        f"{OUT}/logs/report/{{sample}}.log",
    benchmark:
        f"{OUT}/benchmarks/report/{{sample}}.tsv"
    threads: RESOURCES["report"]["threads"]
    resources:
        mem_mb=memory_of("report"),
        runtime=runtime_of("report"),
    conda:
        "../../conda/environment.yml"
    shell:
        "{params.genodose} run --threads {threads} --vcf {input.vcf:q} --patient {input.patient:q}"
        " {params.options} {params.model} {params.data_dir} {params.extra} --output-dir {output:q} > {log:q} 2>&1"
