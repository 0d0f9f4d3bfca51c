#include "genodose/pgx/genotyper.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/text.hpp"
#include "genodose/core/version.hpp"
#include "genodose/pgx/data_directory.hpp"

namespace genodose::pgx {

using ordered_json = nlohmann::ordered_json;

namespace {

std::string complement_genotype(const std::string& text) {
    std::string out = text;
    for (char& c : out) {
        switch (c) {
            case 'A': c = 'T'; break;
            case 'C': c = 'G'; break;
            case 'G': c = 'C'; break;
            case 'T': c = 'A'; break;
            default: break;
        }
    }
    return out;
}

DiplotypeDetail describe(const GeneDefinition& gene, const Diplotype& diplotype) {
    DiplotypeDetail detail;
    detail.name = diplotype.name;
    for (std::size_t index : {diplotype.allele1, diplotype.allele2}) {
        HaplotypeDetail haplotype;
        haplotype.name = gene.alleles[index].name;
        if (gene.phenotypes) {
            if (const auto* known = gene.phenotypes->haplotype(haplotype.name)) {
                if (!known->function.empty()) haplotype.function = known->function;
                haplotype.activity_value = known->activity_value;
            }
        }
        detail.haplotypes.push_back(std::move(haplotype));
    }
    if (gene.phenotypes) {
        if (const auto* row = gene.phenotypes->diplotype(detail.haplotypes[0].name, detail.haplotypes[1].name)) {
            detail.phenotype = row->phenotype;
            detail.activity_score = row->activity_score;
        }
    }
    return detail;
}

// Which alleles the input tested, the call from tested alleles only, and whether the phenotype
// depends on key alleles that were not tested (GeneGenotype's fields of the same names).
void assess_tested_alleles(const GeneDefinition& gene, const std::vector<GenotypingTarget>& gene_targets,
                           const std::vector<PositionObservation>& observations, GeneGenotype& genotype) {
    const std::size_t n = gene.positions.size();
    std::vector<bool> available(n, false);
    for (std::size_t p = 0; p < n; ++p) available[p] = observations[p].usable() && observations[p].alleles.size() == 2;
    std::vector<bool> tested(gene.alleles.size(), false);
    for (std::size_t a = 0; a < gene.alleles.size(); ++a) {
        const NamedAllele& allele = gene.alleles[a];
        if (std::find(gene.ignored_alleles.begin(), gene.ignored_alleles.end(), allele.name) !=
            gene.ignored_alleles.end())
            continue;
        bool all = true;
        for (std::size_t p = 0; p < n && !allele.reference; ++p)
            if (allele.alleles[p] && !available[p]) all = false;
        tested[a] = all;
        if (all) genotype.tested_alleles.push_back(allele.name);
    }
    const auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t a = 0; a < gene.alleles.size(); ++a)
            if (gene.alleles[a].name == name) return a;
        return std::nullopt;
    };
    for (const auto& name : gene.amp1_alleles) {
        const auto a = index_of(name);
        if (!a) continue;
        if (!tested[*a]) {
            genotype.key_alleles_not_tested.push_back(name);
            continue;
        }
        // Tested: the lowest genotype quality over its positions, when the input gives one.
        int lowest = -1;
        for (std::size_t p = 0; p < n; ++p)
            if (gene.alleles[*a].alleles[p] && observations[p].genotype_quality >= 0)
                lowest =
                    lowest < 0 ? observations[p].genotype_quality : std::min(lowest, observations[p].genotype_quality);
        if (lowest >= 0 && lowest < min_confident_key_quality)
            genotype.key_alleles_low_quality.push_back(name + " (GQ " + std::to_string(lowest) + ")");
    }

    const GeneCall& call = genotype.call;
    if (call.status != CallStatus::called) return;
    int best_score = -1;
    std::vector<const Diplotype*> best;
    for (const auto& diplotype : call.consistent) {
        if (!tested[diplotype.allele1] || !tested[diplotype.allele2]) continue;
        if (diplotype.score > best_score) {
            best_score = diplotype.score;
            best.clear();
        }
        if (diplotype.score == best_score) best.push_back(&diplotype);
    }
    if (best.size() == 1) genotype.tested_call = describe(gene, *best.front());
    if (call.best.size() > 1) {
        if (genotype.tested_call)
            genotype.call.notes.push_back("from the alleles the input tests (" + join(genotype.tested_alleles) +
                                          "), the call is " + genotype.tested_call->name +
                                          " (call_from_tested_alleles)");
        else if (!best.empty())
            genotype.call.notes.push_back("the alleles the input tests do not decide between " +
                                          std::to_string(best.size()) + " diplotypes either");
    }

    // The diplotype whose phenotype is reported: PharmCAT's single call, else the tested call.
    const Diplotype* reported = call.best.size() == 1 ? &call.best.front() : best.size() == 1 ? best.front() : nullptr;
    if (!reported) return;
    const bool has_reference = gene.alleles[reported->allele1].reference || gene.alleles[reported->allele2].reference;
    if (!has_reference) return;  // every haplotype is a named variant allele: no untested allele could replace one
    std::vector<std::string> qualifiers;
    if (!genotype.key_alleles_not_tested.empty())
        qualifiers.push_back(join(genotype.key_alleles_not_tested) + " not tested");
    if (!genotype.key_alleles_low_quality.empty())
        qualifiers.push_back(join(genotype.key_alleles_low_quality) + " tested with low genotype quality");
    if (qualifiers.empty()) return;
    genotype.phenotype_qualifier = join(qualifiers, "; ");
    const DiplotypeDetail detail = describe(gene, *reported);
    // Whether untested or barely tested (a reference call from one or two reads has GQ 5-7: a
    // het is still 20-30% likely), the phenotype is not determined.
    genotype.phenotype_if_untested_absent = detail.phenotype;
    genotype.activity_score_if_untested_absent = detail.activity_score;
    genotype.phenotype = std::nullopt;
    genotype.activity_score = std::nullopt;
    std::vector<std::string> why;
    if (!genotype.key_alleles_not_tested.empty()) {
        std::vector<std::string> untested_positions;
        for (const auto& name : genotype.key_alleles_not_tested) {
            const auto a = index_of(name);
            for (std::size_t p = 0; p < n; ++p)
                if (gene.alleles[*a].alleles[p] && !available[p]) untested_positions.push_back(gene_targets[p].label());
        }
        why.push_back(join(genotype.key_alleles_not_tested) + " not tested (" + join(untested_positions) +
                      " without a usable genotype)");
    }
    if (!genotype.key_alleles_low_quality.empty())
        why.push_back(join(genotype.key_alleles_low_quality) + " genotyped with GQ < " +
                      std::to_string(min_confident_key_quality));
    genotype.call.notes.insert(
        genotype.call.notes.begin(),
        "phenotype not determined: key allele(s) " + join(why, "; ") + "; " + reported->name +
            (detail.phenotype ? " is " + *detail.phenotype : std::string(" has its table phenotype")) +
            " only if the sample carries none of them (phenotype_if_untested_absent)");
}

}  // namespace

SampleGenotype genotype_sample(const PgxDataset& data, const std::vector<GenotypingTarget>& targets,
                               const SampleObservations& observations) {
    if (observations.positions.size() != targets.size())
        throw InternalError("genotype_sample: " + std::to_string(observations.positions.size()) + " observations for " +
                            std::to_string(targets.size()) + " targets");
    SampleGenotype result;
    result.observations = observations;
    for (const auto& gene : data.genes) {
        GeneGenotype genotype;
        genotype.targets.assign(gene.positions.size(), targets.size());
        for (std::size_t t = 0; t < targets.size(); ++t) {
            if (targets[t].gene != gene.gene) continue;
            if (targets[t].defines_alleles) genotype.targets[targets[t].gene_position] = t;
            else result.variant_targets.push_back(t);
        }
        if (std::find(genotype.targets.begin(), genotype.targets.end(), targets.size()) != genotype.targets.end())
            throw InternalError("genotype_sample: targets do not cover every " + gene.gene + " position");
        std::vector<GenotypingTarget> gene_targets;
        std::vector<PositionObservation> gene_observations;
        for (std::size_t t : genotype.targets) {
            gene_targets.push_back(targets[t]);
            gene_observations.push_back(observations.positions[t]);
        }
        genotype.call = match_star_alleles(gene, gene_targets, gene_observations);

        for (const auto& diplotype : genotype.call.best) genotype.details.push_back(describe(gene, diplotype));
        if (!genotype.details.empty() && gene.phenotypes) {
            const auto& first = genotype.details.front();
            const bool same_phenotype =
                std::all_of(genotype.details.begin(), genotype.details.end(),
                            [&](const DiplotypeDetail& d) { return d.phenotype == first.phenotype; });
            const bool same_score =
                std::all_of(genotype.details.begin(), genotype.details.end(),
                            [&](const DiplotypeDetail& d) { return d.activity_score == first.activity_score; });
            if (same_phenotype) genotype.phenotype = first.phenotype;
            if (same_score) genotype.activity_score = first.activity_score;
            if (!same_phenotype || !same_score)
                genotype.call.notes.push_back("the tied diplotypes imply different phenotypes or activity scores: "
                                              "no single phenotype is reported");
            for (const auto& detail : genotype.details)
                if (!detail.phenotype)
                    genotype.call.notes.push_back(gene.gene + " phenotype table (" + gene.phenotypes->version +
                                                  ") has no entry for " + detail.name + ": phenotype unknown");
        }
        assess_tested_alleles(gene, gene_targets, gene_observations, genotype);
        for (const auto& reported : gene.reported_genotypes) {
            const std::size_t t = genotype.targets[*gene.position_index(reported.rsid)];
            const std::string text = genotype_text(targets[t], observations.positions[t]);
            const auto value = text.empty() ? std::nullopt : std::optional<std::string>(text);
            genotype.reported.push_back({reported.rsid, value});
            if (reported.gene_strand) {
                std::optional<std::string> strand = value;
                if (strand && gene.gene_strand == '-') strand = complement_genotype(*strand);
                genotype.reported.push_back({reported.rsid + "_gene_strand", strand});
            }
        }
        result.genes.push_back(std::move(genotype));
    }
    return result;
}

namespace {

ordered_json optional_number(const std::optional<double>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json optional_text(const std::optional<std::string>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json position_json(const GenotypingTarget& target, const PositionObservation& observation) {
    ordered_json out;
    out["rsid"] = target.rsid.empty() ? ordered_json(nullptr) : ordered_json(target.rsid);
    out["chromosome"] = target.chromosome;
    out["position"] = target.position + 1;
    out["position_grch38"] = target.grch38_position + 1;
    out["ref"] = target.ref;
    out["alts"] = target.alts;
    out["status"] = to_string(observation.status);
    const std::string text = genotype_text(target, observation);
    out["genotype"] = text.empty() ? ordered_json(nullptr) : ordered_json(text);
    out["alleles"] = observation.usable() ? ordered_json(observation.alleles) : ordered_json::array();
    out["phased"] = observation.phased;
    out["phase_set"] = observation.usable() && observation.phased && observation.phase_set >= 0
                           ? ordered_json(observation.phase_set)
                           : ordered_json(nullptr);
    out["depth"] = observation.depth >= 0 ? ordered_json(observation.depth) : ordered_json(nullptr);
    out["genotype_quality"] =
        observation.genotype_quality >= 0 ? ordered_json(observation.genotype_quality) : ordered_json(nullptr);
    out["filters"] = observation.filters;
    if (!observation.detail.empty()) out["detail"] = observation.detail;
    return out;
}

}  // namespace

std::string genotype_report_json(const PgxDataset& data, const std::vector<GenotypingTarget>& targets,
                                 const std::vector<SampleGenotype>& samples, const GenotypeReportInfo& info) {
    ordered_json root;
    root["schema_version"] = "1";
    root["generator"] = {{"name", "genodose"}, {"version", genodose::version}, {"command_line", info.command_line}};
    root["input"] = {
        {info.input_kind, info.input}, {"build", to_string(info.build)}, {"missing_to_ref", info.missing_to_ref}};
    ordered_json genes = ordered_json::array();
    for (const auto& gene : data.genes) {
        ordered_json entry;
        entry["gene"] = gene.gene;
        entry["definition_version"] = gene.version;
        entry["phenotype_version"] = gene.phenotypes ? ordered_json(gene.phenotypes->version) : ordered_json(nullptr);
        entry["positions"] = gene.positions.size();
        entry["named_alleles"] = gene.alleles.size();
        genes.push_back(entry);
    }
    root["definitions"] = {{"source", "PharmCAT allele definitions (PharmVar/CPIC), MPL-2.0"},
                           {"version", data.version()},
                           {"genes", genes}};
    root["warnings"] = info.warnings;

    ordered_json sample_list = ordered_json::array();
    for (const auto& sample : samples) {
        ordered_json sample_json;
        sample_json["sample"] = sample.observations.sample;
        ordered_json genes_json = ordered_json::object();
        for (std::size_t g = 0; g < sample.genes.size(); ++g) {
            const GeneGenotype& genotype = sample.genes[g];
            const GeneCall& call = genotype.call;
            ordered_json gene_json;
            gene_json["status"] = to_string(call.status);
            ordered_json names = ordered_json::array();
            for (const auto& diplotype : call.best) names.push_back(diplotype.name);
            gene_json["diplotypes"] = names;
            gene_json["phenotype"] = optional_text(genotype.phenotype);
            gene_json["activity_score"] = optional_number(genotype.activity_score);
            gene_json["tested_alleles"] = genotype.tested_alleles;
            gene_json["key_alleles_not_tested"] = genotype.key_alleles_not_tested;
            gene_json["key_alleles_low_quality"] = genotype.key_alleles_low_quality;
            if (genotype.tested_call)
                gene_json["call_from_tested_alleles"] = {
                    {"diplotype", genotype.tested_call->name},
                    {"phenotype", optional_text(genotype.tested_call->phenotype)},
                    {"activity_score", optional_number(genotype.tested_call->activity_score)}};
            else gene_json["call_from_tested_alleles"] = nullptr;
            gene_json["phenotype_qualifier"] = optional_text(genotype.phenotype_qualifier);
            gene_json["phenotype_if_untested_absent"] = optional_text(genotype.phenotype_if_untested_absent);
            gene_json["activity_score_if_untested_absent"] =
                optional_number(genotype.activity_score_if_untested_absent);
            for (const auto& reported : genotype.reported) gene_json[reported.key] = optional_text(reported.genotype);
            gene_json["match_score"] =
                call.status == CallStatus::called ? ordered_json(call.match_score) : ordered_json(nullptr);
            gene_json["effectively_phased"] = call.phased;
            ordered_json missing = ordered_json::array();
            for (std::size_t p : call.missing_positions) {
                const std::size_t t = genotype.targets[p];
                const PositionObservation& observation = sample.observations.positions[t];
                ordered_json item;
                item["rsid"] = targets[t].rsid.empty() ? ordered_json(nullptr) : ordered_json(targets[t].rsid);
                item["chromosome"] = targets[t].chromosome;
                item["position"] = targets[t].position + 1;
                item["status"] = to_string(observation.status);
                missing.push_back(item);
            }
            gene_json["missing_positions"] = missing;
            gene_json["untestable_alleles"] = call.untestable_alleles;
            gene_json["notes"] = call.notes;
            ordered_json details = ordered_json::array();
            for (const auto& detail : genotype.details) {
                ordered_json item;
                item["diplotype"] = detail.name;
                ordered_json haplotypes = ordered_json::array();
                for (const auto& haplotype : detail.haplotypes)
                    haplotypes.push_back({{"name", haplotype.name},
                                          {"function", optional_text(haplotype.function)},
                                          {"activity_value", optional_number(haplotype.activity_value)}});
                item["haplotypes"] = haplotypes;
                item["phenotype"] = optional_text(detail.phenotype);
                item["activity_score"] = optional_number(detail.activity_score);
                details.push_back(item);
            }
            gene_json["diplotype_details"] = details;
            ordered_json consistent = ordered_json::array();
            for (const auto& diplotype : call.consistent)
                consistent.push_back({{"diplotype", diplotype.name}, {"score", diplotype.score}});
            gene_json["consistent_diplotypes"] = consistent;
            ordered_json positions = ordered_json::array();
            for (std::size_t t : genotype.targets)
                positions.push_back(position_json(targets[t], sample.observations.positions[t]));
            gene_json["positions"] = positions;
            genes_json[data.genes[g].gene] = gene_json;
        }
        sample_json["genes"] = genes_json;
        ordered_json variants = ordered_json::object();
        ordered_json variant_positions = ordered_json::array();
        for (std::size_t t : sample.variant_targets) {
            const std::string text = genotype_text(targets[t], sample.observations.positions[t]);
            const std::string key = targets[t].rsid.empty()
                                        ? targets[t].chromosome + ":" + std::to_string(targets[t].position + 1)
                                        : targets[t].rsid;
            variants[key] = text.empty() ? ordered_json(nullptr) : ordered_json(text);
            ordered_json position = position_json(targets[t], sample.observations.positions[t]);
            position["gene"] = targets[t].gene;
            variant_positions.push_back(position);
        }
        sample_json["variants"] = variants;
        sample_json["variant_positions"] = variant_positions;
        sample_list.push_back(sample_json);
    }
    root["samples"] = sample_list;
    return root.dump(2) + "\n";
}

void run_genotype(const GenotypeOptions& options) {
    if (options.vcf.empty() == options.reads.empty())
        throw UsageError("genodose genotype needs exactly one of --vcf or --reads");
    if (options.output.empty()) throw UsageError("genodose genotype needs --output");
    const std::string data_directory =
        options.data_directory.empty() ? default_data_directory() : options.data_directory;
    const PgxDataset data = load_pgx_dataset(pgx_data_directory(data_directory));
    const std::vector<GenotypingTarget> targets = genotyping_targets(data, options.build);

    GenotypeReportInfo info;
    info.build = options.build;
    info.missing_to_ref = options.missing_to_ref;
    info.command_line = options.command_line;
    std::vector<SampleObservations> observations;
    if (!options.vcf.empty()) {
        info.input = options.vcf;
        info.input_kind = "vcf";
        VcfObservations vcf = observations_from_vcf(data, targets, {options.vcf, options.samples, options.build});
        observations = std::move(vcf.samples);
        info.warnings = std::move(vcf.warnings);
    } else {
        if (options.reference.empty()) throw UsageError("genodose genotype --reads needs --ref");
        info.input = options.reads.front();
        info.input_kind = "reads";
        observations = observations_from_reads(targets, {options.reads, options.reference, options.build,
                                                         options.samples, options.model_path, options.threads});
    }
    std::vector<SampleGenotype> results;
    std::size_t called = 0;
    std::size_t gene_calls = 0;
    for (auto& sample : observations) {
        if (options.missing_to_ref)
            for (auto& warning : assume_reference_for_missing(targets, sample))  // the same for every sample of a VCF
                if (std::find(info.warnings.begin(), info.warnings.end(), warning) == info.warnings.end())
                    info.warnings.push_back(std::move(warning));
        results.push_back(genotype_sample(data, targets, sample));
        for (const auto& gene : results.back().genes) {
            ++gene_calls;
            if (gene.call.status == CallStatus::called) ++called;
        }
    }
    for (const auto& warning : info.warnings) GENODOSE_LOG_WARN(warning);
    write_file_atomically(options.output, genotype_report_json(data, targets, results, info));
    GENODOSE_LOG_INFO("genotyped " << results.size() << " sample(s): " << called << " of " << gene_calls
                                   << " gene calls made; wrote " << options.output);
}

}  // namespace genodose::pgx
