// One writer per output folder: an advisory lock (flock(2)) on the folder itself, so no lock
// file is left behind.
//
//   FolderLock lock(output_dir, FolderLock::Wait::no);   // OutputError if another process holds it
//   ... write and commit the folder's outputs ...
//
// `run` and `batch` hold their output folder's lock for the whole run (two runs into one folder
// would mix two patients' files); OutputTransaction::commit() takes it, waiting, while it renames
// outputs into place (so `call`'s .vcf.gz and .tbi come from one run). A lock this process
// already holds on the folder is shared, not taken again (flock locks of two descriptors of one
// process would otherwise block each other). Advisory: only genodose processes honour it.
#pragma once

#include <string>

namespace genodose {

class FolderLock {
public:
    enum class Wait { no, yes };
    FolderLock(const std::string& folder, Wait wait);
    ~FolderLock();
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;

private:
    std::string folder_;
    unsigned long long device_ = 0, inode_ = 0;
    bool held_ = false;
};

}  // namespace genodose
