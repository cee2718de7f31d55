#include <algorithm>
#include <string>
#include <vector>

#include "rpc_format.hpp"
#include "rpc_methods.hpp"
#include "rpc_params.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"

namespace sluice::l1::rpc {
namespace {

// The reason of a revert with Solidity's Error(string), or nothing.
std::string revert_reason(const Bytes& output) {
    static constexpr std::uint8_t kSelector[4] = {0x08, 0xc3, 0x79, 0xa0};
    if (output.size() < 4 + 64 || !std::equal(kSelector, kSelector + 4, output.begin())) return {};
    const u256 offset = u256::from_be(ByteView(output).subspan(4, 32));
    if (offset != u256{32}) return {};
    const u256 length = u256::from_be(ByteView(output).subspan(36, 32));
    if (length > u256{output.size() - 68}) return {};
    return std::string(output.begin() + 68, output.begin() + 68 + static_cast<std::ptrdiff_t>(length.w[0]));
}

std::string failure_name(evm::StatusCode code) {
    switch (code) {
        case evm::StatusCode::out_of_gas:
            return "out of gas";
        case evm::StatusCode::invalid_instruction:
            return "invalid opcode: INVALID";
        case evm::StatusCode::undefined_instruction:
            return "invalid opcode";
        case evm::StatusCode::stack_overflow:
            return "stack limit reached 1024";
        case evm::StatusCode::stack_underflow:
            return "stack underflow";
        case evm::StatusCode::bad_jump_destination:
            return "invalid jump destination";
        case evm::StatusCode::invalid_memory_access:
            return "return data out of bounds";
        case evm::StatusCode::call_depth_exceeded:
            return "max call depth exceeded";
        case evm::StatusCode::static_mode_violation:
            return "write protection";
        case evm::StatusCode::contract_validation_failure:
            return "invalid code: must not begin with 0xef";
        case evm::StatusCode::insufficient_balance:
            return "insufficient balance for transfer";
        default:
            return "execution failed";
    }
}

struct CallInput {
    Address from;
    std::optional<Address> to;
    u256 value;
    Bytes data;
    std::uint64_t gas = 0;
};

// Gas above the block's limit is capped to it, as geth caps it to its RPC gas cap.
Result<CallInput> call_input(const Devchain& chain, const Json& params) {
    SLUICE_CHECK_OK(expect_count(params, 1, 2));
    SLUICE_TRY(TxArgs args, read_tx_args(params[0], "transaction"));
    SLUICE_CHECK_OK(require_latest_state(param(params, 1), chain, "block"));
    if (!args.access_list.empty()) {
        return make_error(Errc::rpc_bad_params,
                          "transaction.accessList: the devchain does not apply access lists to calls");
    }
    const auto cap = static_cast<std::uint64_t>(chain.config().block_gas_limit);
    return CallInput{args.from.value_or(Address{}), args.to, args.value.value_or(u256{}),
                     std::move(args.data), std::min(args.gas.value_or(cap), cap)};
}

Result<u256> read_slot(const Json& value) {
    // Clients send the slot as a quantity or as 32 bytes of data; both name a 256-bit key.
    if (value.is_string() && value.get_ref<const std::string&>().size() == 66) {
        SLUICE_TRY(const Bytes32 key, read_hash(value, "slot"));
        return u256::from_be(key.view());
    }
    return read_quantity(value, "slot");
}

Result<Address> state_query(const Devchain& chain, const Json& params) {
    SLUICE_CHECK_OK(expect_count(params, 1, 2));
    SLUICE_TRY(const Address account, read_address(params[0], "address"));
    SLUICE_CHECK_OK(require_latest_state(param(params, 1), chain, "block"));
    return account;
}

// A block's transactions as (effective tip, gas used), cheapest first.
std::vector<std::pair<u256, std::int64_t>> tips_of(const Devchain& chain, const Block& b) {
    std::vector<std::pair<u256, std::int64_t>> tips;
    for (const TransactionRecord& rec : chain.transactions_of(b))
        tips.emplace_back(rec.receipt.effective_gas_price - b.base_fee, rec.receipt.gas_used);
    std::sort(tips.begin(), tips.end());
    return tips;
}

// geth's gas price oracle, simplified: the 60th percentile of the tips paid in the last 20 blocks, or the
// configured tip while no transaction has been mined there.
u256 suggested_tip(const Devchain& chain) {
    constexpr std::int64_t kBlocks = 20;
    std::vector<u256> tips;
    const std::int64_t newest = chain.latest_block().number;
    for (std::int64_t n = std::max<std::int64_t>(0, newest - kBlocks + 1); n <= newest; ++n) {
        for (const auto& [tip, gas] : tips_of(chain, *chain.block(n)))
            tips.push_back(tip);
    }
    if (tips.empty()) return chain.config().priority_fee;
    std::sort(tips.begin(), tips.end());
    return tips[(tips.size() - 1) * 60 / 100];
}

}  // namespace

// A revert is code 3 with its data (what clients decode custom errors from); any other failure is -32000.
RpcAnswer failed_call(const CallResult& r) {
    if (r.status_code == evm::StatusCode::revert) {
        const std::string reason = revert_reason(r.output);
        return fail(RpcError{kExecutionReverted,
                             reason.empty() ? "execution reverted" : "execution reverted: " + reason,
                             to_hex(r.output)});
    }
    return fail(RpcError{kServerError, failure_name(r.status_code), std::nullopt});
}

RpcAnswer eth_chain_id(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(quantity(ctx.chain.chain_id()));
}

RpcAnswer eth_block_number(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(quantity(static_cast<std::uint64_t>(ctx.chain.latest_block().number)));
}

RpcAnswer eth_accounts(Context&, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    Json out = Json::array();
    for (std::size_t i = 0; i < kDevAccountCount; ++i)
        out.push_back(address(dev_account_address(i)));
    return answer(std::move(out));
}

RpcAnswer eth_get_balance(Context& ctx, const Json& params) {
    RPC_TRY(const Address account, state_query(ctx.chain, params));
    return answer(quantity(ctx.chain.balance(account)));
}

RpcAnswer eth_get_transaction_count(Context& ctx, const Json& params) {
    // "pending" counts the sender's pooled run of nonces too (what a client takes its next nonce from).
    RPC_TRY(const Address account, state_query(ctx.chain, params));
    const Json& tag = param(params, 1);
    const bool pending = tag.is_string() && tag.get_ref<const std::string&>() == "pending";
    return answer(quantity(pending ? ctx.chain.pending_nonce(account) : ctx.chain.nonce(account)));
}

RpcAnswer eth_get_code(Context& ctx, const Json& params) {
    RPC_TRY(const Address account, state_query(ctx.chain, params));
    return answer(hex_data(ctx.chain.code(account)));
}

RpcAnswer eth_get_storage_at(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 2, 3));
    RPC_TRY(const Address account, read_address(params[0], "address"));
    // Clients send the slot as a quantity or as 32 bytes of data; both name a 256-bit key.
    RPC_TRY(const u256 slot, read_slot(params[1]));
    RPC_CHECK_OK(require_latest_state(param(params, 2), ctx.chain, "block"));
    return answer(hex_data(ctx.chain.storage(account, slot.to_be()).to_be().view()));
}

RpcAnswer eth_call(Context& ctx, const Json& params) {
    RPC_TRY(const CallInput in, call_input(ctx.chain, params));
    RPC_TRY(const CallResult r, ctx.chain.call(in.from, in.to, in.data, in.value, in.gas));
    if (!r.status) return failed_call(r);
    return answer(hex_data(r.output));
}

RpcAnswer eth_estimate_gas(Context& ctx, const Json& params) {
    RPC_TRY(const CallInput in, call_input(ctx.chain, params));
    RPC_TRY(const CallResult r, ctx.chain.estimate_gas(in.from, in.to, in.data, in.value, in.gas));
    if (!r.status) return failed_call(r);
    return answer(quantity(static_cast<std::uint64_t>(r.gas_used)));
}

RpcAnswer eth_get_proof(Context& ctx, const Json& params) {
    // Each slot costs a rebuild of the account's storage trie, so a request names a bounded number.
    constexpr std::size_t kMaxKeys = 1024;
    RPC_CHECK_OK(expect_count(params, 2, 3));
    RPC_TRY(const Address account, read_address(params[0], "address"));
    if (!params[1].is_array())
        return fail(make_error(Errc::rpc_bad_params, "storageKeys: expected an array of slots"));
    if (params[1].size() > kMaxKeys) {
        return fail(make_error(Errc::rpc_bad_params,
                               "storageKeys: at most " + std::to_string(kMaxKeys) + " slots a request"));
    }
    std::vector<Bytes32> keys;
    for (const Json& k : params[1]) {
        RPC_TRY(const u256 slot, read_slot(k));
        keys.push_back(slot.to_be());
    }
    RPC_CHECK_OK(require_latest_state(param(params, 2), ctx.chain, "block"));
    const AccountProof p = ctx.chain.proof(account, keys);
    const auto nodes = [](const std::vector<Bytes>& proof) {
        Json out = Json::array();
        for (const Bytes& node : proof)
            out.push_back(hex_data(node));
        return out;
    };
    Json storage = Json::array();
    for (const StorageProof& s : p.storage) {
        storage.push_back(
            {{"key", hex_data(s.key.view())}, {"value", quantity(s.value)}, {"proof", nodes(s.proof)}});
    }
    return answer({{"address", address(p.address)},
                   {"accountProof", nodes(p.account_proof)},
                   {"balance", quantity(p.balance)},
                   {"codeHash", hex_data(p.code_hash.view())},
                   {"nonce", quantity(p.nonce)},
                   {"storageHash", hex_data(p.storage_hash.view())},
                   {"storageProof", std::move(storage)}});
}

RpcAnswer eth_gas_price(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(quantity(ctx.chain.next_base_fee() + suggested_tip(ctx.chain)));
}

RpcAnswer eth_max_priority_fee_per_gas(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 0, 0));
    return answer(quantity(suggested_tip(ctx.chain)));
}

RpcAnswer eth_fee_history(Context& ctx, const Json& params) {
    RPC_CHECK_OK(expect_count(params, 2, 3));
    RPC_TRY(const std::uint64_t requested, params[0].is_number_unsigned()
                                               ? Result<std::uint64_t>(params[0].get<std::uint64_t>())
                                               : read_quantity64(params[0], "blockCount"));
    RPC_TRY(const std::int64_t newest_tag, read_block_number(params[1], ctx.chain, "newestBlock"));
    std::vector<double> percentiles;
    const Json& p = param(params, 2);
    if (!p.is_null()) {
        if (!p.is_array() || p.size() > 100) {
            return fail(make_error(Errc::rpc_bad_params,
                                   "rewardPercentiles: expected an array of at most 100 numbers"));
        }
        for (const Json& v : p) {
            if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100 ||
                (!percentiles.empty() && v.get<double>() < percentiles.back())) {
                return fail(
                    make_error(Errc::rpc_bad_params, "rewardPercentiles: ascending numbers from 0 to 100"));
            }
            percentiles.push_back(v.get<double>());
        }
    }
    const std::int64_t latest = ctx.chain.latest_block().number;
    const std::int64_t newest = std::min(newest_tag, latest);
    const auto count = static_cast<std::int64_t>(std::min<std::uint64_t>(requested, 1024));
    const std::int64_t oldest = std::max<std::int64_t>(0, newest - count + 1);
    Json base_fees = Json::array(), ratios = Json::array(), rewards = Json::array();
    for (std::int64_t n = oldest; n <= newest && count > 0; ++n) {
        const Block& b = *ctx.chain.block(n);
        base_fees.push_back(quantity(b.base_fee));
        ratios.push_back(static_cast<double>(b.gas_used) / static_cast<double>(b.gas_limit));
        // As geth: the tip at which the block's gas used, counted from the cheapest transaction up, first
        // reaches the percentile of the block's gas used.
        const auto tips = tips_of(ctx.chain, b);
        Json row = Json::array();
        for (const double pct : percentiles) {
            if (tips.empty()) {
                row.push_back("0x0");
                continue;
            }
            const double threshold = static_cast<double>(b.gas_used) * pct / 100.0;
            std::size_t i = 0;
            double sum = static_cast<double>(tips[0].second);
            while (sum < threshold && i + 1 < tips.size())
                sum += static_cast<double>(tips[++i].second);
            row.push_back(quantity(tips[i].first));
        }
        rewards.push_back(std::move(row));
    }
    // The block after the newest: computed from it (the next block's own when the newest is the latest).
    base_fees.push_back(
        quantity(newest == latest ? ctx.chain.next_base_fee() : ctx.chain.block(newest + 1)->base_fee));
    Json out = {{"oldestBlock", quantity(static_cast<std::uint64_t>(oldest))},
                {"baseFeePerGas", std::move(base_fees)},
                {"gasUsedRatio", std::move(ratios)}};
    if (!percentiles.empty()) out["reward"] = std::move(rewards);
    return answer(std::move(out));
}

}  // namespace sluice::l1::rpc
