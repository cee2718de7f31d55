// Secretstream frame encoder and decoder (frame_codec.hpp).
#include "sluice/sdk/net/frame_codec.hpp"

#include <sodium.h>

#include <cstring>

namespace sluice::sdk::net {

namespace {

using State = crypto_secretstream_xchacha20poly1305_state;
static_assert(sizeof(State) <= 64 && alignof(State) <= 16);
static_assert(kStreamHeaderSize == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(kChunkOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);
static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == 32);

State* as_state(std::array<unsigned char, 64>& storage) {
    return reinterpret_cast<State*>(storage.data());
}

constexpr unsigned char kTagMessage = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
constexpr unsigned char kTagFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;

bool known_kind(std::uint8_t kind) {
    return kind <= static_cast<std::uint8_t>(FrameKind::close);
}

std::size_t limit_of(const FrameOptions& options) {
    return std::min(options.max_frame_size, kMaxFrameSize);
}

}  // namespace

FrameEncoder::FrameEncoder(const Secret<32>& key, FrameOptions options) noexcept : options_(options) {
    crypto_secretstream_xchacha20poly1305_init_push(as_state(state_), header_.data(), key.data());
}

FrameEncoder::~FrameEncoder() {
    sodium_memzero(state_.data(), state_.size());
}

FrameEncoder::FrameEncoder(FrameEncoder&& other) noexcept
    : state_(other.state_),
      header_(other.header_),
      options_(other.options_),
      frames_(other.frames_),
      closed_(other.closed_) {
    sodium_memzero(other.state_.data(), other.state_.size());
    other.closed_ = true;
}

Result<Bytes> FrameEncoder::encode(FrameKind kind, ByteView payload) {
    if (closed_) return make_error(Errc::net_closed, "frame encoder: the stream was closed");
    if (payload.size() > limit_of(options_)) {
        return make_error(Errc::net_frame_too_large, "frame of " + std::to_string(payload.size()) +
                                                         " bytes, above the limit of " +
                                                         std::to_string(limit_of(options_)));
    }
    const auto length = static_cast<std::uint32_t>(payload.size());
    const std::array<std::uint8_t, 4> length_be{
        static_cast<std::uint8_t>(length >> 24), static_cast<std::uint8_t>(length >> 16),
        static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
    Bytes body(1 + payload.size());
    body[0] = static_cast<std::uint8_t>(kind);
    if (!payload.empty()) std::memcpy(body.data() + 1, payload.data(), payload.size());

    Bytes out(kLengthChunkSize + body.size() + kChunkOverhead);
    crypto_secretstream_xchacha20poly1305_push(as_state(state_), out.data(), nullptr, length_be.data(), 4,
                                               nullptr, 0, kTagMessage);
    const unsigned char tag = kind == FrameKind::close ? kTagFinal : kTagMessage;
    crypto_secretstream_xchacha20poly1305_push(as_state(state_), out.data() + kLengthChunkSize, nullptr,
                                               body.data(), body.size(), nullptr, 0, tag);
    sodium_memzero(body.data(), body.size());
    ++frames_;
    if (options_.rekey_interval != 0 && frames_ % options_.rekey_interval == 0) {
        crypto_secretstream_xchacha20poly1305_rekey(as_state(state_));
    }
    if (kind == FrameKind::close) closed_ = true;
    return out;
}

FrameDecoder::FrameDecoder(const Secret<32>& key, FrameOptions options) noexcept
    : key_(key), options_(options) {}

FrameDecoder::~FrameDecoder() {
    sodium_memzero(state_.data(), state_.size());
}

FrameDecoder::FrameDecoder(FrameDecoder&& other) noexcept
    : state_(other.state_),
      key_(std::move(other.key_)),
      options_(other.options_),
      stage_(other.stage_),
      body_size_(other.body_size_),
      frames_(other.frames_) {
    sodium_memzero(other.state_.data(), other.state_.size());
    other.stage_ = State::failed;
}

std::size_t FrameDecoder::bytes_wanted() const noexcept {
    switch (stage_) {
        case State::header:
            return kStreamHeaderSize;
        case State::length:
            return kLengthChunkSize;
        case State::body:
            return body_size_;
        case State::closed:
        case State::failed:
            return 0;
    }
    return 0;
}

Error FrameDecoder::fail(Errc code, std::string message) {
    stage_ = State::failed;
    sodium_memzero(state_.data(), state_.size());
    key_.wipe();
    return make_error(code, "frame decoder: " + std::move(message));
}

Result<std::optional<Frame>> FrameDecoder::consume(ByteView chunk) {
    if (stage_ == State::failed)
        return make_error(Errc::net_decrypt_failed, "frame decoder: the stream failed");
    if (stage_ == State::closed)
        return make_error(Errc::net_closed, "frame decoder: the peer closed the stream");
    if (chunk.size() != bytes_wanted()) {
        return fail(Errc::net_decrypt_failed, "truncated chunk: " + std::to_string(chunk.size()) +
                                                  " bytes of " + std::to_string(bytes_wanted()));
    }
    switch (stage_) {
        case State::header: {
            const int rc =
                crypto_secretstream_xchacha20poly1305_init_pull(as_state(state_), chunk.data(), key_.data());
            key_.wipe();
            if (rc != 0) return fail(Errc::net_decrypt_failed, "bad stream header");
            stage_ = State::length;
            return std::optional<Frame>{};
        }
        case State::length: {
            std::array<std::uint8_t, 4> length_be{};
            unsigned char tag = 0;
            if (crypto_secretstream_xchacha20poly1305_pull(as_state(state_), length_be.data(), nullptr, &tag,
                                                           chunk.data(), chunk.size(), nullptr, 0) != 0) {
                return fail(Errc::net_decrypt_failed, "length chunk does not authenticate");
            }
            if (tag != kTagMessage)
                return fail(Errc::net_decrypt_failed, "length chunk with an unexpected tag");
            const std::uint32_t length = (std::uint32_t{length_be[0]} << 24) |
                                         (std::uint32_t{length_be[1]} << 16) |
                                         (std::uint32_t{length_be[2]} << 8) | std::uint32_t{length_be[3]};
            if (length > limit_of(options_)) {
                return fail(Errc::net_frame_too_large, "peer announced a frame of " + std::to_string(length) +
                                                           " bytes, above the limit of " +
                                                           std::to_string(limit_of(options_)));
            }
            body_size_ = std::size_t{length} + 1 + kChunkOverhead;
            stage_ = State::body;
            return std::optional<Frame>{};
        }
        case State::body: {
            Bytes body(body_size_ - kChunkOverhead);
            unsigned char tag = 0;
            if (crypto_secretstream_xchacha20poly1305_pull(as_state(state_), body.data(), nullptr, &tag,
                                                           chunk.data(), chunk.size(), nullptr, 0) != 0) {
                return fail(Errc::net_decrypt_failed, "frame body does not authenticate");
            }
            if (!known_kind(body[0])) {
                return fail(Errc::net_decrypt_failed, "unknown frame kind " + std::to_string(body[0]));
            }
            const auto kind = static_cast<FrameKind>(body[0]);
            if ((kind == FrameKind::close) != (tag == kTagFinal) ||
                (tag != kTagFinal && tag != kTagMessage)) {
                return fail(Errc::net_decrypt_failed, "frame body with an unexpected tag");
            }
            ++frames_;
            if (options_.rekey_interval != 0 && frames_ % options_.rekey_interval == 0) {
                crypto_secretstream_xchacha20poly1305_rekey(as_state(state_));
            }
            stage_ = kind == FrameKind::close ? State::closed : State::length;
            body.erase(body.begin());
            Frame frame{kind, std::move(body)};
            return std::optional<Frame>{std::move(frame)};
        }
        case State::closed:
        case State::failed:
            break;
    }
    return fail(Errc::internal, "unreachable decoder state");
}

}  // namespace sluice::sdk::net
