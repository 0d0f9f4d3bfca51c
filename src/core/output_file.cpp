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
#include <memory>
#include <mutex>

#include "genodose/core/error.hpp"
#include "genodose/core/folder_lock.hpp"

namespace genodose {
namespace {

// Registry of paths to remove on SIGINT/SIGTERM, readable from a signal handler: fixed-size
// slots of C strings, so the handler only calls unlink()/rmdir() (async-signal-safe) and _exit().
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
        if (slot_used[i].load() && path == temporary_slots[i]) {
            slot_used[i].store(false);
            break;
        }
    }
}

extern "C" void remove_temporaries_and_exit(int signal_number) {
    // Files first, then folders (emptied by then); folders nest (a scratch folder inside a new
    // output folder), so the folder pass runs until nothing more goes.
    for (int i = 0; i < max_temporaries; ++i)
        if (slot_used[i].load()) unlink(temporary_slots[i]);
    for (int pass = 0; pass < 4; ++pass)
        for (int i = 0; i < max_temporaries; ++i)
            if (slot_used[i].load()) rmdir(temporary_slots[i]);
    static const char message[] = "[genodose] error: interrupted; partial outputs removed\n";
    (void)!write(STDERR_FILENO, message, sizeof message - 1);
    (void)signal_number;
    _exit(static_cast<int>(ExitCode::interrupted));
}

std::string error_text() { return std::strerror(errno); }

// The process umask, without changing it (umask(2) can only be read by setting it, which races
// with other threads creating files): Linux reports it in /proc/self/status.
mode_t current_umask() {
    std::FILE* status = std::fopen("/proc/self/status", "r");
    mode_t mask = 022;
    if (!status) return mask;
    char line[256];
    while (std::fgets(line, sizeof line, status)) {
        unsigned value = 0;
        if (std::sscanf(line, "Umask: %o", &value) == 1) {
            mask = static_cast<mode_t>(value);
            break;
        }
    }
    std::fclose(status);
    return mask;
}

}  // namespace

CleanupOnInterrupt::CleanupOnInterrupt(std::string path) : path_(std::move(path)) {
    if (register_temporary(path_) < 0) throw InternalError("too many temporary output files open at once");
}

CleanupOnInterrupt::~CleanupOnInterrupt() { unregister_temporary(path_); }

unsigned output_file_mode(OutputPermissions permissions) {
    return permissions == OutputPermissions::private_file ? 0600u : 0666u & ~static_cast<unsigned>(current_umask());
}

OutputTransaction::~OutputTransaction() {
    if (!committed_) abandon();
}

std::string OutputTransaction::private_folder(const std::string& folder, const std::string& final_path) {
    for (const auto& f : folders_)
        if (f.parent == folder) return f.path;
    // mkdtemp: a fresh name (O_EXCL semantics: never an existing file, folder or planted link)
    // and mode 0700, so nobody else can create, swap or link anything inside it while it exists.
    std::string pattern = folder + "/.genodose.tmp.XXXXXX";
    if (!mkdtemp(pattern.data()))
        throw OutputError(
            file_message(final_path, "cannot create a temporary folder in '" + folder + "': " + error_text()));
    if (register_temporary(pattern) < 0) {
        rmdir(pattern.c_str());
        throw InternalError("too many temporary output files open at once");
    }
    folders_.push_back({folder, pattern});
    return pattern;
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
    const auto status = fs::symlink_status(target, ec);
    if (!ec && fs::exists(status) && !fs::is_regular_file(status) && !fs::is_symlink(status))
        throw OutputError(file_message(final_path, "exists and is not a regular file; refusing to replace it"));
    if (fs::is_symlink(status) && fs::exists(target, ec) && !fs::is_regular_file(target, ec))
        throw OutputError(file_message(final_path, "exists and is not a regular file; refusing to replace it"));

    // The temporary lives in this transaction's private folder inside the destination folder
    // (same file system: the final rename is atomic), under the output's own name.
    const std::string temporary = private_folder(folder.string(), final_path) + "/" + target.filename().string();
    for (const Entry& entry : entries_)
        if (entry.temporary_path == temporary) throw InternalError("output registered twice: " + final_path);
    if (register_temporary(temporary) < 0) throw InternalError("too many temporary output files open at once");
    // A stale output from an earlier run must not survive a failed rerun looking current. (A
    // symbolic link there is removed itself; its target is never touched.)
    if (unlink(final_path.c_str()) != 0 && errno != ENOENT) {
        unregister_temporary(temporary);
        throw OutputError(file_message(final_path, "cannot replace existing file: " + error_text()));
    }
    entries_.push_back({final_path, temporary});
    return temporary;
}

void OutputTransaction::commit() {
    const auto mode = static_cast<mode_t>(output_file_mode(permissions_));
    // One committer per folder at a time: two processes' renames never interleave (a .vcf.gz of
    // one run beside the .tbi of another).
    std::vector<std::unique_ptr<FolderLock>> locks;
    for (const auto& f : folders_) locks.push_back(std::make_unique<FolderLock>(f.parent, FolderLock::Wait::yes));
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const Entry& entry = entries_[i];
        if (::chmod(entry.temporary_path.c_str(), mode) != 0 ||
            std::rename(entry.temporary_path.c_str(), entry.final_path.c_str()) != 0) {
            const std::string why = error_text();
            for (std::size_t j = 0; j < i; ++j) unlink(entries_[j].final_path.c_str());
            abandon();
            throw OutputError(file_message(entry.final_path, "cannot move output into place: " + why));
        }
        unregister_temporary(entry.temporary_path);
    }
    entries_.clear();
    remove_private_folders();
    committed_ = true;
}

void OutputTransaction::remove_private_folders() noexcept {
    for (const auto& f : folders_) {
        std::error_code ec;
        std::filesystem::remove_all(f.path, ec);  // ours (mkdtemp, 0700); a link there would be removed itself
        unregister_temporary(f.path);
    }
    folders_.clear();
}

void OutputTransaction::abandon() noexcept {
    for (const Entry& entry : entries_) {
        unlink(entry.temporary_path.c_str());
        unregister_temporary(entry.temporary_path);
    }
    entries_.clear();
    remove_private_folders();
}

void install_interrupt_cleanup() {
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_exit;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int open_new_output_file(const std::string& temporary, unsigned permissions) {
    // The name is fresh (OutputTransaction::add): O_EXCL refuses anything already there and
    // O_NOFOLLOW a link, so a write can never land outside the temporary.
    return ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  static_cast<mode_t>(permissions));
}

void write_file_atomically(const std::string& path, const std::string& content, OutputPermissions permissions) {
    OutputTransaction transaction(permissions);
    const std::string temporary = transaction.add(path);
    const int fd = open_new_output_file(temporary, output_file_mode(permissions));
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
        throw OutputError(
            file_message(dir, "cannot create output folder: " + (ec ? ec.message() : std::string("not a folder"))));
}

}  // namespace genodose
