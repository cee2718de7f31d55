// Frames after the handshake, sans I/O: one libsodium secretstream (XChaCha20-Poly1305) per direction.
//
// A direction starts with the 24-byte secretstream header. Each frame is then two chunks: the encrypted
// 4-byte big-endian payload length (21 bytes on the wire), then the encrypted body, a kind byte and the
// payload (payload
// + 18 bytes). The length is thus authenticated and hidden, and a frame above the limit is refused as soon as
// its 21 length bytes decrypt, before anything is allocated for it. Any chunk that does not authenticate
// (tampered, replayed, reordered, truncated) fails the whole stream: secretstream's nonces advance with every
// chunk. Both ends rekey (crypto_secretstream_xchacha20poly1305_rekey) after every `rekey_interval` frames,
// counting every frame of the direction (pings too); the two ends of a direction must use the same interval.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secret.hpp"

namespace sluice::sdk::net {

inline constexpr std::size_t kMaxFrameSize = std::size_t{1} << 20;  // payload bytes
inline constexpr std::uint32_t kDefaultRekeyInterval = 1024;
// libsodium's crypto_secretstream_xchacha20poly1305 HEADERBYTES and ABYTES (checked in frame_codec.cpp).
inline constexpr std::size_t kStreamHeaderSize = 24;
inline constexpr std::size_t kChunkOverhead = 17;
inline constexpr std::size_t kLengthChunkSize = 4 + kChunkOverhead;

struct FrameOptions {
    std::size_t max_frame_size = kMaxFrameSize;            // at most kMaxFrameSize
    std::uint32_t rekey_interval = kDefaultRekeyInterval;  // 0: never (secretstream still rekeys by itself)
};

// ping/pong keep an idle connection alive; close (sent with secretstream's FINAL tag) ends the stream
// cleanly.
enum class FrameKind : std::uint8_t { data = 0, ping = 1, pong = 2, close = 3 };

struct Frame {
    FrameKind kind = FrameKind::data;
    Bytes payload;
};

class FrameEncoder {
  public:
    FrameEncoder(const Secret<32>& key, FrameOptions options) noexcept;
    ~FrameEncoder();
    FrameEncoder(FrameEncoder&& other) noexcept;
    FrameEncoder& operator=(FrameEncoder&&) = delete;
    FrameEncoder(const FrameEncoder&) = delete;
    FrameEncoder& operator=(const FrameEncoder&) = delete;

    // Sent once, before the first frame.
    ByteView stream_header() const noexcept { return {header_.data(), header_.size()}; }

    // The frame's bytes on the wire. net_frame_too_large above the limit (nothing is consumed then);
    // net_closed after a close frame.
    Result<Bytes> encode(FrameKind kind, ByteView payload);

    std::uint64_t frames() const noexcept { return frames_; }

  private:
    // libsodium's crypto_secretstream_xchacha20poly1305_state, opaque here so sodium.h stays private.
    alignas(16) std::array<unsigned char, 64> state_{};
    std::array<std::uint8_t, kStreamHeaderSize> header_{};
    FrameOptions options_;
    std::uint64_t frames_ = 0;
    bool closed_ = false;
};

class FrameDecoder {
  public:
    FrameDecoder(const Secret<32>& key, FrameOptions options) noexcept;
    ~FrameDecoder();
    FrameDecoder(FrameDecoder&& other) noexcept;
    FrameDecoder& operator=(FrameDecoder&&) = delete;
    FrameDecoder(const FrameDecoder&) = delete;
    FrameDecoder& operator=(const FrameDecoder&) = delete;

    // The exact size of the next piece to feed: the header, a length chunk or a body chunk; 0 once closed or
    // failed.
    std::size_t bytes_wanted() const noexcept;

    // Feeds exactly bytes_wanted() bytes. A complete frame comes out after its body; nothing after a header
    // or a length. Errors: net_decrypt_failed (does not authenticate, wrong size, breaks the frame rules),
    // net_frame_too_large (the announced length is above the limit), net_closed (fed after the close frame).
    // After an error every call fails.
    Result<std::optional<Frame>> consume(ByteView chunk);

    std::uint64_t frames() const noexcept { return frames_; }
    // True before the header and between frames: where a stream may end without losing part of a frame.
    bool between_frames() const noexcept { return stage_ == State::header || stage_ == State::length; }

  private:
    enum class State : std::uint8_t { header, length, body, closed, failed };
    Error fail(Errc code, std::string message);

    // libsodium's crypto_secretstream_xchacha20poly1305_state, opaque here so sodium.h stays private.
    alignas(16) std::array<unsigned char, 64> state_{};
    Secret<32> key_;  // kept only until the header arrives
    FrameOptions options_;
    State stage_ = State::header;
    std::size_t body_size_ = 0;  // ciphertext bytes of the pending body
    std::uint64_t frames_ = 0;
};

}  // namespace sluice::sdk::net
