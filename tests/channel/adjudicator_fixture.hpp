// Fixture for the adjudicator tests: the committed contracts on a Devchain (AdjudicatorHarness), funded wallets,
// channels funded on demand, and assertions on mined receipts that name the exact custom error of a revert.
#pragma once

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <variant>
#include <vector>

#include "adjudicator_harness.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"

namespace sluice::channel::testing {

namespace adj = adjudicator;
using contracts::kEther;

inline Alloc eth_alloc(std::vector<u256> balances, std::vector<Lock> locks = {}) {
    return Alloc{Address{}, std::move(balances), std::move(locks)};
}

inline State make_state(const Params& params, std::uint64_t version, std::vector<Alloc> outcome, bool is_final = false,
                        Bytes app_data = {}) {
    return State{channel_id(params), version, std::move(outcome), std::move(app_data), is_final};
}

// Passes when the execution (`status`, `output`) reverted with exactly `expected`, e.g. "WrongSigner(1)".
inline ::testing::AssertionResult reverted_with(bool status, ByteView output, const std::string& expected) {
    if (status) return ::testing::AssertionFailure() << "succeeded, expected " << expected;
    const std::string got = adj::decode_revert(output).describe();
    if (got != expected) return ::testing::AssertionFailure() << "reverted with " << got << ", expected " << expected;
    return ::testing::AssertionSuccess();
}

// A mined transaction that reverted with exactly `expected`.
inline ::testing::AssertionResult reverts_with(const Result<l1::TxReceipt>& receipt, const std::string& expected) {
    if (!receipt) return ::testing::AssertionFailure() << "not mined: " << receipt.error().describe();
    return reverted_with(receipt->status, receipt->output, expected);
}

class AdjudicatorTest : public ::testing::Test {
protected:
    static constexpr std::size_t kWallets = 17;  // one more than the 16 participants the adjudicator allows

    void SetUp() override {
        contracts::HarnessOptions options;
        for (const auto& key : parts_) options.funded.push_back(key.address());
        options.funding = 10 * kEther;
        auto created = contracts::AdjudicatorHarness::create(options);
        ASSERT_TRUE(created.ok()) << created.error().describe();
        harness_.emplace(std::move(*created));
    }

    contracts::AdjudicatorHarness& h() { return *harness_; }
    l1::Devchain& chain() { return harness_->chain(); }
    const Address& hub() const { return harness_->deployer(); }
    std::span<const PrivateKey> members(std::size_t n) const { return std::span(parts_).first(n); }

    Params new_params(std::size_t n, std::uint64_t challenge_duration = 3600, const Address& app = {}) {
        return h().params(members(n), ++nonce_, challenge_duration, app);
    }

    // A channel of the first n wallets, funded by the hub with `total` ETH.
    Params funded_channel(std::size_t n, const u256& total, std::uint64_t challenge_duration = 3600) {
        Params params = new_params(n, challenge_duration);
        succeeds(h().send(hub(), deposit(params, Address{}, total), total), "deposit");
        return params;
    }

    // deposit(params, asset, expected_held, amount) calldata.
    Bytes deposit(const Params& params, const Address& asset, const u256& amount,
                  const u256& expected_held = {}) {
        return adj::deposit_call(params, asset, expected_held, amount).value();
    }

    // Expects a mined, successful transaction and returns its receipt.
    l1::TxReceipt succeeds(const Result<l1::TxReceipt>& receipt, const char* what) {
        if (!receipt) {
            ADD_FAILURE() << what << " not mined: " << receipt.error().describe();
            return {};
        }
        EXPECT_TRUE(receipt->status) << what << " reverted: " << adj::decode_revert(receipt->output).describe();
        return *receipt;
    }

    // Every participant's signature, each made with the wallet whose address the participant is.
    Bytes sign_all(const Params& params, const State& state) {
        std::vector<PrivateKey> keys;
        for (const auto& participant : params.participants) {
            for (const auto& key : parts_) {
                if (key.address() == participant) keys.push_back(key);
            }
        }
        EXPECT_EQ(keys.size(), params.participants.size()) << "a participant is no test wallet";
        return contracts::AdjudicatorHarness::sign_all(keys, params, state);
    }
    Bytes sig_of(std::size_t wallet, const Params& params, const State& state) {
        const auto sig = sign_state(parts_.at(wallet), params, state).to_bytes();
        return Bytes(sig.begin(), sig.end());
    }

    Bytes conclude(const Params& params, const State& state, const Bytes& sigs) {
        return adj::conclude_call(params, state, sigs).value();
    }
    Bytes withdraw(const Params& params, const State& state, const adj::Registration& current) {
        return adj::withdraw_call(params, state, current).value();
    }
    // withdraw of a concluded state.
    Bytes withdraw(const Params& params, const State& state) {
        return withdraw(params, state, adj::concluded(state));
    }
    Bytes register_(const Params& params, const State& state, const Bytes& sigs, const adj::Registration& current = {}) {
        return adj::register_call(params, state, sigs, current).value();
    }

    std::vector<adj::Event> events(const l1::TxReceipt& receipt) {
        auto decoded = contracts::adjudicator_events(receipt, h().adjudicator());
        EXPECT_TRUE(decoded.ok()) << decoded.error().describe();
        return decoded ? std::move(*decoded) : std::vector<adj::Event>{};
    }

    template <class EventT>
    std::vector<EventT> events_of(const l1::TxReceipt& receipt) {
        std::vector<EventT> out;
        for (auto& event : events(receipt)) {
            if (auto* e = std::get_if<EventT>(&event)) out.push_back(std::move(*e));
        }
        return out;
    }

    // The Registration of the one Registered event in the receipt.
    adj::Registration registered(const l1::TxReceipt& receipt) {
        const auto found = events_of<adj::Registered>(receipt);
        EXPECT_EQ(found.size(), 1u);
        return found.empty() ? adj::Registration{} : found[0].registration;
    }

    Bytes32 status_of(const Params& params) { return h().status_of(channel_id(params)).value(); }
    u256 holdings(const Params& params, const Address& asset = {}) {
        return h().holdings(channel_id(params), asset).value();
    }
    u256 balance(std::size_t wallet) { return chain().balance(parts_.at(wallet).address()); }
    std::int64_t now() { return chain().latest_block().timestamp; }

    std::vector<PrivateKey> parts_ = contracts::hardhat_wallets("t", kWallets);
    std::optional<contracts::AdjudicatorHarness> harness_;
    std::uint64_t nonce_ = 0;
};

}  // namespace sluice::channel::testing
