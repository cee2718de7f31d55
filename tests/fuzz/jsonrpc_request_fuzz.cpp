// Fuzzes the JSON-RPC dispatcher with arbitrary request text on a long-lived devchain: every input gets a
// JSON response (or none, for notifications only), never a crash, and the dispatcher still answers a plain
// request afterwards. Requests can mine, move time and take snapshots, so the chain state wanders too; the
// chain starts afresh every kInputsPerChain inputs, since its blocks and snapshots only grow, alternately an
// automining one and one mining by interval with an EIP-1559 base fee (so sent transactions wait in its
// mempool until an evm_mine).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    constexpr int kInputsPerChain = 2000;
    static std::unique_ptr<sluice::l1::Devchain> chain;
    static std::unique_ptr<sluice::l1::RpcDispatcher> rpc;
    static int inputs = 0;
    if (inputs++ % kInputsPerChain == 0) {
        rpc.reset();
        sluice::l1::DevchainConfig config = sluice::l1::dev_accounts_config();
        if ((inputs / kInputsPerChain) % 2 == 1) {
            config.mining = sluice::l1::MiningMode::interval;
            config.base_fee = sluice::u256{1'000'000'000};
            config.base_fee_adjusts = true;
            config.mempool_capacity = 64;
        }
        chain = std::make_unique<sluice::l1::Devchain>(config);
        rpc = std::make_unique<sluice::l1::RpcDispatcher>(*chain);
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string response = rpc->handle(text);
    if (!response.empty() && !nlohmann::json::accept(response)) std::abort();
    const std::string probe = rpc->handle(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})");
    if (probe != R"({"id":1,"jsonrpc":"2.0","result":"0x7a69"})") std::abort();
    return 0;
}
