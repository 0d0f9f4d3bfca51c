#include "genodose/core/logging.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <iostream>

namespace genodose::log {
namespace {
std::atomic<int> current_level{static_cast<int>(Level::info)};
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
Level level() noexcept { return static_cast<Level>(current_level.load()); }
bool enabled(Level level) noexcept { return static_cast<int>(level) <= current_level.load(); }

void write(Level level, const std::string& message) {
    std::lock_guard<std::mutex> lock(output_mutex);
    std::fprintf(stderr, "[genodose] %s: %s\n", level_name(level), message.c_str());
}

}  // namespace genodose::log

namespace genodose {

ProgressMeter::ProgressMeter(std::string label, std::uint64_t total, std::string unit)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      total_(total),
      active_(isatty(STDERR_FILENO) == 1 && log::enabled(log::Level::info)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressMeter::~ProgressMeter() { finish(); }

void ProgressMeter::advance(std::uint64_t amount) {
    if (!active_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    done_ += amount;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ > std::chrono::milliseconds(250)) {
        last_draw_ = now;
        draw_locked(false);
    }
}

void ProgressMeter::finish() {
    if (!active_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (finished_) return;
    finished_ = true;
    draw_locked(true);
}

void ProgressMeter::draw_locked(bool final_line) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double percent = total_ ? 100.0 * static_cast<double>(done_) / static_cast<double>(total_) : 0.0;
    std::fprintf(stderr, "\r[genodose] %s: %llu/%llu %s (%.0f%%) %.1fs%s", label_.c_str(),
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 unit_.c_str(), percent, seconds, final_line ? "\n" : "");
    std::fflush(stderr);
}

}  // namespace genodose
