// Star-allele (named allele) matching with PharmCAT's NamedAlleleMatcher semantics.
//
//   GeneCall call = match_star_alleles(*data.gene("CYP2C9"), gene_targets, gene_observations);
//   if (call.status == CallStatus::called) use(call.best);   // every tied best diplotype
//
// Semantics (PharmCAT 3, default mode):
// - A named allele requires its allele at every defined position; a blank cell means the
//   reference allele. IUPAC codes in a definition (CYP2C9*36 "S") match any base they stand for.
// - Missing positions are not reference: they are removed from every definition; an allele
//   whose every defining position is missing cannot be tested (untestable_alleles). The score
//   of an allele is the number of its filled cells at the available positions (the reference
//   allele: every available position); a diplotype scores the sum of its two alleles.
// - Unphased genotypes: a diplotype is consistent if, position by position, its two alleles can
//   be assigned to the sample's two alleles. Phased genotypes ('|') must in addition agree with one
//   orientation across the phased heterozygous positions of each phase set (FORMAT/PS); the
//   orientations of different sets are independent, as between unphased positions.
// - The call is every consistent diplotype with the best score. None consistent: a no-call,
//   never a guess. A position with a variant but an incomplete genotype (a half call "./1", a
//   haploid "1": PositionObservation::partial_variant) is also a no-call for the gene, as in
//   PharmCAT (partially missing alleles). When unphased data leave lower-scoring diplotypes
//   consistent (CYP4F2 rs3093105 het + rs2108622 het: *1/*4, but *2/*3 fits too), a note says
//   they cannot be ruled out.
// Every diplotype pair is checked directly (≤ 4,000 pairs for CYP2C9), so there is no 2^n
// enumeration of phase arrangements however many heterozygous positions a sample has.
#pragma once

#include <string>
#include <vector>

#include "genodose/pgx/definitions.hpp"
#include "genodose/pgx/observations.hpp"

namespace genodose::pgx {

enum class CallStatus {
    called,   // at least one diplotype fits
    no_call,  // the sample has data but no pair of defined alleles explains it, or a variant
              // position has an incomplete genotype ("./1"); the first note says which
    no_data,  // no usable genotype at any position of the gene
};
std::string to_string(CallStatus status);

struct Diplotype {
    std::size_t allele1 = 0;  // indices into GeneDefinition::alleles, allele1 <= allele2
    std::size_t allele2 = 0;
    int score = 0;
    std::string name;  // "*1/*3"
};

struct GeneCall {
    std::string gene;
    CallStatus status = CallStatus::no_data;
    std::vector<Diplotype> best;                           // every tied best-scoring diplotype (empty unless called)
    std::vector<Diplotype> consistent;                     // every diplotype consistent with the data, best first
    int match_score = 0;                                   // the best score (PharmCAT's "Match Score")
    bool phased = false;                                   // phase is known: the heterozygous positions are all in one
                                                           // phase set, or there is at most one of them
    std::vector<std::size_t> missing_positions;            // gene positions without a usable genotype
    std::vector<std::size_t> assumed_reference_positions;  // --missing-to-ref
    std::vector<std::string> untestable_alleles;           // every defining position missing
    std::vector<std::string> notes;                        // for people: what the call depends on
};

// `targets` and `observations` hold one entry per GeneDefinition::positions (same order).
GeneCall match_star_alleles(const GeneDefinition& gene, const std::vector<GenotypingTarget>& targets,
                            const std::vector<PositionObservation>& observations);

}  // namespace genodose::pgx
