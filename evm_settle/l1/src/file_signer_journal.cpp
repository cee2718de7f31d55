// FileSignerJournal (file_signer_journal.hpp): POSIX file I/O so each append is one write and one fsync.
#include "sluice/l1/file_signer_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "sluice/l1/signer_journal_codec.hpp"

namespace sluice::l1 {

namespace {

Error io_error(const std::string& what, const std::filesystem::path& path, int err) {
    return make_error(Errc::signer_journal_io,
                      "signer journal: " + what + " " + path.string() + ": " + std::strerror(err));
}

Result<Bytes> read_all(int fd, const std::filesystem::path& path) {
    Bytes out;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("cannot read", path, errno);
        }
        if (n == 0) return out;
        out.insert(out.end(), buffer, buffer + n);
    }
}

Status write_all(int fd, ByteView bytes, const std::filesystem::path& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return io_error("cannot write", path, errno);
        }
        done += static_cast<std::size_t>(n);
    }
    return {};
}

// A new file's directory entry is durable only once the directory itself is synced.
void sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::filesystem::path FileSignerJournal::file_name(const Address& signer) {
    return "signer-" + signer.to_hex() + ".journal";
}

Result<std::unique_ptr<FileSignerJournal>> FileSignerJournal::open(const std::filesystem::path& data_dir,
                                                                   const Address& signer) {
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec) return io_error("cannot create the directory", data_dir, ec.value());
    const std::filesystem::path path = data_dir / file_name(signer);
    const bool existed = std::filesystem::exists(path, ec);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return io_error("cannot open", path, errno);
    auto bytes = read_all(fd, path);
    if (!bytes) {
        ::close(fd);
        return std::move(bytes).error();
    }
    JournalDecode decoded = decode_journal(*bytes);
    if (decoded.valid_bytes != bytes->size()) {
        // Later appends must follow the last whole record, or the next open would stop at the garbage.
        if (::ftruncate(fd, static_cast<off_t>(decoded.valid_bytes)) != 0 || ::fsync(fd) != 0) {
            const int err = errno;
            ::close(fd);
            return io_error("cannot truncate the corrupt tail of", path, err);
        }
    }
    if (::lseek(fd, 0, SEEK_END) < 0) {
        const int err = errno;
        ::close(fd);
        return io_error("cannot seek in", path, err);
    }
    if (!existed) sync_directory(data_dir);
    return std::unique_ptr<FileSignerJournal>(
        new FileSignerJournal(fd, path, std::move(decoded.entries), std::move(decoded.corrupt_tail)));
}

FileSignerJournal::FileSignerJournal(int fd, std::filesystem::path path, std::vector<JournalEntry> entries,
                                     std::optional<Error> corrupt_tail)
    : fd_(fd), path_(std::move(path)), entries_(std::move(entries)), corrupt_tail_(std::move(corrupt_tail)) {}

FileSignerJournal::~FileSignerJournal() {
    ::close(fd_);
}

Status FileSignerJournal::append(const JournalEntry& entry) {
    const Bytes record = encode_journal_record(entry);
    const std::lock_guard lock(mutex_);
    const off_t before = ::lseek(fd_, 0, SEEK_END);
    if (before < 0) return io_error("cannot seek in", path_, errno);
    auto written = write_all(fd_, record, path_);
    if (written.ok() && ::fdatasync(fd_) != 0) written = io_error("cannot sync", path_, errno);
    if (!written.ok()) {
        // A partial record would hide every later one from the decoder: cut it off again.
        if (::ftruncate(fd_, before) == 0) ::lseek(fd_, before, SEEK_SET);
        return written;
    }
    entries_.push_back(entry);
    return {};
}

std::vector<JournalEntry> FileSignerJournal::entries() const {
    const std::lock_guard lock(mutex_);
    return entries_;
}

}  // namespace sluice::l1
