// The daemon's logging: spdlog loggers per subsystem (node, rpc, l1, hub) writing to stderr and to
// <datadir>/sluiced.log, each with its own level (--log-level info,rpc=debug).
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include <spdlog/logger.h>

#include "sluice/core/result.hpp"

namespace sluice::hub {

inline constexpr std::string_view kLogSubsystems[] = {"node", "rpc", "l1", "hub"};

// Creates (or replaces) the loggers. Errors: hub_bad_config for a level spec that does not parse (an
// unknown level or subsystem), hub_bad_config when the log file cannot be opened.
Status setup_logging(const std::filesystem::path& file, std::string_view levels, bool to_stderr = true);

// The logger of a subsystem (one of kLogSubsystems); a logger that drops everything before setup_logging.
std::shared_ptr<spdlog::logger> log(std::string_view subsystem);

}  // namespace sluice::hub
