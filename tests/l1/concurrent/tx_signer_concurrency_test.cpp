// TxSigner under concurrent submissions (label concurrent, run under TSan): 100 submissions from 8
// coroutines on one executor, and from coroutines on a 2-thread pool; the sender's mined history must hold
// exactly the nonces 0..99, each once, and the node's nonce must be 100.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <mutex>
#include <set>

#include "../support/run_async.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/tx_signer.hpp"

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;
using testing::run_async;

constexpr int kSubmissions = 100;
constexpr int kWorkers = 8;
const Address kPayee = Address::from_hex("0x00000000000000000000000000000000000000b0").value();

struct Outcomes {
    std::mutex mutex;
    std::vector<Hash> hashes;
    std::vector<Error> errors;
};

asio::awaitable<void> submit_share(TxSigner& signer, int count, Outcomes& out) {
    for (int i = 0; i < count; ++i) {
        // Half with a given gas limit, half estimated: both paths race for nonces.
        std::optional<std::uint64_t> gas;
        if (i % 2 == 0) gas = 21'000;
        auto h = co_await signer.submit(TxRequest{kPayee, u256{1}, {}, gas});
        const std::lock_guard lock(out.mutex);
        if (h.ok()) {
            out.hashes.push_back(*h);
        } else {
            out.errors.push_back(h.error());
        }
    }
}

struct ConcurrencyTest : ::testing::Test {
    Devchain chain{[] {
        DevchainConfig c = dev_accounts_config();
        c.base_fee = u256{1'000'000'000ULL};
        c.priority_fee = u256{1'000'000'000ULL};
        return c;
    }()};
    RpcDispatcher dispatcher{chain};
    InProcessL1Client client{dispatcher};
    MemorySignerJournal journal;

    void expect_history(const Outcomes& out) {
        for (const Error& e : out.errors)
            ADD_FAILURE() << e.describe();
        ASSERT_EQ(out.hashes.size(), static_cast<std::size_t>(kSubmissions));
        const Address sender = dev_account_address(0);
        std::multiset<std::uint64_t> nonces;
        for (const TransactionRecord& r : chain.transactions())
            if (r.signed_tx.tx.sender == sender) nonces.insert(r.signed_tx.tx.nonce);
        std::multiset<std::uint64_t> expected;
        for (std::uint64_t n = 0; n < kSubmissions; ++n)
            expected.insert(n);
        EXPECT_EQ(nonces, expected);
        for (const Hash& h : out.hashes)
            EXPECT_NE(chain.transaction(h), nullptr);
        EXPECT_EQ(run_async(client.nonce(sender, BlockTag::latest())).value(), std::uint64_t{kSubmissions});
    }
};

TEST_F(ConcurrencyTest, EightCoroutinesOnOneExecutor) {
    auto signer = run_async(TxSigner::start(client, dev_account_key(0), journal)).value();
    Outcomes out;
    asio::io_context io;
    for (int w = 0; w < kWorkers; ++w) {
        const int share = kSubmissions / kWorkers + (w < kSubmissions % kWorkers ? 1 : 0);
        asio::co_spawn(io, submit_share(*signer, share, out), asio::detached);
    }
    io.run();
    expect_history(out);
}

TEST_F(ConcurrencyTest, CoroutinesOnTwoThreads) {
    auto signer = run_async(TxSigner::start(client, dev_account_key(0), journal)).value();
    Outcomes out;
    asio::thread_pool pool(2);
    for (int w = 0; w < kWorkers; ++w) {
        const int share = kSubmissions / kWorkers + (w < kSubmissions % kWorkers ? 1 : 0);
        asio::co_spawn(pool, submit_share(*signer, share, out), asio::detached);
    }
    pool.join();
    expect_history(out);
}

}  // namespace
}  // namespace sluice::l1
