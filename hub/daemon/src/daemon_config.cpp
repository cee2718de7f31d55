#include "sluice/hub/daemon_config.hpp"

#include <boost/program_options.hpp>
#include <fstream>
#include <limits>
#include <sstream>

namespace sluice::hub {
namespace {

namespace po = boost::program_options;

Result<u256> amount_of(const std::string& text, const char* key) {
    auto v = u256::from_dec(text);
    if (!v) return make_error(Errc::hub_bad_config, std::string("--") + key + ": a decimal amount in wei, not '" + text + "'");
    return v;
}

Result<std::uint16_t> port_of(unsigned long value, const char* key) {
    if (value > std::numeric_limits<std::uint16_t>::max())
        return make_error(Errc::hub_bad_config, std::string("--") + key + " must be at most 65535");
    return static_cast<std::uint16_t>(value);
}

Status loopback_only(const std::string& host, const char* key) {
    if (host == "127.0.0.1" || host == "::1") return {};
    return make_error(Errc::hub_bad_config, std::string("--") + key + " must be 127.0.0.1 or ::1, not " + host);
}

}  // namespace

Result<ParsedConfig> parse_daemon_config(const std::vector<std::string>& args) {
    ParsedConfig out;
    DaemonConfig& c = out.config;
    std::string data_dir, conf, adjudicator, invoice_hub, keystore, password_file, base_fee = "0", max_locked = "0";
    std::vector<std::string> relay_via;
    unsigned long listen_port = c.listen_port, rpc_port = c.rpc_port;
    long dev_key = -1;
    po::options_description cli_only("Command line only");
    cli_only.add_options()("help,h", "this text")("conf", po::value(&conf),
                                                   "config file (default: <datadir>/sluiced.conf if it exists)");
    po::options_description keys("Options (also config file keys, `key = value`)");
    keys.add_options()("datadir", po::value(&data_dir), "data directory (required)")(
        "listen-host", po::value(&c.listen_host)->default_value(c.listen_host), "peer transport address")(
        "listen-port", po::value(&listen_port)->default_value(listen_port), "peer transport port (0: any)")(
        "rpc-host", po::value(&c.rpc_host)->default_value(c.rpc_host), "admin RPC address (loopback)")(
        "rpc-port", po::value(&rpc_port)->default_value(rpc_port), "admin RPC port (0: any)")(
        "network", po::value(&c.network)->default_value(c.network),
        "devchain: an embedded devchain in <datadir>/devchain; rpc: the node at --l1-rpc")(
        "l1-rpc", po::value(&c.l1_rpc), "L1 JSON-RPC URL (http://127.0.0.1:8545); implies --network rpc")(
        "adjudicator", po::value(&adjudicator), "the adjudicator contract's address")(
        "deploy-adjudicator", po::bool_switch(&c.deploy_adjudicator),
        "deploy the adjudicator when none is configured or recorded in the data dir")(
        "keystore", po::value(&keystore), "the identity's keystore file")(
        "password-file", po::value(&password_file), "file holding the keystore's password")(
        "dev-key", po::value(&dev_key), "use dev account N as the identity (development chains only)")(
        "hub", po::bool_switch(&c.hub), "forward payments between other nodes' channels")(
        "base-fee", po::value(&base_fee)->default_value(base_fee), "forwarding fee base, wei")(
        "fee-ppm", po::value(&c.fee_ppm)->default_value(c.fee_ppm), "forwarding fee, parts per million")(
        "delta", po::value(&c.delta)->default_value(c.delta),
        "seconds between incoming and outgoing lock expiry")(
        "max-locked", po::value(&max_locked)->default_value(max_locked),
        "liquidity limit: most locked toward others per channel, wei (0: none)")(
        "confirmations", po::value(&c.confirmations)->default_value(c.confirmations),
        "L1 confirmations before a deposit counts")(
        "threads", po::value(&c.threads)->default_value(c.threads), "io threads")(
        "log-level", po::value(&c.log_level)->default_value(c.log_level),
        "trace|debug|info|warn|error|off, optionally per subsystem: info,rpc=debug (node, rpc, l1, hub)")(
        "invoice-hub", po::value(&invoice_hub),
        "put in our invoices: the hub payers reach us through, ADDRESS@HOST:PORT")(
        "relay-via", po::value(&relay_via)->composing(),
        "a peer (ADDRESS) that relays our channel messages to participants we have no connection with; "
        "repeat for more (default: the --invoice-hub's identity). A --hub relays for its peers")(
        "shutdown-grace", po::value(&c.shutdown_grace_seconds)->default_value(c.shutdown_grace_seconds),
        "seconds in-flight payments may take to finish at SIGTERM");
    po::options_description all;
    all.add(cli_only).add(keys);
    std::ostringstream usage;
    usage << "Usage: sluiced --datadir DIR [options]\n" << all;
    out.usage = usage.str();

    po::variables_map vm;
    try {
        std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
        po::store(po::command_line_parser(rest).options(all).run(), vm);
        if (vm.count("help")) {
            out.help = true;
            return out;
        }
        po::notify(vm);
        std::filesystem::path file = conf;
        if (file.empty() && !data_dir.empty() && std::filesystem::exists(std::filesystem::path(data_dir) / "sluiced.conf"))
            file = std::filesystem::path(data_dir) / "sluiced.conf";
        if (!file.empty()) {
            std::ifstream in(file);
            if (!in) return make_error(Errc::hub_bad_config, "cannot read the config file " + file.string());
            // The command line was stored first: po::store keeps the first value of a key, so it wins.
            po::store(po::parse_config_file(in, keys, false), vm);
            po::notify(vm);
        }
    } catch (const po::error& e) {
        return make_error(Errc::hub_bad_config, e.what());
    }
    if (data_dir.empty()) return make_error(Errc::hub_bad_config, "--datadir is required");
    c.data_dir = data_dir;
    SLUICE_TRY(c.listen_port, port_of(listen_port, "listen-port"));
    SLUICE_TRY(c.rpc_port, port_of(rpc_port, "rpc-port"));
    SLUICE_CHECK_OK(loopback_only(c.rpc_host, "rpc-host"));
    SLUICE_CHECK_OK(loopback_only(c.listen_host, "listen-host"));
    if (!c.l1_rpc.empty()) c.network = "rpc";
    if (c.network != "devchain" && c.network != "rpc")
        return make_error(Errc::hub_bad_config, "--network must be devchain or rpc, not " + c.network);
    if (c.network == "rpc" && c.l1_rpc.empty())
        return make_error(Errc::hub_bad_config, "--network rpc needs --l1-rpc URL");
    if (!adjudicator.empty()) {
        auto a = Address::from_hex(adjudicator);
        if (!a) return make_error(Errc::hub_bad_config, "--adjudicator: not an address: " + adjudicator);
        c.adjudicator = *a;
    }
    if (dev_key >= 0) {
        if (dev_key >= 20) return make_error(Errc::hub_bad_config, "--dev-key must be from 0 to 19");
        c.dev_key = static_cast<std::size_t>(dev_key);
    } else if (dev_key != -1) {
        return make_error(Errc::hub_bad_config, "--dev-key must be from 0 to 19");
    }
    if (!invoice_hub.empty()) c.invoice_hub = invoice_hub;
    for (const std::string& text : relay_via) {
        auto a = Address::from_hex(text);
        if (!a) return make_error(Errc::hub_bad_config, "--relay-via: not an address: " + text);
        c.relay_via.push_back(*a);
    }
    c.keystore = keystore;
    c.password_file = password_file;
    if (c.dev_key && !c.keystore.empty())
        return make_error(Errc::hub_bad_config, "--dev-key and --keystore exclude each other");
    if (!c.dev_key && c.keystore.empty())
        return make_error(Errc::hub_bad_config, "an identity is needed: --keystore FILE (with --password-file) or --dev-key N");
    if (!c.keystore.empty() && c.password_file.empty())
        return make_error(Errc::hub_bad_config, "--keystore needs --password-file");
    SLUICE_TRY(c.base_fee, amount_of(base_fee, "base-fee"));
    SLUICE_TRY(c.max_locked, amount_of(max_locked, "max-locked"));
    if (c.fee_ppm > 1'000'000) return make_error(Errc::hub_bad_config, "--fee-ppm must be at most 1000000");
    if (c.threads < 1 || c.threads > 64) return make_error(Errc::hub_bad_config, "--threads must be from 1 to 64");
    if (c.confirmations > 1000)
        return make_error(Errc::hub_bad_config, "--confirmations must be at most 1000");
    return out;
}

}  // namespace sluice::hub
