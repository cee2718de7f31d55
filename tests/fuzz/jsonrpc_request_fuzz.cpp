// Fuzzes the JSON-RPC dispatcher with arbitrary request text on a long-lived devchain: every input gets a
// JSON response (or none, for notifications only), never a crash, and the dispatcher still answers a plain
// request afterwards. Requests can mine, move time and take snapshots, so the chain state wanders too; the
// chain starts afresh every kInputsPerChain inputs, since its blocks and snapshots only grow.
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
        chain = std::make_unique<sluice::l1::Devchain>(sluice::l1::dev_accounts_config());
        rpc = std::make_unique<sluice::l1::RpcDispatcher>(*chain);
    }
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::string response = rpc->handle(text);
    if (!response.empty() && !nlohmann::json::accept(response)) std::abort();
    const std::string probe = rpc->handle(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})");
    if (probe != R"({"id":1,"jsonrpc":"2.0","result":"0x7a69"})") std::abort();
    return 0;
}
