// Private to calling/: the k-mer graph LocalRealigner assembles candidate haplotypes from.
//
//   graph.reset(k);
//   if (!graph.add_reference(window_sequence)) ...      // a repeated k-mer: k is too short
//   graph.add_sequence(bases, qualities, begin, end, min_base_quality);   // per read
//   graph.prune(min_kmer_support);
//   if (!graph.source_to_sink_is_acyclic()) ...        // try a longer k
//   if (!graph.alternative_paths(max_paths, paths)) ... // too many: give up on the window
//
// Nodes are k-mers (views into the reference and the reads, which must outlive the graph's use);
// edges count the reads that share them, reference edges are always kept. The graph is reused
// window after window (one per realigner, so per thread): reset() keeps its buffers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace genodose {

class DeBruijnGraph {
public:
    struct Path {
        std::string sequence;
        int support = 0;  // reads on its weakest non-reference edge
    };

    void reset(int k);
    // The reference path from its first k-mer (the source) to its last (the sink); false if a
    // k-mer repeats in it.
    bool add_reference(std::string_view reference);
    // The k-mers of bases[begin, end) as a path, broken at N and at bases below min_base_quality.
    void add_sequence(const char* bases, const std::uint8_t* qualities, int begin, int end, int min_base_quality);
    // Drops non-reference edges fewer than min_support reads share; orders edges by k-mer.
    void prune(int min_support);
    // False when a cycle lies on some source→sink path.
    bool source_to_sink_is_acyclic();
    // Every source→sink path other than the reference (in the order a depth-first walk over
    // k-mer-ordered edges finds them); false when there are more than max_paths.
    bool alternative_paths(std::size_t max_paths, std::vector<Path>& paths);

private:
    struct Edge {
        int to = 0;
        int weight = 0;
        bool reference = false;
    };
    int node(std::string_view kmer);
    void add_edge(int from, int to, bool reference);
    void mark_nodes_reaching_sink();

    int k_ = 0;
    std::string_view reference_;
    int source_ = 0, sink_ = 0;
    std::unordered_map<std::string_view, int> node_of_;
    std::vector<std::string_view> kmers_;
    std::vector<std::vector<Edge>> edges_;
    std::vector<char> reaches_sink_;
};

}  // namespace genodose
