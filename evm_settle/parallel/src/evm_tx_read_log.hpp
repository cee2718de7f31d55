// TxReadLog: a StateView that passes every read to the view below it and notes which location was
// read (as its 64-bit hash), for the repair of a segment (evm_segment_repair.hpp): a transaction's
// result is a function of the values it read, so a transaction none of whose reads changed need not
// run again. Hashes rather than locations: a collision can only make a transaction look affected and
// run again on the right state, never keep a wrong result, and a batch's log stays a few words a
// transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sluice/evm/state_view.hpp"
#include "sluice/parallel/evm_location.hpp"

namespace sluice::parallel {

// The hash a location is logged under (code reads count as reads of the account: the code follows
// from the code hash).
inline std::uint64_t location_key(const Address& addr, EvmField field, const Bytes32& slot) noexcept {
    return static_cast<std::uint64_t>(EvmLocationHash{}(EvmLocation{addr, field, slot}));
}
inline std::uint64_t account_key(const Address& addr) noexcept {
    return location_key(addr, EvmField::kAccount, Bytes32{});
}

class TxReadLog final : public evm::StateView {
  public:
    // Appends to `keys`; notes whether `watched` (the coinbase) was read.
    TxReadLog(const evm::StateView& below, std::vector<std::uint64_t>& keys, const Address& watched)
        : below_(below), keys_(keys), watched_(watched) {}

    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

    bool watched_read() const noexcept { return watched_read_; }

  private:
    void note_account(const Address& addr) const;

    const evm::StateView& below_;
    std::vector<std::uint64_t>& keys_;
    Address watched_;
    mutable bool watched_read_ = false;
};

}  // namespace sluice::parallel
