// DataDirLock: an exclusive lock on <data dir>/LOCK (flock) held for as long as the node runs, so two
// processes can never run on the same keys and store; running two copies of a channel node is how Lightning
// users lose funds. The lock goes with the process (also when it is killed); the file stays.
#pragma once

#include <filesystem>

#include "sluice/core/result.hpp"

namespace sluice::sdk {

class DataDirLock {
  public:
    // Creates the data dir if needed. Errors: node_data_dir_locked (another process holds it, its pid in the
    // message when it wrote one), store_open_failed (the dir or the file cannot be created).
    static Result<DataDirLock> acquire(const std::filesystem::path& data_dir);
    DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    DataDirLock& operator=(DataDirLock&&) = delete;
    DataDirLock(const DataDirLock&) = delete;
    ~DataDirLock();

  private:
    explicit DataDirLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace sluice::sdk
