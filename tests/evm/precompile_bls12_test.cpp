// BLS12-381 precompiles 0x0b-0x11 (EIP-2537): the EIP's own vectors (testdata/eip2537, each valid
// one with its output and gas, each failing one failing and burning the gas), the gas schedule (MSM
// discount table ends, pairing per pair, empty and ragged inputs), activation at Prague, and the
// input checks the EIP lists, each on its own malformed input: length, padding bytes, field element
// >= p, point off the curve, point outside the subgroup (rejected by MSM and pairing, accepted by
// ADD).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::expect_answer;
using testing::expect_failure;
using testing::hex;
using testing::run;
using testing::unhex;

const std::filesystem::path kVectors = SLUICE_EIP2537_VECTORS;

nlohmann::json load(const std::string& name) {
    std::ifstream in(kVectors / name);
    EXPECT_TRUE(in) << name;
    if (!in) return nlohmann::json::array();
    return nlohmann::json::parse(in);
}

// Every valid vector: output and gas as the EIP states them. Returns the number run, so a missing or
// empty file cannot pass silently.
std::size_t run_valid(PrecompileId id, const std::string& file) {
    const auto vectors = load(file);
    for (const auto& v : vectors) {
        SCOPED_TRACE(v["Name"].get<std::string>());
        expect_answer(id, v["Input"].get<std::string>(), v["Expected"].get<std::string>(),
                      v["Gas"].get<std::int64_t>());
    }
    return vectors.size();
}

std::size_t run_failing(PrecompileId id, const std::string& file) {
    const auto vectors = load(file);
    for (const auto& v : vectors) {
        SCOPED_TRACE(v["Name"].get<std::string>() + ": " + v["ExpectedError"].get<std::string>());
        expect_failure(id, v["Input"].get<std::string>());
    }
    return vectors.size();
}

TEST(PrecompileBls12, EipVectorsG1) {
    EXPECT_EQ(run_valid(PrecompileId::bls12_g1add, "add_G1_bls.json"), 9u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_g1add, "fail-add_G1_bls.json"), 7u);
    EXPECT_EQ(run_valid(PrecompileId::bls12_g1msm, "mul_G1_bls.json"), 11u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_g1msm, "fail-mul_G1_bls.json"), 8u);
    EXPECT_EQ(run_valid(PrecompileId::bls12_g1msm, "msm_G1_bls.json"), 20u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_g1msm, "fail-msm_G1_bls.json"), 8u);
}

TEST(PrecompileBls12, EipVectorsG2) {
    EXPECT_EQ(run_valid(PrecompileId::bls12_g2add, "add_G2_bls.json"), 9u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_g2add, "fail-add_G2_bls.json"), 7u);
    EXPECT_EQ(run_valid(PrecompileId::bls12_g2msm, "mul_G2_bls.json"), 11u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_g2msm, "fail-mul_G2_bls.json"), 8u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_g2msm, "fail-msm_G2_bls.json"), 8u);
}

TEST(PrecompileBls12, EipVectorsPairingAndMaps) {
    EXPECT_EQ(run_valid(PrecompileId::bls12_pairing, "pairing_check_bls.json"), 15u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_pairing, "fail-pairing_check_bls.json"), 25u);
    EXPECT_EQ(run_valid(PrecompileId::bls12_map_fp_to_g1, "map_fp_to_G1_bls.json"), 5u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_map_fp_to_g1, "fail-map_fp_to_G1_bls.json"), 5u);
    EXPECT_EQ(run_valid(PrecompileId::bls12_map_fp2_to_g2, "map_fp2_to_G2_bls.json"), 5u);
    EXPECT_EQ(run_failing(PrecompileId::bls12_map_fp2_to_g2, "fail-map_fp2_to_G2_bls.json"), 5u);
}

// Encodings built here: 16 zero bytes then 48 of the element.
std::string fp(const std::string& hex48) {
    return std::string(32, '0') + hex48;
}

const std::string kP =  // the modulus itself: one past the largest element
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
const std::string kG1 =
    fp("17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb") +
    fp("08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1");
const std::string kG2 =
    fp("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8") +
    fp("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e") +
    fp("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801") +
    fp("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be");
const std::string kG1Inf(256, '0');
const std::string kG2Inf(512, '0');
// (0, 2): 2^2 = 0^3 + 4, a point of E(Fp) of order 3, so on the curve but outside the order-r subgroup.
const std::string kG1NotInSubgroup = fp(std::string(95, '0') + "0") + fp(std::string(95, '0') + "2");
const std::string kG1OffCurve = fp(std::string(95, '0') + "1") + fp(std::string(95, '0') + "1");
const std::string kScalarOne = std::string(63, '0') + "1";

TEST(PrecompileBls12, AddAcceptsPointsOutsideTheSubgroup) {
    const auto r = run(PrecompileId::bls12_g1add, kG1NotInSubgroup + kG1Inf);
    ASSERT_EQ(r.status, PrecompileStatus::success);
    EXPECT_EQ(r.gas_used, 375);
    EXPECT_EQ(hex(r.output), kG1NotInSubgroup);
    // (0, 2) + (0, 2) + (0, 2) is the infinity: the group law on the whole curve.
    const auto twice = run(PrecompileId::bls12_g1add, kG1NotInSubgroup + kG1NotInSubgroup);
    ASSERT_EQ(twice.status, PrecompileStatus::success);
    const auto thrice = run(PrecompileId::bls12_g1add, hex(twice.output) + kG1NotInSubgroup);
    ASSERT_EQ(thrice.status, PrecompileStatus::success);
    EXPECT_EQ(hex(thrice.output), kG1Inf);
}

TEST(PrecompileBls12, MsmAndPairingRejectPointsOutsideTheSubgroup) {
    expect_failure(PrecompileId::bls12_g1msm, kG1NotInSubgroup + kScalarOne);
    expect_failure(PrecompileId::bls12_g1msm, kG1 + kScalarOne + kG1NotInSubgroup + kScalarOne);
    expect_failure(PrecompileId::bls12_pairing, kG1NotInSubgroup + kG2);
    // The same inputs with the point replaced by one in the subgroup succeed.
    EXPECT_EQ(run(PrecompileId::bls12_g1msm, kG1 + kScalarOne).status, PrecompileStatus::success);
    EXPECT_EQ(run(PrecompileId::bls12_pairing, kG1 + kG2).status, PrecompileStatus::success);
}

TEST(PrecompileBls12, FieldElementChecks) {
    // x = p: not below the modulus.
    expect_failure(PrecompileId::bls12_g1add, fp(kP) + kG1.substr(128) + kG1Inf);
    expect_failure(PrecompileId::bls12_map_fp_to_g1, fp(kP));
    expect_failure(PrecompileId::bls12_map_fp2_to_g2, fp(std::string(96, '0')) + fp(kP));
    // A nonzero byte in the 16 padding bytes, even though the 48 below hold a valid element.
    std::string padded = kG1;
    padded[31] = '1';
    expect_failure(PrecompileId::bls12_g1add, padded + kG1Inf);
    expect_failure(PrecompileId::bls12_map_fp_to_g1, "01" + fp(std::string(96, '0')).substr(2));
    // Off the curve.
    expect_failure(PrecompileId::bls12_g1add, kG1OffCurve + kG1Inf);
    expect_failure(PrecompileId::bls12_g1msm, kG1OffCurve + kScalarOne);
    std::string g2_off = kG2;
    g2_off[511] = g2_off[511] == '0' ? '1' : '0';
    expect_failure(PrecompileId::bls12_g2add, g2_off + kG2Inf);
    expect_failure(PrecompileId::bls12_pairing, kG1 + g2_off);
    // The all-zero encoding is the infinity, the EIP's only representation of it.
    EXPECT_EQ(hex(run(PrecompileId::bls12_g2add, kG2Inf + kG2Inf).output), kG2Inf);
}

TEST(PrecompileBls12, LengthChecks) {
    expect_failure(PrecompileId::bls12_g1add, kG1 + kG1Inf + "00");
    expect_failure(PrecompileId::bls12_g1add, (kG1 + kG1Inf).substr(2));
    expect_failure(PrecompileId::bls12_g2add, kG2);
    expect_failure(PrecompileId::bls12_g1msm, "");
    expect_failure(PrecompileId::bls12_g1msm, kG1 + kScalarOne + "00");
    expect_failure(PrecompileId::bls12_g2msm, "");
    expect_failure(PrecompileId::bls12_g2msm, kG2 + kScalarOne.substr(2));
    expect_failure(PrecompileId::bls12_pairing, "");
    expect_failure(PrecompileId::bls12_pairing, kG1 + kG2 + kG1);
    expect_failure(PrecompileId::bls12_map_fp_to_g1, fp(std::string(96, '0')) + "00");
    expect_failure(PrecompileId::bls12_map_fp2_to_g2, fp(std::string(96, '0')));
}

std::int64_t price(PrecompileId id, std::size_t input_bytes) {
    // The price a valid input of that size pays, read back from a successful run over infinities
    // (valid, and cheap to compute).
    const std::string unit = id == PrecompileId::bls12_g1msm   ? kG1Inf + kScalarOne
                             : id == PrecompileId::bls12_g2msm ? kG2Inf + kScalarOne
                                                               : kG1Inf + kG2Inf;
    const std::size_t unit_bytes = unit.size() / 2;
    std::string input;
    for (std::size_t i = 0; i < input_bytes / unit_bytes; ++i)
        input += unit;
    const auto r = run(id, input, 1'000'000'000);
    EXPECT_EQ(r.status, PrecompileStatus::success);
    return r.gas_used;
}

TEST(PrecompileBls12, GasSchedule) {
    // k * cost * discount(k) / 1000, discount(1) = 1000, discount(2) = 949 / 1000, discount(128) =
    // 519 / 524 and the same max_discount beyond.
    EXPECT_EQ(price(PrecompileId::bls12_g1msm, 160), 12000);
    EXPECT_EQ(price(PrecompileId::bls12_g1msm, 2 * 160), 2 * 12000 * 949 / 1000);
    EXPECT_EQ(price(PrecompileId::bls12_g1msm, 128 * 160), 128 * 12000 * 519 / 1000);
    EXPECT_EQ(price(PrecompileId::bls12_g1msm, 200 * 160), 200 * 12000 * 519 / 1000);
    EXPECT_EQ(price(PrecompileId::bls12_g2msm, 288), 22500);
    EXPECT_EQ(price(PrecompileId::bls12_g2msm, 2 * 288), 2 * 22500);
    EXPECT_EQ(price(PrecompileId::bls12_g2msm, 3 * 288), 3 * 22500 * 923 / 1000);
    EXPECT_EQ(price(PrecompileId::bls12_g2msm, 128 * 288), 128 * 22500 * 524 / 1000);
    EXPECT_EQ(price(PrecompileId::bls12_g2msm, 129 * 288), 129 * 22500 * 524 / 1000);
    EXPECT_EQ(price(PrecompileId::bls12_pairing, 384), 32600 + 37700);
    EXPECT_EQ(price(PrecompileId::bls12_pairing, 3 * 384), 3 * 32600 + 37700);

    // One gas short of the price is out of gas, and the whole limit is consumed.
    const auto short_by_one = run(PrecompileId::bls12_g1add, kG1 + kG1Inf, 374);
    EXPECT_EQ(short_by_one.status, PrecompileStatus::out_of_gas);
    EXPECT_EQ(short_by_one.gas_used, 374);
    EXPECT_EQ(run(PrecompileId::bls12_g1add, kG1 + kG1Inf, 375).status, PrecompileStatus::success);
    EXPECT_EQ(
        run(PrecompileId::bls12_map_fp2_to_g2, fp(std::string(96, '0')) + fp(std::string(96, '0')), 23799)
            .status,
        PrecompileStatus::out_of_gas);
    // 10,000 pairs price at 62 M gas: refused before any point is decoded.
    EXPECT_EQ(run(PrecompileId::bls12_g1msm, std::string(2 * 160 * 10000, '0'), 30'000'000).status,
              PrecompileStatus::out_of_gas);
}

TEST(PrecompileBls12, ActiveFromPrague) {
    for (std::uint8_t a = 0x0b; a <= 0x11; ++a) {
        Address addr;
        addr[19] = a;
        EXPECT_FALSE(precompile_at(addr, Revision::cancun)) << int{a};
        EXPECT_TRUE(precompile_at(addr, Revision::prague)) << int{a};
    }
}

}  // namespace
}  // namespace sluice::evm
