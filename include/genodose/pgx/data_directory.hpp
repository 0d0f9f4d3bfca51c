// Where the pharmacogenomic data live: <data>/reference/pgx, with <data> from
// default_data_directory() (core/resources.hpp: $GENODOSE_DATA_DIR/data, the build or install
// tree) unless --data-dir names it.
#pragma once

#include <string>

#include "genodose/core/resources.hpp"

namespace genodose::pgx {

// <data_directory>/reference/pgx: the PharmCAT allele definitions and genodose_pgx.json.
std::string pgx_data_directory(const std::string& data_directory);

}  // namespace genodose::pgx
