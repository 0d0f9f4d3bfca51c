#include <catch2/catch.hpp>

#include <set>

#include "calling_fixture.hpp"
#include "genodose/calling/pileup_encoder.hpp"

using namespace genodose;

namespace {
const std::uint8_t* pixel(const std::vector<std::uint8_t>& image, const PileupShape& shape, int row, int column) {
    return image.data() + (static_cast<std::size_t>(row) * shape.width + column) * shape.channels;
}
}  // namespace

TEST_CASE("pileup tensor of the tiny SNV has exact channel values", "[pileup]") {
    test::TinyPileup pileup;
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(pileup.store, 0, 100, candidates);
    PileupShape shape;  // 64 × 32 × 7, 4 reference rows
    PileupEncoder encoder(shape);
    std::vector<std::uint8_t> image(shape.bytes());
    encoder.encode(pileup.store, candidates.at(0), 0, image.data());

    // Columns cover reference positions [20 − 16, 20 + 16): the candidate is column 16.
    // Reference rows: reference base C at position 20 → 100; quality/MQ max; forward strand.
    for (int row = 0; row < shape.reference_rows; ++row) {
        const auto* p = pixel(image, shape, row, 16);
        CHECK(p[channel_base] == 100);
        CHECK(p[channel_base_quality] == 254);
        CHECK(p[channel_mapping_quality] == 254);
        CHECK(p[channel_strand] == 70);
        CHECK(p[channel_supports_allele] == 0);
        CHECK(p[channel_differs] == 0);
    }
    // Reads over position 20: snv_fwd, snv_rev, snv_lowq (carry T) first, then ref_fwd.
    std::multiset<int> strands, qualities;
    for (int row = 4; row < 7; ++row) {
        const auto* p = pixel(image, shape, row, 16);
        CHECK(p[channel_base] == 30);  // T
        CHECK(p[channel_mapping_quality] == 254);  // MAPQ 60
        CHECK(p[channel_supports_allele] == 254);
        CHECK(p[channel_differs] == 254);
        strands.insert(p[channel_strand]);
        qualities.insert(p[channel_base_quality]);
        // Reads start at position 10 → column 6; nothing left of it.
        CHECK(pixel(image, shape, row, 5)[channel_base] == 0);
        CHECK(pixel(image, shape, row, 6)[channel_base] != 0);
    }
    CHECK(strands == std::multiset<int>{70, 70, 240});
    // Allele fraction 2 of depth 3 → 2 × 254 / 3 = 169, in every pixel (reads, reference, empty).
    CHECK(pixel(image, shape, 0, 0)[channel_allele_fraction] == 169);
    CHECK(pixel(image, shape, 5, 16)[channel_allele_fraction] == 169);
    CHECK(pixel(image, shape, 63, 31)[channel_allele_fraction] == 169);
    CHECK(qualities == std::multiset<int>{12, 254, 254});  // Q2 → 2 × 254 / 40 = 12
    const auto* reference_read = pixel(image, shape, 7, 16);
    CHECK(reference_read[channel_base] == 100);
    CHECK(reference_read[channel_supports_allele] == 0);
    CHECK(reference_read[channel_differs] == 0);
    CHECK(pixel(image, shape, 7, 7)[channel_base] == 0);  // ref_fwd starts at 12 → column 8
    CHECK(pixel(image, shape, 7, 8)[channel_base] != 0);
    // No fifth read: row 8 is empty.
    for (int column = 0; column < shape.width; ++column) CHECK(pixel(image, shape, 8, column)[channel_base] == 0);
}

TEST_CASE("pileup marks deletions and insertions", "[pileup]") {
    test::TinyPileup pileup;
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(pileup.store, 0, 100, candidates);
    PileupShape shape;
    PileupEncoder encoder(shape);
    std::vector<std::uint8_t> image(shape.bytes());
    encoder.encode(pileup.store, candidates.at(1), 0, image.data());  // the deletion allele
    // Supporting (deletion) reads come first: gap at reference 43 = column 43 − 39 + 16 = 20.
    for (int row = 4; row < 6; ++row) {
        CHECK(pixel(image, shape, row, 16)[channel_supports_allele] == 254);
        CHECK(pixel(image, shape, row, 20)[channel_base] == 0);
        CHECK(pixel(image, shape, row, 20)[channel_differs] == 254);
        CHECK(pixel(image, shape, row, 20)[channel_base_quality] == 0);
    }
    // Insertion reads: the anchor column (16) is marked as differing, base still G (180).
    int marked = 0;
    for (int row = 6; row < 9; ++row) {
        const auto* anchor = pixel(image, shape, row, 16);
        CHECK(anchor[channel_base] == 180);
        marked += anchor[channel_differs] == 254;
    }
    CHECK(marked == 2);
}

TEST_CASE("downsampling keys are deterministic and position-dependent", "[pileup]") {
    CHECK(PileupEncoder::sampling_key(12345, 1000) == PileupEncoder::sampling_key(12345, 1000));
    CHECK(PileupEncoder::sampling_key(12345, 1000) != PileupEncoder::sampling_key(12345, 1001));
    CHECK(PileupEncoder::sampling_key(12345, 1000) != PileupEncoder::sampling_key(12346, 1000));
}

TEST_CASE("reads beyond the height are downsampled the same way every time", "[pileup]") {
    test::TinyPileup pileup;
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(pileup.store, 0, 100, candidates);
    PileupShape small;
    small.height = 6;  // 4 reference rows + 2 read rows for 4 overlapping reads
    PileupEncoder first(small), second(small);
    std::vector<std::uint8_t> a(small.bytes()), b(small.bytes());
    first.encode(pileup.store, candidates.at(0), 0, a.data());
    second.encode(pileup.store, candidates.at(0), 0, b.data());
    CHECK(a == b);
    // Two of the four reads were kept.
    int rows_with_reads = 0;
    for (int row = 4; row < 6; ++row) rows_with_reads += pixel(a, small, row, 16)[channel_base] != 0;
    CHECK(rows_with_reads == 2);
}
