#include "sluice/hub/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sluice::hub {

namespace fs = std::filesystem;

Status write_private_file(const fs::path& path, std::string_view content) {
    fs::path temp = path;
    temp += ".tmp";
    ::unlink(temp.c_str());  // a stale one (even a symlink) from a crash
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return make_error(Errc::io_error, "cannot create " + temp.string() + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0;
    std::size_t put = 0;
    while (ok && put < content.size()) {
        const ssize_t n = ::write(fd, content.data() + put, content.size() - put);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        put += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    const int saved = errno;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(ok ? errno : saved);
        ::unlink(temp.c_str());
        return make_error(Errc::io_error, "cannot write " + path.string() + ": " + why);
    }
    return {};
}

}  // namespace sluice::hub
