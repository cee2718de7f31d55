#include <string>
#include <unordered_map>

#include "rpc_format.hpp"
#include "rpc_methods.hpp"
#include "rpc_params.hpp"

namespace sluice::l1::rpc {

namespace {

// hardhat takes a JSON number of seconds here; a hex quantity is accepted too.
Result<std::int64_t> read_seconds(const Json& value, const std::string& what) {
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(INT64_MAX / 2))
            return make_error(Errc::rpc_bad_params, what + ": too large");
        return static_cast<std::int64_t>(v);
    }
    if (value.is_number())
        return make_error(Errc::rpc_bad_params, what + ": expected a whole number of seconds >= 0");
    SLUICE_TRY(const std::uint64_t v, read_quantity64(value, what));
    if (v > static_cast<std::uint64_t>(INT64_MAX / 2))
        return make_error(Errc::rpc_bad_params, what + ": too large");
    return static_cast<std::int64_t>(v);
}

}  // namespace

Method find_method(std::string_view name) {
    static const std::unordered_map<std::string_view, Method> kMethods = {
        {"web3_clientVersion", web3_client_version},
        {"net_version", net_version},
        {"eth_chainId", eth_chain_id},
        {"eth_blockNumber", eth_block_number},
        {"eth_accounts", eth_accounts},
        {"eth_getBalance", eth_get_balance},
        {"eth_getTransactionCount", eth_get_transaction_count},
        {"eth_getCode", eth_get_code},
        {"eth_getStorageAt", eth_get_storage_at},
        {"eth_getProof", eth_get_proof},
        {"eth_call", eth_call},
        {"eth_estimateGas", eth_estimate_gas},
        {"eth_gasPrice", eth_gas_price},
        {"eth_maxPriorityFeePerGas", eth_max_priority_fee_per_gas},
        {"eth_feeHistory", eth_fee_history},
        {"eth_sendRawTransaction", eth_send_raw_transaction},
        {"eth_sendTransaction", eth_send_transaction},
        {"eth_getTransactionByHash", eth_get_transaction_by_hash},
        {"eth_getTransactionReceipt", eth_get_transaction_receipt},
        {"eth_getBlockByNumber", eth_get_block_by_number},
        {"eth_getBlockByHash", eth_get_block_by_hash},
        {"eth_getLogs", eth_get_logs},
        {"evm_mine", evm_mine},
        {"evm_increaseTime", evm_increase_time},
        {"evm_setNextBlockTimestamp", evm_set_next_block_timestamp},
        {"evm_snapshot", evm_snapshot},
        {"evm_revert", evm_revert},
        {"hardhat_setBalance", hardhat_set_balance},
    };
    const auto it = kMethods.find(name);
    return it == kMethods.end() ? nullptr : it->second;
}

RpcAnswer web3_client_version(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(ctx.client_version);
}

RpcAnswer net_version(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(ctx.chain.chain_id().to_dec());
}

RpcAnswer evm_mine(Context& ctx, const Json& params) {
    // hardhat's optional argument is the new block's timestamp.
    RPC_CHECK_OK(expect_count(params, 0, 1));
    if (!param(params, 0).is_null()) {
        RPC_TRY(const std::int64_t timestamp, read_seconds(param(params, 0), "timestamp"));
        RPC_CHECK_OK(ctx.chain.set_next_block_timestamp(timestamp));
    }
    ctx.chain.mine();
    return answer("0x0");
}

RpcAnswer evm_increase_time(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const std::int64_t seconds, read_seconds(params[0], "seconds"));
    RPC_CHECK_OK(ctx.chain.increase_time(seconds));
    return answer(quantity(
        static_cast<std::uint64_t>(ctx.chain.next_timestamp() - ctx.chain.latest_block().timestamp)));
}

RpcAnswer evm_set_next_block_timestamp(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const std::int64_t timestamp, read_seconds(params[0], "timestamp"));
    RPC_CHECK_OK(ctx.chain.set_next_block_timestamp(timestamp));
    return answer(quantity(static_cast<std::uint64_t>(timestamp)));
}

RpcAnswer evm_snapshot(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(quantity(ctx.chain.snapshot()));
}

RpcAnswer evm_revert(Context& ctx, const Json& params) {
    // As hardhat: false (not an error) for a snapshot that does not exist (any more).
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const std::uint64_t id, read_quantity64(params[0], "snapshot id"));
    return answer(ctx.chain.revert(id).ok());
}

RpcAnswer hardhat_set_balance(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 2, 2));
    RPC_TRY(const Address account, read_address(params[0], "address"));
    RPC_TRY(const u256 wei, read_quantity(params[1], "balance"));
    ctx.chain.set_balance(account, wei);
    return answer(true);
}

}  // namespace sluice::l1::rpc
