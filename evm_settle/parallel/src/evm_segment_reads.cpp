// SegmentReads: reads through to the base, recorded.
#include "evm_segment_reads.hpp"

namespace sluice::parallel {

void SegmentReads::reset(const evm::StateView& base, const Address& coinbase) {
    base_ = &base;
    coinbase_ = coinbase;
    tx_ = 0;
    recording_ = true;
    reads_.clear();
    coinbase_read_.reset();
    codes_.clear();
}

void SegmentReads::note(const Address& addr, EvmField field, const Bytes32& slot) const {
    if (!recording_) return;
    if (addr == coinbase_ && !coinbase_read_) coinbase_read_ = tx_;
    reads_.push_back(Read{EvmLocation{addr, field, slot}, tx_});
}

std::optional<evm::AccountInfo> SegmentReads::account(const Address& addr) const {
    note(addr, EvmField::kAccount, Bytes32{});
    return base_->account(addr);
}

u256 SegmentReads::storage(const Address& addr, const Bytes32& key) const {
    note(addr, EvmField::kStorage, key);
    return base_->storage(addr, key);
}

std::shared_ptr<const Bytes> SegmentReads::code(const Address& addr) const {
    // The code follows from the account's code hash: a read of the account as far as conflicts go.
    note(addr, EvmField::kAccount, Bytes32{});
    if (!recording_) return base_->code(addr);
    auto [it, inserted] = codes_.try_emplace(addr);
    if (inserted) {
        const std::shared_ptr<const Bytes> shared = base_->code(addr);
        it->second = shared ? std::make_shared<const Bytes>(*shared) : std::make_shared<const Bytes>();
    }
    return it->second;
}

}  // namespace sluice::parallel
