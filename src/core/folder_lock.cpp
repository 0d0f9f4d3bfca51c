#include "genodose/core/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

#include "genodose/core/error.hpp"

namespace genodose {
namespace {

struct HeldLock {
    int fd = -1;
    int users = 0;
};
std::mutex held_mutex;
std::map<std::pair<unsigned long long, unsigned long long>, HeldLock> held_locks;  // (device, inode) → lock

}  // namespace

FolderLock::FolderLock(const std::string& folder, Wait wait) : folder_(folder.empty() ? "." : folder) {
    const int fd = ::open(folder_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        throw OutputError(file_message(folder_, std::string("cannot open the output folder: ") + std::strerror(errno)));
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd);
        throw OutputError(file_message(folder_, "cannot inspect the output folder: " + why));
    }
    device_ = static_cast<unsigned long long>(info.st_dev);
    inode_ = static_cast<unsigned long long>(info.st_ino);
    std::unique_lock<std::mutex> lock(held_mutex);
    auto found = held_locks.find({device_, inode_});
    if (found != held_locks.end()) {  // this process holds it already
        ++found->second.users;
        held_ = true;
        ::close(fd);
        return;
    }
    lock.unlock();  // a waiting flock must not block other threads' folders
    int status;
    do {
        status = ::flock(fd, LOCK_EX | (wait == Wait::no ? LOCK_NB : 0));
    } while (status != 0 && errno == EINTR);
    if (status != 0) {
        const int error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK)
            throw OutputError(file_message(folder_, "another genodose process is writing to this folder (advisory lock "
                                                    "held); two runs into one folder would mix their files"),
                              "wait for it to finish, or give this run another output folder");
        throw OutputError(file_message(folder_, std::string("cannot lock the output folder: ") + std::strerror(error)));
    }
    lock.lock();
    HeldLock& entry = held_locks[{device_, inode_}];
    if (entry.users > 0) {
        ::close(fd);  // another thread of this process locked it meanwhile (cannot happen with flock; kept safe)
    } else {
        entry.fd = fd;
    }
    ++entry.users;
    held_ = true;
}

FolderLock::~FolderLock() {
    if (!held_) return;
    std::lock_guard<std::mutex> lock(held_mutex);
    auto found = held_locks.find({device_, inode_});
    if (found == held_locks.end()) return;
    if (--found->second.users == 0) {
        ::close(found->second.fd);  // releases the flock
        held_locks.erase(found);
    }
}

}  // namespace genodose
