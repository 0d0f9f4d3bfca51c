#include <catch2/catch.hpp>

#include <fstream>

#include "../test_paths.hpp"
#include "genodose/calling/joint_genotyper.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/vcf_reader.hpp"

using namespace genodose;

namespace {

const char* gvcf_header = "##fileformat=VCFv4.2\n"
                          "##contig=<ID=chr1,length=1000>\n"
                          "##contig=<ID=chr2,length=1000>\n"
                          "##FILTER=<ID=RefCall,Description=\"Reference call\">\n"
                          "##ALT=<ID=*,Description=\"Any allele not listed\">\n"
                          "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End of block\">\n"
                          "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n"
                          "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"GQ\">\n"
                          "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"DP\">\n"
                          "##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description=\"MIN_DP\">\n"
                          "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"AD\">\n"
                          "##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"PL\">\n";

std::string write_gvcf(const test::ScratchFolder& folder, const std::string& name, const std::string& sample,
                       const std::string& records, const char* header = gvcf_header) {
    const std::string path = folder.file(name);
    std::ofstream(path) << header << "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" << sample << "\n"
                        << records;
    return path;
}

const std::string block_format = "\tGT:GQ:MIN_DP:PL\t";
const std::string site_format = "\tGT:GQ:DP:AD:PL\t";

std::vector<VariantRecord> read_all(const std::string& path) {
    VcfReader reader(path);
    std::vector<VariantRecord> records;
    VariantRecord record;
    while (reader.next(record)) records.push_back(record);
    return records;
}

}  // namespace

TEST_CASE("joint: every sample is genotyped at every variant site", "[joint]") {
    test::ScratchFolder folder;
    // A: het SNV at 100; B: reference block over 100, uncovered ./. block over 200 where A has a
    // hom-alt SNV; B has a variant at 300 inside A's block; A's RefCall at 400 alone is no site.
    const std::string a = write_gvcf(folder, "a.g.vcf", "A",
                                     "chr1\t1\t.\tA\t<*>\t.\t.\tEND=99" + block_format +
                                         "0/0:50:20:0,50,500\n"
                                         "chr1\t100\t.\tC\tT,<*>\t40\tPASS\t." +
                                         site_format +
                                         "0/1:40:30:15,15,0:40,0,60,90,80,200\n"
                                         "chr1\t101\t.\tA\t<*>\t.\t.\tEND=199" +
                                         block_format +
                                         "0/0:60:25:0,60,600\n"
                                         "chr1\t200\t.\tG\tA,<*>\t50\tPASS\t." +
                                         site_format +
                                         "1/1:45:20:0,20,0:50,45,0,90,80,100\n"
                                         "chr1\t201\t.\tA\t<*>\t.\t.\tEND=399" +
                                         block_format +
                                         "0/0:30:18:0,30,300\n"
                                         "chr1\t400\t.\tT\tG,<*>\t1\tRefCall\t." +
                                         site_format +
                                         "0/0:10:20:18,2,0:0,10,40,50,60,70\n"
                                         "chr1\t401\t.\tA\t<*>\t.\t.\tEND=1000" +
                                         block_format + "0/0:40:22:0,40,400\n");
    const std::string b = write_gvcf(folder, "b.g.vcf", "B",
                                     "chr1\t1\t.\tA\t<*>\t.\t.\tEND=150" + block_format +
                                         "0/0:20:12:0,20,200\n"
                                         "chr1\t151\t.\tA\t<*>\t.\t.\tEND=250" +
                                         block_format +
                                         "./.:0:0:0,0,0\n"
                                         "chr1\t300\t.\tG\tGT,<*>\t30\tPASS\t." +
                                         site_format + "1/1:30:10:0,10,0:30,25,0,60,50,90\n");
    JointOptions options;
    options.gvcf_paths = {a, b};
    options.output_path = folder.file("cohort.vcf");
    const JointSummary summary = joint_genotype(options);
    CHECK(summary.samples == 2);
    CHECK(summary.sites == 3);
    const auto records = read_all(options.output_path);
    REQUIRE(records.size() == 3);

    CHECK(records[0].position == 99);
    CHECK(records[0].genotypes[0].to_string() == "0/1");
    CHECK(records[0].phred_likelihoods[0] == std::vector<int>{40, 0, 60});
    CHECK(records[0].genotypes[1].to_string() == "0/0");  // from B's block: its GQ, MIN_DP, PL
    CHECK(records[0].genotype_qualities[1] == 20);
    CHECK(records[0].depths[1] == 12);
    CHECK(records[0].allele_depths[1] == std::vector<int>{12, 0});
    CHECK(records[0].phred_likelihoods[1] == std::vector<int>{0, 20, 200});

    CHECK(records[1].position == 199);
    CHECK(records[1].genotypes[0].to_string() == "1/1");
    CHECK(records[1].genotypes[1].to_string() == "./.");  // B's ./. block

    CHECK(records[2].position == 299);
    CHECK(records[2].alts == std::vector<std::string>{"GT"});
    CHECK(records[2].genotypes[0].to_string() == "0/0");  // A's block 201-399
    CHECK(records[2].genotype_qualities[0] == 30);
    CHECK(records[2].genotypes[1].to_string() == "1/1");
}

TEST_CASE("joint: records at one position merge into one multi-allelic site", "[joint]") {
    test::ScratchFolder folder;
    // A: deletion CA>C; B: SNV C>T and the insertion C>CA at the same position.
    const std::string a =
        write_gvcf(folder, "a.g.vcf", "A",
                   "chr1\t10\t.\tCA\tC,<*>\t40\tPASS\t." + site_format + "0/1:40:30:15,15,0:40,0,60,90,80,200\n");
    const std::string b = write_gvcf(
        folder, "b.g.vcf", "B",
        "chr1\t10\t.\tC\tT,CA,<*>\t50\tPASS\t." + site_format + "1/2:45:20:1,9,10,0:70,40,60,30,0,50,90,80,95,99\n");
    JointOptions options;
    options.gvcf_paths = {a, b};
    options.output_path = folder.file("cohort.vcf");
    const JointSummary summary = joint_genotype(options);
    CHECK(summary.multiallelic_sites == 1);
    const auto records = read_all(options.output_path);
    REQUIRE(records.size() == 1);
    const VariantRecord& site = records[0];
    CHECK(site.ref == "CA");
    CHECK(site.alts == std::vector<std::string>{"C", "TA", "CAA"});
    CHECK(site.genotypes[0].to_string() == "0/1");
    CHECK(site.genotypes[1].to_string() == "2/3");
    CHECK(site.allele_depths[0] == std::vector<int>{15, 15, 0, 0});
    CHECK(site.allele_depths[1] == std::vector<int>{1, 0, 9, 10});
    // B's PL (alleles R,T,CA,*): merged allele 1 (the deletion) is B's <*> (index 3).
    // Merged order 0/0,0/1,1/1,0/2,1/2,2/2,0/3,1/3,2/3,3/3 → B's R/R, R/*, */*, R/T, T/*, T/T, R/CA, CA/*, T/CA, CA/CA.
    const std::vector<int> b_pl{70, 40, 60, 30, 0, 50, 90, 80, 95, 99};
    const auto pl = [&](int j, int k) { return b_pl[static_cast<std::size_t>(diploid_genotype_index(j, k))]; };
    CHECK(site.phred_likelihoods[1] == std::vector<int>{pl(0, 0), pl(0, 3), pl(3, 3), pl(0, 1), pl(1, 3), pl(1, 1),
                                                        pl(0, 2), pl(2, 3), pl(1, 2), pl(2, 2)});
}

TEST_CASE("joint: bad inputs name the file", "[joint]") {
    test::ScratchFolder folder;
    const std::string good =
        write_gvcf(folder, "good.g.vcf", "A",
                   "chr1\t10\t.\tC\tT,<*>\t40\tPASS\t." + site_format + "0/1:40:30:15,15,0:40,0,60,90,80,200\n");
    JointOptions options;
    options.output_path = folder.file("cohort.vcf");
    const auto fails_naming = [&](const std::string& bad, const std::string& text) {
        options.gvcf_paths = {good, bad};
        try {
            joint_genotype(options);
            FAIL("no error for " << bad);
        } catch (const InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains(bad) && Catch::Contains(text));
        }
        CHECK_FALSE(std::ifstream(options.output_path).good());  // no partial output
    };
    fails_naming(write_gvcf(folder, "same_name.g.vcf", "A",
                            "chr1\t10\t.\tC\tT,<*>\t40\tPASS\t." + site_format + "0/1:1:1:1,1,0:0,0,0,0,0,0\n"),
                 "sample name 'A'");
    fails_naming(write_gvcf(folder, "plain.vcf", "B", "chr1\t10\t.\tC\tT\t40\tPASS\t.\tGT\t0/1\n"), "not a gVCF");
    fails_naming(write_gvcf(folder, "unsorted.g.vcf", "B",
                            "chr1\t20\t.\tC\t<*>\t.\t.\tEND=30" + block_format +
                                "0/0:1:1:0,1,2\n"
                                "chr1\t5\t.\tC\t<*>\t.\t.\tEND=6" +
                                block_format + "0/0:1:1:0,1,2\n"),
                 "not sorted");
    std::string other_reference = gvcf_header;
    other_reference.replace(other_reference.find("length=1000"), 11, "length=2000");
    fails_naming(
        write_gvcf(folder, "other_ref.g.vcf", "B",
                   "chr1\t10\t.\tC\t<*>\t.\t.\tEND=30" + block_format + "0/0:1:1:0,1,2\n", other_reference.c_str()),
        "##contig");
    fails_naming(
        write_gvcf(folder, "other_base.g.vcf", "B",
                   "chr1\t10\t.\tG\tA,<*>\t40\tPASS\t." + site_format + "0/1:40:30:15,15,0:40,0,60,90,80,200\n"),
        "REF");
}
