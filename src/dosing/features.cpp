#include "genodose/dosing/features.hpp"

#include <cmath>
#include <limits>

#include "genodose/core/error.hpp"
#include "text_util.hpp"

namespace genodose::dosing {

namespace {

constexpr float missing = std::numeric_limits<float>::quiet_NaN();

float from(const std::optional<double>& value) { return value ? static_cast<float>(*value) : missing; }
float from(const std::optional<int>& value) { return value ? static_cast<float>(*value) : missing; }
float from(const std::optional<bool>& value) { return value ? (*value ? 1.0f : 0.0f) : missing; }

float race_is(const Patient& p, Race race) { return p.race == race ? 1.0f : 0.0f; }

float indication_is(const Patient& p, unsigned bits) {
    if (!p.indications) return missing;
    return (*p.indications & bits) ? 1.0f : 0.0f;
}

float activity_score(const Patient& p, const Cyp2c9ActivityTable& table) {
    if (!p.cyp2c9.known() || p.cyp2c9.activity_score_unknown) return missing;
    if (p.cyp2c9.activity_score) return static_cast<float>(*p.cyp2c9.activity_score);
    return from(table.activity_score(p.cyp2c9.diplotype));
}

using Table = Cyp2c9ActivityTable;

const std::vector<FeatureDefinition> catalogue = {
    {"age_decade", "age in decades (IWPC coding: 1 = 10-19 ... 9 = 90+)",
     [](const Patient& p, const Table&) { return from(p.age_decade); }},
    {"height_cm", "height (cm)", [](const Patient& p, const Table&) { return from(p.height_cm); }},
    {"weight_kg", "weight (kg)", [](const Patient& p, const Table&) { return from(p.weight_kg); }},
    {"sex_male", "male sex (1) or female (0)",
     [](const Patient& p, const Table&) { return p.sex == Sex::unknown ? missing
                                                 : p.sex == Sex::male  ? 1.0f
                                                                       : 0.0f; }},
    {"race_asian", "race Asian", [](const Patient& p, const Table&) { return race_is(p, Race::asian); }},
    {"race_black", "race Black or African American",
     [](const Patient& p, const Table&) { return race_is(p, Race::black_or_african_american); }},
    {"race_unknown", "race unknown or mixed", [](const Patient& p, const Table&) { return race_is(p, Race::unknown); }},
    {"vkorc1_1639_a_alleles", "VKORC1 -1639 A alleles (0-2)",
     [](const Patient& p, const Table&) { return from(p.vkorc1.a_alleles); }},
    {"vkorc1_3730_a_alleles", "VKORC1 3730G>A (rs7294) A alleles",
     [](const Patient& p, const Table&) { return from(p.vkorc1_3730_a_alleles); }},
    {"vkorc1_2255_t_alleles", "VKORC1 2255C>T (rs2359612) T alleles",
     [](const Patient& p, const Table&) { return from(p.vkorc1_2255_t_alleles); }},
    {"vkorc1_1173_t_alleles", "VKORC1 1173C>T (rs9934438) T alleles",
     [](const Patient& p, const Table&) { return from(p.vkorc1_1173_t_alleles); }},
    {"vkorc1_1542_c_alleles", "VKORC1 1542G>C (rs8050894) C alleles",
     [](const Patient& p, const Table&) { return from(p.vkorc1_1542_c_alleles); }},
    {"vkorc1_497_g_alleles", "VKORC1 497T>G (rs2884737) G alleles",
     [](const Patient& p, const Table&) { return from(p.vkorc1_497_g_alleles); }},
    {"vkorc1_4451_a_alleles", "VKORC1 -4451C>A (rs17880887) A alleles",
     [](const Patient& p, const Table&) { return from(p.vkorc1_4451_a_alleles); }},
    {"cyp2c9_star2_alleles", "CYP2C9*2 alleles (0-2)",
     [](const Patient& p, const Table&) { return p.cyp2c9.known() ? from(p.cyp2c9.star2_alleles) : missing; }},
    {"cyp2c9_star3_alleles", "CYP2C9*3 alleles (0-2)",
     [](const Patient& p, const Table&) { return p.cyp2c9.known() ? from(p.cyp2c9.star3_alleles) : missing; }},
    {"cyp2c9_activity_score", "CYP2C9 activity score (CPIC)", activity_score},
    {"amiodarone", "takes amiodarone", [](const Patient& p, const Table&) { return from(p.amiodarone); }},
    {"enzyme_inducer", "takes carbamazepine, phenytoin or rifampin",
     [](const Patient& p, const Table&) { return from(p.enzyme_inducer()); }},
    {"target_inr", "target INR (or midpoint of the target range)",
     [](const Patient& p, const Table&) { return from(p.target_inr); }},
    {"smoker", "current smoker", [](const Patient& p, const Table&) { return from(p.smoker); }},
    {"indication_vte", "indication DVT or PE",
     [](const Patient& p, const Table&) { return indication_is(p, indication_dvt | indication_pe); }},
    {"indication_af", "indication atrial fibrillation/flutter",
     [](const Patient& p, const Table&) { return indication_is(p, indication_af); }},
    {"indication_heart_valve", "indication heart valve",
     [](const Patient& p, const Table&) { return indication_is(p, indication_heart_valve); }},
    {"indication_stroke", "indication stroke",
     [](const Patient& p, const Table&) { return indication_is(p, indication_stroke); }},
    {"indication_other", "indication cardiomyopathy, post-orthopedic or other",
     [](const Patient& p, const Table&) {
         return indication_is(p, indication_cardiomyopathy | indication_post_orthopedic | indication_other);
     }},
    {"aspirin", "takes aspirin", [](const Patient& p, const Table&) { return from(p.aspirin); }},
    {"acetaminophen", "takes acetaminophen/paracetamol",
     [](const Patient& p, const Table&) { return from(p.acetaminophen); }},
    {"statin", "takes a statin", [](const Patient& p, const Table&) { return from(p.statin); }},
    {"azole_antifungal", "takes an azole antifungal",
     [](const Patient& p, const Table&) { return from(p.azole_antifungal); }},
    {"sulfonamide_antibiotic", "takes a sulfonamide antibiotic",
     [](const Patient& p, const Table&) { return from(p.sulfonamide_antibiotic); }},
    {"macrolide_antibiotic", "takes a macrolide antibiotic",
     [](const Patient& p, const Table&) { return from(p.macrolide_antibiotic); }},
    {"herbal_supplement", "takes herbal medications, vitamins or supplements",
     [](const Patient& p, const Table&) { return from(p.herbal_supplement); }},
    {"diabetes", "diabetes", [](const Patient& p, const Table&) { return from(p.diabetes); }},
    {"heart_failure", "congestive heart failure and/or cardiomyopathy",
     [](const Patient& p, const Table&) { return from(p.heart_failure); }},
    {"valve_replacement", "valve replacement",
     [](const Patient& p, const Table&) { return from(p.valve_replacement); }},
};

const std::vector<std::string> standard_set = {"age_decade",
                                               "height_cm",
                                               "weight_kg",
                                               "sex_male",
                                               "race_asian",
                                               "race_black",
                                               "race_unknown",
                                               "vkorc1_1639_a_alleles",
                                               "cyp2c9_star2_alleles",
                                               "cyp2c9_star3_alleles",
                                               "cyp2c9_activity_score",
                                               "amiodarone",
                                               "enzyme_inducer",
                                               "target_inr",
                                               "smoker",
                                               "indication_vte",
                                               "indication_af",
                                               "indication_heart_valve",
                                               "indication_stroke",
                                               "indication_other"};

const std::vector<std::string> extended_extra = {"vkorc1_3730_a_alleles",
                                                 "vkorc1_2255_t_alleles",
                                                 "vkorc1_1173_t_alleles",
                                                 "vkorc1_1542_c_alleles",
                                                 "vkorc1_497_g_alleles",
                                                 "vkorc1_4451_a_alleles",
                                                 "aspirin",
                                                 "acetaminophen",
                                                 "statin",
                                                 "azole_antifungal",
                                                 "sulfonamide_antibiotic",
                                                 "macrolide_antibiotic",
                                                 "herbal_supplement",
                                                 "diabetes",
                                                 "heart_failure",
                                                 "valve_replacement"};

}  // namespace

const std::vector<FeatureDefinition>& feature_catalogue() { return catalogue; }

std::vector<std::string> feature_set_names() { return {"standard", "extended"}; }

std::vector<std::string> feature_set(const std::string& set_name) {
    if (set_name == "standard") return standard_set;
    if (set_name == "extended") {
        auto names = standard_set;
        names.insert(names.end(), extended_extra.begin(), extended_extra.end());
        return names;
    }
    throw UsageError("unknown feature set '" + set_name + "' (expected standard or extended)");
}

FeatureEncoder::FeatureEncoder(std::vector<std::string> names, Cyp2c9ActivityTable activity)
    : names_(std::move(names)), activity_(std::move(activity)) {
    for (const auto& name : names_) {
        const FeatureDefinition* found = nullptr;
        for (const auto& definition : catalogue) {
            if (definition.name == name) found = &definition;
        }
        if (!found)
            throw InputError("model feature '" + name +
                             "' is not known to this genodose version (model from a newer version?)");
        definitions_.push_back(found);
    }
}

void FeatureEncoder::encode(const Patient& patient, float* out) const {
    for (std::size_t i = 0; i < definitions_.size(); ++i) out[i] = definitions_[i]->encode(patient, activity_);
}

std::string FeatureEncoder::display_value(float value) {
    if (std::isnan(value)) return "NA";
    if (value == std::floor(value) && std::fabs(value) < 1e6) return std::to_string(static_cast<long long>(value));
    return detail::format_fixed(value, 1);
}

}  // namespace genodose::dosing
