// The secretstream frame codec: round trips, the size limit, rekeying in lockstep, and every way a stream can
// be broken (tampered, replayed, reordered, truncated chunks) failing as net_decrypt_failed.
#include "sluice/sdk/net/frame_codec.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <random>

#include "support/frame_feed.hpp"

namespace sluice::sdk::net {
namespace {

using testing::concat;
using testing::feed_all;

Secret<32> random_key() {
    Secret<32> key;
    randombytes_buf(key.mutable_data(), 32);
    return key;
}

Bytes pattern(std::size_t n, std::uint8_t seed = 1) {
    Bytes out(n);
    for (std::size_t i = 0; i < n; ++i)
        out[i] = static_cast<std::uint8_t>(seed + i * 131);
    return out;
}

struct Pair {
    Secret<32> key = random_key();
    FrameEncoder encoder;
    FrameDecoder decoder;
    explicit Pair(FrameOptions options = {}, FrameOptions decoder_options = {})
        : encoder(key, options), decoder(key, decoder_options) {}
    Bytes header() const { return Bytes(encoder.stream_header().begin(), encoder.stream_header().end()); }
};

TEST(FrameCodec, RoundTripsFramesOfManySizes) {
    Pair p;
    Bytes wire = p.header();
    const std::vector<std::size_t> sizes = {0, 1, 2, 17, 255, 4096, 65537, kMaxFrameSize};
    for (const std::size_t n : sizes) {
        const auto frame = p.encoder.encode(FrameKind::data, pattern(n));
        ASSERT_TRUE(frame.ok());
        EXPECT_EQ(frame->size(), kLengthChunkSize + n + 1 + kChunkOverhead);
        wire.insert(wire.end(), frame->begin(), frame->end());
    }
    const auto frames = feed_all(p.decoder, wire);
    ASSERT_TRUE(frames.ok()) << frames.error().describe();
    ASSERT_EQ(frames->size(), sizes.size());
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        EXPECT_EQ((*frames)[i].kind, FrameKind::data);
        EXPECT_EQ((*frames)[i].payload, pattern(sizes[i]));
    }
}

TEST(FrameCodec, LengthIsHidden) {
    // Two frames of different sizes: the length chunks are both 21 bytes and look unrelated.
    Pair p;
    const Bytes a = *p.encoder.encode(FrameKind::data, pattern(3));
    const Bytes b = *p.encoder.encode(FrameKind::data, pattern(3));
    EXPECT_NE(Bytes(a.begin(), a.begin() + kLengthChunkSize), Bytes(b.begin(), b.begin() + kLengthChunkSize));
    const std::array<std::uint8_t, 4> plain_length{0, 0, 0, 3};
    EXPECT_EQ(std::search(a.begin(), a.begin() + kLengthChunkSize, plain_length.begin(), plain_length.end()),
              a.begin() + kLengthChunkSize);
}

TEST(FrameCodec, PingPongAndClose) {
    Pair p;
    const Bytes wire =
        concat({p.header(), *p.encoder.encode(FrameKind::ping, pattern(8)),
                *p.encoder.encode(FrameKind::pong, pattern(8)), *p.encoder.encode(FrameKind::close, {})});
    const auto again = p.encoder.encode(FrameKind::data, pattern(1));
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, Errc::net_closed);
    const auto frames = feed_all(p.decoder, wire);
    ASSERT_TRUE(frames.ok());
    ASSERT_EQ(frames->size(), 3u);
    EXPECT_EQ((*frames)[0].kind, FrameKind::ping);
    EXPECT_EQ((*frames)[1].kind, FrameKind::pong);
    EXPECT_EQ((*frames)[2].kind, FrameKind::close);
    EXPECT_EQ(p.decoder.bytes_wanted(), 0u);
    const auto after = p.decoder.consume(pattern(21));
    ASSERT_FALSE(after.ok());
    EXPECT_EQ(after.error().code, Errc::net_closed);
}

TEST(FrameCodec, OversizeFrameIsRefusedBySenderAndReceiver) {
    {
        // The sender refuses above 1 MiB whatever its options say.
        FrameOptions big;
        big.max_frame_size = 4 * kMaxFrameSize;
        Pair p(big);
        const auto frame = p.encoder.encode(FrameKind::data, Bytes(kMaxFrameSize + 1));
        ASSERT_FALSE(frame.ok());
        EXPECT_EQ(frame.error().code, Errc::net_frame_too_large);
        // Nothing was consumed: the next frame still decodes.
        const auto ok = p.encoder.encode(FrameKind::data, pattern(5));
        const auto frames = feed_all(p.decoder, concat({p.header(), *ok}));
        ASSERT_TRUE(frames.ok());
        ASSERT_EQ(frames->size(), 1u);
    }
    {
        // The receiver refuses as soon as the length decrypts: it never asks for the body.
        FrameOptions small;
        small.max_frame_size = 1000;
        Pair p({}, small);
        const Bytes frame = *p.encoder.encode(FrameKind::data, pattern(1001));
        ASSERT_TRUE(p.decoder.consume(p.header()).ok());
        const auto length = p.decoder.consume(ByteView(frame).first(kLengthChunkSize));
        ASSERT_FALSE(length.ok());
        EXPECT_EQ(length.error().code, Errc::net_frame_too_large);
        EXPECT_EQ(p.decoder.bytes_wanted(), 0u);
    }
}

TEST(FrameCodec, TamperedChunksFail) {
    for (std::size_t flip : {std::size_t{0}, std::size_t{5}, kLengthChunkSize - 1, kLengthChunkSize,
                             kLengthChunkSize + 3, kLengthChunkSize + 1 + 10 + kChunkOverhead - 1}) {
        Pair p;
        Bytes frame = *p.encoder.encode(FrameKind::data, pattern(10));
        frame[flip] ^= 0x01;
        const auto frames = feed_all(p.decoder, concat({p.header(), frame}));
        ASSERT_FALSE(frames.ok()) << "flip at " << flip;
        EXPECT_EQ(frames.error().code, Errc::net_decrypt_failed);
        // The stream is dead afterwards.
        EXPECT_EQ(p.decoder.bytes_wanted(), 0u);
        EXPECT_EQ(p.decoder.consume(pattern(21)).error().code, Errc::net_decrypt_failed);
    }
}

TEST(FrameCodec, ReplayedFrameFails) {
    Pair p;
    const Bytes first = *p.encoder.encode(FrameKind::data, pattern(10));
    const auto frames = feed_all(p.decoder, concat({p.header(), first, first}));
    ASSERT_FALSE(frames.ok());
    EXPECT_EQ(frames.error().code, Errc::net_decrypt_failed);
}

TEST(FrameCodec, ReorderedFramesFail) {
    Pair p;
    const Bytes first = *p.encoder.encode(FrameKind::data, pattern(10, 1));
    const Bytes second = *p.encoder.encode(FrameKind::data, pattern(10, 2));
    const auto frames = feed_all(p.decoder, concat({p.header(), second, first}));
    ASSERT_FALSE(frames.ok());
    EXPECT_EQ(frames.error().code, Errc::net_decrypt_failed);
}

TEST(FrameCodec, TruncatedChunksFail) {
    {
        Pair p;
        const Bytes frame = *p.encoder.encode(FrameKind::data, pattern(10));
        ASSERT_TRUE(p.decoder.consume(p.header()).ok());
        const auto cut = p.decoder.consume(ByteView(frame).first(kLengthChunkSize - 1));
        ASSERT_FALSE(cut.ok());
        EXPECT_EQ(cut.error().code, Errc::net_decrypt_failed);
    }
    {
        // A frame missing its last byte, with the next frame behind it: the chunks no longer line up.
        Pair p;
        Bytes frame = *p.encoder.encode(FrameKind::data, pattern(10));
        frame.pop_back();
        const Bytes next = *p.encoder.encode(FrameKind::data, pattern(10));
        const auto frames = feed_all(p.decoder, concat({p.header(), frame, next}));
        ASSERT_FALSE(frames.ok());
        EXPECT_EQ(frames.error().code, Errc::net_decrypt_failed);
    }
    {
        // A frame cut off after the length: the body never authenticates as a length chunk either.
        Pair p;
        const Bytes frame = *p.encoder.encode(FrameKind::data, pattern(10));
        const Bytes next = *p.encoder.encode(FrameKind::data, pattern(10));
        const auto frames =
            feed_all(p.decoder, concat({p.header(), ByteView(frame).first(kLengthChunkSize), next}));
        ASSERT_FALSE(frames.ok());
        EXPECT_EQ(frames.error().code, Errc::net_decrypt_failed);
    }
}

TEST(FrameCodec, WrongKeyFails) {
    Pair p;
    FrameDecoder other(random_key(), {});
    const auto frames = feed_all(other, concat({p.header(), *p.encoder.encode(FrameKind::data, pattern(4))}));
    ASSERT_FALSE(frames.ok());
    EXPECT_EQ(frames.error().code, Errc::net_decrypt_failed);
}

TEST(FrameCodec, TenThousandFramesAcrossManyRekeys) {
    FrameOptions options;
    options.rekey_interval = 7;
    Pair p(options, options);
    ASSERT_TRUE(p.decoder.consume(p.header()).ok());
    std::mt19937 rng(3);
    for (int i = 0; i < 10'000; ++i) {
        const Bytes payload = pattern(rng() % 300, static_cast<std::uint8_t>(i));
        const FrameKind kind = i % 13 == 0 ? FrameKind::ping : FrameKind::data;
        const auto frames = feed_all(p.decoder, *p.encoder.encode(kind, payload));
        ASSERT_TRUE(frames.ok()) << "frame " << i << ": " << frames.error().describe();
        ASSERT_EQ(frames->size(), 1u);
        ASSERT_EQ((*frames)[0].payload, payload);
        ASSERT_EQ((*frames)[0].kind, kind);
    }
    EXPECT_EQ(p.encoder.frames(), 10'000u);
    EXPECT_EQ(p.decoder.frames(), 10'000u);
}

TEST(FrameCodec, RekeyChangesTheKeys) {
    // Ends that disagree on the interval part ways exactly at the first rekey: the rekey really happens.
    FrameOptions every3;
    every3.rekey_interval = 3;
    FrameOptions never;
    never.rekey_interval = 0;
    Pair p(every3, never);
    ASSERT_TRUE(p.decoder.consume(p.header()).ok());
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(feed_all(p.decoder, *p.encoder.encode(FrameKind::data, pattern(5))).ok()) << i;
    }
    const auto fourth = feed_all(p.decoder, *p.encoder.encode(FrameKind::data, pattern(5)));
    ASSERT_FALSE(fourth.ok());
    EXPECT_EQ(fourth.error().code, Errc::net_decrypt_failed);
}

}  // namespace
}  // namespace sluice::sdk::net
