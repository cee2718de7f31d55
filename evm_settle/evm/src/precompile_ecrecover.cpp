// Precompile 0x01: the address that signed a 32-byte hash (ECDSA public key recovery on secp256k1).
// Input (zero-padded to 128 bytes): hash || v || r || s, v a 32-byte word equal to 27 or 28, r and s
// in [1, n-1]; high s is accepted, as on chain. Any invalid input gives empty output (the call still
// succeeds and costs its 3000 gas).
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include <array>
#include <cstring>

#include "precompile_impl.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::evm::detail {

std::optional<Bytes> ecrecover_run(ByteView input) {
    std::array<std::uint8_t, 128> in{};
    if (!input.empty()) std::memcpy(in.data(), input.data(), std::min(in.size(), input.size()));
    const std::uint8_t* hash = in.data();
    const std::uint8_t* v = in.data() + 32;
    const std::uint8_t* rs = in.data() + 64;
    for (std::size_t i = 0; i < 31; ++i) {
        if (v[i] != 0) return Bytes{};
    }
    if (v[31] != 27 && v[31] != 28) return Bytes{};
    const auto all_zero = [](const std::uint8_t* p) {
        return std::all_of(p, p + 32, [](std::uint8_t b) { return b == 0; });
    };
    if (all_zero(rs) || all_zero(rs + 32)) return Bytes{};

    secp256k1_ecdsa_recoverable_signature sig;
    // Fails when r or s is not below the group order n.
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(secp256k1_context_static, &sig, rs, v[31] - 27) != 1) {
        return Bytes{};
    }
    secp256k1_pubkey pubkey;
    if (secp256k1_ecdsa_recover(secp256k1_context_static, &pubkey, &sig, hash) != 1) return Bytes{};
    std::array<std::uint8_t, 65> serialized{};
    std::size_t len = serialized.size();
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, serialized.data(), &len, &pubkey,
                                  SECP256K1_EC_UNCOMPRESSED);
    const Hash h = keccak256(ByteView{serialized.data() + 1, 64});
    Bytes out(32, 0);
    std::memcpy(out.data() + 12, h.data() + 12, 20);
    return out;
}

}  // namespace sluice::evm::detail
