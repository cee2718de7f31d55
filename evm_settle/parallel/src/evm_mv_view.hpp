// The EVM's side of multi-version memory: EvmBase reads locations from the batch's base StateView,
// and MvStateView is the StateView apply_transaction runs against in the parallel path, reading
// every account header, code and slot through the transaction's TxView (so each lands in its read set).
#pragma once

#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "sluice/evm/state_view.hpp"
#include "sluice/parallel/evm_location.hpp"
#include "sluice/parallel/tx_view.hpp"

namespace sluice::parallel {

// Owns every code a batch reads from its base or deploys, so EvmCode can point at the bytes without
// a reference count. Appends are rare (once per code location per batch: MVMemory keeps base values,
// deploys are few) and take a mutex; the addresses of kept pointers never change.
class EvmCodeKeeper {
  public:
    EvmCode keep(std::shared_ptr<const Bytes> code);

  private:
    std::mutex mutex_;
    std::deque<std::shared_ptr<const Bytes>> owned_;
};

struct EvmBase {
    const evm::StateView* state;
    EvmCodeKeeper* codes;

    EvmValue operator()(const EvmLocation& loc) const;
};

using EvmTxView = TxView<EvmTraits, EvmBase>;

// The account header a transaction saw, kept to write back only when its diff changed it: a call
// that merely touches a contract must not write (and so conflict on) the contract's header.
struct EvmAccountSeen {
    Address address;
    EvmAccount account;
};

class MvStateView final : public evm::StateView {
  public:
    // `seen` is scratch space of the calling worker, cleared here.
    MvStateView(EvmTxView& view, std::vector<EvmAccountSeen>& seen) : view_(&view), seen_(&seen) {
        seen.clear();
    }

    // After a blocked read the values returned are placeholders (absent account, zero, no code):
    // the caller discards the execution when view.blocked().
    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    // The shared_ptr does not own the bytes (no reference count, see EvmCode): valid until the
    // batch ends, which is longer than the transaction that asked.
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

    const EvmAccountSeen* seen(const Address& addr) const;

  private:
    EvmTxView* view_;
    std::vector<EvmAccountSeen>* seen_;
};

// An account exists if it was created explicitly or has anything an empty account lacks; the
// second case covers a coinbase that only fee deltas created.
inline bool account_exists(const EvmAccount& a) noexcept {
    return a.exists || a.nonce != 0 || !a.balance.is_zero() || a.code_hash != evm::kEmptyCodeHash;
}

// The owning pointer for a code value (the empty code for a value without an owner).
std::shared_ptr<const Bytes> owned_code(const EvmCode& code);

}  // namespace sluice::parallel
