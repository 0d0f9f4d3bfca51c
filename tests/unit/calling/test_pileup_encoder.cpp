#include <catch2/catch.hpp>

#include <algorithm>
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
        CHECK(p[channel_base] == 30);              // T
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

namespace {
// A read (30M by default) at `start` of the tiny reference with base `alt` at position 20 (the reference
// base when alt is 0), named `name`; the buffers live in the returned holder.
struct ReadHolder {
    std::vector<std::uint8_t> packed, qualities;
    std::vector<std::uint32_t> cigar;
    std::string name;
    AlignedRead read;
};
ReadHolder make_read(const std::string& reference, std::int64_t start, char alt, const std::string& name,
                     int length = 30) {
    ReadHolder h;
    std::string bases = reference.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(length));
    if (alt && start <= 20 && 20 < start + length) bases[static_cast<std::size_t>(20 - start)] = alt;
    h.packed.assign((length + 1) / 2, 0);
    for (int i = 0; i < length; ++i) {
        const std::uint8_t code = bases[i] == 'A'   ? 1
                                  : bases[i] == 'C' ? 2
                                  : bases[i] == 'G' ? 4
                                  : bases[i] == 'T' ? 8
                                                    : 15;
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

namespace {
// 24 reads over position 20 (starts 10 and 12, every third carries `alt`), named r0..r23,
// added to `store` in coordinate order; within one start in the order `order` gives.
std::vector<ReadHolder> reads_over_site(const std::string& sequence, char alt, bool reversed_within_start) {
    std::vector<ReadHolder> reads;
    for (int r = 0; r < 24; ++r)
        reads.push_back(make_read(sequence, r < 12 ? 10 : 12, r % 3 ? 0 : alt, "r" + std::to_string(r)));
    if (reversed_within_start) {
        std::reverse(reads.begin(), reads.begin() + 12);
        std::reverse(reads.begin() + 12, reads.end());
    }
    for (auto& read : reads) point_views(read);
    return reads;
}
std::vector<std::uint8_t> encode_site(const ReadStore& store, const PileupShape& shape) {
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(store, 0, 100, candidates);
    REQUIRE(!candidates.empty());
    REQUIRE(candidates.front().position == 20);
    PileupEncoder encoder(shape);
    std::vector<std::uint8_t> image(shape.bytes());
    encoder.encode(store, candidates.front(), 0, image.data());
    return image;
}
}  // namespace

TEST_CASE("downsampling keeps the same reads whatever their order in the file", "[pileup][downsampling]") {
    // Reads that share a start come in any order (sorters differ); the kept subset must not
    // depend on it, or the same BAM sorted twice would give different calls.
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    const std::string sequence = reference.fetch({"tiny", 0, 100});
    const char alt = sequence[20] == 'T' ? 'A' : 'T';
    PileupShape shape;
    shape.height = 12;  // 4 reference rows + 8 read rows for 24 reads
    std::vector<std::vector<std::uint8_t>> images;
    for (const bool reversed : {false, true}) {
        auto reads = reads_over_site(sequence, alt, reversed);
        ReadStore store;
        store.reset(sequence, 0);
        for (const auto& read : reads) store.add(read.read);
        images.push_back(encode_site(store, shape));
    }
    CHECK(images[0] == images[1]);
    int rows_with_reads = 0;
    for (int row = shape.reference_rows; row < shape.height; ++row)
        rows_with_reads += pixel(images[0], shape, row, 16)[channel_base] != 0;
    CHECK(rows_with_reads == 8);
}

TEST_CASE("downsampling keeps the same reads whatever else the chunk holds", "[pileup][downsampling]") {
    // A site near a chunk edge is encoded from a store that also holds the reads of the rest of
    // its chunk: reads that do not cover the site must not change which covering reads are kept.
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    const std::string sequence = reference.fetch({"tiny", 0, 100});
    const char alt = sequence[20] == 'T' ? 'A' : 'T';
    PileupShape shape;
    shape.height = 12;
    auto reads = reads_over_site(sequence, alt, false);
    ReadStore alone;
    alone.reset(sequence, 0);
    for (const auto& read : reads) alone.add(read.read);

    std::vector<ReadHolder> before;  // 8-base reads at 0..7: they end before position 20
    for (int r = 0; r < 8; ++r) before.push_back(make_read(sequence, r, 0, "before" + std::to_string(r), 8));
    for (auto& read : before) point_views(read);
    ReadStore with_others;
    with_others.reset(sequence, 0);
    for (const auto& read : before) with_others.add(read.read);
    for (const auto& read : reads) with_others.add(read.read);
    CHECK(encode_site(alone, shape) == encode_site(with_others, shape));
}

TEST_CASE("downsampling keys spread reads and differ between positions", "[pileup][downsampling]") {
    // Keys of 2000 reads at one position barely collide, and the reads kept at one position are
    // not the ones kept at the next: no read is dropped everywhere.
    std::set<std::uint32_t> keys;
    for (std::uint32_t id = 0; id < 2000; ++id) keys.insert(PileupEncoder::sampling_key(id * 2654435761u, 1000));
    CHECK(keys.size() >= 1995);
    const auto kept = [](std::int64_t position) {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> order;
        for (std::uint32_t id = 0; id < 100; ++id) order.emplace_back(PileupEncoder::sampling_key(id, position), id);
        std::sort(order.begin(), order.end());
        std::set<std::uint32_t> ids;
        for (std::size_t i = 0; i < 20; ++i) ids.insert(order[i].second);
        return ids;
    };
    CHECK(kept(1000) != kept(1001));
}
