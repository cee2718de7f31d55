// Precompile 0x01: the address that signed a 32-byte hash (ECDSA public key recovery on secp256k1,
// through core's ecrecover_unchecked). Input (zero-padded to 128 bytes): hash || v || r || s, with v
// a 32-byte word equal to 27 or 28 and r, s in [1, n-1]; high s is accepted, as on chain. Any invalid
// input gives empty output (the call still succeeds and costs its 3000 gas).
#include <algorithm>
#include <array>
#include <cstring>

#include "precompile_impl.hpp"
#include "sluice/core/secp256k1.hpp"

namespace sluice::evm::detail {

std::optional<Bytes> ecrecover_run(ByteView input) {
    std::array<std::uint8_t, 128> in{};
    if (!input.empty()) std::memcpy(in.data(), input.data(), std::min(in.size(), input.size()));
    const std::uint8_t* v = in.data() + 32;
    if (!std::all_of(v, v + 31, [](std::uint8_t b) { return b == 0; })) return Bytes{};
    if (v[31] != 27 && v[31] != 28) return Bytes{};
    Hash digest;
    Bytes32 r, s;
    std::memcpy(digest.data(), in.data(), 32);
    std::memcpy(r.data(), in.data() + 64, 32);
    std::memcpy(s.data(), in.data() + 96, 32);
    // Rejects r or s outside [1, n-1] and signatures that recover no key.
    const auto signer = ecrecover_unchecked(digest, static_cast<std::uint8_t>(v[31] - 27), r, s);
    if (!signer) return Bytes{};
    Bytes out(32, 0);
    std::memcpy(out.data() + 12, signer->data(), 20);
    return out;
}

}  // namespace sluice::evm::detail
