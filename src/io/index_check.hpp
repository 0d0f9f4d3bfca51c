// Checks that an index (.bai/.csi/.crai/.tbi) belongs to the file it was loaded for. An index of
// another file loads without complaint and then answers region queries with nothing (every
// gene a no-call) or with a seek into the middle of a compressed block; both are bad input.
//
//   const std::string problem = index_mismatch(contigs, lengths, probe);
//   if (!problem.empty()) throw InputError(file_message(index_path, problem));
//
// `probe(tid, begin)` queries [begin, end of contig) and reads one record: it returns the read
// status (>= 0 a record of contig tid, -1 none, < -1 an error or a record of another contig)
// and whether the index listed any data (chunks) for the query. Contigs are probed at four
// evenly spaced starts (each a seek to another place in the file), at most `max_probes` in all.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <utility>

namespace genodose::detail {

struct IndexProbe {
    int status = -1;
    bool index_has_data = false;
};

inline std::string index_mismatch(int index_contigs, const std::function<std::int64_t(int)>& contig_length,
                                  const std::function<IndexProbe(int, std::int64_t)>& probe, int max_probes = 256) {
    int probes = 0;
    for (int tid = 0; tid < index_contigs && probes < max_probes; ++tid) {
        const std::int64_t length = contig_length(tid);
        for (int k = 0; k < 4 && probes < max_probes; ++k) {
            const std::int64_t begin = length > 0 ? length * k / 4 : 0;
            const IndexProbe result = probe(tid, begin);
            ++probes;
            if (result.status < -1)
                return "the index does not match the file (an index of another file? a read at an indexed offset failed)";
            if (result.status == -1) {
                // The whole contig: an index that lists data must lead to a record.
                if (k == 0 && result.index_has_data)
                    return "the index does not match the file (an index of another file? it lists data for contig " +
                           std::to_string(tid + 1) + " where the file has none)";
                break;
            }
            if (length <= 0) break;
        }
    }
    return {};
}

// The index file htslib would load for `path` (the first of the usual names that exists), for
// messages; `path` itself when none does.
inline std::string index_file_name(const std::string& path, std::initializer_list<const char*> extensions) {
    for (const char* extension : extensions) {
        if (::access((path + extension).c_str(), F_OK) == 0) return path + extension;
        const std::size_t dot = path.rfind('.');
        if (dot != std::string::npos && ::access((path.substr(0, dot) + extension).c_str(), F_OK) == 0)
            return path.substr(0, dot) + extension;
    }
    return path;
}

}  // namespace genodose::detail
