// OverlayState: the base state plus the diffs of the transactions applied so far, for the plain
// sequential path. It answers StateView reads from its own account changes first and turns
// everything it holds into one StateDiff at the end.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>

#include "sluice/evm/state_diff.hpp"
#include "sluice/evm/state_view.hpp"

namespace sluice::parallel {

class OverlayState final : public evm::StateView {
public:
    explicit OverlayState(const evm::StateView& base) : base_(base) {}

    void apply(const evm::StateDiff& diff);
    // Every changed account in address order.
    evm::StateDiff to_diff() const;

    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

private:
    struct Account {
        bool deleted = false;
        std::uint64_t nonce = 0;
        u256 balance;
        Hash code_hash;
        std::shared_ptr<const Bytes> code;  // null: the base's code
        bool storage_cleared = false;       // the base's slots no longer apply
        // has_storage as the parallel path reports it: the base's (unless cleared) or any non-zero
        // slot written since, never reset by zeroing slots (the EVM's own State does the same).
        bool base_has_storage = false;
        bool wrote_nonzero = false;
        std::unordered_map<Bytes32, u256> storage;
    };

    const evm::StateView& base_;
    std::unordered_map<Address, Account> accounts_;
};

}  // namespace sluice::parallel
