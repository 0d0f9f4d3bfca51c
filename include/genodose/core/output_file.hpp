// Outputs that appear whole or not at all.
//
//   OutputTransaction out;
//   std::string tmp = out.add("calls.vcf.gz");        // write to tmp ...
//   std::string tmp_index = out.add("calls.vcf.gz.tbi");
//   ...
//   out.commit();                                      // renames every file into place
//
// Files are written under a temporary name in the destination folder (so the final rename is
// atomic on one file system). If commit() is not reached — an exception, or SIGINT/SIGTERM —
// the temporary files are removed, and a stale output of the same name is never left looking
// current: it is removed when the transaction starts.
#pragma once

#include <string>
#include <vector>

namespace genodose {

class OutputTransaction {
public:
    OutputTransaction() = default;
    ~OutputTransaction();
    OutputTransaction(const OutputTransaction&) = delete;
    OutputTransaction& operator=(const OutputTransaction&) = delete;

    // Registers `final_path` and returns the temporary path to write instead. Checks that the
    // folder exists and is writable (OutputError otherwise). Removes an existing final file.
    std::string add(const std::string& final_path);

    // Renames every temporary file to its final name, in the order added. OutputError on failure
    // (and every file of the transaction is removed).
    void commit();

    // Removes the temporary files (also done by the destructor if commit() was not called).
    void abandon() noexcept;

private:
    struct Entry {
        std::string final_path;
        std::string temporary_path;
    };
    std::vector<Entry> entries_;
    bool committed_ = false;
};

// Installs SIGINT/SIGTERM handlers that remove every registered temporary file and exit with
// ExitCode::interrupted. Called once by the CLI.
void install_interrupt_cleanup();

// Writes `content` to `path` atomically (temporary name, then rename). OutputError on failure,
// including a short write on a full disk. `permissions` as for open(2), before the umask;
// reports with patient data use 0600.
void write_file_atomically(const std::string& path, const std::string& content,
                           unsigned permissions = 0644);

// True if `path` names a regular file that can be opened for reading.
bool readable_file(const std::string& path);

// Makes `dir` (and parents) exist; OutputError naming the folder if it cannot.
void ensure_directory(const std::string& dir);

}  // namespace genodose
