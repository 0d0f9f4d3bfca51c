// Pharmacogene allele definitions, phenotype tables and reference sequence, loaded at run time.
//
//   PgxDataset data = load_pgx_dataset(pgx_data_directory(default_data_directory()));
//   std::vector<GenotypingTarget> targets = genotyping_targets(data, GenomeBuild::grch37);
//
// Everything comes from the files in data/reference/pgx/ (see its README): genodose_pgx.json
// says which genes to load and where their PharmCAT files are; the *_translation.json files give
// the defined positions and named alleles; exemptions.json adds reported positions such as
// rs12777823 and the AMP tier-1 positions; phenotype/*.json give allele function, activity values
// and the diplotype → phenotype table; the RefSeqGene FASTA gives the real GRCh38 sequence of the
// gene regions and, in its headers, their fixed GRCh38 → GRCh37 offsets. No allele is hard-coded.
//
// Positions are 0-based here (as everywhere in genodose); files and JSON output use 1-based.
// Malformed or inconsistent data files raise InputError naming the file and the field.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace genodose::pgx {

enum class GenomeBuild { grch38, grch37 };

// "GRCh38" / "GRCh37" (case-insensitive); UsageError naming the text otherwise.
GenomeBuild parse_genome_build(const std::string& text);
std::string to_string(GenomeBuild build);

// One position of an allele definition (PharmCAT "variant"), GRCh38.
struct DefinedPosition {
    std::string chromosome;     // as the definition spells it ("chr10")
    std::int64_t position = 0;  // 0-based GRCh38 start of `ref` (VCF POS - 1)
    std::string rsid;           // empty when the definition has none
    std::string ref;            // VCF-style alleles ("GA" / "G" for a deletion)
    std::vector<std::string> alts;
    std::string hgvs;  // "g.94949283del"

    bool is_snv() const;
    std::int64_t end() const { return position + static_cast<std::int64_t>(ref.size()); }
    // "rs9332131 (chr10:94949281)": 1-based GRCh38, for messages.
    std::string label() const;
};

// A named allele: the allele it requires at each defined position of its gene.
struct NamedAllele {
    std::string name;  // "*2", "rs9923231 variant (T)"
    std::string id;    // PharmGKB id
    bool reference = false;
    // One entry per DefinedPosition of the gene; nullopt where the definition leaves the cell
    // blank, which PharmCAT (and genodose) read as "the reference allele" for matching while
    // the match score only counts the cells that are filled.
    std::vector<std::optional<std::string>> alleles;
};

// Allele function and activity, and diplotype → phenotype, as in PharmCAT's phenotype/*.json.
struct PhenotypeTable {
    struct Haplotype {
        std::string function;                  // "Decreased function"
        std::optional<double> activity_value;  // nullopt for "n/a" or absent
    };
    struct Diplotype {
        std::map<std::string, int> alleles;    // {"*1": 1, "*3": 1} or {"*1": 2}
        std::string phenotype;                 // "Intermediate Metabolizer", "-1639 AG"
        std::optional<double> activity_score;  // nullopt for "n/a"/null
    };
    std::string path;
    std::string version;
    std::map<std::string, Haplotype> haplotypes;
    std::vector<Diplotype> diplotypes;

    const Haplotype* haplotype(const std::string& name) const;
    const Diplotype* diplotype(const std::string& allele1, const std::string& allele2) const;
};

// A SNP genotype genodose reports by rsID in the gene's JSON entry (from genodose_pgx.json).
struct ReportedGenotype {
    std::string rsid;
    bool gene_strand = false;  // also report it on the gene strand (VKORC1 −1639G>A)
};

struct GeneDefinition {
    std::string gene;
    std::string chromosome;  // "chr10"
    std::string definition_path;
    std::string version;       // "2025-11-05-00-25"
    std::string genome_build;  // "GRCh38.p14"
    char gene_strand = '+';    // from the RefSeqGene FASTA header
    std::vector<DefinedPosition> positions;
    std::vector<NamedAllele> alleles;          // definition order; the reference allele first
    std::vector<std::string> ignored_alleles;  // exemptions: never called
    std::vector<std::int64_t> amp1_positions;  // exemptions: AMP tier-1 positions (0-based)
    // exemptions: AMP tier-1 alleles ("amp1Alleles"; CYP2C9 *2 *3 *5 *6 *8 *11), the alleles a
    // clinical assay is expected to test. A call whose phenotype depends on one of them that the
    // input did not test is qualified (genotyper.hpp).
    std::vector<std::string> amp1_alleles;
    std::vector<DefinedPosition> extra_positions;  // exemptions: reported, in no allele (rs12777823)
    std::vector<ReportedGenotype> reported_genotypes;
    std::optional<PhenotypeTable> phenotypes;

    std::optional<std::size_t> position_index(const std::string& rsid) const;
};

// The GRCh38 sequence of one gene region, and where the same bases lie on GRCh37.
struct ReferenceSegment {
    std::string name;               // FASTA name ("CYP2C9")
    std::string chromosome;         // "chr10"
    std::int64_t grch38_begin = 0;  // 0-based
    std::int64_t grch37_begin = 0;  // 0-based; GRCh37 = GRCh38 + (grch37_begin - grch38_begin)
    char gene_strand = '+';
    std::string sequence;  // upper-case, plus strand

    std::int64_t grch38_end() const { return grch38_begin + static_cast<std::int64_t>(sequence.size()); }
    std::int64_t begin(GenomeBuild build) const { return build == GenomeBuild::grch38 ? grch38_begin : grch37_begin; }
    std::int64_t end(GenomeBuild build) const { return begin(build) + static_cast<std::int64_t>(sequence.size()); }
};

// A single GRCh38 → GRCh37 position outside the RefSeqGene regions (genodose_pgx.json).
struct PositionLiftover {
    std::string rsid;
    std::string chromosome;
    std::int64_t grch38 = 0;  // 0-based
    std::int64_t grch37 = 0;  // 0-based
};

struct PgxDataset {
    std::string directory;
    std::vector<GeneDefinition> genes;
    std::vector<ReferenceSegment> segments;
    std::vector<PositionLiftover> liftovers;
    // Known contig lengths per build, to refuse a VCF whose header says it is on the other build.
    std::map<GenomeBuild, std::map<std::string, std::int64_t>> contig_lengths;

    const GeneDefinition* gene(const std::string& name) const;
    // The segment holding [position, end) on `chromosome` in `build` coordinates, or nullptr.
    const ReferenceSegment* segment(const std::string& chromosome, std::int64_t position, std::int64_t end,
                                    GenomeBuild build) const;
    // Reference bases [position, end) in `build` coordinates; empty if outside every segment.
    std::string reference_bases(const std::string& chromosome, std::int64_t position, std::int64_t end,
                                GenomeBuild build) const;
    // GRCh38 0-based position → `build`; InputError naming the data folder if it cannot be mapped.
    std::int64_t lift(const std::string& chromosome, std::int64_t grch38_position, const std::string& what,
                      GenomeBuild build) const;
    // The definitions' version (PharmCAT data version), e.g. "2025-11-05-00-25".
    std::string version() const;
};

// Loads <directory>/genodose_pgx.json and everything it names. InputError naming the file on
// any missing or malformed file, and when a definition's reference allele disagrees with the
// RefSeqGene sequence (which would make every REF check wrong).
PgxDataset load_pgx_dataset(const std::string& directory);

// A position to genotype in the input, in the input's build.
struct GenotypingTarget {
    std::string gene;
    std::size_t gene_position = 0;  // index into GeneDefinition::positions (or extra_positions)
    bool defines_alleles = true;    // false for reported extra positions (rs12777823)
    std::string rsid;
    std::string chromosome;     // "chr10" (the input may say "10")
    std::int64_t position = 0;  // 0-based, input build
    std::int64_t grch38_position = 0;
    std::string ref;  // VCF-style, as in the definition
    std::vector<std::string> alts;
    // A key position: AMP tier-1, a reported SNP (rs9923231, rs2108622) or an extra reported
    // position (rs12777823). From reads, a key position is genotyped from whatever reads cover it
    // (with its GQ), as bcftools does, instead of needing depth for a confident reference call.
    bool key = false;

    std::int64_t end() const { return position + static_cast<std::int64_t>(ref.size()); }
    bool is_snv() const;
    // "rs1799853 (chr10:94942290)", 1-based in the input build.
    std::string label() const;
};

// Every defined position of every gene, then the extra positions, in the coordinates of `build`.
std::vector<GenotypingTarget> genotyping_targets(const PgxDataset& data, GenomeBuild build);

// True if IUPAC code `definition` (A, C, G, T or R, Y, S, W, K, M, B, D, H, V, N) includes the
// single base `observed`; for longer alleles, plain string equality.
bool allele_matches(const std::string& definition, const std::string& observed);

}  // namespace genodose::pgx
