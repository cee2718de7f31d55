// apply_transaction with ApplyOptions::defer_coinbase_fee: returning the fee and crediting it
// afterwards must give exactly the normal transaction's diff and state, on random batches where
// the coinbase is a fresh address, a sender, a transfer recipient or a contract reading its own
// balance, and with transactions that read the coinbase balance.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "sluice/evm/transaction_processor.hpp"
#include "sluice/parallel/evm_workload.hpp"

namespace sluice::parallel {
namespace {

void expect_same_change(const evm::AccountChange& a, const evm::AccountChange& b) {
    EXPECT_EQ(a.address, b.address);
    EXPECT_EQ(a.deleted, b.deleted);
    if (a.deleted || b.deleted) return;
    EXPECT_EQ(a.nonce, b.nonce);
    EXPECT_EQ(a.balance, b.balance);
    EXPECT_EQ(a.code_hash, b.code_hash);
    EXPECT_EQ(a.code == nullptr, b.code == nullptr);
    if (a.code && b.code) {
        EXPECT_EQ(*a.code, *b.code);
    }
    EXPECT_EQ(a.storage_cleared, b.storage_cleared);
    EXPECT_EQ(a.storage, b.storage);
}

// The caller's side of the deferral: add the fee to the coinbase as the state stands after the
// transaction's own diff (creating it if absent), as an extra AccountChange in address order.
evm::StateDiff credit_fee(evm::StateDiff diff, const evm::StateView& before, const Address& coinbase,
                          const u256& fee) {
    evm::AccountChange change;
    change.address = coinbase;
    change.code_hash = evm::kEmptyCodeHash;
    if (const auto acc = before.account(coinbase)) {
        change.nonce = acc->nonce;
        change.balance = acc->balance;
        change.code_hash = acc->code_hash;
    }
    change.balance += fee;
    const auto pos = std::lower_bound(diff.accounts.begin(), diff.accounts.end(), coinbase,
                                      [](const evm::AccountChange& c, const Address& a) { return c.address < a; });
    EXPECT_TRUE(pos == diff.accounts.end() || pos->address != coinbase) << "deferred although the diff has the coinbase";
    diff.accounts.insert(pos, change);
    return diff;
}

std::uint64_t base_seed() {
    const char* env = std::getenv("SLUICE_PARALLEL_SEED");
    return env != nullptr ? std::stoull(env) : 20261125;
}

TEST(DeferredCoinbaseFee, EqualsTheNormalCreditOnRandomBatches) {
    const std::uint64_t seed0 = base_seed();
    std::size_t deferred = 0, credited_in_place = 0, invalid = 0;
    for (std::uint64_t s = seed0; s < seed0 + 150; ++s) {
        SCOPED_TRACE("replay with SLUICE_PARALLEL_SEED=" + std::to_string(s));
        const EvmWorkload w = make_random_batch(s, RandomBatchConfig{});
        evm::MemoryState normal = w.state;
        evm::MemoryState caller = w.state;
        for (const evm::Transaction& tx : w.txs) {
            const auto a = evm::apply_transaction(normal, w.block, tx, w.rev);
            const auto b = evm::apply_transaction(caller, w.block, tx, w.rev, 0, {.defer_coinbase_fee = true});
            ASSERT_EQ(a.ok(), b.ok());
            if (!a.ok()) {
                EXPECT_EQ(a.error(), b.error());
                ++invalid;
                continue;
            }
            EXPECT_EQ(a->receipt.gas_used, b->receipt.gas_used);
            EXPECT_EQ(a->receipt.status, b->receipt.status);
            EXPECT_EQ(a->receipt.logs, b->receipt.logs);
            evm::StateDiff diff = b->diff;
            if (b->deferred_coinbase_fee.is_zero()) {
                ++credited_in_place;
            } else {
                ++deferred;
                diff = credit_fee(std::move(diff), caller, w.block.coinbase, b->deferred_coinbase_fee);
            }
            ASSERT_EQ(a->diff.accounts.size(), diff.accounts.size());
            for (std::size_t i = 0; i < diff.accounts.size(); ++i) expect_same_change(a->diff.accounts[i], diff.accounts[i]);
            normal.apply(a->diff);
            caller.apply(diff);
            ASSERT_EQ(normal.state_root(), caller.state_root());
        }
    }
    // Both branches of the option and invalid transactions must really have been exercised.
    EXPECT_GT(deferred, 100U);
    EXPECT_GT(credited_in_place, 100U);
    EXPECT_GT(invalid, 10U);
}

TEST(DeferredCoinbaseFee, CreditedInPlaceWhenTheTransactionReadsTheCoinbase) {
    EvmWorkload w = make_random_batch(1, RandomBatchConfig{});
    w.block.coinbase = workload_sender(3);
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = workload_sender(0);
    tx.to = WorkloadContracts::coinbase_probe();
    tx.gas_limit = 100'000;
    tx.max_fee_per_gas = w.block.base_fee + 2;
    tx.max_priority_fee_per_gas = 2;
    const auto probe = evm::apply_transaction(w.state, w.block, tx, w.rev, 0, {.defer_coinbase_fee = true});
    ASSERT_TRUE(probe.ok());
    EXPECT_TRUE(probe->deferred_coinbase_fee.is_zero());

    tx.to = WorkloadContracts::counter();
    tx.data = Bytes(32, 0);
    const auto plain = evm::apply_transaction(w.state, w.block, tx, w.rev, 0, {.defer_coinbase_fee = true});
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->deferred_coinbase_fee, u256{static_cast<std::uint64_t>(plain->receipt.gas_used) * 2});
    const auto normal = evm::apply_transaction(w.state, w.block, tx, w.rev);
    ASSERT_TRUE(normal.ok());
    EXPECT_TRUE(normal->deferred_coinbase_fee.is_zero());
}

}  // namespace
}  // namespace sluice::parallel
