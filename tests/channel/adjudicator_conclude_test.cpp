// conclude and concludeBatch on the real Adjudicator bytecode: cooperative close by a final state signed by all,
// every way a conclusion is refused (with the exact custom error), and batches of 1, 10 and 100 channels.
#include <string>

#include "adjudicator_fixture.hpp"

namespace sluice::channel::testing {
namespace {

using ConcludeTest = AdjudicatorTest;

const u256 kCenti = kEther / u256{100};

TEST_F(ConcludeTest, FinalStateSignedByAllSettlesAndWithdrawPaysEveryoneOnce) {
    for (const std::size_t n : {std::size_t{2}, std::size_t{16}}) {
        SCOPED_TRACE(std::to_string(n) + " participants");
        std::vector<u256> amounts;
        u256 total;
        for (std::size_t i = 0; i < n; ++i) {
            amounts.push_back(kCenti * u256{i + 1});
            total += amounts.back();
        }
        const Params params = funded_channel(n, total);
        const State state = make_state(params, 5, {eth_alloc(amounts)}, true);
        const auto receipt = succeeds(h().send(hub(), conclude(params, state, sign_all(params, state))), "conclude");
        const auto concluded = events_of<adj::Concluded>(receipt);
        ASSERT_EQ(concluded.size(), 1u);
        EXPECT_EQ(concluded[0].channel_id, channel_id(params));
        EXPECT_EQ(concluded[0].version, 5u);
        EXPECT_EQ(status_of(params), adj::fingerprint(adj::concluded(state)));

        std::vector<u256> before;
        for (std::size_t i = 0; i < n; ++i) before.push_back(balance(i));
        const auto paid = succeeds(h().send(hub(), withdraw(params, state)), "withdraw");
        const auto withdrawn = events_of<adj::Withdrawn>(paid);
        ASSERT_EQ(withdrawn.size(), n);
        for (std::size_t i = 0; i < n; ++i) {
            EXPECT_EQ(balance(i), before[i] + amounts[i]) << "participant " << i;
            EXPECT_EQ(withdrawn[i].participant, params.participants[i]);
            EXPECT_EQ(withdrawn[i].amount, amounts[i]);
            EXPECT_EQ(withdrawn[i].asset, Address{});
        }
        EXPECT_EQ(holdings(params), u256{});
        EXPECT_EQ(status_of(params), adj::kStatusSettled);
        EXPECT_TRUE(reverts_with(h().send(hub(), withdraw(params, state)), "WrongCurrent()"));
        EXPECT_TRUE(reverts_with(h().send(hub(), conclude(params, state, sign_all(params, state))), "ChannelNotOpen()"));
    }
}

TEST_F(ConcludeTest, RefusesBadSignaturesWithTheExactError) {
    const Params params = funded_channel(2, 2 * kEther);
    const State state = make_state(params, 5, {eth_alloc({kEther, kEther})}, true);
    const Bytes s0 = sig_of(0, params, state);
    const Bytes s1 = sig_of(1, params, state);
    const auto cat = [](Bytes a, const Bytes& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    const auto attempt = [&](const Bytes& sigs) { return h().send(hub(), conclude(params, state, sigs)); };

    EXPECT_TRUE(reverts_with(attempt(s0), "WrongSignatureCount()"));
    EXPECT_TRUE(reverts_with(attempt(cat(cat(s0, s1), s1)), "WrongSignatureCount()"));
    // Wallet 5 is no participant: its valid signature recovers to the wrong address.
    EXPECT_TRUE(reverts_with(attempt(cat(s0, sig_of(5, params, state))), "WrongSigner(1)"));
    EXPECT_TRUE(reverts_with(attempt(cat(s1, s0)), "WrongSigner(0)"));
    EXPECT_TRUE(reverts_with(attempt(cat(s0, s0)), "WrongSigner(1)"));

    // The same signature with s' = n - s and the other recovery id: valid for ecrecover, refused as malleable.
    Bytes high = s1;
    const u256 n = u256::from_be(kSecp256k1Order.view());
    const u256 s = u256::from_be(ByteView(s1).subspan(32, 32));
    const auto flipped = (n - s).to_be();
    std::copy(flipped.begin(), flipped.end(), high.begin() + 32);
    high[64] = high[64] == 27 ? 28 : 27;
    EXPECT_TRUE(reverts_with(attempt(cat(s0, high)), "HighS(1)"));

    Bytes bad_v = s1;
    bad_v[64] = 1;
    EXPECT_TRUE(reverts_with(attempt(cat(s0, bad_v)), "BadSignature(1)"));
    // r = 0 recovers to no address.
    Bytes zero_r = s0;
    std::fill(zero_r.begin(), zero_r.begin() + 32, std::uint8_t{0});
    EXPECT_TRUE(reverts_with(attempt(cat(zero_r, s1)), "BadSignature(0)"));
    // A signature over another state (another version) is some other key's signature of this one.
    const State other = make_state(params, 6, {eth_alloc({kEther, kEther})}, true);
    EXPECT_TRUE(reverts_with(attempt(cat(s0, sig_of(1, params, other))), "WrongSigner(1)"));

    EXPECT_EQ(status_of(params), adj::kStatusOpen);
    succeeds(attempt(cat(s0, s1)), "conclude");
}

TEST_F(ConcludeTest, RefusesNonFinalForeignAndMisshapenConclusions) {
    const Params params = funded_channel(2, 2 * kEther);
    const State state = make_state(params, 5, {eth_alloc({kEther, kEther})}, true);
    const Bytes sigs = sign_all(params, state);

    const State open = make_state(params, 5, {eth_alloc({kEther, kEther})}, false);
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(params, open, sign_all(params, open))), "NotFinal()"));

    Params other_chain = params;
    other_chain.chain_id = u256{1};
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(other_chain, state, sigs)), "WrongChain()"));
    Params other_adjudicator = params;
    other_adjudicator.adjudicator = h().token();
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(other_adjudicator, state, sigs)), "WrongAdjudicator()"));

    Params solo = params;
    solo.participants.resize(1);
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(solo, state, sigs)), "WrongParticipantCount(1)"));
    const Params crowd = new_params(17);
    const State crowded = make_state(crowd, 1, {eth_alloc(std::vector<u256>(17, kCenti))}, true);
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(crowd, crowded, sign_all(crowd, crowded))),
                             "WrongParticipantCount(17)"));

    const State foreign = make_state(new_params(2), 5, {eth_alloc({kEther, kEther})}, true);
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(params, foreign, sign_all(params, foreign))), "WrongChannel()"));
    const State one_balance = make_state(params, 5, {eth_alloc({2 * kEther})}, true);
    EXPECT_TRUE(
        reverts_with(h().send(hub(), conclude(params, one_balance, sign_all(params, one_balance))), "BadOutcome()"));
    const State bad_lock = make_state(params, 5, {eth_alloc({kEther, u256{}}, {Lock{Hash{}, kEther, 0, 2, 99}})}, true);
    EXPECT_TRUE(reverts_with(h().send(hub(), conclude(params, bad_lock, sign_all(params, bad_lock))), "BadOutcome()"));

    EXPECT_EQ(status_of(params), adj::kStatusOpen);
}

TEST_F(ConcludeTest, PaysNoMoreThanHeldInParticipantOrderAndPaysTokens) {
    const Params params = funded_channel(2, kEther);
    const u256 six = 6 * kEther / u256{10};
    const State state = make_state(params, 1, {eth_alloc({six, six})}, true);
    succeeds(h().send(hub(), conclude(params, state, sign_all(params, state))), "conclude");
    const u256 b0 = balance(0);
    const u256 b1 = balance(1);
    succeeds(h().send(hub(), withdraw(params, state)), "withdraw");
    EXPECT_EQ(balance(0), b0 + six);
    EXPECT_EQ(balance(1), b1 + kEther - six);
    EXPECT_EQ(holdings(params), u256{});

    const Params tokens = new_params(2);
    ASSERT_TRUE(h().mint_and_approve(hub(), 10 * kEther).ok());
    succeeds(h().send(hub(), deposit(tokens, h().token(), 10 * kEther)), "deposit");
    const State token_state =
        make_state(tokens, 3, {Alloc{h().token(), {7 * kEther, 3 * kEther}, {}}}, true);
    succeeds(h().send(hub(), conclude(tokens, token_state, sign_all(tokens, token_state))), "conclude");
    succeeds(h().send(hub(), withdraw(tokens, token_state)), "withdraw");
    EXPECT_EQ(h().token_balance(parts_[0].address()).value(), 7 * kEther);
    EXPECT_EQ(h().token_balance(parts_[1].address()).value(), 3 * kEther);
    EXPECT_EQ(holdings(tokens, h().token()), u256{});
}

class ConcludeBatchTest : public AdjudicatorTest {
protected:
    // `count` funded two-party channels (wallet 0 with wallets 1..16 in turn) and their signed final states.
    std::vector<adj::Conclusion> funded_batch(std::size_t count) {
        std::vector<adj::Conclusion> items;
        for (std::size_t i = 0; i < count; ++i) {
            const std::vector<PrivateKey> pair = {parts_[0], parts_[1 + i % 16]};
            const Params params = h().params(pair, ++nonce_);
            succeeds(h().send(hub(), deposit(params, Address{}, kCenti), kCenti), "deposit");
            State state = make_state(params, 1000 + i, {eth_alloc({4 * kCenti / u256{10}, 6 * kCenti / u256{10}})}, true);
            Bytes sigs = contracts::AdjudicatorHarness::sign_all(pair, params, state);
            items.push_back({params, std::move(state), std::move(sigs)});
        }
        return items;
    }

    // What concludeBatch returns for `items`, by eth_call.
    u256 would_conclude(const std::vector<adj::Conclusion>& items) {
        const auto result = chain().call(hub(), h().adjudicator(), adj::conclude_batch_call(items).value());
        EXPECT_TRUE(result.ok() && result->status);
        return result.ok() ? adj::decode_uint256_return(result->output).value_or(u256{}) : u256{};
    }
};

TEST_F(ConcludeBatchTest, ConcludesOneTenAndHundredChannels) {
    for (const std::size_t count : {std::size_t{1}, std::size_t{10}, std::size_t{100}}) {
        SCOPED_TRACE(std::to_string(count) + " channels");
        const auto items = funded_batch(count);
        EXPECT_EQ(would_conclude(items), u256{count});
        const auto receipt = succeeds(h().send(hub(), adj::conclude_batch_call(items).value()), "concludeBatch");
        EXPECT_EQ(adj::decode_uint256_return(receipt.output).value(), u256{count});
        const auto concluded = events_of<adj::Concluded>(receipt);
        ASSERT_EQ(concluded.size(), count);
        for (std::size_t i = 0; i < count; ++i) {
            EXPECT_EQ(concluded[i].channel_id, items[i].state.channel_id);
            EXPECT_EQ(concluded[i].version, 1000 + i);
            EXPECT_EQ(status_of(items[i].params), adj::fingerprint(adj::concluded(items[i].state)));
        }
        // Concluding them again is no error, just nothing to do.
        EXPECT_EQ(would_conclude(items), u256{});
        if (count == 100) {
            EXPECT_LE(receipt.gas_used / 100, 25'000);
        }
    }
}

TEST_F(ConcludeBatchTest, SkipsAChannelRegisteredMeanwhile) {
    const auto items = funded_batch(3);
    const auto& raced = items[1];
    const State registered_state = make_state(raced.params, 7, raced.state.outcome, false);
    const auto reg = succeeds(
        h().send(parts_[2].address(), register_(raced.params, registered_state, sign_all(raced.params, registered_state))),
        "register");
    const adj::Registration current = registered(reg);

    const auto receipt = succeeds(h().send(hub(), adj::conclude_batch_call(items).value()), "concludeBatch");
    EXPECT_EQ(adj::decode_uint256_return(receipt.output).value(), u256{2});
    const auto concluded = events_of<adj::Concluded>(receipt);
    ASSERT_EQ(concluded.size(), 2u);
    EXPECT_EQ(concluded[0].channel_id, items[0].state.channel_id);
    EXPECT_EQ(concluded[1].channel_id, items[2].state.channel_id);
    EXPECT_EQ(status_of(raced.params), adj::fingerprint(current));
    const auto skipped = events_of<adj::ConclusionSkipped>(receipt);
    ASSERT_EQ(skipped.size(), 1u);
    EXPECT_EQ(skipped[0].index, 1u);
    EXPECT_EQ(skipped[0].reason, function_selector("ChannelNotOpen()"));
}

// #18 §7: one malformed item (e.g. a counterparty's high-s signature) reverted the whole batch.
TEST_F(ConcludeBatchTest, SkipsMalformedItemsAndConcludesTheRest) {
    auto items = funded_batch(6);
    items[1].sigs[64] = 5;  // v of the first signature
    items[2].state.is_final = false;
    items[3].params.chain_id = u256{5};
    {
        // The second signature with s' = n - s (and v flipped): the same signature, high s.
        const u256 n =
            u256::from_hex("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141").value();
        const u256 s_low = u256::from_be(ByteView(items[4].sigs).subspan(65 + 32, 32));
        const auto high = (n - s_low).to_be();
        std::copy(high.begin(), high.end(), items[4].sigs.begin() + 65 + 32);
        items[4].sigs[65 + 64] ^= 1;  // 27 <-> 28
    }
    const auto receipt = succeeds(h().send(hub(), adj::conclude_batch_call(items).value()), "concludeBatch");
    EXPECT_EQ(adj::decode_uint256_return(receipt.output).value(), u256{2});
    const auto skipped = events_of<adj::ConclusionSkipped>(receipt);
    ASSERT_EQ(skipped.size(), 4u);
    const std::pair<std::uint64_t, const char*> expected[] = {
        {1, "BadSignature(uint256)"}, {2, "NotFinal()"}, {3, "WrongChain()"}, {4, "HighS(uint256)"}};
    for (std::size_t k = 0; k < skipped.size(); ++k) {
        EXPECT_EQ(skipped[k].index, expected[k].first);
        EXPECT_EQ(skipped[k].reason, function_selector(expected[k].second)) << expected[k].second;
    }
    for (const std::size_t k : {0, 5})
        EXPECT_EQ(status_of(items[k].params), adj::fingerprint(adj::concluded(items[k].state)));
    for (const std::size_t k : {1, 2, 4})
        EXPECT_EQ(status_of(items[k].params), adj::kStatusOpen);
}

}  // namespace
}  // namespace sluice::channel::testing
