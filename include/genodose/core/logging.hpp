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

// How long work shows progress on stderr (nothing below level info):
//   automatic: a bar redrawn in place when stderr is a terminal; otherwise a plain line every
//              `interval` seconds (none for work shorter than that), for logs of batch jobs;
//   plain:     plain lines whatever stderr is, and a last one when the work is done (--progress).
enum class ProgressStyle { automatic, plain };
void set_progress(ProgressStyle style, double interval_seconds) noexcept;
ProgressStyle current_progress_style() noexcept;
double current_progress_interval() noexcept;

}  // namespace genodose::log

#define GENODOSE_LOG(level_, expr_)                                     \
    do {                                                                \
        if (::genodose::log::enabled(level_)) {                         \
            std::ostringstream genodose_log_stream_;                    \
            genodose_log_stream_ << expr_;                              \
            ::genodose::log::write(level_, genodose_log_stream_.str()); \
        }                                                               \
    } while (0)
#define GENODOSE_LOG_ERROR(expr_) GENODOSE_LOG(::genodose::log::Level::error, expr_)
#define GENODOSE_LOG_WARN(expr_) GENODOSE_LOG(::genodose::log::Level::warn, expr_)
#define GENODOSE_LOG_INFO(expr_) GENODOSE_LOG(::genodose::log::Level::info, expr_)
#define GENODOSE_LOG_DEBUG(expr_) GENODOSE_LOG(::genodose::log::Level::debug, expr_)

namespace genodose {

// Progress on long work, shown as log::set_progress() says: percent done, elapsed time and an
// estimate of the time left. Unit "bases" is printed as kb/Mb. Thread-safe; advance() is cheap.
//
//   ProgressMeter progress("call", total_bases, "bases");
//   progress.advance(chunk_length);   // as work completes
//   progress.finish();
class ProgressMeter {
public:
    ProgressMeter(std::string label, std::uint64_t total, std::string unit);
    ~ProgressMeter();
    ProgressMeter(const ProgressMeter&) = delete;
    ProgressMeter& operator=(const ProgressMeter&) = delete;

    void advance(std::uint64_t amount);
    void finish();

private:
    enum class Display { none, bar, plain_lines };
    void draw_locked(bool final_line);
    std::string amount(std::uint64_t value) const;

    std::string label_;
    std::string unit_;
    std::uint64_t total_;
    std::uint64_t done_ = 0;
    Display display_;
    bool final_plain_line_;
    std::chrono::duration<double> interval_;
    bool active_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    std::mutex mutex_;
};

}  // namespace genodose
