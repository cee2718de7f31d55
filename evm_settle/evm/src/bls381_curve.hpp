// BLS12-381 groups (EIP-2537): G1 = E(Fp): y^2 = x^3 + 4 and G2 on the M-type twist
// E'(Fp2): y^2 = x^3 + 4(u + 1), in Jacobian coordinates (affine at the edges), with the EIP-2537
// point encodings and the subgroup check by multiplication with the group order r.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "bls381_tower.hpp"

namespace sluice::evm::bls381 {

inline constexpr std::size_t kG1EncodedBytes = 128;  // x, y: 16 zero bytes + 48-byte big-endian Fp each
inline constexpr std::size_t kG2EncodedBytes = 256;  // x.c0, x.c1, y.c0, y.c1, 64 bytes each

// r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001, big-endian.
inline constexpr std::array<std::uint8_t, 32> kGroupOrderBe = {
    0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
    0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};

template <class F>
struct Affine {
    F x, y;
    bool infinity = true;

    friend bool operator==(const Affine& a, const Affine& b) noexcept {
        if (a.infinity || b.infinity) return a.infinity == b.infinity;
        return a.x == b.x && a.y == b.y;
    }
};

// (X, Y, Z) stands for (X/Z^2, Y/Z^3); Z == 0 is the point at infinity.
template <class F>
struct Jacobian {
    F x = F::one(), y = F::one(), z = F::zero();

    static Jacobian from_affine(const Affine<F>& p) noexcept {
        if (p.infinity) return {};
        return {p.x, p.y, F::one()};
    }
    bool is_infinity() const noexcept { return z.is_zero(); }
    Affine<F> to_affine() const noexcept;
    Jacobian doubled() const noexcept;
    Jacobian negated() const noexcept { return {x, -y, z}; }
    // The full group law: handles P == Q (doubling), P == -Q and either operand at infinity.
    Jacobian operator+(const Jacobian& q) const noexcept;
    // The same with q affine (Z = 1), which saves four multiplications and a squaring.
    Jacobian plus_affine(const Affine<F>& q) const noexcept;
    // Equality as points of the curve (projective classes), not as coordinate triples.
    bool equals(const Jacobian& q) const noexcept;
};

using G1 = Affine<Fp>;
using G2 = Affine<Fp2>;
using G1Jacobian = Jacobian<Fp>;
using G2Jacobian = Jacobian<Fp2>;

template <class F>
Affine<F> negate(const Affine<F>& p) noexcept {
    if (p.infinity) return p;
    return {p.x, -p.y, false};
}

// k * P by double-and-add over a big-endian scalar of any length (EIP-2537 uses 32 bytes; the scalar
// is not reduced mod r).
template <class F>
Jacobian<F> multiply(const Affine<F>& p, std::span<const std::uint8_t> scalar_be) noexcept;

template <class F>
bool is_on_curve(const Affine<F>& p) noexcept;  // true for the point at infinity
// Membership of the order-r subgroup; P must be on the curve. By the endomorphism checks of
// bls381_endomorphism.hpp (what the decoders use).
template <class F>
bool is_in_subgroup(const Affine<F>& p) noexcept;
// The same by definition, r * P == infinity: the reference the tests compare against.
template <class F>
bool is_in_subgroup_by_order(const Affine<F>& p) noexcept;

const G1& g1_generator() noexcept;
const G2& g2_generator() noexcept;

// An EIP-2537 field element: 64 bytes, 16 zero then a 48-byte big-endian integer below p.
std::optional<Fp> decode_fp(const std::uint8_t* in64) noexcept;

// Decoders of the EIP-2537 encodings: nullopt for a wrong length, non-zero padding bytes, a coordinate
// >= p or a point off the curve; all zeros is the point at infinity. With check_subgroup they also
// reject a point outside the order-r subgroup (MSM and pairing inputs need this; G1ADD/G2ADD do not).
std::optional<G1> decode_g1(std::span<const std::uint8_t> in, bool check_subgroup = false) noexcept;
std::optional<G2> decode_g2(std::span<const std::uint8_t> in, bool check_subgroup = false) noexcept;
std::array<std::uint8_t, kG1EncodedBytes> encode_g1(const G1& p) noexcept;
std::array<std::uint8_t, kG2EncodedBytes> encode_g2(const G2& p) noexcept;

}  // namespace sluice::evm::bls381
