// Private to dosing/: constants of the model file format shared by training and loading.
#pragma once

namespace genodose::dosing::detail {

inline constexpr const char* model_format_name = "genodose-warfarin-dose-model";
inline constexpr int model_format_version = 1;
// Predictions are floored at 1 mg/week (the smallest IWPC dose is 2.1): the interval is a
// ratio around the prediction and needs it positive.
inline constexpr double minimum_dose = 1.0;

}  // namespace genodose::dosing::detail
