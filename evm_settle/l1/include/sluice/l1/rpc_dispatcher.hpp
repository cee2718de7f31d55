// The devchain's Ethereum JSON-RPC 2.0 face as a pure function: request text in, response text out, no
// sockets (sluice-devchain puts HTTP around it; tests and fuzzers call it directly).
//
// Framing follows JSON-RPC 2.0: one request object or a batch array (at most RpcLimits::max_batch entries;
// an empty or larger batch is one -32600 error); a request without "id" is a notification and gets no
// response. Errors use the standard codes: -32700 the text is not JSON (or has duplicate keys), -32600 not a
// request object (jsonrpc "2.0", string method, array params, id a string, number or null), -32601 unknown
// method, -32602 params of the wrong count, type or format (and state asked at an old block: the devchain
// keeps the latest state only), 3 an eth_call or eth_estimateGas the EVM reverted, with the revert bytes as
// hex in "data", -32000 a transaction refused (the reason in the message, worded as geth words it so clients
// such as ethers classify it: "nonce too low: ...", "insufficient funds: ...") or a call that failed without
// reverting (out of gas, invalid opcode), -32005 too many logs. Every error of the request is answered;
// nothing in a request can stop the dispatcher.
//
// Quantities are 0x-hex without leading zeros, data is 0x-hex of whole bytes, as the execution API
// specification requires; the dispatcher is that strict on input too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {

struct RpcLimits {
    std::size_t max_request_bytes = 8u << 20;  // a 128 KiB raw transaction as hex is far below this
    std::size_t max_batch = 100;               // ethers batches at most 100 requests by default
    std::size_t max_logs = 10'000;             // per eth_getLogs, as common providers limit it
};

class RpcDispatcher {
  public:
    explicit RpcDispatcher(Devchain& chain, RpcLimits limits = {},
                           std::string client_version = "sluice-devchain/0.1.0");

    // The response to one request or batch; empty when there is nothing to answer (only notifications).
    std::string handle(std::string_view request);

    Devchain& chain() noexcept { return chain_; }
    const RpcLimits& limits() const noexcept { return limits_; }

  private:
    Devchain& chain_;
    RpcLimits limits_;
    std::string client_version_;
};

}  // namespace sluice::l1
