// TxSigner against the real devchain through InProcessL1Client: nonces, gas and fee estimation, caps,
// refusals that release the nonce, resync after nonce too low, fee bumps (through a decorator that holds
// sends back, since the devchain mines at once) and recovery from the journal after a restart.
#include "sluice/l1/tx_signer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>

#include "sluice/core/keccak.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/signed_transaction.hpp"
#include "support/forwarding_l1_client.hpp"
#include "support/run_async.hpp"

namespace sluice::l1 {
namespace {

using testing::ForwardingL1Client;
using testing::run_async;

const u256 kGwei{1'000'000'000ULL};
const Address kPayee = Address::from_hex("0x00000000000000000000000000000000000000b0").value();

DevchainConfig fee_chain_config() {
    DevchainConfig config = dev_accounts_config();
    config.base_fee = kGwei;
    config.priority_fee = kGwei;
    return config;
}

// A clock that moves one minute each time it is read, so "not mined within 5 minutes" happens after a few
// polls without any test sleeping.
struct SteppingClock {
    std::shared_ptr<std::atomic<std::int64_t>> minutes = std::make_shared<std::atomic<std::int64_t>>(0);
    SignerClock clock() const {
        return [m = minutes] {
            return std::chrono::steady_clock::time_point{} + std::chrono::minutes(m->fetch_add(1));
        };
    }
};

struct SignerTest : ::testing::Test {
    Devchain chain{fee_chain_config()};
    RpcDispatcher dispatcher{chain};
    InProcessL1Client client{dispatcher};
    ForwardingL1Client node{client};
    MemorySignerJournal journal;

    SignerOptions options() const {
        SignerOptions o;
        o.poll_interval = std::chrono::milliseconds(0);
        o.resubmit_after = std::chrono::minutes(5);
        o.wait_timeout = std::chrono::minutes(60);
        o.clock = SteppingClock{}.clock();
        return o;
    }
    std::unique_ptr<TxSigner> start(SignerOptions o, std::size_t account = 0) {
        auto s = run_async(TxSigner::start(node, dev_account_key(account), journal, std::move(o)));
        EXPECT_TRUE(s.ok()) << s.error().describe();
        return std::move(s).value();
    }
    static TxRequest transfer(std::optional<std::uint64_t> gas = 21'000) {
        return TxRequest{kPayee, u256{1000}, {}, gas};
    }
    const TransactionRecord& mined(const Hash& hash) {
        const TransactionRecord* r = chain.transaction(hash);
        EXPECT_NE(r, nullptr);
        return *r;
    }
};

TEST_F(SignerTest, SubmitsConsecutiveNoncesWithEstimatedGasAndFees) {
    auto signer = start(options());
    std::vector<Hash> hashes;
    for (int i = 0; i < 3; ++i) {
        auto h = run_async(signer->submit(transfer(std::nullopt)));
        ASSERT_TRUE(h.ok()) << h.error().describe();
        hashes.push_back(*h);
    }
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        auto receipt = run_async(signer->wait(hashes[i]));
        ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
        EXPECT_TRUE(receipt->status);
        const evm::Transaction& tx = mined(hashes[i]).signed_tx.tx;
        EXPECT_EQ(tx.nonce, i);
        EXPECT_EQ(tx.type, evm::TxType::dynamic_fee);
        EXPECT_EQ(tx.gas_limit, 25'200u);  // 21000 + 20%
        EXPECT_EQ(tx.max_priority_fee_per_gas, kGwei);
        EXPECT_EQ(tx.max_fee_per_gas, u256{3} * kGwei);  // 2 x base fee + tip
    }
    EXPECT_EQ(signer->next_nonce(), 3u);
}

TEST_F(SignerTest, TipComesFromTheFeeHistoryOfBusyBlocks) {
    // Blocks whose transactions paid a 5 gwei tip: the median reward is what the signer offers.
    {
        const std::lock_guard lock(client.chain_mutex());
        for (std::uint64_t n = 0; n < 3; ++n) {
            evm::Transaction tx;
            tx.type = evm::TxType::dynamic_fee;
            tx.nonce = n;
            tx.to = kPayee;
            tx.gas_limit = 21'000;
            tx.max_priority_fee_per_gas = u256{5} * kGwei;
            tx.max_fee_per_gas = u256{10} * kGwei;
            ASSERT_TRUE(chain.send_raw(sign_transaction(tx, u256{31337}, dev_account_key(1)).value()).ok());
        }
    }
    auto fees = run_async(FeePolicy{}.estimate(node));
    ASSERT_TRUE(fees.ok()) << fees.error().describe();
    EXPECT_FALSE(fees->legacy);
    EXPECT_EQ(fees->max_priority_fee_per_gas, u256{5} * kGwei);
    EXPECT_EQ(fees->max_fee_per_gas, u256{7} * kGwei);
}

TEST_F(SignerTest, RevertAtEstimationIsTypedAndNothingIsSent) {
    const Address reverter = Address::from_hex("0x00000000000000000000000000000000000000c1").value();
    {
        const std::lock_guard lock(client.chain_mutex());
        const Bytes code{0x60, 0x00, 0x60, 0x00, 0xfd};  // REVERT(0, 0)
        chain.set_code(reverter, code);
    }
    auto signer = start(options());
    auto h = run_async(signer->submit(TxRequest{reverter, u256{}, {}, std::nullopt}));
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, Errc::l1_reverted);
    EXPECT_EQ(node.sends_seen(), 0);
    EXPECT_EQ(signer->next_nonce(), 0u);
}

TEST_F(SignerTest, CapBelowTheBaseFeeIsRefusedBeforeSigning) {
    SignerOptions o = options();
    o.fees.caps.max_fee_per_gas = kGwei;  // base fee 1 gwei + tip 1 gwei do not fit
    auto signer = start(o);
    auto h = run_async(signer->submit(transfer()));
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, Errc::signer_fee_above_cap);
    EXPECT_EQ(node.sends_seen(), 0);
    EXPECT_TRUE(journal.entries().empty());
}

TEST_F(SignerTest, TipAboveItsCapIsRefused) {
    SignerOptions o = options();
    o.fees.caps.max_priority_fee_per_gas = kGwei - u256{1};
    auto signer = start(o);
    auto h = run_async(signer->submit(transfer()));
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, Errc::signer_fee_above_cap);
    EXPECT_EQ(node.sends_seen(), 0);
}

TEST_F(SignerTest, MaxFeeHeadroomIsClampedToTheCap) {
    SignerOptions o = options();
    o.fees.caps.max_fee_per_gas = u256{2} * kGwei + u256{1};
    auto signer = start(o);
    auto h = run_async(signer->submit(transfer()));
    ASSERT_TRUE(h.ok()) << h.error().describe();
    EXPECT_EQ(mined(*h).signed_tx.tx.max_fee_per_gas, u256{2} * kGwei + u256{1});
}

TEST_F(SignerTest, UnknownKeyIsRefusedAndItsNonceReleased) {
    const PrivateKey stranger = PrivateKey::generate();
    auto s = run_async(TxSigner::start(node, stranger, journal, options()));
    ASSERT_TRUE(s.ok());
    auto signer = std::move(s).value();
    auto h = run_async(signer->submit(transfer()));
    ASSERT_FALSE(h.ok());
    EXPECT_EQ(h.error().code, Errc::tx_insufficient_funds);
    EXPECT_EQ(signer->next_nonce(), 0u);
    {
        const std::lock_guard lock(client.chain_mutex());
        chain.set_balance(stranger.address(), u256{1'000'000} * kGwei);
    }
    auto again = run_async(signer->submit(transfer()));
    ASSERT_TRUE(again.ok()) << again.error().describe();
    EXPECT_EQ(mined(*again).signed_tx.tx.nonce, 0u);
}

TEST_F(SignerTest, NodeThatRefusesEverythingLeavesNoGap) {
    auto signer = start(options());
    node.refuse_all(make_error(Errc::l1_transport, "connection refused"));
    for (int i = 0; i < 3; ++i) {
        auto h = run_async(signer->submit(transfer()));
        ASSERT_FALSE(h.ok());
        EXPECT_EQ(h.error().code, Errc::l1_transport);
    }
    EXPECT_EQ(signer->next_nonce(), 0u);
    // Each refused raw transaction is journaled as released, so recovery never re-broadcasts it.
    const auto entries = journal.entries();
    ASSERT_EQ(entries.size(), 6u);
    EXPECT_EQ(entries[1].kind, JournalEntry::Kind::released);
    const Hash refused = keccak256(entries[0].raw);
    EXPECT_EQ(entries[1].raw, Bytes(refused.begin(), refused.end()));
    node.refuse_all(std::nullopt);
    auto h = run_async(signer->submit(transfer()));
    ASSERT_TRUE(h.ok()) << h.error().describe();
    EXPECT_EQ(mined(*h).signed_tx.tx.nonce, 0u);
}

TEST_F(SignerTest, NonceTooLowResyncsFromThePendingNonce) {
    auto signer = start(options());
    {
        // The same key used behind the signer's back.
        const std::lock_guard lock(client.chain_mutex());
        ASSERT_TRUE(chain.send(dev_account_address(0), kPayee, u256{1}, {}).ok());
    }
    auto h = run_async(signer->submit(transfer()));
    ASSERT_TRUE(h.ok()) << h.error().describe();
    EXPECT_EQ(mined(*h).signed_tx.tx.nonce, 1u);
    EXPECT_EQ(signer->next_nonce(), 2u);
}

TEST_F(SignerTest, TransactionNotMinedInTimeIsReplacedWithHigherFees) {
    auto signer = start(options());
    node.hold_next_sends(1);
    auto first = run_async(signer->submit(transfer()));
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(chain.transaction(*first), nullptr);  // held back: not mined
    auto receipt = run_async(signer->wait(*first));
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    const auto hashes = signer->hashes_of(0);
    ASSERT_EQ(hashes.size(), 2u);
    EXPECT_EQ(hashes[0], *first);
    EXPECT_EQ(receipt->transaction_hash, hashes[1]);
    const auto original = decode_transaction(node.held().at(0)).value().tx;
    const evm::Transaction& replacement = mined(hashes[1]).signed_tx.tx;
    EXPECT_EQ(replacement.nonce, 0u);
    EXPECT_GE(replacement.max_fee_per_gas * u256{10}, original.max_fee_per_gas * u256{11});
    EXPECT_GE(replacement.max_priority_fee_per_gas * u256{10}, original.max_priority_fee_per_gas * u256{11});
}

TEST_F(SignerTest, UnderpricedReplacementIsBumpedFurther) {
    auto signer = start(options());
    node.hold_next_sends(1);
    auto first = run_async(signer->submit(transfer()));
    ASSERT_TRUE(first.ok());
    node.refuse_next_sends(
        {make_error(Errc::l1_replacement_underpriced, "replacement transaction underpriced")});
    auto receipt = run_async(signer->wait(*first));
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    EXPECT_EQ(node.sends_seen(), 3);
    const evm::Transaction& mined_tx = mined(receipt->transaction_hash).signed_tx.tx;
    // Two bumps of 10% each over the first tip of 1 gwei.
    EXPECT_GE(mined_tx.max_priority_fee_per_gas, kGwei * u256{121} / u256{100});
}

TEST_F(SignerTest, WaitReportsTheOriginalWhenItIsTheOneMined) {
    auto signer = start(options());
    node.hold_next_sends(1);
    auto first = run_async(signer->submit(transfer()));
    ASSERT_TRUE(first.ok());
    // The pool finally mines the original; the replacement then meets "nonce too low".
    ASSERT_TRUE(run_async(client.send_raw_transaction(node.held().at(0))).ok());
    auto receipt = run_async(signer->wait(*first));
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    EXPECT_EQ(receipt->transaction_hash, *first);
}

TEST_F(SignerTest, CapWithoutRoomForABumpKeepsWaitingUntilTheTimeout) {
    SignerOptions o = options();
    o.fees.caps.max_fee_per_gas = u256{3} * kGwei;
    o.fees.caps.max_priority_fee_per_gas = kGwei;
    o.wait_timeout = std::chrono::minutes(30);
    auto signer = start(o);
    node.hold_next_sends(1);
    auto first = run_async(signer->submit(transfer()));
    ASSERT_TRUE(first.ok());
    auto receipt = run_async(signer->wait(*first));
    ASSERT_FALSE(receipt.ok());
    EXPECT_EQ(receipt.error().code, Errc::l1_timeout);
    EXPECT_EQ(node.sends_seen(), 1);  // no replacement could be within the cap
}

TEST_F(SignerTest, WaitForAnUnknownHashIsTyped) {
    auto signer = start(options());
    auto receipt = run_async(signer->wait(keccak256(as_bytes("not ours"))));
    ASSERT_FALSE(receipt.ok());
    EXPECT_EQ(receipt.error().code, Errc::signer_unknown_transaction);
}

TEST_F(SignerTest, SuperviseBumpsOverdueTransactions) {
    auto signer = start(options());
    node.hold_next_sends(2);
    ASSERT_TRUE(run_async(signer->submit(transfer())).ok());
    ASSERT_TRUE(run_async(signer->submit(transfer())).ok());
    std::size_t unmined = 2;
    for (int pass = 0; pass < 20 && unmined > 0; ++pass) {
        auto r = run_async(signer->supervise_once());
        ASSERT_TRUE(r.ok()) << r.error().describe();
        unmined = *r;
    }
    EXPECT_EQ(unmined, 0u);
    EXPECT_EQ(signer->hashes_of(0).size(), 2u);
    EXPECT_EQ(signer->hashes_of(1).size(), 2u);
    EXPECT_NE(chain.transaction(signer->hashes_of(1).back()), nullptr);
}

TEST_F(SignerTest, RestartRebroadcastsWhatTheNodeLost) {
    std::vector<Hash> sent;
    {
        auto first_life = start(options());
        node.hold_next_sends(2);
        for (int i = 0; i < 2; ++i)
            sent.push_back(run_async(first_life->submit(transfer())).value());
    }
    node.forget_held();  // the node restarted with an empty pool
    auto signer = start(options());
    EXPECT_EQ(signer->recovery().latest_nonce, 0u);
    EXPECT_EQ(signer->recovery().pending_nonce, 0u);
    EXPECT_EQ(signer->recovery().rebroadcast, (std::vector<std::uint64_t>{0, 1}));
    EXPECT_TRUE(signer->recovery().failed.empty());
    for (const Hash& h : sent)
        EXPECT_NE(chain.transaction(h), nullptr);  // the very same bytes
    EXPECT_EQ(signer->next_nonce(), 2u);
    auto third = run_async(signer->submit(transfer()));
    ASSERT_TRUE(third.ok());
    EXPECT_EQ(mined(*third).signed_tx.tx.nonce, 2u);
}

TEST_F(SignerTest, RestartBumpsWhatIsStillPending) {
    std::vector<Hash> sent;
    {
        auto first_life = start(options());
        node.hold_next_sends(2);
        for (int i = 0; i < 2; ++i)
            sent.push_back(run_async(first_life->submit(transfer())).value());
    }
    // The node still holds both in its pool: pending nonce 2, latest 0.
    auto signer = start(options());
    EXPECT_EQ(signer->recovery().pending_nonce, 2u);
    EXPECT_EQ(signer->recovery().bumped, (std::vector<std::uint64_t>{0, 1}));
    for (std::uint64_t n = 0; n < 2; ++n) {
        const auto hashes = signer->hashes_of(n);
        ASSERT_EQ(hashes.size(), 2u);
        EXPECT_EQ(hashes[0], sent[n]);
        EXPECT_NE(chain.transaction(hashes[1]), nullptr);
        auto receipt = run_async(signer->wait(sent[n]));
        ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
        EXPECT_EQ(receipt->transaction_hash, hashes[1]);
    }
}

TEST_F(SignerTest, RecoveryStopsAtALostNonceItCannotSendAndContinuesFromThere) {
    {
        auto first_life = start(options());
        node.hold_next_sends(2);
        ASSERT_TRUE(run_async(first_life->submit(transfer())).ok());
        ASSERT_TRUE(run_async(first_life->submit(transfer())).ok());
    }
    node.forget_held();
    node.refuse_next_sends({make_error(Errc::l1_tx_rejected, "no"), make_error(Errc::l1_tx_rejected, "no")});
    auto signer = start(options());
    ASSERT_EQ(signer->recovery().failed.size(), 2u);
    EXPECT_EQ(signer->recovery().failed[0].first, 0u);
    EXPECT_EQ(signer->next_nonce(), 0u);
    auto h = run_async(signer->submit(transfer()));
    ASSERT_TRUE(h.ok()) << h.error().describe();
    EXPECT_EQ(mined(*h).signed_tx.tx.nonce, 0u);
}

TEST_F(SignerTest, LegacyGasPriceOnAChainWithoutBaseFee) {
    DevchainConfig config = dev_accounts_config();
    config.revision = evm::Revision::berlin;
    config.priority_fee = kGwei;
    Devchain berlin(config);
    RpcDispatcher d(berlin);
    InProcessL1Client c(d);
    auto s = run_async(TxSigner::start(c, dev_account_key(0), journal, options()));
    ASSERT_TRUE(s.ok()) << s.error().describe();
    auto h = run_async((*s)->submit(transfer()));
    ASSERT_TRUE(h.ok()) << h.error().describe();
    const evm::Transaction& tx = berlin.transaction(*h)->signed_tx.tx;
    EXPECT_EQ(tx.type, evm::TxType::legacy);
    EXPECT_EQ(tx.gas_price, kGwei);
}

}  // namespace
}  // namespace sluice::l1
