// VCF/BCF → PositionObservation for every genotyping target.
//
// A target is informed by every record that (a) starts at the target with the target's REF (a
// "positions" VCF such as PharmCAT's), (b) has an ALT that normalises to one of the target's
// ALTs (an indel written elsewhere in a repeat, e.g. CYP2C9*6 as AA>A one base right), or
// (c) changes the target's bases (SNV/MNP records covering an SNV target; indels over the bases a
// target deletion removes). Each record's alleles are translated into the target's spelling, then
// the records are merged per sample (split multi-allelic records become one genotype). Records
// that cannot all be true (one variant called 0/0 and 1/1, a confident gVCF reference block over
// a variant call) make the position `conflicting`; a half call with a variant allele ("./1")
// marks it `partial_variant`, which makes the gene a no-call (PharmCAT semantics).
#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <set>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/text.hpp"
#include "genodose/core/text_input.hpp"
#include "genodose/core/variant_normalization.hpp"
#include "genodose/io/contig_names.hpp"
#include "genodose/io/vcf_reader.hpp"
#include "genodose/pgx/observations.hpp"

namespace genodose::pgx {

std::string to_string(ObservationStatus status) {
    switch (status) {
        case ObservationStatus::called: return "called";
        case ObservationStatus::missing: return "missing";
        case ObservationStatus::not_called: return "not_called";
        case ObservationStatus::assumed_reference: return "assumed_reference";
        case ObservationStatus::ref_mismatch: return "ref_mismatch";
        case ObservationStatus::conflicting: return "conflicting";
    }
    return "missing";
}

std::string genotype_text(const GenotypingTarget& target, const PositionObservation& observation) {
    if (!observation.usable() || observation.alleles.empty()) return {};
    const auto rank = [&](const std::string& allele) -> std::pair<std::size_t, std::string> {
        if (allele == target.ref) return {0, {}};
        for (std::size_t i = 0; i < target.alts.size(); ++i)
            if (allele == target.alts[i]) return {i + 1, {}};
        return {target.alts.size() + 1, allele};
    };
    std::vector<std::string> alleles = observation.alleles;
    std::stable_sort(alleles.begin(), alleles.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    std::string text;
    for (std::size_t i = 0; i < alleles.size(); ++i) text += (i ? "/" : "") + alleles[i];
    return text;
}

std::vector<std::string> assume_reference_for_missing(const std::vector<GenotypingTarget>& targets,
                                                      SampleObservations& sample) {
    // Genes with no record at any defining position, counted before anything is assumed.
    std::vector<std::string> genes;                                     // in target order
    std::map<std::string, std::pair<std::size_t, std::size_t>> counts;  // gene → (positions, missing)
    std::map<std::string, std::set<std::string>> chromosomes;
    for (std::size_t i = 0; i < targets.size() && i < sample.positions.size(); ++i) {
        if (!targets[i].defines_alleles) continue;
        if (!counts.count(targets[i].gene)) genes.push_back(targets[i].gene);
        auto& count = counts[targets[i].gene];
        ++count.first;
        if (sample.positions[i].status == ObservationStatus::missing) ++count.second;
        chromosomes[targets[i].gene].insert(targets[i].chromosome);
    }
    std::vector<std::string> warnings;
    for (const auto& gene : genes) {
        const auto& [positions, missing] = counts[gene];
        if (missing != positions) continue;
        std::vector<std::string> where(chromosomes[gene].begin(), chromosomes[gene].end());
        const std::string which = positions == 1
                                      ? "the " + gene + " position"
                                      : "any of the " + std::to_string(positions) + " " + gene + " positions";
        warnings.push_back("--missing-to-ref: the input has no record at " + which + " (" + join(where, ", ") +
                           "), so the whole gene was assumed reference; this usually means the input does not cover " +
                           gene + ": check the input before using the call");
    }
    for (std::size_t i = 0; i < targets.size() && i < sample.positions.size(); ++i) {
        PositionObservation& observation = sample.positions[i];
        if (observation.status != ObservationStatus::missing) continue;
        observation.status = ObservationStatus::assumed_reference;
        observation.alleles = {targets[i].ref, targets[i].ref};
        observation.phased = false;
        observation.detail = "missing; assumed reference (--missing-to-ref)";
    }
    return warnings;
}

namespace {

// How far around a target records are looked at: indels may be written this far from where
// normalisation puts them (the longest repeat in the three genes' defined indels is 10 bp).
constexpr std::int64_t flank = 200;

bool same_contig(const std::string& a, const std::string& b) { return a == b || alternative_contig_name(a) == b; }

bool symbolic(const std::string& allele) {
    return allele.empty() || allele[0] == '<' || allele == "*" || allele == "." ||
           allele.find_first_not_of("ACGTN") != std::string::npos;
}

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// Bases [begin, end) of the ref allele that an allele actually changes, after normalisation:
// a deletion "GA>G" changes [pos+1, pos+2); an insertion changes nothing of the reference (its
// anchor stays), reported as the empty range at the base after the anchor.
std::pair<std::int64_t, std::int64_t> changed_span(const NormalizedAllele& variant) {
    const bool anchored = !variant.ref.empty() && !variant.alt.empty() && variant.ref.size() != variant.alt.size() &&
                          variant.ref[0] == variant.alt[0];
    const std::int64_t begin = variant.position + (anchored ? 1 : 0);
    return {begin, variant.position + static_cast<std::int64_t>(variant.ref.size())};
}

bool overlaps(std::int64_t begin1, std::int64_t end1, std::int64_t begin2, std::int64_t end2) {
    if (begin1 == end1) return begin1 > begin2 && begin1 < end2;  // insertion between two target bases
    if (begin2 == end2) return begin2 > begin1 && begin2 < end1;
    return begin1 < end2 && begin2 < end1;
}

// A variant's identity: its normalised form, the same for every representation of one allele.
std::string identity(const NormalizedAllele& variant) {
    return std::to_string(variant.position) + ":" + variant.ref + ">" + variant.alt;
}

// Symbolic alleles (<*>, <NON_REF>, "*") cannot be normalised: one per record position.
std::string symbolic_identity(const VariantRecord& record, const std::string& alt) {
    return std::to_string(record.position) + ":" + alt;
}

// One record translated into one target's spelling.
struct TargetRecord {
    std::size_t record = 0;
    std::vector<std::string> alleles;  // per record allele index
    // Per record allele index: which variant the allele is, in normalised form ("" for an allele
    // that is reference at this target). Two records naming the same variant (duplicates, or one
    // deletion written at two places in a repeat) must agree on how many copies the sample has.
    std::vector<std::string> identities;
    bool at_target = false;        // starts at the target (preferred for DP/GQ)
    std::string ref_problem;       // non-empty: REF disagrees with the build's reference
    bool reference_block = false;  // a gVCF reference record overlapping the target
};

// The minimum GQ at which a gVCF reference block counts as a reference call (the gVCF
// convention; GATK writes GQ 0 blocks where there are no reads).
constexpr int min_reference_block_quality = 20;

// A gVCF reference record: REF plus only the gVCF "any other allele" ALT (<*> or <NON_REF>), or
// REF plus only symbolic ALTs (or none) extended past its REF base by INFO/END. One base long
// or a block, it calls every base it covers reference (its genotype permitting).
bool is_reference_block(const VariantRecord& record) {
    const auto unspecified = [](const std::string& alt) { return alt == "<*>" || alt == "<NON_REF>"; };
    if (!record.alts.empty() && std::all_of(record.alts.begin(), record.alts.end(), unspecified)) return true;
    return record.reference_end > record.end() &&
           std::all_of(record.alts.begin(), record.alts.end(),
                       [](const std::string& alt) { return !alt.empty() && alt[0] == '<'; });
}

// A gVCF block's depth: MIN_DP where the caller writes it, else DP; -1 when neither.
int block_depth(const VariantRecord& record, std::size_t sample) {
    if (sample < record.min_depths.size() && record.min_depths[sample] >= 0) return record.min_depths[sample];
    return sample < record.depths.size() ? record.depths[sample] : -1;
}

class TargetTranslator {
public:
    TargetTranslator(const PgxDataset& data, GenomeBuild build) : data_(data), build_(build) {}

    NormalizedAllele normalize(const GenotypingTarget& target, std::int64_t position, const std::string& ref,
                               const std::string& alt) const {
        const auto base_at = [&](std::int64_t at) -> char {
            const std::string base = data_.reference_bases(target.chromosome, at, at + 1, build_);
            return base.empty() ? '\0' : base[0];
        };
        if (ref == alt) return {position, ref, alt};
        return normalize_allele_with(base_at, position, ref, alt);
    }

    // The REF check: the record's REF against the build's sequence where genodose has it, else
    // against the definition's reference allele where the two overlap.
    std::string ref_problem(const GenotypingTarget& target, const VariantRecord& record) const {
        const std::int64_t end = record.position + static_cast<std::int64_t>(record.ref.size());
        const std::string reference = data_.reference_bases(target.chromosome, record.position, end, build_);
        const std::string ref = upper(record.ref);
        if (!reference.empty()) {
            for (std::size_t i = 0; i < ref.size(); ++i)
                if (ref[i] != 'N' && ref[i] != reference[i])
                    return abbreviate_long_alleles("VCF REF " + record.ref + " at " + record.contig + ":" +
                                                   std::to_string(record.position + 1) + " but " + to_string(build_) +
                                                   " has " + reference);
            return {};
        }
        for (std::int64_t at = std::max(record.position, target.position); at < std::min(end, target.end()); ++at) {
            const char observed = ref[static_cast<std::size_t>(at - record.position)];
            const char expected = target.ref[static_cast<std::size_t>(at - target.position)];
            if (observed != 'N' && observed != expected)
                return abbreviate_long_alleles("VCF REF " + record.ref + " at " + record.contig + ":" +
                                               std::to_string(record.position + 1) + " but the " + to_string(build_) +
                                               " reference allele of " + target.label() + " is " + target.ref);
        }
        return {};
    }

    std::optional<TargetRecord> translate(const GenotypingTarget& target, const VariantRecord& record,
                                          std::size_t index) const {
        const std::int64_t record_end = record.position + static_cast<std::int64_t>(record.ref.size());
        const std::string ref = upper(record.ref);
        TargetRecord out;
        out.record = index;
        out.at_target = record.position == target.position;
        if (is_reference_block(record)) {
            // A block says "reference" for every base it covers. It informs a target it overlaps;
            // merge() requires the target's bases (all of them, for an indel target) covered by
            // confident blocks. Its REF, the block's first base, is still checked.
            if (record.reference_end <= target.position || record.position >= target.end()) return std::nullopt;
            out.reference_block = true;
            out.alleles.push_back(target.ref);
            for (const auto& alt : record.alts) out.alleles.push_back(alt);
            out.identities.assign(out.alleles.size(), std::string());
            out.ref_problem = ref_problem(target, record);
            return out;
        }
        if (target.is_snv()) {
            const std::int64_t at = target.position;
            if (at < record.position || at >= record_end) return std::nullopt;
            const std::size_t offset = static_cast<std::size_t>(at - record.position);
            const std::string ref_base(1, ref[offset]);
            out.alleles.push_back(ref_base);
            out.identities.emplace_back();
            for (const auto& raw_alt : record.alts) {
                const std::string alt = upper(raw_alt);
                if (symbolic(alt)) {
                    out.alleles.push_back(alt == "*" ? "*" : raw_alt);
                    out.identities.push_back(symbolic_identity(record, alt));
                } else if (alt.size() == ref.size()) {
                    out.alleles.emplace_back(1, alt[offset]);
                    out.identities.push_back(out.alleles.back() == ref_base
                                                 ? std::string()
                                                 : identity(normalize(target, record.position, ref, alt)));
                } else {
                    const NormalizedAllele variant = normalize(target, record.position, ref, alt);
                    const auto [begin, end] = changed_span(variant);
                    const bool deleted = at >= begin && at < end;
                    out.alleles.push_back(deleted ? std::string("*") : ref_base);
                    out.identities.push_back(deleted ? identity(variant) : std::string());
                }
            }
        } else {
            std::vector<NormalizedAllele> target_alts;
            for (const auto& alt : target.alts)
                target_alts.push_back(normalize(target, target.position, target.ref, alt));
            // The bases the target's own alleles change, over all its alts.
            std::int64_t changed_begin = target.end();
            std::int64_t changed_end = target.position;
            for (const auto& variant : target_alts) {
                const auto [begin, end] = changed_span(variant);
                changed_begin = std::min(changed_begin, begin);
                changed_end = std::max(changed_end, end);
            }
            bool relevant = out.at_target && ref == target.ref;
            out.alleles.push_back(target.ref);
            out.identities.emplace_back();
            for (const auto& raw_alt : record.alts) {
                const std::string alt = upper(raw_alt);
                if (symbolic(alt)) {
                    out.alleles.push_back(alt == "*" ? "*" : raw_alt);
                    out.identities.push_back(symbolic_identity(record, alt));
                    continue;
                }
                const NormalizedAllele variant = normalize(target, record.position, ref, alt);
                const auto same = std::find(target_alts.begin(), target_alts.end(), variant);
                if (same != target_alts.end()) {
                    out.alleles.push_back(target.alts[static_cast<std::size_t>(same - target_alts.begin())]);
                    out.identities.push_back(identity(variant));
                    relevant = true;
                    continue;
                }
                const auto [begin, end] = changed_span(variant);
                if (overlaps(begin, end, changed_begin, changed_end)) {
                    relevant = true;
                    // An allele that rewrites the target's changed bases some other way.
                    // Spelled REF>ALT so it can never be mistaken for one of the target's own alleles.
                    const bool indel = variant.ref.size() != variant.alt.size();
                    out.alleles.push_back(indel ? record.ref + ">" + raw_alt : target.ref);
                    out.identities.push_back(indel ? identity(variant) : std::string());
                } else {
                    out.alleles.push_back(target.ref);  // e.g. an SNV on the deletion's anchor base
                    out.identities.emplace_back();
                }
            }
            if (!relevant && overlaps(record.position, record_end, changed_begin, changed_end)) relevant = true;
            if (!relevant) return std::nullopt;
        }
        out.ref_problem = ref_problem(target, record);
        return out;
    }

private:
    const PgxDataset& data_;
    GenomeBuild build_;
};

struct Region {
    std::string chromosome;
    std::int64_t begin = 0;
    std::int64_t end = 0;
};

std::vector<Region> target_regions(const std::vector<GenotypingTarget>& targets) {
    std::vector<Region> regions;
    for (const auto& target : targets)
        regions.push_back(
            {target.chromosome, std::max<std::int64_t>(0, target.position - flank), target.end() + flank});
    std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) {
        return std::tie(a.chromosome, a.begin) < std::tie(b.chromosome, b.begin);
    });
    std::vector<Region> merged;
    for (const auto& region : regions) {
        if (!merged.empty() && merged.back().chromosome == region.chromosome && region.begin <= merged.back().end)
            merged.back().end = std::max(merged.back().end, region.end);
        else merged.push_back(region);
    }
    return merged;
}

// Refuses a VCF whose ##contig lengths are those of the other build: genodose never guesses.
void check_contig_lengths(const PgxDataset& data, const VcfReader& reader, GenomeBuild build,
                          const std::vector<GenotypingTarget>& targets, std::vector<std::string>& warnings) {
    const GenomeBuild other = build == GenomeBuild::grch38 ? GenomeBuild::grch37 : GenomeBuild::grch38;
    std::set<std::string> chromosomes;
    for (const auto& target : targets) chromosomes.insert(target.chromosome);
    for (const auto& chromosome : chromosomes) {
        const std::string spelled = reader.resolve_contig(chromosome);
        if (spelled.empty()) continue;
        std::int64_t length = 0;
        for (const auto& contig : reader.contigs())
            if (contig.name == spelled) length = contig.length;
        if (length <= 0) continue;
        const auto expected = data.contig_lengths.find(build);
        const auto alternative = data.contig_lengths.find(other);
        const auto lookup = [&](const auto& table) -> std::int64_t {
            if (table == data.contig_lengths.end()) return 0;
            const auto found = table->second.find(chromosome);
            return found == table->second.end() ? 0 : found->second;
        };
        const std::int64_t expected_length = lookup(expected);
        const std::int64_t other_length = lookup(alternative);
        if (expected_length == 0 || length == expected_length) continue;
        if (length == other_length)
            throw InputError(file_message(reader.path(), "##contig " + spelled + " has length " +
                                                             std::to_string(length) + ", that of " + to_string(other) +
                                                             ", but the build is " + to_string(build)),
                             "pass --build " + to_string(other) + " if the VCF is on " + to_string(other));
        warnings.push_back("##contig " + spelled + " has length " + std::to_string(length) + ", neither GRCh38 (" +
                           std::to_string(lookup(data.contig_lengths.find(GenomeBuild::grch38))) + ") nor GRCh37 (" +
                           std::to_string(lookup(data.contig_lengths.find(GenomeBuild::grch37))) +
                           "); REF checks will tell whether positions agree with " + to_string(build));
    }
}

std::vector<VariantRecord> read_records(VcfReader& reader, const std::vector<Region>& regions) {
    std::vector<VariantRecord> records;
    VariantRecord record;
    const auto wanted = [&](const VariantRecord& r) {
        const std::int64_t end = std::max(r.reference_end, r.position + 1);
        for (const auto& region : regions)
            if (same_contig(r.contig, region.chromosome) && r.position < region.end && end > region.begin) return true;
        return false;
    };
    if (reader.has_index()) {
        for (const auto& region : regions) {
            std::vector<std::string> spellings;
            if (const std::string spelled = reader.resolve_contig(region.chromosome); !spelled.empty())
                spellings.push_back(spelled);
            else spellings = {region.chromosome, alternative_contig_name(region.chromosome)};
            for (const auto& contig : spellings) {
                if (contig.empty()) continue;
                reader.set_region({contig, region.begin, region.end});
                while (reader.next(record))
                    if (wanted(record)) records.push_back(record);
            }
        }
    } else {
        while (reader.next(record))
            if (wanted(record)) records.push_back(record);
    }
    return records;
}

// "chr10:94981296 A>C 1/1": one record and the sample's genotype in it, for details.
std::string describe(const VariantRecord& record, std::size_t sample) {
    return abbreviate_long_alleles(record.contig + ":" + std::to_string(record.position + 1) + " " + record.ref + ">" +
                                   (record.alts.empty() ? std::string(".") : join(record.alts, ",")) + " " +
                                   record.genotypes[sample].to_string());
}

// Why a genotype that is not two called alleles but includes a non-reference allele cannot be
// used, e.g. "half call ./1: the non-reference allele C with the other allele missing".
std::string describe_partial(const Genotype& genotype, const std::vector<std::string>& variant_alleles) {
    const std::string alleles = "the non-reference allele" + std::string(variant_alleles.size() > 1 ? "s " : " ") +
                                join(variant_alleles, " and ");
    const bool incomplete = genotype.has_missing_allele();
    if (genotype.alleles.size() == 2 && incomplete)
        return "half call " + genotype.to_string() + ": " + alleles + " with the other allele missing";
    if (genotype.alleles.size() == 1)
        return "haploid call " + genotype.to_string() + " of " + alleles +
               " at an autosomal position (two alleles expected)";
    return "genotype " + genotype.to_string() + " is not diploid and includes " + alleles;
}

// One sample's records at one target merged into one observation: the steps of
// merge_records() below.
class TargetMerge {
public:
    TargetMerge(const GenotypingTarget& target, const std::vector<TargetRecord>& informing,
                const std::vector<VariantRecord>& records, std::size_t sample)
        : target_(target), informing_(informing), records_(records), sample_(sample) {}

    PositionObservation run() {
        if (informing_.empty()) return not_called("no record in the input", ObservationStatus::missing);
        classify_records();
        // Evidence of a variant with an unknown genotype outweighs whatever else is here.
        if (!partial_.empty()) return partial_variant();
        add_reference_blocks();
        if (called_.empty())
            return not_called(problem_.empty() ? "no genotype" : problem_, ObservationStatus::not_called);
        for (const auto& entry : called_)
            if (!entry.translation->ref_problem.empty())
                return not_called(entry.translation->ref_problem, ObservationStatus::ref_mismatch);
        if (auto detail = contradiction_with_reference_calls()) return conflict(*detail);
        if (auto detail = mark_repeated_claims()) return conflict(*detail);
        set_depth_quality_and_filters();
        return combined_alleles();
    }

private:
    struct Called {
        const TargetRecord* translation;
        const VariantRecord* record;
        std::vector<std::string> alleles;
        bool phased;
        std::int64_t phase_set;
    };

    PositionObservation not_called(const std::string& detail, ObservationStatus status) {
        observation_.status = status;
        observation_.detail = detail;
        return observation_;
    }
    PositionObservation conflict(const std::string& detail) {
        return not_called(detail, ObservationStatus::conflicting);
    }

    // Sorts the records into called genotypes, confident reference blocks, partial calls of a
    // variant allele, and the first problem of any other (the detail of a no-call).
    void classify_records() {
        std::set<std::string> seen;  // identical duplicate records count once
        for (const auto& translation : informing_) {
            const VariantRecord& record = records_[translation.record];
            const Genotype& genotype = record.genotypes[sample_];
            const bool incomplete = genotype.alleles.empty() || genotype.has_missing_allele();
            if (incomplete || genotype.alleles.size() != 2) {
                note_incomplete_genotype(translation, genotype, incomplete);
                continue;
            }
            if (translation.reference_block) {
                const int quality = record.genotype_qualities[sample_];
                const int depth = block_depth(record, sample_);
                if ((quality >= 0 && quality < min_reference_block_quality) || depth == 0) {
                    if (problem_.empty())
                        problem_ = "gVCF reference block " + record.contig + ":" + std::to_string(record.position + 1) +
                                   "-" + std::to_string(record.reference_end) + " with " +
                                   (depth == 0 ? std::string("no reads")
                                               : "GQ " + std::to_string(quality) + " < " +
                                                     std::to_string(min_reference_block_quality));
                    continue;
                }
                if (std::all_of(genotype.alleles.begin(), genotype.alleles.end(), [](int a) { return a == 0; })) {
                    confident_blocks_.push_back(&translation);
                    continue;
                }
            }
            const std::string signature =
                std::to_string(record.position) + record.ref + join(record.alts, ",") + genotype.to_string();
            if (!seen.insert(signature).second) continue;
            Called entry{&translation,
                         &record,
                         {},
                         genotype.phased,
                         record.phase_sets.empty() ? std::int64_t{-1} : record.phase_sets[sample_]};
            for (int allele : genotype.alleles)
                entry.alleles.push_back(translation.alleles[static_cast<std::size_t>(allele)]);
            called_.push_back(std::move(entry));
        }
    }

    // PharmCAT keeps "./1" ("there's a variation") and then calls no diplotype for the gene;
    // "./0" and "./." are a missing position. A haploid call on these autosomes is treated the
    // same way.
    void note_incomplete_genotype(const TargetRecord& translation, const Genotype& genotype, bool incomplete) {
        std::vector<std::string> variant_alleles;
        if (!translation.reference_block)
            for (int a : genotype.alleles) {
                const auto index = static_cast<std::size_t>(a);
                if (a > 0 && !translation.identities[index].empty() &&
                    std::find(variant_alleles.begin(), variant_alleles.end(), translation.alleles[index]) ==
                        variant_alleles.end())
                    variant_alleles.push_back(translation.alleles[index]);
            }
        if (!variant_alleles.empty()) {
            if (partial_.empty()) {
                partial_ = describe_partial(genotype, variant_alleles);
                partial_translation_ = &translation;
            }
            return;
        }
        if (!problem_.empty()) return;
        if (genotype.is_missing()) problem_ = "genotype missing (" + genotype.to_string() + ")";
        else if (incomplete && genotype.alleles.size() == 2)
            problem_ = "genotype partly missing (" + genotype.to_string() + ")";
        else problem_ = "genotype " + genotype.to_string() + " is not diploid";
    }

    PositionObservation partial_variant() {
        if (!partial_translation_->ref_problem.empty())
            return not_called(partial_translation_->ref_problem, ObservationStatus::ref_mismatch);
        const VariantRecord& record = records_[partial_translation_->record];
        observation_.status = ObservationStatus::not_called;
        observation_.partial_variant = true;
        observation_.detail = partial_;
        observation_.depth = record.depths[sample_];
        observation_.genotype_quality = record.genotype_qualities[sample_];
        return observation_;
    }

    // Reference from gVCF blocks when, together, they cover every base of the target (a gVCF
    // caller splits blocks wherever GQ changes band, so a 10-bp deletion target may span three).
    void add_reference_blocks() {
        if (confident_blocks_.empty()) return;
        std::vector<std::pair<std::int64_t, std::int64_t>> spans;
        for (const TargetRecord* block : confident_blocks_)
            spans.emplace_back(records_[block->record].position, records_[block->record].reference_end);
        std::sort(spans.begin(), spans.end());
        std::int64_t covered_to = target_.position;
        for (const auto& [begin, end] : spans)
            if (begin <= covered_to) covered_to = std::max(covered_to, end);
        if (covered_to < target_.end()) {
            if (problem_.empty()) problem_ = "gVCF reference blocks cover only part of the position";
            return;
        }
        blocks_cover_ = true;
        const TargetRecord* first = confident_blocks_.front();
        called_.push_back({first, &records_[first->record], {target_.ref, target_.ref}, false, -1});
        for (const TargetRecord* block : confident_blocks_) {
            const int depth = block_depth(records_[block->record], sample_);
            if (depth >= 0) blocks_depth_ = blocks_depth_ < 0 ? depth : std::min(blocks_depth_, depth);
        }
    }

    // A defined variant allele in the record's genotype. A spanning deletion's "*" is exempt: GATK
    // writes reference blocks over the bases of a deletion; "*" makes the gene a no-call anyway.
    bool calls_variant_allele(const Called& entry) const {
        const Genotype& genotype = entry.record->genotypes[sample_];
        return std::any_of(genotype.alleles.begin(), genotype.alleles.end(), [&](int a) {
            const auto index = static_cast<std::size_t>(a);
            return !entry.translation->identities[index].empty() && entry.translation->alleles[index] != "*";
        });
    }

    // A confident reference block, or a record with no ALT at all ("A . 0/0", as a positions VCF
    // writes a reference call), says reference on both haplotypes at every base it covers: a
    // record calling a variant allele there contradicts it. (A 0/0 on a split multi-allelic
    // record such as "G T 0/0" only says "not T", and is not such a statement.)
    std::optional<std::string> contradiction_with_reference_calls() const {
        if (blocks_cover_) {
            const VariantRecord& block = *called_.back().record;
            for (const auto& entry : called_)
                if (!entry.translation->reference_block && calls_variant_allele(entry))
                    return "a confident gVCF reference block " + block.contig + ":" +
                           std::to_string(block.position + 1) + "-" + std::to_string(block.reference_end) +
                           " calls the position reference, but record " + describe(*entry.record, sample_) +
                           " calls a variant allele";
        }
        for (const auto& reference_call : called_) {
            const Genotype& reference_genotype = reference_call.record->genotypes[sample_];
            if (reference_call.translation->reference_block || !reference_call.record->alts.empty() ||
                !std::all_of(reference_genotype.alleles.begin(), reference_genotype.alleles.end(),
                             [](int a) { return a == 0; }))
                continue;
            for (const auto& entry : called_)
                if (!entry.translation->reference_block && calls_variant_allele(entry))
                    return "contradictory records: " + describe(*reference_call.record, sample_) +
                           " calls the position reference, but " + describe(*entry.record, sample_) +
                           " calls a variant allele";
        }
        return std::nullopt;
    }

    // Records naming the same variant (a duplicate record, or one allele written twice in
    // different representations) must agree on its number of copies, and on its haplotype when
    // both are phased in one set; then it counts once (redundant_). Split multi-allelic records
    // name different variants: "G>A 1/1" and "G>T 0/0" are one genotype, A/A.
    std::optional<std::string> mark_repeated_claims() {
        struct Claim {
            std::size_t entry;
            int copies;
            std::array<bool, 2> haplotypes;
        };
        std::map<std::string, Claim> claims;
        redundant_.assign(called_.size(), false);
        for (std::size_t i = 0; i < called_.size(); ++i) {
            Called& entry = called_[i];
            if (entry.translation->reference_block) continue;
            const auto& identities = entry.translation->identities;
            const Genotype& genotype = entry.record->genotypes[sample_];
            std::map<std::string, std::pair<int, std::array<bool, 2>>> here;  // identity → copies, haplotypes
            std::map<std::string, std::string> spelled;
            for (std::size_t a = 1; a < identities.size(); ++a)
                if (!identities[a].empty()) {
                    here.emplace(identities[a], std::make_pair(0, std::array<bool, 2>{false, false}));
                    spelled.emplace(identities[a], entry.translation->alleles[a]);
                }
            for (std::size_t h = 0; h < genotype.alleles.size() && h < 2; ++h) {
                const std::string& id = identities[static_cast<std::size_t>(genotype.alleles[h])];
                if (id.empty()) continue;
                ++here[id].first;
                here[id].second[h] = true;
            }
            bool all_repeated = !here.empty();
            std::set<std::string> repeated;
            for (const auto& [id, value] : here) {
                const auto found = claims.find(id);
                if (found == claims.end()) {
                    claims.emplace(id, Claim{i, value.first, value.second});
                    all_repeated = false;
                    continue;
                }
                const Called& other = called_[found->second.entry];
                if (found->second.copies != value.first)
                    return "contradictory records: " + describe(*other.record, sample_) + " and " +
                           describe(*entry.record, sample_) + " call the allele " + spelled[id] + " " +
                           std::to_string(found->second.copies) + " and " + std::to_string(value.first) + " times";
                if (value.first == 1 && entry.phased && other.phased && entry.phase_set == other.phase_set &&
                    found->second.haplotypes != value.second)
                    return "contradictory records: " + describe(*other.record, sample_) + " and " +
                           describe(*entry.record, sample_) + " put the allele " + spelled[id] +
                           " on different haplotypes";
                repeated.insert(id);
            }
            for (std::size_t h = 0; h < entry.alleles.size() && h < genotype.alleles.size(); ++h)
                if (repeated.count(identities[static_cast<std::size_t>(genotype.alleles[h])]))
                    entry.alleles[h] = target_.ref;
            redundant_[i] = all_repeated;
        }
        return std::nullopt;
    }

    // DP/GQ from the record written at the target when there is one; FILTER from every record.
    void set_depth_quality_and_filters() {
        const Called* primary = &called_.front();
        for (const auto& entry : called_)
            if (entry.translation->at_target) {
                primary = &entry;
                break;
            }
        observation_.depth = primary->translation->reference_block ? blocks_depth_ : primary->record->depths[sample_];
        observation_.genotype_quality = primary->record->genotype_qualities[sample_];
        for (const auto& entry : called_)
            if (!entry.record->passes_filters())
                for (const auto& filter : entry.record->filters)
                    if (std::find(observation_.filters.begin(), observation_.filters.end(), filter) ==
                        observation_.filters.end())
                        observation_.filters.push_back(filter);
    }

    // The alleles of the records that add something: one record as it is; records phased in one
    // set haplotype by haplotype; otherwise the non-reference alleles of all (at most two).
    PositionObservation combined_alleles() {
        std::vector<const Called*> merging;
        for (std::size_t i = 0; i < called_.size(); ++i)
            if (!redundant_[i]) merging.push_back(&called_[i]);
        if (merging.size() == 1) {
            observation_.status = ObservationStatus::called;
            observation_.alleles = merging.front()->alleles;
            observation_.phased = merging.front()->phased;
            observation_.phase_set = merging.front()->phase_set;
            return observation_;
        }
        // Records phased in different phase sets say nothing about each other's phase.
        const bool all_phased = std::all_of(merging.begin(), merging.end(), [&](const Called* c) {
            return c->phased && c->phase_set == merging.front()->phase_set;
        });
        if (all_phased) {
            std::vector<std::string> alleles(2, target_.ref);
            for (std::size_t haplotype = 0; haplotype < 2; ++haplotype) {
                for (const Called* entry : merging) {
                    const std::string& allele = entry->alleles[haplotype];
                    if (allele == target_.ref) continue;
                    if (alleles[haplotype] != target_.ref && alleles[haplotype] != allele)
                        return conflict("records disagree on haplotype " + std::to_string(haplotype + 1));
                    alleles[haplotype] = allele;
                }
            }
            observation_.status = ObservationStatus::called;
            observation_.alleles = alleles;
            observation_.phased = true;
            observation_.phase_set = merging.front()->phase_set;
            return observation_;
        }
        std::vector<std::string> non_reference;
        for (const Called* entry : merging)
            for (const auto& allele : entry->alleles)
                if (allele != target_.ref) non_reference.push_back(allele);
        if (non_reference.size() > 2)
            return conflict(std::to_string(merging.size()) + " records together call " +
                            std::to_string(non_reference.size()) + " non-reference alleles");
        while (non_reference.size() < 2) non_reference.insert(non_reference.begin(), target_.ref);
        observation_.status = ObservationStatus::called;
        observation_.alleles = non_reference;
        observation_.phased = false;
        return observation_;
    }

    const GenotypingTarget& target_;
    const std::vector<TargetRecord>& informing_;
    const std::vector<VariantRecord>& records_;
    const std::size_t sample_;
    PositionObservation observation_;
    std::vector<Called> called_;
    std::string problem_;
    std::string partial_;  // a half or haploid call with a non-reference allele
    const TargetRecord* partial_translation_ = nullptr;
    std::vector<const TargetRecord*> confident_blocks_;  // hom-ref gVCF blocks that pass the GQ/depth check
    bool blocks_cover_ = false;
    int blocks_depth_ = -1;
    std::vector<bool> redundant_;
};

// The observation of one sample at one target from the records that inform it.
PositionObservation merge(const GenotypingTarget& target, const std::vector<TargetRecord>& informing,
                          const std::vector<VariantRecord>& records, std::size_t sample) {
    return TargetMerge(target, informing, records, sample).run();
}

}  // namespace

VcfObservations observations_from_vcf(const PgxDataset& data, const std::vector<GenotypingTarget>& targets,
                                      const VcfObservationOptions& options) {
    VcfReaderOptions reader_options;
    reader_options.samples = options.samples;
    reader_options.log_undeclared = false;  // reported in the warnings below
    VcfReader reader(options.path, reader_options);
    if (!reader.has_genotypes())
        throw InputError(file_message(options.path, "no FORMAT/GT in the header: genotyping needs genotype calls"));
    if (reader.samples().empty()) throw InputError(file_message(options.path, "no samples (a sites-only VCF)"));

    VcfObservations result;
    check_contig_lengths(data, reader, options.build, targets, result.warnings);
    const std::vector<VariantRecord> records = read_records(reader, target_regions(targets));

    const TargetTranslator translator(data, options.build);
    std::vector<std::vector<TargetRecord>> informing(targets.size());
    std::set<std::string> mismatch_warnings;
    std::size_t checked_records = 0;
    for (std::size_t t = 0; t < targets.size(); ++t) {
        const GenotypingTarget& target = targets[t];
        for (std::size_t r = 0; r < records.size(); ++r) {
            const VariantRecord& record = records[r];
            if (!same_contig(record.contig, target.chromosome)) continue;
            if (record.position > target.end() + flank || record.reference_end + flank < target.position) continue;
            if (auto translation = translator.translate(target, record, r)) {
                ++checked_records;
                if (!translation->ref_problem.empty()) mismatch_warnings.insert(translation->ref_problem);
                informing[t].push_back(std::move(*translation));
            }
        }
    }
    for (const auto& warning : mismatch_warnings) result.warnings.push_back(warning + " (position not used)");
    if (!mismatch_warnings.empty() && mismatch_warnings.size() * 2 >= checked_records)
        result.warnings.push_back("most records at the genotyped positions disagree with " + to_string(options.build) +
                                  ": the input is probably on another build (see --build)");
    if (const auto& undeclared = reader.undeclared_in_header(); !undeclared.empty()) {
        std::vector<std::string> names(undeclared.begin(),
                                       undeclared.begin() + std::min<std::ptrdiff_t>(10, undeclared.size()));
        if (undeclared.size() > names.size())
            names.push_back("and " + std::to_string(undeclared.size() - names.size()) + " more");
        result.warnings.push_back("the VCF header does not declare " + join(names, ", ") +
                                  "; the records were read as bcftools reads them");
    }

    // Nothing at any defined position: an input on the other build, read without ##contig lengths
    // to tell, looks exactly like an input that does not cover the genes. Look where the other
    // build puts the positions and say so when records are there.
    const bool nothing_defined = std::none_of(targets.begin(), targets.end(), [&](const GenotypingTarget& target) {
        return target.defines_alleles && !informing[static_cast<std::size_t>(&target - targets.data())].empty();
    });
    if (nothing_defined) {
        const GenomeBuild other = options.build == GenomeBuild::grch38 ? GenomeBuild::grch37 : GenomeBuild::grch38;
        const std::vector<GenotypingTarget> other_targets = genotyping_targets(data, other);
        VcfReader other_reader(options.path, reader_options);  // a fresh scan: the first may have had no index
        const std::vector<VariantRecord> other_records = read_records(other_reader, target_regions(other_targets));
        std::size_t at_positions = 0;
        std::set<std::string> genes;
        for (const auto& record : other_records)
            for (const auto& target : other_targets)
                if (target.defines_alleles && same_contig(record.contig, target.chromosome) &&
                    record.position == target.position && upper(record.ref) == target.ref) {
                    ++at_positions;
                    genes.insert(target.gene);
                    break;
                }
        if (at_positions > 0)
            result.warnings.push_back(
                "no record lies at a " + to_string(options.build) + " position of the genotyped genes, but " +
                std::to_string(at_positions) + " record(s) lie at their " + to_string(other) + " positions, with the " +
                to_string(other) + " reference allele (" +
                join(std::vector<std::string>(genes.begin(), genes.end()), ", ") + "): the input is probably " +
                to_string(other) + "; rerun with --build " + to_string(other));
    }

    // A target no record informs, although a record starts at or covers it: say why that record
    // is not used (PharmCAT, too, reads only a record with the definition's REF and alleles).
    std::vector<std::string> unmatched(targets.size());
    for (std::size_t t = 0; t < targets.size(); ++t) {
        if (!informing[t].empty()) continue;
        const GenotypingTarget& target = targets[t];
        for (const auto& record : records) {
            if (!same_contig(record.contig, target.chromosome) || record.position > target.position ||
                std::max(record.reference_end, record.position + 1) <= target.position)
                continue;
            unmatched[t] = abbreviate_long_alleles(
                "no usable record: " + record.contig + ":" + std::to_string(record.position + 1) + " " + record.ref +
                ">" + (record.alts.empty() ? std::string(".") : join(record.alts, ",")) +
                " does not describe this position's alleles (" + target.ref + ">" + join(target.alts, ",") + ")");
            break;
        }
    }

    std::vector<std::size_t> conflicts(targets.size(), 0);  // samples with conflicting records, per target
    for (std::size_t s = 0; s < reader.samples().size(); ++s) {
        SampleObservations sample;
        sample.sample = reader.samples()[s];
        sample.positions.reserve(targets.size());
        for (std::size_t t = 0; t < targets.size(); ++t) {
            sample.positions.push_back(merge(targets[t], informing[t], records, s));
            PositionObservation& observation = sample.positions.back();
            if (observation.status == ObservationStatus::missing && !unmatched[t].empty())
                observation.detail = unmatched[t];
            if (observation.status == ObservationStatus::conflicting) ++conflicts[t];
        }
        result.samples.push_back(std::move(sample));
    }
    for (std::size_t t = 0; t < targets.size(); ++t)
        if (conflicts[t] > 0)
            result.warnings.push_back(targets[t].label() + ": records at the position contradict each other in " +
                                      std::to_string(conflicts[t]) + " of " + std::to_string(reader.samples().size()) +
                                      " sample(s); the position is not used there (see the position's detail)");
    GENODOSE_LOG_DEBUG("observations_from_vcf: " << records.size() << " records near " << targets.size()
                                                 << " targets in " << options.path);
    return result;
}

}  // namespace genodose::pgx
