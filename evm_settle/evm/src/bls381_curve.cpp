// BLS12-381 G1/G2 group law (a = 0 short Weierstrass, Jacobian coordinates), scalar multiplication,
// the generators and the EIP-2537 point encodings.
#include "bls381_curve.hpp"

#include <algorithm>
#include <type_traits>

#include "bls381_endomorphism.hpp"

namespace sluice::evm::bls381 {
namespace {

template <class F>
const F& curve_b() noexcept;

template <>
const Fp& curve_b<Fp>() noexcept {
    static const Fp b = *Fp::from_limbs({4, 0, 0, 0, 0, 0});
    return b;
}

// 4 (u + 1)
template <>
const Fp2& curve_b<Fp2>() noexcept {
    static const Fp2 b = [] {
        const Fp four = *Fp::from_limbs({4, 0, 0, 0, 0, 0});
        return Fp2{four, four};
    }();
    return b;
}

constexpr std::size_t kPadBytes = 16;
constexpr std::size_t kEncodedFpBytes = kPadBytes + kFieldBytes;

void encode_fp(const Fp& v, std::uint8_t* out64) noexcept {
    std::fill(out64, out64 + kPadBytes, std::uint8_t{0});
    v.to_be(out64 + kPadBytes);
}

template <class F>
std::optional<Affine<F>> finish_decode(const F& x, const F& y, bool check_subgroup) noexcept {
    if (x.is_zero() && y.is_zero()) return Affine<F>{};
    const Affine<F> p{x, y, false};
    if (!is_on_curve(p)) return std::nullopt;
    if (check_subgroup && !is_in_subgroup(p)) return std::nullopt;
    return p;
}

}  // namespace

std::optional<Fp> decode_fp(const std::uint8_t* in64) noexcept {
    if (!std::all_of(in64, in64 + kPadBytes, [](std::uint8_t b) { return b == 0; })) return std::nullopt;
    return Fp::from_be(in64 + kPadBytes);
}

template <class F>
Affine<F> Jacobian<F>::to_affine() const noexcept {
    if (is_infinity()) return {};
    const F zi = z.inverse();
    const F zi2 = zi.square();
    return {x * zi2, y * zi2 * zi, false};
}

// dbl-2009-l (a = 0).
template <class F>
Jacobian<F> Jacobian<F>::doubled() const noexcept {
    if (is_infinity()) return *this;
    const F a = x.square();
    const F b = y.square();
    const F c = b.square();
    F d = (x + b).square() - a - c;
    d = d + d;
    const F e = a + a + a;
    const F x3 = e.square() - d - d;
    const F c2 = c + c, c4 = c2 + c2, c8 = c4 + c4;
    const F yz = y * z;
    return {x3, e * (d - x3) - c8, yz + yz};
}

// add-2007-bl, with the exceptional cases (equal x) dispatched to doubling or infinity.
template <class F>
Jacobian<F> Jacobian<F>::operator+(const Jacobian& q) const noexcept {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return q;
    const F z1z1 = z.square();
    const F z2z2 = q.z.square();
    const F u1 = x * z2z2;
    const F u2 = q.x * z1z1;
    const F s1 = y * q.z * z2z2;
    const F s2 = q.y * z * z1z1;
    const F h = u2 - u1;
    const F r_half = s2 - s1;
    if (h.is_zero()) {
        if (r_half.is_zero()) return doubled();
        return {};
    }
    const F h2 = h + h;
    const F i = h2.square();
    const F j = h * i;
    const F r = r_half + r_half;
    const F v = u1 * i;
    const F x3 = r.square() - j - v - v;
    const F s1j = s1 * j;
    const F y3 = r * (v - x3) - s1j - s1j;
    const F z3 = ((z + q.z).square() - z1z1 - z2z2) * h;
    return {x3, y3, z3};
}

// madd-2007-bl, with the same exceptional cases.
template <class F>
Jacobian<F> Jacobian<F>::plus_affine(const Affine<F>& q) const noexcept {
    if (q.infinity) return *this;
    if (is_infinity()) return from_affine(q);
    const F z1z1 = z.square();
    const F u2 = q.x * z1z1;
    const F s2 = q.y * z * z1z1;
    const F h = u2 - x;
    const F r_half = s2 - y;
    if (h.is_zero()) {
        if (r_half.is_zero()) return doubled();
        return {};
    }
    const F hh = h.square();
    const F i = hh + hh + hh + hh;
    const F j = h * i;
    const F r = r_half + r_half;
    const F v = x * i;
    const F x3 = r.square() - j - v - v;
    const F y1j = y * j;
    const F y3 = r * (v - x3) - y1j - y1j;
    const F z3 = (z + h).square() - z1z1 - hh;
    return {x3, y3, z3};
}

template <class F>
bool Jacobian<F>::equals(const Jacobian& q) const noexcept {
    if (is_infinity() || q.is_infinity()) return is_infinity() == q.is_infinity();
    const F z1z1 = z.square();
    const F z2z2 = q.z.square();
    return x * z2z2 == q.x * z1z1 && y * q.z * z2z2 == q.y * z * z1z1;
}

template <class F>
Jacobian<F> multiply(const Affine<F>& p, std::span<const std::uint8_t> scalar_be) noexcept {
    Jacobian<F> acc;
    for (const std::uint8_t byte : scalar_be) {
        for (int bit = 7; bit >= 0; --bit) {
            acc = acc.doubled();
            if (((byte >> bit) & 1) != 0) acc = acc.plus_affine(p);
        }
    }
    return acc;
}

template <class F>
bool is_on_curve(const Affine<F>& p) noexcept {
    if (p.infinity) return true;
    return p.y.square() == p.x.square() * p.x + curve_b<F>();
}

template <class F>
bool is_in_subgroup_by_order(const Affine<F>& p) noexcept {
    return multiply(p, std::span<const std::uint8_t>(kGroupOrderBe)).is_infinity();
}

template <class F>
bool is_in_subgroup(const Affine<F>& p) noexcept {
    if constexpr (std::is_same_v<F, Fp>) {
        return g1_in_subgroup_by_endomorphism(p);
    } else {
        return g2_in_subgroup_by_endomorphism(p);
    }
}

template struct Jacobian<Fp>;
template struct Jacobian<Fp2>;
template Jacobian<Fp> multiply(const Affine<Fp>&, std::span<const std::uint8_t>) noexcept;
template Jacobian<Fp2> multiply(const Affine<Fp2>&, std::span<const std::uint8_t>) noexcept;
template bool is_on_curve(const Affine<Fp>&) noexcept;
template bool is_on_curve(const Affine<Fp2>&) noexcept;
template bool is_in_subgroup(const Affine<Fp>&) noexcept;
template bool is_in_subgroup(const Affine<Fp2>&) noexcept;
template bool is_in_subgroup_by_order(const Affine<Fp>&) noexcept;
template bool is_in_subgroup_by_order(const Affine<Fp2>&) noexcept;

const G1& g1_generator() noexcept {
    static const G1 g{
        Fp::from_hex("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aef"
                     "fb3af00adb22c6bb"),
        Fp::from_hex("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae4"
                     "0caa232946c5e7e1"),
        false};
    return g;
}

const G2& g2_generator() noexcept {
    static const G2 g{
        {Fp::from_hex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a"
                      "805bbefd48056c8c121bdb8"),
         Fp::from_hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf1121"
                      "3945d57e5ac7d055d042b7e")},
        {Fp::from_hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3"
                      "baca289e193548608b82801"),
         Fp::from_hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275"
                      "cec1da1aaa9075ff05f79be")},
        false};
    return g;
}

std::optional<G1> decode_g1(std::span<const std::uint8_t> in, bool check_subgroup) noexcept {
    if (in.size() != kG1EncodedBytes) return std::nullopt;
    const auto x = decode_fp(in.data());
    const auto y = decode_fp(in.data() + kEncodedFpBytes);
    if (!x || !y) return std::nullopt;
    return finish_decode(*x, *y, check_subgroup);
}

std::optional<G2> decode_g2(std::span<const std::uint8_t> in, bool check_subgroup) noexcept {
    if (in.size() != kG2EncodedBytes) return std::nullopt;
    const auto x0 = decode_fp(in.data());
    const auto x1 = decode_fp(in.data() + kEncodedFpBytes);
    const auto y0 = decode_fp(in.data() + 2 * kEncodedFpBytes);
    const auto y1 = decode_fp(in.data() + 3 * kEncodedFpBytes);
    if (!x0 || !x1 || !y0 || !y1) return std::nullopt;
    return finish_decode(Fp2{*x0, *x1}, Fp2{*y0, *y1}, check_subgroup);
}

std::array<std::uint8_t, kG1EncodedBytes> encode_g1(const G1& p) noexcept {
    std::array<std::uint8_t, kG1EncodedBytes> out{};
    if (p.infinity) return out;
    encode_fp(p.x, out.data());
    encode_fp(p.y, out.data() + kEncodedFpBytes);
    return out;
}

std::array<std::uint8_t, kG2EncodedBytes> encode_g2(const G2& p) noexcept {
    std::array<std::uint8_t, kG2EncodedBytes> out{};
    if (p.infinity) return out;
    encode_fp(p.x.c0, out.data());
    encode_fp(p.x.c1, out.data() + kEncodedFpBytes);
    encode_fp(p.y.c0, out.data() + 2 * kEncodedFpBytes);
    encode_fp(p.y.c1, out.data() + 3 * kEncodedFpBytes);
    return out;
}

}  // namespace sluice::evm::bls381
