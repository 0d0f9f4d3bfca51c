// Training (quick grid on the fixture), determinism, prediction, contributions, intervals,
// evaluation metrics and model files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "genodose/core/error.hpp"
#include "genodose/dosing/dose_commands.hpp"
#include "genodose/dosing/dose_model.hpp"
#include "genodose/dosing/evaluation.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/dosing/training.hpp"

using namespace genodose;
using namespace genodose::dosing;
namespace fs = std::filesystem;

namespace {

const std::string data_dir = std::string(GENODOSE_TEST_DATA) + "/dosing";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct ScratchDir {
    fs::path path;
    ScratchDir() {
        path = fs::temp_directory_path() /
               ("genodose-dosing-test-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
        fs::create_directories(path);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
    std::string file(const std::string& name) const { return (path / name).string(); }
};

DoseTrainingOptions quick_options(const std::string& output, int threads) {
    DoseTrainingOptions o;
    o.iwpc_csv = data_dir + "/iwpc_subset.csv";
    o.cyp2c9_phenotypes = data_dir + "/cyp2c9_activity_values.json";
    o.output = output;
    o.folds = 3;
    o.seed = 11;
    o.threads = threads;
    o.grid_name = "quick";
    o.grid = DoseSearchGrid::named("quick");
    return o;
}

// One quick model shared by the tests below (trained once).
const std::string& shared_model_path() {
    static ScratchDir dir;
    static const std::string path = [] {
        const std::string p = dir.file("model.json");
        train_dose_model(quick_options(p, 1));
        return p;
    }();
    return path;
}

}  // namespace

TEST_CASE("split-conformal quantiles on the log ratio", "[dosing][conformal]") {
    // 9 residuals log(actual/pred) = -4..4 (x 0.1); coverage 0.8: k_lo = floor(10*0.1) = 1,
    // k_hi = ceil(10*0.9) = 9 -> the smallest and the largest.
    std::vector<double> predicted, actual;
    for (int i = -4; i <= 4; ++i) {
        predicted.push_back(30);
        actual.push_back(30 * std::exp(0.1 * i));
    }
    const auto interval = calibrate_conformal(predicted, actual, std::vector<Race>(actual.size(), Race::white), 0.8);
    CHECK(interval.lower_log_ratio == Approx(-0.4));
    CHECK(interval.upper_log_ratio == Approx(0.4));
    CHECK(interval.calibration_size == 9);
    const auto [low, high] = interval.apply(20, Race::white);
    CHECK(low == Approx(20 * std::exp(-0.4)));
    CHECK(high == Approx(20 * std::exp(0.4)));
    // With 99 residuals -49..49: k_lo = floor(100*0.1) = 10 -> -40; k_hi = ceil(90) = 90 -> 40.
    predicted.clear();
    actual.clear();
    for (int i = -49; i <= 49; ++i) {
        predicted.push_back(10);
        actual.push_back(10 * std::exp(0.01 * i));
    }
    const auto wide = calibrate_conformal(predicted, actual, std::vector<Race>(actual.size(), Race::asian), 0.8);
    CHECK(wide.lower_log_ratio == Approx(-0.40));
    CHECK(wide.upper_log_ratio == Approx(0.40));
    // Too few residuals for the coverage asked for.
    CHECK_THROWS_AS(calibrate_conformal({1, 2, 3}, {1, 2, 3}, std::vector<Race>(3, Race::white), 0.8), InternalError);
    CHECK_THROWS_AS(calibrate_conformal({1, 2, 3}, {1, 2, 3}, {Race::white}, 0.8), InternalError);
}

TEST_CASE("conformal interval calibrated per band of the predicted dose", "[dosing][conformal]") {
    // 199 patients predicted 15 mg/week with residuals -0.99..0.99 (wide), 199 predicted
    // 35 mg/week with -0.199..0.199 (narrow), 20 predicted 60 mg/week (too few for a band).
    std::vector<double> predicted, actual;
    auto add = [&](double prediction, int count, double step) {
        for (int i = -(count / 2); i <= count / 2; ++i) {
            predicted.push_back(prediction);
            actual.push_back(prediction * std::exp(step * i));
        }
    };
    add(15, 199, 0.01);
    add(35, 199, 0.002);
    add(60, 19, 0.01);
    // One race for all: its group holds every residual, so this test looks at the bands alone.
    auto interval = calibrate_conformal(predicted, actual, std::vector<Race>(actual.size(), Race::white), 0.8);
    REQUIRE(interval.race_groups.size() == race_group_count);
    interval.race_groups.clear();
    REQUIRE(interval.bands.size() == predicted_dose_band_count);
    // 199 residuals: k_lo = floor(200 * 0.1) = 20 -> residual index -80 of -99..99.
    CHECK(interval.bands[0].calibration_size == 199);
    CHECK_FALSE(interval.bands[0].pooled);
    CHECK(interval.bands[0].lower_log_ratio == Approx(-0.80));
    CHECK(interval.bands[0].upper_log_ratio == Approx(0.80));
    CHECK(interval.bands[1].lower_log_ratio == Approx(-0.16));
    CHECK(interval.bands[1].upper_log_ratio == Approx(0.16));
    CHECK(interval.bands[2].calibration_size == 19);
    CHECK(interval.bands[2].pooled);
    CHECK(interval.bands[2].lower_log_ratio == interval.lower_log_ratio);
    // Each prediction gets its band's ratios; the pooled ones lie between the two bands'.
    CHECK(interval.apply(15, Race::white).first == Approx(15 * std::exp(-0.80)));
    CHECK(interval.apply(35, Race::white).second == Approx(35 * std::exp(0.16)));
    CHECK(interval.apply(60, Race::white).first == Approx(60 * std::exp(interval.lower_log_ratio)));
    CHECK(interval.lower_log_ratio > -0.80);
    CHECK(interval.lower_log_ratio < -0.16);
    // Band edges are the IWPC dose bands.
    CHECK(predicted_dose_band(21) == 0);
    CHECK(predicted_dose_band(21.01) == 1);
    CHECK(predicted_dose_band(48.99) == 1);
    CHECK(predicted_dose_band(49) == 2);
    // A model without bands (made before them) uses the pooled ratios.
    ConformalInterval pooled_only = interval;
    pooled_only.bands.clear();
    CHECK(pooled_only.apply(15, Race::white).first == Approx(15 * std::exp(interval.lower_log_ratio)));
}

TEST_CASE("conformal interval also calibrated per race group, the wider interval wins", "[dosing][conformal]") {
    // All predicted 30 mg/week (one band). 299 White patients with narrow residuals
    // -0.149..0.149, 199 Black patients with wide ones -0.99..0.99, 49 Asian (too few).
    std::vector<double> predicted, actual;
    std::vector<Race> races;
    auto add = [&](Race race, int count, double step) {
        for (int i = -(count / 2); i <= count / 2; ++i) {
            predicted.push_back(30);
            actual.push_back(30 * std::exp(step * i));
            races.push_back(race);
        }
    };
    add(Race::white, 299, 0.001);
    add(Race::black_or_african_american, 199, 0.01);
    add(Race::asian, 49, 0.001);
    const auto interval = calibrate_conformal(predicted, actual, races, 0.8);
    REQUIRE(interval.race_groups.size() == race_group_count);
    const auto& white = interval.race_groups[static_cast<std::size_t>(Race::white)];
    const auto& black = interval.race_groups[static_cast<std::size_t>(Race::black_or_african_american)];
    const auto& asian = interval.race_groups[static_cast<std::size_t>(Race::asian)];
    const auto& unknown = interval.race_groups[static_cast<std::size_t>(Race::unknown)];
    // 299 residuals: k_lo = floor(300 * 0.1) = 30 -> index -120 of -149..149; 199: -80 of -99..99.
    CHECK(white.calibration_size == 299);
    CHECK(white.lower_log_ratio == Approx(-0.120));
    CHECK(black.lower_log_ratio == Approx(-0.80));
    CHECK(black.upper_log_ratio == Approx(0.80));
    CHECK(asian.pooled);
    CHECK(unknown.calibration_size == 0);
    CHECK(unknown.pooled);
    // The band (every residual) is wider than the White group and narrower than the Black one:
    // White patients get the band's interval, Black patients their group's.
    const auto& band = interval.bands[predicted_dose_band(30)];
    CHECK(band.lower_log_ratio < white.lower_log_ratio);
    CHECK(band.lower_log_ratio > black.lower_log_ratio);
    CHECK(interval.apply(30, Race::white).first == Approx(30 * std::exp(band.lower_log_ratio)));
    CHECK(interval.apply(30, Race::white).second == Approx(30 * std::exp(band.upper_log_ratio)));
    CHECK(interval.apply(30, Race::black_or_african_american).first == Approx(30 * std::exp(-0.80)));
    CHECK(interval.apply(30, Race::black_or_african_american).second == Approx(30 * std::exp(0.80)));
    // Coverage on the calibration residuals themselves: at least 80% within each group with its own quantiles.
    for (Race race : {Race::white, Race::black_or_african_american}) {
        std::size_t in_group = 0, covered = 0;
        for (std::size_t i = 0; i < actual.size(); ++i) {
            if (races[i] != race) continue;
            ++in_group;
            const auto [low, high] = interval.apply(predicted[i], race);
            covered += actual[i] >= low - 1e-9 && actual[i] <= high + 1e-9;
        }
        CHECK(static_cast<double>(covered) / static_cast<double>(in_group) >= 0.8);
    }
    // A model made before race groups: the band alone.
    ConformalInterval bands_only = interval;
    bands_only.race_groups.clear();
    CHECK(bands_only.apply(30, Race::black_or_african_american).first == Approx(30 * std::exp(band.lower_log_ratio)));
}

TEST_CASE("accuracy metrics and groups", "[dosing][evaluation]") {
    const auto m = accuracy({10, 24, 50}, {10, 20, 40});
    CHECK(m.n == 3);
    CHECK(m.mae == Approx((0 + 4 + 10) / 3.0));
    CHECK(m.within_20 == Approx(2.0 / 3.0));  // 24 vs 20 is exactly 20%: within
    const double mean = 70.0 / 3;
    const double ss_tot = (10 - mean) * (10 - mean) + (20 - mean) * (20 - mean) + (40 - mean) * (40 - mean);
    CHECK(m.r2 == Approx(1 - (0 + 16 + 100) / ss_tot));

    std::vector<EvaluatedDose> rows;
    rows.push_back({Race::white, 20, 22, 25.0, 30.0, std::make_pair(15.0, 30.0)});
    rows.push_back({Race::black_or_african_american, 50, 40, std::nullopt, std::nullopt, std::make_pair(30.0, 45.0)});
    const auto evaluation = evaluate_doses(rows, 0.8);
    const auto& overall = evaluation.groups.front();
    CHECK(overall.name == "overall");
    CHECK(overall.n_all == 2);
    CHECK(overall.n_compared == 1);  // the second has no equation dose
    CHECK(overall.compared.at(method_iwpc_pgx).mae == Approx(5));
    CHECK(overall.compared.at(method_fixed).mae == Approx(15));
    CHECK(*overall.interval_coverage == Approx(0.5));
    bool saw_band = false;
    for (const auto& g : evaluation.groups)
        if (g.name == "dose >= 49") {
            CHECK(g.n_all == 1);
            saw_band = true;
        }
    CHECK(saw_band);
    CHECK(evaluation_json(evaluation, "test").find("\"within_20_percent\"") != std::string::npos);
}

TEST_CASE("training is deterministic: same bytes whatever the thread count", "[dosing][train]") {
    ScratchDir dir;
    const auto a = train_dose_model(quick_options(dir.file("a.json"), 1));
    const auto b = train_dose_model(quick_options(dir.file("b.json"), 2));
    CHECK(a.model_sha256 == b.model_sha256);
    CHECK(read_file(dir.file("a.json")) == read_file(dir.file("b.json")));
    auto other_seed = quick_options(dir.file("c.json"), 2);
    other_seed.seed = 12;
    CHECK(train_dose_model(other_seed).model_sha256 != a.model_sha256);
    CHECK(a.rows_used + a.rows_without_dose == 244);
    CHECK_FALSE(a.cv_table.empty());
}

TEST_CASE("training refuses bad inputs before working", "[dosing][train][errors]") {
    ScratchDir dir;
    auto o = quick_options(dir.file("m.json"), 1);
    o.output = dir.file("no-such-folder/m.json");
    CHECK_THROWS_AS(train_dose_model(o), OutputError);
    o = quick_options(dir.file("m.json"), 1);
    o.cyp2c9_phenotypes = data_dir + "/genotypes.json";
    CHECK_THROWS_AS(train_dose_model(o), InputError);
    CHECK_FALSE(fs::exists(dir.file("m.json")));
    CHECK_THROWS_AS(DoseSearchGrid::named("enormous"), UsageError);
}

TEST_CASE("a trained model predicts with intervals, equations and additive contributions", "[dosing][predict]") {
    const DoseModel model = DoseModel::load(shared_model_path());
    const auto records = read_iwpc_csv(data_dir + "/iwpc_subset.csv");
    std::vector<Patient> patients;
    for (const auto& r : records) patients.push_back(r.patient);
    const auto predictions = model.predict(patients);
    REQUIRE(predictions.size() == patients.size());
    const auto doses = model.predict_doses(patients);
    for (std::size_t i = 0; i < predictions.size(); ++i) {
        const auto& p = predictions[i];
        CHECK(p.patient_id == patients[i].id);
        CHECK(p.dose_mg_per_week == Approx(doses[i]).epsilon(1e-6));
        CHECK(p.interval_low < p.dose_mg_per_week);
        CHECK(p.interval_high > p.dose_mg_per_week);
        CHECK(p.interval_coverage == Approx(0.8));
        // Contributions in mg/week add up to the prediction from the common baseline.
        double sum = p.baseline_mg_per_week;
        for (const auto& c : p.contributions) sum += c.mg_per_week;
        CHECK(sum == Approx(p.dose_mg_per_week).epsilon(1e-4));
        CHECK(p.baseline_mg_per_week == Approx(predictions[0].baseline_mg_per_week).epsilon(1e-6));
        CHECK(p.contributions.size() == model.info().features.size());
        for (std::size_t c = 1; c < p.contributions.size(); ++c)
            CHECK(std::fabs(p.contributions[c - 1].mg_per_week) >= std::fabs(p.contributions[c].mg_per_week));
    }
    // Predicting again gives the same numbers.
    const auto again = model.predict(patients);
    for (std::size_t i = 0; i < predictions.size(); ++i)
        CHECK(again[i].dose_mg_per_week == predictions[i].dose_mg_per_week);
}

TEST_CASE("a missing genotype changes the prediction and is reported, never defaulted", "[dosing][predict]") {
    const DoseModel model = DoseModel::load(shared_model_path());
    auto patients = read_patient_json(data_dir + "/patient.json");
    Patient known = patients[0].patient;
    known.vkorc1.a_alleles = 2;
    Patient missing = known;
    missing.vkorc1.a_alleles.reset();
    missing.vkorc1.origin = Vkorc1Genotype::Origin::missing;
    Patient wild = known;
    wild.vkorc1.a_alleles = 0;
    const auto p_known = model.predict(known), p_missing = model.predict(missing), p_wild = model.predict(wild);
    CHECK(p_known.dose_mg_per_week < p_wild.dose_mg_per_week);
    CHECK(std::find(p_missing.missing_inputs.begin(), p_missing.missing_inputs.end(), "VKORC1") !=
          p_missing.missing_inputs.end());
    CHECK(std::find(p_known.missing_inputs.begin(), p_known.missing_inputs.end(), "VKORC1") ==
          p_known.missing_inputs.end());
    for (const auto& c : p_missing.contributions)
        if (c.feature == "vkorc1_1639_a_alleles") CHECK(c.value == "NA");
}

TEST_CASE("a rare no-function CYP2C9 allele lowers the dose through the activity score", "[dosing][predict]") {
    // The linear base takes CYP2C9 as the CPIC activity score, so *6 (activity 0, as rare in
    // the IWPC data as a handful of patients) is not treated as *1 just because it is neither
    // *2 nor *3.
    const DoseModel model = DoseModel::load(shared_model_path());
    auto patients = read_patient_json(data_dir + "/patient.json");
    Patient normal = patients[0].patient;
    normal.cyp2c9 = {};
    normal.cyp2c9.diplotype = "*1/*1";
    normal.cyp2c9.star2_alleles = 0;
    normal.cyp2c9.star3_alleles = 0;
    Patient star6 = normal;
    star6.cyp2c9.diplotype = "*1/*6";
    const auto p_normal = model.predict(normal), p_star6 = model.predict(star6);
    CHECK(p_star6.cyp2c9_activity_score == Approx(1.0));
    CHECK(p_star6.dose_mg_per_week < p_normal.dose_mg_per_week);
    double activity_contribution = 0;
    for (const auto& c : p_star6.contributions)
        if (c.feature == "cyp2c9_activity_score") activity_contribution = c.mg_per_week;
    CHECK(activity_contribution < 0);
}

TEST_CASE("patients merged with a genotype file: no-call leaves CYP2C9 missing", "[dosing][predict][merge]") {
    ScratchDir dir;
    const std::string patients = dir.file("p.json");
    std::ofstream(patients) << R"({"patients": [{"id": "a", "sample_id": "S2-nocall", "age_years": 50, "weight_kg": 70},
        {"id": "b", "sample_id": "S1", "race": "Black"}]})";
    const auto records = read_patients_with_genotypes(patients, data_dir + "/genotypes.json");
    CHECK_FALSE(records[0].patient.cyp2c9.known());
    CHECK(records[0].patient.cyp2c9.note == "CYP2C9 no-call");
    CHECK(records[1].patient.cyp2c9.diplotype == "*1/*3");
    const DoseModel model = DoseModel::load(shared_model_path());
    const auto a = model.predict(records[0].patient);
    CHECK(std::find(a.missing_inputs.begin(), a.missing_inputs.end(), "CYP2C9") != a.missing_inputs.end());
    CHECK(std::find(a.notes.begin(), a.notes.end(), "CYP2C9 no-call") != a.notes.end());
    const auto b = model.predict(records[1].patient);
    bool rs12777823 = false;
    for (const auto& f : b.flags) rs12777823 = rs12777823 || f.code == "cpic_african_rs12777823_a";
    CHECK(rs12777823);
}

TEST_CASE("predict_doses writes the TSV, and nothing on a bad row", "[dosing][predict][errors]") {
    ScratchDir dir;
    DosePredictOptions o;
    o.model = shared_model_path();
    o.input = data_dir + "/iwpc_subset.csv";
    o.output = dir.file("doses.tsv");
    const auto summary = predict_doses(o);
    CHECK(summary.patients == 244);
    const std::string tsv = read_file(o.output);
    CHECK(tsv.rfind("id\tpredicted_dose_mg_per_week\tinterval_low\tinterval_high\t", 0) == 0);
    CHECK(std::count(tsv.begin(), tsv.end(), '\n') == 245);

    const std::string bad = dir.file("bad.json");
    std::ofstream(bad) << R"({"patients": [{"id": "ok"}, {"id": "bad", "weight_kg": -1}]})";
    o.input = bad;
    o.output = dir.file("bad.tsv");
    CHECK_THROWS_WITH(predict_doses(o), Catch::Contains("patient 2: field 'weight_kg': weight must be > 0 kg"));
    CHECK_FALSE(fs::exists(o.output));
}

TEST_CASE("model files: damaged or foreign files are refused; sha256 is of the bytes", "[dosing][model][errors]") {
    CHECK_THROWS_WITH(DoseModel::from_text("{}", "m.json"),
                      Catch::Contains("m.json: not a genodose warfarin dose model"));
    CHECK_THROWS_WITH(DoseModel::from_text("[1,", "m.json"), Catch::Contains("m.json: dose model is not valid JSON"));
    std::string text = read_file(shared_model_path());
    const auto broken = text.substr(0, text.find("\"xgboost_model\"")) + "\"xgboost_model\": {\"learner\": 3}}";
    CHECK_THROWS_AS(DoseModel::from_text(broken, "m.json"), InputError);
    const DoseModel model = DoseModel::load(shared_model_path());
    FILE* pipe = ::popen(("sha256sum '" + shared_model_path() + "'").c_str(), "r");
    REQUIRE(pipe);
    char digest[65] = {};
    REQUIRE(std::fread(digest, 1, 64, pipe) == 64);
    ::pclose(pipe);
    CHECK(model.info().sha256 == std::string(digest));
    CHECK(model.metadata_json().find("xgboost_model") == std::string::npos);
}

TEST_CASE("the default model path honours GENODOSE_DATA_DIR", "[dosing][model]") {
    ScratchDir dir;
    fs::create_directories(dir.path / "models");
    fs::copy_file(shared_model_path(), dir.path / "models" / "warfarin_dose.json");
    ::setenv("GENODOSE_DATA_DIR", dir.path.c_str(), 1);
    CHECK(default_model_path() == (dir.path / "models" / "warfarin_dose.json").string());
    ::setenv("GENODOSE_DATA_DIR", (dir.path / "nowhere").c_str(), 1);
    CHECK_THROWS_AS(default_model_path(), InputError);
    ::unsetenv("GENODOSE_DATA_DIR");
}

TEST_CASE("evaluate_dose_model scores a model beside the equations", "[dosing][evaluation]") {
    ScratchDir dir;
    DoseEvaluateOptions o;
    o.model = shared_model_path();
    o.iwpc_csv = data_dir + "/iwpc_subset.csv";
    o.output = dir.file("metrics.json");
    const auto summary = evaluate_dose_model(o);
    CHECK(summary.rows_read == 244);
    CHECK(summary.rows_with_dose < 244);
    CHECK(summary.evaluation.groups.front().n_all == summary.rows_with_dose);
    CHECK(read_file(o.output).find("\"iwpc_pharmacogenetic\"") != std::string::npos);
    CHECK(summary.table.find("| overall |") != std::string::npos);
}

TEST_CASE("missing core inputs are counted and removed as the interval's missingness groups need",
          "[dosing][conformal]") {
    auto patients = read_patient_json(data_dir + "/patient.json");
    Patient p = patients[0].patient;
    const auto before = missing_core_inputs(p);
    Patient none = without_core_inputs(
        p, {"age", "height", "weight", "race", "CYP2C9", "VKORC1", "amiodarone", "enzyme inducers"});
    CHECK(missing_core_inputs(none).size() == core_input_count);
    CHECK_FALSE(none.vkorc1_1173_t_alleles);  // VKORC1 not genotyped: nothing left to impute from
    CHECK(missingness_group(0) == 0);
    CHECK(missingness_group(1) == 0);
    CHECK(missingness_group(3) == 1);
    CHECK(missingness_group(4) == 2);
    CHECK(missingness_group(5) == 2);
    CHECK(missingness_group(7) == 3);
    CHECK(missingness_group(8) == 4);
    CHECK(missingness_group_name(4) == "8");
    CHECK_THROWS_AS(without_core_inputs(p, {"shoe size"}), InternalError);
    CHECK(missing_core_inputs(without_core_inputs(p, {"height"})).size() ==
          before.size() + (std::find(before.begin(), before.end(), "height") == before.end()));
}

TEST_CASE("conformal interval also calibrated per missingness group, the widest interval wins", "[dosing][conformal]") {
    // 299 complete patients with narrow residuals; 199 masked copies (4-5 inputs missing) with
    // wide ones. Bands and race groups see only the observed patients.
    ConformalResiduals observed, masked;
    for (int i = -149; i <= 149; ++i) {
        observed.predicted.push_back(30);
        observed.actual.push_back(30 * std::exp(0.001 * i));
        observed.races.push_back(Race::white);
        observed.missing_core_inputs.push_back(0);
    }
    for (int i = -99; i <= 99; ++i) {
        masked.predicted.push_back(30);
        masked.actual.push_back(30 * std::exp(0.01 * i));
        masked.races.push_back(Race::white);
        masked.missing_core_inputs.push_back(5);
    }
    const auto interval = calibrate_conformal(observed, masked, 0.8);
    REQUIRE(interval.missingness_groups.size() == missingness_group_count);
    const auto& most = interval.missingness_groups[missingness_group(5)];
    CHECK(most.calibration_size == 199);
    CHECK_FALSE(most.pooled);
    CHECK(most.lower_log_ratio == Approx(-0.80));
    CHECK(interval.missingness_groups[1].pooled);  // no residuals: pooled (observed) quantiles
    CHECK(interval.bands[1].calibration_size == 299);
    // A patient with most inputs missing gets the wide interval; a complete one does not.
    CHECK(interval.apply(30, Race::white, 5).first == Approx(30 * std::exp(-0.80)));
    CHECK(interval.apply(30, Race::white, 4).second == Approx(30 * std::exp(0.80)));
    CHECK(interval.apply(30, Race::white, 8).first > 30 * std::exp(-0.2));  // all 8: no residuals here, pooled
    CHECK(interval.apply(30, Race::white, 0).first > 30 * std::exp(-0.2));
}

TEST_CASE("a trained model records its missingness groups and cohort ranges, and flags extrapolation",
          "[dosing][predict][extrapolation]") {
    const DoseModel model = DoseModel::load(shared_model_path());
    const auto& info = model.info();
    REQUIRE(info.conformal.missingness_groups.size() == missingness_group_count);
    REQUIRE_FALSE(info.covariate_ranges.empty());
    // Ranges are those of the training file.
    double max_weight = 0;
    for (const auto& r : read_iwpc_csv(data_dir + "/iwpc_subset.csv"))
        if (r.dose_mg_per_week && r.patient.weight_kg) max_weight = std::max(max_weight, *r.patient.weight_kg);
    const auto weight = std::find_if(info.covariate_ranges.begin(), info.covariate_ranges.end(),
                                     [](const CovariateRange& r) { return r.input == "weight_kg"; });
    REQUIRE(weight != info.covariate_ranges.end());
    CHECK(weight->max == Approx(max_weight));

    auto patients = read_patient_json(data_dir + "/patient.json");
    Patient p = patients[0].patient;
    p.weight_kg = weight->min + 1;
    CHECK(model.predict(p).extrapolations.empty());
    p.weight_kg = weight->max + 50;
    const auto heavy = model.predict(p);
    REQUIRE(heavy.extrapolations.size() == 1);
    CHECK(heavy.extrapolations[0].find("weight") == 0);
    CHECK(heavy.extrapolations[0].find("above the range of the IWPC training cohort") != std::string::npos);
    p.age_years = 105;
    p.age_decade = 9;
    CHECK(model.predict(p).extrapolations.size() == 2);

    // Most inputs missing: the interval is the missingness group's (at least as wide).
    Patient bare = without_core_inputs(patients[0].patient, {"age", "height", "weight", "CYP2C9", "VKORC1"});
    const auto prediction = model.predict(bare);
    CHECK(prediction.missing_core_count >= 5);
    const auto& group = info.conformal.missingness_groups.at(missingness_group(prediction.missing_core_count));
    CHECK(prediction.interval_low <= prediction.dose_mg_per_week * std::exp(group.lower_log_ratio) * (1 + 1e-9));
    CHECK(prediction.interval_high >= prediction.dose_mg_per_week * std::exp(group.upper_log_ratio) * (1 - 1e-9));
}

TEST_CASE("the shipped model is calibrated per missingness group and knows the cohort's ranges", "[dosing][model]") {
    const DoseModel model = DoseModel::load(std::string(GENODOSE_SOURCE_DIR) + "/models/warfarin_dose.json");
    const auto& info = model.info();
    REQUIRE(info.conformal.missingness_groups.size() == missingness_group_count);
    // Patients with most or all inputs missing get a wider interval than complete ones.
    const auto& complete = info.conformal.missingness_groups[0];
    for (std::size_t missing : {4, 6, 8}) {
        const auto& most = info.conformal.missingness_groups[missingness_group(missing)];
        CHECK_FALSE(most.pooled);
        CHECK(most.upper_log_ratio - most.lower_log_ratio > complete.upper_log_ratio - complete.lower_log_ratio);
    }
    CHECK(info.covariate_ranges.size() == 4);
}
