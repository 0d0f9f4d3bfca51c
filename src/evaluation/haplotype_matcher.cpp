#include "genodose/evaluation/haplotype_matcher.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>

namespace genodose::evaluation {
namespace {

constexpr int truth_side = 0;
constexpr int query_side = 1;

// One haplotype of one side being played back along the reference. After every advance() the
// cursor sits between edits, so the state is just where it is and what is still to play.
struct Cursor {
    std::int64_t position = 0;         // next reference base to emit
    std::int64_t last_insertion = -1;  // an insertion was just played before `position`
    std::vector<const Edit*> pending;  // included edits not yet played, sorted by (start, end)
};

struct Path {
    Cursor cursors[2][2];      // [side][haplotype]
    std::string unmatched[2];  // per haplotype: bases one side emitted ahead of the other
    int ahead[2] = {truth_side, truth_side};
    int score = 0;                      // alleles included, both sides
    std::vector<signed char> included;  // per cluster variant (truth first, then query)
};

bool edits_conflict(const Edit& a, const Edit& b) {
    if (a.is_insertion() && b.is_insertion()) return a.start == b.start;
    if (a.is_insertion()) return b.start < a.start && a.start < b.end;
    if (b.is_insertion()) return a.start < b.start && b.start < a.end;
    return a.start < b.end && b.start < a.end;
}

bool fits(const Cursor& cursor, const Edit& edit) {
    if (edit.start < cursor.position) return false;
    if (edit.is_insertion() && edit.start == cursor.position && cursor.last_insertion == cursor.position) return false;
    for (const Edit* other : cursor.pending)
        if (edits_conflict(*other, edit)) return false;
    return true;
}

void add_pending(Cursor& cursor, const Edit& edit) {
    const auto at = std::upper_bound(
        cursor.pending.begin(), cursor.pending.end(), &edit,
        [](const Edit* a, const Edit* b) { return a->start != b->start ? a->start < b->start : a->end < b->end; });
    cursor.pending.insert(at, &edit);
}

class PathSearch {
public:
    PathSearch(const ReferenceWindow& reference, std::size_t max_paths)
        : reference_(reference), max_paths_(max_paths) {}

    // Plays every cursor up to `target`, comparing truth and query haplotypes. False if they
    // disagree somewhere (the path cannot be completed into a match).
    bool advance(Path& path, std::int64_t target) {
        for (int side = 0; side < 2; ++side) {
            for (int h = 0; h < 2; ++h) {
                std::string& out = emitted_[side][h];
                out.clear();
                play(path.cursors[side][h], target, out);
            }
        }
        for (int h = 0; h < 2; ++h) {
            const std::string& truth = emitted_[truth_side][h];
            const std::string& query = emitted_[query_side][h];
            std::string& unmatched = path.unmatched[h];
            // Logical streams: the unmatched bases of the side that was ahead, then what it emitted now.
            const std::string& lead_new = path.ahead[h] == truth_side ? truth : query;
            const std::string& other = path.ahead[h] == truth_side ? query : truth;
            combined_.assign(unmatched);
            combined_ += lead_new;
            const std::size_t n = std::min(combined_.size(), other.size());
            if (combined_.compare(0, n, other, 0, n) != 0) return false;
            if (combined_.size() > n) {
                unmatched.assign(combined_, n, std::string::npos);
            } else if (other.size() > n) {
                unmatched.assign(other, n, std::string::npos);
                path.ahead[h] = path.ahead[h] == truth_side ? query_side : truth_side;
            } else {
                unmatched.clear();
            }
        }
        return true;
    }

    // A key equal for paths whose futures are identical (haplotype labels are interchangeable).
    const std::string& key(const Path& path) {
        build_key(path, 0, key_a_);
        build_key(path, 1, key_b_);
        return key_a_ < key_b_ ? key_a_ : key_b_;
    }

    std::size_t max_paths() const { return max_paths_; }

private:
    void play(Cursor& cursor, std::int64_t target, std::string& out) {
        while (cursor.position < target) {
            if (!cursor.pending.empty() && cursor.pending.front()->start == cursor.position) {
                const Edit* edit = cursor.pending.front();
                cursor.pending.erase(cursor.pending.begin());
                out += edit->alt;
                cursor.position = edit->end;
                cursor.last_insertion = edit->is_insertion() ? edit->start : -1;
                continue;
            }
            out += reference_.at(cursor.position);
            ++cursor.position;
            cursor.last_insertion = -1;
        }
    }

    static void append(std::string& key, std::int64_t value) {
        char bytes[sizeof value];
        std::memcpy(bytes, &value, sizeof value);
        key.append(bytes, sizeof value);
    }

    void build_key(const Path& path, int first_haplotype, std::string& key) const {
        key.clear();
        for (int i = 0; i < 2; ++i) {
            const int h = i == 0 ? first_haplotype : 1 - first_haplotype;
            for (int side = 0; side < 2; ++side) {
                const Cursor& cursor = path.cursors[side][h];
                append(key, cursor.position);
                append(key, cursor.last_insertion);
                append(key, static_cast<std::int64_t>(cursor.pending.size()));
                for (const Edit* edit : cursor.pending) {  // by value: identical edits of different variants merge
                    append(key, edit->start);
                    append(key, edit->end);
                    append(key, static_cast<std::int64_t>(edit->alt.size()));
                    key += edit->alt;
                }
            }
            append(key, path.unmatched[h].empty() ? -1 : path.ahead[h]);
            key += path.unmatched[h];
            key += '|';
        }
    }

    const ReferenceWindow& reference_;
    std::size_t max_paths_;
    std::string emitted_[2][2];
    std::string combined_;
    std::string key_a_;
    std::string key_b_;
};

struct Event {
    const ComparableVariant* variant;
    int side;
    std::size_t slot;  // index into Path::included
};

}  // namespace

MatchOutcome match_identical_alleles(const std::vector<const ComparableVariant*>& truth,
                                     const std::vector<const ComparableVariant*>& query) {
    MatchOutcome outcome;
    outcome.truth_matched.assign(truth.size(), false);
    outcome.query_matched.assign(query.size(), false);
    for (std::size_t t = 0; t < truth.size(); ++t) {
        for (std::size_t q = 0; q < query.size(); ++q) {
            if (outcome.query_matched[q]) continue;
            const auto& a = truth[t]->haplotypes;
            const auto& b = query[q]->haplotypes;
            if ((a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0])) {
                outcome.truth_matched[t] = true;
                outcome.query_matched[q] = true;
                break;
            }
        }
    }
    return outcome;
}

MatchOutcome HaplotypeMatcher::match(const std::vector<const ComparableVariant*>& truth,
                                     const std::vector<const ComparableVariant*>& query) const {
    MatchOutcome outcome;
    outcome.truth_matched.assign(truth.size(), false);
    outcome.query_matched.assign(query.size(), false);
    if (truth.empty() || query.empty()) return outcome;

    std::vector<Event> events;
    events.reserve(truth.size() + query.size());
    for (std::size_t i = 0; i < truth.size(); ++i) events.push_back({truth[i], truth_side, i});
    for (std::size_t i = 0; i < query.size(); ++i) events.push_back({query[i], query_side, truth.size() + i});
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.variant->start < b.variant->start; });
    std::int64_t finish = events.front().variant->end;
    for (const Event& event : events) finish = std::max(finish, event.variant->end);

    PathSearch search(reference_, options_.max_paths);
    std::vector<Path> paths(1);
    for (auto& side : paths[0].cursors)
        for (auto& cursor : side) cursor.position = events.front().variant->start;
    paths[0].included.assign(events.size(), 0);

    std::unordered_map<std::string, std::size_t> seen;
    std::vector<Path> next;
    for (const Event& event : events) {
        // Bring every path to this variant's start, drop the ones that already disagree, and
        // merge the ones in the same state.
        seen.clear();
        next.clear();
        for (Path& path : paths) {
            if (!search.advance(path, event.variant->start)) continue;
            const auto [it, inserted] = seen.emplace(search.key(path), next.size());
            if (inserted) {
                next.push_back(std::move(path));
            } else if (path.score > next[it->second].score) {
                next[it->second] = std::move(path);
            }
        }
        if (next.size() > search.max_paths()) {
            MatchOutcome fallback = match_identical_alleles(truth, query);
            fallback.too_complex = true;
            return fallback;
        }
        paths.clear();
        const auto& haplotypes = event.variant->haplotypes;
        const int orientations = haplotypes[0] == haplotypes[1] ? 1 : 2;
        for (Path& path : next) {
            for (int orientation = 0; orientation < orientations; ++orientation) {
                auto& cursors = path.cursors[event.side];
                const auto& on_first = haplotypes[static_cast<std::size_t>(orientation)];
                const auto& on_second = haplotypes[static_cast<std::size_t>(1 - orientation)];
                const bool ok =
                    std::all_of(on_first.begin(), on_first.end(), [&](const Edit& e) { return fits(cursors[0], e); }) &&
                    std::all_of(on_second.begin(), on_second.end(), [&](const Edit& e) { return fits(cursors[1], e); });
                if (!ok) continue;
                Path branch = path;
                for (const Edit& edit : on_first) add_pending(branch.cursors[event.side][0], edit);
                for (const Edit& edit : on_second) add_pending(branch.cursors[event.side][1], edit);
                branch.score += event.variant->weight();
                branch.included[event.slot] = static_cast<signed char>(1 + orientation);
                paths.push_back(std::move(branch));
            }
            paths.push_back(std::move(path));  // the variant left out
        }
    }

    const Path* best = nullptr;
    for (Path& path : paths) {
        if (!search.advance(path, finish)) continue;
        if (!path.unmatched[0].empty() || !path.unmatched[1].empty()) continue;
        bool complete = true;
        for (const auto& side : path.cursors)
            for (const auto& cursor : side) complete = complete && cursor.pending.empty() && cursor.position == finish;
        if (!complete) continue;
        if (!best || path.score > best->score) best = &path;
    }
    if (!best) return outcome;  // cannot happen: leaving everything out always matches
    for (std::size_t i = 0; i < truth.size(); ++i) outcome.truth_matched[i] = best->included[i] != 0;
    for (std::size_t i = 0; i < query.size(); ++i) outcome.query_matched[i] = best->included[truth.size() + i] != 0;
    return outcome;
}

}  // namespace genodose::evaluation
