// The devchain's data dir (chain_store.hpp) on real SQLite files: a reopened chain is the same chain (blocks,
// hashes, receipts, logs, state, time) and goes on from there; another chain, a second process, a file that
// is not a database and a tampered row are refused with typed errors.
#include "sluice/l1/chain_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/sqlite/database.hpp"
#include "dev_transfer.hpp"
#include "support/temp_dir.hpp"

namespace sluice::l1 {
namespace {

const u256 kEther = u256{1'000'000'000'000'000'000ULL};

struct ChainStoreTest : sluice::testing::TempDirTest {

    static DevchainConfig config() {
        DevchainConfig c;
        c.base_fee = u256{1'000'000'000};
        c.base_fee_adjusts = true;
        for (std::size_t i = 0; i < 3; ++i)
            c.genesis.push_back({dev_account_address(i), 100 * kEther});
        return c;
    }
    Devchain open() {
        auto chain = Devchain::open(config(), dir);
        EXPECT_TRUE(chain.ok()) << chain.error().describe();
        return std::move(chain).value();
    }
};

Bytes calldata(const char* signature, const AbiValue& args) {
    return AbiFunction::parse(signature).value().encode_call(args).value();
}

Address deploy_token(Devchain& chain) {
    const auto json = nlohmann::json::parse(contracts::artifact_json("TestToken"));
    const Bytes code = from_hex(json.at("bytecode").get<std::string>()).value();
    const Bytes args = encode_params(AbiType::parse("(string,string)").value(),
                                     AbiValue::list({AbiValue::string("Test"), AbiValue::string("TST")}))
                           .value();
    const auto deployed = chain.deploy(dev_account_address(0), code, args);
    EXPECT_TRUE(deployed.ok()) << deployed.error().describe();
    return deployed->address;
}

// A signed EIP-1559 transfer from dev account `from` at its next nonce, paying twice the next base fee.
Bytes signed_transfer(const Devchain& chain, std::size_t from, const Address& to, const u256& value) {
    return testing::signed_dev_tx({from, chain.pending_nonce(dev_account_address(from)), to, value, 21'000,
                                   chain.next_base_fee() * u256{2}, u256{1}});
}

TEST_F(ChainStoreTest, AReopenedChainIsTheSameChainAndGoesOn) {
    Hash head_hash;
    std::int64_t head = 0;
    Address token;
    Hash transfer_hash;
    std::size_t tx_count = 0;
    Hash state_root;
    {
        Devchain chain = open();
        token = deploy_token(chain);
        const auto minted = chain.send(dev_account_address(0), token, u256{},
                                       calldata("mint(address,uint256)",
                                                AbiValue::list({AbiValue::address(dev_account_address(1)),
                                                                AbiValue::uint(77)})));
        ASSERT_TRUE(minted.ok() && minted->status);
        const auto sent = chain.send_raw(signed_transfer(chain, 2, dev_account_address(1), kEther));
        ASSERT_TRUE(sent.ok()) << sent.error().describe();
        transfer_hash = sent->transaction_hash;
        chain.set_balance(dev_account_address(5), 7 * kEther);
        ASSERT_TRUE(chain.increase_time(1000).ok());
        head_hash = chain.latest_block().hash;
        head = chain.latest_block().number;
        tx_count = chain.transactions().size();
        state_root = chain.state().state_root();
    }
    Devchain chain = open();
    EXPECT_EQ(chain.latest_block().number, head);
    EXPECT_EQ(chain.latest_block().hash, head_hash);
    EXPECT_EQ(chain.transactions().size(), tx_count);
    EXPECT_EQ(chain.state().state_root(), state_root);
    EXPECT_EQ(chain.balance(dev_account_address(5)), 7 * kEther);
    EXPECT_EQ(chain.nonce(dev_account_address(2)), 1u);
    // Receipts and logs as they were: the raw transfer (a real signature) and the mint's Transfer event.
    const TransactionRecord* transfer = chain.transaction(transfer_hash);
    ASSERT_NE(transfer, nullptr);
    EXPECT_TRUE(transfer->receipt.status);
    EXPECT_EQ(transfer->receipt.from, dev_account_address(2));
    EXPECT_EQ(transfer->receipt.block_hash, chain.block(transfer->receipt.block_number)->hash);
    LogFilter filter;
    filter.to_block = head;
    filter.addresses = {token};
    const auto logs = chain.logs(filter, 100);
    ASSERT_TRUE(logs.ok());
    ASSERT_EQ(logs->size(), 1u);
    EXPECT_EQ((*logs)[0].log.topics.size(), 3u);
    // Contract storage survived: the token still knows the balance it minted.
    const auto balance = chain.call(dev_account_address(1), token,
                                    calldata("balanceOf(address)",
                                             AbiValue::list({AbiValue::address(dev_account_address(1))})));
    ASSERT_TRUE(balance.ok() && balance->status);
    EXPECT_EQ(u256::from_be(balance->output), u256{77});
    // Time pushed forward before the restart still applies to the next block, and the chain goes on.
    const std::int64_t before = chain.latest_block().timestamp;
    const auto next = chain.send_raw(signed_transfer(chain, 2, dev_account_address(0), kEther));
    ASSERT_TRUE(next.ok()) << next.error().describe();
    EXPECT_EQ(chain.latest_block().number, head + 1);
    EXPECT_EQ(chain.latest_block().parent_hash, head_hash);
    EXPECT_GE(chain.latest_block().timestamp, before + 1000);
}

TEST_F(ChainStoreTest, ARevertIsKeptToo) {
    std::int64_t reverted_to = 0;
    {
        Devchain chain = open();
        ASSERT_TRUE(chain.send_raw(signed_transfer(chain, 0, dev_account_address(1), kEther)).ok());
        const SnapshotId snap = chain.snapshot();
        reverted_to = chain.latest_block().number;
        ASSERT_TRUE(chain.send_raw(signed_transfer(chain, 0, dev_account_address(1), kEther)).ok());
        ASSERT_TRUE(chain.revert(snap).ok());
    }
    Devchain chain = open();
    EXPECT_EQ(chain.latest_block().number, reverted_to);
    EXPECT_EQ(chain.nonce(dev_account_address(0)), 1u);
}

TEST_F(ChainStoreTest, AnotherChainIsRefused) {
    { Devchain chain = open(); }
    DevchainConfig other_id = config();
    other_id.chain_id = 1337;
    const auto by_id = Devchain::open(other_id, dir);
    ASSERT_FALSE(by_id.ok());
    EXPECT_EQ(by_id.error().code, Errc::devchain_store_mismatch);
    DevchainConfig other_genesis = config();
    other_genesis.genesis.push_back({dev_account_address(9), kEther});
    const auto by_genesis = Devchain::open(other_genesis, dir);
    ASSERT_FALSE(by_genesis.ok());
    EXPECT_EQ(by_genesis.error().code, Errc::devchain_store_mismatch);
    EXPECT_NE(by_genesis.error().message.find("genesis"), std::string::npos);
}

TEST_F(ChainStoreTest, TheFileBelongsToOneChainAtATime) {
    Devchain first = open();
    const auto second = Devchain::open(config(), dir);
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, Errc::store_busy) << second.error().describe();
    // The first one is unharmed and keeps writing.
    EXPECT_TRUE(first.send_raw(signed_transfer(first, 0, dev_account_address(1), kEther)).ok());
    EXPECT_TRUE(first.store_status().ok());
}

TEST_F(ChainStoreTest, AFileThatIsNotADatabaseIsRefused) {
    std::filesystem::create_directories(dir);
    {
        std::ofstream out(dir / "chain.sqlite", std::ios::binary);
        out << std::string(4096, '\x5a');
    }
    const auto chain = Devchain::open(config(), dir);
    ASSERT_FALSE(chain.ok());
    EXPECT_EQ(chain.error().code, Errc::store_corrupt) << chain.error().describe();
}

TEST_F(ChainStoreTest, ATamperedRowIsFoundOnLoad) {
    {
        Devchain chain = open();
        ASSERT_TRUE(chain.send_raw(signed_transfer(chain, 0, dev_account_address(1), kEther)).ok());
    }
    {
        // Someone edits the stored balance of the recipient: the state no longer matches the block's root.
        auto db = sqlite::Database::open(dir / "chain.sqlite").value();
        auto edit = db.prepare("UPDATE accounts SET balance = ?1 WHERE address = ?2").value();
        const auto big = (1000 * kEther).to_be();
        ASSERT_TRUE(edit.bind(1, big.view()).bind(2, dev_account_address(1).view()).run().ok());
        EXPECT_EQ(db.changes(), 1);
    }
    auto chain = Devchain::open(config(), dir);
    ASSERT_FALSE(chain.ok());
    EXPECT_EQ(chain.error().code, Errc::store_corrupt);
    EXPECT_NE(chain.error().message.find("root"), std::string::npos) << chain.error().message;
    {
        // A block whose stored fields no longer hash to its stored hash.
        auto db = sqlite::Database::open(dir / "chain.sqlite").value();
        ASSERT_TRUE(db.exec("UPDATE blocks SET hash = zeroblob(32) WHERE number = 1").ok());
    }
    chain = Devchain::open(config(), dir);
    ASSERT_FALSE(chain.ok());
    EXPECT_EQ(chain.error().code, Errc::store_corrupt);
}

TEST_F(ChainStoreTest, IntervalMiningKeepsWholeBlocks) {
    DevchainConfig interval = config();
    interval.mining = MiningMode::interval;
    std::vector<Hash> hashes;
    {
        auto chain = Devchain::open(interval, dir).value();
        for (int i = 0; i < 5; ++i) {
            const auto h = chain.submit_raw(signed_transfer(chain, 0, dev_account_address(1), u256{100}));
            ASSERT_TRUE(h.ok()) << h.error().describe();
            hashes.push_back(*h);
        }
        chain.mine();
        ASSERT_EQ(chain.latest_block().transaction_count, 5u);
        // Pooled but not mined when the process goes: the mempool is not kept (chain_store.hpp).
        ASSERT_TRUE(chain.submit_raw(signed_transfer(chain, 0, dev_account_address(1), u256{100})).ok());
    }
    auto chain = Devchain::open(interval, dir).value();
    EXPECT_EQ(chain.latest_block().transaction_count, 5u);
    for (const Hash& h : hashes)
        EXPECT_NE(chain.transaction(h), nullptr);
    EXPECT_TRUE(chain.mempool().empty());
    EXPECT_EQ(chain.nonce(dev_account_address(0)), 5u);
}

}  // namespace
}  // namespace sluice::l1
