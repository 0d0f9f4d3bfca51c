#include "de_bruijn_graph.hpp"

#include <algorithm>
#include <limits>

namespace genodose {

void DeBruijnGraph::reset(int k) {
    k_ = k;
    reference_ = {};
    node_of_.clear();
    kmers_.clear();
    edges_.clear();
    reaches_sink_.clear();
}

int DeBruijnGraph::node(std::string_view kmer) {
    const auto [it, inserted] = node_of_.emplace(kmer, static_cast<int>(kmers_.size()));
    if (inserted) {
        kmers_.push_back(kmer);
        edges_.emplace_back();
    }
    return it->second;
}

void DeBruijnGraph::add_edge(int from, int to, bool reference) {
    for (Edge& e : edges_[static_cast<std::size_t>(from)])
        if (e.to == to) {
            if (reference) e.reference = true;
            else ++e.weight;
            return;
        }
    edges_[static_cast<std::size_t>(from)].push_back({to, reference ? 0 : 1, reference});
}

bool DeBruijnGraph::add_reference(std::string_view reference) {
    reference_ = reference;
    int previous = -1;
    for (std::size_t i = 0; i + static_cast<std::size_t>(k_) <= reference.size(); ++i) {
        const std::size_t before = kmers_.size();
        const int current = node(reference.substr(i, static_cast<std::size_t>(k_)));
        if (kmers_.size() == before) return false;
        if (previous >= 0) add_edge(previous, current, true);
        previous = current;
    }
    source_ = 0;
    sink_ = previous;
    return true;
}

void DeBruijnGraph::add_sequence(const char* bases, const std::uint8_t* qualities, int begin, int end,
                                 int min_base_quality) {
    int previous_node = -1;
    int last_bad = begin - 1;
    for (int i = begin; i < end; ++i) {
        if (bases[i] == 'N' || qualities[i] < min_base_quality) last_bad = i;
        if (i - k_ + 1 < begin) continue;
        if (last_bad > i - k_) {
            previous_node = -1;
            continue;
        }
        const int current = node(std::string_view(bases + i - k_ + 1, static_cast<std::size_t>(k_)));
        if (previous_node >= 0) add_edge(previous_node, current, false);
        previous_node = current;
    }
}

void DeBruijnGraph::prune(int min_support) {
    for (auto& list : edges_) {
        list.erase(std::remove_if(list.begin(), list.end(),
                                  [&](const Edge& e) { return !e.reference && e.weight < min_support; }),
                   list.end());
        std::sort(list.begin(), list.end(), [&](const Edge& a, const Edge& b) {
            return kmers_[static_cast<std::size_t>(a.to)] < kmers_[static_cast<std::size_t>(b.to)];
        });
    }
    mark_nodes_reaching_sink();
}

void DeBruijnGraph::mark_nodes_reaching_sink() {
    const std::size_t nodes = kmers_.size();
    reaches_sink_.assign(nodes, 0);
    std::vector<std::vector<int>> reverse(nodes);
    for (std::size_t n = 0; n < nodes; ++n)
        for (const Edge& e : edges_[n]) reverse[static_cast<std::size_t>(e.to)].push_back(static_cast<int>(n));
    std::vector<int> stack{sink_};
    reaches_sink_[static_cast<std::size_t>(sink_)] = 1;
    while (!stack.empty()) {
        const int n = stack.back();
        stack.pop_back();
        for (int from : reverse[static_cast<std::size_t>(n)])
            if (!reaches_sink_[static_cast<std::size_t>(from)]) {
                reaches_sink_[static_cast<std::size_t>(from)] = 1;
                stack.push_back(from);
            }
    }
}

bool DeBruijnGraph::source_to_sink_is_acyclic() {
    // Colour DFS over the nodes on some source→sink path.
    std::vector<std::uint8_t> colour(kmers_.size(), 0);
    std::vector<std::pair<int, std::size_t>> stack{{source_, 0}};
    colour[static_cast<std::size_t>(source_)] = 1;
    while (!stack.empty()) {
        auto& [n, next] = stack.back();
        const auto& list = edges_[static_cast<std::size_t>(n)];
        if (next == list.size() || n == sink_) {
            colour[static_cast<std::size_t>(n)] = 2;
            stack.pop_back();
            continue;
        }
        const int to = list[next++].to;
        if (!reaches_sink_[static_cast<std::size_t>(to)]) continue;
        if (colour[static_cast<std::size_t>(to)] == 1) return false;
        if (colour[static_cast<std::size_t>(to)] == 0) {
            colour[static_cast<std::size_t>(to)] = 1;
            stack.emplace_back(to, 0);
        }
    }
    return true;
}

bool DeBruijnGraph::alternative_paths(std::size_t max_paths, std::vector<Path>& paths) {
    paths.clear();
    std::vector<int> path_nodes{source_};
    std::vector<int> path_support{std::numeric_limits<int>::max()};
    std::vector<std::size_t> path_next{0};
    while (!path_nodes.empty()) {
        const int n = path_nodes.back();
        if (n == sink_) {
            Path path;
            path.sequence.assign(kmers_[static_cast<std::size_t>(path_nodes[0])]);
            for (std::size_t i = 1; i < path_nodes.size(); ++i)
                path.sequence.push_back(kmers_[static_cast<std::size_t>(path_nodes[i])].back());
            path.support = path_support.back();
            if (path.sequence != reference_) paths.push_back(std::move(path));
            if (paths.size() > max_paths) return false;
            path_nodes.pop_back();
            path_support.pop_back();
            path_next.pop_back();
            continue;
        }
        const auto& list = edges_[static_cast<std::size_t>(n)];
        std::size_t& next = path_next.back();
        while (next < list.size() && !reaches_sink_[static_cast<std::size_t>(list[next].to)]) ++next;
        if (next == list.size() || path_nodes.size() > reference_.size() * 2) {
            path_nodes.pop_back();
            path_support.pop_back();
            path_next.pop_back();
            continue;
        }
        const Edge& e = list[next++];
        const int support = e.reference ? path_support.back() : std::min(path_support.back(), e.weight);
        path_nodes.push_back(e.to);
        path_support.push_back(support);
        path_next.push_back(0);
    }
    return true;
}

}  // namespace genodose
