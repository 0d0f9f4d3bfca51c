#include "genodose/calling/joint_genotyper.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <queue>

#include "genodose/core/error.hpp"
#include "genodose/io/vcf_reader.hpp"
#include "genodose/io/vcf_writer.hpp"

namespace genodose {

namespace {

bool is_symbolic_other_allele(const std::string& allele) { return allele == "<*>" || allele == "<NON_REF>"; }

std::string site_name(const VariantRecord& record) { return record.contig + ":" + std::to_string(record.position + 1); }

// One input gVCF read record by record; `head` is its next unprocessed record.
class GvcfStream {
public:
    GvcfStream(const std::string& path, const std::map<std::string, std::size_t>& contig_order)
        : reader_(path), contig_order_(contig_order) {}

    const std::string& path() const { return reader_.path(); }
    const VcfReader& reader() const { return reader_; }
    bool has_head() const { return has_head_; }
    const VariantRecord& head() const { return head_; }
    std::size_t contig_index() const { return contig_index_; }
    std::uint64_t records_read() const { return records_read_; }

    // A reference block: no allele but REF and the symbolic one.
    bool head_is_block() const { return head_.alts.size() == 1; }
    // 1-based allele index of <*>/<NON_REF> in the head record.
    int head_other_allele() const { return other_allele_; }

    void advance() {
        has_head_ = reader_.next(head_);
        if (!has_head_) {
            if (records_read_ == 0) throw InputError(file_message(path(), "has no records: not a gVCF"));
            return;
        }
        ++records_read_;
        other_allele_ = 0;
        for (std::size_t a = 0; a < head_.alts.size(); ++a)
            if (is_symbolic_other_allele(head_.alts[a])) other_allele_ = static_cast<int>(a + 1);
        if (other_allele_ == 0)
            throw InputError(
                file_message(path(), "not a gVCF: record " + site_name(head_) + " has no <*> or <NON_REF> allele"),
                "joint genotyping merges the gVCFs of genodose call --gvcf, not VCFs");
        if (head_.genotypes.empty() || head_.genotypes[0].alleles.empty())
            throw InputError(file_message(path(), "record " + site_name(head_) + " has no genotype (GT)"));
        const auto contig = contig_order_.find(head_.contig);
        if (contig == contig_order_.end())
            throw InputError(file_message(path(), "record " + site_name(head_) + ": contig " + head_.contig +
                                                      " is not among the ##contig lines of the header"));
        if (records_read_ > 1 && (contig->second < contig_index_ ||
                                  (contig->second == contig_index_ && head_.position < previous_position_)))
            throw InputError(file_message(path(), "not sorted: " + site_name(head_) + " comes after " +
                                                      previous_contig_ + ":" + std::to_string(previous_position_ + 1)),
                             "sort it with bcftools sort and index it with tabix");
        contig_index_ = contig->second;
        previous_contig_ = head_.contig;
        previous_position_ = head_.position;
    }

private:
    VcfReader reader_;
    const std::map<std::string, std::size_t>& contig_order_;
    VariantRecord head_;
    bool has_head_ = false;
    int other_allele_ = 0;
    std::size_t contig_index_ = 0;
    std::string previous_contig_;
    std::int64_t previous_position_ = 0;
    std::uint64_t records_read_ = 0;
};

bool calls_non_reference(const Genotype& genotype) {
    return std::any_of(genotype.alleles.begin(), genotype.alleles.end(), [](int allele) { return allele > 0; });
}

std::string join_ints(const std::vector<int>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) text += ',';
        text += values[i] < 0 ? "." : std::to_string(values[i]);
    }
    return text;
}

std::string integer_or_missing(int value) { return value < 0 ? "." : std::to_string(value); }

// The merged alleles of one site and, per record at the site, where each of its alleles went.
struct MergedSite {
    std::string ref;
    std::vector<std::string> alts;
};

class JointGenotyper {
public:
    explicit JointGenotyper(const JointOptions& options) : options_(options) {}

    JointSummary run() {
        const auto start = std::chrono::steady_clock::now();
        open_inputs();
        VcfWriter writer(options_.output_path, output_header());
        // Each input is queued by where its next event is: a variant record at its position, a
        // reference block at its end (the record after it starts there or later). A block sorts
        // before a variant at the same place, so that when a variant is at the top, every block
        // that ends at or before it has been moved past and any variant it hid is queued.
        for (std::size_t i = 0; i < streams_.size(); ++i) {
            streams_[i]->advance();
            enqueue(i);
        }
        std::vector<std::size_t> at_site;
        while (!queue_.empty()) {
            const QueueEntry top = queue_.top();
            if (top.is_block) {
                queue_.pop();
                streams_[top.stream]->advance();
                enqueue(top.stream);
                continue;
            }
            at_site.clear();
            while (!queue_.empty() && !queue_.top().is_block && queue_.top().contig == top.contig &&
                   queue_.top().position == top.position) {
                at_site.push_back(queue_.top().stream);
                queue_.pop();
            }
            std::sort(at_site.begin(), at_site.end());  // samples in input order
            genotype_site(at_site, writer);
            for (std::size_t i : at_site) {
                streams_[i]->advance();
                enqueue(i);
            }
        }
        writer.close();
        for (const auto& stream : streams_) summary_.records_read += stream->records_read();
        summary_.samples = streams_.size();
        summary_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return summary_;
    }

private:
    void open_inputs() {
        if (options_.gvcf_paths.empty()) throw UsageError("no gVCF given");
        std::map<std::string, std::string> file_of_sample;
        for (const auto& path : options_.gvcf_paths) {
            if (streams_.empty()) {
                // The first file's contigs set the order every input must follow.
                const VcfReader first(path);
                contigs_ = first.contigs();
                if (contigs_.empty())
                    throw InputError(
                        file_message(path, "the header has no ##contig lines: not a gVCF of genodose call"));
                for (std::size_t i = 0; i < contigs_.size(); ++i) contig_order_[contigs_[i].name] = i;
            }
            streams_.push_back(std::make_unique<GvcfStream>(path, contig_order_));
            const VcfReader& reader = streams_.back()->reader();
            if (reader.samples().size() != 1)
                throw InputError(file_message(path, "has " + std::to_string(reader.samples().size()) +
                                                        " samples; joint genotyping takes one gVCF per sample"));
            if (!reader.has_genotypes())
                throw InputError(file_message(path, "the header declares no FORMAT/GT: not a gVCF"));
            const std::string& sample = reader.samples()[0];
            const auto [previous, inserted] = file_of_sample.emplace(sample, path);
            if (!inserted)
                throw InputError(
                    file_message(path, "sample name '" + sample + "' is also the sample of " + previous->second),
                    "rename one of them (bcftools reheader --samples) so that every sample has its own name");
            samples_.push_back(sample);
            if (!same_contigs(reader.contigs(), contigs_))
                throw InputError(file_message(path, "its ##contig lines (names or lengths) differ from those of " +
                                                        options_.gvcf_paths[0] + ": called on another reference?"));
        }
    }

    static bool same_contigs(const std::vector<Contig>& a, const std::vector<Contig>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].name != b[i].name || a[i].length != b[i].length) return false;
        return true;
    }

    VcfHeaderSpec output_header() const {
        VcfHeaderSpec header;
        header.source = options_.source;
        header.contigs = contigs_;
        header.command_line = options_.command_line;
        header.samples = samples_;
        header.meta_lines = {
            "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
            "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality from the sample's gVCF (its "
            "variant record, or the reference block covering the site)\">",
            "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth (MIN_DP of the reference block where the "
            "sample has no variant record)\">",
            "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Reads supporting each allele (reference first); at a "
            "reference block: MIN_DP for the reference, 0 for the alts\">",
            "##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods from the sample's "
            "gVCF; alleles the sample did not see take the likelihoods of its <*> allele\">",
        };
        return header;
    }

    struct QueueEntry {
        std::size_t contig;
        std::int64_t position;  // a variant's position, a block's end
        bool is_block;
        std::size_t stream;
        // priority_queue keeps the largest on top: "less" here means later.
        bool operator<(const QueueEntry& other) const {
            if (contig != other.contig) return contig > other.contig;
            if (position != other.position) return position > other.position;
            if (is_block != other.is_block) return !is_block;
            return stream > other.stream;
        }
    };

    void enqueue(std::size_t i) {
        const GvcfStream& stream = *streams_[i];
        if (!stream.has_head()) return;
        const bool block = stream.head_is_block();
        queue_.push({stream.contig_index(), block ? stream.head().reference_end : stream.head().position, block, i});
    }

    // The records (not blocks) of every sample at one position, merged into one site.
    void genotype_site(const std::vector<std::size_t>& at_site, VcfWriter& writer) {
        bool called_and_passing = false;
        for (std::size_t i : at_site) {
            const VariantRecord& record = streams_[i]->head();
            if (calls_non_reference(record.genotypes[0]) && record.passes_filters()) called_and_passing = true;
        }
        if (called_and_passing) write_site(at_site, writer);
    }

    void write_site(const std::vector<std::size_t>& at_site_indices, VcfWriter& writer) {
        std::vector<const GvcfStream*> at_site;
        for (std::size_t i : at_site_indices) at_site.push_back(streams_[i].get());
        // REF: the longest; a record with a shorter REF must be its prefix (same reference).
        const VariantRecord* longest = &at_site[0]->head();
        for (const GvcfStream* stream : at_site)
            if (stream->head().ref.size() > longest->ref.size()) longest = &stream->head();
        MergedSite site;
        site.ref = longest->ref;
        for (const GvcfStream* stream : at_site) {
            const VariantRecord& record = stream->head();
            if (site.ref.compare(0, record.ref.size(), record.ref) != 0)
                throw InputError(file_message(stream->path(), site_name(record) + ": REF " + record.ref +
                                                                  " differs from REF " + longest->ref +
                                                                  " of another gVCF: called on another reference?"));
        }
        // Alleles any sample calls, in order of first appearance (inputs in the order given).
        for (const GvcfStream* stream : at_site) {
            const VariantRecord& record = stream->head();
            for (int allele : record.genotypes[0].alleles) {
                if (allele <= 0 || allele == stream->head_other_allele()) continue;
                const std::string extended =
                    record.alts[static_cast<std::size_t>(allele - 1)] + site.ref.substr(record.ref.size());
                if (std::find(site.alts.begin(), site.alts.end(), extended) == site.alts.end())
                    site.alts.push_back(extended);
            }
        }
        if (site.alts.empty()) return;  // the only calls were <*>: nothing to genotype

        VcfOutputRecord out;
        out.contig = longest->contig;
        out.position = longest->position;
        out.ref = site.ref;
        out.alts = site.alts;
        out.filters = {"PASS"};
        out.format_keys = {"GT", "GQ", "DP", "AD", "PL"};
        double quality = std::nan("");
        for (const GvcfStream* stream : at_site)
            if (!std::isnan(stream->head().quality) && !(stream->head().quality <= quality))
                quality = stream->head().quality;
        out.quality = quality;
        out.sample_values.reserve(streams_.size());
        for (const auto& stream : streams_) {
            const bool own_record = std::find(at_site.begin(), at_site.end(), stream.get()) != at_site.end();
            out.sample_values.push_back(own_record ? from_own_record(*stream, site)
                                                   : from_reference_block(*stream, out));
        }
        writer.write(out);
        ++summary_.sites;
        if (site.alts.size() > 1) ++summary_.multiallelic_sites;
    }

    // Values of a sample at a site where it has its own record: alleles renumbered.
    static std::vector<std::string> from_own_record(const GvcfStream& stream, const MergedSite& site) {
        const VariantRecord& record = stream.head();
        const std::size_t n_alleles = site.alts.size() + 1;
        // to_record[i]: the record's allele for merged allele i (<*> for one it did not see).
        std::vector<int> to_record(n_alleles, stream.head_other_allele());
        to_record[0] = 0;
        std::vector<int> to_merged(record.alts.size() + 1, -1);
        to_merged[0] = 0;
        for (std::size_t a = 0; a < record.alts.size(); ++a) {
            const std::string extended = record.alts[a] + site.ref.substr(record.ref.size());
            const auto found = std::find(site.alts.begin(), site.alts.end(), extended);
            if (found == site.alts.end()) continue;
            const int merged = static_cast<int>(found - site.alts.begin()) + 1;
            to_record[static_cast<std::size_t>(merged)] = static_cast<int>(a + 1);
            to_merged[a + 1] = merged;
        }
        const Genotype& genotype = record.genotypes[0];
        std::vector<int> merged_alleles;
        for (int allele : genotype.alleles)
            merged_alleles.push_back(allele < 0 ? -1 : to_merged[static_cast<std::size_t>(allele)]);
        // Renumbering can reorder an unphased genotype (1/2 → 2/1): written in ascending order.
        if (!genotype.phased)
            std::sort(merged_alleles.begin(), merged_alleles.end(),
                      [](int a, int b) { return a >= 0 && (b < 0 || a < b); });
        std::string gt;
        for (std::size_t i = 0; i < merged_alleles.size(); ++i) {
            if (i) gt += genotype.phased ? '|' : '/';
            gt += merged_alleles[i] < 0 ? "." : std::to_string(merged_alleles[i]);
        }
        std::vector<int> allele_depths;
        const std::vector<int>& record_depths = record.allele_depths[0];
        if (record_depths.size() == record.alts.size() + 1) {
            allele_depths.assign(n_alleles, 0);
            for (std::size_t i = 0; i < n_alleles; ++i)
                if (i == 0 || to_record[i] != stream.head_other_allele())
                    allele_depths[i] = record_depths[static_cast<std::size_t>(to_record[i])];
        }
        std::vector<int> likelihoods;
        const std::vector<int>& record_likelihoods = record.phred_likelihoods[0];
        const std::size_t record_alleles = record.alts.size() + 1;
        if (record_likelihoods.size() == record_alleles * (record_alleles + 1) / 2) {
            for (std::size_t k = 0; k < n_alleles; ++k) {
                for (std::size_t j = 0; j <= k; ++j) {
                    const int a = std::min(to_record[j], to_record[k]), b = std::max(to_record[j], to_record[k]);
                    likelihoods.push_back(record_likelihoods[static_cast<std::size_t>(diploid_genotype_index(a, b))]);
                }
            }
            const int best = *std::min_element(likelihoods.begin(), likelihoods.end());
            for (int& value : likelihoods) value -= best;  // normalised: the likeliest genotype is 0
        }
        return {gt, integer_or_missing(record.genotype_qualities[0]), integer_or_missing(record.depths[0]),
                allele_depths.empty() ? "." : join_ints(allele_depths),
                likelihoods.empty() ? "." : join_ints(likelihoods)};
    }

    // Values of a sample at a site where it has no record of its own: the reference block
    // covering the site's position, or missing.
    static std::vector<std::string> from_reference_block(const GvcfStream& stream, const VcfOutputRecord& site) {
        const std::vector<std::string> missing{"./.", ".", ".", ".", "."};
        if (!stream.has_head() || !stream.head_is_block()) return missing;
        const VariantRecord& block = stream.head();
        if (block.contig != site.contig || block.position > site.position || block.reference_end <= site.position)
            return missing;
        const Genotype& genotype = block.genotypes[0];
        const int depth = block.min_depths[0] >= 0 ? block.min_depths[0] : block.depths[0];
        if (genotype.has_missing_allele()) return {"./.", ".", integer_or_missing(depth), ".", "."};
        const std::size_t n_alleles = site.alts.size() + 1;
        std::vector<int> allele_depths(n_alleles, 0);
        allele_depths[0] = depth;
        std::vector<int> likelihoods;
        const std::vector<int>& block_likelihoods = block.phred_likelihoods[0];
        if (block_likelihoods.size() == 3) {
            // Any alt of the site is "not the reference" to the block: PL by the number of alt copies.
            for (std::size_t k = 0; k < n_alleles; ++k)
                for (std::size_t j = 0; j <= k; ++j) likelihoods.push_back(block_likelihoods[(j > 0) + (k > 0)]);
        }
        return {"0/0", integer_or_missing(block.genotype_qualities[0]), integer_or_missing(depth),
                depth < 0 ? "." : join_ints(allele_depths), likelihoods.empty() ? "." : join_ints(likelihoods)};
    }

    const JointOptions& options_;
    std::vector<std::unique_ptr<GvcfStream>> streams_;
    std::vector<Contig> contigs_;
    std::map<std::string, std::size_t> contig_order_;
    std::vector<std::string> samples_;
    std::priority_queue<QueueEntry> queue_;
    JointSummary summary_;
};

}  // namespace

JointSummary joint_genotype(const JointOptions& options) { return JointGenotyper(options).run(); }

}  // namespace genodose
