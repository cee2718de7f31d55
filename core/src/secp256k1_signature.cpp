// Recoverable ECDSA over secp256k1: RFC 6979 signing, recovery and verification with Ethereum's
// (r, s, v) encoding and low-s rule, and the unchecked recovery the ecrecover precompile needs.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <secp256k1_recovery.h>

#include "secp256k1_context.hpp"

namespace sluice {
namespace {

Result<std::uint8_t> recovery_id(std::uint8_t v) {
    if (v == 0 || v == 1) return v;
    if (v == 27 || v == 28) return static_cast<std::uint8_t>(v - 27);
    return make_error(Errc::bad_signature, "v must be 0, 1, 27 or 28, got " + std::to_string(v));
}

Status check_scalar(const Bytes32& value, const char* name) {
    if (value.is_zero() || value >= kSecp256k1Order) {
        return make_error(Errc::bad_signature, std::string(name) + " must be in [1, n-1]");
    }
    return {};
}

// r, s in range and recid in {0, 1}; low s is the caller's business.
Result<PublicKey> recover_point(const Hash& digest, std::uint8_t recid, const Bytes32& r, const Bytes32& s) {
    SLUICE_CHECK_OK(check_scalar(r, "r"));
    SLUICE_CHECK_OK(check_scalar(s, "s"));
    const secp256k1_context* context = secp256k1_context_handle();
    std::array<std::uint8_t, 64> compact{};
    std::memcpy(compact.data(), r.data(), 32);
    std::memcpy(compact.data() + 32, s.data(), 32);
    secp256k1_ecdsa_recoverable_signature parsed;
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(context, &parsed, compact.data(), recid) != 1) {
        return make_error(Errc::bad_signature, "signature does not parse");
    }
    secp256k1_pubkey point;
    if (secp256k1_ecdsa_recover(context, &point, &parsed, digest.data()) != 1) {
        return make_error(Errc::recovery_failed, "no public key recovers from this signature and digest");
    }
    return detail::PublicKeyFactory::from_point(point);
}

}  // namespace

Result<Signature> Signature::from_bytes(ByteView bytes) {
    if (bytes.size() != 65) {
        return make_error(Errc::bad_length, "signature must be 65 bytes, got " + std::to_string(bytes.size()));
    }
    Signature out;
    std::memcpy(out.r.data(), bytes.data(), 32);
    std::memcpy(out.s.data(), bytes.data() + 32, 32);
    SLUICE_TRY(out.v, recovery_id(bytes[64]));
    SLUICE_CHECK_OK(check_scalar(out.r, "r"));
    SLUICE_CHECK_OK(check_scalar(out.s, "s"));
    if (!out.is_low_s()) return make_error(Errc::high_s_signature, "s is above n/2");
    return out;
}

std::array<std::uint8_t, 65> Signature::to_bytes() const noexcept {
    std::array<std::uint8_t, 65> out{};
    std::memcpy(out.data(), r.data(), 32);
    std::memcpy(out.data() + 32, s.data(), 32);
    out[64] = static_cast<std::uint8_t>((v >= 27 ? v - 27 : v) + 27);
    return out;
}

Signature sign(const PrivateKey& key, const Hash& digest) {
    const secp256k1_context* context = secp256k1_context_handle();
    secp256k1_ecdsa_recoverable_signature raw;
    // A null nonce function selects RFC 6979; libsecp256k1 always emits low s.
    const int signed_ok =
        secp256k1_ecdsa_sign_recoverable(context, &raw, digest.data(), key.secret().data(), nullptr, nullptr);
    std::array<std::uint8_t, 64> compact{};
    int recid = 0;
    (void)secp256k1_ecdsa_recoverable_signature_serialize_compact(context, compact.data(), &recid, &raw);
    // A valid key always signs, and recid 2/3 needs r >= n (probability ~2^-127): both would be bugs.
    if (signed_ok != 1 || recid < 0 || recid > 1) {
        std::fputs("sluice: secp256k1 signing failed for a valid key\n", stderr);
        std::abort();
    }
    Signature out;
    std::memcpy(out.r.data(), compact.data(), 32);
    std::memcpy(out.s.data(), compact.data() + 32, 32);
    out.v = static_cast<std::uint8_t>(recid);
    return out;
}

Result<PublicKey> recover_public_key(const Hash& digest, const Signature& signature) {
    SLUICE_TRY(const std::uint8_t recid, recovery_id(signature.v));
    SLUICE_CHECK_OK(check_scalar(signature.s, "s"));
    if (!signature.is_low_s()) return make_error(Errc::high_s_signature, "s is above n/2");
    return recover_point(digest, recid, signature.r, signature.s);
}

Result<Address> recover_address(const Hash& digest, const Signature& signature) {
    SLUICE_TRY(const PublicKey key, recover_public_key(digest, signature));
    return key.address();
}

Status check_signature(const Address& signer, const Hash& digest, const Signature& signature) {
    SLUICE_TRY(const Address recovered, recover_address(digest, signature));
    if (recovered != signer) {
        return make_error(Errc::bad_signature,
                          "signed by " + recovered.to_checksum_hex() + ", expected " + signer.to_checksum_hex());
    }
    return {};
}

bool verify(const Address& signer, const Hash& digest, const Signature& signature) {
    return check_signature(signer, digest, signature).ok();
}

Result<Address> ecrecover_unchecked(const Hash& digest, std::uint8_t v01, const Bytes32& r, const Bytes32& s) {
    if (v01 > 1) return make_error(Errc::bad_signature, "recovery id must be 0 or 1, got " + std::to_string(v01));
    SLUICE_TRY(const PublicKey key, recover_point(digest, v01, r, s));
    return key.address();
}

}  // namespace sluice
