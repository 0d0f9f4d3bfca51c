#include "genodose/io/contig_names.hpp"

#include <algorithm>

namespace genodose {

std::string alternative_contig_name(const std::string& name) {
    if (name == "chrM") return "MT";
    if (name == "MT") return "chrM";
    if (name.rfind("chr", 0) == 0 && name.size() > 3) return name.substr(3);
    if (name.empty()) return {};
    return "chr" + name;
}

std::string match_contig_name(const std::string& name, const std::vector<std::string>& available) {
    if (std::find(available.begin(), available.end(), name) != available.end()) return name;
    const std::string alternative = alternative_contig_name(name);
    if (!alternative.empty() && std::find(available.begin(), available.end(), alternative) != available.end())
        return alternative;
    return {};
}

std::vector<std::string> contig_names(const std::vector<Contig>& contigs) {
    std::vector<std::string> names;
    names.reserve(contigs.size());
    for (const auto& contig : contigs) names.push_back(contig.name);
    return names;
}

}  // namespace genodose
