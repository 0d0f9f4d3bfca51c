// The model's input variables: each is a named function of a Patient giving a number, or NaN
// when the input is missing (XGBoost learns where missing values go; nothing is imputed
// except VKORC1 -1639 by the IWPC rules, done when the patient is read).
//
//   FeatureEncoder encoder(model_feature_names, activity_table);
//   std::vector<float> row(encoder.size());
//   encoder.encode(patient, row.data());
//
// A model file lists the names it was trained with; a name this build does not know is an
// error (a model from a newer genodose), never a silently dropped column.
#pragma once

#include <string>
#include <vector>

#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

struct FeatureDefinition {
    std::string name;
    std::string description;
    float (*encode)(const Patient&, const Cyp2c9ActivityTable&);
};

// Every feature this build knows, in a fixed order.
const std::vector<FeatureDefinition>& feature_catalogue();

// Named feature sets searched by `genodose dose train`:
//   "standard": the IWPC covariates — age decade, height, weight, sex, race, VKORC1,
//               CYP2C9 *2/*3 counts and activity score, amiodarone, enzyme inducers, target
//               INR, smoking, indication;
//   "extended": standard + the other VKORC1 SNPs of the IWPC data (3730, 2255, 1173, 1542,
//               497, -4451), other recorded drugs (aspirin, acetaminophen, statins, azole
//               antifungals, sulfonamide and macrolide antibiotics, herbal supplements) and
//               comorbidities (diabetes, heart failure, valve replacement).
std::vector<std::string> feature_set(const std::string& set_name);
std::vector<std::string> feature_set_names();

class FeatureEncoder {
public:
    // InputError if a name is unknown.
    FeatureEncoder(std::vector<std::string> names, Cyp2c9ActivityTable activity);

    std::size_t size() const { return names_.size(); }
    const std::vector<std::string>& names() const { return names_; }
    void encode(const Patient& patient, float* out) const;
    // The value as shown beside a contribution ("2", "172.7", "NA").
    static std::string display_value(float value);

private:
    std::vector<std::string> names_;
    std::vector<const FeatureDefinition*> definitions_;
    Cyp2c9ActivityTable activity_;
};

}  // namespace genodose::dosing
