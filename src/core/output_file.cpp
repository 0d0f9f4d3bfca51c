#include "genodose/core/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "genodose/core/error.hpp"

namespace genodose {
namespace {

// Registry of live temporary files, readable from a signal handler: fixed-size slots of
// C strings, so the handler only calls unlink() (async-signal-safe) and _exit().
constexpr int max_temporaries = 256;
constexpr int max_path = 4096;
char temporary_slots[max_temporaries][max_path];
std::atomic<bool> slot_used[max_temporaries];
std::mutex registry_mutex;

int register_temporary(const std::string& path) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    if (path.size() >= max_path) return -1;
    for (int i = 0; i < max_temporaries; ++i) {
        if (!slot_used[i].load()) {
            std::memcpy(temporary_slots[i], path.c_str(), path.size() + 1);
            slot_used[i].store(true);
            return i;
        }
    }
    return -1;
}

void unregister_temporary(const std::string& path) {
    std::lock_guard<std::mutex> lock(registry_mutex);
    for (int i = 0; i < max_temporaries; ++i) {
        if (slot_used[i].load() && path == temporary_slots[i]) slot_used[i].store(false);
    }
}

extern "C" void remove_temporaries_and_exit(int signal_number) {
    for (int i = 0; i < max_temporaries; ++i) {
        if (slot_used[i].load()) unlink(temporary_slots[i]);
    }
    static const char message[] = "[genodose] error: interrupted; partial outputs removed\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    (void)signal_number;
    _exit(static_cast<int>(ExitCode::interrupted));
}

std::string error_text() { return std::strerror(errno); }

}  // namespace

OutputTransaction::~OutputTransaction() {
    if (!committed_) abandon();
}

std::string OutputTransaction::add(const std::string& final_path) {
    namespace fs = std::filesystem;
    if (final_path.empty()) throw UsageError("empty output path");
    const fs::path target(final_path);
    fs::path folder = target.parent_path();
    if (folder.empty()) folder = ".";
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw OutputError(file_message(final_path, "output folder '" + folder.string() + "' does not exist"));
    if (access(folder.c_str(), W_OK) != 0)
        throw OutputError(file_message(final_path, "output folder '" + folder.string() + "' is not writable"));
    if (fs::is_directory(target, ec)) throw OutputError(file_message(final_path, "is a folder, not a file"));
    if (fs::exists(target, ec) && !fs::is_regular_file(target, ec))
        throw OutputError(file_message(final_path, "exists and is not a regular file; refusing to replace it"));

    // The PID and a counter keep concurrent genodose processes and several files apart.
    static std::atomic<unsigned> counter{0};
    const std::string temporary = (folder / ("." + target.filename().string() + ".tmp." +
                                              std::to_string(getpid()) + "." +
                                              std::to_string(counter.fetch_add(1))))
                                      .string();
    if (register_temporary(temporary) < 0)
        throw InternalError("too many temporary output files open at once");
    // A stale output from an earlier run must not survive a failed rerun looking current.
    if (unlink(final_path.c_str()) != 0 && errno != ENOENT)
        throw OutputError(file_message(final_path, "cannot replace existing file: " + error_text()));
    entries_.push_back({final_path, temporary});
    return temporary;
}

void OutputTransaction::commit() {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& entry = entries_[i];
        if (std::rename(entry.temporary_path.c_str(), entry.final_path.c_str()) != 0) {
            const std::string why = error_text();
            for (std::size_t j = 0; j < i; ++j) unlink(entries_[j].final_path.c_str());
            abandon();
            throw OutputError(file_message(entry.final_path, "cannot move output into place: " + why));
        }
        unregister_temporary(entry.temporary_path);
    }
    committed_ = true;
}

void OutputTransaction::abandon() noexcept {
    for (const Entry& entry : entries_) {
        unlink(entry.temporary_path.c_str());
        unregister_temporary(entry.temporary_path);
    }
    entries_.clear();
}

void install_interrupt_cleanup() {
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_exit;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

void write_file_atomically(const std::string& path, const std::string& content, unsigned permissions) {
    OutputTransaction transaction;
    const std::string temporary = transaction.add(path);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, static_cast<mode_t>(permissions));
    if (fd < 0) throw OutputError(file_message(path, "cannot create: " + error_text()));
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string why = error_text();
            ::close(fd);
            throw OutputError(file_message(path, "write failed: " + why));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0) throw OutputError(file_message(path, "close failed: " + error_text()));
    transaction.commit();
}

bool readable_file(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && access(path.c_str(), R_OK) == 0;
}

void ensure_directory(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec || !std::filesystem::is_directory(dir))
        throw OutputError(file_message(dir, "cannot create output folder: " + (ec ? ec.message() : std::string("not a folder"))));
}

}  // namespace genodose
