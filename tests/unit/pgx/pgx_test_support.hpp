// Shared helpers for the pgx tests: the shipped dataset, and small VCFs written on the fly.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "genodose/pgx/definitions.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/pgx/observations.hpp"

namespace pgx_test {

using namespace genodose::pgx;

inline std::string pgx_directory() { return std::string(GENODOSE_SOURCE_DIR) + "/data/reference/pgx"; }

inline const PgxDataset& dataset() {
    static const PgxDataset data = load_pgx_dataset(pgx_directory());
    return data;
}

inline const std::vector<GenotypingTarget>& targets(GenomeBuild build = GenomeBuild::grch38) {
    static const std::vector<GenotypingTarget> grch38 = genotyping_targets(dataset(), GenomeBuild::grch38);
    static const std::vector<GenotypingTarget> grch37 = genotyping_targets(dataset(), GenomeBuild::grch37);
    return build == GenomeBuild::grch38 ? grch38 : grch37;
}

// A folder for the files a test writes, removed when the test program exits.
inline std::string scratch_directory() {
    struct Scratch {
        std::string path;
        ~Scratch() {
            std::error_code error;
            std::filesystem::remove_all(path, error);
        }
    };
    static const Scratch scratch{[] {
        const auto path = std::filesystem::temp_directory_path() / ("genodose-pgx-test-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path.string();
    }()};
    return scratch.path;
}

// Index of the target with this rsID (or "chr:pos" 1-based GRCh38 label) among the targets.
inline std::size_t target_index(const std::string& key, GenomeBuild build = GenomeBuild::grch38) {
    const auto& list = targets(build);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string label = list[i].chromosome + ":" + std::to_string(list[i].grch38_position + 1);
        if (list[i].rsid == key || label == key) return i;
    }
    throw std::runtime_error("no target " + key);
}

// A VCF built from the genotyping targets: a "positions" VCF (one record per target, like
// PharmCAT's) when all_reference() is used, or only the records set explicitly.
class VcfBuilder {
public:
    explicit VcfBuilder(std::vector<std::string> samples, GenomeBuild build = GenomeBuild::grch38,
                        bool chr_prefix = true)
        : samples_(std::move(samples)), build_(build), chr_prefix_(chr_prefix) {}

    VcfBuilder& all_reference() {
        for (std::size_t i = 0; i < targets(build_).size(); ++i)
            if (!records_.count(i)) records_[i] = std::vector<std::string>(samples_.size(), "0/0");
        return *this;
    }
    // GT strings per sample (indices into the target's REF/ALT list).
    VcfBuilder& set(const std::string& key, std::vector<std::string> genotypes) {
        genotypes.resize(samples_.size(), genotypes.empty() ? "0/0" : genotypes.back());
        records_[target_index(key, build_)] = std::move(genotypes);
        return *this;
    }
    VcfBuilder& remove(const std::string& key) {
        records_.erase(target_index(key, build_));
        return *this;
    }
    // A raw record line (tab-separated fields after CHROM), e.g. {"94949282", ".", "AA", "A", ...}.
    VcfBuilder& raw(const std::string& line) {
        raw_.push_back(line);
        return *this;
    }
    VcfBuilder& with_format(std::string format) {
        format_ = std::move(format);
        return *this;
    }
    VcfBuilder& with_contig_lengths(std::map<std::string, long long> lengths) {
        contig_lengths_ = std::move(lengths);
        return *this;
    }
    VcfBuilder& with_depth(int depth, int quality) {
        depth_ = depth;
        quality_ = quality;
        return *this;
    }

    std::string contig(const std::string& chromosome) const { return chr_prefix_ ? chromosome : chromosome.substr(3); }

    std::string text() const {
        std::string out = "##fileformat=VCFv4.2\n";
        for (const auto& name : {"chr10", "chr16", "chr19"}) {
            out += "##contig=<ID=" + contig(name);
            if (contig_lengths_.count(name)) out += ",length=" + std::to_string(contig_lengths_.at(name));
            out += ">\n";
        }
        out += "##FILTER=<ID=PASS,Description=\"All filters passed\">\n";
        out += "##FILTER=<ID=LowQual,Description=\"Low quality\">\n";
        if (format_.find("GT") != std::string::npos)
            out += "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
        out += "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n";
        out += "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">\n";
        out += "##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"Phase set\">\n";
        out += "##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description=\"Minimum depth in a gVCF block\">\n";
        out += "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End of a gVCF reference block\">\n";
        out += "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
        for (const auto& sample : samples_) out += "\t" + sample;
        out += "\n";
        struct Line {
            std::string chromosome;
            long long position;
            std::string text;
        };
        std::vector<Line> lines;
        for (const auto& [index, genotypes] : records_) {
            const GenotypingTarget& target = targets(build_)[index];
            std::string alts;
            for (std::size_t i = 0; i < target.alts.size(); ++i) alts += (i ? "," : "") + target.alts[i];
            std::string line = contig(target.chromosome) + "\t" + std::to_string(target.position + 1) + "\t" +
                               (target.rsid.empty() ? "." : target.rsid) + "\t" + target.ref + "\t" + alts +
                               "\t.\tPASS\t.\t" + format_;
            for (const auto& genotype : genotypes) line += "\t" + sample_field(genotype);
            lines.push_back({target.chromosome, target.position, line});
        }
        for (const auto& raw : raw_) {
            const auto tab = raw.find('\t');
            const std::string chromosome = raw.substr(0, tab);
            const long long position = std::stoll(raw.substr(tab + 1, raw.find('\t', tab + 1) - tab - 1));
            lines.push_back({chromosome.rfind("chr", 0) == 0 ? chromosome : "chr" + chromosome, position, raw});
        }
        std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
            return std::tie(a.chromosome, a.position) < std::tie(b.chromosome, b.position);
        });
        for (const auto& line : lines) out += line.text + "\n";
        return out;
    }

    std::string write(const std::string& name) const {
        const std::string path = scratch_directory() + "/" + name;
        std::ofstream(path) << text();
        return path;
    }

private:
    std::string sample_field(const std::string& genotype) const {
        if (format_ == "GT" || format_ == "GT:PS") return genotype;  // GT:PS: "0|1:5" written as given
        if (format_ == "GT:DP:GQ") return genotype + ":" + std::to_string(depth_) + ":" + std::to_string(quality_);
        return std::to_string(depth_);  // "DP" only: no genotype
    }

    std::vector<std::string> samples_;
    GenomeBuild build_;
    bool chr_prefix_;
    std::map<std::size_t, std::vector<std::string>> records_;
    std::vector<std::string> raw_;
    std::string format_ = "GT";
    std::map<std::string, long long> contig_lengths_;
    int depth_ = 30;
    int quality_ = 99;
};

// Genotypes every sample of a VCF as `genodose genotype` does.
inline std::vector<SampleGenotype> genotype_vcf(const std::string& path, GenomeBuild build = GenomeBuild::grch38,
                                                bool missing_to_ref = false, std::vector<std::string> samples = {}) {
    VcfObservations vcf = observations_from_vcf(dataset(), targets(build), {path, samples, build});
    std::vector<SampleGenotype> out;
    for (auto& sample : vcf.samples) {
        if (missing_to_ref) assume_reference_for_missing(targets(build), sample);
        out.push_back(genotype_sample(dataset(), targets(build), sample));
    }
    return out;
}

inline const GeneGenotype& gene(const SampleGenotype& sample, const std::string& name) {
    for (std::size_t g = 0; g < dataset().genes.size(); ++g)
        if (dataset().genes[g].gene == name) return sample.genes[g];
    throw std::runtime_error("no gene " + name);
}

inline std::vector<std::string> diplotypes(const GeneGenotype& genotype) {
    std::vector<std::string> names;
    for (const auto& diplotype : genotype.call.best) names.push_back(diplotype.name);
    return names;
}

inline bool any_note_contains(const GeneGenotype& genotype, const std::string& text) {
    return std::any_of(genotype.call.notes.begin(), genotype.call.notes.end(),
                       [&](const std::string& note) { return note.find(text) != std::string::npos; });
}

inline std::string reported(const GeneGenotype& genotype, const std::string& key) {
    for (const auto& entry : genotype.reported)
        if (entry.key == key) return entry.genotype.value_or("<missing>");
    throw std::runtime_error("no reported genotype " + key);
}

}  // namespace pgx_test
