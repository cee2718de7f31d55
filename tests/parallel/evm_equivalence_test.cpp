// The property: random EVM batches (ETH transfers, an ERC-20-like token, a counter with hot
// slots, reverts, out-of-gas, CREATE/CREATE2 with collisions and same-transaction selfdestruct, a
// contract reading its own balance, one reading the coinbase balance, consecutive nonces of one
// sender, invalid transactions) executed by parallel::execute_batch with 1, 2, 4 and 8 threads
// must give the receipts, errors and state root of plain sequential apply_transaction over
// MemoryState. A failure prints the seed; SLUICE_PARALLEL_SEED=<seed> replays that batch alone,
// SLUICE_EVM_BATCHES=<n> changes how many batches run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
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
        if (a->type != b->type || a->success != b->success || a->status != b->status)
            return "status differs" + at;
        if (a->gas_used != b->gas_used || a->cumulative_gas_used != b->cumulative_gas_used)
            return "gas differs" + at;
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
    return 100;  // sanitizers slow every access by 5-15x; the release run covers thousands
#else
    return 2000;
#endif
}

// Batch shape varies with the seed: size, number of senders (fewer = longer nonce chains), hot share.
// Every other batch is wide (many senders, no hot slots, no repeated sender, no coinbase in play),
// so that the segments settle some batches by themselves; the others are dense with conflicts.
RandomBatchConfig config_for(std::uint64_t seed) {
    RandomBatchConfig c;
    if (seed % 2 == 1) {
        c.num_txs = 8 + seed % 25;
        c.num_senders = 64 + (seed / 2) % 64;
        c.hot_share = 0;
        c.same_sender_share = 0;
        c.coinbase_untouched = true;
        return c;
    }
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
    // One persistent executor per configuration for all batches: each batch also checks that the
    // reused threads, memory pools, multi-version memory and scheduler start clean. The default
    // path (segments first, Block-STM for the rest) with 1, 2, 4 and 8 threads, and Block-STM
    // alone: with its segmented start, with that start stopping at the first execution that reads
    // below its segment (a probe window of one), and sweeping from the first transaction.
    struct Config {
        const char* name = "";
        unsigned threads = 1;
        EvmExecutorOptions options;
    };
    const auto block_stm = [](bool segmented, std::uint64_t probe) {
        EvmExecutorOptions o;
        o.segments = false;
        o.block_stm.segmented = segmented;
        o.block_stm.segment_probe = probe;
        return o;
    };
    const auto no_repair = [] {
        EvmExecutorOptions o;
        o.repair = false;
        return o;
    };
    const Config configs[] = {
        {"default", 1, {}},
        {"default", 2, {}},
        {"default", 4, {}},
        {"default", 8, {}},
        {"segments without repair", 2, no_repair()},
        {"segments without repair", 4, no_repair()},
        {"Block-STM with segmented start", 2, block_stm(true, 32)},
        {"Block-STM with segmented start, probe 1", 4, block_stm(true, 1)},
        {"Block-STM sweeping from the start", 3, block_stm(false, 32)},
    };
    std::vector<std::unique_ptr<EvmExecutor>> executors;
    for (const Config& c : configs)
        executors.push_back(std::make_unique<EvmExecutor>(c.threads, c.options));
    ExecutionStats total;
    std::size_t txs = 0, invalid = 0, reverted = 0, out_of_gas = 0, fallbacks = 0, abandoned = 0;
    std::size_t segments_settled = 0, segments_repaired = 0, segments_fell_back = 0;
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
        for (std::size_t e = 0; e < executors.size(); ++e) {
            const EvmBatchResult got = executors[e]->execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
            const std::string diff = compare(ref, w, got);
            ASSERT_TRUE(diff.empty()) << diff << " with " << configs[e].name << ", " << configs[e].threads
                                      << " threads; reproduce with SLUICE_PARALLEL_SEED=" << seed;
            total += got.stats;
            fallbacks += got.ran_sequential_fallback ? 1 : 0;
            abandoned += got.abandoned_as_chain ? 1 : 0;
            if (configs[e].options.segments && configs[e].threads > 1 &&
                w.txs.size() >= 2 * std::size_t{configs[e].threads}) {
                ++(got.segments_fell_back  ? segments_fell_back
                   : got.segments_repaired ? segments_repaired
                                           : segments_settled);
            }
        }
    }
    std::printf(
        "batches %zu (x%zu configurations), txs %zu: invalid %zu reverted %zu out-of-gas %zu; executions "
        "%llu "
        "validations %llu aborts %llu suspensions %llu; sequential fallbacks %zu, abandoned as chains %zu; "
        "segments settled %zu, repaired %zu, fell back to Block-STM %zu\n",
        batches, executors.size(), txs, invalid, reverted, out_of_gas,
        static_cast<unsigned long long>(total.executions), static_cast<unsigned long long>(total.validations),
        static_cast<unsigned long long>(total.validation_aborts),
        static_cast<unsigned long long>(total.suspensions), fallbacks, abandoned, segments_settled,
        segments_repaired, segments_fell_back);
    if (batches < 50) return;  // a replay of one seed need not cover everything
    // The batches must exercise every outcome and the conflict machinery, or the property says little.
    EXPECT_GT(invalid, 0U);
    EXPECT_GT(reverted, 0U);
    EXPECT_GT(out_of_gas, 0U);
    EXPECT_GT(total.validation_aborts + total.suspensions, 0U);
    EXPECT_EQ(fallbacks, 0U);            // Prague batches never need the sequential fallback
    EXPECT_LT(abandoned, batches / 20);  // rare in batches this small: the parallel path is what is tested
    // Block-STM's segmented start must also have stopped early (the probe-of-one configuration).
    EXPECT_GT(total.segment_stops, 0U);
    // Every outcome of the segments must occur, or one of them goes untested.
    EXPECT_GT(segments_settled, batches / 20);
    EXPECT_GT(segments_repaired, batches / 20);
    EXPECT_GT(segments_fell_back, batches / 20);
}

// Large batches of the benchmark workloads, on a persistent executor: a hotspot batch (every
// transaction increments one slot) may be abandoned as a dependency chain and run sequentially,
// depending on scheduling; either way the result must be the sequential one.
TEST(EvmEquivalence, BenchmarkWorkloadsMatchSequentialApplyTransaction) {
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
    constexpr std::size_t kTxs = 300;
#else
    constexpr std::size_t kTxs = 600;
#endif
    EvmExecutor executor(2);
    for (const EvmWorkload& w : {make_transfers_workload(kTxs), make_erc20_workload(kTxs),
                                 make_hotspot_workload(kTxs), make_mixed_workload(kTxs)}) {
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

// A batch that had to run again everything outside segment 0 predicts that the next one is a chain
// too if it calls the same hot contract: the next batches run sequentially, every 16th in parallel
// again to measure afresh; a batch with a few hot transactions is never predicted. Every result is
// the sequential one.
TEST(EvmEquivalence, ChainPredictedFromThePreviousBatch) {
    constexpr std::size_t kTxs = 300;
    const EvmWorkload hot = make_hotspot_workload(kTxs);
    const EvmWorkload mixed = make_mixed_workload(kTxs);
    const Reference hot_ref = run_reference(hot);
    const Reference mixed_ref = run_reference(mixed);
    EvmExecutor executor(2);
    const auto run = [&executor](const EvmWorkload& w, const Reference& ref) {
        EvmBatchResult got = executor.execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
        EXPECT_EQ(compare(ref, w, got), "");
        return got;
    };
    EXPECT_FALSE(run(mixed, mixed_ref).ran_as_predicted_chain);
    EXPECT_FALSE(run(mixed, mixed_ref).ran_as_predicted_chain);
    EXPECT_FALSE(run(hot, hot_ref).ran_as_predicted_chain);  // measured: a chain
    std::size_t predicted = 0;
    for (int i = 0; i < 16; ++i)
        predicted += run(hot, hot_ref).ran_as_predicted_chain ? 1 : 0;
    EXPECT_EQ(predicted, 15U);  // one probe among 16
    // A batch that does not mostly call the hot contract is measured, not predicted; it ends the
    // prediction.
    EXPECT_FALSE(run(mixed, mixed_ref).ran_as_predicted_chain);
    EXPECT_FALSE(run(hot, hot_ref).ran_as_predicted_chain);
    // Small batches are never predicted.
    const EvmWorkload small = make_hotspot_workload(100);
    const Reference small_ref = run_reference(small);
    for (int i = 0; i < 3; ++i)
        EXPECT_FALSE(run(small, small_ref).ran_as_predicted_chain);
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

// --- The segments tried first (src/evm_segments.hpp), with two workers: transactions [0, n/2)
// form segment 0, [n/2, n) segment 1. ---

// SSTORE(calldata[0:32] = slot, calldata[32:64] = value).
Address store_contract() {
    return Address::from_hex("0x00000000000000000000000000000000005707e0").value();
}

EvmWorkload store_workload() {
    EvmWorkload w = make_random_batch(11, RandomBatchConfig{.num_txs = 0, .num_senders = 16});
    w.block.coinbase = Address::from_hex("0x000000000000000000000000000000000c0ffee0").value();
    w.state.put_account(store_contract(), 1, u256{}, Bytes{0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x55, 0x00},
                        {{u256{1}.to_be(), u256{5}}});
    return w;
}

evm::Transaction workload_tx(const EvmWorkload& w, std::size_t sender, const Address& to, const u256& value,
                             Bytes data) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = workload_sender(sender);
    tx.to = to;
    tx.value = value;
    tx.data = std::move(data);
    tx.gas_limit = 100'000;
    tx.max_fee_per_gas = w.block.base_fee + 1;
    tx.max_priority_fee_per_gas = 1;
    return tx;
}

evm::Transaction store_tx(const EvmWorkload& w, std::size_t sender, std::uint64_t slot, std::uint64_t value) {
    Bytes data(64, 0);
    const Bytes32 key = u256{slot}.to_be();
    const Bytes32 val = u256{value}.to_be();
    std::copy(key.begin(), key.end(), data.begin());
    std::copy(val.begin(), val.end(), data.begin() + 32);
    return workload_tx(w, sender, store_contract(), u256{}, std::move(data));
}

// How the segments settle a batch: as they ran, with segment 1 repaired (src/evm_segment_repair.hpp),
// or with Block-STM running segment 1.
enum class Settled { kAsRun, kRepaired, kByBlockStm };

// Runs `w` on two workers, expects the sequential result and how the segments settled it. A
// repaired batch must also match with the repair off (Block-STM then runs segment 1).
EvmBatchResult run_two_workers(const EvmWorkload& w, Settled settled) {
    EvmExecutor executor(2);
    EvmBatchResult got = executor.execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
    EXPECT_EQ(got.segments_fell_back, settled == Settled::kByBlockStm);
    EXPECT_EQ(got.segments_repaired, settled == Settled::kRepaired);
    EXPECT_EQ(compare(run_reference(w), w, got), "");
    if (settled == Settled::kRepaired) {
        EvmExecutor without(2, EvmExecutorOptions{.repair = false});
        const EvmBatchResult by_block_stm = without.execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
        EXPECT_TRUE(by_block_stm.segments_fell_back);
        EXPECT_EQ(compare(run_reference(w), w, by_block_stm), "");
    }
    return got;
}

TEST(EvmSegments, IndependentHalvesSettleWithoutBlockStm) {
    for (const EvmWorkload& w : {make_transfers_workload(400), make_erc20_workload(400)}) {
        const EvmBatchResult got = run_two_workers(w, Settled::kAsRun);
        EXPECT_EQ(got.stats.executions, w.txs.size());
    }
}

TEST(EvmSegments, ChainIsRepairedAndStillMatches) {
    // Every transaction of segment 1 read the counter segment 0 changed: all run again.
    const EvmWorkload w = make_hotspot_workload(400);
    const EvmBatchResult got = run_two_workers(w, Settled::kRepaired);
    EXPECT_EQ(got.stats.executions, w.txs.size() + w.txs.size() / 2);
}

TEST(EvmSegments, RepairRunsAgainOnlyWhatReadAChangedLocation) {
    // Every tenth transaction increments the hot counter; in segment 1 only those run again.
    const EvmWorkload w = make_mixed_workload(400);
    const EvmBatchResult got = run_two_workers(w, Settled::kRepaired);
    EXPECT_EQ(got.stats.executions, w.txs.size() + w.txs.size() / 20);
}

// transfer(to, amount) of WorkloadContracts::token().
Bytes token_call(const Address& to, std::uint64_t amount) {
    Bytes data(64, 0);
    std::copy(to.begin(), to.end(), data.begin() + 12);
    const Bytes32 value = u256{amount}.to_be();
    std::copy(value.begin(), value.end(), data.begin() + 32);
    return data;
}

TEST(EvmSegments, RunAgainWithoutItsFirstWritesReachesALaterReader) {
    // Segment 0 (transactions 0-3) moves all of sender 5's tokens away. In segment 1, sender 5's
    // transfer to `fresh` succeeded in its first run but reverts when run again, so it no longer
    // writes `fresh`'s balance; transaction 6 read that balance from segment 1's own overlay, not
    // from the base, and must run again on the right value.
    EvmWorkload w = store_workload();
    const Address fresh = Address::from_hex("0x00000000000000000000000000000000000f7e55").value();
    const Address token = WorkloadContracts::token();
    w.txs = {workload_tx(w, 5, token, u256{}, token_call(workload_sender(9), 1'000'000)),
             store_tx(w, 1, 20, 1),
             store_tx(w, 2, 21, 1),
             store_tx(w, 3, 22, 1),
             workload_tx(w, 5, token, u256{}, token_call(fresh, 10)),
             store_tx(w, 4, 23, 1),
             workload_tx(w, 7, token, u256{}, token_call(fresh, 1)),
             store_tx(w, 6, 24, 1)};
    w.txs[4].nonce = 1;
    const EvmBatchResult got = run_two_workers(w, Settled::kRepaired);
    ASSERT_TRUE(got.receipts[4].ok());
    EXPECT_FALSE(got.receipts[4]->success);
}

TEST(EvmSegments, SlotWrittenBackToItsBaseValueIsNoConflict) {
    // Segment 0 sets slot 1 to 9 and back to 5 (its base value); segment 1 overwrites it, reading
    // the base's 5 (SSTORE reads the slot for its gas). By value, that read was right.
    EvmWorkload w = store_workload();
    w.txs = {store_tx(w, 0, 1, 9), store_tx(w, 1, 1, 5),  store_tx(w, 2, 20, 1), store_tx(w, 3, 21, 1),
             store_tx(w, 4, 1, 7), store_tx(w, 5, 22, 1), store_tx(w, 6, 23, 1), store_tx(w, 7, 24, 1)};
    run_two_workers(w, Settled::kAsRun);
}

TEST(EvmSegments, SlotChangedBelowMakesTheReaderSuspectAndRepaired) {
    EvmWorkload w = store_workload();
    w.txs = {store_tx(w, 0, 1, 9),  store_tx(w, 1, 20, 1), store_tx(w, 2, 21, 1), store_tx(w, 3, 22, 1),
             store_tx(w, 4, 23, 1), store_tx(w, 5, 1, 7),  store_tx(w, 6, 24, 1), store_tx(w, 7, 25, 1)};
    run_two_workers(w, Settled::kRepaired);
}

TEST(EvmSegments, BalanceChangedBelowMakesTheReaderSuspectAndRepaired) {
    // Segment 0 pays sender 6, who spends in segment 1: its balance and the gas it can buy
    // depend on segment 0.
    EvmWorkload w = store_workload();
    w.txs = {workload_tx(w, 0, workload_sender(6), u256{1000}, {}),
             store_tx(w, 1, 20, 1),
             store_tx(w, 2, 21, 1),
             store_tx(w, 3, 22, 1),
             store_tx(w, 4, 23, 1),
             store_tx(w, 6, 24, 1),
             store_tx(w, 5, 25, 1),
             store_tx(w, 7, 26, 1)};
    run_two_workers(w, Settled::kRepaired);
}

TEST(EvmSegments, CoinbaseReaderMakesItsSegmentSuspect) {
    // Paying the coinbase reads its balance, which the segments' deferred fees have not reached.
    for (const std::size_t at : {std::size_t{1}, std::size_t{5}}) {
        EvmWorkload w = store_workload();
        for (std::size_t i = 0; i < 8; ++i) {
            w.txs.push_back(i == at ? workload_tx(w, i, w.block.coinbase, u256{1}, {})
                                    : store_tx(w, i, 30 + i, i + 1));
        }
        SCOPED_TRACE(at);
        run_two_workers(w, Settled::kByBlockStm);
    }
}

TEST(EvmSegments, FeesReachTheCoinbaseWhenNoSegmentTouchesIt) {
    EvmWorkload w = store_workload();
    for (std::size_t i = 0; i < 8; ++i)
        w.txs.push_back(store_tx(w, i, 40 + i, i + 1));
    const EvmBatchResult got = run_two_workers(w, Settled::kAsRun);
    evm::MemoryState after = w.state;
    after.apply(got.diff);
    ASSERT_TRUE(after.account(w.block.coinbase).has_value());
    EXPECT_FALSE(after.account(w.block.coinbase)->balance.is_zero());
}

TEST(EvmSegments, PrefixOfThreeSegmentsAndARestThatPaysTheCoinbase) {
    // Four workers, segments of four. Segment 3 opens with a payment to the coinbase (suspect), so
    // segments 0-2 are kept (absorbed into one prefix state, their fees credited) and Block-STM
    // runs segment 3 on top, changing the coinbase again.
    EvmWorkload w = store_workload();
    for (std::size_t i = 0; i < 16; ++i) {
        w.txs.push_back(i == 12 ? workload_tx(w, i, w.block.coinbase, u256{1}, {})
                                : store_tx(w, i, 50 + i, i + 1));
    }
    EvmExecutor executor(4);
    const EvmBatchResult got = executor.execute(w.state, EvmBlockEnv{w.block, w.rev}, w.txs);
    EXPECT_TRUE(got.segments_fell_back);
    EXPECT_EQ(compare(run_reference(w), w, got), "");
}

TEST(EvmSegments, AccountTouchedEmptyBelowAndFundedAbove) {
    // Segment 0 sends nothing to a fresh address (it stays absent); segment 1 funds it. The read
    // in segment 1 (absent) is what the sequential run sees too: no conflict.
    EvmWorkload w = store_workload();
    const Address fresh = Address::from_hex("0x00000000000000000000000000000000000f7e54").value();
    for (std::size_t i = 0; i < 8; ++i) {
        if (i == 0) {
            w.txs.push_back(workload_tx(w, i, fresh, u256{}, {}));
        } else if (i == 5) {
            w.txs.push_back(workload_tx(w, i, fresh, u256{1000}, {}));
        } else {
            w.txs.push_back(store_tx(w, i, 60 + i, i + 1));
        }
    }
    const EvmBatchResult got = run_two_workers(w, Settled::kAsRun);
    evm::MemoryState after = w.state;
    after.apply(got.diff);
    ASSERT_TRUE(after.account(fresh).has_value());
    EXPECT_EQ(after.account(fresh)->balance, u256{1000});
}

}  // namespace
}  // namespace sluice::parallel
