// The one reader of JSON text a user supplies (patient, genotypes, lab configuration, report):
// valid UTF-8, valid JSON, no key twice in one object, each failure an InputError naming the
// file, without quoting its content (which can hold patient data).
//
//   const nlohmann::json json = parse_checked_json<nlohmann::json>(text, path);
//   // "lab.json: lab configuration is not valid JSON: ..." with what = "lab configuration"
//
// Header-only, so that nlohmann_json stays a private dependency of the modules that read JSON;
// include it after <nlohmann/json.hpp>.
#pragma once

#include <string>

#include "genodose/core/error.hpp"
#include "genodose/core/text_input.hpp"

namespace genodose {

template <typename Json>
Json parse_checked_json(const std::string& text, const std::string& source, const std::string& what = "") {
    require_utf8(text, source);
    Json json;
    try {
        json = Json::parse(text);
    } catch (const typename Json::exception& e) {  // parse_error, and out_of_range for numbers beyond double
        throw InputError(file_message(
            source, (what.empty() ? "" : what + " is ") + "not valid JSON: " + without_input_excerpt(e.what())));
    }
    require_unique_json_keys(text, source);
    return json;
}

}  // namespace genodose
