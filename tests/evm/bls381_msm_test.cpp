// Pippenger MSM (with every pair split along the endomorphism) against the sum of plain
// double-and-add products, for G1 and G2, on subgroup points and the infinity, with scalars below r,
// equal to r and up to 2^256 - 1.
#include "bls381_msm.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace sluice::evm::bls381 {
namespace {

constexpr std::uint64_t kSeed = 0x5eed'2537'0017'0003ULL;

template <class F>
void check_msm(const Affine<F>& generator, std::size_t n, std::mt19937_64& gen) {
    std::vector<Affine<F>> points;
    std::vector<Scalar32> scalars;
    Jacobian<F> expected;
    for (std::size_t i = 0; i < n; ++i) {
        Scalar32 k{};
        for (auto& b : k)
            b = static_cast<std::uint8_t>(gen());
        if (i == 1) std::copy(kGroupOrderBe.begin(), kGroupOrderBe.end(), k.begin());
        if (i == 2) k.fill(0xff);
        Scalar32 m{};
        for (auto& b : m)
            b = static_cast<std::uint8_t>(gen());
        const Affine<F> p =
            i == 3 ? Affine<F>{} : multiply(generator, std::span<const std::uint8_t>(m)).to_affine();
        points.push_back(p);
        scalars.push_back(k);
        expected = expected + multiply(p, std::span<const std::uint8_t>(k));
    }
    EXPECT_EQ(msm(std::span<const Affine<F>>(points), std::span<const Scalar32>(scalars)).to_affine(),
              expected.to_affine())
        << "n = " << n;
}

TEST(Bls381Msm, MatchesTheSumOfProducts) {
    std::mt19937_64 gen(kSeed);
    for (const std::size_t n : {1, 2, 3, 5, 17}) {
        check_msm(g1_generator(), n, gen);
        check_msm(g2_generator(), n, gen);
    }
}

}  // namespace
}  // namespace sluice::evm::bls381
