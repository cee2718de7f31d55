// Test decorator over a real L1Client: forwards every call, and lets a test hold back sends (answered with
// the hash, as a node's pool would, but never mined), refuse sends with a chosen error, and report a pending
// nonce that counts the held transactions. It stands in for a node whose pool does not mine at once.
#pragma once

#include <deque>
#include <mutex>
#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/l1/l1_client.hpp"

namespace sluice::l1::testing {

class ForwardingL1Client : public L1Client {
  public:
    explicit ForwardingL1Client(L1Client& inner) : inner_(inner) {}

    // The next n sends are kept here instead of reaching the node.
    void hold_next_sends(int n) {
        const std::lock_guard lock(mutex_);
        hold_ += n;
    }
    // The next sends fail with these errors, in order, without reaching the node.
    void refuse_next_sends(std::vector<Error> errors) {
        const std::lock_guard lock(mutex_);
        for (auto& e : errors)
            refusals_.push_back(std::move(e));
    }
    // Every send fails with `error` (a node that refuses everything).
    void refuse_all(std::optional<Error> error) {
        const std::lock_guard lock(mutex_);
        refuse_all_ = std::move(error);
    }
    std::vector<Bytes> held() const {
        const std::lock_guard lock(mutex_);
        return held_;
    }
    int sends_seen() const {
        const std::lock_guard lock(mutex_);
        return sends_;
    }
    // Drops the held transactions, as a node that restarted would.
    void forget_held() {
        const std::lock_guard lock(mutex_);
        held_.clear();
    }

    Async<u256> chain_id() override { return inner_.chain_id(); }
    Async<std::int64_t> block_number() override { return inner_.block_number(); }
    Async<std::optional<BlockSummary>> block(BlockTag tag) override { return inner_.block(tag); }
    Async<std::optional<BlockSummary>> block_by_hash(const Hash& hash) override {
        return inner_.block_by_hash(hash);
    }
    Async<u256> balance(const Address& a, BlockTag tag) override { return inner_.balance(a, tag); }
    Async<std::uint64_t> nonce(const Address& a, BlockTag tag) override {
        std::uint64_t extra = 0;
        if (tag == BlockTag::pending()) {
            const std::lock_guard lock(mutex_);
            extra = held_.size();
        }
        SLUICE_CO_TRY(const std::uint64_t n, co_await inner_.nonce(a, tag));
        co_return n + extra;
    }
    Async<Bytes> code(const Address& a, BlockTag tag) override { return inner_.code(a, tag); }
    Async<u256> storage(const Address& a, const Bytes32& slot, BlockTag tag) override {
        return inner_.storage(a, slot, tag);
    }
    Async<AccountProof> proof(const Address& a, std::span<const Bytes32> slots, BlockTag tag) override {
        return inner_.proof(a, slots, tag);
    }
    Async<CallOutcome> call(const CallRequest& r, BlockTag tag) override { return inner_.call(r, tag); }
    Async<std::uint64_t> estimate_gas(const CallRequest& r, BlockTag tag) override {
        return inner_.estimate_gas(r, tag);
    }
    Async<u256> gas_price() override { return inner_.gas_price(); }
    Async<u256> max_priority_fee_per_gas() override { return inner_.max_priority_fee_per_gas(); }
    Async<FeeHistory> fee_history(std::uint64_t count, BlockTag newest, std::span<const double> p) override {
        return inner_.fee_history(count, newest, p);
    }
    Async<Hash> send_raw_transaction(ByteView raw) override {
        {
            const std::lock_guard lock(mutex_);
            ++sends_;
            if (refuse_all_) co_return *refuse_all_;
            if (!refusals_.empty()) {
                Error e = std::move(refusals_.front());
                refusals_.pop_front();
                co_return e;
            }
            if (hold_ > 0) {
                --hold_;
                held_.emplace_back(raw.begin(), raw.end());
                co_return keccak256(raw);
            }
        }
        co_return co_await inner_.send_raw_transaction(raw);
    }
    Async<std::optional<TransactionInfo>> transaction(const Hash& hash) override {
        return inner_.transaction(hash);
    }
    Async<std::optional<TxReceipt>> receipt(const Hash& hash) override { return inner_.receipt(hash); }
    Async<std::vector<LogRecord>> logs(const LogQuery& q) override { return inner_.logs(q); }

  private:
    L1Client& inner_;
    mutable std::mutex mutex_;
    int hold_ = 0;
    int sends_ = 0;
    std::vector<Bytes> held_;
    std::deque<Error> refusals_;
    std::optional<Error> refuse_all_;
};

}  // namespace sluice::l1::testing
