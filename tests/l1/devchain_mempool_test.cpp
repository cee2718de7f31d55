// Interval mining: admission checks, the mempool's order (nonce per sender, tip across senders, gaps held),
// replacement by a 10% fee bump, the size bound, the block gas limit, a transaction made invalid by an
// earlier one in its block, and snapshots restoring the pool.
#include <gtest/gtest.h>

#include <vector>

#include "dev_transfer.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

const u256 kGwei = u256{1'000'000'000};
const Address kSink = Address::from_hex("0x00000000000000000000000000000000000051c0").value();

DevchainConfig interval_config() {
    DevchainConfig c = dev_accounts_config();
    c.mining = MiningMode::interval;
    c.base_fee = kGwei;
    c.priority_fee = kGwei;
    return c;
}

// A transfer of `value` wei to kSink from dev account `from`, with the fee cap and tip given.
Bytes transfer(std::size_t from, std::uint64_t nonce, const u256& fee_cap, const u256& tip,
               const u256& value = u256{1}, std::uint64_t gas = 21'000) {
    return testing::signed_dev_tx({from, nonce, kSink, value, gas, fee_cap, tip});
}

Hash submit(Devchain& chain, const Bytes& raw) {
    const auto hash = chain.submit_raw(raw);
    EXPECT_TRUE(hash.ok()) << hash.error().describe();
    return hash.ok() ? *hash : Hash{};
}

std::vector<Hash> hashes_of(const Devchain& chain, const Block& block) {
    std::vector<Hash> out;
    for (const TransactionRecord& r : chain.transactions_of(block))
        out.push_back(r.signed_tx.hash);
    return out;
}

TEST(DevchainMempool, SubmittedTransactionWaitsForTheBlock) {
    Devchain chain(interval_config());
    const Hash hash = submit(chain, transfer(0, 0, 3 * kGwei, kGwei));
    EXPECT_EQ(chain.latest_block().number, 0);
    EXPECT_EQ(chain.transaction(hash), nullptr);
    ASSERT_NE(chain.pending_transaction(hash), nullptr);
    EXPECT_EQ(chain.pending_nonce(dev_account_address(0)), 1u);
    EXPECT_EQ(chain.nonce(dev_account_address(0)), 0u);

    chain.mine();
    EXPECT_EQ(chain.latest_block().number, 1);
    ASSERT_NE(chain.transaction(hash), nullptr);
    EXPECT_TRUE(chain.transaction(hash)->receipt.status);
    EXPECT_EQ(chain.pending_transaction(hash), nullptr);
    EXPECT_TRUE(chain.mempool().empty());
    EXPECT_EQ(chain.balance(kSink), u256{1});
}

TEST(DevchainMempool, OrderIsNonceWithinSenderAndTipAcrossSendersAndGapsWait) {
    Devchain chain(interval_config());
    const Hash a1 = submit(chain, transfer(0, 1, 10 * kGwei, 1 * kGwei));  // arrives before its nonce 0
    const Hash a0 = submit(chain, transfer(0, 0, 10 * kGwei, 1 * kGwei));
    const Hash b0 = submit(chain, transfer(1, 0, 10 * kGwei, 5 * kGwei));
    const Hash c0 = submit(chain, transfer(2, 0, 10 * kGwei, 3 * kGwei));
    const Hash d1 = submit(chain, transfer(3, 1, 10 * kGwei, 9 * kGwei));  // a gap: nonce 0 is missing
    EXPECT_EQ(chain.mempool().size(), 5u);
    EXPECT_EQ(chain.pending_nonce(dev_account_address(3)), 0u);

    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{b0, c0, a0, a1}));
    EXPECT_NE(chain.pending_transaction(d1), nullptr);

    const Hash d0 = submit(chain, transfer(3, 0, 10 * kGwei, 1 * kGwei));
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{d0, d1}));
    EXPECT_TRUE(chain.mempool().empty());
}

TEST(DevchainMempool, EqualTipsGoInArrivalOrderAndTipIsCappedByTheFeeCap) {
    Devchain chain(interval_config());
    // Effective tip min(tip cap, fee cap - base fee): 3 gwei for the first despite its 4 gwei tip cap,
    // below the second's 4 gwei; the third and fourth tie at 2 gwei and keep their arrival order.
    const Hash capped = submit(chain, transfer(0, 0, 4 * kGwei, 4 * kGwei));
    const Hash higher = submit(chain, transfer(1, 0, 10 * kGwei, 4 * kGwei));
    const Hash early = submit(chain, transfer(2, 0, 10 * kGwei, 2 * kGwei));
    const Hash late = submit(chain, transfer(3, 0, 10 * kGwei, 2 * kGwei));
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{higher, capped, early, late}));
}

TEST(DevchainMempool, ReplacementNeedsBothFeesTenPercentHigher) {
    Devchain chain(interval_config());
    const Hash first = submit(chain, transfer(0, 0, 10 * kGwei, 2 * kGwei));
    auto r = chain.submit_raw(transfer(0, 0, 10 * kGwei, 2 * kGwei, u256{2}));  // same fees
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::devchain_replacement_underpriced);
    r = chain.submit_raw(
        transfer(0, 0, 11 * kGwei, 2 * kGwei + kGwei / u256{5} - u256{1}));  // tip 1 wei short
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::devchain_replacement_underpriced);
    r = chain.submit_raw(transfer(0, 0, 11 * kGwei - u256{1}, 3 * kGwei));  // cap 1 wei short
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::devchain_replacement_underpriced);
    EXPECT_NE(chain.pending_transaction(first), nullptr);

    const Bytes replacement = transfer(0, 0, 11 * kGwei, 2 * kGwei + kGwei / u256{5}, u256{7});  // +10% both
    r = chain.submit_raw(replacement);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    const Hash second = *r;
    EXPECT_EQ(chain.pending_transaction(first), nullptr);
    EXPECT_NE(chain.pending_transaction(second), nullptr);
    EXPECT_EQ(chain.mempool().size(), 1u);

    r = chain.submit_raw(replacement);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::devchain_already_known);
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{second}));
    EXPECT_EQ(chain.balance(kSink), u256{7});
}

TEST(DevchainMempool, AdmissionRefusesWhatANodeRefuses) {
    DevchainConfig config = interval_config();
    config.genesis.push_back({kSink, u256{0}});
    Devchain chain(config);
    const auto refused = [&](const Bytes& raw, Errc code) {
        const auto r = chain.submit_raw(raw);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, code) << r.error().describe();
    };
    refused(transfer(0, 0, kGwei - u256{1}, u256{0}), Errc::tx_fee_cap_below_base_fee);
    refused(transfer(0, 0, 2 * kGwei, kGwei, u256{1}, 20'999), Errc::tx_intrinsic_gas_too_low);
    refused(transfer(0, 0, 2 * kGwei, kGwei, u256{1}, 60'000'001), Errc::tx_gas_limit_exceeds_block);
    // Balance for gas limit × fee cap + value: 10000 ether cannot cover 10000 ether plus gas.
    refused(transfer(0, 0, 2 * kGwei, kGwei, u256{10'000} * u256{1'000'000'000'000'000'000ULL}),
            Errc::tx_insufficient_funds);
    evm::Transaction other_chain;
    other_chain.type = evm::TxType::dynamic_fee;
    other_chain.to = kSink;
    other_chain.gas_limit = 21'000;
    other_chain.max_fee_per_gas = 2 * kGwei;
    refused(sign_transaction(other_chain, u256{1}, dev_account_key(0)).value(), Errc::tx_wrong_chain_id);
    EXPECT_TRUE(chain.mempool().empty());

    submit(chain, transfer(0, 0, 2 * kGwei, kGwei));
    chain.mine();
    refused(transfer(0, 0, 2 * kGwei, kGwei, u256{2}), Errc::tx_nonce_too_low);
}

TEST(DevchainMempool, TheBoundRefusesNewTransactionsButNotReplacements) {
    DevchainConfig config = interval_config();
    config.mempool_capacity = 2;
    Devchain chain(config);
    submit(chain, transfer(0, 0, 2 * kGwei, kGwei));
    submit(chain, transfer(1, 0, 2 * kGwei, kGwei));
    const auto full = chain.submit_raw(transfer(2, 0, 2 * kGwei, kGwei));
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(full.error().code, Errc::devchain_mempool_full);
    EXPECT_TRUE(chain.submit_raw(transfer(1, 0, 4 * kGwei, 2 * kGwei)).ok());
    EXPECT_EQ(chain.mempool().size(), 2u);
    chain.mine();
    EXPECT_TRUE(chain.submit_raw(transfer(2, 0, 2 * kGwei, kGwei)).ok());
}

TEST(DevchainMempool, BlockGasLimitLeavesTheRestForTheNextBlock) {
    DevchainConfig config = interval_config();
    config.block_gas_limit = 50'000;
    Devchain chain(config);
    const Hash a = submit(chain, transfer(0, 0, 10 * kGwei, 3 * kGwei));
    const Hash b = submit(chain, transfer(1, 0, 10 * kGwei, 2 * kGwei));
    const Hash c = submit(chain, transfer(2, 0, 10 * kGwei, kGwei));
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{a, b}));
    EXPECT_EQ(chain.latest_block().gas_used, 42'000);
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{c}));
}

// A node fills a block by gas used: a transaction goes in while its gas limit fits in what the ones before it
// left. Gas limits far above use (60,000 for a 21,000 transfer) must not leave the block mostly empty.
TEST(DevchainMempool, BlocksFillByGasUsedNotByGasLimits) {
    DevchainConfig config = interval_config();
    config.block_gas_limit = 100'000;
    Devchain chain(config);
    std::vector<Hash> sent;
    for (std::size_t from = 0; from < 5; ++from)
        sent.push_back(submit(chain, transfer(from, 0, 10 * kGwei, u256{5 - from} * kGwei, u256{1}, 60'000)));
    chain.mine();
    // 0 + 60k fits, 21k + 60k fits, 42k + 60k does not: two, where filling by limits took one.
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{sent[0], sent[1]}));
    EXPECT_EQ(chain.latest_block().gas_used, 42'000);
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{sent[2], sent[3]}));
    chain.mine();
    EXPECT_EQ(hashes_of(chain, chain.latest_block()), (std::vector<Hash>{sent[4]}));
    EXPECT_TRUE(chain.mempool().empty());
}

TEST(DevchainMempool, TransactionInvalidatedByAnEarlierOneInTheBlockIsLeftOut) {
    // The sink can pay for one transfer back but not two: both are admitted (each alone is covered),
    // the block takes the first, finds the second short of funds and leaves it out; the pool drops it.
    DevchainConfig config = interval_config();
    config.mining = MiningMode::interval;
    Devchain chain(config);
    const u256 gas_cost = u256{21'000} * 2 * kGwei;
    const u256 funds = gas_cost * 3 / 2;
    chain.set_balance(dev_account_address(5), funds);
    const Hash first = submit(chain, transfer(5, 0, 2 * kGwei, kGwei));
    const Hash second = submit(chain, transfer(5, 1, 2 * kGwei, kGwei));
    const Hash other = submit(chain, transfer(6, 0, 2 * kGwei, kGwei));
    chain.mine();
    const Block& block = chain.latest_block();
    EXPECT_EQ(hashes_of(chain, block), (std::vector<Hash>{first, other}));
    EXPECT_EQ(chain.transaction(other)->receipt.transaction_index, 1u);
    EXPECT_EQ(chain.transaction(other)->receipt.cumulative_gas_used, 42'000);
    EXPECT_EQ(block.gas_used, 42'000);
    EXPECT_EQ(chain.transaction(second), nullptr);
    EXPECT_EQ(chain.pending_transaction(second), nullptr);
    EXPECT_EQ(chain.nonce(dev_account_address(5)), 1u);
    EXPECT_EQ(block.state_root, chain.state().state_root());
}

TEST(DevchainMempool, SendMinesWithThePoolAndRevertRestoresIt) {
    Devchain chain(interval_config());
    const SnapshotId snap = chain.snapshot();
    const Hash pooled = submit(chain, transfer(0, 0, 2 * kGwei, kGwei));
    const auto receipt = chain.send(dev_account_address(1), kSink, u256{5}, {}, 21'000);
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    EXPECT_EQ(receipt->block_number, 1);
    EXPECT_NE(chain.transaction(pooled), nullptr);
    EXPECT_EQ(chain.latest_block().transaction_count, 2u);

    const SnapshotId before_pooling = chain.snapshot();
    const Hash waiting = submit(chain, transfer(0, 1, 2 * kGwei, kGwei));
    ASSERT_TRUE(chain.revert(before_pooling).ok());
    EXPECT_EQ(chain.pending_transaction(waiting), nullptr);
    const Hash again = submit(chain, transfer(0, 1, 2 * kGwei, kGwei));
    ASSERT_TRUE(chain.revert(snap).ok());
    EXPECT_EQ(chain.pending_transaction(again), nullptr);
    EXPECT_EQ(chain.transaction(pooled), nullptr);
    EXPECT_EQ(chain.latest_block().number, 0);
}

TEST(DevchainMempool, AutomineMinesEachSubmissionAtOnce) {
    DevchainConfig config = interval_config();
    config.mining = MiningMode::automine;
    Devchain chain(config);
    const Hash hash = submit(chain, transfer(0, 0, 2 * kGwei, kGwei));
    EXPECT_EQ(chain.latest_block().number, 1);
    ASSERT_NE(chain.transaction(hash), nullptr);
    EXPECT_TRUE(chain.mempool().empty());
    const auto gap = chain.submit_raw(transfer(0, 2, 2 * kGwei, kGwei));
    ASSERT_FALSE(gap.ok());
    EXPECT_EQ(gap.error().code, Errc::tx_nonce_too_high);
    EXPECT_EQ(chain.latest_block().number, 1);
}

}  // namespace
}  // namespace sluice::l1
