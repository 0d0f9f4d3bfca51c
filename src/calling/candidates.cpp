#include "genodose/calling/candidates.hpp"

#include <algorithm>
#include <string_view>

namespace genodose {

void CandidateAllele::minimal_representation(const ReadStore& store, std::int64_t position, std::string& ref,
                                             std::string& alt) const {
    ref.assign(1, store.reference_base(position));
    switch (kind) {
        case Kind::snv: alt.assign(1, base); break;
        case Kind::insertion: alt = ref + inserted; break;
        case Kind::deletion:
            alt = ref;
            for (std::int32_t k = 1; k <= length; ++k) ref.push_back(store.reference_base(position + k));
            break;
    }
}

void Candidate::vcf_alleles(const ReadStore& store, std::string& ref, std::vector<std::string>& alts_out) const {
    std::int32_t longest_deletion = 0;
    for (const auto& allele : alts)
        if (allele.kind == CandidateAllele::Kind::deletion)
            longest_deletion = std::max(longest_deletion, allele.length);
    ref.clear();
    for (std::int32_t k = 0; k <= longest_deletion; ++k) ref.push_back(store.reference_base(position + k));
    alts_out.clear();
    for (const auto& allele : alts) {
        std::string alt;
        switch (allele.kind) {
            case CandidateAllele::Kind::snv: alt = allele.base + ref.substr(1); break;
            case CandidateAllele::Kind::insertion: alt = ref.substr(0, 1) + allele.inserted + ref.substr(1); break;
            case CandidateAllele::Kind::deletion:
                alt = ref.substr(0, 1) + ref.substr(1 + static_cast<std::size_t>(allele.length));
                break;
        }
        alts_out.push_back(std::move(alt));
    }
}

bool read_supports_allele(const ReadStore& store, std::size_t i, std::int64_t position, const CandidateAllele& allele) {
    const StoredRead& read = store.read(i);
    if (allele.kind == CandidateAllele::Kind::snv) {
        if (position < read.start || position >= read.end) return false;
        return decode_base_code(store.base_at(i, position)) == allele.base;
    }
    for (const IndelEvent* e = store.events_begin(i); e != store.events_end(i); ++e) {
        if (e->anchor != position) continue;
        if (allele.kind == CandidateAllele::Kind::deletion && e->length == -allele.length) return true;
        if (allele.kind == CandidateAllele::Kind::insertion && e->length == allele.length &&
            store.inserted_bases(*e) == allele.inserted)
            return true;
    }
    return false;
}

void CandidateFinder::find(const ReadStore& store, std::int64_t begin, std::int64_t end, std::vector<Candidate>& out) {
    const std::size_t span = static_cast<std::size_t>(end - begin);
    counts_.assign(span, PositionCounts{});
    events_.clear();
    const int min_quality = options_.min_base_quality;

    for (std::size_t i = 0; i < store.size(); ++i) {
        const StoredRead& read = store.read(i);
        const std::int64_t from = std::max(begin, read.start);
        const std::int64_t to = std::min(end, read.end);
        for (std::int64_t p = from; p < to; ++p) {
            const std::uint8_t code = store.base_at(i, p);
            PositionCounts& counts = counts_[static_cast<std::size_t>(p - begin)];
            if (code == base_gap) {
                ++counts.depth;
            } else if (code != base_n && store.quality_at(i, p) >= min_quality) {
                ++counts.depth;
                ++counts.bases[code];
            }
        }
        const IndelEvent* previous_anchored = nullptr;
        for (const IndelEvent* e = store.events_begin(i); e != store.events_end(i); ++e) {
            if (e->anchor < begin || e->anchor >= end || e->min_quality < min_quality) continue;
            // A read supports at most one allele at a position: one indel per anchor, counted
            // for that indel and not for the base it has at the anchor (left-alignment can move
            // an anchor onto a mismatch); where its anchor base is not in the depth (low
            // quality, N, or before the read's first aligned base after left-alignment), the
            // read is added to the depth, so that allele depths never add up to more than DP.
            if (previous_anchored && previous_anchored->anchor == e->anchor) continue;
            previous_anchored = e;
            events_.push_back(e);
            PositionCounts& counts = counts_[static_cast<std::size_t>(e->anchor - begin)];
            const bool inside = e->anchor >= read.start && e->anchor < read.end;
            const std::uint8_t code = inside ? store.base_at(i, e->anchor) : static_cast<std::uint8_t>(base_n);
            if (code < 4 && store.quality_at(i, e->anchor) >= min_quality) ++counts.bases_anchoring_indel[code];
            else if (code != base_gap) ++counts.depth;
        }
    }

    // Group identical indel events: sort by (anchor, length, inserted bases).
    const auto event_less = [&](const IndelEvent* a, const IndelEvent* b) {
        if (a->anchor != b->anchor) return a->anchor < b->anchor;
        if (a->length != b->length) return a->length < b->length;
        if (a->length > 0) return store.inserted_bases(*a) < store.inserted_bases(*b);
        return false;
    };
    const auto event_same = [&](const IndelEvent* a, const IndelEvent* b) {
        return !event_less(a, b) && !event_less(b, a);
    };
    std::sort(events_.begin(), events_.end(), event_less);

    std::size_t next_event = 0;
    for (std::int64_t p = begin; p < end; ++p) {
        const PositionCounts& counts = counts_[static_cast<std::size_t>(p - begin)];
        const char reference = store.reference_base(p);
        Candidate candidate;
        candidate.position = p;
        candidate.depth = counts.depth;
        const int reference_code = encode_base(reference);
        candidate.ref_support =
            reference_code < 4 ? counts.bases[reference_code] - counts.bases_anchoring_indel[reference_code] : 0;
        const double depth = std::max(1, counts.depth);
        if (reference != 'N') {
            for (int b = 0; b < 4; ++b) {
                if (b == reference_code) continue;
                const int support = counts.bases[b] - counts.bases_anchoring_indel[b];
                if (support >= options_.min_alt_count && support / depth >= options_.min_snv_fraction) {
                    CandidateAllele allele;
                    allele.kind = CandidateAllele::Kind::snv;
                    allele.base = decode_base_code(static_cast<std::uint8_t>(b));
                    allele.support = support;
                    candidate.alts.push_back(std::move(allele));
                }
            }
        }
        while (next_event < events_.size() && events_[next_event]->anchor == p) {
            std::size_t run_end = next_event + 1;
            while (run_end < events_.size() && event_same(events_[next_event], events_[run_end])) ++run_end;
            const int support = static_cast<int>(run_end - next_event);
            const IndelEvent& event = *events_[next_event];
            if (reference != 'N' && support >= options_.min_alt_count &&
                support / depth >= options_.min_indel_fraction) {
                CandidateAllele allele;
                allele.support = support;
                if (event.length > 0) {
                    allele.kind = CandidateAllele::Kind::insertion;
                    allele.length = event.length;
                    allele.inserted = std::string(store.inserted_bases(event));
                } else {
                    allele.kind = CandidateAllele::Kind::deletion;
                    allele.length = -event.length;
                }
                candidate.alts.push_back(std::move(allele));
            }
            next_event = run_end;
        }
        while (next_event < events_.size() && events_[next_event]->anchor < p + 1) ++next_event;
        if (candidate.alts.empty()) continue;
        if (static_cast<int>(candidate.alts.size()) > options_.max_alt_alleles) {
            std::stable_sort(candidate.alts.begin(), candidate.alts.end(),
                             [](const CandidateAllele& a, const CandidateAllele& b) { return a.support > b.support; });
            candidate.alts.resize(static_cast<std::size_t>(options_.max_alt_alleles));
        }
        out.push_back(std::move(candidate));
    }
}

}  // namespace genodose
