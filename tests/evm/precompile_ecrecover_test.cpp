// Precompile 0x01 (ecrecover): a known signer, high-s acceptance, and every invalid-input rule
// (which all return empty output, succeed and cost 3000 gas).
#include <gtest/gtest.h>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::expect_answer;

const std::string kHash = "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c";
const std::string kR = "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f";
// This s is above n/2 (a "high-s" signature, valid for the precompile).
const std::string kHighS = "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";
const std::string kLowS = "1146bf4e2fc4de1c94f1b81868960f68bc842490f1b6bc98387ba6b57599fbf8";  // n - kHighS
const std::string kOrderN = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
const std::string kSigner = "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b";

std::string v_word(const std::string& last_byte) { return std::string(62, '0') + last_byte; }

TEST(EcrecoverPrecompile, RecoversKnownSigner) {
    expect_answer(PrecompileId::ecrecover, kHash + v_word("1c") + kR + kHighS, kSigner, 3000);
    // The same signature in low-s form, with the recovery id flipped.
    expect_answer(PrecompileId::ecrecover, kHash + v_word("1b") + kR + kLowS, kSigner, 3000);
    // Extra input past 128 bytes is ignored.
    expect_answer(PrecompileId::ecrecover, kHash + v_word("1c") + kR + kHighS + "ff", kSigner, 3000);
    // Same frontier pricing.
    expect_answer(PrecompileId::ecrecover, kHash + v_word("1c") + kR + kHighS, kSigner, 3000, Revision::frontier);
}

TEST(EcrecoverPrecompile, InvalidInputsGiveEmptyOutput) {
    const auto ec = PrecompileId::ecrecover;
    // Wrong recovery id: wrong (but valid) key or none; never the signer.
    const auto flipped = testing::run(ec, kHash + v_word("1b") + kR + kHighS);
    EXPECT_NE(testing::hex(flipped.output), kSigner);
    // v not 27/28, or with high bits set in its word.
    expect_answer(ec, kHash + v_word("1d") + kR + kHighS, "", 3000);
    expect_answer(ec, kHash + v_word("00") + kR + kHighS, "", 3000);
    expect_answer(ec, kHash + v_word("01") + kR + kHighS, "", 3000);
    expect_answer(ec, kHash + "1" + std::string(61, '0') + "1c" + kR + kHighS, "", 3000);
    expect_answer(ec, kHash + std::string(40, '0') + "1" + std::string(21, '0') + "1c" + kR + kHighS, "", 3000);
    // r or s zero, or not below the group order.
    expect_answer(ec, kHash + v_word("1c") + std::string(64, '0') + kHighS, "", 3000);
    expect_answer(ec, kHash + v_word("1c") + kR + std::string(64, '0'), "", 3000);
    expect_answer(ec, kHash + v_word("1c") + kOrderN + kHighS, "", 3000);
    expect_answer(ec, kHash + v_word("1c") + kR + kOrderN, "", 3000);
    // r that is no x coordinate on the curve (from go-ethereum's "unrecoverable key" case).
    expect_answer(ec,
                  "a8b53bdf3306a35a7103ab5504a0c9b492295564b6202b1942a84ef300107281" + v_word("1b") +
                      "307835653165303366353363653138623737326363623030393366663731663366353366356337356237346463623331"
                      "613835616138623838393262346538621122334455667788991011121314151617181920212223242526272829303132",
                  "", 3000);
    // Empty and short inputs (zero-padded: v = 0).
    expect_answer(ec, "", "", 3000);
    expect_answer(ec, kHash, "", 3000);
}

TEST(EcrecoverPrecompile, OutOfGas) {
    const auto r = testing::run(PrecompileId::ecrecover, kHash + v_word("1c") + kR + kHighS, 2999);
    EXPECT_EQ(r.status, PrecompileStatus::out_of_gas);
    EXPECT_EQ(r.gas_used, 2999);
    EXPECT_TRUE(r.output.empty());
}

}  // namespace
}  // namespace sluice::evm
