// secp256k1 private and public keys and Ethereum addresses.
#include <cstring>

#include "random_bytes.hpp"
#include "secp256k1_context.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {

Address address_from_public_key(std::span<const std::uint8_t, 64> xy) noexcept {
    const Hash hash = keccak256(xy);
    Address out;
    std::memcpy(out.data(), hash.data() + (Hash::size() - Address::size()), Address::size());
    return out;
}

namespace detail {
PublicKey PublicKeyFactory::from_point(const secp256k1_pubkey& point) noexcept {
    std::array<std::uint8_t, 65> sec1{};
    std::size_t len = sec1.size();
    // Cannot fail for a valid point and a buffer of 65 bytes.
    (void)secp256k1_ec_pubkey_serialize(secp256k1_context_handle(), sec1.data(), &len, &point,
                                        SECP256K1_EC_UNCOMPRESSED);
    std::array<std::uint8_t, 64> xy{};
    std::memcpy(xy.data(), sec1.data() + 1, xy.size());
    return PublicKey(xy);
}
}  // namespace detail

Result<PublicKey> PublicKey::from_bytes(ByteView bytes) {
    std::array<std::uint8_t, 65> sec1{};
    ByteView input = bytes;
    if (bytes.size() == 64) {  // raw x || y: parse it as the uncompressed form
        sec1[0] = 0x04;
        std::memcpy(sec1.data() + 1, bytes.data(), 64);
        input = sec1;
    } else if (bytes.size() != 33 && bytes.size() != 65) {
        return make_error(Errc::bad_length,
                          "public key must be 33, 64 or 65 bytes, got " + std::to_string(bytes.size()));
    }
    secp256k1_pubkey point;
    if (secp256k1_ec_pubkey_parse(secp256k1_context_handle(), &point, input.data(), input.size()) != 1) {
        return make_error(Errc::bad_public_key, "not a point on secp256k1: " + to_hex(bytes));
    }
    return detail::PublicKeyFactory::from_point(point);
}

Bytes PublicKey::serialize_uncompressed() const {
    Bytes out{0x04};
    out.insert(out.end(), xy_.begin(), xy_.end());
    return out;
}

Bytes PublicKey::serialize_compressed() const {
    Bytes out{static_cast<std::uint8_t>(0x02 | (xy_[63] & 1))};
    out.insert(out.end(), xy_.begin(), xy_.begin() + 32);
    return out;
}

Result<PrivateKey> PrivateKey::from_secret(Secret<32> secret) {
    const secp256k1_context* context = secp256k1_context_handle();
    secp256k1_pubkey point;
    // ec_pubkey_create rejects exactly what ec_seckey_verify rejects: 0 and values >= n.
    if (secp256k1_ec_pubkey_create(context, &point, secret.data()) != 1) {
        return make_error(Errc::bad_private_key, "private key must be in [1, n-1]");
    }
    return PrivateKey(std::move(secret), detail::PublicKeyFactory::from_point(point));
}

Result<PrivateKey> PrivateKey::from_bytes(ByteView bytes) {
    if (bytes.size() != 32) {
        return make_error(Errc::bad_length, "private key must be 32 bytes, got " + std::to_string(bytes.size()));
    }
    return from_secret(Secret<32>::from_view(bytes).value());
}

Result<PrivateKey> PrivateKey::from_hex(std::string_view text) {
    auto decoded = sluice::from_hex(text, HexPrefix::optional);
    if (!decoded.ok()) {
        // The hex decoder's message quotes the offending digit; a key's digits are not to be quoted.
        return make_error(decoded.error().code, "private key is not valid hex");
    }
    Bytes& bytes = decoded.value();
    auto key = from_bytes(bytes);
    secure_zero(bytes.data(), bytes.size());
    return key;
}

PrivateKey PrivateKey::generate() {
    for (;;) {
        Secret<32> secret;
        random_bytes({secret.mutable_data(), secret.size()});
        // Retrying happens with probability about 2^-128 (a draw of 0 or >= n).
        if (auto key = from_secret(std::move(secret)); key.ok()) return std::move(key).value();
    }
}

std::string PrivateKey::describe() const {
    return "PrivateKey(" + address().to_checksum_hex() + ", secret redacted)";
}

void PrintTo(const PrivateKey& key, std::ostream* os) { *os << key.describe(); }

}  // namespace sluice
