// Keystore files on disk (keystore_io.hpp): bounded reads, and writes that are atomic and durable (temp file,
// fsync, rename or link, fsync of the folder), so a crash or a failed write never leaves a half-written key.
#include "keystore_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sluice/sdk/keystore.hpp"

namespace sluice::sdk::keystore::detail {

namespace {

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
    return make_error(Errc::keystore_io,
                      "keystore: " + what + " " + path.string() + ": " + std::strerror(err));
}

// Closes the descriptor when it goes out of scope.
class Fd {
  public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }
    int get() const noexcept { return fd_; }
    // Closes now and reports close(2)'s result (a write error can surface only here).
    int reset() noexcept {
        int rc = 0;
        if (fd_ >= 0) rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }

  private:
    int fd_;
};

Status write_all(int fd, std::string_view text, const std::filesystem::path& path) {
    while (!text.empty()) {
        const ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("write", path, errno);
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Status fsync_dir(const std::filesystem::path& dir) {
    const Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return io_error("open folder", dir, errno);
    if (::fsync(fd.get()) != 0) return io_error("fsync folder", dir, errno);
    return {};
}

}  // namespace

Result<std::string> read_file(const std::filesystem::path& path) {
    const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (fd.get() < 0) {
        if (errno == ENOENT)
            return make_error(Errc::keystore_not_found, "keystore: no file at " + path.string());
        return io_error("open", path, errno);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return io_error("stat", path, errno);
    if (!S_ISREG(st.st_mode)) {
        return make_error(Errc::keystore_io, "keystore: " + path.string() + " is not a regular file");
    }
    std::string text;
    char buffer[4096];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("read", path, errno);
        }
        if (n == 0) break;
        if (text.size() + static_cast<std::size_t>(n) > kMaxFileBytes) {
            return make_error(Errc::keystore_malformed, "keystore: " + path.string() + " is above " +
                                                            std::to_string(kMaxFileBytes) + " bytes");
        }
        text.append(buffer, static_cast<std::size_t>(n));
    }
    return text;
}

Status write_atomically(const std::filesystem::path& path, std::string_view text, WriteMode mode) {
    const std::filesystem::path dir =
        path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string temp = (dir / ("." + path.filename().string() + ".tmp-XXXXXX")).string();
    // mkstemp creates the file with mode 0600 and O_EXCL.
    Fd fd(::mkstemp(temp.data()));
    if (fd.get() < 0) return io_error("create temp file in", dir, errno);
    bool keep_temp = false;
    struct RemoveTemp {
        const std::string& name;
        const bool& keep;
        ~RemoveTemp() {
            if (!keep) ::unlink(name.c_str());
        }
    } remove_temp{temp, keep_temp};

    if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return io_error("chmod", temp, errno);
    SLUICE_CHECK_OK(write_all(fd.get(), text, temp));
    if (::fsync(fd.get()) != 0) return io_error("fsync", temp, errno);
    if (fd.reset() != 0) return io_error("close", temp, errno);

    if (mode == WriteMode::replace) {
        if (::rename(temp.c_str(), path.c_str()) != 0) return io_error("rename onto", path, errno);
        keep_temp = true;  // it is `path` now
    } else {
        if (::link(temp.c_str(), path.c_str()) != 0) {
            if (errno == EEXIST) {
                return make_error(Errc::keystore_exists,
                                  "keystore: " + path.string() + " exists; not replacing it");
            }
            return io_error("link", path, errno);
        }
        // `path` holds the data now; the temp name goes before the folder is synced.
        ::unlink(temp.c_str());
        keep_temp = true;
    }
    return fsync_dir(dir);
}

}  // namespace sluice::sdk::keystore::detail
