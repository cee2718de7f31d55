// Reading and atomically writing keystore files (keystore.hpp): the POSIX side, shared by create,
// change_password and load.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "sluice/core/result.hpp"

namespace sluice::sdk::keystore::detail {

// The whole file, at most kMaxFileBytes (keystore_malformed above), a regular file (keystore_io otherwise);
// keystore_not_found when nothing is at `path`.
Result<std::string> read_file(const std::filesystem::path& path);

enum class WriteMode : bool {
    create_new,  // keystore_exists when `path` exists (link(2) of the temp file: never replaces)
    replace,     // rename(2) over `path`
};

// Writes `text` to a temp file beside `path` (mode 0600), fsyncs it, moves it into place and fsyncs the
// folder. On any failure the temp file is removed and `path` is as it was (keystore_io, keystore_exists).
Status write_atomically(const std::filesystem::path& path, std::string_view text, WriteMode mode);

}  // namespace sluice::sdk::keystore::detail
