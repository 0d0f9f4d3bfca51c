# Helpers of the genodose Snakemake workflow: configuration, sample sheet, regions, and the
# input functions of the rules. Functions only (the rules are in the other rules/*.smk files, as
# Snakemake's linter asks). Every problem in the configuration or the sample sheet stops the
# workflow before any job runs, with one line naming the file, the row and the field.
import csv
import gzip
import json
import math
import os
import re
import shutil
from collections import namedtuple

import snakemake
from snakemake.exceptions import WorkflowError

Region = namedtuple("Region", ["contig", "start", "end"])  # 1-based, inclusive
Sample = namedtuple("Sample", ["id", "reads", "reads_index", "vcf", "vcf_sample", "build", "patient"])

SHEET_COLUMNS = ["sample", "reads", "vcf", "vcf_sample", "build", "patient"]
BUILDS = ("GRCh38", "GRCh37")
SAMPLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def config_path(key):
    """A path from the config: relative paths are relative to the working directory."""
    value = config.get(key) or ""
    return os.path.abspath(value) if value else ""


def config_flag(key):
    value = config.get(key, True)
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "false"):  # --config KEY=false gives a string
        return str(value).lower() == "true"
    raise WorkflowError(f"config: '{key}' must be true or false, got {value!r}")


def config_count(key, minimum):
    """A whole number from the config (--config KEY=VALUE gives a string)."""
    value = config.get(key)
    value = 0 if value in (None, "") else value
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]+", str(value)) or int(value) < minimum:
        raise WorkflowError(f"config: '{key}': a whole number >= {minimum}, got {value}")
    return int(value)


def find_genodose():
    configured = str(config.get("genodose") or "")
    if configured:
        found = shutil.which(configured) if os.sep not in configured else os.path.abspath(configured)
        if not found or not os.access(found, os.X_OK):
            raise WorkflowError(f"config: 'genodose': {configured}: not found or not executable")
        return found
    deployed = workflow.use_conda or workflow.use_singularity
    if deployed:
        return "genodose"  # provided by the environment or the container
    found = shutil.which("genodose")
    if found:
        return found
    built = os.path.normpath(os.path.join(workflow.basedir, "..", "..", "build", "genodose"))
    if os.access(built, os.X_OK):
        return built
    raise WorkflowError(
        "genodose not found: set 'genodose' in the config, put it on PATH, or build it (scripts/build.sh)"
    )


def index_of(path, field, where):
    """The index beside a BAM/CRAM/FASTA, or an error naming the command that makes it."""
    candidates = {
        "reads": [f"{path}.bai", f"{path}.crai", f"{path}.csi", re.sub(r"\.bam$", ".bai", path),
                  re.sub(r"\.cram$", ".crai", path)],
        "reference": [f"{path}.fai"],
    }[field]
    for candidate in candidates:
        if candidate != path and os.path.isfile(candidate):
            return candidate
    tool = "samtools index" if field == "reads" else "samtools faidx"
    raise WorkflowError(f"{where}: field '{field}': {path}: no index (run `{tool}` on it)")


def read_sample_sheet(path, genome_build, needs_patient):
    """Tab-separated, one row per sample; relative paths are relative to the sheet's folder."""
    if not path:
        raise WorkflowError("config: 'samples' is not set (a sample sheet, see docs/workflows.md)")
    if not os.path.isfile(path):
        raise WorkflowError(f"config: 'samples': {path}: not found")
    folder = os.path.dirname(path)
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1)
                 if line.strip() and not line.startswith("#")]
    if not lines:
        raise WorkflowError(f"{path}: empty sample sheet")
    header = [c.strip() for c in lines[0][1].rstrip("\r\n").split("\t")]
    for column in header:
        if column not in SHEET_COLUMNS:
            raise WorkflowError(f"{path}: line {lines[0][0]}: unknown column '{column}' "
                                f"(known: {', '.join(SHEET_COLUMNS)})")
    if "sample" not in header or ("reads" not in header and "vcf" not in header):
        raise WorkflowError(f"{path}: line {lines[0][0]}: needs the columns 'sample' and 'reads' and/or 'vcf'")
    if needs_patient and "patient" not in header:
        raise WorkflowError(f"{path}: line {lines[0][0]}: no 'patient' column (needed by the dose and report steps)")

    samples = {}
    for number, line in lines[1:]:
        cells = line.rstrip("\r\n").split("\t")
        if len(cells) > len(header):
            raise WorkflowError(f"{path}: line {number}: {len(cells)} fields, the header has {len(header)}")
        row = dict(zip(header, [c.strip() for c in cells] + [""] * (len(header) - len(cells))))
        sample = row["sample"]
        where = f"{path}: line {number} ({sample or 'no sample'})"
        if not SAMPLE_ID.match(sample):
            raise WorkflowError(f"{where}: field 'sample': use letters, digits, '.', '_' or '-' "
                                f"(it names files), got {sample!r}")
        if sample in samples:
            raise WorkflowError(f"{where}: field 'sample': duplicate sample {sample!r}")

        def file_field(name, required=False):
            value = row.get(name, "")
            if not value:
                if required:
                    raise WorkflowError(f"{where}: field '{name}': empty")
                return ""
            full = os.path.normpath(os.path.join(folder, value))
            if not os.path.isfile(full):
                raise WorkflowError(f"{where}: field '{name}': {full}: not found")
            return full

        reads, vcf = file_field("reads"), file_field("vcf")
        if bool(reads) == bool(vcf):
            raise WorkflowError(f"{where}: give exactly one of 'reads' and 'vcf'")
        build = row.get("build", "") or genome_build
        if build not in BUILDS:
            raise WorkflowError(f"{where}: field 'build': GRCh38 or GRCh37, got {build!r}")
        if reads and build != genome_build:
            raise WorkflowError(f"{where}: field 'build': reads are called against the reference "
                                f"({genome_build}, config 'genome_build'), got {build}")
        if reads and row.get("vcf_sample"):
            raise WorkflowError(f"{where}: field 'vcf_sample': only for 'vcf' inputs")
        patient = file_field("patient", required=needs_patient)
        if patient:
            # The VCF sample the genotypes come from: the caller names it after the sheet's sample.
            if reads:
                names = [sample]
            elif row.get("vcf_sample"):
                names = [row["vcf_sample"]]
            else:
                names = vcf_sample_names(vcf)
            if names:
                check_patient_sample(where, patient, reads or vcf, names)
        samples[sample] = Sample(
            id=sample, reads=reads, reads_index=index_of(reads, "reads", where) if reads else "",
            vcf=vcf, vcf_sample=row.get("vcf_sample", ""), build=build, patient=patient,
        )
    if not samples:
        raise WorkflowError(f"{path}: no samples")
    return samples


def vcf_sample_names(path):
    """The sample names of a VCF or BCF (plain, gzip or BGZF) from its header; None when the header
    cannot be read here (genodose then reports the problem in the genotype step)."""
    try:
        with open(path, "rb") as raw:
            compressed = raw.read(2) == b"\x1f\x8b"
        with (gzip.open(path, "rb") if compressed else open(path, "rb")) as handle:
            magic = handle.read(5)
            if magic[:3] == b"BCF":
                length = int.from_bytes(handle.read(4), "little")
                lines = handle.read(length).rstrip(b"\0").split(b"\n")
            else:
                lines = (magic + line if i == 0 else line for i, line in enumerate(handle))
            for line in lines:
                if line.startswith(b"#CHROM"):
                    return line.rstrip(b"\r\n").decode("utf-8", "replace").split("\t")[9:]
                if not line.startswith(b"#"):
                    return None
    except (OSError, EOFError, ValueError):
        return None
    return None


def check_patient_sample(where, patient_path, input_path, names):
    """`genodose dose predict` and `genodose run` refuse a patient whose sample_id names another
    sample (a sample swap); the same rule here stops the workflow before any job. A patient's
    sample_id (else its id) must name a sample of the input; with one sample and one patient that
    sets no sample_id, that sample is the patient's."""
    try:
        with open(patient_path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return  # not a patient JSON (an IWPC CSV, or malformed): genodose reports it in the dose step
    if isinstance(data, dict) and isinstance(data.get("patients"), list):
        patients = data["patients"]
    elif isinstance(data, list):
        patients = data
    else:
        patients = [data]
    for patient in patients:
        if not isinstance(patient, dict):
            return
        patient_id = str(patient.get("id") or "").strip()
        sample_id = str(patient.get("sample_id") or "").strip()
        if (sample_id or patient_id) in names or (len(names) == 1 and len(patients) == 1 and not sample_id):
            continue
        listed = ", ".join(f"'{n}'" for n in names[:5]) + (", ..." if len(names) > 5 else "")
        if sample_id:
            raise WorkflowError(f"{where}: field 'patient': {patient_path}: patient '{patient_id}' has sample_id "
                                f"'{sample_id}', but {input_path} holds sample {listed} (a sample swap? give the "
                                "patient's own input, or correct sample_id)")
        raise WorkflowError(f"{where}: field 'patient': {patient_path}: patient '{patient_id}' names none of the "
                            f"samples of {input_path} ({listed}); set 'vcf_sample' or the patient's sample_id")


def read_fai(reference):
    contigs = {}
    with open(f"{reference}.fai", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split("\t")
            if len(fields) < 2 or not fields[1].isdigit():
                raise WorkflowError(f"{reference}.fai: line {number}: malformed")
            contigs[fields[0]] = (len(contigs), int(fields[1]))
    return contigs


def contig_key(contig, contigs, where):
    """Rank and length of a contig, reconciling 'chr10' and '10' as genodose does."""
    for name in (contig, contig[3:] if contig.startswith("chr") else f"chr{contig}"):
        if name in contigs:
            return contigs[name]
    raise WorkflowError(f"{where}: contig '{contig}' is not in the reference")


def parse_region_text(text, contigs, where):
    match = re.match(r"^(.+):([0-9,]+)-([0-9,]+)$", text)
    if match:
        contig, start, end = match.group(1), int(match.group(2).replace(",", "")), int(match.group(3).replace(",", ""))
    else:
        contig, start, end = text, 1, None
    length = contig_key(contig, contigs, where)[1]
    end = length if end is None else end
    if start < 1 or end < start or end > length:
        raise WorkflowError(f"{where}: region '{text}': outside {contig} (1-{length}) or empty")
    return Region(contig, start, end)


def read_regions(spec, contigs, default_bed):
    """A BED file, a list of 'chr:start-end' (a bare contig: all of it), one such region or several
    separated by spaces, or empty for the default BED."""
    if not spec:
        spec = default_bed
    regions = []
    if isinstance(spec, list):
        for i, text in enumerate(spec, start=1):
            regions.append(parse_region_text(str(text), contigs, f"config: 'regions' item {i}"))
    elif isinstance(spec, str) and os.path.isfile(spec):
        with open(spec, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip() or line.startswith(("#", "track", "browser")):
                    continue
                fields = line.rstrip("\r\n").split("\t")
                where = f"{spec}: line {number}"
                if len(fields) < 3 or not fields[1].isdigit() or not fields[2].isdigit():
                    raise WorkflowError(f"{where}: expected 'contig<TAB>start<TAB>end' (0-based, half-open)")
                regions.append(parse_region_text(f"{fields[0]}:{int(fields[1]) + 1}-{fields[2]}", contigs, where))
    elif isinstance(spec, str):
        for i, text in enumerate(spec.split(), start=1):  # one region, or several separated by spaces
            regions.append(parse_region_text(text, contigs, f"config: 'regions' item {i}"))
    else:
        raise WorkflowError(f"config: 'regions': {spec!r}: not a BED file, a region or a list of regions")
    if not regions:
        raise WorkflowError(f"config: 'regions': {spec}: no regions")
    regions.sort(key=lambda r: (contig_key(r.contig, contigs, "regions")[0], r.start))
    for previous, region in zip(regions, regions[1:]):
        if contig_key(previous.contig, contigs, "")[0] == contig_key(region.contig, contigs, "")[0] \
                and region.start <= previous.end:
            raise WorkflowError(f"config: 'regions': {region_text(previous)} and {region_text(region)} overlap "
                                "(merge them, e.g. with bedtools merge)")
    return regions


def split_regions(regions, chunk_bp):
    """Regions longer than chunk_bp become consecutive pieces (0: keep them whole)."""
    if not chunk_bp:
        return regions
    pieces = []
    for region in regions:
        for start in range(region.start, region.end + 1, chunk_bp):
            pieces.append(Region(region.contig, start, min(region.end, start + chunk_bp - 1)))
    return pieces


def shard_regions(regions, shard_count):
    """At most shard_count shards of about equal total length, each a run of consecutive regions
    in reference order; a region is never cut (region_chunk_bp does that, before sharding).

    A region goes to the shard its midpoint falls in when the total length is cut into equal
    parts, so shards differ in length by at most about one region, and concatenating the
    shards' outputs in shard order keeps reference order (the gather needs no sort). Shards a
    long region leaves empty are dropped: the result can have fewer shards than asked."""
    total = sum(r.end - r.start + 1 for r in regions)
    shards = [[] for _ in range(shard_count)]
    before = 0
    for region in regions:
        length = region.end - region.start + 1
        shards[min(shard_count - 1, (2 * before + length) * shard_count // (2 * total))].append(region)
        before += length
    return [shard for shard in shards if shard]


def shard_id(number, count):
    return f"{number + 1:0{max(3, len(str(count)))}d}"


def shard_bed(shard):
    """The shard's regions as BED lines (0-based, half-open)."""
    return "".join(f"{r.contig}\t{r.start - 1}\t{r.end}\n" for r in shard)


def write_files(paths, texts):
    for path, text in zip(paths, texts):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


def region_text(region):
    return f"{region.contig}:{region.start}-{region.end}"


# ---- input functions of the rules -------------------------------------------------------------

def reads_of(wildcards):
    sample = SAMPLES[wildcards.sample]
    return {"reads": sample.reads, "index": sample.reads_index}


def shard_outputs(suffix):
    return lambda wildcards: [f"{OUT}/{wildcards.sample}/shards/{shard}{suffix}" for shard in SHARDS]


def genotype_vcf(wildcards):
    """Reads: the gathered gVCF, read as blocks (a position is reference only under a confident
    reference block, docs/genotype-schema.md); VCF input: the sample's VCF as given."""
    sample = SAMPLES[wildcards.sample]
    return f"{OUT}/{sample.id}/{sample.id}.g.vcf.gz" if sample.reads else sample.vcf


def genotype_options(wildcards):
    sample = SAMPLES[wildcards.sample]
    options = f"--build {sample.build}"
    if sample.vcf_sample:
        options += f" --sample {sample.vcf_sample}"
    elif sample.reads:
        options += f" --sample {sample.id}"  # the caller names the VCF sample after the sheet
    return options


def patient_of(wildcards):
    return SAMPLES[wildcards.sample].patient


def report_inputs(wildcards):
    """The report runs after the sample's dose step succeeded (when the dose step is on): a failed
    dose (e.g. a patient refused by `genodose dose predict`) never leaves a report behind."""
    inputs = {"vcf": genotype_vcf(wildcards), "patient": patient_of(wildcards)}
    if RUN_DOSE:
        inputs["dose"] = f"{OUT}/{wildcards.sample}/{wildcards.sample}.dose.tsv"
    return inputs


def summary_inputs(wildcards):
    sample = SAMPLES[wildcards.sample]
    inputs = {"genotypes": f"{OUT}/{sample.id}/{sample.id}.genotype.json"}
    if sample.reads:
        inputs["calls"] = f"{OUT}/{sample.id}/{sample.id}.vcf.gz"
    if RUN_DOSE:
        inputs["dose"] = f"{OUT}/{sample.id}/{sample.id}.dose.tsv"
    if RUN_REPORT:
        inputs["report"] = f"{OUT}/{sample.id}/report"
    return inputs


def summary_options(wildcards, input):
    sample = SAMPLES[wildcards.sample]
    options = [f"--input-type {'reads' if sample.reads else 'vcf'}"]
    if sample.vcf_sample:
        options.append(f"--vcf-sample {sample.vcf_sample}")
    for name in ("calls", "dose", "report"):
        if name in input.keys():
            options.append(f"--{name} {input[name]}")
    return " ".join(options)


def memory_of(step):
    """The step's mem_mb, times the attempt: a job killed for memory is retried with more
    (--retries / the profiles' 'retries')."""
    return lambda wildcards, attempt: int(RESOURCES[step]["mem_mb"]) * attempt


def runtime_of(step):
    """The step's runtime in minutes, times the attempt (a job that timed out gets longer). A
    step with minutes_per_mb (calling) gets at least that many minutes per Mb of its shard."""

    def runtime(wildcards, attempt):
        minutes = int(RESOURCES[step]["runtime"])
        per_mb = RESOURCES[step].get("minutes_per_mb")
        if per_mb and "shard" in wildcards.keys():
            minutes = max(minutes, math.ceil(SHARD_BP[wildcards.shard] / 1e6 * float(per_mb)))
        return minutes * attempt

    return runtime


def model_option(key):
    path = config_path(key)
    return f"--model {path}" if path else ""
