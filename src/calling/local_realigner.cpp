#include "genodose/calling/local_realigner.hpp"

#include "de_bruijn_graph.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <unordered_map>

namespace genodose {

namespace {

constexpr int minus_infinity = std::numeric_limits<int>::min() / 4;
constexpr std::uint8_t from_match = 0, from_insertion = 1, from_deletion = 2, from_start = 3;

constexpr std::uint32_t op_code(CigarOp op) { return static_cast<std::uint32_t>(op); }

void push_op(std::vector<std::uint32_t>& cigar, CigarOp op, std::uint32_t length) {
    if (length == 0) return;
    if (!cigar.empty() && (cigar.back() & 0xf) == op_code(op)) cigar.back() += length << 4;
    else cigar.push_back(length << 4 | op_code(op));
}

// Substitution score; mismatches at low-quality bases cost little (they are likely errors).
int substitution(char a, char b, std::uint8_t quality, const AlignmentScores& scores) {
    if (a == 'N' || b == 'N') return 0;
    if (a == b) return scores.match;
    return quality < 15 ? -1 : -scores.mismatch;
}

// Traceback byte: bits 0-1 predecessor of the match state, 2-3 of the insertion state, 4-5 of
// the deletion state.
struct Cell {
    int match = minus_infinity;
    int insertion = minus_infinity;  // query base against a gap (consumes query)
    int deletion = minus_infinity;   // target base against a gap (consumes target)
};

int best_of(const Cell& c, std::uint8_t& state) {
    state = from_match;
    int best = c.match;
    if (c.insertion > best) {
        best = c.insertion;
        state = from_insertion;
    }
    if (c.deletion > best) {
        best = c.deletion;
        state = from_deletion;
    }
    return best;
}

// The best way into an insertion (a query base against a gap) from the cell above: extend an
// insertion, or open one after a match or a deletion. Adds the predecessor to the traceback.
int enter_insertion(const Cell& up, int open, int extend, std::uint8_t& bits) {
    int best = up.match - open;
    std::uint8_t state = from_match;
    if (up.insertion - extend > best) {
        best = up.insertion - extend;
        state = from_insertion;
    }
    if (up.deletion - open > best) {
        best = up.deletion - open;
        state = from_deletion;
    }
    bits |= static_cast<std::uint8_t>(state << 2);
    return best;
}

// The same for a deletion (a target base against a gap), from the cell to the left.
int enter_deletion(const Cell& left, int open, int extend, std::uint8_t& bits) {
    int best = left.match - open;
    std::uint8_t state = from_match;
    if (left.deletion - extend > best) {
        best = left.deletion - extend;
        state = from_deletion;
    }
    if (left.insertion - open > best) {
        best = left.insertion - open;
        state = from_insertion;
    }
    bits |= static_cast<std::uint8_t>(state << 4);
    return best;
}

// Walks a traceback from (i, j, state) back to the start, emitting ops in reverse.
template <typename TraceAt>
void trace_back(int i, int j, std::uint8_t state, TraceAt trace_at, std::vector<std::uint32_t>& reversed,
                int& target_begin, int& query_begin) {
    while (i > 0 || j > 0) {
        const std::uint8_t bits = trace_at(i, j);
        if (state == from_match) {
            push_op(reversed, CigarOp::match, 1);
            const std::uint8_t previous = bits & 3;
            --i;
            --j;
            if (previous == from_start) break;
            state = previous;
        } else if (state == from_insertion) {
            push_op(reversed, CigarOp::insertion, 1);
            state = (bits >> 2) & 3;
            --i;
        } else {
            push_op(reversed, CigarOp::deletion, 1);
            state = (bits >> 4) & 3;
            --j;
        }
    }
    target_begin = j;
    query_begin = i;
}

}  // namespace

PairwiseAlignment align_global(std::string_view query, std::string_view target, const AlignmentScores& scores) {
    const int rows = static_cast<int>(query.size()), columns = static_cast<int>(target.size());
    const int open = scores.gap_open + scores.gap_extend, extend = scores.gap_extend;
    std::vector<Cell> previous(static_cast<std::size_t>(columns + 1)), current(previous.size());
    std::vector<std::uint8_t> trace(static_cast<std::size_t>(rows + 1) * static_cast<std::size_t>(columns + 1), 0);
    const auto trace_index = [&](int i, int j) {
        return static_cast<std::size_t>(i) * static_cast<std::size_t>(columns + 1) + static_cast<std::size_t>(j);
    };

    previous[0].match = 0;  // the empty prefix pair, treated as a match state
    for (int j = 1; j <= columns; ++j) {
        previous[j].deletion = -(scores.gap_open + j * extend);
        trace[trace_index(0, j)] = static_cast<std::uint8_t>((j == 1 ? from_match : from_deletion) << 4);
    }
    for (int i = 1; i <= rows; ++i) {
        current[0] = Cell{};
        current[0].insertion = -(scores.gap_open + i * extend);
        trace[trace_index(i, 0)] = static_cast<std::uint8_t>((i == 1 ? from_match : from_insertion) << 2);
        for (int j = 1; j <= columns; ++j) {
            Cell cell;
            std::uint8_t bits = 0, state;
            cell.match = best_of(previous[j - 1], state) + substitution(query[i - 1], target[j - 1], 40, scores);
            bits |= state;
            cell.insertion = enter_insertion(previous[j], open, extend, bits);
            cell.deletion = enter_deletion(current[j - 1], open, extend, bits);
            current[j] = cell;
            trace[trace_index(i, j)] = bits;
        }
        std::swap(previous, current);
    }
    PairwiseAlignment result;
    std::uint8_t state;
    result.score = best_of(previous[columns], state);
    std::vector<std::uint32_t> reversed;
    int target_begin = 0, query_begin = 0;
    // Row/column 0 hold no real match cells; trace_back stops at (0, 0).
    trace_back(
        rows, columns, state, [&](int i, int j) { return trace[trace_index(i, j)]; }, reversed, target_begin,
        query_begin);
    result.target_begin = 0;
    result.cigar.assign(reversed.rbegin(), reversed.rend());
    return result;
}

PairwiseAlignment align_read(std::string_view query, const std::uint8_t* qualities, std::string_view target,
                             int min_diagonal, int max_diagonal, const AlignmentScores& scores) {
    // Cell (i, j) = query[0, i) and target[0, j) consumed; banded on the diagonal d = j − i,
    // stored at column d − min_diagonal.
    const int rows = static_cast<int>(query.size()), columns = static_cast<int>(target.size());
    const int band = max_diagonal - min_diagonal + 1;
    const int open = scores.gap_open + scores.gap_extend, extend = scores.gap_extend;
    // Reused per thread: this runs for every read × haplotype of a window.
    thread_local std::vector<Cell> cells;
    thread_local std::vector<std::uint8_t> trace;
    cells.assign(static_cast<std::size_t>(rows + 1) * static_cast<std::size_t>(band), Cell{});
    trace.assign(cells.size(), 0);
    const auto at = [&](int i, int c) -> std::size_t {
        return static_cast<std::size_t>(i) * static_cast<std::size_t>(band) + static_cast<std::size_t>(c);
    };

    int best_score = minus_infinity, best_i = 0, best_j = 0;
    for (int i = 1; i <= rows; ++i) {
        const int start_score = i == 1 ? 0 : -scores.clip;  // the alignment may begin here
        const std::uint8_t quality = qualities ? qualities[i - 1] : 40;
        for (int c = 0; c < band; ++c) {
            const int j = min_diagonal + c + i;
            if (j < 1 || j > columns) continue;
            Cell cell;
            std::uint8_t bits = 0;
            // Match: from (i-1, j-1), the same diagonal.
            std::uint8_t state = from_start;
            int from_diagonal = start_score;
            if (i > 1) {
                std::uint8_t previous_state;
                const int previous = best_of(cells[at(i - 1, c)], previous_state);
                if (previous > from_diagonal) {
                    from_diagonal = previous;
                    state = previous_state;
                }
            }
            cell.match = from_diagonal + substitution(query[i - 1], target[j - 1], quality, scores);
            bits |= state;
            // Insertion: from (i-1, j), diagonal d+1.
            if (c + 1 < band && i > 1) cell.insertion = enter_insertion(cells[at(i - 1, c + 1)], open, extend, bits);
            // Deletion: from (i, j-1), diagonal d-1.
            if (c > 0) cell.deletion = enter_deletion(cells[at(i, c - 1)], open, extend, bits);
            cells[at(i, c)] = cell;
            trace[at(i, c)] = bits;
            const int end_score = cell.match - (i == rows ? 0 : scores.clip);
            if (end_score > best_score) {
                best_score = end_score;
                best_i = i;
                best_j = j;
            }
        }
    }
    PairwiseAlignment result;
    result.score = best_score;
    if (best_score == minus_infinity) return result;  // the band missed the target entirely
    std::vector<std::uint32_t> reversed;
    push_op(reversed, CigarOp::soft_clip, static_cast<std::uint32_t>(rows - best_i));
    int target_begin = 0, query_begin = 0;
    trace_back(
        best_i, best_j, from_match, [&](int i, int j) { return trace[at(i, j - i - min_diagonal)]; }, reversed,
        target_begin, query_begin);
    push_op(reversed, CigarOp::soft_clip, static_cast<std::uint32_t>(query_begin));
    result.target_begin = target_begin;
    result.cigar.assign(reversed.rbegin(), reversed.rend());
    return result;
}

namespace {

// The read's alignment to the reference through a haplotype: `to_reference[j]` is the
// reference position of haplotype base j, or −1 where the haplotype has inserted bases.
bool compose_alignment(const PairwiseAlignment& alignment, const std::vector<std::int64_t>& to_reference,
                       int read_length, std::vector<std::uint32_t>& cigar, std::int64_t& position, std::int64_t& end) {
    std::vector<std::uint32_t> raw;
    std::int64_t last = -1;
    bool started = false;
    std::size_t j = static_cast<std::size_t>(alignment.target_begin);
    const auto aligned_to = [&](std::int64_t r) {
        if (started && r > last + 1) push_op(raw, CigarOp::deletion, static_cast<std::uint32_t>(r - last - 1));
        if (!started) position = r;
        started = true;
        last = r;
    };
    for (const std::uint32_t element : alignment.cigar) {
        const auto op = static_cast<CigarOp>(element & 0xf);
        const std::uint32_t length = element >> 4;
        if (op == CigarOp::soft_clip || op == CigarOp::insertion) {
            push_op(raw, op, length);
        } else if (op == CigarOp::match) {
            for (std::uint32_t k = 0; k < length; ++k, ++j) {
                if (j >= to_reference.size()) return false;
                const std::int64_t r = to_reference[j];
                if (r < 0) {
                    push_op(raw, CigarOp::insertion, 1);
                } else {
                    aligned_to(r);
                    push_op(raw, CigarOp::match, 1);
                }
            }
        } else if (op == CigarOp::deletion) {
            for (std::uint32_t k = 0; k < length; ++k, ++j) {
                if (j >= to_reference.size()) return false;
                const std::int64_t r = to_reference[j];
                if (r < 0 || !started) continue;
                aligned_to(r);
                last = r;
                // aligned_to() wrote the gap before r; r itself is deleted too.
                push_op(raw, CigarOp::deletion, 1);
            }
        }
    }
    if (!started) return false;
    end = last + 1;
    // Insertions before the first or after the last aligned base have no anchor: soft clips.
    std::size_t first_match = 0, last_match = raw.size();
    while (first_match < raw.size() && (raw[first_match] & 0xf) != op_code(CigarOp::match)) ++first_match;
    while (last_match > 0 && (raw[last_match - 1] & 0xf) != op_code(CigarOp::match)) --last_match;
    cigar.clear();
    int consumed = 0;
    for (std::size_t k = 0; k < raw.size(); ++k) {
        auto op = static_cast<CigarOp>(raw[k] & 0xf);
        const std::uint32_t length = raw[k] >> 4;
        if (k < first_match || k >= last_match) {
            if (op == CigarOp::deletion) continue;
            op = CigarOp::soft_clip;
        }
        if (op != CigarOp::deletion) consumed += static_cast<int>(length);
        push_op(cigar, op, length);
    }
    return consumed == read_length;
}

// Read bases an alignment leaves unexplained: confident mismatches, soft-clipped bases and, when
// `count_gaps`, bases inserted or deleted against the target (against a haplotype a gap is an
// error; against the reference it is the variant the alignment proposes). `target_at(k)` is the target base k positions after
// the alignment's first aligned target base.
template <typename TargetAt>
int unexplained_bases(const std::uint32_t* cigar, std::size_t count, const char* bases, const std::uint8_t* qualities,
                      bool count_gaps, TargetAt target_at) {
    int unexplained = 0, q = 0;
    std::int64_t t = 0;
    for (std::size_t k = 0; k < count; ++k) {
        const auto op = static_cast<CigarOp>(cigar[k] & 0xf);
        const int length = static_cast<int>(cigar[k] >> 4);
        switch (op) {
            case CigarOp::match:
            case CigarOp::sequence_match:
            case CigarOp::sequence_mismatch:
                for (int i = 0; i < length; ++i) {
                    const char target = target_at(t + i);
                    if (bases[q + i] != target && bases[q + i] != 'N' && target != 'N' && qualities[q + i] >= 15)
                        ++unexplained;
                }
                q += length;
                t += length;
                break;
            case CigarOp::insertion:
                if (count_gaps) unexplained += length;
                q += length;
                break;
            case CigarOp::soft_clip:
                unexplained += length;
                q += length;
                break;
            case CigarOp::deletion:
                if (count_gaps) unexplained += length;
                t += length;
                break;
            case CigarOp::skip: t += length; break;
            default: break;
        }
    }
    return unexplained;
}

// Bases added beside a window edge while the sequence repeats with period 1–6, so that a window
// never starts or ends inside a tandem repeat (where no k-mer anchors a haplotype).
std::int64_t repeat_extension(std::string_view reference, std::int64_t edge, int direction, std::int64_t limit) {
    std::int64_t best = 0;
    for (int period = 1; period <= 6; ++period) {
        std::int64_t extension = 0;
        while (extension < limit) {
            const std::int64_t x = direction < 0 ? edge - 1 - extension : edge + extension;
            const std::int64_t y = direction < 0 ? x + period : x - period;
            if (x < 0 || y < 0 || x >= static_cast<std::int64_t>(reference.size()) ||
                y >= static_cast<std::int64_t>(reference.size()))
                break;
            if (reference[static_cast<std::size_t>(x)] != reference[static_cast<std::size_t>(y)]) break;
            ++extension;
        }
        best = std::max(best, extension);
    }
    return best;
}

}  // namespace

void LocalRealigner::reset(std::string_view reference, std::int64_t reference_begin) {
    reference_ = reference;
    reference_begin_ = reference_begin;
    reads_.clear();
    names_.clear();
    packed_.clear();
    bases_.clear();
    qualities_.clear();
    cigars_.clear();
    stats_ = {};
}

char LocalRealigner::reference_base(std::int64_t p) const {
    const std::int64_t i = p - reference_begin_;
    return (i >= 0 && i < static_cast<std::int64_t>(reference_.size())) ? reference_[static_cast<std::size_t>(i)] : 'N';
}

void LocalRealigner::add(const AlignedRead& read) {
    OwnedRead owned;
    owned.position = read.position;
    owned.end = read.end;
    owned.mapping_quality = read.mapping_quality;
    owned.reverse_strand = read.reverse_strand;
    owned.length = read.length;
    owned.name_offset = static_cast<std::uint32_t>(names_.size());
    names_.insert(names_.end(), read.name(), read.name() + std::strlen(read.name()) + 1);
    owned.sequence_offset = static_cast<std::uint32_t>(bases_.size());
    owned.packed_offset = static_cast<std::uint32_t>(packed_.size());
    packed_.insert(packed_.end(), read.packed_sequence_, read.packed_sequence_ + (read.length + 1) / 2);
    for (int i = 0; i < read.length; ++i) {
        bases_.push_back(read.base(i));
        qualities_.push_back(static_cast<std::uint8_t>(read.base_quality(i)));
    }
    owned.cigar_offset = static_cast<std::uint32_t>(cigars_.size());
    owned.cigar_count = static_cast<std::uint32_t>(read.cigar_length());
    cigars_.insert(cigars_.end(), read.cigar_, read.cigar_ + read.cigar_length());
    reads_.push_back(owned);
}

AlignedRead LocalRealigner::read(std::size_t i) const {
    const OwnedRead& owned = reads_[i];
    AlignedRead view;
    view.position = owned.position;
    view.end = owned.end;
    view.mapping_quality = owned.mapping_quality;
    view.reverse_strand = owned.reverse_strand;
    view.length = owned.length;
    view.packed_sequence_ = packed_.data() + owned.packed_offset;
    view.qualities_ = qualities_.data() + owned.sequence_offset;
    view.cigar_ = cigars_.data() + owned.cigar_offset;
    view.cigar_count_ = static_cast<int>(owned.cigar_count);
    view.name_ = names_.data() + owned.name_offset;
    return view;
}

void LocalRealigner::realign(std::int64_t begin, std::int64_t end) {
    if (!options_.enabled || reads_.empty()) return;
    find_windows(begin, end);
    for (const Window& window : windows_) realign_window(window);
    // Realignment moves read starts; consumers (ReadStore, PileupEncoder) rely on BAM order.
    // Stable, so reads with equal starts keep their input order and output stays deterministic.
    std::stable_sort(reads_.begin(), reads_.end(),
                     [](const OwnedRead& a, const OwnedRead& b) { return a.position < b.position; });
}

void LocalRealigner::find_windows(std::int64_t begin, std::int64_t end) {
    windows_.clear();
    const auto span = static_cast<std::int64_t>(reference_.size());
    evidence_.assign(static_cast<std::size_t>(span), 0);
    const auto mark = [&](std::int64_t p) {
        const std::int64_t i = p - reference_begin_;
        if (i >= 0 && i < span && evidence_[static_cast<std::size_t>(i)] < 0xffff)
            ++evidence_[static_cast<std::size_t>(i)];
    };
    for (const OwnedRead& read : reads_) {
        std::int64_t r = read.position;
        const std::uint32_t* cigar = cigars_.data() + read.cigar_offset;
        for (std::uint32_t k = 0; k < read.cigar_count; ++k) {
            const auto op = static_cast<CigarOp>(cigar[k] & 0xf);
            const std::int64_t length = cigar[k] >> 4;
            switch (op) {
                case CigarOp::match:
                case CigarOp::sequence_match:
                case CigarOp::sequence_mismatch:
                case CigarOp::skip: r += length; break;
                case CigarOp::insertion: mark(r - 1); break;
                case CigarOp::deletion:
                    for (std::int64_t d = 0; d < length; ++d) mark(r + d);
                    r += length;
                    break;
                case CigarOp::soft_clip: mark(k == 0 ? read.position : read.end - 1); break;
                default: break;
            }
        }
    }
    // Windows only where they can change candidates or pileups of [begin, end).
    const std::int64_t from = std::max(reference_begin_ + 1, begin - 100),
                       to = std::min(reference_begin_ + span - 1, end + 100);
    const std::int64_t padding = options_.window_padding;
    Window current{-1, -1};
    for (std::int64_t p = from; p < to; ++p) {
        if (evidence_[static_cast<std::size_t>(p - reference_begin_)] < options_.min_evidence_reads) continue;
        if (current.begin >= 0 && p - padding <= current.end + padding) {
            current.end = p + 1;
        } else {
            if (current.begin >= 0) windows_.push_back(current);
            current = {p, p + 1};
        }
    }
    if (current.begin >= 0) windows_.push_back(current);

    // Pad, extend past tandem repeats, clamp, merge overlaps, drop windows too long to assemble.
    std::vector<Window> padded;
    for (Window w : windows_) {
        w.begin -= padding;
        w.end += padding;
        const std::int64_t local_begin = w.begin - reference_begin_, local_end = w.end - reference_begin_;
        w.begin -= repeat_extension(reference_, local_begin, -1, 100) + 5;
        w.end += repeat_extension(reference_, local_end, +1, 100) + 5;
        w.begin = std::max(w.begin, reference_begin_ + 1);
        w.end = std::min(w.end, reference_begin_ + span - 1);
        if (!padded.empty() && w.begin <= padded.back().end) padded.back().end = std::max(padded.back().end, w.end);
        else padded.push_back(w);
    }
    windows_.clear();
    for (const Window& w : padded)
        if (w.end - w.begin <= options_.max_window_length && w.end > w.begin) windows_.push_back(w);
}

int LocalRealigner::original_score(const OwnedRead& read) const {
    int score = 0;
    std::int64_t r = read.position;
    int q = 0;
    const std::uint32_t* cigar = cigars_.data() + read.cigar_offset;
    const char* bases = bases_.data() + read.sequence_offset;
    const std::uint8_t* qualities = qualities_.data() + read.sequence_offset;
    for (std::uint32_t k = 0; k < read.cigar_count; ++k) {
        const auto op = static_cast<CigarOp>(cigar[k] & 0xf);
        const int length = static_cast<int>(cigar[k] >> 4);
        switch (op) {
            case CigarOp::match:
            case CigarOp::sequence_match:
            case CigarOp::sequence_mismatch:
                for (int i = 0; i < length; ++i)
                    score += substitution(bases[q + i], reference_base(r + i), qualities[q + i], scores_);
                q += length;
                r += length;
                break;
            case CigarOp::insertion:
                score -= scores_.gap_open + length * scores_.gap_extend;
                q += length;
                break;
            case CigarOp::deletion:
                score -= scores_.gap_open + length * scores_.gap_extend;
                r += length;
                break;
            case CigarOp::soft_clip:
                score -= scores_.clip;
                q += length;
                break;
            case CigarOp::skip: r += length; break;
            default: break;
        }
    }
    return score;
}

struct LocalRealigner::AssemblyScratch {
    DeBruijnGraph graph;
    std::vector<DeBruijnGraph::Path> paths;
};

LocalRealigner::LocalRealigner(const RealignerOptions& options)
    : options_(options), scratch_(std::make_unique<AssemblyScratch>()) {}
LocalRealigner::~LocalRealigner() = default;
LocalRealigner::LocalRealigner(LocalRealigner&&) noexcept = default;
LocalRealigner& LocalRealigner::operator=(LocalRealigner&&) noexcept = default;

// The bases of `read` that lie in [window.begin, window.end) as a query interval; soft-clipped
// bases are included where the read starts or ends inside the window. Empty (begin < 0) when no
// aligned base of the read is in the window.
std::pair<int, int> LocalRealigner::query_span(const OwnedRead& read, const Window& window) const {
    int query_begin = -1, query_end = -1;
    std::int64_t r = read.position;
    int q = 0;
    const std::uint32_t* cigar = cigars_.data() + read.cigar_offset;
    for (std::uint32_t c = 0; c < read.cigar_count; ++c) {
        const auto op = static_cast<CigarOp>(cigar[c] & 0xf);
        const int length = static_cast<int>(cigar[c] >> 4);
        if (consumes_reference(op) && consumes_query(op)) {
            const std::int64_t from = std::max(r, window.begin), to = std::min(r + length, window.end);
            if (from < to) {
                if (query_begin < 0) query_begin = q + static_cast<int>(from - r);
                query_end = q + static_cast<int>(to - r);
            }
        }
        if (consumes_query(op)) q += length;
        if (consumes_reference(op)) r += length;
    }
    if (query_begin < 0) return {-1, -1};
    if (read.position >= window.begin) query_begin = 0;
    if (read.end <= window.end) query_end = read.length;
    return {query_begin, query_end};
}

bool LocalRealigner::assemble(const Window& window, int k) {
    const std::string_view reference_window = reference_.substr(
        static_cast<std::size_t>(window.begin - reference_begin_), static_cast<std::size_t>(window.end - window.begin));
    if (static_cast<int>(reference_window.size()) < k + 2) return false;
    DeBruijnGraph& graph = scratch_->graph;
    graph.reset(k);
    if (!graph.add_reference(reference_window)) return false;  // a repeated k-mer: k is too short
    for (const OwnedRead& read : reads_) {
        if (read.end <= window.begin || read.position >= window.end) continue;
        const auto [query_begin, query_end] = query_span(read, window);
        if (query_begin < 0) continue;
        graph.add_sequence(bases_.data() + read.sequence_offset, qualities_.data() + read.sequence_offset, query_begin,
                           query_end, options_.min_base_quality);
    }
    graph.prune(options_.min_kmer_support);
    if (!graph.source_to_sink_is_acyclic()) return false;  // try a longer k
    constexpr std::size_t max_paths = 256;
    std::vector<DeBruijnGraph::Path>& paths = scratch_->paths;
    if (!graph.alternative_paths(max_paths, paths)) return false;
    // Strongest support first: the haplotypes beyond max_haplotypes are the weakest.
    std::stable_sort(paths.begin(), paths.end(), [](const DeBruijnGraph::Path& a, const DeBruijnGraph::Path& b) {
        if (a.support != b.support) return a.support > b.support;
        return a.sequence < b.sequence;
    });
    haplotypes_.clear();
    haplotypes_.emplace_back(reference_window);
    for (const auto& path : paths) {
        if (static_cast<int>(haplotypes_.size()) >= options_.max_haplotypes) break;
        haplotypes_.push_back(path.sequence);
    }
    return true;
}

void LocalRealigner::add_read_haplotypes(const Window& window) {
    // Haplotypes proposed by the reads' own alignments, for what assembly cannot see: alleles in
    // repeats longer than the largest k, seen whole in only a few reads. Two kinds of proposal,
    // each kept when at least min_kmer_support reads make it: a read's indels applied together
    // to the window's reference, and each of its indels alone (reads rarely agree on a whole
    // window when sequencing errors sit beside the indel).
    std::map<std::string, int> whole_read, single_event;
    const std::string_view reference_window = haplotypes_[0];
    std::string haplotype, single;
    const auto apply_event = [&](std::string& out, std::int64_t& copied, std::int64_t r, bool insertion, int length,
                                 const char* inserted) {
        out.append(reference_window.substr(static_cast<std::size_t>(copied - window.begin),
                                           static_cast<std::size_t>(r - copied)));
        if (insertion) out.append(inserted, static_cast<std::size_t>(length));
        copied = insertion ? r : r + length;
    };
    for (const OwnedRead& read : reads_) {
        if (read.end <= window.begin || read.position >= window.end) continue;
        const std::uint32_t* cigar = cigars_.data() + read.cigar_offset;
        const char* bases = bases_.data() + read.sequence_offset;
        haplotype.clear();
        std::int64_t copied = window.begin;  // reference copied up to here
        std::int64_t r = read.position;
        int q = 0, events = 0;
        bool usable = true;
        for (std::uint32_t c = 0; c < read.cigar_count && usable; ++c) {
            const auto op = static_cast<CigarOp>(cigar[c] & 0xf);
            const int length = static_cast<int>(cigar[c] >> 4);
            if (op == CigarOp::match || op == CigarOp::sequence_match || op == CigarOp::sequence_mismatch) {
                q += length;
                r += length;
            } else if (op == CigarOp::insertion || op == CigarOp::deletion) {
                const bool insertion = op == CigarOp::insertion;
                if (r > window.begin && r < window.end - (insertion ? 0 : length)) {
                    apply_event(haplotype, copied, r, insertion, length, bases + q);
                    single.clear();
                    std::int64_t single_copied = window.begin;
                    apply_event(single, single_copied, r, insertion, length, bases + q);
                    single.append(reference_window.substr(static_cast<std::size_t>(single_copied - window.begin)));
                    ++single_event[single];
                    ++events;
                }
                if (insertion) q += length;
                else r += length;
            } else if (op == CigarOp::soft_clip) {
                q += length;
            } else if (op == CigarOp::skip) {
                usable = false;
            }
        }
        if (!usable || events < 2) continue;  // one event: counted as a single-event proposal
        haplotype.append(reference_window.substr(static_cast<std::size_t>(copied - window.begin)));
        ++whole_read[haplotype];
    }
    // Best-supported first (ties in sequence order, so the result never depends on hashing).
    std::vector<std::pair<int, const std::string*>> ranked;
    for (const auto* proposals : {&whole_read, &single_event})
        for (const auto& [sequence, reads] : *proposals)
            if (reads >= options_.min_kmer_support) ranked.emplace_back(reads, &sequence);
    std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [reads, sequence] : ranked) {
        if (static_cast<int>(haplotypes_.size()) >= options_.max_haplotypes) break;
        if (std::find(haplotypes_.begin(), haplotypes_.end(), *sequence) == haplotypes_.end())
            haplotypes_.push_back(*sequence);
    }
}

void LocalRealigner::realign_window(const Window& window) {
    ++stats_.windows;
    static constexpr int kmer_sizes[] = {15, 21, 27, 33, 41, 51, 63};
    bool assembled = false;
    for (const int k : kmer_sizes) {
        if (assemble(window, k)) {
            assembled = true;
            break;
        }
    }
    if (!assembled)
        haplotypes_.assign(1, std::string(reference_.substr(static_cast<std::size_t>(window.begin - reference_begin_),
                                                            static_cast<std::size_t>(window.end - window.begin))));
    add_read_haplotypes(window);
    if (haplotypes_.size() < 2) return;
    ++stats_.assembled;

    // Each haplotype with reference flanks, and where its bases sit on the reference.
    const std::int64_t flank = options_.max_read_length + 50;
    const std::int64_t reference_end = reference_begin_ + static_cast<std::int64_t>(reference_.size());
    const std::int64_t extended_begin = std::max(reference_begin_, window.begin - flank);
    const std::int64_t extended_end = std::min(reference_end, window.end + flank);
    const std::string_view left = reference_.substr(static_cast<std::size_t>(extended_begin - reference_begin_),
                                                    static_cast<std::size_t>(window.begin - extended_begin));
    const std::string_view right = reference_.substr(static_cast<std::size_t>(window.end - reference_begin_),
                                                     static_cast<std::size_t>(extended_end - window.end));
    const std::string_view reference_window = haplotypes_[0];
    std::vector<std::string> extended(haplotypes_.size());
    std::vector<std::vector<std::int64_t>> to_reference(haplotypes_.size());
    int widest_shift = 0;
    std::int64_t differs_begin = window.end, differs_end = window.begin;  // union over alt haplotypes
    for (std::size_t h = 0; h < haplotypes_.size(); ++h) {
        const std::string& haplotype = haplotypes_[h];
        extended[h].assign(left).append(haplotype).append(right);
        auto& map = to_reference[h];
        map.clear();
        for (std::int64_t p = extended_begin; p < window.begin; ++p) map.push_back(p);
        if (h == 0) {
            for (std::int64_t p = window.begin; p < window.end; ++p) map.push_back(p);
        } else {
            const PairwiseAlignment alignment = align_global(haplotype, reference_window, haplotype_scores_);
            std::int64_t r = window.begin;
            for (const std::uint32_t element : alignment.cigar) {
                const auto op = static_cast<CigarOp>(element & 0xf);
                const std::uint32_t length = element >> 4;
                for (std::uint32_t k = 0; k < length; ++k) {
                    if (op == CigarOp::match) map.push_back(r++);
                    else if (op == CigarOp::insertion) map.push_back(-1);
                    else ++r;
                }
            }
        }
        for (std::int64_t p = window.end; p < extended_end; ++p) map.push_back(p);
        widest_shift = std::max(
            widest_shift, std::abs(static_cast<int>(haplotype.size()) - static_cast<int>(reference_window.size())));
        if (h > 0) {
            // Where this haplotype differs from the reference (the whole ambiguous stretch when
            // the difference sits in a repeat).
            const std::size_t shorter = std::min(haplotype.size(), reference_window.size());
            std::size_t prefix = 0, suffix = 0;
            while (prefix < shorter && haplotype[prefix] == reference_window[prefix]) ++prefix;
            while (suffix < shorter &&
                   haplotype[haplotype.size() - 1 - suffix] == reference_window[reference_window.size() - 1 - suffix])
                ++suffix;
            const auto from_end = static_cast<std::int64_t>(reference_window.size() - suffix);
            const std::int64_t low = std::min<std::int64_t>(static_cast<std::int64_t>(prefix), from_end);
            const std::int64_t high = std::max<std::int64_t>(static_cast<std::int64_t>(prefix), from_end);
            differs_begin = std::min(differs_begin, window.begin + low - 1);
            differs_end = std::max(differs_end, window.begin + high + 1);
        }
    }

    std::vector<std::uint32_t> cigar;
    for (OwnedRead& read : reads_) {
        if (read.end <= window.begin || read.position >= window.end || read.length > options_.max_read_length) continue;
        const std::uint32_t* original = cigars_.data() + read.cigar_offset;
        int leading_clip = 0, trailing_clip = 0, indel_bases = 0;
        for (std::uint32_t c = 0; c < read.cigar_count; ++c) {
            const auto op = static_cast<CigarOp>(original[c] & 0xf);
            const int length = static_cast<int>(original[c] >> 4);
            if (c == 0 && op == CigarOp::soft_clip) leading_clip = length;
            if (c > 0 && c + 1 == read.cigar_count && op == CigarOp::soft_clip) trailing_clip = length;
            if (op == CigarOp::insertion || op == CigarOp::deletion) indel_bases += length;
        }
        const std::int64_t query_start = read.position - leading_clip;
        if (query_start < extended_begin || read.end >= extended_end) continue;
        // A read (soft clips included) that misses every difference aligns equally to all
        // haplotypes: leave it.
        const std::int64_t query_end = read.end + trailing_clip;
        if (query_end <= differs_begin || query_start >= differs_end) continue;
        const int diagonal = static_cast<int>(query_start - extended_begin);
        const int band = 12 + widest_shift + indel_bases;

        const std::string_view bases(bases_.data() + read.sequence_offset, static_cast<std::size_t>(read.length));
        const std::uint8_t* qualities = qualities_.data() + read.sequence_offset;
        PairwiseAlignment best;
        std::size_t best_haplotype = 0;
        best.score = minus_infinity;
        for (std::size_t h = 0; h < extended.size(); ++h) {
            PairwiseAlignment alignment =
                align_read(bases, qualities, extended[h], diagonal - band, diagonal + band, scores_);
            if (alignment.score > best.score) {
                best = std::move(alignment);
                best_haplotype = h;
            }
        }
        if (best.score <= original_score(read)) continue;  // no better explanation: keep bwa's
        // The original alignment may already spell this haplotype (with its own, equally valid
        // placement of events in a repeat); keep it then, so realignment never changes the
        // representation of a variant the aligner wrote consistently.
        const std::string& target = extended[best_haplotype];
        const int realigned_unexplained =
            unexplained_bases(best.cigar.data(), best.cigar.size(), bases.data(), qualities, true,
                              [&](std::int64_t k) { return target[static_cast<std::size_t>(best.target_begin + k)]; });
        const int original_unexplained =
            unexplained_bases(original, read.cigar_count, bases.data(), qualities, false,
                              [&](std::int64_t k) { return reference_base(read.position + k); });
        if (original_unexplained <= realigned_unexplained) continue;
        std::int64_t position = 0, end = 0;
        if (!compose_alignment(best, to_reference[best_haplotype], read.length, cigar, position, end)) continue;
        read.position = position;
        read.end = end;
        read.cigar_offset = static_cast<std::uint32_t>(cigars_.size());
        read.cigar_count = static_cast<std::uint32_t>(cigar.size());
        cigars_.insert(cigars_.end(), cigar.begin(), cigar.end());
        ++stats_.realigned_reads;
    }
}

}  // namespace genodose
