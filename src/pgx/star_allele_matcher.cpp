#include "genodose/pgx/star_allele_matcher.hpp"

#include <algorithm>
#include <set>

#include "genodose/core/error.hpp"
#include "genodose/core/text.hpp"

namespace genodose::pgx {

std::string to_string(CallStatus status) {
    switch (status) {
        case CallStatus::called: return "called";
        case CallStatus::no_call: return "no_call";
        case CallStatus::no_data: return "no_data";
    }
    return "no_data";
}

namespace {

bool is_wobble(const std::string& allele) {
    return allele.size() == 1 && std::string("ACGT").find(allele[0]) == std::string::npos;
}

// At most `limit` items, then "and N more (see <field>)": notes stay readable; the JSON arrays
// hold the full lists.
std::string join_limited(const std::vector<std::string>& items, std::size_t limit, const std::string& field) {
    if (items.size() <= limit) return join(items);
    std::vector<std::string> head(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(limit));
    return join(head) + " and " + std::to_string(items.size() - limit) + " more (see " + field + ")";
}

// A named allele reduced to the sample's available positions.
struct Candidate {
    std::size_t index = 0;
    int score = 0;
    std::vector<std::string> expected;      // per gene position ("" where unavailable)
    std::vector<std::size_t> missing_cells; // filled cells at missing positions
};

bool fits(const std::string& expected, const std::string& observed) { return allele_matches(expected, observed); }

}  // namespace

GeneCall match_star_alleles(const GeneDefinition& gene, const std::vector<GenotypingTarget>& targets,
                            const std::vector<PositionObservation>& observations) {
    const std::size_t n = gene.positions.size();
    if (targets.size() != n || observations.size() != n)
        throw InternalError("match_star_alleles: " + gene.gene + " needs one target and observation per position");
    GeneCall call;
    call.gene = gene.gene;

    std::vector<std::size_t> available;
    for (std::size_t p = 0; p < n; ++p) {
        const PositionObservation& observation = observations[p];
        if (observation.usable() && observation.alleles.size() == 2) {
            available.push_back(p);
            if (observation.status == ObservationStatus::assumed_reference) call.assumed_reference_positions.push_back(p);
        } else {
            call.missing_positions.push_back(p);
        }
    }

    const auto label = [&](std::size_t p) { return targets[p].label(); };
    const auto position_list = [&](const std::vector<std::size_t>& positions, std::size_t limit = 1000,
                                   const std::string& field = "") {
        std::vector<std::string> labels;
        for (std::size_t p : positions) labels.push_back(label(p));
        return join_limited(labels, limit, field);
    };

    // Notes about the data that hold whatever the call.
    std::vector<std::string> data_notes;
    std::vector<std::string> unusable;
    for (std::size_t p : call.missing_positions) {
        const PositionObservation& observation = observations[p];
        if (observation.status != ObservationStatus::missing)
            unusable.push_back(label(p) + " not used: " + observation.detail);
    }
    if (unusable.size() > 10) {
        unusable.resize(10);
        unusable.push_back("further positions not used (see positions[].status)");
    }
    data_notes.insert(data_notes.end(), unusable.begin(), unusable.end());
    if (!call.missing_positions.empty())
        data_notes.push_back(std::to_string(call.missing_positions.size()) + " of " + std::to_string(n) + " " + gene.gene +
                             " positions have no usable genotype and were not assumed reference: " +
                             position_list(call.missing_positions, 10, "missing_positions"));
    if (!call.assumed_reference_positions.empty() && call.assumed_reference_positions.size() == n)
        data_notes.push_back("the input has no record at " +
                             (n == 1 ? "the " + gene.gene + " position"
                                     : "any of the " + std::to_string(n) + " " + gene.gene + " positions") +
                             ": the whole gene was assumed reference (--missing-to-ref), which usually means the input "
                             "does not cover " + gene.gene);
    else if (!call.assumed_reference_positions.empty())
        data_notes.push_back(std::to_string(call.assumed_reference_positions.size()) + " of " + std::to_string(n) + " " +
                             gene.gene + " positions had no record and were assumed reference (--missing-to-ref): " +
                             position_list(call.assumed_reference_positions, 10, "positions[].status"));
    std::vector<std::string> amp1_missing;
    for (std::size_t p : call.missing_positions)
        if (std::find(gene.amp1_positions.begin(), gene.amp1_positions.end(), gene.positions[p].position) != gene.amp1_positions.end())
            amp1_missing.push_back(label(p));
    if (!amp1_missing.empty())
        data_notes.push_back("missing AMP tier-1 position(s) of " + gene.gene + ": " + join(amp1_missing));
    for (std::size_t p : available)
        if (!observations[p].filters.empty())
            data_notes.push_back(label(p) + ": genotype used although FILTER is " + join(observations[p].filters, ";"));

    // A variant whose genotype is incomplete (a half call "./1", a haploid "1"): the sample
    // carries it, but with one allele unknown no diplotype can be trusted. PharmCAT does not call
    // a gene with partially missing alleles.
    std::vector<std::string> partial;
    for (std::size_t p : call.missing_positions)
        if (observations[p].partial_variant) partial.push_back(label(p) + ": " + observations[p].detail);
    if (!partial.empty()) {
        call.status = CallStatus::no_call;
        call.notes.push_back("no call: incomplete genotype with a variant allele (" + join(partial, "; ") + "). The sample carries a " +
                             gene.gene + " variant there but one allele is unknown, so no diplotype is called "
                             "(as PharmCAT does for partially missing alleles)");
        call.notes.insert(call.notes.end(), data_notes.begin(), data_notes.end());
        return call;
    }

    if (available.empty()) {
        call.status = CallStatus::no_data;
        call.notes.push_back("no call: no usable genotype at any of the " + std::to_string(n) + " " + gene.gene + " positions");
        call.notes.insert(call.notes.end(), data_notes.begin(), data_notes.end());
        return call;
    }

    // Reduce every named allele to the available positions (PharmCAT's marshallHaplotypes).
    const NamedAllele& reference = gene.alleles.front();
    std::vector<Candidate> candidates;
    for (std::size_t a = 0; a < gene.alleles.size(); ++a) {
        const NamedAllele& allele = gene.alleles[a];
        if (std::find(gene.ignored_alleles.begin(), gene.ignored_alleles.end(), allele.name) != gene.ignored_alleles.end())
            continue;
        Candidate candidate;
        candidate.index = a;
        candidate.expected.assign(n, std::string());
        for (std::size_t p : call.missing_positions)
            if (!allele.reference && allele.alleles[p]) candidate.missing_cells.push_back(p);
        for (std::size_t p : available) {
            if (allele.alleles[p]) {
                ++candidate.score;
                candidate.expected[p] = *allele.alleles[p];
            } else {
                const std::string& ref = *reference.alleles[p];
                candidate.expected[p] = is_wobble(ref) ? gene.positions[p].ref : ref;
            }
        }
        if (candidate.score == 0) {
            call.untestable_alleles.push_back(allele.name);
            continue;
        }
        // An allele that fits neither of the sample's alleles somewhere fits no diplotype.
        bool possible = true;
        for (std::size_t p : available) {
            const auto& observed = observations[p].alleles;
            if (!fits(candidate.expected[p], observed[0]) && !fits(candidate.expected[p], observed[1])) {
                possible = false;
                break;
            }
        }
        if (possible) candidates.push_back(std::move(candidate));
    }

    std::size_t unphased_heterozygous = 0;
    std::vector<std::int64_t> phase_sets;  // distinct sets with a phased heterozygous position
    std::vector<std::size_t> heterozygous;
    for (std::size_t p : available) {
        const auto& observed = observations[p].alleles;
        if (observed[0] == observed[1]) continue;
        heterozygous.push_back(p);
        if (!observations[p].phased)
            ++unphased_heterozygous;
        else if (std::find(phase_sets.begin(), phase_sets.end(), observations[p].phase_set) == phase_sets.end())
            phase_sets.push_back(observations[p].phase_set);
    }
    call.phased = unphased_heterozygous + phase_sets.size() <= 1;
    // Per phase set: can the pair's first allele be on haplotype 1 at every phased het position
    // of the set (straight), or on haplotype 2 at every one (swapped)?
    std::vector<char> straight_phase(phase_sets.size()), swapped_phase(phase_sets.size());
    const auto set_index = [&](std::size_t p) {
        return static_cast<std::size_t>(std::find(phase_sets.begin(), phase_sets.end(), observations[p].phase_set) -
                                        phase_sets.begin());
    };

    for (std::size_t i = 0; i < candidates.size(); ++i) {
        for (std::size_t j = i; j < candidates.size(); ++j) {
            const Candidate& first = candidates[i];
            const Candidate& second = candidates[j];
            bool consistent = true;
            std::fill(straight_phase.begin(), straight_phase.end(), 1);
            std::fill(swapped_phase.begin(), swapped_phase.end(), 1);
            for (std::size_t p : available) {
                const auto& observed = observations[p].alleles;
                const bool straight = fits(first.expected[p], observed[0]) && fits(second.expected[p], observed[1]);
                const bool swapped = fits(first.expected[p], observed[1]) && fits(second.expected[p], observed[0]);
                if (!straight && !swapped) {
                    consistent = false;
                    break;
                }
                if (observations[p].phased && observed[0] != observed[1]) {
                    const std::size_t set = set_index(p);
                    straight_phase[set] = straight_phase[set] && straight;
                    swapped_phase[set] = swapped_phase[set] && swapped;
                }
            }
            for (std::size_t set = 0; consistent && set < phase_sets.size(); ++set)
                consistent = straight_phase[set] || swapped_phase[set];
            if (!consistent) continue;
            Diplotype diplotype;
            diplotype.allele1 = first.index;
            diplotype.allele2 = second.index;
            diplotype.score = first.score + second.score;
            diplotype.name = gene.alleles[first.index].name + "/" + gene.alleles[second.index].name;
            call.consistent.push_back(std::move(diplotype));
        }
    }
    std::stable_sort(call.consistent.begin(), call.consistent.end(), [](const Diplotype& a, const Diplotype& b) {
        if (a.score != b.score) return a.score > b.score;
        return std::tie(a.allele1, a.allele2) < std::tie(b.allele1, b.allele2);
    });

    if (call.consistent.empty()) {
        call.status = CallStatus::no_call;
        std::vector<std::string> variant_positions;
        std::vector<std::string> undocumented;
        for (std::size_t p : available) {
            const auto& observed = observations[p].alleles;
            const GenotypingTarget& target = targets[p];
            if (observed[0] != target.ref || observed[1] != target.ref)
                variant_positions.push_back(label(p) + " " + genotype_text(target, observations[p]) +
                                            (observations[p].phased ? " (phased)" : ""));
            for (const auto& allele : std::set<std::string>(observed.begin(), observed.end())) {
                const bool defined = allele == target.ref ||
                                     std::any_of(gene.alleles.begin(), gene.alleles.end(), [&](const NamedAllele& named) {
                                         return named.alleles[p] && allele_matches(*named.alleles[p], allele);
                                     });
                if (!defined)
                    undocumented.push_back(label(p) + ": allele " + allele + " is in no " + gene.gene + " allele definition");
            }
        }
        call.notes.push_back("no call: no pair of defined " + gene.gene + " alleles explains the genotypes" +
                             (variant_positions.empty() ? std::string() : " at " + join(variant_positions, "; ")) +
                             " (a novel allele, defined variants combined in cis, or an undocumented variant)");
        call.notes.insert(call.notes.end(), undocumented.begin(), undocumented.end());
        if (!call.untestable_alleles.empty())
            call.notes.push_back(std::to_string(call.untestable_alleles.size()) +
                                 " alleles could not be tested because every defining position is missing (untestable_alleles)");
        call.notes.insert(call.notes.end(), data_notes.begin(), data_notes.end());
        return call;
    }

    call.status = CallStatus::called;
    call.match_score = call.consistent.front().score;
    for (const auto& diplotype : call.consistent)
        if (diplotype.score == call.match_score) call.best.push_back(diplotype);

    std::vector<std::string> best_names;
    for (const auto& diplotype : call.best) best_names.push_back(diplotype.name);
    std::vector<std::string> alternatives;
    for (const auto& diplotype : call.consistent)
        if (diplotype.score < call.match_score) alternatives.push_back(diplotype.name);

    if (call.best.size() > 1)
        call.notes.push_back(std::to_string(call.best.size()) + " diplotypes tie for the best match score " +
                             std::to_string(call.match_score) + ": " + join(best_names) +
                             "; the available data cannot tell them apart");
    if (!alternatives.empty()) {
        if (!call.phased) {
            std::vector<std::string> unphased;
            for (std::size_t p : heterozygous)
                if (!observations[p].phased) unphased.push_back(label(p));
            std::vector<std::string> where;
            if (!unphased.empty()) where.push_back("unphased heterozygous positions: " + join(unphased));
            if (phase_sets.size() > 1)
                where.push_back("heterozygous positions phased in " + std::to_string(phase_sets.size()) +
                                " separate phase sets (FORMAT/PS)");
            call.notes.push_back("The assigned genotype is " + join(best_names, " or ") + "; however, " +
                                 join(alternatives, ", ") + " cannot be ruled out without phased data (" +
                                 join(where, "; ") + ")");
        } else {
            call.notes.push_back("also consistent with the data, with a lower match score: " + join(alternatives));
        }
    }
    // What the call depends on: alleles in it that were matched without some of their positions,
    // and alleles that could not be tested at all.
    std::set<std::size_t> called_alleles;
    for (const auto& diplotype : call.best) {
        called_alleles.insert(diplotype.allele1);
        called_alleles.insert(diplotype.allele2);
    }
    for (const auto& candidate : candidates) {
        if (!called_alleles.count(candidate.index) || candidate.missing_cells.empty()) continue;
        call.notes.push_back(gene.alleles[candidate.index].name + " was matched without its missing position(s) " +
                             position_list(candidate.missing_cells));
    }
    if (!call.untestable_alleles.empty())
        call.notes.push_back("the call depends on missing positions: " + std::to_string(call.untestable_alleles.size()) +
                             " allele(s) could not be tested because every defining position is missing (" +
                             join_limited(call.untestable_alleles, 10, "untestable_alleles") +
                             "); the call assumes the sample carries none of them");
    call.notes.insert(call.notes.end(), data_notes.begin(), data_notes.end());
    return call;
}

}  // namespace genodose::pgx
