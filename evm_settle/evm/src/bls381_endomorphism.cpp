// phi, psi, the subgroup checks and cofactor clearing built on them.
#include "bls381_endomorphism.hpp"

#include <array>

#include "sluice/core/u256.hpp"

namespace sluice::evm::bls381 {
namespace {

// |x| = 0xd201000000010000 and x^2, big-endian.
constexpr std::array<std::uint8_t, 8> kAbsXBe = {0xd2, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
constexpr std::array<std::uint8_t, 16> kXSquaredBe = {0xac, 0x45, 0xa4, 0x01, 0x00, 0x01, 0xa4, 0x02,
                                                      0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00};

// The cube root of unity of fast_subgroup_checks.md ("Beta"), for which phi acts on G1 as -x^2.
const Fp& beta() noexcept {
    static const Fp b =
        Fp::from_hex("5f19672fdf76ce51ba69c6076a0f77eaddb3a93be6f89688de17d813620a00022e01fffffffefffe");
    return b;
}

struct PsiCoefficients {
    Fp2 x, y;
};

// w^(2(1-p)) and w^(3(1-p)) for w^6 = xi: the inverses of the Frobenius gammas 2 and 3.
const PsiCoefficients& psi_coefficients() noexcept {
    static const PsiCoefficients c = [] {
        const auto& g = frobenius_gammas();
        return PsiCoefficients{g[2].inverse(), g[3].inverse()};
    }();
    return c;
}

template <class F, std::size_t N>
Jacobian<F> times(const Jacobian<F>& p, const std::array<std::uint8_t, N>& k) noexcept {
    return multiply(p.to_affine(), std::span<const std::uint8_t>(k));
}

// [x] P for the signed x < 0.
G2Jacobian times_x(const G2Jacobian& p) noexcept {
    return times(p, kAbsXBe).negated();
}

const u256& group_order() noexcept {
    static const u256 r = u256::load_be(kGroupOrderBe.data());
    return r;
}

// sum_i digits[i] bases[i] by one shared double-and-add over the digits' `bits` low bits.
template <class F, std::size_t N>
Jacobian<F> interleaved(const std::array<Affine<F>, N>& bases, const std::array<u256, N>& digits,
                        unsigned bits) noexcept {
    Jacobian<F> acc;
    for (unsigned b = bits; b-- > 0;) {
        acc = acc.doubled();
        for (std::size_t i = 0; i < N; ++i) {
            if (((digits[i].w[b / 64] >> (b % 64)) & 1) != 0) acc = acc.plus_affine(bases[i]);
        }
    }
    return acc;
}

}  // namespace

Split<Fp, 2> split_g1(const G1& p, std::span<const std::uint8_t, 32> k_be) noexcept {
    const u256 x2{0x0000000100000000ULL, 0xac45a4010001a402ULL, 0, 0};  // x^2, little-endian limbs
    const u256 k = u256::load_be(k_be.data()) % group_order();
    // k < r < 2^255, x^2 > 2^127: k / x^2 < 2^128.
    return {{p, negate(phi(p))}, {k % x2, k / x2}};
}

Split<Fp2, 4> split_g2(const G2& p, std::span<const std::uint8_t, 32> k_be) noexcept {
    const u256 abs_x{0xd201000000010000ULL, 0, 0, 0};
    u256 k = u256::load_be(k_be.data()) % group_order();
    Split<Fp2, 4> split;
    for (auto& d : split.digits) {  // k < r < |x|^4: four base-|x| digits
        d = k % abs_x;
        k = k / abs_x;
    }
    // [|x|] Q = -psi(Q), [|x|^2] Q = psi^2(Q), [|x|^3] Q = -psi^3(Q).
    const G2 p1 = psi(p);
    const G2 p2 = psi(p1);
    const G2 p3 = psi(p2);
    split.bases = {p, negate(p1), p2, negate(p3)};
    return split;
}

G1Jacobian g1_multiply_in_subgroup(const G1& p, std::span<const std::uint8_t, 32> k_be) noexcept {
    const auto s = split_g1(p, k_be);
    return interleaved(s.bases, s.digits, s.bits);
}

G2Jacobian g2_multiply_in_subgroup(const G2& p, std::span<const std::uint8_t, 32> k_be) noexcept {
    const auto s = split_g2(p, k_be);
    return interleaved(s.bases, s.digits, s.bits);
}

G1 phi(const G1& p) noexcept {
    if (p.infinity) return p;
    return {beta() * p.x, p.y, false};
}

G2 psi(const G2& p) noexcept {
    if (p.infinity) return p;
    const auto& c = psi_coefficients();
    return {p.x.conjugate() * c.x, p.y.conjugate() * c.y, false};
}

bool g1_in_subgroup_by_endomorphism(const G1& p) noexcept {
    if (p.infinity) return true;
    const G1Jacobian x2p = multiply(p, std::span<const std::uint8_t>(kXSquaredBe));
    return (G1Jacobian::from_affine(phi(p)) + x2p).is_infinity();
}

bool g2_in_subgroup_by_endomorphism(const G2& p) noexcept {
    if (p.infinity) return true;
    // psi acts on G2 as multiplication by p = x (mod r): psi(P) + [|x|] P == 0.
    const G2Jacobian abs_x_p = multiply(p, std::span<const std::uint8_t>(kAbsXBe));
    return (G2Jacobian::from_affine(psi(p)) + abs_x_p).is_infinity();
}

// RFC 9380 Appendix G.3 clear_cofactor_bls12381_g2, step by step.
G2Jacobian clear_cofactor_g2(const G2& p) noexcept {
    const G2Jacobian pj = G2Jacobian::from_affine(p);
    const G2Jacobian t1 = times_x(pj);                                            // x P
    G2Jacobian t2 = G2Jacobian::from_affine(psi(p));                              // psi(P)
    G2Jacobian t3 = G2Jacobian::from_affine(psi(psi(pj.doubled().to_affine())));  // psi^2(2P)
    t3 = t3 + t2.negated();
    t2 = times_x(t1 + t2);
    t3 = t3 + t2;
    t3 = t3 + t1.negated();
    return t3 + pj.negated();
}

}  // namespace sluice::evm::bls381
