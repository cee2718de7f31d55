// Devchain's records: blocks chained by hash, mined transactions and receipts found by hash (impersonated and
// signed ones alike), logs by filter, and evm_revert forgetting the blocks and transactions it undoes.
#include <gtest/gtest.h>

#include "sluice/core/keccak.hpp"
#include "sluice/l1/block_header.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::l1 {
namespace {

// LOG1 with topic 7 and no data: PUSH1 7 PUSH0 PUSH0 LOG1 STOP.
const Bytes kLogCode = {0x60, 0x07, 0x5f, 0x5f, 0xa1, 0x00};

TEST(DevchainRecords, BlocksTransactionsReceiptsAndLogs) {
    Devchain chain(dev_accounts_config());
    const Address logger = Address::from_hex("0x00000000000000000000000000000000000010c0").value();
    chain.set_code(logger, kLogCode);
    const Address alice = dev_account_address(0);
    const auto impersonated = chain.send(alice, logger, u256{}, {}, 100'000);
    ASSERT_TRUE(impersonated.ok()) << impersonated.error().describe();

    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = logger;
    tx.nonce = 1;
    tx.gas_limit = 100'000;
    const Bytes raw = sign_transaction(tx, u256{31337}, dev_account_key(0)).value();
    const auto signed_receipt = chain.send_raw(raw);
    ASSERT_TRUE(signed_receipt.ok()) << signed_receipt.error().describe();
    EXPECT_EQ(signed_receipt->transaction_hash, keccak256(raw));
    EXPECT_EQ(signed_receipt->from, alice);
    // The same transaction again: its nonce is used now.
    EXPECT_EQ(chain.send_raw(raw).error().code, Errc::tx_nonce_too_low);

    ASSERT_EQ(chain.blocks().size(), 3u);
    for (std::size_t i = 1; i < 3; ++i) {
        const Block& b = chain.blocks()[i];
        EXPECT_EQ(b.parent_hash, chain.blocks()[i - 1].hash);
        EXPECT_EQ(b.hash, keccak256(header_rlp(b, chain.config().revision)));
        EXPECT_EQ(chain.block_by_hash(b.hash), &b);
        ASSERT_EQ(chain.transactions_of(b).size(), 1u);
        EXPECT_EQ(chain.transactions_of(b)[0].receipt.block_hash, b.hash);
    }
    const TransactionRecord* first = chain.transaction(impersonated->transaction_hash);
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first->receipt.block_number, 1);
    EXPECT_NE(impersonated->transaction_hash, signed_receipt->transaction_hash);

    LogFilter filter;
    filter.to_block = 10;
    filter.addresses = {logger};
    filter.topics = {{u256{7}.to_be()}};
    const auto logs = chain.logs(filter, 100);
    ASSERT_TRUE(logs.ok());
    ASSERT_EQ(logs->size(), 2u);
    EXPECT_EQ((*logs)[1].transaction_hash, signed_receipt->transaction_hash);
    EXPECT_EQ((*logs)[1].block_number, 2);
    EXPECT_EQ(chain.logs(filter, 1).error().code, Errc::rpc_too_many_results);
    filter.topics = {{u256{8}.to_be()}};
    EXPECT_TRUE(chain.logs(filter, 100)->empty());
}

TEST(DevchainRecords, RevertForgetsTheBlocksAndTransactionsItUndoes) {
    Devchain chain(dev_accounts_config());
    const SnapshotId id = chain.snapshot();
    const auto r = chain.send(dev_account_address(0), dev_account_address(1), u256{1}, {});
    ASSERT_TRUE(r.ok());
    const Hash block_hash = chain.latest_block().hash;
    ASSERT_NE(chain.transaction(r->transaction_hash), nullptr);
    ASSERT_TRUE(chain.revert(id).ok());
    EXPECT_EQ(chain.transaction(r->transaction_hash), nullptr);
    EXPECT_EQ(chain.block_by_hash(block_hash), nullptr);
    EXPECT_EQ(chain.blocks().size(), 1u);
    EXPECT_TRUE(chain.transactions().empty());
    // Mined again, the same transaction gets the same hash and is found again.
    const auto again = chain.send(dev_account_address(0), dev_account_address(1), u256{1}, {});
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->transaction_hash, r->transaction_hash);
    EXPECT_NE(chain.transaction(again->transaction_hash), nullptr);
}

}  // namespace
}  // namespace sluice::l1
