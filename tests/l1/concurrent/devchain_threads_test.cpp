// A block executed by the EvmExecutor with 2 threads equals the same block with 1 (the sequential loop):
// receipts, logs, gas, state root and block hash. The block mixes independent transfers, calls that all
// write one shared slot (every pair conflicts), calls writing slots of their own, and a transaction left
// out because an earlier one in the block spent the balance it needed.
#include <gtest/gtest.h>

#include <vector>

#include "../dev_transfer.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

const u256 kGwei = u256{1'000'000'000};
// PUSH0 SLOAD PUSH1 1 ADD PUSH0 SSTORE CALLER PUSH0 PUSH0 LOG1 STOP: a shared counter, and a log by caller.
const Bytes kCounter = {0x5f, 0x54, 0x60, 0x01, 0x01, 0x5f, 0x55, 0x33, 0x5f, 0x5f, 0xa1, 0x00};
// CALLVALUE CALLER SSTORE STOP: the caller's own slot.
const Bytes kOwnSlot = {0x34, 0x33, 0x55, 0x00};

Bytes init_code(const Bytes& runtime) {
    // Reserved up front: g++ 12 warns (-Warray-bounds, falsely) when insert grows a 9-byte vector in place.
    Bytes init;
    init.reserve(9 + runtime.size());
    for (const int b : {0x60, static_cast<int>(runtime.size()), 0x80, 0x60, 0x09, 0x5f, 0x39, 0x5f, 0xf3})
        init.push_back(static_cast<std::uint8_t>(b));
    for (const std::uint8_t b : runtime)
        init.push_back(b);
    return init;
}

Bytes signed_call(std::size_t from, std::uint64_t nonce, const Address& to, const u256& value,
                  std::uint64_t gas) {
    return testing::signed_dev_tx({from, nonce, to, value, gas, 3 * kGwei, kGwei});
}

struct Outcome {
    Block block;
    std::vector<TransactionRecord> records;
};

Outcome run_block(unsigned threads) {
    DevchainConfig config = dev_accounts_config();
    config.mining = MiningMode::interval;
    config.base_fee = kGwei;
    config.priority_fee = kGwei;
    config.executor_threads = threads;
    Devchain chain(config);
    const Address counter = chain.deploy(dev_account_address(0), init_code(kCounter)).value().address;
    const Address own = chain.deploy(dev_account_address(0), init_code(kOwnSlot)).value().address;
    const Address sink = Address::from_hex("0x00000000000000000000000000000000000051c0").value();
    // Account 19 can pay for one transfer, not two.
    chain.set_balance(dev_account_address(19), u256{21'000} * 3 * kGwei * 3 / 2);
    for (std::size_t a = 1; a < 19; ++a) {
        EXPECT_TRUE(chain.submit_raw(signed_call(a, 0, sink, u256{a}, 21'000)).ok());
        EXPECT_TRUE(chain.submit_raw(signed_call(a, 1, counter, {}, 100'000)).ok());
        EXPECT_TRUE(chain.submit_raw(signed_call(a, 2, own, u256{a * 7}, 100'000)).ok());
    }
    EXPECT_TRUE(chain.submit_raw(signed_call(19, 0, sink, u256{1}, 21'000)).ok());
    EXPECT_TRUE(chain.submit_raw(signed_call(19, 1, sink, u256{1}, 21'000)).ok());
    chain.mine();
    const auto txs = chain.transactions_of(chain.latest_block());
    return Outcome{chain.latest_block(), std::vector<TransactionRecord>(txs.begin(), txs.end())};
}

TEST(DevchainThreads, TwoThreadsBuildTheSequentialBlock) {
    const Outcome one = run_block(1);
    const Outcome two = run_block(2);
    ASSERT_EQ(one.records.size(), 18u * 3 + 1);  // account 19's second transfer is left out
    ASSERT_EQ(two.records.size(), one.records.size());
    for (std::size_t i = 0; i < one.records.size(); ++i) {
        const TxReceipt& a = one.records[i].receipt;
        const TxReceipt& b = two.records[i].receipt;
        EXPECT_EQ(a.transaction_hash, b.transaction_hash) << i;
        EXPECT_TRUE(a.status) << i;
        EXPECT_EQ(a.status, b.status) << i;
        EXPECT_EQ(a.gas_used, b.gas_used) << i;
        EXPECT_EQ(a.cumulative_gas_used, b.cumulative_gas_used) << i;
        EXPECT_EQ(a.first_log_index, b.first_log_index) << i;
        ASSERT_EQ(a.logs.size(), b.logs.size()) << i;
        for (std::size_t k = 0; k < a.logs.size(); ++k) {
            EXPECT_EQ(a.logs[k].address, b.logs[k].address);
            EXPECT_EQ(a.logs[k].topics, b.logs[k].topics);
            EXPECT_EQ(a.logs[k].data, b.logs[k].data);
        }
    }
    EXPECT_EQ(one.block.gas_used, two.block.gas_used);
    EXPECT_EQ(one.block.receipts_root, two.block.receipts_root);
    EXPECT_EQ(one.block.logs_bloom, two.block.logs_bloom);
    EXPECT_EQ(one.block.state_root, two.block.state_root);
    EXPECT_EQ(one.block.hash, two.block.hash);
    // The shared counter was bumped by all 18 callers: the conflicts were resolved, not lost.
    std::size_t counter_logs = 0;
    for (const auto& r : two.records)
        counter_logs += r.receipt.logs.size();
    EXPECT_EQ(counter_logs, 18u);
}

}  // namespace
}  // namespace sluice::l1
