// sluice-cli: the command line client of sluiced's admin RPC (as bitcoin-cli). Reads the cookie (or, with
// --readonly, the read-only token) and the RPC port from the data dir. JSON out; on failure a one-line error
// on stderr and exit 1 (2 for bad arguments).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "sluice/hub/cli_commands.hpp"
#include "sluice/hub/rpc_auth.hpp"
#include "sluice/l1/http_transport.hpp"

namespace {

using namespace sluice;
using namespace sluice::hub;

void usage() {
    std::fputs("Usage: sluice-cli --datadir DIR [--rpc-port N] [--readonly] <command> [args...]\n"
               "       sluice-cli help [command]\n\nCommands:\n",
               stderr);
    for (const auto& c : cli_commands())
        std::fputs(cli_usage(c).c_str(), stderr);
}

int fail(int code, const std::string& message) {
    std::fprintf(stderr, "sluice-cli: %s\n", message.c_str());
    return code;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string data_dir, port_text;
    bool readonly = false;
    std::size_t i = 0;
    for (; i < args.size() && args[i].starts_with("--"); ++i) {
        const std::string& a = args[i];
        if (a == "--readonly") {
            readonly = true;
        } else if ((a == "--datadir" || a == "--rpc-port") && i + 1 < args.size()) {
            (a == "--datadir" ? data_dir : port_text) = args[++i];
        } else if (a == "--help") {
            usage();
            return 0;
        } else {
            return fail(2, "unknown option " + a + " (sluice-cli --help)");
        }
    }
    if (i == args.size()) {
        usage();
        return 2;
    }
    const std::string name = args[i++];
    if (name == "help") {
        if (i < args.size()) {
            const auto* c = find_cli_command(args[i]);
            if (!c) return fail(2, "no command " + args[i]);
            std::fputs(cli_usage(*c).c_str(), stdout);
        } else {
            for (const auto& c : cli_commands())
                std::fputs(cli_usage(c).c_str(), stdout);
        }
        return 0;
    }
    const auto* command = find_cli_command(name);
    if (!command) return fail(2, "no command " + name + " (sluice-cli help)");
    if (i < args.size() && args[i] == "--help") {
        std::fputs(cli_usage(*command).c_str(), stdout);
        return 0;
    }
    if (data_dir.empty()) return fail(2, "--datadir DIR is required (the daemon's data dir)");
    const std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
    auto params = cli_params(*command, rest);
    if (!params) return fail(2, params.error().message);
    if (port_text.empty()) {
        std::ifstream in(std::filesystem::path(data_dir) / "rpc.port");
        if (!(in >> port_text)) return fail(1, "no rpc.port in " + data_dir + " (is sluiced running?)");
    }
    auto header = readonly ? RpcAuth::header_from_token_file(std::filesystem::path(data_dir) / "readonly.token")
                           : RpcAuth::header_from_cookie_file(std::filesystem::path(data_dir) / ".cookie");
    if (!header) return fail(1, header.error().message);

    boost::asio::io_context io;
    l1::HttpTransportOptions options;
    options.authorization = *header;
    options.max_retries = 0;
    options.timeout = std::chrono::milliseconds(3'600'000);  // closechannel and pay wait for L1
    auto transport = l1::HttpTransport::create(io.get_executor(), "http://127.0.0.1:" + port_text + "/", options);
    if (!transport) return fail(2, transport.error().describe());
    const nlohmann::json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", name}, {"params", *params}};
    std::optional<Result<std::string>> reply;
    auto call = [&]() -> boost::asio::awaitable<void> { reply = co_await (*transport)->round_trip(request.dump()); };
    boost::asio::co_spawn(io, call, boost::asio::detached);
    io.run();
    if (!reply || !*reply) return fail(1, "cannot reach sluiced on 127.0.0.1:" + port_text + ": " +
                                              (reply ? reply->error().describe() : std::string("no reply")));
    const auto parsed = nlohmann::json::parse(**reply, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) return fail(1, "a reply that is not JSON-RPC: " + **reply);
    if (parsed.contains("error")) {
        const auto& e = parsed["error"];
        const std::string code_name = e.contains("data") && e["data"].contains("name") ? e["data"]["name"].get<std::string>() : "";
        return fail(1, "error " + std::to_string(e.value("code", 0)) + (code_name.empty() ? "" : " (" + code_name + ")") +
                           ": " + e.value("message", std::string()));
    }
    std::puts(parsed["result"].dump(2).c_str());
    return 0;
}
