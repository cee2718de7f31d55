// Pippenger: the scalars are cut into windows of c bits; within a window every point is added
// into the bucket of its digit, and sum_d d * B_d comes from a running sum over the buckets from the
// top. The windows are combined from the most significant by c doublings each.
#include "bls381_msm.hpp"

#include <type_traits>
#include <vector>

#include "bls381_endomorphism.hpp"

namespace sluice::evm::bls381 {
namespace {

// The window that minimises the group operations: ceil(bits/c) windows of n bucket additions and
// 2 * 2^c running-sum additions each.
unsigned window_bits(std::size_t n, unsigned bits) noexcept {
    unsigned best = 1;
    std::uint64_t best_cost = UINT64_MAX;
    for (unsigned c = 1; c <= 16; ++c) {
        const std::uint64_t windows = (bits + c - 1) / c;
        const std::uint64_t cost = windows * (n + (std::uint64_t{2} << c));
        if (cost < best_cost) {
            best_cost = cost;
            best = c;
        }
    }
    return best;
}

// Bits [lo, lo + c) of the scalar, least significant first.
unsigned digit(const u256& s, unsigned lo, unsigned c) noexcept {
    unsigned d = 0;
    for (unsigned i = 0; i < c && lo + i < 256; ++i) {
        const unsigned bit = lo + i;
        d |= static_cast<unsigned>((s.w[bit / 64] >> (bit % 64)) & 1) << i;
    }
    return d;
}

template <class F>
Jacobian<F> pippenger(std::span<const Affine<F>> points, std::span<const u256> scalars, unsigned bits) {
    const unsigned c = window_bits(points.size(), bits);
    const unsigned windows = (bits + c - 1) / c;
    std::vector<Jacobian<F>> buckets(std::size_t{1} << c);
    Jacobian<F> acc;
    for (unsigned w = windows; w-- > 0;) {
        for (unsigned i = 0; i < c; ++i)
            acc = acc.doubled();
        for (auto& b : buckets)
            b = Jacobian<F>{};
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (points[i].infinity) continue;
            const unsigned d = digit(scalars[i], w * c, c);
            if (d != 0) buckets[d] = buckets[d].plus_affine(points[i]);
        }
        Jacobian<F> running;
        Jacobian<F> window_sum;
        for (std::size_t d = buckets.size() - 1; d > 0; --d) {
            running = running + buckets[d];
            window_sum = window_sum + running;
        }
        acc = acc + window_sum;
    }
    return acc;
}

}  // namespace

// Every pair is first split along the endomorphism (bls381_endomorphism.hpp) into 2 (G1) or 4 (G2)
// pairs with 128- or 64-bit scalars: more points, but a half or a quarter of the windows.
template <class F>
Jacobian<F> msm(std::span<const Affine<F>> points, std::span<const Scalar32> scalars) {
    if (points.size() == 1) {
        if constexpr (std::is_same_v<F, Fp>) {
            return g1_multiply_in_subgroup(points[0], scalars[0]);
        } else {
            return g2_multiply_in_subgroup(points[0], scalars[0]);
        }
    }
    constexpr std::size_t kParts = std::is_same_v<F, Fp> ? 2 : 4;
    std::vector<Affine<F>> split_points;
    std::vector<u256> split_scalars;
    split_points.reserve(kParts * points.size());
    split_scalars.reserve(kParts * points.size());
    unsigned bits = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto s = [&] {
            if constexpr (std::is_same_v<F, Fp>) {
                return split_g1(points[i], scalars[i]);
            } else {
                return split_g2(points[i], scalars[i]);
            }
        }();
        bits = s.bits;
        split_points.insert(split_points.end(), s.bases.begin(), s.bases.end());
        split_scalars.insert(split_scalars.end(), s.digits.begin(), s.digits.end());
    }
    return pippenger(std::span<const Affine<F>>(split_points), std::span<const u256>(split_scalars), bits);
}

template Jacobian<Fp> msm(std::span<const Affine<Fp>>, std::span<const Scalar32>);
template Jacobian<Fp2> msm(std::span<const Affine<Fp2>>, std::span<const Scalar32>);

}  // namespace sluice::evm::bls381
