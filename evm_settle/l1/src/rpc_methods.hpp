// The JSON-RPC methods the devchain serves, each a function of its params; find_method is the table.
#pragma once

#include <string>
#include <string_view>

#include "rpc_answer.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"

namespace sluice::l1::rpc {

struct Context {
    Devchain& chain;
    const RpcLimits& limits;
    const std::string& client_version;
};

using Method = RpcAnswer (*)(Context&, const Json& params);

// nullptr for a method the devchain does not serve.
Method find_method(std::string_view name);

// The error of a call that failed (rpc_methods_state.cpp): a revert is code 3 with its data, which clients
// decode custom errors from; any other failure is -32000 with geth's name for it ("out of gas").
RpcAnswer failed_call(const CallResult& result);

// rpc_methods_state.cpp: chain and account state, calls, fees.
RpcAnswer eth_chain_id(Context&, const Json&);
RpcAnswer eth_block_number(Context&, const Json&);
RpcAnswer eth_get_balance(Context&, const Json&);
RpcAnswer eth_get_transaction_count(Context&, const Json&);
RpcAnswer eth_get_code(Context&, const Json&);
RpcAnswer eth_get_storage_at(Context&, const Json&);
RpcAnswer eth_get_proof(Context&, const Json&);
RpcAnswer eth_call(Context&, const Json&);
RpcAnswer eth_estimate_gas(Context&, const Json&);
RpcAnswer eth_gas_price(Context&, const Json&);
RpcAnswer eth_max_priority_fee_per_gas(Context&, const Json&);
RpcAnswer eth_fee_history(Context&, const Json&);
RpcAnswer eth_accounts(Context&, const Json&);

// rpc_methods_chain.cpp: transactions, blocks, receipts, logs.
RpcAnswer eth_send_raw_transaction(Context&, const Json&);
RpcAnswer eth_send_transaction(Context&, const Json&);
RpcAnswer eth_get_transaction_by_hash(Context&, const Json&);
RpcAnswer eth_get_transaction_receipt(Context&, const Json&);
RpcAnswer eth_get_block_by_number(Context&, const Json&);
RpcAnswer eth_get_block_by_hash(Context&, const Json&);
RpcAnswer eth_get_logs(Context&, const Json&);

// rpc_methods_dev.cpp: node identity and the devchain's test controls.
RpcAnswer web3_client_version(Context&, const Json&);
RpcAnswer net_version(Context&, const Json&);
RpcAnswer evm_mine(Context&, const Json&);
RpcAnswer evm_increase_time(Context&, const Json&);
RpcAnswer evm_set_next_block_timestamp(Context&, const Json&);
RpcAnswer evm_snapshot(Context&, const Json&);
RpcAnswer evm_revert(Context&, const Json&);
RpcAnswer hardhat_set_balance(Context&, const Json&);

}  // namespace sluice::l1::rpc
