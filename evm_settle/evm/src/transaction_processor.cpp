// apply_transaction: one transaction from validation to the state diff and receipt.
#include "sluice/evm/transaction_processor.hpp"

#include <algorithm>

#include "authorization.hpp"
#include "sluice/evm/delegation.hpp"
#include "sluice/evm/state.hpp"
#include "sluice/evm/state_host.hpp"
#include "sluice/evm/tx_validation.hpp"

namespace sluice::evm {
namespace {

void warm_precompiles(State& state, Revision rev) {
    for (auto i = static_cast<unsigned>(PrecompileId::ecrecover);
         i <= static_cast<unsigned>(PrecompileId::p256_verify); ++i) {
        const Address a = precompile_address(static_cast<PrecompileId>(i));
        if (precompile_at(a, rev)) state.warm_account(a);
    }
}

TxContext make_context(const BlockInfo& block, const Transaction& tx, Revision rev, const u256& gas_price,
                       const u256& blob_fee) {
    TxContext ctx;
    ctx.gas_price = gas_price;
    ctx.origin = tx.sender;
    ctx.coinbase = block.coinbase;
    ctx.block_number = block.number;
    ctx.block_timestamp = block.timestamp;
    ctx.block_gas_limit = block.gas_limit;
    ctx.prev_randao = rev >= Revision::paris ? block.prev_randao : block.difficulty.to_be();
    ctx.chain_id = block.chain_id;
    ctx.base_fee = block.base_fee;
    ctx.blob_base_fee = blob_fee;
    ctx.blob_hashes = tx.blob_hashes;
    ctx.ancestor_hashes = block.ancestor_hashes;
    return ctx;
}

}  // namespace

Result<TxExecution> apply_transaction(const StateView& base, const BlockInfo& block, const Transaction& tx,
                                      Revision rev, std::int64_t cumulative_gas_before,
                                      const ApplyOptions& options) {
    State state(base);
    const IntrinsicGas gas = intrinsic_gas(tx, rev);
    const u256 blob_fee =
        rev >= Revision::cancun ? blob_base_fee(block.excess_blob_gas, block.blob_params) : u256{};
    SLUICE_CHECK_OK(validate_transaction(state, block, tx, rev, gas, blob_fee));

    const u256 gas_price = effective_gas_price(tx, block.base_fee, rev);
    const u256 priority_fee = rev >= Revision::london ? gas_price - block.base_fee : gas_price;
    const std::uint64_t blob_gas = tx.type == TxType::blob ? kGasPerBlob * tx.blob_hashes.size() : 0;
    state.sub_balance(tx.sender, u256{tx.gas_limit} * gas_price + u256{blob_gas} * blob_fee);
    // A creation bumps the sender nonce inside the CREATE frame (the address derives from the old one).
    if (tx.to) state.set_nonce(tx.sender, tx.nonce + 1);

    if (rev >= Revision::berlin) {
        state.warm_account(tx.sender);
        if (tx.to) state.warm_account(*tx.to);
        warm_precompiles(state, rev);
        for (const AccessListEntry& e : tx.access_list) {
            state.warm_account(e.address);
            for (const Bytes32& key : e.storage_keys)
                state.warm_slot(e.address, key);
        }
    }
    if (rev >= Revision::shanghai) state.warm_account(block.coinbase);  // EIP-3651

    std::int64_t refund = 0;
    if (rev >= Revision::prague) {
        refund += apply_authorizations(state, tx, block.chain_id);
        if (tx.to) {
            if (const auto delegate = delegation_target(*state.code(*tx.to))) state.warm_account(*delegate);
        }
    }

    const TxContext ctx = make_context(block, tx, rev, gas_price, blob_fee);
    StateHost host(state, rev, ctx);
    Message msg;
    msg.kind = tx.to ? CallKind::call : CallKind::create;
    msg.depth = 0;
    msg.gas = static_cast<std::int64_t>(tx.gas_limit) - gas.intrinsic;
    msg.sender = tx.sender;
    msg.recipient = tx.to.value_or(Address{});
    msg.code_address = msg.recipient;
    msg.input = tx.data;
    msg.value = tx.value;
    const ExecutionResult result = host.call(msg);

    const auto gas_limit = static_cast<std::int64_t>(tx.gas_limit);
    std::int64_t gas_used = gas_limit - result.gas_left;
    refund += std::max<std::int64_t>(result.gas_refund, 0);
    const std::int64_t max_refund = gas_used / (rev >= Revision::london ? 5 : 2);
    gas_used -= std::min(refund, max_refund);
    gas_used = std::max(gas_used, gas.floor);  // EIP-7623

    state.add_balance(tx.sender, u256{static_cast<std::uint64_t>(gas_limit - gas_used)} * gas_price);
    const u256 fee = u256{static_cast<std::uint64_t>(gas_used)} * priority_fee;
    TxExecution out;
    if (options.defer_coinbase_fee && !fee.is_zero() && !state.is_loaded(block.coinbase)) {
        out.deferred_coinbase_fee = fee;
    } else {
        state.add_balance(block.coinbase, fee);
    }

    out.unsupported_precompile = host.unsupported_precompile();
    out.receipt.type = tx.type;
    out.receipt.status = result.status;
    out.receipt.success = result.status == StatusCode::success;
    out.receipt.gas_used = gas_used;
    out.receipt.cumulative_gas_used = cumulative_gas_before + gas_used;
    out.receipt.blob_gas_used = static_cast<std::int64_t>(blob_gas);
    out.receipt.logs = state.logs();
    out.output = result.output;
    out.receipt.output = result.output;
    out.receipt.unsupported_precompile = out.unsupported_precompile;
    out.diff = state.finalize(rev >= Revision::spurious_dragon);
    return out;
}

}  // namespace sluice::evm
