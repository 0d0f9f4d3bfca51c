// Variant calls in the one form that benchmarking compares: normalised edits on two haplotypes.
//
//   ReferenceWindow window("chr20", 9'990'000, reference.fetch({"chr20", 9'990'000, 10'110'000}));
//   VariantNormalizer normalizer(window);
//   std::vector<ComparableVariant> variants;
//   NormalizeStatus status = normalizer.add_record(position, ref, alts, genotype, variants);
//
// Each allele is trimmed of shared bases, left-aligned against the reference (pure insertions and
// deletions; core/variant_normalization, the same rules as bcftools norm) and, if it is a substitution of several bases (an MNP), split into SNPs, so that two
// files writing the same change differently mostly agree before any haplotype comparison.
// A record whose genotype carries two different ALT alleles (1/2) stays one ComparableVariant with
// an edit list per haplotype (unless it only substitutes bases: then one variant per position);
// everything else becomes one variant per edit.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace genodose {

struct Genotype;

namespace evaluation {

// Reference bases of one window of one contig. Positions outside the window read as 'N', which
// stops left-alignment and right-shifting at the window's edge.
class ReferenceWindow {
public:
    ReferenceWindow() = default;
    ReferenceWindow(std::string contig, std::int64_t begin, std::string bases);

    const std::string& contig() const { return contig_; }
    std::int64_t begin() const { return begin_; }
    std::int64_t end() const { return begin_ + static_cast<std::int64_t>(bases_.size()); }
    char at(std::int64_t position) const {
        return position >= begin_ && position < end() ? bases_[static_cast<std::size_t>(position - begin_)] : 'N';
    }
    std::string bases(std::int64_t begin, std::int64_t end) const;
    const std::string& sequence() const { return bases_; }

private:
    std::string contig_;
    std::int64_t begin_ = 0;
    std::string bases_;
};

enum class VariantType { snp, indel };  // indel includes complex length-changing substitutions
enum class GenotypeClass { het, homalt, hetalt };

const char* to_string(VariantType type);
const char* to_string(GenotypeClass genotype_class);

// Reference bases [start, end) replaced by `alt`. An insertion has start == end, a deletion an
// empty alt. Always minimal (no shared first or last base) after normalisation.
struct Edit {
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string alt;

    VariantType type() const { return end - start == 1 && alt.size() == 1 ? VariantType::snp : VariantType::indel; }
    bool is_insertion() const { return start == end; }
    bool operator==(const Edit& other) const { return start == other.start && end == other.end && alt == other.alt; }
    bool operator!=(const Edit& other) const { return !(*this == other); }
    bool operator<(const Edit& other) const;
};

// One called genotype at one locus. haplotypes[0] always holds edits; haplotypes[1] is empty for a
// heterozygous call, equal to haplotypes[0] for a homozygous one, and different for 1/2.
struct ComparableVariant {
    std::array<std::vector<Edit>, 2> haplotypes;
    std::int64_t start = 0;  // first base touched by any edit
    std::int64_t end = 0;    // one past the last base touched (start + 1 for an insertion)
    std::int64_t reach = 0;  // `end` after shifting indels right through their repeat
    GenotypeClass genotype_class = GenotypeClass::het;
    std::vector<Edit> alleles;  // distinct edits: the items counted (an MNP counts per SNP)
    std::size_t record = 0;     // index of the VCF record it came from (per input)

    bool homozygous() const { return genotype_class == GenotypeClass::homalt; }
    int weight() const { return static_cast<int>(alleles.size()); }
};

enum class NormalizeStatus {
    added,         // zero or more variants appended
    not_a_call,    // 0/0, ./., or ALT equal to REF
    ref_mismatch,  // REF disagrees with the reference (wrong build?)
    symbolic,      // the genotype uses a symbolic or breakend allele (<DEL>, N[chr1:5[, ...)
    polyploid,     // more than two alleles in the genotype
};

class VariantNormalizer {
public:
    // `split_substitutions` false keeps every record one variant, as RTG vcfeval does: an MNP
    // (or a 1/2 record of substitutions) then matches only as a whole.
    explicit VariantNormalizer(const ReferenceWindow& reference, bool split_substitutions = true)
        : reference_(reference), split_substitutions_(split_substitutions) {}

    // Normalises one allele at 0-based `position`: trims shared bases, left-aligns pure indels
    // and splits equal-length substitutions into SNPs. Empty if ALT equals REF.
    std::vector<Edit> normalize_allele(std::int64_t position, const std::string& ref, const std::string& alt) const;

    // Appends the comparable variants of one genotyped record. Missing alleles in a partly
    // called genotype (./1) count as reference; a haploid call counts as homozygous; a '*'
    // allele (deletion described by another record) counts as reference here.
    NormalizeStatus add_record(std::int64_t position, const std::string& ref, const std::vector<std::string>& alts,
                               const Genotype& genotype, std::size_t record_index,
                               std::vector<ComparableVariant>& out) const;

    // Where an edit ends once shifted as far right as its repeat allows (indels only).
    std::int64_t right_shifted_end(const Edit& edit) const;

    // A heterozygous variant made of one edit, for genotype-blind comparisons (FP.gt).
    ComparableVariant single_edit_variant(const Edit& edit, std::size_t record_index) const;

private:
    void finish(ComparableVariant& variant) const;

    const ReferenceWindow& reference_;
    bool split_substitutions_ = true;
};

}  // namespace evaluation
}  // namespace genodose
