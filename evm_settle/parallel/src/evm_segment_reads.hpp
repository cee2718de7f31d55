// SegmentReads: the base state as one segment of an optimistic segmented run sees it (see
// evm_segments.hpp). It answers from the base and records every read that reached the base (which
// location, which transaction), so the segment can later be checked against the writes of the
// segments below it.
//
// Code comes from a copy private to the segment: handing out the base's shared_ptr would make every
// call to one contract bump the same atomic reference count from every core (on a two-vCPU VM that
// alone made two plain loops over halves of an ERC-20 batch slower than one loop over all of it).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "sluice/evm/state_view.hpp"
#include "sluice/parallel/evm_location.hpp"

namespace sluice::parallel {

class SegmentReads final : public evm::StateView {
  public:
    struct Read {
        EvmLocation loc;  // kAccount for account and code reads, kStorage for slots
        std::size_t tx;
    };

    // Starts over for a batch over `base` (keeps its buffers).
    void reset(const evm::StateView& base, const Address& coinbase);

    // Reads from now on are made by transaction `tx`.
    void set_tx(std::size_t tx) noexcept { tx_ = tx; }
    // Stops recording and caching until the next reset: from then on the view only reads the base
    // and may be read from several threads at once.
    void pass_through() noexcept { recording_ = false; }

    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

    // In the order they happened.
    const std::vector<Read>& reads() const noexcept { return reads_; }
    // The first transaction that read the coinbase account, if any: its view missed the fees the
    // segment deferred before it.
    std::optional<std::size_t> coinbase_read() const noexcept { return coinbase_read_; }

  private:
    void note(const Address& addr, EvmField field, const Bytes32& slot) const;

    const evm::StateView* base_ = nullptr;
    Address coinbase_;
    std::size_t tx_ = 0;
    bool recording_ = true;
    mutable std::vector<Read> reads_;
    mutable std::optional<std::size_t> coinbase_read_;
    mutable std::unordered_map<Address, std::shared_ptr<const Bytes>> codes_;
};

}  // namespace sluice::parallel
