// Precompile 0x0a (Cancun, EIP-4844): KZG point evaluation. Verifies that the polynomial committed to
// by `commitment` takes the value y at z, given the opening `proof`, against the KZG ceremony's
// [tau]_2, and that `versioned_hash` names the commitment.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>

#include "bls381_compressed.hpp"
#include "bls381_endomorphism.hpp"
#include "bls381_pairing.hpp"
#include "precompile_impl.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::evm::detail {
namespace {

using namespace bls381;

constexpr std::size_t kInputBytes = 192;  // versioned_hash, z, y (32 each), commitment, proof (48 each)
constexpr std::uint8_t kVersionedHashVersionKzg = 0x01;
constexpr std::uint64_t kFieldElementsPerBlob = 4096;

// [tau]_2 of the EIP-4844 KZG ceremony, compressed: "g2_monomial"[1] of the consensus specs'
// presets/mainnet/trusted_setups/trusted_setup_4096.json, which is line 4100 of ethereum/c-kzg-4844's
// src/trusted_setup.txt at commit 81a8949f (the G2 list's second entry; the first is the generator).
// The EEST point-evaluation vectors pass against it.
constexpr std::string_view kTauG2Hex =
    "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72"
    "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2";

// The two G2 points of the check never change: their Miller-loop lines are computed once.
struct FixedG2 {
    PreparedG2 minus_one, tau;
};

const FixedG2& fixed_g2() {
    static const FixedG2 fixed = [] {
        const auto bytes = from_hex(kTauG2Hex, HexPrefix::optional);
        const auto tau = bytes ? decode_g2_compressed(*bytes) : std::nullopt;
        if (!tau) std::abort();  // the constant is a valid point of G2
        return FixedG2{prepare(negate(g2_generator())), prepare(*tau)};
    }();
    return fixed;
}

// z and y must be canonical scalars: below r.
bool below_group_order(const std::uint8_t* be32) noexcept {
    return std::lexicographical_compare(be32, be32 + 32, kGroupOrderBe.begin(), kGroupOrderBe.end());
}

std::span<const std::uint8_t, 32> span32(const std::uint8_t* p) noexcept {
    return std::span<const std::uint8_t, 32>(p, 32);
}

}  // namespace

std::uint64_t point_evaluation_gas() noexcept {
    return 50000;
}

std::optional<Bytes> point_evaluation_run(ByteView input) {
    if (input.size() != kInputBytes) return std::nullopt;
    const std::uint8_t* versioned_hash = input.data();
    const std::uint8_t* z = input.data() + 32;
    const std::uint8_t* y = input.data() + 64;
    const std::span<const std::uint8_t> commitment_bytes{input.data() + 96, kG1CompressedBytes};
    const std::span<const std::uint8_t> proof_bytes{input.data() + 144, kG1CompressedBytes};

    std::array<std::uint8_t, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256(digest.data(), commitment_bytes.data(), commitment_bytes.size());
    digest[0] = kVersionedHashVersionKzg;
    if (std::memcmp(digest.data(), versioned_hash, digest.size()) != 0) return std::nullopt;
    if (!below_group_order(z) || !below_group_order(y)) return std::nullopt;

    const auto commitment = decode_g1_compressed(commitment_bytes);
    const auto proof = decode_g1_compressed(proof_bytes);
    if (!commitment || !proof) return std::nullopt;

    // The EIP's check e(C - [y]_1, -[1]_2) * e(proof, [tau - z]_2) == 1, rearranged by bilinearity
    // (e(proof, [-z]_2) = e([-z] proof, [1]_2)) to e(C - [y]_1 + [z] proof, -[1]_2) * e(proof, [tau]_2)
    // == 1: two multiplications in G1 instead of one in G1 and one in G2, three times dearer, and both
    // G2 points fixed.
    const G1Jacobian lhs = G1Jacobian::from_affine(*commitment) +
                           g1_multiply_in_subgroup(g1_generator(), span32(y)).negated() +
                           g1_multiply_in_subgroup(*proof, span32(z));
    const FixedG2& g2 = fixed_g2();
    const std::array<std::pair<G1, const PreparedG2*>, 2> pairs = {
        {{lhs.to_affine(), &g2.minus_one}, {*proof, &g2.tau}}};
    if (!pairing_check(pairs)) return std::nullopt;

    Bytes out(64, 0);
    for (std::size_t i = 0; i < 8; ++i)
        out[31 - i] = static_cast<std::uint8_t>(kFieldElementsPerBlob >> (8 * i));
    std::copy(kGroupOrderBe.begin(), kGroupOrderBe.end(), out.begin() + 32);
    return out;
}

}  // namespace sluice::evm::detail
