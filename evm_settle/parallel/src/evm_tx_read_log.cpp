// TxReadLog: reads passed through, their locations logged.
#include "evm_tx_read_log.hpp"

namespace sluice::parallel {

void TxReadLog::note_account(const Address& addr) const {
    if (addr == watched_) watched_read_ = true;
    keys_.push_back(account_key(addr));
}

std::optional<evm::AccountInfo> TxReadLog::account(const Address& addr) const {
    note_account(addr);
    return below_.account(addr);
}

u256 TxReadLog::storage(const Address& addr, const Bytes32& key) const {
    if (addr == watched_) watched_read_ = true;
    keys_.push_back(location_key(addr, EvmField::kStorage, key));
    return below_.storage(addr, key);
}

std::shared_ptr<const Bytes> TxReadLog::code(const Address& addr) const {
    note_account(addr);
    return below_.code(addr);
}

}  // namespace sluice::parallel
