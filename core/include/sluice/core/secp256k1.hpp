// secp256k1 keys, Ethereum addresses and recoverable ECDSA signatures, through libsecp256k1 and its
// recovery module.
//
// Keys cannot be built invalid: a PrivateKey is always in [1, n-1] and lives in a wiping Secret<32>;
// a PublicKey is always a point on the curve. Signatures are the 65-byte (r, s, v) form Ethereum uses.
// Signing is RFC 6979 deterministic and always low-s; everything that checks a signature for Sluice
// rejects high-s (Errc::high_s_signature) so that a signature cannot be malleated into a second valid
// one. Only ecrecover_unchecked, for the EVM precompile, accepts high s.
//
// Errors: bad_length (wrong byte count), bad_private_key, bad_public_key, bad_signature (v not in
// {0,1,27,28}, r or s outside [1, n-1], wrong signer), high_s_signature, recovery_failed.
// All libsecp256k1 calls go through one process-wide randomized context that is only read after it is
// created, so every function here may be called from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secret.hpp"

namespace sluice {

namespace detail {
struct PublicKeyFactory;  // builds PublicKeys from points libsecp256k1 has validated (core/src only)
}

// The group order n and n/2 (rounded down), big-endian: a low-s signature has s <= kSecp256k1HalfOrder.
inline constexpr Bytes32 kSecp256k1Order{{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                          0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                          0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41}};
inline constexpr Bytes32 kSecp256k1HalfOrder{{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                              0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
                                              0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0}};

// keccak256(x || y)[12:], the Ethereum address of an uncompressed public key without its 0x04 byte.
Address address_from_public_key(std::span<const std::uint8_t, 64> xy) noexcept;

class PublicKey {
public:
    // SEC1 compressed (33 bytes, 0x02/0x03 || x), uncompressed (65 bytes, 0x04 || x || y) or the raw
    // 64-byte x || y used by Ethereum node ids. The point must be on the curve (bad_public_key).
    static Result<PublicKey> from_bytes(ByteView bytes);

    const std::array<std::uint8_t, 64>& xy() const noexcept { return xy_; }
    Bytes serialize_uncompressed() const;  // 65 bytes, 0x04 || x || y
    Bytes serialize_compressed() const;    // 33 bytes, 0x02/0x03 (y parity) || x
    Address address() const noexcept { return address_from_public_key(xy_); }

    friend bool operator==(const PublicKey&, const PublicKey&) = default;

private:
    friend struct detail::PublicKeyFactory;
    explicit PublicKey(const std::array<std::uint8_t, 64>& xy) noexcept : xy_(xy) {}

    std::array<std::uint8_t, 64> xy_;
};

class PrivateKey {
public:
    // 32 big-endian bytes in [1, n-1] (bad_length, bad_private_key). Messages never echo the key.
    static Result<PrivateKey> from_bytes(ByteView bytes);
    // 64 hex digits, "0x" optional; the same errors, plus the hex ones.
    static Result<PrivateKey> from_hex(std::string_view text);
    // A fresh key from libsodium's CSPRNG.
    static PrivateKey generate();

    // Derived once when the key is made.
    const PublicKey& public_key() const noexcept { return public_key_; }
    Address address() const noexcept { return public_key_.address(); }
    const Secret<32>& secret() const noexcept { return secret_; }

    // "PrivateKey(0x<address>, secret redacted)": what logs and test failures may show.
    std::string describe() const;

private:
    PrivateKey(Secret<32> secret, const PublicKey& public_key) noexcept
        : secret_(std::move(secret)), public_key_(public_key) {}
    static Result<PrivateKey> from_secret(Secret<32> secret);

    Secret<32> secret_;
    PublicKey public_key_;
};

// GoogleTest hook: printing a PrivateKey shows describe(), never the secret bytes.
void PrintTo(const PrivateKey& key, std::ostream* os);

struct Signature {
    Bytes32 r;
    Bytes32 s;
    std::uint8_t v = 0;  // recovery id, 0 or 1 (27/28 are accepted wherever a Signature is checked)

    // r || s || v with v in {0, 1, 27, 28}; rejects r, s outside [1, n-1] and high s.
    static Result<Signature> from_bytes(ByteView bytes);
    // r || s || v with v as 27/28, the Ethereum convention.
    std::array<std::uint8_t, 65> to_bytes() const noexcept;
    bool is_low_s() const noexcept { return s <= kSecp256k1HalfOrder; }

    friend bool operator==(const Signature&, const Signature&) = default;
};

// RFC 6979 deterministic, low-s recoverable signature of a 32-byte digest.
Signature sign(const PrivateKey& key, const Hash& digest);

// The signer's public key; the signature must be well-formed and low-s.
Result<PublicKey> recover_public_key(const Hash& digest, const Signature& signature);
Result<Address> recover_address(const Hash& digest, const Signature& signature);

// Ok when `signature` is a well-formed low-s signature of `digest` by `signer`; otherwise says why
// (a valid signature by someone else is bad_signature).
Status check_signature(const Address& signer, const Hash& digest, const Signature& signature);
bool verify(const Address& signer, const Hash& digest, const Signature& signature);

// For the EVM's ecrecover precompile: v01 in {0, 1}, r and s in [1, n-1], high s accepted
// (the precompile never enforced low s).
Result<Address> ecrecover_unchecked(const Hash& digest, std::uint8_t v01, const Bytes32& r, const Bytes32& s);

}  // namespace sluice
