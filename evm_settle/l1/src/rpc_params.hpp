// Strict readers for JSON-RPC params: quantities, data, addresses, hashes, block tags and transaction
// objects. Every error is Errc::rpc_bad_params (or the hex/number error underneath) naming the parameter.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "rpc_answer.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1::rpc {

// params must be an array (or absent: null) with between min and max entries.
Status expect_count(const Json& params, std::size_t min, std::size_t max);
// params[i], or null when the array is shorter.
const Json& param(const Json& params, std::size_t i);

Result<u256> read_quantity(const Json& value, const std::string& what);
Result<std::uint64_t> read_quantity64(const Json& value, const std::string& what);
Result<Bytes> read_data(const Json& value, const std::string& what);
Result<Address> read_address(const Json& value, const std::string& what);
Result<Bytes32> read_hash(const Json& value, const std::string& what);
Result<bool> read_bool(const Json& value, const std::string& what);

// A block tag ("latest", "pending", "safe", "finalized", "earliest"), a quantity, or an EIP-1898 object
// {"blockNumber": q} / {"blockHash": h}; null means "latest". The number it names, which may be past the
// chain's head (the caller decides what that means); an unknown block hash is rpc_bad_params.
Result<std::int64_t> read_block_number(const Json& value, const Devchain& chain, const std::string& what);
// The same, for a state query: any block but the latest is devchain_state_unavailable.
Status require_latest_state(const Json& value, const Devchain& chain, const std::string& what);

// The transaction object of eth_call, eth_estimateGas and eth_sendTransaction.
struct TxArgs {
    std::optional<Address> from;
    std::optional<Address> to;
    std::optional<std::uint64_t> gas;
    std::optional<u256> gas_price;
    std::optional<u256> max_fee_per_gas;
    std::optional<u256> max_priority_fee_per_gas;
    std::optional<u256> value;
    Bytes data;
    std::optional<std::uint64_t> nonce;
    std::optional<std::uint64_t> type;
    std::optional<u256> chain_id;
    std::vector<evm::AccessListEntry> access_list;
};
Result<TxArgs> read_tx_args(const Json& value, const std::string& what);

}  // namespace sluice::l1::rpc
