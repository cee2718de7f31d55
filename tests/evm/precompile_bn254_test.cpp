// bn254 (alt_bn128) precompiles 0x06-0x08: known answers of EIP-196/197 (the vectors go-ethereum
// and the Ethereum test suites use), invalid points, and the EIP-1108 / Byzantium gas figures.
#include <gtest/gtest.h>

#include "precompile_testing.hpp"

namespace sluice::evm {
namespace {

using testing::expect_answer;
using testing::expect_failure;
using testing::run;

constexpr std::string_view kG1 =
    "0000000000000000000000000000000000000000000000000000000000000001"
    "0000000000000000000000000000000000000000000000000000000000000002";
// The G2 generator of EIP-197: x_imaginary || x_real || y_imaginary || y_real.
constexpr std::string_view kG2 =
    "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
    "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
    "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b"
    "12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
constexpr std::string_view kModulusHex = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
const std::string kZero64(128, '0');

TEST(Bn254Add, KnownAnswers) {
    const auto add = PrecompileId::bn254_add;
    expect_answer(add,
                  "18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9063c909c4720840cb5134cb9f59fa749"
                  "755796819658d32efc0d288198f3726607c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed"
                  "06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7",
                  "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc35964723"
                  "180eed7532537db9ae5e7d48f195c915",
                  150);
    expect_answer(add,
                  "2243525c5efd4b9c3d3c45ac0ca3fe4dd85e830a4ce6b65fa1eeaee202839703301d1d33be6da8e509df21cc35964723"
                  "180eed7532537db9ae5e7d48f195c91518b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9"
                  "063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f37266",
                  "2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb721611ce0a6af85915e2f1d70300909ce"
                  "2e49dfad4a4619c8390cae66cefdb204",
                  150);
    // G + G = 2G.
    expect_answer(add, std::string(kG1) + std::string(kG1),
                  "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd315ed738c0e0a7c92e7845f96b2ae9c0a"
                  "68a6a449e3538fc7ff3ebf7a5a18a2c4",
                  150);
    expect_answer(add,
                  "17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa901e0559bacb160664764a357af8a9fe7"
                  "0baa9258e0b959273ffc5718c6d4cc7c039730ea8dff1254c0fee9c0ea777d29a9c710b7e616683f194f18c43b43b869"
                  "073a5ffcc6fc7a28c30723d6e58ce577356982d65b833a5a5c15bf9024b43d98",
                  "15bf2bb17880144b5d1cd2b1f46eff9d617bffd1ca57c37fb5a49bd84e53cf66049c797f9ce0d17083deb32b5e36f2ea"
                  "2a212ee036598dd7624c168993d1355f",
                  150);
    // P + (-P) = infinity.
    expect_answer(add,
                  "17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa901e0559bacb160664764a357af8a9fe7"
                  "0baa9258e0b959273ffc5718c6d4cc7c17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa9"
                  "2e83f8d734803fc370eba25ed1f6b8768bd6d83887b87165fc2434fe11a830cb",
                  kZero64, 150);
    // Empty and short inputs are zero-padded: O + O = O, G + O = G; extra bytes are ignored.
    expect_answer(add, "", kZero64, 150);
    expect_answer(add, kG1, kG1, 150);
    expect_answer(add, std::string(kG1) + kZero64 + "ffff", kG1, 150);
}

TEST(Bn254Add, InvalidPoints) {
    const auto add = PrecompileId::bn254_add;
    // (1, 3) is not on y^2 = x^3 + 3.
    expect_failure(add, "0000000000000000000000000000000000000000000000000000000000000001"
                        "0000000000000000000000000000000000000000000000000000000000000003");
    // A coordinate equal to p is rejected even though p = 0 mod p.
    expect_failure(add, std::string(kModulusHex) + "0000000000000000000000000000000000000000000000000000000000000000");
    expect_failure(add, kZero64 + "0000000000000000000000000000000000000000000000000000000000000001" +
                            std::string(kModulusHex));
}

TEST(Bn254Add, GasPerRevision) {
    EXPECT_EQ(run(PrecompileId::bn254_add, "", 1'000'000, Revision::byzantium).gas_used, 500);
    EXPECT_EQ(run(PrecompileId::bn254_add, "", 1'000'000, Revision::petersburg).gas_used, 500);
    EXPECT_EQ(run(PrecompileId::bn254_add, "", 1'000'000, Revision::istanbul).gas_used, 150);
    const auto short_of_gas = run(PrecompileId::bn254_add, "", 149, Revision::istanbul);
    EXPECT_EQ(short_of_gas.status, PrecompileStatus::out_of_gas);
    EXPECT_EQ(short_of_gas.gas_used, 149);
}

TEST(Bn254Mul, KnownAnswers) {
    const auto mul = PrecompileId::bn254_mul;
    expect_answer(mul,
                  "2bd3e6d0f3b142924f5ca7b49ce5b9d54c4703d7ae5648e61d02268b1a0a9fb721611ce0a6af85915e2f1d70300909ce"
                  "2e49dfad4a4619c8390cae66cefdb20400000000000000000000000000000000000000000000000011138ce750fa15c2",
                  "070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c031b8ce914eba3a9ffb989f9cdd5b0f0"
                  "1943074bf4f0f315690ec3cec6981afc",
                  6000);
    expect_answer(mul,
                  "070a8d6a982153cae4be29d434e8faef8a47b274a053f5a4ee2a6c9c13c31e5c031b8ce914eba3a9ffb989f9cdd5b0f0"
                  "1943074bf4f0f315690ec3cec6981afc30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd46",
                  "025a6f4181d2b4ea8b724290ffb40156eb0adb514c688556eb79cdea0752c2bb2eff3f31dea215f1eb86023a133a996e"
                  "b6300b44da664d64251d05381bb8a02e",
                  6000);
    // Scalar 2^256 - 1 (larger than the group order: no reduction is required of the caller).
    expect_answer(mul,
                  "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff81504b"
                  "0fcd6d7cf59996efdc33d92bf7f9f8f6ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                  "2cde5879ba6f13c0b5aa4ef627f159a3347df9722efce88a9afbb20b763b4c411aa7e43076f6aee272755a7f9b84832e"
                  "71559ba0d2e0b17d5f9f01755e5b0d11",
                  6000);
    // Scalar n - 1 gives -P.
    expect_answer(mul,
                  "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff81504b"
                  "0fcd6d7cf59996efdc33d92bf7f9f8f630644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000",
                  "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe3163511ddc1c3f25d396745388200081287"
                  "b3fd1472d8339d5fecb2eae0830451",
                  6000);
    expect_answer(mul,
                  "1a87b0584ce92f4593d161480614f2989035225609f08058ccfa3d0f940febe31a2f3c951f6dadcc7ee9007dff81504b"
                  "0fcd6d7cf59996efdc33d92bf7f9f8f60000000000000000000000000000000000000000000000000000000000000009",
                  "1dbad7d39dbc56379f78fac1bca147dc8e66de1b9d183c7b167351bfe0aeab742cd757d51289cd8dbd0acf9e673ad67d"
                  "0f0a89f912af47ed1be53664f5692575",
                  6000);
    expect_answer(mul,
                  "039730ea8dff1254c0fee9c0ea777d29a9c710b7e616683f194f18c43b43b869073a5ffcc6fc7a28c30723d6e58ce577"
                  "356982d65b833a5a5c15bf9024b43d98ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                  "00a1a234d08efaa2616607e31eca1980128b00b415c845ff25bba3afcb81dc00242077290ed33906aeb8e42fd98c41bc"
                  "b9057ba03421af3f2d08cfc441186024",
                  6000);
    // Scalar 0, and the point at infinity, give infinity.
    expect_answer(mul, kG1, kZero64, 6000);
    expect_answer(mul, kZero64 + "ff", kZero64, 6000);
}

TEST(Bn254Mul, InvalidPointAndGas) {
    expect_failure(PrecompileId::bn254_mul, "0000000000000000000000000000000000000000000000000000000000000001"
                                            "0000000000000000000000000000000000000000000000000000000000000003"
                                            "0000000000000000000000000000000000000000000000000000000000000002");
    EXPECT_EQ(run(PrecompileId::bn254_mul, "", 1'000'000, Revision::byzantium).gas_used, 40000);
    EXPECT_EQ(run(PrecompileId::bn254_mul, "", 1'000'000, Revision::istanbul).gas_used, 6000);
}

struct PairingVector {
    const char* name;
    bool result;
    std::string input;
};

const PairingVector kPairingVectors[] = {
    {"jeff1", true,
        "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745"
        "fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf7"
        "04bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd0c"
        "a2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550"
        "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c2032c61a830e3c17286de9462bf242fc"
        "a2883585b93870a73853face6a6bf411198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395"
        "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"},
    {"jeff6", false,
        "1c76476f4def4bb94541d57ebba1193381ffa7aa76ada664dd31c16024c43f593034dd2920f673e204fee2811c678745"
        "fc819b55d3e9d294e45c9b03a76aef41209dd15ebff5d46c4bd888e51a93cf99a7329636c63514396b4a452003a35bf7"
        "04bf11ca01483bfa8b34b43561848d28905960114c8ac04049af4b6315a416782bb8324af6cfc93537a2ad1a445cfd0c"
        "a2a71acd7ac41fadbf933c2a51be344d120a2a4cf30c1bf9845f20c6fe39e07ea2cce61f0c9bb048165fe5e4de877550"
        "111e129f1cf1097710d41c4ac70fcdfa5ba2023c6ff1cbeac322de49d1b6df7c103188585e2364128fe25c70558f1560"
        "f4f9350baf3959e603cc91486e110936198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395"
        "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"},
    {"one_point", false,
        "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000"
        "00000000000000000000000000000002198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395"
        "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"},
    {"two_point_match_2", true,
        "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000"
        "00000000000000000000000000000002198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395"
        "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"
        "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000"
        "00000000000000000000000000000002198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed275dc4a288d1afb3cbb1ac09187524c7"
        "db36395df7be3b99e673b13a075a65ec1d9befcd05a5323e6da4d435f3b617cdb3af83285c2df711ef39c01571827f9d"},
    {"two_point_match_3", true,
        "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000"
        "00000000000000000000000000000002203e205db4f19b37b60121b83a7333706db86431c6d835849957ed8c3928ad79"
        "27dc7234fd11d3e8c36c59277c3e6f149d5cd3cfa9a62aee49f8130962b4b3b9195e8aa5b7827463722b8c153931579d"
        "3505566b4edf48d498e185f0509de15204bb53b8977e5f92a0bc372742c4830944a59b4fe6b1c0466e2a6dad122b5d2e"
        "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd31a76dae6d3272396d0cbe61fced2bc53"
        "2edac647851e3ac53ce1cc9c7e645a83198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2"
        "1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395"
        "bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"},
};

TEST(Bn254Pairing, KnownAnswers) {
    for (const auto& v : kPairingVectors) {
        const std::size_t pairs = v.input.size() / 384;
        expect_answer(PrecompileId::bn254_pairing, v.input,
                      std::string(63, '0') + (v.result ? "1" : "0"), static_cast<std::int64_t>(45000 + 34000 * pairs));
    }
}

TEST(Bn254Pairing, EmptyInputAndInfinity) {
    const std::string one = std::string(63, '0') + "1";
    expect_answer(PrecompileId::bn254_pairing, "", one, 45000);
    // e(O, G2) = e(G1, O) = 1.
    expect_answer(PrecompileId::bn254_pairing, kZero64 + std::string(kG2), one, 79000);
    expect_answer(PrecompileId::bn254_pairing, std::string(kG1) + std::string(256, '0'), one, 79000);
    // e(G1, G2) alone is not 1.
    expect_answer(PrecompileId::bn254_pairing, std::string(kG1) + std::string(kG2), std::string(64, '0'), 79000);
}

TEST(Bn254Pairing, InvalidInputs) {
    const auto pairing = PrecompileId::bn254_pairing;
    const std::string pair = std::string(kG1) + std::string(kG2);
    // Not a multiple of 192 bytes.
    expect_failure(pairing, pair.substr(0, pair.size() - 2));
    expect_failure(pairing, pair + "00");
    // G2 point off the twist (last byte changed).
    expect_failure(pairing, pair.substr(0, pair.size() - 2) + "ab");
    // On the twist (x = 2 + u, y a square root of x^3 + 3/(9+u)) but not of order n: the cofactor
    // check must reject it (point computed independently in Python with plain Fp2 arithmetic).
    expect_failure(pairing, std::string(kG1) +
                                "0000000000000000000000000000000000000000000000000000000000000001"
                                "0000000000000000000000000000000000000000000000000000000000000002"
                                "2b76c179599bb92a963dac85546a005a777f7c13f6a7b75d5918b6b5808f5fde"
                                "101f7278419308b95099eca02dcee0c5381f4d26d1d62313f057167f064101ce");
    // G2 coordinate >= p.
    expect_failure(pairing, std::string(kG1) + std::string(kModulusHex) + std::string(kG2.substr(64)));
    // G1 point off the curve.
    expect_failure(pairing, "0000000000000000000000000000000000000000000000000000000000000001"
                            "0000000000000000000000000000000000000000000000000000000000000003" +
                                std::string(kG2));
}

TEST(Bn254Pairing, GasPerRevision) {
    const std::string pair = std::string(kG1) + std::string(kG2);
    EXPECT_EQ(run(PrecompileId::bn254_pairing, pair + pair, 10'000'000, Revision::byzantium).gas_used, 260000);
    EXPECT_EQ(run(PrecompileId::bn254_pairing, pair + pair, 10'000'000, Revision::istanbul).gas_used, 113000);
    EXPECT_EQ(run(PrecompileId::bn254_pairing, pair, 78999, Revision::istanbul).status, PrecompileStatus::out_of_gas);
}

}  // namespace
}  // namespace sluice::evm
