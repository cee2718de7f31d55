// KZG point evaluation 0x0a (EIP-4844): a correct proof from the consensus-spec vectors (as the
// execution-spec tests ship it) returns FIELD_ELEMENTS_PER_BLOB and BLS_MODULUS for 50000 gas; an
// opening of a constant polynomial built here (commitment c*G1, proof the infinity, at any z) too;
// and each check the EIP lists fails on its own: input length, versioned hash (version byte and
// digest), z and y not below r, a commitment or proof that does not decompress or is outside the
// subgroup, and a wrong y. Not active before Cancun.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "bls381_compressed.hpp"
#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::expect_answer;
using testing::expect_failure;
using testing::hex;
using testing::run;
using testing::unhex;

// verify_kzg_proof_case_correct_proof_1ce8e4f69d5df899 (z = r - 1, y = 0), the transaction data of
// EEST v5.4.0 cancun/eip4844_blobs/test_external_vectors.json.
const std::string kCorrectProof =
    "01ad7666ef9d8f53b5adf54f029b13b6f171b1d0bd346a2ede315d3e243484ef"
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "93efc82d2017e9c57834a1246463e64774e56183bb247c8fc9dd98c56817e878d97b05f5c8d900acf1fbbbca6f146556"
    "92c51ff81dd71dab71cefecd79e8274b4b7ba36a0f40e2dc086bc4061c7f63249877db23297212991fd63e07b7ebc348";
const std::string kSuccessOutput =
    "0000000000000000000000000000000000000000000000000000000000001000"
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
const std::string kInfinity = "c0" + std::string(94, '0');

std::string word(std::uint64_t v) {
    std::string s(64, '0');
    static constexpr char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < 16; ++i)
        s[63 - i] = kDigits[(v >> (4 * i)) & 0xf];
    return s;
}

std::string versioned_hash(const std::string& commitment_hex) {
    const auto digest = run(PrecompileId::sha256, commitment_hex, 1'000'000, Revision::cancun);
    EXPECT_EQ(digest.status, PrecompileStatus::success);
    return "01" + hex(digest.output).substr(2);
}

// p(X) = c: the commitment is c*G1, and p(X) - p(z) = 0, so the proof (the commitment to the
// quotient) is the infinity for every z.
std::string constant_polynomial_opening(std::uint64_t c, std::uint64_t z) {
    const auto cg = bls381::multiply(bls381::g1_generator(), std::span<const std::uint8_t>(unhex(word(c))));
    const auto compressed = bls381::encode_g1_compressed(cg.to_affine());
    const std::string commitment = hex(Bytes(compressed.begin(), compressed.end()));
    return versioned_hash(commitment) + word(z) + word(c) + commitment + kInfinity;
}

// Replaces the 2n hex digits at byte offset `at`.
std::string patch(std::string s, std::size_t at, const std::string& bytes_hex) {
    s.replace(2 * at, bytes_hex.size(), bytes_hex);
    return s;
}

TEST(PrecompilePointEvaluation, CorrectProofs) {
    expect_answer(PrecompileId::point_evaluation, kCorrectProof, kSuccessOutput, 50000, Revision::cancun);
    expect_answer(PrecompileId::point_evaluation, kCorrectProof, kSuccessOutput, 50000, Revision::prague);
    expect_answer(PrecompileId::point_evaluation, constant_polynomial_opening(7, 12345), kSuccessOutput,
                  50000, Revision::cancun);
    // The zero polynomial: commitment and proof both the infinity.
    expect_answer(PrecompileId::point_evaluation, constant_polynomial_opening(0, 1), kSuccessOutput, 50000,
                  Revision::cancun);
}

TEST(PrecompilePointEvaluation, EachCheckFails) {
    const Revision rev = Revision::cancun;
    expect_failure(PrecompileId::point_evaluation, kCorrectProof.substr(2), rev);
    expect_failure(PrecompileId::point_evaluation, kCorrectProof + "00", rev);
    expect_failure(PrecompileId::point_evaluation, "", rev);
    // Version byte 0x02, and a digest with one bit flipped.
    expect_failure(PrecompileId::point_evaluation, patch(kCorrectProof, 0, "02"), rev);
    expect_failure(PrecompileId::point_evaluation, patch(kCorrectProof, 31, "ee"), rev);
    // A wrong value: the constant polynomial 7 opened as 8.
    const std::string opening = constant_polynomial_opening(7, 5);
    expect_failure(PrecompileId::point_evaluation, patch(opening, 64, word(8)), rev);
    // z = r and y = r: the same point as z = 0 / y = 0 but not canonical.
    const std::string r = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
    expect_failure(PrecompileId::point_evaluation, patch(constant_polynomial_opening(0, 0), 32, r), rev);
    expect_failure(PrecompileId::point_evaluation, patch(constant_polynomial_opening(0, 0), 64, r), rev);
    // A proof without the compression flag, and one whose x has no point on the curve (x = 1:
    // 1 + 4 = 5 is not a square mod p).
    expect_failure(PrecompileId::point_evaluation, patch(opening, 144, "40"), rev);
    expect_failure(PrecompileId::point_evaluation, patch(opening, 144, "80" + std::string(92, '0') + "01"),
                   rev);
}

TEST(PrecompilePointEvaluation, RejectsACommitmentOutsideTheSubgroup) {
    // (0, 2) is on E (order 3); compressed: flags 0x80 | sign of 2 (not the larger root), x = 0.
    const std::string commitment = "80" + std::string(94, '0');
    ASSERT_TRUE(bls381::decode_g1_compressed(unhex(commitment), false).has_value());
    const std::string input = versioned_hash(commitment) + word(1) + word(0) + commitment + kInfinity;
    expect_failure(PrecompileId::point_evaluation, input, Revision::cancun);
}

TEST(PrecompilePointEvaluation, ActiveFromCancun) {
    Address a;
    a[19] = 0x0a;
    EXPECT_FALSE(precompile_at(a, Revision::shanghai));
    EXPECT_EQ(precompile_at(a, Revision::cancun), PrecompileId::point_evaluation);
}

}  // namespace
}  // namespace sluice::evm
