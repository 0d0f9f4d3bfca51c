// Finding genodose's shipped files (models/, data/reference/) at run time.
//
//   std::string model = find_resource("models/caller.cnn");
//   std::string data = default_data_directory();               // <root>/data
//
// The genodose root (the folder holding models/ and data/) is, first match wins:
//   1. $GENODOSE_DATA_DIR if set and non-empty — it must be a folder (InputError otherwise), and
//      nothing else is searched, so a typo never silently falls back to other files;
//   2. the folder above the executable (a build folder inside the source tree);
//   3. <folder above the executable>/share/genodose (an installed layout: prefix/bin/genodose);
//   4. the source tree the binary was built from.
// InputError naming every place searched if none has the file.
#pragma once

#include <string>
#include <vector>

namespace genodose {

std::string find_resource(const std::string& relative_path);
std::string default_data_directory();
std::vector<std::string> resource_search_roots();

}  // namespace genodose
