// Precompiles 0x06 (bn254 G1 addition), 0x07 (G1 scalar multiplication) and 0x08 (pairing check)
// of EIP-196/197, priced per EIP-1108 from Istanbul and at the Byzantium prices before.
#include <array>
#include <cstring>
#include <vector>

#include "bn254_curve.hpp"
#include "precompile_impl.hpp"

namespace sluice::evm::detail {
namespace {

constexpr std::size_t kPairSize = 192;

// The first `N` bytes of the input, zero-padded (shorter inputs are legal; longer are truncated).
template <std::size_t N>
std::array<std::uint8_t, N> padded(ByteView input) noexcept {
    std::array<std::uint8_t, N> buf{};
    if (!input.empty()) std::memcpy(buf.data(), input.data(), std::min(N, input.size()));
    return buf;
}

Bytes encoded(const bn254::Jacobian<bn254::Fp>& p) {
    Bytes out(64);
    bn254::encode_g1(p.to_affine(), out.data());
    return out;
}

}  // namespace

std::uint64_t bn254_add_gas(Revision rev) noexcept { return rev >= Revision::istanbul ? 150 : 500; }
std::uint64_t bn254_mul_gas(Revision rev) noexcept { return rev >= Revision::istanbul ? 6000 : 40000; }

std::uint64_t bn254_pairing_gas(ByteView input, Revision rev) noexcept {
    const std::uint64_t pairs = input.size() / kPairSize;
    return rev >= Revision::istanbul ? 45000 + 34000 * pairs : 100000 + 80000 * pairs;
}

std::optional<Bytes> bn254_add_run(ByteView input) {
    const auto buf = padded<128>(input);
    const auto a = bn254::decode_g1(buf.data());
    const auto b = bn254::decode_g1(buf.data() + 64);
    if (!a || !b) return std::nullopt;
    using J = bn254::Jacobian<bn254::Fp>;
    return encoded(J::from_affine(*a) + J::from_affine(*b));
}

std::optional<Bytes> bn254_mul_run(ByteView input) {
    const auto buf = padded<96>(input);
    const auto p = bn254::decode_g1(buf.data());
    if (!p) return std::nullopt;
    return encoded(bn254::Jacobian<bn254::Fp>::from_affine(*p).multiplied(buf.data() + 64));
}

std::optional<Bytes> bn254_pairing_run(ByteView input) {
    if (input.size() % kPairSize != 0) return std::nullopt;
    std::vector<std::pair<bn254::G1, bn254::G2>> pairs;
    pairs.reserve(input.size() / kPairSize);
    for (std::size_t off = 0; off < input.size(); off += kPairSize) {
        const auto p = bn254::decode_g1(input.data() + off);
        const auto q = bn254::decode_g2(input.data() + off + 64);
        if (!p || !q) return std::nullopt;
        pairs.emplace_back(*p, *q);
    }
    Bytes out(32, 0);
    out[31] = bn254::pairing_check(pairs) ? 1 : 0;
    return out;
}

}  // namespace sluice::evm::detail
