// ForkState: the embedded EVM's base state (evm::StateView) read lazily from any L1Client at one pinned
// block, and cached, so a transaction can run locally against real L1 state before anything is sent (local
// adjudication, settlement pre-execution; like anvil's and hardhat's forking, in-process and per call).
//
// Reads block the calling thread while the client's coroutine runs on `executor`: run the EVM on another
// thread than the one serving that executor (a worker pool, or a thread of its own), or it waits on itself.
// Safe for concurrent reads from several EVM threads (the parallel executor's workers).
//
// A StateView cannot fail, so a read the node did not answer is recorded: the view then answers "absent"
// for it, and status() returns the first such error. An execution that ran on a ForkState whose status()
// is not ok is void; the caller must check it after each execution.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "sluice/evm/block_info.hpp"
#include "sluice/evm/state_view.hpp"
#include "sluice/l1/base_fee.hpp"
#include "sluice/l1/l1_client.hpp"

namespace sluice::l1 {

class ForkState final : public evm::StateView {
  public:
    // Pins `block` (a number, or a tag resolved once now to its number). Errors: the node's, or
    // l1_malformed_reply when it has no such block.
    static Result<std::unique_ptr<ForkState>> pin(L1Client& client, boost::asio::any_io_executor executor,
                                                  BlockTag block);

    std::optional<evm::AccountInfo> account(const Address& addr) const override;
    u256 storage(const Address& addr, const Bytes32& key) const override;
    std::shared_ptr<const Bytes> code(const Address& addr) const override;

    // The pinned block's header fields, and the context of the block after it (what a transaction sent now
    // would run in): number + 1, `timestamp`, the same coinbase and gas limit, the base fee the header
    // announces for it (EIP-1559, from the pinned block's gas use), and the chain id.
    const BlockSummary& pinned() const noexcept { return block_; }
    evm::BlockInfo next_block_info(std::int64_t timestamp) const;

    Status status() const;
    // Node round trips so far (cache misses), for tests and benchmarks.
    std::uint64_t reads() const;

  private:
    ForkState(L1Client& client, boost::asio::any_io_executor executor, BlockSummary block, u256 chain_id);
    void record(const Error& error) const;

    L1Client& client_;
    boost::asio::any_io_executor executor_;
    BlockSummary block_;
    u256 chain_id_;

    mutable std::mutex mutex_;
    mutable std::unordered_map<Address, std::optional<evm::AccountInfo>> accounts_;
    mutable std::unordered_map<Address, std::shared_ptr<const Bytes>> code_;
    struct SlotKey {
        Address address;
        Bytes32 slot;
        friend bool operator==(const SlotKey&, const SlotKey&) = default;
    };
    struct SlotHash {
        std::size_t operator()(const SlotKey& k) const noexcept;
    };
    mutable std::unordered_map<SlotKey, u256, SlotHash> storage_;
    mutable std::optional<Error> error_;
    mutable std::uint64_t reads_ = 0;
    // Cleared once the node says it has no eth_getProof; read by concurrent EVM threads without the lock.
    mutable std::atomic<bool> has_proof_{true};
};

}  // namespace sluice::l1
