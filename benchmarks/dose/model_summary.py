#!/usr/bin/env python3
"""Prints what a genodose dose model file says about itself: the selected settings, the search
results, the per-fold choices of the nested cross-validation, the interval, and provenance.

Usage: model_summary.py models/warfarin_dose.json
"""
import json
import sys


def main():
    m = json.load(open(sys.argv[1]))
    t = m["training"]
    print(f"Model: {m['format']} v{m['format_version']}, genodose {m['genodose_version']}, XGBoost {m['xgboost_version']}")
    print(f"Training command: {t['command']}")
    print(f"Data: {t['data_name']} sha256 {t['data_sha256']}; {t['rows_read']} rows read, {t['rows_used']} used, "
          f"{t['rows_dropped_missing_dose']} without a dose")
    print(f"Selected: {m['search']['selected']}")
    print(f"Features ({len(m['features'])}): {', '.join(m['features'])}")
    c = m["conformal"]
    print(f"Interval: nominal {c['nominal_coverage']}, log ratio [{c['lower_log_ratio']:.4f}, {c['upper_log_ratio']:.4f}] "
          f"= x{2.718281828459045 ** c['lower_log_ratio']:.3f} .. x{2.718281828459045 ** c['upper_log_ratio']:.3f} of the prediction, "
          f"n = {c['calibration_size']}")
    for b in c.get("predicted_dose_bands", []):
        source = "pooled (too few residuals in the band)" if b["pooled"] else "its own residuals"
        print(f"  predicted {b['predicted_mg_per_week']} mg/week: x{2.718281828459045 ** b['lower_log_ratio']:.3f} .. "
              f"x{2.718281828459045 ** b['upper_log_ratio']:.3f}, n = {b['calibration_size']}, {source}")
    for g in c.get("race_groups", []):
        source = "pooled (too few residuals in the group)" if g["pooled"] else "its own residuals"
        print(f"  race {g['race']}: x{2.718281828459045 ** g['lower_log_ratio']:.3f} .. "
              f"x{2.718281828459045 ** g['upper_log_ratio']:.3f}, n = {g['calibration_size']}, {source}")
    for g in c.get("missingness_groups", []):
        source = "pooled (too few residuals in the group)" if g["pooled"] else "its own residuals (observed + masked copies)"
        print(f"  missing core inputs {g['missing_core_inputs']}: x{2.718281828459045 ** g['lower_log_ratio']:.3f} .. "
              f"x{2.718281828459045 ** g['upper_log_ratio']:.3f}, n = {g['calibration_size']}, {source}")
    if c.get("missingness_groups"):
        print("  a patient gets the widest of the band's, the race group's and the missingness group's interval")
    elif c.get("race_groups"):
        print("  a patient gets the wider of the band's and the race group's interval")
    for name, r in m.get("covariate_ranges", {}).items():
        print(f"  training range {name}: {r['min']} .. {r['max']} ({r['patients']} patients)")
    print()
    criterion = m["search"]["grid"]["criterion"]
    macro = "race" in criterion
    key = "cv_race_macro_mae_mg_per_week" if macro else "cv_mae_mg_per_week"
    print(f"Search on all rows; criterion: {criterion}; best number of rounds per grid point; best first:")
    print()
    print("| feature set | transform | depth | objective | linear base | rounds | CV MAE, race groups averaged | CV MAE | CV % within 20 |")
    print("|---|---|---:|---|---|---:|---:|---:|---:|")
    for r in sorted(m["search"]["results"], key=lambda r: r[key]):
        print(f"| {r['feature_set']} | {r['target_transform']} | {r['max_depth']} | {r['objective']} | "
              f"{'yes' if r.get('linear_base') else 'no'} | {r['best_rounds']} | "
              f"{r.get('cv_race_macro_mae_mg_per_week', float('nan')):.3f} | {r['cv_mae_mg_per_week']:.3f} | "
              f"{r['cv_within_20_percent']:.2f} |")
    cv = m.get("cross_validation")
    if cv:
        print()
        print("Nested cross-validation, choice made inside each outer training set:")
        print()
        print("| outer fold | n | selected | MAE | % within 20 |")
        print("|---:|---:|---|---:|---:|")
        for f in cv["outer_folds"]:
            print(f"| {f['fold']} | {f['n']} | {f['selected']} | {f['mae_mg_per_week']:.2f} | {f['within_20_percent']:.1f} |")


if __name__ == "__main__":
    main()
