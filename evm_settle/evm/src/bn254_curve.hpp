// bn254 groups: G1 = E(Fp): y^2 = x^3 + 3 and G2 on the sextic twist E'(Fp2): y^2 = x^3 + 3/(9+u),
// in Jacobian coordinates (affine at the edges), and the optimal ate pairing check of EIP-197.
#pragma once

#include <span>

#include "bn254_field.hpp"

namespace sluice::evm::bn254 {

template <class F>
struct Affine {
    F x, y;
    bool infinity = true;
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
    Jacobian operator+(const Jacobian& q) const noexcept;
    // k * P for a 256-bit big-endian scalar.
    Jacobian multiplied(const std::uint8_t* scalar_be32) const noexcept;
    Jacobian multiplied(const Limbs& scalar) const noexcept;
};

using G1 = Affine<Fp>;
using G2 = Affine<Fp2>;

// Decoders of the EIP-196/197 encodings; nullopt for a coordinate >= p, a point off the curve or
// (G2) outside the order-n subgroup. All-zero encodes the point at infinity.
std::optional<G1> decode_g1(const std::uint8_t* in64) noexcept;
// x = x1*u + x0 encoded as x1 || x0 (imaginary part first), then y likewise.
std::optional<G2> decode_g2(const std::uint8_t* in128) noexcept;
void encode_g1(const G1& p, std::uint8_t* out64) noexcept;

// prod e(P_i, Q_i) == 1 in GT (true for no pairs).
bool pairing_check(std::span<const std::pair<G1, G2>> pairs) noexcept;

}  // namespace sluice::evm::bn254
