// C++ channel hashing equals the adjudicator's own views, run on its real bytecode: channelId, hashState,
// stateDigest, domainSeparator and fingerprint for random params and states (2-16 parties, ETH and the TestToken
// ERC-20, locks, app data). Seeded; a failure prints the seed and the case.
#include <random>
#include <string>

#include "adjudicator_fixture.hpp"
#include "sluice/core/eip712.hpp"

namespace sluice::channel::testing {
namespace {

constexpr std::uint64_t kSeed = 0x5eed'5111'ce00'0005;
constexpr int kCases = 40;

class RandomChannels {
public:
    RandomChannels(std::uint64_t seed, const Address& token) : rng_(seed), token_(token) {}

    std::uint64_t below(std::uint64_t n) { return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_); }
    std::uint64_t any64() { return rng_(); }

    // Small, mid-sized and full 256-bit amounts, since the zero bytes of each word are what differs.
    u256 amount() {
        switch (below(3)) {
            case 0: return u256{below(1000)};
            case 1: return u256{any64()} * u256{1'000'000'000ULL};
            default: return u256{any64(), any64(), any64(), any64()};
        }
    }

    Bytes bytes(std::size_t max) {
        Bytes out(below(max + 1));
        for (auto& b : out) b = static_cast<std::uint8_t>(below(256));
        return out;
    }

    Hash hash() {
        Hash out;
        for (auto& b : out) b = static_cast<std::uint8_t>(below(256));
        return out;
    }

    Params params(const u256& chain_id, const Address& adjudicator) {
        Params p;
        p.chain_id = chain_id;
        p.adjudicator = adjudicator;
        const std::size_t n = 2 + below(15);
        for (std::size_t i = 0; i < n; ++i) p.participants.push_back(Address::from_view(hash().view().first(20)).value());
        p.nonce = any64();
        p.challenge_duration = below(kMaxUint48 + 1);
        if (below(2) == 0) p.app = Address::from_view(hash().view().first(20)).value();
        return p;
    }

    State state(const Params& params) {
        State s;
        s.channel_id = channel_id(params);
        s.version = any64();
        const std::size_t n = params.participants.size();
        const std::size_t assets = below(4);
        for (std::size_t a = 0; a < assets; ++a) {
            Alloc alloc;
            alloc.asset = a == 0 ? Address{} : a == 1 ? token_ : Address::from_view(hash().view().first(20)).value();
            for (std::size_t i = 0; i < n; ++i) alloc.balances.push_back(amount());
            const std::size_t locks = below(4);
            for (std::size_t l = 0; l < locks; ++l) {
                alloc.locks.push_back(Lock{hash(), amount(), static_cast<std::uint16_t>(below(n)),
                                           static_cast<std::uint16_t>(below(n)), any64()});
            }
            s.outcome.push_back(std::move(alloc));
        }
        s.app_data = bytes(200);
        s.is_final = below(2) == 0;
        return s;
    }

private:
    std::mt19937_64 rng_;
    Address token_;
};

using ViewsTest = AdjudicatorTest;

Hash view_hash(const contracts::AdjudicatorHarness& harness, const Result<Bytes>& calldata) {
    EXPECT_TRUE(calldata.ok()) << calldata.error().describe();
    const auto out = harness.view(calldata.value());
    EXPECT_TRUE(out.ok()) << out.error().describe();
    return out.ok() ? adj::decode_bytes32_return(*out).value_or(Hash{}) : Hash{};
}

TEST_F(ViewsTest, ChannelIdAndStateHashesEqualTheContractsForRandomChannels) {
    RandomChannels random(kSeed, h().token());
    for (int i = 0; i < kCases; ++i) {
        SCOPED_TRACE("seed " + std::to_string(kSeed) + ", case " + std::to_string(i));
        const Params params = random.params(chain().chain_id(), h().adjudicator());
        const State state = random.state(params);
        EXPECT_EQ(channel_id(params), view_hash(h(), adj::channel_id_call(params)));
        EXPECT_EQ(state_hash(state), view_hash(h(), adj::hash_state_call(state)));
        EXPECT_EQ(state_digest(params, state), view_hash(h(), adj::state_digest_call(state)));
        const adj::Registration r{random.any64(), random.below(kMaxUint48 + 1), random.hash(), random.any64(),
                                  random.below(kMaxUint48 + 1)};
        EXPECT_EQ(adj::fingerprint(r), view_hash(h(), adj::fingerprint_call(r)));
    }
}

TEST_F(ViewsTest, DomainSeparatorAndDigestAreTheSignedOnes) {
    const Hash domain = domain_separator(chain().chain_id(), h().adjudicator());
    EXPECT_EQ(domain, view_hash(h(), adj::domain_separator_call()));
    EXPECT_EQ(domain, (Eip712Domain{"Sluice", "1", chain().chain_id(), h().adjudicator()}.domain_separator()));

    const Params params = new_params(3);
    const State state = make_state(
        params, 9,
        {eth_alloc({u256{1}, u256{2}, u256{3}}, {Lock{Hash{}, u256{5}, 0, 2, 123}}),
         Alloc{h().token(), {u256{7}, u256{}, u256{1}}, {}}},
        true, Bytes{0xde, 0xad, 0xbe, 0xef});
    const Hash digest = state_digest(params, state);
    EXPECT_EQ(digest, typed_data_digest(domain, state_hash(state)));
    EXPECT_EQ(digest, view_hash(h(), adj::state_digest_call(state)));
    // A signature over that digest is what conclude accepts (checked end to end in adjudicator_conclude_test).
    EXPECT_TRUE(check_state_signature(params, state, 1, sign_state(parts_[1], params, state)).ok());
}

TEST_F(ViewsTest, StatusWordsAreTheDocumentedOnes) {
    const Params params = new_params(2);
    EXPECT_EQ(status_of(params), adj::kStatusNone);
    succeeds(h().send(hub(), deposit(params, Address{}, u256{1}), u256{1}), "deposit");
    EXPECT_EQ(status_of(params), adj::kStatusOpen);
    const State fin = make_state(params, 4, {eth_alloc({u256{1}, u256{}})}, true);
    succeeds(h().send(hub(), conclude(params, fin, sign_all(params, fin))), "conclude");
    EXPECT_EQ(status_of(params), adj::fingerprint(adj::concluded(fin)));
    succeeds(h().send(hub(), withdraw(params, fin)), "withdraw");
    EXPECT_EQ(status_of(params), adj::kStatusSettled);
}

}  // namespace
}  // namespace sluice::channel::testing
