#include "genodose/core/logging.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <iostream>

namespace genodose::log {
namespace {
std::atomic<int> current_level{static_cast<int>(Level::info)};
std::atomic<int> progress_style{static_cast<int>(ProgressStyle::automatic)};
std::atomic<double> progress_interval{30.0};
std::mutex output_mutex;

const char* level_name(Level level) {
    switch (level) {
        case Level::error: return "error";
        case Level::warn: return "warning";
        case Level::info: return "info";
        case Level::debug: return "debug";
    }
    return "?";
}
}  // namespace

void set_level(Level level) noexcept { current_level.store(static_cast<int>(level)); }
void set_progress(ProgressStyle style, double interval_seconds) noexcept {
    progress_style.store(static_cast<int>(style));
    progress_interval.store(interval_seconds);
}
ProgressStyle current_progress_style() noexcept { return static_cast<ProgressStyle>(progress_style.load()); }
double current_progress_interval() noexcept { return progress_interval.load(); }
Level level() noexcept { return static_cast<Level>(current_level.load()); }
bool enabled(Level level) noexcept { return static_cast<int>(level) <= current_level.load(); }

void write(Level level, const std::string& message) {
    std::lock_guard<std::mutex> lock(output_mutex);
    std::fprintf(stderr, "[genodose] %s: %s\n", level_name(level), message.c_str());
}

}  // namespace genodose::log

namespace genodose {

namespace {

std::string clock_text(double seconds) {
    const long total = static_cast<long>(seconds + 0.5);
    char text[32];
    if (total >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
    else std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
    return text;
}

}  // namespace

ProgressMeter::ProgressMeter(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      display_(!log::enabled(log::Level::info) ? Display::none
               : log::current_progress_style() == log::ProgressStyle::plain || isatty(STDERR_FILENO) != 1
                   ? Display::plain_lines
                   : Display::bar),
      final_plain_line_(log::current_progress_style() == log::ProgressStyle::plain),
      interval_(display_ == Display::bar ? 0.25 : log::current_progress_interval()),
      active_(display_ != Display::none),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressMeter::~ProgressMeter() { finish(); }

void ProgressMeter::advance(std::uint64_t amount) {
    if (!active_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    done_ += amount;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ >= interval_) {
        last_draw_ = now;
        draw_locked(false);
    }
}

void ProgressMeter::finish() {
    if (!active_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    finished_ = true;
    if (display_ == Display::bar || final_plain_line_) draw_locked(true);
}

std::string ProgressMeter::amount(std::uint64_t value) const {
    char text[48];
    if (unit_ != "bases") {
        std::snprintf(text, sizeof text, "%llu", static_cast<unsigned long long>(value));
        return text;
    }
    const double v = static_cast<double>(value);
    if (total_ >= 10'000'000) std::snprintf(text, sizeof text, "%.1f Mb", v / 1e6);
    else if (total_ >= 10'000) std::snprintf(text, sizeof text, "%.1f kb", v / 1e3);
    else std::snprintf(text, sizeof text, "%llu bp", static_cast<unsigned long long>(value));
    return text;
}

void ProgressMeter::draw_locked(bool final_line) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double fraction = total_ ? std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_)) : 1.0;
    const std::string of_unit = unit_ == "bases" ? "" : " " + unit_;
    std::string eta = final_line     ? "done"
                      : fraction > 0 ? "ETA " + clock_text(seconds * (1 - fraction) / fraction)
                                     : "ETA ?";
    std::string line = label_ + " " + amount(done_) + "/" + amount(total_) + of_unit;
    char percent[16];
    std::snprintf(percent, sizeof percent, "%5.1f%%", 100 * fraction);
    if (display_ == Display::bar) {
        constexpr int width = 30;
        const int filled = static_cast<int>(fraction * width + 0.5);
        const std::string bar = std::string(static_cast<std::size_t>(filled), '#') +
                                std::string(static_cast<std::size_t>(width - filled), '.');
        // \33[K clears what a longer previous line left at the end.
        std::fprintf(stderr, "\r[genodose] %s [%s] %s  %s elapsed, %s\33[K%s", line.c_str(), bar.c_str(), percent,
                     clock_text(seconds).c_str(), eta.c_str(), final_line ? "\n" : "");
    } else {
        std::fprintf(stderr, "[genodose] progress: %s %.1f%%, %s elapsed, %s\n", line.c_str(), 100 * fraction,
                     clock_text(seconds).c_str(), eta.c_str());
    }
    std::fflush(stderr);
}

}  // namespace genodose
