#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/vcf_reader.hpp"
#include "genodose/io/vcf_writer.hpp"

using namespace genodose;
namespace fs = std::filesystem;

TEST_CASE("VCF reader streams records with genotypes, depths and phasing", "[vcf]") {
    VcfReader reader(test::data_path("io/mini_truth.vcf.gz"));
    CHECK(reader.samples() == std::vector<std::string>{"HG001"});
    CHECK(reader.has_genotypes());
    CHECK(reader.has_index());
    VariantRecord record;
    REQUIRE(reader.next(record));
    // chr20 10000117 rs4816203 C T 50 PASS ... GT:DP:...:GQ 1|0:706:...:928
    CHECK(record.contig == "chr20");
    CHECK(record.position == 10000116);
    CHECK(record.id == "rs4816203");
    CHECK(record.ref == "C");
    CHECK(record.alts == std::vector<std::string>{"T"});
    CHECK(record.quality == Approx(50));
    CHECK(record.passes_filters());
    REQUIRE(record.genotypes.size() == 1);
    CHECK(record.genotypes[0].alleles == std::vector<int>{1, 0});
    CHECK(record.genotypes[0].phased);
    CHECK(record.genotypes[0].to_string() == "1|0");
    CHECK(record.depths[0] == 706);
    CHECK(record.genotype_qualities[0] == 928);
    CHECK(record.allele_depths[0] == std::vector<int>{33, 47});
    std::size_t count = 1;
    while (reader.next(record)) ++count;
    CHECK(count == 68);  // bcftools view -H mini_truth.vcf.gz | wc -l
}

TEST_CASE("VCF reader queries regions through the index, with either contig spelling", "[vcf]") {
    VcfReader reader(test::data_path("io/mini_truth.vcf.gz"));
    for (const std::string contig : {"chr20", "20"}) {
        reader.set_region({contig, 10000999, 10002000});
        VariantRecord record;
        std::size_t count = 0;
        while (reader.next(record)) ++count;
        CHECK(count == 8);  // records with POS in 10001000..10002000 (all SNVs there)
    }
    reader.set_region({"chr7", 0, 100});
    VariantRecord record;
    CHECK_FALSE(reader.next(record));
}

TEST_CASE("VCF reader sample selection names a missing sample", "[vcf][bad-input]") {
    CHECK_NOTHROW(VcfReader(test::data_path("io/mini_truth.vcf.gz"), {{"HG001"}}));
    try {
        VcfReader reader(test::data_path("io/mini_truth.vcf.gz"), {{"NA12878"}});
        FAIL("expected InputError");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("NA12878") != std::string::npos);
        CHECK(what.find("HG001") != std::string::npos);  // lists what is there
    }
}

TEST_CASE("malformed and truncated VCFs are input errors", "[vcf][bad-input]") {
    test::ScratchFolder scratch;
    CHECK_THROWS_AS(VcfReader(scratch.file("missing.vcf.gz")), InputError);

    const auto empty = scratch.file("empty.vcf");
    std::ofstream(empty) << "";
    CHECK_THROWS_AS(VcfReader(empty), InputError);

    const auto bad_gt = scratch.file("bad_gt.vcf");
    std::ofstream(bad_gt) << "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=100>\n"
                             "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                             "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                             "chr1\t5\t.\tA\tC\t.\t.\t.\tGT\t0/3\n";
    VcfReader reader(bad_gt);
    VariantRecord record;
    CHECK_THROWS_AS(reader.next(record), InputError);

    // htslib reads a non-numeric POS as 0 without an error; the reader must not.
    for (const char* pos : {"abc", "0"}) {
        const auto bad_pos = scratch.file("bad_pos.vcf");
        std::ofstream(bad_pos) << "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=100>\n"
                                  "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                                  "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                                  "chr1\t5\t.\tA\tC\t.\t.\t.\tGT\t0/1\n"
                                  "chr1\t"
                               << pos << "\t.\tA\tC\t.\t.\t.\tGT\t0/1\n";
        VcfReader pos_reader(bad_pos);
        REQUIRE(pos_reader.next(record));
        try {
            pos_reader.next(record);
            FAIL("expected InputError for POS " << pos);
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("POS") != std::string::npos);
            CHECK(std::string(e.what()).find("bad_pos.vcf") != std::string::npos);
        }
    }

    // The first 60% of a bgzipped VCF: no EOF marker.
    const auto truncated = scratch.file("truncated.vcf.gz");
    const auto size = fs::file_size(test::data_path("io/mini_truth.vcf.gz"));
    {
        std::ifstream in(test::data_path("io/mini_truth.vcf.gz"), std::ios::binary);
        std::string bytes(size * 6 / 10, '\0');
        in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        std::ofstream(truncated, std::ios::binary) << bytes;
    }
    CHECK_THROWS_AS(VcfReader(truncated), InputError);
}

TEST_CASE("VCF reader reads FORMAT/PS phase sets, Integer or String", "[vcf][phase]") {
    test::ScratchFolder scratch;
    const std::string header = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=100>\n"
                               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
    const std::string columns = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\tS2\n";
    const std::string body = "chr1\t5\t.\tA\tC\t.\t.\t.\tGT:PS\t0|1:5\t1|0:.\n"
                             "chr1\t9\t.\tG\tT\t.\t.\t.\tGT:PS\t1|0:9\t0|1:5\n"
                             "chr1\t12\t.\tC\tA\t.\t.\t.\tGT\t0|1\t0/1\n";
    for (const std::string type : {"Integer", "String"}) {
        const auto path = scratch.file("ps_" + type + ".vcf");
        std::ofstream(path) << header << "##FORMAT=<ID=PS,Number=1,Type=" << type << ",Description=\"Phase set\">\n"
                            << columns << body;
        VcfReader reader(path);
        VariantRecord first, second, third;
        REQUIRE(reader.next(first));
        REQUIRE(reader.next(second));
        REQUIRE(reader.next(third));
        CHECK(first.phase_sets[1] == -1);                              // PS "." : the default set
        CHECK(third.phase_sets == std::vector<std::int64_t>{-1, -1});  // no PS on the record
        // Same set where the file has the same PS, different sets where it differs.
        CHECK(first.phase_sets[0] != second.phase_sets[0]);
        CHECK(first.phase_sets[0] == second.phase_sets[1]);
        CHECK(first.phase_sets[0] >= 0);
        if (type == "Integer") CHECK(second.phase_sets[0] == 9);
    }
    // Without a FORMAT/PS header line every phased genotype is in the default set.
    const auto plain = scratch.file("no_ps.vcf");
    std::ofstream(plain) << header << columns << "chr1\t5\t.\tA\tC\t.\t.\t.\tGT\t0|1\t1|0\n";
    VcfReader reader(plain);
    VariantRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.phase_sets == std::vector<std::int64_t>{-1, -1});
}

TEST_CASE("VCF writer produces indexed bgzip VCF 4.2 with full header, readable back", "[vcf]") {
    test::ScratchFolder scratch;
    const auto path = scratch.file("out.vcf.gz");
    VcfHeaderSpec spec;
    spec.source = "genodose test";
    spec.reference_path = "/ref.fa";
    spec.contigs = {{"chr20", 63025520, {}}};
    spec.command_line = "genodose call --test";
    spec.meta_lines = {
        "##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">",
        "##FILTER=<ID=RefCall,Description=\"Called homozygous reference\">",
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
        "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">",
    };
    spec.samples = {"NA12878"};
    {
        VcfWriter writer(path, spec);
        VcfOutputRecord record;
        record.contig = "chr20";
        record.position = 99;
        record.ref = "A";
        record.alts = {"C", "AT"};
        record.quality = 31.25;
        record.filters = {"PASS"};
        record.info = {{"DP", "12"}};
        record.format_keys = {"GT", "GQ"};
        record.sample_values = {{"1/2", "30"}};
        writer.write(record);
        record.position = 200;
        record.alts = {"G"};
        record.filters = {"RefCall"};
        record.sample_values = {{"0/0", "20"}};
        writer.write(record);
        CHECK_FALSE(fs::exists(path));  // not in place before close()
        writer.close();
    }
    REQUIRE(fs::exists(path));
    REQUIRE(fs::exists(path + ".tbi"));
    // Nothing else (no temporary files) remains.
    CHECK(std::distance(fs::directory_iterator(scratch.path()), fs::directory_iterator()) == 2);

    VcfReader reader(path);
    CHECK(reader.contigs().at(0).length == 63025520);
    VariantRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.position == 99);
    CHECK(record.alts == std::vector<std::string>{"C", "AT"});
    CHECK(record.genotypes[0].alleles == std::vector<int>{1, 2});
    CHECK(record.genotype_qualities[0] == 30);
    REQUIRE(reader.next(record));
    CHECK(record.filters == std::vector<std::string>{"RefCall"});
    CHECK_FALSE(record.passes_filters());

    // bcftools reads it and sees the header lines a VCF consumer expects.
    const std::string command = "bcftools view -h " + path + " > " + scratch.file("header.txt") + " 2>/dev/null";
    if (std::system("command -v bcftools >/dev/null 2>&1") == 0) {
        REQUIRE(std::system(command.c_str()) == 0);
        std::ifstream in(scratch.file("header.txt"));
        const std::string header((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(header.rfind("##fileformat=VCFv4.2", 0) == 0);
        CHECK(header.find("##source=genodose test") != std::string::npos);
        CHECK(header.find("##reference=file:///ref.fa") != std::string::npos);
        CHECK(header.find("##contig=<ID=chr20,length=63025520>") != std::string::npos);
        CHECK(header.find("##commandline=") != std::string::npos);
    }
}

TEST_CASE("VCF writer refuses undeclared fields and leaves nothing on failure", "[vcf]") {
    test::ScratchFolder scratch;
    const auto path = scratch.file("out.vcf.gz");
    VcfHeaderSpec spec;
    spec.source = "genodose test";
    spec.contigs = {{"chr1", 1000, {}}};
    {
        VcfWriter writer(path, spec);
        VcfOutputRecord record;
        record.contig = "chr1";
        record.position = 1;
        record.ref = "A";
        record.alts = {"C"};
        record.info = {{"UNDECLARED", "1"}};
        CHECK_THROWS_AS(writer.write(record), InternalError);
        // writer destroyed without close(): an error path
    }
    CHECK(std::distance(fs::directory_iterator(scratch.path()), fs::directory_iterator()) == 0);
    CHECK_THROWS_AS(VcfWriter(scratch.file("out.txt"), spec), UsageError);
}

TEST_CASE("numbers are formatted compactly for VCF", "[vcf]") {
    CHECK(format_vcf_number(12.5, 2) == "12.5");
    CHECK(format_vcf_number(3.0, 2) == "3");
    CHECK(format_vcf_number(0.0001, 2) == "0");
    CHECK(format_vcf_number(std::nan(""), 2) == ".");
}

TEST_CASE("VCF reader reads records whose contig or tags the header does not declare, as bcftools does",
          "[vcf][header]") {
    // The specification recommends ##contig and INFO/FORMAT/FILTER lines but does not require
    // them; htslib adds a placeholder line and flags the record (BCF_ERR_CTG_UNDEF/TAG_UNDEF).
    test::ScratchFolder scratch;
    const std::string header = "##fileformat=VCFv4.2\n"
                               "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                               "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n";
    const auto path = scratch.file("undeclared.vcf");
    std::ofstream(path) << header << "chr1\t5\t.\tA\tC\t.\tq10\tDB\tGT:AD\t0/1:3,4\n"
                        << "chr1\t9\t.\tG\tT\t.\tPASS\t.\tGT\t1/1\n"
                        << "chr2\t3\t.\tC\tA\t.\t.\t.\tGT\t0|1\n";
    VcfReader reader(path);
    VariantRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.contig == "chr1");
    CHECK(record.position == 4);
    CHECK(record.filters == std::vector<std::string>{"q10"});
    CHECK(record.genotypes[0].alleles == std::vector<int>{0, 1});
    REQUIRE(reader.next(record));
    CHECK(record.passes_filters());
    CHECK(record.genotypes[0].to_string() == "1/1");
    REQUIRE(reader.next(record));
    CHECK(record.contig == "chr2");
    CHECK(record.genotypes[0].to_string() == "0|1");
    CHECK_FALSE(reader.next(record));
    CHECK(reader.undeclared_in_header() ==
          std::vector<std::string>{"contig chr1", "FILTER/q10", "INFO/DB", "FORMAT/AD", "contig chr2"});
    CHECK(reader.contigs().empty());  // the header's own ##contig lines

    // A valid file: nothing to report.
    VcfReader valid(test::data_path("io/mini_truth.vcf.gz"));
    while (valid.next(record)) {
    }
    CHECK(valid.undeclared_in_header().empty());

    // Names no header line could declare are still errors.
    for (const std::string line : {"chr 1\t5\t.\tA\tC\t.\t.\t.\tGT\t0/1\n", "chr1\t5\t.\tA\tC\t.\t.\tD B\tGT\t0/1\n",
                                   "chr1\t5\t.\tA\tC\t.\t.\t.\tGT:A D\t0/1:3\n"}) {
        INFO(line);
        const auto bad = scratch.file("invalid_name.vcf");
        std::ofstream(bad) << header << line;
        VcfReader bad_reader(bad);
        CHECK_THROWS_AS(bad_reader.next(record), InputError);
    }
}

TEST_CASE("VCF reader reads INFO/FORMAT keys outside the naming rule that bcftools reads, with a warning",
          "[vcf][header]") {
    // PharmCAT's test VCFs use keys with '-'; htslib warns ("Invalid tag name") and reads them.
    test::ScratchFolder scratch;
    const auto path = scratch.file("dash_keys.vcf");
    std::ofstream(path) << "##fileformat=VCFv4.2\n##contig=<ID=chr1>\n"
                           "##INFO=<ID=PX-DECLARED,Number=1,Type=Integer,Description=\"declared\">\n"
                           "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                           "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n"
                           "chr1\t5\t.\tA\tC\t.\tPASS\tPX-DECLARED=1;PX-A=2\tGT:AD-X\t0/1:3\n"
                           "chr1\t9\t.\tG\tT\t.\tPASS\t.\tGT\t1/1\n";
    VcfReader reader(path);
    VariantRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.genotypes[0].to_string() == "0/1");
    REQUIRE(reader.next(record));
    CHECK(record.genotypes[0].to_string() == "1/1");
    CHECK_FALSE(reader.next(record));
    CHECK(reader.undeclared_in_header() ==
          std::vector<std::string>{"INFO/PX-A (a name outside the VCF naming rule)",
                                   "FORMAT/AD-X (a name outside the VCF naming rule)"});
}

TEST_CASE("a VCF header htslib refuses is named: duplicated sample, FORMAT without samples", "[vcf][bad-input]") {
    test::ScratchFolder scratch;
    const std::string meta = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=100>\n"
                             "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
    const std::string fixed = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT";
    const struct {
        const char* name;
        std::string columns;
        const char* expected;
    } cases[] = {{"duplicate_sample.vcf", fixed + "\tA\tA\n", "sample name 'A' appears twice"},
                 {"format_no_samples.vcf", fixed + "\n", "a FORMAT column but no sample columns"}};
    for (const auto& c : cases) {
        INFO(c.name);
        const auto path = scratch.file(c.name);
        std::ofstream(path) << meta << c.columns;
        try {
            VcfReader reader(path);
            FAIL("expected InputError");
        } catch (const InputError& e) {
            const std::string what = e.what();
            CHECK(what.find(c.expected) != std::string::npos);
            CHECK(what.find(c.name) != std::string::npos);
        }
    }
}
