#include "genodose/pgx/data_directory.hpp"

#include <filesystem>

namespace genodose::pgx {

std::string pgx_data_directory(const std::string& data_directory) {
    return (std::filesystem::path(data_directory) / "reference" / "pgx").string();
}

}  // namespace genodose::pgx
