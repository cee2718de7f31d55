// write_account_change: from an AccountChange to kMeta/kNonce/kBalance/kCode/kStorage writes.
#include "evm_tx_writes.hpp"

#include <algorithm>

namespace sluice::parallel {

bool write_account_change(const evm::AccountChange& change, const MvStateView& seen, EvmTxView& view) {
    const EvmAccountSeen* before = seen.seen(change.address);
    if (before == nullptr) return false;  // State loads every account it changes; defensive
    const Address& addr = change.address;
    EvmAccountMeta meta{false, evm::kEmptyCodeHash, false};
    std::uint64_t nonce = 0;
    u256 balance;
    if (change.deleted || change.storage_cleared) {
        // EIP-6780 deletes only accounts created in the same transaction and EIP-7610 creates only
        // over accounts without storage, so the slots this transaction did not list are zero already,
        // unless the account held storage before (pre-Cancun SELFDESTRUCT, EIP-161 clearing).
        if (before->meta.has_storage) return false;
    }
    if (!change.deleted) {
        const bool new_storage = std::any_of(change.storage.begin(), change.storage.end(),
                                             [](const auto& slot) { return !slot.second.is_zero(); });
        meta = EvmAccountMeta{true, change.code_hash, before->meta.has_storage || new_storage};
        nonce = change.nonce;
        balance = change.balance;
        if (change.code) view.write(EvmLocation{addr, EvmField::kCode, {}}, change.code);
        for (const auto& [key, value] : change.storage) view.write(EvmLocation{addr, EvmField::kStorage, key}, value);
    }
    if (meta != before->meta) view.write(EvmLocation{addr, EvmField::kMeta, {}}, meta);
    if (nonce != before->nonce) view.write(EvmLocation{addr, EvmField::kNonce, {}}, nonce);
    if (balance != before->balance) view.write(EvmLocation{addr, EvmField::kBalance, {}}, balance);
    return true;
}

}  // namespace sluice::parallel
