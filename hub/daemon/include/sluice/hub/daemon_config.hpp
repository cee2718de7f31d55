// sluiced's configuration: every key of the config file is a command-line flag of the same name (as
// bitcoind's), the command line wins over the file. The file is --conf, else <datadir>/sluiced.conf when it
// exists. docs/operator.md lists the keys.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::hub {

struct DaemonConfig {
    std::filesystem::path data_dir;
    std::string listen_host = "127.0.0.1";  // the peer transport (encrypted, docs/transport.md)
    std::uint16_t listen_port = 9736;
    std::string rpc_host = "127.0.0.1";  // the admin JSON-RPC and /metrics: loopback only
    std::uint16_t rpc_port = 9737;
    // L1: "devchain" runs a devchain in this process (kept in <datadir>/devchain), nothing external needed;
    // else l1_rpc is the URL of a node (sluice-devchain, hardhat, geth).
    std::string network = "devchain";
    std::string l1_rpc;
    std::optional<Address> adjudicator;
    bool deploy_adjudicator = false;  // deploy the committed artifact when none is configured or recorded
    // The identity (also the L1 key): a keystore file and the file holding its password, or a dev
    // account by index (development chains only).
    std::filesystem::path keystore;
    std::filesystem::path password_file;
    std::optional<std::size_t> dev_key;
    bool hub = false;  // forward payments for others
    u256 base_fee;
    std::uint64_t fee_ppm = 0;
    std::uint64_t delta = 600;
    u256 max_locked;  // liquidity limit per outgoing channel, 0: none
    unsigned confirmations = 1;
    unsigned threads = 2;
    std::string log_level = "info";  // "info", or per subsystem: "info,rpc=debug,node=warn"
    std::uint64_t shutdown_grace_seconds = 10;  // SIGTERM: how long in-flight payments may take to finish
    // Put in our invoices as the way payers reach us: "0xIDENTITY@127.0.0.1:9736" (a client of a hub).
    std::optional<std::string> invoice_hub;
    // Peers that relay our messages to channel participants we are not connected to (empty: the invoice
    // hub's identity, when there is one). A hub relays for its own peers.
    std::vector<Address> relay_via;
};

// Parses argv (argv[0] is the program). Errors: hub_bad_config with the offending flag or key in the
// message. `help` is set (and nothing else checked) for --help.
struct ParsedConfig {
    DaemonConfig config;
    bool help = false;
    std::string usage;
};
Result<ParsedConfig> parse_daemon_config(const std::vector<std::string>& args);

}  // namespace sluice::hub
