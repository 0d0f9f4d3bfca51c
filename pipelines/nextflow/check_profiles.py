"""Consistency of the Nextflow workflow's profiles, without Nextflow (pipelines/nextflow/check.sh).

For every profile of nextflow.config that sets parameters, with the defaults of its `params`
block: every file it names exists (sample sheet, reference and its index, regions BED, models,
data folder), the sample sheet is valid (the Snakemake workflow's own rules, rules/common.smk),
and genome builds and contigs agree: the reference's chromosome lengths are those of
`genome_build`, every sample with reads was aligned to that reference (the BAM's contigs have
the reference's lengths and hold the regions' contigs), every VCF sample's contig lengths are
those of its build, and the regions lie on the reference.

Usage: python3 check_profiles.py NEXTFLOW_CONFIG [PROJECT_DIR]
  PROJECT_DIR replaces ${projectDir} (default: the config's folder). Prints one line per problem,
  naming the profile, the parameter or sample and the file; exit 0 when there is none, 1 otherwise.
"""
import gzip
import os
import re
import subprocess
import sys
import types

from snakemake.exceptions import WorkflowError

# Chromosome lengths of the two builds genodose supports (UCSC/GRC primary assemblies).
BUILD_LENGTHS = {
    "GRCh38": [248956422, 242193529, 198295559, 190214555, 181538259, 170805979, 159345973, 145138636,
               138394717, 133797422, 135086622, 133275309, 114364328, 107043718, 101991189, 90338345,
               83257441, 80373285, 58617616, 64444167, 46709983, 50818468, 156040895, 57227415],
    "GRCh37": [249250621, 243199373, 198022430, 191154276, 180915260, 171115067, 159138663, 146364022,
               141213431, 135534747, 135006516, 133851895, 115169878, 107349540, 102531392, 90354753,
               81195210, 78077248, 59128983, 63025520, 48129895, 51304566, 155270560, 59373566],
}
CHROMOSOMES = [str(i) for i in range(1, 23)] + ["X", "Y"]
FILE_PARAMS = ("input", "reference", "caller_model", "dose_model", "data_dir")


def plain(contig):
    return contig[3:] if contig.startswith("chr") else contig


def builds_of(lengths):
    """The builds whose chromosome lengths the contigs {name: length} have (both when no
    contig is a standard chromosome: nothing to tell them apart)."""
    matching = []
    for build, table in BUILD_LENGTHS.items():
        known = dict(zip(CHROMOSOMES, table))
        if all(known[plain(c)] == n for c, n in lengths.items() if plain(c) in known):
            matching.append(build)
    return matching


def parse_value(text, project_dir):
    text = text.strip().rstrip(";").strip()
    text = re.sub(r"//.*$", "", text).strip()
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?[0-9]+", text):
        return int(text)
    if text.startswith("["):
        return [parse_value(item, project_dir) for item in re.findall(r"'[^']*'|\"[^\"]*\"", text)]
    if text[:1] in "'\"":
        return text[1:-1].replace("${projectDir}", project_dir)
    return text


def read_config(path, project_dir):
    """The `params` defaults and each profile's `params.X = ...` lines."""
    text = open(path, encoding="utf-8").read()
    defaults = {}
    block = re.search(r"^params\s*\{(.*?)^\}", text, re.S | re.M)
    for name, value in re.findall(r"^\s*(\w+)\s*=\s*(.+)$", block.group(1) if block else "", re.M):
        defaults[name] = parse_value(value, project_dir)
    profiles = {}
    section = re.search(r"^profiles\s*\{(.*)", text, re.S | re.M)
    current, depth = None, 1
    for line in (section.group(1) if section else "").splitlines():
        code = re.sub(r"//.*$", "", line)
        opened = re.match(r"^\s*(\w+)\s*\{", code)
        if depth == 1 and opened:
            current = opened.group(1)
        assignment = re.match(r"^\s*params\.(\w+)\s*=\s*(.+)$", code)
        if assignment and current and depth == 2:
            profiles.setdefault(current, {})[assignment.group(1)] = parse_value(assignment.group(2), project_dir)
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            break
    return defaults, profiles


def fai_lengths(reference):
    lengths = {}
    with open(f"{reference}.fai", encoding="utf-8") as handle:
        for line in handle:
            fields = line.split("\t")
            lengths[fields[0]] = int(fields[1])
    return lengths


def bam_lengths(reads):
    header = subprocess.run(["samtools", "view", "-H", reads], capture_output=True, text=True, check=True).stdout
    return {m.group(1): int(m.group(2)) for m in re.finditer(r"^@SQ\tSN:(\S+)\tLN:(\d+)", header, re.M)}


def vcf_lengths(vcf):
    with open(vcf, "rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
    lengths = {}
    with (gzip.open(vcf, "rt") if compressed else open(vcf, encoding="utf-8")) as handle:
        for line in handle:
            if not line.startswith("##"):
                break
            m = re.match(r"##contig=<ID=([^,>]+),length=(\d+)", line)
            if m:
                lengths[m.group(1)] = int(m.group(2))
    return lengths


def load_common(common_smk):
    namespace = {"config": {}, "workflow": types.SimpleNamespace(
        basedir=os.path.dirname(common_smk), use_conda=False, use_singularity=False)}
    exec(compile(open(common_smk, encoding="utf-8").read(), common_smk, "exec"), namespace)
    return namespace


def check_profile(name, params, common, resources, problems):
    def problem(text):
        problems.append(f"profile '{name}': {text}")

    for key in FILE_PARAMS:
        value = params.get(key)
        if value and not os.path.exists(value):
            problem(f"--{key}: {value}: not found")
    regions = params.get("regions")
    if isinstance(regions, str) and regions.endswith(".bed") and not os.path.isfile(regions):
        problem(f"--regions: {regions}: not found")
    build = params.get("genome_build")
    if build not in BUILD_LENGTHS:
        problem(f"--genome_build: GRCh38 or GRCh37, got {build!r}")
        return
    reference = params.get("reference")
    contigs = None
    if reference and os.path.isfile(reference):
        if not os.path.isfile(f"{reference}.fai"):
            problem(f"--reference: {reference}: no .fai index")
        else:
            contigs = fai_lengths(reference)
            if build not in builds_of(contigs):
                problem(f"--reference: {reference}: its chromosome lengths are not {build}'s "
                        f"(--genome_build {build}; they match {' or '.join(builds_of(contigs)) or 'neither build'})")
    sheet = params.get("input")
    if not sheet or not os.path.isfile(sheet):
        return
    try:
        samples = common["read_sample_sheet"](sheet, build, bool(params.get("dose")) or bool(params.get("report")))
    except WorkflowError as error:
        problem(f"--input: {error}")
        return
    region_list = []
    if contigs is not None:
        try:
            spec = regions if regions is not None else ""
            region_list = common["read_regions"](spec, common["read_fai"](reference),
                                                 os.path.join(resources, f"warfarin_{build}.bed"))
        except WorkflowError as error:
            problem(f"--regions: {error}")
    for sample in samples.values():
        where = f"--input: {sheet}: sample {sample.id}"
        if sample.reads:
            if contigs is None:
                problem(f"{where}: reads, but no usable --reference")
                continue
            lengths = bam_lengths(sample.reads)
            by_plain = {plain(c): n for c, n in lengths.items()}
            differing = [c for c, n in contigs.items() if plain(c) in by_plain and by_plain[plain(c)] != n]
            if differing:
                problem(f"{where}: {sample.reads}: contig {differing[0]} is {by_plain[plain(differing[0])]} bp, "
                        f"{contigs[differing[0]]} bp in --reference {reference} (aligned to another build)")
            missing = sorted({r.contig for r in region_list if plain(r.contig) not in by_plain})
            if missing:
                problem(f"{where}: {sample.reads}: no contig {', '.join(missing)} of the regions "
                        f"(its contigs: {', '.join(list(lengths)[:5])}{', ...' if len(lengths) > 5 else ''})")
        else:
            lengths = vcf_lengths(sample.vcf)
            if lengths and sample.build not in builds_of(lengths):
                problem(f"{where}: {sample.vcf}: its ##contig lengths are not {sample.build}'s (the sample's build; "
                        f"they match {' or '.join(builds_of(lengths)) or 'neither build'})")


def main():
    config = os.path.abspath(sys.argv[1])
    project_dir = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.dirname(config)
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    common = load_common(os.path.join(top, "snakemake", "rules", "common.smk"))
    defaults, profiles = read_config(config, project_dir)
    problems = []
    checked = []
    for name, overrides in profiles.items():
        check_profile(name, {**defaults, **overrides}, common, os.path.join(top, "resources"), problems)
        checked.append(name)
    for line in problems:
        print(line)
    if not checked:
        print(f"{config}: no profile sets parameters")
        return 1
    if not problems:
        print(f"profiles consistent: {', '.join(checked)} (files exist; builds and contigs agree)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
