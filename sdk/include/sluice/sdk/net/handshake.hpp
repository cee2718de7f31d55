// The transport handshake, sans I/O: messages in and out as bytes, so it can be unit-tested and fuzzed
// without sockets. Three fixed-size messages (docs/transport.md §handshake has them byte by byte):
//
//   act 1  initiator -> responder  version, initiator's ephemeral X25519 key, the responder identity it
//   expects act 2  responder -> initiator  version, responder's ephemeral key, AEAD(responder's signature)
//   act 3  initiator -> responder  version, AEAD(initiator's identity, initiator's signature)
//
// Both sides hash everything sent and received into one transcript (BLAKE2b-256, starting from the protocol
// name), and each signs the transcript with its secp256k1 identity key (recoverable, low-s). Identities are
// Ethereum addresses: the signature recovers the public key, so knowing the address is enough to dial (as
// Noise XK, the initiator must know whom it calls; a wrong one is net_wrong_identity on both ends). The
// signatures travel encrypted under keys from the X25519 exchange, which hides the initiator's identity from
// a passive observer and binds each identity to the shared secret (a relay cannot re-sign act 3 as itself).
// Session keys come from libsodium's crypto_kx (client = initiator) and are bound to the final transcript.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/secret.hpp"

namespace sluice::sdk::net {

inline constexpr std::uint8_t kTransportVersion = 1;
inline constexpr std::size_t kAct1Size = 1 + 32 + 20;
inline constexpr std::size_t kAct2Size = 1 + 32 + 65 + 16;
inline constexpr std::size_t kAct3Size = 1 + 20 + 65 + 16;
// What a responder sends instead of act 2 when act 1 names another identity, before it closes: one byte, so
// the dialler learns net_wrong_identity and the responder reveals nothing about who it is. It is not
// authenticated (an on-path attacker could forge it, as it could cut the connection).
inline constexpr std::uint8_t kRefusal = 0xff;

// What an established handshake yields: the peer's proven identity and one key per direction for the frames.
struct Session {
    Address peer;
    Secret<32> send_key;
    Secret<32> receive_key;
    Hash transcript;  // the final transcript hash, the same on both ends (usable for channel binding)
};

class Handshake {
  public:
    enum class Role : std::uint8_t { initiator, responder };

    static Handshake initiator(const PrivateKey& identity, const Address& expected_responder);
    static Handshake responder(const PrivateKey& identity);

    Role role() const noexcept { return role_; }

    // The first message to send: act 1 for the initiator, nothing for the responder. Call once, before
    // receive().
    Bytes start();

    // The exact size of the next message expected from the peer; 0 once established or failed.
    std::size_t bytes_wanted() const noexcept;

    // Feeds the peer's next message; returns what to send back (possibly nothing). Errors:
    // net_handshake_failed (wrong size, unknown version, bad key, AEAD or signature failure, called out of
    // turn), net_wrong_identity (the responder is not the identity the initiator expected). After an error
    // every call fails.
    Result<Bytes> receive(ByteView message);

    bool established() const noexcept { return state_ == State::established; }
    // Once established: the session (moved out; a second call is an error).
    Result<Session> take_session();

  private:
    enum class State : std::uint8_t { start, wait_act1, wait_act2, wait_act3, established, taken, failed };

    Handshake(Role role, const PrivateKey& identity, const Address& expected) noexcept;
    Result<Bytes> on_act1(ByteView message);
    Result<Bytes> on_act2(ByteView message);
    Result<Bytes> on_act3(ByteView message);
    Error fail(Errc code, std::string message);
    void finish();

    Role role_;
    State state_ = State::start;
    PrivateKey identity_;
    Address expected_;  // initiator: the responder we dial; responder: unused
    std::array<std::uint8_t, 32> ephemeral_public_{};
    Secret<32> ephemeral_secret_;
    Secret<32> key_i2r_;  // crypto_kx session keys: initiator -> responder and back
    Secret<32> key_r2i_;
    Hash transcript_;
    Address peer_;
    std::optional<Session> session_;
};

}  // namespace sluice::sdk::net
