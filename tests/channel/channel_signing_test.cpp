// Signing and checking states: round trip, wrong participant, outsiders, malleated (high-s) signatures,
// signatures over another channel, full signature sets and the packed layout the adjudicator takes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "channel_test_support.hpp"
#include "sluice/channel/signing.hpp"

namespace sluice::channel {
namespace {

PrivateKey key(std::uint8_t seed) {
    Bytes secret(32, 0);
    secret[0] = 0x42;
    secret[31] = seed;
    return PrivateKey::from_bytes(secret).value();
}

struct Fixture : test::Channel {
    std::vector<PrivateKey> keys;
};

Fixture three_party() {
    test::RandomChannel rng(21);
    Fixture f;
    f.params = rng.params(0);
    for (std::uint8_t i = 1; i <= 3; ++i) {
        f.keys.push_back(key(i));
        f.params.participants.push_back(f.keys.back().address());
    }
    f.state = rng.state(f.params, 2);
    return f;
}

SignedState signed_by_all(const Fixture& f) {
    SignedState s{f.state, {}};
    for (const PrivateKey& k : f.keys)
        s.sigs.emplace_back(sign_state(k, f.params, f.state));
    return s;
}

TEST(ChannelSigning, EachParticipantsSignatureChecks) {
    const Fixture f = three_party();
    for (std::size_t i = 0; i < f.keys.size(); ++i) {
        const Signature sig = sign_state(f.keys[i], f.params, f.state);
        EXPECT_TRUE(sig.is_low_s());
        EXPECT_EQ(sig, sign_state(f.keys[i], f.params, f.state));  // RFC 6979: deterministic
        const Status ok = check_state_signature(f.params, f.state, i, sig);
        EXPECT_TRUE(ok.ok()) << ok.error().describe();
        EXPECT_EQ(participant_index(f.params, f.keys[i].address()), i);
    }
}

TEST(ChannelSigning, WrongIndexIsABadSignature) {
    const Fixture f = three_party();
    const Signature sig = sign_state(f.keys[0], f.params, f.state);
    const Status s = check_state_signature(f.params, f.state, 1, sig);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::channel_bad_signature);
    EXPECT_NE(s.error().message.find(f.keys[0].address().to_checksum_hex()), std::string::npos)
        << s.error().message;
    EXPECT_EQ(check_state_signature(f.params, f.state, 3, sig).error().code, Errc::channel_not_participant);
}

TEST(ChannelSigning, OutsidersSignatureIsRejected) {
    const Fixture f = three_party();
    const PrivateKey outsider = key(99);
    EXPECT_EQ(participant_index(f.params, outsider.address()), std::nullopt);
    const Signature sig = sign_state(outsider, f.params, f.state);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(check_state_signature(f.params, f.state, i, sig).error().code, Errc::channel_bad_signature);
    }
}

TEST(ChannelSigning, HighSTwinIsRejected) {
    const Fixture f = three_party();
    const Signature sig = sign_state(f.keys[1], f.params, f.state);
    Signature twin = sig;
    twin.s = (u256::from_be(kSecp256k1Order.view()) - u256::from_be(sig.s.view())).to_be();
    twin.v = static_cast<std::uint8_t>(sig.v ^ 1);
    // the twin is a real signature by the same key (ecrecover accepts it), only its s is high
    const Hash digest = state_digest(f.params, f.state);
    EXPECT_EQ(ecrecover_unchecked(digest, twin.v, twin.r, twin.s).value(), f.keys[1].address());
    EXPECT_FALSE(twin.is_low_s());
    const Status s = check_state_signature(f.params, f.state, 1, twin);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::channel_bad_signature);
    EXPECT_NE(s.error().message.find("high_s"), std::string::npos) << s.error().message;
}

TEST(ChannelSigning, SignatureOverAnotherChannelIsRejected) {
    const Fixture f = three_party();
    State other = f.state;
    other.channel_id[5] ^= 0x10;
    const Signature sig = sign_state(f.keys[0], f.params, other);
    EXPECT_EQ(check_state_signature(f.params, f.state, 0, sig).error().code, Errc::channel_bad_signature);
    // same state, another chain: the domain separates them
    Params other_chain = f.params;
    other_chain.chain_id += 1;
    const Signature chain_sig = sign_state(f.keys[0], other_chain, f.state);
    EXPECT_EQ(check_state_signature(f.params, f.state, 0, chain_sig).error().code,
              Errc::channel_bad_signature);
}

TEST(ChannelSigning, FullySignedSetChecks) {
    const Fixture f = three_party();
    SignedState s = signed_by_all(f);
    EXPECT_TRUE(check_fully_signed(f.params, s).ok());

    SignedState missing = s;
    missing.sigs[2].reset();
    const Status m = check_fully_signed(f.params, missing);
    EXPECT_EQ(m.error().code, Errc::channel_bad_signature);
    EXPECT_NE(m.error().message.find("participant 2 is missing"), std::string::npos) << m.error().message;

    SignedState swapped = s;
    std::swap(swapped.sigs[0], swapped.sigs[1]);
    const Status w = check_fully_signed(f.params, swapped);
    EXPECT_EQ(w.error().code, Errc::channel_bad_signature);
    EXPECT_NE(w.error().message.find("participant 0"), std::string::npos) << w.error().message;

    SignedState short_set = s;
    short_set.sigs.pop_back();
    EXPECT_EQ(check_fully_signed(f.params, short_set).error().code, Errc::channel_bad_shape);

    SignedState changed = s;
    changed.state.version += 1;
    EXPECT_EQ(check_fully_signed(f.params, changed).error().code, Errc::channel_bad_signature);
}

TEST(ChannelSigning, PackedSignaturesAre65BytesEachWithV27Or28) {
    const Fixture f = three_party();
    const SignedState s = signed_by_all(f);
    const Bytes packed = pack_signatures(s).value();
    ASSERT_EQ(packed.size(), 3U * 65U);
    for (std::size_t i = 0; i < 3; ++i) {
        const Signature& sig = *s.sigs[i];
        const ByteView slot(packed.data() + 65 * i, 65);
        EXPECT_TRUE(std::equal(sig.r.begin(), sig.r.end(), slot.begin()));
        EXPECT_TRUE(std::equal(sig.s.begin(), sig.s.end(), slot.begin() + 32));
        EXPECT_EQ(slot[64], 27 + sig.v);
        EXPECT_EQ(Signature::from_bytes(slot).value().r, sig.r);
    }
    std::vector<Signature> plain;
    for (const auto& sig : s.sigs)
        plain.push_back(*sig);
    EXPECT_EQ(pack_signatures(plain), packed);
    EXPECT_TRUE(pack_signatures(std::span<const Signature>{}).empty());

    SignedState missing = s;
    missing.sigs[1].reset();
    EXPECT_EQ(pack_signatures(missing).error().code, Errc::channel_bad_shape);
}

}  // namespace
}  // namespace sluice::channel
