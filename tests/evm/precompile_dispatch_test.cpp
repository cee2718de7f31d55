// Precompile addresses and activation per revision; the unsupported ones are reported, never run.
#include <gtest/gtest.h>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

Address addr(std::uint8_t hi, std::uint8_t lo) {
    Address a;
    a[18] = hi;
    a[19] = lo;
    return a;
}

TEST(PrecompileDispatch, ActivationPerRevision) {
    EXPECT_EQ(precompile_at(addr(0, 1), Revision::frontier), PrecompileId::ecrecover);
    EXPECT_EQ(precompile_at(addr(0, 4), Revision::frontier), PrecompileId::identity);
    EXPECT_FALSE(precompile_at(addr(0, 5), Revision::spurious_dragon));
    EXPECT_EQ(precompile_at(addr(0, 5), Revision::byzantium), PrecompileId::modexp);
    EXPECT_EQ(precompile_at(addr(0, 8), Revision::byzantium), PrecompileId::bn254_pairing);
    EXPECT_FALSE(precompile_at(addr(0, 9), Revision::petersburg));
    EXPECT_EQ(precompile_at(addr(0, 9), Revision::istanbul), PrecompileId::blake2f);
    EXPECT_FALSE(precompile_at(addr(0, 0x0a), Revision::shanghai));
    EXPECT_EQ(precompile_at(addr(0, 0x0a), Revision::cancun), PrecompileId::point_evaluation);
    EXPECT_FALSE(precompile_at(addr(0, 0x0b), Revision::cancun));
    EXPECT_EQ(precompile_at(addr(0, 0x0b), Revision::prague), PrecompileId::bls12_g1add);
    EXPECT_EQ(precompile_at(addr(0, 0x11), Revision::prague), PrecompileId::bls12_map_fp2_to_g2);
    EXPECT_FALSE(precompile_at(addr(0, 0x12), Revision::osaka));
    EXPECT_FALSE(precompile_at(addr(1, 0), Revision::prague));
    EXPECT_EQ(precompile_at(addr(1, 0), Revision::osaka), PrecompileId::p256_verify);
    EXPECT_FALSE(precompile_at(addr(0, 0), Revision::osaka));
    Address high = addr(0, 1);
    high[0] = 1;
    EXPECT_FALSE(precompile_at(high, Revision::osaka));
}

TEST(PrecompileDispatch, AddressesRoundTrip) {
    for (std::uint8_t i = 1; i <= 0x12; ++i) {
        const auto id = static_cast<PrecompileId>(i);
        EXPECT_EQ(precompile_at(precompile_address(id), kLatestRevision), id) << int{i};
    }
    EXPECT_EQ(precompile_address(PrecompileId::p256_verify), addr(1, 0));
}

TEST(PrecompileDispatch, UnsupportedAreReportedNotRun) {
    for (std::uint8_t i = 1; i <= 0x12; ++i) {
        const auto id = static_cast<PrecompileId>(i);
        const bool expected_supported = i <= 0x11;  // all but P256VERIFY
        EXPECT_EQ(precompile_supported(id), expected_supported) << int{i};
        const auto r = run_precompile(id, Bytes(192, 0), 1'000'000, kLatestRevision);
        if (expected_supported) {
            EXPECT_NE(r.status, PrecompileStatus::unsupported) << int{i};
        } else {
            EXPECT_EQ(r.status, PrecompileStatus::unsupported) << int{i};
            EXPECT_TRUE(r.output.empty());
        }
    }
}

TEST(PrecompileDispatch, NegativeGasLimitIsOutOfGas) {
    const auto r = run_precompile(PrecompileId::identity, Bytes{}, -5, Revision::prague);
    EXPECT_EQ(r.status, PrecompileStatus::out_of_gas);
    EXPECT_EQ(r.gas_used, 0);
}

}  // namespace
}  // namespace sluice::evm
