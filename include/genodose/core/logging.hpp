// Leveled logging to stderr and a progress meter for long work.
//
//   genodose::log::set_level(genodose::log::Level::info);
//   GENODOSE_LOG_INFO("called " << n << " variants");
//
// Patient data (names, identifiers, clinical values) are only ever logged at debug level.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <string>

namespace genodose::log {

enum class Level : int { error = 0, warn = 1, info = 2, debug = 3 };

void set_level(Level level) noexcept;
Level level() noexcept;
bool enabled(Level level) noexcept;
void write(Level level, const std::string& message);

}  // namespace genodose::log

#define GENODOSE_LOG(level_, expr_)                                               \
    do {                                                                          \
        if (::genodose::log::enabled(level_)) {                                   \
            std::ostringstream genodose_log_stream_;                              \
            genodose_log_stream_ << expr_;                                        \
            ::genodose::log::write(level_, genodose_log_stream_.str());           \
        }                                                                         \
    } while (0)
#define GENODOSE_LOG_ERROR(expr_) GENODOSE_LOG(::genodose::log::Level::error, expr_)
#define GENODOSE_LOG_WARN(expr_) GENODOSE_LOG(::genodose::log::Level::warn, expr_)
#define GENODOSE_LOG_INFO(expr_) GENODOSE_LOG(::genodose::log::Level::info, expr_)
#define GENODOSE_LOG_DEBUG(expr_) GENODOSE_LOG(::genodose::log::Level::debug, expr_)

namespace genodose {

// Progress on long work: a single rewritten line on stderr, only when stderr is a terminal and
// the log level is info or more; silent in pipelines and CI. Thread-safe; advance() is cheap.
class ProgressMeter {
public:
    ProgressMeter(std::string label, std::uint64_t total, std::string unit);
    ~ProgressMeter();
    ProgressMeter(const ProgressMeter&) = delete;
    ProgressMeter& operator=(const ProgressMeter&) = delete;

    void advance(std::uint64_t amount);
    void finish();

private:
    void draw_locked(bool final_line);

    std::string label_;
    std::string unit_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    bool active_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    std::mutex mutex_;
};

}  // namespace genodose
