// ForkState: a transaction executed locally on a fork of the node's state predicts exactly what the node
// then mines (status, gas, logs, return data), on the in-process devchain and, via run_with_node.sh, on a
// sluice-devchain process and on hardhat node (where the fork reads through eth_getProof and the plain
// reads).
#include "sluice/l1/fork_state.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <cstdlib>
#include <thread>

#include "sluice/evm/transaction_processor.hpp"
#include "support/l1_backend.hpp"
#include "support/l1_scenario.hpp"

namespace sluice::l1 {
namespace {

using namespace testing;

// hardhat's network runs Cancun (contracts/hardhat.config.js); the devchain Prague.
evm::Revision node_revision() {
    const char* kind = std::getenv("SLUICE_L1_KIND");
    return kind && std::string(kind) == "hardhat" ? evm::Revision::cancun : evm::Revision::prague;
}

// The io_context serves the client on a thread of its own while the EVM runs on the test's thread.
class IoThread {
  public:
    explicit IoThread(boost::asio::io_context& io) : io_(io), guard_(io.get_executor()) {
        io_.restart();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~IoThread() {
        guard_.reset();
        thread_.join();
    }

  private:
    boost::asio::io_context& io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    std::thread thread_;
};

Async<bool> set_next_timestamp(JsonRpcL1Client& client, std::int64_t timestamp) {
    nlohmann::json params = nlohmann::json::array({timestamp});
    SLUICE_CO_TRY(const auto done, co_await client.request("evm_setNextBlockTimestamp", std::move(params)));
    (void)done;
    co_return true;
}

evm::Transaction transfer_tx(const Address& token, const Address& to, std::uint64_t amount,
                             std::uint64_t nonce, const BlockSummary& head) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = token;
    tx.nonce = nonce;
    tx.gas_limit = 200'000;
    tx.data = calldata("transfer(address,uint256)",
                       AbiValue::list({AbiValue::address(to), AbiValue::uint(u256{amount})}));
    tx.max_priority_fee_per_gas = u256{1'000'000'000};
    tx.max_fee_per_gas = head.base_fee.value_or(u256{}) * u256{2} + tx.max_priority_fee_per_gas;
    return tx;
}

TEST(L1ClientForkTest, LocalExecutionPredictsWhatTheNodeMines) {
    auto backend = make_l1_backend();
    JsonRpcL1Client& client = *backend->client;
    const auto holder = backend->run(funded_account(client, 10));
    ASSERT_TRUE(holder.ok()) << holder.error().describe();
    const auto deployed =
        backend->run(send_and_wait(client, dev_account_key(10), std::nullopt, {}, token_creation_code()));
    ASSERT_TRUE(deployed.ok() && deployed->status);
    const Address token = *deployed->contract_address;
    ASSERT_TRUE(backend
                    ->run(send_and_wait(client, dev_account_key(10), token, {},
                                        calldata("mint(address,uint256)",
                                                 AbiValue::list({AbiValue::address(holder->address()),
                                                                 AbiValue::uint(u256{1000})}))))
                    .ok());
    const u256 chain_id = backend->run(client.chain_id()).value();
    const Address payee = PrivateKey::generate().address();

    // Two transactions, predicted one after the other on forks of the latest state: a transfer that
    // succeeds, then one above the remaining balance that reverts (and is mined, charging gas).
    for (const std::uint64_t amount : {std::uint64_t{400}, std::uint64_t{700}}) {
        const BlockSummary head = backend->run(client.block(BlockTag::latest())).value().value();
        const std::uint64_t nonce = backend->run(client.nonce(holder->address(), BlockTag::latest())).value();
        const std::int64_t timestamp = head.timestamp + 12;
        evm::Transaction tx = transfer_tx(token, payee, amount, nonce, head);
        tx.sender = holder->address();

        Result<evm::TxExecution> local = make_error(Errc::internal, "not run");
        std::uint64_t reads_first = 0;
        {
            IoThread serving(backend->io);
            auto fork = ForkState::pin(client, backend->io.get_executor(), BlockTag::at(head.number));
            ASSERT_TRUE(fork.ok()) << fork.error().describe();
            const evm::BlockInfo next = (*fork)->next_block_info(timestamp);
            local = evm::apply_transaction(**fork, next, tx, node_revision());
            ASSERT_TRUE((*fork)->status().ok()) << (*fork)->status().error().describe();
            reads_first = (*fork)->reads();
            EXPECT_GT(reads_first, 0u);
            // Everything is cached now: the same execution again asks the node nothing.
            const auto again = evm::apply_transaction(**fork, next, tx, node_revision());
            ASSERT_TRUE(again.ok());
            EXPECT_EQ((*fork)->reads(), reads_first);
            EXPECT_EQ(again->receipt.gas_used, local->receipt.gas_used);
        }
        ASSERT_TRUE(local.ok()) << local.error().describe();

        const auto timed = backend->run(set_next_timestamp(client, timestamp));
        ASSERT_TRUE(timed.ok()) << timed.error().describe();
        const Bytes raw = sign_transaction(tx, chain_id, *holder).value();
        const auto hash = backend->run(client.send_raw_transaction(raw));
        ASSERT_TRUE(hash.ok()) << hash.error().describe();
        ReceiptWait wait;
        wait.poll_interval = kPoll;
        const auto mined = backend->run(client.wait_for_receipt(*hash, wait));
        ASSERT_TRUE(mined.ok()) << mined.error().describe();
        EXPECT_EQ(mined->block_number, head.number + 1);
        // The context the prediction assumed is the one the node mined in (receipts carry no timestamp).
        const auto mined_block = backend->run(client.block_by_hash(mined->block_hash));
        ASSERT_TRUE(mined_block.ok() && mined_block->has_value());
        EXPECT_EQ((*mined_block)->timestamp, timestamp);
        EXPECT_EQ(mined->status, local->receipt.status == evm::StatusCode::success)
            << "amount " << amount << ", local output " << to_hex(local->output);
        EXPECT_EQ(mined->status, amount == 400);
        EXPECT_EQ(mined->gas_used, local->receipt.gas_used) << "amount " << amount;
        ASSERT_EQ(mined->logs.size(), local->receipt.logs.size());
        for (std::size_t i = 0; i < mined->logs.size(); ++i) {
            EXPECT_EQ(mined->logs[i].address, local->receipt.logs[i].address);
            EXPECT_EQ(mined->logs[i].topics, local->receipt.logs[i].topics);
            EXPECT_EQ(mined->logs[i].data, local->receipt.logs[i].data);
        }
    }
}

TEST(ForkStateTest, ANodeThatFailsMakesTheForkVoid) {
    // A node that is not there: pinning fails with the transport's error, nothing is cached.
    boost::asio::io_context io;
    auto client = HttpL1Client::connect(io.get_executor(), "http://127.0.0.1:1/", {}, {}).value();
    IoThread serving(io);
    const auto fork = ForkState::pin(*client, io.get_executor(), BlockTag::latest());
    ASSERT_FALSE(fork.ok());
    EXPECT_EQ(fork.error().code, Errc::l1_transport) << fork.error().describe();
}

TEST(ForkStateTest, TheNextBaseFeeFollowsEip1559) {
    const u256 base{1'000'000'000};
    EXPECT_EQ(next_base_fee(base, 15'000'000, 30'000'000), base);
    EXPECT_EQ(next_base_fee(base, 30'000'000, 30'000'000), u256{1'125'000'000});
    EXPECT_EQ(next_base_fee(base, 0, 30'000'000), u256{875'000'000});
    EXPECT_EQ(next_base_fee(u256{7}, 15'000'001, 30'000'000), u256{8});  // at least +1 when above target
}

}  // namespace
}  // namespace sluice::l1
