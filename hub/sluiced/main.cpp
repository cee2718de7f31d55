// sluiced: the Sluice daemon (a hub with --hub, else a client node), docs/operator.md.
#include <cstdio>
#include <string>
#include <vector>

#include "sluice/hub/daemon.hpp"

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv, argv + argc);
    auto parsed = sluice::hub::parse_daemon_config(args);
    if (!parsed) {
        std::fprintf(stderr, "sluiced: %s\n(sluiced --help lists the options)\n", parsed.error().describe().c_str());
        return 2;
    }
    if (parsed->help) {
        std::fputs(parsed->usage.c_str(), stdout);
        return 0;
    }
    auto daemon = sluice::hub::Daemon::start(std::move(parsed->config));
    if (!daemon) {
        std::fprintf(stderr, "sluiced: %s\n", daemon.error().describe().c_str());
        return 1;
    }
    return (*daemon)->run_until_stopped();
}
