// Fuzz target: the pileup path (calling/): reads with arbitrary CIGARs — any operation, lengths
// up to 2^28-1 (75M268000000N75M), leading/trailing indels, clips — built in memory as the
// reader would hand them over, then local realignment, the ReadStore projection, candidate
// finding and pileup encoding of every candidate. Checks: no crash, and the store holds at most
// the read's aligned bases plus short gaps (memory bounded by aligned bases, not span).
//
// Input: byte 0 = number of reads (mod 24); per read: start (1 byte, 0-199 of a 200 bp
// reference), number of CIGAR operations (1 byte mod 6), per operation: code (mod 9) and
// length (2 bytes; a length byte pair of 0xffff means 2^28-1); then bases and qualities are
// taken from the remaining bytes, cycling.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "genodose/calling/candidates.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/calling/pileup_encoder.hpp"
#include "genodose/calling/read_store.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace {

struct FuzzRead {
    std::vector<std::uint8_t> packed, qualities;
    std::vector<std::uint32_t> cigar;
    std::string name;
    std::int64_t start = 0, end = 0;
    int length = 0;
    genodose::AlignedRead view() const {
        genodose::AlignedRead r;
        r.position = start;
        r.end = end;
        r.mapping_quality = 60;
        r.length = length;
        r.packed_sequence_ = packed.data();
        r.qualities_ = qualities.data();
        r.cigar_ = cigar.data();
        r.cigar_count_ = static_cast<int>(cigar.size());
        r.name_ = name.c_str();
        return r;
    }
};

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint8_t next() { return size_ == 0 ? 0 : data_[position_++ % size_]; }
    bool exhausted() const { return position_ >= size_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t position_ = 0;
};

const std::string& reference() {
    static const std::string sequence = [] {
        std::string s;
        std::uint32_t x = 12345;
        for (int i = 0; i < 200; ++i) {
            x = x * 1103515245u + 12345u;
            s.push_back("ACGT"[(x >> 16) & 3]);
        }
        s.replace(80, 12, "AAAAAAAAAAAA");  // a homopolymer for left-alignment
        s[150] = 'N';
        return s;
    }();
    return sequence;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace genodose;
    genodose::fuzz::quiet_logging();
    if (size < 2) return 0;
    Bytes bytes(data, size);
    const int count = bytes.next() % 24;
    std::vector<FuzzRead> reads(static_cast<std::size_t>(count));
    std::size_t aligned_bases = 0, gap_budget = 0;
    for (int r = 0; r < count; ++r) {
        FuzzRead& read = reads[static_cast<std::size_t>(r)];
        read.name = "r" + std::to_string(r % 5);  // some shared names: copies
        read.start = bytes.next() % 200;
        const int ops = 1 + bytes.next() % 6;
        std::int64_t span = 0;
        for (int k = 0; k < ops; ++k) {
            const std::uint32_t op = bytes.next() % 9;
            std::uint32_t length = static_cast<std::uint32_t>(bytes.next()) << 8 | bytes.next();
            length = length == 0xffff ? (1u << 28) - 1 : 1 + length % 300;
            const bool consumes_query = op == 0 || op == 1 || op == 4 || op == 7 || op == 8;
            if (consumes_query && length > 2000) length = 2000;  // the sequence must be stored
            read.cigar.push_back(length << 4 | op);
            if (consumes_query) read.length += static_cast<int>(length);
            if (op == 0 || op == 2 || op == 3 || op == 7 || op == 8) span += length;
            if (op == 0 || op == 7 || op == 8) aligned_bases += length;
            if (op == 2 || op == 3)
                gap_budget += static_cast<std::size_t>(std::min<std::int64_t>(length, max_projected_gap));
        }
        read.end = read.start + std::max<std::int64_t>(span, 1);  // bam_endpos: at least one base
        read.packed.assign(static_cast<std::size_t>((read.length + 1) / 2), 0);
        for (auto& b : read.packed) b = bytes.next();
        read.qualities.assign(static_cast<std::size_t>(read.length), 0);
        for (auto& q : read.qualities) q = bytes.next() % 60;
    }
    std::stable_sort(reads.begin(), reads.end(),
                     [](const FuzzRead& a, const FuzzRead& b) { return a.start < b.start; });

    const std::string& sequence = reference();
    RealignerOptions realigner_options;
    LocalRealigner realigner(realigner_options);
    realigner.reset(sequence, 0);
    for (const auto& read : reads) realigner.add(read.view());
    realigner.realign(0, 200);
    ReadStore store;
    store.reset(sequence, 0);
    for (std::size_t i = 0; i < realigner.size(); ++i) store.add(realigner.read(i));
    GENODOSE_FUZZ_CHECK(store.size() == reads.size(), "every read stored");

    ReadStore direct;  // without realignment: the bound on projected entries holds exactly
    direct.reset(sequence, 0);
    for (const auto& read : reads) direct.add(read.view());
    GENODOSE_FUZZ_CHECK(direct.projected_entries() <= aligned_bases + gap_budget,
                        "projection bounded by aligned bases");

    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(store, 0, 200, candidates);
    PileupShape shape;
    PileupEncoder encoder(shape);
    std::vector<std::uint8_t> image(shape.bytes());
    for (const auto& candidate : candidates) {
        std::string ref;
        std::vector<std::string> alts;
        candidate.vcf_alleles(store, ref, alts);
        GENODOSE_FUZZ_CHECK(ref.size() <= static_cast<std::size_t>(max_deletion_event) + 1, "REF bounded");
        for (std::size_t a = 0; a < candidate.alts.size(); ++a) encoder.encode(store, candidate, a, image.data());
    }
    return 0;
}
