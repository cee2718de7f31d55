// ChannelFunding and CooperativeClose against a real devchain (InProcessL1Client over its JSON-RPC
// dispatcher) with the committed Adjudicator artifact: deposits in participant order even when started
// together, ERC-20 deposits, confirmations counted in blocks, a lower total after a reorg (evm_revert),
// typed reverts and timeouts, and the cooperative close paying each participant its balance to the wei.
#include "sluice/sdk/funding.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "l1/support/l1_scenario.hpp"
#include "l1/support/run_async.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/contracts/abi_errors.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/signer_journal.hpp"
#include "sluice/sdk/cooperative_close.hpp"

namespace sluice::sdk {
namespace {

namespace adj = channel::adjudicator;
using l1::testing::calldata;
using l1::testing::send_and_wait;
using l1::testing::store_result;

const u256 kEther{1'000'000'000'000'000'000ULL};
const Address kEth{};
constexpr std::size_t kDeployer = 9;

l1::JsonRpcClientOptions client_options() {
    l1::JsonRpcClientOptions options;
    for (const char* contract : {"Adjudicator", "TestToken"}) {
        for (auto& signature : contracts::error_signatures(contract))
            options.custom_errors.push_back(signature);
    }
    return options;
}

struct FundingTest : ::testing::Test {
    l1::Devchain chain{l1::dev_accounts_config()};
    l1::RpcDispatcher dispatcher{chain};
    l1::InProcessL1Client client{dispatcher, client_options()};
    boost::asio::io_context io;
    std::vector<std::unique_ptr<l1::MemorySignerJournal>> journals;
    std::vector<std::unique_ptr<l1::TxSigner>> signers;
    Address adjudicator;
    channel::Params params;

    template <class T>
    T run(boost::asio::awaitable<T> work) {
        return l1::testing::run_on(io, std::move(work));
    }

    Address deploy(Bytes creation) {
        auto deployed = run(send_and_wait(client, l1::dev_account_key(kDeployer), std::nullopt, u256{},
                                          std::move(creation), 15'000'000));
        EXPECT_TRUE(deployed.ok()) << deployed.error().describe();
        EXPECT_TRUE(deployed->status && deployed->contract_address);
        return deployed->contract_address.value_or(Address{});
    }

    // The Adjudicator, a channel of `parties` dev accounts 0..parties-1 and a signer for each.
    void set_up(std::size_t parties) {
        const auto artifact = nlohmann::json::parse(contracts::artifact_json("Adjudicator"));
        adjudicator = deploy(from_hex(artifact.at("bytecode").get<std::string>()).value());
        params.chain_id = u256{31337};
        params.adjudicator = adjudicator;
        params.nonce = 7;
        params.challenge_duration = 3600;
        l1::SignerOptions options;
        options.poll_interval = l1::testing::kPoll;
        for (std::size_t i = 0; i < parties; ++i) {
            params.participants.push_back(l1::dev_account_address(i));
            journals.push_back(std::make_unique<l1::MemorySignerJournal>());
            auto signer = run(l1::TxSigner::start(client, l1::dev_account_key(i), *journals.back(), options));
            ASSERT_TRUE(signer.ok()) << signer.error().describe();
            signers.push_back(std::move(signer).value());
        }
    }

    channel::State state_of(std::vector<channel::Alloc> outcome) const {
        channel::State state;
        state.channel_id = channel::channel_id(params);
        state.outcome = std::move(outcome);
        return state;
    }

    static FundingOptions fast(std::uint32_t confirmations = 1) {
        FundingOptions options;
        options.confirmations = confirmations;
        options.poll_interval = std::chrono::milliseconds(10);
        options.turn_timeout = std::chrono::seconds(20);
        return options;
    }

    std::unique_ptr<ChannelFunding> funding(std::size_t index, const channel::State& initial,
                                            FundingOptions options = fast()) {
        auto made = ChannelFunding::create(client, *signers.at(index), params, index, initial, options);
        EXPECT_TRUE(made.ok()) << made.error().describe();
        return made.ok() ? std::move(made).value() : nullptr;
    }

    // Runs every task together on the test's io_context (one thread) until all are done.
    std::vector<Result<DepositResult>> together(
        std::vector<boost::asio::awaitable<Result<DepositResult>>> tasks) {
        std::vector<std::optional<Result<DepositResult>>> out(tasks.size());
        for (std::size_t i = 0; i < tasks.size(); ++i) {
            boost::asio::co_spawn(io, store_result(std::move(tasks[i]), out[i]), [](std::exception_ptr e) {
                if (e) std::rethrow_exception(e);
            });
        }
        io.restart();
        io.run();
        std::vector<Result<DepositResult>> results;
        for (auto& r : out)
            results.push_back(std::move(*r));
        return results;
    }

    u256 holdings(const Address& asset) {
        l1::CallRequest call;
        call.to = adjudicator;
        call.data = adj::holdings_call(channel::channel_id(params), asset);
        auto outcome = run(client.call(call, l1::BlockTag::latest()));
        EXPECT_TRUE(outcome.ok() && !outcome->reverted);
        return adj::decode_uint256_return(outcome->data).value();
    }
    u256 balance(std::size_t party) {
        return run(client.balance(l1::dev_account_address(party), l1::BlockTag::latest())).value();
    }
    void mine() { ASSERT_TRUE(run(client.request("evm_mine", nlohmann::json::array())).ok()); }

    channel::SignedState signed_by_all(channel::State state) {
        channel::SignedState s{state, {}};
        for (std::size_t i = 0; i < params.participants.size(); ++i)
            s.sigs.emplace_back(channel::sign_state(l1::dev_account_key(i), params, state));
        return s;
    }

    // Funds `initial` (ETH only) in order and waits for it to be confirmed.
    void fund(const channel::State& initial) {
        for (std::size_t i = 0; i < params.participants.size(); ++i) {
            auto f = funding(i, initial);
            auto d = run(f->deposit(kEth));
            ASSERT_TRUE(d.ok()) << d.error().describe();
        }
    }
};

TEST_F(FundingTest, TwoPartiesStartedTogetherDepositInParticipantOrder) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {u256{3} * kEther, u256{5} * kEther}, {}}});
    auto f0 = funding(0, initial);
    auto f1 = funding(1, initial);
    EXPECT_EQ(f1->held_before_us(kEth).value(), u256{3} * kEther);
    std::vector<boost::asio::awaitable<Result<DepositResult>>> tasks;
    tasks.push_back(f1->deposit(kEth));  // started first: it must wait for index 0
    tasks.push_back(f0->deposit(kEth));
    auto results = together(std::move(tasks));
    ASSERT_TRUE(results[0].ok()) << results[0].error().describe();
    ASSERT_TRUE(results[1].ok()) << results[1].error().describe();
    EXPECT_LT(results[1]->deposit.receipt.block_number, results[0]->deposit.receipt.block_number);
    EXPECT_EQ(results[0]->expected_held, u256{3} * kEther);
    EXPECT_EQ(results[1]->expected_held, u256{});
    EXPECT_FALSE(results[0]->approval);
    EXPECT_GT(results[0]->deposit.fee, u256{});
    EXPECT_EQ(holdings(kEth), u256{8} * kEther);
}

TEST_F(FundingTest, ThreePartiesStartedInReverseDepositInOrder) {
    set_up(3);
    const channel::State initial = state_of({{kEth, {kEther, u256{2} * kEther, u256{4} * kEther}, {}}});
    std::vector<std::unique_ptr<ChannelFunding>> f;
    for (std::size_t i = 0; i < 3; ++i)
        f.push_back(funding(i, initial));
    std::vector<boost::asio::awaitable<Result<DepositResult>>> tasks;
    for (std::size_t i = 3; i-- > 0;)
        tasks.push_back(f[i]->deposit(kEth));
    auto results = together(std::move(tasks));  // results[0] is index 2
    for (auto& r : results)
        ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_LT(results[2]->deposit.receipt.block_number, results[1]->deposit.receipt.block_number);
    EXPECT_LT(results[1]->deposit.receipt.block_number, results[0]->deposit.receipt.block_number);
    EXPECT_EQ(results[0]->expected_held, u256{3} * kEther);
    EXPECT_EQ(holdings(kEth), u256{7} * kEther);
}

TEST_F(FundingTest, TokenDepositApprovesFirst) {
    set_up(2);
    const Address token = deploy(l1::testing::token_creation_code());
    const u256 share{1'000'000};
    for (std::size_t i = 0; i < 2; ++i) {
        auto minted = run(send_and_wait(
            client, l1::dev_account_key(kDeployer), token, u256{},
            calldata("mint(address,uint256)", AbiValue::list({AbiValue::address(l1::dev_account_address(i)),
                                                              AbiValue::uint(share)}))));
        ASSERT_TRUE(minted.ok() && minted->status);
    }
    const channel::State initial = state_of({{token, {share, share}, {}}});
    for (std::size_t i = 0; i < 2; ++i) {
        auto f = funding(i, initial);
        auto d = run(f->deposit(token));
        ASSERT_TRUE(d.ok()) << d.error().describe();
        ASSERT_TRUE(d->approval);
        EXPECT_TRUE(d->approval->receipt.status);
        EXPECT_LT(d->approval->receipt.block_number, d->deposit.receipt.block_number);
    }
    EXPECT_EQ(holdings(token), u256{2} * share);
}

TEST_F(FundingTest, ConfirmedOnlyAfterTheConfiguredBlocks) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, u256{2} * kEther}, {}}});
    auto watcher = funding(0, initial, fast(3));
    fund(initial);  // two blocks: index 0's deposit, then index 1's on top
    auto polled = run(watcher->poll_once());
    ASSERT_TRUE(polled.ok()) << polled.error().describe();
    EXPECT_TRUE(polled->empty());  // index 0's deposit has 2 confirmations, not 3
    EXPECT_EQ(watcher->confirmed().at(kEth), u256{});

    mine();
    polled = run(watcher->poll_once());
    ASSERT_TRUE(polled.ok());
    ASSERT_EQ(polled->size(), 1u);
    EXPECT_EQ((*polled)[0], (HoldingsChange{kEth, kEther}));
    EXPECT_FALSE(watcher->fully_funded());

    mine();
    polled = run(watcher->poll_once());
    ASSERT_TRUE(polled.ok());
    ASSERT_EQ(polled->size(), 1u);
    EXPECT_EQ((*polled)[0], (HoldingsChange{kEth, u256{3} * kEther}));
    EXPECT_TRUE(watcher->fully_funded());

    polled = run(watcher->poll_once());  // nothing new
    ASSERT_TRUE(polled.ok());
    EXPECT_TRUE(polled->empty());
}

TEST_F(FundingTest, AReorgThatDropsADepositLowersTheConfirmedTotal) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, u256{2} * kEther}, {}}});
    auto watcher = funding(0, initial, fast(1));
    ASSERT_TRUE(run(funding(0, initial)->deposit(kEth)).ok());
    auto snapshot = run(client.request("evm_snapshot", nlohmann::json::array()));
    ASSERT_TRUE(snapshot.ok());
    ASSERT_TRUE(run(funding(1, initial)->deposit(kEth)).ok());
    ASSERT_TRUE(run(watcher->poll_once()).ok());
    EXPECT_TRUE(watcher->fully_funded());

    nlohmann::json id = nlohmann::json::array();
    id.push_back(*snapshot);
    ASSERT_TRUE(run(client.request("evm_revert", id)).ok());  // index 1's block is gone
    mine();
    auto polled = run(watcher->poll_once());
    ASSERT_TRUE(polled.ok()) << polled.error().describe();
    ASSERT_EQ(polled->size(), 1u);
    EXPECT_EQ((*polled)[0], (HoldingsChange{kEth, kEther}));
    EXPECT_FALSE(watcher->fully_funded());
}

TEST_F(FundingTest, WatchReportsEachChangeUntilStopped) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, kEther}, {}}});
    auto watcher = funding(0, initial);
    auto f0 = funding(0, initial);
    auto f1 = funding(1, initial);
    std::vector<HoldingsChange> seen;
    boost::asio::steady_timer guard(io, std::chrono::seconds(20));  // stops a watch that never sees both
    std::optional<Result<bool>> watched;
    auto on_change = [&seen, &watcher, &guard](const HoldingsChange& change) {
        seen.push_back(change);
        if (watcher->fully_funded()) {
            watcher->stop();
            guard.cancel();
        }
    };
    guard.async_wait([&watcher](boost::system::error_code) { watcher->stop(); });
    boost::asio::co_spawn(io, store_result(watcher->watch_confirmed(on_change), watched),
                          [](std::exception_ptr e) {
                              if (e) std::rethrow_exception(e);
                          });
    std::vector<boost::asio::awaitable<Result<DepositResult>>> tasks;
    tasks.push_back(f1->deposit(kEth));
    tasks.push_back(f0->deposit(kEth));
    auto results = together(std::move(tasks));  // runs the watch too, until it stops
    ASSERT_TRUE(results[0].ok() && results[1].ok());
    ASSERT_TRUE(watched && watched->ok());
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back(), (HoldingsChange{kEth, u256{2} * kEther}));
    EXPECT_TRUE(watcher->fully_funded());
}

TEST_F(FundingTest, TopUpPassesTheCurrentHoldings) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, kEther}, {}}});
    fund(initial);
    auto f1 = funding(1, initial);
    auto topped = run(f1->top_up(kEth, kEther));
    ASSERT_TRUE(topped.ok()) << topped.error().describe();
    EXPECT_EQ(topped->expected_held, u256{2} * kEther);
    EXPECT_EQ(holdings(kEth), u256{3} * kEther);
}

TEST_F(FundingTest, ARevertIsATypedErrorWithItsReason) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, kEther}, {}}});
    fund(initial);
    auto f0 = funding(0, initial);
    const std::uint64_t nonce = signers[0]->next_nonce();
    auto again = run(f0->deposit_after(kEth, u256{}, kEther));  // expectedHeld 0 + 1 ETH: already there
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Errc::funding_reverted);
    EXPECT_NE(again.error().message.find("AlreadyFunded"), std::string::npos) << again.error().message;
    EXPECT_EQ(signers[0]->next_nonce(), nonce);  // refused by gas estimation: nothing sent
}

TEST_F(FundingTest, TimesOutWhenALowerIndexNeverDeposits) {
    set_up(3);
    const channel::State initial = state_of({{kEth, {kEther, kEther, kEther}, {}}});
    FundingOptions options = fast();
    options.turn_timeout = std::chrono::milliseconds(150);
    ASSERT_TRUE(run(funding(0, initial)->deposit(kEth)).ok());
    auto f2 = funding(2, initial, options);
    auto waited = run(f2->deposit(kEth));  // index 1 never deposits
    ASSERT_FALSE(waited.ok());
    EXPECT_EQ(waited.error().code, Errc::funding_timeout) << waited.error().describe();
    EXPECT_EQ(signers[2]->next_nonce(), 0u);
    EXPECT_EQ(holdings(kEth), kEther);
}

TEST_F(FundingTest, RefusesWhatTheChannelCannotTake) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, u256{}}, {}}});
    auto bad_index = ChannelFunding::create(client, *signers[0], params, 2, initial);
    ASSERT_FALSE(bad_index.ok());
    EXPECT_EQ(bad_index.error().code, Errc::funding_bad_request);
    channel::State other = initial;
    other.channel_id = Hash{};
    auto wrong_channel = ChannelFunding::create(client, *signers[0], params, 0, other);
    ASSERT_FALSE(wrong_channel.ok());
    EXPECT_EQ(wrong_channel.error().code, Errc::funding_bad_request);
    auto f1 = funding(1, initial);
    auto zero = run(f1->deposit(kEth));  // index 1's share is zero
    ASSERT_FALSE(zero.ok());
    EXPECT_EQ(zero.error().code, Errc::funding_bad_request);
    auto unknown = run(f1->deposit(l1::dev_account_address(5), kEther));
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, Errc::funding_bad_request);
}

TEST_F(FundingTest, CooperativeClosePaysEachParticipantItsBalance) {
    set_up(3);
    const channel::State initial =
        state_of({{kEth, {u256{2} * kEther, u256{2} * kEther, u256{2} * kEther}, {}}});
    fund(initial);
    channel::State final_state = initial;
    final_state.version = 9;
    final_state.is_final = true;
    final_state.outcome[0].balances = {kEther, u256{3} * kEther, u256{2} * kEther};
    std::vector<u256> before;
    for (std::size_t i = 0; i < 3; ++i)
        before.push_back(balance(i));

    CooperativeClose closer(client, *signers[0], params);
    auto closed = run(closer.close(signed_by_all(final_state)));
    ASSERT_TRUE(closed.ok()) << closed.error().describe();
    ASSERT_TRUE(closed->conclude && closed->withdraw);
    EXPECT_GT(closed->fees(), u256{});
    EXPECT_EQ(balance(0), before[0] + kEther - closed->fees());
    EXPECT_EQ(balance(1), before[1] + u256{3} * kEther);
    EXPECT_EQ(balance(2), before[2] + u256{2} * kEther);
    EXPECT_EQ(run(closer.status()).value(), adj::kStatusSettled);
    EXPECT_EQ(holdings(kEth), u256{});
}

TEST_F(FundingTest, CloseIsIdempotentWhenTheOtherSideConcludedFirst) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, kEther}, {}}});
    fund(initial);
    channel::State final_state = initial;
    final_state.version = 4;
    final_state.is_final = true;
    final_state.outcome[0].balances = {u256{2} * kEther, u256{}};
    const channel::SignedState signed_final = signed_by_all(final_state);
    // Participant 1 concludes by itself (not withdrawing).
    auto concluded = run(send_and_wait(
        client, l1::dev_account_key(1), adjudicator, u256{},
        adj::conclude_call(params, final_state, channel::pack_signatures(signed_final).value()).value()));
    ASSERT_TRUE(concluded.ok() && concluded->status);
    const u256 before = balance(0);

    CooperativeClose closer0(client, *signers[0], params);
    auto closed = run(closer0.close(signed_final));
    ASSERT_TRUE(closed.ok()) << closed.error().describe();
    EXPECT_FALSE(closed->conclude);
    ASSERT_TRUE(closed->withdraw);
    EXPECT_EQ(balance(0), before + u256{2} * kEther - closed->fees());

    // Participant 1 closes after everything is done: nothing to send.
    CooperativeClose closer1(client, *signers[1], params);
    const std::uint64_t nonce = signers[1]->next_nonce();
    auto again = run(closer1.close(signed_final));
    ASSERT_TRUE(again.ok()) << again.error().describe();
    EXPECT_FALSE(again->conclude);
    EXPECT_FALSE(again->withdraw);
    EXPECT_EQ(signers[1]->next_nonce(), nonce);
}

TEST_F(FundingTest, CloseRefusesAStateThatIsNotFinalOrNotFullySigned) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, kEther}, {}}});
    CooperativeClose closer(client, *signers[0], params);
    auto not_final = run(closer.close(signed_by_all(initial)));
    ASSERT_FALSE(not_final.ok());
    EXPECT_EQ(not_final.error().code, Errc::close_not_final);

    channel::State final_state = initial;
    final_state.version = 1;
    final_state.is_final = true;
    channel::SignedState half = signed_by_all(final_state);
    half.sigs[1].reset();
    auto unsigned_one = run(closer.close(half));
    ASSERT_FALSE(unsigned_one.ok());
    EXPECT_EQ(unsigned_one.error().code, Errc::close_not_final);
    EXPECT_EQ(signers[0]->next_nonce(), 0u);
}

TEST_F(FundingTest, CloseOfARegisteredChannelIsRefused) {
    set_up(2);
    const channel::State initial = state_of({{kEth, {kEther, kEther}, {}}});
    fund(initial);
    channel::State latest = initial;
    latest.version = 3;
    const channel::SignedState signed_latest = signed_by_all(latest);
    auto registered =
        run(send_and_wait(client, l1::dev_account_key(1), adjudicator, u256{},
                          adj::register_call(params, latest, channel::pack_signatures(signed_latest).value(),
                                             adj::Registration{})
                              .value()));
    ASSERT_TRUE(registered.ok() && registered->status);
    channel::State final_state = initial;
    final_state.version = 4;
    final_state.is_final = true;
    CooperativeClose closer(client, *signers[0], params);
    auto closed = run(closer.close(signed_by_all(final_state)));
    ASSERT_FALSE(closed.ok());
    EXPECT_EQ(closed.error().code, Errc::close_wrong_status) << closed.error().describe();
}

}  // namespace
}  // namespace sluice::sdk
