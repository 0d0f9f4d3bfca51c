// Where genodose finds the data it ships (allele definitions, phenotype tables, models).
//
//   std::string data = genodose::default_data_directory();        // e.g. /opt/genodose/share/genodose/data
//   std::string pgx  = genodose::pgx::pgx_data_directory(data);    // <data>/reference/pgx
//
// Resolution order of default_data_directory(), first match wins:
//   1. $GENODOSE_DATA_DIR, if set and non-empty (must be a folder: InputError otherwise, so a
//      typo never silently falls back to other data);
//   2. <folder of the running executable>/../share/genodose/data (an installed layout);
//   3. the source tree this binary was compiled from: <source>/data (a build tree).
// InputError naming every place tried when none exists. Any module may use it.
#pragma once

#include <string>

namespace genodose {

std::string default_data_directory();

namespace pgx {

// <data_directory>/reference/pgx: the PharmCAT allele definitions and genodose_pgx.json.
std::string pgx_data_directory(const std::string& data_directory);

}  // namespace pgx
}  // namespace genodose
