// Compressed BLS12-381 points: decompression takes the square root of x^3 + b and picks the root the
// sign flag names.
#include "bls381_compressed.hpp"

#include <algorithm>

namespace sluice::evm::bls381 {
namespace {

constexpr std::uint8_t kFlagCompressed = 0x80;
constexpr std::uint8_t kFlagInfinity = 0x40;
constexpr std::uint8_t kFlagSign = 0x20;
constexpr std::uint8_t kFlagMask = kFlagCompressed | kFlagInfinity | kFlagSign;

// (p - 1) / 2: y is "larger" when its canonical integer exceeds this.
constexpr Limbs kHalfModulus = {0xdcff7fffffffd555, 0x0f55ffff58a9ffff, 0xb39869507b587b12,
                                0xb23ba5c279c2895f, 0x258dd3db21a5d66b, 0x0d0088f51cbff34d};

bool is_larger(const Fp& y) noexcept {
    return limbs_less(kHalfModulus, y.to_limbs());
}
// Fp2 is ordered by c1 first, then c0 when c1 is zero (the consensus specs' convention).
bool is_larger(const Fp2& y) noexcept {
    return y.c1.is_zero() ? is_larger(y.c0) : is_larger(y.c1);
}

const Fp& b_g1() noexcept {
    static const Fp b = *Fp::from_limbs({4, 0, 0, 0, 0, 0});
    return b;
}

// The flags of the first byte, or nullopt when they (with the rest) cannot form a valid encoding.
struct Header {
    bool infinity = false;
    bool sign = false;
};

std::optional<Header> read_header(std::span<const std::uint8_t> in, std::size_t expected) noexcept {
    if (in.size() != expected) return std::nullopt;
    const std::uint8_t flags = in[0] & kFlagMask;
    if ((flags & kFlagCompressed) == 0) return std::nullopt;
    Header h{(flags & kFlagInfinity) != 0, (flags & kFlagSign) != 0};
    if (h.infinity) {
        // The infinity must be canonical: no sign, and every other bit zero.
        if (h.sign || (in[0] & ~kFlagMask) != 0) return std::nullopt;
        if (!std::all_of(in.begin() + 1, in.end(), [](std::uint8_t b) { return b == 0; }))
            return std::nullopt;
    }
    return h;
}

std::optional<Fp> read_fp(std::span<const std::uint8_t> in, std::size_t offset, bool clear_flags) noexcept {
    std::array<std::uint8_t, kFieldBytes> be{};
    std::copy_n(in.begin() + static_cast<std::ptrdiff_t>(offset), kFieldBytes, be.begin());
    if (clear_flags) be[0] &= static_cast<std::uint8_t>(~kFlagMask);
    return Fp::from_be(be.data());
}

template <class F>
std::optional<Affine<F>> finish(const F& x, const F& y_squared, bool sign, bool check_subgroup) noexcept {
    auto y = y_squared.sqrt();
    if (!y) return std::nullopt;
    if (is_larger(*y) != sign) *y = -*y;
    const Affine<F> p{x, *y, false};
    if (check_subgroup && !is_in_subgroup(p)) return std::nullopt;
    return p;
}

}  // namespace

std::optional<G1> decode_g1_compressed(std::span<const std::uint8_t> in, bool check_subgroup) noexcept {
    const auto h = read_header(in, kG1CompressedBytes);
    if (!h) return std::nullopt;
    if (h->infinity) return G1{};
    const auto x = read_fp(in, 0, true);
    if (!x) return std::nullopt;
    return finish(*x, x->square() * *x + b_g1(), h->sign, check_subgroup);
}

std::optional<G2> decode_g2_compressed(std::span<const std::uint8_t> in, bool check_subgroup) noexcept {
    const auto h = read_header(in, kG2CompressedBytes);
    if (!h) return std::nullopt;
    if (h->infinity) return G2{};
    const auto c1 = read_fp(in, 0, true);
    const auto c0 = read_fp(in, kFieldBytes, false);
    if (!c1 || !c0) return std::nullopt;
    const Fp2 x{*c0, *c1};
    const Fp2 b{b_g1(), b_g1()};  // 4 (1 + u)
    return finish(x, x.square() * x + b, h->sign, check_subgroup);
}

std::array<std::uint8_t, kG1CompressedBytes> encode_g1_compressed(const G1& p) noexcept {
    std::array<std::uint8_t, kG1CompressedBytes> out{};
    if (p.infinity) {
        out[0] = kFlagCompressed | kFlagInfinity;
        return out;
    }
    p.x.to_be(out.data());
    out[0] |= kFlagCompressed;
    if (is_larger(p.y)) out[0] |= kFlagSign;
    return out;
}

}  // namespace sluice::evm::bls381
