// call_variants (reads → VCF records) and call_sites (genotypes at given positions) on
// caller.bam: a designed pileup with known genotypes (tests/data/calling/README.md), called with
// the shipped model.
#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include "../test_paths.hpp"
#include "genodose/calling/site_caller.hpp"
#include "genodose/calling/variant_caller.hpp"
#include "genodose/io/reference_genome.hpp"
#include "genodose/io/vcf_reader.hpp"

using namespace genodose;

namespace {

// caller.bam: 100 bp reads starting every 4 bp over ctg1:201-1600 (1-based), 25 reads deep;
// ctg1 beyond 1600 and ctg2 have no reads. Positions here are 0-based.
constexpr std::int64_t hom_alt_snv = 500;        // every read carries it
constexpr std::int64_t het_snv = 900;            // every other read
constexpr std::int64_t het_deletion = 1199;      // anchor base; every other read deletes the next two bases
constexpr std::int64_t run_deletion = 1299;      // anchor C of an AAAAA run; every other read deletes one A
constexpr std::int64_t low_fraction_snv = 1450;  // 5 of 25 reads: a candidate, not a variant
constexpr std::int64_t reference_only = 700;     // covered, no variant
constexpr int depth = 25;                        // e.g. at 500: reads starting 404, 408, ..., 500

std::string reference_path() { return test::data_path("calling/caller_ref.fa"); }
std::string reads_path() { return test::data_path("calling/caller.bam"); }
std::string model_path() { return std::string(GENODOSE_SOURCE_DIR) + "/models/caller.cnn"; }

// The same base as `base`, changed the way make-caller-fixtures.sh changes it.
std::string substituted(char base) {
    switch (base) {
        case 'A': return "G";
        case 'C': return "T";
        case 'G': return "A";
        default: return "C";
    }
}

CallOptions call_options(const std::string& output) {
    CallOptions options;
    options.reference_path = reference_path();
    options.reads_path = reads_path();
    options.model_path = model_path();
    options.output_path = output;
    options.command_line = "unit test";
    options.source = "genodose test";
    return options;
}

std::vector<VariantRecord> read_records(const std::string& path) {
    VcfReader reader(path);
    std::vector<VariantRecord> records;
    VariantRecord record;
    while (reader.next(record)) records.push_back(record);
    return records;
}

const VariantRecord* record_at(const std::vector<VariantRecord>& records, std::int64_t position) {
    for (const auto& record : records)
        if (record.position == position) return &record;
    return nullptr;
}

// What a record says about the sample, for comparing two calls of the same reads.
using RecordKey = std::tuple<std::string, std::int64_t, std::string, std::vector<std::string>, std::vector<std::string>,
                             std::string, int, std::vector<int>, std::vector<int>>;
RecordKey key_of(const VariantRecord& r) {
    return {r.contig,    r.position,         r.ref,
            r.alts,      r.filters,          r.genotypes[0].to_string(),
            r.depths[0], r.allele_depths[0], r.phred_likelihoods[0]};
}

}  // namespace

TEST_CASE("a hom-alt SNV, a het SNV and het deletions are called with their genotype, AD and DP", "[variant_caller]") {
    test::ScratchFolder scratch;
    const ReferenceGenome reference(reference_path());
    const std::string ctg1 = reference.fetch({"ctg1", 0, 2000});
    CallOptions options = call_options(scratch.file("calls.vcf"));
    options.regions = {{"ctg1", 0, 2000}};
    const CallResult result = call_variants(options);
    const auto records = read_records(options.output_path);

    const VariantRecord* hom = record_at(records, hom_alt_snv);
    REQUIRE(hom);
    CHECK(hom->ref == std::string(1, ctg1[hom_alt_snv]));
    CHECK(hom->alts == std::vector<std::string>{substituted(ctg1[hom_alt_snv])});
    CHECK(hom->genotypes[0].to_string() == "1/1");
    CHECK(hom->filters == std::vector<std::string>{"PASS"});
    CHECK(hom->depths[0] == depth);
    CHECK(hom->allele_depths[0] == std::vector<int>{0, depth});

    const VariantRecord* het = record_at(records, het_snv);
    REQUIRE(het);
    CHECK(het->alts == std::vector<std::string>{substituted(ctg1[het_snv])});
    CHECK(het->genotypes[0].to_string() == "0/1");
    CHECK(het->depths[0] == depth);
    CHECK(het->allele_depths[0][0] + het->allele_depths[0][1] == depth);
    CHECK(het->allele_depths[0][1] >= 12);

    const VariantRecord* deletion = record_at(records, het_deletion);
    REQUIRE(deletion);
    CHECK(deletion->ref == ctg1.substr(het_deletion, 3));
    CHECK(deletion->alts == std::vector<std::string>{ctg1.substr(het_deletion, 1)});
    CHECK(deletion->genotypes[0].to_string() == "0/1");

    // The reads delete the run's last A; the record is left-aligned onto the C before the run.
    const VariantRecord* run = record_at(records, run_deletion);
    REQUIRE(run);
    CHECK(run->ref == "CA");
    CHECK(run->alts == std::vector<std::string>{"C"});
    CHECK(run->genotypes[0].to_string() == "0/1");

    const VariantRecord* low = record_at(records, low_fraction_snv);
    REQUIRE(low);
    CHECK(low->genotypes[0].to_string() == "0/0");
    CHECK(low->filters == std::vector<std::string>{"RefCall"});
    CHECK(low->allele_depths[0] == std::vector<int>{20, 5});

    // Nothing else: the reads show no other difference from the reference.
    std::set<std::int64_t> non_reference;
    for (const auto& record : records)
        if (record.filters != std::vector<std::string>{"RefCall"}) non_reference.insert(record.position);
    CHECK(non_reference == std::set<std::int64_t>{hom_alt_snv, het_snv, het_deletion, run_deletion});
    CHECK(result.summary.variant_records == 4);
    CHECK(result.summary.pass_records == 4);
    CHECK(result.summary.candidate_sites == records.size());
}

TEST_CASE("a region without reads gives no records and no candidates", "[variant_caller]") {
    test::ScratchFolder scratch;
    CallOptions options = call_options(scratch.file("calls.vcf"));
    options.regions = {{"ctg2", 0, 500}};
    CallResult result = call_variants(options);
    CHECK(read_records(options.output_path).empty());
    CHECK(result.summary.reads == 0);
    CHECK(result.summary.candidate_sites == 0);

    // Reads end at 1600: within the reads' fetch padding of [1700, 2000), but none overlaps it.
    options.regions = {{"ctg1", 1700, 2000}};
    result = call_variants(options);
    CHECK(read_records(options.output_path).empty());
    CHECK(result.summary.candidate_sites == 0);
    CHECK(result.summary.variant_records == 0);
}

TEST_CASE("chunk boundaries neither duplicate nor drop records", "[variant_caller]") {
    test::ScratchFolder scratch;
    CallOptions whole = call_options(scratch.file("whole.vcf"));
    whole.regions = {{"ctg1", 0, 2000}};
    call_variants(whole);
    std::vector<RecordKey> expected;
    for (const auto& record : read_records(whole.output_path)) expected.push_back(key_of(record));
    REQUIRE(expected.size() >= 3);

    // 100 bp chunks start exactly at the SNVs (500, 900) and at the deleted bases (1200), so the
    // deletion's anchor and its deleted bases fall in different chunks; 7 and 333 bp chunks cut
    // elsewhere. Each chunking must give the same records.
    for (const std::int64_t chunk_size : {100, 7, 333}) {
        CAPTURE(chunk_size);
        CallOptions chunked = call_options(scratch.file("chunked" + std::to_string(chunk_size) + ".vcf"));
        chunked.regions = whole.regions;
        chunked.chunk_size = chunk_size;
        chunked.threads = 2;
        call_variants(chunked);
        std::vector<RecordKey> got;
        for (const auto& record : read_records(chunked.output_path)) got.push_back(key_of(record));
        CHECK(got == expected);
    }
}

TEST_CASE("forced sites: called where the reads say so, not called where there are none", "[site_caller]") {
    const ReferenceGenome reference(reference_path());
    const std::string ctg1 = reference.fetch({"ctg1", 0, 2000});
    auto site = [&](const std::string& contig, std::int64_t position) {
        const char base = reference.fetch({contig, position, position + 1})[0];
        return ForcedSite{contig, position, std::string(1, base), {substituted(base)}};
    };
    const std::vector<ForcedSite> sites = {
        site("ctg1", hom_alt_snv),
        site("ctg1", het_snv),
        {"ctg1", het_deletion, ctg1.substr(het_deletion, 3), {ctg1.substr(het_deletion, 1)}},
        site("ctg1", reference_only),
        site("ctg1", 1800),                       // beyond the reads
        site("ctg2", 250),                        // a contig without reads
        {"ctg1", run_deletion + 4, "AA", {"A"}},  // the run deletion, spelled at the run's end
    };
    SiteCallingOptions options;
    options.reference_path = reference_path();
    options.reads_path = reads_path();
    options.model_path = model_path();
    SiteCallingSummary summary;
    const std::vector<SiteCall> calls = call_sites(options, sites, &summary);
    REQUIRE(calls.size() == sites.size());

    CHECK(calls[0].called);
    CHECK(calls[0].alleles == std::vector<std::string>{sites[0].alts[0], sites[0].alts[0]});
    CHECK(calls[0].depth == depth);

    CHECK(calls[1].called);
    CHECK(calls[1].alleles == std::vector<std::string>{sites[1].ref, sites[1].alts[0]});

    CHECK(calls[2].called);
    CHECK(calls[2].alleles == std::vector<std::string>{sites[2].ref, sites[2].alts[0]});

    CHECK(calls[3].called);
    CHECK(calls[3].alleles == std::vector<std::string>{sites[3].ref, sites[3].ref});
    CHECK(calls[3].depth == depth);
    CHECK(calls[3].genotype_quality >= options.min_reference_gq);

    // Found through the candidate left-aligned 4 bases before the site; the site's own spelling.
    CHECK(calls[6].called);
    CHECK(calls[6].alleles == std::vector<std::string>{"AA", "A"});

    for (std::size_t i : {4, 5}) {
        CAPTURE(i);
        CHECK_FALSE(calls[i].called);
        CHECK(calls[i].depth == 0);
        CHECK_FALSE(calls[i].detail.empty());
    }
    CHECK(summary.reads > 0);

    // The depth rule reaches the collector: 25 reads are too few for a reference call at 30.
    options.min_depth = 30;
    const std::vector<SiteCall> strict = call_sites(options, {sites[3], sites[0]});
    CHECK_FALSE(strict[0].called);
    CHECK(strict[1].called);  // a candidate's genotype does not need the depth rule
}
