// Precompile 0x09 (EIP-152 BLAKE2b F): the EIP's test vectors 4-7 (rounds 0, 12, 12 non-final, 1)
// and its malformed-input vectors 1-3.
#include <gtest/gtest.h>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::expect_answer;
using testing::expect_failure;
using testing::run;

// h || m || t of the EIP's vectors ("abc" as the message), without rounds and the final flag.
const std::string kState =
    "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbab"
    "d9831f79217e1319cde05b" +
    std::string("616263") + std::string(250, '0') + "0300000000000000" + "0000000000000000";

TEST(Blake2fPrecompile, EipVectors) {
    ASSERT_EQ(kState.size(), 2U * 208);
    const auto f = PrecompileId::blake2f;
    expect_answer(f, "00000000" + kState + "01",
                  "08c9bcf367e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d282e6ad7f520e511f6c3e2b8c68059b"
                  "9442be0454267ce079217e1319cde05b",
                  0);
    expect_answer(f, "0000000c" + kState + "01",
                  "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc95"
                  "18d38aa8dbf1925ab92386edd4009923",
                  12);
    expect_answer(f, "0000000c" + kState + "00",
                  "75ab69d3190a562c51aef8d88f1c2775876944407270c42c9844252c26d2875298743e7f6d5ea2f2d3e8d226039cd31b"
                  "4e426ac4f2d3d666a610c2116fde4735",
                  12);
    expect_answer(f, "00000001" + kState + "01",
                  "b63a380cb2897d521994a85234ee2c181b5f844d2c624c002677e9703449d2fba551b3a8333bcdf5f2f7e08993d53923"
                  "de3d64fcc68c034e717b9293fed7a421",
                  1);
}

TEST(Blake2fPrecompile, MalformedInputFails) {
    const auto f = PrecompileId::blake2f;
    expect_failure(f, "");                                // vector 0: empty
    expect_failure(f, "0000000c" + kState.substr(2) + "01");  // vector 1: 212 bytes
    expect_failure(f, "000000000c" + kState + "01");          // vector 2: 214 bytes
    expect_failure(f, "0000000c" + kState + "02");            // vector 3: final flag 2
    expect_failure(f, "0000000c" + kState + "ff");
}

TEST(Blake2fPrecompile, GasIsRounds) {
    const auto r = run(PrecompileId::blake2f, "0000000c" + kState + "01", 11, Revision::istanbul);
    EXPECT_EQ(r.status, PrecompileStatus::out_of_gas);
    EXPECT_EQ(r.gas_used, 11);
    // 2^32 - 1 rounds are priced (and refused) without running them.
    const auto huge = run(PrecompileId::blake2f, "ffffffff" + kState + "01", 30'000'000, Revision::istanbul);
    EXPECT_EQ(huge.status, PrecompileStatus::out_of_gas);
}

}  // namespace
}  // namespace sluice::evm
