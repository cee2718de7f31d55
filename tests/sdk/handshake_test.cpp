// The handshake state machine in memory: both roles, the identity checks, and every malformed or hostile
// message refused with a typed error. An independent implementation of the spec
// (support/handshake_reference.hpp) checks interoperability and forges the messages a correct peer never
// sends.
#include "sluice/sdk/net/handshake.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include "sluice/sdk/net/frame_codec.hpp"
#include "support/frame_feed.hpp"
#include "support/handshake_reference.hpp"

namespace sluice::sdk::net {
namespace {

struct Keys {
    PrivateKey alice = PrivateKey::generate();
    PrivateKey bob = PrivateKey::generate();
    PrivateKey mallory = PrivateKey::generate();
};

Bytes random_bytes(std::size_t n) {
    Bytes out(n);
    randombytes_buf(out.data(), n);
    return out;
}

void expect_code(const Result<Bytes>& r, Errc code, const char* what) {
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_EQ(r.error().code, code) << what << ": " << r.error().describe();
}

TEST(Handshake, EstablishesBothWays) {
    Keys k;
    Handshake i = Handshake::initiator(k.alice, k.bob.address());
    Handshake r = Handshake::responder(k.bob);
    EXPECT_TRUE(r.start().empty());
    EXPECT_EQ(r.bytes_wanted(), kAct1Size);
    const Bytes act1 = i.start();
    ASSERT_EQ(act1.size(), kAct1Size);
    EXPECT_EQ(i.bytes_wanted(), kAct2Size);
    const auto act2 = r.receive(act1);
    ASSERT_TRUE(act2.ok()) << act2.error().describe();
    ASSERT_EQ(act2->size(), kAct2Size);
    EXPECT_EQ(r.bytes_wanted(), kAct3Size);
    const auto act3 = i.receive(*act2);
    ASSERT_TRUE(act3.ok()) << act3.error().describe();
    ASSERT_EQ(act3->size(), kAct3Size);
    ASSERT_TRUE(i.established());
    const auto done = r.receive(*act3);
    ASSERT_TRUE(done.ok()) << done.error().describe();
    EXPECT_TRUE(done->empty());
    ASSERT_TRUE(r.established());
    EXPECT_EQ(i.bytes_wanted(), 0u);
    EXPECT_EQ(r.bytes_wanted(), 0u);

    auto si = i.take_session();
    auto sr = r.take_session();
    ASSERT_TRUE(si.ok());
    ASSERT_TRUE(sr.ok());
    EXPECT_EQ(si->peer, k.bob.address());
    EXPECT_EQ(sr->peer, k.alice.address());
    EXPECT_EQ(si->transcript, sr->transcript);
    EXPECT_EQ(Bytes(si->send_key.reveal().begin(), si->send_key.reveal().end()),
              Bytes(sr->receive_key.reveal().begin(), sr->receive_key.reveal().end()));
    EXPECT_EQ(Bytes(si->receive_key.reveal().begin(), si->receive_key.reveal().end()),
              Bytes(sr->send_key.reveal().begin(), sr->send_key.reveal().end()));
    EXPECT_NE(Bytes(si->send_key.reveal().begin(), si->send_key.reveal().end()),
              Bytes(si->receive_key.reveal().begin(), si->receive_key.reveal().end()));
    EXPECT_FALSE(i.take_session().ok());

    // The keys carry frames both ways.
    FrameEncoder to_bob(si->send_key, {});
    FrameDecoder bob_reads(sr->receive_key, {});
    const Bytes hello = {1, 2, 3};
    const auto frames = testing::feed_all(
        bob_reads, testing::concat({to_bob.stream_header(), *to_bob.encode(FrameKind::data, hello)}));
    ASSERT_TRUE(frames.ok());
    ASSERT_EQ(frames->size(), 1u);
    EXPECT_EQ((*frames)[0].payload, hello);
}

TEST(Handshake, FreshKeysEverySession) {
    Keys k;
    Hash first;
    for (int n = 0; n < 2; ++n) {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(i.start());
        ASSERT_TRUE(act2.ok());
        const auto act3 = i.receive(*act2);
        ASSERT_TRUE(act3.ok());
        ASSERT_TRUE(r.receive(*act3).ok());
        const Hash t = i.take_session()->transcript;
        if (n == 0) {
            first = t;
        } else {
            EXPECT_NE(first, t);
        }
    }
}

TEST(Handshake, MatchesTheSpecification) {
    Keys k;
    // The reference initiator against the real responder.
    {
        reference::Initiator ref;
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(ref.act1(k.bob.address()));
        ASSERT_TRUE(act2.ok());
        EXPECT_EQ(ref.read_act2(*act2), k.bob.address());
        ASSERT_TRUE(r.receive(ref.act3(k.alice.address(), k.alice)).ok());
        auto s = r.take_session();
        ASSERT_TRUE(s.ok());
        EXPECT_EQ(s->peer, k.alice.address());
        EXPECT_EQ(s->transcript, ref.transcript);
        const Hash ref_send = ref.send_key();
        const Hash ref_receive = ref.receive_key();
        EXPECT_EQ(Bytes(s->receive_key.reveal().begin(), s->receive_key.reveal().end()),
                  Bytes(ref_send.begin(), ref_send.end()));
        EXPECT_EQ(Bytes(s->send_key.reveal().begin(), s->send_key.reveal().end()),
                  Bytes(ref_receive.begin(), ref_receive.end()));
    }
    // The real initiator against the reference responder.
    {
        reference::Responder ref;
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        const auto act3 = i.receive(ref.act2(i.start(), k.bob));
        ASSERT_TRUE(act3.ok()) << act3.error().describe();
        ASSERT_TRUE(i.established());
    }
}

TEST(Handshake, ResponderRefusesAnInitiatorThatDialledSomeoneElse) {
    Keys k;
    Handshake i = Handshake::initiator(k.alice, k.mallory.address());
    Handshake r = Handshake::responder(k.bob);
    expect_code(r.receive(i.start()), Errc::net_wrong_identity, "act 1 for another identity");
    // Dead afterwards.
    expect_code(r.receive(Bytes(kAct3Size)), Errc::net_handshake_failed, "after failure");
}

TEST(Handshake, InitiatorRefusesTheWrongResponder) {
    Keys k;
    // Mallory answers a call meant for bob, with a correct act 2 signed by herself.
    reference::Responder mallory;
    Handshake i = Handshake::initiator(k.alice, k.bob.address());
    expect_code(i.receive(mallory.act2(i.start(), k.mallory)), Errc::net_wrong_identity, "mallory's act 2");
    EXPECT_FALSE(i.established());
    EXPECT_EQ(i.bytes_wanted(), 0u);
}

TEST(Handshake, BadResponderSignatures) {
    Keys k;
    {
        // A signature by bob over the wrong digest recovers to someone else: not bob.
        reference::Responder ref;
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        expect_code(i.receive(ref.act2(i.start(), k.bob, /*wrong_digest=*/true)), Errc::net_wrong_identity,
                    "signature over another transcript");
    }
    {
        // High s (a malleated signature) is refused outright.
        reference::Responder ref;
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        expect_code(i.receive(ref.act2(i.start(), k.bob, false, /*high_s=*/true)), Errc::net_handshake_failed,
                    "high-s signature");
    }
}

TEST(Handshake, BadInitiatorSignatures) {
    Keys k;
    {
        // Act 3 claims alice but mallory signed it.
        reference::Initiator ref;
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(ref.act1(k.bob.address()));
        ASSERT_TRUE(act2.ok());
        ref.read_act2(*act2);
        expect_code(r.receive(ref.act3(k.alice.address(), k.mallory)), Errc::net_handshake_failed,
                    "claims alice, signed by mallory");
    }
    {
        // Alice's signature over the wrong digest.
        reference::Initiator ref;
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(ref.act1(k.bob.address()));
        ASSERT_TRUE(act2.ok());
        ref.read_act2(*act2);
        expect_code(r.receive(ref.act3(k.alice.address(), k.alice, /*wrong_digest=*/true)),
                    Errc::net_handshake_failed, "signature over another transcript");
    }
}

TEST(Handshake, OldVersionByteIsRefused) {
    Keys k;
    {
        reference::Initiator ref;
        Handshake r = Handshake::responder(k.bob);
        expect_code(r.receive(ref.act1(k.bob.address(), 0)), Errc::net_handshake_failed, "act 1 version 0");
    }
    {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        auto act2 = r.receive(i.start());
        ASSERT_TRUE(act2.ok());
        (*act2)[0] = 0;
        expect_code(i.receive(*act2), Errc::net_handshake_failed, "act 2 version 0");
    }
    {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(i.start());
        ASSERT_TRUE(act2.ok());
        auto act3 = i.receive(*act2);
        ASSERT_TRUE(act3.ok());
        (*act3)[0] = 2;
        expect_code(r.receive(*act3), Errc::net_handshake_failed, "act 3 version 2");
    }
}

TEST(Handshake, TruncatedAndOversizedMessagesAreRefused) {
    Keys k;
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, kAct1Size - 1, kAct1Size + 1}) {
        Handshake r = Handshake::responder(k.bob);
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Bytes act1 = i.start();
        act1.resize(n);
        expect_code(r.receive(act1), Errc::net_handshake_failed, "act 1 of the wrong size");
    }
    {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        auto act2 = r.receive(i.start());
        ASSERT_TRUE(act2.ok());
        act2->pop_back();
        expect_code(i.receive(*act2), Errc::net_handshake_failed, "act 2 one byte short");
    }
    {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(i.start());
        auto act3 = i.receive(*act2);
        ASSERT_TRUE(act3.ok());
        act3->pop_back();
        expect_code(r.receive(*act3), Errc::net_handshake_failed, "act 3 one byte short");
    }
}

TEST(Handshake, GarbageIsRefused) {
    Keys k;
    for (int n = 0; n < 200; ++n) {
        {
            Handshake r = Handshake::responder(k.bob);
            Bytes act1 = random_bytes(kAct1Size);
            const auto out = r.receive(act1);
            ASSERT_FALSE(out.ok());
            // Either the version or the expected identity is wrong (a random 20 bytes is never bob).
            EXPECT_TRUE(out.error().code == Errc::net_handshake_failed ||
                        out.error().code == Errc::net_wrong_identity);
            act1[0] = kTransportVersion;
            const Address bob = k.bob.address();
            std::copy(bob.begin(), bob.end(), act1.begin() + 33);
            Handshake r2 = Handshake::responder(k.bob);
            const auto act2 = r2.receive(act1);
            if (act2.ok()) {
                Bytes act3 = random_bytes(kAct3Size);
                act3[0] = kTransportVersion;
                expect_code(r2.receive(act3), Errc::net_handshake_failed, "random act 3");
            } else {
                // Only a low-order ephemeral key fails here; a random one practically never is.
                EXPECT_EQ(act2.error().code, Errc::net_handshake_failed);
            }
        }
        {
            Handshake i = Handshake::initiator(k.alice, k.bob.address());
            (void)i.start();
            Bytes act2 = random_bytes(kAct2Size);
            act2[0] = kTransportVersion;
            expect_code(i.receive(act2), Errc::net_handshake_failed, "random act 2");
        }
    }
}

TEST(Handshake, TamperedMessagesAreRefused) {
    Keys k;
    for (std::size_t pos = 1; pos < kAct2Size; pos += 7) {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        auto act2 = r.receive(i.start());
        ASSERT_TRUE(act2.ok());
        (*act2)[pos] ^= 0x40;
        expect_code(i.receive(*act2), Errc::net_handshake_failed, "tampered act 2");
    }
    for (std::size_t pos = 1; pos < kAct3Size; pos += 7) {
        Handshake i = Handshake::initiator(k.alice, k.bob.address());
        Handshake r = Handshake::responder(k.bob);
        const auto act2 = r.receive(i.start());
        auto act3 = i.receive(*act2);
        ASSERT_TRUE(act3.ok());
        (*act3)[pos] ^= 0x40;
        expect_code(r.receive(*act3), Errc::net_handshake_failed, "tampered act 3");
    }
}

TEST(Handshake, LowOrderEphemeralKeyIsRefused) {
    Keys k;
    Handshake r = Handshake::responder(k.bob);
    Bytes act1(kAct1Size, 0);  // the all-zero X25519 point: the shared secret would be zero
    act1[0] = kTransportVersion;
    const Address bob = k.bob.address();
    std::copy(bob.begin(), bob.end(), act1.begin() + 33);
    expect_code(r.receive(act1), Errc::net_handshake_failed, "zero ephemeral key");
}

TEST(Handshake, SplicedAct2FromAnotherSessionIsRefused) {
    Keys k;
    Handshake i1 = Handshake::initiator(k.alice, k.bob.address());
    Handshake i2 = Handshake::initiator(k.alice, k.bob.address());
    Handshake r = Handshake::responder(k.bob);
    (void)i1.start();
    const auto act2_for_i2 = r.receive(i2.start());
    ASSERT_TRUE(act2_for_i2.ok());
    expect_code(i1.receive(*act2_for_i2), Errc::net_handshake_failed, "act 2 of another session");
}

TEST(Handshake, OutOfTurnCallsFail) {
    Keys k;
    Handshake i = Handshake::initiator(k.alice, k.bob.address());
    expect_code(i.receive(Bytes(kAct2Size)), Errc::net_handshake_failed, "before start");
    EXPECT_FALSE(i.take_session().ok());
}

}  // namespace
}  // namespace sluice::sdk::net
