// The EVM's side of multi-version memory: EvmBase reads locations from the batch's base StateView,
// and MvStateView is the StateView apply_transaction runs against in the parallel path, reading
// every account field and slot through the transaction's TxView (so each lands in its read set).
#pragma once

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "sluice/evm/state_view.hpp"
#include "sluice/parallel/evm_location.hpp"
#include "sluice/parallel/tx_view.hpp"

namespace sluice::parallel {

struct EvmBase {
    const evm::StateView* state;

    EvmValue operator()(const EvmLocation& loc) const;
};

using EvmTxView = TxView<EvmTraits, EvmBase>;

// The account fields a transaction saw, kept to write back only the fields its diff changed: a
// call that merely touches a contract must not write (and so conflict on) the contract's fields.
struct EvmAccountSeen {
    Address address;
    EvmAccountMeta meta;
    std::uint64_t nonce = 0;
    u256 balance;
};

class MvStateView final : public evm::StateView {
public:
    explicit MvStateView(EvmTxView& view) : view_(&view) {}

    // After a blocked read the values returned are placeholders (absent account, zero, no code):
    // the caller discards the execution when view.blocked().
    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

    const EvmAccountSeen* seen(const Address& addr) const;

private:
    EvmTxView* view_;
    mutable std::vector<EvmAccountSeen> seen_;
};

// An account exists if it was created explicitly (meta) or has anything an empty account lacks; the
// second case covers a coinbase that only fee deltas created.
inline bool account_exists(const EvmAccountMeta& meta, std::uint64_t nonce, const u256& balance) noexcept {
    return meta.exists || nonce != 0 || !balance.is_zero() || meta.code_hash != evm::kEmptyCodeHash;
}

}  // namespace sluice::parallel
