#include "genodose/pgx/definitions.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "genodose/core/error.hpp"

namespace genodose::pgx {

namespace fs = std::filesystem;
using json = nlohmann::json;

GenomeBuild parse_genome_build(const std::string& text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "grch38") return GenomeBuild::grch38;
    if (lower == "grch37") return GenomeBuild::grch37;
    throw UsageError("--build: unknown genome build '" + text + "' (expected GRCh38 or GRCh37)");
}

std::string to_string(GenomeBuild build) { return build == GenomeBuild::grch38 ? "GRCh38" : "GRCh37"; }

bool DefinedPosition::is_snv() const {
    if (ref.size() != 1) return false;
    return std::all_of(alts.begin(), alts.end(), [](const std::string& a) { return a.size() == 1; });
}

std::string DefinedPosition::label() const {
    const std::string where = chromosome + ":" + std::to_string(position + 1);
    return rsid.empty() ? where : rsid + " (" + where + ")";
}

bool GenotypingTarget::is_snv() const {
    if (ref.size() != 1) return false;
    return std::all_of(alts.begin(), alts.end(), [](const std::string& a) { return a.size() == 1; });
}

std::string GenotypingTarget::label() const {
    const std::string where = chromosome + ":" + std::to_string(position + 1);
    return rsid.empty() ? where : rsid + " (" + where + ")";
}

const PhenotypeTable::Haplotype* PhenotypeTable::haplotype(const std::string& name) const {
    const auto found = haplotypes.find(name);
    return found == haplotypes.end() ? nullptr : &found->second;
}

const PhenotypeTable::Diplotype* PhenotypeTable::diplotype(const std::string& allele1,
                                                           const std::string& allele2) const {
    std::map<std::string, int> key;
    ++key[allele1];
    ++key[allele2];
    for (const auto& entry : diplotypes)
        if (entry.alleles == key) return &entry;
    return nullptr;
}

std::optional<std::size_t> GeneDefinition::position_index(const std::string& rsid) const {
    for (std::size_t i = 0; i < positions.size(); ++i)
        if (positions[i].rsid == rsid) return i;
    return std::nullopt;
}

const GeneDefinition* PgxDataset::gene(const std::string& name) const {
    for (const auto& gene : genes)
        if (gene.gene == name) return &gene;
    return nullptr;
}

const ReferenceSegment* PgxDataset::segment(const std::string& chromosome, std::int64_t position, std::int64_t end,
                                            GenomeBuild build) const {
    for (const auto& segment : segments)
        if (segment.chromosome == chromosome && position >= segment.begin(build) && end <= segment.end(build))
            return &segment;
    return nullptr;
}

std::string PgxDataset::reference_bases(const std::string& chromosome, std::int64_t position, std::int64_t end,
                                        GenomeBuild build) const {
    const ReferenceSegment* found = segment(chromosome, position, end, build);
    if (!found || end < position) return {};
    return found->sequence.substr(static_cast<std::size_t>(position - found->begin(build)),
                                  static_cast<std::size_t>(end - position));
}

std::int64_t PgxDataset::lift(const std::string& chromosome, std::int64_t grch38_position, const std::string& what,
                              GenomeBuild build) const {
    if (build == GenomeBuild::grch38) return grch38_position;
    if (const ReferenceSegment* found = segment(chromosome, grch38_position, grch38_position + 1, GenomeBuild::grch38))
        return grch38_position + (found->grch37_begin - found->grch38_begin);
    for (const auto& liftover : liftovers)
        if (liftover.chromosome == chromosome && liftover.grch38 == grch38_position) return liftover.grch37;
    throw InputError(file_message(directory, "no GRCh37 coordinate for " + what +
                                                 " (outside the RefSeqGene regions and not in grch37_liftover of "
                                                 "genodose_pgx.json)"));
}

std::string PgxDataset::version() const { return genes.empty() ? std::string() : genes.front().version; }

bool allele_matches(const std::string& definition, const std::string& observed) {
    if (definition.size() != 1 || observed.size() != 1) return definition == observed;
    const char d = definition[0];
    const char o = observed[0];
    if (d == o) return true;
    const auto in = [o](const char* bases) { return std::string(bases).find(o) != std::string::npos; };
    switch (d) {
        case 'R': return in("AG");
        case 'Y': return in("CT");
        case 'S': return in("CG");
        case 'W': return in("AT");
        case 'K': return in("GT");
        case 'M': return in("AC");
        case 'B': return in("CGT");
        case 'D': return in("AGT");
        case 'H': return in("ACT");
        case 'V': return in("ACG");
        case 'N': return in("ACGT");
        default: return false;
    }
}

namespace {

json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(file_message(path, "not found or not readable"), "set GENODOSE_DATA_DIR or --data-dir");
    try {
        return json::parse(in);
    } catch (const json::parse_error& e) {
        throw InputError(file_message(path, std::string("malformed JSON: ") + e.what()));
    }
}

// Typed field access with messages naming file and field.
class Fields {
public:
    Fields(const std::string& path, const json& object, std::string where)
        : path_(path), object_(object), where_(std::move(where)) {
        if (!object_.is_object()) fail("", "is not a JSON object");
    }
    [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
        std::string name = where_;
        if (!field.empty()) name += (name.empty() ? "" : ".") + field;
        throw InputError(file_message(path_, (name.empty() ? std::string() : name + ": ") + problem));
    }
    const json& get(const std::string& field) const {
        const auto found = object_.find(field);
        if (found == object_.end()) fail(field, "missing");
        return *found;
    }
    bool has(const std::string& field) const {
        const auto found = object_.find(field);
        return found != object_.end() && !found->is_null();
    }
    std::string string(const std::string& field) const {
        const json& value = get(field);
        if (!value.is_string()) fail(field, "is not a string");
        return value.get<std::string>();
    }
    std::string optional_string(const std::string& field) const {
        if (!has(field)) return {};
        return string(field);
    }
    std::int64_t integer(const std::string& field) const {
        const json& value = get(field);
        if (!value.is_number_integer()) fail(field, "is not an integer");
        return value.get<std::int64_t>();
    }
    bool boolean(const std::string& field) const {
        if (!has(field)) return false;
        const json& value = get(field);
        if (!value.is_boolean()) fail(field, "is not true or false");
        return value.get<bool>();
    }
    const json& array(const std::string& field) const {
        const json& value = get(field);
        if (!value.is_array()) fail(field, "is not an array");
        return value;
    }
    const std::string& path() const { return path_; }
    const std::string& where() const { return where_; }

private:
    const std::string& path_;
    const json& object_;
    std::string where_;
};

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

DefinedPosition parse_position(const std::string& path, const json& object, const std::string& where) {
    Fields fields(path, object, where);
    DefinedPosition position;
    position.chromosome = fields.string("chromosome");
    position.position = fields.integer("position") - 1;
    if (position.position < 0) fields.fail("position", "must be 1 or more");
    position.rsid = fields.optional_string("rsid");
    position.ref = upper(fields.string("ref"));
    if (position.ref.empty()) fields.fail("ref", "is empty");
    for (const auto& alt : fields.array("alts")) {
        if (!alt.is_string() || alt.get<std::string>().empty())
            fields.fail("alts", "holds a non-string or empty allele");
        position.alts.push_back(upper(alt.get<std::string>()));
    }
    position.hgvs = fields.optional_string("chromosomeHgvsName");
    return position;
}

std::optional<double> parse_activity(const json& value) {
    if (value.is_number()) return value.get<double>();
    if (!value.is_string()) return std::nullopt;
    const std::string text = value.get<std::string>();
    try {
        std::size_t used = 0;
        const double number = std::stod(text, &used);
        if (used == text.size()) return number;
    } catch (const std::exception&) {
    }
    return std::nullopt;  // "n/a"
}

PhenotypeTable load_phenotypes(const std::string& path) {
    const json root = read_json(path);
    Fields fields(path, root, "");
    PhenotypeTable table;
    table.path = path;
    table.version = fields.optional_string("version");
    std::size_t index = 0;
    for (const auto& entry : fields.array("namedAlleles")) {
        Fields allele(path, entry, "namedAlleles[" + std::to_string(index++) + "]");
        PhenotypeTable::Haplotype haplotype;
        haplotype.function = allele.optional_string("functionValue");
        if (allele.has("activityValue")) haplotype.activity_value = parse_activity(allele.get("activityValue"));
        table.haplotypes[allele.string("name")] = haplotype;
    }
    index = 0;
    for (const auto& entry : fields.array("diplotypes")) {
        Fields diplotype(path, entry, "diplotypes[" + std::to_string(index++) + "]");
        PhenotypeTable::Diplotype row;
        const json& key = diplotype.get("diplotypekey");
        if (!key.is_object() || key.empty()) diplotype.fail("diplotypekey", "is not a non-empty object");
        int copies = 0;
        for (const auto& [name, count] : key.items()) {
            if (!count.is_number_integer()) diplotype.fail("diplotypekey", "counts must be integers");
            row.alleles[name] = count.get<int>();
            copies += count.get<int>();
        }
        if (copies != 2) diplotype.fail("diplotypekey", "does not name two alleles");
        row.phenotype =
            diplotype.has("phenotype") ? diplotype.string("phenotype") : diplotype.optional_string("generesult");
        if (diplotype.has("activityScore")) row.activity_score = parse_activity(diplotype.get("activityScore"));
        table.diplotypes.push_back(std::move(row));
    }
    return table;
}

GeneDefinition load_definition(const std::string& path) {
    const json root = read_json(path);
    Fields fields(path, root, "");
    GeneDefinition gene;
    gene.definition_path = path;
    gene.gene = fields.string("gene");
    gene.chromosome = fields.string("chromosome");
    gene.version = fields.optional_string("version");
    gene.genome_build = fields.optional_string("genomeBuild");
    if (!gene.genome_build.empty() && gene.genome_build.rfind("GRCh38", 0) != 0)
        fields.fail("genomeBuild", "is '" + gene.genome_build + "'; genodose expects GRCh38 definitions");
    std::size_t index = 0;
    for (const auto& variant : fields.array("variants")) {
        gene.positions.push_back(parse_position(path, variant, "variants[" + std::to_string(index++) + "]"));
        if (gene.positions.back().chromosome != gene.chromosome)
            fields.fail("variants",
                        "position on " + gene.positions.back().chromosome + " in a " + gene.chromosome + " gene");
    }
    if (gene.positions.empty()) fields.fail("variants", "is empty");
    index = 0;
    for (const auto& entry : fields.array("namedAlleles")) {
        const std::string where = "namedAlleles[" + std::to_string(index++) + "]";
        Fields allele_fields(path, entry, where);
        NamedAllele allele;
        allele.name = allele_fields.string("name");
        allele.id = allele_fields.optional_string("id");
        allele.reference = allele_fields.boolean("reference");
        const json& alleles = allele_fields.array("alleles");
        if (alleles.size() != gene.positions.size())
            allele_fields.fail("alleles", "has " + std::to_string(alleles.size()) + " entries for " +
                                              std::to_string(gene.positions.size()) + " variants");
        for (const auto& value : alleles) {
            if (value.is_null()) {
                allele.alleles.emplace_back();
            } else if (value.is_string() && !value.get<std::string>().empty()) {
                allele.alleles.emplace_back(upper(value.get<std::string>()));
            } else {
                allele_fields.fail("alleles", "holds a value that is neither null nor an allele");
            }
        }
        if (allele.reference &&
            std::any_of(allele.alleles.begin(), allele.alleles.end(), [](const auto& a) { return !a.has_value(); }))
            allele_fields.fail("alleles", "the reference allele must define every position");
        gene.alleles.push_back(std::move(allele));
    }
    const auto references =
        std::count_if(gene.alleles.begin(), gene.alleles.end(), [](const NamedAllele& a) { return a.reference; });
    if (references != 1) fields.fail("namedAlleles", "must hold exactly one reference allele");
    std::stable_partition(gene.alleles.begin(), gene.alleles.end(), [](const NamedAllele& a) { return a.reference; });
    return gene;
}

std::vector<ReferenceSegment> load_reference_segments(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(file_message(path, "not found or not readable"));
    // ">CYP2C9 NCBI RefSeqGene NG_008385.2, GRCh38 chr10:94933158-94992091 plus strand
    //  (GRCh37 chr10:96692915-96751848); gene on + strand"
    static const std::regex header_pattern(
        R"(^>(\S+) .*GRCh38 (\S+):(\d+)-(\d+) plus strand \(GRCh37 (\S+):(\d+)-(\d+)\); gene on ([+-]) strand)");
    std::vector<ReferenceSegment> segments;
    std::vector<std::pair<std::int64_t, std::int64_t>> header_lengths;  // GRCh38, GRCh37
    std::string line;
    std::size_t line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        if (line[0] != '>') {
            if (segments.empty()) throw InputError(file_message(path, "sequence before the first header"));
            segments.back().sequence += upper(line);
            continue;
        }
        std::smatch match;
        if (!std::regex_search(line, match, header_pattern))
            throw InputError(file_message(path, "line " + std::to_string(line_number) +
                                                    ": header lacks 'GRCh38 chr:start-end plus strand (GRCh37 "
                                                    "chr:start-end); gene on +/- strand'"));
        if (match[2].str() != match[5].str())
            throw InputError(
                file_message(path, "line " + std::to_string(line_number) + ": GRCh38 and GRCh37 chromosomes differ"));
        ReferenceSegment segment;
        segment.name = match[1].str();
        segment.chromosome = match[2].str();
        segment.grch38_begin = std::stoll(match[3].str()) - 1;
        segment.grch37_begin = std::stoll(match[6].str()) - 1;
        segment.gene_strand = match[8].str()[0];
        header_lengths.emplace_back(std::stoll(match[4].str()) - segment.grch38_begin,
                                    std::stoll(match[7].str()) - segment.grch37_begin);
        segments.push_back(std::move(segment));
    }
    if (segments.empty()) throw InputError(file_message(path, "no sequences"));
    // A fixed offset maps GRCh38 to GRCh37 only if both intervals have the sequence's length
    // (no indel between the RefSeqGene and either assembly).
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto length = static_cast<std::int64_t>(segments[i].sequence.size());
        if (header_lengths[i].first != length || header_lengths[i].second != length)
            throw InputError(file_message(
                path, segments[i].name + ": sequence is " + std::to_string(length) + " bp but the header gives " +
                          std::to_string(header_lengths[i].first) + " bp (GRCh38) and " +
                          std::to_string(header_lengths[i].second) + " bp (GRCh37); a fixed offset cannot map it"));
    }
    return segments;
}

std::string resolve(const std::string& directory, const std::string& relative) {
    return (fs::path(directory) / relative).string();
}

}  // namespace

namespace {

PgxDataset load_pgx_dataset_unchecked(const std::string& directory);

}  // namespace

PgxDataset load_pgx_dataset(const std::string& directory) {
    // Field-level checks name the field; a value of the wrong JSON type deep inside a PharmCAT
    // file still becomes a one-line InputError rather than an internal error.
    try {
        return load_pgx_dataset_unchecked(directory);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file_message(directory, std::string("malformed allele definition data: ") + e.what()));
    }
}

namespace {

PgxDataset load_pgx_dataset_unchecked(const std::string& directory) {
    const std::string config_path = resolve(directory, "genodose_pgx.json");
    const json config = read_json(config_path);
    Fields fields(config_path, config, "");
    PgxDataset data;
    data.directory = directory;

    data.segments = load_reference_segments(resolve(directory, fields.string("reference_sequences")));

    const std::string exemptions_path = fields.has("exemptions") ? resolve(directory, fields.string("exemptions")) : "";
    json exemptions = exemptions_path.empty() ? json::object() : read_json(exemptions_path);

    std::size_t index = 0;
    for (const auto& entry : fields.array("genes")) {
        Fields gene_fields(config_path, entry, "genes[" + std::to_string(index++) + "]");
        GeneDefinition gene = load_definition(resolve(directory, gene_fields.string("definition")));
        if (gene.gene != gene_fields.string("gene"))
            gene_fields.fail("gene", "is '" + gene_fields.string("gene") + "' but " + gene.definition_path +
                                         " defines " + gene.gene);
        if (gene_fields.has("phenotype"))
            gene.phenotypes = load_phenotypes(resolve(directory, gene_fields.string("phenotype")));
        if (gene_fields.has("reported_genotypes")) {
            for (const auto& reported : gene_fields.array("reported_genotypes")) {
                Fields reported_fields(config_path, reported, gene_fields.where() + ".reported_genotypes");
                ReportedGenotype genotype{reported_fields.string("rsid"), reported_fields.boolean("gene_strand")};
                if (!gene.position_index(genotype.rsid))
                    reported_fields.fail("rsid", genotype.rsid + " is not a position of " + gene.gene);
                gene.reported_genotypes.push_back(genotype);
            }
        }
        const std::string segment_name =
            gene_fields.has("reference_sequence") ? gene_fields.string("reference_sequence") : gene.gene;
        const ReferenceSegment* segment = nullptr;
        for (const auto& candidate : data.segments)
            if (candidate.name == segment_name) segment = &candidate;
        if (!segment)
            gene_fields.fail("reference_sequence", "no sequence named " + segment_name + " in the reference FASTA");
        gene.gene_strand = segment->gene_strand;

        if (exemptions.is_object() && exemptions.contains(gene.gene)) {
            Fields exemption(exemptions_path, exemptions[gene.gene], gene.gene);
            if (exemption.has("ignoredAlleles"))
                for (const auto& name : exemption.array("ignoredAlleles"))
                    gene.ignored_alleles.push_back(name.get<std::string>());
            if (exemption.has("amp1Alleles"))
                for (const auto& name : exemption.array("amp1Alleles"))
                    gene.amp1_alleles.push_back(name.get<std::string>());
            if (exemption.has("amp1Positions"))
                for (const auto& position : exemption.array("amp1Positions"))
                    gene.amp1_positions.push_back(position.get<std::int64_t>() - 1);
            if (exemption.has("extraPositions")) {
                std::size_t extra = 0;
                for (const auto& position : exemption.array("extraPositions"))
                    gene.extra_positions.push_back(parse_position(
                        exemptions_path, position, gene.gene + ".extraPositions[" + std::to_string(extra++) + "]"));
            }
        }
        data.genes.push_back(std::move(gene));
    }
    if (data.genes.empty()) fields.fail("genes", "is empty");

    if (fields.has("grch37_liftover")) {
        index = 0;
        for (const auto& entry : fields.array("grch37_liftover")) {
            Fields liftover(config_path, entry, "grch37_liftover[" + std::to_string(index++) + "]");
            data.liftovers.push_back({liftover.optional_string("rsid"), liftover.string("chromosome"),
                                      liftover.integer("grch38_position") - 1,
                                      liftover.integer("grch37_position") - 1});
        }
    }
    if (fields.has("contig_lengths")) {
        const json& lengths = fields.get("contig_lengths");
        if (!lengths.is_object()) fields.fail("contig_lengths", "is not an object");
        for (const auto& [build_name, contigs] : lengths.items()) {
            const GenomeBuild build = build_name == "GRCh37" ? GenomeBuild::grch37 : GenomeBuild::grch38;
            if (build_name != "GRCh37" && build_name != "GRCh38")
                fields.fail("contig_lengths", "unknown build " + build_name);
            for (const auto& [contig, length] : contigs.items())
                data.contig_lengths[build][contig] = length.get<std::int64_t>();
        }
    }

    // The REF checks and indel normalisation trust the RefSeqGene sequence: it must agree with
    // every definition's reference allele.
    for (const auto& gene : data.genes) {
        for (const auto& position : gene.positions) {
            const std::string bases =
                data.reference_bases(position.chromosome, position.position, position.end(), GenomeBuild::grch38);
            if (bases.empty())
                throw InputError(file_message(
                    gene.definition_path, position.label() + " lies outside the RefSeqGene sequence of " + gene.gene));
            if (bases != position.ref)
                throw InputError(file_message(
                    gene.definition_path,
                    position.label() + ": reference allele " + position.ref + " but the GRCh38 sequence has " + bases));
        }
    }
    return data;
}

}  // namespace

std::vector<GenotypingTarget> genotyping_targets(const PgxDataset& data, GenomeBuild build) {
    std::vector<GenotypingTarget> targets;
    for (const auto& gene : data.genes) {
        const auto add = [&](const DefinedPosition& position, std::size_t index, bool defines_alleles) {
            GenotypingTarget target;
            target.gene = gene.gene;
            target.gene_position = index;
            target.defines_alleles = defines_alleles;
            target.rsid = position.rsid;
            target.chromosome = position.chromosome;
            target.grch38_position = position.position;
            target.position = data.lift(position.chromosome, position.position, position.label(), build);
            target.ref = position.ref;
            target.alts = position.alts;
            const bool amp1 = std::find(gene.amp1_positions.begin(), gene.amp1_positions.end(), position.position) !=
                              gene.amp1_positions.end();
            const bool reported =
                std::any_of(gene.reported_genotypes.begin(), gene.reported_genotypes.end(),
                            [&](const ReportedGenotype& r) { return !r.rsid.empty() && r.rsid == position.rsid; });
            target.key = amp1 || reported || !defines_alleles;
            targets.push_back(std::move(target));
        };
        for (std::size_t i = 0; i < gene.positions.size(); ++i) add(gene.positions[i], i, true);
        for (std::size_t i = 0; i < gene.extra_positions.size(); ++i) add(gene.extra_positions[i], i, false);
    }
    return targets;
}

}  // namespace genodose::pgx
