// A small file of the data dir written whole: `content` goes to `<path>.tmp` (mode 0600, created afresh, no
// symlink followed), is fsynced, then renamed over `path`, so a reader (sluice-cli, a script, the next start)
// never sees half a file and a crash leaves the old one or the new one. Errors: io_error naming the file.
#pragma once

#include <filesystem>
#include <string_view>

#include "sluice/core/result.hpp"

namespace sluice::hub {

Status write_private_file(const std::filesystem::path& path, std::string_view content);

}  // namespace sluice::hub
