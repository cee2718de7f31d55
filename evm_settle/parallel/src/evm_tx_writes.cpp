// write_account_change: from an AccountChange to kAccount/kCode/kStorage writes.
#include "evm_tx_writes.hpp"

#include <algorithm>

namespace sluice::parallel {

bool write_account_change(const evm::AccountChange& change, const MvStateView& seen, EvmCodeKeeper& codes,
                          EvmTxView& view) {
    const EvmAccountSeen* before = seen.seen(change.address);
    if (before == nullptr) return false;  // State loads every account it changes; defensive
    const Address& addr = change.address;
    if (change.deleted || change.storage_cleared) {
        // EIP-6780 deletes only accounts created in the same transaction and EIP-7610 creates only
        // over accounts without storage, so the slots this transaction did not list are zero already,
        // unless the account held storage before (pre-Cancun SELFDESTRUCT, EIP-161 clearing).
        if (before->account.has_storage) return false;
    }
    EvmAccount after;  // deleted: absent, nonce 0, balance 0
    if (!change.deleted) {
        const bool new_storage = std::any_of(change.storage.begin(), change.storage.end(),
                                             [](const auto& slot) { return !slot.second.is_zero(); });
        after = EvmAccount{true, before->account.has_storage || new_storage, change.nonce, change.balance,
                           change.code_hash};
        if (change.code) view.write(EvmLocation{addr, EvmField::kCode, {}}, codes.keep(change.code));
        for (const auto& [key, value] : change.storage)
            view.write(EvmLocation{addr, EvmField::kStorage, key}, value);
    }
    if (after != before->account) view.write(EvmLocation{addr, EvmField::kAccount, {}}, after);
    return true;
}

}  // namespace sluice::parallel
