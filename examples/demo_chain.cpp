// DemoChain: each send() is one block holding one transaction, executed by sluice_evm and applied.
#include "demo_chain.hpp"

#include <utility>

#include "sluice/core/hex.hpp"

namespace sluice::demo {
namespace {
constexpr std::uint64_t kTxGasLimit = 10'000'000;
}

DemoChain::DemoChain() {
    block_.coinbase = Address::from_hex("0x00000000000000000000000000000000000c0ffe").value();
    block_.number = 1;
    block_.timestamp = 1'700'000'000;
    block_.gas_limit = 30'000'000;
    block_.base_fee = 0;  // zero-priced gas keeps the channel's balance changes exact in the printout
    block_.chain_id = 31337;
    block_.blob_params = evm::default_blob_params(evm::Revision::prague);
}

void DemoChain::fund(const Address& account, const u256& wei) {
    state_.put_account(account, 0, balance(account) + wei, {}, {});
}

u256 DemoChain::balance(const Address& account) const {
    const auto info = state_.account(account);
    return info ? info->balance : u256{};
}

Result<CallOutcome> DemoChain::send(const Address& from, const std::optional<Address>& to, const u256& value,
                                    Bytes data) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = from;
    tx.to = to;
    const auto sender = state_.account(from);
    tx.nonce = sender ? sender->nonce : 0;
    tx.gas_limit = kTxGasLimit;
    tx.value = value;
    tx.data = std::move(data);
    SLUICE_TRY(auto exec, evm::apply_transaction(state_, block_, tx, evm::Revision::prague));
    if (!exec.receipt.success) {
        return make_error(Errc::invalid_argument, "transaction reverted (" + to_hex(exec.output) + ")");
    }
    state_.apply(exec.diff);
    ++block_.number;
    block_.timestamp += 12;
    return CallOutcome{std::move(exec.receipt), std::move(exec.output)};
}

Result<Bytes> DemoChain::call(const Address& to, Bytes data) const {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = Address{};
    tx.to = to;
    tx.gas_limit = kTxGasLimit;
    tx.data = std::move(data);
    SLUICE_TRY(auto exec, evm::apply_transaction(state_, block_, tx, evm::Revision::prague));
    if (!exec.receipt.success) return make_error(Errc::invalid_argument, "call reverted");
    return std::move(exec.output);
}

Result<Address> DemoChain::deploy(const Address& from, const Bytes& creation_code, std::int64_t* gas_used) {
    const auto sender = state_.account(from);
    const std::uint64_t nonce = sender ? sender->nonce : 0;
    SLUICE_TRY(auto outcome, send(from, std::nullopt, 0, creation_code));
    if (gas_used != nullptr) *gas_used = outcome.receipt.gas_used;
    return evm::create_address(from, nonce);
}

}  // namespace sluice::demo
