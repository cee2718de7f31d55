// An independent implementation of the handshake from its specification (docs/transport.md §handshake),
// written straight against libsodium and core's secp256k1. The tests use it to check that the code follows
// the document, and to build messages the real state machine would never send (valid encryption around a bad
// signature).
#pragma once

#include <sodium.h>

#include <array>
#include <cstring>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/secp256k1.hpp"

namespace sluice::sdk::net::reference {

inline Hash h(std::initializer_list<ByteView> parts, const std::uint8_t* key = nullptr) {
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, key ? 32 : 0, 32);
    for (const ByteView p : parts)
        crypto_generichash_update(&state, p.data(), p.size());
    Hash out;
    crypto_generichash_final(&state, out.data(), 32);
    return out;
}

inline ByteView label(std::string_view s) {
    return as_bytes(s);
}

inline Bytes seal(const Hash& key, const Hash& ad, ByteView plaintext) {
    const std::array<std::uint8_t, 12> nonce{};
    Bytes out(plaintext.size() + 16);
    crypto_aead_chacha20poly1305_ietf_encrypt(out.data(), nullptr, plaintext.data(), plaintext.size(),
                                              ad.data(), 32, nullptr, nonce.data(), key.data());
    return out;
}

inline bool open(const Hash& key, const Hash& ad, ByteView ciphertext, std::uint8_t* out) {
    const std::array<std::uint8_t, 12> nonce{};
    return crypto_aead_chacha20poly1305_ietf_decrypt(out, nullptr, nullptr, ciphertext.data(),
                                                     ciphertext.size(), ad.data(), 32, nonce.data(),
                                                     key.data()) == 0;
}

// The initiator's side, step by step, with hooks to sign something else.
struct Initiator {
    std::array<std::uint8_t, 32> e_pub{};
    std::array<std::uint8_t, 32> e_sec{};
    Hash transcript = h({label("sluice-transport/1")});
    std::array<std::uint8_t, 32> k_r2i{};  // crypto_kx client rx
    std::array<std::uint8_t, 32> k_i2r{};  // crypto_kx client tx
    Address responder;

    Initiator() { crypto_kx_keypair(e_pub.data(), e_sec.data()); }

    Bytes act1(const Address& expected, std::uint8_t version = 1) {
        Bytes m{version};
        m.insert(m.end(), e_pub.begin(), e_pub.end());
        m.insert(m.end(), expected.begin(), expected.end());
        transcript = h({transcript.view(), m});
        return m;
    }

    // Reads act 2 and returns the responder address its signature proves (zero address on any failure).
    Address read_act2(ByteView act2) {
        if (crypto_kx_client_session_keys(k_r2i.data(), k_i2r.data(), e_pub.data(), e_sec.data(),
                                          act2.data() + 1) != 0) {
            return {};
        }
        const Hash signed2 = h({transcript.view(), act2.first(33)});
        const Hash key = h({label("sluice-transport/1 act2"), signed2.view()}, k_r2i.data());
        std::array<std::uint8_t, 65> sig{};
        if (!open(key, signed2, act2.subspan(33), sig.data())) return {};
        const auto signature = Signature::from_bytes(sig);
        if (!signature.ok()) return {};
        const auto who =
            recover_address(h({label("sluice-transport/1 responder signature"), signed2.view()}), *signature);
        transcript = h({transcript.view(), act2});
        return who.ok() ? *who : Address{};
    }

    // Act 3 claiming `claimed`, signed by `signer` over the digest the spec asks for (or a wrong one).
    Bytes act3(const Address& claimed, const PrivateKey& signer, bool wrong_digest = false) {
        const Hash signed3 = h({transcript.view(), claimed.view()});
        Hash digest = h({label("sluice-transport/1 initiator signature"), signed3.view()});
        if (wrong_digest) digest[0] ^= 1;
        const auto sig = sign(signer, digest).to_bytes();
        Bytes plaintext(claimed.begin(), claimed.end());
        plaintext.insert(plaintext.end(), sig.begin(), sig.end());
        const Hash key = h({label("sluice-transport/1 act3"), transcript.view()}, k_i2r.data());
        Bytes m{1};
        const Bytes sealed = seal(key, transcript, plaintext);
        m.insert(m.end(), sealed.begin(), sealed.end());
        transcript = h({transcript.view(), m});
        return m;
    }

    Hash send_key() const { return h({label("sluice-transport/1 stream"), transcript.view()}, k_i2r.data()); }
    Hash receive_key() const {
        return h({label("sluice-transport/1 stream"), transcript.view()}, k_r2i.data());
    }
};

// The responder's side: answers act 1 with a signature by `signer` (over a wrong digest if asked).
struct Responder {
    std::array<std::uint8_t, 32> e_pub{};
    std::array<std::uint8_t, 32> e_sec{};
    Hash transcript = h({label("sluice-transport/1")});
    std::array<std::uint8_t, 32> k_i2r{};  // crypto_kx server rx
    std::array<std::uint8_t, 32> k_r2i{};  // crypto_kx server tx

    Responder() { crypto_kx_keypair(e_pub.data(), e_sec.data()); }

    Bytes act2(ByteView act1, const PrivateKey& signer, bool wrong_digest = false, bool high_s = false) {
        transcript = h({transcript.view(), act1});
        if (crypto_kx_server_session_keys(k_i2r.data(), k_r2i.data(), e_pub.data(), e_sec.data(),
                                          act1.data() + 1) != 0) {
            return {};
        }
        Bytes m{1};
        m.insert(m.end(), e_pub.begin(), e_pub.end());
        const Hash signed2 = h({transcript.view(), m});
        Hash digest = h({label("sluice-transport/1 responder signature"), signed2.view()});
        if (wrong_digest) digest[0] ^= 1;
        auto sig = sign(signer, digest).to_bytes();
        if (high_s) {
            // s -> n - s (and flip v): the same signature, malleated to high s.
            int borrow = 0;
            for (int i = 31; i >= 0; --i) {
                const int d = kSecp256k1Order[static_cast<std::size_t>(i)] -
                              sig[32 + static_cast<std::size_t>(i)] - borrow;
                sig[32 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(d & 0xff);
                borrow = d < 0 ? 1 : 0;
            }
            sig[64] = sig[64] == 27 ? 28 : 27;
        }
        const Hash key = h({label("sluice-transport/1 act2"), signed2.view()}, k_r2i.data());
        const Bytes sealed = seal(key, signed2, sig);
        m.insert(m.end(), sealed.begin(), sealed.end());
        transcript = h({transcript.view(), m});
        return m;
    }
};

}  // namespace sluice::sdk::net::reference
