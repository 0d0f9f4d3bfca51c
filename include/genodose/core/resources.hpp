// Finding genodose's shipped files (models/, data/reference/) at run time.
//
//   std::string model = find_resource("models/caller.cnn");
//
// Looked up, in order, under: $GENODOSE_DATA_DIR; the folder above the executable (a build
// folder inside the source tree, or an install prefix's share/genodose); the source tree the
// binary was built from. InputError naming every place searched if none has it.
#pragma once

#include <string>
#include <vector>

namespace genodose {

std::string find_resource(const std::string& relative_path);
std::vector<std::string> resource_search_roots();

}  // namespace genodose
