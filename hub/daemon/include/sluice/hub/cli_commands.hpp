// sluice-cli's subcommands: one per RPC method, with the name and type of each parameter, so arguments
// become the right JSON (amounts stay decimal strings, ports become numbers) and `sluice-cli help CMD`
// can say what a command takes. Positional arguments give a params array; `name=value` arguments (all of
// them, not mixed) give a params object.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/result.hpp"

namespace sluice::hub {

// list: comma-separated strings, sent as a JSON array (peers=0xA,0xB).
enum class ArgType { string, number, boolean, list };

struct CliArg {
    std::string name;
    ArgType type = ArgType::string;
    bool optional = false;
};

struct CliCommand {
    std::string name;  // = the RPC method
    std::vector<CliArg> args;
    std::string summary;
    bool writes = true;  // needs the cookie (false: the read-only token does)
};

const std::vector<CliCommand>& cli_commands();
const CliCommand* find_cli_command(std::string_view name);

// The params of `command` from its arguments. Errors: cli_bad_arguments naming the argument.
Result<nlohmann::json> cli_params(const CliCommand& command, std::span<const std::string> args);

// "sluice-cli pay <invoice> [fee] [wait] [timeout_seconds]\n  summary"
std::string cli_usage(const CliCommand& command);

}  // namespace sluice::hub
