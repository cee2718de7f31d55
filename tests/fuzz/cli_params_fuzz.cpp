// libFuzzer: sluice-cli's argument conversion never crashes on arbitrary arguments, fails only with
// cli_bad_arguments, and what it accepts is a JSON array (positional) or object (name=value). The input's
// first byte picks the command, the rest is split into arguments at NUL bytes.
#include <cstdlib>
#include <string>
#include <vector>

#include "sluice/hub/cli_commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto& commands = sluice::hub::cli_commands();
    const auto& command = commands[data[0] % commands.size()];
    std::vector<std::string> args;
    std::string current;
    for (std::size_t i = 1; i < size; ++i) {
        if (data[i] == 0) {
            args.push_back(current);
            current.clear();
        } else {
            current.push_back(static_cast<char>(data[i]));
        }
    }
    if (size > 1) args.push_back(current);
    const auto params = sluice::hub::cli_params(command, args);
    if (!params.ok()) {
        if (params.error().code != sluice::Errc::cli_bad_arguments) std::abort();
        return 0;
    }
    if (!params->is_array() && !params->is_object()) std::abort();
    (void)params->dump();
    return 0;
}
