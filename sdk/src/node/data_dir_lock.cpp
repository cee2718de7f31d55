#include "sluice/sdk/data_dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace sluice::sdk {

Result<DataDirLock> DataDirLock::acquire(const std::filesystem::path& data_dir) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return make_error(Errc::store_open_failed, "data dir " + data_dir.string() + ": " + ec.message());
    const std::filesystem::path file = data_dir / "LOCK";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(Errc::store_open_failed, file.string() + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        const ssize_t n = ::pread(fd, pid, sizeof pid - 1, 0);
        ::close(fd);
        std::string holder =
            n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : std::string("another process");
        while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0'))
            holder.pop_back();
        return make_error(Errc::node_data_dir_locked, data_dir.string() + " is in use by pid " + holder);
    }
    // Our pid, for the message a second process prints; a failed write only loses that message.
    const std::string self = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, self.data(), self.size(), 0);
    return DataDirLock(fd);
}

DataDirLock::~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace sluice::sdk
