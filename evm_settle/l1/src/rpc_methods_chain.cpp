#include <string>
#include <utility>

#include "rpc_format.hpp"
#include "rpc_methods.hpp"
#include "rpc_params.hpp"
#include "sluice/l1/dev_accounts.hpp"

namespace sluice::l1::rpc {
namespace {

RpcAnswer block_answer(const Context& ctx, const Block* block, const Json& full) {
    if (!block) return answer(nullptr);
    RPC_TRY(const bool full_transactions, read_bool(full, "full transactions"));
    return answer(block_json(ctx.chain, *block, full_transactions));
}

// The transaction eth_sendTransaction signs: the dev account's next nonce, the gas given (or 0), and EIP-1559
// fees (the base fee twice over plus the tip, as ethers fills them) unless a gasPrice asks for a legacy one.
Result<evm::Transaction> unsigned_transaction(const Devchain& chain, const TxArgs& args) {
    evm::Transaction tx;
    tx.sender = *args.from;
    tx.to = args.to;
    tx.value = args.value.value_or(u256{});
    tx.data = args.data;
    tx.nonce = args.nonce.value_or(chain.pending_nonce(tx.sender));
    tx.access_list = args.access_list;
    const DevchainConfig& config = chain.config();
    if (args.gas_price) {
        tx.type = args.access_list.empty() ? evm::TxType::legacy : evm::TxType::access_list;
        tx.gas_price = *args.gas_price;
    } else {
        tx.type = evm::TxType::dynamic_fee;
        tx.max_priority_fee_per_gas = args.max_priority_fee_per_gas.value_or(config.priority_fee);
        tx.max_fee_per_gas =
            args.max_fee_per_gas.value_or(chain.next_base_fee() * u256{2} + tx.max_priority_fee_per_gas);
    }
    if (args.type && *args.type != static_cast<std::uint64_t>(tx.type)) {
        return make_error(Errc::rpc_bad_params, "transaction.type: the fields given make a type " +
                                                    std::to_string(static_cast<int>(tx.type)) +
                                                    " transaction");
    }
    tx.gas_limit = args.gas.value_or(0);  // 0: the caller estimates it
    return tx;
}

}  // namespace

RpcAnswer eth_send_raw_transaction(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const Bytes raw, read_data(params[0], "transaction"));
    RPC_TRY(const Hash hash, ctx.chain.submit_raw(raw));
    return answer(hex_data(hash.view()));
}

RpcAnswer eth_send_transaction(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const TxArgs args, read_tx_args(params[0], "transaction"));
    if (!args.from) return fail(make_error(Errc::rpc_bad_params, "transaction.from: required"));
    const std::optional<PrivateKey> key = dev_account_key_of(*args.from);
    if (!key) {
        return fail(make_error(
            Errc::devchain_not_unlocked,
            "unknown account " + args.from->to_checksum_hex() + ": only the dev accounts are unlocked"));
    }
    if (args.chain_id && *args.chain_id != ctx.chain.chain_id()) {
        return fail(make_error(Errc::tx_wrong_chain_id, "transaction.chainId is not this chain's"));
    }
    RPC_TRY(evm::Transaction tx, unsigned_transaction(ctx.chain, args));
    if (!args.gas) {
        // As nodes do: a transaction that would fail is refused with the estimate's error, and never sent.
        RPC_TRY(const CallResult estimate,
                ctx.chain.estimate_gas(tx.sender, tx.to, tx.data, tx.value,
                                       static_cast<std::uint64_t>(ctx.chain.config().block_gas_limit)));
        if (!estimate.status) return failed_call(estimate);
        tx.gas_limit = static_cast<std::uint64_t>(estimate.gas_used);
    }
    RPC_TRY(const Bytes raw, sign_transaction(tx, ctx.chain.chain_id(), *key));
    RPC_TRY(const Hash hash, ctx.chain.submit_raw(raw));
    return answer(hex_data(hash.view()));
}

RpcAnswer eth_get_transaction_by_hash(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const Bytes32 hash, read_hash(params[0], "transaction hash"));
    if (const TransactionRecord* record = ctx.chain.transaction(hash))
        return answer(transaction_json(*record));
    const PendingTransaction* pending = ctx.chain.pending_transaction(hash);
    return answer(pending ? pending_transaction_json(*pending) : Json(nullptr));
}

RpcAnswer eth_get_transaction_receipt(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    RPC_TRY(const Bytes32 hash, read_hash(params[0], "transaction hash"));
    const TransactionRecord* record = ctx.chain.transaction(hash);
    return answer(record ? receipt_json(*record) : Json(nullptr));
}

RpcAnswer eth_get_block_by_number(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 2, 2));
    RPC_TRY(const std::int64_t number, read_block_number(params[0], ctx.chain, "block"));
    return block_answer(ctx, ctx.chain.block(number), params[1]);
}

RpcAnswer eth_get_block_by_hash(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 2, 2));
    RPC_TRY(const Bytes32 hash, read_hash(params[0], "block hash"));
    return block_answer(ctx, ctx.chain.block_by_hash(hash), params[1]);
}

RpcAnswer eth_get_logs(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 1, 1));
    const Json& f = params[0];
    if (!f.is_object()) return fail(make_error(Errc::rpc_bad_params, "filter: expected an object"));
    LogFilter filter;
    const std::int64_t latest = ctx.chain.latest_block().number;
    filter.from_block = latest;
    filter.to_block = latest;
    for (const auto& [key, value] : f.items()) {
        if (key != "fromBlock" && key != "toBlock" && key != "address" && key != "topics" &&
            key != "blockHash") {
            return fail(make_error(Errc::rpc_bad_params, "filter." + key + ": unknown field"));
        }
    }
    if (f.contains("blockHash") && !f["blockHash"].is_null()) {
        if (f.contains("fromBlock") || f.contains("toBlock")) {
            return fail(make_error(Errc::rpc_bad_params, "filter: blockHash excludes fromBlock and toBlock"));
        }
        RPC_TRY(const Bytes32 hash, read_hash(f["blockHash"], "filter.blockHash"));
        const Block* block = ctx.chain.block_by_hash(hash);
        if (!block) return fail(make_error(Errc::rpc_bad_params, "filter.blockHash: unknown block"));
        filter.from_block = filter.to_block = block->number;
    } else {
        if (f.contains("fromBlock")) {
            RPC_TRY(filter.from_block, read_block_number(f["fromBlock"], ctx.chain, "filter.fromBlock"));
        }
        if (f.contains("toBlock")) {
            RPC_TRY(filter.to_block, read_block_number(f["toBlock"], ctx.chain, "filter.toBlock"));
        }
        if (filter.from_block > filter.to_block) {
            return fail(make_error(Errc::rpc_bad_params, "filter: fromBlock is after toBlock"));
        }
    }
    if (f.contains("address") && !f["address"].is_null()) {
        const Json& a = f["address"];
        if (a.is_array()) {
            for (std::size_t i = 0; i < a.size(); ++i) {
                RPC_TRY(const Address addr, read_address(a[i], "filter.address[" + std::to_string(i) + "]"));
                filter.addresses.push_back(addr);
            }
        } else {
            RPC_TRY(const Address addr, read_address(a, "filter.address"));
            filter.addresses.push_back(addr);
        }
    }
    if (f.contains("topics") && !f["topics"].is_null()) {
        const Json& t = f["topics"];
        if (!t.is_array() || t.size() > 4) {
            return fail(
                make_error(Errc::rpc_bad_params, "filter.topics: expected an array of at most 4 positions"));
        }
        for (std::size_t i = 0; i < t.size(); ++i) {
            const std::string path = "filter.topics[" + std::to_string(i) + "]";
            std::vector<Bytes32> alternatives;
            if (t[i].is_array()) {
                bool any = false;  // a null among the alternatives matches every topic
                for (std::size_t k = 0; k < t[i].size(); ++k) {
                    if (t[i][k].is_null()) {
                        any = true;
                        continue;
                    }
                    RPC_TRY(const Bytes32 topic, read_hash(t[i][k], path + "[" + std::to_string(k) + "]"));
                    alternatives.push_back(topic);
                }
                if (any) alternatives.clear();
            } else if (!t[i].is_null()) {
                RPC_TRY(const Bytes32 topic, read_hash(t[i], path));
                alternatives.push_back(topic);
            }
            filter.topics.push_back(std::move(alternatives));
        }
    }
    RPC_TRY(const std::vector<LogRecord> logs, ctx.chain.logs(filter, ctx.limits.max_logs));
    Json out = Json::array();
    for (const LogRecord& log : logs)
        out.push_back(log_json(log));
    return answer(std::move(out));
}

}  // namespace sluice::l1::rpc
