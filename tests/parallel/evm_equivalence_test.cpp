// The property: random EVM batches (ETH transfers, an ERC-20-like token, a counter with hot
// slots, reverts, out-of-gas, CREATE/CREATE2 with collisions and same-transaction selfdestruct, a
// contract reading its own balance, one reading the coinbase balance, consecutive nonces of one
// sender, invalid transactions) executed by parallel::execute_batch with 1, 2, 4 and 8 threads
// must give the receipts, errors and state root of plain sequential apply_transaction over
// MemoryState. A failure prints the seed; SLUICE_PARALLEL_SEED=<seed> replays that batch alone,
// SLUICE_EVM_BATCHES=<n> changes how many batches run.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sluice/evm/transaction_processor.hpp"
#include "sluice/parallel/evm_batch.hpp"
#include "sluice/parallel/evm_workload.hpp"

namespace sluice::parallel {
namespace {

struct Reference {
    std::vector<Result<evm::Receipt>> receipts;
    Hash root;
};

Reference run_reference(const EvmWorkload& w) {
    Reference ref;
    evm::MemoryState state = w.state;
    std::int64_t cumulative = 0;
    for (const evm::Transaction& tx : w.txs) {
        auto r = evm::apply_transaction(state, w.block, tx, w.rev, cumulative);
        if (!r) {
            ref.receipts.emplace_back(std::move(r).error());
            continue;
        }
        state.apply(r->diff);
        cumulative = r->receipt.cumulative_gas_used;
        ref.receipts.emplace_back(std::move(r->receipt));
    }
    ref.root = state.state_root();
    return ref;
}

// Empty when equal, else what differs first.
std::string compare(const Reference& ref, const EvmWorkload& w, const EvmBatchResult& got) {
    if (got.receipts.size() != ref.receipts.size()) return "receipt count differs";
    for (std::size_t i = 0; i < ref.receipts.size(); ++i) {
        const auto& a = ref.receipts[i];
        const auto& b = got.receipts[i];
        const std::string at = " at tx " + std::to_string(i);
        if (a.ok() != b.ok()) return "validity differs" + at;
        if (!a.ok()) {
            if (a.error() != b.error()) return "error differs" + at;
            continue;
        }
        if (a->type != b->type || a->success != b->success || a->status != b->status) return "status differs" + at;
        if (a->gas_used != b->gas_used || a->cumulative_gas_used != b->cumulative_gas_used) return "gas differs" + at;
        if (a->blob_gas_used != b->blob_gas_used || a->logs != b->logs) return "logs differ" + at;
    }
    evm::MemoryState state = w.state;
    state.apply(got.diff);
    if (state.state_root() != ref.root) return "state root differs";
    return {};
}

std::size_t batch_count() {
    if (const char* env = std::getenv("SLUICE_EVM_BATCHES")) return std::strtoull(env, nullptr, 10);
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    return 150;  // sanitizers slow every access by 5-15x; the release run covers thousands
#else
    return 2000;
#endif
}

// Batch shape varies with the seed: size, number of senders (fewer = longer nonce chains), hot share.
RandomBatchConfig config_for(std::uint64_t seed) {
    RandomBatchConfig c;
    c.num_txs = 4 + seed % 61;
    c.num_senders = 2 + (seed / 7) % 15;
    c.hot_share = static_cast<double>((seed / 3) % 5) / 4.0;
    c.same_sender_share = static_cast<double>((seed / 11) % 4) / 6.0;
    return c;
}

TEST(EvmEquivalence, RandomBatchesMatchSequentialApplyTransaction) {
    std::uint64_t first_seed = 0xE7A5EED;
    std::size_t batches = batch_count();
    if (const char* env = std::getenv("SLUICE_PARALLEL_SEED")) {
        first_seed = std::strtoull(env, nullptr, 0);
        batches = 1;
    }
    // One persistent executor per thread count for all batches: each batch also checks that the
    // reused threads, multi-version memory and scheduler start clean.
    EvmExecutor executors[] = {EvmExecutor(1), EvmExecutor(2), EvmExecutor(4), EvmExecutor(8)};
    ExecutionStats total;
    std::size_t txs = 0, invalid = 0, reverted = 0, out_of_gas = 0, fallbacks = 0, abandoned = 0;
    for (std::size_t b = 0; b < batches; ++b) {
        const std::uint64_t seed = first_seed + b;
        const EvmWorkload w = make_random_batch(seed, config_for(seed));
        const Reference ref = run_reference(w);
        for (const auto& r : ref.receipts) {
            ++txs;
            if (!r.ok()) {
                ++invalid;
            } else if (r->status == evm::StatusCode::revert) {
                ++reverted;
            } else if (r->status == evm::StatusCode::out_of_gas) {
                ++out_of_gas;
            }
        }
        for (unsigned e = 0; e < 4; ++e) {
            const unsigned threads = 1U << e;
            const EvmBatchResult got = executors[e].execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
            const std::string diff = compare(ref, w, got);
            ASSERT_TRUE(diff.empty()) << diff << " with " << threads << " threads; reproduce with SLUICE_PARALLEL_SEED="
                                      << seed;
            total += got.stats;
            fallbacks += got.ran_sequential_fallback ? 1 : 0;
            abandoned += got.abandoned_as_chain ? 1 : 0;
        }
    }
    std::printf("batches %zu (x4 thread counts), txs %zu: invalid %zu reverted %zu out-of-gas %zu; executions %llu "
                "validations %llu aborts %llu suspensions %llu; sequential fallbacks %zu, abandoned as chains %zu\n",
                batches, txs, invalid, reverted, out_of_gas, static_cast<unsigned long long>(total.executions),
                static_cast<unsigned long long>(total.validations),
                static_cast<unsigned long long>(total.validation_aborts),
                static_cast<unsigned long long>(total.suspensions), fallbacks, abandoned);
    if (batches < 50) return;  // a replay of one seed need not cover everything
    // The batches must exercise every outcome and the conflict machinery, or the property says little.
    EXPECT_GT(invalid, 0U);
    EXPECT_GT(reverted, 0U);
    EXPECT_GT(out_of_gas, 0U);
    EXPECT_GT(total.validation_aborts + total.suspensions, 0U);
    EXPECT_EQ(fallbacks, 0U);  // Prague batches never need the sequential fallback
    EXPECT_LT(abandoned, batches / 20);  // rare in batches this small: the parallel path is what is tested
}

// Large batches of the benchmark workloads, on a persistent executor: a hotspot batch (every
// transaction increments one slot) may be abandoned as a dependency chain and run sequentially,
// depending on scheduling; either way the result must be the sequential one.
TEST(EvmEquivalence, BenchmarkWorkloadsMatchSequentialApplyTransaction) {
    EvmExecutor executor(2);
    for (const EvmWorkload& w : {make_transfers_workload(600), make_erc20_workload(600), make_hotspot_workload(600),
                                 make_mixed_workload(600)}) {
        const Reference ref = run_reference(w);
        for (int round = 0; round < 2; ++round) {
            const EvmBatchResult got = executor.execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
            EXPECT_EQ(compare(ref, w, got), "");
            EXPECT_FALSE(got.ran_sequential_fallback);
            for (const auto& r : got.receipts) {
                ASSERT_TRUE(r.ok());
                EXPECT_TRUE(r->success);
            }
        }
    }
}

// Deleting an account that holds storage cannot be written as locations: the executor must notice
// and still return the sequential result. Before Cancun, SELFDESTRUCT deletes any contract.
TEST(EvmEquivalence, InexpressibleDeletionFallsBackToSequential) {
    EvmWorkload w = make_random_batch(7, RandomBatchConfig{.num_txs = 0});
    w.rev = evm::Revision::shanghai;
    w.block.blob_params = {};
    const Address doomed = Address::from_hex("0x00000000000000000000000000000000000d00d0").value();
    // CALLER SELFDESTRUCT, on an account with a non-zero slot.
    w.state.put_account(doomed, 1, u256{3}, Bytes{0x33, 0xff}, {{u256{1}.to_be(), u256{9}}});
    for (std::uint64_t nonce = 0; nonce < 3; ++nonce) {
        evm::Transaction tx;
        tx.type = evm::TxType::dynamic_fee;
        tx.sender = workload_sender(nonce);
        tx.to = nonce == 1 ? doomed : WorkloadContracts::counter();
        tx.data = Bytes(32, 0);
        tx.gas_limit = 100'000;
        tx.max_fee_per_gas = w.block.base_fee + 1;
        tx.max_priority_fee_per_gas = 1;
        w.txs.push_back(tx);
    }
    const Reference ref = run_reference(w);
    const EvmBatchResult got = execute_batch(w.state, EvmBlockEnv{w.block, w.rev}, w.txs, 2);
    EXPECT_TRUE(got.ran_sequential_fallback);
    EXPECT_EQ(compare(ref, w, got), "");
    evm::MemoryState after = w.state;
    after.apply(got.diff);
    EXPECT_FALSE(after.account(doomed).has_value());
}

}  // namespace
}  // namespace sluice::parallel
