#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/alignment_reader.hpp"
#include "genodose/io/reference_genome.hpp"

using namespace genodose;

namespace {
std::uint64_t count_passing(AlignmentReader& reader, const GenomicRegion& region) {
    return reader.for_each_read(region, [](const AlignedRead&) {}).passed;
}
}  // namespace

TEST_CASE("BAM reads by region with default filters match samtools", "[alignment]") {
    AlignmentReader reader(test::data_path("io/mini.bam"), {});
    CHECK(reader.sample_names() == std::vector<std::string>{"NA12878"});
    // samtools view -c -q 5 -F 0xF04 mini.bam chr20:10001000-10002000  → 447
    CHECK(count_passing(reader, {"chr20", 10000999, 10002000}) == 447);
    // samtools view -c -q 5 -F 0xF04 mini.bam chr20:10001000-10001000  → 43
    CHECK(count_passing(reader, {"chr20", 10000999, 10001000}) == 43);
}

TEST_CASE("read filters are configurable", "[alignment]") {
    AlignmentReaderOptions options;
    options.filters.min_mapping_quality = 0;
    AlignmentReader reader(test::data_path("io/mini.bam"), options);
    // samtools view -c -F 0xF04 mini.bam chr20:10001000-10001000  → 47
    CHECK(count_passing(reader, {"chr20", 10000999, 10001000}) == 47);
}

TEST_CASE("aligned read view decodes the first read like samtools", "[alignment]") {
    AlignmentReaderOptions options;
    options.filters.min_mapping_quality = 0;
    AlignmentReader reader(test::data_path("io/mini.bam"), options);
    bool seen = false;
    reader.for_each_read({"chr20", 10000999, 10001000}, [&](const AlignedRead& read) {
        if (seen) return;
        seen = true;
        // samtools view mini.bam chr20:10001000-10001000 | head -1: flag 99, pos 10000903, MAPQ 0, 101M
        CHECK(std::string(read.name()) == "HSQ1004:134:C0D8DACXX:1:2206:20981:138070");
        CHECK(read.position == 10000902);
        CHECK(read.end == 10000902 + 101);
        CHECK(read.mapping_quality == 0);
        CHECK_FALSE(read.reverse_strand);
        CHECK(read.cigar_length() == 1);
        CHECK(read.cigar_op(0) == CigarOp::match);
        CHECK(read.cigar_op_length(0) == 101);
        CHECK(read.insert_size == 266);
    });
    CHECK(seen);
}

TEST_CASE("CRAM gives the same reads as BAM", "[alignment]") {
    AlignmentReaderOptions options;
    options.reference_path = test::data_path("io/mini_ref.fa.gz");
    AlignmentReader cram(test::data_path("io/mini.cram"), options);
    AlignmentReader bam(test::data_path("io/mini.bam"), options);
    const GenomicRegion region{"chr20", 10000999, 10002000};
    CHECK(count_passing(cram, region) == count_passing(bam, region));
    AlignmentReaderOptions without_reference;
    CHECK_THROWS_AS(AlignmentReader(test::data_path("io/mini.cram"), without_reference), UsageError);
}

TEST_CASE("BAM and reference must agree", "[alignment][bad-input]") {
    ReferenceGenome reference(test::data_path("io/mini_ref.fa.gz"));
    AlignmentReader matching(test::data_path("io/mini.bam"), {});
    CHECK_NOTHROW(matching.check_against_reference(reference));

    AlignmentReader renamed(test::data_path("io/mini_contig20.bam"), {});
    try {
        renamed.check_against_reference(reference);
        FAIL("expected InputError");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("'20'") != std::string::npos);
        CHECK(what.find("'chr20'") != std::string::npos);
    }
    CHECK(renamed.resolve_contig("chr20") == "20");
}

TEST_CASE("contig lengths that differ are an error naming both lengths", "[alignment][bad-input]") {
    // hg19 chr20 and hs37d5 20 have the same length, so make a reference of another length.
    test::ScratchFolder scratch;
    const auto fasta = scratch.file("short.fa");
    {
        std::FILE* f = std::fopen(fasta.c_str(), "w");
        std::fputs(">chr20\nACGTACGTAC\n", f);
        std::fclose(f);
        std::FILE* index = std::fopen((fasta + ".fai").c_str(), "w");
        std::fputs("chr20\t10\t7\t10\t11\n", index);
        std::fclose(index);
    }
    ReferenceGenome reference(fasta);
    AlignmentReader reader(test::data_path("io/mini.bam"), {});
    try {
        reader.check_against_reference(reference);
        FAIL("expected InputError");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("63025520") != std::string::npos);
        CHECK(what.find("10 bp") != std::string::npos);
    }
}

TEST_CASE("bad alignment inputs are input errors naming the file", "[alignment][bad-input]") {
    test::ScratchFolder scratch;
    CHECK_THROWS_AS(AlignmentReader(scratch.file("missing.bam"), {}), InputError);
    try {
        AlignmentReader reader(test::data_path("io/truncated.bam"), {});
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("truncated") != std::string::npos);
    }
    // A BAM without index.
    const auto copy = scratch.file("noindex.bam");
    std::filesystem::copy_file(test::data_path("io/mini.bam"), copy);
    try {
        AlignmentReader reader(copy, {});
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("noindex.bam") != std::string::npos);
        CHECK(e.help().find("samtools index") != std::string::npos);
    }
    // Not a BAM at all.
    const auto text = scratch.file("text.bam");
    std::FILE* f = std::fopen(text.c_str(), "w");
    std::fputs("this is not a BAM file\n", f);
    std::fclose(f);
    CHECK_THROWS_AS(AlignmentReader(text, {}), InputError);
}

TEST_CASE("copies of reads under the same name and flags are counted once", "[alignment][repeated]") {
    // mini_repeated.bam: the 47 reads over chr20:10,001,000 three times (samtools merge -c -p).
    AlignmentReader original(test::data_path("io/mini.bam"), {});
    AlignmentReader repeated(test::data_path("io/mini_repeated.bam"), {});
    const GenomicRegion position{"chr20", 10000999, 10001000};
    std::vector<std::string> original_names, repeated_names;
    const ReadCounts expected =
        original.for_each_read(position, [&](const AlignedRead& r) { original_names.push_back(r.name()); });
    const ReadCounts counts =
        repeated.for_each_read(position, [&](const AlignedRead& r) { repeated_names.push_back(r.name()); });
    CHECK(expected.passed == 43);
    CHECK(expected.repeated == 0);
    CHECK(counts.passed == 43);
    CHECK(counts.repeated == 2 * 43);
    CHECK(repeated_names == original_names);
    // Mates share a name but not their flags: both are kept.
    AlignmentReader pairs(test::data_path("io/mini.bam"), {});
    CHECK(pairs.for_each_read({"chr20", 10000999, 10002000}, [](const AlignedRead&) {}).repeated == 0);
    // keep_repeated_reads turns the check off.
    AlignmentReaderOptions keep;
    keep.filters.keep_repeated_reads = true;
    AlignmentReader all(test::data_path("io/mini_repeated.bam"), keep);
    CHECK(all.for_each_read(position, [](const AlignedRead&) {}).passed == 3 * 43);
}

TEST_CASE("an index of another file is refused, naming the index", "[alignment][bad-input][index]") {
    test::ScratchFolder scratch;
    const std::string bam = scratch.file("reads.bam");
    std::filesystem::copy_file(test::data_path("io/mini.bam"), bam);
    SECTION("the right index is accepted") {
        std::filesystem::copy_file(test::data_path("io/mini.bam.bai"), bam + ".bai");
        CHECK_NOTHROW(AlignmentReader(bam, {}));
    }
    // Another file's index: the tiny calling BAM's, and the index of the same reads under another
    // header (contig "20": every offset shifted).
    for (const std::string other : {"calling/tiny.bam.bai", "io/mini_contig20.bam.bai", "io/mini_repeated.bam.bai"}) {
        DYNAMIC_SECTION("index of " << other) {
            std::filesystem::copy_file(test::data_path(other), bam + ".bai");
            try {
                AlignmentReader reader(bam, {});
                reader.for_each_read({"chr20", 10000999, 10002000}, [](const AlignedRead&) {});
                FAIL("accepted " << other);
            } catch (const InputError& e) {
                CHECK(std::string(e.what()).find(bam + ".bai") != std::string::npos);
                CHECK(std::string(e.what()).find("index") != std::string::npos);
            }
        }
    }
}

TEST_CASE("the depth cap keeps a deterministic share of reads where the depth exceeds it", "[alignment][depth]") {
    // tiny.bam: 4 reads pass the default filters at 11-13 (1-based) and 5 at 36-55.
    AlignmentReaderOptions uncapped;
    uncapped.filters.max_depth = 0;
    AlignmentReader all(test::data_path("calling/tiny.bam"), uncapped);
    const ReadCounts every = all.for_each_read({"tiny", 0, 100}, [](const AlignedRead&) {});
    REQUIRE(every.passed == 9);
    CHECK(every.downsampled == 0);

    AlignmentReaderOptions capped;
    capped.filters.max_depth = 2;
    const auto kept_names = [&] {
        AlignmentReader reader(test::data_path("calling/tiny.bam"), capped);
        std::vector<std::string> names;
        const ReadCounts counts =
            reader.for_each_read({"tiny", 0, 100}, [&](const AlignedRead& read) { names.emplace_back(read.name()); });
        CHECK(counts.passed + counts.downsampled == 9);
        CHECK(counts.downsampled > 0);
        return names;
    };
    const std::vector<std::string> first = kept_names();
    CHECK(first.size() < 9);
    CHECK(first.size() >= 2);  // the first two reads of each pile are always kept
    CHECK(kept_names() == first);
}

TEST_CASE("held reads replay exactly what a fetch of a sub-region returns", "[alignment][hold]") {
    const auto names = [](AlignmentReader& reader, const GenomicRegion& region, ReadCounts* counts = nullptr) {
        std::vector<std::string> out;
        const ReadCounts c = reader.for_each_read(region, [&](const AlignedRead& read) {
            out.push_back(std::string(read.name()) + ":" + std::to_string(read.position) + ":" +
                          std::to_string(read.end));
        });
        if (counts) *counts = c;
        return out;
    };
    AlignmentReader direct(test::data_path("io/mini_repeated.bam"), {});
    AlignmentReader holding(test::data_path("io/mini_repeated.bam"), {});
    REQUIRE(holding.hold_reads({"chr20", 9999900, 10003100}, 100000));
    for (std::int64_t begin = 9999900; begin < 10003000; begin += 137) {
        const GenomicRegion region{"chr20", begin, begin + 25};
        ReadCounts from_file, replayed;
        const auto expected = names(direct, region, &from_file);
        CHECK(names(holding, region, &replayed) == expected);
        CHECK(replayed.passed == from_file.passed);
        CHECK(replayed.repeated == from_file.repeated);
    }
    // A region outside the held one is read from the file.
    CHECK(names(holding, {"chr20", 10003000, 10003200}) == names(direct, {"chr20", 10003000, 10003200}));
    // More reads than allowed: nothing held, fetches still work.
    CHECK_FALSE(holding.hold_reads({"chr20", 9999900, 10003100}, 10));
    CHECK(names(holding, {"chr20", 10001000, 10001100}) == names(direct, {"chr20", 10001000, 10001100}));
}
