// Outputs that appear whole or not at all.
//
//   OutputTransaction out;                             // outputs private to the user (0600)
//   std::string tmp = out.add("calls.vcf.gz");        // write to tmp ...
//   std::string tmp_index = out.add("calls.vcf.gz.tbi");
//   ...
//   out.commit();                                      // renames every file into place
//
// Temporary files: the first add() for a folder creates a private folder in it with mkdtemp(3)
// (".genodose.tmp.XXXXXX": a fresh unpredictable name, never an existing file or a planted
// link, mode 0700 so nobody else can create or swap anything inside); each output is written
// there under its own name and renamed into place on commit (same file system: atomic). If
// commit() is not reached — an exception, or SIGINT/SIGTERM — the temporary files and folder are
// removed, and a stale output of the same name is never left looking current: it is removed
// when the transaction starts (a symbolic link there is removed itself, never followed).
//
// Permissions (README "Outputs"): outputs are owner-only (0600) whatever the umask — they hold
// patient data or are derived from it; model files trained on public cohorts
// (OutputPermissions::shared) get 0666 minus the umask.
#pragma once

#include <string>
#include <vector>

namespace genodose {

enum class OutputPermissions { private_file, shared };

// The mode given to a committed output: 0600, or 0666 minus the process umask.
unsigned output_file_mode(OutputPermissions permissions);

class OutputTransaction {
public:
    explicit OutputTransaction(OutputPermissions permissions = OutputPermissions::private_file)
        : permissions_(permissions) {}
    ~OutputTransaction();
    OutputTransaction(const OutputTransaction&) = delete;
    OutputTransaction& operator=(const OutputTransaction&) = delete;

    // Registers `final_path` and returns the temporary path to write instead (it does not exist
    // yet; in a private folder). Checks that the folder exists and is writable (OutputError
    // otherwise). Removes an existing final file.
    std::string add(const std::string& final_path);

    // Sets each temporary file's mode and renames it to its final name, in the order added.
    // OutputError on failure (and every file of the transaction is removed).
    void commit();

    // Removes the temporary files (also done by the destructor if commit() was not called).
    void abandon() noexcept;

private:
    struct Entry {
        std::string final_path;
        std::string temporary_path;
    };
    struct PrivateFolder {
        std::string parent;
        std::string path;
    };
    std::string private_folder(const std::string& folder, const std::string& final_path);
    void remove_private_folders() noexcept;

    OutputPermissions permissions_;
    std::vector<Entry> entries_;
    std::vector<PrivateFolder> folders_;
    bool committed_ = false;
};

// Removes `path` (a file, or an empty folder) if the process is interrupted by SIGINT/SIGTERM
// while the object lives; for scratch files and folders that are not outputs themselves.
class CleanupOnInterrupt {
public:
    explicit CleanupOnInterrupt(std::string path);
    ~CleanupOnInterrupt();
    CleanupOnInterrupt(const CleanupOnInterrupt&) = delete;
    CleanupOnInterrupt& operator=(const CleanupOnInterrupt&) = delete;

private:
    std::string path_;
};

// Installs SIGINT/SIGTERM handlers that remove every registered temporary file and exit with
// ExitCode::interrupted. Called once by the CLI.
void install_interrupt_cleanup();

// Creates the temporary file an OutputTransaction returned: O_CREAT|O_EXCL|O_NOFOLLOW, so it
// never opens an existing file or follows a link. Returns the descriptor, or -1 with errno.
int open_new_output_file(const std::string& temporary, unsigned permissions);

// Writes `content` to `path` atomically (temporary name, then rename). OutputError on failure,
// including a short write on a full disk.
void write_file_atomically(const std::string& path, const std::string& content,
                           OutputPermissions permissions = OutputPermissions::private_file);

// True if `path` names a regular file that can be opened for reading.
bool readable_file(const std::string& path);

// Makes `dir` (and parents) exist; OutputError naming the folder if it cannot.
void ensure_directory(const std::string& dir);

}  // namespace genodose
