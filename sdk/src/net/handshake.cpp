// The transport handshake state machine (handshake.hpp; the bytes are specified in docs/transport.md).
#include "sluice/sdk/net/handshake.hpp"

#include <sodium.h>

#include <cstring>
#include <string_view>

namespace sluice::sdk::net {

namespace {

constexpr std::string_view kProtocolName = "sluice-transport/1";
constexpr std::string_view kResponderSignatureLabel = "sluice-transport/1 responder signature";
constexpr std::string_view kInitiatorSignatureLabel = "sluice-transport/1 initiator signature";
constexpr std::string_view kAct2KeyLabel = "sluice-transport/1 act2";
constexpr std::string_view kAct3KeyLabel = "sluice-transport/1 act3";
constexpr std::string_view kStreamKeyLabel = "sluice-transport/1 stream";
constexpr std::size_t kSignatureSize = 65;
constexpr std::size_t kTagSize = crypto_aead_chacha20poly1305_ietf_ABYTES;

static_assert(crypto_kx_PUBLICKEYBYTES == 32 && crypto_kx_SECRETKEYBYTES == 32 &&
              crypto_kx_SESSIONKEYBYTES == 32);
static_assert(kTagSize == 16 && crypto_aead_chacha20poly1305_ietf_KEYBYTES == 32);

// BLAKE2b-256 of the concatenation of `parts`, keyed when `key` is given.
Hash blake2b(std::initializer_list<ByteView> parts, const Secret<32>* key = nullptr) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, key ? key->data() : nullptr, key ? 32 : 0, 32);
    for (const ByteView part : parts)
        crypto_generichash_update(&state, part.data(), part.size());
    Hash out;
    crypto_generichash_final(&state, out.data(), 32);
    sodium_memzero(&state, sizeof state);
    return out;
}

// A key for one AEAD message or one stream direction, from a crypto_kx session key, a label and a transcript
// hash.
Secret<32> derive_key(const Secret<32>& session_key, std::string_view label, const Hash& transcript) {
    Hash raw = blake2b({as_bytes(label), transcript.view()}, &session_key);
    Secret<32> out = *Secret<32>::from_view(raw.view());
    sodium_memzero(raw.data(), raw.size());
    return out;
}

// Each AEAD key encrypts exactly one message, so a zero nonce is safe.
Bytes seal(const Secret<32>& key, const Hash& ad, ByteView plaintext) {
    const std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> nonce{};
    Bytes out(plaintext.size() + kTagSize);
    unsigned long long written = 0;
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), &written, plaintext.data(), plaintext.size(),
                                              ad.data(), ad.size(), nullptr, nonce.data(), key.data());
    return out;
}

bool open(const Secret<32>& key, const Hash& ad, ByteView ciphertext, std::uint8_t* plaintext) {
    const std::array<std::uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES> nonce{};
    unsigned long long written = 0;
    return crypto_aead_chacha20poly1305_ietf_decrypt(plaintext, &written, nullptr, ciphertext.data(),
                                                     ciphertext.size(), ad.data(), ad.size(), nonce.data(),
                                                     key.data()) == 0;
}

}  // namespace

Handshake::Handshake(Role role, const PrivateKey& identity, const Address& expected) noexcept
    : role_(role), identity_(identity), expected_(expected) {
    crypto_kx_keypair(ephemeral_public_.data(), ephemeral_secret_.mutable_data());
    transcript_ = blake2b({as_bytes(kProtocolName)});
}

Handshake Handshake::initiator(const PrivateKey& identity, const Address& expected_responder) {
    return Handshake(Role::initiator, identity, expected_responder);
}

Handshake Handshake::responder(const PrivateKey& identity) {
    return Handshake(Role::responder, identity, Address{});
}

Error Handshake::fail(Errc code, std::string message) {
    state_ = State::failed;
    ephemeral_secret_.wipe();
    key_i2r_.wipe();
    key_r2i_.wipe();
    return make_error(
        code, std::string(role_ == Role::initiator ? "handshake (initiator): " : "handshake (responder): ") +
                  std::move(message));
}

Bytes Handshake::start() {
    if (state_ != State::start) return {};
    if (role_ == Role::responder) {
        state_ = State::wait_act1;
        return {};
    }
    Bytes act1;
    act1.reserve(kAct1Size);
    act1.push_back(kTransportVersion);
    act1.insert(act1.end(), ephemeral_public_.begin(), ephemeral_public_.end());
    act1.insert(act1.end(), expected_.begin(), expected_.end());
    transcript_ = blake2b({transcript_.view(), act1});
    state_ = State::wait_act2;
    return act1;
}

std::size_t Handshake::bytes_wanted() const noexcept {
    switch (state_) {
        case State::start:
            return role_ == Role::responder ? kAct1Size : 0;
        case State::wait_act1:
            return kAct1Size;
        case State::wait_act2:
            return kAct2Size;
        case State::wait_act3:
            return kAct3Size;
        case State::established:
        case State::taken:
        case State::failed:
            return 0;
    }
    return 0;
}

Result<Bytes> Handshake::receive(ByteView message) {
    if (state_ == State::start && role_ == Role::responder) state_ = State::wait_act1;
    switch (state_) {
        case State::wait_act1:
            return on_act1(message);
        case State::wait_act2:
            return on_act2(message);
        case State::wait_act3:
            return on_act3(message);
        case State::start:
            return fail(Errc::net_handshake_failed, "received a message before start()");
        case State::established:
        case State::taken:
            return fail(Errc::net_handshake_failed, "received a message after the handshake completed");
        case State::failed:
            return make_error(Errc::net_handshake_failed, "handshake already failed");
    }
    return fail(Errc::internal, "unreachable handshake state");
}

Result<Bytes> Handshake::on_act1(ByteView act1) {
    if (act1.size() != kAct1Size) return fail(Errc::net_handshake_failed, "act 1 has the wrong size");
    if (act1[0] != kTransportVersion) {
        return fail(Errc::net_handshake_failed, "unsupported transport version " + std::to_string(act1[0]));
    }
    const ByteView peer_ephemeral = act1.subspan(1, 32);
    const ByteView wanted = act1.subspan(33, 20);
    if (*Address::from_view(wanted) != identity_.address()) {
        return fail(Errc::net_wrong_identity, "the initiator dialled another identity");
    }
    transcript_ = blake2b({transcript_.view(), act1});
    // Server side of crypto_kx: rx is what the initiator sends us.
    if (crypto_kx_server_session_keys(key_i2r_.mutable_data(), key_r2i_.mutable_data(),
                                      ephemeral_public_.data(), ephemeral_secret_.data(),
                                      peer_ephemeral.data()) != 0) {
        return fail(Errc::net_handshake_failed, "the initiator's ephemeral key is not usable");
    }
    ephemeral_secret_.wipe();

    Bytes act2;
    act2.reserve(kAct2Size);
    act2.push_back(kTransportVersion);
    act2.insert(act2.end(), ephemeral_public_.begin(), ephemeral_public_.end());
    const Hash signed_transcript = blake2b({transcript_.view(), act2});
    const Signature signature =
        sign(identity_, blake2b({as_bytes(kResponderSignatureLabel), signed_transcript.view()}));
    const auto signature_bytes = signature.to_bytes();
    const Secret<32> key = derive_key(key_r2i_, kAct2KeyLabel, signed_transcript);
    const Bytes sealed = seal(key, signed_transcript, signature_bytes);
    act2.insert(act2.end(), sealed.begin(), sealed.end());
    transcript_ = blake2b({transcript_.view(), act2});
    state_ = State::wait_act3;
    return act2;
}

Result<Bytes> Handshake::on_act2(ByteView act2) {
    if (act2.size() == 1 && act2[0] == kRefusal) {
        return fail(Errc::net_wrong_identity,
                    "the responder is not " + expected_.to_checksum_hex() + " (it refused)");
    }
    if (act2.size() != kAct2Size) return fail(Errc::net_handshake_failed, "act 2 has the wrong size");
    if (act2[0] != kTransportVersion) {
        return fail(Errc::net_handshake_failed, "unsupported transport version " + std::to_string(act2[0]));
    }
    const ByteView peer_ephemeral = act2.subspan(1, 32);
    // Client side of crypto_kx: tx is what we send to the responder.
    if (crypto_kx_client_session_keys(key_r2i_.mutable_data(), key_i2r_.mutable_data(),
                                      ephemeral_public_.data(), ephemeral_secret_.data(),
                                      peer_ephemeral.data()) != 0) {
        return fail(Errc::net_handshake_failed, "the responder's ephemeral key is not usable");
    }
    ephemeral_secret_.wipe();
    const Hash signed_transcript = blake2b({transcript_.view(), act2.first(33)});
    const Secret<32> key = derive_key(key_r2i_, kAct2KeyLabel, signed_transcript);
    std::array<std::uint8_t, kSignatureSize> signature_bytes{};
    if (!open(key, signed_transcript, act2.subspan(33), signature_bytes.data())) {
        return fail(Errc::net_handshake_failed, "act 2 does not authenticate");
    }
    const auto signature = Signature::from_bytes(signature_bytes);
    if (!signature.ok()) return fail(Errc::net_handshake_failed, "act 2: " + signature.error().describe());
    const auto signer =
        recover_address(blake2b({as_bytes(kResponderSignatureLabel), signed_transcript.view()}), *signature);
    if (!signer.ok()) return fail(Errc::net_handshake_failed, "act 2: " + signer.error().describe());
    if (*signer != expected_) {
        return fail(Errc::net_wrong_identity,
                    "the responder is " + signer->to_checksum_hex() + ", not " + expected_.to_checksum_hex());
    }
    peer_ = *signer;
    transcript_ = blake2b({transcript_.view(), act2});

    const Address ours = identity_.address();
    const Hash signed3 = blake2b({transcript_.view(), ours.view()});
    const auto signature3 =
        sign(identity_, blake2b({as_bytes(kInitiatorSignatureLabel), signed3.view()})).to_bytes();
    std::array<std::uint8_t, 20 + kSignatureSize> plaintext{};
    std::memcpy(plaintext.data(), ours.data(), 20);
    std::memcpy(plaintext.data() + 20, signature3.data(), kSignatureSize);
    const Secret<32> key3 = derive_key(key_i2r_, kAct3KeyLabel, transcript_);
    const Bytes sealed = seal(key3, transcript_, plaintext);
    Bytes act3;
    act3.reserve(kAct3Size);
    act3.push_back(kTransportVersion);
    act3.insert(act3.end(), sealed.begin(), sealed.end());
    transcript_ = blake2b({transcript_.view(), act3});
    finish();
    return act3;
}

Result<Bytes> Handshake::on_act3(ByteView act3) {
    if (act3.size() != kAct3Size) return fail(Errc::net_handshake_failed, "act 3 has the wrong size");
    if (act3[0] != kTransportVersion) {
        return fail(Errc::net_handshake_failed, "unsupported transport version " + std::to_string(act3[0]));
    }
    const Secret<32> key3 = derive_key(key_i2r_, kAct3KeyLabel, transcript_);
    std::array<std::uint8_t, 20 + kSignatureSize> plaintext{};
    if (!open(key3, transcript_, act3.subspan(1), plaintext.data())) {
        return fail(Errc::net_handshake_failed, "act 3 does not authenticate");
    }
    const Address claimed = *Address::from_view(ByteView(plaintext.data(), 20));
    const auto signature = Signature::from_bytes(ByteView(plaintext.data() + 20, kSignatureSize));
    if (!signature.ok()) return fail(Errc::net_handshake_failed, "act 3: " + signature.error().describe());
    const Hash signed3 = blake2b({transcript_.view(), claimed.view()});
    const Status checked =
        check_signature(claimed, blake2b({as_bytes(kInitiatorSignatureLabel), signed3.view()}), *signature);
    if (!checked.ok()) {
        return fail(Errc::net_handshake_failed, "act 3: the initiator's signature does not prove " +
                                                    claimed.to_checksum_hex() + ": " +
                                                    checked.error().describe());
    }
    peer_ = claimed;
    transcript_ = blake2b({transcript_.view(), act3});
    finish();
    return Bytes{};
}

void Handshake::finish() {
    Session session{peer_, {}, {}, transcript_};
    const bool initiator = role_ == Role::initiator;
    session.send_key = derive_key(initiator ? key_i2r_ : key_r2i_, kStreamKeyLabel, transcript_);
    session.receive_key = derive_key(initiator ? key_r2i_ : key_i2r_, kStreamKeyLabel, transcript_);
    key_i2r_.wipe();
    key_r2i_.wipe();
    session_ = std::move(session);
    state_ = State::established;
}

Result<Session> Handshake::take_session() {
    if (state_ != State::established || !session_) {
        return make_error(Errc::net_handshake_failed, "handshake: no session to take");
    }
    state_ = State::taken;
    Session out = std::move(*session_);
    session_.reset();
    return out;
}

}  // namespace sluice::sdk::net
