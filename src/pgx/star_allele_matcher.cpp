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
    std::vector<std::string> expected;       // per gene position ("" where unavailable)
    std::vector<std::size_t> missing_cells;  // filled cells at missing positions
};

bool fits(const std::string& expected, const std::string& observed) { return allele_matches(expected, observed); }

// Which heterozygous positions are phased, and in how many phase sets (FORMAT/PS).
struct Phasing {
    std::vector<std::size_t> heterozygous;
    std::size_t unphased_heterozygous = 0;
    std::vector<std::int64_t> phase_sets;  // distinct sets with a phased heterozygous position
};

// One gene's matching (PharmCAT's NamedAlleleMatcher): the sample's usable positions, the named
// alleles reduced to them, the diplotypes consistent with the genotypes and phase, and the call
// with notes saying what it rests on.
class StarAlleleMatching {
public:
    StarAlleleMatching(const GeneDefinition& gene, const std::vector<GenotypingTarget>& targets,
                       const std::vector<PositionObservation>& observations)
        : gene_(gene), targets_(targets), observations_(observations), n_(gene.positions.size()) {
        call_.gene = gene.gene;
    }

    GeneCall run() {
        split_positions();
        const std::vector<std::string> data_notes = notes_about_the_data();
        if (const std::vector<std::string> partial = incomplete_variants(); !partial.empty())
            return no_call_for_incomplete_variants(partial, data_notes);
        if (available_.empty()) return no_usable_position(data_notes);
        const std::vector<Candidate> candidates = reduce_alleles();
        const Phasing phasing = phasing_of_heterozygous_positions();
        find_consistent_diplotypes(candidates, phasing);
        if (call_.consistent.empty()) return no_consistent_diplotype(data_notes);
        return called(candidates, phasing, data_notes);
    }

private:
    std::string label(std::size_t p) const { return targets_[p].label(); }
    std::string position_list(const std::vector<std::size_t>& positions, std::size_t limit = 1000,
                              const std::string& field = "") const {
        std::vector<std::string> labels;
        for (std::size_t p : positions) labels.push_back(label(p));
        return join_limited(labels, limit, field);
    }

    // The call, its notes followed by those about the data (which hold whatever the call).
    GeneCall with_data_notes(const std::vector<std::string>& data_notes) {
        call_.notes.insert(call_.notes.end(), data_notes.begin(), data_notes.end());
        return call_;
    }

    // Positions with a usable two-allele genotype, and the missing ones.
    void split_positions() {
        for (std::size_t p = 0; p < n_; ++p) {
            const PositionObservation& observation = observations_[p];
            if (observation.usable() && observation.alleles.size() == 2) {
                available_.push_back(p);
                if (observation.status == ObservationStatus::assumed_reference)
                    call_.assumed_reference_positions.push_back(p);
            } else {
                call_.missing_positions.push_back(p);
            }
        }
    }

    // Notes about the data that hold whatever the call.
    std::vector<std::string> notes_about_the_data() const {
        std::vector<std::string> notes;
        std::vector<std::string> unusable;
        for (std::size_t p : call_.missing_positions) {
            const PositionObservation& observation = observations_[p];
            if (observation.status != ObservationStatus::missing)
                unusable.push_back(label(p) + " not used: " + observation.detail);
        }
        if (unusable.size() > 10) {
            unusable.resize(10);
            unusable.push_back("further positions not used (see positions[].status)");
        }
        notes.insert(notes.end(), unusable.begin(), unusable.end());
        if (!call_.missing_positions.empty())
            notes.push_back(std::to_string(call_.missing_positions.size()) + " of " + std::to_string(n_) + " " +
                            gene_.gene + " positions have no usable genotype and were not assumed reference: " +
                            position_list(call_.missing_positions, 10, "missing_positions"));
        if (!call_.assumed_reference_positions.empty() && call_.assumed_reference_positions.size() == n_)
            notes.push_back("the input has no record at " +
                            (n_ == 1 ? "the " + gene_.gene + " position"
                                     : "any of the " + std::to_string(n_) + " " + gene_.gene + " positions") +
                            ": the whole gene was assumed reference (--missing-to-ref), which usually means the input "
                            "does not cover " +
                            gene_.gene);
        else if (!call_.assumed_reference_positions.empty())
            notes.push_back(std::to_string(call_.assumed_reference_positions.size()) + " of " + std::to_string(n_) +
                            " " + gene_.gene +
                            " positions had no record and were assumed reference (--missing-to-ref): " +
                            position_list(call_.assumed_reference_positions, 10, "positions[].status"));
        std::vector<std::string> amp1_missing;
        for (std::size_t p : call_.missing_positions)
            if (std::find(gene_.amp1_positions.begin(), gene_.amp1_positions.end(), gene_.positions[p].position) !=
                gene_.amp1_positions.end())
                amp1_missing.push_back(label(p));
        if (!amp1_missing.empty())
            notes.push_back("missing AMP tier-1 position(s) of " + gene_.gene + ": " + join(amp1_missing));
        for (std::size_t p : available_)
            if (!observations_[p].filters.empty())
                notes.push_back(label(p) + ": genotype used although FILTER is " + join(observations_[p].filters, ";"));
        return notes;
    }

    // Variants whose genotype is incomplete (a half call "./1", a haploid "1").
    std::vector<std::string> incomplete_variants() const {
        std::vector<std::string> partial;
        for (std::size_t p : call_.missing_positions)
            if (observations_[p].partial_variant) partial.push_back(label(p) + ": " + observations_[p].detail);
        return partial;
    }

    // The sample carries a variant there but one allele is unknown, so no diplotype can be
    // trusted. PharmCAT does not call a gene with partially missing alleles.
    GeneCall no_call_for_incomplete_variants(const std::vector<std::string>& partial,
                                             const std::vector<std::string>& data_notes) {
        call_.status = CallStatus::no_call;
        call_.notes.push_back("no call: incomplete genotype with a variant allele (" + join(partial, "; ") +
                              "). The sample carries a " + gene_.gene +
                              " variant there but one allele is unknown, so no diplotype is called "
                              "(as PharmCAT does for partially missing alleles)");
        return with_data_notes(data_notes);
    }

    GeneCall no_usable_position(const std::vector<std::string>& data_notes) {
        call_.status = CallStatus::no_data;
        call_.notes.push_back("no call: no usable genotype at any of the " + std::to_string(n_) + " " + gene_.gene +
                              " positions");
        return with_data_notes(data_notes);
    }

    // Every named allele reduced to the available positions (PharmCAT's marshallHaplotypes); the
    // ones with no defining position available are untestable, the ones that fit neither of the
    // sample's alleles somewhere fit no diplotype.
    std::vector<Candidate> reduce_alleles() {
        const NamedAllele& reference = gene_.alleles.front();
        std::vector<Candidate> candidates;
        for (std::size_t a = 0; a < gene_.alleles.size(); ++a) {
            const NamedAllele& allele = gene_.alleles[a];
            if (std::find(gene_.ignored_alleles.begin(), gene_.ignored_alleles.end(), allele.name) !=
                gene_.ignored_alleles.end())
                continue;
            Candidate candidate;
            candidate.index = a;
            candidate.expected.assign(n_, std::string());
            for (std::size_t p : call_.missing_positions)
                if (!allele.reference && allele.alleles[p]) candidate.missing_cells.push_back(p);
            for (std::size_t p : available_) {
                if (allele.alleles[p]) {
                    ++candidate.score;
                    candidate.expected[p] = *allele.alleles[p];
                } else {
                    const std::string& ref = *reference.alleles[p];
                    candidate.expected[p] = is_wobble(ref) ? gene_.positions[p].ref : ref;
                }
            }
            if (candidate.score == 0) {
                call_.untestable_alleles.push_back(allele.name);
                continue;
            }
            const bool possible = std::all_of(available_.begin(), available_.end(), [&](std::size_t p) {
                const auto& observed = observations_[p].alleles;
                return fits(candidate.expected[p], observed[0]) || fits(candidate.expected[p], observed[1]);
            });
            if (possible) candidates.push_back(std::move(candidate));
        }
        return candidates;
    }

    Phasing phasing_of_heterozygous_positions() {
        Phasing phasing;
        for (std::size_t p : available_) {
            const auto& observed = observations_[p].alleles;
            if (observed[0] == observed[1]) continue;
            phasing.heterozygous.push_back(p);
            if (!observations_[p].phased) ++phasing.unphased_heterozygous;
            else if (std::find(phasing.phase_sets.begin(), phasing.phase_sets.end(), observations_[p].phase_set) ==
                     phasing.phase_sets.end())
                phasing.phase_sets.push_back(observations_[p].phase_set);
        }
        call_.phased = phasing.unphased_heterozygous + phasing.phase_sets.size() <= 1;
        return phasing;
    }

    // Every pair of candidates that explains the genotypes at all available positions and, per
    // phase set, puts the pair's first allele on one haplotype throughout (straight or swapped);
    // best score first.
    void find_consistent_diplotypes(const std::vector<Candidate>& candidates, const Phasing& phasing) {
        const auto& phase_sets = phasing.phase_sets;
        std::vector<char> straight_phase(phase_sets.size()), swapped_phase(phase_sets.size());
        const auto set_index = [&](std::size_t p) {
            return static_cast<std::size_t>(
                std::find(phase_sets.begin(), phase_sets.end(), observations_[p].phase_set) - phase_sets.begin());
        };
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            for (std::size_t j = i; j < candidates.size(); ++j) {
                const Candidate& first = candidates[i];
                const Candidate& second = candidates[j];
                bool consistent = true;
                std::fill(straight_phase.begin(), straight_phase.end(), 1);
                std::fill(swapped_phase.begin(), swapped_phase.end(), 1);
                for (std::size_t p : available_) {
                    const auto& observed = observations_[p].alleles;
                    const bool straight = fits(first.expected[p], observed[0]) && fits(second.expected[p], observed[1]);
                    const bool swapped = fits(first.expected[p], observed[1]) && fits(second.expected[p], observed[0]);
                    if (!straight && !swapped) {
                        consistent = false;
                        break;
                    }
                    if (observations_[p].phased && observed[0] != observed[1]) {
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
                diplotype.name = gene_.alleles[first.index].name + "/" + gene_.alleles[second.index].name;
                call_.consistent.push_back(std::move(diplotype));
            }
        }
        std::stable_sort(call_.consistent.begin(), call_.consistent.end(), [](const Diplotype& a, const Diplotype& b) {
            if (a.score != b.score) return a.score > b.score;
            return std::tie(a.allele1, a.allele2) < std::tie(b.allele1, b.allele2);
        });
    }

    // No pair of defined alleles explains the genotypes: say where the sample differs from the
    // reference and which observed alleles no definition has.
    GeneCall no_consistent_diplotype(const std::vector<std::string>& data_notes) {
        call_.status = CallStatus::no_call;
        std::vector<std::string> variant_positions;
        std::vector<std::string> undocumented;
        for (std::size_t p : available_) {
            const auto& observed = observations_[p].alleles;
            const GenotypingTarget& target = targets_[p];
            if (observed[0] != target.ref || observed[1] != target.ref)
                variant_positions.push_back(label(p) + " " + genotype_text(target, observations_[p]) +
                                            (observations_[p].phased ? " (phased)" : ""));
            for (const auto& allele : std::set<std::string>(observed.begin(), observed.end())) {
                const bool defined =
                    allele == target.ref ||
                    std::any_of(gene_.alleles.begin(), gene_.alleles.end(), [&](const NamedAllele& named) {
                        return named.alleles[p] && allele_matches(*named.alleles[p], allele);
                    });
                if (!defined)
                    undocumented.push_back(label(p) + ": allele " + allele + " is in no " + gene_.gene +
                                           " allele definition");
            }
        }
        call_.notes.push_back("no call: no pair of defined " + gene_.gene + " alleles explains the genotypes" +
                              (variant_positions.empty() ? std::string() : " at " + join(variant_positions, "; ")) +
                              " (a novel allele, defined variants combined in cis, or an undocumented variant)");
        call_.notes.insert(call_.notes.end(), undocumented.begin(), undocumented.end());
        if (!call_.untestable_alleles.empty())
            call_.notes.push_back(
                std::to_string(call_.untestable_alleles.size()) +
                " alleles could not be tested because every defining position is missing (untestable_alleles)");
        return with_data_notes(data_notes);
    }

    // The best-scoring diplotypes, with notes on ties, alternatives that phase would rule out,
    // and what the call depends on.
    GeneCall called(const std::vector<Candidate>& candidates, const Phasing& phasing,
                    const std::vector<std::string>& data_notes) {
        call_.status = CallStatus::called;
        call_.match_score = call_.consistent.front().score;
        for (const auto& diplotype : call_.consistent)
            if (diplotype.score == call_.match_score) call_.best.push_back(diplotype);
        std::vector<std::string> best_names;
        for (const auto& diplotype : call_.best) best_names.push_back(diplotype.name);
        std::vector<std::string> alternatives;
        for (const auto& diplotype : call_.consistent)
            if (diplotype.score < call_.match_score) alternatives.push_back(diplotype.name);

        if (call_.best.size() > 1)
            call_.notes.push_back(std::to_string(call_.best.size()) + " diplotypes tie for the best match score " +
                                  std::to_string(call_.match_score) + ": " + join(best_names) +
                                  "; the available data cannot tell them apart");
        if (!alternatives.empty()) {
            if (!call_.phased) {
                std::vector<std::string> unphased;
                for (std::size_t p : phasing.heterozygous)
                    if (!observations_[p].phased) unphased.push_back(label(p));
                std::vector<std::string> where;
                if (!unphased.empty()) where.push_back("unphased heterozygous positions: " + join(unphased));
                if (phasing.phase_sets.size() > 1)
                    where.push_back("heterozygous positions phased in " + std::to_string(phasing.phase_sets.size()) +
                                    " separate phase sets (FORMAT/PS)");
                call_.notes.push_back("The assigned genotype is " + join(best_names, " or ") + "; however, " +
                                      join(alternatives, ", ") + " cannot be ruled out without phased data (" +
                                      join(where, "; ") + ")");
            } else {
                call_.notes.push_back("also consistent with the data, with a lower match score: " + join(alternatives));
            }
        }
        // Alleles of the call matched without some of their positions, and alleles not testable.
        std::set<std::size_t> called_alleles;
        for (const auto& diplotype : call_.best) {
            called_alleles.insert(diplotype.allele1);
            called_alleles.insert(diplotype.allele2);
        }
        for (const auto& candidate : candidates) {
            if (!called_alleles.count(candidate.index) || candidate.missing_cells.empty()) continue;
            call_.notes.push_back(gene_.alleles[candidate.index].name +
                                  " was matched without its missing position(s) " +
                                  position_list(candidate.missing_cells));
        }
        if (!call_.untestable_alleles.empty())
            call_.notes.push_back(
                "the call depends on missing positions: " + std::to_string(call_.untestable_alleles.size()) +
                " allele(s) could not be tested because every defining position is missing (" +
                join_limited(call_.untestable_alleles, 10, "untestable_alleles") +
                "); the call assumes the sample carries none of them");
        return with_data_notes(data_notes);
    }

    const GeneDefinition& gene_;
    const std::vector<GenotypingTarget>& targets_;
    const std::vector<PositionObservation>& observations_;
    const std::size_t n_;
    GeneCall call_;
    std::vector<std::size_t> available_;  // positions with a usable genotype
};

}  // namespace

GeneCall match_star_alleles(const GeneDefinition& gene, const std::vector<GenotypingTarget>& targets,
                            const std::vector<PositionObservation>& observations) {
    if (targets.size() != gene.positions.size() || observations.size() != gene.positions.size())
        throw InternalError("match_star_alleles: " + gene.gene + " needs one target and observation per position");
    return StarAlleleMatching(gene, targets, observations).run();
}

}  // namespace genodose::pgx
