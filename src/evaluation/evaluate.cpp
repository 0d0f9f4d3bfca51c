#include "genodose/evaluation/evaluate.hpp"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <map>
#include <numeric>

#include "genodose/core/error.hpp"
#include "genodose/core/genomic_region.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/io/contig_names.hpp"
#include "genodose/io/reference_genome.hpp"
#include "genodose/io/vcf_reader.hpp"

namespace genodose::evaluation {

const char* to_string(FilterSet filter) { return filter == FilterSet::all ? "ALL" : "PASS"; }

Counts& Counts::operator+=(const Counts& other) {
    truth_total += other.truth_total;
    truth_tp += other.truth_tp;
    truth_fn += other.truth_fn;
    query_total += other.query_total;
    query_tp += other.query_tp;
    query_fp += other.query_fp;
    query_unk += other.query_unk;
    fp_gt += other.fp_gt;
    return *this;
}

Metrics compute_metrics(const Counts& c) {
    Metrics m;
    if (c.truth_tp + c.truth_fn > 0)
        m.recall = static_cast<double>(c.truth_tp) / static_cast<double>(c.truth_tp + c.truth_fn);
    if (c.query_tp + c.query_fp > 0)
        m.precision = static_cast<double>(c.query_tp) / static_cast<double>(c.query_tp + c.query_fp);
    if (c.query_total > 0) m.frac_na = static_cast<double>(c.query_unk) / static_cast<double>(c.query_total);
    if (m.recall && m.precision) {
        const double sum = *m.recall + *m.precision;
        m.f1 = sum > 0 ? 2.0 * *m.recall * *m.precision / sum : 0.0;
    }
    return m;
}

Counts EvaluationResult::total(FilterSet filter, std::optional<VariantType> type,
                               std::optional<GenotypeClass> genotype_class) const {
    Counts sum;
    for (int t = 0; t < 2; ++t) {
        if (type && static_cast<int>(*type) != t) continue;
        for (int g = 0; g < 3; ++g) {
            if (genotype_class && static_cast<int>(*genotype_class) != g) continue;
            sum += counts[static_cast<std::size_t>(filter)][static_cast<std::size_t>(t)][static_cast<std::size_t>(g)];
        }
    }
    return sum;
}

namespace {

constexpr std::int64_t reference_padding = 5000;  // room for left-alignment through long repeats

// One VCF record of the compared sample, as needed here.
struct CallRecord {
    std::int64_t position = 0;
    std::string ref;
    std::vector<std::string> alts;
    Genotype genotype;
    bool passes_filters = true;
    bool confident = true;
};

// Intervals per reference contig (reference spelling), merged and sorted.
using RegionMap = std::map<std::string, std::vector<GenomicRegion>>;

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

RegionMap load_regions(const std::string& text, const ReferenceGenome& reference, const std::string& what) {
    const bool is_file = readable_file(text) || ends_with(text, ".bed") || ends_with(text, ".bed.gz");
    std::vector<GenomicRegion> regions = is_file ? read_bed(text) : std::vector<GenomicRegion>{parse_region(text)};
    const auto names = contig_names(reference.contigs());
    std::vector<GenomicRegion> mapped;
    std::size_t unknown = 0;
    for (auto& region : regions) {
        const std::string name = match_contig_name(region.contig, names);
        if (name.empty()) {
            ++unknown;
            continue;
        }
        region.contig = name;
        region.end = std::min(region.end, reference.contig_length(name));
        if (region.begin < region.end) mapped.push_back(region);
    }
    if (!regions.empty() && mapped.empty()) {
        throw InputError(
            file_message(text, what + ": no interval lies on a contig of the reference " + reference.path()),
            "check that the " + what + " and the reference use the same genome build");
    }
    if (unknown > 0)
        GENODOSE_LOG_DEBUG(what << ": " << unknown << " intervals on contigs absent from the reference ignored");
    RegionMap map;
    for (auto& region : merge_regions(std::move(mapped), names)) map[region.contig].push_back(region);
    return map;
}

std::int64_t record_end(const CallRecord& record) {
    return record.position + static_cast<std::int64_t>(std::max<std::size_t>(record.ref.size(), 1));
}

bool overlaps_any(const std::vector<GenomicRegion>& intervals, std::int64_t begin, std::int64_t end) {
    // First interval ending after `begin`; intervals are sorted and disjoint.
    const auto it = std::upper_bound(intervals.begin(), intervals.end(), begin,
                                     [](std::int64_t value, const GenomicRegion& r) { return value < r.end; });
    return it != intervals.end() && it->begin < end;
}

VcfReaderOptions reader_options(const std::string& sample) {
    VcfReaderOptions options;
    if (!sample.empty()) options.samples = {sample};
    return options;
}

void check_input(const VcfReader& reader, const std::string& role) {
    if (!reader.has_index()) {
        throw InputError(file_message(reader.path(), role + " VCF has no index (.tbi or .csi)"),
                         "index it with: bcftools index -t " + reader.path());
    }
    if (reader.samples().empty() || !reader.has_genotypes()) {
        throw InputError(
            file_message(reader.path(), role + " VCF has no genotypes (sites-only); a sample with GT is needed"));
    }
    if (reader.samples().size() > 1) {
        GENODOSE_LOG_INFO(role << " VCF has " << reader.samples().size()
                               << " samples; comparing the first (choose with --" << role << "-sample)");
    }
}

// Reads the records of `contig` (reference spelling) that overlap `intervals`, once each.
std::vector<CallRecord> read_records(VcfReader& reader, const std::string& contig,
                                     const std::vector<GenomicRegion>& intervals, InputStatistics& statistics) {
    std::vector<CallRecord> records;
    VariantRecord record;
    const auto read_with = [&](const std::string& name) {
        std::int64_t previous_end = -1;
        for (const GenomicRegion& interval : intervals) {
            reader.set_region({name, interval.begin, interval.end});
            while (reader.next(record)) {
                if (record.position < previous_end) continue;  // returned for the previous interval already
                if (!records.empty() && record.position < records.back().position) {
                    throw InputError(
                        file_message(reader.path(), "records are not sorted by position at " + record.contig + ":" +
                                                        std::to_string(record.position + 1)),
                        "sort it with: bcftools sort");
                }
                CallRecord call;
                call.position = record.position;
                call.ref = std::move(record.ref);
                call.alts = std::move(record.alts);
                if (!record.genotypes.empty()) call.genotype = std::move(record.genotypes[0]);
                call.passes_filters = record.passes_filters();
                records.push_back(std::move(call));
            }
            previous_end = interval.end;
        }
    };
    read_with(contig);
    // A VCF without ##contig lines cannot tell VcfReader its spelling: try the other one.
    const std::string alternative = alternative_contig_name(contig);
    if (records.empty() && reader.resolve_contig(contig).empty() && !alternative.empty()) read_with(alternative);
    statistics.records += records.size();
    return records;
}

struct SideVariants {
    std::vector<CallRecord> records;
    std::vector<ComparableVariant> variants;  // sorted by start
};

void normalize_side(SideVariants& side, const VariantNormalizer& normalizer, bool is_truth,
                    InputStatistics& statistics) {
    for (std::size_t i = 0; i < side.records.size(); ++i) {
        const CallRecord& record = side.records[i];
        if (is_truth && !record.passes_filters) {
            ++statistics.not_pass_ignored;
            continue;
        }
        const std::size_t before = side.variants.size();
        switch (normalizer.add_record(record.position, record.ref, record.alts, record.genotype, i, side.variants)) {
            case NormalizeStatus::added:
                if (side.variants.size() > before) {
                    ++statistics.calls;
                    if (!record.confident) ++statistics.outside_confident;
                }
                break;
            case NormalizeStatus::not_a_call: break;
            case NormalizeStatus::ref_mismatch: ++statistics.ref_mismatch; break;
            case NormalizeStatus::symbolic: ++statistics.symbolic; break;
            case NormalizeStatus::polyploid: ++statistics.polyploid; break;
        }
    }
    std::stable_sort(side.variants.begin(), side.variants.end(),
                     [](const ComparableVariant& a, const ComparableVariant& b) { return a.start < b.start; });
}

// Matching for one filter set: which variants are matched, and which query alleles are FP.gt.
struct PassOutcome {
    std::vector<bool> truth_matched;
    std::vector<bool> query_matched;
    std::vector<std::vector<bool>> query_allele_fp_gt;
};

class BlockComparer {
public:
    BlockComparer(const ReferenceWindow& window, const EvaluationOptions& options, MatchingStatistics& statistics)
        : window_(window),
          normalizer_(window),
          matcher_(window, options.matcher),
          gap_(options.cluster_gap),
          statistics_(statistics) {}

    PassOutcome run(const std::vector<ComparableVariant>& truth, const std::vector<const ComparableVariant*>& query) {
        PassOutcome outcome;
        outcome.truth_matched.assign(truth.size(), false);
        outcome.query_matched.assign(query.size(), false);
        outcome.query_allele_fp_gt.resize(query.size());
        for (std::size_t q = 0; q < query.size(); ++q)
            outcome.query_allele_fp_gt[q].assign(query[q]->alleles.size(), false);

        std::size_t t = 0, q = 0;
        std::vector<std::size_t> cluster_truth, cluster_query;
        while (t < truth.size() || q < query.size()) {
            cluster_truth.clear();
            cluster_query.clear();
            std::int64_t reach = INT64_MIN;
            for (;;) {
                const bool take_truth = t < truth.size() && (q >= query.size() || truth[t].start <= query[q]->start);
                const ComparableVariant* next = take_truth ? &truth[t] : (q < query.size() ? query[q] : nullptr);
                if (!next || (reach != INT64_MIN && next->start > reach + gap_)) break;
                reach = std::max(reach, next->reach);
                if (take_truth) {
                    cluster_truth.push_back(t++);
                } else {
                    cluster_query.push_back(q++);
                }
            }
            compare_cluster(truth, query, cluster_truth, cluster_query, outcome);
        }
        return outcome;
    }

private:
    void compare_cluster(const std::vector<ComparableVariant>& truth,
                         const std::vector<const ComparableVariant*>& query,
                         const std::vector<std::size_t>& cluster_truth, const std::vector<std::size_t>& cluster_query,
                         PassOutcome& outcome) {
        if (cluster_truth.empty() || cluster_query.empty()) return;
        ++statistics_.clusters;
        statistics_.largest_cluster =
            std::max<std::uint64_t>(statistics_.largest_cluster, cluster_truth.size() + cluster_query.size());
        std::vector<const ComparableVariant*> truth_list, query_list;
        for (std::size_t i : cluster_truth) truth_list.push_back(&truth[i]);
        for (std::size_t i : cluster_query) query_list.push_back(query[i]);
        const MatchOutcome match = matcher_.match(truth_list, query_list);
        if (match.too_complex) {
            ++statistics_.clusters_too_complex;
            GENODOSE_LOG_DEBUG("cluster at " << window_.contig() << ":" << truth_list.front()->start + 1 << " with "
                                             << truth_list.size() + query_list.size()
                                             << " variants too complex; matched identical alleles only");
        }
        for (std::size_t i = 0; i < cluster_truth.size(); ++i)
            outcome.truth_matched[cluster_truth[i]] = match.truth_matched[i];
        for (std::size_t i = 0; i < cluster_query.size(); ++i)
            outcome.query_matched[cluster_query[i]] = match.query_matched[i];

        // FP.gt: compare the leftovers allele by allele, blind to genotype. A query allele that
        // now matches is right, only its zygosity is not.
        std::vector<ComparableVariant> loose_truth, loose_query;
        std::vector<std::pair<std::size_t, std::size_t>> loose_query_origin;  // (query index, allele index)
        for (std::size_t i = 0; i < cluster_truth.size(); ++i) {
            if (match.truth_matched[i]) continue;
            for (const Edit& edit : truth_list[i]->alleles)
                loose_truth.push_back(normalizer_.single_edit_variant(edit, 0));
        }
        for (std::size_t i = 0; i < cluster_query.size(); ++i) {
            if (match.query_matched[i]) continue;
            for (std::size_t a = 0; a < query_list[i]->alleles.size(); ++a) {
                loose_query.push_back(normalizer_.single_edit_variant(query_list[i]->alleles[a], a));
                loose_query_origin.emplace_back(cluster_query[i], a);
            }
        }
        if (loose_truth.empty() || loose_query.empty()) return;
        std::vector<std::size_t> order(loose_query.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return loose_query[a].start < loose_query[b].start; });
        std::stable_sort(loose_truth.begin(), loose_truth.end(),
                         [](const ComparableVariant& a, const ComparableVariant& b) { return a.start < b.start; });
        std::vector<const ComparableVariant*> loose_truth_list, loose_query_list;
        for (const auto& v : loose_truth) loose_truth_list.push_back(&v);
        for (std::size_t i : order) loose_query_list.push_back(&loose_query[i]);
        const MatchOutcome genotype_blind = matcher_.match(loose_truth_list, loose_query_list);
        for (std::size_t k = 0; k < order.size(); ++k) {
            if (!genotype_blind.query_matched[k]) continue;
            const auto [query_index, allele] = loose_query_origin[order[k]];
            outcome.query_allele_fp_gt[query_index][allele] = true;
        }
    }

    const ReferenceWindow& window_;
    VariantNormalizer normalizer_;
    HaplotypeMatcher matcher_;
    std::int64_t gap_;
    MatchingStatistics& statistics_;
};

// VCF-style rendering of a normalised edit (anchor base before indels).
void describe_edit(const ReferenceWindow& window, const Edit& edit, Decision& decision) {
    const std::string ref = window.bases(edit.start, edit.end);
    if (ref.empty() || edit.alt.empty()) {
        const char anchor = window.at(edit.start - 1);
        decision.position = edit.start;  // 1-based position of the anchor base
        decision.ref = anchor + ref;
        decision.alt = anchor + edit.alt;
    } else {
        decision.position = edit.start + 1;
        decision.ref = ref;
        decision.alt = edit.alt;
    }
}

void check_reference_agreement(const InputStatistics& statistics, const std::string& path,
                               const std::string& reference) {
    if (statistics.ref_mismatch == 0) return;
    const std::uint64_t checked = statistics.calls + statistics.ref_mismatch;
    if (checked >= 10 && statistics.ref_mismatch * 2 > checked) {
        throw InputError(file_message(path, std::to_string(statistics.ref_mismatch) + " of " + std::to_string(checked) +
                                                " records have a REF that disagrees with the reference " + reference),
                         "use the reference (genome build) the VCF was made with");
    }
    GENODOSE_LOG_WARN(path << ": " << statistics.ref_mismatch
                           << " records whose REF disagrees with the reference were skipped");
}

// Normalises and compares the records of one stretch of a contig (records more than two paddings
// apart from the rest go to another block, so sparse inputs never fetch a whole chromosome).
void evaluate_block(const std::string& contig, std::int64_t low, std::int64_t high, SideVariants& truth,
                    SideVariants& query, const ReferenceGenome& reference, const EvaluationOptions& options,
                    EvaluationResult& result) {
    const std::int64_t window_begin = std::max<std::int64_t>(0, low - reference_padding);
    const ReferenceWindow window(contig, window_begin,
                                 reference.fetch({contig, window_begin, high + reference_padding}));
    const VariantNormalizer normalizer(window, options.split_substitutions);
    normalize_side(truth, normalizer, true, result.truth_statistics);
    normalize_side(query, normalizer, false, result.query_statistics);

    BlockComparer evaluator(window, options, result.matching);
    std::vector<std::size_t> query_decision_row(query.variants.size()), truth_decision_row(truth.variants.size());
    if (options.keep_decisions) {
        const auto add_rows = [&](const std::vector<ComparableVariant>& variants,
                                  const std::vector<CallRecord>& records, bool is_truth,
                                  std::vector<std::size_t>& first_row) {
            for (std::size_t i = 0; i < variants.size(); ++i) {
                first_row[i] = result.decisions.size();
                const CallRecord& record = records[variants[i].record];
                for (const Edit& edit : variants[i].alleles) {
                    Decision row;
                    row.contig = contig;
                    describe_edit(window, edit, row);
                    row.truth = is_truth;
                    row.type = edit.type();
                    row.genotype_class = variants[i].genotype_class;
                    row.passes_filters = record.passes_filters;
                    row.record_position = record.position + 1;  // VCF POS
                    row.decision_all = row.decision_pass = "-";
                    result.decisions.push_back(std::move(row));
                }
            }
        };
        add_rows(truth.variants, truth.records, true, truth_decision_row);
        add_rows(query.variants, query.records, false, query_decision_row);
    }

    for (const FilterSet filter : {FilterSet::all, FilterSet::pass}) {
        std::vector<const ComparableVariant*> query_list;
        for (const ComparableVariant& variant : query.variants)
            if (filter == FilterSet::all || query.records[variant.record].passes_filters)
                query_list.push_back(&variant);
        const PassOutcome outcome = evaluator.run(truth.variants, query_list);
        auto& counts = result.counts[static_cast<std::size_t>(filter)];

        // Per record: 0 no counted variant, 1 all matched, 2 something unmatched.
        std::vector<signed char> truth_record_state(truth.records.size(), 0),
            query_record_state(query.records.size(), 0);
        std::vector<bool> query_record_fp_gt(query.records.size(), false);
        const auto note = [](std::vector<signed char>& state, std::size_t record, bool matched) {
            state[record] = static_cast<signed char>(std::max<int>(state[record], matched ? 1 : 2));
        };
        for (std::size_t i = 0; i < truth.variants.size(); ++i) {
            const ComparableVariant& variant = truth.variants[i];
            if (!truth.records[variant.record].confident) continue;
            note(truth_record_state, variant.record, outcome.truth_matched[i]);
            for (std::size_t a = 0; a < variant.alleles.size(); ++a) {
                Counts& c = counts[static_cast<std::size_t>(variant.alleles[a].type())]
                                  [static_cast<std::size_t>(variant.genotype_class)];
                ++c.truth_total;
                ++(outcome.truth_matched[i] ? c.truth_tp : c.truth_fn);
                if (options.keep_decisions) {
                    Decision& row = result.decisions[truth_decision_row[i] + a];
                    (filter == FilterSet::all ? row.decision_all : row.decision_pass) =
                        outcome.truth_matched[i] ? "TP" : "FN";
                }
            }
        }
        for (std::size_t i = 0; i < query_list.size(); ++i) {
            const ComparableVariant& variant = *query_list[i];
            const bool is_confident = query.records[variant.record].confident;
            const std::size_t index = static_cast<std::size_t>(&variant - query.variants.data());
            note(query_record_state, variant.record, outcome.query_matched[i]);
            for (std::size_t a = 0; a < variant.alleles.size(); ++a) {
                Counts& c = counts[static_cast<std::size_t>(variant.alleles[a].type())]
                                  [static_cast<std::size_t>(variant.genotype_class)];
                ++c.query_total;
                const char* decision = "UNK";
                const bool fp_gt = is_confident && !outcome.query_matched[i] && outcome.query_allele_fp_gt[i][a];
                if (!is_confident) {
                    ++c.query_unk;
                } else if (outcome.query_matched[i]) {
                    ++c.query_tp;
                    decision = "TP";
                } else {
                    ++c.query_fp;
                    decision = "FP";
                    if (fp_gt) {
                        ++c.fp_gt;
                        query_record_fp_gt[variant.record] = true;
                    }
                }
                if (options.keep_decisions) {
                    Decision& row = result.decisions[query_decision_row[index] + a];
                    (filter == FilterSet::all ? row.decision_all : row.decision_pass) = decision;
                    if (filter == FilterSet::all) row.fp_gt = fp_gt;
                }
            }
        }
        Counts& records = result.record_counts[static_cast<std::size_t>(filter)];
        for (const signed char state : truth_record_state) {
            if (state == 0) continue;
            ++records.truth_total;
            ++(state == 1 ? records.truth_tp : records.truth_fn);
        }
        for (std::size_t r = 0; r < query.records.size(); ++r) {
            if (query_record_state[r] == 0) continue;
            ++records.query_total;
            if (!query.records[r].confident) {
                ++records.query_unk;
            } else {
                ++(query_record_state[r] == 1 ? records.query_tp : records.query_fp);
                if (query_record_state[r] == 2 && query_record_fp_gt[r]) ++records.fp_gt;
            }
        }
    }
}

}  // namespace

EvaluationResult evaluate_calls(const EvaluationOptions& options) {
    if (options.cluster_gap < 0) throw UsageError("cluster gap must not be negative");
    const auto started = std::chrono::steady_clock::now();
    ReferenceGenome reference(options.reference_path);
    VcfReader truth_reader(options.truth_path, reader_options(options.truth_sample));
    VcfReader query_reader(options.query_path, reader_options(options.query_sample));
    check_input(truth_reader, "truth");
    check_input(query_reader, "query");

    EvaluationResult result;
    result.truth_sample = truth_reader.samples().front();
    result.query_sample = query_reader.samples().front();

    const bool restricted = !options.target_regions.empty();
    const RegionMap targets =
        restricted ? load_regions(options.target_regions, reference, "target regions") : RegionMap{};
    const bool has_confident = !options.confident_regions.empty();
    const RegionMap confident =
        has_confident ? load_regions(options.confident_regions, reference, "confident regions") : RegionMap{};
    static const std::vector<GenomicRegion> no_regions;

    for (const Contig& contig : reference.contigs()) {
        std::vector<GenomicRegion> intervals;
        if (restricted) {
            const auto it = targets.find(contig.name);
            if (it == targets.end()) continue;
            intervals = it->second;
        } else {
            intervals = {GenomicRegion{contig.name, 0, contig.length}};
        }
        SideVariants truth, query;
        truth.records = read_records(truth_reader, contig.name, intervals, result.truth_statistics);
        query.records = read_records(query_reader, contig.name, intervals, result.query_statistics);
        if (truth.records.empty() && query.records.empty()) continue;
        result.contigs.push_back(contig.name);

        const auto it = confident.find(contig.name);
        const std::vector<GenomicRegion>& confident_intervals = it == confident.end() ? no_regions : it->second;
        for (auto* side : {&truth, &query}) {
            for (CallRecord& record : side->records)
                record.confident =
                    !has_confident || overlaps_any(confident_intervals, record.position, record_end(record));
        }
        // Blocks: runs of records (both inputs) with no gap wider than two reference paddings.
        std::size_t t = 0, q = 0;
        while (t < truth.records.size() || q < query.records.size()) {
            SideVariants truth_block, query_block;
            std::int64_t low = INT64_MAX, high = INT64_MIN;
            for (;;) {
                const bool take_truth =
                    t < truth.records.size() &&
                    (q >= query.records.size() || truth.records[t].position <= query.records[q].position);
                CallRecord* next =
                    take_truth ? &truth.records[t] : (q < query.records.size() ? &query.records[q] : nullptr);
                if (!next || (high != INT64_MIN && next->position > high + 2 * reference_padding)) break;
                low = std::min(low, next->position);
                high = std::max(high, record_end(*next));
                if (take_truth) {
                    truth_block.records.push_back(std::move(*next));
                    ++t;
                } else {
                    query_block.records.push_back(std::move(*next));
                    ++q;
                }
            }
            evaluate_block(contig.name, low, high, truth_block, query_block, reference, options, result);
        }
    }

    check_reference_agreement(result.truth_statistics, options.truth_path, options.reference_path);
    check_reference_agreement(result.query_statistics, options.query_path, options.reference_path);
    if (result.truth_statistics.calls == 0)
        GENODOSE_LOG_WARN("no truth variants in the evaluated regions: recall is undefined");
    if (result.query_statistics.calls == 0) GENODOSE_LOG_WARN("no query calls in the evaluated regions");
    if (result.matching.clusters_too_complex > 0) {
        GENODOSE_LOG_WARN(result.matching.clusters_too_complex
                          << " clusters were too complex for the haplotype search; their variants were matched by "
                             "identical normalised alleles only (raise --max-paths to search them)");
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    GENODOSE_LOG_INFO("compared " << result.truth_statistics.calls << " truth and " << result.query_statistics.calls
                                  << " query records in " << result.matching.clusters << " clusters ("
                                  << result.matching.clusters_too_complex << " too complex) in " << std::fixed
                                  << std::setprecision(3) << elapsed.count() << " s");
    return result;
}

}  // namespace genodose::evaluation
