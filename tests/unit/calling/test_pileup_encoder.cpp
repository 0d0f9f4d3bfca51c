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

namespace {
// A 30M read at `start` of the tiny reference with base `alt` at position 20 (the reference
// base when alt is 0), named `name`; the buffers live in the returned holder.
struct ReadHolder {
    std::vector<std::uint8_t> packed, qualities;
    std::vector<std::uint32_t> cigar;
    std::string name;
    AlignedRead read;
};
ReadHolder make_read(const std::string& reference, std::int64_t start, char alt, const std::string& name) {
    ReadHolder h;
    const int length = 30;
    std::string bases = reference.substr(static_cast<std::size_t>(start), length);
    if (alt) bases[static_cast<std::size_t>(20 - start)] = alt;
    h.packed.assign((length + 1) / 2, 0);
    for (int i = 0; i < length; ++i) {
        const std::uint8_t code = bases[i] == 'A' ? 1 : bases[i] == 'C' ? 2 : bases[i] == 'G' ? 4 : bases[i] == 'T' ? 8 : 15;
        h.packed[static_cast<std::size_t>(i / 2)] |= static_cast<std::uint8_t>(i % 2 ? code : code << 4);
    }
    h.qualities.assign(length, 35);
    h.cigar = {static_cast<std::uint32_t>(length) << 4};
    h.name = name;
    h.read.position = start;
    h.read.end = start + length;
    h.read.mapping_quality = 60;
    h.read.length = length;
    return h;
}
void point_views(ReadHolder& h) {
    h.read.packed_sequence_ = h.packed.data();
    h.read.qualities_ = h.qualities.data();
    h.read.cigar_ = h.cigar.data();
    h.read.cigar_count_ = 1;
    h.read.name_ = h.name.c_str();
}
}  // namespace

TEST_CASE("downsampling does not keep or drop copies of one read together", "[pileup][downsampling]") {
    // Ten reads, each present 20 times under its own name (a file merged with itself); five carry
    // a T at position 20. Keyed on the name alone, all 20 copies of one read share a key and
    // fill the 20 read rows: the image shows one read 20 times, either all T or all reference.
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    const std::string sequence = reference.fetch({"tiny", 0, 100});
    const char alt = sequence[20] == 'T' ? 'A' : 'T';
    ReadStore store;
    store.reset(sequence, 0);
    for (int r = 0; r < 10; ++r) {
        ReadHolder holder = make_read(sequence, 10, r % 2 ? alt : 0, "read" + std::to_string(r));
        point_views(holder);
        for (int copy = 0; copy < 20; ++copy) store.add(holder.read);
    }
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(store, 0, 100, candidates);
    REQUIRE(!candidates.empty());
    REQUIRE(candidates.front().position == 20);
    PileupShape shape;
    shape.height = 24;  // 4 reference rows + 20 read rows for 200 reads
    PileupEncoder encoder(shape);
    std::vector<std::uint8_t> image(shape.bytes());
    encoder.encode(store, candidates.front(), 0, image.data());
    int supporting = 0, other = 0;
    for (int row = shape.reference_rows; row < shape.height; ++row) {
        const auto* p = pixel(image, shape, row, 16);
        REQUIRE(p[channel_base] != 0);
        (p[channel_supports_allele] == 254 ? supporting : other) += 1;
    }
    CHECK(supporting > 0);
    CHECK(other > 0);
}
