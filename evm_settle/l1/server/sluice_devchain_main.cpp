// sluice-devchain: the in-process Devchain served as an Ethereum JSON-RPC node on loopback, with the 20
// hardhat dev accounts funded and unlocked, so hardhat-era scripts and unmodified clients (ethers) run on it.
#include <boost/program_options.hpp>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

#include "http_server.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"

namespace po = boost::program_options;

namespace {
// hardhat's names of the revisions the devchain can run (its blocks carry a base fee: London on), so a
// devchain can be started on the revision a hardhat node runs (tests/l1/hardhat/run_differential.sh).
std::optional<sluice::evm::Revision> hardfork_from_name(std::string_view name) {
    using sluice::evm::Revision;
    if (name == "london") return Revision::london;
    if (name == "merge" || name == "paris") return Revision::paris;
    if (name == "shanghai") return Revision::shanghai;
    if (name == "cancun") return Revision::cancun;
    if (name == "prague") return Revision::prague;
    return std::nullopt;
}
}  // namespace

int main(int argc, char** argv) {
    std::string host;
    std::uint32_t port = 0;
    std::string base_fee_text;
    std::string priority_fee_text;
    std::size_t max_body = 0;
    std::size_t max_batch = 0;
    unsigned block_time = 0;
    unsigned threads = 1;
    std::string hardfork_text;
    std::string data_dir;
    po::options_description desc("usage: sluice-devchain --port P [options]");
    desc.add_options()("help", "print this help")("port", po::value<std::uint32_t>(&port)->required(),
                                                  "TCP port; 0 picks a free one (printed)")(
        "host", po::value<std::string>(&host)->default_value("127.0.0.1"), "127.0.0.1 or ::1 (nothing else)")(
        "base-fee", po::value<std::string>(&base_fee_text)->default_value("1000000000"),
        "the initial base fee in wei (decimal or 0x-hex); later blocks' follow EIP-1559")(
        "block-time", po::value<unsigned>(&block_time)->default_value(0),
        "mine the mempool every S seconds (0: mine each transaction at once)")(
        "threads", po::value<unsigned>(&threads)->default_value(1),
        "threads executing a block's transactions (1: sequentially; at most 64)")(
        "priority-fee", po::value<std::string>(&priority_fee_text)->default_value("1000000000"),
        "the tip eth_maxPriorityFeePerGas suggests, in wei")(
        "hardfork", po::value<std::string>(&hardfork_text)->default_value("prague"),
        "london, merge, shanghai, cancun or prague")(
        "data-dir", po::value<std::string>(&data_dir),
        "keep the chain in DIR/chain.sqlite and continue it on restart (default: a fresh chain in memory)")(
        "max-body", po::value<std::size_t>(&max_body)->default_value(8u << 20),
        "largest request body in bytes")("max-batch", po::value<std::size_t>(&max_batch)->default_value(100),
                                         "most requests in one batch");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "sluice-devchain: " << e.what() << "\n" << desc << "\n";
        return 2;
    }
    if (port > 65535) {
        std::cerr << "sluice-devchain: --port must be at most 65535\n";
        return 2;
    }
    if (threads < 1 || threads > 64) {
        std::cerr << "sluice-devchain: --threads must be from 1 to 64\n";
        return 2;
    }
    if (block_time > 86'400) {
        std::cerr << "sluice-devchain: --block-time must be at most 86400 seconds\n";
        return 2;
    }
    const auto base_fee = sluice::u256::from_string(base_fee_text);
    const auto priority_fee = sluice::u256::from_string(priority_fee_text);
    if (!base_fee.ok() || !priority_fee.ok()) {
        std::cerr << "sluice-devchain: --base-fee and --priority-fee are wei amounts\n";
        return 2;
    }

    const auto revision = hardfork_from_name(hardfork_text);
    if (!revision) {
        std::cerr << "sluice-devchain: --hardfork must be london, merge, shanghai, cancun or prague\n";
        return 2;
    }

    sluice::l1::DevchainConfig config = sluice::l1::dev_accounts_config();
    config.revision = *revision;
    config.base_fee = *base_fee;
    config.priority_fee = *priority_fee;
    config.base_fee_adjusts = true;  // as hardhat: initialBaseFeePerGas, then EIP-1559
    config.executor_threads = threads;
    if (block_time > 0) {
        config.mining = sluice::l1::MiningMode::interval;
        config.block_interval = block_time;  // block timestamps keep pace with the timer
    }
    auto opened = data_dir.empty() ? sluice::Result<sluice::l1::Devchain>(sluice::l1::Devchain(config))
                                   : sluice::l1::Devchain::open(config, data_dir);
    if (!opened.ok()) {
        std::cerr << "sluice-devchain: " << opened.error().describe() << "\n";
        return 1;
    }
    sluice::l1::Devchain chain = std::move(opened).value();
    if (!data_dir.empty()) {
        std::printf("chain in %s at block %lld\n", data_dir.c_str(),
                    static_cast<long long>(chain.latest_block().number));
    }
    sluice::l1::RpcLimits limits;
    limits.max_request_bytes = max_body;
    limits.max_batch = max_batch;
    sluice::l1::RpcDispatcher dispatcher(chain, limits);

    sluice::l1::HttpServerOptions options;
    options.host = host;
    options.port = static_cast<std::uint16_t>(port);
    options.max_body_bytes = max_body;
    options.block_time_seconds = block_time;
    const auto served = sluice::l1::serve_http(dispatcher, options, [&](std::uint16_t bound) {
        std::printf("listening on %s:%u\n", host == "::1" ? "[::1]" : host.c_str(),
                    static_cast<unsigned>(bound));
        std::fflush(stdout);
    });
    if (!served.ok()) {
        std::cerr << "sluice-devchain: " << served.error().describe() << "\n";
        return 1;
    }
    return 0;
}
